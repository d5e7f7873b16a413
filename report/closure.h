#ifndef PM_REPORT_CLOSURE_H
#define PM_REPORT_CLOSURE_H

#include <stdbool.h>

#include "postmortems/parse.h"
#include "report/report.h"

/*
 * Writes the closure state of report r (each item's ticket and its status
 * in the tracker) into the postmortems of set, rewritten from their content
 * at set's revision: into the working tree (a file whose working copy
 * differs from the revision is left alone), or with commit as a commit on
 * branch (never the checked-out one) whose parent is the revision. What was
 * done, file by file, is appended to messages for the command to print.
 */
int report_write_back(struct strlist *messages, const char *root, const struct pm_set *set,
                      const struct report *r, const char *tracker_name, bool commit,
                      const char *branch, const struct parse_options *popts);

#endif
