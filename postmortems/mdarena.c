/*
 * The arena cmark-gfm parses in. cmark makes some 400 small allocations for
 * a one-page postmortem (a node, its content buffer, every literal), nearly
 * all alive until the document is freed, and then frees them one by one:
 * with the system allocator that is over a third of the parse. Here they are
 * carved from one block in order and dropped together when the reader is
 * done with the document; the block is kept for the next file, so a run
 * over thousands of files allocates a handful of times. Growing the most
 * recent allocation (cmark's buffers grow one at a time) happens in place,
 * and so does freeing it; other frees are ignored, which costs about a
 * quarter more memory than the system allocator at the document's peak. Sanitizer builds use the
 * system allocator, so that overflows inside cmark stay visible.
 */
#include "util/compat.h"

#include "postmortems/mdarena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define MDARENA_SYSTEM 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define MDARENA_SYSTEM 1
#endif
#endif

#ifndef MDARENA_SYSTEM
#define BLOCK_MIN ((size_t)256 * 1024) /* a typical postmortem needs 30 to 80 KiB */
#define KEEP_MAX ((size_t)8 << 20)     /* a larger block is not kept between files */
#define ALIGN 16
#define NO_LAST SIZE_MAX

struct block {
	struct block *prev;
	size_t size; /* bytes of data after the struct */
	size_t used;
	size_t last; /* offset of the newest allocation, or NO_LAST */
};

_Static_assert(sizeof(struct block) % ALIGN == 0, "block data must stay aligned");

static struct block *cur; /* the block allocations come from; older ones behind prev */

static unsigned char *block_data(struct block *b)
{
	return (unsigned char *)(b + 1);
}

static size_t round_up(size_t n)
{
	if (n > SIZE_MAX / 2)
		n = xmul_size(n, 2); /* dies: no document needs that much */
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static void block_push(size_t need)
{
	size_t size = cur && cur->size * 2 > BLOCK_MIN ? cur->size * 2 : BLOCK_MIN;
	struct block *b;

	if (size < need)
		size = need;
	b = xmalloc(sizeof(*b) + size);
	b->prev = cur;
	b->size = size;
	b->used = 0;
	b->last = NO_LAST;
	cur = b;
}

static void *arena_alloc_slow(size_t n)
{
	size_t need = round_up(n);

	if (!cur || cur->size - cur->used < need)
		block_push(need);
	cur->last = cur->used;
	cur->used += need;
	return block_data(cur) + cur->last;
}

static inline void *arena_alloc(size_t n)
{
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);

	/* need < n: the rounding wrapped, the slow path dies on it */
	if (!cur || need < n || cur->size - cur->used < need)
		return arena_alloc_slow(n);
	cur->last = cur->used;
	cur->used += need;
	return block_data(cur) + cur->last;
}

static void *arena_calloc(size_t nmemb, size_t size)
{
	size_t n;
	void *p;

	/* both below 2^32 (always, from cmark): the product cannot overflow */
	if ((nmemb | size) >> 32)
		n = xmul_size(nmemb, size);
	else
		n = nmemb * size;
	p = arena_alloc(n);
	memset(p, 0, n);
	return p;
}

/*
 * No sizes are stored: the newest allocation grows in place; any other is
 * copied with the bytes after it up to the end of its block's used part,
 * which covers its old size (the bytes beyond are never read).
 */
static void *arena_realloc(void *ptr, size_t n)
{
	unsigned char *p = ptr, *q;
	struct block *b;
	size_t have;

	if (!p)
		return arena_alloc(n);
	if (cur->last != NO_LAST && p == block_data(cur) + cur->last) {
		if (cur->size - cur->last >= round_up(n)) {
			cur->used = cur->last + round_up(n);
			return p;
		}
		have = cur->used - cur->last;
	} else {
		for (b = cur; b && !(p >= block_data(b) && p < block_data(b) + b->used);
		     b = b->prev)
			;
		if (!b)
			abort(); /* not from the arena: a bug */
		have = (size_t)(block_data(b) + b->used - p);
	}
	q = arena_alloc(n);
	memcpy(q, p, have < n ? have : n);
	return q;
}

static void arena_free(void *ptr)
{
	if (ptr && cur->last != NO_LAST && (unsigned char *)ptr == block_data(cur) + cur->last) {
		cur->used = cur->last;
		cur->last = NO_LAST;
	}
}
#endif

cmark_mem *mdarena_mem(void)
{
#ifdef MDARENA_SYSTEM
	return cmark_get_default_mem_allocator();
#else
	static cmark_mem mem = {arena_calloc, arena_realloc, arena_free};

	return &mem;
#endif
}

void mdarena_free_doc(cmark_node *doc)
{
#ifdef MDARENA_SYSTEM
	if (doc)
		cmark_node_free(doc);
#else
	struct block *b;

	(void)doc; /* it lives in the arena */
	if (!cur)
		return;
	while ((b = cur->prev)) {
		cur->prev = b->prev;
		free(b);
	}
	if (cur->size > KEEP_MAX) {
		free(cur);
		cur = NULL;
		return;
	}
	cur->used = 0;
	cur->last = NO_LAST;
#endif
}
