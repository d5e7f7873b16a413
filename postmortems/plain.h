#ifndef PM_PLAIN_H
#define PM_PLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "util/strbuf.h"

/*
 * Plain text of cmark inline content, white space collapsed, with the spans
 * of its links (destinations borrowed from the document, or owned for the
 * bare URLs plain_autolink() finds).
 */
struct plain_link {
	size_t start, end;
	const char *url;
};

struct plain {
	struct strbuf sb;
	bool space;
	struct plain_link *links;
	size_t links_nr, links_alloc;
	char **urls; /* destinations of the bare URLs found in the text */
	size_t urls_nr, urls_alloc;
};

void plain_init(struct plain *p);
/* Empties p for the next text, keeping its memory. */
void plain_reset(struct plain *p);
void plain_release(struct plain *p);

/* Appends the plain text of parent's inline children to p. */
void plain_inlines(struct plain *p, cmark_node *parent, int depth);

/* Finds the bare http(s) URLs in p's text and records them as links, in text order. */
void plain_autolink(struct plain *p);

/*
 * Appends the plain text of a table cell's inline content to out (*space as
 * for text_add_collapsed()); *url gets the first link destination that is
 * not an in-page anchor, when it is still NULL.
 */
void plain_cell_text(struct strbuf *out, bool *space, cmark_node *parent, const char **url,
                     int depth);

#endif
