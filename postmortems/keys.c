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
 * keys_assign(pm, prev): an item whose normalised text equals one of
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
#include "util/compat.h"

#include "postmortems/keys.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postmortems/keymatch.h"
#include "postmortems/keytext.h"
#include "postmortems/keyset.h"
#include "util/hash.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static int ascii_upper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
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
		if (ascii_isspace((unsigned char)*p)) {
			pending = sb.len > 0;
			continue;
		}
		if (sb.len == 0)
			strbuf_addstr(&sb, "id:");
		else if (pending)
			strbuf_addch(&sb, '-');
		pending = false;
		strbuf_addch(&sb, ascii_tolower((unsigned char)*p));
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
		if (!ascii_isspace((unsigned char)*p))
			strbuf_addch(&sb, ascii_upper((unsigned char)*p));
	if (sb.len == 2) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* The hash of the canonical string's start, the same for every item of a file. */
static uint64_t text_key_start(const char *identity)
{
	static const char prefix[] = "pmsync-item-key-v1\n";
	uint64_t h = FNV1A64_OFFSET;

	h = fnv1a64(h, prefix, sizeof(prefix) - 1);
	h = fnv1a64(h, identity, strlen(identity));
	return fnv1a64(h, "\n", 1);
}

static char *text_key(uint64_t start, const char *norm, unsigned n)
{
	uint64_t h = start;
	char num[32], *key;

	h = fnv1a64(h, norm, strlen(norm));
	if (n > 1) {
		int len = snprintf(num, sizeof(num), "\n#%u", n);
		h = fnv1a64(h, num, (size_t)len);
	}
	h = mix64(h) >> 16;
	key = xmalloc(13);
	for (int i = 11; i >= 0; i--, h >>= 4)
		key[i] = "0123456789abcdef"[h & 15];
	key[12] = '\0';
	return key;
}

double keys_similarity(const char *a, const char *b)
{
	struct keytext x, y;
	double sim;

	keytext_init(&x, a ? a : "");
	keytext_init(&y, b ? b : "");
	sim = strcmp(x.norm, y.norm) ? keytext_similarity(&x, &y) : 1.0;
	keytext_release(&x);
	keytext_release(&y);
	return sim;
}

/* Gives item its key and marks the key taken (the set borrows it from the item). */
static void set_key(struct keyset *used, struct action_item *item, char *key,
                    enum pm_key_source source)
{
	item->key = key;
	item->key_source = source;
	keyset_put(used, key);
}

/*
 * Explicit keys: the first row holding one keeps it, and pairs with the
 * earlier item that had the same key.
 */
static void assign_explicit(struct postmortem *pm, struct keymatch_item *cur, struct keyset *used,
                            const struct postmortem *prev, struct keymatch_item *old)
{
	struct keyset prev_keys = KEYSET_INIT;
	size_t m = prev ? prev->items_nr : 0;

	for (size_t j = m; j-- > 0;) /* from the end: the first holder wins */
		if (prev->items[j].key)
			*keyset_put(&prev_keys, prev->items[j].key) = j;
	for (size_t i = 0; i < pm->items_nr; i++) {
		struct action_item *item = &pm->items[i];
		char *key = id_key(item->id);
		enum pm_key_source source = PM_KEY_ID;
		size_t *j;

		if (key && keyset_get(used, key)) {
			free(key);
			key = NULL;
		}
		if (!key) {
			key = ticket_key(item->ticket_key);
			source = PM_KEY_TICKET;
		}
		if (key && keyset_get(used, key)) {
			free(key);
			key = NULL;
		}
		if (!key)
			continue;
		set_key(used, item, key, source);
		cur[i].strong = true;
		j = keyset_get(&prev_keys, key);
		if (j && old[*j].match < 0)
			keymatch_pair(cur, i, old, *j);
	}
	keyset_release(&prev_keys);
}

void keys_assign(struct postmortem *pm, const struct postmortem *prev)
{
	size_t n = pm->items_nr, m = prev ? prev->items_nr : 0;
	struct keymatch_item *cur = xcalloc(n ? n : 1, sizeof(*cur));
	struct keymatch_item *old = xcalloc(m ? m : 1, sizeof(*old));
	const char *identity = pm->origin_path ? pm->origin_path : (pm->path ? pm->path : "");
	uint64_t start = n ? text_key_start(identity) : 0;
	struct keyset used = KEYSET_INIT, texts = KEYSET_INIT;
	unsigned *occurrence = xcalloc(n ? n : 1, sizeof(*occurrence));

	for (size_t i = 0; i < n; i++) {
		free(pm->items[i].key);
		pm->items[i].key = NULL;
		keymatch_item_init(&cur[i], item_text(&pm->items[i]));
		/* the how-many-th row with this text, counted over every row */
		occurrence[i] = (unsigned)++*keyset_put(&texts, cur[i].text.norm);
	}
	for (size_t j = 0; j < m; j++)
		keymatch_item_init(&old[j], item_text(&prev->items[j]));

	assign_explicit(pm, cur, &used, prev, old);
	if (m)
		keymatch_match(cur, pm, old, prev);

	/* Inherit text keys first, so that fresh keys can avoid them. */
	for (size_t i = 0; i < n; i++) {
		const struct action_item *p;

		if (cur[i].strong || cur[i].match < 0 || !prev)
			continue;
		p = &prev->items[cur[i].match];
		if (p->key_source != PM_KEY_TEXT || !p->key || keyset_get(&used, p->key))
			continue;
		set_key(&used, &pm->items[i], xstrdup(p->key), PM_KEY_TEXT);
	}
	for (size_t i = 0; i < n; i++) {
		unsigned nth = occurrence[i];
		char *key;

		if (pm->items[i].key)
			continue;
		key = text_key(start, cur[i].text.norm, nth);
		while (keyset_get(&used, key)) {
			free(key);
			key = text_key(start, cur[i].text.norm, ++nth);
		}
		set_key(&used, &pm->items[i], key, PM_KEY_TEXT);
	}
	keyset_release(&used);
	keyset_release(&texts);
	free(occurrence);
	/* Closed in prev too: closed since then; else closed in this version. */
	for (size_t i = 0; i < n; i++) {
		struct action_item *item = &pm->items[i];
		const struct action_item *p =
		        prev && cur[i].match >= 0 ? &prev->items[cur[i].match] : NULL;

		if (item->status == PM_ITEM_OPEN)
			item->done_at = 0;
		else if (p && p->status == item->status)
			item->done_at = p->done_at;
		else
			item->done_at = PM_DONE_AT_NEW;
	}
	keymatch_items_free(cur, n);
	keymatch_items_free(old, m);
}
