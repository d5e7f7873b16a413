#ifndef PM_SYNC_H
#define PM_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "connectors/tracker.h"
#include "postmortems/repo.h"
#include "state/state.h"

/*
 * The sync engine: the desired state (every action item at a revision,
 * mapped to ticket fields), the actual state (the tickets pmsync manages),
 * the plan that takes one to the other, and its application. The plan is a
 * plain list of changes that the command layer renders (sync/render.h).
 */

enum sync_kind {
	SYNC_CREATE,         /* + an item without a ticket */
	SYNC_UPDATE,         /* ~ fields the postmortem changed */
	SYNC_ADOPT,          /* <= a row names an existing ticket of this tracker: link it, */
	                     /*    then write the postmortem's values in the same run */
	SYNC_RECOVER,        /* <= a ticket made by an interrupted run, found by its id: link it */
	SYNC_UNCHANGED,      /*   nothing to write (drift and conflicts may still be reported) */
	SYNC_ORPHANED,       /*   a ticket whose item is gone from a postmortem still there */
	SYNC_CANCEL,         /* - the same, with sync.removed = cancel */
	SYNC_ELSEWHERE,      /*   a row naming a ticket of another tracker (e.g. a GitHub issue) */
	SYNC_DONE_NO_TICKET, /*   done or canceled in the postmortem, no ticket: not created */
	SYNC_INFERRED,       /*   inferred, not written as an action item: listed, not created */
	SYNC_BEFORE_SINCE,   /*   the postmortem is older than postmortems.since */
	SYNC_UNKNOWN,        /*   the postmortem cannot be read: its tickets are left alone */
	SYNC_MISSING_PM,     /*   a ticket whose postmortem file is absent at the revision */
};

struct sync_change {
	enum sync_kind kind;
	const struct postmortem *pm;    /* borrowed from the pm_set; NULL when no item */
	const struct action_item *item; /* borrowed; NULL for ticket-only changes */
	char *key;                      /* item key */
	char *path;                     /* postmortem path */
	int line;                       /* item line, 0 when none */
	char *ticket_id;                /* chosen (create) or existing ticket id */
	struct tracker_ticket ticket;   /* the ticket as found (zeroed for creates) */
	bool has_ticket;
	struct tracker_fields desired;
	struct tracker_marker marker; /* the marker to write */
	unsigned update_mask;         /* fields pmsync will write */
	unsigned drift_mask;          /* changed only in the tracker: reported, left alone */
	unsigned conflict_mask;       /* changed on both sides */
	bool write_marker;            /* the marker must be (re)written */
	char *note;                   /* a line of explanation, or NULL */
	int outcome;                  /* after apply: 0 or a pm_error_code */
	char *message;                /* after apply: the failure, or NULL */
	bool applied;
};

struct sync_plan {
	struct sync_change *v;
	size_t nr, alloc;
	bool offline; /* planned from the state file alone */
	bool dry_run;
	char *rev_id;
	size_t creates, updates, cancels, adopts, unchanged, orphaned, conflicts, drifts;
};

#define SYNC_PLAN_INIT \
	{              \
		0      \
	}

/* Reports progress while applying; called only when set. */
typedef void (*sync_progress_fn)(void *data, size_t done, size_t total, const char *what);

struct sync_options {
	bool dry_run;
	bool offline;           /* plan from the state file and the postmortems alone */
	bool prefer_postmortem; /* conflicts: the postmortem wins */
	bool force;             /* allow more than max_changes creates and cancels */
	long max_changes;       /* -1: cfg->max_changes */
	bool rebuild_state;
	const struct strlist *only_paths; /* --changed-since: limit to these postmortems */
	sync_progress_fn progress;
	void *progress_data;
};

/* Builds the plan. t is NULL when offline. Nothing is written. */
int sync_plan_build(struct sync_plan *out, const struct pm_set *set, const struct config *cfg,
                    struct tracker *t, struct state *state, const struct sync_options *opts);

/*
 * Applies the plan: creates, markers, adoptions, updates, cancels, in
 * batches, saving the state after each. Refuses (PM_EUSAGE) when creates and
 * cancels exceed max_changes without force. Returns 0, PM_EPARTIAL when some
 * changes failed (their outcome says why), or the error that stopped it.
 */
int sync_apply(struct sync_plan *plan, const struct config *cfg, struct tracker *t,
               struct state *state, const struct sync_options *opts);

void sync_plan_release(struct sync_plan *plan);

const char *sync_kind_name(enum sync_kind kind);

#endif
