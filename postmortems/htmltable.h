#ifndef PM_HTMLTABLE_H
#define PM_HTMLTABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/*
 * A small tokenizer for the HTML tables people paste into Markdown:
 * <table>, <tr>, <th>/<td> with attributes, entities, a missing </td> or
 * </tr>, blank lines anywhere. Not a general HTML parser: it reads rows and
 * cells as text and remembers the first link of each cell.
 */

struct htmltable_cell {
	char *text;  /* plain text: tags removed, entities decoded, whitespace collapsed */
	char *raw;   /* the cell's inner HTML as written, trimmed */
	char *href;  /* destination of the first <a href> inside the cell, or NULL */
	bool header; /* a <th> */
	int line;
};

struct htmltable_row {
	struct htmltable_cell *cells;
	size_t nr, alloc;
	int line;
};

struct htmltable {
	struct htmltable_row *rows;
	size_t nr, alloc;
	size_t end;  /* offset just past </table>, or the input length when unterminated */
	bool closed; /* </table> was found */
};

#define HTMLTABLE_INIT               \
	{                            \
		NULL, 0, 0, 0, false \
	}

void htmltable_init(struct htmltable *t);
void htmltable_release(struct htmltable *t);

/*
 * Reads the first <table> element of buf into out (initialised by the
 * caller, filled only on success). first_line is the line number of buf[0].
 * Returns 0, or PM_EINPUT when buf holds no <table> tag.
 */
int htmltable_parse(struct htmltable *out, const char *buf, size_t len, int first_line);

/* True when buf starts (after spaces) with a <table> tag. */
bool htmltable_starts(const char *buf, size_t len);

/*
 * Decodes the character reference at s ("&amp;", "&#39;", "&#x2019;"),
 * appending its UTF-8 to out. Returns the bytes consumed, 0 when s does not
 * start with a reference pmsync knows (the '&' is then literal).
 */
size_t htmltable_decode_entity(struct strbuf *out, const char *s, size_t len);

#endif
