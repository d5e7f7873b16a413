#ifndef PM_TOKENS_H
#define PM_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

#include "postmortems/plain.h"
#include "postmortems/postmortem.h"

/*
 * The fields written inside a list item's text, read off its ends: a status
 * mark, a box or "TODO(owner):" at the start; references, a lever, a status,
 * a due date or an owner at the end.
 */

/*
 * Reads the tokens at both ends of a list item's plain text p (from offset
 * start) into item, and sets [*s, *e) to the action's text between them.
 * lead is the length of the text's leading bold or italic run (0 when it
 * does not start with one): "**Done** Add a probe" leads with a status.
 */
void tokens_read(struct action_item *item, const struct plain *p, size_t start, size_t lead,
                 size_t *s, size_t *e);

/* A bare reference as the whole text ("#2127", "org/repo#12", "ENG-12") becomes the ticket. */
void tokens_whole_ref(struct action_item *item, const char *t);

/*
 * When the whole of p is one reference (a link to an issue or pull request,
 * "#12", "ENG-7"), adds it to item's references and returns true: a
 * sub-bullet that is only a link names its parent's tickets.
 */
bool tokens_add_whole_ref(struct action_item *item, const struct plain *p);

#endif
