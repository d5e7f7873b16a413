/*
 * Unit tests of connectors/graphql.c: which operations a document defines,
 * read through strings, block strings, comments and default values, and the
 * failures that make the dry-run guard fail closed. Also the error code of a
 * GraphQL response.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/compat.h"
#include "connectors/graphql.h"
#include "util/error.h"
#include "util/strbuf.h"

struct doc_case {
	const char *doc;
	int ok;             /* 0: parses; else graphql_operations fails */
	const char *expect; /* the operations, e.g. "Q:Viewer M:-" ('-' anonymous) */
	bool writes;
	const char *what; /* graphql_document_writes description */
};

static const struct doc_case docs[] = {
        {"query Viewer { viewer { id } }", 0, "Q:Viewer", false, ""},
        {"{ viewer { id } }", 0, "Q:-", false, ""},
        {"query { viewer { id } }", 0, "Q:-", false, ""},
        {"mutation IssueBatchCreate($input: IssueBatchCreateInput!) { issueBatchCreate(input: "
         "$input) { success } }",
         0, "M:IssueBatchCreate", true, "mutation 'IssueBatchCreate'"},
        {"mutation { issueUpdate(id: \"x\", input: {}) { success } }", 0, "M:-", true,
         "mutation (anonymous)"},
        {"query A { a } mutation B { b }", 0, "Q:A M:B", true, "mutation 'B'"},
        {"mutation B { b } query A { a }", 0, "M:B Q:A", true, "mutation 'B'"},
        {"# mutation X { x }\nquery Q { a }", 0, "Q:Q", false, ""},
        {"query Q { a(s: \"mutation M { x }\") }", 0, "Q:Q", false, ""},
        {"query Q { a(s: \"} mutation M { x } {\") }", 0, "Q:Q", false, ""},
        {"query Q { a(s: \"\\\" } mutation M {\") }", 0, "Q:Q", false, ""},
        {"query Q { a(s: \"\"\" } mutation M { x }\n \\\"\"\" still \"\"\") }", 0, "Q:Q", false,
         ""},
        {"query Q($f: F = {a: {b: 1}}, $l: [Int] = [1, 2]) @dir(x: {y: 1}) { a }", 0, "Q:Q", false,
         ""},
        {"query Q($m: E = mutation) { a }", 0, "Q:Q", false, ""},
        {"fragment F on Mutation { a } query Q { ...F }", 0, "Q:Q", false, ""},
        {"query Q { ...F } fragment F on Issue { id ... on Issue { title } }", 0, "Q:Q", false, ""},
        {"subscription S { a }", 0, "S:S", true, "subscription 'S'"},
        {"\xef\xbb\xbfquery Q, { a, b }", 0, "Q:Q", false, ""},
        {"query Q { a(n: -1.5e3) }", 0, "Q:Q", false, ""},
        {"query Q { a", -1, NULL, true, "a document that cannot be read"},
        {"query Q { a } }", -1, NULL, true, "a document that cannot be read"},
        {"type Foo { a: Int }", -1, NULL, true, "a document that cannot be read"},
        {"", -1, NULL, true, "a document that cannot be read"},
        {"   # only a comment", -1, NULL, true, "a document that cannot be read"},
        {"query Q { a(s: \"open) }", -1, NULL, true, "a document that cannot be read"},
        {"query Q { a(s: \"x\ny\") }", -1, NULL, true, "a document that cannot be read"},
        {"query Q { a(s: \"\"\"never closed) }", -1, NULL, true, "a document that cannot be read"},
        {"query Q($f: F = {a: 1) { a }", -1, NULL, true, "a document that cannot be read"},
        {"query Q { a } %", -1, NULL, true, "a document that cannot be read"},
        {"query Q { a .. }", -1, NULL, true, "a document that cannot be read"},
};

static void describe(struct strbuf *sb, const struct graphql_ops *ops)
{
	size_t i;

	for (i = 0; i < ops->nr; i++) {
		const char t = ops->v[i].type == GRAPHQL_MUTATION       ? 'M'
		               : ops->v[i].type == GRAPHQL_SUBSCRIPTION ? 'S'
		                                                        : 'Q';
		strbuf_addf(sb, "%s%c:%s", i ? " " : "", t, ops->v[i].name ? ops->v[i].name : "-");
	}
}

static void test_operations(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(docs); i++) {
		const struct doc_case *c = &docs[i];
		struct graphql_ops ops = GRAPHQL_OPS_INIT;
		struct strbuf got = STRBUF_INIT, what = STRBUF_INIT;
		int rc = graphql_operations(&ops, c->doc, strlen(c->doc));
		bool writes;

		if ((rc < 0) != (c->ok < 0))
			fail_msg("case %zu '%s': rc %d (%s)", i, c->doc, rc, pm_error_message());
		if (rc == 0) {
			describe(&got, &ops);
			if (strcmp(got.buf, c->expect))
				fail_msg("case %zu '%s': got '%s', want '%s'", i, c->doc, got.buf,
				         c->expect);
		} else {
			assert_int_equal(rc, PM_EINPUT);
			assert_int_equal(ops.nr, 0);
		}
		writes = graphql_document_writes(c->doc, strlen(c->doc), &what);
		if (writes != c->writes || strcmp(what.buf, c->what))
			fail_msg("case %zu '%s': writes %d '%s'", i, c->doc, writes, what.buf);
		graphql_ops_release(&ops);
		strbuf_release(&got);
		strbuf_release(&what);
	}
}

static void test_length_bounded(void **state)
{
	const char doc[] = "query Q { a } mutation M { b }";

	(void)state;
	/* only the first 13 bytes count: the mutation is past the end */
	assert_false(graphql_document_writes(doc, 13, NULL));
	assert_true(graphql_document_writes(doc, sizeof(doc) - 1, NULL));
}

static void test_error_code(void **state)
{
	char buf[64];
	const char *b1 =
	        "{\"errors\":[{\"message\":\"x\",\"extensions\":{\"code\":\"INPUT_ERROR\"}},"
	        "{\"message\":\"y\",\"extensions\":{\"code\":\"RATELIMITED\"}}]}";
	const char *b2 = "{\"errors\":[{\"message\":\"x\"},{\"extensions\":{\"code\":\"A\"}},"
	                 "{\"extensions\":{\"code\":\"B\"}}]}";
	const char *b3 = "{\"data\":{\"viewer\":{\"id\":\"1\"}}}";
	const char *b4 = "<html>502 Bad Gateway</html>";
	const char *b5 = "{\"errors\":{\"summary\":\"Jira-shaped\"}}";

	(void)state;
	assert_string_equal(graphql_error_code(b1, strlen(b1), buf, sizeof(buf)), "RATELIMITED");
	assert_string_equal(graphql_error_code(b2, strlen(b2), buf, sizeof(buf)), "A");
	assert_null(graphql_error_code(b3, strlen(b3), buf, sizeof(buf)));
	assert_null(graphql_error_code(b4, strlen(b4), buf, sizeof(buf)));
	assert_null(graphql_error_code(b5, strlen(b5), buf, sizeof(buf)));
	assert_null(graphql_error_code("", 0, buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_operations),
	        cmocka_unit_test(test_length_bounded),
	        cmocka_unit_test(test_error_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
