#ifndef PM_KEYSET_H
#define PM_KEYSET_H

#include <stddef.h>
#include <stdint.h>

/*
 * A hash table from strings to a size_t, for keys.c and keymatch.c: which
 * keys are taken, how often a text occurred, which earlier item holds a key.
 * The strings are borrowed: they must outlive the table.
 */
struct keyset_slot {
	uint64_t hash;
	const char *str; /* NULL: an empty slot */
	size_t val;
};

struct keyset {
	struct keyset_slot *v;
	size_t mask, nr;
};

#define KEYSET_INIT        \
	{                  \
		NULL, 0, 0 \
	}

void keyset_release(struct keyset *s);

/* The value held for str, NULL when str is not in the table. */
size_t *keyset_get(const struct keyset *s, const char *str);

/* The value held for str; when str was not there it is added with the value 0. */
size_t *keyset_put(struct keyset *s, const char *str);

#endif
