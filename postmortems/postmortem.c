/*
 * The postmortem data model's lifecycle: every string in a struct postmortem
 * and its items is owned by it, so releasing is one walk and a half-filled
 * postmortem (a parse that stopped early) releases like a full one.
 */
#include "util/compat.h"

#include "postmortems/postmortem.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void postmortem_init(struct postmortem *pm)
{
	memset(pm, 0, sizeof(*pm));
	pm->detection_chain_minutes = -1;
}

void action_item_release(struct action_item *item)
{
	size_t i;

	free(item->key);
	free(item->text);
	free(item->markdown);
	free(item->owner);
	free(item->due);
	free(item->due_raw);
	free(item->lever);
	free(item->ticket);
	for (i = 0; i < item->tickets_nr; i++)
		free(item->tickets[i]);
	free(item->tickets);
	free(item->ticket_key);
	free(item->status_raw);
	free(item->priority);
	free(item->id);
	for (i = 0; i < item->extra_nr; i++) {
		free(item->extra[i].name);
		free(item->extra[i].value);
	}
	free(item->extra);
	memset(item, 0, sizeof(*item));
}

void postmortem_release(struct postmortem *pm)
{
	size_t i;

	free(pm->path);
	free(pm->origin_path);
	free(pm->title);
	free(pm->date);
	free(pm->date_source);
	free(pm->url);
	for (i = 0; i < pm->meta_nr; i++) {
		free(pm->meta[i].name);
		free(pm->meta[i].value);
	}
	free(pm->meta);
	for (i = 0; i < pm->headings_nr; i++)
		free(pm->headings[i]);
	free(pm->headings);
	free(pm->heading_lines);
	free(pm->section);
	for (i = 0; i < pm->items_nr; i++)
		action_item_release(&pm->items[i]);
	free(pm->items);
	postmortem_init(pm);
}

const char *action_item_status_name(enum pm_item_status status)
{
	switch (status) {
	case PM_ITEM_DONE:
		return "done";
	case PM_ITEM_CANCELED:
		return "canceled";
	case PM_ITEM_OPEN:
		break;
	}
	return "open";
}

const char *action_item_origin_name(enum pm_item_origin origin)
{
	static const char *const names[] = {
	        [PM_ORIGIN_SECTION] = "section", [PM_ORIGIN_LABEL] = "label",
	        [PM_ORIGIN_TABLE] = "table",     [PM_ORIGIN_PLANNED] = "planned",
	        [PM_ORIGIN_STATUS] = "status",   [PM_ORIGIN_PROSE] = "prose",
	};

	return (size_t)origin < ARRAY_SIZE(names) ? names[origin] : "section";
}

const char *action_item_confidence(enum pm_item_origin origin)
{
	if (origin < PM_ORIGIN_FIRST_INFERRED)
		return "high";
	return origin == PM_ORIGIN_PROSE ? "low" : "medium";
}

const char *postmortem_meta(const struct postmortem *pm, const char *name)
{
	size_t i;

	for (i = 0; i < pm->meta_nr; i++)
		if (!strcmp(pm->meta[i].name, name))
			return pm->meta[i].value;
	return NULL;
}

struct action_item *postmortem_add_item(struct postmortem *pm)
{
	struct action_item *item;

	ALLOC_GROW(pm->items, pm->items_nr + 1, pm->items_alloc);
	item = &pm->items[pm->items_nr++];
	memset(item, 0, sizeof(*item));
	item->heading = -1;
	return item;
}
