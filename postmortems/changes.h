#ifndef PM_CHANGES_H
#define PM_CHANGES_H

#include <stdbool.h>

#include <git2.h>

#include "config/config.h"

/*
 * Appends to out (once each) the postmortem paths under dir ("" for the
 * whole tree) selected by cfg's globs that differ between the merge base of
 * base and tip, and tip (or the working tree with worktree).
 */
int changes_list(struct strlist *out, git_repository *git, const struct config *cfg,
                 const char *dir, git_commit *base, git_commit *tip, bool worktree);

#endif
