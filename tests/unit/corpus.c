/*
 * Where the shared corpus of real postmortems is, for the tests that
 * replay it; they print "skip: ..." when it is not there.
 */
#include "util/compat.h"

#include <dirent.h>
#include <setjmp.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tests/unit/corpus.h"
#include "util/xalloc.h"

char *corpus_dir(void)
{
	const char *shared = getenv("PMSYNC_SHARED");
	char *dir = xasprintf("%s/corpus/files", shared && *shared ? shared : "../shared");
	struct stat st;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(dir);
		return NULL;
	}
	return dir;
}

void corpus_each(void (*fn)(const char *dir, const char *name, void *data), void *data)
{
	char *dir = corpus_dir();
	struct dirent *de;
	DIR *d;

	if (!dir) {
		printf("skip: shared corpus not found\n");
		skip();
	}
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			fn(dir, de->d_name, data);
	closedir(d);
	free(dir);
}
