/*
 * Selecting postmortem files by name: include and exclude globs matched with
 * POSIX fnmatch(3). The only subtlety is what a pattern without a slash
 * applies to; glob.h spells it out.
 */
#include "util/compat.h"

#include "postmortems/glob.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

bool glob_match(const char *pattern, const char *relpath, bool any_component)
{
	const char *p;

	if (strchr(pattern, '/'))
		return fnmatch(pattern, relpath, 0) == 0;
	if (!any_component) {
		const char *base = strrchr(relpath, '/');
		return fnmatch(pattern, base ? base + 1 : relpath, 0) == 0;
	}
	p = relpath;
	for (;;) {
		size_t len = strcspn(p, "/");
		char *component = xstrndup(p, len);
		bool hit = fnmatch(pattern, component, 0) == 0;

		free(component);
		if (hit)
			return true;
		if (!p[len])
			return false;
		p += len + 1;
	}
}

bool glob_selected(const struct strlist *include, const struct strlist *exclude,
                   const char *relpath)
{
	bool in = false;

	for (size_t i = 0; include && i < include->nr && !in; i++)
		in = glob_match(include->v[i], relpath, false);
	if (!in)
		return false;
	for (size_t i = 0; exclude && i < exclude->nr; i++)
		if (glob_match(exclude->v[i], relpath, true))
			return false;
	return true;
}
