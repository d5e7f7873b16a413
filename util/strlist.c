/*
 * Lists of owned strings (util/strlist.h).
 */
#include "util/compat.h"

#include "util/strlist.h"

#include "util/xalloc.h"

void strlist_add(struct strlist *l, const char *s)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = xstrdup(s);
}

void strlist_clear(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->nr = l->alloc = 0;
}

bool strlist_has_ci(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!strcasecmp(l->v[i], s))
			return true;
	return false;
}

void strlist_set(struct strlist *l, const char *const *v, size_t n)
{
	size_t i;

	strlist_clear(l);
	for (i = 0; i < n; i++)
		strlist_add(l, v[i]);
}

void strlist_copy(struct strlist *dst, const struct strlist *src)
{
	strlist_set(dst, (const char *const *)src->v, src->nr);
}
