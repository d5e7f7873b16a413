#ifndef PM_STATE_H
#define PM_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "connectors/tracker.h"
#include "util/strbuf.h"

/*
 * The state file (default .pmsync/state.json): a cache of what pmsync made,
 * item key -> ticket id, and what it last wrote on each ticket. The tracker
 * (the markers on its tickets) is the truth; the cache speeds offline plans
 * and backs up markers that lack the written fields. A missing file is an
 * empty state, a corrupt one an error (PM_ESTATE), never reset silently.
 *
 * {"version": 1, "tracker": "<tracker kind>", "repo": "<repo id>",
 *  "last_run": "2024-05-01T02:00:00Z", "rev": "<commit id>", "settled": true,
 *  "items": {"<key>": {"ticket_id": "...", "ref": "ENG-12", "url": "...",
 *            "path": "docs/postmortems/x.md",
 *            "written": {"title": "...", "description": "...",
 *                        "assigneeId": null, "dueDate": "2024-06-01",
 *                        "labels": ["pmsync"]}}}}
 *
 * "written" is the one form tracker_fields_json() gives, the markers' too
 * (priority absent when not set); files that name "assignee_id" and "due"
 * are still read.
 */

#define PM_STATE_VERSION 1

struct state_item {
	char *key;
	char *ticket_id;
	char *ref;  /* may be NULL */
	char *url;  /* may be NULL */
	char *path; /* postmortem path, may be NULL */
	bool has_written;
	struct tracker_fields written;
};

struct state {
	char *file;     /* the file used for I/O; NULL for a state not tied to a file */
	char *display;  /* the file as named in messages (relative to the repository) */
	char *tracker;  /* the tracker kind's name; NULL when never written */
	char *repo;     /* repository id of the markers; NULL when never written */
	char *last_run; /* ISO 8601 UTC */
	char *rev;      /* commit id of the last run */
	/*
	 * The last run left no create in doubt: every ticket pmsync made is
	 * recorded here, so a plan need not look up the ids of its creates.
	 * False for a missing or older file, and while a run creates.
	 */
	bool settled;
	struct state_item *items; /* sorted by key, keys unique */
	size_t items_nr, items_alloc;
	struct lockfile *lock; /* held from state_open(PM_STATE_LOCK) to release */
	char *note;            /* e.g. a stale lock taken over; for the command layer */
};

#define STATE_INIT \
	{          \
		0  \
	}

enum state_flags {
	PM_STATE_LOCK = 1 << 0,    /* take `<file>.lock` until state_release() */
	PM_STATE_REBUILD = 1 << 1, /* ignore the old content (sync --rebuild-state) */
};

void state_init(struct state *st);

/*
 * Opens the state file `file` (relative to root unless absolute; root may be
 * NULL for the current directory): with PM_STATE_LOCK takes the lock first
 * (creating the directory), then reads the file unless PM_STATE_REBUILD.
 * Errors: PM_ELOCKED, PM_ESTATE (corrupt), PM_ERROR (I/O).
 */
int state_open(struct state *out, const char *root, const char *file, unsigned flags);

/* Parses the JSON of a state file; display names it in messages. */
int state_parse(struct state *out, const char *buf, size_t len, const char *display);

/* Appends the JSON of st to out (stable: keys sorted, two-space indent). */
void state_format(struct strbuf *out, const struct state *st);

/*
 * Writes st to its file atomically, stamping last_run. Uses the lock taken by
 * state_open(), or takes one for the duration of the write.
 */
int state_save(struct state *st);

/* The entry for key, or NULL. */
struct state_item *state_find(const struct state *st, const char *key);

/* The entry for key, added (empty but for the key) when absent. */
struct state_item *state_get(struct state *st, const char *key);

/* Sets an entry's fields (NULL strings clear them; written NULL clears it). */
void state_item_set(struct state_item *it, const char *ticket_id, const char *ref, const char *url,
                    const char *path, const struct tracker_fields *written);

void state_remove(struct state *st, const char *key);
void state_clear_items(struct state *st);

/* Frees everything and drops the lock. st is left as STATE_INIT. */
void state_release(struct state *st);

#endif
