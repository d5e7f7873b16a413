/*
 * Applying a sync plan, in an order that survives interruption: creates
 * first, in batches of 50, each with the id pmsync chose for it; a batch
 * whose outcome is unknown (the request may have been applied before the
 * connection dropped) is looked up by those ids before anything else, so a
 * create is never sent twice; then the markers that link new, recovered and
 * adopted tickets to their items; then field updates (an adopted or
 * recovered ticket gets the postmortem's values in the same run, after its
 * marker, which records what the ticket held until then); then cancels. The
 * state file is saved after every batch. Whatever stops a run, between any
 * two requests, the next run finds every ticket again (by marker, or by
 * chosen id when the marker never got written) and converges to one ticket
 * per item. A failed element is recorded on its change and the run goes on;
 * an error that will fail every request (auth, rate limit) stops it.
 */
#include "util/compat.h"

#include "sync/sync.h"
#include "sync/sync_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"

#define SYNC_BATCH 50
#define DEFAULT_MAX_CHANGES 50

enum op { OP_CREATE, OP_MARKERS, OP_UPDATE, OP_CANCEL };

struct run {
	struct sync_plan *plan;
	const struct config *cfg;
	struct tracker *t;
	struct state *state;
	const struct sync_options *opts;
	size_t done, total;
	bool failed;
};

/* Errors after which every further request fails too. */
static bool is_fatal(int code)
{
	return code == PM_EAUTH || code == PM_ERATELIMIT || code == PM_EREFUSED ||
	       code == PM_ETIMEOUT;
}

/* Errors after which a write may or may not have been applied. */
static bool maybe_applied(int code)
{
	return code == PM_ENET || code == PM_ERROR || code == PM_ETIMEOUT;
}

static bool ours(const struct run *r, const struct sync_change *c)
{
	const struct tracker_ticket *tk = &c->ticket;

	return !c->has_ticket || !tk->has_marker ||
	       (tk->marker.repo_id && r->cfg->repo_id &&
	        !strcmp(tk->marker.repo_id, r->cfg->repo_id));
}

static void fail(struct run *r, struct sync_change *c, int code, const char *message)
{
	c->outcome = code ? code : PM_ERROR;
	free(c->message);
	c->message = xstrdup(message && *message ? message : "failed");
	r->failed = true;
}

static void progress(struct run *r, size_t n, const char *what)
{
	r->done += n;
	if (r->opts->progress)
		r->opts->progress(r->opts->progress_data, r->done, r->total, what);
}

/* A connector's note on a change that went through. */
static void take_note(struct sync_change *c, const struct tracker_outcome *o)
{
	if (!o->code && o->message)
		sync_add_note(&c->note, "%s", o->message);
}

/* Remembers a change's ticket in the state; written NULL keeps what the state had. */
static void record(struct run *r, const struct sync_change *c, const struct tracker_fields *written)
{
	struct state_item *it;

	if (!c->key || !c->ticket_id)
		return;
	it = state_get(r->state, c->key);
	if (!written && it->has_written && it->ticket_id && !strcmp(it->ticket_id, c->ticket_id))
		written = &it->written;
	state_item_set(it, c->ticket_id, c->ticket.ref, c->ticket.url, c->path, written);
}

static int save(struct run *r)
{
	if (!r->state->file)
		return 0; /* a state not tied to a file (tests, offline tools) */
	return state_save(r->state);
}

/* Before writing: the state mirrors what the plan found in the tracker. */
static void refresh_state(struct run *r)
{
	size_t i;
	int pass;

	if (r->opts->rebuild_state)
		state_clear_items(r->state);
	free(r->state->tracker);
	r->state->tracker = xstrdup(r->t->ops->name);
	free(r->state->repo);
	r->state->repo = xstrdup_or_null(r->cfg->repo_id);
	free(r->state->rev);
	r->state->rev = xstrdup_or_null(r->plan->rev_id);
	/* Tickets without an item first, so that an item's own ticket wins its key. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < r->plan->nr; i++) {
			const struct sync_change *c = &r->plan->v[i];
			const struct state_item *it;
			if (!c->has_ticket || !c->ticket.has_marker || !ours(r, c) ||
			    (pass == 0) != (c->item == NULL))
				continue;
			it = state_find(r->state, c->key ? c->key : "");
			if (pass == 0 && it && it->ticket_id && strcmp(it->ticket_id, c->ticket_id))
				continue;
			record(r, c,
			       c->ticket.marker.has_written ? &c->ticket.marker.written : NULL);
		}
	}
}

/* ---- creates ---- */

static bool want_create(const struct run *r, const struct sync_change *c)
{
	(void)r;
	return c->kind == SYNC_CREATE && !c->applied;
}

static void take_created(struct sync_change *c, struct tracker_ticket *tk)
{
	tracker_ticket_release(&c->ticket);
	c->ticket = *tk;
	memset(tk, 0, sizeof(*tk));
	tracker_fields_init(&tk->fields);
	tracker_fields_init(&tk->marker.written);
	c->has_ticket = true;
	/* the tracker's id: a chosen id comes back the same, a tracker without them gives its own */
	if (c->ticket.id) {
		free(c->ticket_id);
		c->ticket_id = xstrdup(c->ticket.id);
	}
	c->applied = true;
}

/* Asks the tracker which unconfirmed creates were made; found ones were. */
static int confirm_pending(struct run *r, struct sync_change **cs, const struct tracker_create *cr,
                           size_t n, bool *confirmed)
{
	struct tracker_tickets found = {0};
	struct tracker_create *ask = xcalloc(n, sizeof(*ask));
	size_t *at = xcalloc(n, sizeof(*at));
	size_t i, m = 0;
	int error = 0;

	for (i = 0; i < n; i++)
		if (!confirmed[i]) {
			ask[m] = cr[i];
			at[m++] = i;
		}
	if (m)
		error = r->t->ops->find_pending(r->t, ask, m, &found);
	for (i = 0; error >= 0 && i < found.nr && i < m; i++)
		if (found.v[i].id) {
			take_created(cs[at[i]], &found.v[i]);
			confirmed[at[i]] = true;
		}
	tracker_tickets_release(&found);
	free(ask);
	free(at);
	return error;
}

/* The unconfirmed create that made tk: by the chosen id, else by the marker's item; n when none. */
static size_t made_by(const struct tracker_create *cr, const bool *confirmed, size_t n,
                      const struct tracker_ticket *tk)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!confirmed[i] && cr[i].id && tk->id && !strcmp(cr[i].id, tk->id))
			return i;
	for (i = 0; i < n; i++)
		if (!confirmed[i] && tk->has_marker && tk->marker.item_key && cr[i].marker &&
		    cr[i].marker->item_key && !strcmp(tk->marker.item_key, cr[i].marker->item_key))
			return i;
	return n;
}

static int create_batch(struct run *r, struct sync_change **cs, size_t n)
{
	struct tracker_create *cr = xcalloc(n, sizeof(*cr));
	struct tracker_outcome *out = xcalloc(n, sizeof(*out));
	struct tracker_tickets created = {0};
	bool *confirmed = xcalloc(n, sizeof(*confirmed));
	bool lookup = false;
	char *batch_message = NULL;
	size_t i, j, k;
	int rc, error = 0;

	for (i = 0; i < n; i++) {
		cr[i].id = cs[i]->ticket_id;
		cr[i].fields = &cs[i]->desired;
		cr[i].marker = &cs[i]->marker;
	}
	rc = r->t->ops->create(r->t, cr, n, &created, out);
	if (rc < 0)
		batch_message = xstrdup(pm_error_message());
	/* Match what came back: by the chosen id or the marker, else in order of the successes. */
	for (j = 0, k = 0; j < created.nr; j++) {
		i = made_by(cr, confirmed, n, &created.v[j]);
		if (i == n)
			for (; k < n; k++)
				if (!confirmed[k] && !cr[k].id && (rc < 0 || !out[k].code)) {
					i = k++;
					break;
				}
		if (i < n) {
			take_created(cs[i], &created.v[j]);
			confirmed[i] = true;
		}
	}
	if (rc < 0 && is_fatal(rc)) {
		error = rc;
		goto fail_rest;
	}
	for (i = 0; i < n; i++)
		if (!confirmed[i] && cr[i].id &&
		    (rc < 0 ? maybe_applied(rc) : !out[i].code || maybe_applied(out[i].code)))
			lookup = true;
	if (lookup) {
		int lr = confirm_pending(r, cs, cr, n, confirmed);
		if (lr < 0 && is_fatal(lr)) {
			free(batch_message);
			batch_message = xstrdup(pm_error_message());
			error = lr;
		}
	}
fail_rest:
	for (i = 0; i < n; i++) {
		if (confirmed[i]) {
			take_note(cs[i], &out[i]);
			record(r, cs[i], &cs[i]->desired);
			continue;
		}
		if (rc < 0 || error < 0)
			fail(r, cs[i], error < 0 ? error : rc, batch_message);
		else
			fail(r, cs[i], out[i].code ? out[i].code : PM_ETRACKER,
			     out[i].message ? out[i].message
			                    : "the tracker did not return the ticket");
	}
	for (i = 0; i < n; i++)
		tracker_outcome_release(&out[i]);
	tracker_tickets_release(&created);
	free(batch_message);
	free(confirmed);
	free(out);
	free(cr);
	return error;
}

/* ---- markers, updates, cancels ---- */

static bool want_marker(const struct run *r, const struct sync_change *c)
{
	(void)r;
	switch (c->kind) {
	case SYNC_CREATE:
		/* The connector may have written it with the create. */
		return c->applied &&
		       !(c->ticket.has_marker && c->ticket.marker.url && c->marker.url &&
		         !strcmp(c->ticket.marker.url, c->marker.url));
	case SYNC_RECOVER:
	case SYNC_ADOPT:
		return true;
	case SYNC_UPDATE:
		return !c->update_mask && c->write_marker;
	default:
		return false;
	}
}

/* Linked as the ticket is, with the postmortem's values still to write. */
static bool link_then_update(const struct sync_change *c)
{
	return (c->kind == SYNC_RECOVER || c->kind == SYNC_ADOPT) && c->update_mask;
}

static bool want_update(const struct run *r, const struct sync_change *c)
{
	(void)r;
	return (c->kind == SYNC_UPDATE || c->kind == SYNC_RECOVER || c->kind == SYNC_ADOPT) &&
	       c->update_mask;
}

static bool want_cancel(const struct run *r, const struct sync_change *c)
{
	(void)r;
	return c->kind == SYNC_CANCEL;
}

/*
 * The marker a change links with. A recovered or adopted ticket that still
 * needs an update is linked with what it holds now as `written`, so that an
 * update interrupted after the link is retried instead of taken for drift.
 */
static struct tracker_marker link_marker(const struct sync_change *c)
{
	struct tracker_marker m = c->marker; /* borrows every string */

	if (link_then_update(c)) {
		m.written = c->ticket.fields;
		m.has_written = true;
	}
	return m;
}

static int write_batch(struct run *r, enum op op, struct sync_change **cs, size_t n)
{
	struct tracker_outcome *out = xcalloc(n, sizeof(*out));
	struct tracker_marker *markers = NULL;
	struct tracker_update *updates = NULL;
	const char **ids = xcalloc(n, sizeof(*ids));
	char *batch_message = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++)
		ids[i] = cs[i]->ticket_id;
	if (op == OP_MARKERS) {
		markers = xcalloc(n, sizeof(*markers));
		for (i = 0; i < n; i++)
			markers[i] = link_marker(cs[i]);
		rc = r->t->ops->set_markers(r->t, ids, markers, n, out);
	} else if (op == OP_UPDATE) {
		updates = xcalloc(n, sizeof(*updates));
		for (i = 0; i < n; i++) {
			updates[i].id = cs[i]->ticket_id;
			updates[i].mask = cs[i]->update_mask;
			updates[i].fields = &cs[i]->desired;
			updates[i].marker = &cs[i]->marker;
		}
		rc = r->t->ops->update(r->t, updates, n, out);
	} else {
		rc = r->t->ops->cancel(r->t, ids, n, out);
	}
	if (rc < 0)
		batch_message = xstrdup(pm_error_message());
	for (i = 0; i < n; i++) {
		struct sync_change *c = cs[i];
		if (rc < 0) {
			fail(r, c, rc, batch_message);
			continue;
		}
		if (out[i].code) {
			fail(r, c, out[i].code, out[i].message);
			continue;
		}
		take_note(c, &out[i]);
		if (op == OP_MARKERS) {
			if (c->kind != SYNC_CREATE)
				c->applied = !link_then_update(c);
			record(r, c, &markers[i].written);
		} else {
			c->applied = true;
			record(r, c, op == OP_UPDATE ? &c->marker.written : NULL);
		}
	}
	for (i = 0; i < n; i++)
		tracker_outcome_release(&out[i]);
	free(batch_message);
	free(out);
	free(markers);
	free(updates);
	free(ids);
	return rc < 0 && is_fatal(rc) ? rc : 0;
}

static bool wanted(const struct run *r, enum op op, const struct sync_change *c)
{
	switch (op) {
	case OP_CREATE:
		return want_create(r, c);
	case OP_MARKERS:
		return want_marker(r, c);
	case OP_UPDATE:
		return want_update(r, c);
	case OP_CANCEL:
		return want_cancel(r, c);
	}
	return false;
}

static int run_phase(struct run *r, enum op op, const char *what)
{
	size_t *idx = xcalloc(r->plan->nr ? r->plan->nr : 1, sizeof(*idx));
	struct sync_change **cs = xcalloc(SYNC_BATCH, sizeof(*cs));
	size_t n = 0, i = 0, m;
	int error = 0, se;

	for (i = 0; i < r->plan->nr; i++)
		if (r->plan->v[i].outcome == 0 && wanted(r, op, &r->plan->v[i]))
			idx[n++] = i;
	i = 0;
	while (i < n && error >= 0) {
		for (m = 0; i < n && m < SYNC_BATCH; i++) {
			struct sync_change *c = &r->plan->v[idx[i]];
			if (!ours(r, c)) {
				/* Never touch a ticket that another repository manages. */
				fail(r, c, PM_ETRACKER,
				     "the ticket carries another repository's marker: not touched");
				continue;
			}
			cs[m++] = c;
		}
		if (!m)
			continue;
		if (op == OP_CREATE)
			error = create_batch(r, cs, m);
		else
			error = write_batch(r, op, cs, m);
		se = save(r);
		if (se < 0 && error >= 0)
			error = se;
		progress(r, m, what);
	}
	free(idx);
	free(cs);
	return error;
}

int sync_apply(struct sync_plan *plan, const struct config *cfg, struct tracker *t,
               struct state *state, const struct sync_options *opts)
{
	struct state scratch = STATE_INIT;
	struct sync_options defaults;
	struct run r;
	long limit;
	size_t i, risky = plan->creates + plan->cancels;
	int error = 0, se;
	bool settled;

	if (!opts) {
		memset(&defaults, 0, sizeof(defaults));
		defaults.max_changes = -1;
		opts = &defaults;
	}
	if (opts->dry_run || plan->dry_run)
		return 0; /* a dry run writes nothing, ever */
	if (plan->offline || !t)
		return pm_error(PM_EUSAGE, "a plan made offline cannot be applied: rerun without "
		                           "--offline");
	limit = opts->max_changes >= 0 ? opts->max_changes : cfg->max_changes;
	if (limit < 0)
		limit = DEFAULT_MAX_CHANGES;
	/* an adoption overwrites fields people wrote: as risky as a create */
	for (i = 0; i < plan->nr; i++)
		risky += plan->v[i].kind == SYNC_ADOPT;
	if (!opts->force && risky > (size_t)limit)
		return pm_error(
		        PM_EUSAGE,
		        "plan has %zu creates, cancels and adoptions, above sync.maxChanges (%ld): "
		        "check the plan, then rerun with --force",
		        risky, limit);

	memset(&r, 0, sizeof(r));
	r.plan = plan;
	r.cfg = cfg;
	r.t = t;
	r.state = state ? state : &scratch;
	r.opts = opts;
	for (i = 0; i < plan->nr; i++) {
		struct sync_change *c = &plan->v[i];
		r.total += want_create(&r, c) + (c->kind == SYNC_CREATE || want_marker(&r, c)) +
		           want_update(&r, c) + want_cancel(&r, c);
	}
	refresh_state(&r);
	/*
	 * Unsettled while creating, so that a run killed now makes the next one
	 * look its creates up; settled after, when no create is left in doubt
	 * and every item was planned (or the state was settled already).
	 */
	settled = r.state->settled || !opts->only_paths;
	for (i = 0; i < plan->nr; i++)
		if (want_create(&r, &plan->v[i]))
			r.state->settled = false;
	if (!r.state->settled && (error = save(&r)) < 0)
		goto done;
	if ((error = run_phase(&r, OP_CREATE, "creating")) >= 0 &&
	    (error = run_phase(&r, OP_MARKERS, "linking")) >= 0 &&
	    (error = run_phase(&r, OP_UPDATE, "updating")) >= 0)
		error = run_phase(&r, OP_CANCEL, "cancelling");
	for (i = 0; i < plan->nr; i++)
		if (plan->v[i].kind == SYNC_CREATE && !plan->v[i].applied)
			settled = false;
	r.state->settled = settled && error >= 0;
	se = save(&r);
	if (se < 0 && error >= 0)
		error = se;
done:
	state_release(&scratch);
	if (error < 0)
		return error;
	return r.failed ? pm_error(PM_EPARTIAL, "some changes failed") : 0;
}
