#ifndef PM_STRLIST_H
#define PM_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A list of owned strings: label names, globs, headings, phrases. It lives
 * here, below every module, so that holding a list of labels does not mean
 * including the configuration.
 */
struct strlist {
	char **v;
	size_t nr, alloc;
};

#define STRLIST_INIT       \
	{                  \
		NULL, 0, 0 \
	}

/* Appends a copy of s. */
void strlist_add(struct strlist *l, const char *s);
/* Frees every string and leaves l empty. */
void strlist_clear(struct strlist *l);
/* True when l holds s, ASCII letters compared without case. */
bool strlist_has_ci(const struct strlist *l, const char *s);
/* Replaces l's strings with copies of v[0..n). */
void strlist_set(struct strlist *l, const char *const *v, size_t n);
/* Replaces dst's strings with copies of src's. */
void strlist_copy(struct strlist *dst, const struct strlist *src);

#endif
