/*
 * The HTML table tokenizer. cmark-gfm hands an HTML table to us as one or
 * more raw HTML blocks (a blank line inside the table splits it), so the
 * reader goes back to the source and tokenizes the whole <table> element
 * here, in one linear pass: tags are recognised by name, attributes are
 * skipped (only href is read), text between a cell's tags is decoded and
 * whitespace-collapsed. A cell ends at its </td> or </th>, or, when that is
 * missing, at the next cell, row or table tag, as browsers do. Tables nested
 * inside a cell contribute their text to that cell.
 */
#include "util/compat.h"

#include "postmortems/htmltable.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"

struct tokenizer {
	const char *buf;
	size_t len;
	int line;
	struct htmltable table;
	struct strbuf text;
	bool space;
	bool in_cell, in_row;
	bool cell_header;
	int cell_line;
	size_t raw_start;
	char *href;
};

static const struct {
	const char *name;
	unsigned cp;
} entities[] = {
        {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
        {"apos", '\''},     {"nbsp", 0xa0},    {"ndash", 0x2013}, {"mdash", 0x2014},
        {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201c},
        {"rdquo", 0x201d},  {"laquo", 0xab},   {"raquo", 0xbb},   {"copy", 0xa9},
        {"reg", 0xae},      {"trade", 0x2122}, {"middot", 0xb7},  {"bull", 0x2022},
        {"times", 0xd7},    {"eacute", 0xe9},  {"egrave", 0xe8},  {"agrave", 0xe0},
        {"ccedil", 0xe7},   {"Eacute", 0xc9},  {"check", 0x2713}, {"zwsp", 0x200b},
};

static void add_utf8(struct strbuf *out, unsigned cp)
{
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		strbuf_addch(out, (int)cp);
	} else if (cp < 0x800) {
		strbuf_addch(out, (int)(0xc0 | (cp >> 6)));
		strbuf_addch(out, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		strbuf_addch(out, (int)(0xe0 | (cp >> 12)));
		strbuf_addch(out, (int)(0x80 | ((cp >> 6) & 0x3f)));
		strbuf_addch(out, (int)(0x80 | (cp & 0x3f)));
	} else {
		strbuf_addch(out, (int)(0xf0 | (cp >> 18)));
		strbuf_addch(out, (int)(0x80 | ((cp >> 12) & 0x3f)));
		strbuf_addch(out, (int)(0x80 | ((cp >> 6) & 0x3f)));
		strbuf_addch(out, (int)(0x80 | (cp & 0x3f)));
	}
}

size_t htmltable_decode_entity(struct strbuf *out, const char *s, size_t len)
{
	size_t i = 1, j;

	if (len < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		unsigned long cp = 0;
		bool hex = len > 2 && (s[2] == 'x' || s[2] == 'X');
		size_t digits = 0;

		for (i = hex ? 3 : 2; i < len && digits < 8; i++, digits++) {
			int c = s[i];
			if (c >= '0' && c <= '9')
				cp = cp * (hex ? 16 : 10) + (unsigned long)(c - '0');
			else if (hex && ascii_tolower(c) >= 'a' && ascii_tolower(c) <= 'f')
				cp = cp * 16 + (unsigned long)(ascii_tolower(c) - 'a' + 10);
			else
				break;
		}
		if (!digits || i >= len || s[i] != ';')
			return 0;
		add_utf8(out, cp > 0x10ffff ? 0xfffd : (unsigned)cp);
		return i + 1;
	}
	for (j = 1; j < len && j < 12 && ascii_isalpha(s[j]); j++)
		;
	if (j >= len || s[j] != ';' || j == 1)
		return 0;
	for (i = 0; i < ARRAY_SIZE(entities); i++) {
		if (strlen(entities[i].name) == j - 1 && !memcmp(entities[i].name, s + 1, j - 1)) {
			add_utf8(out, entities[i].cp);
			return j + 1;
		}
	}
	return 0;
}

/* Adds decoded text to the open cell, collapsing whitespace (NBSP included). */
static void cell_add(struct tokenizer *t, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (ascii_isspace(c)) {
			t->space = true;
			continue;
		}
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) {
			t->space = true;
			i++;
			continue;
		}
		if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] == 0x8b) {
			i += 2;
			continue;
		}
		if (t->space && t->text.len)
			strbuf_addch(&t->text, ' ');
		t->space = false;
		strbuf_addch(&t->text, c);
	}
}

static char *dup_trimmed(const char *s, size_t n)
{
	while (n && ascii_isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && ascii_isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static void open_row(struct tokenizer *t)
{
	struct htmltable_row *row;

	ALLOC_GROW(t->table.rows, t->table.nr + 1, t->table.alloc);
	row = &t->table.rows[t->table.nr++];
	memset(row, 0, sizeof(*row));
	row->line = t->line;
	t->in_row = true;
}

static void close_cell(struct tokenizer *t, size_t raw_end)
{
	struct htmltable_row *row;
	struct htmltable_cell *cell;

	if (!t->in_cell)
		return;
	row = &t->table.rows[t->table.nr - 1];
	ALLOC_GROW(row->cells, row->nr + 1, row->alloc);
	cell = &row->cells[row->nr++];
	cell->text = strbuf_detach(&t->text, NULL);
	cell->raw = dup_trimmed(t->buf + t->raw_start,
	                        raw_end > t->raw_start ? raw_end - t->raw_start : 0);
	cell->href = t->href; /* ownership moves to the cell */
	t->href = NULL;
	cell->header = t->cell_header;
	cell->line = t->cell_line;
	t->in_cell = false;
	t->space = false;
}

static void close_row(struct tokenizer *t, size_t raw_end)
{
	close_cell(t, raw_end);
	t->in_row = false;
}

/* Reads the href attribute of an <a> tag whose attributes are s[0..n). */
static char *read_href(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t name, name_len, vstart, vend;
		while (i < n && (ascii_isspace((unsigned char)s[i]) || s[i] == '/'))
			i++;
		name = i;
		while (i < n && !ascii_isspace((unsigned char)s[i]) && s[i] != '=' && s[i] != '>')
			i++;
		name_len = i - name;
		while (i < n && ascii_isspace((unsigned char)s[i]))
			i++;
		if (i >= n || s[i] != '=') {
			if (i == name)
				i++;
			continue;
		}
		i++;
		while (i < n && ascii_isspace((unsigned char)s[i]))
			i++;
		if (i < n && (s[i] == '"' || s[i] == '\'')) {
			char q = s[i++];
			vstart = i;
			while (i < n && s[i] != q)
				i++;
			vend = i;
			if (i < n)
				i++;
		} else {
			vstart = i;
			while (i < n && !ascii_isspace((unsigned char)s[i]) && s[i] != '>')
				i++;
			vend = i;
		}
		if (name_len == 4 && ascii_tolower(s[name]) == 'h' &&
		    ascii_tolower(s[name + 1]) == 'r' && ascii_tolower(s[name + 2]) == 'e' &&
		    ascii_tolower(s[name + 3]) == 'f') {
			struct strbuf v = STRBUF_INIT;
			size_t k;
			for (k = vstart; k < vend; k++) {
				size_t used = s[k] == '&'
				                      ? htmltable_decode_entity(&v, s + k, vend - k)
				                      : 0;
				if (used)
					k += used - 1;
				else
					strbuf_addch(&v, s[k]);
			}
			strbuf_trim(&v);
			if (!v.len) {
				strbuf_release(&v);
				return NULL;
			}
			return strbuf_detach(&v, NULL);
		}
	}
	return NULL;
}

static bool name_is(const char *s, size_t n, const char *name)
{
	size_t i;

	if (strlen(name) != n)
		return false;
	for (i = 0; i < n; i++)
		if (ascii_tolower(s[i]) != name[i])
			return false;
	return true;
}

/* Finds "<table" as a tag in buf; returns its offset or len. */
static size_t find_table(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while ((p = memchr(p, '<', (size_t)(end - p)))) {
		if (end - p >= 7 && name_is(p + 1, 5, "table") &&
		    (ascii_isspace((unsigned char)p[6]) || p[6] == '>' || p[6] == '/'))
			return (size_t)(p - buf);
		p++;
	}
	return len;
}

bool htmltable_starts(const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len && ascii_isspace((unsigned char)buf[i]))
		i++;
	/* only the start is looked at: no scan of a long block that is not a table */
	return len - i >= 7 && buf[i] == '<' && name_is(buf + i + 1, 5, "table") &&
	       (ascii_isspace((unsigned char)buf[i + 6]) || buf[i + 6] == '>' || buf[i + 6] == '/');
}

static void count_lines(struct tokenizer *t, size_t from, size_t to)
{
	const char *p = t->buf + from, *end = t->buf + to;

	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		t->line++;
		p++;
	}
}

/* Handles one tag at buf[lt..gt]; returns true at the closing </table>. */
static bool handle_tag(struct tokenizer *t, size_t lt, size_t gt, int *depth)
{
	const char *s = t->buf + lt + 1;
	size_t n = gt - lt - 1, name_len = 0;
	bool closing = false;

	if (n && *s == '/') {
		closing = true;
		s++;
		n--;
	}
	while (name_len < n && (ascii_isalpha(s[name_len]) ||
	                        (name_len && s[name_len] >= '0' && s[name_len] <= '9')))
		name_len++;
	if (name_is(s, name_len, "table")) {
		if (!closing) {
			(*depth)++;
		} else if (--(*depth) <= 0) {
			close_row(t, lt);
			return true;
		}
		if (t->in_cell)
			t->space = true;
		return false;
	}
	if (*depth > 1) {
		if (t->in_cell)
			t->space = true;
		return false;
	}
	if (name_is(s, name_len, "tr")) {
		close_row(t, lt);
		if (!closing)
			open_row(t);
	} else if (name_is(s, name_len, "td") || name_is(s, name_len, "th")) {
		close_cell(t, lt);
		if (closing)
			return false;
		if (!t->in_row)
			open_row(t);
		t->in_cell = true;
		t->space = false;
		t->cell_header = ascii_tolower(s[1]) == 'h';
		t->cell_line = t->line;
		t->raw_start = gt + 1;
	} else if (name_is(s, name_len, "thead") || name_is(s, name_len, "tbody") ||
	           name_is(s, name_len, "tfoot")) {
		close_row(t, lt);
	} else if (name_is(s, name_len, "a")) {
		if (!closing && t->in_cell && !t->href)
			t->href = read_href(s + 1, n - 1);
	} else if (t->in_cell && (name_is(s, name_len, "br") || name_is(s, name_len, "p") ||
	                          name_is(s, name_len, "div") || name_is(s, name_len, "li"))) {
		t->space = true;
	}
	return false;
}

/* Finds the '>' ending the tag that starts at lt, skipping quoted attribute values. */
static size_t tag_end(const char *buf, size_t len, size_t lt)
{
	size_t i = lt + 1;
	char quote = 0;

	for (; i < len; i++) {
		if (quote) {
			if (buf[i] == quote)
				quote = 0;
		} else if (buf[i] == '"' || buf[i] == '\'') {
			/* quotes only open inside an attribute value, after '=' */
			size_t k = i;
			while (k > lt && ascii_isspace((unsigned char)buf[k - 1]))
				k--;
			if (k > lt && buf[k - 1] == '=')
				quote = buf[i];
		} else if (buf[i] == '>') {
			return i;
		} else if (buf[i] == '<') {
			return len; /* a stray '<': not a tag */
		}
	}
	return len;
}

int htmltable_parse(struct htmltable *out, const char *buf, size_t len, int first_line)
{
	struct tokenizer t;
	size_t i = find_table(buf, len);
	int depth = 0;

	if (i >= len)
		return pm_error(PM_EINPUT, "no <table> element");
	memset(&t, 0, sizeof(t));
	t.buf = buf;
	t.len = len;
	t.line = first_line;
	htmltable_init(&t.table);
	strbuf_init(&t.text, 0);
	count_lines(&t, 0, i);
	t.table.end = len;

	while (i < len) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '<') {
			size_t gt;
			if (len - i >= 4 && !memcmp(buf + i, "<!--", 4)) {
				const char *e = NULL;
				size_t k;
				for (k = i + 4; k + 2 < len; k++) {
					if (buf[k] == '-' && buf[k + 1] == '-' &&
					    buf[k + 2] == '>') {
						e = buf + k;
						break;
					}
				}
				gt = e ? (size_t)(e - buf) + 2 : len;
				count_lines(&t, i, gt < len ? gt : len);
				i = gt + 1;
				continue;
			}
			gt = (i + 1 < len && (ascii_isalpha(buf[i + 1]) || buf[i + 1] == '/'))
			             ? tag_end(buf, len, i)
			             : len;
			if (gt < len) {
				count_lines(&t, i, gt);
				if (handle_tag(&t, i, gt, &depth)) {
					t.table.end = gt + 1;
					t.table.closed = true;
					break;
				}
				i = gt + 1;
				continue;
			}
		}
		if (c == '\n')
			t.line++;
		if (t.in_cell) {
			size_t used = 0;
			if (c == '&') {
				struct strbuf ent = STRBUF_INIT;
				used = htmltable_decode_entity(&ent, buf + i, len - i);
				if (used)
					cell_add(&t, ent.buf, ent.len);
				strbuf_release(&ent);
			}
			if (!used) {
				cell_add(&t, buf + i, 1);
				used = 1;
			}
			i += used;
			continue;
		}
		i++;
	}
	if (!t.table.closed)
		close_row(&t, len);
	free(t.href);
	strbuf_release(&t.text);
	*out = t.table;
	return 0;
}

void htmltable_init(struct htmltable *t)
{
	memset(t, 0, sizeof(*t));
}

void htmltable_release(struct htmltable *t)
{
	size_t i, j;

	for (i = 0; i < t->nr; i++) {
		for (j = 0; j < t->rows[i].nr; j++) {
			free(t->rows[i].cells[j].text);
			free(t->rows[i].cells[j].raw);
			free(t->rows[i].cells[j].href);
		}
		free(t->rows[i].cells);
	}
	free(t->rows);
	htmltable_init(t);
}
