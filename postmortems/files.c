/*
 * The list of postmortem files to read: every blob under the postmortem
 * directory of a commit's tree that the include and exclude globs select,
 * with its blob id (read straight from the object database, no checkout),
 * or the files worktree.c finds on disk. Sorted by path, so that output and
 * diagnostics come in the same order whatever the tree walk's order.
 */
#include "util/compat.h"

#include "postmortems/files.h"

#include <stdlib.h>
#include <string.h>

#include "postmortems/glob.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

void files_add(struct files *e, const char *path, const git_oid *blob)
{
	ALLOC_GROW(e->v, e->nr + 1, e->alloc);
	e->v[e->nr].path = xstrdup(path);
	e->v[e->nr].has_blob = blob != NULL;
	if (blob)
		git_oid_cpy(&e->v[e->nr].blob, blob);
	e->nr++;
}

void files_release(struct files *e)
{
	for (size_t i = 0; i < e->nr; i++)
		free(e->v[i].path);
	free(e->v);
	e->v = NULL;
	e->nr = e->alloc = 0;
}

static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const struct files_entry *)a)->path, ((const struct files_entry *)b)->path);
}

struct tree_walk_data {
	struct files *out;
	const char *dir;
	const struct config *cfg;
	struct diags *diags;
	struct strbuf rel, full;
};

void files_link_skipped(struct diags *diags, const char *path)
{
	if (diags)
		diags_add(diags, DIAG_WARNING, path, 0, 0, "symbolic-link",
		          "a symbolic link: pmsync reads no links; commit the file itself here");
}

int files_not_a_folder(const char *dir, const char *what)
{
	return pm_error(PM_ECONFIG,
	                "postmortems.path: '%s' is %s: pmsync reads no links or submodules; "
	                "set postmortems.path to the folder itself",
	                dir, what);
}

static int tree_walk_cb(const char *root, const git_tree_entry *entry, void *payload)
{
	struct tree_walk_data *d = payload;
	git_filemode_t mode = git_tree_entry_filemode(entry);

	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE &&
	    mode != GIT_FILEMODE_LINK)
		return 0;
	strbuf_reset(&d->rel);
	strbuf_addf(&d->rel, "%s%s", root, git_tree_entry_name(entry));
	if (!glob_selected(&d->cfg->include, &d->cfg->exclude, d->rel.buf))
		return 0;
	strbuf_reset(&d->full);
	if (*d->dir)
		strbuf_addf(&d->full, "%s/", d->dir);
	strbuf_addbuf(&d->full, &d->rel);
	if (mode == GIT_FILEMODE_LINK) {
		files_link_skipped(d->diags, d->full.buf);
		return 0;
	}
	files_add(d->out, d->full.buf, git_tree_entry_id(entry));
	return 0;
}

/*
 * When dir is not in tree: an error if a folder on its way is a symbolic
 * link or a submodule (what is beyond it is not read), else 0.
 */
static int check_way(git_tree *tree, const char *dir)
{
	struct strbuf way = STRBUF_INIT;
	const char *p = dir, *end;
	int err = 0;

	while (*p && !err) {
		git_tree_entry *entry = NULL;
		git_filemode_t mode;

		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		strbuf_add(&way, p, (size_t)(end - p));
		if (git_tree_entry_bypath(&entry, tree, way.buf) < 0) {
			git_error_clear();
			break;
		}
		mode = git_tree_entry_filemode(entry);
		if (mode == GIT_FILEMODE_LINK)
			err = files_not_a_folder(dir, "reached through a symbolic link");
		else if (mode == GIT_FILEMODE_COMMIT)
			err = files_not_a_folder(dir, "inside a submodule");
		git_tree_entry_free(entry);
		if (!*end)
			break;
		strbuf_addch(&way, '/');
		p = end + 1;
	}
	strbuf_release(&way);
	return err;
}

int files_in_tree(struct files *out, git_repository *git, git_commit *commit, const char *dir,
                  const struct config *cfg, struct diags *diags)
{
	struct tree_walk_data d = {out, dir, cfg, diags, STRBUF_INIT, STRBUF_INIT};
	git_tree *tree = NULL, *sub = NULL;
	git_tree_entry *entry = NULL;
	int err = 0, e;

	if (git_commit_tree(&tree, commit) < 0) {
		err = pm_error_git(PM_EREPO, "cannot read the tree");
		goto done;
	}
	if (*dir) {
		e = git_tree_entry_bypath(&entry, tree, dir);
		if (e == GIT_ENOTFOUND) {
			git_error_clear();
			err = check_way(tree, dir); /* else no postmortems yet */
			goto done;
		}
		if (e == 0 && git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
			git_filemode_t m = git_tree_entry_filemode(entry);
			err = files_not_a_folder(dir, m == GIT_FILEMODE_LINK ? "a symbolic link"
			                              : m == GIT_FILEMODE_COMMIT
			                                      ? "a submodule"
			                                      : "a file, not a folder");
			goto done;
		}
		if (e < 0 || git_tree_lookup(&sub, git, git_tree_entry_id(entry)) < 0) {
			err = pm_error_git(PM_EREPO, "cannot read the postmortem directory");
			goto done;
		}
	}
	if (git_tree_walk(sub ? sub : tree, GIT_TREEWALK_PRE, tree_walk_cb, &d) < 0)
		err = pm_error_git(PM_EREPO, "cannot read the postmortem directory");
done:
	strbuf_release(&d.rel);
	strbuf_release(&d.full);
	git_tree_entry_free(entry);
	git_tree_free(sub);
	git_tree_free(tree);
	return err;
}

void files_sort(struct files *f)
{
	qsort(f->v, f->nr, sizeof(*f->v), cmp_entries);
}
