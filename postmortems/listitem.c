/*
 * Action items from lists. In an action section every top-level list item
 * is an item and its sub-list its notes, except a bare group label
 * ("**Review actions**:", "Process:") whose sub-items are the items. A
 * task box gives the status; the text's ends carry the other fields
 * (item.c reads them); "**Title**: why it matters" splits into the action
 * and a "details" field. The item's Markdown is the paragraph as written.
 */
#include "util/compat.h"

#include "postmortems/listitem.h"

#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

#include "postmortems/fields.h"
#include "postmortems/item.h"
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

void listitem_add_notes(struct action_item *item, cmark_node *list)
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
		item_add_extra(item, "notes", notes.buf);
	strbuf_release(&notes);
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
	item_add_extra(item, "details", details);
	free(details);
	split = true;
done:
	plain_release(&title);
	return split;
}

/* Reads list item li; start skips an inline label already read ("**Review actions**: "). */
void listitem_read(struct reader *r, cmark_node *li, int depth, size_t start)
{
	cmark_node *para = cmark_node_first_child(li), *sub = NULL, *n;
	struct action_item *item;
	struct plain p;
	size_t s, e;
	int col;

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
	if (!start && sub && listitem_is_label(para, &p)) {
		if (depth < 8)
			listitem_read_list(r, sub, depth + 1);
		goto done;
	}
	if (fields_is_placeholder(p.sb.buf, p.sb.len))
		goto done;
	item = postmortem_add_item(r->pm);
	item->line = reader_node_line(r, li);
	col = cmark_node_get_start_column(li);
	item->col = col > 0 ? col : 1;
	if (reader_node_is(li, "tasklist")) {
		bool checked = cmark_gfm_extensions_get_tasklist_item_checked(li);
		item_set_status(item, checked ? FIELDS_STATUS_DONE : FIELDS_STATUS_OPEN,
		                checked ? "[x]" : "[ ]", 3);
	}
	item_read_tokens(item, &p, start, &s, &e);
	if (!split_title(item, para, &p, s, e))
		item->text = xstrndup(p.sb.buf + s, e - s);
	item->markdown = reader_block_source(r, para);
	item_whole_ref(item, item->text);
	if (!item->text[0] || fields_is_placeholder(item->text, strlen(item->text))) {
		action_item_release(item);
		r->pm->items_nr--;
		goto done;
	}
	if (sub)
		listitem_add_notes(item, sub);
done:
	plain_release(&p);
}

void listitem_read_list(struct reader *r, cmark_node *list, int depth)
{
	cmark_node *li;

	for (li = cmark_node_first_child(list); li; li = cmark_node_next(li))
		listitem_read(r, li, depth, 0);
}
