/*
 * An action's text as item keys see it: normalised (lower-case, Markdown
 * and punctuation dropped, white space collapsed), hashed, and, once a
 * similarity is asked for, its sets of words and character bigrams.
 * Similarity is the larger of the word-set and the bigram Dice
 * coefficients. Key matching (keymatch.c) and its candidate index
 * (keyindex.c) both build on it.
 */
#include "util/compat.h"

#include "postmortems/keytext.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/xalloc.h"

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

/* Byte c lower-cased when it is an ASCII letter or digit, else 0: one load per byte. */
static const unsigned char *alnum_lower_table(void)
{
	static unsigned char t[256];
	static bool ready;

	if (!ready) {
		for (int c = 0; c < 128; c++)
			t[c] = ascii_isalnum(c) ? (unsigned char)ascii_tolower(c) : 0;
		ready = true;
	}
	return t;
}

char *keytext_normalize(const char *text)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	size_t len = strlen((const char *)s), n_out = 0;
	char *out = xmalloc(len + 1); /* never longer than the input */
	const unsigned char *fold = alnum_lower_table();
	bool pending_space = false;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n;
		bool sep;

		if (fold[s[i]]) {
			/* a run of ASCII letters and digits, the common case */
			unsigned char c;

			if (pending_space)
				out[n_out++] = ' ';
			pending_space = false;
			while ((c = fold[s[i]])) { /* stops at the NUL */
				out[n_out++] = (char)c;
				i++;
			}
			continue;
		}
		if (s[i] < 0x80) {
			n = 1;
			sep = !ascii_isalnum(s[i]);
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
				out[n_out++] = (char)ascii_tolower(s[i]);
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

void keytext_init(struct keytext *k, const char *text)
{
	memset(k, 0, sizeof(*k));
	k->norm = keytext_normalize(text);
	k->hash = fnv1a64(FNV1A64_OFFSET, k->norm, strlen(k->norm));
}

void keytext_release(struct keytext *k)
{
	free(k->norm);
	free(k->tokens);
	free(k->bigrams);
	memset(k, 0, sizeof(*k));
}

/*
 * For one unsigned type: the qsort() order, and how many elements two
 * sorted arrays have in common, as multisets.
 */
#define SORTED_SET_FUNCS(suffix, type)                                                    \
	static int cmp_##suffix(const void *a, const void *b)                             \
	{                                                                                 \
		type x = *(const type *)a, y = *(const type *)b;                          \
                                                                                          \
		return x < y ? -1 : x > y;                                                \
	}                                                                                 \
                                                                                          \
	static size_t common_##suffix(const type *a, size_t an, const type *b, size_t bn) \
	{                                                                                 \
		size_t i = 0, j = 0, c = 0;                                               \
                                                                                          \
		while (i < an && j < bn) {                                                \
			if (a[i] < b[j]) {                                                \
				i++;                                                      \
			} else if (a[i] > b[j]) {                                         \
				j++;                                                      \
			} else {                                                          \
				c++;                                                      \
				i++;                                                      \
				j++;                                                      \
			}                                                                 \
		}                                                                         \
		return c;                                                                 \
	}

SORTED_SET_FUNCS(u64, uint64_t)
SORTED_SET_FUNCS(u32, uint32_t)

/* Tokens and bigrams, computed only for items that reach the similarity pass. */
void keytext_features(struct keytext *k)
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

double keytext_similarity(struct keytext *a, struct keytext *b)
{
	double tok = 0, big = 0;

	keytext_features(a);
	keytext_features(b);
	if (a->tokens_nr + b->tokens_nr)
		tok = 2.0 * (double)common_u64(a->tokens, a->tokens_nr, b->tokens, b->tokens_nr) /
		      (double)(a->tokens_nr + b->tokens_nr);
	if (a->bigrams_nr + b->bigrams_nr)
		big = 2.0 *
		      (double)common_u32(a->bigrams, a->bigrams_nr, b->bigrams, b->bigrams_nr) /
		      (double)(a->bigrams_nr + b->bigrams_nr);
	return tok > big ? tok : big;
}
