/*
 * The desired side of a sync plan: one entry per action item of every
 * readable postmortem, with the ticket fields its row maps to, the id
 * pmsync chooses for its ticket, and its owner resolved to a tracker user in
 * one call; entries are indexed by item key, and a marker's (key, path)
 * finds its entry even when the postmortem was renamed. Also the small
 * questions every stage of the plan asks: whether a postmortem is among
 * those asked for, which one is at a path, whether a ticket carries this
 * repository's marker, and what the state file recorded for an item; and
 * a new change of the plan, with an entry's item moved into it.
 */
#include "util/compat.h"

#include "sync/sync_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapping/mapping.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

bool sync_str_eq(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

void sync_add_note(char **note, const char *fmt, ...)
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

/* Moves a ticket: dst takes everything, src is left empty. */
void sync_ticket_move(struct tracker_ticket *dst, struct tracker_ticket *src)
{
	*dst = *src;
	memset(src, 0, sizeof(*src));
	tracker_fields_init(&src->fields);
	tracker_fields_init(&src->marker.written);
}

bool sync_in_only(const struct sync_ctx *x, const char *path)
{
	size_t i;

	if (!x->opts->only_paths)
		return true;
	for (i = 0; i < x->opts->only_paths->nr; i++)
		if (!strcmp(x->opts->only_paths->v[i], path))
			return true;
	return false;
}

const struct postmortem *sync_pm_at(const struct pm_set *set, const char *path)
{
	size_t i;

	for (i = 0; path && i < set->nr; i++)
		if (!strcmp(set->v[i].path, path))
			return &set->v[i];
	return NULL;
}

bool sync_ours(const struct sync_ctx *x, const struct tracker_ticket *tk)
{
	return tk->has_marker && tk->marker.repo_id && x->cfg->repo_id &&
	       !strcmp(tk->marker.repo_id, x->cfg->repo_id);
}

/* The state's entry for an entry's item, when it is about the same postmortem. */
struct state_item *sync_state_item(const struct sync_ctx *x, const struct sync_entry *e)
{
	struct state_item *si;

	if (!x->state || x->opts->rebuild_state)
		return NULL;
	si = state_find(x->state, e->item->key);
	if (!si || !si->ticket_id)
		return NULL;
	if (si->path && strcmp(si->path, e->pm->path) &&
	    !(e->pm->origin_path && !strcmp(si->path, e->pm->origin_path)) &&
	    sync_pm_at(x->set, si->path))
		return NULL; /* the same key in another postmortem (explicit ids repeat) */
	return si;
}

static int cmp_key_idx(const void *a, const void *b)
{
	const struct sync_key_idx *p = a, *q = b;
	int c = strcmp(p->key, q->key);

	return c ? c : (p->i < q->i ? -1 : p->i > q->i);
}

char *sync_chosen_id(const struct sync_ctx *x, const struct sync_entry *e, const char *gone)
{
	const struct action_item *item = e->item;
	struct strbuf key = STRBUF_INIT;
	char *id;

	/*
	 * Explicit ids ("1", "A2") repeat from one postmortem to the next; text
	 * keys already hash the postmortem's path. Scope the former so that two
	 * postmortems never choose the same ticket id.
	 */
	strbuf_addstr(&key, item->key);
	if (item->key_source == PM_KEY_ID)
		strbuf_addf(&key, "\n%s", e->pm->origin_path ? e->pm->origin_path : e->pm->path);
	/* after a ticket deleted for good, a new id: the old one is never sent again */
	if (gone)
		strbuf_addf(&key, "\n%s", gone);
	id = mapping_ticket_id(x->t ? x->t->id_scope : NULL, x->cfg->repo_id, key.buf);
	strbuf_release(&key);
	return id;
}

void sync_collect_entries(struct sync_ctx *x)
{
	size_t i, j;

	for (i = 0; i < x->set->nr; i++) {
		const struct postmortem *pm = &x->set->v[i];
		bool planned = sync_in_only(x, pm->path);
		bool since = x->cfg->since && pm->date && strcmp(pm->date, x->cfg->since) < 0;

		if (pm->unreadable)
			continue;
		for (j = 0; j < pm->items_nr; j++) {
			const struct action_item *item = &pm->items[j];
			struct sync_entry *e;

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
					        x->cfg->repo_id ? sync_chosen_id(x, e, NULL) : NULL;
				if (item->owner && !e->owner)
					sync_add_note(
					        &e->note,
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
static size_t key_range(const struct sync_ctx *x, const char *key, size_t *count)
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
long sync_find_entry(const struct sync_ctx *x, const char *key, const char *path)
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
	if (count == 1 && !sync_pm_at(x->set, path))
		return (long)x->by_key[start].i;
	return -1;
}

bool sync_key_exists(const struct sync_ctx *x, const char *key)
{
	size_t count;

	key_range(x, key ? key : "", &count);
	return count > 0;
}

/* Resolves the owners of planned items in one call. */
int sync_resolve_owners(struct sync_ctx *x)
{
	const char **emails = NULL, **ids = NULL;
	size_t n = 0, i, j;
	int error = 0;

	emails = xcalloc(x->nr ? x->nr : 1, sizeof(*emails));
	for (i = 0; i < x->nr; i++) {
		struct sync_entry *e = &x->e[i];
		/* a user id from the configuration is checked as an email is */
		if (!e->owner)
			continue;
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
		struct sync_entry *e = &x->e[i];
		if (!e->owner)
			continue;
		for (j = 0; j < n && strcasecmp(emails[j], e->owner); j++)
			;
		if (j < n && ids[j])
			e->desired.assignee_id = xstrdup(ids[j]);
		else
			sync_add_note(&e->note, "owner '%s' (%s) has no %s user: left unassigned",
			              e->item->owner, e->owner, x->t->ops->name);
	}
done:
	free(emails);
	free(ids);
	return error;
}

struct sync_change *sync_add_change(struct sync_plan *plan, enum sync_kind kind)
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

void sync_fill_item(struct sync_change *c, struct sync_entry *e)
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
