/*
 * Markdown to Jira wiki markup. Walks cmark-gfm's tree: paragraphs, hN.
 * headings, *strong*, _emphasis_, -strike-, {{code}}, [text|url] links,
 * nested * and # lists, {quote}, {noformat} blocks, ---- rules and ||header||
 * tables. Text is escaped where wiki markup would read it as markup:
 * brackets, braces, bars and backslashes always, and the effect characters
 * (* _ - + ^ ~ ! # ?) where they touch a word boundary, since only there do
 * they open or close an effect; "snake_case" and "p99-latency" stay as they
 * are. Nesting deeper than MDTREE_MAX_DEPTH becomes plain text.
 */
#include "util/compat.h"

#include "connectors/jira/wiki.h"

#include <ctype.h>
#include <string.h>

#include "connectors/jira/mdtree.h"
#include "util/strbuf.h"

#define MAX_PREFIX 16

struct wctx {
	struct strbuf *sb;
	char prefix[MAX_PREFIX + 1]; /* the list markers of the enclosing items */
	size_t prefix_len;
	bool in_quote;
};

static bool is_word(int c)
{
	return c > 0x7f || isalnum(c);
}

static void escape(struct strbuf *sb, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int prev = i ? (unsigned char)s[i - 1] : 0;
		int next = i + 1 < len ? (unsigned char)s[i + 1] : 0;
		if (c == '\n' || c == '\r' || c == '\t') {
			strbuf_addch(sb, ' ');
			continue;
		}
		if (strchr("\\{}[]|", c) ||
		    (strchr("*_-+^~!#?", c) && (!is_word(prev) || !is_word(next))))
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, c);
	}
}

static void escape_str(struct strbuf *sb, const char *s)
{
	if (s)
		escape(sb, s, strlen(s));
}

/* A link destination inside [text|url]: the characters wiki markup would read are encoded. */
static void add_url(struct strbuf *sb, const char *url)
{
	for (; *url; url++) {
		if (strchr("|[]{}", *url) || (unsigned char)*url <= ' ')
			strbuf_addf(sb, "%%%02X", (unsigned char)*url);
		else
			strbuf_addch(sb, *url);
	}
}

static void inlines(struct strbuf *sb, cmark_node *parent, int depth);

/* Wraps the content of n in an effect, leaving nothing when the content is empty. */
static void effect(struct strbuf *sb, cmark_node *n, const char *mark, int depth)
{
	size_t at = sb->len;

	strbuf_addstr(sb, mark);
	inlines(sb, n, depth + 1);
	if (sb->len == at + strlen(mark))
		strbuf_setlen(sb, at);
	else
		strbuf_addstr(sb, mark);
}

static void link(struct strbuf *sb, cmark_node *n, int depth)
{
	const char *url = cmark_node_get_url(n);
	size_t at = sb->len;

	if (!url || !*url) {
		inlines(sb, n, depth + 1);
		return;
	}
	strbuf_addch(sb, '[');
	inlines(sb, n, depth + 1);
	if (sb->len > at + 1)
		strbuf_addch(sb, '|');
	add_url(sb, url);
	strbuf_addch(sb, ']');
}

static void inline_node(struct strbuf *sb, cmark_node *n, int depth)
{
	const char *lit = cmark_node_get_literal(n);

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
		escape_str(sb, lit);
		return;
	case CMARK_NODE_SOFTBREAK:
		strbuf_addch(sb, ' ');
		return;
	case CMARK_NODE_LINEBREAK:
		strbuf_addstr(sb, " \\\\ ");
		return;
	case CMARK_NODE_HTML_INLINE:
		if (mdtree_is_br(lit))
			strbuf_addstr(sb, " \\\\ ");
		else
			escape_str(sb, lit);
		return;
	case CMARK_NODE_CODE:
		if (lit && *lit) {
			strbuf_addstr(sb, "{{");
			escape_str(sb, lit);
			strbuf_addstr(sb, "}}");
		}
		return;
	case CMARK_NODE_EMPH:
		effect(sb, n, "_", depth);
		return;
	case CMARK_NODE_STRONG:
		effect(sb, n, "*", depth);
		return;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		link(sb, n, depth);
		return;
	default:
		if (mdtree_kind(n) == MDTREE_STRIKE)
			effect(sb, n, "-", depth);
		else
			inlines(sb, n, depth + 1);
		return;
	}
}

static void inlines(struct strbuf *sb, cmark_node *parent, int depth)
{
	struct strbuf plain = STRBUF_INIT;
	cmark_node *n;

	if (depth > MDTREE_MAX_DEPTH) {
		mdtree_plain(&plain, parent);
		escape(sb, plain.buf, plain.len);
		strbuf_release(&plain);
		return;
	}
	for (n = cmark_node_first_child(parent); n; n = cmark_node_next(n))
		inline_node(sb, n, depth);
}

static void end_block(struct wctx *w)
{
	strbuf_rtrim(w->sb);
	strbuf_addstr(w->sb, "\n\n");
}

static void blocks(struct wctx *w, cmark_node *parent, int depth);
static void block(struct wctx *w, cmark_node *n, int depth);

static void code_block(struct wctx *w, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n), *p, *hit;
	static const char tag[] = "{noformat}";

	strbuf_addstr(w->sb, tag);
	strbuf_addch(w->sb, '\n');
	/* the closing tag cannot be escaped inside the block: break it up */
	for (p = lit ? lit : ""; (hit = strstr(p, tag)); p = hit + 1) {
		strbuf_add(w->sb, p, (size_t)(hit - p));
		strbuf_addstr(w->sb, "{ ");
	}
	strbuf_addstr(w->sb, p);
	if (w->sb->len && w->sb->buf[w->sb->len - 1] != '\n')
		strbuf_addch(w->sb, '\n');
	strbuf_addstr(w->sb, tag);
	end_block(w);
}

static void list(struct wctx *w, cmark_node *n, int depth)
{
	char mark = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST ? '#' : '*';
	cmark_node *item, *b;

	if (w->prefix_len < MAX_PREFIX)
		w->prefix[w->prefix_len++] = mark;
	w->prefix[w->prefix_len] = '\0';
	for (item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
		bool first = true;
		strbuf_addf(w->sb, "%s ", w->prefix);
		for (b = cmark_node_first_child(item); b; b = cmark_node_next(b)) {
			cmark_node_type t = cmark_node_get_type(b);
			if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
				if (!first)
					strbuf_addstr(w->sb, " \\\\ ");
				inlines(w->sb, b, depth + 1);
			} else {
				strbuf_rtrim(w->sb);
				strbuf_addch(w->sb, '\n');
				block(w, b, depth + 1);
				strbuf_rtrim(w->sb);
			}
			first = false;
		}
		strbuf_rtrim(w->sb);
		strbuf_addch(w->sb, '\n');
	}
	if (w->prefix_len)
		w->prefix[--w->prefix_len] = '\0';
	if (!w->prefix_len)
		end_block(w);
}

static void table(struct wctx *w, cmark_node *n, int depth)
{
	cmark_node *row, *cell;

	for (row = cmark_node_first_child(n); row; row = cmark_node_next(row)) {
		const char *bar = mdtree_kind(row) == MDTREE_TABLE_HEADER_ROW ? "||" : "|";
		for (cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
			size_t at;
			strbuf_addstr(w->sb, bar);
			at = w->sb->len;
			inlines(w->sb, cell, depth + 1);
			if (w->sb->len == at)
				strbuf_addch(w->sb, ' '); /* an empty cell still needs content */
		}
		strbuf_addstr(w->sb, bar);
		strbuf_addch(w->sb, '\n');
	}
	end_block(w);
}

static void block(struct wctx *w, cmark_node *n, int depth)
{
	struct strbuf plain = STRBUF_INIT;

	if (depth > MDTREE_MAX_DEPTH) {
		mdtree_plain(&plain, n);
		escape(w->sb, plain.buf, plain.len);
		strbuf_release(&plain);
		end_block(w);
		return;
	}
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		inlines(w->sb, n, depth);
		end_block(w);
		return;
	case CMARK_NODE_HEADING:
		strbuf_addf(w->sb, "h%d. ", cmark_node_get_heading_level(n));
		inlines(w->sb, n, depth);
		end_block(w);
		return;
	case CMARK_NODE_CODE_BLOCK:
		code_block(w, n);
		return;
	case CMARK_NODE_HTML_BLOCK:
		escape_str(w->sb, cmark_node_get_literal(n));
		end_block(w);
		return;
	case CMARK_NODE_THEMATIC_BREAK:
		strbuf_addstr(w->sb, "----");
		end_block(w);
		return;
	case CMARK_NODE_BLOCK_QUOTE:
		if (w->in_quote) {
			blocks(w, n, depth + 1);
			return;
		}
		strbuf_addstr(w->sb, "{quote}\n");
		w->in_quote = true;
		blocks(w, n, depth + 1);
		w->in_quote = false;
		strbuf_rtrim(w->sb);
		strbuf_addstr(w->sb, "\n{quote}");
		end_block(w);
		return;
	case CMARK_NODE_LIST:
		list(w, n, depth);
		return;
	default:
		break;
	}
	if (mdtree_kind(n) == MDTREE_TABLE)
		table(w, n, depth);
	else
		blocks(w, n, depth + 1);
}

static void blocks(struct wctx *w, cmark_node *parent, int depth)
{
	cmark_node *n;

	for (n = cmark_node_first_child(parent); n; n = cmark_node_next(n))
		block(w, n, depth);
}

char *wiki_from_markdown(const char *md, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	struct wctx w;
	cmark_node *doc = mdtree_parse(md, len);

	memset(&w, 0, sizeof(w));
	w.sb = &sb;
	blocks(&w, doc, 0);
	strbuf_trim(&sb);
	cmark_node_free(doc);
	return strbuf_detach(&sb, NULL);
}
