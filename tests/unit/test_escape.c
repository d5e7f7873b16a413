/*
 * Tests of util/escape.c: repository text made inert for terminals and CI
 * logs (control characters, bidirectional overrides, invalid UTF-8 shown),
 * and cleaned for trackers (dropped, newlines kept only in descriptions).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "util/escape.h"
#include "util/strbuf.h"

static void test_text(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	        {"plain text", "plain text"},
	        {"café – naïve ✓ 日本", "café – naïve ✓ 日本"},
	        {"x\n::warning title=Injected::Forged.md",
	         "x\\n::warning title=Injected::Forged.md"},
	        {"a\tb\rc", "a\\tb\\rc"},
	        {"\x1b[2Jclear", "\\x1B[2Jclear"},
	        {"del\x7f", "del\\x7F"},
	        {"c1 \xc2\x9b", "c1 \\u{009B}"},
	        {"evil\xe2\x80\xaetxt.md", "evil\\u{202E}txt.md"},
	        {"\xe2\x81\xa6isolate\xe2\x81\xa9", "\\u{2066}isolate\\u{2069}"},
	        {"line\xe2\x80\xa8sep", "line\\u{2028}sep"},
	        {"joiner \xe2\x80\x8d stays", "joiner \xe2\x80\x8d stays"},
	        {"bad \xff byte", "bad \\xFF byte"},
	        {"overlong \xc0\xaf", "overlong \\xC0\\xAF"},
	        {"cut \xe2\x80", "cut \\xE2\\x80"},
	        {"surrogate \xed\xa0\x80", "surrogate \\xED\\xA0\\x80"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		esc_text(&sb, cases[i].in);
		if (strcmp(sb.buf, cases[i].out))
			fail_msg("case %zu: got '%s', want '%s'", i, sb.buf, cases[i].out);
		if (esc_needed(cases[i].in) != (strcmp(cases[i].in, cases[i].out) != 0))
			fail_msg("case %zu: esc_needed is wrong", i);
		strbuf_release(&sb);
	}
}

static void test_dup_and_len(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *d;

	(void)state;
	assert_null(esc_dup(NULL));
	d = esc_dup("a\nb");
	assert_string_equal(d, "a\\nb");
	free(d);
	esc_text_len(&sb, "a\0b", 3);
	assert_string_equal(sb.buf, "a\\x00b");
	strbuf_release(&sb);
}

static void test_plain(void **state)
{
	static const struct {
		const char *in;
		bool multiline;
		const char *out;
	} cases[] = {
	        {"Add an alert\nnow", false, "Add an alert now"},
	        {"Add an alert\nnow", true, "Add an alert\nnow"},
	        {"tab\there", false, "tab here"},
	        {"cr\r\nlf", false, "cr  lf"},
	        {"cr\r\nlf", true, "cr\nlf"},
	        {"bell\x07 esc\x1b[1m", true, "bell esc[1m"},
	        {"rlo\xe2\x80\xaegnp.exe", false, "rlognp.exe"},
	        {"bad \xff", false, "bad \xef\xbf\xbd"},
	        {"ok ✓", false, "ok ✓"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		esc_plain(&sb, cases[i].in, cases[i].multiline);
		if (strcmp(sb.buf, cases[i].out))
			fail_msg("case %zu: got '%s', want '%s'", i, sb.buf, cases[i].out);
		strbuf_release(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_text),
	        cmocka_unit_test(test_dup_and_len),
	        cmocka_unit_test(test_plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
