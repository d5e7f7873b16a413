#ifndef PM_WORKTREE_H
#define PM_WORKTREE_H

#include <git2.h>

#include "config/config.h"
#include "postmortems/diag.h"
#include "postmortems/files.h"
#include "postmortems/parse.h"
#include "postmortems/postmortem.h"

/* The postmortems of the working tree rooted at root (not bare). */

/*
 * Appends to out the path ('/'-separated, from root; no blob id) of every
 * regular file under dir that the include and exclude globs of cfg select
 * and git does not ignore. A missing dir is not an error; the rest as
 * files_in_tree() reads a revision (links and submodules are not read).
 */
int worktree_find(struct files *out, git_repository *git, const char *root, const char *dir,
                  const struct config *cfg, struct diags *diags);

/*
 * Reads and parses root/pm->path into pm; *id gets the blob id its content
 * would have (zero for a file over popts->max_size, marked unreadable).
 */
int worktree_read(struct postmortem *pm, git_oid *id, const char *root,
                  const struct parse_options *popts, struct diags *diags);

#endif
