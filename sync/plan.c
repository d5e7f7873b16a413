/*
 * The sync plan: what the tracker should hold (every action item mapped to
 * ticket fields), what it holds (the tickets carrying this repository's
 * marker), and the changes between them. The plan is built in stages that
 * share the context of sync/sync_int.h: the desired side, one entry per
 * action item (sync/desired.c); matching entries to tickets by item key and
 * postmortem path, then by the ids pmsync chose for its creates (a ticket
 * made by an interrupted run), by the ticket a row names (adoption) and,
 * last, by text similarity within the same postmortem (sync/match.c); and
 * for each item that has its ticket, the three-way comparison of its fields
 * (sync/diff.c). This file runs the stages, turns every entry and every
 * unclaimed ticket into a change, and counts them; a plan from the state
 * file alone is sync/offline.c's. The blast radius is kept small on purpose:
 * unreadable or absent postmortems never orphan their tickets, status
 * belongs to the tracker, and no ticket of another repository is ever
 * touched. Applying lives in apply.c.
 */
#include "util/compat.h"

#include "sync/sync_int.h"

#include <stdlib.h>
#include <string.h>

#include "mapping/mapping.h"
#include "util/error.h"
#include "util/xalloc.h"

static int item_change(struct sync_ctx *x, struct sync_entry *e)
{
	struct sync_change *c;
	bool linked = e->listed >= 0 || e->has_ticket;
	enum sync_kind kind = e->kind;
	int error = 0;

	if (linked) {
		if (e->how == SYNC_HOW_ADOPT)
			kind = SYNC_ADOPT;
		else if (e->how == SYNC_HOW_LOOKUP && !(e->has_ticket && e->ticket.has_marker))
			kind = SYNC_RECOVER;
		else
			kind = SYNC_UNCHANGED;
	}
	c = sync_add_change(x->plan, kind);
	sync_fill_item(c, e);
	if (!linked) {
		if (kind == SYNC_CREATE) {
			c->ticket_id = xstrdup_or_null(e->chosen_id);
			error = mapping_marker(&c->marker, e->pm, e->item->key, x->cfg,
			                       &c->desired);
			c->write_marker = true;
		}
		return error;
	}
	if (e->listed >= 0)
		sync_ticket_move(&c->ticket, &x->listed.v[e->listed]);
	else
		sync_ticket_move(&c->ticket, &e->ticket);
	c->has_ticket = true;
	c->ticket_id = xstrdup(c->ticket.id);
	return sync_compare(x, e, c);
}

/* A managed ticket that no item of the plan claims. */
static void ticket_change(struct sync_ctx *x, size_t i)
{
	struct tracker_ticket *tk = &x->listed.v[i];
	const struct postmortem *pm = sync_pm_at(x->set, tk->marker.pm_path);
	enum sync_kind kind;
	struct sync_change *c;

	if (!sync_in_only(x, tk->marker.pm_path ? tk->marker.pm_path : ""))
		return; /* outside the postmortems asked for: no judgement */
	if (!pm)
		kind = SYNC_MISSING_PM;
	else if (pm->unreadable)
		kind = SYNC_UNKNOWN;
	else if (x->cfg->removed == PM_REMOVED_CANCEL && !x->dup[i] && tk->status == TRACKER_OPEN &&
	         !tk->archived)
		kind = SYNC_CANCEL;
	else
		kind = SYNC_ORPHANED;
	c = sync_add_change(x->plan, kind);
	c->pm = pm;
	c->key = xstrdup_or_null(tk->marker.item_key);
	c->path = xstrdup_or_null(tk->marker.pm_path);
	if (kind == SYNC_MISSING_PM)
		sync_add_note(&c->note, "'%s' is not at this revision: left alone",
		              tk->marker.pm_path ? tk->marker.pm_path : "?");
	else if (kind == SYNC_UNKNOWN)
		sync_add_note(&c->note, "'%s' cannot be read: its items are unknown, left alone",
		              tk->marker.pm_path);
	else if (x->dup[i])
		sync_add_note(&c->note, "a second ticket for item '%s': left alone",
		              tk->marker.item_key ? tk->marker.item_key : "?");
	else if (x->cfg->removed == PM_REMOVED_CANCEL && kind == SYNC_ORPHANED)
		sync_add_note(&c->note, "already closed: left as it is");
	sync_ticket_move(&c->ticket, tk);
	c->has_ticket = true;
	c->ticket_id = xstrdup(c->ticket.id);
}

static int cmp_change(const void *a, const void *b)
{
	const struct sync_change *p = a, *q = b;
	int c = strcmp(p->path ? p->path : "", q->path ? q->path : "");

	if (c)
		return c;
	if ((p->line == 0) != (q->line == 0))
		return p->line == 0 ? 1 : -1;
	if (p->line != q->line)
		return p->line < q->line ? -1 : 1;
	return strcmp(p->key ? p->key : "", q->key ? q->key : "");
}

static void count_changes(struct sync_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nr; i++) {
		const struct sync_change *c = &plan->v[i];
		switch (c->kind) {
		case SYNC_CREATE:
			plan->creates++;
			break;
		case SYNC_UPDATE:
			plan->updates++;
			break;
		case SYNC_CANCEL:
			plan->cancels++;
			break;
		case SYNC_ADOPT:
		case SYNC_RECOVER:
			plan->adopts++;
			break;
		case SYNC_UNCHANGED:
			plan->unchanged++;
			break;
		case SYNC_ORPHANED:
			plan->orphaned++;
			break;
		default:
			break;
		}
		if (c->conflict_mask)
			plan->conflicts++;
		if (c->drift_mask)
			plan->drifts++;
	}
}

static const char *tracker_name(const struct config *cfg, const struct tracker *t)
{
	const struct tracker_kind *k = tracker_kind_of(cfg->tracker);

	if (t)
		return t->ops->name;
	return k ? k->name : "none";
}

static int check_state(const struct state *st, const struct config *cfg, const struct tracker *t)
{
	const char *name = st->display ? st->display : "state file";

	if (st->tracker && strcmp(st->tracker, tracker_name(cfg, t)))
		return pm_error(PM_ESTATE,
		                "'%s' was written for tracker '%s', not '%s': run 'pmsync sync "
		                "--rebuild-state' to rebuild it from the tracker",
		                name, st->tracker, tracker_name(cfg, t));
	if (st->repo && cfg->repo_id && strcmp(st->repo, cfg->repo_id))
		return pm_error(PM_ESTATE,
		                "'%s' was written for repository '%s', not '%s' (sync.repoId): "
		                "run 'pmsync sync --rebuild-state' to rebuild it from the tracker",
		                name, st->repo, cfg->repo_id);
	return 0;
}

/* Keeps the tickets that carry this repository's marker; others are never touched. */
static int list_ours(struct sync_ctx *x)
{
	struct tracker_tickets all = {0};
	size_t i;
	int error;

	error = x->t->ops->list_managed(x->t, &all);
	if (error < 0)
		goto done;
	for (i = 0; i < all.nr; i++)
		if (sync_ours(x, &all.v[i]))
			sync_ticket_move(tracker_tickets_add(&x->listed), &all.v[i]);
done:
	tracker_tickets_release(&all);
	return error;
}

static int plan_online(struct sync_ctx *x)
{
	size_t i;
	int error;

	if ((error = sync_resolve_owners(x)) < 0 || (error = list_ours(x)) < 0)
		return error;
	sync_match_listed(x);
	for (i = 0; i < x->nr; i++)
		if (x->e[i].planned && x->e[i].listed < 0)
			sync_classify(x, &x->e[i]);
	if ((error = sync_adopt(x)) < 0 || (error = sync_lookup_ids(x)) < 0)
		return error;
	sync_rematch(x);
	for (i = 0; i < x->nr; i++) {
		if (!x->e[i].planned)
			continue;
		error = item_change(x, &x->e[i]);
		if (error < 0)
			return error;
	}
	for (i = 0; i < x->listed.nr; i++)
		if (x->owner_of[i] < 0)
			ticket_change(x, i);
	return 0;
}

int sync_plan_build(struct sync_plan *out, const struct pm_set *set, const struct config *cfg,
                    struct tracker *t, struct state *state, const struct sync_options *opts)
{
	struct sync_plan plan = SYNC_PLAN_INIT;
	struct state empty = STATE_INIT;
	struct sync_options defaults;
	struct sync_ctx x;
	size_t i;
	int error = 0;

	memset(&x, 0, sizeof(x));
	if (!opts) {
		memset(&defaults, 0, sizeof(defaults));
		defaults.max_changes = -1;
		opts = &defaults;
	}
	x.set = set;
	x.cfg = cfg;
	x.offline = !t || opts->offline;
	x.t = x.offline ? NULL : t;
	x.state = state ? state : &empty;
	x.opts = opts;
	x.plan = &plan;
	plan.offline = x.offline;
	plan.dry_run = opts->dry_run;
	plan.rev_id = xstrdup(set->rev_id);

	if (!x.offline && (!cfg->repo_id || !*cfg->repo_id)) {
		error = pm_error(PM_ECONFIG, "no repository id for the markers: set sync.repoId in "
		                             ".pmsync.conf or add an origin remote");
		goto done;
	}
	if (!opts->rebuild_state && (error = check_state(x.state, cfg, x.t)) < 0)
		goto done;
	sync_collect_entries(&x);
	if (x.offline)
		sync_offline_plan(&x);
	else if ((error = plan_online(&x)) < 0)
		goto done;
	if (plan.nr > 1)
		qsort(plan.v, plan.nr, sizeof(*plan.v), cmp_change);
	count_changes(&plan);
	sync_plan_release(out);
	*out = plan;
	memset(&plan, 0, sizeof(plan)); /* handed over */
done:
	for (i = 0; i < x.nr; i++) {
		struct sync_entry *e = &x.e[i];
		free(e->chosen_id);
		free(e->owner);
		free(e->note);
		tracker_fields_release(&e->desired);
		tracker_ticket_release(&e->ticket);
	}
	free(x.e);
	free(x.by_key);
	free(x.owner_of);
	free(x.dup);
	tracker_tickets_release(&x.listed);
	sync_plan_release(&plan);
	return error;
}
