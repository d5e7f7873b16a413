#ifndef PM_ADF_H
#define PM_ADF_H

#include <stddef.h>

#include <jansson.h>

#include "util/strbuf.h"

/*
 * Atlassian Document Format, the rich text of Jira Cloud's REST v3: a
 * description's Markdown converted through cmark-gfm's syntax tree, and a
 * canonical text of any ADF document, to compare what Jira holds with what
 * pmsync wrote whatever nodes or attributes Jira adds on its side.
 */

/*
 * The ADF document ({"type":"doc","version":1,...}) of md: paragraphs,
 * headings, emphasis, strong, strikethrough, code spans and blocks, links,
 * lists, quotes, rules, tables. Never holds an empty text node, nor a node
 * where ADF does not allow it (a heading in a list item becomes a paragraph).
 * Never fails; the caller owns the result.
 */
json_t *adf_from_markdown(const char *md, size_t len);

/*
 * Appends a canonical text of an ADF node: its text with marks written out
 * in a fixed order, one line per block. Two documents that read the same
 * give the same text; unknown nodes give their text content.
 */
void adf_to_text(struct strbuf *sb, const json_t *node);

#endif
