#ifndef PM_RETRY_H
#define PM_RETRY_H

#include <stdbool.h>

#include "connectors/http.h"

/*
 * The retry policy: one pure function of the outcome of an attempt (status,
 * headers, what the body says as the connector reads it, whether the request is idempotent,
 * which attempt it was, a random number and the time) that says whether to
 * try again, how long to wait first, and otherwise why to give up.
 *
 * The rules, in order:
 *  - the body first, as the connector classifies it (body_reason): a rate
 *    limit retries (the request was not applied) after the rate-limit
 *    reset; a rejected token gives up (auth); a usage limit gives up (no
 *    reset will help); an invalid request gives up;
 *  - then the status: 2xx is done; 429 and 408 retry (not applied); 5xx
 *    retries when the request is idempotent, else gives up as "may have been
 *    applied"; 401 and 403 give up (auth); other statuses give up (client);
 *  - no response: a failed connection retries (nothing was sent); a timeout
 *    or a broken connection retries when idempotent, else "may have been
 *    applied"; a body over the cap, a rejected certificate and other
 *    failures give up;
 *  - waits: Retry-After (seconds or an HTTP date) when present; for rate
 *    limits the X-RateLimit-*-Reset of the exhausted limit (epoch ms, or
 *    seconds when below 10^12); else capped exponential backoff with jitter,
 *    base * 2^(attempt-1) capped, then a random point in its upper half.
 *    Server-dictated waits are capped at max_wait_ms;
 *  - a retry beyond max_attempts gives up with exhausted set.
 */

enum retry_reason {
	RETRY_NONE = 0,      /* success, or an answer the caller reads itself */
	RETRY_RATELIMIT,     /* 429, or a body that says so: not applied */
	RETRY_SERVER,        /* 5xx or 408 */
	RETRY_NETWORK,       /* no response */
	RETRY_MAYBE_APPLIED, /* 5xx or lost connection on a non-idempotent request */
	RETRY_AUTH,          /* 401, 403, AUTHENTICATION_ERROR, FORBIDDEN */
	RETRY_USAGE,         /* USAGE_LIMIT_EXCEEDED */
	RETRY_INVALID,       /* the request is wrong: validation */
	RETRY_CLIENT,        /* other 4xx; body too big; certificate; bad URL */
};

struct retry_decision {
	bool retry;
	long wait_ms; /* before the next attempt, when retry */
	enum retry_reason reason;
	bool exhausted; /* the reason was retryable but attempts ran out */
};

struct retry_policy {
	int max_attempts; /* attempts in all, the first included */
	long base_ms;     /* first backoff */
	long cap_ms;      /* longest backoff */
	long max_wait_ms; /* longest wait honoured from Retry-After or a rate-limit reset */
};

#define RETRY_POLICY_INIT            \
	{                            \
		5, 500, 30000, 60000 \
	}

struct retry_input {
	long status;                        /* HTTP status; 0 when no response */
	enum http_error transport_error;    /* when status is 0 */
	const struct http_headers *headers; /* response headers, or NULL */
	/* What the body says, as the connector reads it: RETRY_RATELIMIT, _AUTH, _USAGE, _INVALID or _NONE. */
	enum retry_reason body_reason;
	bool idempotent;
	int attempt;      /* the attempt that just ended, from 1 */
	unsigned rand;    /* for jitter */
	long long now_ms; /* epoch ms, for HTTP dates and resets */
};

struct retry_decision retry_decide(const struct retry_policy *policy, const struct retry_input *in);

/* The pm_error_code for giving up for reason r (PM_ERATELIMIT, PM_EAUTH...); 0 for RETRY_NONE. */
int retry_reason_code(enum retry_reason r);
const char *retry_reason_name(enum retry_reason r);

/* Milliseconds a Retry-After value asks for (seconds or HTTP date), -1 when invalid. */
long retry_after_ms(const char *value, long long now_ms);

/* An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") as epoch ms, -1 when invalid. */
long long retry_http_date(const char *s);

/* A rate-limit reset header value (epoch ms, or seconds below 10^12) as epoch ms, -1. */
long long retry_reset_ms(const char *value);

/*
 * Pacing: when a rate limit is nearly spent (remaining under 5% of the
 * limit) the milliseconds until its reset, capped at max_wait_ms; else 0.
 */
long retry_pacing_ms(const struct retry_policy *policy, const struct http_headers *headers,
                     long long now_ms);

#endif
