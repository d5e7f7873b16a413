/*
 * Pairing the action items of two versions of a postmortem, for keys.c:
 * which item of the new version is which of the old one. Items with the
 * same normalised text pair first (the same owner, then the closest in
 * relative position, when a text occurs several times); then the most
 * similar pairs, similarity being the larger of the token-set and the
 * character-bigram Dice coefficients, pairs below 0.5 ignored; then rows
 * edited in place, when as many rows are left unpaired on both sides
 * between two paired ones. Token and bigram sets are only computed for the
 * items that reach the similarity pass.
 */
#include "util/compat.h"

#include "postmortems/keymatch.h"

#include <stdlib.h>
#include <string.h>

#include "postmortems/keys.h"
#include "util/hash.h"
#include "util/xalloc.h"

#define KEYS_MIN_SIMILARITY 0.5

struct kpair {
	double sim;
	long dist; /* relative position distance, cross-multiplied */
	size_t i, j;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Tokens and bigrams, computed only for items that reach the similarity pass. */
static void features(struct keymatch_item *k)
{
	size_t len = strlen(k->norm), nr = 0;
	const char *p = k->norm;

	if (k->tokens || k->bigrams)
		return;
	k->tokens = xmalloc(xmul_size(len / 2 + 1, sizeof(*k->tokens)));
	while (*p) {
		size_t w = strcspn(p, " ");
		if (w)
			k->tokens[nr++] = fnv1a64(FNV1A64_OFFSET, p, w);
		p += w;
		p += strspn(p, " ");
	}
	qsort(k->tokens, nr, sizeof(*k->tokens), cmp_u64);
	k->tokens_nr = 0;
	for (size_t i = 0; i < nr; i++)
		if (!k->tokens_nr || k->tokens[k->tokens_nr - 1] != k->tokens[i])
			k->tokens[k->tokens_nr++] = k->tokens[i];

	k->bigrams = xmalloc(xmul_size(len + 1, sizeof(*k->bigrams)));
	k->bigrams_nr = 0;
	for (size_t i = 0; i + 1 < len; i++)
		k->bigrams[k->bigrams_nr++] =
		        ((uint32_t)(unsigned char)k->norm[i] << 8) | (unsigned char)k->norm[i + 1];
	qsort(k->bigrams, k->bigrams_nr, sizeof(*k->bigrams), cmp_u32);
}

static size_t common_u64(const uint64_t *a, size_t an, const uint64_t *b, size_t bn)
{
	size_t i = 0, j = 0, c = 0;

	while (i < an && j < bn) {
		if (a[i] < b[j]) {
			i++;
		} else if (a[i] > b[j]) {
			j++;
		} else {
			c++;
			i++;
			j++;
		}
	}
	return c;
}

static size_t common_u32(const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
	size_t i = 0, j = 0, c = 0;

	while (i < an && j < bn) {
		if (a[i] < b[j]) {
			i++;
		} else if (a[i] > b[j]) {
			j++;
		} else {
			c++;
			i++;
			j++;
		}
	}
	return c;
}

double keymatch_similarity(struct keymatch_item *a, struct keymatch_item *b)
{
	double tok = 0, big = 0;

	features(a);
	features(b);
	if (a->tokens_nr + b->tokens_nr)
		tok = 2.0 * (double)common_u64(a->tokens, a->tokens_nr, b->tokens, b->tokens_nr) /
		      (double)(a->tokens_nr + b->tokens_nr);
	if (a->bigrams_nr + b->bigrams_nr)
		big = 2.0 *
		      (double)common_u32(a->bigrams, a->bigrams_nr, b->bigrams, b->bigrams_nr) /
		      (double)(a->bigrams_nr + b->bigrams_nr);
	return tok > big ? tok : big;
}

void keymatch_item_init(struct keymatch_item *k, const char *text)
{
	memset(k, 0, sizeof(*k));
	k->norm = pm_keys_normalize(text);
	k->hash = fnv1a64(FNV1A64_OFFSET, k->norm, strlen(k->norm));
	k->match = -1;
}

void keymatch_items_free(struct keymatch_item *v, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		free(v[i].norm);
		free(v[i].tokens);
		free(v[i].bigrams);
	}
	free(v);
}

void keymatch_pair(struct keymatch_item *cur, size_t i, struct keymatch_item *old, size_t j)
{
	cur[i].match = (long)j;
	old[j].match = (long)i;
}

static int cmp_pairs(const void *a, const void *b)
{
	const struct kpair *x = a, *y = b;

	if (x->sim != y->sim)
		return x->sim > y->sim ? -1 : 1;
	if (x->dist != y->dist)
		return x->dist < y->dist ? -1 : 1;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static long rel_dist(size_t i, size_t n, size_t j, size_t m)
{
	long d = (long)(i * m) - (long)(j * n);

	return d < 0 ? -d : d;
}

/*
 * Items with the same normalised text. When a text occurs more than once, a
 * row pairs with the one of the same owner first, then the closest in
 * relative position, so that editing one of two identical rows does not
 * swap their keys.
 */
static void match_same_text(struct keymatch_item *cur, const struct postmortem *pm,
                            struct keymatch_item *old, const struct postmortem *prev)
{
	size_t n = pm->items_nr, m = prev->items_nr, nr = 0, alloc = 0;
	struct kpair *pairs = NULL;

	for (size_t i = 0; i < n; i++) {
		if (cur[i].match >= 0)
			continue;
		for (size_t j = 0; j < m; j++) {
			if (old[j].match >= 0 || old[j].hash != cur[i].hash ||
			    strcmp(old[j].norm, cur[i].norm))
				continue;
			ALLOC_GROW(pairs, nr + 1, alloc);
			pairs[nr].sim = same_str(pm->items[i].owner, prev->items[j].owner) ? 1 : 0;
			pairs[nr].dist = rel_dist(i, n, j, m);
			pairs[nr].i = i;
			pairs[nr].j = j;
			nr++;
		}
	}
	if (nr)
		qsort(pairs, nr, sizeof(*pairs), cmp_pairs);
	for (size_t k = 0; k < nr; k++)
		if (cur[pairs[k].i].match < 0 && old[pairs[k].j].match < 0)
			keymatch_pair(cur, pairs[k].i, old, pairs[k].j);
	free(pairs);
}

static void match_similar(struct keymatch_item *cur, size_t n, struct keymatch_item *old, size_t m)
{
	struct kpair *pairs = NULL;
	size_t nr = 0, alloc = 0;

	for (size_t i = 0; i < n; i++) {
		if (cur[i].match >= 0)
			continue;
		for (size_t j = 0; j < m; j++) {
			double sim;

			if (old[j].match >= 0)
				continue;
			sim = keymatch_similarity(&cur[i], &old[j]);
			if (sim < KEYS_MIN_SIMILARITY)
				continue;
			ALLOC_GROW(pairs, nr + 1, alloc);
			pairs[nr].sim = sim;
			pairs[nr].dist = rel_dist(i, n, j, m);
			pairs[nr].i = i;
			pairs[nr].j = j;
			nr++;
		}
	}
	if (nr)
		qsort(pairs, nr, sizeof(*pairs), cmp_pairs);
	for (size_t k = 0; k < nr; k++)
		if (cur[pairs[k].i].match < 0 && old[pairs[k].j].match < 0)
			keymatch_pair(cur, pairs[k].i, old, pairs[k].j);
	free(pairs);
}

/*
 * Rows edited in place: between two paired rows of pm (or the list's ends),
 * when the matching stretch of prev holds as many unpaired rows, pair them
 * in order. Stretches whose neighbours crossed (reordered rows) are left.
 */
static void match_in_place(struct keymatch_item *cur, size_t n, struct keymatch_item *old, size_t m)
{
	long lo = -1;
	size_t i = 0;

	while (i < n) {
		size_t start, end, count = 0;
		long hi;

		if (cur[i].match >= 0) {
			lo = cur[i].match;
			i++;
			continue;
		}
		start = i;
		while (i < n && cur[i].match < 0)
			i++;
		end = i;
		hi = i < n ? cur[i].match : (long)m;
		if (lo >= hi)
			continue;
		for (long j = lo + 1; j < hi; j++)
			if (old[j].match < 0)
				count++;
		if (count != end - start)
			continue;
		for (long j = lo + 1, k = (long)start; j < hi; j++)
			if (old[j].match < 0)
				keymatch_pair(cur, (size_t)k++, old, (size_t)j);
	}
}

void keymatch_match(struct keymatch_item *cur, const struct postmortem *pm,
                    struct keymatch_item *old, const struct postmortem *prev)
{
	match_same_text(cur, pm, old, prev);
	match_similar(cur, pm->items_nr, old, prev->items_nr);
	match_in_place(cur, pm->items_nr, old, prev->items_nr);
}
