/*
 * Action items from tables: GFM tables as cmark reads them, HTML tables as
 * htmltable.c tokenizes them (cmark cuts an HTML table with blank lines in
 * it into several blocks, so it is read from the source, up to the next
 * heading). Each GFM cell's text comes from cmark, its Markdown from the
 * source line, re-split at unescaped pipes as cmark-gfm splits it: that is
 * how the cells of a ragged row beyond the header survive, as extra fields,
 * with a warning. tablerow.c turns each row into an item.
 */
#include "util/compat.h"

#include "postmortems/table.h"

#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

#include "postmortems/htmltable.h"
#include "postmortems/plain.h"
#include "postmortems/tablerow.h"
#include "postmortems/text.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct span {
	const char *s;
	size_t len;
};

/* Scratch for reading one table: the row being read and its raw cells. */
struct scratch {
	struct tablerow row;
	struct span *spans;
	size_t spans_nr, spans_alloc;
};

static void scratch_init(struct scratch *sc)
{
	memset(sc, 0, sizeof(*sc));
	tablerow_init(&sc->row);
}

static void scratch_release(struct scratch *sc)
{
	tablerow_release(&sc->row);
	free(sc->spans);
}

/*
 * Splits a raw table row at unescaped pipes, as cmark-gfm does, into
 * sc->spans (pointers into the source).
 */
static void split_raw_row(struct scratch *sc, const char *s, size_t len)
{
	size_t i, start;

	sc->spans_nr = 0;
	text_trim(&s, &len);
	if (len && s[0] == '|') {
		s++;
		len--;
	}
	if (len && s[len - 1] == '|' && !(len >= 2 && s[len - 2] == '\\'))
		len--;
	/*
	 * A backslash escapes the next character, so a pipe is escaped when an
	 * odd run of backslashes precedes it: jump from pipe to pipe.
	 */
	for (i = 0, start = 0;;) {
		const char *bar = memchr(s + i, '|', len - i);
		size_t stop = bar ? (size_t)(bar - s) : len, b = 0;
		const char *c = s + start;
		size_t n;

		while (bar && stop - b > start && s[stop - b - 1] == '\\')
			b++;
		if (b % 2) {
			i = stop + 1;
			continue;
		}
		n = stop - start;
		text_trim(&c, &n);
		ALLOC_GROW(sc->spans, sc->spans_nr + 1, sc->spans_alloc);
		sc->spans[sc->spans_nr].s = c;
		sc->spans[sc->spans_nr].len = n;
		sc->spans_nr++;
		if (!bar)
			break;
		start = i = stop + 1;
	}
}

/* Adds the cells of a cmark table row to row (texts in its arena). */
static void cells_from_node(struct tablerow *row, cmark_node *r)
{
	cmark_node *c;

	for (c = cmark_node_first_child(r); c; c = cmark_node_next(c)) {
		struct tablerow_cell *cell = tablerow_add(row);
		bool space = false;
		cell->off = row->arena.len;
		plain_cell_text(&row->arena, &space, c, &cell->url, 0);
		strbuf_addch(&row->arena, '\0');
	}
}

/* Room for one item per data row of table, so that the items array is not oversized. */
static void reserve_items(struct postmortem *pm, cmark_node *table)
{
	size_t rows = 0;
	cmark_node *r;

	for (r = cmark_node_first_child(table); r; r = cmark_node_next(r))
		rows++;
	if (rows > 1 && pm->items_nr + rows - 1 > pm->items_alloc) {
		pm->items_alloc = pm->items_nr + rows - 1;
		pm->items = xrealloc(pm->items, xmul_size(pm->items_alloc, sizeof(*pm->items)));
	}
}

/* Reads a GFM table; with need_action, only when its first header names an action column. */
void table_read_gfm(struct reader *rd, cmark_node *table, bool need_action)
{
	struct tablerow_head h = {NULL, NULL, 0, 0};
	struct scratch scratch, *sc = &scratch;
	struct tablerow *row = &sc->row;
	size_t ncols = cmark_gfm_extensions_get_table_columns(table);
	cmark_node *r;

	scratch_init(sc);
	r = cmark_node_first_child(table);
	if (!r || !cmark_gfm_extensions_get_table_row_is_header(r))
		goto done;
	tablerow_reset(row);
	cells_from_node(row, r);
	tablerow_resolve(row);
	tablerow_head_set(&h, row);
	if (need_action && (!h.nr || h.kinds[0] != FIELDS_COL_ACTION))
		goto done;
	reserve_items(rd->pm, table);
	for (r = cmark_node_next(r); r; r = cmark_node_next(r)) {
		const char *s;
		size_t len, i, cells;
		int col = cmark_node_get_start_column(r);

		tablerow_reset(row);
		row->line = reader_node_line(rd, r);
		row->col = col > 0 ? col : 1;
		cells_from_node(row, r);
		cells = row->nr;
		sc->spans_nr = 0;
		if (reader_line(rd, row->line, &s, &len)) {
			size_t skip = col > 1 ? (size_t)col - 1 : 0;
			if (skip > len)
				skip = len;
			split_raw_row(sc, s + skip, len - skip);
		}
		for (i = 0; i < sc->spans_nr && i < cells; i++) {
			row->v[i].md = sc->spans[i].s;
			row->v[i].md_len = sc->spans[i].len;
		}
		if (sc->spans_nr > ncols && sc->spans_nr > cells) {
			diags_add(rd->diags, DIAG_WARNING, rd->pm->path, row->line, row->col,
			          "ragged-row",
			          "table row has %zu cells, the header has %zu: the extra cells "
			          "are kept as extra fields",
			          sc->spans_nr, ncols);
			for (i = cells; i < sc->spans_nr; i++) {
				struct tablerow_cell *extra = tablerow_add(row);
				extra->off = row->arena.len;
				extra->md = sc->spans[i].s;
				extra->md_len = sc->spans[i].len;
				text_md_to_plain(&row->arena, extra->md, extra->md_len);
				strbuf_addch(&row->arena, '\0');
			}
		}
		tablerow_resolve(row);
		if (!tablerow_empty(row))
			tablerow_item(rd->pm, &h, row);
	}
done:
	tablerow_head_release(&h);
	scratch_release(sc);
}

/* Adds the cells of an HTML table row to row (texts borrowed from the table). */
static void cells_from_html(struct tablerow *row, const struct htmltable_row *hr)
{
	size_t j;

	for (j = 0; j < hr->nr; j++) {
		struct tablerow_cell *c = tablerow_add(row);
		c->text = hr->cells[j].text;
		c->md = hr->cells[j].raw;
		c->md_len = strlen(c->md);
		c->url = hr->cells[j].href;
	}
}

/*
 * Reads the HTML table starting at node's line, up to limit (a byte offset).
 * Returns the last file line it consumed.
 */
int table_read_html(struct reader *rd, cmark_node *node, size_t limit, bool need_action)
{
	struct htmltable t = HTMLTABLE_INIT;
	struct tablerow_head h = {NULL, NULL, 0, 0};
	struct scratch scratch, *sc = &scratch;
	struct tablerow *row = &sc->row;
	int line = reader_node_line(rd, node), last;
	size_t start, i;

	if (line < 1 || (size_t)line > rd->lines_nr)
		return line;
	start = reader_line_start(rd, line);
	if (limit < start || limit > rd->len)
		limit = rd->len;
	if (htmltable_parse(&t, rd->buf + start, limit - start, line) < 0)
		return line;
	scratch_init(sc);
	last = reader_line_of_offset(rd, start + (t.end ? t.end - 1 : 0));
	if (!t.nr)
		goto done;
	tablerow_reset(row);
	cells_from_html(row, &t.rows[0]);
	tablerow_head_set(&h, row);
	if (need_action && (!h.nr || h.kinds[0] != FIELDS_COL_ACTION))
		goto done;
	for (i = 1; i < t.nr; i++) {
		tablerow_reset(row);
		row->line = t.rows[i].line;
		row->col = 1;
		cells_from_html(row, &t.rows[i]);
		if (!tablerow_empty(row))
			tablerow_item(rd->pm, &h, row);
	}
done:
	tablerow_head_release(&h);
	htmltable_release(&t);
	scratch_release(sc);
	return last;
}

bool table_is_html(cmark_node *n)
{
	const char *lit;

	if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK)
		return false;
	lit = cmark_node_get_literal(n);
	return lit && htmltable_starts(lit, strlen(lit));
}
