#ifndef PM_PARSE_H
#define PM_PARSE_H

#include <stddef.h>

#include "config/config.h"
#include "postmortems/diag.h"
#include "postmortems/postmortem.h"

/*
 * Reads one postmortem from its bytes: front matter, title, date, headings,
 * the action-items section and its items (GFM tables, task lists, plain and
 * numbered lists, HTML tables). Keys are not assigned here (keys.h).
 */
struct parse_options {
	/* Action-item heading patterns (case-insensitive); NULL: the built-in list. */
	const struct strlist *headings;
	/* Files larger than this are refused with a diagnostic (0: 16 MiB). */
	size_t max_size;
	/* Files with more action items are marked unreadable, with a diagnostic (0: 5,000). */
	size_t max_items;
};

/*
 * Fills pm (pm->path must be set) from buf. Bad input never fails the call:
 * a file that is not UTF-8, binary, too large or with too many action items
 * (its items are then dropped) is marked pm->unreadable with
 * an error diagnostic; other problems become diagnostics too. Returns 0.
 */
int parse_postmortem(struct postmortem *pm, const char *buf, size_t len,
                     const struct parse_options *opts, struct diags *diags);

#endif
