/*
 * The retry policy as one pure function (see retry.h for the rules): no
 * clock, no randomness and no I/O of its own, so that a table of cases pins
 * it down. Also the header arithmetic it needs: Retry-After in both forms,
 * X-RateLimit-* resets in milliseconds or seconds, and the pacing
 * wait that keeps a client from running into a limit it can see coming.
 */
#include "util/compat.h"

#include "connectors/retry.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"

/* Rate-limit header families: the limit, what remains and when it resets. */
static const char *const limit_families[] = {
        "X-RateLimit-Requests",
        "X-RateLimit-Complexity",
        "X-RateLimit-Endpoint-Requests",
        NULL,
};

/* A non-negative decimal number filling all of s (spaces around allowed), or -1. */
static long long parse_count(const char *s)
{
	char *end;
	long long v;

	if (!s)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno)
		return -1;
	if (*end == '.') /* "12.0": some servers send numbers; take the integer part */
		while (isdigit((unsigned char)*++end))
			;
	while (isspace((unsigned char)*end))
		end++;
	return *end ? -1 : v;
}

static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

long long retry_http_date(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4] = "";
	int day, year, hh, mm, ss, n = 0;
	const char *comma, *m;

	if (!s)
		return -1;
	comma = strchr(s, ',');
	if (comma)
		s = comma + 1;
	if (sscanf(s, " %d %3s %d %d:%d:%d GMT%n", &day, mon, &year, &hh, &mm, &ss, &n) != 6 || !n)
		return -1;
	m = strlen(mon) == 3 ? strstr(months, mon) : NULL;
	if (!m || (m - months) % 3 || day < 1 || day > 31 || year < 1970 || year > 9999 ||
	    hh > 23 || mm > 59 || ss > 60 || hh < 0 || mm < 0 || ss < 0)
		return -1;
	return ((days_from_civil(year, (unsigned)((m - months) / 3 + 1), (unsigned)day) * 24 + hh) *
	                60 +
	        mm) * 60000LL +
	       ss * 1000LL;
}

long retry_after_ms(const char *value, long long now_ms)
{
	long long secs = parse_count(value), when;

	if (secs >= 0)
		return secs > 86400 ? 86400000L : (long)(secs * 1000);
	when = retry_http_date(value);
	if (when < 0)
		return -1;
	return when <= now_ms ? 0
	                      : (when - now_ms > 86400000LL ? 86400000L : (long)(when - now_ms));
}

long long retry_reset_ms(const char *value)
{
	long long v = parse_count(value);

	if (v < 0)
		return -1;
	if (v < 1000000000000LL)
		return v > 9223372036854775LL ? -1 : v * 1000;
	return v;
}

static long cap(long v, long max)
{
	return v > max ? max : v;
}

/* Milliseconds until the reset of header family f, -1 when unknown. */
static long until_reset(const struct http_headers *h, const char *f, long long now_ms)
{
	char name[64];
	long long reset;

	snprintf(name, sizeof(name), "%s-Reset", f);
	reset = retry_reset_ms(http_headers_get(h, name));
	if (reset < 0)
		return -1;
	if (reset <= now_ms)
		return 0;
	return reset - now_ms > 86400000LL ? 86400000L : (long)(reset - now_ms);
}

static long long family_value(const struct http_headers *h, const char *f, const char *what)
{
	char name[64];

	snprintf(name, sizeof(name), "%s-%s", f, what);
	return parse_count(http_headers_get(h, name));
}

/* The wait a rate-limited answer asks for: the reset of the spent limit; -1 when unknown. */
static long ratelimit_wait(const struct http_headers *h, long long now_ms)
{
	long best = -1;
	size_t i;

	if (!h)
		return -1;
	for (i = 0; limit_families[i]; i++) {
		long w;
		if (family_value(h, limit_families[i], "Remaining") != 0)
			continue;
		w = until_reset(h, limit_families[i], now_ms);
		if (w > best)
			best = w;
	}
	if (best < 0)
		best = until_reset(h, limit_families[0], now_ms);
	return best;
}

long retry_pacing_ms(const struct retry_policy *policy, const struct http_headers *headers,
                     long long now_ms)
{
	long best = 0;
	size_t i;

	if (!headers)
		return 0;
	for (i = 0; limit_families[i]; i++) {
		long long limit = family_value(headers, limit_families[i], "Limit");
		long long remaining = family_value(headers, limit_families[i], "Remaining");
		long w;
		if (limit <= 0 || remaining < 0 || remaining * 20 >= limit)
			continue;
		w = until_reset(headers, limit_families[i], now_ms);
		if (w > best)
			best = w;
	}
	return cap(best, policy->max_wait_ms);
}

static long backoff(const struct retry_policy *p, int attempt, unsigned rand)
{
	long wait = p->base_ms > 0 ? p->base_ms : 1;
	int i;

	for (i = 1; i < attempt && wait < p->cap_ms; i++)
		wait *= 2;
	wait = cap(wait, p->cap_ms);
	return wait / 2 + (long)(rand % (unsigned long)(wait / 2 + 1));
}

static enum retry_reason classify(const struct retry_input *in)
{
	switch (in->body_reason) {
	case RETRY_RATELIMIT:
	case RETRY_AUTH:
	case RETRY_USAGE:
	case RETRY_INVALID:
		return in->body_reason;
	default:
		break;
	}
	if (in->status <= 0) {
		switch (in->transport_error) {
		case HTTP_OK:
		case HTTP_ECONNECT:
			return RETRY_NETWORK;
		case HTTP_ETIMEOUT:
		case HTTP_ERECV:
			return in->idempotent ? RETRY_NETWORK : RETRY_MAYBE_APPLIED;
		case HTTP_ETOOBIG:
		case HTTP_ETLS:
		case HTTP_EOTHER:
			return RETRY_CLIENT;
		}
		return RETRY_CLIENT;
	}
	if (in->status >= 200 && in->status < 300)
		return RETRY_NONE;
	if (in->status == 429)
		return RETRY_RATELIMIT;
	if (in->status == 408)
		return RETRY_SERVER;
	if (in->status >= 500)
		return in->idempotent ? RETRY_SERVER : RETRY_MAYBE_APPLIED;
	if (in->status == 401 || in->status == 403)
		return RETRY_AUTH;
	return RETRY_CLIENT;
}

struct retry_decision retry_decide(const struct retry_policy *policy, const struct retry_input *in)
{
	struct retry_decision d = {false, 0, RETRY_NONE, false};
	const char *retry_after;
	long wait = -1;

	d.reason = classify(in);
	if (d.reason != RETRY_RATELIMIT && d.reason != RETRY_SERVER && d.reason != RETRY_NETWORK)
		return d;
	if (in->attempt >= policy->max_attempts) {
		d.exhausted = true;
		return d;
	}
	retry_after = in->headers ? http_headers_get(in->headers, "Retry-After") : NULL;
	if (retry_after)
		wait = retry_after_ms(retry_after, in->now_ms);
	if (wait < 0 && d.reason == RETRY_RATELIMIT)
		wait = ratelimit_wait(in->headers, in->now_ms);
	if (wait >= 0)
		wait = cap(wait, policy->max_wait_ms);
	else
		wait = backoff(policy, in->attempt, in->rand);
	d.retry = true;
	d.wait_ms = wait;
	return d;
}

int retry_reason_code(enum retry_reason r)
{
	switch (r) {
	case RETRY_NONE:
		return 0;
	case RETRY_RATELIMIT:
		return PM_ERATELIMIT;
	case RETRY_SERVER:
	case RETRY_NETWORK:
	case RETRY_MAYBE_APPLIED:
		return PM_ENET;
	case RETRY_AUTH:
		return PM_EAUTH;
	case RETRY_USAGE:
	case RETRY_INVALID:
	case RETRY_CLIENT:
		return PM_ETRACKER;
	}
	return PM_ERROR;
}

const char *retry_reason_name(enum retry_reason r)
{
	switch (r) {
	case RETRY_NONE:
		return "none";
	case RETRY_RATELIMIT:
		return "rate limited";
	case RETRY_SERVER:
		return "server error";
	case RETRY_NETWORK:
		return "network error";
	case RETRY_MAYBE_APPLIED:
		return "may have been applied";
	case RETRY_AUTH:
		return "authentication";
	case RETRY_USAGE:
		return "usage limit";
	case RETRY_INVALID:
		return "invalid request";
	case RETRY_CLIENT:
		return "client error";
	}
	return "unknown";
}
