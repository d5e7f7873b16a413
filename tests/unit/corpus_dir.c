/* Where the tests find the shared corpus of real postmortems, and a walk over it. */
#include "tests/unit/corpus_dir.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "postmortems/parse.h"
#include "util/strbuf.h"
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

long corpus_each(const char *dir, void (*fn)(struct postmortem *pm, void *data), void *data,
                 char **bad)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	long files = 0;

	if (!d) {
		*bad = xstrdup(dir);
		return -1;
	}
	while (files >= 0 && (de = readdir(d))) {
		struct postmortem pm;
		struct diags diags = DIAGS_INIT;
		struct strbuf sb = STRBUF_INIT;
		char *path;
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		postmortem_init(&pm);
		pm.path = xstrdup(de->d_name);
		if (strbuf_read_file(&sb, path, 0) < 0 ||
		    parse_postmortem(&pm, sb.buf, sb.len, NULL, &diags) < 0) {
			*bad = xstrdup(de->d_name);
			files = -1;
		} else {
			fn(&pm, data);
			files++;
		}
		postmortem_release(&pm);
		diags_release(&diags);
		strbuf_release(&sb);
		free(path);
	}
	closedir(d);
	return files;
}
