/*
 * Stable keys for action items: the key under which the sync engine files an
 * item's ticket, so it must survive review and time. Rows are reworded, typos
 * are fixed, rows are reordered, inserted and removed, postmortem files are
 * renamed; the key of an item that is "the same action" must not change, and
 * two different actions must never share a key within one postmortem.
 *
 * Where a key comes from, strongest first:
 *
 *   1. An explicit ID cell (a column named ID): "id:" + the ID, trimmed,
 *      lower-cased, inner white space turned into '-'. Authors who want full
 *      control give every row an ID.
 *   2. A ticket key in the ticket cell (ENG-123, or a tracker URL naming
 *      one): "t:" + the key upper-cased. Once an item is tracked, the ticket
 *      is its identity.
 *   3. Otherwise a text key: 12 hex digits (48 bits) of a hash of the
 *      canonical string
 *          "pmsync-item-key-v1\n" <identity> "\n" <normalised text> ["\n#" <n>]
 *      where identity is the postmortem's origin path (the path where the
 *      file was first added, renames followed), the text is the item's text
 *      when the item FIRST appeared, normalised (lower-case, Markdown and
 *      punctuation dropped, white space collapsed), and n, from 2 on, counts
 *      identical texts in one file (the second "Add an alert" gets "#2"
 *      mixed in; n also goes up while the key is already taken). The hash is
 *      64-bit FNV-1a followed by the splitmix64 finaliser; the top 48 bits
 *      are printed. The canonical string and the hash are part of pmsync's
 *      contract with the tracker: changing either re-keys every item.
 *
 * An explicit ID or ticket key is never inherited nor overwritten. When an
 * ID or ticket key occurs twice in one file, the first row (in file order)
 * keeps it and the others fall back to a text key.
 *
 * Text keys are carried from one version of a postmortem to the next by
 * pm_keys_assign(pm, prev): an item whose normalised text equals one of
 * prev's takes that item's key (when a text occurs several times, the row
 * with the same owner first, then the closest in position); the rest are
 * paired by similarity, the larger of the token-set Dice and the character
 * bigram Dice coefficients of the normalised texts, best pair first, pairs
 * below 0.5 ignored, ties going to the pair closest in relative position;
 * then, between two paired rows (or the start or end of the list), when the
 * same number of rows is left unpaired on both sides, they pair in order:
 * that is a row edited in place, however much ("Fix DNS" -> "Fix TLS").
 * Everything else is new and gets a fresh text key from its current text.
 * Items with ID or ticket keys take part in the pairing (so that a row that
 * gained a ticket does not hand its old key to a neighbour) but keep their
 * own keys.
 *
 * history.c applies this along the first-parent history of the revision
 * read: version 1 of a file (the commit that added it) gets fresh keys,
 * every later version inherits from the one before. Consequences:
 *
 *   - Rewording, typo fixes, reordering, inserting and removing rows, and
 *     `git mv` (with or without edits, when git's rename detection pairs the
 *     files at 50% similarity) keep keys.
 *   - Squash merges: only the squashed commit is on the first-parent
 *     history, so all edits of the branch count as one edit; a row reworded
 *     beyond recognition and moved in one squash may get a new key. Merge
 *     commits are seen the same way (the diff against the first parent).
 *   - Rebases do not matter: keys depend on the sequence of file contents
 *     along first-parent history, not on commit ids. Rewriting the history
 *     of the default branch so that an item's first version changes does
 *     change its key.
 *   - A file deleted and later re-added starts a new history: rows whose
 *     text is unchanged get their old keys back (same path, same text), rows
 *     edited in between get new keys.
 *   - A row deleted and a different row inserted at the same place in one
 *     commit count as an edit: the new row takes the old row's key.
 *   - Two near-identical rows keep distinct keys (exact matches pair first,
 *     then the most similar pairs); editing one of them leaves the other's
 *     key alone.
 *   - Shallow clones, --worktree without a commit, and --no-history have no
 *     history (or only part of it): keys then come from the current text,
 *     with identity the current path (or the path at the shallow boundary),
 *     so an item edited since it first appeared, or a renamed file, gets a
 *     different key from the one a full clone computes. CI should fetch the
 *     full history (`fetch-depth: 0`). The sync engine additionally
 *     re-matches unknown keys by similarity against the tickets it already
 *     made.
 *   - Adding an ID or a ticket key to a row changes its key (to "id:..." or
 *     "t:..."); removing it gives the row a text key from its current text.
 *   - Case folding is ASCII only: "Écrire" and "écrire" are different texts
 *     (they still pair by similarity).
 *   - With --worktree and a HEAD, keys come from HEAD's history and the
 *     working-tree file is then matched against its HEAD version; an
 *     uncommitted rename is not followed.
 */
#include "postmortems/keys.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

#define KEYS_MIN_SIMILARITY 0.5

/* Working data for one item on either side. */
struct kitem {
	char *norm;       /* normalised text */
	uint64_t hash;    /* hash of norm, to compare quickly */
	uint64_t *tokens; /* sorted, unique token hashes */
	size_t tokens_nr;
	uint32_t *bigrams; /* sorted byte bigrams of norm (a multiset) */
	size_t bigrams_nr;
	long match;  /* index on the other side, -1 when unpaired */
	bool strong; /* pm side: key from an ID or ticket */
};

struct kpair {
	double sim;
	long dist; /* relative position distance, cross-multiplied */
	size_t i, j;
};

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static bool is_ascii_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int ascii_upper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of the UTF-8 sequence at s (1 for a stray byte) and its code point. */
static size_t utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp)
{
	size_t n;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (n > avail) {
		*cp = 0xfffd;
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return n;
}

/* Punctuation and spaces outside ASCII: general punctuation, CJK and full-width forms. */
static bool is_unicode_separator(uint32_t cp)
{
	return (cp >= 0xa0 && cp <= 0xbf) || cp == 0xd7 || cp == 0xf7 ||
	       (cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x2190 && cp <= 0x21ff) ||
	       (cp >= 0x2500 && cp <= 0x27bf) || (cp >= 0x3000 && cp <= 0x303f) ||
	       (cp >= 0xff01 && cp <= 0xff0f) || (cp >= 0xff1a && cp <= 0xff20) ||
	       (cp >= 0xff3b && cp <= 0xff40) || (cp >= 0xff5b && cp <= 0xff65) || cp == 0xfeff ||
	       cp == 0xfffd;
}

char *pm_keys_normalize(const char *text)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	size_t len = strlen((const char *)s), n_out = 0;
	char *out = xmalloc(len + 1); /* never longer than the input */
	bool pending_space = false;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n;
		bool sep;

		if (s[i] < 0x80) {
			n = 1;
			sep = !is_ascii_alnum(s[i]);
		} else {
			n = utf8_decode(s + i, len - i, &cp);
			sep = is_unicode_separator(cp) && cp != 0xfffd;
		}
		if (sep) {
			pending_space = n_out > 0;
		} else {
			if (pending_space)
				out[n_out++] = ' ';
			pending_space = false;
			if (n == 1 && s[i] < 0x80) {
				out[n_out++] = (char)ascii_lower(s[i]);
			} else {
				memcpy(out + n_out, s + i, n);
				n_out += n;
			}
		}
		i += n;
	}
	out[n_out] = '\0';
	return out;
}

static const char *item_text(const struct action_item *item)
{
	if (item->text)
		return item->text;
	return item->markdown ? item->markdown : "";
}

/* "id:<id>" from an ID cell, NULL when the cell is empty. */
static char *id_key(const char *id)
{
	struct strbuf sb = STRBUF_INIT;
	bool pending = false;

	if (!id)
		return NULL;
	for (const char *p = id; *p; p++) {
		if (is_space((unsigned char)*p)) {
			pending = sb.len > 0;
			continue;
		}
		if (sb.len == 0)
			strbuf_addstr(&sb, "id:");
		else if (pending)
			strbuf_addch(&sb, '-');
		pending = false;
		strbuf_addch(&sb, ascii_lower((unsigned char)*p));
	}
	if (!sb.len)
		return NULL;
	return strbuf_detach(&sb, NULL);
}

static char *ticket_key(const char *key)
{
	struct strbuf sb = STRBUF_INIT;

	if (!key)
		return NULL;
	strbuf_addstr(&sb, "t:");
	for (const char *p = key; *p; p++)
		if (!is_space((unsigned char)*p))
			strbuf_addch(&sb, ascii_upper((unsigned char)*p));
	if (sb.len == 2) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static char *text_key(const char *identity, const char *norm, unsigned n)
{
	static const char prefix[] = "pmsync-item-key-v1\n";
	uint64_t h = FNV_OFFSET;
	char num[32], *key;

	h = fnv1a(h, prefix, sizeof(prefix) - 1);
	h = fnv1a(h, identity, strlen(identity));
	h = fnv1a(h, "\n", 1);
	h = fnv1a(h, norm, strlen(norm));
	if (n > 1) {
		int len = snprintf(num, sizeof(num), "\n#%u", n);
		h = fnv1a(h, num, (size_t)len);
	}
	h = mix64(h) >> 16;
	key = xmalloc(13);
	for (int i = 11; i >= 0; i--, h >>= 4)
		key[i] = "0123456789abcdef"[h & 15];
	key[12] = '\0';
	return key;
}

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
static void kitem_features(struct kitem *k)
{
	size_t len = strlen(k->norm), nr = 0;
	const char *p = k->norm;

	if (k->tokens || k->bigrams)
		return;
	k->tokens = xmalloc(xmul_size(len / 2 + 1, sizeof(*k->tokens)));
	while (*p) {
		size_t w = strcspn(p, " ");
		if (w)
			k->tokens[nr++] = fnv1a(FNV_OFFSET, p, w);
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

static double kitem_similarity(struct kitem *a, struct kitem *b)
{
	double tok = 0, big = 0;

	kitem_features(a);
	kitem_features(b);
	if (a->tokens_nr + b->tokens_nr)
		tok = 2.0 * (double)common_u64(a->tokens, a->tokens_nr, b->tokens, b->tokens_nr) /
		      (double)(a->tokens_nr + b->tokens_nr);
	if (a->bigrams_nr + b->bigrams_nr)
		big = 2.0 *
		      (double)common_u32(a->bigrams, a->bigrams_nr, b->bigrams, b->bigrams_nr) /
		      (double)(a->bigrams_nr + b->bigrams_nr);
	return tok > big ? tok : big;
}

static void kitem_init(struct kitem *k, const struct action_item *item)
{
	memset(k, 0, sizeof(*k));
	k->norm = pm_keys_normalize(item_text(item));
	k->hash = fnv1a(FNV_OFFSET, k->norm, strlen(k->norm));
	k->match = -1;
}

static void kitems_free(struct kitem *v, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		free(v[i].norm);
		free(v[i].tokens);
		free(v[i].bigrams);
	}
	free(v);
}

double pm_keys_similarity(const char *a, const char *b)
{
	struct action_item ia = {0}, ib = {0};
	struct kitem ka, kb;
	double sim;

	ia.text = (char *)a;
	ib.text = (char *)b;
	kitem_init(&ka, &ia);
	kitem_init(&kb, &ib);
	sim = strcmp(ka.norm, kb.norm) ? kitem_similarity(&ka, &kb) : 1.0;
	free(ka.norm);
	free(ka.tokens);
	free(ka.bigrams);
	free(kb.norm);
	free(kb.tokens);
	free(kb.bigrams);
	return sim;
}

static void pair(struct kitem *cur, size_t i, struct kitem *old, size_t j)
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
static void match_same_text(struct kitem *cur, const struct postmortem *pm, struct kitem *old,
                            const struct postmortem *prev)
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
			pair(cur, pairs[k].i, old, pairs[k].j);
	free(pairs);
}

static void match_similar(struct kitem *cur, size_t n, struct kitem *old, size_t m)
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
			sim = kitem_similarity(&cur[i], &old[j]);
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
			pair(cur, pairs[k].i, old, pairs[k].j);
	free(pairs);
}

/*
 * Rows edited in place: between two paired rows of pm (or the list's ends),
 * when the matching stretch of prev holds as many unpaired rows, pair them
 * in order. Stretches whose neighbours crossed (reordered rows) are left.
 */
static void match_in_place(struct kitem *cur, size_t n, struct kitem *old, size_t m)
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
				pair(cur, (size_t)k++, old, (size_t)j);
	}
}

static bool key_used(const struct postmortem *pm, const char *key)
{
	for (size_t i = 0; i < pm->items_nr; i++)
		if (pm->items[i].key && !strcmp(pm->items[i].key, key))
			return true;
	return false;
}

void pm_keys_assign(struct postmortem *pm, const struct postmortem *prev)
{
	size_t n = pm->items_nr, m = prev ? prev->items_nr : 0;
	struct kitem *cur = xcalloc(n ? n : 1, sizeof(*cur));
	struct kitem *old = xcalloc(m ? m : 1, sizeof(*old));
	const char *identity = pm->origin_path ? pm->origin_path : (pm->path ? pm->path : "");

	for (size_t i = 0; i < n; i++) {
		free(pm->items[i].key);
		pm->items[i].key = NULL;
		kitem_init(&cur[i], &pm->items[i]);
	}
	for (size_t j = 0; j < m; j++)
		kitem_init(&old[j], &prev->items[j]);

	/* Explicit keys: the first row holding one keeps it. */
	for (size_t i = 0; i < n; i++) {
		struct action_item *item = &pm->items[i];
		char *key = id_key(item->id);
		enum pm_key_source source = PM_KEY_ID;

		if (key && key_used(pm, key)) {
			free(key);
			key = NULL;
		}
		if (!key) {
			key = ticket_key(item->ticket_key);
			source = PM_KEY_TICKET;
		}
		if (key && key_used(pm, key)) {
			free(key);
			key = NULL;
		}
		if (!key)
			continue;
		item->key = key;
		item->key_source = source;
		cur[i].strong = true;
		for (size_t j = 0; j < m; j++) {
			if (old[j].match < 0 && prev->items[j].key &&
			    !strcmp(prev->items[j].key, key)) {
				pair(cur, i, old, j);
				break;
			}
		}
	}

	if (m) {
		match_same_text(cur, pm, old, prev);
		match_similar(cur, n, old, m);
		match_in_place(cur, n, old, m);
	}

	/* Inherit text keys first, so that fresh keys can avoid them. */
	for (size_t i = 0; i < n; i++) {
		const struct action_item *p;

		if (cur[i].strong || cur[i].match < 0)
			continue;
		p = &prev->items[cur[i].match];
		if (p->key_source != PM_KEY_TEXT || !p->key || key_used(pm, p->key))
			continue;
		pm->items[i].key = xstrdup(p->key);
		pm->items[i].key_source = PM_KEY_TEXT;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned occurrence = 1;
		char *key;

		if (pm->items[i].key)
			continue;
		for (size_t k = 0; k < i; k++)
			if (cur[k].hash == cur[i].hash && !strcmp(cur[k].norm, cur[i].norm))
				occurrence++;
		key = text_key(identity, cur[i].norm, occurrence);
		while (key_used(pm, key)) {
			free(key);
			key = text_key(identity, cur[i].norm, ++occurrence);
		}
		pm->items[i].key = key;
		pm->items[i].key_source = PM_KEY_TEXT;
	}
	kitems_free(cur, n);
	kitems_free(old, m);
}
