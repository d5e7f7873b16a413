#ifndef PM_STRLIST_H
#define PM_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A list of owned strings: label names, globs, headings, phrases. It lives
 * here, below every module, so that holding a list of labels does not mean
 * including the configuration.
 */
struct pm_strlist {
	char **v;
	size_t nr, alloc;
};

#define PM_STRLIST_INIT    \
	{                  \
		NULL, 0, 0 \
	}

/* Appends a copy of s. */
void pm_strlist_add(struct pm_strlist *l, const char *s);
/* Frees every string and leaves l empty. */
void pm_strlist_clear(struct pm_strlist *l);
/* True when l holds s, ASCII letters compared without case. */
bool pm_strlist_has_ci(const struct pm_strlist *l, const char *s);
/* Replaces l's strings with copies of v[0..n). */
void pm_strlist_set(struct pm_strlist *l, const char *const *v, size_t n);
/* Replaces dst's strings with copies of src's. */
void pm_strlist_copy(struct pm_strlist *dst, const struct pm_strlist *src);

#endif
