/*
 * One table row as the reader sees it, and the action item it makes. The
 * header row names the columns (fields.c knows their synonyms: "Who",
 * "Bug #", "Deadline"); every other row becomes an item unless it is empty
 * or its action is template residue. Each cell goes to its field, the first
 * column of a kind winning; a status word glued to a ticket cell ("n/a
 * DONE"), a status in the lever column and a link there are read where
 * authors put them, and the columns pmsync does not know are kept as extra
 * fields under their header's name.
 */
#include "util/compat.h"

#include "postmortems/tablerow.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "postmortems/item.h"
#include "postmortems/lead.h"
#include "postmortems/text.h"
#include "postmortems/ticket.h"
#include "util/xalloc.h"

static bool cell_empty(const struct tablerow_cell *c)
{
	return !c->text[0];
}

/* Reads a status column: words, and yes/x/true as "done". */
static void status_cell(struct action_item *item, const struct tablerow_cell *c)
{
	static const char *const yes[] = {"yes", "y", "x", "[x]", "true", "oui", NULL};
	const char *const *w;
	size_t len = strlen(c->text);
	enum fields_status st;

	if (!len || fields_is_none(c->text, len))
		return;
	st = fields_status_word(c->text, len);
	for (w = yes; !st && *w; w++)
		if (!strcasecmp(c->text, *w))
			st = FIELDS_STATUS_DONE;
	item_set_status(item, st ? st : FIELDS_STATUS_OPEN, c->text, len);
}

/* The end of the word of s[i..len) (words split on blanks, commas and semicolons). */
static size_t word_end(const char *s, size_t i, size_t len)
{
	while (i < len && !strchr(" ,;", s[i]))
		i++;
	return i;
}

/*
 * "ENG-1, ENG-2", "#12 and #14": several references in one cell, each kept
 * (the first is the primary and takes the cell's link). False, and nothing
 * set, unless every word is a reference ("and" and "&" aside).
 */
static bool several_refs(struct action_item *item, const char *s, size_t len, const char *url)
{
	size_t i, e, refs = 0;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < len; i = e) {
			while (i < len && strchr(" ,;", s[i]))
				i++;
			e = word_end(s, i, len);
			if (e == i || (e - i == 3 && !strncasecmp(s + i, "and", 3)) ||
			    (e - i == 1 && s[i] == '&'))
				continue;
			if (!pass && !ticket_is_ref_word(s + i, e - i))
				return false;
			if (!pass)
				refs++;
			else if (!item->ticket)
				item_set_ticket(item, s + i, e - i, url);
			else
				item_add_ticket(item, s + i, e - i, NULL, false);
		}
		if (refs < 2)
			return false;
	}
	return true;
}

/*
 * A ticket cell, possibly with a status word glued to its end ("Bug #5
 * TODO"). False when the cell holds words but no reference ("follow-up
 * TBD": no link, no number), for the caller to keep as written.
 */
static bool ticket_cell(struct action_item *item, const struct tablerow_cell *c,
                        enum fields_status *glued, const char **word, size_t *word_len)
{
	size_t len = strlen(c->text), rest = len, off = 0, wlen = 0, i;
	enum fields_status st = fields_split_status(c->text, len, &rest, &off, &wlen);

	if (st && !*glued) {
		*glued = st;
		*word = c->text + off;
		*word_len = wlen;
	}
	if (st)
		len = rest;
	for (i = 0; i < len && !ascii_isdigit(c->text[i]); i++)
		;
	if (i == len && !(c->url && c->url[0] && c->url[0] != '#') &&
	    !ascii_starts_ci(c->text, len, "http"))
		return fields_is_none(c->text, len);
	if (!several_refs(item, c->text, len, c->url))
		item_set_ticket(item, c->text, len, c->url);
	return true;
}

struct tablerow_cell *tablerow_add(struct tablerow *r)
{
	struct tablerow_cell *c;

	ALLOC_GROW(r->v, r->nr + 1, r->alloc);
	c = &r->v[r->nr++];
	memset(c, 0, sizeof(*c));
	return c;
}

/* Empties r for the next row, keeping its memory. */
void tablerow_reset(struct tablerow *r)
{
	r->nr = 0;
	strbuf_setlen(&r->arena, 0);
}

void tablerow_release(struct tablerow *r)
{
	free(r->v);
	strbuf_release(&r->arena);
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->arena, 0);
}

/*
 * Turns the arena offsets of the cells into pointers, once the arena has
 * stopped growing. A leading space left by the collapsing is skipped.
 */
void tablerow_resolve(struct tablerow *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		if (r->v[i].text)
			continue;
		if (r->arena.buf[r->v[i].off] == ' ')
			r->v[i].off++;
		r->v[i].text = r->arena.buf + r->v[i].off;
	}
}

void tablerow_head_release(struct tablerow_head *h)
{
	size_t i;

	for (i = 0; i < h->nr; i++)
		free(h->names[i]);
	free(h->names);
	free(h->kinds);
	memset(h, 0, sizeof(*h));
}

void tablerow_head_set(struct tablerow_head *h, const struct tablerow *header)
{
	size_t i;

	h->nr = header->nr;
	h->names = xcalloc(h->nr ? h->nr : 1, sizeof(*h->names));
	h->kinds = xcalloc(h->nr ? h->nr : 1, sizeof(*h->kinds));
	h->action = 0;
	for (i = 0; i < h->nr; i++) {
		h->names[i] = xstrdup(header->v[i].text);
		h->kinds[i] = fields_column(header->v[i].text, strlen(header->v[i].text));
	}
	for (i = h->nr; i > 0; i--)
		if (h->kinds[i - 1] == FIELDS_COL_ACTION)
			h->action = i - 1;
}

static void extra_cell(struct action_item *item, const char *name, size_t index,
                       const struct tablerow_cell *c)
{
	char *generated = NULL;

	if (!name)
		name = generated = xasprintf("column %zu", index + 1);
	item_add_extra(item, name, c->text);
	free(generated);
}

/* Turns one table row into an item (or nothing for an empty or template row). */
void tablerow_item(struct postmortem *pm, const struct tablerow_head *h, const struct tablerow *r)
{
	struct action_item *item;
	const struct tablerow_cell *action, *type_link = NULL;
	bool seen[FIELDS_COL_ID + 1] = {false};
	enum fields_status glued = FIELDS_STATUS_NONE, type_status = FIELDS_STATUS_NONE;
	const char *glued_word = NULL, *type_word = NULL;
	size_t glued_len = 0, i;

	if (h->action >= r->nr)
		return;
	action = &r->v[h->action];
	if (fields_is_placeholder(action->text, strlen(action->text)))
		return;
	item = postmortem_add_item(pm);
	item->line = r->line;
	item->col = r->col;
	item->text = xstrdup(action->text);
	item->markdown = action->md ? text_dup_trimmed(action->md, action->md_len) : NULL;
	if (!item->markdown)
		item->markdown = xstrdup(action->text);
	seen[FIELDS_COL_ACTION] = true;
	for (i = 0; i < r->nr; i++) {
		const struct tablerow_cell *c = &r->v[i];
		enum fields_column kind = i < h->nr ? h->kinds[i] : FIELDS_COL_OTHER;
		size_t len = strlen(c->text);
		if (i == h->action)
			continue;
		if (kind != FIELDS_COL_OTHER && seen[kind])
			kind = FIELDS_COL_OTHER;
		seen[kind] = true;
		switch (kind) {
		case FIELDS_COL_OWNER:
			item->owner = fields_owner(c->text, len);
			break;
		case FIELDS_COL_DUE:
			item_set_due(item, c->text, len);
			break;
		case FIELDS_COL_LEVER:
			if ((type_status = fields_status_word(c->text, len)))
				type_word = c->text;
			else if (c->url && c->url[0] != '#')
				type_link = c;
			else
				item->lever = fields_lever(c->text, len);
			break;
		case FIELDS_COL_TICKET:
			if (!ticket_cell(item, c, &glued, &glued_word, &glued_len))
				extra_cell(item, i < h->nr ? h->names[i] : NULL, i, c);
			break;
		case FIELDS_COL_STATUS:
			status_cell(item, c);
			break;
		case FIELDS_COL_PRIORITY:
			if (!fields_is_none(c->text, len))
				item->priority = text_dup_trimmed(c->text, len);
			break;
		case FIELDS_COL_ID:
			if (!fields_is_none(c->text, len))
				item->id = text_dup_trimmed(c->text, len);
			break;
		default:
			extra_cell(item, i < h->nr ? h->names[i] : NULL, i, c);
			break;
		}
	}
	if (glued)
		item_set_status(item, glued, glued_word, glued_len);
	if (type_status)
		item_set_status(item, type_status, type_word, strlen(type_word));
	if (type_link && !item->ticket)
		item_set_ticket(item, "", 0, type_link->url);
	/* "✅ Add the alert" in the action cell; a status column, read above, wins */
	if ((unsigned char)item->text[0] >= 0xe2 || item->text[0] == '[') {
		size_t len = strlen(item->text), k = lead_mark(item, item->text, 0, len);
		if (k > 0 && k < len)
			memmove(item->text, item->text + k, len - k + 1);
	}
}

bool tablerow_empty(const struct tablerow *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (!cell_empty(&r->v[i]))
			return false;
	return true;
}

void tablerow_init(struct tablerow *r)
{
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->arena, 0);
}
