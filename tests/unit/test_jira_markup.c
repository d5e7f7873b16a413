/*
 * Tests of the Jira description converters, connectors/jira/adf.c (Markdown
 * to Atlassian Document Format) and connectors/jira/wiki.c (Markdown to
 * wiki markup): tables of Markdown and the document or markup expected,
 * then every action of the shared corpus ($PMSYNC_SHARED/corpus/files) as
 * pmsync would describe it, whose ADF must pass a structural check of the
 * rules Jira enforces and whose wiki markup must keep every word.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/compat.h"
#include "connectors/jira/adf.h"
#include "connectors/jira/wiki.h"
#include "mapping/mapping.h"
#include "postmortems/parse.h"
#include "postmortems/text.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "tests/unit/corpus_dir.h"

/* The compact JSON of the ADF content (the doc's "content" array) of md. */
static char *adf_content(const char *md)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *doc = adf_from_markdown(md, strlen(md));

	assert_string_equal(json_string_value(json_object_get(doc, "type")), "doc");
	assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
	pm_json_dump(&sb, json_object_get(doc, "content"));
	json_decref(doc);
	return strbuf_detach(&sb, NULL);
}

#define P(x) "{\"type\":\"paragraph\",\"content\":[" x "]}"
#define T(x) "{\"type\":\"text\",\"text\":\"" x "\"}"
#define TM(x, m) "{\"type\":\"text\",\"text\":\"" x "\",\"marks\":[" m "]}"
#define M(x) "{\"type\":\"" x "\"}"
#define LINK(h) "{\"type\":\"link\",\"attrs\":{\"href\":\"" h "\"}}"

static void test_adf_table(void **state)
{
	static const struct {
		const char *md, *want;
	} cases[] = {
	        {"", "[]"},
	        {"plain text", "[" P(T("plain text")) "]"},
	        {"two\nlines", "[" P(T("two lines")) "]"},
	        {"a  \nb", "[" P(T("a") "," M("hardBreak") "," T("b")) "]"},
	        {"x<br>y", "[" P(T("x") "," M("hardBreak") "," T("y")) "]"},
	        {"**bold** and _em_",
	         "[" P(TM("bold", M("strong")) "," T(" and ") "," TM("em", M("em"))) "]"},
	        {"***both***", "[" P(TM("both", M("strong") "," M("em"))) "]"},
	        {"~~gone~~", "[" P(TM("gone", M("strike"))) "]"},
	        {"run `make check`", "[" P(T("run ") "," TM("make check", M("code"))) "]"},
	        {"**`code` in bold**",
	         "[" P(TM("code", M("code")) "," TM(" in bold", M("strong"))) "]"},
	        {"[the PR](https://x.test/1)", "[" P(TM("the PR", LINK("https://x.test/1"))) "]"},
	        {"[`fix`](https://x.test/2)",
	         "[" P(TM("fix", M("code") "," LINK("https://x.test/2"))) "]"},
	        {"[]()x", "[" P(T("x")) "]"},
	        {"[empty]()", "[" P(T("empty")) "]"},
	        {"![](https://x.test/a.png)",
	         "[" P(TM("https://x.test/a.png", LINK("https://x.test/a.png"))) "]"},
	        {"see https://x.test/3 now",
	         "[" P(T("see ") "," TM("https://x.test/3",
	                                LINK("https://x.test/3")) "," T(" now")) "]"},
	        {"``", "[" P(T("``")) "]"},
	        {"a ** b", "[" P(T("a ** b")) "]"},
	        {"# Title",
	         "[{\"type\":\"heading\",\"attrs\":{\"level\":1},\"content\":[" T("Title") "]}]"},
	        {"#", "[]"},
	        {"---", "[" M("rule") "]"},
	        {"```sh\nmake\n```",
	         "[{\"type\":\"codeBlock\",\"attrs\":{\"language\":\"sh\"},\"content\":[" T(
	                 "make") "]}]"},
	        {"```\n```", "[" M("codeBlock") "]"},
	        {"> quoted", "[{\"type\":\"blockquote\",\"content\":[" P(T("quoted")) "]}]"},
	        {">", "[]"},
	        {"> # h\n> > deep",
	         "[{\"type\":\"blockquote\",\"content\":[" P(T("h")) "," P(T("deep")) "]}]"},
	        {"- a\n- b",
	         "[{\"type\":\"bulletList\",\"content\":["
	         "{\"type\":\"listItem\",\"content\":[" P(
	                 T("a")) "]},"
	                         "{\"type\":\"listItem\",\"content\":[" P(T("b")) "]}]}]"},
	        {"3. c", "[{\"type\":\"orderedList\",\"attrs\":{\"order\":3},\"content\":["
	                 "{\"type\":\"listItem\",\"content\":[" P(T("c")) "]}]}]"},
	        {"-", "[{\"type\":\"bulletList\",\"content\":[{\"type\":\"listItem\",\"content\":"
	              "[" P() "]}]}]"},
	        {"- - x", "[{\"type\":\"bulletList\",\"content\":[{\"type\":\"listItem\","
	                  "\"content\":[" P() ",{\"type\":\"bulletList\",\"content\":[{\"type\":"
	                                      "\"listItem\",\"content\":[" P(T("x")) "]}]}]}]}]"},
	        {"- # h",
	         "[{\"type\":\"bulletList\",\"content\":[{\"type\":\"listItem\",\"content\":[" P(
	                 T("h")) "]}]}]"},
	        {"| a | b |\n|---|---|\n| 1 | |",
	         "[{\"type\":\"table\",\"attrs\":{\"isNumberColumnEnabled\":false,\"layout\":"
	         "\"default\"},"
	         "\"content\":[{\"type\":\"tableRow\",\"content\":["
	         "{\"type\":\"tableHeader\",\"attrs\":{},\"content\":[" P(T(
	                 "a")) "]},"
	                       "{\"type\":\"tableHeader\",\"attrs\":{},\"content\":[" P(T(
	                               "b")) "]}]},"
	                                     "{\"type\":\"tableRow\",\"content\":["
	                                     "{\"type\":\"tableCell\",\"attrs\":{},\"content\":[" P(
	                                             T("1")) "]},"
	                                                     "{\"type\":\"tableCell\",\"attrs\":{},"
	                                                     "\"content\":[" P() "]}]}]}]"},
	        {"<!-- c -->", "[" P(T("<!-- c -->")) "]"},
	        {"caf\xc3\xa9 \xff", "[" P(T("caf\xc3\xa9 \xef\xbf\xbd")) "]"},
	        {"a \"q\" \\* b", "[" P(T("a \\\"q\\\" * b")) "]"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = adf_content(cases[i].md);
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu '%s':\n got  %s\n want %s", i, cases[i].md, got,
			         cases[i].want);
		free(got);
	}
}

/* ---- a structural check of ADF, the rules Jira refuses a document for ---- */

static const char *type_of(const json_t *n)
{
	const char *t = json_string_value(json_object_get(n, "type"));
	return t ? t : "";
}

static bool one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

static const char *const INLINE[] = {"text", "hardBreak", NULL};
static const char *const TOP[] = {"paragraph",   "heading", "codeBlock", "blockquote", "bulletList",
                                  "orderedList", "rule",    "table",     NULL};
static const char *const NESTED[] = {"paragraph", "codeBlock", "bulletList", "orderedList", NULL};
static const char *const CELL[] = {"paragraph",  "heading",     "codeBlock", "blockquote",
                                   "bulletList", "orderedList", "rule",      NULL};
static const char *const ITEMS[] = {"listItem", NULL};
static const char *const ROWS[] = {"tableRow", NULL};
static const char *const CELLS[] = {"tableCell", "tableHeader", NULL};
static const char *const TEXT[] = {"text", NULL};
static const char *const NONE[] = {NULL};

static const char *const *children_of(const char *type)
{
	static const struct {
		const char *type;
		const char *const *children;
	} rules[] = {
	        {"doc", TOP},           {"paragraph", INLINE}, {"heading", INLINE},
	        {"blockquote", NESTED}, {"bulletList", ITEMS}, {"orderedList", ITEMS},
	        {"listItem", NESTED},   {"codeBlock", TEXT},   {"table", ROWS},
	        {"tableRow", CELLS},    {"tableHeader", CELL}, {"tableCell", CELL},
	        {"rule", NONE},         {"hardBreak", NONE},   {"text", NONE},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rules); i++)
		if (!strcmp(type, rules[i].type))
			return rules[i].children;
	return NULL;
}

static void check_marks(const json_t *n, const char *where)
{
	const json_t *m;
	size_t i, j;
	bool code = false;

	json_array_foreach(json_object_get(n, "marks"), i, m)
	{
		if (!one_of(type_of(m),
		            (const char *const[]){"strong", "em", "strike", "code", "link", NULL}))
			fail_msg("%s: unknown mark '%s'", where, type_of(m));
		if (!strcmp(type_of(m), "code"))
			code = true;
		if (!strcmp(type_of(m), "link") &&
		    !json_string_length(json_object_get(json_object_get(m, "attrs"), "href")))
			fail_msg("%s: a link without href", where);
		for (j = 0; j < i; j++)
			if (!strcmp(type_of(json_array_get(json_object_get(n, "marks"), j)),
			            type_of(m)))
				fail_msg("%s: mark '%s' twice", where, type_of(m));
	}
	json_array_foreach(json_object_get(n, "marks"), i, m)
	{
		if (code && strcmp(type_of(m), "code") && strcmp(type_of(m), "link"))
			fail_msg("%s: code mark with '%s'", where, type_of(m));
	}
}

static void check_node(const json_t *n, const char *where)
{
	const char *const *allowed = children_of(type_of(n));
	const json_t *content = json_object_get(n, "content"), *c;
	size_t i;

	if (!allowed)
		fail_msg("%s: unknown node '%s'", where, type_of(n));
	if (!strcmp(type_of(n), "text")) {
		if (!json_string_length(json_object_get(n, "text")))
			fail_msg("%s: empty text node", where);
		check_marks(n, where);
	}
	if (!strcmp(type_of(n), "listItem")) {
		const char *first = type_of(json_array_get(content, 0));
		if (strcmp(first, "paragraph") && strcmp(first, "codeBlock"))
			fail_msg("%s: a list item starting with '%s'", where, first);
	}
	if ((one_of(type_of(n), (const char *const[]){"bulletList", "orderedList", "blockquote",
	                                              "table", "tableRow", NULL})) &&
	    !json_array_size(content))
		fail_msg("%s: an empty '%s'", where, type_of(n));
	json_array_foreach(content, i, c)
	{
		if (!one_of(type_of(c), allowed))
			fail_msg("%s: '%s' inside '%s'", where, type_of(c), type_of(n));
		check_node(c, where);
	}
}

static void test_adf_structure(void **state)
{
	static const char *const inputs[] = {
	        "> - a\n>   # h\n>   ---\n>   | x |\n>   |---|\n>   | y |",
	        "- > quote in item\n- ```\n  code first\n  ```",
	        "**[`a`](u) _b_ ~~c~~**",
	        "1. a\n   1. b\n      1. c",
	        "| a |\n|---|\n| > q |",
	        "[![img](i.png)](https://x.test)",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(inputs); i++) {
		json_t *doc = adf_from_markdown(inputs[i], strlen(inputs[i]));
		check_node(doc, inputs[i]);
		json_decref(doc);
	}
}

static void test_adf_deep(void **state)
{
	struct strbuf md = STRBUF_INIT, text = STRBUF_INIT;
	json_t *doc;
	int i;

	(void)state;
	for (i = 0; i < 5000; i++)
		strbuf_addstr(&md, "> - ");
	strbuf_addstr(&md, "bottom");
	doc = adf_from_markdown(md.buf, md.len);
	check_node(doc, "deep");
	adf_to_text(&text, doc);
	assert_non_null(strstr(text.buf, "bottom"));
	json_decref(doc);
	strbuf_release(&md);
	strbuf_release(&text);
}

static void test_adf_text(void **state)
{
	static const char *const same[][2] = {
	        /* Jira may reorder marks, add attributes and ids */
	        {"{\"type\":\"doc\",\"version\":1,\"content\":[" P(
	                 TM("x", M("em") "," M("strong"))) "]}",
	         "{\"type\":\"doc\",\"version\":1,\"content\":[{\"type\":\"paragraph\",\"attrs\":{"
	         "\"localId\":\"1\"},"
	         "\"content\":[" TM("x", M("strong") "," M("em")) "]}]}"},
	        {"{\"type\":\"doc\",\"content\":[" P(T("a") "," T("b")) "]}",
	         "{\"type\":\"doc\",\"content\":[" P(T("ab")) "]}"},
	};
	static const char *const differ[][2] = {
	        {"{\"type\":\"doc\",\"content\":[" P(T("a")) "]}",
	         "{\"type\":\"doc\",\"content\":[" P(TM("a", M("em"))) "]}"},
	        {"{\"type\":\"doc\",\"content\":[" P(TM("a", LINK("u"))) "]}",
	         "{\"type\":\"doc\",\"content\":[" P(TM("a", LINK("v"))) "]}"},
	        {"{\"type\":\"doc\",\"content\":[" P(T("a")) "," P(T("b")) "]}",
	         "{\"type\":\"doc\",\"content\":[" P(T("a b")) "]}"},
	};
	size_t i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		size_t n = k ? ARRAY_SIZE(differ) : ARRAY_SIZE(same);
		for (i = 0; i < n; i++) {
			const char *const *pair = k ? differ[i] : same[i];
			struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
			json_t *ja = json_loads(pair[0], 0, NULL),
			       *jb = json_loads(pair[1], 0, NULL);
			assert_non_null(ja);
			assert_non_null(jb);
			adf_to_text(&a, ja);
			adf_to_text(&b, jb);
			if ((strcmp(a.buf, b.buf) == 0) != (k == 0))
				fail_msg("pair %zu/%zu: '%s' vs '%s'", k, i, a.buf, b.buf);
			json_decref(ja);
			json_decref(jb);
			strbuf_release(&a);
			strbuf_release(&b);
		}
	}
}

static void test_wiki_table(void **state)
{
	static const struct {
		const char *md, *want;
	} cases[] = {
	        {"", ""},
	        {"plain text", "plain text"},
	        {"two\nlines", "two lines"},
	        {"a  \nb", "a \\\\ b"},
	        {"**bold** and _em_ and ~~gone~~", "*bold* and _em_ and -gone-"},
	        {"`make check`", "{{make check}}"},
	        {"[the PR](https://x.test/1)", "[the PR|https://x.test/1]"},
	        {"[a|b](https://x.test/?q=[1]|2)", "[a\\|b|https://x.test/?q=%5B1%5D%7C2]"},
	        {"<https://x.test/3>", "[https://x.test/3|https://x.test/3]"},
	        {"snake_case and p99-latency", "snake_case and p99-latency"},
	        {"_x_ * not a list", "_x_ \\* not a list"},
	        {"{braces} [brackets] a|b \\\\", "\\{braces\\} \\[brackets\\] a\\|b \\\\"},
	        {"-1 and +2 and !x!", "\\-1 and \\+2 and \\!x\\!"},
	        {"# Title\n\ntext", "h1. Title\n\ntext"},
	        {"- a\n- b\n  1. c", "* a\n* b\n*# c"},
	        {"1. one\n\n   more", "# one \\\\ more"},
	        {"> quoted\n> > deeper", "{quote}\nquoted\n\ndeeper\n{quote}"},
	        {"```sh\nmake\n{noformat}\n```", "{noformat}\nmake\n{ noformat}\n{noformat}"},
	        {"---", "----"},
	        {"| a | b |\n|---|---|\n| 1 | |", "||a||b||\n|1| |"},
	        {"![alt](i.png)", "[alt|i.png]"},
	        {"a ** b", "a \\*\\* b"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = wiki_from_markdown(cases[i].md, strlen(cases[i].md));
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu '%s':\n got  '%s'\n want '%s'", i, cases[i].md, got,
			         cases[i].want);
		free(got);
	}
}

/* ---- the corpus ---- */

/* Every word (a run of letters and digits) of plain appears in wiki. */
static void check_words(const char *plain, const char *wiki, const char *where)
{
	const char *p = plain;

	while (*p) {
		size_t n = 0;
		char *word;
		while (p[n] && (isalnum((unsigned char)p[n]) || (unsigned char)p[n] > 0x7f))
			n++;
		if (!n) {
			p++;
			continue;
		}
		word = xstrndup(p, n);
		if (!strstr(wiki, word))
			fail_msg("%s: word '%s' lost in '%s'", where, word, wiki);
		free(word);
		p += n;
	}
}

static void check_item(const struct postmortem *pm, const struct action_item *it, const char *where)
{
	char *md = mapping_description(pm, it), *wiki;
	struct strbuf plain = STRBUF_INIT;
	json_t *doc = adf_from_markdown(md, strlen(md));

	check_node(doc, where);
	json_decref(doc);
	wiki = wiki_from_markdown(md, strlen(md));
	text_md_to_plain(&plain, it->text, strlen(it->text));
	check_words(plain.buf, wiki, where);
	free(wiki);
	free(md);
	strbuf_release(&plain);
}

static void check_pm(struct postmortem *pm, void *data)
{
	size_t *items = data, i;

	free(pm->url);
	pm->url = xasprintf("https://git.example/pm/%s", pm->path);
	for (i = 0; i < pm->items_nr; i++, (*items)++) {
		char *where = xasprintf("%s item %zu", pm->path, i);
		if (!pm->items[i].key) /* keys come from the key module, not the parser */
			pm->items[i].key = xasprintf("k%zu", i);
		check_item(pm, &pm->items[i], where);
		free(where);
	}
}

static void test_corpus(void **state)
{
	char *dir = corpus_dir(), *bad = NULL;
	size_t items = 0;

	(void)state;
	if (!dir) {
		printf("skip: shared corpus not found\n");
		skip();
	}
	if (corpus_each(dir, check_pm, &items, &bad) < 0)
		fail_msg("%s: cannot be read or parsed", bad);
	free(dir);
	assert_true(items >= 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_adf_table),  cmocka_unit_test(test_adf_structure),
	        cmocka_unit_test(test_adf_deep),   cmocka_unit_test(test_adf_text),
	        cmocka_unit_test(test_wiki_table), cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
