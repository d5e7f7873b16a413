/*
 * A sync plan made offline, from the state file and the postmortems alone:
 * an item the state knows is linked to the ticket recorded there and
 * compared with what pmsync last wrote (never the assignee, as owners
 * cannot be resolved offline); an item it does not know is classified by
 * its row; a recorded ticket whose item is gone is orphaned or canceled,
 * and one whose postmortem is absent or unreadable is left alone.
 */
#include "util/compat.h"

#include "sync/sync_int.h"

#include <stdlib.h>

#include "util/xalloc.h"

/* The ticket as the state file knows it: id, reference, and the fields last written. */
static void state_ticket(struct sync_change *c, const struct state_item *si)
{
	c->ticket_id = xstrdup(si->ticket_id);
	c->ticket.id = xstrdup(si->ticket_id);
	c->ticket.ref = xstrdup_or_null(si->ref);
	c->ticket.url = xstrdup_or_null(si->url);
	if (si->has_written) {
		tracker_fields_release(&c->ticket.fields);
		tracker_fields_copy(&c->ticket.fields, &si->written);
	}
	c->has_ticket = true;
}

void sync_offline_plan(struct sync_ctx *x)
{
	bool *seen = xcalloc(x->state->items_nr ? x->state->items_nr : 1, sizeof(*seen));
	size_t i;

	for (i = 0; i < x->nr; i++) {
		struct sync_entry *e = &x->e[i];
		struct state_item *si;
		struct sync_change *c;

		si = x->opts->rebuild_state ? NULL : sync_state_item(x, e);
		if (si)
			seen[si - x->state->items] = true;
		if (!e->planned)
			continue;
		if (!si) {
			sync_classify(x, e);
			c = sync_add_change(x->plan, e->kind);
			sync_fill_item(c, e);
			continue;
		}
		c = sync_add_change(x->plan, SYNC_UNCHANGED);
		sync_fill_item(c, e);
		state_ticket(c, si);
		if (e->owner && si->has_written) {
			/* Owners cannot be resolved offline: assume the one last written. */
			free(c->desired.assignee_id);
			c->desired.assignee_id = xstrdup_or_null(si->written.assignee_id);
		}
		if (si->has_written) {
			/* Owners cannot be resolved offline: the assignee is not compared. */
			c->update_mask = tracker_fields_diff(&c->desired, &si->written,
			                                     TF_ALL & ~TF_ASSIGNEE);
			if (c->update_mask)
				c->kind = SYNC_UPDATE;
		}
	}
	for (i = 0; i < x->state->items_nr; i++) {
		const struct state_item *si = &x->state->items[i];
		const struct postmortem *pm = sync_pm_at(x->set, si->path);
		struct sync_change *c;
		enum sync_kind kind;

		if (seen[i] || x->opts->rebuild_state || !sync_in_only(x, si->path ? si->path : ""))
			continue;
		if (!pm)
			kind = SYNC_MISSING_PM;
		else if (pm->unreadable)
			kind = SYNC_UNKNOWN;
		else
			kind = x->cfg->removed == PM_REMOVED_CANCEL ? SYNC_CANCEL : SYNC_ORPHANED;
		c = sync_add_change(x->plan, kind);
		c->pm = pm;
		c->key = xstrdup(si->key);
		c->path = xstrdup_or_null(si->path);
		state_ticket(c, si);
		if (kind == SYNC_CANCEL)
			sync_add_note(&c->note, "offline: cancelled only if still open");
	}
	free(seen);
}
