#ifndef PM_ITEM_H
#define PM_ITEM_H

#include <stddef.h>

#include "postmortems/fields.h"
#include "postmortems/plain.h"
#include "postmortems/postmortem.h"

/*
 * Setting an action item's fields: the first value found wins (a later
 * cell or token never overrides one already set), and the fields written
 * inside a list item's text are read off its ends.
 */

/* Appends an extra field (copies of name and value; NULL value: ""). */
void item_add_extra(struct action_item *item, const char *name, const char *value);

/* The due date from s: YYYY-MM-DD when it reads as a date, else kept raw; "n/a" is none. */
void item_set_due(struct action_item *item, const char *s, size_t len);

/* The ticket reference from text or the link url (see ticket_read()). */
void item_set_ticket(struct action_item *item, const char *text, size_t len, const char *url);

/* The status, with raw as written; FIELDS_STATUS_NONE sets nothing. */
void item_set_status(struct action_item *item, enum fields_status st, const char *raw, size_t len);

/*
 * Reads the tokens at both ends of a list item's plain text p (from offset
 * start) into item, and sets [*s, *e) to the action's text between them.
 */
void item_read_tokens(struct action_item *item, const struct plain *p, size_t start, size_t *s,
                      size_t *e);

/* A bare reference as the whole text ("#2127", "org/repo#12", "ENG-12") becomes the ticket. */
void item_whole_ref(struct action_item *item, const char *t);

#endif
