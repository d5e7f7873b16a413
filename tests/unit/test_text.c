/*
 * Tests of postmortems/text.c: trimming of Unicode spaces, white space
 * collapsing, and plain text from raw Markdown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "postmortems/text.h"
#include "util/strbuf.h"

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
		text_md_to_plain(&out, cases[i].in, strlen(cases[i].in));
		assert_string_equal(out.buf, cases[i].want);
		strbuf_release(&out);
	}
}

static void test_trim_and_collapse(void **state)
{
	const char *s = "\xef\xbb\xbf\xc2\xa0 value\xe2\x80\x8b \r";
	size_t len = strlen(s);
	struct strbuf out = STRBUF_INIT;
	bool space = false;
	char *dup;

	(void)state;
	text_trim(&s, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(s, "value", 5);
	s = "  a \r\n b\xc2\xa0\xc2\xa0 c  ";
	text_add_collapsed(&out, &space, s, strlen(s));
	assert_string_equal(out.buf, "a b c");
	assert_true(space);
	strbuf_release(&out);
	dup = text_dup_trimmed(" \t ", 3);
	assert_null(dup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_md_to_plain),
	        cmocka_unit_test(test_trim_and_collapse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
