#ifndef PM_REDACT_H
#define PM_REDACT_H

#include "util/strbuf.h"

/*
 * Masking secrets by their value. A token need not carry a known prefix
 * (an OAuth token, a Jira API token, a key pasted with a space), and a
 * server may echo it back in an error message, so every text pmsync prints
 * is cleared of the value of every secret in the environment.
 */

/*
 * Replaces, in place, every occurrence in sb of the value of each variable
 * of vars (NULL-terminated: the trackers' token variables,
 * tracker_secret_vars()), also without a leading "Bearer " and surrounding
 * blanks, by "***". Values shorter than 4 bytes are left alone: they would
 * mask ordinary words, and no tracker issues such tokens. JIRA_EMAIL is no
 * such variable: an e-mail address is no credential by itself, and plans
 * name people by theirs.
 */
void redact_secrets(struct strbuf *sb, const char *const *vars);

/* Overwrites a secret's bytes before it is freed; NULL is allowed. */
void redact_wipe(char *s);

#endif
