/*
 * Unit tests of connectors/http.c over the fake transport: headers, the
 * dry-run guard's rule as a table of requests, retries and their waits on
 * a fake clock, pacing, transport failures, the response cap, redaction and
 * the per-attempt log lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/compat.h"
#include "connectors/http.h"
#include "connectors/linear/linear.h"
#include "tests/unit/fake_transport.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define NOW 1700000000000LL
#define GQL_URL "https://api.linear.app/graphql"
#define JIRA "https://acme.atlassian.net"

struct log {
	struct strbuf text;
	size_t lines;
};

static void log_to(void *data, const char *line)
{
	struct log *l = data;

	strbuf_addstr(&l->text, line);
	strbuf_addch(&l->text, '\n');
	l->lines++;
}

/* Jira's searches: POSTs that only read, as a REST connector would name them. */
static const char *const jira_posts[] = {"/rest/api/3/search/jql", "/rest/api/2/search", NULL};

/* The client as Linear configures it, with a REST connector's read-only POSTs too. */
static void options(struct http_client_options *o, bool dry_run, struct log *log)
{
	memset(o, 0, sizeof(*o));
	linear_http_options(o);
	o->read_only_posts = jira_posts;
	o->dry_run = dry_run;
	o->log = log ? log_to : NULL;
	o->log_data = log;
}

/* A client on the fake clock, at NOW, with nothing queued; deadline_ms 0: none. */
static struct http_client *client_deadline(bool dry_run, struct log *log, long long deadline_ms)
{
	struct http_client_options o;
	struct http_client *c;
	struct http_clock clock = fake_clock(NOW);

	options(&o, dry_run, log);
	o.deadline_ms = deadline_ms;
	http_client_new(&c, &o);
	http_client_set_clock(c, &clock);
	fake_transport_reset();
	return c;
}

static struct http_client *client(bool dry_run, struct log *log)
{
	return client_deadline(dry_run, log, 0);
}

static void set_request(struct http_request *req, const char *method, const char *url,
                        const char *body)
{
	req->method = method;
	req->url = url;
	strbuf_reset(&req->body);
	if (body)
		strbuf_addstr(&req->body, body);
}

static void test_headers(void **state)
{
	struct http_headers h = HTTP_HEADERS_INIT;

	(void)state;
	http_headers_add(&h, "Content-Type", "application/json");
	http_headers_add(&h, "X-RateLimit-Requests-Remaining", "5");
	http_headers_add(&h, "x-ratelimit-requests-remaining", "6");
	assert_string_equal(http_headers_get(&h, "content-type"), "application/json");
	assert_string_equal(http_headers_get(&h, "X-RATELIMIT-REQUESTS-REMAINING"), "5");
	assert_null(http_headers_get(&h, "Retry-After"));
	http_headers_set(&h, "x-RateLimit-Requests-Remaining", "7");
	assert_int_equal(h.nr, 2);
	assert_string_equal(http_headers_get(&h, "X-RateLimit-Requests-Remaining"), "7");
	http_headers_set(&h, "content-type", NULL);
	assert_null(http_headers_get(&h, "Content-Type"));
	http_headers_clear(&h);
	assert_int_equal(h.nr, 0);
}

struct guard_case {
	const char *method;
	const char *url;
	const char *body;
	bool read_only;
	const char *what;
};

static const struct guard_case guard[] = {
        {"GET", JIRA "/rest/api/3/issue/ENG-1", NULL, true, ""},
        {"HEAD", JIRA "/rest/api/3/myself", NULL, true, ""},
        {"POST", GQL_URL, "{\"query\":\"query Viewer { viewer { id } }\"}", true, ""},
        {"POST", GQL_URL, "{\"query\":\"{ viewer { id } }\",\"variables\":{}}", true, ""},
        {"POST", GQL_URL,
         "{\"query\":\"mutation IssueBatchCreate($input: IssueBatchCreateInput!) { "
         "issueBatchCreate(input: $input) { success } }\",\"variables\":{},"
         "\"operationName\":\"IssueBatchCreate\"}",
         false, "mutation 'IssueBatchCreate'"},
        {"POST", GQL_URL,
         "{\"query\":\"mutation AttachmentMarkers($i0: AttachmentCreateInput!) { m0: "
         "attachmentCreate(input: $i0) { success } }\"}",
         false, "mutation 'AttachmentMarkers'"},
        {"POST", GQL_URL,
         "{\"query\":\"query Q { a } mutation IssueUpdates { u0: issueUpdate(id: \\\"x\\\", "
         "input: {}) { success } }\",\"operationName\":\"Q\"}",
         false, "mutation 'IssueUpdates'"},
        {"POST", GQL_URL,
         "{\"query\":\"mutation LabelCreate($input: IssueLabelCreateInput!) { "
         "issueLabelCreate(input: $input) { success } }\"}",
         false, "mutation 'LabelCreate'"},
        {"POST", GQL_URL, "{\"query\":\"query Q { a(s: \\\"mutation\\\") }\"}", true, ""},
        {"POST", GQL_URL, "{\"query\":\"query Q { a\"}", false, "a document that cannot be read"},
        /* a "query" member next to members GraphQL does not define: not GraphQL */
        {"POST", JIRA "/rest/api/3/issue", "{\"query\":\"{ a }\",\"fields\":{}}", false,
         "POST /rest/api/3/issue"},
        {"POST", JIRA "/rest/api/3/search/jql", "{\"jql\":\"project = ENG\"}", true, ""},
        {"POST", JIRA "/jira/rest/api/2/search?expand=names", "{\"jql\":\"project = ENG\"}", true,
         ""},
        {"POST", JIRA "/rest/api/3/search/jql/x", "{}", false, "POST /rest/api/3/search/jql/x"},
        {"PUT", JIRA "/rest/api/3/search/jql", "{}", false, "PUT /rest/api/3/search/jql"},
        {"POST", JIRA "/rest/api/3/issue?token=secret", "{\"fields\":{}}", false,
         "POST /rest/api/3/issue"},
        {"PUT", JIRA "/rest/api/3/issue/ENG-1", "{\"fields\":{}}", false,
         "PUT /rest/api/3/issue/ENG-1"},
        {"DELETE", JIRA "/rest/api/3/issue/ENG-1", NULL, false, "DELETE /rest/api/3/issue/ENG-1"},
        {"POST", GQL_URL, "not json", false, "POST /graphql"},
        {"get", JIRA "/rest/api/3/issue/ENG-1", NULL, false, "get /rest/api/3/issue/ENG-1"},
};

static void test_guard_rule(void **state)
{
	struct http_client_options o;
	size_t i;

	(void)state;
	options(&o, true, NULL);
	for (i = 0; i < ARRAY_SIZE(guard); i++) {
		struct http_request req = HTTP_REQUEST_INIT;
		struct strbuf what = STRBUF_INIT;
		bool ok;

		set_request(&req, guard[i].method, guard[i].url, guard[i].body);
		ok = http_request_is_read_only(&req, &o, &what);
		if (ok != guard[i].read_only || strcmp(what.buf, guard[i].what))
			fail_msg("case %zu (%s %s): read_only=%d what='%s'", i, guard[i].method,
			         guard[i].url, ok, what.buf);
		strbuf_release(&what);
		http_request_release(&req);
	}
}

static void test_dry_run_client(void **state)
{
	struct http_client *c = client(true, NULL);
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res = HTTP_RESPONSE_INIT;

	(void)state;
	/* refused: nothing reaches the transport */
	set_request(&req, "POST", GQL_URL,
	            "{\"query\":\"mutation IssueBatchCreate { issueBatchCreate(input: {issues: "
	            "[]}) { success } }\"}");
	assert_int_equal(http_client_send(c, &res, &req), PM_EREFUSED);
	assert_string_equal(pm_error_message(),
	                    "dry run: refused to send mutation 'IssueBatchCreate'");
	set_request(&req, "PUT", JIRA "/rest/api/3/issue/ENG-1", "{\"fields\":{}}");
	assert_int_equal(http_client_send(c, &res, &req), PM_EREFUSED);
	assert_string_equal(pm_error_message(),
	                    "dry run: refused to send PUT /rest/api/3/issue/ENG-1");
	set_request(&req, "POST", JIRA "/rest/api/3/issue", "{\"fields\":{}}");
	assert_int_equal(http_client_send(c, &res, &req), PM_EREFUSED);
	assert_int_equal(fake_transport_count(), 0);
	assert_int_equal(http_client_requests(c), 0);

	/* reads pass */
	fake_transport_queue(200, NULL, "{\"issues\":[]}");
	set_request(&req, "POST", JIRA "/rest/api/3/search/jql", "{\"jql\":\"project = ENG\"}");
	assert_int_equal(http_client_send(c, &res, &req), 0);
	fake_transport_queue(200, NULL, "{}");
	set_request(&req, "GET", JIRA "/rest/api/3/myself", NULL);
	assert_int_equal(http_client_send(c, &res, &req), 0);
	fake_transport_queue(200, NULL, "{\"data\":{}}");
	set_request(&req, "POST", GQL_URL, "{\"query\":\"query Viewer { viewer { id } }\"}");
	assert_int_equal(http_client_send(c, &res, &req), 0);
	assert_int_equal(fake_transport_count(), 3);
	assert_int_equal(http_client_requests(c), 3);

	http_response_release(&res);
	http_request_release(&req);
	http_client_free(c);
	fake_transport_reset();
}

static void test_retry_then_success(void **state)
{
	struct http_client *c = client(false, NULL);
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res = HTTP_RESPONSE_INIT;

	(void)state;
	req.idempotent = true;
	set_request(&req, "POST", GQL_URL, "{\"query\":\"query Q { a }\"}");
	fake_transport_queue(503, "Retry-After: 2", "busy");
	fake_transport_queue(502, NULL, "<html>bad gateway</html>");
	fake_transport_queue(200, NULL, "{\"data\":{\"a\":1}}");
	fake_clock_state.rand = 0;
	assert_int_equal(http_client_send(c, &res, &req), 0);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.body.buf, "{\"data\":{\"a\":1}}");
	assert_int_equal(fake_transport_count(), 3);
	assert_int_equal(fake_clock_state.sleeps, 2);
	assert_int_equal(fake_clock_state.slept[0], 2000); /* Retry-After */
	assert_int_equal(fake_clock_state.slept[1], 500);  /* 1000 / 2 + 0 */
	http_response_release(&res);
	http_request_release(&req);
	http_client_free(c);
	fake_transport_reset();
}

static void test_ratelimited_then_success(void **state)
{
	struct http_client *c = client(false, NULL);
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res = HTTP_RESPONSE_INIT;

	(void)state;
	req.idempotent = false; /* a rate-limited request was not applied: retried anyway */
	set_request(&req, "POST", GQL_URL, "{\"query\":\"mutation M { m }\"}");
	fake_transport_queue(400,
	                     "X-RateLimit-Requests-Limit: 2500\nX-RateLimit-Requests-Remaining: 0\n"
	                     "X-RateLimit-Requests-Reset: 1700000004000",
	                     "{\"errors\":[{\"message\":\"Rate limit exceeded\",\"extensions\":{"
	                     "\"code\":\"RATELIMITED\",\"statusCode\":429}}]}");
	fake_transport_queue(200, NULL, "{\"data\":{\"m\":true}}");
	assert_int_equal(http_client_send(c, &res, &req), 0);
	assert_int_equal(res.status, 200);
	assert_int_equal(fake_transport_count(), 2);
	/* the wait until the reset; pacing adds nothing once the time has come */
	assert_int_equal(fake_clock_state.slept_total, 4000);
	http_response_release(&res);
	http_request_release(&req);
	http_client_free(c);
	fake_transport_reset();
}

static void test_no_retry_for_unsafe(void **state)
{
	struct http_client *c = client(false, NULL);
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res = HTTP_RESPONSE_INIT;

	(void)state;
	req.name = "IssueBatchCreate";
	set_request(&req, "POST", GQL_URL, "{\"query\":\"mutation IssueBatchCreate { m }\"}");
	fake_transport_queue(502, NULL, "bad gateway");
	fake_transport_queue(200, NULL, "{}");
	assert_int_equal(http_client_send(c, &res, &req), 0);
	assert_int_equal(res.status, 502);
	assert_int_equal(fake_transport_count(), 1);

	fake_transport_reset();
	fake_transport_queue_error(HTTP_ETIMEOUT, "Operation timed out after 60000 milliseconds");
	assert_int_equal(http_client_send(c, &res, &req), PM_ENET);
	assert_int_equal(fake_transport_count(), 1);
	assert_string_equal(pm_error_message(),
	                    "linear: IssueBatchCreate: timed out: Operation timed out after 60000 "
	                    "milliseconds; the request may have been applied");

	/* a failed connection sent nothing: retried even for a create */
	fake_transport_reset();
	fake_transport_queue_error(HTTP_ECONNECT, "Could not resolve host: api.linear.app");
	fake_transport_queue(200, NULL, "{\"data\":{}}");
	assert_int_equal(http_client_send(c, &res, &req), 0);
	assert_int_equal(fake_transport_count(), 2);
	http_response_release(&res);
	http_request_release(&req);
	http_client_free(c);
	fake_transport_reset();
}

static void test_network_exhausted(void **state)
{
	struct http_client *c = client(false, NULL);
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res = HTTP_RESPONSE_INIT;
	int i;

	(void)state;
	req.name = "Viewer";
	req.idempotent = true;
	set_request(&req, "POST", GQL_URL, "{\"query\":\"query Viewer { viewer { id } }\"}");
	for (i = 0; i < 6; i++)
		fake_transport_queue_error(HTTP_ECONNECT, "Failed to connect to api.linear.app");
	assert_int_equal(http_client_send(c, &res, &req), PM_ENET);
	assert_int_equal(fake_transport_count(), 5);
	assert_int_equal(fake_transport_pending(), 1);
	assert_string_equal(pm_error_message(), "linear: Viewer: cannot connect: Failed to connect "
	                                        "to api.linear.app (after 5 attempts)");
	assert_int_equal(res.status, 0);
	assert_int_equal(res.error, HTTP_ECONNECT);
	/* backoff 500, 1000, 2000, 4000 with rand 0: the lower half of each */
	assert_int_equal(fake_clock_state.sleeps, 4);
	assert_int_equal(fake_clock_state.slept_total, 250 + 500 + 1000 + 2000);
	http_response_release(&res);
	http_request_release(&req);
	http_client_free(c);
	fake_transport_reset();
}

static void test_body_cap(void **state)
{
	struct http_client *c = client(false, NULL);
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res = HTTP_RESPONSE_INIT;

	(void)state;
	req.name = "Labels";
	req.idempotent = true;
	req.max_body = 16;
	set_request(&req, "POST", GQL_URL, "{\"query\":\"query Labels { a }\"}");
	fake_transport_queue(200, NULL, "{\"data\":{\"a\":\"0123456789\"}}");
	assert_int_equal(http_client_send(c, &res, &req), PM_ENET);
	assert_string_equal(
	        pm_error_message(),
	        "linear: Labels: response too large: the response body passed 16 bytes");
	assert_int_equal(fake_transport_count(), 1); /* not retried */
	http_response_release(&res);
	http_request_release(&req);
	http_client_free(c);
	fake_transport_reset();
}

static void test_pacing(void **state)
{
	struct http_client *c = client(false, NULL);
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res = HTTP_RESPONSE_INIT;

	(void)state;
	req.idempotent = true;
	set_request(&req, "POST", GQL_URL, "{\"query\":\"query Q { a }\"}");
	fake_transport_queue(200,
	                     "X-RateLimit-Requests-Limit: 2500\nX-RateLimit-Requests-Remaining: 3\n"
	                     "X-RateLimit-Requests-Reset: 1700000009000",
	                     "{\"data\":{}}");
	fake_transport_queue(200, NULL, "{\"data\":{}}");
	assert_int_equal(http_client_send(c, &res, &req), 0);
	assert_int_equal(fake_clock_state.sleeps, 0);
	assert_int_equal(http_client_send(c, &res, &req), 0);
	assert_int_equal(fake_clock_state.sleeps, 1);
	assert_int_equal(fake_clock_state.slept[0], 9000);
	http_response_release(&res);
	http_request_release(&req);
	http_client_free(c);
	fake_transport_reset();
}

/* --- the run's deadline ---------------------------------------------------- */

#define LIMITED_BODY                                                         \
	"{\"errors\":[{\"message\":\"Rate limit exceeded\",\"extensions\":{" \
	"\"code\":\"RATELIMITED\",\"statusCode\":429}}]}"

static struct http_client *client_until(long long deadline_ms)
{
	return client_deadline(false, NULL, deadline_ms);
}

static int send_query(struct http_client *c)
{
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res = HTTP_RESPONSE_INIT;
	int r;

	req.idempotent = true;
	req.name = "Q";
	set_request(&req, "POST", GQL_URL, "{\"query\":\"query Q { a }\"}");
	r = http_client_send(c, &res, &req);
	http_response_release(&res);
	http_request_release(&req);
	return r;
}

static void test_deadline_passed(void **state)
{
	struct http_client *c = client_until(NOW);

	(void)state;
	fake_transport_queue(200, NULL, "{\"data\":{}}");
	assert_int_equal(send_query(c), PM_ETIMEOUT);
	assert_int_equal(fake_transport_count(), 0);
	assert_non_null(strstr(pm_error_message(), "no time left before the run's deadline for Q"));
	http_client_free(c);
	fake_transport_reset();
}

static void test_deadline_ratelimit_reset_after(void **state)
{
	struct http_client *c = client_until(NOW + 600000);

	(void)state;
	/* the budget resets in an hour, after the deadline: stop at once */
	fake_transport_queue(400,
	                     "X-RateLimit-Requests-Limit: 2500\nX-RateLimit-Requests-Remaining: 0\n"
	                     "X-RateLimit-Requests-Reset: 1700003600000",
	                     LIMITED_BODY);
	fake_transport_queue(200, NULL, "{\"data\":{}}");
	assert_int_equal(send_query(c), PM_ERATELIMIT);
	assert_int_equal(fake_transport_count(), 1);
	assert_int_equal(fake_clock_state.sleeps, 0);
	assert_non_null(
	        strstr(pm_error_message(),
	               "rate limited until 2023-11-14 23:13:20 UTC, after the run's deadline"));
	http_client_free(c);

	/* a reset before the deadline is waited for, as without one */
	c = client_until(NOW + 600000);
	fake_transport_queue(400,
	                     "X-RateLimit-Requests-Limit: 2500\nX-RateLimit-Requests-Remaining: 0\n"
	                     "X-RateLimit-Requests-Reset: 1700000030000",
	                     LIMITED_BODY);
	fake_transport_queue(200, NULL, "{\"data\":{}}");
	assert_int_equal(send_query(c), 0);
	assert_int_equal(fake_transport_count(), 2);
	assert_int_equal(fake_clock_state.slept_total, 30000);
	http_client_free(c);
	fake_transport_reset();
}

static void test_deadline_bounds_retries(void **state)
{
	struct http_client *c = client_until(NOW + 2000);

	(void)state;
	for (int i = 0; i < 5; i++)
		fake_transport_queue(503, NULL, "busy");
	assert_int_equal(send_query(c), PM_ETIMEOUT);
	assert_true(fake_transport_count() < 5);
	assert_true(fake_clock_state.slept_total < 2000);
	http_client_free(c);

	/* without a deadline the same answers use every attempt */
	c = client_until(0);
	for (int i = 0; i < 5; i++)
		fake_transport_queue(503, NULL, "busy");
	assert_int_equal(send_query(c), 0);
	assert_int_equal(fake_transport_count(), 5);
	http_client_free(c);
	fake_transport_reset();
}

/* Two requests, the first answered with a nearly spent budget resetting in an hour. */
static void send_nearly_spent(long long deadline_ms)
{
	struct http_client *c = client_until(deadline_ms);

	fake_transport_queue(200,
	                     "X-RateLimit-Requests-Limit: 2500\nX-RateLimit-Requests-Remaining: 3\n"
	                     "X-RateLimit-Requests-Reset: 1700003600000",
	                     "{\"data\":{}}");
	fake_transport_queue(200, NULL, "{\"data\":{}}");
	assert_int_equal(send_query(c), 0);
	assert_int_equal(send_query(c), 0);
	http_client_free(c);
	fake_transport_reset();
}

static void test_deadline_skips_pacing(void **state)
{
	(void)state;
	/* the reset lies after the deadline: waiting cannot help, so no pacing */
	send_nearly_spent(NOW + 600000);
	assert_int_equal(fake_clock_state.sleeps, 0);
	/* without a deadline: paced, the wait capped at 60 s */
	send_nearly_spent(0);
	assert_int_equal(fake_clock_state.sleeps, 1);
	assert_int_equal(fake_clock_state.slept[0], 60000);
}

static void test_redact(void **state)
{
	static const char *const cases[][2] = {
	        {"Authorization: lin_api_0123456789abcdef", "Authorization: lin_api_[redacted]"},
	        {"token \"lin_api_abc\", again lin_api_def;", "token \"lin_api_[redacted]\", again "
	                                                      "lin_api_[redacted];"},
	        {"Authorization: Bearer eyJhbGciOi.x.y", "Authorization: Bearer [redacted]"},
	        {"bearer abc", "bearer [redacted]"},
	        {"lin_oauth_123 here", "lin_oauth_[redacted] here"},
	        {"Basic dXNlcjpwYXNz", "Basic [redacted]"},
	        {"lin_api_[redacted]", "lin_api_[redacted]"},
	        {"nothing to hide", "nothing to hide"},
	        {"Bearer ", "Bearer "},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, cases[i][0]);
		http_redact(&sb, linear_tracker_kind.token_prefixes);
		if (strcmp(sb.buf, cases[i][1]))
			fail_msg("redact '%s': got '%s'", cases[i][0], sb.buf);
		strbuf_release(&sb);
	}
}

static void test_log_lines(void **state)
{
	struct log log = {STRBUF_INIT, 0};
	struct http_client *c = client(false, &log);
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res = HTTP_RESPONSE_INIT;

	(void)state;
	req.name = "Viewer";
	req.idempotent = true;
	http_headers_add(&req.headers, "Authorization", "lin_api_supersecret");
	set_request(&req, "POST", GQL_URL "?key=lin_api_supersecret",
	            "{\"query\":\"query Viewer { viewer { id } }\"}");
	fake_transport_queue(500, NULL,
	                     "{\"errors\":[{\"message\":\"boom lin_api_supersecret\"}]}");
	fake_transport_queue(200, NULL, "{\"data\":{}}");
	assert_int_equal(http_client_send(c, &res, &req), 0);
	assert_int_equal(log.lines, 3);
	assert_non_null(strstr(log.text.buf, "linear: POST /graphql Viewer: HTTP 500, 0 ms, "
	                                     "attempt 1\n"));
	assert_non_null(strstr(log.text.buf, "linear: retrying Viewer in 250 ms: server error\n"));
	assert_non_null(strstr(log.text.buf, "linear: POST /graphql Viewer: HTTP 200, 0 ms, "
	                                     "attempt 2\n"));
	assert_null(strstr(log.text.buf, "supersecret"));
	assert_null(strstr(log.text.buf, "Authorization"));
	strbuf_release(&log.text);
	http_response_release(&res);
	http_request_release(&req);
	http_client_free(c);
	fake_transport_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_headers),
	        cmocka_unit_test(test_guard_rule),
	        cmocka_unit_test(test_dry_run_client),
	        cmocka_unit_test(test_retry_then_success),
	        cmocka_unit_test(test_ratelimited_then_success),
	        cmocka_unit_test(test_no_retry_for_unsafe),
	        cmocka_unit_test(test_network_exhausted),
	        cmocka_unit_test(test_body_cap),
	        cmocka_unit_test(test_pacing),
	        cmocka_unit_test(test_deadline_passed),
	        cmocka_unit_test(test_deadline_ratelimit_reset_after),
	        cmocka_unit_test(test_deadline_bounds_retries),
	        cmocka_unit_test(test_deadline_skips_pacing),
	        cmocka_unit_test(test_redact),
	        cmocka_unit_test(test_log_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
