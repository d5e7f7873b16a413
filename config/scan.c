/*
 * The scan of `.pmsync.conf` as text, which libgit2 cannot do for us. An
 * `include` or `includeIf` section would make libgit2 read another file (a
 * pull request could point it at .git/config and its tokens), so the scan
 * finds every section header where libgit2 would see one, chained or not,
 * and its caller refuses the file before libgit2 sees it. libgit2 keeps no
 * line numbers either, so the scan follows libgit2's own rules for headers,
 * comments, quotes, escapes and continued values, and records the line and
 * spelling of every variable for messages. Where libgit2 would reject the
 * text the scan stops mapping lines (libgit2 reports the error itself), but
 * it goes on looking for include sections: refusing too much is safe.
 */
#include "util/compat.h"

#include "config/scan.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* git's idea of white space (git__isspace), not the locale's. */
bool config_scan_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v';
}

static bool is_keychar(int c)
{
	return ascii_isalnum(c) || c == '-';
}

/* ASCII only, whatever the locale. */
int config_scan_to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static const char *skip_space(const char *p)
{
	while (config_scan_is_space((unsigned char)*p))
		p++;
	return p;
}

static bool is_include_name(const char *lower)
{
	return !strcmp(lower, "include") || !strcmp(lower, "includeif") ||
	       !strncmp(lower, "include.", 8) || !strncmp(lower, "includeif.", 10);
}

/*
 * Parses the section header at p ('[') as libgit2 does. Fills the section
 * name the way libgit2 names it and as written; returns the position after
 * the header, or NULL where libgit2 would fail.
 */
static const char *parse_header(const char *p, struct strbuf *name, struct strbuf *written)
{
	const char *q = p + 1, *first, *last;

	strbuf_reset(name);
	strbuf_reset(written);
	if (!strrchr(p, ']'))
		return NULL;
	for (;;) {
		int c = (unsigned char)*q++;

		if (c == ']')
			return name->len ? q : NULL;
		if (config_scan_is_space(c))
			break;
		if (!is_keychar(c) && c != '.')
			return NULL;
		strbuf_addch(name, config_scan_to_lower(c));
		strbuf_addch(written, c);
	}
	/* [section "subsection"] */
	q = skip_space(q);
	if (*q != '"')
		return NULL;
	first = q;
	last = strrchr(p, '"');
	if (last == first)
		return NULL;
	strbuf_addch(name, '.');
	strbuf_addch(written, '.');
	for (q = first + 1; q < last; q++) {
		if (*q == '"')
			break;
		if (*q == '\\' && !*++q)
			return NULL;
		strbuf_addch(name, *q);
		strbuf_addch(written, *q);
	}
	if (q[0] != '"' || q[1] != ']')
		return NULL;
	return q + 2;
}

/* Every header at the start of a line, where libgit2 would see one, chained or not. */
static void scan_includes(struct config_scan *sc, const char *line, int lineno)
{
	struct strbuf name = STRBUF_INIT, written = STRBUF_INIT;
	const char *p = skip_space(line);

	while (*p == '[' && !sc->include_line) {
		const char *q = skip_space(p + 1);
		size_t n = 0;
		char lower[16];

		/* Liberal on purpose: white space after '[' and any case. */
		while (n < sizeof(lower) - 1 && (is_keychar((unsigned char)q[n]) || q[n] == '.')) {
			lower[n] = (char)config_scan_to_lower((unsigned char)q[n]);
			n++;
		}
		lower[n] = '\0';
		if (is_include_name(lower)) {
			sc->include_line = lineno;
			break;
		}
		p = parse_header(p, &name, &written);
		if (!p)
			break;
		p = skip_space(p);
	}
	strbuf_release(&name);
	strbuf_release(&written);
}

/* As libgit2's strip_comments: cuts a comment outside quotes, trims; returns the quote count. */
static int strip_comments(struct strbuf *line, int in_quotes)
{
	int quotes = in_quotes, backslashes = 0;
	size_t i;

	for (i = 0; i < line->len; i++) {
		char c = line->buf[i];

		if (c == '"' && (i == 0 || line->buf[i - 1] != '\\'))
			quotes++;
		if ((c == ';' || c == '#') && quotes % 2 == 0 && backslashes % 2 == 0) {
			strbuf_setlen(line, i);
			break;
		}
		backslashes = c == '\\' ? backslashes + 1 : 0;
	}
	while (line->len && config_scan_is_space((unsigned char)line->buf[line->len - 1]))
		strbuf_setlen(line, line->len - 1);
	return quotes;
}

/* Checks escapes as libgit2's unescape_line does: -1 on a bad one, 1 when the value goes on. */
static int value_continues(const char *p)
{
	for (; *p; p++) {
		if (*p != '\\')
			continue;
		p++;
		if (!*p)
			return 1;
		if (!strchr("ntb\"\\", *p))
			return -1;
	}
	return 0;
}

struct scan_state {
	struct strbuf section; /* libgit2's name of the current section */
	struct strbuf written;
	int section_line;
	bool continued; /* the previous line's value goes on */
	int quotes;
};

static void add_var(struct config_scan *sc, struct scan_state *st, const char *key, size_t n,
                    int lineno)
{
	struct config_scan_var *v;
	struct strbuf name = STRBUF_INIT, written = STRBUF_INIT;
	size_t i;

	if (st->section.len) {
		strbuf_addf(&name, "%s.", st->section.buf);
		strbuf_addf(&written, "%s.", st->written.buf);
	}
	for (i = 0; i < n; i++)
		strbuf_addch(&name, config_scan_to_lower((unsigned char)key[i]));
	strbuf_add(&written, key, n);
	ALLOC_GROW(sc->v, sc->nr + 1, sc->alloc);
	v = &sc->v[sc->nr++];
	v->name = strbuf_detach(&name, NULL);
	v->written = strbuf_detach(&written, NULL);
	v->line = lineno;
	v->section_line = st->section_line;
	v->used = false;
}

static void scan_continuation(struct config_scan *sc, struct scan_state *st, const char *line,
                              int lineno)
{
	struct strbuf copy = STRBUF_INIT;
	int quotes, more;

	strbuf_addstr(&copy, line);
	quotes = strip_comments(&copy, st->quotes);
	/* A line that is only a comment or blank does not end the value (libgit2 skips it). */
	st->continued = true;
	if (copy.len) {
		more = value_continues(copy.buf);
		if (more < 0) {
			sc->escape_line = lineno;
			sc->stopped = true;
		}
		st->continued = more > 0;
	}
	st->quotes = quotes;
	strbuf_release(&copy);
}

static void scan_statements(struct config_scan *sc, struct scan_state *st, const char *line,
                            int lineno)
{
	struct strbuf copy = STRBUF_INIT;
	const char *p = line, *key, *q;
	int quotes, more;

	for (;;) {
		p = skip_space(p);
		if (*p != '[')
			break;
		p = parse_header(p, &st->section, &st->written);
		if (!p) {
			sc->stopped = true;
			goto done;
		}
		st->section_line = lineno;
	}
	if (!*p || *p == ';' || *p == '#')
		goto done;

	strbuf_addstr(&copy, p);
	quotes = strip_comments(&copy, 0);
	key = q = copy.buf;
	while (is_keychar((unsigned char)*q))
		q++;
	if (q == key) {
		sc->stopped = true;
		goto done;
	}
	add_var(sc, st, key, (size_t)(q - key), lineno);
	q = skip_space(q);
	if (!*q)
		goto done;
	if (*q != '=') {
		sc->stopped = true;
		goto done;
	}
	more = value_continues(skip_space(q + 1));
	if (more < 0) {
		sc->escape_line = lineno;
		sc->stopped = true;
	} else if (more) {
		st->continued = true;
		st->quotes = quotes % 2;
	}
done:
	strbuf_release(&copy);
}

void config_scan_text(struct config_scan *sc, const char *buf, size_t len)
{
	struct scan_state st = {STRBUF_INIT, STRBUF_INIT, 0, false, 0};
	struct strbuf line = STRBUF_INIT;
	size_t pos = 0;
	int lineno = 0;

	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;

		lineno++;
		strbuf_reset(&line);
		strbuf_add(&line, buf + pos, end - pos);
		pos = nl ? end + 1 : len;

		/* Every line, even inside a value that goes on: refusing too much is safe. */
		scan_includes(sc, line.buf, lineno);
		if (sc->stopped)
			continue;
		if (st.continued) {
			st.continued = false;
			scan_continuation(sc, &st, line.buf, lineno);
			continue;
		}
		scan_statements(sc, &st, line.buf, lineno);
	}
	strbuf_release(&line);
	strbuf_release(&st.section);
	strbuf_release(&st.written);
}

void config_scan_release(struct config_scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nr; i++) {
		free(sc->v[i].name);
		free(sc->v[i].written);
	}
	free(sc->v);
}
