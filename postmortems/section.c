/*
 * Finding the action items' section. Every heading is read once into plain
 * text, normalized and matched against the heading patterns (built in, or
 * from the configuration): the action section runs from a matching heading
 * to the next heading of the same or a higher level, its sub-headings being
 * groups. Inside a section, tables win: a section that holds a table reads
 * its lists as explanation (etcd lists its priority levels above its
 * table); else every top-level list is read, and a bullet list right after a
 * numbered one is the notes of its last item. Headings of "Detection chain"
 * sections are marked for docmeta.c, which reads the chain from them.
 */
#include "util/compat.h"

#include "postmortems/section.h"

#include <stdlib.h>
#include <string.h>

#include "postmortems/fields.h"
#include "postmortems/item.h"
#include "postmortems/label.h"
#include "postmortems/listitem.h"
#include "postmortems/plain.h"
#include "postmortems/table.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Built-in action-heading patterns, normalized (see label_normalize, label_match). */
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

#define BUILTIN_NR (ARRAY_SIZE(builtin_headings))

static void set_pattern(struct section_pattern *p, const char *s)
{
	p->s = s;
	p->len = strlen(s);
	p->words = label_words(s, p->len);
}

void section_map_init(struct section_map *m, const struct strlist *l)
{
	size_t i;

	static struct section_pattern builtin[BUILTIN_NR], chain;
	static bool ready; /* the built-in patterns never change: measured once */

	memset(m, 0, sizeof(*m));

	if (!ready) {
		for (i = 0; i < BUILTIN_NR; i++)
			set_pattern(&builtin[i], builtin_headings[i]);
		set_pattern(&chain, "detection chain");
		ready = true;
	}
	m->chain = chain;
	if (!l || !l->nr) {
		m->patterns = builtin;
		m->patterns_nr = BUILTIN_NR;
		return;
	}
	m->own = xcalloc(l->nr, sizeof(*m->own));
	for (i = 0; i < l->nr; i++) {
		struct strbuf norm = STRBUF_INIT;
		label_normalize(&norm, l->v[i], strlen(l->v[i]));
		set_pattern(&m->own[i], strbuf_detach(&norm, NULL));
	}
	m->patterns = m->own;
	m->patterns_nr = l->nr;
}

static bool matches_label(const struct section_map *m, const struct label *l, bool whole)
{
	size_t i;

	for (i = 0; i < m->patterns_nr; i++)
		if (label_match(l, m->patterns[i].s, m->patterns[i].len, m->patterns[i].words,
		                whole))
			return true;
	return false;
}

bool section_matches_action(const struct section_map *m, const char *text, size_t len, bool whole)
{
	struct strbuf norm = STRBUF_INIT;
	struct label l;
	bool match;

	label_normalize(&norm, text, len);
	label_prepare(&l, norm.buf, norm.len);
	match = matches_label(m, &l, whole);
	strbuf_release(&norm);
	return match;
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
		groups = listitem_is_label(para, &p);
		plain_release(&p);
	}
	return groups;
}

/*
 * Byte offset where the next heading after n starts: the end of any HTML
 * table inside n. The answer is kept in a, so that a section of many HTML
 * tables is still walked once.
 */
size_t section_next_heading(const struct reader *r, cmark_node *n, struct section_ahead *a)
{
	int line;

	if (!a->valid ||
	    (a->heading && reader_node_line(r, a->heading) <= reader_node_line(r, n))) {
		cmark_node *h = cmark_node_next(n);
		while (h && cmark_node_get_type(h) != CMARK_NODE_HEADING)
			h = cmark_node_next(h);
		a->heading = h;
		a->valid = true;
	}
	if (!a->heading)
		return r->len;
	line = reader_node_line(r, a->heading);
	return reader_line_start(r, line);
}

/* Words that name a group of items: "Completed actions", "Items done", "Tasks in progress". */
static bool is_items_word(const char *s, size_t len)
{
	static const char *const words[] = {"action", "actions", "item",  "items",  "task",
	                                    "tasks",  "work",    "fixes", "follow", "followups",
	                                    "steps",  "changes", NULL};
	const char *const *w;

	for (w = words; *w; w++)
		if (strlen(*w) == len && !memcmp(s, *w, len))
			return true;
	return false;
}

/*
 * A heading that names items and a status, normalized: the status before
 * the items ("completed actions"), after them ("actions taken", "items
 * done"), or last or first ("immediate actions completed", "planned
 * actions planned or in progress").
 */
static enum fields_status items_heading_status(const char *t, size_t n)
{
	enum fields_status st = FIELDS_STATUS_NONE;
	size_t ws, we, is = n, ie = n, last = 0, first_end = 0;

	for (ws = 0; ws < n; ws = we + 1) {
		for (we = ws; we < n && t[we] != ' '; we++)
			;
		if (!first_end)
			first_end = we;
		last = ws;
		if (is == n && is_items_word(t + ws, we - ws)) {
			is = ws;
			ie = we;
		}
	}
	if (is == n)
		return FIELDS_STATUS_NONE;
	if (is > 0)
		st = fields_status_word(t, is - 1);
	if (!st && ie < n)
		st = !strcmp(t + ie + 1, "taken") ? FIELDS_STATUS_DONE
		                                  : fields_status_word(t + ie + 1, n - ie - 1);
	if (!st)
		st = fields_status_word(t + last, n - last);
	if (!st)
		st = fields_status_word(t, first_end);
	return st;
}

enum fields_status section_group_status(const char *text, size_t len)
{
	struct strbuf norm = STRBUF_INIT;
	enum fields_status st = FIELDS_STATUS_NONE;
	const char *t;
	size_t n;

	while (len && (text[len - 1] == ':' || text[len - 1] == ' '))
		len--;
	if ((st = fields_status_word(text, len)))
		return st; /* "Won't do" as written: normalizing would split it */
	label_normalize(&norm, text, len);
	t = norm.buf;
	n = norm.len;
	if (n > 6 && !memcmp(t, "still ", 6)) {
		t += 6;
		n -= 6;
	}
	if (n > 8 && !memcmp(t, "not yet ", 8))
		st = FIELDS_STATUS_OPEN;
	else if ((st = fields_status_word(t, n)) == FIELDS_STATUS_NONE)
		st = items_heading_status(t, n);
	strbuf_release(&norm);
	return st;
}

/* The status of the current group of items, given to those that state none. */
struct group {
	enum fields_status st;
	char *raw;
	size_t from;
};

static void group_apply(struct reader *r, struct group *g)
{
	size_t i;

	for (i = g->from; g->st && i < r->pm->items_nr; i++)
		item_set_status(&r->pm->items[i], g->st, g->raw, strlen(g->raw));
	g->from = r->pm->items_nr;
}

static void group_start(struct reader *r, struct group *g, cmark_node *n)
{
	struct plain p;

	group_apply(r, g);
	free(g->raw);
	plain_init(&p);
	plain_inlines(&p, n, 0);
	g->st = section_group_status(p.sb.buf, p.sb.len);
	while (p.sb.len && (p.sb.buf[p.sb.len - 1] == ':' || p.sb.buf[p.sb.len - 1] == ' '))
		strbuf_setlen(&p.sb, p.sb.len - 1);
	g->raw = g->st ? strbuf_detach(&p.sb, NULL) : NULL;
	plain_release(&p);
}

/* True for a paragraph that only names a group: "**Completed:**", "Still open:". */
static bool is_group_label(cmark_node *para)
{
	struct plain p;
	bool label;

	if (cmark_node_get_start_line(para) != cmark_node_get_end_line(para))
		return false;
	plain_init(&p);
	plain_inlines(&p, para, 0);
	label = p.sb.len < 40 && listitem_is_label(para, &p) &&
	        section_group_status(p.sb.buf, p.sb.len);
	plain_release(&p);
	return label;
}

/*
 * Reads a list of the section; a bullet list right after a numbered one, at
 * the same level, is the sub-list of the last numbered item, written
 * without indentation. *last_numbered is 1 + the index of the last item of
 * a numbered list just read, else 0.
 */
static void read_list(struct reader *r, cmark_node *n, cmark_node *prev, size_t *last_numbered)
{
	bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
	size_t before = r->pm->items_nr;

	if (!ordered && *last_numbered && prev && cmark_node_get_type(prev) == CMARK_NODE_LIST &&
	    cmark_node_get_list_type(prev) == CMARK_ORDERED_LIST && !has_groups(n)) {
		listitem_read_subs(r, *last_numbered - 1, n, 0, false);
		return;
	}
	listitem_read_list(r, n, 0);
	*last_numbered = ordered && r->pm->items_nr > before ? r->pm->items_nr : 0;
}

/* True when the blocks from first up to end or the next heading hold a table. */
static bool has_tables(cmark_node *first, cmark_node *end)
{
	cmark_node *n;

	for (n = first; n && n != end && cmark_node_get_type(n) != CMARK_NODE_HEADING;
	     n = cmark_node_next(n))
		if (reader_node_is(n, "table") || table_is_html(n))
			return true;
	return false;
}

/*
 * Reads the items of the blocks [first, end): under each sub-heading, tables
 * when there are any, else lists; paragraphs that lead with a status ("**TODO** ...") either
 * way. A sub-heading or label that names a status ("Completed", "Still
 * open") gives it to the items under it that state none.
 */
void section_read_blocks(struct reader *r, cmark_node *first, cmark_node *end)
{
	cmark_node *n, *prev = NULL;
	struct section_ahead ahead = {false, NULL};
	struct group g = {FIELDS_STATUS_NONE, NULL, r->pm->items_nr};
	bool tables = false;
	int skip_to = 0;
	size_t last_numbered = 0;

	tables = has_tables(first, end);
	for (n = first; n && n != end; prev = n, n = cmark_node_next(n)) {
		cmark_node_type type = cmark_node_get_type(n);
		if (reader_node_line(r, n) <= skip_to)
			continue;
		if (type == CMARK_NODE_HEADING) {
			group_start(r, &g, n);
			tables = has_tables(cmark_node_next(n), end);
		} else if (type == CMARK_NODE_PARAGRAPH && is_group_label(n))
			group_start(r, &g, n);
		else if (type == CMARK_NODE_PARAGRAPH)
			listitem_read_paragraph(r, n, 0, true);
		else if (reader_node_is(n, "table"))
			table_read_gfm(r, n, false);
		else if (table_is_html(n))
			skip_to = table_read_html(r, n, section_next_heading(r, n, &ahead), false);
		else if (!tables && type == CMARK_NODE_LIST)
			read_list(r, n, prev, &last_numbered);
	}
	group_apply(r, &g);
	free(g.raw);
}

/* The first heading at or after start whose level is at most level, or NULL. */
cmark_node *section_end(cmark_node *start, int level)
{
	cmark_node *n;

	for (n = start; n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(n) <= level)
			return n;
	return NULL;
}

/*
 * Sizes the heading arrays for count more headings, so that a file's
 * headings take no more memory than they need (every postmortem of a
 * repository stays in memory until the command is done).
 */
static void reserve_headings(struct section_map *m, struct postmortem *pm, size_t count)
{
	size_t want = pm->headings_nr + count;

	if (want > pm->headings_alloc) {
		pm->headings = xrealloc(pm->headings, xmul_size(want, sizeof(*pm->headings)));
		pm->heading_lines =
		        xrealloc(pm->heading_lines, xmul_size(want, sizeof(*pm->heading_lines)));
		pm->headings_alloc = want;
	}
	if (m->nr + count > m->alloc) {
		m->alloc = m->nr + count;
		m->v = xrealloc(m->v, xmul_size(m->alloc, sizeof(*m->v)));
	}
}

static void add_heading(struct section_map *m, struct postmortem *pm, cmark_node *n, char *text,
                        int line)
{
	struct section_heading *h;
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
	ALLOC_GROW(m->v, m->nr + 1, m->alloc);
	h = &m->v[m->nr++];
	h->node = n;
	h->level = cmark_node_get_heading_level(n);
	h->line = line;
	h->action = false;
	h->chain = false;
}

void section_collect(struct section_map *m, struct reader *r, cmark_node *doc)
{
	struct strbuf norm = STRBUF_INIT;
	struct label l;
	struct plain p;
	cmark_node *n;

	size_t count = 0;

	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n))
		count += cmark_node_get_type(n) == CMARK_NODE_HEADING;
	if (count)
		reserve_headings(m, r->pm, count);
	plain_init(&p);
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		struct section_heading *h;
		if (cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		strbuf_setlen(&norm, 0);
		plain_reset(&p);
		plain_inlines(&p, n, 0);
		label_normalize(&norm, p.sb.buf, p.sb.len);
		add_heading(m, r->pm, n, xstrndup(p.sb.buf, p.sb.len), reader_node_line(r, n));
		h = &m->v[m->nr - 1];
		label_prepare(&l, norm.buf, norm.len);
		h->action = matches_label(m, &l, false);
		h->chain = label_match(&l, m->chain.s, m->chain.len, m->chain.words, false);
	}
	plain_release(&p);
	strbuf_release(&norm);
}

void section_read(const struct section_map *m, struct reader *r)
{
	struct postmortem *pm = r->pm;
	size_t i;

	for (i = 0; i < m->nr; i++) {
		const struct section_heading *h = &m->v[i];
		cmark_node *end;
		if (!h->action)
			continue;
		end = section_end(cmark_node_next(h->node), h->level);
		if (!pm->section) {
			pm->section = xstrdup(pm->headings[i]);
			pm->section_line = h->line;
		}
		section_read_blocks(r, cmark_node_next(h->node), end);
		/* sub-headings are groups of this section, not sections of their own */
		while (i + 1 < m->nr && m->v[i + 1].node != end)
			i++;
	}
}

void section_map_release(struct section_map *m)
{
	size_t i;

	for (i = 0; m->own && i < m->patterns_nr; i++)
		free((char *)m->own[i].s);
	free(m->own);
	free(m->v);
	memset(m, 0, sizeof(*m));
}
