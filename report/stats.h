#ifndef PM_REPORT_STATS_H
#define PM_REPORT_STATS_H

#include "report/report.h"

/*
 * The report's metrics, computed from its items (report.c fills them in):
 * counts, the window, overdue items by owner, open items by lever, the
 * trend per month and quarter, detection medians, repeated classes; and
 * the drift between one item and its ticket.
 */

/* Fills every metric of r from r->items and r->pms. */
void report_stats_compute(struct report *r);

/* Appends to r->drift what ticket c's values say against item ri's postmortem. */
void report_stats_drift(struct report *r, const struct report_item *ri, const struct sync_change *c,
                        report_user_fn user_name, void *user_data);

/* Days since 1970-01-01 of a valid YYYY-MM-DD date. */
long report_day_number(const char *date);

#endif
