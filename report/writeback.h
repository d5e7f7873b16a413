#ifndef PM_REPORT_WRITEBACK_H
#define PM_REPORT_WRITEBACK_H

#include <stddef.h>

#include "postmortems/parse.h"
#include "postmortems/postmortem.h"
#include "util/strbuf.h"

/*
 * Writing closure state back into a postmortem's own text: for each action
 * item in a GFM pipe table, the ticket (linked) in a Ticket cell and the
 * status in a Status cell, adding the columns when the table lacks them;
 * for an item of a list, the box ticked when it is done, and the ticket and
 * a status mark ("(canceled)") appended to a one-line item. Only the cells
 * added or changed change: every other byte stays as it was. A cell whose
 * meaning already matches is left as written (ONGOING for an open item).
 */

/* What one item of pm should say; items[i] belongs to pm->items[i]. */
struct writeback_item {
	const char *ticket_ref; /* the tracker's key, or NULL to leave the ticket alone */
	const char *ticket_url; /* linked when http(s) */
	enum pm_item_status status;
	bool has_status; /* false: leave the status alone */
};

/*
 * Appends to out the text of pm (text, len: the bytes pm was parsed from,
 * with popts) with the closure state of items written in. The result is
 * read again: when it does not give the same items with the tickets and
 * statuses wanted (a list the reader takes another way once a ticket is
 * appended), the write-back is made again without list tickets, then not at
 * all, and those items are counted as skipped. Returns the number of cells
 * changed or added and boxes ticked (0: out holds text unchanged), and
 * counts in *skipped the items that could not be written (not in a pipe
 * table or a task list, or a ticket cell naming another ticket).
 */
size_t writeback_apply(struct strbuf *out, const char *text, size_t len,
                       const struct postmortem *pm, const struct writeback_item *items,
                       const struct parse_options *popts, size_t *skipped);

#endif
