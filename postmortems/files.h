#ifndef PM_FILES_H
#define PM_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

#include "config/config.h"
#include "postmortems/diag.h"

/* The postmortem files of a revision or of the working tree, to read. */

/* A postmortem file found at the revision or in the working tree. */
struct files_entry {
	char *path;
	git_oid blob;
	bool has_blob; /* false for a working-tree file */
};

struct files {
	struct files_entry *v;
	size_t nr, alloc;
};

#define FILES_INIT         \
	{                  \
		NULL, 0, 0 \
	}

/* Appends path (copied) with its blob id, or NULL for a working-tree file. */
void files_add(struct files *f, const char *path, const git_oid *blob);
void files_release(struct files *f);
void files_sort(struct files *f);

/*
 * Appends the blobs under dir ("" for the whole tree) in commit's tree that
 * cfg's include and exclude globs select. A missing dir is not an error;
 * a dir that is a symbolic link, a file or a submodule is (PM_ECONFIG). A
 * selected file that is a symbolic link is not read: a warning in diags.
 */
int files_in_tree(struct files *out, git_repository *git, git_commit *commit, const char *dir,
                  const struct config *cfg, struct diags *diags);
/* The warning for a selected file that is a symbolic link (both ways of reading). */
void files_link_skipped(struct diags *diags, const char *path);
/* The error for a postmortems.path that names no folder (what: "a submodule"). */
int files_not_a_folder(const char *dir, const char *what);

#endif
