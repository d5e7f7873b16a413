/*
 * Markdown to Atlassian Document Format. The Markdown is parsed by
 * cmark-gfm and its tree rewritten node by node, because ADF is stricter
 * than Markdown: a text node may not be empty, the code mark combines only
 * with a link, a blockquote or a list item holds no heading, rule or table,
 * a list item starts with a paragraph, and Jira refuses the whole document
 * for one wrong node. Inline content is walked with cmark's iterator, so
 * that no input nests the walk deeper than its block depth, which is capped.
 */
#include "util/compat.h"

#include "connectors/jira/adf.h"

#include <stdlib.h>
#include <string.h>

#include "connectors/jira/mdtree.h"
#include "util/json.h"
#include "util/xalloc.h"

/* Where a block goes: which nodes ADF allows there. */
enum where {
	IN_DOC,   /* everything */
	IN_QUOTE, /* paragraphs, lists, code blocks */
	IN_ITEM,  /* the same */
	IN_CELL,  /* no table */
};

#define MAX_LINKS 32

struct inl {
	json_t *content;
	struct strbuf run; /* text waiting for its node */
	int em, strong, strike;
	const char *links[MAX_LINKS]; /* NULL for a link without a destination */
	size_t links_nr, links_over;
};

static json_t *node_of(const char *type)
{
	json_t *n = json_object();

	json_object_set_new(n, "type", json_string(type));
	return n;
}

static void add_mark(json_t *marks, const char *type)
{
	json_array_append_new(marks, node_of(type));
}

static const char *current_link(const struct inl *s)
{
	return s->links_nr && !s->links_over ? s->links[s->links_nr - 1] : NULL;
}

static void emit_text(struct inl *s, const char *text, size_t len, bool code)
{
	json_t *t, *marks;
	const char *href = current_link(s);
	char *dup;

	if (!len)
		return; /* ADF: a text node's text has at least one character */
	marks = json_array();
	if (code) {
		add_mark(marks, "code"); /* ADF: code combines with a link only */
	} else {
		if (s->strong)
			add_mark(marks, "strong");
		if (s->em)
			add_mark(marks, "em");
		if (s->strike)
			add_mark(marks, "strike");
	}
	if (href) {
		json_t *link = node_of("link"), *attrs = json_object();
		json_object_set_new(attrs, "href", pm_json_str(href));
		json_object_set_new(link, "attrs", attrs);
		json_array_append_new(marks, link);
	}
	t = node_of("text");
	dup = xstrndup(text, len);
	json_object_set_new(t, "text", pm_json_str(dup));
	free(dup);
	if (json_array_size(marks))
		json_object_set(t, "marks", marks);
	json_decref(marks);
	json_array_append_new(s->content, t);
}

static void flush(struct inl *s)
{
	emit_text(s, s->run.buf, s->run.len, false);
	strbuf_setlen(&s->run, 0);
}

static void hard_break(struct inl *s)
{
	flush(s);
	json_array_append_new(s->content, node_of("hardBreak"));
}

static void enter_link(struct inl *s, cmark_node *n)
{
	const char *url = cmark_node_get_url(n);

	flush(s);
	if (s->links_nr == MAX_LINKS) {
		s->links_over++;
		return;
	}
	s->links[s->links_nr++] = url && *url ? url : NULL;
	/* an image without alt text still shows where it points */
	if (cmark_node_get_type(n) == CMARK_NODE_IMAGE && !cmark_node_first_child(n) && url)
		strbuf_addstr(&s->run, url);
}

static void leave_link(struct inl *s)
{
	flush(s);
	if (s->links_over)
		s->links_over--;
	else if (s->links_nr)
		s->links_nr--;
}

static void inline_node(struct inl *s, cmark_node *n, cmark_event_type ev)
{
	const char *lit = cmark_node_get_literal(n);
	int step = ev == CMARK_EVENT_ENTER ? 1 : -1;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
		strbuf_addstr(&s->run, lit ? lit : "");
		return;
	case CMARK_NODE_SOFTBREAK:
		strbuf_addch(&s->run, ' ');
		return;
	case CMARK_NODE_LINEBREAK:
		hard_break(s);
		return;
	case CMARK_NODE_CODE:
		flush(s);
		emit_text(s, lit ? lit : "", lit ? strlen(lit) : 0, true);
		return;
	case CMARK_NODE_HTML_INLINE:
		if (mdtree_is_br(lit))
			hard_break(s);
		else
			strbuf_addstr(&s->run, lit ? lit : "");
		return;
	case CMARK_NODE_EMPH:
		flush(s);
		s->em += step;
		return;
	case CMARK_NODE_STRONG:
		flush(s);
		s->strong += step;
		return;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		if (ev == CMARK_EVENT_ENTER)
			enter_link(s, n);
		else
			leave_link(s);
		return;
	default:
		if (mdtree_kind(n) == MDTREE_STRIKE) {
			flush(s);
			s->strike += step;
		}
		return;
	}
}

/* The inline content of a paragraph, heading or table cell, as ADF inline nodes. */
static json_t *inlines(cmark_node *parent)
{
	struct inl s;
	cmark_iter *it = cmark_iter_new(parent);
	cmark_event_type ev;

	memset(&s, 0, sizeof(s));
	s.content = json_array();
	strbuf_init(&s.run, 0);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (n != parent)
			inline_node(&s, n, ev);
	}
	flush(&s);
	cmark_iter_free(it);
	strbuf_release(&s.run);
	return s.content;
}

static json_t *paragraph(json_t *content)
{
	json_t *p = node_of("paragraph");

	json_object_set_new(p, "content", content ? content : json_array());
	return p;
}

/* Appends a paragraph of plain text (when there is any). */
static void add_plain(json_t *out, const char *text, size_t len)
{
	struct inl s;

	memset(&s, 0, sizeof(s));
	s.content = json_array();
	emit_text(&s, text, len, false);
	if (json_array_size(s.content))
		json_array_append_new(out, paragraph(s.content));
	else
		json_decref(s.content);
}

static void add_blocks(json_t *out, cmark_node *parent, enum where where, int depth);

static void add_code(json_t *out, cmark_node *n)
{
	struct strbuf lang = STRBUF_INIT;
	const char *lit = cmark_node_get_literal(n);
	size_t len = lit ? strlen(lit) : 0;
	json_t *code = node_of("codeBlock");
	struct inl s;

	mdtree_fence_language(&lang, n);
	if (lang.len) {
		json_t *attrs = json_object();
		json_object_set_new(attrs, "language", pm_json_str(lang.buf));
		json_object_set_new(code, "attrs", attrs);
	}
	while (len && lit[len - 1] == '\n')
		len--;
	memset(&s, 0, sizeof(s));
	s.content = json_array();
	emit_text(&s, lit ? lit : "", len, false);
	if (json_array_size(s.content))
		json_object_set_new(code, "content", s.content);
	else
		json_decref(s.content);
	json_array_append_new(out, code);
	strbuf_release(&lang);
}

static void add_list(json_t *out, cmark_node *n, int depth)
{
	bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
	json_t *list = node_of(ordered ? "orderedList" : "bulletList"), *items = json_array();
	cmark_node *item;

	if (ordered) {
		json_t *attrs = json_object();
		json_object_set_new(attrs, "order", json_integer(cmark_node_get_list_start(n)));
		json_object_set_new(list, "attrs", attrs);
	}
	for (item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
		json_t *li = node_of("listItem"), *content = json_array(), *first;
		const char *type;
		add_blocks(content, item, IN_ITEM, depth + 1);
		first = json_array_get(content, 0);
		type = first ? json_string_value(json_object_get(first, "type")) : NULL;
		/* ADF: a list item starts with a paragraph or a code block */
		if (!type || (strcmp(type, "paragraph") && strcmp(type, "codeBlock")))
			json_array_insert_new(content, 0, paragraph(NULL));
		json_object_set_new(li, "content", content);
		json_array_append_new(items, li);
	}
	json_object_set_new(list, "content", items);
	json_array_append_new(out, list);
}

static void add_table(json_t *out, cmark_node *n)
{
	json_t *table = node_of("table"), *rows = json_array(), *attrs = json_object();
	cmark_node *row, *cell;

	json_object_set_new(attrs, "isNumberColumnEnabled", json_false());
	json_object_set_new(attrs, "layout", json_string("default"));
	json_object_set_new(table, "attrs", attrs);
	for (row = cmark_node_first_child(n); row; row = cmark_node_next(row)) {
		bool header = mdtree_kind(row) == MDTREE_TABLE_HEADER_ROW;
		json_t *r = node_of("tableRow"), *cells = json_array();
		for (cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
			json_t *c = node_of(header ? "tableHeader" : "tableCell");
			json_t *content = json_array();
			json_object_set_new(c, "attrs", json_object());
			json_array_append_new(content, paragraph(inlines(cell)));
			json_object_set_new(c, "content", content);
			json_array_append_new(cells, c);
		}
		if (!json_array_size(cells)) {
			json_decref(cells);
			json_decref(r);
			continue;
		}
		json_object_set_new(r, "content", cells);
		json_array_append_new(rows, r);
	}
	json_object_set_new(table, "content", rows);
	if (json_array_size(rows))
		json_array_append_new(out, table);
	else
		json_decref(table);
}

/* A block whose content is inline: a paragraph, or a heading where ADF takes one. */
static void add_inline_block(json_t *out, cmark_node *n, enum where where)
{
	json_t *content = inlines(n), *b;

	if (!json_array_size(content)) {
		json_decref(content);
		return;
	}
	if (cmark_node_get_type(n) == CMARK_NODE_HEADING && (where == IN_DOC || where == IN_CELL)) {
		json_t *attrs = json_object();
		b = node_of("heading");
		json_object_set_new(attrs, "level", json_integer(cmark_node_get_heading_level(n)));
		json_object_set_new(b, "attrs", attrs);
		json_object_set_new(b, "content", content);
	} else {
		b = paragraph(content);
	}
	json_array_append_new(out, b);
}

static void add_block(json_t *out, cmark_node *n, enum where where, int depth)
{
	struct strbuf sb = STRBUF_INIT;
	const char *lit;

	if (depth > MDTREE_MAX_DEPTH) {
		mdtree_plain(&sb, n);
		add_plain(out, sb.buf, sb.len);
		strbuf_release(&sb);
		return;
	}
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		add_inline_block(out, n, where);
		return;
	case CMARK_NODE_CODE_BLOCK:
		add_code(out, n);
		return;
	case CMARK_NODE_HTML_BLOCK:
		lit = cmark_node_get_literal(n);
		strbuf_addstr(&sb, lit ? lit : "");
		strbuf_trim(&sb);
		add_plain(out, sb.buf, sb.len);
		strbuf_release(&sb);
		return;
	case CMARK_NODE_THEMATIC_BREAK:
		if (where == IN_DOC || where == IN_CELL)
			json_array_append_new(out, node_of("rule"));
		return;
	case CMARK_NODE_BLOCK_QUOTE:
		if (where == IN_DOC || where == IN_CELL) {
			json_t *q = node_of("blockquote"), *content = json_array();
			add_blocks(content, n, IN_QUOTE, depth + 1);
			json_object_set_new(q, "content", content);
			if (json_array_size(content))
				json_array_append_new(out, q);
			else
				json_decref(q);
		} else {
			add_blocks(out, n, where, depth + 1);
		}
		return;
	case CMARK_NODE_LIST:
		add_list(out, n, depth);
		return;
	default:
		break;
	}
	if (mdtree_kind(n) == MDTREE_TABLE && where == IN_DOC) {
		add_table(out, n);
		return;
	}
	/* a table where ADF takes none, or a node this converter does not know */
	if (mdtree_kind(n) == MDTREE_TABLE_CELL) {
		add_inline_block(out, n, IN_QUOTE);
		return;
	}
	add_blocks(out, n, where, depth + 1);
}

static void add_blocks(json_t *out, cmark_node *parent, enum where where, int depth)
{
	cmark_node *n;

	for (n = cmark_node_first_child(parent); n; n = cmark_node_next(n))
		add_block(out, n, where, depth);
}

json_t *adf_from_markdown(const char *md, size_t len)
{
	cmark_node *doc = mdtree_parse(md, len);
	json_t *out = node_of("doc"), *content = json_array();

	json_object_set_new(out, "version", json_integer(1));
	add_blocks(content, doc, IN_DOC, 0);
	json_object_set_new(out, "content", content);
	cmark_node_free(doc);
	return out;
}

/* ---- canonical text ---- */

static const char *type_of(const json_t *node)
{
	const char *t = json_string_value(json_object_get(node, "type"));

	return t ? t : "";
}

static bool has_mark(const json_t *marks, const char *type, const json_t **found)
{
	const json_t *m;
	size_t i;

	json_array_foreach(marks, i, m)
	{
		if (!strcmp(type_of(m), type)) {
			if (found)
				*found = m;
			return true;
		}
	}
	return false;
}

/* Marks are written in one order whatever order the document lists them in. */
static void text_node(struct strbuf *sb, const json_t *node)
{
	static const char *const order[] = {"code", "strong", "em", "strike", "underline"};
	static const char *const open[] = {"`", "**", "_", "~~", "+"};
	const json_t *marks = json_object_get(node, "marks"), *link = NULL;
	const char *text = json_string_value(json_object_get(node, "text"));
	size_t i;

	if (has_mark(marks, "link", &link))
		strbuf_addch(sb, '[');
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (has_mark(marks, order[i], NULL))
			strbuf_addstr(sb, open[i]);
	strbuf_addstr(sb, text ? text : "");
	for (i = sizeof(order) / sizeof(order[0]); i-- > 0;)
		if (has_mark(marks, order[i], NULL))
			strbuf_addstr(sb, open[i]);
	if (link) {
		const char *href =
		        json_string_value(json_object_get(json_object_get(link, "attrs"), "href"));
		strbuf_addf(sb, "](%s)", href ? href : "");
	}
}

static bool is_block(const char *type)
{
	static const char *const blocks[] = {"paragraph", "heading",  "codeBlock", "blockquote",
	                                     "listItem",  "tableRow", "rule",      "panel"};
	size_t i;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		if (!strcmp(type, blocks[i]))
			return true;
	return false;
}

static void to_text(struct strbuf *sb, const json_t *node, int depth)
{
	const char *type = type_of(node);
	const json_t *child, *attrs = json_object_get(node, "attrs");
	size_t i;

	if (depth > 4 * MDTREE_MAX_DEPTH || !json_is_object(node))
		return;
	if (!strcmp(type, "text")) {
		text_node(sb, node);
		return;
	}
	if (!strcmp(type, "hardBreak")) {
		strbuf_addch(sb, '\n');
		return;
	}
	if (!strcmp(type, "listItem"))
		strbuf_addstr(sb, "- ");
	else if (!strcmp(type, "heading"))
		strbuf_addf(sb, "h%d ", (int)json_integer_value(json_object_get(attrs, "level")));
	else if (!strcmp(type, "rule"))
		strbuf_addstr(sb, "---");
	else if (!strcmp(type, "tableHeader") || !strcmp(type, "tableCell"))
		strbuf_addch(sb, '|');
	else if (json_is_string(json_object_get(attrs, "text")))
		strbuf_addstr(sb, json_string_value(json_object_get(attrs, "text")));
	json_array_foreach(json_object_get(node, "content"), i, child)
	{
		to_text(sb, child, depth + 1);
	}
	/* one line per block: trailing breaks inside a block do not count */
	if (is_block(type)) {
		strbuf_rtrim(sb);
		strbuf_addch(sb, '\n');
	}
}

void adf_to_text(struct strbuf *sb, const json_t *node)
{
	to_text(sb, node, 0);
	strbuf_rtrim(sb);
}
