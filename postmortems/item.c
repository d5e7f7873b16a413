/*
 * How an action item's fields get set, from a table's cells or from the
 * tokens of a list item's text (tokens.c). Every field keeps the first value
 * found, so a cell or token never overrides an earlier one; a date that
 * cannot be read is kept as written for lint to report. References are the
 * exception: an item may name several (two pull requests, an issue and its
 * fix), and keeps them all, the first as written being the primary.
 */
#include "util/compat.h"

#include "postmortems/item.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "postmortems/dates.h"
#include "postmortems/text.h"
#include "postmortems/ticket.h"
#include "util/xalloc.h"

void item_add_extra(struct action_item *item, const char *name, const char *value)
{
	struct pm_field *f;

	ALLOC_GROW(item->extra, item->extra_nr + 1, item->extra_alloc);
	f = &item->extra[item->extra_nr++];
	f->name = xstrdup(name);
	f->value = xstrdup(value ? value : "");
}

void item_set_due(struct action_item *item, const char *s, size_t len)
{
	char date[11];

	text_trim(&s, &len);
	if (fields_is_none(s, len) || item->due || item->due_raw)
		return;
	if (dates_read(date, s, len)) {
		item->due = xstrdup(date);
		return;
	}
	/* Kept as written; lint reports it (bad-due-date), so it is said once. */
	item->due_raw = xstrndup(s, len);
}

static void insert_ticket(struct action_item *item, size_t at, const char *ref)
{
	ALLOC_GROW(item->tickets, item->tickets_nr + 1, item->tickets_alloc);
	memmove(item->tickets + at + 1, item->tickets + at,
	        (item->tickets_nr - at) * sizeof(*item->tickets));
	item->tickets[at] = xstrdup(ref);
	item->tickets_nr++;
}

void item_set_ticket(struct action_item *item, const char *text, size_t len, const char *url)
{
	struct ticket t;

	if (item->ticket)
		return;
	ticket_read(&t, text, len, url);
	item->ticket = t.ticket; /* ownership moves to the item */
	item->ticket_kind = t.kind;
	item->ticket_key = t.key;
	if (item->ticket)
		insert_ticket(item, item->tickets_nr, item->ticket);
}

bool item_has_ticket(const struct action_item *item, const char *ref)
{
	size_t i;

	for (i = 0; i < item->tickets_nr; i++)
		if (!strcmp(item->tickets[i], ref))
			return true;
	return false;
}

void item_add_ticket(struct action_item *item, const char *text, size_t len, const char *url,
                     bool before)
{
	struct ticket t;

	if (!item->ticket) {
		item_set_ticket(item, text, len, url);
		return;
	}
	ticket_read(&t, text, len, url);
	if (!t.ticket || item_has_ticket(item, t.ticket)) {
		ticket_release(&t);
		return;
	}
	if (!before) {
		insert_ticket(item, item->tickets_nr, t.ticket);
		ticket_release(&t);
		return;
	}
	/* written before the others: it becomes the primary */
	insert_ticket(item, 0, t.ticket);
	free(item->ticket);
	free(item->ticket_key);
	item->ticket = t.ticket; /* ownership moves to the item */
	item->ticket_kind = t.kind;
	item->ticket_key = t.key;
}

void item_set_status(struct action_item *item, enum fields_status st, const char *raw, size_t len)
{
	if (item->status_raw || st == FIELDS_STATUS_NONE)
		return;
	item->status = st == FIELDS_STATUS_DONE       ? PM_ITEM_DONE
	               : st == FIELDS_STATUS_CANCELED ? PM_ITEM_CANCELED
	                                              : PM_ITEM_OPEN;
	item->status_raw = text_dup_trimmed(raw, len);
}
