/*
 * Unit tests of connectors/trackers.c and tracker.c: the table of tracker kinds, and field
 * comparison, descriptions above all: a tracker that keeps rich text hands
 * Markdown back re-serialised, and that must not read as a change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/compat.h"
#include "connectors/tracker.h"
#include "util/xalloc.h"

static const char sent[] =
        "Page the on-call when the queue_age exceeds *10 min*\n\n- Owner: bob\n- Due: 2026-03-10\n"
        "- Postmortem: [Queue backlog](https://example.com/pm.md#action-items)\n\n---\n"
        "Managed by pmsync. Item key: `c1a2`\n";

static void test_description_round_trips(void **unused)
{
	static const struct {
		const char *other;
		bool same;
	} cases[] = {
	        /* re-serialised: escapes, emphasis, list markers, blank lines, last newline */
	        {"Page the on-call when the queue\\_age exceeds _10 min_\n\n* Owner: bob\n+ Due: "
	         "2026-03-10\n- Postmortem: [Queue backlog](https://example.com/pm.md#action-items)"
	         "\n\n\n***\nManaged by pmsync\\. Item key: `c1a2`",
	         true},
	        /* a rewriting nobody listed: a heading, a table pipe, spaces */
	        {"## Page the on-call when the queue_age exceeds 10 min\n\n| Owner: bob |\n> Due: "
	         "2026-03-10\n- Postmortem:  [Queue "
	         "backlog](https://example.com/pm.md#action-items)\n"
	         "Managed by pmsync. Item key: c1a2",
	         true},
	        /* what people change is seen */
	        {"Page the on-call when the queue_age exceeds 15 min\n\n- Owner: bob\n- Due: "
	         "2026-03-10\n"
	         "- Postmortem: [Queue backlog](https://example.com/pm.md#action-items)\n\n---\n"
	         "Managed by pmsync. Item key: `c1a2`\n",
	         false},
	        {"Page the on-call when the queue_age exceeds *10 min*\n\n- Owner: bob\n- Due: "
	         "2026-03-11\n"
	         "- Postmortem: [Queue backlog](https://example.com/pm.md#action-items)\n\n---\n"
	         "Managed by pmsync. Item key: `c1a2`\n",
	         false},
	        /* a link target that moved is a change */
	        {"Page the on-call when the queue_age exceeds *10 min*\n\n- Owner: bob\n- Due: "
	         "2026-03-10\n"
	         "- Postmortem: [Queue "
	         "backlog](https://example.com/renamed.md#action-items)\n\n---\n"
	         "Managed by pmsync. Item key: `c1a2`\n",
	         false},
	        {NULL, false},
	};
	struct tracker_fields a, b;
	size_t i;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		tracker_fields_init(&a);
		tracker_fields_init(&b);
		a.description = xstrdup(sent);
		b.description = xstrdup_or_null(cases[i].other);
		if (!tracker_fields_diff(&a, &b, TF_DESCRIPTION) != cases[i].same)
			fail_msg("case %zu: same=%d expected", i, cases[i].same);
		tracker_fields_release(&a);
		tracker_fields_release(&b);
	}
}

static void test_autolink_reads_as_its_link(void **unused)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;

	(void)unused;
	tracker_text_norm(&x, "see <https://x.example/a_b>");
	tracker_text_norm(&y, "see [https://x.example/a\\_b](https://x.example/a_b)");
	assert_string_equal(x.buf, y.buf);
	assert_string_equal(x.buf, "seehttpsxexampleab");
	strbuf_release(&x);
	strbuf_release(&y);
}

static void test_kinds(void **unused)
{
	const char *const *v;
	bool pat = false;

	(void)unused;
	assert_null(tracker_kind_of(PM_TRACKER_NONE));
	assert_string_equal(tracker_kind_of(PM_TRACKER_LINEAR)->display, "Linear");
	assert_non_null(tracker_kind_of(PM_TRACKER_LINEAR)->open);
	assert_string_equal(tracker_kind_of(PM_TRACKER_JIRA)->name, "jira");
	for (v = tracker_secret_vars(); *v; v++)
		pat = pat || !strcmp(*v, "JIRA_PAT");
	assert_true(pat);
	setenv("LINEAR_ACCESS_TOKEN", "x", 1);
	unsetenv("LINEAR_API_KEY");
	assert_true(tracker_kind_has_token(tracker_kind_of(PM_TRACKER_LINEAR)));
	unsetenv("LINEAR_ACCESS_TOKEN");
	assert_false(tracker_kind_has_token(tracker_kind_of(PM_TRACKER_LINEAR)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_description_round_trips),
	        cmocka_unit_test(test_autolink_reads_as_its_link),
	        cmocka_unit_test(test_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
