/*
 * The HTTP client the connectors share, on top of the transport seam
 * (http_transport_send): it refuses writes in dry-run mode before anything
 * is sent, judging the request alone; it retries as retry_decide() says,
 * sleeping through a replaceable clock; it paces requests when the server's
 * rate-limit headers show the budget nearly spent; it counts every attempt
 * and logs one redacted line per attempt; it keeps every attempt and wait
 * within the run's deadline. It reads no body itself: what a
 * body says about retrying comes from the connector (body_reason), and the
 * caller interprets the rest.
 */
#include "util/compat.h"

#include "connectors/http.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "connectors/retry.h"
#include "util/error.h"
#include "util/redact.h"
#include "util/xalloc.h"

struct http_client {
	char *service;
	struct http_client_options opts; /* the connector's protocol; service is ours */
	bool dry_run;
	struct retry_policy policy;
	void (*log)(void *data, const char *line);
	void *log_data;
	struct http_clock clock;
	unsigned seed;
	size_t requests;
	long long pace_until_ms;
};

static long long system_now_ms(void *data)
{
	struct timespec ts;

	(void)data;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void system_sleep_ms(void *data, long ms)
{
	struct timespec ts;

	(void)data;
	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0)
		;
}

/* xorshift32: jitter only needs to differ between runs. */
static unsigned next_rand(struct http_client *c)
{
	c->seed ^= c->seed << 13;
	c->seed ^= c->seed >> 17;
	c->seed ^= c->seed << 5;
	return c->seed;
}

void http_client_new(struct http_client **out, const struct http_client_options *opts)
{
	struct http_client *c = xcalloc(1, sizeof(*c));
	struct retry_policy policy = RETRY_POLICY_INIT;

	if (opts)
		c->opts = *opts;
	c->service = xstrdup(opts && opts->service ? opts->service : "http");
	c->opts.service = c->service;
	c->dry_run = opts && opts->dry_run;
	c->policy = policy;
	if (opts && opts->max_attempts > 0)
		c->policy.max_attempts = opts->max_attempts;
	c->log = opts ? opts->log : NULL;
	c->log_data = opts ? opts->log_data : NULL;
	c->clock.now_ms = system_now_ms;
	c->clock.sleep_ms = system_sleep_ms;
	c->clock.rand = NULL;
	c->clock.data = NULL;
	c->seed = (unsigned)system_now_ms(NULL) | 1u;
	*out = c;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	free(c->service);
	free(c);
}

void http_client_set_clock(struct http_client *c, const struct http_clock *clock)
{
	c->clock = *clock;
	if (!c->clock.now_ms)
		c->clock.now_ms = system_now_ms;
	if (!c->clock.sleep_ms)
		c->clock.sleep_ms = system_sleep_ms;
}

void http_client_set_dry_run(struct http_client *c, bool dry_run)
{
	c->dry_run = dry_run;
}

bool http_client_dry_run(const struct http_client *c)
{
	return c->dry_run;
}

size_t http_client_requests(const struct http_client *c)
{
	return c->requests;
}

static void log_line(struct http_client *c, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void log_line(struct http_client *c, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (!c->log)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	http_redact(&sb, c->opts.token_prefixes);
	c->log(c->log_data, sb.buf);
	strbuf_release(&sb);
}

static const char *transport_error_name(enum http_error e)
{
	switch (e) {
	case HTTP_OK:
		return "no response";
	case HTTP_ECONNECT:
		return "cannot connect";
	case HTTP_ETIMEOUT:
		return "timed out";
	case HTTP_ERECV:
		return "connection lost";
	case HTTP_ETOOBIG:
		return "response too large";
	case HTTP_ETLS:
		return "certificate rejected";
	case HTTP_EOTHER:
		return "request failed";
	}
	return "request failed";
}

static void log_attempt(struct http_client *c, const struct http_request *req,
                        const struct http_response *res, long long ms, int attempt)
{
	struct strbuf path = STRBUF_INIT;
	struct strbuf status = STRBUF_INIT;

	if (!c->log)
		return;
	http_url_path(&path, req->url ? req->url : "");
	if (res->status)
		strbuf_addf(&status, "HTTP %ld", res->status);
	else
		strbuf_addstr(&status, transport_error_name(res->error));
	log_line(c, "%s: %s %s%s%s: %s, %lld ms, attempt %d", c->service,
	         req->method ? req->method : "GET", path.buf, req->name ? " " : "",
	         req->name ? req->name : "", status.buf, ms, attempt);
	strbuf_release(&path);
	strbuf_release(&status);
}

/* Records the failure of a request that got no response. */
static int no_response_error(struct http_client *c, const struct http_request *req,
                             const struct http_response *res, const struct retry_decision *d,
                             int attempts)
{
	struct strbuf sb = STRBUF_INIT;
	int error;

	strbuf_addf(&sb, "%s: ", c->service);
	if (req->name) {
		strbuf_addf(&sb, "%s: ", req->name);
	} else {
		strbuf_addf(&sb, "%s ", req->method ? req->method : "GET");
		http_url_path(&sb, req->url ? req->url : "");
		strbuf_addstr(&sb, ": ");
	}
	strbuf_addstr(&sb, transport_error_name(res->error));
	if (res->error_message && *res->error_message)
		strbuf_addf(&sb, ": %s", res->error_message);
	if (attempts > 1)
		strbuf_addf(&sb, " (after %d attempts)", attempts);
	if (d->reason == RETRY_MAYBE_APPLIED)
		strbuf_addstr(&sb, "; the request may have been applied");
	http_redact(&sb, c->opts.token_prefixes);
	error = pm_error(PM_ENET, "%s", sb.buf);
	strbuf_release(&sb);
	return error;
}

static bool past_deadline(struct http_client *c, long long wait_ms)
{
	return c->opts.deadline_ms &&
	       c->clock.now_ms(c->clock.data) + wait_ms >= c->opts.deadline_ms;
}

/*
 * The run's deadline, checked in this one place: before every attempt (wait
 * 0), after an attempt that got no answer, and before every wait. A rate
 * limit that resets after the deadline fails at once with the reset time:
 * waiting cannot help, and the next run starts with a fresh budget.
 */
static int deadline_check(struct http_client *c, const struct http_request *req, long long wait_ms,
                          bool ratelimit, const char *note)
{
	long long at = c->clock.now_ms(c->clock.data) + (wait_ms > 0 ? wait_ms : 0);
	time_t secs = (time_t)(at / 1000);
	struct tm tm;
	char when[32];

	if (!past_deadline(c, wait_ms > 0 ? wait_ms : 0))
		return 0;
	if (ratelimit && gmtime_r(&secs, &tm) &&
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
		return pm_error(PM_ERATELIMIT,
		                "%s: rate limited until %s, after the run's deadline: stopping "
		                "now; the next run goes on",
		                c->service, when);
	return pm_error(PM_ETIMEOUT,
	                "%s: no time left before the run's deadline%s%s%s: stopping "
	                "(--timeout, sync.timeout)",
	                c->service, req->name ? " for " : "", req->name ? req->name : "", note);
}

int http_client_send(struct http_client *c, struct http_response *res,
                     const struct http_request *req)
{
	struct strbuf what = STRBUF_INIT;
	struct retry_decision d = {false, 0, RETRY_NONE, false};
	struct retry_policy uncapped = c->policy;
	int attempt, error = 0;

	uncapped.max_wait_ms = LONG_MAX; /* waits are capped below, after the deadline check */
	if (c->dry_run && !http_request_is_read_only(req, &c->opts, &what)) {
		error = pm_error(PM_EREFUSED, "dry run: refused to send %s", what.buf);
		log_line(c, "%s: dry run: refused %s", c->service, what.buf);
		goto done;
	}
	for (attempt = 1;; attempt++) {
		struct retry_input in = {0};
		struct http_request sent = *req; /* shallow: the timeouts cut to the deadline */
		long long start, now;
		long pace;

		now = c->clock.now_ms(c->clock.data);
		/* pacing toward a reset after the deadline cannot help: send now */
		if (c->pace_until_ms > now && !past_deadline(c, c->pace_until_ms - now)) {
			long wait = c->pace_until_ms - now > c->policy.max_wait_ms
			                    ? c->policy.max_wait_ms
			                    : (long)(c->pace_until_ms - now);

			log_line(c, "%s: pacing: waiting %ld ms for the rate limit to recover",
			         c->service, wait);
			c->clock.sleep_ms(c->clock.data, wait);
		}
		c->pace_until_ms = 0;
		if ((error = deadline_check(c, req, 0, false, "")) < 0)
			goto done;
		http_response_reset(res);
		start = c->clock.now_ms(c->clock.data);
		if (c->opts.deadline_ms) {
			long left = (long)(c->opts.deadline_ms - start);

			if (left <
			    (req->timeout_ms > 0 ? req->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS))
				sent.timeout_ms = left;
			if (left < (req->connect_timeout_ms > 0 ? req->connect_timeout_ms
			                                        : HTTP_DEFAULT_CONNECT_TIMEOUT_MS))
				sent.connect_timeout_ms = left;
		}
		c->requests++;
		if (http_transport_send(res, &sent) < 0 && res->status)
			res->status = 0;
		if (!res->status && res->error == HTTP_OK)
			res->error = HTTP_EOTHER;
		now = c->clock.now_ms(c->clock.data);
		log_attempt(c, req, res, now - start, attempt);

		in.status = res->status;
		in.transport_error = res->error;
		in.headers = &res->headers;
		in.body_reason = res->status && c->opts.body_reason
		                         ? (enum retry_reason)c->opts.body_reason(res)
		                         : RETRY_NONE;
		in.idempotent = req->idempotent;
		in.attempt = attempt;
		in.rand = c->clock.rand ? c->clock.rand(c->clock.data) : next_rand(c);
		in.now_ms = now;
		d = retry_decide(&uncapped, &in);
		if (res->status) {
			/* the real reset, so that a reset after the deadline skips pacing */
			pace = retry_pacing_ms(&uncapped, &res->headers, now);
			if (pace > 0)
				c->pace_until_ms = now + pace;
		}
		if (!res->status &&
		    (error = deadline_check(
		             c, req, 0, false,
		             req->idempotent ? "" : " (cut short: it may have been applied)")) < 0)
			goto done;
		if (!d.retry)
			break;
		if ((error = deadline_check(c, req, d.wait_ms, d.reason == RETRY_RATELIMIT, "")) <
		    0)
			goto done;
		if (d.wait_ms > c->policy.max_wait_ms)
			d.wait_ms = c->policy.max_wait_ms;
		log_line(c, "%s: retrying%s%s in %ld ms: %s", c->service, req->name ? " " : "",
		         req->name ? req->name : "", d.wait_ms, retry_reason_name(d.reason));
		c->clock.sleep_ms(c->clock.data, d.wait_ms);
	}
	if (!res->status)
		error = no_response_error(c, req, res, &d, attempt);
done:
	strbuf_release(&what);
	return error;
}
