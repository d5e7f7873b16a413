/*
 * Action items from lists. In an action section every top-level list item
 * is an item, except a bare group label ("**Review actions**:",
 * "Process:") whose sub-items are the items. Under an item, a sub-bullet
 * that is only a reference (a link to an issue or pull request, "#12") is
 * one of the item's tickets; a sub-task (a task box, or any sub-bullet of a
 * parent that introduces them: "Add dashboards for:") is an item of its
 * own that names its parent; other sub-bullets are the item's notes. A task
 * box, a status mark or a struck-through text gives the status; the text's
 * ends carry the other fields (tokens.c reads them); "**Title**: why it
 * matters" splits into the action and a "details" field. The item's
 * Markdown is the paragraph as written.
 */
#include "util/compat.h"

#include "postmortems/listitem.h"

#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "postmortems/fields.h"
#include "postmortems/item.h"
#include "postmortems/lead.h"
#include "postmortems/text.h"
#include "postmortems/tokens.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* True for a paragraph that is only a group label: "**Review actions**:", "Process:". */
bool listitem_is_label(cmark_node *para, const struct plain *p)
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

/* A status closing a bold title, "**Close the issues (actioned)**:": read; the title's new length. */
static size_t title_status(struct action_item *item, const char *t, size_t n)
{
	const char *open = NULL;
	enum fields_status st;
	size_t k;

	for (k = n; k > 0 && !open; k--)
		if (t[k - 1] == '(')
			open = t + k - 1;
	if (n < 3 || t[n - 1] != ')' || !open ||
	    !(st = fields_status_word(open + 1, (size_t)(t + n - 1 - open - 1))))
		return n;
	item_set_status(item, st, open + 1, (size_t)(t + n - 1 - open - 1));
	n = (size_t)(open - t);
	while (n > 0 && t[n - 1] == ' ')
		n--;
	return n;
}

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
	size_t n, r, k;
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
	n = title_status(item, t, n);
	if (!n)
		goto done;
	item->text = xstrndup(t, n);
	for (k = r; k < e && !ascii_isalnum((unsigned char)t[k]); k++)
		;
	if (k < e) { /* a lone mark ("🔍") is no detail */
		details = xstrndup(t + r, e - r);
		item_add_extra(item, "details", details);
		free(details);
	}
	split = true;
done:
	plain_release(&title);
	return split;
}

/* Length of the plain text of para's leading bold or italic run; 0 when it starts otherwise. */
static size_t lead_emphasis(cmark_node *para)
{
	cmark_node *first = cmark_node_first_child(para);
	struct plain lead;
	size_t n;

	if (!first || (cmark_node_get_type(first) != CMARK_NODE_STRONG &&
	               cmark_node_get_type(first) != CMARK_NODE_EMPH))
		return 0;
	plain_init(&lead);
	plain_inlines(&lead, first, 0);
	n = lead.sb.len;
	plain_release(&lead);
	return n;
}

/* True when the whole paragraph is struck through: "~~Add a probe~~" was crossed off. */
static bool struck_through(cmark_node *para)
{
	cmark_node *first = cmark_node_first_child(para);

	return first && !cmark_node_next(first) && reader_node_is(first, "strikethrough");
}

static size_t count_words(const char *s, size_t len)
{
	size_t i, words = 0;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && (!i || s[i - 1] == ' '))
			words++;
	return words;
}

/*
 * True when a list item that reads as a label ("Add dashboards for:") is an
 * action with sub-tasks rather than a group: it has a task box, it is a
 * sentence (five words or more), its text breaks off on a word that wants
 * the sub-items ("for", "to", "the following"), or it is a phrase of three
 * words or more over task boxes.
 */
static bool is_parent_action(cmark_node *li, cmark_node *para, const struct plain *p,
                             cmark_node *sub)
{
	static const char *const open_ends[] = {
	        "for",  "to",        "in",   "on",    "of",      "with",      "across",
	        "into", "from",      "by",   "about", "like",    "following", "these",
	        "all",  "including", "both", "each",  "between", NULL};
	const char *t = p->sb.buf, *const * w;
	size_t len = p->sb.len, b;
	cmark_node *it, *first = cmark_node_first_child(para);
	bool tasks = true;

	if (reader_node_is(li, "tasklist") || count_words(t, len) >= 5)
		return true; /* a sentence, not the name of a group */
	while (len && (t[len - 1] == ':' || t[len - 1] == ' '))
		len--;
	for (b = len; b > 0 && t[b - 1] != ' '; b--)
		;
	for (w = open_ends; *w; w++)
		if (strlen(*w) == len - b && !strncasecmp(t + b, *w, len - b))
			return b > 0;
	if ((cmark_node_get_type(first) == CMARK_NODE_STRONG ||
	     cmark_node_get_type(first) == CMARK_NODE_EMPH) ||
	    count_words(t, len) < 3)
		return false;
	for (it = cmark_node_first_child(sub); it && tasks; it = cmark_node_next(it))
		tasks = reader_node_is(it, "tasklist");
	return tasks;
}

/*
 * A sub-bullet that is one field of its parent, written "Name: value" with
 * a column's name: "Owner: @kim", "Due: 2026-05-01", "Ticket: ENG-12",
 * "Status: done", "Priority: P1", "Lever: alert". Read into item; false for
 * any other text.
 */
static bool sub_field(struct action_item *item, const struct plain *p)
{
	const char *t = p->sb.buf, *v, *url = NULL;
	size_t len = p->sb.len, k, vlen, i;
	enum fields_status st;

	for (k = 0; k < len && k < 24 && t[k] != ':'; k++)
		;
	if (k >= len || k >= 24 || !k)
		return false;
	v = t + k + 1;
	vlen = len - k - 1;
	text_trim(&v, &vlen);
	if (!vlen)
		return false;
	switch (fields_column(t, k)) {
	case FIELDS_COL_OWNER:
		if (!item->owner)
			item->owner = fields_owner(v, vlen);
		return true;
	case FIELDS_COL_DUE:
		item_set_due(item, v, vlen);
		return true;
	case FIELDS_COL_TICKET:
		for (i = 0; i < p->links_nr && !url; i++)
			if (p->links[i].start >= k && p->links[i].url && p->links[i].url[0] != '#')
				url = p->links[i].url;
		item_add_ticket(item, v, vlen, url, false);
		return true;
	case FIELDS_COL_STATUS:
		st = fields_status_word(v, vlen);
		item_set_status(item, st ? st : FIELDS_STATUS_OPEN, v, vlen);
		return true;
	case FIELDS_COL_PRIORITY:
		if (!item->priority && !fields_is_none(v, vlen))
			item->priority = text_dup_trimmed(v, vlen);
		return true;
	case FIELDS_COL_LEVER:
		if (!item->lever)
			item->lever = fields_lever(v, vlen);
		return true;
	default:
		return false;
	}
}

void listitem_read_subs(struct reader *r, size_t parent, cmark_node *list, int depth, bool subtasks)
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
		plain_autolink(&p);
		if (sub_field(&r->pm->items[parent], &p) ||
		    tokens_add_whole_ref(&r->pm->items[parent], &p)) {
			/* a field of the parent ("Owner: kim"), or a reference alone: its ticket */
		} else if ((subtasks || reader_node_is(it, "tasklist")) && depth < 8) {
			size_t before = r->pm->items_nr, i;
			listitem_read(r, it, depth + 1, 0);
			for (i = before; i < r->pm->items_nr; i++)
				if (!r->pm->items[i].parent)
					r->pm->items[i].parent = (int)parent + 1;
		} else if (p.sb.len) {
			if (notes.len)
				strbuf_addstr(&notes, "; ");
			strbuf_addbuf(&notes, &p.sb);
		}
		plain_release(&p);
	}
	if (notes.len)
		item_add_extra(&r->pm->items[parent], "notes", notes.buf);
	strbuf_release(&notes);
}

/*
 * Adds the item that para holds (node: its list item, or the paragraph
 * itself); start skips an inline label. Sets *at to its index and returns
 * true when the paragraph is an item (not a placeholder, not empty).
 */
static bool add_item(struct reader *r, cmark_node *node, cmark_node *para, const struct plain *p,
                     size_t start, size_t *at)
{
	struct action_item *item;
	size_t s, e;
	int col;

	if (fields_is_placeholder(p->sb.buf, p->sb.len))
		return false;
	*at = r->pm->items_nr;
	item = postmortem_add_item(r->pm);
	item->line = reader_node_line(r, node);
	col = cmark_node_get_start_column(node);
	item->col = col > 0 ? col : 1;
	if (reader_node_is(node, "tasklist")) {
		bool checked = cmark_gfm_extensions_get_tasklist_item_checked(node);
		item_set_status(item, checked ? FIELDS_STATUS_DONE : FIELDS_STATUS_OPEN,
		                checked ? "[x]" : "[ ]", 3);
	}
	tokens_read(item, p, start, lead_emphasis(para), &s, &e);
	if (struck_through(para))
		item_set_status(item, FIELDS_STATUS_DONE, "~~", 2);
	if (!split_title(item, para, p, s, e))
		item->text = xstrndup(p->sb.buf + s, e - s);
	item->markdown = reader_block_source(r, para);
	tokens_whole_ref(item, item->text);
	if (!item->text[0] || fields_is_placeholder(item->text, strlen(item->text))) {
		action_item_release(item);
		r->pm->items_nr--;
		return false;
	}
	return true;
}

void listitem_read(struct reader *r, cmark_node *li, int depth, size_t start)
{
	cmark_node *para = cmark_node_first_child(li), *sub = NULL, *n;
	struct plain p;
	size_t at;

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
	if (!start && sub && listitem_is_label(para, &p) && !is_parent_action(li, para, &p, sub)) {
		if (depth < 8)
			listitem_read_list(r, sub, depth + 1);
		goto done;
	}
	if (add_item(r, li, para, &p, start, &at) && sub)
		listitem_read_subs(r, at, sub, depth,
		                   p.sb.len && p.sb.buf[p.sb.len - 1] == ':' && !start);
done:
	plain_release(&p);
}

bool listitem_read_paragraph(struct reader *r, cmark_node *para, size_t start, bool status_led)
{
	struct plain p;
	size_t at;
	bool added;

	plain_init(&p);
	plain_inlines(&p, para, 0);
	plain_autolink(&p);
	added = start <= p.sb.len && (!status_led || lead_status_led(&p, lead_emphasis(para))) &&
	        add_item(r, para, para, &p, start, &at);
	plain_release(&p);
	return added;
}

/* True when text opens a commitment: "We will", "We'll", "We are going to". */
static bool is_commitment(const char *t, size_t len)
{
	static const char *const opens[] = {"we will ",
	                                    "we'll ",
	                                    "we\xe2\x80\x99ll ",
	                                    "we are going to ",
	                                    "we're going to ",
	                                    "we\xe2\x80\x99re going to ",
	                                    "we plan to ",
	                                    "we intend to ",
	                                    "we commit to ",
	                                    "we are committed to ",
	                                    NULL};
	const char *const *w;

	for (w = opens; *w; w++)
		if (len > strlen(*w) && !strncasecmp(t, *w, strlen(*w)))
			return true;
	return false;
}

enum pm_item_origin listitem_inferred_kind(cmark_node *li)
{
	cmark_node *para = cmark_node_first_child(li);
	enum pm_item_origin kind = PM_ORIGIN_SECTION;
	struct plain p;

	if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return kind;
	plain_init(&p);
	plain_inlines(&p, para, 0);
	if (lead_status_led(&p, lead_emphasis(para)))
		kind = PM_ORIGIN_STATUS;
	else if (is_commitment(p.sb.buf, p.sb.len))
		kind = PM_ORIGIN_PROSE;
	plain_release(&p);
	return kind;
}

void listitem_read_list(struct reader *r, cmark_node *list, int depth)
{
	cmark_node *li;

	for (li = cmark_node_first_child(list); li; li = cmark_node_next(li))
		listitem_read(r, li, depth, 0);
}
