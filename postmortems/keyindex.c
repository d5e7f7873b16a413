/*
 * Candidate pairs for the similarity pass of key matching. Comparing every
 * new item with every earlier one is quadratic: a generated postmortem of a
 * few thousand rows took seconds and gigabytes. Instead the earlier items'
 * words and character bigrams go into one sorted posting list, and a new
 * item looks up its own: the rarest first (a word only two rows share says
 * more than "the"), and from a list longer than KEYINDEX_MAX_PER_FEATURE
 * only the entries nearest to the item's position (rows mostly stay where
 * they were). The first KEYINDEX_MAX_CANDIDATES distinct items found are
 * the candidates. Two texts that share no word and no bigram have
 * similarity 0, so for files under both bounds the candidates are exactly
 * the pairs an all-pairs comparison could keep.
 */
#include "util/compat.h"

#include "postmortems/keyindex.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct keyindex_range {
	size_t lo, hi; /* postings [lo, hi) of one feature */
};

/* Words and bigrams in one space: words odd, bigrams even. */
static uint64_t word_feature(uint64_t h)
{
	return (h << 1) | 1;
}

static uint64_t bigram_feature(uint32_t b)
{
	return (uint64_t)b << 1;
}

static int cmp_postings(const void *a, const void *b)
{
	const struct keyindex_posting *x = a, *y = b;

	if (x->feature != y->feature)
		return x->feature < y->feature ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

static int cmp_ranges(const void *a, const void *b)
{
	const struct keyindex_range *x = a, *y = b;
	size_t nx = x->hi - x->lo, ny = y->hi - y->lo;

	if (nx != ny)
		return nx < ny ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

void keyindex_init(struct keyindex *ix, size_t m)
{
	memset(ix, 0, sizeof(*ix));
	ix->seen = xcalloc(m ? m : 1, sizeof(*ix->seen));
	ix->seen_nr = m;
}

void keyindex_add(struct keyindex *ix, struct keytext *k, size_t j)
{
	keytext_features(k);
	ALLOC_GROW(ix->v, ix->nr + k->tokens_nr + k->bigrams_nr, ix->alloc);
	for (size_t t = 0; t < k->tokens_nr; t++)
		ix->v[ix->nr++] =
		        (struct keyindex_posting){word_feature(k->tokens[t]), (uint32_t)j};
	for (size_t b = 0; b < k->bigrams_nr; b++)
		if (!b || k->bigrams[b] != k->bigrams[b - 1])
			ix->v[ix->nr++] = (struct keyindex_posting){bigram_feature(k->bigrams[b]),
			                                            (uint32_t)j};
}

void keyindex_sort(struct keyindex *ix)
{
	if (ix->nr)
		qsort(ix->v, ix->nr, sizeof(*ix->v), cmp_postings);
}

/* First posting at or after (feature, j) in [lo, hi). */
static size_t lower_bound(const struct keyindex *ix, size_t lo, size_t hi, uint64_t feature,
                          uint32_t j)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct keyindex_posting *p = &ix->v[mid];

		if (p->feature < feature || (p->feature == feature && p->j < j))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void add_range(struct keyindex *ix, size_t *nr, uint64_t feature)
{
	size_t lo = lower_bound(ix, 0, ix->nr, feature, 0);
	/* j < UINT32_MAX: item counts are capped far below (parse_postmortem) */
	size_t hi = lower_bound(ix, lo, ix->nr, feature, UINT32_MAX);

	if (lo == hi)
		return;
	ALLOC_GROW(ix->ranges, *nr + 1, ix->ranges_alloc);
	ix->ranges[(*nr)++] = (struct keyindex_range){lo, hi};
}

size_t keyindex_candidates(struct keyindex *ix, struct keytext *k, size_t target, size_t *out,
                           size_t max)
{
	size_t nr = 0, found = 0;

	if (max > KEYINDEX_MAX_CANDIDATES)
		max = KEYINDEX_MAX_CANDIDATES;
	if (!ix->nr || !max)
		return 0;
	keytext_features(k);
	if (++ix->stamp == 0) { /* wrapped: forget every earlier stamp */
		memset(ix->seen, 0, xmul_size(ix->seen_nr, sizeof(*ix->seen)));
		ix->stamp = 1;
	}
	for (size_t t = 0; t < k->tokens_nr; t++)
		add_range(ix, &nr, word_feature(k->tokens[t]));
	for (size_t b = 0; b < k->bigrams_nr; b++)
		if (!b || k->bigrams[b] != k->bigrams[b - 1])
			add_range(ix, &nr, bigram_feature(k->bigrams[b]));
	if (nr)
		qsort(ix->ranges, nr, sizeof(*ix->ranges), cmp_ranges);

	for (size_t r = 0; r < nr && found < max; r++) {
		size_t lo = ix->ranges[r].lo, hi = ix->ranges[r].hi;

		if (hi - lo > KEYINDEX_MAX_PER_FEATURE) {
			/* a common word: the entries nearest to the item's position */
			size_t at =
			        lower_bound(ix, lo, hi, ix->v[lo].feature,
			                    target > UINT32_MAX ? UINT32_MAX : (uint32_t)target);
			size_t from = at > lo + KEYINDEX_MAX_PER_FEATURE / 2
			                      ? at - KEYINDEX_MAX_PER_FEATURE / 2
			                      : lo;

			if (from + KEYINDEX_MAX_PER_FEATURE > hi)
				from = hi - KEYINDEX_MAX_PER_FEATURE;
			lo = from;
			hi = from + KEYINDEX_MAX_PER_FEATURE;
		}
		for (size_t p = lo; p < hi && found < max; p++) {
			uint32_t j = ix->v[p].j;

			if (ix->seen[j] == ix->stamp)
				continue;
			ix->seen[j] = ix->stamp;
			out[found++] = j;
		}
	}
	return found;
}

void keyindex_release(struct keyindex *ix)
{
	free(ix->v);
	free(ix->seen);
	free(ix->ranges);
	memset(ix, 0, sizeof(*ix));
}
