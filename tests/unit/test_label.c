/*
 * Tests of postmortems/label.c: headings as written, normalized, against the
 * action-heading patterns, as prefix, suffix or whole label.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "postmortems/label.h"
#include "util/strbuf.h"

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
		label_normalize(&norm, cases[i].heading, strlen(cases[i].heading));
		if (label_matches(norm.buf, cases[i].pattern, cases[i].whole) != cases[i].match)
			fail_msg("'%s' (normalized '%s') vs '%s': want %d", cases[i].heading,
			         norm.buf, cases[i].pattern, cases[i].match);
		strbuf_release(&norm);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_normalize_and_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
