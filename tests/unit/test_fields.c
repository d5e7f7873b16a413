/*
 * Tests of postmortems/fields.c, the cell-value readers: every reader is a
 * table of inputs as they appear in real postmortems and the value pmsync
 * must read from each (owners and their "none" spellings, status words
 * glued to ticket cells, column names and synonyms, placeholders, levers).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "postmortems/fields.h"
#include "util/strbuf.h"

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

static void test_status(void **state)
{
	static const struct {
		const char *in;
		enum fields_status want;
	} cases[] = {
	        {"done", FIELDS_STATUS_DONE},
	        {"DONE", FIELDS_STATUS_DONE},
	        {"**DONE**", FIELDS_STATUS_DONE},
	        {"Done.", FIELDS_STATUS_DONE},
	        {"closed", FIELDS_STATUS_DONE},
	        {"Fixed", FIELDS_STATUS_DONE},
	        {"resolved", FIELDS_STATUS_DONE},
	        {"complete", FIELDS_STATUS_DONE},
	        {"Completed", FIELDS_STATUS_DONE},
	        {"\xe2\x9c\x85", FIELDS_STATUS_DONE},
	        {"TODO", FIELDS_STATUS_OPEN},
	        {"TODO.", FIELDS_STATUS_OPEN},
	        {"open", FIELDS_STATUS_OPEN},
	        {"In progress", FIELDS_STATUS_OPEN},
	        {"", FIELDS_STATUS_NONE},
	        {"Bug #5 DONE", FIELDS_STATUS_NONE},
	        {"donezo", FIELDS_STATUS_NONE},
	        {"doing", FIELDS_STATUS_OPEN},
	        {"WIP", FIELDS_STATUS_OPEN},
	        {"\xf0\x9f\x9a\xa7", FIELDS_STATUS_OPEN},
	        {"\xe2\x8f\xb3", FIELDS_STATUS_OPEN},
	        {"\xe2\x9d\x8c", FIELDS_STATUS_OPEN},
	        {"canceled", FIELDS_STATUS_CANCELED},
	        {"Cancelled.", FIELDS_STATUS_CANCELED},
	        {"won't do", FIELDS_STATUS_CANCELED},
	        {"won\xe2\x80\x99t do", FIELDS_STATUS_CANCELED},
	        {"WONTFIX", FIELDS_STATUS_CANCELED},
	        {"**Dropped**", FIELDS_STATUS_CANCELED},
	        {"not doing", FIELDS_STATUS_CANCELED},
	        {"obsolete", FIELDS_STATUS_CANCELED},
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_owners),       cmocka_unit_test(test_status),
	        cmocka_unit_test(test_split_status), cmocka_unit_test(test_columns),
	        cmocka_unit_test(test_placeholders), cmocka_unit_test(test_levers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
