#ifndef PM_XALLOC_H
#define PM_XALLOC_H

#include <stddef.h>

/*
 * Allocation that cannot fail: pmsync is a program, not a library, so running
 * out of memory ends it with a message instead of threading ENOMEM through
 * every error path.
 */

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Duplicates s, or returns NULL when s is NULL. */
char *xstrdup_or_null(const char *s);

/*
 * Grows an array so that it holds at least nr elements, in the manner of
 * git's ALLOC_GROW: x is the array, nr the needed count, alloc its capacity.
 */
#define ALLOC_GROW(x, nr, alloc)                                                \
	do {                                                                    \
		if ((nr) > (alloc)) {                                           \
			size_t pm_grow_ = (alloc) < 8 ? 8 : (alloc)*2;          \
			if (pm_grow_ < (nr))                                    \
				pm_grow_ = (nr);                                \
			(x) = xrealloc((x), xmul_size(pm_grow_, sizeof(*(x)))); \
			(alloc) = pm_grow_;                                     \
		}                                                               \
	} while (0)

/* Multiplies two sizes, dying on overflow. */
size_t xmul_size(size_t a, size_t b);

#endif
