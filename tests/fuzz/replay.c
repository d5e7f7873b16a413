/*
 * Runs a fuzz target as a plain test: feeds it every file named on the
 * command line (or every file in the directories named), so that each fuzz
 * corpus replays under `make check` and the sanitizers without libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, path, 0) < 0) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)sb.buf, sb.len);
	strbuf_release(&sb);
	return 0;
}

static int replay(const char *path, int *count)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	int error = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: cannot stat '%s'\n", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return replay_file(path);
	}
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		char *child;
		if (de->d_name[0] == '.')
			continue;
		child = xasprintf("%s/%s", path, de->d_name);
		if (replay(child, count) < 0)
			error = -1;
		free(child);
	}
	closedir(dir);
	return error;
}

int main(int argc, char **argv)
{
	int i, count = 0, error = 0;

	for (i = 1; i < argc; i++)
		if (replay(argv[i], &count) < 0)
			error = 1;
	printf("replayed %d inputs\n", count);
	return error;
}
