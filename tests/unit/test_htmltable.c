/*
 * Tests of postmortems/htmltable.c, the HTML table tokenizer: each row of
 * the table is an HTML fragment as people paste it into Markdown (with
 * attributes, entities, <th>, a missing </td> or </tr>, blank lines, links,
 * nested tables, no closing tag) and the rows and cells it must give,
 * written as "cell|cell;cell|cell".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "postmortems/htmltable.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The table as "a|b;c|d", header cells marked with a leading '*'. */
static char *describe(const struct htmltable *t)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < t->nr; i++) {
		if (i)
			strbuf_addch(&sb, ';');
		for (j = 0; j < t->rows[i].nr; j++) {
			const struct htmltable_cell *c = &t->rows[i].cells[j];
			if (j)
				strbuf_addch(&sb, '|');
			if (c->header)
				strbuf_addch(&sb, '*');
			strbuf_addstr(&sb, c->text);
		}
	}
	return strbuf_detach(&sb, NULL);
}

static void test_tables(void **state)
{
	static const struct {
		const char *html;
		const char *want;
		bool closed;
	} cases[] = {
	        {"<table><tr><th>Action</th><th>Owner</th></tr>"
	         "<tr><td>Fix it</td><td>@bob</td></tr></table>",
	         "*Action|*Owner;Fix it|@bob", true},
	        {"<TABLE class=\"x\" border=1>\n<TR align='left'><TH scope=\"col\">A</TH></TR>\n"
	         "<TR><TD style=\"color: red\">b</TD></TR>\n</TABLE>",
	         "*A;b", true},
	        {"<table><tr><td>Fix &amp; test &lt;now&gt; &quot;x&quot; &#39;y&#39; &#x2014; "
	         "&nbsp;z&unknown;</td></tr></table>",
	         "Fix & test <now> \"x\" 'y' \xe2\x80\x94 z&unknown;", true},
	        {"<table><tr><td>one<td>two<tr><td>three</table>", "one|two;three", true},
	        {"<table>\n<tr><td>a</td>\n\n<td>b\n\n</td></tr>\n\n<tr><td>c</td></tr>\n</table>",
	         "a|b;c", true},
	        {"<table><tr><td>  lots \n of\t space </td></tr></table>", "lots of space", true},
	        {"<table><tr><td>a<br>b<br/>c</td><td><b>bold</b> <code>x</code></td></tr></table>",
	         "a b c|bold x", true},
	        {"<table><tr><td>x<!-- <td>hidden</td> --></td></tr></table>", "x", true},
	        {"<table><tr><td>outer<table><tr><td>inner</td></tr></table></td><td>2</td></tr>"
	         "</table>",
	         "outer inner|2", true},
	        {"<table><tr><td>never closed", "never closed", false},
	        {"text before <table><thead><tr><th>H</th></tr></thead><tbody><tr><td>v</td></tr>"
	         "</tbody></table> after",
	         "*H;v", true},
	        {"<table><td>no row tag</td></table>", "no row tag", true},
	        {"<table><tr><td>a < b > c</td></tr></table>", "a < b > c", true},
	        {"<table></table>", "", true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct htmltable t = HTMLTABLE_INIT;
		char *got;
		assert_int_equal(htmltable_parse(&t, cases[i].html, strlen(cases[i].html), 1), 0);
		got = describe(&t);
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: got '%s', want '%s'", i, got, cases[i].want);
		assert_int_equal(t.closed, cases[i].closed);
		free(got);
		htmltable_release(&t);
	}
}

static void test_links_lines_and_raw(void **state)
{
	const char *html =
	        "<p>x</p>\n<table>\n<tr>\n<td><a class=\"t\" href=\"https://linear.app/"
	        "a/issue/NET-9/x?a=1&amp;b=2\">NET-9</a> and "
	        "<a href='https://second'>2</a></td>\n"
	        "<td>  <b>raw</b>  </td>\n</tr>\n\n<tr><td>2nd</td></tr>\n</table>\ntail";
	struct htmltable t = HTMLTABLE_INIT;
	const struct htmltable_cell *c;

	(void)state;
	assert_int_equal(htmltable_parse(&t, html, strlen(html), 10), 0);
	assert_int_equal(t.nr, 2);
	assert_int_equal(t.rows[0].line, 12);
	assert_int_equal(t.rows[1].line, 17);
	c = &t.rows[0].cells[0];
	assert_string_equal(c->href, "https://linear.app/a/issue/NET-9/x?a=1&b=2");
	assert_string_equal(c->text, "NET-9 and 2");
	assert_int_equal(c->line, 13);
	assert_string_equal(t.rows[0].cells[1].raw, "<b>raw</b>");
	assert_null(t.rows[0].cells[1].href);
	assert_true(t.closed);
	assert_string_equal(html + t.end, "\ntail");
	htmltable_release(&t);
}

static void test_no_table(void **state)
{
	struct htmltable t = HTMLTABLE_INIT;
	const char *html = "<tablet>not a table</tablet> <div>x</div>";

	(void)state;
	assert_int_equal(htmltable_parse(&t, html, strlen(html), 1), PM_EINPUT);
	assert_int_equal(t.nr, 0);
	assert_false(htmltable_starts(html, strlen(html)));
	assert_true(htmltable_starts("  <table>", 9));
	assert_true(htmltable_starts("<TABLE class=x>", 15));
	assert_false(htmltable_starts("text <table>", 12));
}

static void test_entities(void **state)
{
	static const struct {
		const char *in;
		size_t used;
		const char *out;
	} cases[] = {
	        {"&amp;x", 5, "&"},
	        {"&#39;", 5, "'"},
	        {"&#x41;", 6, "A"},
	        {"&#X2019;", 8, "\xe2\x80\x99"},
	        {"&nbsp;", 6, "\xc2\xa0"},
	        {"&#0;", 4, "\xef\xbf\xbd"},
	        {"&#xD800;", 8, "\xef\xbf\xbd"},
	        {"&#99999999;", 11, "\xef\xbf\xbd"},
	        {"&amp", 0, ""},
	        {"&bogus;", 0, ""},
	        {"& ;", 0, ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		size_t used = htmltable_decode_entity(&sb, cases[i].in, strlen(cases[i].in));
		if (used != cases[i].used)
			fail_msg("'%s': used %zu, want %zu", cases[i].in, used, cases[i].used);
		assert_string_equal(sb.buf, cases[i].out);
		strbuf_release(&sb);
	}
}

/* A 1 MB cell reads in one pass. */
static void test_large_cell(void **state)
{
	struct strbuf html = STRBUF_INIT;
	struct htmltable t = HTMLTABLE_INIT;
	size_t i;

	(void)state;
	strbuf_addstr(&html, "<table><tr><td>");
	for (i = 0; i < 1024 * 1024 / 8; i++)
		strbuf_addstr(&html, "abc &amp;");
	strbuf_addstr(&html, "</td></tr></table>");
	assert_int_equal(htmltable_parse(&t, html.buf, html.len, 1), 0);
	assert_int_equal(t.nr, 1);
	/* "abc &amp;" reads as "abc &", five bytes */
	assert_int_equal(strlen(t.rows[0].cells[0].text), 1024 * 1024 / 8 * 5);
	htmltable_release(&t);
	strbuf_release(&html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_tables),     cmocka_unit_test(test_links_lines_and_raw),
	        cmocka_unit_test(test_no_table),   cmocka_unit_test(test_entities),
	        cmocka_unit_test(test_large_cell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
