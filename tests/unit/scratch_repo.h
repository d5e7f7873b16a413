#ifndef PM_TEST_SCRATCH_REPO_H
#define PM_TEST_SCRATCH_REPO_H

/*
 * Scratch git repositories for the unit tests that need real history: a
 * temporary directory with its own HOME and a fixed author, git driven
 * through its command line. Failures fail the running cmocka test.
 */

/* Creates the scratch directory (name goes into its template); for a group setup. */
int scratch_setup(const char *name);
/* Removes it; for a group teardown. */
int scratch_teardown(void);
const char *scratch_dir(void);

void scratch_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes content to repo/path, making the directories on the way. */
void scratch_write_file(const char *repo, const char *path, const char *content);
/* A new empty repository on branch main; the caller frees the path. */
char *scratch_new_repo(void);
/* Commits everything in repo's work tree. */
void scratch_commit(const char *repo, const char *msg);

#endif
