#ifndef PM_TEST_CORPUS_H
#define PM_TEST_CORPUS_H

/*
 * The shared corpus of real postmortems ($PMSYNC_SHARED/corpus/files,
 * default ../shared beside the repository), for the tests that replay it.
 */

/* The corpus directory (the caller frees it), or NULL when it is not there. */
char *corpus_dir(void);

/*
 * Calls fn for each file of the corpus, in directory order; without the
 * corpus prints "skip: shared corpus not found" and skips the running test.
 */
void corpus_each(void (*fn)(const char *dir, const char *name, void *data), void *data);

#endif
