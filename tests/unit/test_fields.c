/*
 * Tests of postmortems/fields.c, the cell-value readers: every reader is a
 * table of inputs as they appear in real postmortems and the value pmsync
 * must read from each (dates in their spellings and invalid calendars,
 * owners and their "none" spellings, ticket references of every kind,
 * status words glued to ticket cells, column names and synonyms,
 * placeholders, heading labels, plain text from raw Markdown).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "postmortems/fields.h"
#include "util/strbuf.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_dates(void **state)
{
	static const struct {
		const char *in;
		const char *want; /* NULL: not a date */
	} cases[] = {
	        {"2026-05-01", "2026-05-01"},
	        {"2026-5-1", "2026-05-01"},
	        {"2026/05/01", "2026-05-01"},
	        {" 2026-05-01 ", "2026-05-01"},
	        {"May 1, 2026", "2026-05-01"},
	        {"May 1 2026", "2026-05-01"},
	        {"may 01, 2026", "2026-05-01"},
	        {"Sept. 3, 2026", "2026-09-03"},
	        {"1 May 2026", "2026-05-01"},
	        {"7th September, 2025.", "2025-09-07"},
	        {"July 1, 2020", "2020-07-01"},
	        {"Sat 20th Sep 2025", "2025-09-20"},
	        {"2024-02-29", "2024-02-29"},
	        {"2000-02-29", "2000-02-29"},
	        {"1900-02-29", NULL},
	        {"2026-02-29", NULL},
	        {"2026-02-30", NULL},
	        {"2026-13-01", NULL},
	        {"2026-00-10", NULL},
	        {"2026-04-31", NULL},
	        {"20260501", NULL},
	        {"2026-05-01T10:00", NULL},
	        {"05/01/2026", NULL},
	        {"next sprint", NULL},
	        {"Q3 2026", NULL},
	        {"", NULL},
	        {"Mayday 1, 2026", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char out[11] = "";
		bool ok = fields_date(out, cases[i].in, strlen(cases[i].in));
		if (!cases[i].want) {
			if (ok)
				fail_msg("'%s' read as %s", cases[i].in, out);
			continue;
		}
		if (!ok)
			fail_msg("'%s' not read", cases[i].in);
		assert_string_equal(out, cases[i].want);
	}
}

static void test_date_prefix(void **state)
{
	static const struct {
		const char *in;
		size_t used;
		const char *want;
	} cases[] = {
	        {"2026-01-02 10:00 UTC", 10, "2026-01-02"},
	        {"2025-01-15T04:12:00+09:00", 10, "2025-01-15"},
	        {"6th November, 2025 between 12.39UTC", 18, "2025-11-06"},
	        {"July 1, 2020 (a Wednesday)", 12, "2020-07-01"},
	        {"2026-01-02x", 10, "2026-01-02"},
	        {"20252-01-16", 0, NULL},
	        {"sometime in May", 0, NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char out[11] = "";
		size_t used = fields_date_prefix(out, cases[i].in, strlen(cases[i].in));
		assert_int_equal(used, cases[i].used);
		if (cases[i].want)
			assert_string_equal(out, cases[i].want);
	}
}

static void test_owners(void **state)
{
	static const struct {
		const char *in;
		const char *want;
	} cases[] = {
	        {"@alice", "alice"},
	        {" alice ", "alice"},
	        {"Ana Lima", "Ana Lima"},
	        {"@alice, @bob", "alice, bob"},
	        {"oncall@example.com", "oncall@example.com"},
	        {"Core team", "Core team"},
	        {"???", NULL},
	        {"??", NULL},
	        {"n/a", NULL},
	        {"N/A", NULL},
	        {"-", NULL},
	        {"\xe2\x80\x94", NULL},
	        {"TBD", NULL},
	        {"none", NULL},
	        {"", NULL},
	        {"   ", NULL},
	        {"\xc2\xa0\xe2\x80\x8b", NULL},
	        {"@", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = fields_owner(cases[i].in, strlen(cases[i].in));
		if (!cases[i].want) {
			if (got)
				fail_msg("'%s' read as owner '%s'", cases[i].in, got);
		} else {
			assert_non_null(got);
			assert_string_equal(got, cases[i].want);
		}
		free(got);
	}
}

static void test_tickets(void **state)
{
	static const struct {
		const char *text;
		const char *url;
		enum pm_ticket_kind kind;
		const char *ticket;
		const char *key;
	} cases[] = {
	        {"ENG-123", NULL, PM_TICKET_KEY, "ENG-123", "ENG-123"},
	        {"OPS-45 (in review)", NULL, PM_TICKET_KEY, "OPS-45 (in review)", "OPS-45"},
	        {"https://linear.app/acme/issue/ENG-124/canary-deploys", NULL, PM_TICKET_URL,
	         "https://linear.app/acme/issue/ENG-124/canary-deploys", "ENG-124"},
	        {"https://acme.atlassian.net/browse/OPS-45", NULL, PM_TICKET_URL,
	         "https://acme.atlassian.net/browse/OPS-45", "OPS-45"},
	        {"board",
	         "https://acme.atlassian.net/jira/software/projects/OPS/boards/"
	         "1?selectedIssue=OPS-9",
	         PM_TICKET_URL,
	         "https://acme.atlassian.net/jira/software/projects/OPS/boards/"
	         "1?selectedIssue=OPS-9",
	         "OPS-9"},
	        {"https://github.com/acme/store/issues/1404", NULL, PM_TICKET_GITHUB,
	         "https://github.com/acme/store/issues/1404", NULL},
	        {"PR", "https://github.com/acme/store/pull/1491", PM_TICKET_GITHUB,
	         "https://github.com/acme/store/pull/1491", NULL},
	        {"acme/payments#77", NULL, PM_TICKET_GITHUB, "acme/payments#77", NULL},
	        {"https://github.com/acme/store/commit/1fc9f7e3", NULL, PM_TICKET_OTHER,
	         "https://github.com/acme/store/commit/1fc9f7e3", NULL},
	        {"Bug #90210", NULL, PM_TICKET_OTHER, "Bug #90210", NULL},
	        {"#318", NULL, PM_TICKET_OTHER, "#318", NULL},
	        {"CVE-2024-12345", NULL, PM_TICKET_OTHER, "CVE-2024-12345", NULL},
	        {"n/a", NULL, PM_TICKET_NONE, NULL, NULL},
	        {"", NULL, PM_TICKET_NONE, NULL, NULL},
	        {"-", NULL, PM_TICKET_NONE, NULL, NULL},
	        {"see notes", "#in-page-anchor", PM_TICKET_OTHER, "see notes", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fields_ticket t;
		fields_ticket(&t, cases[i].text, strlen(cases[i].text), cases[i].url);
		if (t.kind != cases[i].kind)
			fail_msg("'%s': kind %d, want %d", cases[i].text, t.kind, cases[i].kind);
		if (cases[i].ticket)
			assert_string_equal(t.ticket, cases[i].ticket);
		else
			assert_null(t.ticket);
		if (cases[i].key)
			assert_string_equal(t.key, cases[i].key);
		else
			assert_null(t.key);
		fields_ticket_release(&t);
	}
}

static void test_ticket_keys(void **state)
{
	static const struct {
		const char *in;
		bool key;
	} cases[] = {
	        {"ENG-1", true},         {"OPS-45", true},          {"A1B-99", true},
	        {"eng-1", false},        {"ENG-", false},           {"-12", false},
	        {"ENG-12a", false},      {"CVE-2024-12345", false}, {"ENG 12", false},
	        {"E-1234567890", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (fields_is_ticket_key(cases[i].in, strlen(cases[i].in)) != cases[i].key)
			fail_msg("'%s': want %d", cases[i].in, cases[i].key);
}

static void test_status(void **state)
{
	static const struct {
		const char *in;
		enum fields_status want;
	} cases[] = {
	        {"done", FIELDS_STATUS_DONE},      {"DONE", FIELDS_STATUS_DONE},
	        {"**DONE**", FIELDS_STATUS_DONE},  {"Done.", FIELDS_STATUS_DONE},
	        {"closed", FIELDS_STATUS_DONE},    {"Fixed", FIELDS_STATUS_DONE},
	        {"resolved", FIELDS_STATUS_DONE},  {"complete", FIELDS_STATUS_DONE},
	        {"Completed", FIELDS_STATUS_DONE}, {"\xe2\x9c\x85", FIELDS_STATUS_DONE},
	        {"TODO", FIELDS_STATUS_OPEN},      {"TODO.", FIELDS_STATUS_OPEN},
	        {"open", FIELDS_STATUS_OPEN},      {"In progress", FIELDS_STATUS_OPEN},
	        {"", FIELDS_STATUS_NONE},          {"Bug #5 DONE", FIELDS_STATUS_NONE},
	        {"donezo", FIELDS_STATUS_NONE},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (fields_status_word(cases[i].in, strlen(cases[i].in)) != cases[i].want)
			fail_msg("'%s': want %d", cases[i].in, cases[i].want);
}

static void test_split_status(void **state)
{
	static const struct {
		const char *in;
		enum fields_status want;
		const char *rest;
		const char *word;
	} cases[] = {
	        {"n/a DONE", FIELDS_STATUS_DONE, "n/a", "DONE"},
	        {"Bug #90210 TODO", FIELDS_STATUS_OPEN, "Bug #90210", "TODO"},
	        {"Bug 7781 **TODO**", FIELDS_STATUS_OPEN, "Bug 7781", "**TODO**"},
	        {"**DONE**", FIELDS_STATUS_DONE, "", "**DONE**"},
	        {"TODO.", FIELDS_STATUS_OPEN, "", "TODO."},
	        {"  DONE  ", FIELDS_STATUS_DONE, "", "DONE"},
	        {"ENG-12", FIELDS_STATUS_NONE, NULL, NULL},
	        {"", FIELDS_STATUS_NONE, NULL, NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *s = cases[i].in;
		size_t rest = 99, off = 99, len = 99;
		enum fields_status st = fields_split_status(s, strlen(s), &rest, &off, &len);
		assert_int_equal(st, cases[i].want);
		if (!cases[i].rest)
			continue;
		assert_int_equal(rest, strlen(cases[i].rest));
		assert_memory_equal(s, cases[i].rest, rest);
		assert_int_equal(len, strlen(cases[i].word));
		assert_memory_equal(s + off, cases[i].word, len);
	}
}

static void test_columns(void **state)
{
	static const struct {
		const char *in;
		enum fields_column want;
	} cases[] = {
	        {"Action", FIELDS_COL_ACTION},
	        {"Action Item", FIELDS_COL_ACTION},
	        {"Action Items", FIELDS_COL_ACTION},
	        {" action item ", FIELDS_COL_ACTION},
	        {"Item", FIELDS_COL_ACTION},
	        {"Task", FIELDS_COL_ACTION},
	        {"What", FIELDS_COL_ACTION},
	        {"Description", FIELDS_COL_ACTION},
	        {"Mesure \xc3\xa0 prendre", FIELDS_COL_ACTION},
	        {"Owner", FIELDS_COL_OWNER},
	        {"Who", FIELDS_COL_OWNER},
	        {"Assignee", FIELDS_COL_OWNER},
	        {"DRI", FIELDS_COL_OWNER},
	        {"Responsable", FIELDS_COL_OWNER},
	        {"Due", FIELDS_COL_DUE},
	        {"Due Date", FIELDS_COL_DUE},
	        {"Deadline", FIELDS_COL_DUE},
	        {"Target", FIELDS_COL_DUE},
	        {"By", FIELDS_COL_DUE},
	        {"Type", FIELDS_COL_LEVER},
	        {"Type (Mitigate/ Prevent/ Process/ Other)", FIELDS_COL_LEVER},
	        {"Lever", FIELDS_COL_LEVER},
	        {"Kind", FIELDS_COL_LEVER},
	        {"Category", FIELDS_COL_LEVER},
	        {"Ticket", FIELDS_COL_TICKET},
	        {"Bug", FIELDS_COL_TICKET},
	        {"Bug #", FIELDS_COL_TICKET},
	        {"Issue #", FIELDS_COL_TICKET},
	        {"# de probl\xc3\xa8me", FIELDS_COL_TICKET},
	        {"Jira", FIELDS_COL_TICKET},
	        {"Linear", FIELDS_COL_TICKET},
	        {"Link", FIELDS_COL_TICKET},
	        {"Reference", FIELDS_COL_TICKET},
	        {"Status", FIELDS_COL_STATUS},
	        {"State", FIELDS_COL_STATUS},
	        {"Done", FIELDS_COL_STATUS},
	        {"Complet", FIELDS_COL_STATUS},
	        {"Priority", FIELDS_COL_PRIORITY},
	        {"Niveau de priorit\xc3\xa9", FIELDS_COL_PRIORITY},
	        {"ID", FIELDS_COL_ID},
	        {"#", FIELDS_COL_ID},
	        {"Notes", FIELDS_COL_OTHER},
	        {"", FIELDS_COL_OTHER},
	        {"Time To Detect", FIELDS_COL_OTHER},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (fields_column(cases[i].in, strlen(cases[i].in)) != cases[i].want)
			fail_msg("'%s': want %d", cases[i].in, cases[i].want);
}

static void test_placeholders(void **state)
{
	static const struct {
		const char *in;
		bool placeholder;
	} cases[] = {
	        {"", true},
	        {"...", true},
	        {"\xe2\x80\xa6", true},
	        {"... another item", true},
	        {"N/A", true},
	        {"-", true},
	        {"TBD", true},
	        {"{{ action }} [link to the issue]", true},
	        {"{{ summary }}", true},
	        {"[the issue]", true},
	        {"DONE", true},
	        {"Patch the proxy [details to come].", false},
	        {"#318", false},
	        {"Fix it", false},
	        {"\xe5\x86\x8d\xe7\x99\xba\xe9\x98\xb2\xe6\xad\xa2", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (fields_is_placeholder(cases[i].in, strlen(cases[i].in)) != cases[i].placeholder)
			fail_msg("'%s': want %d", cases[i].in, cases[i].placeholder);
}

static void test_normalize_and_labels(void **state)
{
	static const struct {
		const char *heading;
		const char *pattern;
		bool whole;
		bool match;
	} cases[] = {
	        {"Action items", "action item", false, true},
	        {"Action Items:", "action item", false, true},
	        {"Action Items & Followups", "action item", false, true},
	        {"New Action Items", "action item", false, true},
	        {"Previous Action Item Review", "action item", false, false},
	        {"Corrective Actions with Owners", "corrective action", false, true},
	        {"Corrective and preventative measures", "corrective and prevent", false, true},
	        {"Corrective and Preventative Measure ", "corrective and prevent", false, true},
	        {"Follow-ups", "follow up", false, true},
	        {"Follow-up improvements", "follow up", false, true},
	        {"Next Steps", "next step", false, true},
	        {"\xc3\x89l\xc3\xa9ments d\xe2\x80\x99"
	         "action\xc2\xa0:",
	         "\xc3\xa9l\xc3\xa9ments d action", false, true},
	        {"Action Items", "action item", true, true},
	        {"Action Items are below", "action item", true, false},
	        {"Actions taken", "action item", false, false},
	        {"Remediation", "remediation", false, true},
	        {"Timeline", "remediation", false, false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf norm = STRBUF_INIT;
		fields_normalize(&norm, cases[i].heading, strlen(cases[i].heading));
		if (fields_label_matches(norm.buf, cases[i].pattern, cases[i].whole) !=
		    cases[i].match)
			fail_msg("'%s' (normalized '%s') vs '%s': want %d", cases[i].heading,
			         norm.buf, cases[i].pattern, cases[i].match);
		strbuf_release(&norm);
	}
}

static void test_md_to_plain(void **state)
{
	static const struct {
		const char *in;
		const char *want;
	} cases[] = {
	        {"**bold** and _em_", "bold and em"},
	        {"`code | span`", "code | span"},
	        {"a \\| b", "a | b"},
	        {"[PR](https://x/1) in fork", "PR in fork"},
	        {"![img](a.png) text", "text"},
	        {"snake_case_name", "snake_case_name"},
	        {"reaching ~100%", "reaching ~100%"},
	        {"~~gone~~ kept", "gone kept"},
	        {"a &amp; b &lt;c&gt; &#39;d&#39;", "a & b <c> 'd'"},
	        {"x<br>y", "x y"},
	        {"<https://example.com/a>", "https://example.com/a"},
	        {"  lots   of\tspace  ", "lots of space"},
	        {"zero\xe2\x80\x8bwidth", "zerowidth"},
	        {"<!-- comment -->text", "text"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf out = STRBUF_INIT;
		fields_md_to_plain(&out, cases[i].in, strlen(cases[i].in));
		assert_string_equal(out.buf, cases[i].want);
		strbuf_release(&out);
	}
}

static void test_levers(void **state)
{
	char *l;

	(void)state;
	assert_true(fields_is_lever("alert", 5, NULL));
	assert_true(fields_is_lever("Runbook", 7, NULL));
	assert_false(fields_is_lever("critical fix", 12, NULL));
	l = fields_lever(" Mitigate ", 10);
	assert_string_equal(l, "mitigate");
	free(l);
	l = fields_lever("\xc3\x89VAL", 5);
	assert_string_equal(l, "\xc3\xa9val");
	free(l);
	assert_null(fields_lever("", 0));
	assert_null(fields_lever("n/a", 3));
}

static void test_trim_and_collapse(void **state)
{
	const char *s = "\xef\xbb\xbf\xc2\xa0 value\xe2\x80\x8b \r";
	size_t len = strlen(s);
	struct strbuf out = STRBUF_INIT;
	bool space = false;
	char *dup;

	(void)state;
	fields_trim(&s, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(s, "value", 5);
	s = "  a \r\n b\xc2\xa0\xc2\xa0 c  ";
	fields_add_collapsed(&out, &space, s, strlen(s));
	assert_string_equal(out.buf, "a b c");
	assert_true(space);
	strbuf_release(&out);
	dup = fields_dup_trimmed(" \t ", 3);
	assert_null(dup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_dates),
	        cmocka_unit_test(test_date_prefix),
	        cmocka_unit_test(test_owners),
	        cmocka_unit_test(test_tickets),
	        cmocka_unit_test(test_ticket_keys),
	        cmocka_unit_test(test_status),
	        cmocka_unit_test(test_split_status),
	        cmocka_unit_test(test_columns),
	        cmocka_unit_test(test_placeholders),
	        cmocka_unit_test(test_normalize_and_labels),
	        cmocka_unit_test(test_md_to_plain),
	        cmocka_unit_test(test_levers),
	        cmocka_unit_test(test_trim_and_collapse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
