/*
 * Building the completion report: one row per action item of every
 * postmortem dated on or before the report's date, with its status and
 * closure date as of that date. With a tracker, the sync's own matcher (a
 * dry-run plan) gives each item its ticket, and the ticket's status and
 * completion or cancellation date win; items without a ticket, and every
 * item without a tracker, take the postmortem's status and the date of the
 * first commit showing them closed (postmortems/history.c), unknown when the
 * history is shallow or missing. The metrics (report/stats.c) follow.
 */
#include "util/compat.h"

#include "report/report.h"

#include "report/stats.h"
#include "util/isodate.h"
#include "util/xalloc.h"

/* The UTC date of a Unix time. */
static void date_of_time(char out[11], int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (!gmtime_r(&tt, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm))
		out[0] = '\0';
}

/* The date part of an ISO date-time ("2026-03-20T10:00:00.000Z"), "" when it is none. */
static void date_of_iso(char out[11], const char *iso)
{
	out[0] = '\0';
	if (!iso || strlen(iso) < 10)
		return;
	memcpy(out, iso, 10);
	out[10] = '\0';
	if (!isodate_valid(out))
		out[0] = '\0';
}

static void from_ticket(struct report_item *ri, const struct sync_change *c)
{
	const struct tracker_ticket *tk = &c->ticket;

	ri->ticket_ref = tk->ref ? tk->ref : tk->id;
	ri->ticket_url = tk->url;
	if (tk->fields.due)
		ri->due = tk->fields.due;
	switch (tk->status) {
	case TRACKER_DONE:
		ri->status = PM_ITEM_DONE;
		break;
	case TRACKER_CANCELED:
	case TRACKER_AUTOCLOSED:
		ri->status = PM_ITEM_CANCELED;
		break;
	case TRACKER_OPEN:
		ri->status = PM_ITEM_OPEN;
		break;
	}
	if (ri->status != PM_ITEM_OPEN)
		date_of_iso(ri->closed, tk->closed_at);
}

/* Status and closure date as of the report's date. */
static void as_of(struct report_item *ri, const char *date)
{
	if (ri->status != PM_ITEM_OPEN && ri->closed[0] && strcmp(ri->closed, date) > 0) {
		ri->status = PM_ITEM_OPEN;
		ri->closed[0] = '\0';
	}
	ri->overdue = ri->status == PM_ITEM_OPEN && ri->due && strcmp(ri->due, date) < 0;
}

int report_build(struct report *out, const struct pm_set *set, const struct sync_plan *plan,
                 const struct report_options *opts, report_user_fn user_name, void *user_data)
{
	struct report r = {0};
	const struct sync_change **by_item = NULL;
	size_t *first = xcalloc(set->nr + 1, sizeof(*first));
	size_t n = 0;

	r.opts = *opts;
	for (size_t i = 0; i < set->nr; i++) {
		first[i] = n;
		n += set->v[i].items_nr;
	}
	first[set->nr] = n;
	if (plan) {
		by_item = xcalloc(n ? n : 1, sizeof(*by_item));
		for (size_t k = 0; k < plan->nr; k++) {
			const struct sync_change *c = &plan->v[k];
			size_t pi;

			if (!c->item || !c->pm || !c->has_ticket)
				continue;
			pi = (size_t)(c->pm - set->v);
			by_item[first[pi] + (size_t)(c->item - c->pm->items)] = c;
		}
	}

	r.items = xcalloc(n ? n : 1, sizeof(*r.items));
	r.pms = xcalloc(set->nr ? set->nr : 1, sizeof(*r.pms));
	for (size_t i = 0; i < set->nr; i++) {
		const struct postmortem *pm = &set->v[i];

		if (pm->unreadable || (pm->date && strcmp(pm->date, opts->as_of) > 0))
			continue;
		if (pm->url)
			r.links = true;
		r.pms[r.pms_nr].pm = pm;
		r.pms[r.pms_nr].severity = postmortem_meta(pm, "severity");
		r.pms_nr++;
		for (size_t j = 0; j < pm->items_nr; j++) {
			const struct action_item *it = &pm->items[j];
			const struct sync_change *c = by_item ? by_item[first[i] + j] : NULL;
			struct report_item *ri = &r.items[r.items_nr++];

			ri->pm = pm;
			ri->item = it;
			ri->status = it->status;
			ri->due = it->due;
			if (c) {
				from_ticket(ri, c);
				report_stats_drift(&r, ri, c, user_name, user_data);
			} else if (it->status != PM_ITEM_OPEN && it->done_at > 0) {
				date_of_time(ri->closed, it->done_at);
			}
			as_of(ri, opts->as_of);
		}
	}
	report_stats_compute(&r);
	*out = r;
	free(by_item);
	free(first);
	return 0;
}
