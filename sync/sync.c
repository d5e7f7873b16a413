/*
 * The sync plan: what the tracker should hold (every action item mapped to
 * ticket fields), what it holds (the tickets carrying this repository's
 * marker), and the changes between them. Items meet their tickets by item
 * key and postmortem path; what the key cannot find is looked up by the ids
 * pmsync chose for its creates (a ticket made by an interrupted run), by the
 * ticket a row names (adoption) and, last, by text similarity within the
 * same postmortem (keys that moved in a shallow clone). Each field is then
 * owned three ways: what pmsync wrote last (the marker), what the tracker
 * holds and what the postmortem wants decide between update, drift and
 * conflict. The blast radius is kept small on purpose: unreadable or absent
 * postmortems never orphan their tickets, status belongs to the tracker, and
 * no ticket of another repository is ever touched. Applying lives in apply.c.
 */
#include "sync/sync.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapping/mapping.h"
#include "util/banned.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define REMATCH_MIN 0.6

enum how {
	HOW_NONE = 0,
	HOW_KEY,     /* the marker names the item */
	HOW_LOOKUP,  /* found by the chosen id or the state's id */
	HOW_REMATCH, /* same postmortem, similar title */
	HOW_ADOPT,   /* the row names it */
};

struct entry {
	const struct postmortem *pm;
	const struct action_item *item;
	bool planned; /* inside opts->only_paths */
	bool since;   /* the postmortem is older than cfg->since */
	enum sync_kind kind;
	bool decided; /* kind is final (no ticket to look for) */
	char *chosen_id;
	char *owner; /* identity to resolve, or NULL */
	struct tracker_fields desired;
	long listed;                  /* index into the listing, -1 */
	struct tracker_ticket ticket; /* when found by lookup or adoption */
	bool has_ticket;
	enum how how;
	double similarity;
	char *note;
};

struct key_idx {
	const char *key;
	size_t i;
};

struct ctx {
	const struct pm_set *set;
	const struct pm_config *cfg;
	struct tracker *t; /* NULL when offline */
	bool offline;
	struct pm_state *state;
	const struct sync_options *opts;
	struct sync_plan *plan;
	struct entry *e;
	size_t nr, alloc;
	struct key_idx *by_key; /* entries sorted by key */
	struct tracker_tickets listed;
	long *owner_of; /* per listed ticket: the entry it belongs to, -1 */
	bool *dup;      /* per listed ticket: a second ticket for an item */
};

static bool str_eq(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static void add_note(char **note, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_note(char **note, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (*note) {
		strbuf_addstr(&sb, *note);
		strbuf_addstr(&sb, "; ");
	}
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(*note);
	*note = strbuf_detach(&sb, NULL);
}

static void field_names(struct strbuf *sb, unsigned mask)
{
	static const char *const names[] = {"title",    "description", "assignee",
	                                    "due date", "priority",    "labels"};
	size_t i;

	for (i = 0; i < 6; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (sb->len)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, names[i]);
	}
}

const char *sync_kind_name(enum sync_kind kind)
{
	switch (kind) {
	case SYNC_CREATE:
		return "create";
	case SYNC_UPDATE:
		return "update";
	case SYNC_ADOPT:
		return "adopt";
	case SYNC_RECOVER:
		return "recover";
	case SYNC_UNCHANGED:
		return "unchanged";
	case SYNC_ORPHANED:
		return "orphaned";
	case SYNC_CANCEL:
		return "cancel";
	case SYNC_ELSEWHERE:
		return "elsewhere";
	case SYNC_DONE_NO_TICKET:
		return "done-no-ticket";
	case SYNC_BEFORE_SINCE:
		return "before-since";
	case SYNC_UNKNOWN:
		return "unknown";
	case SYNC_MISSING_PM:
		return "missing-pm";
	}
	return "unknown";
}

static void change_release(struct sync_change *c)
{
	free(c->key);
	free(c->path);
	free(c->ticket_id);
	tracker_ticket_release(&c->ticket);
	tracker_fields_release(&c->desired);
	tracker_marker_release(&c->marker);
	free(c->note);
	free(c->message);
}

void sync_plan_release(struct sync_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nr; i++)
		change_release(&plan->v[i]);
	free(plan->v);
	free(plan->rev_id);
	memset(plan, 0, sizeof(*plan));
}

static struct sync_change *add_change(struct sync_plan *plan, enum sync_kind kind)
{
	struct sync_change *c;

	ALLOC_GROW(plan->v, plan->nr + 1, plan->alloc);
	c = &plan->v[plan->nr++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	tracker_fields_init(&c->desired);
	tracker_fields_init(&c->marker.written);
	tracker_fields_init(&c->ticket.fields);
	tracker_fields_init(&c->ticket.marker.written);
	return c;
}

/* Moves a ticket: dst takes everything, src is left empty. */
static void ticket_move(struct tracker_ticket *dst, struct tracker_ticket *src)
{
	*dst = *src;
	memset(src, 0, sizeof(*src));
	tracker_fields_init(&src->fields);
	tracker_fields_init(&src->marker.written);
}

static bool in_only(const struct ctx *x, const char *path)
{
	size_t i;

	if (!x->opts->only_paths)
		return true;
	for (i = 0; i < x->opts->only_paths->nr; i++)
		if (!strcmp(x->opts->only_paths->v[i], path))
			return true;
	return false;
}

static const struct postmortem *pm_at(const struct pm_set *set, const char *path)
{
	size_t i;

	for (i = 0; path && i < set->nr; i++)
		if (!strcmp(set->v[i].path, path))
			return &set->v[i];
	return NULL;
}

static bool ours(const struct ctx *x, const struct tracker_ticket *tk)
{
	return tk->has_marker && tk->marker.repo_id && x->cfg->repo_id &&
	       !strcmp(tk->marker.repo_id, x->cfg->repo_id);
}

/* The state's entry for an entry's item, when it is about the same postmortem. */
static struct pm_state_item *state_item(const struct ctx *x, const struct entry *e)
{
	struct pm_state_item *si;

	if (!x->state || x->opts->rebuild_state)
		return NULL;
	si = pm_state_find(x->state, e->item->key);
	if (!si || !si->ticket_id)
		return NULL;
	if (si->path && strcmp(si->path, e->pm->path) &&
	    !(e->pm->origin_path && !strcmp(si->path, e->pm->origin_path)) &&
	    pm_at(x->set, si->path))
		return NULL; /* the same key in another postmortem (explicit ids repeat) */
	return si;
}

/* ---- the desired side ---- */

static int cmp_key_idx(const void *a, const void *b)
{
	const struct key_idx *p = a, *q = b;
	int c = strcmp(p->key, q->key);

	return c ? c : (p->i < q->i ? -1 : p->i > q->i);
}

static char *chosen_id(const struct ctx *x, const struct postmortem *pm,
                       const struct action_item *item)
{
	char *scoped, *id;

	/*
	 * Explicit ids ("1", "A2") repeat from one postmortem to the next; text
	 * keys already hash the postmortem's path. Scope the former so that two
	 * postmortems never choose the same ticket id.
	 */
	if (item->key_source != PM_KEY_ID)
		return mapping_ticket_id(x->cfg->repo_id, item->key);
	scoped = xasprintf("%s\n%s", item->key, pm->origin_path ? pm->origin_path : pm->path);
	id = mapping_ticket_id(x->cfg->repo_id, scoped);
	free(scoped);
	return id;
}

static void collect_entries(struct ctx *x)
{
	size_t i, j;

	for (i = 0; i < x->set->nr; i++) {
		const struct postmortem *pm = &x->set->v[i];
		bool planned = in_only(x, pm->path);
		bool since = x->cfg->since && pm->date && strcmp(pm->date, x->cfg->since) < 0;

		if (pm->unreadable)
			continue;
		for (j = 0; j < pm->items_nr; j++) {
			const struct action_item *item = &pm->items[j];
			struct entry *e;

			if (!item->key || !*item->key)
				continue;
			ALLOC_GROW(x->e, x->nr + 1, x->alloc);
			e = &x->e[x->nr++];
			memset(e, 0, sizeof(*e));
			e->pm = pm;
			e->item = item;
			e->planned = planned;
			e->since = since;
			e->listed = -1;
			tracker_fields_init(&e->ticket.fields);
			tracker_fields_init(&e->ticket.marker.written);
			mapping_fields(&e->desired, pm, item, x->cfg);
			if (planned) {
				e->owner = mapping_owner_email(x->cfg, item->owner);
				if (!x->offline)
					e->chosen_id =
					        x->cfg->repo_id ? chosen_id(x, pm, item) : NULL;
				if (item->owner && !e->owner)
					add_note(&e->note,
					         "owner '%s' is not mapped to a tracker user: add "
					         "[owner \"%s\"] to .pmsync.conf; left unassigned",
					         item->owner, item->owner);
			}
		}
	}
	x->by_key = xcalloc(x->nr ? x->nr : 1, sizeof(*x->by_key));
	for (i = 0; i < x->nr; i++) {
		x->by_key[i].key = x->e[i].item->key;
		x->by_key[i].i = i;
	}
	qsort(x->by_key, x->nr, sizeof(*x->by_key), cmp_key_idx);
}

/* The first position in by_key holding key, and how many. */
static size_t key_range(const struct ctx *x, const char *key, size_t *count)
{
	size_t lo = 0, hi = x->nr, start;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(x->by_key[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	start = lo;
	while (lo < x->nr && !strcmp(x->by_key[lo].key, key))
		lo++;
	*count = lo - start;
	return start;
}

/* The entry a marker (key, path) names, or -1. */
static long find_entry(const struct ctx *x, const char *key, const char *path)
{
	size_t count, start, i;

	if (!key)
		return -1;
	start = key_range(x, key, &count);
	if (!count)
		return -1;
	for (i = start; i < start + count; i++)
		if (path && !strcmp(x->e[x->by_key[i].i].pm->path, path))
			return (long)x->by_key[i].i;
	for (i = start; i < start + count; i++) {
		const struct postmortem *pm = x->e[x->by_key[i].i].pm;
		if (path && pm->origin_path && !strcmp(pm->origin_path, path))
			return (long)x->by_key[i].i;
	}
	/* The postmortem was renamed: the key alone, when it is unambiguous. */
	if (count == 1 && !pm_at(x->set, path))
		return (long)x->by_key[start].i;
	return -1;
}

static bool key_exists(const struct ctx *x, const char *key)
{
	size_t count;

	key_range(x, key ? key : "", &count);
	return count > 0;
}

/* Resolves the owners of planned items in one call. */
static int resolve_owners(struct ctx *x)
{
	const char **emails = NULL, **ids = NULL;
	size_t n = 0, i, j;
	int error = 0;

	emails = xcalloc(x->nr ? x->nr : 1, sizeof(*emails));
	for (i = 0; i < x->nr; i++) {
		struct entry *e = &x->e[i];
		if (!e->owner)
			continue;
		if (!mapping_is_email(e->owner)) {
			/* The configuration gave a user id: nothing to resolve. */
			e->desired.assignee_id = xstrdup(e->owner);
			continue;
		}
		for (j = 0; j < n && strcasecmp(emails[j], e->owner); j++)
			;
		if (j == n)
			emails[n++] = e->owner;
	}
	if (!n)
		goto done;
	ids = xcalloc(n, sizeof(*ids));
	error = x->t->ops->resolve_users(x->t, emails, n, ids);
	if (error < 0)
		goto done;
	for (i = 0; i < x->nr; i++) {
		struct entry *e = &x->e[i];
		if (!e->owner || !mapping_is_email(e->owner))
			continue;
		for (j = 0; j < n && strcasecmp(emails[j], e->owner); j++)
			;
		if (j < n && ids[j])
			e->desired.assignee_id = xstrdup(ids[j]);
		else
			add_note(&e->note, "owner '%s' (%s) has no %s user: left unassigned",
			         e->item->owner, e->owner, x->t->ops->name);
	}
done:
	free(emails);
	free(ids);
	return error;
}

/* ---- matching ---- */

/* Which of two tickets for one item stays linked: the state's, the chosen id, the oldest. */
static bool better_ticket(const struct ctx *x, const struct entry *e,
                          const struct tracker_ticket *a, const struct tracker_ticket *b)
{
	const struct pm_state_item *si = state_item(x, e);
	int ca;

	if (si && str_eq(si->ticket_id, a->id) != str_eq(si->ticket_id, b->id))
		return str_eq(si->ticket_id, a->id);
	if (e->chosen_id && str_eq(e->chosen_id, a->id) != str_eq(e->chosen_id, b->id))
		return str_eq(e->chosen_id, a->id);
	ca = strcmp(a->created_at ? a->created_at : "", b->created_at ? b->created_at : "");
	return ca <= 0;
}

static void match_listed(struct ctx *x)
{
	size_t i;

	x->owner_of = xcalloc(x->listed.nr ? x->listed.nr : 1, sizeof(*x->owner_of));
	x->dup = xcalloc(x->listed.nr ? x->listed.nr : 1, sizeof(*x->dup));
	for (i = 0; i < x->listed.nr; i++) {
		struct tracker_ticket *tk = &x->listed.v[i];
		long k = find_entry(x, tk->marker.item_key, tk->marker.pm_path);
		struct entry *e;

		/*
		 * A ticket with two markers of ours (an item re-keyed, its marker
		 * URL changed, by a version that left the old marker behind): the
		 * second names the item when the first names none. Writing the
		 * item's marker then replaces both.
		 */
		if (k < 0 && tk->other_marker_key)
			k = find_entry(x, tk->other_marker_key, tk->marker.pm_path);
		x->owner_of[i] = -1;
		if (k < 0)
			continue;
		e = &x->e[k];
		if (e->listed < 0) {
			e->listed = (long)i;
			e->how = HOW_KEY;
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

static long listed_by_id(const struct ctx *x, const char *id)
{
	size_t i;

	for (i = 0; id && i < x->listed.nr; i++)
		if (str_eq(x->listed.v[i].id, id))
			return (long)i;
	return -1;
}

/* Without a ticket yet: what the row says about itself. */
static void classify(struct ctx *x, struct entry *e)
{
	const struct action_item *item = e->item;
	const char *ref = item->ticket_key ? item->ticket_key : item->ticket;
	size_t i;

	if (e->since) {
		e->kind = SYNC_BEFORE_SINCE;
		return;
	}
	switch (item->ticket_kind) {
	case PM_TICKET_GITHUB:
	case PM_TICKET_OTHER:
		e->kind = SYNC_ELSEWHERE;
		e->decided = true;
		add_note(&e->note, "tracked in '%s'", item->ticket);
		return;
	case PM_TICKET_KEY:
	case PM_TICKET_URL:
		if (x->offline) {
			e->kind = SYNC_ADOPT;
			e->decided = true;
			add_note(&e->note, "names '%s' (offline: not looked up)", ref);
		} else if (x->t->ops->owns_ref(x->t, ref)) {
			e->kind = SYNC_ADOPT;
		} else {
			e->kind = SYNC_ELSEWHERE;
			e->decided = true;
			add_note(&e->note, "tracked in '%s', not a %s ticket", item->ticket,
			         x->t->ops->name);
		}
		return;
	case PM_TICKET_NONE:
		break;
	}
	e->kind = item->status == PM_ITEM_DONE ? SYNC_DONE_NO_TICKET : SYNC_CREATE;
	for (i = 0; e->kind == SYNC_CREATE && i < x->listed.nr; i++) {
		const struct tracker_ticket *tk = &x->listed.v[i];
		if (tk->other_marker_key && !strcmp(tk->other_marker_key, item->key))
			add_note(&e->note,
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

static int adopt(struct ctx *x)
{
	struct tracker_tickets found = {0};
	const char **refs = xcalloc(x->nr ? x->nr : 1, sizeof(*refs));
	bool *used = NULL;
	size_t n = 0, i, j;
	int error = 0;

	for (i = 0; i < x->nr; i++) {
		struct entry *e = &x->e[i];
		if (e->planned && e->listed < 0 && e->kind == SYNC_ADOPT && !e->decided)
			refs[n++] = e->item->ticket_key ? e->item->ticket_key : e->item->ticket;
	}
	if (!n)
		goto done;
	error = x->t->ops->get_by_refs(x->t, &found, refs, n);
	if (error < 0)
		goto done;
	used = xcalloc(found.nr ? found.nr : 1, sizeof(*used));
	for (i = 0; i < x->nr; i++) {
		struct entry *e = &x->e[i];
		const char *ref = e->item->ticket_key ? e->item->ticket_key : e->item->ticket;
		struct tracker_ticket *tk = NULL;
		long li;

		if (!(e->planned && e->listed < 0 && e->kind == SYNC_ADOPT && !e->decided))
			continue;
		e->decided = true;
		for (j = 0; j < found.nr && !tk; j++)
			if (ref_names(ref, &found.v[j]))
				tk = &found.v[j];
		if (!tk) {
			e->kind = SYNC_ELSEWHERE;
			add_note(&e->note, "'%s' was not found in %s: not created", ref,
			         x->t->ops->name);
			continue;
		}
		if (tk->has_marker && !ours(x, tk)) {
			e->kind = SYNC_ELSEWHERE;
			add_note(&e->note, "%s is managed from repository '%s': left alone",
			         tk->ref ? tk->ref : ref,
			         tk->marker.repo_id ? tk->marker.repo_id : "?");
			continue;
		}
		li = listed_by_id(x, tk->id);
		if (used[tk - found.v] || (li >= 0 && x->owner_of[li] >= 0) ||
		    (li < 0 && tk->has_marker && key_exists(x, tk->marker.item_key))) {
			e->kind = SYNC_ELSEWHERE;
			add_note(&e->note, "%s already tracks another action item: not linked",
			         tk->ref ? tk->ref : ref);
			continue;
		}
		used[tk - found.v] = true;
		if (li >= 0) {
			/* One of ours whose item left: it follows the row that names it. */
			x->owner_of[li] = (long)i;
			x->dup[li] = false;
			e->listed = li;
			e->how = HOW_REMATCH;
			add_note(&e->note, "the row names %s: linked to this item",
			         tk->ref ? tk->ref : ref);
			continue;
		}
		ticket_move(&e->ticket, tk);
		e->has_ticket = true;
		e->how = e->ticket.has_marker ? HOW_LOOKUP : HOW_ADOPT;
	}
done:
	tracker_tickets_release(&found);
	free(refs);
	free(used);
	return error;
}

/* Looks up the chosen ids of creates, and the state's ids of the unmatched, in one call. */
static int lookup_ids(struct ctx *x)
{
	struct tracker_tickets found = {0};
	const char **ids = xcalloc(2 * (x->nr ? x->nr : 1), sizeof(*ids));
	size_t n = 0, i, j;
	int error = 0;

	for (i = 0; i < x->nr; i++) {
		struct entry *e = &x->e[i];
		const struct pm_state_item *si;
		if (!e->planned || e->listed >= 0 || e->has_ticket || e->decided)
			continue;
		if (e->kind == SYNC_CREATE && e->chosen_id)
			ids[n++] = e->chosen_id;
		si = state_item(x, e);
		if (si && !str_eq(si->ticket_id, e->chosen_id) &&
		    listed_by_id(x, si->ticket_id) < 0)
			ids[n++] = si->ticket_id;
	}
	if (!n)
		goto done;
	error = x->t->ops->get_by_ids(x->t, &found, ids, n);
	if (error < 0)
		goto done;
	for (j = 0; j < found.nr; j++) {
		struct tracker_ticket *tk = &found.v[j];
		for (i = 0; i < x->nr; i++) {
			struct entry *e = &x->e[i];
			const struct pm_state_item *si;
			if (!e->planned || e->listed >= 0 || e->has_ticket || e->decided)
				continue;
			si = state_item(x, e);
			if (!str_eq(tk->id, e->chosen_id) && !(si && str_eq(tk->id, si->ticket_id)))
				continue;
			if (tk->has_marker &&
			    (!ours(x, tk) || !str_eq(tk->marker.item_key, e->item->key))) {
				add_note(&e->note,
				         "ticket %s found by id carries another marker: "
				         "left alone",
				         tk->ref ? tk->ref : tk->id);
				break;
			}
			ticket_move(&e->ticket, tk);
			e->has_ticket = true;
			e->how = HOW_LOOKUP;
			break;
		}
	}
done:
	tracker_tickets_release(&found);
	free(ids);
	return error;
}

/* The title pmsync last wrote on a listed ticket (for re-matching). */
static const char *written_title(const struct ctx *x, const struct tracker_ticket *tk)
{
	const struct pm_state_item *si;

	if (tk->marker.has_written && tk->marker.written.title)
		return tk->marker.written.title;
	si = x->state ? pm_state_find(x->state, tk->marker.item_key ? tk->marker.item_key : "")
	              : NULL;
	if (si && si->has_written && str_eq(si->ticket_id, tk->id) && si->written.title)
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
static void rematch(struct ctx *x)
{
	struct pair *pairs = NULL;
	size_t nr = 0, alloc = 0, i, j;

	for (i = 0; i < x->nr; i++) {
		struct entry *e = &x->e[i];
		if (!e->planned || e->listed >= 0 || e->has_ticket || e->decided)
			continue;
		for (j = 0; j < x->listed.nr; j++) {
			const struct tracker_ticket *tk = &x->listed.v[j];
			double sim;
			if (x->owner_of[j] >= 0 || x->dup[j] ||
			    !str_eq(tk->marker.pm_path, e->pm->path))
				continue;
			sim = mapping_similarity(e->desired.title, written_title(x, tk));
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
		struct entry *e = &x->e[pairs[i].entry];
		if (e->listed >= 0 || x->owner_of[pairs[i].ticket] >= 0)
			continue;
		e->listed = (long)pairs[i].ticket;
		e->how = HOW_REMATCH;
		e->similarity = pairs[i].sim;
		x->owner_of[pairs[i].ticket] = (long)pairs[i].entry;
		add_note(&e->note, "re-matched by text (%.0f%% similar): its key was '%s'",
		         pairs[i].sim * 100, x->listed.v[pairs[i].ticket].marker.item_key);
	}
	free(pairs);
}

/* ---- three-way comparison ---- */

static void copy_field(struct tracker_fields *dst, const struct tracker_fields *src, unsigned bit)
{
	switch (bit) {
	case TF_TITLE:
		free(dst->title);
		dst->title = xstrdup_or_null(src->title);
		break;
	case TF_DESCRIPTION:
		free(dst->description);
		dst->description = xstrdup_or_null(src->description);
		break;
	case TF_ASSIGNEE:
		free(dst->assignee_id);
		dst->assignee_id = xstrdup_or_null(src->assignee_id);
		break;
	case TF_DUE:
		free(dst->due);
		dst->due = xstrdup_or_null(src->due);
		break;
	case TF_PRIORITY:
		dst->priority = src->priority;
		break;
	case TF_LABELS: {
		size_t i;
		pm_strlist_clear(&dst->labels);
		for (i = 0; i < src->labels.nr; i++)
			pm_strlist_add(&dst->labels, src->labels.v[i]);
		break;
	}
	}
}

static bool marker_differs(const struct tracker_marker *a, const struct tracker_marker *b)
{
	if (!a->has_written || !b->has_written)
		return true;
	return !str_eq(a->repo_id, b->repo_id) || !str_eq(a->item_key, b->item_key) ||
	       !str_eq(a->pm_path, b->pm_path) || !str_eq(a->url, b->url) ||
	       !str_eq(a->title, b->title) ||
	       tracker_fields_diff(&a->written, &b->written, TF_ALL) ||
	       a->written.priority != b->written.priority;
}

/*
 * Fills a change for an item that has its ticket: W (what pmsync wrote), T
 * (the ticket) and D (the desired fields) decide each field.
 */
static int compare(struct ctx *x, struct entry *e, struct sync_change *c)
{
	const struct tracker_ticket *tk = &c->ticket;
	const struct tracker_fields *W = NULL;
	const struct pm_state_item *si = state_item(x, e);
	struct tracker_fields nw;
	unsigned bit, unknown = 0;
	bool prefer = x->opts->prefer_postmortem;
	int error;

	/*
	 * An adopted ticket is taken as it is: pmsync has written nothing on it,
	 * so wherever the postmortem differs, it is a change to write now.
	 */
	if (c->kind == SYNC_ADOPT)
		W = &tk->fields;
	else if (tk->has_marker && tk->marker.has_written)
		W = &tk->marker.written;
	else if (si && si->has_written && str_eq(si->ticket_id, tk->id))
		W = &si->written;
	else if (c->kind == SYNC_RECOVER)
		W = &tk->fields; /* what the interrupted run made */
	tracker_fields_init(&nw);
	for (bit = 1; bit & TF_ALL; bit <<= 1) {
		bool t_eq_d = !tracker_fields_diff(&tk->fields, &c->desired, bit);
		bool d_eq_w = W && !tracker_fields_diff(&c->desired, W, bit);
		bool t_eq_w = W && !tracker_fields_diff(&tk->fields, W, bit);

		if (t_eq_d) {
			copy_field(&nw, &c->desired, bit);
		} else if (!W) {
			unknown |= bit;
			c->conflict_mask |= bit;
			if (prefer)
				c->update_mask |= bit;
			/* Kept as desired: from now on the tracker's value is drift, left alone. */
			copy_field(&nw, &c->desired, bit);
		} else if (d_eq_w) {
			c->drift_mask |= bit;
			copy_field(&nw, W, bit);
		} else if (t_eq_w) {
			c->update_mask |= bit;
			copy_field(&nw, &c->desired, bit);
		} else {
			c->conflict_mask |= bit;
			if (prefer)
				c->update_mask |= bit;
			copy_field(&nw, prefer ? &c->desired : W, bit);
		}
	}
	error = mapping_marker(&c->marker, e->pm, e->item->key, x->cfg, &nw);
	tracker_fields_release(&nw);
	if (error < 0)
		return error;
	c->write_marker = c->kind == SYNC_RECOVER || c->kind == SYNC_ADOPT || !tk->has_marker ||
	                  marker_differs(&c->marker, &tk->marker);
	if (unknown && !prefer) {
		struct strbuf sb = STRBUF_INIT;
		field_names(&sb, unknown);
		add_note(&c->note, "no record of what pmsync wrote: %s left as the tracker has it",
		         sb.buf);
		strbuf_release(&sb);
	}
	if (c->kind == SYNC_UNCHANGED && (c->update_mask || c->write_marker))
		c->kind = SYNC_UPDATE;
	return 0;
}

/* ---- building the changes ---- */

static void fill_item(struct sync_change *c, struct entry *e)
{
	c->pm = e->pm;
	c->item = e->item;
	c->key = xstrdup(e->item->key);
	c->path = xstrdup(e->pm->path);
	c->line = e->item->line;
	tracker_fields_release(&c->desired);
	c->desired = e->desired;
	tracker_fields_init(&e->desired); /* handed over */
	c->note = e->note;
	e->note = NULL; /* handed over */
}

static int item_change(struct ctx *x, struct entry *e)
{
	struct sync_change *c;
	bool linked = e->listed >= 0 || e->has_ticket;
	enum sync_kind kind = e->kind;
	int error = 0;

	if (linked) {
		if (e->how == HOW_ADOPT)
			kind = SYNC_ADOPT;
		else if (e->how == HOW_LOOKUP && !(e->has_ticket && e->ticket.has_marker))
			kind = SYNC_RECOVER;
		else
			kind = SYNC_UNCHANGED;
	}
	c = add_change(x->plan, kind);
	fill_item(c, e);
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
		ticket_move(&c->ticket, &x->listed.v[e->listed]);
	else
		ticket_move(&c->ticket, &e->ticket);
	c->has_ticket = true;
	c->ticket_id = xstrdup(c->ticket.id);
	return compare(x, e, c);
}

/* A managed ticket that no item of the plan claims. */
static void ticket_change(struct ctx *x, size_t i)
{
	struct tracker_ticket *tk = &x->listed.v[i];
	const struct postmortem *pm = pm_at(x->set, tk->marker.pm_path);
	enum sync_kind kind;
	struct sync_change *c;

	if (!in_only(x, tk->marker.pm_path ? tk->marker.pm_path : ""))
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
	c = add_change(x->plan, kind);
	c->pm = pm;
	c->key = xstrdup_or_null(tk->marker.item_key);
	c->path = xstrdup_or_null(tk->marker.pm_path);
	if (kind == SYNC_MISSING_PM)
		add_note(&c->note, "'%s' is not at this revision: left alone",
		         tk->marker.pm_path ? tk->marker.pm_path : "?");
	else if (kind == SYNC_UNKNOWN)
		add_note(&c->note, "'%s' cannot be read: its items are unknown, left alone",
		         tk->marker.pm_path);
	else if (x->dup[i])
		add_note(&c->note, "a second ticket for item '%s': left alone",
		         tk->marker.item_key ? tk->marker.item_key : "?");
	else if (x->cfg->removed == PM_REMOVED_CANCEL && kind == SYNC_ORPHANED)
		add_note(&c->note, "already closed: left as it is");
	ticket_move(&c->ticket, tk);
	c->has_ticket = true;
	c->ticket_id = xstrdup(c->ticket.id);
}

/* ---- offline ---- */

/* The ticket as the state file knows it: id, reference, and the fields last written. */
static void state_ticket(struct sync_change *c, const struct pm_state_item *si)
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

static void offline_plan(struct ctx *x)
{
	bool *seen = xcalloc(x->state->items_nr ? x->state->items_nr : 1, sizeof(*seen));
	size_t i;

	for (i = 0; i < x->nr; i++) {
		struct entry *e = &x->e[i];
		struct pm_state_item *si;
		struct sync_change *c;

		si = x->opts->rebuild_state ? NULL : state_item(x, e);
		if (si)
			seen[si - x->state->items] = true;
		if (!e->planned)
			continue;
		if (!si) {
			classify(x, e);
			c = add_change(x->plan, e->kind);
			fill_item(c, e);
			continue;
		}
		c = add_change(x->plan, SYNC_UNCHANGED);
		fill_item(c, e);
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
		const struct pm_state_item *si = &x->state->items[i];
		const struct postmortem *pm = pm_at(x->set, si->path);
		struct sync_change *c;
		enum sync_kind kind;

		if (seen[i] || x->opts->rebuild_state || !in_only(x, si->path ? si->path : ""))
			continue;
		if (!pm)
			kind = SYNC_MISSING_PM;
		else if (pm->unreadable)
			kind = SYNC_UNKNOWN;
		else
			kind = x->cfg->removed == PM_REMOVED_CANCEL ? SYNC_CANCEL : SYNC_ORPHANED;
		c = add_change(x->plan, kind);
		c->pm = pm;
		c->key = xstrdup(si->key);
		c->path = xstrdup_or_null(si->path);
		state_ticket(c, si);
		if (kind == SYNC_CANCEL)
			add_note(&c->note, "offline: cancelled only if still open");
	}
	free(seen);
}

/* ---- the plan ---- */

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

static const char *tracker_name(const struct pm_config *cfg, const struct tracker *t)
{
	if (t)
		return t->ops->name;
	return cfg->tracker == PM_TRACKER_JIRA ? "jira" : "linear";
}

static int check_state(const struct pm_state *st, const struct pm_config *cfg,
                       const struct tracker *t)
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
static int list_ours(struct ctx *x)
{
	struct tracker_tickets all = {0};
	size_t i;
	int error;

	error = x->t->ops->list_managed(x->t, &all);
	if (error < 0)
		goto done;
	for (i = 0; i < all.nr; i++)
		if (ours(x, &all.v[i]))
			ticket_move(tracker_tickets_add(&x->listed), &all.v[i]);
done:
	tracker_tickets_release(&all);
	return error;
}

static int plan_online(struct ctx *x)
{
	size_t i;
	int error;

	if ((error = resolve_owners(x)) < 0 || (error = list_ours(x)) < 0)
		return error;
	match_listed(x);
	for (i = 0; i < x->nr; i++)
		if (x->e[i].planned && x->e[i].listed < 0)
			classify(x, &x->e[i]);
	if ((error = adopt(x)) < 0 || (error = lookup_ids(x)) < 0)
		return error;
	rematch(x);
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

int sync_plan_build(struct sync_plan *out, const struct pm_set *set, const struct pm_config *cfg,
                    struct tracker *t, struct pm_state *state, const struct sync_options *opts)
{
	struct sync_plan plan = SYNC_PLAN_INIT;
	struct pm_state empty = PM_STATE_INIT;
	struct sync_options defaults;
	struct ctx x;
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
	collect_entries(&x);
	if (x.offline)
		offline_plan(&x);
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
		struct entry *e = &x.e[i];
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
