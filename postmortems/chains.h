#ifndef PM_CHAINS_H
#define PM_CHAINS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

/*
 * The versions of every file of the postmortem directory along
 * first-parent history, for history.c: a map from a file's current path to
 * its chain of versions, moved forward one directory-tree diff at a time.
 */

struct chain_version {
	git_oid blob;
	char *path;
	int64_t time; /* commit time of the commit that made this version; 0 when unknown */
};

/* One file's versions, oldest first; in the map under its current path. */
struct chain {
	char *origin; /* the path where the file was added */
	char *path;   /* its current path (points at the last version's path) */
	struct chain_version *v;
	size_t nr, alloc;
	struct chain *next; /* bucket list */
};

/* The map: walk buckets[0..nbuckets) and each bucket's next list to visit every chain. */
struct chains {
	struct chain **buckets;
	size_t nbuckets, nr;
};

void chains_init(struct chains *m);
void chains_release(struct chains *m);

/* The chain of the file now at path, or NULL. */
struct chain *chains_find(struct chains *m, const char *path);

/*
 * Applies the diff between two trees of the postmortem directory pm_path
 * ("" for the whole tree; either tree may be NULL for an absent directory)
 * to the chains; new versions carry when, the commit time of new_tree's
 * commit (0 when unknown: the first tree of a shallow history). PM_EREPO with git's reason on failure.
 */
int chains_apply_diff(struct chains *m, git_repository *repo, const char *pm_path,
                      git_tree *old_tree, git_tree *new_tree, int64_t when);

#endif
