#ifndef PM_KEYMATCH_H
#define PM_KEYMATCH_H

#include <stdbool.h>
#include <stddef.h>
#include "postmortems/keytext.h"
#include "postmortems/postmortem.h"

/*
 * Pairing the items of a postmortem with those of an earlier version (see
 * keys.h): same text first, then similar text, then rows edited in place.
 */

/* Working data for one item on either side. */
struct keymatch_item {
	struct keytext text;
	long match;  /* index on the other side, -1 when unpaired */
	bool strong; /* pm side: key from an ID or ticket */
};

void keymatch_item_init(struct keymatch_item *k, const char *text);
/* Frees the items' data and the array v itself. */
void keymatch_items_free(struct keymatch_item *v, size_t nr);

/* Pairs cur[i] with old[j]. */
void keymatch_pair(struct keymatch_item *cur, size_t i, struct keymatch_item *old, size_t j);

/*
 * Pairs the unpaired items of pm (cur, one per item) with the unpaired
 * items of prev (old): same text, then similar text, then in place.
 */
void keymatch_match(struct keymatch_item *cur, const struct postmortem *pm,
                    struct keymatch_item *old, const struct postmortem *prev);

#endif
