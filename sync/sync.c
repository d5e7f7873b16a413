/*
 * The plan's own data: the names of the kinds of change and the release of
 * a plan. Building a plan is sync/plan.c's; applying it, apply.c's.
 */
#include "util/compat.h"

#include "sync/sync.h"

#include <stdlib.h>
#include <string.h>

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
	case SYNC_INFERRED:
		return "inferred";
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
