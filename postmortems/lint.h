#ifndef PM_LINT_H
#define PM_LINT_H

#include <stddef.h>

#include "config/config.h"
#include "postmortems/diag.h"
#include "postmortems/postmortem.h"

/*
 * The house rules for postmortems, each a diagnostic with a short rule name:
 *   missing-section     error    a required section (lint.section) has no heading
 *   no-detection-chain  warning  no detection-chain minutes were found
 *   missing-owner       error    an action item has no owner
 *   unknown-owner       error    its owner is not in the [owner] map (when there is one)
 *   missing-due         error    an action item has no due date
 *   bad-due-date        error    its due date cannot be read as a calendar date
 *   missing-lever       warning  an action item names no lever
 *   bad-lever           error    its lever is not one of lint.lever
 *   vague               warning  its text uses a vague phrase (lint.vague)
 *   duplicate-item      warning  the same action twice in one postmortem
 *   duplicate-postmortem warning two files with the same content (lint_set)
 * An unreadable postmortem gets no lint diagnostics: the parser reported it.
 * Lint owns bad-due-date; the parser does not report unreadable due dates.
 */

/* Adds the diagnostics for one parsed postmortem to out. Returns 0. */
int lint_postmortem(struct diags *out, const struct postmortem *pm, const struct config *cfg);

/* Adds the rules across postmortems; call it after lint_postmortem() on each one. */
void lint_set(struct diags *out, const struct postmortem *v, size_t n, const struct config *cfg);

#endif
