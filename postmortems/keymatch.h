#ifndef PM_KEYMATCH_H
#define PM_KEYMATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "postmortems/postmortem.h"

/*
 * Pairing the items of a postmortem with those of an earlier version (see
 * keys.h): same text first, then similar text, then rows edited in place.
 */

/* Working data for one item on either side. */
struct keymatch_item {
	char *norm;       /* normalised text (pm_keys_normalize()) */
	uint64_t hash;    /* hash of norm, to compare quickly */
	uint64_t *tokens; /* sorted, unique token hashes, once needed */
	size_t tokens_nr;
	uint32_t *bigrams; /* sorted byte bigrams of norm (a multiset), once needed */
	size_t bigrams_nr;
	long match;  /* index on the other side, -1 when unpaired */
	bool strong; /* pm side: key from an ID or ticket */
};

void keymatch_item_init(struct keymatch_item *k, const char *text);
/* Frees the items' data and the array v itself. */
void keymatch_items_free(struct keymatch_item *v, size_t nr);

/* Computes k's token and bigram sets, once. */
void keymatch_features(struct keymatch_item *k);

/* How alike two items' texts are, 0 to 1. */
double keymatch_similarity(struct keymatch_item *a, struct keymatch_item *b);

/* Pairs cur[i] with old[j]. */
void keymatch_pair(struct keymatch_item *cur, size_t i, struct keymatch_item *old, size_t j);

/*
 * Pairs the unpaired items of pm (cur, one per item) with the unpaired
 * items of prev (old): same text, then similar text, then in place.
 */
void keymatch_match(struct keymatch_item *cur, const struct postmortem *pm,
                    struct keymatch_item *old, const struct postmortem *prev);

#endif
