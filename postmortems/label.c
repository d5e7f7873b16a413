/*
 * Labels: the words of a heading, a column header or a bold list label,
 * compared without their spelling. Normalizing lower-cases letters (ASCII
 * and Latin-1), turns punctuation, dashes, quotes and odd spaces into single
 * spaces and trims; matching then asks whether a pattern's words begin or
 * end the text, its last word possibly a prefix, so that "action item"
 * finds "New action items" and "Action items / follow-ups". A text is
 * prepared once (where its last words start) and matched against many
 * patterns cheaply.
 */
#include "util/compat.h"

#include "postmortems/label.h"

#include <string.h>

/* Length of the UTF-8 sequence starting with byte c (1 for a stray byte). */
void label_normalize(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = out->len;
	bool space = false;

	while (i < len) {
		size_t n = utf8_seq_len(u[i]);
		bool sep = false;

		if (n > len - i)
			n = len - i;
		if (n == 1)
			sep = !ascii_isalnum(u[i]);
		else if (u[i] == 0xc2)
			sep = true; /* NBSP, guillemets, middle dot... */
		else if (u[i] == 0xe2 && n == 3 && (u[i + 1] == 0x80 || u[i + 1] == 0x81))
			sep = true; /* general punctuation: dashes, quotes, zero-width */
		else if (u[i] == 0xef && n == 3 && u[i + 1] == 0xbb && u[i + 2] == 0xbf)
			sep = true;
		else if (u[i] == 0xe3 && n == 3 && u[i + 1] == 0x80 && u[i + 2] <= 0x82)
			sep = true; /* ideographic space and full stops */
		else if (u[i] == 0xef && n == 3 && u[i + 1] == 0xbc && u[i + 2] == 0x9a)
			sep = true; /* fullwidth colon */
		if (sep) {
			space = true;
			i += n;
			continue;
		}
		if (space && out->len > start)
			strbuf_addch(out, ' ');
		space = false;
		if (n == 1) {
			size_t run = i;
			strbuf_grow(out, len - i);
			while (run < len && ascii_isalnum(u[run]))
				out->buf[out->len++] = (char)ascii_tolower(u[run++]);
			out->buf[out->len] = '\0';
			i = run;
			continue;
		} else if (n == 2 && u[i] == 0xc3 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9e &&
		           u[i + 1] != 0x97) {
			strbuf_addch(out, 0xc3);
			strbuf_addch(out, u[i + 1] + 0x20);
		} else {
			strbuf_add(out, s + i, n);
		}
		i += n;
	}
}

void label_prepare(struct label *l, const char *text, size_t len)
{
	size_t k = len, w;

	l->text = text;
	l->len = len;
	/* starts[w]: where the last w words begin (len when there are fewer) */
	for (w = 1; w < LABEL_WORDS; w++) {
		if (w > 1) {
			if (k == 0) {
				l->starts[w] = len;
				continue;
			}
			k--;
		}
		while (k > 0 && text[k - 1] != ' ')
			k--;
		l->starts[w] = k;
	}
	l->starts[0] = len;
}

size_t label_words(const char *pattern, size_t len)
{
	size_t i, words = len ? 1 : 0;

	for (i = 0; i < len; i++)
		words += pattern[i] == ' ';
	return words;
}

bool label_match(const struct label *l, const char *pattern, size_t pl, size_t words, bool whole)
{
	const char *t = l->text;
	size_t k;

	if (!pl || pl > l->len)
		return false;
	/* prefix: the pattern begins the text, its last word may continue */
	if (t[0] == pattern[0] && !memcmp(t, pattern, pl) &&
	    (!whole || !memchr(t + pl, ' ', l->len - pl)))
		return true;
	if (whole || words >= LABEL_WORDS)
		return false;
	/* suffix: the last words of the text, the very last one possibly longer */
	k = l->starts[words];
	return k < l->len && t[k] == pattern[0] && l->len - k >= pl && !memcmp(t + k, pattern, pl);
}

bool label_matches(const char *text, const char *pattern, bool whole)
{
	struct label l;
	size_t pl = strlen(pattern);

	label_prepare(&l, text, strlen(text));
	return label_match(&l, pattern, pl, label_words(pattern, pl), whole);
}
