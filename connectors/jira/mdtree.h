#ifndef PM_MDTREE_H
#define PM_MDTREE_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "util/strbuf.h"

/*
 * What the Jira converters (adf.c, wiki.c) share: parsing a description's
 * Markdown into cmark-gfm's syntax tree with the GitHub extensions people
 * use in postmortems, and the few questions both ask of that tree.
 */

/* The document of md (tables, strikethrough, autolinks); free with cmark_node_free(). */
cmark_node *mdtree_parse(const char *md, size_t len);

enum mdtree_kind {
	MDTREE_OTHER = 0,
	MDTREE_TABLE,
	MDTREE_TABLE_ROW,
	MDTREE_TABLE_HEADER_ROW,
	MDTREE_TABLE_CELL,
	MDTREE_STRIKE,
};

/* The kind of an extension node (a table, a row, a cell, a strikethrough). */
enum mdtree_kind mdtree_kind(cmark_node *n);

/* True when an inline HTML literal is a line break (<br>, <br/>, <br />). */
bool mdtree_is_br(const char *literal);

/* The first word of a code fence's info string ("c" of "c title=x"), into sb. */
void mdtree_fence_language(struct strbuf *sb, cmark_node *code);

/* Appends the plain text under n (text, code, literals; breaks as spaces). */
void mdtree_plain(struct strbuf *sb, cmark_node *n);

/*
 * How deep blocks may nest before a converter flattens the rest into plain
 * text: deeper input is hostile or broken, and recursion must stay bounded.
 */
#define MDTREE_MAX_DEPTH 24

#endif
