#ifndef PM_TEST_MEM_TRACKER_H
#define PM_TEST_MEM_TRACKER_H

#include <stdbool.h>
#include <stddef.h>

#include "connectors/tracker.h"
#include "util/strbuf.h"

/*
 * An in-memory tracker for the tests of the engine (and of whatever reads
 * tickets through the seam): a struct tracker_ops like Linear's, stateful,
 * as unforgiving as the service where it matters (a reused create id is
 * refused, titles over 255 bytes are refused, archived tickets are still
 * found by id), with faults on demand: the Nth write call fails before it is
 * applied, or is applied and then fails (the response lost), or the process
 * "dies" before or after it (the state file at that moment is kept in snap,
 * as kill -9 would leave it), or one element of it fails. Its fields are the
 * test's to read and set.
 */

enum mem_fault {
	MEM_FAULT_NONE = 0,
	MEM_FAULT_FAIL,        /* the Nth write fails, nothing applied (HTTP 502) */
	MEM_FAULT_APPLY_FAIL,  /* applied, then the connection drops: the response is lost */
	MEM_FAULT_KILL_BEFORE, /* the process dies before sending the Nth write */
	MEM_FAULT_KILL_AFTER,  /* the process dies after the Nth write reached the tracker */
	MEM_FAULT_ELEMENT,     /* the first element of the Nth write is refused (validation) */
};

extern const char *const mem_fault_names[];

struct mem_tracker {
	struct tracker base; /* first: the engine hands us back &base */
	struct tracker_tickets store;
	bool *by_pmsync; /* per store ticket: made by a create call */
	size_t by_pmsync_alloc;
	int next_num;
	size_t writes, reads, resolve_calls, pending_calls;
	size_t created, updated, linked, cancelled; /* elements applied */
	/* faults */
	enum mem_fault fault;
	size_t fail_at; /* 1-based write call */
	bool fired;
	bool killed;
	/* the state file when the process died */
	const char *state_path;
	bool snap_taken, snap_exists;
	struct strbuf snap;
	/* misbehaviour */
	bool list_everything; /* a listing that ignores the repository filter */
	size_t lag_from;      /* tickets created at or after this index are not listed */
	bool lag;
	/* ids of tickets deleted for good: refused when sent again */
	struct strlist deleted;
};

/* Empty, for cfg (borrowed); &m->base is the struct tracker to hand the engine. */
void mem_tracker_init(struct mem_tracker *m, const struct config *cfg);
void mem_tracker_release(struct mem_tracker *m);
/* A ticket that exists before pmsync (to adopt, or another repository's). */
struct tracker_ticket *mem_tracker_seed(struct mem_tracker *m, const char *ref, const char *title);
/* Deletes a ticket for good, as a person emptying the trash does; its id stays taken. */
void mem_tracker_delete(struct mem_tracker *m, const char *id);
void mem_tracker_copy_ticket(struct tracker_ticket *dst, const struct tracker_ticket *src);

#endif
