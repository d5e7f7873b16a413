#ifndef PM_SAFEPATH_H
#define PM_SAFEPATH_H

#include <stdbool.h>

/*
 * Paths named by the repository's own files stay inside the repository: a
 * pull request must not make pmsync write, lock or create folders anywhere
 * else (`sync.stateFile = ../victim.txt`). And a file the person running
 * pmsync passes (--config) is theirs only when it lies outside the
 * repository: one inside it is as untrusted as `.pmsync.conf`.
 */

/*
 * True when path (which exists) resolves, symlinks followed, to dir or a
 * file below it (dir resolved the same way).
 */
bool safepath_within(const char *path, const char *dir);

/*
 * Checks that rel, a path named by the repository's configuration, stays
 * below root: relative, no `..` component, and no component that exists
 * under root is a symbolic link (the last one included). PM_ECONFIG naming
 * `what` (e.g. "'.pmsync.conf at HEAD': 'sync.stateFile'") otherwise.
 */
int safepath_check_inside(const char *root, const char *rel, const char *what);

#endif
