/*
 * Confining the paths a repository names (see safepath.h). The check walks
 * the path component by component with lstat(), so a symlink anywhere on
 * the way (a committed `.pmsync -> /home/ci`) is refused, not followed; the
 * files themselves are then opened with O_NOFOLLOW by their writers, which
 * closes the window between this check and the open for the last component.
 */
/* realpath() is in X/Open, beyond the POSIX base the build asks for */
#define _XOPEN_SOURCE 700

#include "util/compat.h"

#include "util/safepath.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

bool safepath_within(const char *path, const char *dir)
{
	char *p = path ? realpath(path, NULL) : NULL;
	char *d = dir ? realpath(dir, NULL) : NULL;
	size_t n;
	bool in = false;

	if (p && d) {
		n = strlen(d);
		while (n > 1 && d[n - 1] == '/')
			n--;
		in = !strncmp(p, d, n) && (p[n] == '/' || p[n] == '\0' || (n == 1 && d[0] == '/'));
	}
	free(p);
	free(d);
	return in;
}

int safepath_check_inside(const char *root, const char *rel, const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = rel, *end;
	struct stat st;
	int error = 0;

	if (!rel || !*rel || rel[0] == '/') {
		error = pm_error(PM_ECONFIG,
		                 "%s: '%s' is not a path inside the repository: name a relative "
		                 "path, or set it outside the repository (a --config file)",
		                 what, rel ? rel : "");
		goto done;
	}
	strbuf_addstr(&sb, root ? root : ".");
	while (*p) {
		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		if (end - p == 2 && !strncmp(p, "..", 2)) {
			error = pm_error(PM_ECONFIG,
			                 "%s: '%s' leads out of the repository ('..'): name a path "
			                 "inside it, or set it outside the repository (a --config "
			                 "file)",
			                 what, rel);
			goto done;
		}
		if (end > p && !(end - p == 1 && *p == '.')) {
			strbuf_addch(&sb, '/');
			strbuf_add(&sb, p, (size_t)(end - p));
			if (lstat(sb.buf, &st) == 0 && S_ISLNK(st.st_mode)) {
				error = pm_error(
				        PM_ECONFIG,
				        "%s: '%s' goes through a symbolic link: name a path "
				        "inside the repository without one, or set it outside "
				        "the repository (a --config file)",
				        what, rel);
				goto done;
			}
		}
		p = *end ? end + 1 : end;
	}
done:
	strbuf_release(&sb);
	return error;
}
