/*
 * The repository's own configuration, `.pmsync.conf` at its top: read
 * from the tree of the revision being read (so that a branch's settings
 * apply to its postmortems), or from the working tree with --worktree.
 * A missing file is not an error: the defaults stand.
 */
#include "util/compat.h"

#include "postmortems/repoconf.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "util/error.h"
#include "util/xalloc.h"

/*
 * A committed .pmsync.conf that is a link would be read from wherever it
 * points: refused, at rev or (NULL) in the working tree.
 */
static int link_refused(const char *rev)
{
	return pm_error(PM_ECONFIG,
	                "'.pmsync.conf' %s%s is a symbolic link: pmsync reads no links; commit "
	                "the file itself, or name it with --config",
	                rev ? "at " : "in the working tree", rev ? rev : "");
}

int repoconf_from_tree(struct config *cfg, git_repository *git, git_commit *commit, const char *rev)
{
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	char *display = NULL;
	int err = 0, e;

	if (git_commit_tree(&tree, commit) < 0) {
		err = pm_error_git(PM_EREPO, "cannot read the tree");
		goto done;
	}
	e = git_tree_entry_bypath(&entry, tree, ".pmsync.conf");
	if (e == GIT_ENOTFOUND)
		goto done;
	if (e < 0) {
		err = pm_error_git(PM_EREPO, "cannot read '.pmsync.conf'");
		goto done;
	}
	if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) {
		err = link_refused(rev ? rev : "HEAD");
		goto done;
	}
	if (git_tree_entry_filemode(entry) != GIT_FILEMODE_BLOB &&
	    git_tree_entry_filemode(entry) != GIT_FILEMODE_BLOB_EXECUTABLE)
		goto done;
	if (git_blob_lookup(&blob, git, git_tree_entry_id(entry)) < 0) {
		err = pm_error_git(PM_EREPO, "cannot read '.pmsync.conf'");
		goto done;
	}
	display = xasprintf(".pmsync.conf at %s", rev ? rev : "HEAD");
	err = config_read_buffer(cfg, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
	                         display);
done:
	free(display);
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	return err;
}

int repoconf_from_worktree(struct config *cfg, git_repository *git, const char *root)
{
	char *path;
	struct stat st;
	bool found;
	int err = 0;

	if (git_repository_is_bare(git))
		return 0;
	path = xasprintf("%s/.pmsync.conf", root);
	/* a symbolic link is refused, as at a revision, where it is no file */
	found = lstat(path, &st) == 0;
	if (found && S_ISLNK(st.st_mode))
		err = link_refused(NULL);
	else if (found || errno != ENOENT)
		err = config_read_file(cfg, path, ".pmsync.conf");
	free(path);
	return err;
}
