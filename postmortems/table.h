#ifndef PM_TABLE_H
#define PM_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "postmortems/reader.h"

/*
 * Action items from the tables of a postmortem (GFM and HTML), added to
 * the reader's postmortem. With need_action, a table is read only when its
 * first header names an action column (the fallback for files without an
 * action heading).
 */

/* Reads a GFM table node. */
void table_read_gfm(struct reader *rd, cmark_node *table, bool need_action);

/* True when n is an HTML block that opens a <table>. */
bool table_is_html(cmark_node *n);

/*
 * Reads the HTML table starting at node's line, up to limit (a byte offset:
 * cmark cuts a table with blank lines into several HTML blocks). Returns the
 * last file line it consumed.
 */
int table_read_html(struct reader *rd, cmark_node *node, size_t limit, bool need_action);

#endif
