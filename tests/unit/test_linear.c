/*
 * Unit tests of the Linear connector's pure functions: aliases of batched
 * mutations, refs and URLs, the recorded form of what pmsync wrote, and
 * what an error body says to the retry policy. Everything that crosses the
 * HTTP seam is a data case of tests/data/linear/, run by
 * tests/unit/test_connector_data.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "connectors/http.h"
#include "connectors/linear/linear.h"
#include "connectors/retry.h"
#include "connectors/tracker.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void fields_set(struct tracker_fields *fl, const char *title, const char *label2)
{
	tracker_fields_init(fl);
	fl->title = xstrdup(title);
	fl->description = xstrdup("Runbook: *restart* {the} \"db\"");
	fl->assignee_id = xstrdup("u-alice");
	fl->due = xstrdup("2024-06-30");
	fl->priority = 3;
	strlist_add(&fl->labels, "pmsync");
	if (label2)
		strlist_add(&fl->labels, label2);
}

static void test_alias_parse(void **state)
{
	static const struct {
		const char *alias;
		long index, sub;
	} cases[] = {
	        {"u3", 3, -1},   {"m12d0", 12, 0}, {"m3d10", 3, 10}, {"c0", 0, -1},
	        {"m3d", -1, -1}, {"3", -1, -1},    {"m3x", -1, -1},  {"m3d1x2", -1, -1},
	        {"", -1, -1},    {"m", -1, -1},    {"m-1", -1, -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		long sub, index = linear_alias_parse(cases[i].alias, &sub);
		if (index != cases[i].index || (index >= 0 && sub != cases[i].sub))
			fail_msg("'%s': %ld/%ld, expected %ld/%ld", cases[i].alias, index, sub,
			         cases[i].index, cases[i].sub);
	}
	assert_int_equal(linear_alias_parse(NULL, &(long){0}), -1);
}

static void test_ref_parse(void **state)
{
	static const struct {
		const char *ref;
		const char *key;
		long number;
	} cases[] = {
	        {"ENG-12", "ENG", 12},
	        {" eng-12 ", "ENG", 12},
	        {"A1_B-7", "A1_B", 7},
	        {"https://linear.app/acme/issue/ENG-12/fix-the-thing", "ENG", 12},
	        {"https://linear.app/acme/issue/ENG-12", "ENG", 12},
	        {"linear.app/acme/issue/ENG-12?x=1", "ENG", 12},
	        {"https://linear.app/acme/project/foo-12", NULL, 0},
	        {"https://example.com/acme/issue/ENG-12", NULL, 0},
	        {"ENG-0", NULL, 0},
	        {"ENG-12a", NULL, 0},
	        {"1ENG-12", NULL, 0},
	        {"-12", NULL, 0},
	        {"ENG-99999999999", NULL, 0},
	        {"", NULL, 0},
	};
	struct strbuf key = STRBUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		long n = -1;
		bool ok = linear_ref_parse(cases[i].ref, &key, &n);
		if (ok != (cases[i].key != NULL) ||
		    (ok && (strcmp(key.buf, cases[i].key) || n != cases[i].number)))
			fail_msg("'%s': ok=%d key='%s' n=%ld", cases[i].ref, ok, key.buf, n);
	}
	strbuf_release(&key);
}

static void test_written_roundtrip(void **state)
{
	struct tracker_fields a, b;
	struct strbuf sb = STRBUF_INIT;
	json_t *s;

	(void)state;
	fields_set(&a, "T\xff bad utf-8", "lever:test");
	free(a.assignee_id);
	a.assignee_id = NULL;
	a.priority = -1;
	linear_written_json(&sb, &a);
	assert_string_equal(sb.buf, "{\"title\":\"T\xef\xbf\xbd bad utf-8\",\"description\":"
	                            "\"Runbook: *restart* {the} \\\"db\\\"\",\"assigneeId\":null,"
	                            "\"dueDate\":\"2024-06-30\",\"labels\":[\"pmsync\","
	                            "\"lever:test\"]}");
	s = json_string(sb.buf);
	assert_true(linear_written_read(&b, s));
	assert_string_equal(b.title, "T\xef\xbf\xbd bad utf-8");
	assert_null(b.assignee_id);
	assert_int_equal(b.priority, -1);
	assert_int_equal(b.labels.nr, 2);
	assert_int_equal(tracker_fields_diff(&a, &b, TF_ALL & ~TF_TITLE), 0);
	tracker_fields_release(&b);
	json_decref(s);
	s = json_string("{\"title\":3}");
	assert_false(linear_written_read(&b, s));
	json_decref(s);
	s = json_string("not json");
	assert_false(linear_written_read(&b, s));
	json_decref(s);
	tracker_fields_release(&a);
	strbuf_release(&sb);
}

/* What a body says to the retry policy: by extensions.code or .type, a rate limit first. */
static void test_body_reason(void **unused)
{
	static const struct {
		const char *body;
		enum retry_reason want;
	} cases[] = {
	        {"{\"errors\":[{\"extensions\":{\"code\":\"RATELIMITED\"}}]}", RETRY_RATELIMIT},
	        {"{\"errors\":[{\"extensions\":{\"type\":\"ratelimited\"}}]}", RETRY_RATELIMIT},
	        {"{\"errors\":[{\"extensions\":{\"type\":\"invalid input\"}},"
	         "{\"extensions\":{\"type\":\"Ratelimited\"}}]}",
	         RETRY_RATELIMIT},
	        {"{\"errors\":[{\"extensions\":{\"type\":\"authentication error\"}}]}", RETRY_AUTH},
	        {"{\"errors\":[{\"extensions\":{\"type\":\"forbidden\"}}]}", RETRY_AUTH},
	        {"{\"errors\":[{\"extensions\":{\"type\":\"usage limit exceeded\"}}]}",
	         RETRY_USAGE},
	        {"{\"errors\":[{\"extensions\":{\"code\":\"INPUT_ERROR\",\"type\":"
	         "\"invalid input\"}}]}",
	         RETRY_INVALID},
	        {"{\"errors\":[{\"extensions\":{\"userError\":true}}]}", RETRY_INVALID},
	        /* Linear's own failures: the status decides, a create is never blindly retried */
	        {"{\"errors\":[{\"extensions\":{\"type\":\"internal error\"}}]}", RETRY_NONE},
	        {"{\"errors\":[{\"extensions\":{\"code\":\"SOMETHING\"}}]}", RETRY_NONE},
	        {"{\"data\":{}}", RETRY_NONE},
	        {"<html>bad gateway</html>", RETRY_NONE},
	};
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct http_response res = HTTP_RESPONSE_INIT;
		int got;
		res.status = 400;
		strbuf_addstr(&res.body, cases[i].body);
		got = linear_body_reason(&res);
		if (got != (int)cases[i].want)
			fail_msg("%s: got %s", cases[i].body,
			         retry_reason_name((enum retry_reason)got));
		http_response_release(&res);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_alias_parse),
	        cmocka_unit_test(test_ref_parse),
	        cmocka_unit_test(test_written_roundtrip),
	        cmocka_unit_test(test_body_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
