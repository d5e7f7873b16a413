#ifndef PM_LISTITEM_H
#define PM_LISTITEM_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "postmortems/plain.h"
#include "postmortems/postmortem.h"
#include "postmortems/reader.h"
#include "util/strbuf.h"

/* Action items from the lists of a postmortem, added to the reader's postmortem. */

/*
 * Reads list item li; start skips an inline label already read ("**Review
 * actions**: "). depth counts the group labels above it.
 */
void listitem_read(struct reader *r, cmark_node *li, int depth, size_t start);

/*
 * Reads paragraph para as one item (start skips an inline label); with
 * status_led, only when it leads with a status word ("**TODO**", "DONE:").
 * True when an item was added.
 */
bool listitem_read_paragraph(struct reader *r, cmark_node *para, size_t start, bool status_led);

/*
 * What a list item outside any action section may be: PM_ORIGIN_STATUS
 * when it leads with a status word ("**DONE**", "TODO(kim):", "WIP"),
 * PM_ORIGIN_PROSE when it opens a commitment ("We will", "We'll", "We are
 * going to"), else PM_ORIGIN_SECTION (nothing to infer).
 */
enum pm_item_origin listitem_inferred_kind(cmark_node *li);

/*
 * True when list item li leads with a status word; word gets that word,
 * normalized (see label_normalize()).
 */
bool listitem_status_word(cmark_node *li, struct strbuf *word);

/* Reads every item of list. */
void listitem_read_list(struct reader *r, cmark_node *list, int depth);

/* True for a paragraph that is only a group label: "**Review actions**:", "Process:". */
bool listitem_is_label(cmark_node *para, const struct plain *p);

/*
 * Reads the sub-list list of the item at index parent: references become
 * its tickets, task boxes (every sub-item, with subtasks) items naming it,
 * the rest its "notes" field.
 */
void listitem_read_subs(struct reader *r, size_t parent, cmark_node *list, int depth,
                        bool subtasks);

#endif
