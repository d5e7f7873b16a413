/*
 * The repository side of pmsync: opens a git repository with libgit2 (bare
 * or not, searching upward like git, with git's ownership check explained),
 * and reads every postmortem at a revision straight from the object
 * database, without a checkout (or from the working tree with --worktree):
 * it lists the files (files.c, worktree.c), parses each one and gives its
 * items keys, following history (history.c) so that keys survive edits and
 * renames. The configuration is read at the same revision (repoconf.c) and
 * completed from the `origin` remote (origin.c); what a pull request
 * changed is in changes.c.
 */
#include "util/compat.h"

#include "postmortems/repo.h"

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "postmortems/changes.h"
#include "postmortems/files.h"
#include "postmortems/history.h"
#include "postmortems/keys.h"
#include "postmortems/origin.h"
#include "postmortems/parse.h"
#include "postmortems/repoconf.h"
#include "postmortems/worktree.h"
#include "util/error.h"
#include "util/safepath.h"
#include "util/xalloc.h"

#define REPO_MAX_SIZE (16u << 20)

struct repo {
	git_repository *git;
	char *root;
};

static char *strip_trailing_slash(const char *s)
{
	size_t len = strlen(s);

	while (len > 1 && s[len - 1] == '/')
		len--;
	return xstrndup(s, len);
}

/* The directory git's safe.directory names: the work tree, or the git dir when bare. */
static char *owner_dir(const char *path)
{
	git_buf gitdir = GIT_BUF_INIT;
	char *dir = NULL;
	const char *msg, *q1, *q2;

	if (git_repository_discover(&gitdir, path, 0, NULL) == 0) {
		size_t len = strlen(gitdir.ptr);
		if (len > 6 && !strcmp(gitdir.ptr + len - 6, "/.git/"))
			dir = xstrndup(gitdir.ptr, len - 6);
		else
			dir = strip_trailing_slash(gitdir.ptr);
		git_buf_dispose(&gitdir);
		return dir;
	}
	/* libgit2's message names the path it refused: "repository path '/x/' is ..." */
	msg = git_error_last() ? git_error_last()->message : NULL;
	q1 = msg && !strncmp(msg, "repository path '", 17) ? strchr(msg, '\'') : NULL;
	q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
	if (q2) {
		char *quoted = xstrndup(q1 + 1, (size_t)(q2 - q1 - 1));
		dir = strip_trailing_slash(quoted);
		free(quoted);
		return dir;
	}
	return xstrdup(path);
}

/*
 * libgit2 1.5 refuses a repository owned by another user with GIT_EOWNER,
 * except when no safe.directory is set anywhere: then the failed lookup of
 * that key leaks out as GIT_ENOTFOUND "config value 'safe.directory' was not
 * found".
 */
static bool refused_ownership(int e)
{
	const git_error *err = git_error_last();

	if (e == GIT_EOWNER)
		return true;
	return e == GIT_ENOTFOUND && err && err->message &&
	       strstr(err->message, "'safe.directory'");
}

int repo_open(struct repo **out, const char *dir)
{
	const char *path = dir ? dir : ".";
	git_repository *git = NULL;
	struct repo *repo;
	const char *root;
	int err = 0, e;

	if (git_libgit2_init() < 0)
		return pm_error_git(PM_EREPO, "cannot initialise libgit2");
	/*
	 * Like git, trust the object database's own checks (zlib, pack
	 * checksums) instead of hashing every object again on each read: that
	 * is a tenth of the time spent reading postmortems.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	e = git_repository_open_ext(&git, path, 0, NULL);
	if (refused_ownership(e)) {
		char *owned = owner_dir(path);
		err = pm_error(
		        PM_EREPO,
		        "repository '%s' is owned by someone else: add it to git's "
		        "safe.directory setting: git config --global --add safe.directory %s",
		        owned, owned);
		free(owned);
		goto done;
	}
	if (e < 0) {
		err = pm_error_git(PM_EREPO, NULL);
		goto done;
	}
	repo = xcalloc(1, sizeof(*repo));
	repo->git = git;
	root = git_repository_is_bare(git) ? git_repository_path(git) : git_repository_workdir(git);
	repo->root = strip_trailing_slash(root);
	*out = repo;
	git = NULL; /* handed over */
done:
	git_repository_free(git);
	if (err)
		git_libgit2_shutdown();
	return err;
}

void repo_free(struct repo *repo)
{
	if (!repo)
		return;
	git_repository_free(repo->git);
	free(repo->root);
	free(repo);
	git_libgit2_shutdown();
}

const char *repo_root(const struct repo *repo)
{
	return repo->root;
}

static bool is_head(const char *rev)
{
	return !rev || !strcmp(rev, "HEAD");
}

static int resolve_commit(git_commit **out, struct repo *repo, const char *rev)
{
	const char *spec = rev ? rev : "HEAD";
	git_object *obj = NULL, *peeled = NULL;
	int err = 0, e;

	if (is_head(rev) && git_repository_head_unborn(repo->git) == 1)
		return pm_error(PM_EREPO,
		                "the repository has no commits yet: nothing to read at HEAD "
		                "(--worktree reads the working tree)");
	e = git_revparse_single(&obj, repo->git, spec);
	if (e == GIT_ENOTFOUND || e == GIT_EINVALIDSPEC) {
		err = pm_error(PM_ENOTFOUND, "unknown revision '%s'", spec);
		goto done;
	}
	if (e == GIT_EAMBIGUOUS) {
		err = pm_error(PM_EREPO, "ambiguous revision '%s'", spec);
		goto done;
	}
	if (e < 0) {
		err = pm_error_git(PM_EREPO, NULL);
		goto done;
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		err = pm_error(PM_EREPO, "revision '%s' is not a commit", spec);
		goto done;
	}
	*out = (git_commit *)peeled;
	peeled = NULL; /* handed over */
done:
	git_object_free(obj);
	git_object_free(peeled);
	return err;
}

/* "docs/postmortems/" -> "docs/postmortems"; "." and "./" -> "". */
static char *clean_dir(const char *path)
{
	const char *p = path ? path : "";
	size_t len;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	while (*p == '/')
		p++;
	if (!strcmp(p, "."))
		p = "";
	len = strlen(p);
	while (len && p[len - 1] == '/')
		len--;
	return xstrndup(p, len);
}

/* --- configuration -------------------------------------------------------- */

int repo_read_config(struct repo *repo, struct config *cfg, const char *override_path,
                     const struct repo_load_options *opts)
{
	const char *rev = opts ? opts->rev : NULL;
	git_commit *commit = NULL;
	int err = 0;

	if (override_path) {
		/* a --config file inside the repository is as untrusted as .pmsync.conf */
		cfg->file_trusted =
		        !safepath_within(override_path, repo->root) &&
		        !safepath_within(override_path, git_repository_path(repo->git)) &&
		        !safepath_within(override_path, git_repository_commondir(repo->git));
		err = config_read_file(cfg, override_path, override_path);
		cfg->file_trusted = false;
	} else if (opts && opts->worktree) {
		err = repoconf_from_worktree(cfg, repo->git, repo->root);
	} else if (!is_head(rev) || git_repository_head_unborn(repo->git) != 1) {
		/* with nothing committed there is no file: repo_load() says so */
		err = resolve_commit(&commit, repo, rev);
		if (!err)
			err = repoconf_from_tree(cfg, repo->git, commit, rev);
	}
	git_commit_free(commit);
	if (err < 0)
		return err;
	origin_derive(cfg, repo->git, repo->root);
	return 0;
}

char *repo_postmortem_url(const char *url_template, const char *path)
{
	return origin_postmortem_url(url_template, path);
}

/* --- finding the files ---------------------------------------------------- */

/*
 * The postmortem files: of the working tree (*commit is HEAD, or NULL
 * before the first commit), or of the revision's tree (its id goes in set).
 */
static int find_postmortems(struct files *found, git_commit **commit, struct pm_set *set,
                            struct repo *repo, const struct config *cfg,
                            const struct repo_load_options *opts, const char *dir,
                            struct diags *diags)
{
	int err;

	if (opts->worktree) {
		if (git_repository_is_bare(repo->git))
			return pm_error(PM_EREPO,
			                "'%s' is a bare repository: it has no working tree",
			                repo->root);
		if (git_repository_head_unborn(repo->git) != 1 &&
		    (err = resolve_commit(commit, repo, "HEAD")) < 0)
			return err;
		return worktree_find(found, repo->git, repo->root, dir, cfg, diags);
	}
	if ((err = resolve_commit(commit, repo, opts->rev)) < 0)
		return err;
	git_oid_tostr(set->rev_id, sizeof(set->rev_id), git_commit_id(*commit));
	return files_in_tree(found, repo->git, *commit, dir, cfg, diags);
}

/* Reads one postmortem file into pm and gives its items their keys (through hist when walked). */
static int read_postmortem(struct postmortem *pm, const struct files_entry *e, struct repo *repo,
                           const struct config *cfg, const struct parse_options *popts,
                           struct history *hist, struct diags *diags)
{
	git_oid id;
	int err;

	postmortem_init(pm);
	pm->path = xstrdup(e->path);
	pm->url = repo_postmortem_url(cfg->url_template, e->path);
	if (e->has_blob) {
		git_oid_cpy(&id, &e->blob);
		git_oid_tostr(pm->blob_id, sizeof(pm->blob_id), &id);
		err = history_read_blob(pm, repo->git, &id, popts, diags);
	} else {
		err = worktree_read(pm, &id, repo->root, popts, diags);
	}
	if (err < 0)
		return err;
	if (hist)
		return history_assign_keys(hist, pm, &id, popts);
	free(pm->origin_path);
	pm->origin_path = xstrdup(pm->path);
	keys_assign(pm, NULL);
	return 0;
}

int repo_load(struct pm_set *out, struct repo *repo, const struct config *cfg,
              const struct repo_load_options *opts, struct diags *diags)
{
	static const struct repo_load_options defaults = {NULL, false, false};
	struct parse_options popts = {NULL, REPO_MAX_SIZE, 0};
	struct pm_set set = PM_SET_INIT;
	struct files found = FILES_INIT;
	struct history *hist = NULL;
	git_commit *commit = NULL;
	char *dir = clean_dir(cfg->pm_path);
	int err = 0;

	if (!opts)
		opts = &defaults;
	if (cfg->headings.nr)
		popts.headings = &cfg->headings;
	if ((err = find_postmortems(&found, &commit, &set, repo, cfg, opts, dir, diags)) < 0)
		goto done;
	set.shallow = git_repository_is_shallow(repo->git) == 1;
	if (commit && !opts->no_history && found.nr) {
		if ((err = history_walk(&hist, repo->git, git_commit_id(commit), dir)) < 0)
			goto done;
		set.history = true;
		set.shallow = set.shallow || history_cut(hist);
	}

	if (found.nr > 1)
		files_sort(&found);
	ALLOC_GROW(set.v, found.nr, set.alloc);
	for (size_t i = 0; i < found.nr; i++)
		if ((err = read_postmortem(&set.v[set.nr++], &found.v[i], repo, cfg, &popts, hist,
		                           diags)) < 0)
			goto done;
	*out = set;
	set = (struct pm_set)PM_SET_INIT; /* handed over */
done:
	pm_set_release(&set);
	history_free(hist);
	git_commit_free(commit);
	files_release(&found);
	free(dir);
	return err;
}

/* --- what a pull request changed ---------------------------------------------- */

int repo_changed_since(struct strlist *out, struct repo *repo, const struct config *cfg,
                       const char *base_rev, const struct repo_load_options *opts)
{
	static const struct repo_load_options defaults = {NULL, false, false};
	git_commit *tip = NULL, *base = NULL;
	char *dir = clean_dir(cfg->pm_path);
	int err = 0;

	if (!opts)
		opts = &defaults;
	if ((err = resolve_commit(&base, repo, base_rev)) < 0)
		goto done;
	if (opts->worktree && git_repository_is_bare(repo->git)) {
		err = pm_error(PM_EREPO, "'%s' is a bare repository: it has no working tree",
		               repo->root);
		goto done;
	}
	if ((err = resolve_commit(&tip, repo, opts->worktree ? NULL : opts->rev)) < 0)
		goto done;
	err = changes_list(out, repo->git, cfg, dir, base, tip, opts->worktree);
done:
	git_commit_free(base);
	git_commit_free(tip);
	free(dir);
	return err;
}

void pm_set_release(struct pm_set *set)
{
	for (size_t i = 0; i < set->nr; i++)
		postmortem_release(&set->v[i]);
	free(set->v);
	*set = (struct pm_set)PM_SET_INIT;
}
