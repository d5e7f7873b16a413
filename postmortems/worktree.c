/*
 * The working tree side of the repository (--worktree): the postmortem
 * files found by walking the directory on disk (the include and exclude
 * globs applied, untracked files that git ignores left out: editor and build
 * leftovers are not postmortems), and each file read from disk with the blob
 * id its content would have, so that its keys can follow the history of
 * the version committed.
 */
#include "util/compat.h"

#include "postmortems/worktree.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "postmortems/glob.h"
#include "util/error.h"
#include "util/safepath.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define DEFAULT_MAX_SIZE ((size_t)16 << 20)

/* Untracked files that git ignores are not postmortems (editor and build leftovers). */
static bool is_ignored(git_repository *git, git_index *index, const char *path)
{
	int ignored = 0;

	if (index && git_index_get_bypath(index, path, 0))
		return false;
	if (git_ignore_path_is_ignored(&ignored, git, path) < 0) {
		git_error_clear();
		return false;
	}
	return ignored == 1;
}

/* True when the folder name in dir (ending in '/') holds a .git: a submodule or nested clone. */
static bool is_nested_repo(const char *dir, const char *name)
{
	struct stat st;
	char *git = xasprintf("%s%s/.git", dir, name);
	bool nested = lstat(git, &st) == 0;

	free(git);
	return nested;
}

static int scan_dir(struct files *out, git_repository *git, const char *root, git_index *index,
                    const struct config *cfg, const char *dir, struct strbuf *rel,
                    struct diags *diags)
{
	struct strbuf abs = STRBUF_INIT, full = STRBUF_INIT;
	DIR *dp = NULL;
	struct dirent *de;
	size_t rel_len = rel->len;
	int err = 0;

	strbuf_addf(&abs, "%s/%s%s%s", root, dir, *dir ? "/" : "", rel->buf);
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
		if (S_ISDIR(st.st_mode) && is_nested_repo(abs.buf, de->d_name))
			continue; /* a submodule: at a revision, a commit id, not files */
		if (S_ISDIR(st.st_mode)) {
			strbuf_addch(rel, '/');
			if ((err = scan_dir(out, git, root, index, cfg, dir, rel, diags)) < 0)
				goto done;
		} else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
		           glob_selected(&cfg->include, &cfg->exclude, rel->buf) &&
		           !is_ignored(git, index, full.buf)) {
			if (S_ISLNK(st.st_mode))
				files_link_skipped(diags, full.buf);
			else
				files_add(out, full.buf, NULL);
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

int worktree_find(struct files *out, git_repository *git, const char *root, const char *dir,
                  const struct config *cfg, struct diags *diags)
{
	struct strbuf rel = STRBUF_INIT;
	git_index *index = NULL;
	int err;

	if (git_repository_index(&index, git) < 0) {
		git_error_clear();
		index = NULL;
	}
	/*
	 * A folder reached through a symbolic link is no folder at a revision
	 * (git stores the link): refused here too, so that --worktree never
	 * reads files from outside the repository.
	 */
	if (safepath_check_inside(root, *dir ? dir : ".", "postmortems.path") < 0) {
		pm_error_clear();
		err = files_not_a_folder(dir, "reached through a symbolic link");
	} else {
		err = scan_dir(out, git, root, index, cfg, dir, &rel, diags);
	}
	strbuf_release(&rel);
	git_index_free(index);
	return err;
}

/* Reads and parses a working-tree file; *id gets the blob id its content would have. */
int worktree_read(struct postmortem *pm, git_oid *id, const char *root,
                  const struct parse_options *popts, struct diags *diags)
{
	struct strbuf buf = STRBUF_INIT;
	char *abs = xasprintf("%s/%s", root, pm->path);
	size_t max = popts && popts->max_size ? popts->max_size : DEFAULT_MAX_SIZE;
	struct stat st;
	int err = 0;

	if (stat(abs, &st) < 0) {
		err = pm_error(PM_EREPO, "cannot read '%s': %s", pm->path, strerror(errno));
		goto done;
	}
	if ((size_t)st.st_size > max) {
		pm->unreadable = true;
		memset(id, 0, sizeof(*id));
		diags_add(diags, DIAG_ERROR, pm->path, 0, 0, "too-large",
		          "file is too large (%zu bytes, the limit is %zu): not read",
		          (size_t)st.st_size, max);
		goto done;
	}
	if ((err = strbuf_read_file(&buf, abs, max + 1)) < 0)
		goto done;
	if (git_odb_hash(id, buf.buf, buf.len, GIT_OBJECT_BLOB) < 0) {
		err = pm_error_git(PM_EREPO, "cannot hash a file");
		goto done;
	}
	err = parse_postmortem(pm, buf.buf, buf.len, popts, diags);
done:
	strbuf_release(&buf);
	free(abs);
	return err;
}
