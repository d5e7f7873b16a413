/*
 * The front-matter reader. Postmortem front matter is flat metadata (date,
 * title, severity, tags, detection_chain_minutes), so instead of a YAML
 * library this reads the handful of shapes that occur, line by line: a key,
 * then a scalar on the same line, a quoted string, a flow list, a block
 * scalar, or an indented block (a list of "- " items, nested keys, or a
 * plain scalar folded over several lines). Blank lines and comments are
 * skipped anywhere, so a blank line before the closing "---" is fine.
 */
#include "util/compat.h"

#include "postmortems/frontmatter.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

struct fm_line {
	const char *s;
	size_t len; /* without the line ending */
	size_t indent;
	bool blank;
};

struct fm_lines {
	struct fm_line *v;
	size_t nr, alloc;
};

static bool is_delim(const char *s, size_t len, const char *delim)
{
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len == 3 && !memcmp(s, delim, 3);
}

static void add_field(struct frontmatter *fm, const char *name, size_t name_len, char *value,
                      int line)
{
	struct pm_meta *m;

	ALLOC_GROW(fm->v, fm->nr + 1, fm->alloc);
	m = &fm->v[fm->nr++];
	m->name = xstrndup(name, name_len);
	m->value = value; /* ownership moves to the field */
	m->line = line;
}

static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/* Appends a scalar as YAML reads it: quotes removed, escapes resolved. */
static void add_scalar(struct strbuf *out, const char *s, size_t len)
{
	size_t i;

	trim(&s, &len);
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		for (i = 1; i + 1 < len; i++) {
			if (s[i] == '\\' && i + 2 < len) {
				char c = s[++i];
				strbuf_addch(out, c == 'n' ? '\n' : c == 't' ? '\t' : c);
			} else {
				strbuf_addch(out, s[i]);
			}
		}
	} else if (len >= 2 && s[0] == '\'' && s[len - 1] == '\'') {
		for (i = 1; i + 1 < len; i++) {
			strbuf_addch(out, s[i]);
			if (s[i] == '\'' && s[i + 1] == '\'')
				i++;
		}
	} else {
		/* a plain scalar ends at " #" (a comment) */
		for (i = 0; i < len; i++)
			if (s[i] == '#' && i && (s[i - 1] == ' ' || s[i - 1] == '\t'))
				break;
		while (i && (s[i - 1] == ' ' || s[i - 1] == '\t'))
			i--;
		strbuf_add(out, s, i);
	}
}

/* Splits a flow list "[a, 'b', c]" (brackets removed) and joins its items with ", ". */
static void add_flow_list(struct strbuf *out, const char *s, size_t len)
{
	size_t i, start = 0;
	char quote = 0;
	int depth = 0;
	bool first = true;

	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : ',';
		if (quote) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '[' || c == '{') {
			depth++;
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		} else if (c == ',' && !depth) {
			const char *item = s + start;
			size_t n = i - start;
			trim(&item, &n);
			if (n) {
				if (!first)
					strbuf_addstr(out, ", ");
				add_scalar(out, item, n);
				first = false;
			}
			start = i + 1;
		}
	}
}

static bool is_list_item(const struct fm_line *l)
{
	const char *s = l->s + l->indent;
	size_t n = l->len - l->indent;

	return n && s[0] == '-' && (n == 1 || s[1] == ' ' || s[1] == '\t');
}

/* Offset of the ':' ending a key on this line (": " or ':' at the end), or len. */
static size_t key_colon(const char *s, size_t len)
{
	size_t i = 0;

	if (len && (s[0] == '"' || s[0] == '\'')) {
		const char *q = memchr(s + 1, s[0], len - 1);
		if (!q)
			return len;
		i = (size_t)(q - s) + 1;
	}
	for (; i < len; i++) {
		if (s[i] == ':' && (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\t'))
			return i;
		if (s[i] == '#' && i && s[i - 1] == ' ')
			return len;
	}
	return len;
}

/* Reads the indented block after a key with no value; returns the next line. */
static size_t read_block(struct frontmatter *fm, const struct fm_lines *lines, size_t i,
                         const char *key, size_t key_len, struct strbuf *value, int first_line)
{
	size_t end = i, first = 0;
	bool found = false;

	while (end < lines->nr &&
	       (lines->v[end].blank || lines->v[end].indent > 0 || is_list_item(&lines->v[end]))) {
		if (!found && !lines->v[end].blank) {
			first = end;
			found = true;
		}
		end++;
	}
	if (!found) {
		add_field(fm, key, key_len, xstrdup(""), first_line + (int)i - 1);
		return end;
	}
	if (is_list_item(&lines->v[first])) {
		size_t item_indent = lines->v[first].indent, k;
		bool any = false;
		for (k = first; k < end; k++) {
			const struct fm_line *l = &lines->v[k];
			if (l->blank)
				continue;
			if (is_list_item(l) && l->indent == item_indent) {
				if (any)
					strbuf_addstr(value, ", ");
				add_scalar(value, l->s + l->indent + 1, l->len - l->indent - 1);
				any = true;
			} else {
				strbuf_addch(value, ' ');
				add_scalar(value, l->s + l->indent, l->len - l->indent);
			}
		}
	} else if (key_colon(lines->v[first].s + lines->v[first].indent,
	                     lines->v[first].len - lines->v[first].indent) <
	           lines->v[first].len - lines->v[first].indent) {
		size_t child_indent = lines->v[first].indent, k;
		for (k = first; k < end; k++) {
			const struct fm_line *l = &lines->v[k];
			const char *s = l->s + l->indent;
			size_t n = l->len - l->indent, colon;
			struct strbuf name = STRBUF_INIT, v = STRBUF_INIT;
			if (l->blank || l->indent != child_indent || (colon = key_colon(s, n)) == n)
				continue;
			strbuf_add(&name, key, key_len);
			strbuf_addch(&name, '.');
			add_scalar(&name, s, colon);
			add_scalar(&v, s + colon + 1, n - colon - 1);
			add_field(fm, name.buf, name.len, strbuf_detach(&v, NULL),
			          first_line + (int)k);
			strbuf_release(&name);
		}
		return end;
	} else {
		size_t k;
		for (k = first; k < end; k++) {
			if (lines->v[k].blank)
				continue;
			if (value->len)
				strbuf_addch(value, ' ');
			add_scalar(value, lines->v[k].s + lines->v[k].indent,
			           lines->v[k].len - lines->v[k].indent);
		}
	}
	add_field(fm, key, key_len, strbuf_detach(value, NULL), first_line + (int)i - 1);
	return end;
}

/* Reads a block scalar ("|" or ">") whose lines follow line i - 1. */
static size_t read_block_scalar(const struct fm_lines *lines, size_t i, bool literal,
                                struct strbuf *value)
{
	size_t indent = 0, k = i, pending_blank = 0;

	while (k < lines->nr && (lines->v[k].blank || lines->v[k].indent > 0)) {
		const struct fm_line *l = &lines->v[k++];
		if (l->blank) {
			pending_blank++;
			continue;
		}
		if (!indent)
			indent = l->indent;
		if (value->len) {
			if (literal || pending_blank)
				strbuf_addch(value, '\n');
			else
				strbuf_addch(value, ' ');
			while (literal && pending_blank--)
				strbuf_addch(value, '\n');
		}
		pending_blank = 0;
		strbuf_add(value, l->s + (l->indent < indent ? l->indent : indent),
		           l->len - (l->indent < indent ? l->indent : indent));
	}
	return k;
}

/* A flow list "[a, b]", maybe over several lines from line i on. Returns the next line. */
static size_t read_flow_list(const struct fm_lines *lines, size_t i, const char *val, size_t vlen,
                             struct strbuf *value)
{
	struct strbuf flow = STRBUF_INIT;

	strbuf_add(&flow, val + 1, vlen - 1);
	while (!memchr(flow.buf, ']', flow.len) && i < lines->nr) {
		strbuf_addch(&flow, ' ');
		strbuf_add(&flow, lines->v[i].s, lines->v[i].len);
		i++;
	}
	while (flow.len && memchr(flow.buf, ']', flow.len) && flow.buf[flow.len - 1] != ']')
		flow.len--;
	if (flow.len && flow.buf[flow.len - 1] == ']')
		flow.len--;
	strbuf_setlen(&flow, flow.len);
	add_flow_list(value, flow.buf, flow.len);
	strbuf_release(&flow);
	return i;
}

/* A quoted string continued on the lines from i on. Returns the next line. */
static size_t read_quoted(const struct fm_lines *lines, size_t i, const char *val, size_t vlen,
                          struct strbuf *value)
{
	struct strbuf q = STRBUF_INIT;

	strbuf_add(&q, val, vlen);
	while (i < lines->nr && (q.len < 2 || q.buf[q.len - 1] != val[0])) {
		const char *t = lines->v[i].s;
		size_t tn = lines->v[i].len;
		trim(&t, &tn);
		strbuf_addch(&q, ' ');
		strbuf_add(&q, t, tn);
		i++;
	}
	add_scalar(value, q.buf, q.len);
	strbuf_release(&q);
	return i;
}

static void parse_lines(struct frontmatter *fm, const struct fm_lines *lines, int first_line)
{
	size_t i = 0;

	while (i < lines->nr) {
		const struct fm_line *l = &lines->v[i];
		const char *s = l->s, *val;
		size_t n = l->len, colon, vlen, key_len;
		const char *key;
		struct strbuf value = STRBUF_INIT;
		int line = first_line + (int)i;

		i++;
		if (l->blank || l->indent || s[0] == '#' || is_list_item(l))
			continue;
		colon = key_colon(s, n);
		if (colon == n)
			continue;
		key = s;
		key_len = colon;
		trim(&key, &key_len);
		if (key_len >= 2 && (key[0] == '"' || key[0] == '\'') &&
		    key[key_len - 1] == key[0]) {
			key++;
			key_len -= 2;
		}
		val = s + colon + 1;
		vlen = n - colon - 1;
		trim(&val, &vlen);
		if (vlen && val[0] == '#')
			vlen = 0;
		if (!vlen) {
			i = read_block(fm, lines, i, key, key_len, &value, first_line);
			strbuf_release(&value);
			continue;
		}
		if ((val[0] == '|' || val[0] == '>') &&
		    strspn(val + 1, "+-0123456789") == vlen - 1) {
			i = read_block_scalar(lines, i, val[0] == '|', &value);
		} else if (val[0] == '[') {
			i = read_flow_list(lines, i, val, vlen, &value);
		} else if ((val[0] == '"' || val[0] == '\'') &&
		           (vlen == 1 || val[vlen - 1] != val[0])) {
			i = read_quoted(lines, i, val, vlen, &value);
		} else {
			add_scalar(&value, val, vlen);
			/* a plain scalar folded over indented lines */
			while (i < lines->nr && !lines->v[i].blank && lines->v[i].indent > 0) {
				strbuf_addch(&value, ' ');
				add_scalar(&value, lines->v[i].s + lines->v[i].indent,
				           lines->v[i].len - lines->v[i].indent);
				i++;
			}
		}
		add_field(fm, key, key_len, strbuf_detach(&value, NULL), line);
	}
}

int frontmatter_parse(struct frontmatter *out, const char *buf, size_t len)
{
	struct fm_lines lines = {NULL, 0, 0};
	size_t pos = 0, line_len;
	const char *nl;
	int line = 1;
	bool closed = false;

	nl = memchr(buf, '\n', len);
	line_len = nl ? (size_t)(nl - buf) : len;
	if (line_len && buf[line_len - 1] == '\r')
		line_len--;
	if (!nl || !is_delim(buf, line_len, "---"))
		return 0;
	pos = (size_t)(nl - buf) + 1;
	while (pos < len) {
		struct fm_line *l;
		const char *s = buf + pos;
		nl = memchr(s, '\n', len - pos);
		line_len = nl ? (size_t)(nl - s) : len - pos;
		pos += line_len + (nl ? 1 : 0);
		line++;
		if (line_len && s[line_len - 1] == '\r')
			line_len--;
		if (is_delim(s, line_len, "---") || is_delim(s, line_len, "...")) {
			closed = true;
			break;
		}
		ALLOC_GROW(lines.v, lines.nr + 1, lines.alloc);
		l = &lines.v[lines.nr++];
		l->s = s;
		l->len = line_len;
		for (l->indent = 0;
		     l->indent < line_len && (s[l->indent] == ' ' || s[l->indent] == '\t');
		     l->indent++)
			;
		l->blank = l->indent == line_len;
	}
	if (closed) {
		parse_lines(out, &lines, 2);
		out->present = true;
		out->body_offset = pos;
		out->body_line = line + 1;
	}
	free(lines.v);
	return 0;
}

const char *frontmatter_get(const struct frontmatter *fm, const char *name)
{
	size_t i;

	for (i = 0; i < fm->nr; i++)
		if (!strcmp(fm->v[i].name, name))
			return fm->v[i].value;
	return NULL;
}

void frontmatter_init(struct frontmatter *fm)
{
	memset(fm, 0, sizeof(*fm));
	fm->body_line = 1;
}

void frontmatter_release(struct frontmatter *fm)
{
	size_t i;

	for (i = 0; i < fm->nr; i++) {
		free(fm->v[i].name);
		free(fm->v[i].value);
	}
	free(fm->v);
	frontmatter_init(fm);
}
