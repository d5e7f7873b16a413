#ifndef PM_SYNC_INT_H
#define PM_SYNC_INT_H

/*
 * INTERNAL to the sync engine's planning (sync/plan.c, desired.c, match.c,
 * diff.c, offline.c): the context a plan is built in and the stages' entry
 * points. Nothing else includes this header; the engine's interface is
 * sync/sync.h.
 */

#include <stdbool.h>
#include <stddef.h>

#include "sync/sync.h"

/* How an entry found its ticket. */
enum sync_how {
	SYNC_HOW_NONE = 0,
	SYNC_HOW_KEY,     /* the marker names the item */
	SYNC_HOW_LOOKUP,  /* found by the chosen id or the state's id */
	SYNC_HOW_REMATCH, /* same postmortem, similar title */
	SYNC_HOW_ADOPT,   /* the row names it */
};

/* One action item on its way to a change. */
struct sync_entry {
	const struct postmortem *pm;
	const struct action_item *item;
	bool planned; /* inside opts->only_paths */
	bool since;   /* the postmortem is older than cfg->since */
	enum sync_kind kind;
	bool decided; /* kind is final (no ticket to look for) */
	char *chosen_id;
	bool rechosen; /* chosen anew: its recorded ticket was deleted for good */
	char *owner;   /* identity to resolve, or NULL */
	struct tracker_fields desired;
	long listed;                  /* index into the listing, -1 */
	struct tracker_ticket ticket; /* when found by lookup or adoption */
	bool has_ticket;
	enum sync_how how;
	double similarity;
	char *note;
};

struct sync_key_idx {
	const char *key;
	size_t i;
};

struct sync_ctx {
	const struct pm_set *set;
	const struct config *cfg;
	struct tracker *t; /* NULL when offline */
	bool offline;
	struct state *state;
	const struct sync_options *opts;
	struct sync_plan *plan;
	struct sync_entry *e;
	size_t nr, alloc;
	struct sync_key_idx *by_key; /* entries sorted by key */
	struct tracker_tickets listed;
	long *owner_of; /* per listed ticket: the entry it belongs to, -1 */
	bool *dup;      /* per listed ticket: a second ticket for an item */
};

/* sync/desired.c: the entries, and what every stage asks. */
bool sync_str_eq(const char *a, const char *b);
/* Appends a sentence to *note ("; " between two). */
void sync_add_note(char **note, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sync_ticket_move(struct tracker_ticket *dst, struct tracker_ticket *src);
bool sync_in_only(const struct sync_ctx *x, const char *path);
const struct postmortem *sync_pm_at(const struct pm_set *set, const char *path);
/* True when tk carries this repository's marker. */
bool sync_ours(const struct sync_ctx *x, const struct tracker_ticket *tk);
struct state_item *sync_state_item(const struct sync_ctx *x, const struct sync_entry *e);
/* One entry per keyed item of every readable postmortem, indexed by key. */
void sync_collect_entries(struct sync_ctx *x);
long sync_find_entry(const struct sync_ctx *x, const char *key, const char *path);
bool sync_key_exists(const struct sync_ctx *x, const char *key);
/*
 * The id to choose for e's ticket (mapping_ticket_id over the tracker's
 * scope, the repository and the item); gone: the id of its ticket that was
 * deleted for good, which the new id is derived from, or NULL.
 */
char *sync_chosen_id(const struct sync_ctx *x, const struct sync_entry *e, const char *gone);
int sync_resolve_owners(struct sync_ctx *x);

/* sync/match.c: the stages that find each entry's ticket, in this order. */
void sync_match_listed(struct sync_ctx *x);
void sync_classify(struct sync_ctx *x, struct sync_entry *e);
int sync_adopt(struct sync_ctx *x);
int sync_lookup_ids(struct sync_ctx *x);
void sync_rematch(struct sync_ctx *x);

/* sync/diff.c */
int sync_compare(struct sync_ctx *x, struct sync_entry *e, struct sync_change *c);

/* sync/desired.c: a new change of kind at the end of the plan, and an entry's item moved into it. */
struct sync_change *sync_add_change(struct sync_plan *plan, enum sync_kind kind);
void sync_fill_item(struct sync_change *c, struct sync_entry *e);

/* sync/offline.c */
void sync_offline_plan(struct sync_ctx *x);

#endif
