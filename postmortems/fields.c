/*
 * Cell-value readers. Postmortems are written by hand, so a value comes in
 * many spellings: "n/a DONE" in a bug column, "???" for an owner, "July 1,
 * 2020" for a date, a Linear URL where a key was meant. Each reader here
 * turns one spelling family into pmsync's form and says "absent" for the
 * rest; none of them allocates unless it returns a string, and none looks at
 * more than the bytes it is given, so the parser can call them on slices of
 * the source without copying.
 */
#include "postmortems/fields.h"

#include <stdlib.h>
#include <string.h>

#include "postmortems/htmltable.h"
#include "util/xalloc.h"
#include "util/banned.h"

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(int c)
{
	return is_digit(c) || is_alpha(c);
}

static bool is_ascii_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of a space-like character at s (ASCII, NBSP, zero-width, BOM), else 0. */
static size_t space_at(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!len)
		return 0;
	if (is_ascii_space(u[0]))
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

void fields_trim(const char **s, size_t *len)
{
	size_t n;

	/* most values start and end with a visible ASCII character */
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

char *fields_dup_trimmed(const char *s, size_t len)
{
	fields_trim(&s, &len);
	return len ? xstrndup(s, len) : NULL;
}

static bool eq_ci(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!word[i] || lower((unsigned char)s[i]) != (unsigned char)word[i])
			return false;
	return word[len] == '\0';
}

/*
 * A word list with a bitmap of the first bytes of its words, so that most
 * values (which start with a letter no listed word starts with) are
 * rejected without walking the list. The bitmap is filled on first use.
 */
struct wordlist {
	const char *const *words;
	unsigned char first[32];
	bool ready;
};

static bool in_list_ci(const char *s, size_t len, struct wordlist *l)
{
	const char *const *w;
	unsigned char c;

	if (len > 16)
		return false; /* no listed word is longer */
	if (!l->ready) {
		for (w = l->words; *w; w++) {
			c = (unsigned char)(*w)[0];
			l->first[c >> 3] |= (unsigned char)(1u << (c & 7));
		}
		l->ready = true;
	}
	c = len ? (unsigned char)lower((unsigned char)s[0]) : 0;
	if (!(l->first[c >> 3] & (1u << (c & 7))))
		return false;
	for (w = l->words; *w; w++)
		if (eq_ci(s, len, *w))
			return true;
	return false;
}

void fields_add_collapsed(struct strbuf *out, bool *space, const char *s, size_t len)
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

/* Length of the UTF-8 sequence starting with byte c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

void fields_normalize(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = out->len;
	bool space = false;

	while (i < len) {
		size_t n = utf8_len(u[i]);
		bool sep = false;

		if (n > len - i)
			n = len - i;
		if (n == 1)
			sep = !is_alnum(u[i]);
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
			while (run < len && is_alnum(u[run]))
				out->buf[out->len++] = (char)lower(u[run++]);
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

void fields_label_prepare(struct fields_label *l, const char *text, size_t len)
{
	size_t k = len, w;

	l->text = text;
	l->len = len;
	/* starts[w]: where the last w words begin (len when there are fewer) */
	for (w = 1; w < FIELDS_LABEL_WORDS; w++) {
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

size_t fields_label_words(const char *pattern, size_t len)
{
	size_t i, words = len ? 1 : 0;

	for (i = 0; i < len; i++)
		words += pattern[i] == ' ';
	return words;
}

bool fields_label_match(const struct fields_label *l, const char *pattern, size_t pl, size_t words,
                        bool whole)
{
	const char *t = l->text;
	size_t k;

	if (!pl || pl > l->len)
		return false;
	/* prefix: the pattern begins the text, its last word may continue */
	if (t[0] == pattern[0] && !memcmp(t, pattern, pl) &&
	    (!whole || !memchr(t + pl, ' ', l->len - pl)))
		return true;
	if (whole || words >= FIELDS_LABEL_WORDS)
		return false;
	/* suffix: the last words of the text, the very last one possibly longer */
	k = l->starts[words];
	return k < l->len && t[k] == pattern[0] && l->len - k >= pl && !memcmp(t + k, pattern, pl);
}

bool fields_label_matches(const char *text, const char *pattern, bool whole)
{
	struct fields_label l;
	size_t pl = strlen(pattern);

	fields_label_prepare(&l, text, strlen(text));
	return fields_label_match(&l, pattern, pl, fields_label_words(pattern, pl), whole);
}

static const struct {
	const char *name;
	enum fields_column col;
} columns[] = {
        {"action", FIELDS_COL_ACTION},
        {"action item", FIELDS_COL_ACTION},
        {"action to take", FIELDS_COL_ACTION},
        {"item", FIELDS_COL_ACTION},
        {"task", FIELDS_COL_ACTION},
        {"todo", FIELDS_COL_ACTION},
        {"what", FIELDS_COL_ACTION},
        {"description", FIELDS_COL_ACTION},
        {"mesure à prendre", FIELDS_COL_ACTION},
        {"owner", FIELDS_COL_OWNER},
        {"who", FIELDS_COL_OWNER},
        {"assignee", FIELDS_COL_OWNER},
        {"assigned to", FIELDS_COL_OWNER},
        {"dri", FIELDS_COL_OWNER},
        {"responsable", FIELDS_COL_OWNER},
        {"due", FIELDS_COL_DUE},
        {"due date", FIELDS_COL_DUE},
        {"deadline", FIELDS_COL_DUE},
        {"target", FIELDS_COL_DUE},
        {"target date", FIELDS_COL_DUE},
        {"by", FIELDS_COL_DUE},
        {"échéance", FIELDS_COL_DUE},
        {"type", FIELDS_COL_LEVER},
        {"lever", FIELDS_COL_LEVER},
        {"kind", FIELDS_COL_LEVER},
        {"category", FIELDS_COL_LEVER},
        {"ticket", FIELDS_COL_TICKET},
        {"bug", FIELDS_COL_TICKET},
        {"issue", FIELDS_COL_TICKET},
        {"de problème", FIELDS_COL_TICKET},
        {"jira", FIELDS_COL_TICKET},
        {"linear", FIELDS_COL_TICKET},
        {"link", FIELDS_COL_TICKET},
        {"reference", FIELDS_COL_TICKET},
        {"ref", FIELDS_COL_TICKET},
        {"tracking issue", FIELDS_COL_TICKET},
        {"status", FIELDS_COL_STATUS},
        {"state", FIELDS_COL_STATUS},
        {"done", FIELDS_COL_STATUS},
        {"complet", FIELDS_COL_STATUS},
        {"statut", FIELDS_COL_STATUS},
        {"priority", FIELDS_COL_PRIORITY},
        {"niveau de priorité", FIELDS_COL_PRIORITY},
        {"priorité", FIELDS_COL_PRIORITY},
        {"id", FIELDS_COL_ID},
        {"key", FIELDS_COL_ID},
};

static enum fields_column lookup_column(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		if (strlen(columns[i].name) == len && !memcmp(columns[i].name, s, len))
			return columns[i].col;
	return FIELDS_COL_OTHER;
}

enum fields_column fields_column(const char *header, size_t len)
{
	struct strbuf norm = STRBUF_INIT;
	enum fields_column col = FIELDS_COL_OTHER;
	char raw[128];
	size_t i, n = 0;
	int depth = 0;

	fields_trim(&header, &len);
	if (len == 1 && *header == '#')
		return FIELDS_COL_ID;
	if (len >= sizeof(raw))
		return FIELDS_COL_OTHER; /* no column name is that long */
	/* "Type (Mitigate/ Prevent/ Process/ Other)" is a Type column */
	for (i = 0; i < len; i++) {
		if (header[i] == '(')
			depth++;
		else if (header[i] == ')' && depth)
			depth--;
		else if (!depth)
			raw[n++] = header[i];
	}
	fields_normalize(&norm, raw, n);
	col = lookup_column(norm.buf, norm.len);
	if (col == FIELDS_COL_OTHER && norm.len > 1 && norm.buf[norm.len - 1] == 's')
		col = lookup_column(norm.buf, norm.len - 1);
	strbuf_release(&norm);
	return col;
}

static const char *const month_names[] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december",
};

static const char *const weekdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                       "friday", "saturday", "sunday",    NULL};

/* Reads a month name (full, 3-letter or "sept", any case) at s; returns its length. */
static size_t read_month(const char *s, size_t len, int *month)
{
	size_t n = 0;
	int m;

	while (n < len && is_alpha(s[n]))
		n++;
	if (n < 3)
		return 0;
	for (m = 0; m < 12; m++) {
		const char *name = month_names[m];
		size_t k;
		if (n > strlen(name))
			continue;
		for (k = 0; k < n; k++)
			if (lower(s[k]) != name[k])
				break;
		if (k < n)
			continue;
		if (n == strlen(name) || n == 3 || (m == 8 && n == 4)) {
			*month = m + 1;
			if (n < len && s[n] == '.')
				n++;
			return n;
		}
	}
	return 0;
}

static size_t read_number(const char *s, size_t len, size_t max_digits, int *out)
{
	size_t n = 0;
	int v = 0;

	while (n < len && n < max_digits && is_digit(s[n]))
		v = v * 10 + (s[n++] - '0');
	if (!n || (n < len && is_digit(s[n])))
		return 0;
	*out = v;
	return n;
}

static size_t skip_spaces(const char *s, size_t len, size_t i, bool commas)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || (commas && s[i] == ',')))
		i++;
	return i;
}

/* Skips an ordinal suffix (st, nd, rd, th) after a day number. */
static size_t skip_ordinal(const char *s, size_t len, size_t i)
{
	if (i + 1 < len && is_alpha(s[i]) && is_alpha(s[i + 1]) &&
	    (i + 2 >= len || !is_alpha(s[i + 2]))) {
		int a = lower(s[i]), b = lower(s[i + 1]);
		if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
		    (a == 't' && b == 'h'))
			return i + 2;
	}
	return i;
}

static bool valid_date(int y, int m, int d)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int dim;

	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	dim = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	return d <= dim;
}

static size_t finish_date(char out[11], int y, int m, int d, size_t consumed)
{
	if (!valid_date(y, m, d))
		return 0;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return consumed;
}

size_t fields_date_prefix(char out[11], const char *s, size_t len)
{
	size_t i = 0, n, start;
	int y, m, d;
	const char *const *w;

	/* an optional weekday: "Wed 20th Sep 2023", "Monday, May 4, 2026" */
	for (w = weekdays; len && is_alpha(s[0]) && *w; w++) {
		size_t k = 0;
		while (k < len && is_alpha(s[k]) && (*w)[k] && lower(s[k]) == (*w)[k])
			k++;
		if ((k == strlen(*w) || k == 3) && (k >= len || !is_alpha(s[k]))) {
			i = skip_spaces(s, len, k + (k < len && s[k] == '.'), true);
			break;
		}
	}
	start = i;
	/* 2026-05-01, 2026-5-1, 2026/05/01 */
	if ((n = read_number(s + i, len - i, 4, &y)) == 4 && i + n < len &&
	    (s[i + n] == '-' || s[i + n] == '/')) {
		char sep = s[i + n];
		i += n + 1;
		if ((n = read_number(s + i, len - i, 2, &m)) && i + n < len && s[i + n] == sep) {
			i += n + 1;
			if ((n = read_number(s + i, len - i, 2, &d)))
				return finish_date(out, y, m, d, i + n);
		}
		return 0;
	}
	i = start;
	/* May 1, 2026 */
	if ((n = read_month(s + i, len - i, &m))) {
		i = skip_spaces(s, len, i + n, false);
		if (!(n = read_number(s + i, len - i, 2, &d)))
			return 0;
		i = skip_spaces(s, len, skip_ordinal(s, len, i + n), true);
		if ((n = read_number(s + i, len - i, 4, &y)) != 4)
			return 0;
		return finish_date(out, y, m, d, i + n);
	}
	/* 1 May 2026, 7th September, 2022, 1 of May 2026 */
	if ((n = read_number(s + i, len - i, 2, &d))) {
		i = skip_spaces(s, len, skip_ordinal(s, len, i + n), false);
		if (len - i > 3 && lower(s[i]) == 'o' && lower(s[i + 1]) == 'f' && s[i + 2] == ' ')
			i = skip_spaces(s, len, i + 2, false);
		if (!(n = read_month(s + i, len - i, &m)))
			return 0;
		i = skip_spaces(s, len, i + n, true);
		if ((n = read_number(s + i, len - i, 4, &y)) != 4)
			return 0;
		return finish_date(out, y, m, d, i + n);
	}
	return 0;
}

bool fields_date(char out[11], const char *s, size_t len)
{
	char tmp[11];
	size_t n;

	fields_trim(&s, &len);
	if (len && s[len - 1] == '.')
		len--;
	n = fields_date_prefix(tmp, s, len);
	if (!n || n != len)
		return false;
	memcpy(out, tmp, sizeof(tmp));
	return true;
}

static const char *const none_words_v[] = {
        "",     "-",   "--",           "---",          "n/a",    "na",
        "none", "tbd", "tba",          "unknown",      "nobody", "unassigned",
        "null", "nil", "\xe2\x80\x94", "\xe2\x80\x93", "...",    "\xe2\x80\xa6",
        "?",    "/",   NULL,
};

static struct wordlist none_words = {none_words_v, {0}, false};

/* Strips Markdown emphasis markers around a value: **DONE**, _n/a_. */
static void strip_emphasis(const char **s, size_t *len)
{
	while (*len >= 2 && ((*s)[0] == '*' || (*s)[0] == '_') && (*s)[*len - 1] == (*s)[0]) {
		(*s)++;
		*len -= 2;
		fields_trim(s, len);
	}
}

bool fields_is_none(const char *s, size_t len)
{
	size_t i;

	fields_trim(&s, &len);
	strip_emphasis(&s, &len);
	if (in_list_ci(s, len, &none_words))
		return true;
	for (i = 0; i < len && s[i] == '?'; i++)
		;
	return len && i == len;
}

char *fields_owner(const char *s, size_t len)
{
	char *out;
	size_t i, n = 0;

	fields_trim(&s, &len);
	if (fields_is_none(s, len))
		return NULL;
	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		char prev = i ? s[i - 1] : ' ';
		if (s[i] == '@' && (prev == ' ' || prev == ',' || prev == '/' || prev == '(' ||
		                    prev == '&' || prev == ';'))
			continue;
		out[n++] = s[i];
	}
	out[n] = '\0';
	if (!n) {
		free(out);
		return NULL;
	}
	return out;
}

static const char *const done_words_v[] = {
        "done",
        "closed",
        "fixed",
        "resolved",
        "complete",
        "completed",
        "finished",
        "merged",
        "shipped",
        "implemented",
        "fait",
        "terminé",
        "résolu",
        "complété",
        "\xe2\x9c\x85",
        "\xe2\x9c\x94",
        "\xe2\x9c\x94\xef\xb8\x8f",
        "\xe2\x98\x91",
        "\xe2\x9c\x93",
        NULL,
};

static struct wordlist done_words = {done_words_v, {0}, false};

static const char *const open_words_v[] = {
        "todo",      "to do",   "open",        "in progress", "in-progress", "wip",
        "pending",   "planned", "not started", "blocked",     "ongoing",     "not done",
        "in review", "new",     "started",     "to be done",  NULL,
};

static struct wordlist open_words = {open_words_v, {0}, false};

enum fields_status fields_status_word(const char *s, size_t len)
{
	fields_trim(&s, &len);
	strip_emphasis(&s, &len);
	while (len && (s[len - 1] == '.' || s[len - 1] == '!'))
		len--;
	if (in_list_ci(s, len, &done_words))
		return FIELDS_STATUS_DONE;
	if (in_list_ci(s, len, &open_words))
		return FIELDS_STATUS_OPEN;
	return FIELDS_STATUS_NONE;
}

enum fields_status fields_split_status(const char *s, size_t len, size_t *rest_len,
                                       size_t *word_off, size_t *word_len)
{
	const char *start = s;
	size_t k;
	enum fields_status st;

	fields_trim(&s, &len);
	if ((st = fields_status_word(s, len))) {
		*rest_len = 0;
		*word_off = (size_t)(s - start);
		*word_len = len;
		return st;
	}
	for (k = len; k > 0 && !is_ascii_space((unsigned char)s[k - 1]); k--)
		;
	if (!k)
		return FIELDS_STATUS_NONE;
	st = fields_status_word(s + k, len - k);
	if (!st)
		return FIELDS_STATUS_NONE;
	*word_off = (size_t)(s + k - start);
	*word_len = len - k;
	while (k > 0 && is_ascii_space((unsigned char)s[k - 1]))
		k--;
	*rest_len = (size_t)(s + k - start);
	return st;
}

static bool has_word_char(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = utf8_len(c);
		if (n == 1 && is_alnum(c))
			return true;
		if (n > 1 && c != 0xc2 &&
		    !(c == 0xe2 && i + 1 < len &&
		      ((unsigned char)s[i + 1] == 0x80 || (unsigned char)s[i + 1] == 0x81)))
			return true;
		i += n;
	}
	return false;
}

bool fields_is_placeholder(const char *s, size_t len)
{
	struct strbuf rest = STRBUF_INIT;
	size_t i = 0;
	bool placeholder;

	fields_trim(&s, &len);
	if (!len || fields_is_none(s, len) || fields_status_word(s, len))
		return true;
	/* "... another item": template residue that still has words */
	if ((len >= 3 && !memcmp(s, "...", 3)) || (len >= 3 && !memcmp(s, "\xe2\x80\xa6", 3)))
		return true;
	if (!memchr(s, '{', len) && !memchr(s, '[', len))
		return !has_word_char(s, len);
	/* drop {{ mustache }} fields and [bracketed hints] */
	while (i < len) {
		const char *close = NULL;
		if (i + 1 < len && s[i] == '{' && s[i + 1] == '{') {
			const char *p = s + i + 2;
			while (p + 1 < s + len && !(p[0] == '}' && p[1] == '}'))
				p++;
			if (p + 1 < s + len)
				close = p + 1;
		} else if (s[i] == '[') {
			close = memchr(s + i, ']', len - i);
		}
		if (close) {
			i = (size_t)(close - s) + 1;
			continue;
		}
		strbuf_addch(&rest, s[i++]);
	}
	placeholder = !has_word_char(rest.buf, rest.len) || fields_is_none(rest.buf, rest.len);
	strbuf_release(&rest);
	return placeholder;
}

bool fields_is_ticket_key(const char *s, size_t len)
{
	size_t i = 1, digits = 0;

	if (len < 3 || !(s[0] >= 'A' && s[0] <= 'Z'))
		return false;
	while (i < len && i <= 15 &&
	       ((s[i] >= 'A' && s[i] <= 'Z') || is_digit(s[i]) || s[i] == '_'))
		i++;
	if (i >= len || s[i] != '-')
		return false;
	for (i++; i < len && is_digit(s[i]); i++)
		digits++;
	return i == len && digits > 0 && digits <= 9;
}

static bool starts_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix), i;

	if (len < n)
		return false;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != prefix[i])
			return false;
	return true;
}

static const char *find_str(const char *s, const char *needle)
{
	return strstr(s, needle);
}

/* The path segment after marker in url ("/browse/" -> "OPS-45"), if it is a key. */
static char *key_after(const char *url, const char *marker)
{
	const char *p = find_str(url, marker), *e;

	if (!p)
		return NULL;
	p += strlen(marker);
	for (e = p; *e && *e != '/' && *e != '?' && *e != '#' && *e != '&'; e++)
		;
	return fields_is_ticket_key(p, (size_t)(e - p)) ? xstrndup(p, (size_t)(e - p)) : NULL;
}

/* "owner/repo#123" */
static bool is_github_shorthand(const char *s, size_t len)
{
	size_t i = 0, slash = 0, hash = 0;

	for (; i < len; i++) {
		if (s[i] == '/' && !hash)
			slash = i;
		else if (s[i] == '#')
			hash = i;
		else if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
		else if (hash && !is_digit(s[i]))
			return false;
	}
	return slash > 0 && hash > slash + 1 && hash + 1 < len;
}

static void classify_url(struct fields_ticket *out, const char *url)
{
	const char *gh = find_str(url, "github.com/");

	out->kind = PM_TICKET_OTHER;
	if (find_str(url, "linear.app/")) {
		out->kind = PM_TICKET_URL;
		out->key = key_after(url, "/issue/");
	} else if (find_str(url, "/browse/") || find_str(url, "atlassian.net") ||
	           find_str(url, "jira.")) {
		out->kind = PM_TICKET_URL;
		out->key = key_after(url, "/browse/");
		if (!out->key)
			out->key = key_after(url, "selectedIssue=");
	} else if (gh && (find_str(gh, "/issues/") || find_str(gh, "/pull/"))) {
		out->kind = PM_TICKET_GITHUB;
	}
}

bool fields_is_tracker_url(const char *url)
{
	const char *gh = find_str(url, "github.com/");

	if (gh && (find_str(gh, "/issues/") || find_str(gh, "/pull/") || find_str(gh, "/commit/")))
		return true;
	return find_str(url, "linear.app/") || find_str(url, "/browse/") ||
	       find_str(url, "/-/issues/") || find_str(url, "/-/merge_requests/");
}

void fields_ticket(struct fields_ticket *out, const char *text, size_t len, const char *url)
{
	size_t first;

	memset(out, 0, sizeof(*out));
	fields_trim(&text, &len);
	if (url && *url && strncmp(url, "#", 1)) {
		out->ticket = xstrdup(url);
		classify_url(out, url);
		return;
	}
	if (fields_is_none(text, len))
		return;
	out->ticket = xstrndup(text, len);
	if (starts_ci(text, len, "http://") || starts_ci(text, len, "https://")) {
		classify_url(out, out->ticket);
		return;
	}
	for (first = 0; first < len && !is_ascii_space((unsigned char)text[first]); first++)
		;
	if (fields_is_ticket_key(text, first)) {
		out->kind = PM_TICKET_KEY;
		out->key = xstrndup(text, first);
	} else if (is_github_shorthand(text, len)) {
		out->kind = PM_TICKET_GITHUB;
	} else {
		out->kind = PM_TICKET_OTHER;
	}
}

void fields_ticket_release(struct fields_ticket *t)
{
	free(t->ticket);
	free(t->key);
	memset(t, 0, sizeof(*t));
}

char *fields_lever(const char *s, size_t len)
{
	char *out;
	size_t i;

	fields_trim(&s, &len);
	if (fields_is_none(s, len))
		return NULL;
	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		/* Latin-1 capitals (U+00C0..U+00DE but U+00D7) are C3 80..9E */
		if (i > 0 && (unsigned char)s[i - 1] == 0xc3 && c >= 0x80 && c <= 0x9e && c != 0x97)
			out[i] = (char)(c + 0x20);
		else
			out[i] = (char)lower(c);
	}
	out[len] = '\0';
	return out;
}

static const char *const builtin_levers_v[] = {
        "test",    "tests",  "runbook",    "alert",    "alerting", "code",
        "prompt",  "eval",   "evals",      "docs",     "doc",      "documentation",
        "process", "config", "monitoring", "training", NULL,
};

static struct wordlist builtin_levers = {builtin_levers_v, {0}, false};

bool fields_is_lever(const char *s, size_t len, const struct pm_strlist *levers)
{
	size_t i;

	fields_trim(&s, &len);
	if (!levers)
		return in_list_ci(s, len, &builtin_levers);
	for (i = 0; i < levers->nr; i++) {
		const char *l = levers->v[i];
		size_t k;
		if (strlen(l) != len)
			continue;
		for (k = 0; k < len && lower((unsigned char)s[k]) == lower((unsigned char)l[k]);
		     k++)
			;
		if (k == len)
			return true;
	}
	return false;
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
	return c > ' ' && c < 127 && !is_alnum(c);
}

static void md_plain(struct strbuf *out, bool *space, const char *s, size_t len, int depth)
{
	size_t i = 0;

	while (i < len) {
		char c = s[i];
		size_t j;

		if (c == '\\' && i + 1 < len && is_ascii_punct((unsigned char)s[i + 1])) {
			fields_add_collapsed(out, space, s + i + 1, 1);
			i += 2;
			continue;
		}
		if (c == '`') {
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
				fields_add_collapsed(out, space, s + i + run, k - i - run);
				i = k + run;
			} else {
				fields_add_collapsed(out, space, s + i, run);
				i += run;
			}
			continue;
		}
		if ((c == '[' || (c == '!' && i + 1 < len && s[i + 1] == '[')) && depth < 8) {
			size_t open = c == '!' ? i + 1 : i;
			size_t close = match_bracket(s, len, open, '[', ']');
			if (close < len && close + 1 < len && s[close + 1] == '(') {
				size_t end = match_bracket(s, len, close + 1, '(', ')');
				if (end < len) {
					if (c == '[')
						md_plain(out, space, s + open + 1, close - open - 1,
						         depth + 1);
					i = end + 1;
					continue;
				}
			}
		}
		if (c == '<') {
			if (len - i >= 4 && !memcmp(s + i, "<!--", 4)) {
				for (j = i + 4; j + 2 < len && memcmp(s + j, "-->", 3); j++)
					;
				i = j + 2 < len ? j + 3 : len;
				continue;
			}
			for (j = i + 1; j < len && s[j] != '>' && s[j] != '<' && s[j] != ' '; j++)
				;
			if (j < len && s[j] == '>' &&
			    (starts_ci(s + i + 1, len - i - 1, "http://") ||
			     starts_ci(s + i + 1, len - i - 1, "https://") ||
			     starts_ci(s + i + 1, len - i - 1, "mailto:"))) {
				fields_add_collapsed(out, space, s + i + 1, j - i - 1);
				i = j + 1;
				continue;
			}
			if (i + 1 < len && (is_alpha(s[i + 1]) || s[i + 1] == '/')) {
				for (j = i + 1; j < len && s[j] != '>' && s[j] != '<'; j++)
					;
				if (j < len && s[j] == '>') {
					*space = *space || starts_ci(s + i + 1, len - i - 1, "br");
					i = j + 1;
					continue;
				}
			}
		}
		if (c == '&') {
			struct strbuf ent = STRBUF_INIT;
			size_t used = htmltable_decode_entity(&ent, s + i, len - i);
			if (used) {
				fields_add_collapsed(out, space, ent.buf, ent.len);
				strbuf_release(&ent);
				i += used;
				continue;
			}
			strbuf_release(&ent);
		}
		if (c == '*' || c == '~' || c == '_') {
			size_t run = 0;
			bool before, after;
			while (i + run < len && s[i + run] == c)
				run++;
			before = i > 0 && is_alnum((unsigned char)s[i - 1]);
			after = i + run < len && is_alnum((unsigned char)s[i + run]);
			/* intraword underscores (snake_case) and a lone "a * b" stay */
			if ((c == '_' && before && after) || (c == '~' && run < 2) ||
			    (c != '_' && (i == 0 || s[i - 1] == ' ') &&
			     (i + run >= len || s[i + run] == ' '))) {
				fields_add_collapsed(out, space, s + i, run);
			}
			i += run;
			continue;
		}
		/* a run of ordinary text, up to the next character with a meaning */
		for (j = i + 1; j < len && !strchr("\\`[!<&*~_", s[j]); j++)
			;
		fields_add_collapsed(out, space, s + i, j - i);
		i = j;
	}
}

void fields_md_to_plain(struct strbuf *out, const char *s, size_t len)
{
	bool space = false;

	md_plain(out, &space, s, len, 0);
}
