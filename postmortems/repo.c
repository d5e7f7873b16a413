/*
 * The repository side of pmsync: opens a git repository with libgit2 (bare
 * or not, searching upward like git), reads `.pmsync.conf` and every
 * postmortem at a revision straight from the object database, without a
 * checkout (or from the working tree with --worktree), parses each file and
 * gives its items keys, following history (history.c) so that keys survive
 * edits and renames. It also derives what the configuration leaves unset
 * from the `origin` remote: the URL of a postmortem on GitHub or GitLab and
 * the repository's id.
 */
#include "postmortems/repo.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "postmortems/glob.h"
#include "postmortems/history.h"
#include "postmortems/keys.h"
#include "postmortems/parse.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define REPO_MAX_SIZE (16u << 20)

struct pm_repo {
	git_repository *git;
	char *root;
};

/* A postmortem file found at the revision or in the working tree. */
struct entry {
	char *path;
	git_oid blob;
	bool has_blob;
};

struct entries {
	struct entry *v;
	size_t nr, alloc;
};

static int git_fail(int code, const char *what)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "unknown error";

	if (what)
		return pm_error(code, "%s: %s", what, msg);
	return pm_error(code, "%s", msg);
}

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

int pm_repo_open(struct pm_repo **out, const char *dir)
{
	const char *path = dir ? dir : ".";
	git_repository *git = NULL;
	struct pm_repo *repo;
	const char *root;
	int err = 0, e;

	if (git_libgit2_init() < 0)
		return git_fail(PM_EREPO, "cannot initialise libgit2");
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
		err = git_fail(PM_EREPO, NULL);
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

void pm_repo_free(struct pm_repo *repo)
{
	if (!repo)
		return;
	git_repository_free(repo->git);
	free(repo->root);
	free(repo);
	git_libgit2_shutdown();
}

const char *pm_repo_root(const struct pm_repo *repo)
{
	return repo->root;
}

static bool is_head(const char *rev)
{
	return !rev || !strcmp(rev, "HEAD");
}

static int resolve_commit(git_commit **out, struct pm_repo *repo, const char *rev)
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
		err = git_fail(PM_EREPO, NULL);
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

static int config_from_tree(struct pm_repo *repo, struct pm_config *cfg, const char *rev)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	char *display = NULL;
	int err = 0, e;

	if (is_head(rev) && git_repository_head_unborn(repo->git) == 1)
		return 0; /* nothing committed: pm_repo_load() says so */
	if ((err = resolve_commit(&commit, repo, rev)) < 0)
		goto done;
	if (git_commit_tree(&tree, commit) < 0) {
		err = git_fail(PM_EREPO, "cannot read the tree");
		goto done;
	}
	e = git_tree_entry_bypath(&entry, tree, ".pmsync.conf");
	if (e == GIT_ENOTFOUND)
		goto done;
	if (e < 0) {
		err = git_fail(PM_EREPO, "cannot read '.pmsync.conf'");
		goto done;
	}
	if (git_tree_entry_filemode(entry) != GIT_FILEMODE_BLOB &&
	    git_tree_entry_filemode(entry) != GIT_FILEMODE_BLOB_EXECUTABLE)
		goto done;
	if (git_blob_lookup(&blob, repo->git, git_tree_entry_id(entry)) < 0) {
		err = git_fail(PM_EREPO, "cannot read '.pmsync.conf'");
		goto done;
	}
	display = xasprintf(".pmsync.conf at %s", rev ? rev : "HEAD");
	err = pm_config_read_buffer(cfg, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
	                            display);
done:
	free(display);
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return err;
}

static int config_from_worktree(struct pm_repo *repo, struct pm_config *cfg)
{
	char *path;
	struct stat st;
	int err = 0;

	if (git_repository_is_bare(repo->git))
		return 0;
	path = xasprintf("%s/.pmsync.conf", repo->root);
	if (stat(path, &st) == 0 || errno != ENOENT)
		err = pm_config_read_file(cfg, path, ".pmsync.conf");
	free(path);
	return err;
}

/* A remote URL taken apart: host ("" for a local path) and path without ".git". */
struct remote_url {
	char *host;
	char *path;
};

static void remote_url_parse(struct remote_url *u, const char *url)
{
	const char *scheme = strstr(url, "://"), *rest, *slash, *colon;
	char *host = NULL, *path;
	size_t len;

	u->host = NULL;
	u->path = NULL;
	if (scheme) {
		if ((size_t)(scheme - url) == 4 && !strncmp(url, "file", 4))
			return;
		rest = scheme + 3;
		slash = strchr(rest, '/');
		if (!slash)
			return;
		host = xstrndup(rest, (size_t)(slash - rest));
		rest = slash;
	} else {
		/* scp-like: [user@]host:path, with no '/' before the ':' */
		colon = strchr(url, ':');
		slash = strchr(url, '/');
		if (!colon || (slash && slash < colon) || colon == url)
			return;
		host = xstrndup(url, (size_t)(colon - url));
		rest = colon + 1;
	}
	/* drop user@ and :port */
	{
		char *at = strrchr(host, '@'), *port;
		char *h = xstrdup(at ? at + 1 : host);
		port = strchr(h, ':');
		if (port)
			*port = '\0';
		for (char *p = h; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		free(host);
		host = h;
	}
	while (*rest == '/')
		rest++;
	path = xstrdup(rest);
	len = strlen(path);
	while (len && path[len - 1] == '/')
		path[--len] = '\0';
	if (len > 4 && !strcmp(path + len - 4, ".git"))
		path[len - 4] = '\0';
	if (!*host || !*path) {
		free(host);
		free(path);
		return;
	}
	u->host = host;
	u->path = path;
}

static void remote_url_release(struct remote_url *u)
{
	free(u->host);
	free(u->path);
}

/* The last n '/'-separated components of path, or NULL when it has fewer. */
static char *last_components(const char *path, int n)
{
	const char *p = path + strlen(path);
	int seen = 0;

	while (p > path) {
		p--;
		if (*p == '/' && ++seen == n)
			return xstrdup(p + 1);
	}
	return seen == n - 1 ? xstrdup(path) : NULL;
}

/* The branch refs/remotes/origin/HEAD points at, else "main". */
static char *default_branch(struct pm_repo *repo)
{
	static const char prefix[] = "refs/remotes/origin/";
	git_reference *ref = NULL;
	const char *target;
	char *branch = NULL;

	if (git_reference_lookup(&ref, repo->git, "refs/remotes/origin/HEAD") == 0 &&
	    git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC &&
	    (target = git_reference_symbolic_target(ref)) &&
	    !strncmp(target, prefix, sizeof(prefix) - 1) && target[sizeof(prefix) - 1])
		branch = xstrdup(target + sizeof(prefix) - 1);
	git_reference_free(ref);
	return branch ? branch : xstrdup("main");
}

static void add_escaped(struct strbuf *sb, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~' ||
		    (keep_slash && *p == '/')) {
			strbuf_addch(sb, *p);
		} else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[*p >> 4]);
			strbuf_addch(sb, hex[*p & 15]);
		}
	}
}

static void derive_from_origin(struct pm_repo *repo, struct pm_config *cfg)
{
	git_config *config = NULL;
	const char *url = NULL;
	struct remote_url u = {NULL, NULL};
	char *owner_repo = NULL;
	bool github = false, gitlab = false;

	if (cfg->url_template && cfg->repo_id)
		return;
	/*
	 * The URL as configured: git_remote_lookup() would apply insteadOf
	 * rewrites too, but in libgit2 1.5 it leaks memory on every call.
	 */
	if (git_repository_config_snapshot(&config, repo->git) == 0 &&
	    git_config_get_string(&url, config, "remote.origin.url") == 0 && url)
		remote_url_parse(&u, url);
	if (u.host) {
		github = strstr(u.host, "github") != NULL;
		gitlab = !github && strstr(u.host, "gitlab") != NULL;
		/* GitHub paths are owner/repo; GitLab's may hold subgroups */
		owner_repo = gitlab ? xstrdup(u.path) : last_components(u.path, 2);
		if (github && !strcmp(u.host, "ssh.github.com")) {
			free(u.host);
			u.host = xstrdup("github.com");
		}
	}
	if (!cfg->url_template && owner_repo && (github || gitlab)) {
		struct strbuf sb = STRBUF_INIT;
		char *branch = default_branch(repo);

		strbuf_addf(&sb, "https://%s/%s/%s", u.host, owner_repo,
		            github ? "blob/" : "-/blob/");
		add_escaped(&sb, branch, true);
		strbuf_addstr(&sb, "/{path}");
		cfg->url_template = strbuf_detach(&sb, NULL);
		free(branch);
	}
	if (!cfg->repo_id) {
		if (owner_repo) {
			cfg->repo_id = owner_repo;
			owner_repo = NULL; /* handed over */
		} else {
			const char *base = strrchr(repo->root, '/');
			char *name = xstrdup(base && base[1] ? base + 1 : repo->root);
			size_t len = strlen(name);
			if (git_repository_is_bare(repo->git) && len > 4 &&
			    !strcmp(name + len - 4, ".git"))
				name[len - 4] = '\0';
			cfg->repo_id = name;
		}
	}
	free(owner_repo);
	remote_url_release(&u);
	git_config_free(config);
	git_error_clear();
}

int pm_repo_read_config(struct pm_repo *repo, struct pm_config *cfg, const char *override_path,
                        const struct pm_load_options *opts)
{
	int err;

	if (override_path)
		err = pm_config_read_file(cfg, override_path, override_path);
	else if (opts && opts->worktree)
		err = config_from_worktree(repo, cfg);
	else
		err = config_from_tree(repo, cfg, opts ? opts->rev : NULL);
	if (err < 0)
		return err;
	derive_from_origin(repo, cfg);
	return 0;
}

char *pm_repo_postmortem_url(const char *url_template, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p, *hit;

	if (!url_template || !path)
		return NULL;
	for (p = url_template; (hit = strstr(p, "{path}")); p = hit + 6) {
		strbuf_add(&sb, p, (size_t)(hit - p));
		add_escaped(&sb, path, true);
	}
	strbuf_addstr(&sb, p);
	return strbuf_detach(&sb, NULL);
}

/* --- finding the files ---------------------------------------------------- */

static void entries_add(struct entries *e, const char *path, const git_oid *blob)
{
	ALLOC_GROW(e->v, e->nr + 1, e->alloc);
	e->v[e->nr].path = xstrdup(path);
	e->v[e->nr].has_blob = blob != NULL;
	if (blob)
		git_oid_cpy(&e->v[e->nr].blob, blob);
	e->nr++;
}

static void entries_release(struct entries *e)
{
	for (size_t i = 0; i < e->nr; i++)
		free(e->v[i].path);
	free(e->v);
	e->v = NULL;
	e->nr = e->alloc = 0;
}

static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

struct tree_walk_data {
	struct entries *out;
	const char *dir;
	const struct pm_config *cfg;
	struct strbuf rel, full;
};

static int tree_walk_cb(const char *root, const git_tree_entry *entry, void *payload)
{
	struct tree_walk_data *d = payload;
	git_filemode_t mode = git_tree_entry_filemode(entry);

	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return 0;
	strbuf_reset(&d->rel);
	strbuf_addf(&d->rel, "%s%s", root, git_tree_entry_name(entry));
	if (!pm_glob_selected(&d->cfg->include, &d->cfg->exclude, d->rel.buf))
		return 0;
	strbuf_reset(&d->full);
	if (*d->dir)
		strbuf_addf(&d->full, "%s/", d->dir);
	strbuf_addbuf(&d->full, &d->rel);
	entries_add(d->out, d->full.buf, git_tree_entry_id(entry));
	return 0;
}

static int find_in_tree(struct entries *out, struct pm_repo *repo, git_commit *commit,
                        const char *dir, const struct pm_config *cfg)
{
	struct tree_walk_data d = {out, dir, cfg, STRBUF_INIT, STRBUF_INIT};
	git_tree *tree = NULL, *sub = NULL;
	git_tree_entry *entry = NULL;
	int err = 0, e;

	if (git_commit_tree(&tree, commit) < 0) {
		err = git_fail(PM_EREPO, "cannot read the tree");
		goto done;
	}
	if (*dir) {
		e = git_tree_entry_bypath(&entry, tree, dir);
		if (e == GIT_ENOTFOUND || (e == 0 && git_tree_entry_type(entry) != GIT_OBJECT_TREE))
			goto done; /* no postmortems yet */
		if (e < 0 || git_tree_lookup(&sub, repo->git, git_tree_entry_id(entry)) < 0) {
			err = git_fail(PM_EREPO, "cannot read the postmortem directory");
			goto done;
		}
	}
	if (git_tree_walk(sub ? sub : tree, GIT_TREEWALK_PRE, tree_walk_cb, &d) < 0)
		err = git_fail(PM_EREPO, "cannot read the postmortem directory");
done:
	strbuf_release(&d.rel);
	strbuf_release(&d.full);
	git_tree_entry_free(entry);
	git_tree_free(sub);
	git_tree_free(tree);
	return err;
}

/* Untracked files that git ignores are not postmortems (editor and build leftovers). */
static bool worktree_ignored(struct pm_repo *repo, git_index *index, const char *path)
{
	int ignored = 0;

	if (index && git_index_get_bypath(index, path, 0))
		return false;
	if (git_ignore_path_is_ignored(&ignored, repo->git, path) < 0) {
		git_error_clear();
		return false;
	}
	return ignored == 1;
}

static int scan_dir(struct entries *out, struct pm_repo *repo, git_index *index,
                    const struct pm_config *cfg, const char *dir, struct strbuf *rel)
{
	struct strbuf abs = STRBUF_INIT, full = STRBUF_INIT;
	DIR *dp = NULL;
	struct dirent *de;
	size_t rel_len = rel->len;
	int err = 0;

	strbuf_addf(&abs, "%s/%s%s%s", repo->root, dir, *dir ? "/" : "", rel->buf);
	dp = opendir(abs.buf);
	if (!dp) {
		if (errno != ENOENT || rel->len)
			err = pm_error(PM_EREPO, "cannot read '%s': %s", abs.buf, strerror(errno));
		goto done;
	}
	while ((de = readdir(dp))) {
		struct stat st;
		char *file;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".git"))
			continue;
		strbuf_setlen(rel, rel_len);
		strbuf_addstr(rel, de->d_name);
		file = xasprintf("%s%s", abs.buf, de->d_name); /* abs ends in '/' */
		if (lstat(file, &st) < 0) {
			free(file);
			continue;
		}
		free(file);
		strbuf_reset(&full);
		if (*dir)
			strbuf_addf(&full, "%s/", dir);
		strbuf_addbuf(&full, rel);
		if (S_ISDIR(st.st_mode)) {
			strbuf_addch(rel, '/');
			if ((err = scan_dir(out, repo, index, cfg, dir, rel)) < 0)
				goto done;
		} else if (S_ISREG(st.st_mode) &&
		           pm_glob_selected(&cfg->include, &cfg->exclude, rel->buf) &&
		           !worktree_ignored(repo, index, full.buf)) {
			entries_add(out, full.buf, NULL);
		}
	}
done:
	strbuf_setlen(rel, rel_len);
	if (dp)
		closedir(dp);
	strbuf_release(&abs);
	strbuf_release(&full);
	return err;
}

static int find_in_worktree(struct entries *out, struct pm_repo *repo, const char *dir,
                            const struct pm_config *cfg)
{
	struct strbuf rel = STRBUF_INIT;
	git_index *index = NULL;
	int err;

	if (git_repository_index(&index, repo->git) < 0) {
		git_error_clear();
		index = NULL;
	}
	err = scan_dir(out, repo, index, cfg, dir, &rel);
	strbuf_release(&rel);
	git_index_free(index);
	return err;
}

/* Reads and parses a working-tree file; *id gets the blob id its content would have. */
static int read_worktree_file(struct postmortem *pm, git_oid *id, struct pm_repo *repo,
                              const struct pm_parse_options *popts, struct pm_diags *diags)
{
	struct strbuf buf = STRBUF_INIT;
	char *abs = xasprintf("%s/%s", repo->root, pm->path);
	struct stat st;
	int err = 0;

	if (stat(abs, &st) < 0) {
		err = pm_error(PM_EREPO, "cannot read '%s': %s", pm->path, strerror(errno));
		goto done;
	}
	if ((size_t)st.st_size > REPO_MAX_SIZE) {
		pm->unreadable = true;
		memset(id, 0, sizeof(*id));
		pm_diags_add(diags, PM_DIAG_ERROR, pm->path, 0, 0, "too-large",
		             "file is too large (%zu bytes, the limit is %zu): not read",
		             (size_t)st.st_size, (size_t)REPO_MAX_SIZE);
		goto done;
	}
	if ((err = strbuf_read_file(&buf, abs, REPO_MAX_SIZE + 1)) < 0)
		goto done;
	if (git_odb_hash(id, buf.buf, buf.len, GIT_OBJECT_BLOB) < 0) {
		err = git_fail(PM_EREPO, "cannot hash a file");
		goto done;
	}
	err = pm_parse(pm, buf.buf, buf.len, popts, diags);
done:
	strbuf_release(&buf);
	free(abs);
	return err;
}

int pm_repo_load(struct pm_set *out, struct pm_repo *repo, const struct pm_config *cfg,
                 const struct pm_load_options *opts, struct pm_diags *diags)
{
	static const struct pm_load_options defaults = {NULL, false, false};
	struct pm_parse_options popts = {NULL, REPO_MAX_SIZE};
	struct pm_set set = PM_SET_INIT;
	struct entries found = {NULL, 0, 0};
	struct pm_history *hist = NULL;
	git_commit *commit = NULL;
	char *dir = clean_dir(cfg->pm_path);
	int err = 0;

	if (!opts)
		opts = &defaults;
	if (cfg->headings.nr)
		popts.headings = &cfg->headings;
	if (opts->worktree) {
		if (git_repository_is_bare(repo->git)) {
			err = pm_error(PM_EREPO,
			               "'%s' is a bare repository: it has no working tree",
			               repo->root);
			goto done;
		}
		if (git_repository_head_unborn(repo->git) != 1 &&
		    (err = resolve_commit(&commit, repo, "HEAD")) < 0)
			goto done;
		if ((err = find_in_worktree(&found, repo, dir, cfg)) < 0)
			goto done;
	} else {
		if ((err = resolve_commit(&commit, repo, opts->rev)) < 0)
			goto done;
		git_oid_tostr(set.rev_id, sizeof(set.rev_id), git_commit_id(commit));
		if ((err = find_in_tree(&found, repo, commit, dir, cfg)) < 0)
			goto done;
	}
	set.shallow = git_repository_is_shallow(repo->git) == 1;
	if (commit && !opts->no_history && found.nr) {
		if ((err = pm_history_walk(&hist, repo->git, git_commit_id(commit), dir)) < 0)
			goto done;
		set.history = true;
		set.shallow = set.shallow || pm_history_cut(hist);
	}

	if (found.nr > 1)
		qsort(found.v, found.nr, sizeof(*found.v), cmp_entries);
	ALLOC_GROW(set.v, found.nr, set.alloc);
	for (size_t i = 0; i < found.nr; i++) {
		struct entry *e = &found.v[i];
		struct postmortem *pm = &set.v[set.nr++];
		git_oid id;

		postmortem_init(pm);
		pm->path = xstrdup(e->path);
		pm->url = pm_repo_postmortem_url(cfg->url_template, e->path);
		if (e->has_blob) {
			git_oid_cpy(&id, &e->blob);
			git_oid_tostr(pm->blob_id, sizeof(pm->blob_id), &id);
			err = pm_history_read_blob(pm, repo->git, &id, &popts, diags);
		} else {
			err = read_worktree_file(pm, &id, repo, &popts, diags);
		}
		if (err < 0)
			goto done;
		if (hist) {
			if ((err = pm_history_assign_keys(hist, pm, &id, &popts)) < 0)
				goto done;
		} else {
			free(pm->origin_path);
			pm->origin_path = xstrdup(pm->path);
			pm_keys_assign(pm, NULL);
		}
	}
	*out = set;
	set = (struct pm_set)PM_SET_INIT; /* handed over */
done:
	pm_set_release(&set);
	pm_history_free(hist);
	git_commit_free(commit);
	entries_release(&found);
	free(dir);
	return err;
}

/* --- what a pull request changed ---------------------------------------------- */

static void add_changed(struct pm_strlist *out, const char *dir, const struct pm_config *cfg,
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
	if (!pm_glob_selected(&cfg->include, &cfg->exclude, rel))
		return;
	for (size_t i = 0; i < out->nr; i++)
		if (!strcmp(out->v[i], path))
			return;
	pm_strlist_add(out, path);
}

int pm_repo_changed_since(struct pm_strlist *out, struct pm_repo *repo, const struct pm_config *cfg,
                          const char *base_rev, const struct pm_load_options *opts)
{
	static const struct pm_load_options defaults = {NULL, false, false};
	git_commit *tip = NULL, *base = NULL, *fork = NULL;
	git_tree *fork_tree = NULL, *tip_tree = NULL;
	git_diff_options dopts;
	git_diff *diff = NULL;
	git_oid fork_id;
	char *dir = clean_dir(cfg->pm_path);
	char *pathspec[1];
	int err = 0, e;

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
	/* the fork point; without a common ancestor, the base itself */
	e = git_merge_base(&fork_id, repo->git, git_commit_id(tip), git_commit_id(base));
	if (e == GIT_ENOTFOUND) {
		git_error_clear();
		git_oid_cpy(&fork_id, git_commit_id(base));
	} else if (e < 0) {
		err = git_fail(PM_EREPO, "cannot find the merge base");
		goto done;
	}
	if (git_commit_lookup(&fork, repo->git, &fork_id) < 0 ||
	    git_commit_tree(&fork_tree, fork) < 0) {
		err = git_fail(PM_EREPO, "cannot read the merge base");
		goto done;
	}
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (*dir) {
		pathspec[0] = dir;
		dopts.pathspec.strings = pathspec;
		dopts.pathspec.count = 1;
	}
	if (opts->worktree) {
		dopts.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
		e = git_diff_tree_to_workdir_with_index(&diff, repo->git, fork_tree, &dopts);
	} else {
		e = git_commit_tree(&tip_tree, tip);
		if (e == 0)
			e = git_diff_tree_to_tree(&diff, repo->git, fork_tree, tip_tree, &dopts);
	}
	if (e < 0) {
		err = git_fail(PM_EREPO, "cannot diff against the merge base");
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
