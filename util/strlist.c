/*
 * Lists of owned strings (util/strlist.h).
 */
#include "util/compat.h"

#include "util/strlist.h"

#include "util/xalloc.h"

void pm_strlist_add(struct pm_strlist *l, const char *s)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = xstrdup(s);
}

void pm_strlist_clear(struct pm_strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->nr = l->alloc = 0;
}

bool pm_strlist_has_ci(const struct pm_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!strcasecmp(l->v[i], s))
			return true;
	return false;
}

void pm_strlist_set(struct pm_strlist *l, const char *const *v, size_t n)
{
	size_t i;

	pm_strlist_clear(l);
	for (i = 0; i < n; i++)
		pm_strlist_add(l, v[i]);
}

void pm_strlist_copy(struct pm_strlist *dst, const struct pm_strlist *src)
{
	pm_strlist_set(dst, (const char *const *)src->v, src->nr);
}
