/*
 * Cell-value readers. Postmortems are written by hand, so a value comes in
 * many spellings: "n/a DONE" in a bug column, "???" for an owner, "Who" for
 * the owner column, "**Done**" for a status, "{{ summary }}" for a row never
 * filled in. Each reader here turns one spelling family into pmsync's form
 * and says "absent" for the rest; none of them allocates unless it returns a
 * string, and none looks at more than the bytes it is given, so the parser
 * can call them on slices of the source without copying.
 */
#include "util/compat.h"

#include "postmortems/fields.h"

#include <stdlib.h>
#include <string.h>

#include "postmortems/label.h"
#include "postmortems/text.h"
#include "util/xalloc.h"

static bool eq_ci(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!word[i] || ascii_tolower((unsigned char)s[i]) != (unsigned char)word[i])
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
	c = len ? (unsigned char)ascii_tolower((unsigned char)s[0]) : 0;
	if (!(l->first[c >> 3] & (1u << (c & 7))))
		return false;
	for (w = l->words; *w; w++)
		if (eq_ci(s, len, *w))
			return true;
	return false;
}

/* Length of the UTF-8 sequence starting with byte c (1 for a stray byte). */
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

	for (i = 0; i < ARRAY_SIZE(columns); i++)
		if (len && columns[i].name[0] == s[0] && strlen(columns[i].name) == len &&
		    !memcmp(columns[i].name, s, len))
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

	text_trim(&header, &len);
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
	label_normalize(&norm, raw, n);
	col = lookup_column(norm.buf, norm.len);
	if (col == FIELDS_COL_OTHER && norm.len > 1 && norm.buf[norm.len - 1] == 's')
		col = lookup_column(norm.buf, norm.len - 1);
	strbuf_release(&norm);
	return col;
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
		text_trim(s, len);
	}
}

bool fields_is_none(const char *s, size_t len)
{
	size_t i;

	text_trim(&s, &len);
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

	text_trim(&s, &len);
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
        "actioned",
        "addressed",
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
        "todo",         "to do",       "open",
        "in progress",  "in-progress", "wip",
        "pending",      "planned",     "not started",
        "blocked",      "ongoing",     "not done",
        "in review",    "new",         "started",
        "to be done",   "doing",       "\xf0\x9f\x9a\xa7", /* construction sign: in progress */
        "\xe2\x8f\xb3",                                    /* hourglass: waiting */
        "\xe2\x9d\x8c", /* cross mark: not done (never read as canceled: nothing lost) */
        NULL,
};

static struct wordlist open_words = {open_words_v, {0}, false};

/* Decided against: the item will not be done, so it never becomes a ticket. */
static const char *const canceled_words_v[] = {
        "canceled",      "cancelled", "won't do", "won\xe2\x80\x99t do", "wont do",  "won't fix",
        "wontfix",       "wont fix",  "dropped",  "not doing",           "obsolete", "abandoned",
        "annul\xc3\xa9", NULL,
};

static struct wordlist canceled_words = {canceled_words_v, {0}, false};

enum fields_status fields_status_word(const char *s, size_t len)
{
	text_trim(&s, &len);
	strip_emphasis(&s, &len);
	while (len && (s[len - 1] == '.' || s[len - 1] == '!'))
		len--;
	if (in_list_ci(s, len, &done_words))
		return FIELDS_STATUS_DONE;
	if (in_list_ci(s, len, &open_words))
		return FIELDS_STATUS_OPEN;
	if (in_list_ci(s, len, &canceled_words))
		return FIELDS_STATUS_CANCELED;
	return FIELDS_STATUS_NONE;
}

enum fields_status fields_split_status(const char *s, size_t len, size_t *rest_len,
                                       size_t *word_off, size_t *word_len)
{
	const char *start = s;
	size_t k;
	enum fields_status st;

	text_trim(&s, &len);
	if ((st = fields_status_word(s, len))) {
		*rest_len = 0;
		*word_off = (size_t)(s - start);
		*word_len = len;
		return st;
	}
	for (k = len; k > 0 && !ascii_isspace((unsigned char)s[k - 1]); k--)
		;
	if (!k)
		return FIELDS_STATUS_NONE;
	st = fields_status_word(s + k, len - k);
	if (!st)
		return FIELDS_STATUS_NONE;
	*word_off = (size_t)(s + k - start);
	*word_len = len - k;
	while (k > 0 && ascii_isspace((unsigned char)s[k - 1]))
		k--;
	*rest_len = (size_t)(s + k - start);
	return st;
}

static bool has_word_char(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = utf8_seq_len(c);
		if (n == 1 && ascii_isalnum(c))
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

	text_trim(&s, &len);
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

char *fields_lever(const char *s, size_t len)
{
	char *out;
	size_t i;

	text_trim(&s, &len);
	if (fields_is_none(s, len))
		return NULL;
	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		/* Latin-1 capitals (U+00C0..U+00DE but U+00D7) are C3 80..9E */
		if (i > 0 && (unsigned char)s[i - 1] == 0xc3 && c >= 0x80 && c <= 0x9e && c != 0x97)
			out[i] = (char)(c + 0x20);
		else
			out[i] = (char)ascii_tolower(c);
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

bool fields_is_lever(const char *s, size_t len, const struct strlist *levers)
{
	size_t i;

	text_trim(&s, &len);
	if (!levers)
		return in_list_ci(s, len, &builtin_levers);
	for (i = 0; i < levers->nr; i++) {
		const char *l = levers->v[i];
		size_t k;
		if (strlen(l) != len)
			continue;
		for (k = 0; k < len && ascii_tolower((unsigned char)s[k]) ==
		                               ascii_tolower((unsigned char)l[k]);
		     k++)
			;
		if (k == len)
			return true;
	}
	return false;
}
