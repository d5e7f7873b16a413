#ifndef PM_LISTITEM_H
#define PM_LISTITEM_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "postmortems/plain.h"
#include "postmortems/postmortem.h"
#include "postmortems/reader.h"

/* Action items from the lists of a postmortem, added to the reader's postmortem. */

/*
 * Reads list item li; start skips an inline label already read ("**Review
 * actions**: "). depth counts the group labels above it.
 */
void listitem_read(struct reader *r, cmark_node *li, int depth, size_t start);

/* Reads every item of list. */
void listitem_read_list(struct reader *r, cmark_node *list, int depth);

/* True for a paragraph that is only a group label: "**Review actions**:", "Process:". */
bool listitem_is_label(cmark_node *para, const struct plain *p);

/* Joins the texts of list's items into item's "notes" field. */
void listitem_add_notes(struct action_item *item, cmark_node *list);

#endif
