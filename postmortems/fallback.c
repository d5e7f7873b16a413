/*
 * Files without an action heading. Some postmortems put their action items
 * under a paragraph that only says "Action Items", in a table whose first
 * column is an action column, or in a list whose item is only an action
 * label ("**Follow-ups**:") over a sub-list, or with the label inline
 * ("**Action items**: do this"). These shapes are looked for in document
 * order, only when no heading matched, so that an ordinary table or list
 * elsewhere in a file is never taken for action items.
 */
#include "util/compat.h"

#include "postmortems/fallback.h"

#include <string.h>

#include "postmortems/listitem.h"
#include "postmortems/plain.h"
#include "postmortems/table.h"

/*
 * "**Action items**: do this": when the bold label matches a heading pattern
 * and text follows, returns the offset of that text in p, else 0.
 */
static size_t inline_label(const struct section_map *m, cmark_node *para, const struct plain *p)
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
	    section_matches_action(m, label.sb.buf, n, true)) {
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
void fallback_read(const struct section_map *m, struct reader *r, cmark_node *doc)
{
	cmark_node *n = cmark_node_first_child(doc);
	struct section_ahead ahead = {false, NULL};
	int skip_to = 0;

	while (n) {
		cmark_node *next = cmark_node_next(n);
		cmark_node_type type = cmark_node_get_type(n);
		if (reader_node_line(r, n) <= skip_to) {
			n = next;
			continue;
		}
		if (type == CMARK_NODE_PARAGRAPH && short_block(n)) {
			struct plain p;
			bool label;
			plain_init(&p);
			plain_inlines(&p, n, 0);
			label = p.sb.len < 80 &&
			        section_matches_action(m, p.sb.buf, p.sb.len, true);
			plain_release(&p);
			if (label) {
				cmark_node *end = section_end(next, 6);
				section_read_blocks(r, next, end);
				n = end;
				continue;
			}
		} else if (reader_node_is(n, "table")) {
			table_read_gfm(r, n, true);
		} else if (table_is_html(n)) {
			skip_to = table_read_html(r, n, section_next_heading(r, n, &ahead), true);
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
				if (sub && listitem_is_label(para, &p) &&
				    section_matches_action(m, p.sb.buf, p.sb.len, true))
					listitem_read_list(r, sub, 1);
				else if ((skip = inline_label(m, para, &p)))
					listitem_read(r, li, 1, skip);
				plain_release(&p);
			}
		}
		n = next;
	}
}
