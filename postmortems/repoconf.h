#ifndef PM_REPOCONF_H
#define PM_REPOCONF_H

#include <git2.h>

#include "config/config.h"

/* Reading `.pmsync.conf` from the repository into a configuration holding defaults. */

/* From commit's tree; rev names the revision in messages (NULL: HEAD). */
int repoconf_from_tree(struct config *cfg, git_repository *git, git_commit *commit,
                       const char *rev);

/* From the working tree rooted at root; nothing for a bare repository. */
int repoconf_from_worktree(struct config *cfg, git_repository *git, const char *root);

#endif
