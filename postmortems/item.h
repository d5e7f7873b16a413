#ifndef PM_ITEM_H
#define PM_ITEM_H

#include <stdbool.h>
#include <stddef.h>

#include "postmortems/fields.h"
#include "postmortems/postmortem.h"

/*
 * Setting an action item's fields: the first value found wins (a later
 * cell or token never overrides one already set); references accumulate.
 */

/* Appends an extra field (copies of name and value; NULL value: ""). */
void item_add_extra(struct action_item *item, const char *name, const char *value);

/* The due date from s: YYYY-MM-DD when it reads as a date, else kept raw; "n/a" is none. */
void item_set_due(struct action_item *item, const char *s, size_t len);

/* The ticket reference from text or the link url (see ticket_read()). */
void item_set_ticket(struct action_item *item, const char *text, size_t len, const char *url);

/*
 * Adds a reference to an item that may already have some (a copy; "n/a" and
 * repeats add nothing). before: it was written before the ones already
 * read (tokens are read from the end of a text), and becomes the primary.
 */
void item_add_ticket(struct action_item *item, const char *text, size_t len, const char *url,
                     bool before);

/* True when ref is one of the item's references. */
bool item_has_ticket(const struct action_item *item, const char *ref);

/* The status, with raw as written; FIELDS_STATUS_NONE sets nothing. */
void item_set_status(struct action_item *item, enum fields_status st, const char *raw, size_t len);

#endif
