/*
 * A string-keyed hash table (open addressing, linear probing, power-of-two
 * size kept at most half full). Key assignment used to find taken keys and
 * repeated texts by scanning every earlier item, which made a file of many
 * rows quadratic; one lookup here replaces each scan.
 */
#include "util/compat.h"

#include "postmortems/keyset.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/xalloc.h"

void keyset_release(struct keyset *s)
{
	free(s->v);
	s->v = NULL;
	s->mask = s->nr = 0;
}

static struct keyset_slot *find(const struct keyset *s, const char *str, uint64_t h)
{
	size_t i = (size_t)h & s->mask;

	while (s->v[i].str && (s->v[i].hash != h || strcmp(s->v[i].str, str)))
		i = (i + 1) & s->mask;
	return &s->v[i];
}

static void grow(struct keyset *s)
{
	struct keyset_slot *old = s->v;
	size_t old_size = s->v ? s->mask + 1 : 0, size = old_size ? old_size * 2 : 16;

	s->v = xcalloc(size, sizeof(*s->v));
	s->mask = size - 1;
	for (size_t i = 0; i < old_size; i++)
		if (old[i].str)
			*find(s, old[i].str, old[i].hash) = old[i];
	free(old);
}

size_t *keyset_get(const struct keyset *s, const char *str)
{
	struct keyset_slot *slot;

	if (!s->v)
		return NULL;
	slot = find(s, str, fnv1a64(FNV1A64_OFFSET, str, strlen(str)));
	return slot->str ? &slot->val : NULL;
}

size_t *keyset_put(struct keyset *s, const char *str)
{
	uint64_t h = fnv1a64(FNV1A64_OFFSET, str, strlen(str));
	struct keyset_slot *slot;

	if (!s->v || 2 * (s->nr + 1) > s->mask + 1)
		grow(s);
	slot = find(s, str, h);
	if (!slot->str) {
		slot->hash = h;
		slot->str = str;
		slot->val = 0;
		s->nr++;
	}
	return &slot->val;
}
