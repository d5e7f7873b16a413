#ifndef PM_REPO_H
#define PM_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "postmortems/diag.h"
#include "postmortems/postmortem.h"

/*
 * The repository side: opens a git repository with libgit2, reads the
 * configuration and every postmortem at a revision (or from the working
 * tree) without a checkout, follows history to keep item keys stable.
 */
struct repo;

struct pm_set {
	struct postmortem *v;
	size_t nr, alloc;
	char rev_id[41]; /* the commit read, "" for the working tree */
	bool shallow;    /* history is cut: keys of older edits cannot be followed */
	bool history;    /* history was walked for keys */
};

#define PM_SET_INIT                          \
	{                                    \
		NULL, 0, 0, "", false, false \
	}

struct repo_load_options {
	const char *rev; /* NULL: HEAD */
	bool worktree;   /* read the working tree instead of rev */
	bool no_history; /* derive keys from the text alone */
};

/* Opens the repository containing dir (NULL: "."). PM_EREPO with git's reason on failure. */
int repo_open(struct repo **out, const char *dir);
void repo_free(struct repo *repo);

/* The repository's top-level directory (work tree, or git dir when bare). */
const char *repo_root(const struct repo *repo);

/*
 * Reads the configuration into cfg (already holding defaults): override_path
 * when given, else `.pmsync.conf` at rev (or in the working tree), else none.
 * Then derives what the file left unset from the repository: the postmortem
 * URL template and repo_id from the `origin` remote.
 */
int repo_read_config(struct repo *repo, struct config *cfg, const char *override_path,
                     const struct repo_load_options *opts);

/* Reads every postmortem under cfg->pm_path, parses it and assigns keys. */
int repo_load(struct pm_set *out, struct repo *repo, const struct config *cfg,
              const struct repo_load_options *opts, struct diags *diags);

void pm_set_release(struct pm_set *set);

/*
 * The postmortem paths (under cfg->pm_path) that differ between the
 * merge-base of rev and base_rev, and rev (or the working tree with
 * opts->worktree): what a pull request changed. Appends to out.
 */
int repo_changed_since(struct strlist *out, struct repo *repo, const struct config *cfg,
                       const char *base_rev, const struct repo_load_options *opts);

/* Expands a URL template ({path}) for one postmortem path. */
char *repo_postmortem_url(const char *url_template, const char *path);

#endif
