#ifndef PM_GLOB_H
#define PM_GLOB_H

#include <stdbool.h>

#include "config/config.h"

/*
 * Which files under the postmortem directory are postmortems: the include and
 * exclude globs of [postmortems], matched with fnmatch(3) against the path
 * relative to that directory. A pattern holding a '/' is matched against the
 * whole relative path ('*' crosses '/'); one without is matched, as in
 * .gitignore, against the file's name (include) or against any component of
 * the path (exclude, so "_*" also leaves out everything under "_drafts/").
 */
bool glob_match(const char *pattern, const char *relpath, bool any_component);

/* True when relpath matches some include pattern and no exclude pattern. */
bool glob_selected(const struct strlist *include, const struct strlist *exclude,
                   const char *relpath);

#endif
