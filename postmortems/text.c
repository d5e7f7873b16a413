/*
 * Plain text out of hand-written values. A cell or a list item is written
 * by people and pasted from editors: it comes padded with no-break and
 * zero-width spaces, wrapped over lines, sprinkled with Markdown. These
 * primitives trim and collapse that white space the way a reader sees it and
 * turn simple Markdown into the plain text pmsync compares and prints;
 * they read only the bytes they are given, so callers pass slices of the
 * source without copying.
 */
#include "util/compat.h"

#include "postmortems/text.h"

#include <stdlib.h>
#include <string.h>

#include "postmortems/htmltable.h"
#include "util/xalloc.h"

/* Length of a space-like character at s (ASCII, NBSP, zero-width, BOM), else 0. */
static size_t space_at(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!len)
		return 0;
	if (ascii_isspace(u[0]))
		return 1;
	if (len >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (len >= 3 && u[0] == 0xe2 && u[1] == 0x80 &&
	    ((u[2] >= 0x80 && u[2] <= 0x8b) || u[2] == 0xaf))
		return 3;
	if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		return 3;
	if (len >= 3 && u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

/* Length of a space-like character ending at s[len - 1], else 0. */
static size_t space_before(const char *s, size_t len)
{
	size_t n;

	for (n = 1; n <= 3 && n <= len; n++)
		if (space_at(s + len - n, n) == n)
			return n;
	return 0;
}

void text_trim(const char **s, size_t *len)
{
	size_t n;

	/* most values are padded with plain spaces, if at all */
	while (*len && **s == ' ') {
		(*s)++;
		(*len)--;
	}
	while (*len && (*s)[*len - 1] == ' ')
		(*len)--;
	/* and then start and end with a visible ASCII character */
	if (*len && (unsigned char)**s > ' ' && (unsigned char)**s < 0x7f &&
	    (unsigned char)(*s)[*len - 1] > ' ' && (unsigned char)(*s)[*len - 1] < 0x7f)
		return;
	while ((n = space_at(*s, *len))) {
		*s += n;
		*len -= n;
	}
	while ((n = space_before(*s, *len)))
		*len -= n;
}

char *text_dup_trimmed(const char *s, size_t len)
{
	text_trim(&s, &len);
	return len ? xstrndup(s, len) : NULL;
}

void text_add_collapsed(struct strbuf *out, bool *space, const char *s, size_t len)
{
	size_t i = 0, n;
	char *w;

	/* the output never grows by more than the input and one space */
	strbuf_grow(out, len + 1);
	w = out->buf + out->len;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c > ' ' && c < 0x7f) {
			if (*space && w > out->buf)
				*w++ = ' ';
			*space = false;
			do {
				*w++ = s[i++];
			} while (i < len && (unsigned char)s[i] > ' ' &&
			         (unsigned char)s[i] < 0x7f);
			continue;
		}
		n = space_at(s + i, len - i);
		if (n) {
			/* zero-width characters join, they do not separate */
			if (!(n == 3 && (c == 0xef || (unsigned char)s[i + 2] == 0x8b)))
				*space = true;
			i += n;
			continue;
		}
		if (*space && w > out->buf)
			*w++ = ' ';
		*space = false;
		*w++ = s[i++];
	}
	out->len = (size_t)(w - out->buf);
	out->buf[out->len] = '\0';
}

/* Finds the bracket closing the one at s[i] (nesting counted, escapes skipped). */
static size_t match_bracket(const char *s, size_t len, size_t i, char open, char close)
{
	int depth = 0;

	for (; i < len; i++) {
		if (s[i] == '\\') {
			i++;
		} else if (s[i] == open) {
			depth++;
		} else if (s[i] == close && --depth == 0) {
			return i;
		}
	}
	return len;
}

static bool is_ascii_punct(int c)
{
	return c > ' ' && c < 127 && !ascii_isalnum(c);
}

static void md_plain(struct strbuf *out, bool *space, const char *s, size_t len, int depth);

/* A code span from s[i] (a run of backticks): its text as is. Returns where it ends. */
static size_t md_code_span(struct strbuf *out, bool *space, const char *s, size_t len, size_t i)
{
	size_t run = 0, k;

	while (i + run < len && s[i + run] == '`')
		run++;
	for (k = i + run; k < len; k++) {
		size_t r = 0;
		while (k + r < len && s[k + r] == '`')
			r++;
		if (r == run)
			break;
		k += r ? r - 1 : 0;
	}
	if (k < len) {
		text_add_collapsed(out, space, s + i + run, k - i - run);
		return k + run;
	}
	text_add_collapsed(out, space, s + i, run);
	return i + run;
}

/* "[text](url)" or "![alt](url)" at s[i]: the link's text, an image's nothing. i when neither. */
static size_t md_link(struct strbuf *out, bool *space, const char *s, size_t len, size_t i,
                      int depth)
{
	size_t open = s[i] == '!' ? i + 1 : i, close, end;

	if (depth >= 8 || (s[i] == '!' && (i + 1 >= len || s[i + 1] != '[')))
		return i;
	close = match_bracket(s, len, open, '[', ']');
	if (close >= len || close + 1 >= len || s[close + 1] != '(')
		return i;
	end = match_bracket(s, len, close + 1, '(', ')');
	if (end >= len)
		return i;
	if (s[i] == '[')
		md_plain(out, space, s + open + 1, close - open - 1, depth + 1);
	return end + 1;
}

/* An HTML comment, "<https://...>" autolink or tag at s[i]; i when none. */
static size_t md_html(struct strbuf *out, bool *space, const char *s, size_t len, size_t i)
{
	size_t j;

	if (len - i >= 4 && !memcmp(s + i, "<!--", 4)) {
		for (j = i + 4; j + 2 < len && memcmp(s + j, "-->", 3); j++)
			;
		return j + 2 < len ? j + 3 : len;
	}
	for (j = i + 1; j < len && s[j] != '>' && s[j] != '<' && s[j] != ' '; j++)
		;
	if (j < len && s[j] == '>' &&
	    (ascii_starts_ci(s + i + 1, len - i - 1, "http://") ||
	     ascii_starts_ci(s + i + 1, len - i - 1, "https://") ||
	     ascii_starts_ci(s + i + 1, len - i - 1, "mailto:"))) {
		text_add_collapsed(out, space, s + i + 1, j - i - 1);
		return j + 1;
	}
	if (i + 1 < len && (ascii_isalpha(s[i + 1]) || s[i + 1] == '/')) {
		for (j = i + 1; j < len && s[j] != '>' && s[j] != '<'; j++)
			;
		if (j < len && s[j] == '>') {
			*space = *space || ascii_starts_ci(s + i + 1, len - i - 1, "br");
			return j + 1;
		}
	}
	return i;
}

/* An entity ("&amp;", "&#233;") at s[i], decoded; i when none. */
static size_t md_entity(struct strbuf *out, bool *space, const char *s, size_t len, size_t i)
{
	struct strbuf ent = STRBUF_INIT;
	size_t used = htmltable_decode_entity(&ent, s + i, len - i);

	if (used)
		text_add_collapsed(out, space, ent.buf, ent.len);
	strbuf_release(&ent);
	return i + used;
}

/*
 * A run of emphasis or strikethrough marks at s[i]: dropped, except
 * intraword underscores (snake_case), a lone "~" and a "a * b" that stay.
 */
static size_t md_emphasis(struct strbuf *out, bool *space, const char *s, size_t len, size_t i)
{
	char c = s[i];
	size_t run = 0;
	bool before, after;

	while (i + run < len && s[i + run] == c)
		run++;
	before = i > 0 && ascii_isalnum((unsigned char)s[i - 1]);
	after = i + run < len && ascii_isalnum((unsigned char)s[i + run]);
	if ((c == '_' && before && after) || (c == '~' && run < 2) ||
	    (c != '_' && (i == 0 || s[i - 1] == ' ') && (i + run >= len || s[i + run] == ' ')))
		text_add_collapsed(out, space, s + i, run);
	return i + run;
}

static void md_plain(struct strbuf *out, bool *space, const char *s, size_t len, int depth)
{
	size_t i = 0, j, next;

	while (i < len) {
		char c = s[i];

		if (c == '\\' && i + 1 < len && is_ascii_punct((unsigned char)s[i + 1])) {
			text_add_collapsed(out, space, s + i + 1, 1);
			i += 2;
			continue;
		}
		if (c == '`')
			next = md_code_span(out, space, s, len, i);
		else if (c == '[' || c == '!')
			next = md_link(out, space, s, len, i, depth);
		else if (c == '<')
			next = md_html(out, space, s, len, i);
		else if (c == '&')
			next = md_entity(out, space, s, len, i);
		else if (c == '*' || c == '~' || c == '_')
			next = md_emphasis(out, space, s, len, i);
		else
			next = i;
		if (next > i) {
			i = next;
			continue;
		}
		/* a run of ordinary text, up to the next character with a meaning */
		for (j = i + 1; j < len && !strchr("\\`[!<&*~_", s[j]); j++)
			;
		text_add_collapsed(out, space, s + i, j - i);
		i = j;
	}
}

void text_md_to_plain(struct strbuf *out, const char *s, size_t len)
{
	bool space = false;

	md_plain(out, &space, s, len, 0);
}
