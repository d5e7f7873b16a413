/*
 * Tests of postmortems/ticket.c: ticket references of every kind (keys,
 * Linear, Jira and GitHub URLs, shorthands, other references, none) and
 * what counts as a ticket key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "postmortems/ticket.h"

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
		struct ticket t;
		ticket_read(&t, cases[i].text, strlen(cases[i].text), cases[i].url);
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
		ticket_release(&t);
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
		if (ticket_is_key(cases[i].in, strlen(cases[i].in)) != cases[i].key)
			fail_msg("'%s': want %d", cases[i].in, cases[i].key);
}

/* References written without a link: as one word, named ("PR #12"), or as link text. */
static void test_unlinked_refs(void **state)
{
	static const struct {
		const char *in;
		bool word;    /* ticket_is_ref_word */
		size_t named; /* ticket_unlinked_ref, (size_t)-1 for "none" */
		bool text;    /* ticket_is_ref_text, without a URL */
	} cases[] = {
	        {"#12", true, 0, true},
	        {"acme/images#204", true, 0, true},
	        {"ENG-7", true, (size_t)-1, false},
	        {"https://example.com/x", true, (size_t)-1, false},
	        {"PR #12", false, 0, true},
	        {"see PR #12", false, 4, true},
	        {"see #3", false, 4, true},
	        {"pull request #9", false, 0, true},
	        {"the issue", false, (size_t)-1, true},
	        {"release notes", false, (size_t)-1, false},
	        {"# 12", false, (size_t)-1, false},
	        {"v2#beta", false, (size_t)-1, false},
	        {"", false, (size_t)-1, false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *s = cases[i].in;
		size_t len = strlen(s), named = ticket_unlinked_ref(s, len);
		if (ticket_is_ref_word(s, len) != cases[i].word)
			fail_msg("'%s': ref word %d", s, !cases[i].word);
		if ((named == len ? (size_t)-1 : named) != cases[i].named)
			fail_msg("'%s': named reference at %zu", s, named);
		if (ticket_is_ref_text(s, len, NULL) != cases[i].text)
			fail_msg("'%s': reference text %d", s, !cases[i].text);
	}
	assert_true(ticket_is_ref_text("https://x.test/1", 16, "https://x.test/1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_tickets),
	        cmocka_unit_test(test_ticket_keys),
	        cmocka_unit_test(test_unlinked_refs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
