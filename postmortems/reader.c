/*
 * One file being read: the pieces every part of the reader shares. The
 * postmortem being filled and the diagnostics, and the source itself with
 * the offset of every line, so that cmark's source positions (counted in
 * the body, after the front matter) turn into file lines, and so that the
 * reader can go back to the text as written where cmark keeps only its
 * interpretation: a table row's raw cells, an item's Markdown.
 */
#include "util/compat.h"

#include "postmortems/reader.h"

#include <stdlib.h>
#include <string.h>

#include "postmortems/text.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/*
 * Records where each line starts. Lines end as CommonMark ends them: "\n",
 * "\r\n" or a lone "\r", so that the numbers match cmark's source positions.
 */
static void index_lines(struct reader *r)
{
	const char *p = r->buf, *end = r->buf + r->len;
	size_t n = 1, i;

	if (!memchr(r->buf, '\r', r->len)) {
		/* one pass; lines of postmortems are rarely shorter than 16 bytes */
		n = r->len / 16 + 2;
		ALLOC_GROW(r->lines, n, r->lines_alloc);
		r->lines[r->lines_nr++] = 0;
		while ((p = memchr(p, '\n', (size_t)(end - p)))) {
			ALLOC_GROW(r->lines, r->lines_nr + 1, r->lines_alloc);
			r->lines[r->lines_nr++] = (size_t)(++p - r->buf);
		}
		return;
	}
	ALLOC_GROW(r->lines, 1, r->lines_alloc);
	r->lines[r->lines_nr++] = 0;
	for (i = 0; i < r->len; i++) {
		if (r->buf[i] == '\r' && i + 1 < r->len && r->buf[i + 1] == '\n')
			i++;
		else if (r->buf[i] != '\r' && r->buf[i] != '\n')
			continue;
		ALLOC_GROW(r->lines, r->lines_nr + 1, r->lines_alloc);
		r->lines[r->lines_nr++] = i + 1;
	}
}

/* The text of file line n (1-based) without its line ending; false past the end. */
bool reader_line(const struct reader *r, int n, const char **s, size_t *len)
{
	size_t start, end;

	if (n < 1 || (size_t)n > r->lines_nr)
		return false;
	start = r->lines[n - 1];
	end = (size_t)n < r->lines_nr ? r->lines[n] : r->len;
	if (end > start && r->buf[end - 1] == '\n')
		end--;
	if (end > start && r->buf[end - 1] == '\r')
		end--;
	*s = r->buf + start;
	*len = end - start;
	return true;
}

int reader_line_of_offset(const struct reader *r, size_t off)
{
	size_t lo = 0, hi = r->lines_nr;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (r->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo + 1;
}

int reader_node_line(const struct reader *r, cmark_node *n)
{
	return cmark_node_get_start_line(n) + r->line_base;
}

/* The source of a block from its start column, continuation lines left-trimmed. */
char *reader_block_source(const struct reader *r, cmark_node *n)
{
	struct strbuf sb = STRBUF_INIT;
	int first = reader_node_line(r, n), last = cmark_node_get_end_line(n) + r->line_base, l;
	int col = cmark_node_get_start_column(n);
	char *out;

	for (l = first; l <= last; l++) {
		const char *s;
		size_t len;
		if (!reader_line(r, l, &s, &len))
			break;
		if (l == first) {
			size_t skip = col > 1 ? (size_t)col - 1 : 0;
			if (skip > len)
				skip = len;
			s += skip;
			len -= skip;
		}
		text_trim(&s, &len);
		if (sb.len)
			strbuf_addch(&sb, '\n');
		strbuf_add(&sb, s, len);
	}
	out = text_dup_trimmed(sb.buf, sb.len);
	strbuf_release(&sb);
	return out ? out : xstrdup("");
}

bool reader_node_is(cmark_node *n, const char *name)
{
	const char *t = cmark_node_get_type_string(n);

	return t && !strcmp(t, name);
}

void reader_init(struct reader *r, struct postmortem *pm, struct diags *diags, const char *buf,
                 size_t len)
{
	memset(r, 0, sizeof(*r));
	r->pm = pm;
	r->diags = diags;
	r->buf = buf;
	r->len = len;
	index_lines(r);
}

void reader_release(struct reader *r)
{
	free(r->lines);
	r->lines = NULL;
	r->lines_nr = r->lines_alloc = 0;
}

size_t reader_line_start(const struct reader *r, int line)
{
	return line >= 1 && (size_t)line <= r->lines_nr ? r->lines[line - 1] : r->len;
}
