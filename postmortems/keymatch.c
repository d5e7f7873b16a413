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
 *
 * Every pass is near-linear, whatever the file: a row is compared with a
 * bounded number of rows of the other version (those with the same text
 * nearest in position; the candidates of keyindex.c), and the in-place pass
 * counts and walks unpaired rows with a Fenwick tree and skip links. Below
 * those bounds (any hand-written postmortem) the result is the one an
 * all-pairs comparison gives.
 */
#include "util/compat.h"

#include "postmortems/keymatch.h"

#include <stdlib.h>
#include <string.h>

#include "postmortems/keyindex.h"
#include "postmortems/keytext.h"
#include "postmortems/keyset.h"
#include "util/hash.h"
#include "util/xalloc.h"

#define KEYS_MIN_SIMILARITY 0.5

struct kpair {
	double sim;
	long dist; /* relative position distance, cross-multiplied */
	size_t i, j;
};

void keymatch_item_init(struct keymatch_item *k, const char *text)
{
	keytext_init(&k->text, text);
	k->match = -1;
	k->strong = false;
}

void keymatch_items_free(struct keymatch_item *v, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		keytext_release(&v[i].text);
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

/* One matching between the items of pm (cur) and of prev (old), and its candidate pairs. */
struct pass {
	struct keymatch_item *cur, *old;
	const struct postmortem *pm, *prev;
	size_t n, m;
	struct kpair *pairs;
	size_t nr, alloc;
};

static void add_pair(struct pass *ps, double sim, size_t i, size_t j)
{
	ALLOC_GROW(ps->pairs, ps->nr + 1, ps->alloc);
	ps->pairs[ps->nr].sim = sim;
	ps->pairs[ps->nr].dist = rel_dist(i, ps->n, j, ps->m);
	ps->pairs[ps->nr].i = i;
	ps->pairs[ps->nr].j = j;
	ps->nr++;
}

/* Best pair first: pairs whose rows are both still free are made. */
static void take_pairs(struct pass *ps)
{
	if (ps->nr)
		qsort(ps->pairs, ps->nr, sizeof(*ps->pairs), cmp_pairs);
	for (size_t k = 0; k < ps->nr; k++)
		if (ps->cur[ps->pairs[k].i].match < 0 && ps->old[ps->pairs[k].j].match < 0)
			keymatch_pair(ps->cur, ps->pairs[k].i, ps->old, ps->pairs[k].j);
	ps->nr = 0;
}

/* Where row i of pm would be in prev, were rows spread evenly. */
static size_t target_of(const struct pass *ps, size_t i)
{
	return ps->n ? i * ps->m / ps->n : 0;
}

/* --- same text ----------------------------------------------------------- */

/* Rows of one text are compared with at most this many of the other side. */
#define SAME_TEXT_NEAR 32

struct textrow {
	uint64_t hash, owner;
	size_t idx;
};

static uint64_t owner_hash(const char *owner)
{
	return owner ? fnv1a64(FNV1A64_OFFSET, owner, strlen(owner)) : 0;
}

static int cmp_by_text(const void *a, const void *b)
{
	const struct textrow *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_by_owner(const void *a, const void *b)
{
	const struct textrow *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static size_t lower(const struct textrow *v, size_t nv, const struct textrow *key,
                    int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = nv;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp(&v[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Pairs row i with the rows of v (sorted by cmp) that cmp puts in its group,
 * the SAME_TEXT_NEAR of them nearest to its position: a group that small is
 * taken whole.
 */
static void near_same_text(struct pass *ps, const struct textrow *v, size_t nv,
                           const struct textrow *key, int (*cmp)(const void *, const void *),
                           size_t i)
{
	struct textrow k = *key;
	size_t lo, hi, at, from, to;
	const char *owner = ps->pm->items[i].owner;

	k.idx = 0;
	lo = lower(v, nv, &k, cmp);
	k.idx = SIZE_MAX;
	hi = lower(v, nv, &k, cmp);
	k.idx = key->idx;
	at = lower(v, nv, &k, cmp);
	from = at - lo > SAME_TEXT_NEAR / 2 ? at - SAME_TEXT_NEAR / 2 : lo;
	to = hi - from > SAME_TEXT_NEAR ? from + SAME_TEXT_NEAR : hi;
	from = to - lo > SAME_TEXT_NEAR ? to - SAME_TEXT_NEAR : lo;
	for (size_t p = from; p < to; p++) {
		size_t j = v[p].idx;

		if (strcmp(ps->old[j].text.norm, ps->cur[i].text.norm))
			continue;
		add_pair(ps, same_str(owner, ps->prev->items[j].owner) ? 1 : 0, i, j);
	}
}

/*
 * Rows of a text repeated more often than the window left free after the
 * best pairs: paired in order, so that no row of a text that occurs on both
 * sides is left to look new.
 */
static void pair_leftovers(struct pass *ps, const struct textrow *olds, size_t nold,
                           const struct textrow *curs, size_t ncur)
{
	size_t p = 0, q = 0;

	while (p < nold && q < ncur) {
		const struct textrow *o = &olds[p], *c = &curs[q];

		if (o->hash != c->hash || ps->old[o->idx].match >= 0) {
			p += o->hash <= c->hash;
			q += o->hash > c->hash;
		} else if (ps->cur[c->idx].match >= 0) {
			q++;
		} else if (!strcmp(ps->old[o->idx].text.norm, ps->cur[c->idx].text.norm)) {
			keymatch_pair(ps->cur, c->idx, ps->old, o->idx);
			p++;
			q++;
		} else {
			q++; /* two texts with one hash: left to the similarity pass */
		}
	}
}

/*
 * Items with the same normalised text. When a text occurs more than once, a
 * row pairs with the one of the same owner first, then the closest in
 * relative position, so that editing one of two identical rows does not
 * swap their keys.
 */
static void match_same_text(struct pass *ps)
{
	struct textrow *by_text = xcalloc(ps->m ? ps->m : 1, sizeof(*by_text));
	struct textrow *by_owner = xcalloc(ps->m ? ps->m : 1, sizeof(*by_owner));
	struct textrow *curs = xcalloc(ps->n ? ps->n : 1, sizeof(*curs));
	size_t nold = 0, ncur = 0;

	for (size_t j = 0; j < ps->m; j++) {
		if (ps->old[j].match >= 0)
			continue;
		by_text[nold].hash = ps->old[j].text.hash;
		by_text[nold].owner = owner_hash(ps->prev->items[j].owner);
		by_text[nold].idx = j;
		by_owner[nold] = by_text[nold];
		nold++;
	}
	qsort(by_text, nold, sizeof(*by_text), cmp_by_text);
	qsort(by_owner, nold, sizeof(*by_owner), cmp_by_owner);
	for (size_t i = 0; i < ps->n; i++) {
		struct textrow key;

		if (ps->cur[i].match >= 0)
			continue;
		key.hash = ps->cur[i].text.hash;
		key.owner = owner_hash(ps->pm->items[i].owner);
		key.idx = target_of(ps, i);
		near_same_text(ps, by_text, nold, &key, cmp_by_text, i);
		near_same_text(ps, by_owner, nold, &key, cmp_by_owner, i);
		key.idx = i;
		curs[ncur++] = key;
	}
	take_pairs(ps);
	qsort(curs, ncur, sizeof(*curs), cmp_by_text);
	pair_leftovers(ps, by_text, nold, curs, ncur);
	free(by_text);
	free(by_owner);
	free(curs);
}

/* --- similar text -------------------------------------------------------- */

/*
 * A row keeps its best pairs only: more than this many rows, all alike
 * enough to be taken for it, only occur in generated files.
 */
#define SIMILAR_PAIRS_PER_ROW 24

static void match_similar(struct pass *ps)
{
	struct keyindex ix = KEYINDEX_INIT;
	size_t *cand = xcalloc(KEYINDEX_MAX_CANDIDATES, sizeof(*cand));

	keyindex_init(&ix, ps->m);
	for (size_t j = 0; j < ps->m; j++)
		if (ps->old[j].match < 0)
			keyindex_add(&ix, &ps->old[j].text, j);
	keyindex_sort(&ix);
	for (size_t i = 0; i < ps->n; i++) {
		size_t nc, base = ps->nr;

		if (ps->cur[i].match >= 0)
			continue;
		nc = keyindex_candidates(&ix, &ps->cur[i].text, target_of(ps, i), cand,
		                         KEYINDEX_MAX_CANDIDATES);
		for (size_t c = 0; c < nc; c++) {
			double sim = keytext_similarity(&ps->cur[i].text, &ps->old[cand[c]].text);

			if (sim >= KEYS_MIN_SIMILARITY)
				add_pair(ps, sim, i, cand[c]);
		}
		if (ps->nr - base > SIMILAR_PAIRS_PER_ROW) {
			qsort(ps->pairs + base, ps->nr - base, sizeof(*ps->pairs), cmp_pairs);
			ps->nr = base + SIMILAR_PAIRS_PER_ROW;
		}
	}
	take_pairs(ps);
	keyindex_release(&ix);
	free(cand);
}

/* --- rows edited in place ------------------------------------------------ */

/* Fenwick tree over t[1..n]: add d at position pos (0-based). */
static void fenwick_add(long *t, size_t n, size_t pos, long d)
{
	for (pos++; pos <= n; pos += pos & (~pos + 1))
		t[pos] += d;
}

/* The sum over positions [0, pos). */
static long fenwick_sum(const long *t, size_t pos)
{
	long s = 0;

	for (; pos > 0; pos -= pos & (~pos + 1))
		s += t[pos];
	return s;
}

/* The first unpaired row of prev at or after j (m when none): skip links, halved as walked. */
static size_t next_unpaired(size_t *next, size_t j)
{
	while (next[j] != j) {
		next[j] = next[next[j]];
		j = next[j];
	}
	return j;
}

/*
 * Rows edited in place: between two paired rows of pm (or the list's ends),
 * when the matching stretch of prev holds as many unpaired rows, pair them
 * in order. Stretches whose neighbours crossed (reordered rows) are left.
 * The unpaired rows of a stretch are counted with a Fenwick tree and walked
 * with skip links, so crossing stretches cost no rescans.
 */
static void match_in_place(struct pass *ps)
{
	size_t n = ps->n, m = ps->m, i = 0;
	long *tree = xcalloc(m + 1, sizeof(*tree));
	size_t *next = xcalloc(m + 1, sizeof(*next));
	long lo = -1;

	for (size_t j = 0; j <= m; j++) {
		next[j] = j < m && ps->old[j].match >= 0 ? j + 1 : j;
		if (j < m && ps->old[j].match < 0)
			fenwick_add(tree, m, j, 1);
	}
	while (i < n) {
		size_t start, end;
		long hi;

		if (ps->cur[i].match >= 0) {
			lo = ps->cur[i].match;
			i++;
			continue;
		}
		start = i;
		while (i < n && ps->cur[i].match < 0)
			i++;
		end = i;
		hi = i < n ? ps->cur[i].match : (long)m;
		if (lo >= hi ||
		    fenwick_sum(tree, (size_t)hi) - fenwick_sum(tree, (size_t)(lo + 1)) !=
		            (long)(end - start))
			continue;
		for (size_t j = next_unpaired(next, (size_t)(lo + 1)), k = start; j < (size_t)hi;
		     j = next_unpaired(next, j)) {
			keymatch_pair(ps->cur, k++, ps->old, j);
			next[j] = j + 1;
			fenwick_add(tree, m, j, -1);
		}
	}
	free(tree);
	free(next);
}

void keymatch_match(struct keymatch_item *cur, const struct postmortem *pm,
                    struct keymatch_item *old, const struct postmortem *prev)
{
	struct pass ps = {cur, old, pm, prev, pm->items_nr, prev->items_nr, NULL, 0, 0};

	match_same_text(&ps);
	match_similar(&ps);
	match_in_place(&ps);
	free(ps.pairs);
}
