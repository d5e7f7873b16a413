/*
 * The HTTP client the connectors share, on top of the transport seam
 * (http_transport_send): it refuses writes in dry-run mode before anything
 * is sent, judging the request alone; it retries as retry_decide() says,
 * sleeping through a replaceable clock; it paces requests when the server's
 * rate-limit headers show the budget nearly spent; it counts every attempt
 * and logs one redacted line per attempt; it keeps every attempt and wait
 * within the run's deadline. It reads no response beyond the
 * GraphQL error code the retry policy needs: the caller interprets bodies.
 */
#include "connectors/http.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "connectors/graphql.h"
#include "connectors/retry.h"
#include "util/error.h"
#include "util/xalloc.h"

struct http_client {
	char *service;
	bool dry_run;
	struct retry_policy policy;
	void (*log)(void *data, const char *line);
	void *log_data;
	struct http_clock clock;
	unsigned seed;
	size_t requests;
	long long pace_until_ms;
	long long deadline_ms; /* 0: none */
};

/* Requests that only read although their method is not GET or HEAD. */
static const struct {
	const char *method;
	const char *path_suffix;
} read_only_requests[] = {
        {"POST", "/rest/api/3/search/jql"}, /* Jira Cloud: JQL search */
        {"POST", "/rest/api/2/search"},     /* Jira Data Center: JQL search */
};

void http_headers_add(struct http_headers *h, const char *name, const char *value)
{
	ALLOC_GROW(h->v, h->nr + 1, h->alloc);
	h->v[h->nr].name = xstrdup(name);
	h->v[h->nr].value = xstrdup(value);
	h->nr++;
}

void http_headers_set(struct http_headers *h, const char *name, const char *value)
{
	size_t i, j = 0;

	for (i = 0; i < h->nr; i++) {
		if (!strcasecmp(h->v[i].name, name)) {
			free(h->v[i].name);
			free(h->v[i].value);
			continue;
		}
		h->v[j++] = h->v[i];
	}
	h->nr = j;
	if (value)
		http_headers_add(h, name, value);
}

const char *http_headers_get(const struct http_headers *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->nr; i++)
		if (!strcasecmp(h->v[i].name, name))
			return h->v[i].value;
	return NULL;
}

void http_headers_clear(struct http_headers *h)
{
	size_t i;

	for (i = 0; i < h->nr; i++) {
		free(h->v[i].name);
		free(h->v[i].value);
	}
	free(h->v);
	h->v = NULL;
	h->nr = h->alloc = 0;
}

void http_request_release(struct http_request *req)
{
	http_headers_clear(&req->headers);
	strbuf_release(&req->body);
}

void http_response_release(struct http_response *res)
{
	http_headers_clear(&res->headers);
	strbuf_release(&res->body);
	free(res->error_message);
	res->error_message = NULL;
	res->status = 0;
	res->error = HTTP_OK;
}

void http_response_reset(struct http_response *res)
{
	http_response_release(res);
}

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

	c->service = xstrdup(opts && opts->service ? opts->service : "http");
	c->dry_run = opts && opts->dry_run;
	c->policy = policy;
	if (opts && opts->max_attempts > 0)
		c->policy.max_attempts = opts->max_attempts;
	c->deadline_ms = opts ? opts->deadline_ms : 0;
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

/* The path of url, without scheme, host, query string or fragment. */
static void url_path(struct strbuf *sb, const char *url)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p ? strchr(p + 3, '/') : url;
	if (!p) {
		strbuf_addch(sb, '/');
		return;
	}
	n = strcspn(p, "?#");
	strbuf_add(sb, p, n);
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

/*
 * A GraphQL request: a JSON object body with a string "query" and no
 * members beyond those GraphQL over HTTP defines. Returns the query or NULL.
 */
static json_t *graphql_body(const struct http_request *req, const char **query)
{
	static const char *const members[] = {"query", "variables", "operationName", "extensions"};
	json_t *root, *v;
	const char *key;

	if (!req->body.len)
		return NULL;
	root = json_loadb(req->body.buf, req->body.len, 0, NULL);
	if (!json_is_object(root) || !json_is_string(json_object_get(root, "query"))) {
		json_decref(root);
		return NULL;
	}
	json_object_foreach(root, key, v)
	{
		size_t i;
		bool known = false;
		for (i = 0; i < sizeof(members) / sizeof(*members); i++)
			known = known || !strcmp(key, members[i]);
		if (!known) {
			json_decref(root);
			return NULL;
		}
	}
	*query = json_string_value(json_object_get(root, "query"));
	return root;
}

bool http_request_is_read_only(const struct http_request *req, struct strbuf *what)
{
	struct strbuf path = STRBUF_INIT;
	const char *method = req->method ? req->method : "GET";
	const char *query = NULL;
	json_t *gql;
	bool ok = false;
	size_t i;

	if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
		return true;
	gql = graphql_body(req, &query);
	if (gql) {
		ok = !graphql_document_writes(query, strlen(query), what);
		json_decref(gql);
		return ok;
	}
	url_path(&path, req->url ? req->url : "");
	for (i = 0; i < sizeof(read_only_requests) / sizeof(*read_only_requests); i++)
		if (!strcmp(method, read_only_requests[i].method) &&
		    ends_with(path.buf, path.len, read_only_requests[i].path_suffix))
			ok = true;
	if (!ok && what)
		strbuf_addf(what, "%s %s", method, path.buf);
	strbuf_release(&path);
	return ok;
}

/* Masks the token after prefix wherever prefix occurs (case-insensitive when icase). */
static void mask_after(struct strbuf *sb, const char *prefix, bool icase)
{
	static const char mask[] = "[redacted]";
	size_t plen = strlen(prefix), i = 0;

	while (i + plen <= sb->len) {
		size_t j, k;
		struct strbuf out = STRBUF_INIT;
		if (icase ? strncasecmp(sb->buf + i, prefix, plen)
		          : memcmp(sb->buf + i, prefix, plen)) {
			i++;
			continue;
		}
		j = i + plen;
		for (k = j; k < sb->len; k++) {
			char c = sb->buf[k];
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' ||
			    c == '\'' || c == ',' || c == ';')
				break;
		}
		if (k == j || !strncmp(sb->buf + j, mask, sizeof(mask) - 1)) {
			i = j;
			continue;
		}
		strbuf_add(&out, sb->buf, j);
		strbuf_addstr(&out, mask);
		strbuf_add(&out, sb->buf + k, sb->len - k);
		strbuf_release(sb);
		*sb = out;
		i = j + sizeof(mask) - 1;
	}
}

void http_redact(struct strbuf *sb)
{
	mask_after(sb, "lin_api_", false);
	mask_after(sb, "lin_oauth_", false);
	mask_after(sb, "Bearer ", true);
	mask_after(sb, "Basic ", true);
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
	http_redact(&sb);
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
	url_path(&path, req->url ? req->url : "");
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
		url_path(&sb, req->url ? req->url : "");
		strbuf_addstr(&sb, ": ");
	}
	strbuf_addstr(&sb, transport_error_name(res->error));
	if (res->error_message && *res->error_message)
		strbuf_addf(&sb, ": %s", res->error_message);
	if (attempts > 1)
		strbuf_addf(&sb, " (after %d attempts)", attempts);
	if (d->reason == RETRY_MAYBE_APPLIED)
		strbuf_addstr(&sb, "; the request may have been applied");
	http_redact(&sb);
	error = pm_error(PM_ENET, "%s", sb.buf);
	strbuf_release(&sb);
	return error;
}

static bool past_deadline(struct http_client *c, long long wait_ms)
{
	return c->deadline_ms && c->clock.now_ms(c->clock.data) + wait_ms >= c->deadline_ms;
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
	if (c->dry_run && !http_request_is_read_only(req, &what)) {
		error = pm_error(PM_EREFUSED, "dry run: refused to send %s", what.buf);
		log_line(c, "%s: dry run: refused %s", c->service, what.buf);
		goto done;
	}
	for (attempt = 1;; attempt++) {
		struct retry_input in = {0};
		struct http_request sent = *req; /* shallow: the timeouts cut to the deadline */
		char code[64];
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
		if (c->deadline_ms) {
			long left = (long)(c->deadline_ms - start);

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
		in.error_code = res->status ? graphql_error_code(res->body.buf, res->body.len, code,
		                                                 sizeof(code))
		                            : NULL;
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
