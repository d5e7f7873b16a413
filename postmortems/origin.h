#ifndef PM_ORIGIN_H
#define PM_ORIGIN_H

#include <git2.h>

#include "config/config.h"

/*
 * What the configuration leaves unset, derived from the `origin` remote:
 * the postmortem URL template and the repository id.
 */

/*
 * Sets cfg->url_template (GitHub and GitLab remotes) and cfg->repo_id
 * (owner/repo, else the name of root) when they are unset. Never fails.
 */
void origin_derive(struct config *cfg, git_repository *git, const char *root);

/* Expands a URL template ({path}, percent-escaped) for one postmortem path; NULL without one. */
char *origin_postmortem_url(const char *url_template, const char *path);

#endif
