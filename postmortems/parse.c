/*
 * The postmortem reader. One cmark-gfm parse per file gives the structure
 * (headings of any style, lists, task items, tables, code blocks); where
 * cmark drops information the reader goes back to the source lines: a table
 * row is re-split from its line so that cells beyond the header survive as
 * extra fields, an HTML table is tokenized from the raw span that cmark cut
 * into several HTML blocks, an item's Markdown is the source as written.
 *
 * The action section is the heading matching one of the heading patterns;
 * it runs to the next heading of the same or a higher level (sub-headings
 * are groups). When a file has none, three fallbacks are tried: a paragraph
 * that only says "Action Items", a table whose first header names an action
 * column, a list item that is only an action label with a sub-list. Inside a
 * section, tables win: when the section holds a table, its lists are taken
 * as explanation (etcd lists its priority levels above its table); else
 * every top-level list item is an item, its sub-items notes, unless it is a
 * bare group label ("**Review actions**:") whose sub-items are the items.
 *
 * Speed matters (a repository holds thousands of postmortems), so the file
 * is parsed once, tables are read through a reused arena, and cmark-gfm's
 * autolink extension is left out: run over every paragraph it costs a sixth
 * of the parse, while only the list items of the action section need bare
 * URLs found, which plain_autolink() does for them.
 */
#include "postmortems/parse.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "postmortems/fields.h"
#include "postmortems/frontmatter.h"
#include "postmortems/htmltable.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define DEFAULT_MAX_SIZE (16u * 1024 * 1024)
#define DATE_FIELD_LINES 80

struct pattern {
	const char *s; /* normalized */
	size_t len;
	size_t words;
};

/* Built-in action-heading patterns, normalized (see fields_normalize, fields_label_match). */
static const char *const builtin_headings[] = {
        "action item",
        "follow up",
        "followup",
        "corrective action",
        "corrective and prevent",
        "remediation",
        "next step",
        "actionable",
        "\xc3\xa9l\xc3\xa9ments d action",
        "mesures correctives",
};

#define BUILTIN_NR (sizeof(builtin_headings) / sizeof(builtin_headings[0]))

struct heading {
	cmark_node *node;
	int level;
	int line;
	bool action;
	bool chain;
};

struct plain_link {
	size_t start, end;
	const char *url;
};

/* Plain text of inline content, with the spans of its links. */
struct plain {
	struct strbuf sb;
	bool space;
	struct plain_link *links;
	size_t links_nr, links_alloc;
	char **urls; /* destinations of the bare URLs found in the text */
	size_t urls_nr, urls_alloc;
};

/* One table cell, from cmark or from an HTML table; every pointer is borrowed. */
struct cell {
	const char *text; /* plain text, NUL-terminated */
	size_t off;       /* offset of text in the row's arena, before it is resolved */
	const char *md;   /* as written in the source */
	size_t md_len;
	const char *url; /* first link destination, or NULL */
};

/* A table row being read; reused from row to row. */
struct row {
	struct cell *v;
	size_t nr, alloc;
	struct strbuf arena; /* the texts of cmark cells, NUL-separated */
	int line, col;
};

struct span {
	const char *s;
	size_t len;
};

struct parser {
	struct postmortem *pm;
	struct pm_diags *diags;
	const struct pm_parse_options *opts;
	const char *buf; /* the file, BOM skipped */
	size_t len;
	size_t *lines; /* offset of each line start; lines[0] is line 1 */
	size_t lines_nr, lines_alloc;
	int line_base;                  /* file line = cmark line + line_base */
	const struct pattern *patterns; /* normalized heading patterns */
	size_t patterns_nr;
	struct pattern *own_patterns; /* patterns from the options, owned */
	struct pattern builtin[BUILTIN_NR];
	struct pattern chain; /* "detection chain" */
	struct heading *hd;
	size_t hd_nr, hd_alloc;
	struct row row;     /* scratch for table rows */
	struct span *spans; /* scratch for raw row cells */
	size_t spans_nr, spans_alloc;
};

static void plain_init(struct plain *p)
{
	memset(p, 0, sizeof(*p));
	strbuf_init(&p->sb, 0);
}

static void plain_release(struct plain *p)
{
	size_t i;

	strbuf_release(&p->sb);
	free(p->links);
	for (i = 0; i < p->urls_nr; i++)
		free(p->urls[i]);
	free(p->urls);
}

/*
 * Finds bare http(s) URLs in the text and records them as links, as GFM's
 * autolink extension would: the URL runs to the next space, without its
 * trailing punctuation or an unbalanced ')'. pmsync does this itself, only
 * for list items of the action section, because the extension run over
 * every paragraph costs a sixth of the parse. One pass: the links cmark
 * found are in text order, so a cursor skips them, and the new links are
 * merged in at the end.
 */
static void plain_autolink(struct plain *p)
{
	const char *t = p->sb.buf, *h;
	size_t len = p->sb.len, i = 0, cur = 0, old_nr = p->links_nr, a, b, k;
	struct plain_link *found = NULL, *merged;
	size_t found_nr = 0, found_alloc = 0;

	while (i < len && (h = strstr(t + i, "http"))) {
		size_t e, open = 0, close = 0, j;
		k = (size_t)(h - t);
		if (strncmp(h, "https://", 8) && strncmp(h, "http://", 7)) {
			i = k + 4;
			continue;
		}
		while (cur < old_nr && p->links[cur].end <= k)
			cur++;
		if (cur < old_nr && p->links[cur].start <= k) {
			i = p->links[cur].end > k ? p->links[cur].end : k + 4;
			continue;
		}
		if (k > 0 &&
		    ((t[k - 1] >= 'a' && t[k - 1] <= 'z') || (t[k - 1] >= 'A' && t[k - 1] <= 'Z') ||
		     (t[k - 1] >= '0' && t[k - 1] <= '9'))) {
			i = k + 4;
			continue;
		}
		for (e = k; e < len && t[e] != ' ' && t[e] != '<'; e++)
			;
		for (j = k; j < e; j++) {
			open += t[j] == '(';
			close += t[j] == ')';
		}
		while (e > k) {
			if (strchr("?!.,:;*_~'\"", t[e - 1])) {
				e--;
			} else if (t[e - 1] == ')' && close > open) {
				close--;
				e--;
			} else {
				break;
			}
		}
		i = e > k + 8 ? e : k + 4;
		if (e <= k + 8)
			continue;
		ALLOC_GROW(p->urls, p->urls_nr + 1, p->urls_alloc);
		p->urls[p->urls_nr] = xstrndup(t + k, e - k);
		ALLOC_GROW(found, found_nr + 1, found_alloc);
		found[found_nr].start = k;
		found[found_nr].end = e;
		found[found_nr++].url = p->urls[p->urls_nr++];
	}
	if (!found_nr)
		return;
	merged = xmalloc(xmul_size(old_nr + found_nr, sizeof(*merged)));
	for (a = b = k = 0; a < old_nr || b < found_nr; k++) {
		if (b >= found_nr || (a < old_nr && p->links[a].start <= found[b].start))
			merged[k] = p->links[a++];
		else
			merged[k] = found[b++];
	}
	free(p->links);
	p->links = merged;
	p->links_nr = p->links_alloc = old_nr + found_nr;
	free(found);
}

static void plain_inlines(struct plain *p, cmark_node *parent, int depth)
{
	cmark_node *n;

	for (n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
		const char *lit;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			lit = cmark_node_get_literal(n);
			if (lit)
				fields_add_collapsed(&p->sb, &p->space, lit, strlen(lit));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			p->space = true;
			break;
		case CMARK_NODE_HTML_INLINE:
			lit = cmark_node_get_literal(n);
			if (lit && (!strncmp(lit, "<br", 3) || !strncmp(lit, "<BR", 3)))
				p->space = true;
			break;
		case CMARK_NODE_IMAGE:
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			break;
		case CMARK_NODE_LINK: {
			size_t start = p->sb.len;
			struct plain_link *l;
			if (depth < 16)
				plain_inlines(p, n, depth + 1);
			if (start < p->sb.len && p->sb.buf[start] == ' ')
				start++;
			ALLOC_GROW(p->links, p->links_nr + 1, p->links_alloc);
			l = &p->links[p->links_nr++];
			l->start = start;
			l->end = p->sb.len;
			l->url = cmark_node_get_url(n);
			break;
		}
		default:
			if (depth < 16)
				plain_inlines(p, n, depth + 1);
			break;
		}
	}
}

static bool is_type(cmark_node *n, const char *name)
{
	const char *t = cmark_node_get_type_string(n);

	return t && !strcmp(t, name);
}

/* --- source lines --- */

/*
 * Records where each line starts. Lines end as CommonMark ends them: "\n",
 * "\r\n" or a lone "\r", so that the numbers match cmark's source positions.
 */
static void index_lines(struct parser *ps)
{
	const char *p = ps->buf, *end = ps->buf + ps->len;
	size_t n = 1, i;

	if (!memchr(ps->buf, '\r', ps->len)) {
		while ((p = memchr(p, '\n', (size_t)(end - p)))) {
			p++;
			n++;
		}
		ALLOC_GROW(ps->lines, n, ps->lines_alloc);
		ps->lines[ps->lines_nr++] = 0;
		for (p = ps->buf; (p = memchr(p, '\n', (size_t)(end - p)));)
			ps->lines[ps->lines_nr++] = (size_t)(++p - ps->buf);
		return;
	}
	ALLOC_GROW(ps->lines, 1, ps->lines_alloc);
	ps->lines[ps->lines_nr++] = 0;
	for (i = 0; i < ps->len; i++) {
		if (ps->buf[i] == '\r' && i + 1 < ps->len && ps->buf[i + 1] == '\n')
			i++;
		else if (ps->buf[i] != '\r' && ps->buf[i] != '\n')
			continue;
		ALLOC_GROW(ps->lines, ps->lines_nr + 1, ps->lines_alloc);
		ps->lines[ps->lines_nr++] = i + 1;
	}
}

/* The text of file line n (1-based) without its line ending; false past the end. */
static bool get_line(const struct parser *ps, int n, const char **s, size_t *len)
{
	size_t start, end;

	if (n < 1 || (size_t)n > ps->lines_nr)
		return false;
	start = ps->lines[n - 1];
	end = (size_t)n < ps->lines_nr ? ps->lines[n] : ps->len;
	if (end > start && ps->buf[end - 1] == '\n')
		end--;
	if (end > start && ps->buf[end - 1] == '\r')
		end--;
	*s = ps->buf + start;
	*len = end - start;
	return true;
}

static int line_of_offset(const struct parser *ps, size_t off)
{
	size_t lo = 0, hi = ps->lines_nr;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (ps->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo + 1;
}

static int node_line(const struct parser *ps, cmark_node *n)
{
	return cmark_node_get_start_line(n) + ps->line_base;
}

/* The source of a block from its start column, continuation lines left-trimmed. */
static char *block_source(const struct parser *ps, cmark_node *n)
{
	struct strbuf sb = STRBUF_INIT;
	int first = node_line(ps, n), last = cmark_node_get_end_line(n) + ps->line_base, l;
	int col = cmark_node_get_start_column(n);
	char *out;

	for (l = first; l <= last; l++) {
		const char *s;
		size_t len;
		if (!get_line(ps, l, &s, &len))
			break;
		if (l == first) {
			size_t skip = col > 1 ? (size_t)col - 1 : 0;
			if (skip > len)
				skip = len;
			s += skip;
			len -= skip;
		}
		fields_trim(&s, &len);
		if (sb.len)
			strbuf_addch(&sb, '\n');
		strbuf_add(&sb, s, len);
	}
	out = fields_dup_trimmed(sb.buf, sb.len);
	strbuf_release(&sb);
	return out ? out : xstrdup("");
}

/* --- items --- */

static void add_extra(struct action_item *item, const char *name, const char *value)
{
	struct pm_field *f;

	ALLOC_GROW(item->extra, item->extra_nr + 1, item->extra_alloc);
	f = &item->extra[item->extra_nr++];
	f->name = xstrdup(name);
	f->value = xstrdup(value ? value : "");
}

static void set_due(struct action_item *item, const char *s, size_t len)
{
	char date[11];

	fields_trim(&s, &len);
	if (fields_is_none(s, len) || item->due || item->due_raw)
		return;
	if (fields_date(date, s, len)) {
		item->due = xstrdup(date);
		return;
	}
	/* Kept as written; lint reports it (bad-due-date), so it is said once. */
	item->due_raw = xstrndup(s, len);
}

static void set_ticket(struct action_item *item, const char *text, size_t len, const char *url)
{
	struct fields_ticket t;

	if (item->ticket)
		return;
	fields_ticket(&t, text, len, url);
	item->ticket = t.ticket; /* ownership moves to the item */
	item->ticket_kind = t.kind;
	item->ticket_key = t.key;
}

static void set_status(struct action_item *item, enum fields_status st, const char *raw, size_t len)
{
	if (item->status_raw || st == FIELDS_STATUS_NONE)
		return;
	item->status = st == FIELDS_STATUS_DONE ? PM_ITEM_DONE : PM_ITEM_OPEN;
	item->status_raw = fields_dup_trimmed(raw, len);
}

static bool cell_empty(const struct cell *c)
{
	return !c->text[0];
}

/* Reads a status column: words, and yes/x/true as "done". */
static void status_cell(struct action_item *item, const struct cell *c)
{
	static const char *const yes[] = {"yes", "y", "x", "[x]", "true", "oui", NULL};
	const char *const *w;
	size_t len = strlen(c->text);
	enum fields_status st;

	if (!len || fields_is_none(c->text, len))
		return;
	st = fields_status_word(c->text, len);
	for (w = yes; !st && *w; w++)
		if (!strcasecmp(c->text, *w))
			st = FIELDS_STATUS_DONE;
	set_status(item, st ? st : FIELDS_STATUS_OPEN, c->text, len);
}

/* A ticket cell, possibly with a status word glued to its end ("Bug #5 TODO"). */
static void ticket_cell(struct action_item *item, const struct cell *c, enum fields_status *glued,
                        const char **word, size_t *word_len)
{
	size_t len = strlen(c->text), rest = len, off = 0, wlen = 0;
	enum fields_status st = fields_split_status(c->text, len, &rest, &off, &wlen);

	if (st && !*glued) {
		*glued = st;
		*word = c->text + off;
		*word_len = wlen;
	}
	set_ticket(item, c->text, st ? rest : len, c->url);
}

static struct cell *row_add(struct row *r)
{
	struct cell *c;

	ALLOC_GROW(r->v, r->nr + 1, r->alloc);
	c = &r->v[r->nr++];
	memset(c, 0, sizeof(*c));
	return c;
}

/* Empties r for the next row, keeping its memory. */
static void row_reset(struct row *r)
{
	r->nr = 0;
	strbuf_setlen(&r->arena, 0);
}

static void row_release(struct row *r)
{
	free(r->v);
	strbuf_release(&r->arena);
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->arena, 0);
}

/*
 * Turns the arena offsets of the cells into pointers, once the arena has
 * stopped growing. A leading space left by the collapsing is skipped.
 */
static void row_resolve(struct row *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		if (r->v[i].text)
			continue;
		if (r->arena.buf[r->v[i].off] == ' ')
			r->v[i].off++;
		r->v[i].text = r->arena.buf + r->v[i].off;
	}
}

struct table_head {
	char **names;
	enum fields_column *kinds;
	size_t nr;
	size_t action;
};

static void head_release(struct table_head *h)
{
	size_t i;

	for (i = 0; i < h->nr; i++)
		free(h->names[i]);
	free(h->names);
	free(h->kinds);
	memset(h, 0, sizeof(*h));
}

static void head_set(struct table_head *h, const struct row *header)
{
	size_t i;

	h->nr = header->nr;
	h->names = xcalloc(h->nr ? h->nr : 1, sizeof(*h->names));
	h->kinds = xcalloc(h->nr ? h->nr : 1, sizeof(*h->kinds));
	h->action = 0;
	for (i = 0; i < h->nr; i++) {
		h->names[i] = xstrdup(header->v[i].text);
		h->kinds[i] = fields_column(header->v[i].text, strlen(header->v[i].text));
	}
	for (i = h->nr; i > 0; i--)
		if (h->kinds[i - 1] == FIELDS_COL_ACTION)
			h->action = i - 1;
}

static void extra_cell(struct action_item *item, const char *name, size_t index,
                       const struct cell *c)
{
	char *generated = NULL;

	if (!name)
		name = generated = xasprintf("column %zu", index + 1);
	add_extra(item, name, c->text);
	free(generated);
}

/* Turns one table row into an item (or nothing for an empty or template row). */
static void table_item(struct parser *ps, const struct table_head *h, const struct row *r)
{
	struct action_item *item;
	const struct cell *action, *type_link = NULL;
	bool seen[FIELDS_COL_ID + 1] = {false};
	enum fields_status glued = FIELDS_STATUS_NONE, type_status = FIELDS_STATUS_NONE;
	const char *glued_word = NULL, *type_word = NULL;
	size_t glued_len = 0, i;

	if (h->action >= r->nr)
		return;
	action = &r->v[h->action];
	if (fields_is_placeholder(action->text, strlen(action->text)))
		return;
	item = postmortem_add_item(ps->pm);
	item->line = r->line;
	item->col = r->col;
	item->text = xstrdup(action->text);
	item->markdown = action->md ? fields_dup_trimmed(action->md, action->md_len) : NULL;
	if (!item->markdown)
		item->markdown = xstrdup(action->text);
	seen[FIELDS_COL_ACTION] = true;
	for (i = 0; i < r->nr; i++) {
		const struct cell *c = &r->v[i];
		enum fields_column kind = i < h->nr ? h->kinds[i] : FIELDS_COL_OTHER;
		size_t len = strlen(c->text);
		if (i == h->action)
			continue;
		if (kind != FIELDS_COL_OTHER && seen[kind])
			kind = FIELDS_COL_OTHER;
		seen[kind] = true;
		switch (kind) {
		case FIELDS_COL_OWNER:
			item->owner = fields_owner(c->text, len);
			break;
		case FIELDS_COL_DUE:
			set_due(item, c->text, len);
			break;
		case FIELDS_COL_LEVER:
			if ((type_status = fields_status_word(c->text, len)))
				type_word = c->text;
			else if (c->url && c->url[0] != '#')
				type_link = c;
			else
				item->lever = fields_lever(c->text, len);
			break;
		case FIELDS_COL_TICKET:
			ticket_cell(item, c, &glued, &glued_word, &glued_len);
			break;
		case FIELDS_COL_STATUS:
			status_cell(item, c);
			break;
		case FIELDS_COL_PRIORITY:
			if (!fields_is_none(c->text, len))
				item->priority = fields_dup_trimmed(c->text, len);
			break;
		case FIELDS_COL_ID:
			if (!fields_is_none(c->text, len))
				item->id = fields_dup_trimmed(c->text, len);
			break;
		default:
			extra_cell(item, i < h->nr ? h->names[i] : NULL, i, c);
			break;
		}
	}
	if (glued)
		set_status(item, glued, glued_word, glued_len);
	if (type_status)
		set_status(item, type_status, type_word, strlen(type_word));
	if (type_link && !item->ticket)
		set_ticket(item, "", 0, type_link->url);
}

static bool row_all_empty(const struct row *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (!cell_empty(&r->v[i]))
			return false;
	return true;
}

/*
 * Splits a raw table row at unescaped pipes, as cmark-gfm does, into
 * ps->spans (pointers into the source).
 */
static void split_raw_row(struct parser *ps, const char *s, size_t len)
{
	size_t i, start;

	ps->spans_nr = 0;
	fields_trim(&s, &len);
	if (len && s[0] == '|') {
		s++;
		len--;
	}
	if (len && s[len - 1] == '|' && !(len >= 2 && s[len - 2] == '\\'))
		len--;
	for (i = 0, start = 0;; i++) {
		if (i + 1 < len && s[i] == '\\') {
			i++;
			continue;
		}
		if (i >= len || s[i] == '|') {
			size_t stop = i < len ? i : len;
			const char *c = s + start;
			size_t n = stop > start ? stop - start : 0;
			fields_trim(&c, &n);
			ALLOC_GROW(ps->spans, ps->spans_nr + 1, ps->spans_alloc);
			ps->spans[ps->spans_nr].s = c;
			ps->spans[ps->spans_nr].len = n;
			ps->spans_nr++;
			start = i + 1;
			if (i >= len)
				break;
		}
	}
}

/* Appends the plain text of inline content to out; *url gets the first link. */
static void inline_text(struct strbuf *out, bool *space, cmark_node *parent, const char **url,
                        int depth)
{
	cmark_node *n;

	for (n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
		cmark_node_type type = cmark_node_get_type(n);
		const char *lit;
		if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
			lit = cmark_node_get_literal(n);
			if (lit)
				fields_add_collapsed(out, space, lit, strlen(lit));
		} else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
			*space = true;
		} else if (type == CMARK_NODE_HTML_INLINE) {
			lit = cmark_node_get_literal(n);
			if (lit && (!strncmp(lit, "<br", 3) || !strncmp(lit, "<BR", 3)))
				*space = true;
		} else if (type != CMARK_NODE_IMAGE && type != CMARK_NODE_FOOTNOTE_REFERENCE &&
		           depth < 16) {
			if (type == CMARK_NODE_LINK && !*url) {
				const char *u = cmark_node_get_url(n);
				if (u && u[0] && u[0] != '#')
					*url = u;
			}
			inline_text(out, space, n, url, depth + 1);
		}
	}
}

/* Adds the cells of a cmark table row to row (texts in its arena). */
static void cells_from_node(struct row *row, cmark_node *r)
{
	cmark_node *c;

	for (c = cmark_node_first_child(r); c; c = cmark_node_next(c)) {
		struct cell *cell = row_add(row);
		bool space = false;
		cell->off = row->arena.len;
		inline_text(&row->arena, &space, c, &cell->url, 0);
		strbuf_addch(&row->arena, '\0');
	}
}

/* Reads a GFM table; with need_action, only when its first header names an action column. */
static void gfm_table(struct parser *ps, cmark_node *table, bool need_action)
{
	struct table_head h = {NULL, NULL, 0, 0};
	struct row *row = &ps->row;
	size_t ncols = cmark_gfm_extensions_get_table_columns(table);
	cmark_node *r;

	r = cmark_node_first_child(table);
	if (!r || !cmark_gfm_extensions_get_table_row_is_header(r))
		return;
	row_reset(row);
	cells_from_node(row, r);
	row_resolve(row);
	head_set(&h, row);
	if (need_action && (!h.nr || h.kinds[0] != FIELDS_COL_ACTION))
		goto done;
	for (r = cmark_node_next(r); r; r = cmark_node_next(r)) {
		const char *s;
		size_t len, i, cells;
		int col = cmark_node_get_start_column(r);

		row_reset(row);
		row->line = node_line(ps, r);
		row->col = col > 0 ? col : 1;
		cells_from_node(row, r);
		cells = row->nr;
		ps->spans_nr = 0;
		if (get_line(ps, row->line, &s, &len)) {
			size_t skip = col > 1 ? (size_t)col - 1 : 0;
			if (skip > len)
				skip = len;
			split_raw_row(ps, s + skip, len - skip);
		}
		for (i = 0; i < ps->spans_nr && i < cells; i++) {
			row->v[i].md = ps->spans[i].s;
			row->v[i].md_len = ps->spans[i].len;
		}
		if (ps->spans_nr > ncols && ps->spans_nr > cells) {
			pm_diags_add(ps->diags, PM_DIAG_WARNING, ps->pm->path, row->line, row->col,
			             "ragged-row",
			             "table row has %zu cells, the header has %zu: the extra cells "
			             "are kept as extra fields",
			             ps->spans_nr, ncols);
			for (i = cells; i < ps->spans_nr; i++) {
				struct cell *extra = row_add(row);
				extra->off = row->arena.len;
				extra->md = ps->spans[i].s;
				extra->md_len = ps->spans[i].len;
				fields_md_to_plain(&row->arena, extra->md, extra->md_len);
				strbuf_addch(&row->arena, '\0');
			}
		}
		row_resolve(row);
		if (!row_all_empty(row))
			table_item(ps, &h, row);
	}
done:
	head_release(&h);
}

/* Adds the cells of an HTML table row to row (texts borrowed from the table). */
static void cells_from_html(struct row *row, const struct htmltable_row *hr)
{
	size_t j;

	for (j = 0; j < hr->nr; j++) {
		struct cell *c = row_add(row);
		c->text = hr->cells[j].text;
		c->md = hr->cells[j].raw;
		c->md_len = strlen(c->md);
		c->url = hr->cells[j].href;
	}
}

/*
 * Reads the HTML table starting at node's line, up to limit (a byte offset).
 * Returns the last file line it consumed.
 */
static int html_table(struct parser *ps, cmark_node *node, size_t limit, bool need_action)
{
	struct htmltable t = HTMLTABLE_INIT;
	struct table_head h = {NULL, NULL, 0, 0};
	struct row *row = &ps->row;
	int line = node_line(ps, node), last = line;
	size_t start, i;

	if (line < 1 || (size_t)line > ps->lines_nr)
		return line;
	start = ps->lines[line - 1];
	if (limit < start || limit > ps->len)
		limit = ps->len;
	if (htmltable_parse(&t, ps->buf + start, limit - start, line) < 0)
		return line;
	last = line_of_offset(ps, start + (t.end ? t.end - 1 : 0));
	if (!t.nr)
		goto done;
	row_reset(row);
	cells_from_html(row, &t.rows[0]);
	head_set(&h, row);
	if (need_action && (!h.nr || h.kinds[0] != FIELDS_COL_ACTION))
		goto done;
	for (i = 1; i < t.nr; i++) {
		row_reset(row);
		row->line = t.rows[i].line;
		row->col = 1;
		cells_from_html(row, &t.rows[i]);
		if (!row_all_empty(row))
			table_item(ps, &h, row);
	}
done:
	head_release(&h);
	htmltable_release(&t);
	return last;
}

/* --- list items --- */

static bool starts_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !strncasecmp(s, prefix, n);
}

static bool has_digit(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return true;
	return false;
}

static bool is_handle_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

static size_t trim_end(const char *t, size_t s, size_t e)
{
	while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t'))
		e--;
	return e;
}

/* Drops separators and connecting words left dangling after a removed token. */
static size_t drop_dangling(const char *t, size_t s, size_t e)
{
	static const char *const words[] = {"see",        "see:",   "related to",
	                                    "tracked in", "owner:", NULL};
	bool again = true;

	while (again) {
		const char *const *w;
		again = false;
		e = trim_end(t, s, e);
		if (e > s && strchr(",;:(-", t[e - 1])) {
			e--;
			again = true;
			continue;
		}
		if (e - s >= 3 &&
		    ((unsigned char)t[e - 3] == 0xe2 && (unsigned char)t[e - 2] == 0x80 &&
		     ((unsigned char)t[e - 1] == 0x93 || (unsigned char)t[e - 1] == 0x94))) {
			e -= 3;
			again = true;
			continue;
		}
		for (w = words; *w; w++) {
			size_t n = strlen(*w);
			if (e - s >= n && !strncasecmp(t + e - n, *w, n) &&
			    (e - s == n || t[e - n - 1] == ' ')) {
				e -= n;
				again = true;
				break;
			}
		}
	}
	return e;
}

/* True when link text reads as a reference: "Issue", "PR", "#12", "db#411", the URL itself. */
static bool is_ref_text(const char *t, size_t len, const char *url)
{
	static const char *const words[] = {
	        "issue", "pr", "pull request", "bug", "ticket", "mr", "github issue", "link", NULL};
	struct strbuf norm = STRBUF_INIT;
	const char *const *w;
	bool ref = false;
	size_t i;

	if (url && strlen(url) == len && !memcmp(t, url, len))
		return true;
	if (memchr(t, '#', len)) {
		const char *h = memchr(t, '#', len);
		for (i = (size_t)(h - t) + 1; i < len && t[i] >= '0' && t[i] <= '9'; i++)
			;
		if (i == len && (size_t)(h - t) + 1 < len)
			return true;
	}
	fields_normalize(&norm, t, len);
	for (w = words; *w && !ref; w++) {
		size_t n = strlen(*w);
		const char *p = norm.buf;
		while ((p = strstr(p, *w))) {
			if ((p == norm.buf || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ')) {
				ref = true;
				break;
			}
			p++;
		}
	}
	strbuf_release(&norm);
	return ref;
}

/*
 * Strips one trailing token from t[s..*e): a reference link, "(lever)",
 * "(Done)", "[Name]", "due DATE", "@handle", "Owner: x". Fills item.
 */
static bool strip_trailing(struct action_item *item, const struct plain *p, size_t s, size_t *e)
{
	const char *t = p->sb.buf;
	size_t end = trim_end(t, s, *e), i, k;

	if (end == s)
		return false;
	/* a link at the end, maybe in parentheses, maybe before a full stop */
	for (i = p->links_nr; i > 0; i--) {
		const struct plain_link *l = &p->links[i - 1];
		size_t ls = l->start, le = l->end, stop = end;
		bool paren = false;
		enum fields_status st;
		if (t[stop - 1] == '.' && stop - 1 > s)
			stop--;
		if (le + 1 == stop && t[stop - 1] == ')' && ls > s && t[ls - 1] == '(')
			paren = true;
		else if (le != stop && le != end)
			continue;
		if (ls < s || !l->url || !l->url[0] || l->url[0] == '#')
			break;
		st = fields_status_word(t + ls, le - ls);
		if (!st && !fields_is_tracker_url(l->url) && !is_ref_text(t + ls, le - ls, l->url))
			break;
		if (st)
			set_status(item, st, t + ls, le - ls);
		if (item->ticket)
			return false;
		set_ticket(item, "", 0, l->url);
		k = drop_dangling(t, s, paren ? ls - 1 : ls);
		if (k == s)
			return false; /* the reference is the whole text: keep it as text */
		*e = k;
		return true;
	}
	/* (alert), (Done), (due 2026-05-01), (@alice), (ENG-12) */
	if (t[end - 1] == ')') {
		const char *open = NULL;
		for (k = end - 1; k > s; k--) {
			if (t[k - 1] == '(') {
				open = t + k - 1;
				break;
			}
			if (t[k - 1] == ')')
				break;
		}
		if (open) {
			const char *in = open + 1;
			size_t n = (size_t)(t + end - 1 - in), at = (size_t)(open - t);
			enum fields_status st = fields_status_word(in, n);
			char date[11];
			bool used = true;
			fields_trim(&in, &n);
			if (fields_is_lever(in, n, NULL) && !item->lever)
				item->lever = fields_lever(in, n);
			else if (st)
				set_status(item, st, in, n);
			else if (starts_ci(in, n, "due ") && fields_date(date, in + 4, n - 4))
				set_due(item, in + 4, n - 4);
			else if (n > 1 && in[0] == '@' && !item->owner)
				item->owner = fields_owner(in, n);
			else if (starts_ci(in, n, "owner:") && !item->owner)
				item->owner = fields_owner(in + 6, n - 6);
			else if (fields_is_ticket_key(in, n) && !item->ticket)
				set_ticket(item, in, n, NULL);
			else
				used = false;
			if (used && drop_dangling(t, s, at) > s) {
				*e = drop_dangling(t, s, at);
				return true;
			}
		}
	}
	/* [Name]: bracket text that is not a link */
	if (t[end - 1] == ']' && !item->owner) {
		const char *open = NULL;
		size_t words = 1;
		for (k = end - 1; k > s; k--) {
			if (t[k - 1] == '[') {
				open = t + k - 1;
				break;
			}
			if (t[k - 1] == ']' || t[k - 1] == ':' || t[k - 1] == '/')
				break;
			if (t[k - 1] == ' ')
				words++;
		}
		if (open && words <= 3 && open + 1 < t + end - 1 && open[1] != ' ' &&
		    (size_t)(open - t) > s) {
			item->owner = fields_owner(open + 1, (size_t)(t + end - 1 - open - 1));
			if (item->owner) {
				*e = drop_dangling(t, s, (size_t)(open - t));
				return true;
			}
		}
	}
	/* due 2026-05-01, due: May 1, 2026 */
	for (k = end; k > s + 4; k--) {
		char date[11];
		size_t v;
		if (!(t[k - 1] == ' ' && starts_ci(t + k - 4, end - k + 4, "due") &&
		      (k - 4 == s || t[k - 5] == ' ')) &&
		    !(k >= s + 5 && t[k - 1] == ' ' && t[k - 2] == ':' &&
		      starts_ci(t + k - 5, end - k + 5, "due:") && (k - 5 == s || t[k - 6] == ' ')))
			continue;
		v = k;
		if (fields_date(date, t + v, end - v) ||
		    (!memchr(t + v, ' ', end - v) && has_digit(t + v, end - v))) {
			size_t at = t[k - 2] == ':' ? k - 5 : k - 4;
			if (drop_dangling(t, s, at) == s)
				break;
			set_due(item, t + v, end - v);
			*e = drop_dangling(t, s, at);
			return true;
		}
		break;
	}
	/* @handle, — @handle */
	while (end > s && t[end - 1] == '.')
		end--;
	for (k = end; k > s && is_handle_char((unsigned char)t[k - 1]); k--)
		;
	if (k > s && t[k - 1] == '@' && k < end && (k - 1 == s || t[k - 2] == ' ') &&
	    !item->owner && k - 1 > s) {
		item->owner = xstrndup(t + k, end - k);
		*e = drop_dangling(t, s, k - 1);
		return true;
	}
	/* Owner: Jane Doe */
	for (k = end; k > s + 6; k--) {
		if (starts_ci(t + k - 6, 6, "owner:") &&
		    (k - 6 == s || t[k - 7] == ' ' || t[k - 7] == '(' || t[k - 7] == '.')) {
			if (!item->owner && end - k < 64 && k - 6 > s)
				item->owner = fields_owner(t + k, end - k);
			if (item->owner) {
				*e = drop_dangling(t, s, k - 6);
				return true;
			}
			break;
		}
	}
	return false;
}

/* Reads the leading forms: "[ ] " left by a malformed box, "TODO(owner):", "@x will". */
static size_t strip_leading(struct action_item *item, const struct plain *p, size_t s, size_t e)
{
	const char *t = p->sb.buf;
	size_t k;

	if (starts_ci(t + s, e - s, "[] ") || starts_ci(t + s, e - s, "[ ] ")) {
		set_status(item, FIELDS_STATUS_OPEN, "[ ]", 3);
		s += t[s + 1] == ']' ? 3 : 4;
	} else if (starts_ci(t + s, e - s, "[x] ")) {
		set_status(item, FIELDS_STATUS_DONE, "[x]", 3);
		s += 4;
	}
	if (starts_ci(t + s, e - s, "todo(")) {
		const char *close = memchr(t + s, ')', e - s);
		if (close) {
			if (!item->owner)
				item->owner = fields_owner(t + s + 5, (size_t)(close - t - s - 5));
			set_status(item, FIELDS_STATUS_OPEN, "TODO", 4);
			s = (size_t)(close - t) + 1;
			while (s < e && (t[s] == ':' || t[s] == ' '))
				s++;
		}
	} else if (starts_ci(t + s, e - s, "todo:")) {
		set_status(item, FIELDS_STATUS_OPEN, "TODO", 4);
		for (s += 5; s < e && t[s] == ' '; s++)
			;
	}
	if (s < e && t[s] == '@') {
		for (k = s + 1; k < e && is_handle_char((unsigned char)t[k]); k++)
			;
		if (k > s + 1 && k < e && t[k] == ' ') {
			size_t w = k + 1;
			if (starts_ci(t + w, e - w, "will ") || starts_ci(t + w, e - w, "to ")) {
				if (!item->owner)
					item->owner = xstrndup(t + s + 1, k - s - 1);
				s = w + (t[w] == 'w' || t[w] == 'W' ? 5 : 3);
			}
		} else if (k > s + 1 && k + 1 < e && t[k] == ':' && t[k + 1] == ' ') {
			if (!item->owner)
				item->owner = xstrndup(t + s + 1, k - s - 1);
			s = k + 2;
		}
	}
	return s;
}

/* A bare reference as the whole text: "#2127", "org/repo#12", "ENG-12". */
static void whole_ref(struct action_item *item, const char *t)
{
	size_t len = strlen(t), i = 0;

	if (item->ticket)
		return;
	if (len > 1 && t[0] == '#') {
		for (i = 1; i < len && t[i] >= '0' && t[i] <= '9'; i++)
			;
		if (i == len)
			set_ticket(item, t, len, NULL);
	} else if (fields_is_ticket_key(t, len) ||
	           (memchr(t, '#', len) && memchr(t, '/', len) && !memchr(t, ' ', len))) {
		set_ticket(item, t, len, NULL);
		if (item->ticket_kind == PM_TICKET_OTHER) {
			free(item->ticket);
			item->ticket = NULL;
			item->ticket_kind = PM_TICKET_NONE;
		}
	}
}

/* True for a paragraph that is only a group label: "**Review actions**:", "Process:". */
static bool is_label(cmark_node *para, const struct plain *p)
{
	cmark_node *first = cmark_node_first_child(para), *second;
	size_t len = p->sb.len;

	if (!first || !len)
		return false;
	if (p->sb.buf[len - 1] == ':')
		return true;
	second = cmark_node_next(first);
	return (cmark_node_get_type(first) == CMARK_NODE_STRONG ||
	        cmark_node_get_type(first) == CMARK_NODE_EMPH) &&
	       (!second ||
	        (cmark_node_get_type(second) == CMARK_NODE_TEXT && !cmark_node_next(second) &&
	         strspn(cmark_node_get_literal(second), ": ") ==
	                 strlen(cmark_node_get_literal(second))));
}

static void add_notes(struct action_item *item, cmark_node *list)
{
	struct strbuf notes = STRBUF_INIT;
	cmark_node *it;

	for (it = cmark_node_first_child(list); it; it = cmark_node_next(it)) {
		cmark_node *para = cmark_node_first_child(it);
		struct plain p;
		if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
			continue;
		plain_init(&p);
		plain_inlines(&p, para, 0);
		if (p.sb.len) {
			if (notes.len)
				strbuf_addstr(&notes, "; ");
			strbuf_addbuf(&notes, &p.sb);
		}
		plain_release(&p);
	}
	if (notes.len)
		add_extra(item, "notes", notes.buf);
	strbuf_release(&notes);
}

static void list_items(struct parser *ps, cmark_node *list, int depth);

/*
 * "**Title**: why it matters": the bold title is the action, the rest goes to
 * the "details" field. Returns false (nothing set) for any other shape.
 */
static bool split_title(struct action_item *item, cmark_node *para, const struct plain *p, size_t s,
                        size_t e)
{
	cmark_node *first = cmark_node_first_child(para);
	struct plain title;
	const char *t = p->sb.buf;
	char *details;
	size_t n, r;
	bool split = false;

	if (s || !first || cmark_node_get_type(first) != CMARK_NODE_STRONG)
		return false;
	plain_init(&title);
	plain_inlines(&title, first, 0);
	n = title.sb.len;
	if (n < 2 || n >= e || memcmp(t, title.sb.buf, n) || fields_status_word(t, n) ||
	    (t[n] != ':' && t[n] != ' ' && title.sb.buf[n - 1] != ':'))
		goto done;
	for (r = n; r < e && (t[r] == ':' || t[r] == ' ' || t[r] == '-'); r++)
		;
	if (r >= e)
		goto done;
	while (n > 0 && (t[n - 1] == ':' || t[n - 1] == ' '))
		n--;
	if (!n)
		goto done;
	item->text = xstrndup(t, n);
	details = xstrndup(t + r, e - r);
	add_extra(item, "details", details);
	free(details);
	split = true;
done:
	plain_release(&title);
	return split;
}

/* Reads list item li; start skips an inline label already read ("**Review actions**: "). */
static void list_item(struct parser *ps, cmark_node *li, int depth, size_t start)
{
	cmark_node *para = cmark_node_first_child(li), *sub = NULL, *n;
	struct action_item *item;
	struct plain p;
	size_t s, e;
	int col, guard;

	if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return;
	for (n = cmark_node_next(para); n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_LIST && !sub)
			sub = n;
	plain_init(&p);
	plain_inlines(&p, para, 0);
	plain_autolink(&p);
	if (start > p.sb.len)
		goto done;
	if (!start && sub && is_label(para, &p)) {
		if (depth < 8)
			list_items(ps, sub, depth + 1);
		goto done;
	}
	if (fields_is_placeholder(p.sb.buf, p.sb.len))
		goto done;
	item = postmortem_add_item(ps->pm);
	item->line = node_line(ps, li);
	col = cmark_node_get_start_column(li);
	item->col = col > 0 ? col : 1;
	if (is_type(li, "tasklist")) {
		bool checked = cmark_gfm_extensions_get_tasklist_item_checked(li);
		set_status(item, checked ? FIELDS_STATUS_DONE : FIELDS_STATUS_OPEN,
		           checked ? "[x]" : "[ ]", 3);
	}
	s = strip_leading(item, &p, start, p.sb.len);
	e = p.sb.len;
	for (guard = 0; guard < 8 && strip_trailing(item, &p, s, &e); guard++)
		;
	e = trim_end(p.sb.buf, s, e);
	if (!split_title(item, para, &p, s, e))
		item->text = xstrndup(p.sb.buf + s, e - s);
	item->markdown = block_source(ps, para);
	whole_ref(item, item->text);
	if (!item->text[0] || fields_is_placeholder(item->text, strlen(item->text))) {
		action_item_release(item);
		ps->pm->items_nr--;
		goto done;
	}
	if (sub)
		add_notes(item, sub);
done:
	plain_release(&p);
}

static void list_items(struct parser *ps, cmark_node *list, int depth)
{
	cmark_node *li;

	for (li = cmark_node_first_child(list); li; li = cmark_node_next(li))
		list_item(ps, li, depth, 0);
}

/* --- sections --- */

static bool matches_label(const struct parser *ps, const struct fields_label *l, bool whole)
{
	size_t i;

	for (i = 0; i < ps->patterns_nr; i++)
		if (fields_label_match(l, ps->patterns[i].s, ps->patterns[i].len,
		                       ps->patterns[i].words, whole))
			return true;
	return false;
}

static bool matches_action(const struct parser *ps, const char *text, size_t len, bool whole)
{
	struct strbuf norm = STRBUF_INIT;
	struct fields_label l;
	bool match;

	fields_normalize(&norm, text, len);
	fields_label_prepare(&l, norm.buf, norm.len);
	match = matches_label(ps, &l, whole);
	strbuf_release(&norm);
	return match;
}

static bool is_html_table(cmark_node *n)
{
	const char *lit;

	if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK)
		return false;
	lit = cmark_node_get_literal(n);
	return lit && htmltable_starts(lit, strlen(lit));
}

/* True when a list item of list is a group label with a sub-list ("**Review actions**:"). */
static bool has_groups(cmark_node *list)
{
	cmark_node *li;
	bool groups = false;

	for (li = cmark_node_first_child(list); li && !groups; li = cmark_node_next(li)) {
		cmark_node *para = cmark_node_first_child(li), *sub;
		struct plain p;
		if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
			continue;
		for (sub = cmark_node_next(para);
		     sub && cmark_node_get_type(sub) != CMARK_NODE_LIST; sub = cmark_node_next(sub))
			;
		if (!sub)
			continue;
		plain_init(&p);
		plain_inlines(&p, para, 0);
		groups = is_label(para, &p);
		plain_release(&p);
	}
	return groups;
}

/* The next heading after the current block, remembered while the walk moves forward. */
struct ahead {
	bool valid;
	cmark_node *heading; /* NULL: none until the end */
};

/*
 * Byte offset where the next heading after n starts: the end of any HTML
 * table inside n. The answer is kept in a, so that a section of many HTML
 * tables is still walked once.
 */
static size_t next_heading_offset(const struct parser *ps, cmark_node *n, struct ahead *a)
{
	int line;

	if (!a->valid || (a->heading && node_line(ps, a->heading) <= node_line(ps, n))) {
		cmark_node *h = cmark_node_next(n);
		while (h && cmark_node_get_type(h) != CMARK_NODE_HEADING)
			h = cmark_node_next(h);
		a->heading = h;
		a->valid = true;
	}
	if (!a->heading)
		return ps->len;
	line = node_line(ps, a->heading);
	return line >= 1 && (size_t)line <= ps->lines_nr ? ps->lines[line - 1] : ps->len;
}

/* Reads the items of the blocks [first, end): tables when there are any, else lists. */
static void section_items(struct parser *ps, cmark_node *first, cmark_node *end)
{
	cmark_node *n, *prev = NULL;
	struct ahead ahead = {false, NULL};
	bool tables = false;
	int skip_to = 0;
	size_t last_numbered = 0; /* 1 + index of the last item of a numbered list */

	for (n = first; n && n != end && !tables; n = cmark_node_next(n))
		tables = is_type(n, "table") || is_html_table(n);
	for (n = first; n && n != end; prev = n, n = cmark_node_next(n)) {
		if (node_line(ps, n) <= skip_to)
			continue;
		if (is_type(n, "table")) {
			gfm_table(ps, n, false);
		} else if (is_html_table(n)) {
			skip_to = html_table(ps, n, next_heading_offset(ps, n, &ahead), false);
		} else if (!tables && cmark_node_get_type(n) == CMARK_NODE_LIST) {
			bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
			size_t before = ps->pm->items_nr;
			/*
			 * A bullet list right after a numbered one, at the same level: the
			 * sub-list of the last numbered item, written without indentation.
			 */
			if (!ordered && last_numbered && prev &&
			    cmark_node_get_type(prev) == CMARK_NODE_LIST &&
			    cmark_node_get_list_type(prev) == CMARK_ORDERED_LIST &&
			    !has_groups(n)) {
				add_notes(&ps->pm->items[last_numbered - 1], n);
				continue;
			}
			list_items(ps, n, 0);
			last_numbered = ordered && ps->pm->items_nr > before ? ps->pm->items_nr : 0;
		}
	}
}

/* The first heading at or after start whose level is at most level, or NULL. */
static cmark_node *section_end(cmark_node *start, int level)
{
	cmark_node *n;

	for (n = start; n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(n) <= level)
			return n;
	return NULL;
}

/*
 * "**Action items**: do this": when the bold label matches a heading pattern
 * and text follows, returns the offset of that text in p, else 0.
 */
static size_t inline_label(const struct parser *ps, cmark_node *para, const struct plain *p)
{
	cmark_node *first = cmark_node_first_child(para);
	struct plain label;
	size_t n, r = 0;

	if (!first || cmark_node_get_type(first) != CMARK_NODE_STRONG)
		return 0;
	plain_init(&label);
	plain_inlines(&label, first, 0);
	n = label.sb.len;
	if (n && n < p->sb.len && !memcmp(p->sb.buf, label.sb.buf, n) &&
	    (label.sb.buf[n - 1] == ':' || p->sb.buf[n] == ':') &&
	    matches_action(ps, label.sb.buf, n, true)) {
		for (r = n; r < p->sb.len && (p->sb.buf[r] == ':' || p->sb.buf[r] == ' '); r++)
			;
		if (r >= p->sb.len)
			r = 0;
	}
	plain_release(&label);
	return r;
}

/* True for a block on one line of at most 100 columns: a label, not prose. */
static bool short_block(cmark_node *n)
{
	return cmark_node_get_start_line(n) == cmark_node_get_end_line(n) &&
	       cmark_node_get_end_column(n) - cmark_node_get_start_column(n) < 100;
}

/* Files without an action heading: the fallbacks, in document order. */
static void fallback_items(struct parser *ps, cmark_node *doc)
{
	cmark_node *n = cmark_node_first_child(doc);
	struct ahead ahead = {false, NULL};
	int skip_to = 0;

	while (n) {
		cmark_node *next = cmark_node_next(n);
		cmark_node_type type = cmark_node_get_type(n);
		if (node_line(ps, n) <= skip_to) {
			n = next;
			continue;
		}
		if (type == CMARK_NODE_PARAGRAPH && short_block(n)) {
			struct plain p;
			bool label;
			plain_init(&p);
			plain_inlines(&p, n, 0);
			label = p.sb.len < 80 && matches_action(ps, p.sb.buf, p.sb.len, true);
			plain_release(&p);
			if (label) {
				cmark_node *end = section_end(next, 6);
				section_items(ps, next, end);
				n = end;
				continue;
			}
		} else if (is_type(n, "table")) {
			gfm_table(ps, n, true);
		} else if (is_html_table(n)) {
			skip_to = html_table(ps, n, next_heading_offset(ps, n, &ahead), true);
		} else if (type == CMARK_NODE_LIST) {
			cmark_node *li;
			for (li = cmark_node_first_child(n); li; li = cmark_node_next(li)) {
				cmark_node *para = cmark_node_first_child(li), *sub, *first;
				struct plain p;
				size_t skip;
				if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
					continue;
				for (sub = cmark_node_next(para);
				     sub && cmark_node_get_type(sub) != CMARK_NODE_LIST;
				     sub = cmark_node_next(sub))
					;
				/* a label is bold, or a short line with a sub-list */
				first = cmark_node_first_child(para);
				if (!(first && cmark_node_get_type(first) == CMARK_NODE_STRONG) &&
				    !(sub && short_block(para)))
					continue;
				plain_init(&p);
				plain_inlines(&p, para, 0);
				if (sub && is_label(para, &p) &&
				    matches_action(ps, p.sb.buf, p.sb.len, true))
					list_items(ps, sub, 1);
				else if ((skip = inline_label(ps, para, &p)))
					list_item(ps, li, 1, skip);
				plain_release(&p);
			}
		}
		n = next;
	}
}

/* --- headings, title, dates --- */

static void add_heading(struct parser *ps, cmark_node *n, char *text, int line)
{
	struct postmortem *pm = ps->pm;
	struct heading *h;
	size_t alloc = pm->headings_alloc;

	ALLOC_GROW(pm->headings, pm->headings_nr + 1, pm->headings_alloc);
	/* heading_lines shares the capacity of headings */
	if (pm->headings_alloc != alloc || !pm->heading_lines)
		pm->heading_lines =
		        xrealloc(pm->heading_lines,
		                 xmul_size(pm->headings_alloc, sizeof(*pm->heading_lines)));
	pm->headings[pm->headings_nr] = text;
	pm->heading_lines[pm->headings_nr] = line;
	pm->headings_nr++;
	ALLOC_GROW(ps->hd, ps->hd_nr + 1, ps->hd_alloc);
	h = &ps->hd[ps->hd_nr++];
	h->node = n;
	h->level = cmark_node_get_heading_level(n);
	h->line = line;
	h->action = false;
	h->chain = false;
}

static void scan_chain(struct parser *ps, int from, int to)
{
	int l;

	for (l = from; l < to && ps->pm->detection_chain_minutes < 0; l++) {
		const char *s, *p;
		size_t len;
		char *end, tmp[32];
		long v;
		size_t n;
		if (!get_line(ps, l, &s, &len) || len < 24)
			continue;
		p = s;
		while (p < s + len && !(p[0] == 'd' && s + len - p >= 23 &&
		                        !memcmp(p, "detection_chain_minutes", 23)))
			p++;
		if (p >= s + len)
			continue;
		p += 23;
		while (p < s + len && (*p == '*' || *p == '_' || *p == '`' || *p == ' '))
			p++;
		if (p >= s + len || (*p != ':' && *p != '='))
			continue;
		p++;
		while (p < s + len && (*p == ' ' || *p == '*' || *p == '`'))
			p++;
		n = (size_t)(s + len - p) < sizeof(tmp) - 1 ? (size_t)(s + len - p)
		                                            : sizeof(tmp) - 1;
		memcpy(tmp, p, n);
		tmp[n] = '\0';
		errno = 0;
		v = strtol(tmp, &end, 10);
		if (end != tmp && !errno && v >= 0)
			ps->pm->detection_chain_minutes = v;
	}
}

/* True when s holds the word "date" in any case: the cheap test before reading a Date field. */
static bool has_date_word(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i + 4 <= len; i++)
		if ((s[i] | 0x20) == 'd' && (s[i + 1] | 0x20) == 'a' && (s[i + 2] | 0x20) == 't' &&
		    (s[i + 3] | 0x20) == 'e' &&
		    (i == 0 || !((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z')))
			return true;
	return false;
}

/* Reads "Date: X" (or "Date" then X on the next line) from one raw line near the top. */
static bool date_line(struct parser *ps, const char *s, size_t len, const char *next,
                      size_t next_len)
{
	struct strbuf plain = STRBUF_INIT, label = STRBUF_INIT;
	const char *v, *colon;
	char date[11];
	bool found = false;
	size_t vlen;

	if (!has_date_word(s, len))
		return false; /* most lines: no work beyond this scan */
	fields_trim(&s, &len);
	while (len && (*s == '#' || *s == '>' || *s == '-' || *s == '*' || *s == '+') &&
	       !(len > 1 && s[0] == '*' && s[1] == '*')) {
		s++;
		len--;
		fields_trim(&s, &len);
	}
	if (len && *s == '|') {
		/* | Date | 2022-04-20 | */
		const char *bar = memchr(s + 1, '|', len - 1);
		if (bar) {
			fields_md_to_plain(&plain, s + 1, (size_t)(bar - s - 1));
			strbuf_addch(&plain, ':');
			fields_md_to_plain(&plain, bar + 1, len - (size_t)(bar - s) - 1);
		}
	} else {
		fields_md_to_plain(&plain, s, len);
	}
	colon = memchr(plain.buf, ':', plain.len);
	fields_normalize(&label, plain.buf, colon ? (size_t)(colon - plain.buf) : plain.len);
	if (strcmp(label.buf, "date") && strncmp(label.buf, "date of", 7) &&
	    strcmp(label.buf, "incident date"))
		goto done;
	v = colon ? colon + 1 : plain.buf + plain.len;
	vlen = plain.len - (size_t)(v - plain.buf);
	while (vlen && (*v == ' ' || *v == '|')) {
		v++;
		vlen--;
	}
	if (vlen) {
		found = fields_date_prefix(date, v, vlen) > 0;
	} else if (next) {
		strbuf_reset(&plain);
		fields_md_to_plain(&plain, next, next_len);
		found = fields_date(date, plain.buf, plain.len);
	}
	if (found) {
		ps->pm->date = xstrdup(date);
		ps->pm->date_source = xstrdup("Date field");
	}
done:
	strbuf_release(&plain);
	strbuf_release(&label);
	return found;
}

static void find_date(struct parser *ps, int body_line)
{
	const char *base = ps->pm->path ? strrchr(ps->pm->path, '/') : NULL;
	const char *fm = postmortem_meta(ps->pm, "date");
	char date[11];
	int l, last = body_line + DATE_FIELD_LINES;
	bool fence = false;

	if (fm && fields_date_prefix(date, fm, strlen(fm))) {
		ps->pm->date = xstrdup(date);
		ps->pm->date_source = xstrdup("front matter");
		return;
	}
	base = base ? base + 1 : ps->pm->path;
	if (base && strlen(base) >= 10 && fields_date_prefix(date, base, 10) == 10 &&
	    base[4] == '-' && base[7] == '-') {
		ps->pm->date = xstrdup(date);
		ps->pm->date_source = xstrdup("file name");
		return;
	}
	for (l = body_line; l < last; l++) {
		const char *s, *next = NULL;
		size_t len, next_len = 0;
		int k;
		if (!get_line(ps, l, &s, &len))
			break;
		fields_trim(&s, &len);
		if (starts_ci(s, len, "```") || starts_ci(s, len, "~~~"))
			fence = !fence;
		if (fence || len < 4)
			continue;
		for (k = l + 1; k < l + 3 && get_line(ps, k, &next, &next_len); k++) {
			fields_trim(&next, &next_len);
			if (next_len)
				break;
		}
		if (!next_len)
			next = NULL;
		if (date_line(ps, s, len, next, next_len))
			return;
	}
	pm_diags_add(ps->diags, PM_DIAG_WARNING, ps->pm->path, 0, 0, "no-date",
	             "no date: add 'date:' to the front matter or start the file name with "
	             "YYYY-MM-DD");
}

/* Title from the first H1; "# Title:" alone takes the next heading. */
static void find_title(struct parser *ps)
{
	struct postmortem *pm = ps->pm;
	const char *fm = postmortem_meta(pm, "title");
	size_t i;

	if (fm && *fm) {
		size_t k;
		pm->title = xstrdup(fm);
		for (k = 0; k < pm->meta_nr; k++)
			if (!strcmp(pm->meta[k].name, "title"))
				pm->title_line = pm->meta[k].line;
		return;
	}
	for (i = 0; i < ps->hd_nr; i++) {
		const char *t = pm->headings[i];
		if (ps->hd[i].level != 1)
			continue;
		if (starts_ci(t, strlen(t), "title:")) {
			t += 6;
			while (*t == ' ')
				t++;
			if (!*t && i + 1 < ps->hd_nr) {
				i++;
				t = pm->headings[i];
			}
		}
		pm->title = xstrdup(t);
		pm->title_line = pm->heading_lines[i];
		return;
	}
}

static void collect_headings(struct parser *ps, cmark_node *doc)
{
	struct strbuf norm = STRBUF_INIT;
	struct fields_label l;
	cmark_node *n;

	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		struct plain p;
		struct heading *h;
		if (cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		strbuf_setlen(&norm, 0);
		plain_init(&p);
		plain_inlines(&p, n, 0);
		fields_normalize(&norm, p.sb.buf, p.sb.len);
		add_heading(ps, n, strbuf_detach(&p.sb, NULL), node_line(ps, n));
		h = &ps->hd[ps->hd_nr - 1];
		fields_label_prepare(&l, norm.buf, norm.len);
		h->action = matches_label(ps, &l, false);
		h->chain =
		        fields_label_match(&l, ps->chain.s, ps->chain.len, ps->chain.words, false);
		plain_release(&p);
	}
	strbuf_release(&norm);
}

static void read_sections(struct parser *ps, cmark_node *doc)
{
	struct postmortem *pm = ps->pm;
	size_t i;

	for (i = 0; i < ps->hd_nr; i++) {
		struct heading *h = &ps->hd[i];
		cmark_node *end;
		if (!h->action && !(h->chain && pm->detection_chain_minutes < 0))
			continue;
		end = section_end(cmark_node_next(h->node), h->level);
		if (h->chain && pm->detection_chain_minutes < 0)
			scan_chain(ps, h->line, end ? node_line(ps, end) : (int)ps->lines_nr + 1);
		if (!h->action)
			continue;
		if (!pm->section) {
			pm->section = xstrdup(pm->headings[i]);
			pm->section_line = h->line;
		}
		section_items(ps, cmark_node_next(h->node), end);
		/* sub-headings are groups of this section, not sections of their own */
		while (i + 1 < ps->hd_nr && ps->hd[i + 1].node != end)
			i++;
	}
	if (!pm->section)
		fallback_items(ps, doc);
}

/* --- input checks --- */

/* Offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		unsigned char lo = 0x80, hi = 0xbf;
		if (c < 0x80) {
			/* ASCII, eight bytes at a time */
			uint64_t w;
			while (i + 8 <= len) {
				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080ull)
					break;
				i += 8;
			}
			while (i < len && s[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (k = 2; k <= n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return i;
		i += n + 1;
	}
	return len;
}

static bool check_input(struct parser *ps, const char *buf, size_t len)
{
	struct postmortem *pm = ps->pm;
	size_t max = ps->opts && ps->opts->max_size ? ps->opts->max_size : DEFAULT_MAX_SIZE;
	size_t bad;

	if (len > max) {
		pm_diags_add(ps->diags, PM_DIAG_ERROR, pm->path, 0, 0, "too-large",
		             "file is too large (%zu bytes, the limit is %zu): not read", len, max);
		return false;
	}
	if (memchr(buf, '\0', len)) {
		pm_diags_add(ps->diags, PM_DIAG_ERROR, pm->path, 0, 0, "binary",
		             "file contains NUL bytes: not a Markdown text");
		return false;
	}
	bad = utf8_invalid_at((const unsigned char *)buf, len);
	if (bad < len) {
		const char *nl = buf + bad;
		int line = 1;
		const char *p = buf;
		while ((p = memchr(p, '\n', (size_t)(nl - p)))) {
			line++;
			p++;
		}
		for (p = nl; p > buf && p[-1] != '\n'; p--)
			;
		pm_diags_add(ps->diags, PM_DIAG_ERROR, pm->path, line, (int)(nl - p) + 1,
		             "not-utf8", "file is not valid UTF-8 (byte 0x%02x at offset %zu)",
		             (unsigned char)buf[bad], bad);
		return false;
	}
	return true;
}

static void set_pattern(struct pattern *p, const char *s)
{
	p->s = s;
	p->len = strlen(s);
	p->words = fields_label_words(s, p->len);
}

static void set_patterns(struct parser *ps)
{
	const struct pm_strlist *l = ps->opts ? ps->opts->headings : NULL;
	size_t i;

	set_pattern(&ps->chain, "detection chain");
	if (!l || !l->nr) {
		for (i = 0; i < BUILTIN_NR; i++)
			set_pattern(&ps->builtin[i], builtin_headings[i]);
		ps->patterns = ps->builtin;
		ps->patterns_nr = BUILTIN_NR;
		return;
	}
	ps->own_patterns = xcalloc(l->nr, sizeof(*ps->own_patterns));
	for (i = 0; i < l->nr; i++) {
		struct strbuf norm = STRBUF_INIT;
		fields_normalize(&norm, l->v[i], strlen(l->v[i]));
		set_pattern(&ps->own_patterns[i], strbuf_detach(&norm, NULL));
	}
	ps->patterns = ps->own_patterns;
	ps->patterns_nr = l->nr;
}

static cmark_node *parse_markdown(const char *buf, size_t len)
{
	/*
	 * Not "autolink": over every paragraph it costs a sixth of the parse,
	 * and only the list items of the action section need it (plain_autolink).
	 */
	static const char *const names[] = {"table", "tasklist", "strikethrough"};
	cmark_parser *parser;
	cmark_node *doc;
	size_t i;

	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new(CMARK_OPT_SOURCEPOS);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(names[i]);
		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, buf, len);
	doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	return doc;
}

int pm_parse(struct postmortem *pm, const char *buf, size_t len,
             const struct pm_parse_options *opts, struct pm_diags *diags)
{
	struct parser ps;
	struct frontmatter fm = FRONTMATTER_INIT;
	cmark_node *doc = NULL;
	const char *dcm;
	size_t i;

	memset(&ps, 0, sizeof(ps));
	strbuf_init(&ps.row.arena, 0);
	ps.pm = pm;
	ps.diags = diags;
	ps.opts = opts;
	pm->detection_chain_minutes = -1;
	if (!check_input(&ps, buf, len)) {
		pm->unreadable = true;
		return 0;
	}
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
		buf += 3;
		len -= 3;
	}
	ps.buf = buf;
	ps.len = len;
	index_lines(&ps);
	set_patterns(&ps);

	frontmatter_parse(&fm, buf, len);
	pm->meta = fm.v; /* ownership moves to pm */
	pm->meta_nr = fm.nr;
	pm->meta_alloc = fm.alloc;
	fm.v = NULL;
	fm.nr = fm.alloc = 0;
	/* the body's first line, counted as cmark counts (a lone CR ends a line) */
	ps.line_base = fm.present ? line_of_offset(&ps, fm.body_offset) - 1 : 0;
	dcm = postmortem_meta(pm, "detection_chain_minutes");
	if (dcm) {
		char *end;
		long v;
		errno = 0;
		v = strtol(dcm, &end, 10);
		if (end != dcm && !errno && v >= 0)
			pm->detection_chain_minutes = v;
	}

	doc = parse_markdown(buf + fm.body_offset, len - fm.body_offset);
	collect_headings(&ps, doc);
	find_title(&ps);
	find_date(&ps, ps.line_base + 1);
	read_sections(&ps, doc);

	cmark_node_free(doc);
	frontmatter_release(&fm);
	for (i = 0; ps.own_patterns && i < ps.patterns_nr; i++)
		free((char *)ps.own_patterns[i].s);
	free(ps.own_patterns);
	free(ps.lines);
	free(ps.hd);
	free(ps.spans);
	row_release(&ps.row);
	return 0;
}
