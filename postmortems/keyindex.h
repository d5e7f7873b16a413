#ifndef PM_KEYINDEX_H
#define PM_KEYINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "postmortems/keytext.h"

/*
 * The candidates of the similarity pass of keymatch.c: an index of the
 * words and character bigrams of the earlier version's unpaired items, so
 * that each new item is compared with a bounded number of earlier ones that
 * share something with it, never with all of them.
 */
struct keyindex_posting {
	uint64_t feature;
	uint32_t j;
};

struct keyindex {
	struct keyindex_posting *v; /* sorted by feature, then j */
	size_t nr;
	uint32_t *seen; /* per earlier item: the stamp of the last query that took it */
	size_t seen_nr;
	uint32_t stamp;
	struct keyindex_range *ranges; /* scratch of one query */
	size_t ranges_alloc;
	size_t alloc; /* of v */
};

#define KEYINDEX_INIT                           \
	{                                       \
		NULL, 0, NULL, 0, 0, NULL, 0, 0 \
	}

/*
 * The most candidates one query returns, and the most entries it takes from
 * the list of one word or bigram: both above the item count of any
 * hand-written postmortem, so that for those every pair that shares
 * anything is compared, as an all-pairs comparison would.
 */
#define KEYINDEX_MAX_CANDIDATES 160
#define KEYINDEX_MAX_PER_FEATURE 160

/*
 * An index of up to m earlier items: keyindex_add() each one still
 * unpaired (j its position, below m), then keyindex_sort() before the first
 * query.
 */
void keyindex_init(struct keyindex *ix, size_t m);
void keyindex_add(struct keyindex *ix, struct keytext *k, size_t j);
void keyindex_sort(struct keyindex *ix);

/*
 * The earlier items that share a word or bigram with k, at most max (up to
 * KEYINDEX_MAX_CANDIDATES), written to out: rarest words and bigrams first,
 * and from a common one the items nearest to position target. Returns the
 * count.
 */
size_t keyindex_candidates(struct keyindex *ix, struct keytext *k, size_t target, size_t *out,
                           size_t max);

void keyindex_release(struct keyindex *ix);

#endif
