#ifndef PM_HASH_H
#define PM_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * 64-bit FNV-1a, the one hash of the program. Item keys are built from it
 * (postmortems/keys.c), so a change here changes every text key and every
 * ticket pmsync would look for: never change it.
 */
#define FNV1A64_OFFSET UINT64_C(0xcbf29ce484222325)

static inline uint64_t fnv1a64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

#endif
