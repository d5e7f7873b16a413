/*
 * What a pull request changed: the postmortem paths that differ between
 * the fork point (the merge base of the branch and its base; the base
 * itself when they share no history) and the branch's tip, or the working
 * tree with its untracked files. A postmortem deleted or renamed away
 * counts too, under its old path: its items are gone.
 */
#include "util/compat.h"

#include "postmortems/changes.h"

#include <string.h>

#include "postmortems/glob.h"
#include "util/error.h"

static void add_changed(struct strlist *out, const char *dir, const struct config *cfg,
                        const char *path)
{
	size_t len = strlen(dir);
	const char *rel = path;

	if (!path)
		return;
	if (len) {
		if (strncmp(path, dir, len) || path[len] != '/')
			return;
		rel = path + len + 1;
	}
	if (!glob_selected(&cfg->include, &cfg->exclude, rel))
		return;
	for (size_t i = 0; i < out->nr; i++)
		if (!strcmp(out->v[i], path))
			return;
	strlist_add(out, path);
}

int changes_list(struct strlist *out, git_repository *git, const struct config *cfg,
                 const char *dir, git_commit *base, git_commit *tip, bool worktree)
{
	git_commit *fork = NULL;
	git_tree *fork_tree = NULL, *tip_tree = NULL;
	git_diff_options dopts;
	git_diff *diff = NULL;
	git_oid fork_id;
	char *pathspec[1];
	int err = 0, e;

	/* the fork point; without a common ancestor, the base itself */
	e = git_merge_base(&fork_id, git, git_commit_id(tip), git_commit_id(base));
	if (e == GIT_ENOTFOUND) {
		git_error_clear();
		git_oid_cpy(&fork_id, git_commit_id(base));
	} else if (e < 0) {
		err = pm_error_git(PM_EREPO, "cannot find the merge base");
		goto done;
	}
	if (git_commit_lookup(&fork, git, &fork_id) < 0 || git_commit_tree(&fork_tree, fork) < 0) {
		err = pm_error_git(PM_EREPO, "cannot read the merge base");
		goto done;
	}
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (*dir) {
		pathspec[0] = (char *)dir;
		dopts.pathspec.strings = pathspec;
		dopts.pathspec.count = 1;
	}
	if (worktree) {
		dopts.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
		e = git_diff_tree_to_workdir_with_index(&diff, git, fork_tree, &dopts);
	} else {
		e = git_commit_tree(&tip_tree, tip);
		if (e == 0)
			e = git_diff_tree_to_tree(&diff, git, fork_tree, tip_tree, &dopts);
	}
	if (e < 0) {
		err = pm_error_git(PM_EREPO, "cannot diff against the merge base");
		goto done;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->status == GIT_DELTA_IGNORED)
			continue;
		/* a postmortem deleted or renamed away changed too: its items are gone */
		if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_UNTRACKED)
			add_changed(out, dir, cfg, d->old_file.path);
		if (d->status != GIT_DELTA_DELETED)
			add_changed(out, dir, cfg, d->new_file.path);
	}
done:
	git_diff_free(diff);
	git_tree_free(tip_tree);
	git_tree_free(fork_tree);
	git_commit_free(fork);
	return err;
}
