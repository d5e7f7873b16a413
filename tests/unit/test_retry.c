/*
 * Unit tests of connectors/retry.c: the retry policy as a table of
 * (status, transport error, headers, error code, idempotent, attempt, rand)
 * -> (retry, wait, reason), and the header arithmetic behind it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/compat.h"
#include "connectors/http.h"
#include "connectors/retry.h"
#include "util/error.h"

/* 2023-11-14T22:13:20Z */
#define NOW 1700000000000LL

static void parse_headers(struct http_headers *h, const char *text)
{
	char *copy = text ? strdup(text) : NULL, *line, *save = NULL;

	for (line = copy ? strtok_r(copy, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		http_headers_add(h, line, colon + 2);
	}
	free(copy);
}

struct retry_case {
	const char *name;
	long status;
	enum http_error transport;
	const char *headers;
	const char *code;
	bool idempotent;
	int attempt;
	unsigned rand;
	bool retry;
	long wait_ms;
	enum retry_reason reason;
	bool exhausted;
};

static const struct retry_case cases[] = {
        {"200 done", 200, HTTP_OK, NULL, NULL, true, 1, 0, false, 0, RETRY_NONE, false},
        {"204 done", 204, HTTP_OK, NULL, NULL, false, 1, 0, false, 0, RETRY_NONE, false},
        /* backoff 500 * 2^0 = 500: half of it plus rand % 251 */
        {"500 idempotent", 500, HTTP_OK, NULL, NULL, true, 1, 0, true, 250, RETRY_SERVER, false},
        {"500 idempotent jitter", 500, HTTP_OK, NULL, NULL, true, 1, 300, true, 250 + 300 % 251,
         RETRY_SERVER, false},
        /* attempt 3: 500 * 4 = 2000 -> 1000 + 7 */
        {"502 attempt 3", 502, HTTP_OK, NULL, NULL, true, 3, 7, true, 1007, RETRY_SERVER, false},
        {"500 not idempotent", 500, HTTP_OK, NULL, NULL, false, 1, 0, false, 0, RETRY_MAYBE_APPLIED,
         false},
        {"503 retry-after seconds", 503, HTTP_OK, "Retry-After: 7", NULL, true, 1, 0, true, 7000,
         RETRY_SERVER, false},
        {"503 retry-after date", 503, HTTP_OK, "Retry-After: Tue, 14 Nov 2023 22:13:30 GMT", NULL,
         true, 1, 0, true, 10000, RETRY_SERVER, false},
        {"429 retry-after capped", 429, HTTP_OK, "Retry-After: 120", NULL, false, 1, 0, true, 60000,
         RETRY_RATELIMIT, false},
        {"429 no header", 429, HTTP_OK, NULL, NULL, false, 2, 0, true, 500, RETRY_RATELIMIT, false},
        {"408", 408, HTTP_OK, NULL, NULL, false, 1, 0, true, 250, RETRY_SERVER, false},
        {"RATELIMITED reset ms", 400, HTTP_OK,
         "X-RateLimit-Requests-Remaining: 0\nX-RateLimit-Requests-Reset: 1700000005000",
         "RATELIMITED", false, 1, 0, true, 5000, RETRY_RATELIMIT, false},
        {"RATELIMITED reset seconds", 400, HTTP_OK,
         "X-RateLimit-Requests-Remaining: 0\nX-RateLimit-Requests-Reset: 1700000012", "RATELIMITED",
         false, 1, 0, true, 12000, RETRY_RATELIMIT, false},
        {"RATELIMITED spent complexity", 400, HTTP_OK,
         "X-RateLimit-Requests-Remaining: 10\nX-RateLimit-Requests-Reset: 1700000001000\n"
         "X-RateLimit-Complexity-Remaining: 0\nX-RateLimit-Complexity-Reset: 1700000020000",
         "RATELIMITED", true, 1, 0, true, 20000, RETRY_RATELIMIT, false},
        {"RATELIMITED far reset capped", 400, HTTP_OK,
         "X-RateLimit-Requests-Remaining: 0\nX-RateLimit-Requests-Reset: 1700003600000",
         "RATELIMITED", true, 1, 0, true, 60000, RETRY_RATELIMIT, false},
        {"RATELIMITED retry-after first", 400, HTTP_OK,
         "Retry-After: 3\nX-RateLimit-Requests-Remaining: 0\n"
         "X-RateLimit-Requests-Reset: 1700000020000",
         "RATELIMITED", true, 1, 0, true, 3000, RETRY_RATELIMIT, false},
        {"RATELIMITED no headers", 400, HTTP_OK, NULL, "RATELIMITED", true, 2, 0, true, 500,
         RETRY_RATELIMIT, false},
        {"RATELIMITED reset passed", 400, HTTP_OK,
         "X-RateLimit-Requests-Remaining: 0\nX-RateLimit-Requests-Reset: 1699999999000",
         "RATELIMITED", true, 1, 0, true, 0, RETRY_RATELIMIT, false},
        {"RATELIMITED on 200", 200, HTTP_OK, NULL, "RATELIMITED", true, 1, 0, true, 250,
         RETRY_RATELIMIT, false},
        {"401", 401, HTTP_OK, NULL, NULL, true, 1, 0, false, 0, RETRY_AUTH, false},
        {"403", 403, HTTP_OK, NULL, NULL, true, 1, 0, false, 0, RETRY_AUTH, false},
        {"AUTHENTICATION_ERROR", 400, HTTP_OK, NULL, "AUTHENTICATION_ERROR", true, 1, 0, false, 0,
         RETRY_AUTH, false},
        {"USAGE_LIMIT_EXCEEDED", 400, HTTP_OK, NULL, "USAGE_LIMIT_EXCEEDED", true, 1, 0, false, 0,
         RETRY_USAGE, false},
        {"GRAPHQL_VALIDATION_FAILED", 400, HTTP_OK, NULL, "GRAPHQL_VALIDATION_FAILED", true, 1, 0,
         false, 0, RETRY_INVALID, false},
        {"INPUT_ERROR", 400, HTTP_OK, NULL, "INPUT_ERROR", true, 1, 0, false, 0, RETRY_INVALID,
         false},
        {"INPUT_ERROR on 200", 200, HTTP_OK, NULL, "INPUT_ERROR", true, 1, 0, false, 0,
         RETRY_INVALID, false},
        {"INPUT_ERROR on 500", 500, HTTP_OK, NULL, "INPUT_ERROR", true, 1, 0, false, 0,
         RETRY_INVALID, false},
        {"unknown code on 502", 502, HTTP_OK, NULL, "SOMETHING", true, 1, 0, true, 250,
         RETRY_SERVER, false},
        {"404", 404, HTTP_OK, NULL, NULL, true, 1, 0, false, 0, RETRY_CLIENT, false},
        {"connect, not idempotent", 0, HTTP_ECONNECT, NULL, NULL, false, 1, 0, true, 250,
         RETRY_NETWORK, false},
        {"timeout, not idempotent", 0, HTTP_ETIMEOUT, NULL, NULL, false, 1, 0, false, 0,
         RETRY_MAYBE_APPLIED, false},
        {"timeout, idempotent", 0, HTTP_ETIMEOUT, NULL, NULL, true, 2, 0, true, 500, RETRY_NETWORK,
         false},
        {"lost, not idempotent", 0, HTTP_ERECV, NULL, NULL, false, 1, 0, false, 0,
         RETRY_MAYBE_APPLIED, false},
        {"lost, idempotent", 0, HTTP_ERECV, NULL, NULL, true, 1, 0, true, 250, RETRY_NETWORK,
         false},
        {"too big", 0, HTTP_ETOOBIG, NULL, NULL, true, 1, 0, false, 0, RETRY_CLIENT, false},
        {"certificate", 0, HTTP_ETLS, NULL, NULL, true, 1, 0, false, 0, RETRY_CLIENT, false},
        {"exhausted", 500, HTTP_OK, NULL, NULL, true, 5, 0, false, 0, RETRY_SERVER, true},
        {"RATELIMITED exhausted", 400, HTTP_OK, NULL, "RATELIMITED", false, 5, 0, false, 0,
         RETRY_RATELIMIT, true},
        {"4 of 5 still retries", 503, HTTP_OK, NULL, NULL, true, 4, 0, true, 2000, RETRY_SERVER,
         false},
};

/*
 * The body's error code as a GraphQL connector classifies it (Linear's
 * codes; connectors/linear/linear_reply.c holds the real table): the
 * policy itself only sees the class.
 */
static enum retry_reason body_reason(const char *code)
{
	static const struct {
		const char *code;
		enum retry_reason reason;
	} classes[] = {
	        {"RATELIMITED", RETRY_RATELIMIT},      {"AUTHENTICATION_ERROR", RETRY_AUTH},
	        {"USAGE_LIMIT_EXCEEDED", RETRY_USAGE}, {"GRAPHQL_VALIDATION_FAILED", RETRY_INVALID},
	        {"INPUT_ERROR", RETRY_INVALID},
	};
	size_t i;

	for (i = 0; code && i < ARRAY_SIZE(classes); i++)
		if (!strcmp(code, classes[i].code))
			return classes[i].reason;
	return RETRY_NONE;
}

static void test_decide_table(void **state)
{
	struct retry_policy policy = RETRY_POLICY_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct retry_case *c = &cases[i];
		struct http_headers h = HTTP_HEADERS_INIT;
		struct retry_input in = {0};
		struct retry_decision d;

		parse_headers(&h, c->headers);
		in.status = c->status;
		in.transport_error = c->transport;
		in.headers = &h;
		in.body_reason = body_reason(c->code);
		in.idempotent = c->idempotent;
		in.attempt = c->attempt;
		in.rand = c->rand;
		in.now_ms = NOW;
		d = retry_decide(&policy, &in);
		if (d.retry != c->retry || d.wait_ms != c->wait_ms || d.reason != c->reason ||
		    d.exhausted != c->exhausted)
			fail_msg("%s: got retry=%d wait=%ld reason=%s exhausted=%d", c->name,
			         d.retry, d.wait_ms, retry_reason_name(d.reason), d.exhausted);
		http_headers_clear(&h);
	}
}

static void test_backoff_cap(void **state)
{
	struct retry_policy policy = {20, 500, 30000, 60000};
	struct retry_input in = {0};
	struct retry_decision d;

	(void)state;
	in.status = 503;
	in.idempotent = true;
	in.attempt = 10; /* 500 * 2^9 = 256000, capped at 30000 */
	in.rand = 0;
	d = retry_decide(&policy, &in);
	assert_true(d.retry);
	assert_int_equal(d.wait_ms, 15000);
	in.rand = 15000;
	d = retry_decide(&policy, &in);
	assert_int_equal(d.wait_ms, 30000);
	in.rand = 15001;
	d = retry_decide(&policy, &in);
	assert_int_equal(d.wait_ms, 15000);
}

static void test_http_date(void **state)
{
	(void)state;
	assert_true(retry_http_date("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
	assert_true(retry_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777000LL);
	assert_true(retry_http_date("Tue, 14 Nov 2023 22:13:20 GMT") == NOW);
	assert_true(retry_http_date("Thu, 29 Feb 2024 12:00:00 GMT") == 1709208000000LL);
	assert_true(retry_http_date("Sun, 06 Foo 1994 08:49:37 GMT") == -1);
	assert_true(retry_http_date("Sun, 06 Nov 1994 08:49:37") == -1);
	assert_true(retry_http_date("yesterday") == -1);
	assert_true(retry_http_date("") == -1);
	assert_true(retry_http_date(NULL) == -1);
}

static void test_retry_after(void **state)
{
	(void)state;
	assert_int_equal(retry_after_ms("0", NOW), 0);
	assert_int_equal(retry_after_ms(" 12 ", NOW), 12000);
	assert_int_equal(retry_after_ms("Tue, 14 Nov 2023 22:13:10 GMT", NOW), 0);
	assert_int_equal(retry_after_ms("-5", NOW), -1);
	assert_int_equal(retry_after_ms("5s", NOW), -1);
	assert_int_equal(retry_after_ms("99999999999999999999999", NOW), -1);
}

static void test_reset(void **state)
{
	(void)state;
	assert_true(retry_reset_ms("1700000005000") == 1700000005000LL);
	assert_true(retry_reset_ms("1700000005") == 1700000005000LL);
	assert_true(retry_reset_ms("999999999999") == 999999999999000LL);
	assert_true(retry_reset_ms("1000000000000") == 1000000000000LL);
	assert_true(retry_reset_ms("x") == -1);
	assert_true(retry_reset_ms(NULL) == -1);
}

static void test_pacing(void **state)
{
	struct retry_policy policy = RETRY_POLICY_INIT;
	struct http_headers h = HTTP_HEADERS_INIT;

	(void)state;
	assert_int_equal(retry_pacing_ms(&policy, &h, NOW), 0);
	/* 200 of 2500 left: 8%, no pause */
	parse_headers(&h, "X-RateLimit-Requests-Limit: 2500\nX-RateLimit-Requests-Remaining: 200\n"
	                  "X-RateLimit-Requests-Reset: 1700000030000");
	assert_int_equal(retry_pacing_ms(&policy, &h, NOW), 0);
	http_headers_clear(&h);
	/* 100 of 2500: 4%, wait for the reset */
	parse_headers(&h, "X-RateLimit-Requests-Limit: 2500\nX-RateLimit-Requests-Remaining: 100\n"
	                  "X-RateLimit-Requests-Reset: 1700000030000");
	assert_int_equal(retry_pacing_ms(&policy, &h, NOW), 30000);
	http_headers_clear(&h);
	/* the complexity budget too; capped */
	parse_headers(&h, "X-RateLimit-Complexity-Limit: 3000000\n"
	                  "X-RateLimit-Complexity-Remaining: 1000\n"
	                  "X-RateLimit-Complexity-Reset: 1700000900000");
	assert_int_equal(retry_pacing_ms(&policy, &h, NOW), 60000);
	http_headers_clear(&h);
}

static void test_reason_codes(void **state)
{
	(void)state;
	assert_int_equal(retry_reason_code(RETRY_NONE), 0);
	assert_int_equal(retry_reason_code(RETRY_RATELIMIT), PM_ERATELIMIT);
	assert_int_equal(retry_reason_code(RETRY_SERVER), PM_ENET);
	assert_int_equal(retry_reason_code(RETRY_NETWORK), PM_ENET);
	assert_int_equal(retry_reason_code(RETRY_MAYBE_APPLIED), PM_ENET);
	assert_int_equal(retry_reason_code(RETRY_AUTH), PM_EAUTH);
	assert_int_equal(retry_reason_code(RETRY_USAGE), PM_ETRACKER);
	assert_int_equal(retry_reason_code(RETRY_INVALID), PM_ETRACKER);
	assert_int_equal(retry_reason_code(RETRY_CLIENT), PM_ETRACKER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_decide_table), cmocka_unit_test(test_backoff_cap),
	        cmocka_unit_test(test_http_date),    cmocka_unit_test(test_retry_after),
	        cmocka_unit_test(test_reset),        cmocka_unit_test(test_pacing),
	        cmocka_unit_test(test_reason_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
