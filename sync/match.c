/*
 * Matching action items to the tickets pmsync manages. A listed ticket's
 * marker names its item by key and postmortem path; of two tickets for one
 * item, the state's, the chosen id's or the oldest stays linked. An item
 * without a ticket is classified by what its row says (a ticket of this
 * tracker to adopt, one elsewhere, done, new) and then looked for: the
 * tickets its rows name are fetched and adopted unless another repository
 * or item holds them; the ids pmsync chose for its creates, and the state's
 * ids, find tickets an interrupted run made; last, items still unmatched
 * meet the orphans of the same postmortem by title similarity (keys that
 * moved in a shallow clone), best pairs first.
 */
#include "util/compat.h"

#include "sync/sync_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapping/mapping.h"
#include "postmortems/keys.h"
#include "util/error.h"
#include "util/xalloc.h"

/*
 * The same measure that carries keys through history (keys_similarity), with
 * a higher bar: here a wrong match would move a ticket to another item.
 */
#define REMATCH_MIN 0.6

/* Which of two tickets for one item stays linked: the state's, the chosen id, the oldest. */
static bool better_ticket(const struct sync_ctx *x, const struct sync_entry *e,
                          const struct tracker_ticket *a, const struct tracker_ticket *b)
{
	const struct state_item *si = sync_state_item(x, e);
	int ca;

	if (si && sync_str_eq(si->ticket_id, a->id) != sync_str_eq(si->ticket_id, b->id))
		return sync_str_eq(si->ticket_id, a->id);
	if (e->chosen_id && sync_str_eq(e->chosen_id, a->id) != sync_str_eq(e->chosen_id, b->id))
		return sync_str_eq(e->chosen_id, a->id);
	ca = strcmp(a->created_at ? a->created_at : "", b->created_at ? b->created_at : "");
	return ca <= 0;
}

void sync_match_listed(struct sync_ctx *x)
{
	size_t i;

	x->owner_of = xcalloc(x->listed.nr ? x->listed.nr : 1, sizeof(*x->owner_of));
	x->dup = xcalloc(x->listed.nr ? x->listed.nr : 1, sizeof(*x->dup));
	for (i = 0; i < x->listed.nr; i++) {
		struct tracker_ticket *tk = &x->listed.v[i];
		long k = sync_find_entry(x, tk->marker.item_key, tk->marker.pm_path);
		struct sync_entry *e;

		/*
		 * A ticket with two markers of ours (an item re-keyed, its marker
		 * URL changed, by a version that left the old marker behind): the
		 * second names the item when the first names none. Writing the
		 * item's marker then replaces both.
		 */
		if (k < 0 && tk->other_marker_key)
			k = sync_find_entry(x, tk->other_marker_key, tk->marker.pm_path);
		x->owner_of[i] = -1;
		if (k < 0)
			continue;
		e = &x->e[k];
		if (e->listed < 0) {
			e->listed = (long)i;
			e->how = SYNC_HOW_KEY;
			x->owner_of[i] = k;
		} else if (better_ticket(x, e, tk, &x->listed.v[e->listed])) {
			x->dup[e->listed] = true;
			x->owner_of[e->listed] = -1;
			e->listed = (long)i;
			x->owner_of[i] = k;
		} else {
			x->dup[i] = true;
		}
	}
}

static long listed_by_id(const struct sync_ctx *x, const char *id)
{
	size_t i;

	for (i = 0; id && i < x->listed.nr; i++)
		if (sync_str_eq(x->listed.v[i].id, id))
			return (long)i;
	return -1;
}

/* Without a ticket yet: what the row says about itself. */
void sync_classify(struct sync_ctx *x, struct sync_entry *e)
{
	const struct action_item *item = e->item;
	const char *ref = item->ticket_key ? item->ticket_key : item->ticket;
	size_t i;

	if (e->since) {
		e->kind = SYNC_BEFORE_SINCE;
		return;
	}
	/* the one place inferred items are held back: a ticket only when asked for */
	if (item->inferred && x->cfg->inferred != PM_INFERRED_CREATE) {
		e->kind = SYNC_INFERRED;
		sync_add_note(&e->note, "read from %s (%s confidence), not from the action items",
		              action_item_origin_name(item->origin),
		              action_item_confidence(item->origin));
		return;
	}
	switch (item->ticket_kind) {
	case PM_TICKET_GITHUB:
	case PM_TICKET_OTHER:
		e->kind = SYNC_ELSEWHERE;
		e->decided = true;
		sync_add_note(&e->note, "tracked in '%s'", item->ticket);
		return;
	case PM_TICKET_KEY:
	case PM_TICKET_URL:
		if (x->offline) {
			e->kind = SYNC_ADOPT;
			e->decided = true;
			sync_add_note(&e->note, "names '%s' (offline: not looked up)", ref);
		} else if (x->t->ops->owns_ref(x->t, ref)) {
			e->kind = SYNC_ADOPT;
		} else {
			e->kind = SYNC_ELSEWHERE;
			e->decided = true;
			sync_add_note(&e->note, "tracked in '%s', not a %s ticket", item->ticket,
			              x->t->ops->name);
		}
		return;
	case PM_TICKET_NONE:
		break;
	}
	e->kind = item->status != PM_ITEM_OPEN ? SYNC_DONE_NO_TICKET : SYNC_CREATE;
	for (i = 0; e->kind == SYNC_CREATE && i < x->listed.nr; i++) {
		const struct tracker_ticket *tk = &x->listed.v[i];
		if (tk->other_marker_key && !strcmp(tk->other_marker_key, item->key))
			sync_add_note(&e->note,
			              "%s also carries this item's marker but tracks item '%s': "
			              "this item gets a ticket of its own",
			              tk->ref ? tk->ref : tk->id, tk->marker.item_key);
	}
}

/* True when ref (a key or URL as written) names the ticket tk. */
static bool ref_names(const char *ref, const struct tracker_ticket *tk)
{
	const char *p;
	size_t n;

	if (tk->ref && !strcasecmp(ref, tk->ref))
		return true;
	if (tk->url && !strcmp(ref, tk->url))
		return true;
	if (!tk->ref || !*tk->ref)
		return false;
	n = strlen(tk->ref);
	for (p = ref; (p = strchr(p, '/')); p++)
		if (!strncasecmp(p + 1, tk->ref, n) && (!p[1 + n] || strchr("/#?", p[1 + n])))
			return true;
	return false;
}

/* An entry whose row names a ticket to adopt, not decided yet. */
static bool adopt_open(const struct sync_entry *e)
{
	return e->planned && e->listed < 0 && e->kind == SYNC_ADOPT && !e->decided;
}

static const char *row_ref(const struct sync_entry *e)
{
	return e->item->ticket_key ? e->item->ticket_key : e->item->ticket;
}

/*
 * A found ticket that is another repository's, or already another item's:
 * e is left alone with a note saying why, and true returned. li is the
 * ticket's index in the listing, -1.
 */
static bool refuse_adoption(struct sync_ctx *x, struct sync_entry *e,
                            const struct tracker_ticket *tk, const char *ref, long li)
{
	if ((tk->has_marker && !sync_ours(x, tk)) || (!tk->has_marker && tk->foreign_repo)) {
		e->kind = SYNC_ELSEWHERE;
		sync_add_note(&e->note, "%s is managed by %s: left alone", tk->ref ? tk->ref : ref,
		              tk->has_marker && tk->marker.repo_id ? tk->marker.repo_id
		              : tk->foreign_repo                   ? tk->foreign_repo
		                                                   : "?");
		return true;
	}
	/*
	 * Its marker naming this very item is a ticket the listing missed (a
	 * search that lags behind a write): linked, like a listed one.
	 */
	if ((li >= 0 && x->owner_of[li] >= 0) ||
	    (li < 0 && tk->has_marker && sync_key_exists(x, tk->marker.item_key) &&
	     !sync_str_eq(tk->marker.item_key, e->item->key))) {
		e->kind = SYNC_ELSEWHERE;
		sync_add_note(&e->note, "%s already tracks another action item: not linked",
		              tk->ref ? tk->ref : ref);
		return true;
	}
	return false;
}

/* Entry i takes tk: the listed ticket li when it is one of ours, else tk itself. */
static void take_adopted(struct sync_ctx *x, size_t i, struct tracker_ticket *tk, const char *ref,
                         long li)
{
	struct sync_entry *e = &x->e[i];

	if (li >= 0) {
		/* One of ours whose item left: it follows the row that names it. */
		x->owner_of[li] = (long)i;
		x->dup[li] = false;
		e->listed = li;
		e->how = SYNC_HOW_REMATCH;
		sync_add_note(&e->note, "the row names %s: linked to this item",
		              tk->ref ? tk->ref : ref);
		return;
	}
	sync_ticket_move(&e->ticket, tk);
	e->has_ticket = true;
	e->how = e->ticket.has_marker ? SYNC_HOW_LOOKUP : SYNC_HOW_ADOPT;
}

int sync_adopt(struct sync_ctx *x)
{
	struct tracker_tickets found = {0};
	const char **refs = xcalloc(x->nr ? x->nr : 1, sizeof(*refs));
	long *used = NULL; /* per found ticket: the entry whose row named it first, -1 */
	size_t n = 0, i, j;
	int error = 0;

	for (i = 0; i < x->nr; i++)
		if (adopt_open(&x->e[i]))
			refs[n++] = row_ref(&x->e[i]);
	if (!n)
		goto done;
	error = x->t->ops->get_by_refs(x->t, &found, refs, n);
	if (error < 0)
		goto done;
	used = xcalloc(found.nr ? found.nr : 1, sizeof(*used));
	for (j = 0; j < found.nr; j++)
		used[j] = -1;
	for (i = 0; i < x->nr; i++) {
		struct sync_entry *e = &x->e[i];
		const char *ref = row_ref(e);
		struct tracker_ticket *tk = NULL;
		long li;

		if (!adopt_open(e))
			continue;
		e->decided = true;
		/* a ticket taken by an earlier row lives in that row's entry now */
		for (j = 0; j < found.nr && !tk; j++)
			if (ref_names(ref, used[j] >= 0 && x->e[used[j]].has_ticket
			                           ? &x->e[used[j]].ticket
			                           : &found.v[j]))
				tk = &found.v[j];
		if (tk && used[tk - found.v] >= 0) {
			const struct sync_entry *first = &x->e[used[tk - found.v]];
			e->kind = SYNC_ELSEWHERE;
			sync_add_note(&e->note, "%s is named twice, also at %s:%d: not linked", ref,
			              first->pm->path, first->item->line);
			continue;
		}
		if (!tk) {
			e->kind = SYNC_ELSEWHERE;
			sync_add_note(&e->note, "'%s' was not found in %s: not created", ref,
			              x->t->ops->name);
			continue;
		}
		li = listed_by_id(x, tk->id);
		if (refuse_adoption(x, e, tk, ref, li))
			continue;
		used[tk - found.v] = (long)i;
		take_adopted(x, i, tk, ref, li);
	}
done:
	tracker_tickets_release(&found);
	free(refs);
	free(used);
	return error;
}

/* Whether e may still take a ticket found by a lookup. */
static bool lookup_open(const struct sync_entry *e)
{
	return e->planned && e->listed < 0 && !e->has_ticket && !e->decided;
}

/* Gives tk to e unless it carries another item's marker; true when e took it. */
static bool take_found(struct sync_ctx *x, struct sync_entry *e, struct tracker_ticket *tk)
{
	if (tk->has_marker &&
	    (!sync_ours(x, tk) || !sync_str_eq(tk->marker.item_key, e->item->key))) {
		sync_add_note(&e->note, "ticket %s found by id carries another marker: left alone",
		              tk->ref ? tk->ref : tk->id);
		return false;
	}
	sync_ticket_move(&e->ticket, tk);
	e->has_ticket = true;
	e->how = SYNC_HOW_LOOKUP;
	return true;
}

/*
 * Recovery: asks the tracker which of the creates planned so far an
 * interrupted run made already; each found one is linked instead.
 */
static int find_pending(struct sync_ctx *x, bool only_rechosen)
{
	struct tracker_tickets found = {0};
	struct tracker_create *cr = xcalloc(x->nr ? x->nr : 1, sizeof(*cr));
	struct tracker_marker *markers = xcalloc(x->nr ? x->nr : 1, sizeof(*markers));
	struct sync_entry **of = xcalloc(x->nr ? x->nr : 1, sizeof(*of));
	size_t n = 0, i;
	int error = 0;

	for (i = 0; i < x->nr; i++) {
		struct sync_entry *e = &x->e[i];
		if (!lookup_open(e) || e->kind != SYNC_CREATE || (only_rechosen && !e->rechosen))
			continue;
		tracker_fields_init(&markers[n].written);
		cr[n].id = e->chosen_id;
		cr[n].fields = &e->desired;
		if (mapping_marker(&markers[n], e->pm, e->item->key, x->cfg, NULL) >= 0)
			cr[n].marker = &markers[n];
		else
			pm_error_clear();
		of[n++] = e;
	}
	if (n)
		error = x->t->ops->find_pending(x->t, cr, n, &found);
	for (i = 0; error >= 0 && i < found.nr && i < n; i++)
		if (found.v[i].id)
			take_found(x, of[i], &found.v[i]);
	for (i = 0; i < n; i++)
		tracker_marker_release(&markers[i]);
	tracker_tickets_release(&found);
	free(markers);
	free(cr);
	free(of);
	return error;
}

/*
 * An item whose recorded ticket is found neither in the listing nor by its
 * id had its ticket deleted for good: it chooses a new id, derived from the
 * old one, so that an id is never sent twice. Returns how many did.
 */
static size_t rechoose_gone(struct sync_ctx *x)
{
	size_t i, n = 0;

	for (i = 0; i < x->nr; i++) {
		struct sync_entry *e = &x->e[i];
		const struct state_item *si;
		if (!lookup_open(e) || e->kind != SYNC_CREATE || !e->chosen_id)
			continue;
		si = sync_state_item(x, e);
		if (!si || !si->ticket_id || listed_by_id(x, si->ticket_id) >= 0)
			continue;
		free(e->chosen_id);
		e->chosen_id = sync_chosen_id(x, e, si->ticket_id);
		e->rechosen = true;
		n++;
	}
	return n;
}

/* Looks up the state's ticket ids of the unmatched, then the creates an interrupted run made. */
/* What the state recorded for an entry still looking for its ticket, or NULL. */
static const struct state_item *recorded(const struct sync_ctx *x, const struct sync_entry *e)
{
	return lookup_open(e) ? sync_state_item(x, e) : NULL;
}

int sync_lookup_ids(struct sync_ctx *x)
{
	struct tracker_tickets found = {0};
	const char **ids = xcalloc(x->nr ? x->nr : 1, sizeof(*ids));
	/* a state the last run left settled records every ticket it made */
	bool settled = x->state && x->state->settled && !x->opts->rebuild_state;
	size_t n = 0, i, j;
	int error = 0;

	for (i = 0; i < x->nr; i++) {
		struct sync_entry *e = &x->e[i];
		const struct state_item *si = recorded(x, e);
		/* a chosen id is looked up with the creates, unless settled skips those */
		if (si && (settled || !sync_str_eq(si->ticket_id, e->chosen_id)) &&
		    listed_by_id(x, si->ticket_id) < 0)
			ids[n++] = si->ticket_id;
	}
	if (n)
		error = x->t->ops->get_by_ids(x->t, &found, ids, n);
	for (j = 0; error >= 0 && j < found.nr; j++) {
		struct tracker_ticket *tk = &found.v[j];
		for (i = 0; i < x->nr; i++) {
			struct sync_entry *e = &x->e[i];
			const struct state_item *si = recorded(x, e);
			if (si && sync_str_eq(tk->id, si->ticket_id)) {
				take_found(x, e, tk);
				break;
			}
		}
	}
	if (error >= 0 && !settled)
		error = find_pending(x, false);
	if (error >= 0 && rechoose_gone(x))
		error = find_pending(x, true);
	tracker_tickets_release(&found);
	free(ids);
	return error;
}

/* The title pmsync last wrote on a listed ticket (for re-matching). */
static const char *written_title(const struct sync_ctx *x, const struct tracker_ticket *tk)
{
	const struct state_item *si;

	if (tk->marker.has_written && tk->marker.written.title)
		return tk->marker.written.title;
	si = x->state ? state_find(x->state, tk->marker.item_key ? tk->marker.item_key : "") : NULL;
	if (si && si->has_written && sync_str_eq(si->ticket_id, tk->id) && si->written.title)
		return si->written.title;
	return tk->fields.title;
}

struct pair {
	size_t entry, ticket;
	double sim;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *p = a, *q = b;

	if (p->sim != q->sim)
		return p->sim > q->sim ? -1 : 1;
	if (p->entry != q->entry)
		return p->entry < q->entry ? -1 : 1;
	return p->ticket < q->ticket ? -1 : p->ticket > q->ticket;
}

/* Keys that moved (no history): unmatched items meet orphans of the same postmortem. */
void sync_rematch(struct sync_ctx *x)
{
	struct pair *pairs = NULL;
	size_t nr = 0, alloc = 0, i, j;

	for (i = 0; i < x->nr; i++) {
		struct sync_entry *e = &x->e[i];
		if (!e->planned || e->listed >= 0 || e->has_ticket || e->decided)
			continue;
		for (j = 0; j < x->listed.nr; j++) {
			const struct tracker_ticket *tk = &x->listed.v[j];
			double sim;
			if (x->owner_of[j] >= 0 || x->dup[j] ||
			    !sync_str_eq(tk->marker.pm_path, e->pm->path))
				continue;
			sim = keys_similarity(e->desired.title, written_title(x, tk));
			if (sim < REMATCH_MIN)
				continue;
			ALLOC_GROW(pairs, nr + 1, alloc);
			pairs[nr].entry = i;
			pairs[nr].ticket = j;
			pairs[nr].sim = sim;
			nr++;
		}
	}
	if (nr > 1)
		qsort(pairs, nr, sizeof(*pairs), cmp_pair);
	for (i = 0; i < nr; i++) {
		struct sync_entry *e = &x->e[pairs[i].entry];
		if (e->listed >= 0 || x->owner_of[pairs[i].ticket] >= 0)
			continue;
		e->listed = (long)pairs[i].ticket;
		e->how = SYNC_HOW_REMATCH;
		e->similarity = pairs[i].sim;
		x->owner_of[pairs[i].ticket] = (long)pairs[i].entry;
		sync_add_note(&e->note, "re-matched by text (%.0f%% similar): its key was '%s'",
		              pairs[i].sim * 100, x->listed.v[pairs[i].ticket].marker.item_key);
	}
	free(pairs);
}
