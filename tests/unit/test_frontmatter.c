/*
 * Tests of postmortems/frontmatter.c: each row is a file start and the
 * fields it must give ("name=value@line" joined with ";"), or none when the
 * block is not front matter (no closing line, not at the top).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "postmortems/frontmatter.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static char *describe(const struct frontmatter *fm)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < fm->nr; i++)
		strbuf_addf(&sb, "%s%s=%s@%d", i ? ";" : "", fm->v[i].name, fm->v[i].value,
		            fm->v[i].line);
	return strbuf_detach(&sb, NULL);
}

static void test_fields(void **state)
{
	static const struct {
		const char *in;
		const char *want;
		bool present;
		int body_line;
	} cases[] = {
	        {"---\ntitle: Payments outage\ndate: 2026-01-15\n---\n# T\n",
	         "title=Payments outage@2;date=2026-01-15@3", true, 5},
	        {"---\r\ntitle: CRLF\r\nseverity: SEV1\r\n---\r\nbody",
	         "title=CRLF@2;severity=SEV1@3", true, 5},
	        {"---\ntitle: \"Quoted: \\\"yes\\\"\"\nalt: 'it''s'\n---\n",
	         "title=Quoted: \"yes\"@2;alt=it's@3", true, 5},
	        {"---\ntags: [payments, api, \"on-call\", 'x, y']\n---\n",
	         "tags=payments, api, on-call, x, y@2", true, 4},
	        {"---\ntags:\n  - a\n  - b\ncategories:\n- cloud\n---\n",
	         "tags=a, b@2;categories=cloud@5", true, 8},
	        {"---\ntitle: x\n\nsummary: long\n\n---\nbody\n", "title=x@2;summary=long@4", true,
	         7},
	        {"---\nsummary: >\n  folded\n  text\nnext: 1\n---\n",
	         "summary=folded text@2;next=1@5", true, 7},
	        {"---\nsummary: |\n  line one\n  line two\n---\n", "summary=line one\nline two@2",
	         true, 6},
	        {"---\nsummary: a plain\n  scalar folded\n---\n", "summary=a plain scalar folded@2",
	         true, 5},
	        {"---\nseverity: SEV2 # the middle one\nurl: https://x/#anchor\n---\n",
	         "severity=SEV2@2;url=https://x/#anchor@3", true, 5},
	        {"---\n# a comment\nowner:\n  name: Alice\n  team: SRE\n---\n",
	         "owner.name=Alice@4;owner.team=SRE@5", true, 7},
	        {"---\nempty:\nafter: 1\n---\n", "empty=@2;after=1@3", true, 5},
	        {"---\ndetection_chain_minutes: 17\n...\nbody", "detection_chain_minutes=17@2",
	         true, 4},
	        {"---\ntitle: never closed\n# Heading\n", "", false, 1},
	        {"# Title\n---\ntitle: not front matter\n---\n", "", false, 1},
	        {"---", "", false, 1},
	        {"", "", false, 1},
	        {"---\n---\n", "", true, 3},
	        {"---\nmulti: [a,\n  b]\n---\n", "multi=a, b@2", true, 5},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct frontmatter fm = FRONTMATTER_INIT;
		char *got;
		assert_int_equal(frontmatter_parse(&fm, cases[i].in, strlen(cases[i].in)), 0);
		got = describe(&fm);
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: got '%s', want '%s'", i, got, cases[i].want);
		assert_int_equal(fm.present, cases[i].present);
		assert_int_equal(fm.body_line, cases[i].body_line);
		free(got);
		frontmatter_release(&fm);
	}
}

static void test_body_offset(void **state)
{
	const char *text = "---\ntitle: T\n---\n# Body\n";
	struct frontmatter fm = FRONTMATTER_INIT;

	(void)state;
	frontmatter_parse(&fm, text, strlen(text));
	assert_string_equal(text + fm.body_offset, "# Body\n");
	assert_string_equal(frontmatter_get(&fm, "title"), "T");
	assert_null(frontmatter_get(&fm, "date"));
	frontmatter_release(&fm);
	assert_int_equal(fm.nr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_fields),
	        cmocka_unit_test(test_body_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
