#ifndef PM_TABLEROW_H
#define PM_TABLEROW_H

#include <stdbool.h>
#include <stddef.h>

#include "postmortems/fields.h"
#include "postmortems/postmortem.h"
#include "util/strbuf.h"

/* A table row being read, its header, and the action item a row makes. */

/* One table cell, from cmark or from an HTML table; every pointer is borrowed. */
struct tablerow_cell {
	const char *text; /* plain text, NUL-terminated */
	size_t off;       /* offset of text in the row's arena, before it is resolved */
	const char *md;   /* as written in the source */
	size_t md_len;
	const char *url; /* first link destination, or NULL */
};

/* A table row being read; reused from row to row. */
struct tablerow {
	struct tablerow_cell *v;
	size_t nr, alloc;
	struct strbuf arena; /* the texts of cmark cells, NUL-separated */
	int line, col;
};

/* The header row: column names (owned) and kinds, and the action column. */
struct tablerow_head {
	char **names;
	enum fields_column *kinds;
	size_t nr;
	size_t action;
};

void tablerow_init(struct tablerow *r);
void tablerow_release(struct tablerow *r);
/* Empties r for the next row, keeping its memory. */
void tablerow_reset(struct tablerow *r);
/* Appends a zeroed cell. */
struct tablerow_cell *tablerow_add(struct tablerow *r);
/*
 * Turns the arena offsets of the cells into pointers, once the arena has
 * stopped growing. A leading space left by the collapsing is skipped.
 */
void tablerow_resolve(struct tablerow *r);
/* True when every cell is empty. */
bool tablerow_empty(const struct tablerow *r);

void tablerow_head_set(struct tablerow_head *h, const struct tablerow *header);
void tablerow_head_release(struct tablerow_head *h);

/* Turns row r into an item of pm (or nothing for a template row). */
void tablerow_item(struct postmortem *pm, const struct tablerow_head *h, const struct tablerow *r);

#endif
