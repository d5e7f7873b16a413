#ifndef PM_TEST_CORPUS_DIR_H
#define PM_TEST_CORPUS_DIR_H

#include <stddef.h>

#include "postmortems/postmortem.h"

/*
 * The shared corpus of real postmortems ($PMSYNC_SHARED/corpus/files,
 * default ../shared from the repository root), or NULL when it is not
 * there; the caller frees the path.
 */
char *corpus_dir(void);

/*
 * Reads and parses every file of the corpus in dir and calls fn with each
 * (pm->path is the file's name). Returns the number of files, or -1 when a
 * file cannot be read or parsed, its name in *bad (to free).
 */
long corpus_each(const char *dir, void (*fn)(struct postmortem *pm, void *data), void *data,
                 char **bad);

#endif
