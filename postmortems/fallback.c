/*
 * Files without an action heading. Some postmortems put their action items
 * under a paragraph that only says "Action Items", in a table whose first
 * column is an action column, or in a list whose item is only an action
 * label ("**Follow-ups**:") over a sub-list, or with the label inline
 * ("**Action items**: do this"). These shapes are looked for in document
 * order, only when no heading matched, so that an ordinary table or list
 * elsewhere in a file is never taken for action items.
 *
 * Other files say what they will do without calling it action items: under
 * "What we will do" or "**Actions planned:**", in bullets that begin "We
 * will", in paragraphs and bullets that lead with a status ("**TODO**",
 * "DONE:"). Those items are inferred: marked with their origin, listed,
 * never made into tickets unless asked. None is inferred under a heading
 * that tells what happened (timeline, impact, root cause): a status or a
 * "we will" there is history, not a commitment.
 */
#include "util/compat.h"

#include "postmortems/fallback.h"

#include <string.h>

#include "postmortems/item.h"
#include "postmortems/label.h"
#include "postmortems/listitem.h"
#include "postmortems/plain.h"
#include "postmortems/table.h"
#include "util/strbuf.h"

/* Headings under which nothing is inferred: what happened, not what will be done. */
static const char *const history_headings[] = {"timeline",
                                               "impact",
                                               "root cause",
                                               "contributing factor",
                                               "what happened",
                                               "went well",
                                               "went wrong",
                                               "got lucky",
                                               "background",
                                               "summary",
                                               "symptom",
                                               "detection",
                                               "trigger",
                                               "glossary",
                                               "appendix",
                                               "chronology",
                                               "sequence of events",
                                               "status legend",
                                               "legend",
                                               NULL};

/* Headings and labels that announce what will be done, without saying "action items". */
static const char *const planned_labels[] = {
        "what we will do",  "what we ll do",   "what we are doing",
        "what we re doing", "our commitments", "commitments",
        "actions planned",  "action planned",  "planned actions",
        "actions taken",    "action taken",    "what s next",
        "what is next",     "what comes next", NULL};

enum zone { ZONE_NONE, ZONE_HISTORY, ZONE_PLANNED };

static bool matches_any(const char *text, size_t len, const char *const *patterns, bool whole)
{
	struct strbuf norm = STRBUF_INIT;
	bool match = false;

	label_normalize(&norm, text, len);
	for (; *patterns && !match; patterns++)
		match = label_matches(norm.buf, *patterns, whole);
	strbuf_release(&norm);
	return match;
}

/* The zone a heading opens: history, planned, or nothing of either. */
static enum zone heading_zone(cmark_node *h)
{
	struct plain p;
	enum zone z = ZONE_NONE;

	plain_init(&p);
	plain_inlines(&p, h, 0);
	if (matches_any(p.sb.buf, p.sb.len, history_headings, false))
		z = ZONE_HISTORY;
	else if (matches_any(p.sb.buf, p.sb.len, planned_labels, false))
		z = ZONE_PLANNED;
	plain_release(&p);
	return z;
}

/*
 * "**Action items**: do this": when the bold label matches (an action
 * heading pattern of m, or with planned, a planned label) and text follows,
 * returns the offset of that text in p, else 0.
 */
static size_t inline_label(const struct section_map *m, cmark_node *para, const struct plain *p,
                           bool planned)
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
	    (planned ? matches_any(label.sb.buf, n, planned_labels, true)
	             : section_matches_action(m, label.sb.buf, n, true))) {
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

/* Marks the items from index from on with their origin. */
static void mark(struct reader *r, size_t from, enum pm_item_origin origin)
{
	size_t i;

	for (i = from; i < r->pm->items_nr; i++) {
		r->pm->items[i].origin = origin;
		r->pm->items[i].inferred = origin >= PM_ORIGIN_FIRST_INFERRED;
	}
}

/*
 * True for a list that reads as a legend of statuses ("**Done**: merged",
 * "**Pending**: not started", ...): three items or more, every one led by a
 * status word of its own.
 */
static bool is_legend(cmark_node *list)
{
	struct strbuf words = STRBUF_INIT, word = STRBUF_INIT, key = STRBUF_INIT;
	cmark_node *li;
	size_t n = 0;
	bool legend = true;

	strbuf_addch(&words, '|');
	for (li = cmark_node_first_child(list); li && legend; li = cmark_node_next(li)) {
		legend = listitem_status_word(li, &word);
		strbuf_reset(&key);
		strbuf_addf(&key, "|%s|", word.buf);
		if (legend && strstr(words.buf, key.buf))
			legend = false;
		strbuf_addf(&words, "%s|", word.buf);
		n++;
	}
	strbuf_release(&words);
	strbuf_release(&word);
	strbuf_release(&key);
	return legend && n >= 3;
}

/* The list items of a list outside any action section, in zone z. */
static void read_list(const struct section_map *m, struct reader *r, cmark_node *list, enum zone z)
{
	cmark_node *li;

	if (z != ZONE_HISTORY && is_legend(list))
		return;
	for (li = cmark_node_first_child(list); li; li = cmark_node_next(li)) {
		cmark_node *para = cmark_node_first_child(li), *sub, *first_node;
		struct plain p;
		size_t skip, before = r->pm->items_nr;
		bool label;
		enum pm_item_origin kind;
		if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
			continue;
		for (sub = cmark_node_next(para);
		     sub && cmark_node_get_type(sub) != CMARK_NODE_LIST; sub = cmark_node_next(sub))
			;
		first_node = cmark_node_first_child(para);
		/* a label is bold, or a short line with a sub-list */
		label = (first_node && cmark_node_get_type(first_node) == CMARK_NODE_STRONG) ||
		        (sub && short_block(para));
		plain_init(&p);
		if (label)
			plain_inlines(&p, para, 0);
		if (label && sub && listitem_is_label(para, &p) &&
		    section_matches_action(m, p.sb.buf, p.sb.len, true)) {
			listitem_read_list(r, sub, 1);
			mark(r, before, PM_ORIGIN_LABEL);
		} else if (label && (skip = inline_label(m, para, &p, false))) {
			listitem_read(r, li, 1, skip);
			mark(r, before, PM_ORIGIN_LABEL);
		} else if (z == ZONE_PLANNED) {
			listitem_read(r, li, 0, 0);
			mark(r, before, PM_ORIGIN_PLANNED);
		} else if (z == ZONE_NONE && (kind = listitem_inferred_kind(li))) {
			listitem_read(r, li, 0, 0);
			mark(r, before, kind);
		}
		plain_release(&p);
	}
}

/* The first block from n on that is neither a list nor a table. */
static cmark_node *after_lists(cmark_node *n)
{
	while (n && (cmark_node_get_type(n) == CMARK_NODE_LIST || reader_node_is(n, "table")))
		n = cmark_node_next(n);
	return n;
}

/*
 * A paragraph outside any action section, in zone z: an action label over
 * the blocks up to the next heading, a planned label over the lists right
 * after it, an inline planned label, or a paragraph that leads with a
 * status. Returns the node to go on from.
 */
static cmark_node *read_paragraph(const struct section_map *m, struct reader *r, cmark_node *n,
                                  enum zone z)
{
	cmark_node *next = cmark_node_next(n), *end;
	size_t before = r->pm->items_nr, skip;
	struct plain p;
	bool label, planned;

	plain_init(&p);
	plain_inlines(&p, n, 0);
	label = short_block(n) && p.sb.len < 80 &&
	        section_matches_action(m, p.sb.buf, p.sb.len, true);
	planned = !label && z != ZONE_HISTORY && short_block(n) && p.sb.len < 40 &&
	          listitem_is_label(n, &p) &&
	          matches_any(p.sb.buf, p.sb.len, planned_labels, false);
	skip = label || planned || z == ZONE_HISTORY ? 0 : inline_label(m, n, &p, true);
	if (label) {
		end = section_end(next, 6);
		section_read_blocks(r, next, end);
		mark(r, before, PM_ORIGIN_LABEL);
		goto done;
	}
	if (planned) {
		end = after_lists(next);
		section_read_blocks(r, n, end);
		mark(r, before, PM_ORIGIN_PLANNED);
		goto done;
	}
	if (skip && listitem_read_paragraph(r, n, skip, false) &&
	    !r->pm->items[before].status_raw) {
		/* "**Action taken:** ..." */
		enum fields_status st = section_group_status(p.sb.buf, skip);
		if (st)
			item_set_status(&r->pm->items[before], st, p.sb.buf, skip);
	} else if (z != ZONE_HISTORY)
		listitem_read_paragraph(r, n, 0, true);
	mark(r, before, skip || z == ZONE_PLANNED ? PM_ORIGIN_PLANNED : PM_ORIGIN_STATUS);
	end = next;
done:
	plain_release(&p);
	return end;
}

/* Files without an action heading: the fallbacks, in document order. */
void fallback_read(const struct section_map *m, struct reader *r, cmark_node *doc)
{
	cmark_node *n = cmark_node_first_child(doc);
	struct section_ahead ahead = {false, NULL};
	enum zone zones[7] = {ZONE_NONE}, z = ZONE_NONE;
	int skip_to = 0;

	while (n) {
		cmark_node *next = cmark_node_next(n);
		cmark_node_type type = cmark_node_get_type(n);
		size_t before = r->pm->items_nr;
		if (reader_node_line(r, n) <= skip_to) {
			n = next;
			continue;
		}
		if (type == CMARK_NODE_HEADING) {
			/* a sub-heading that says nothing of its own stays in its parent's zone */
			int level = cmark_node_get_heading_level(n), l;
			enum zone hz = heading_zone(n);
			if (!hz && level > 1)
				hz = zones[level - 1];
			for (l = level; l < 7; l++)
				zones[l] = hz;
			z = hz;
		} else if (type == CMARK_NODE_PARAGRAPH) {
			next = read_paragraph(m, r, n, z);
		} else if (reader_node_is(n, "table")) {
			table_read_gfm(r, n, true);
			mark(r, before, PM_ORIGIN_TABLE);
		} else if (table_is_html(n)) {
			skip_to = table_read_html(r, n, section_next_heading(r, n, &ahead), true);
			mark(r, before, PM_ORIGIN_TABLE);
		} else if (type == CMARK_NODE_LIST) {
			read_list(m, r, n, z);
		}
		n = next;
	}
}
