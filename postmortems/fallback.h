#ifndef PM_FALLBACK_H
#define PM_FALLBACK_H

#include <cmark-gfm.h>

#include "postmortems/reader.h"
#include "postmortems/section.h"

/*
 * Reads the action items of a file without an action heading: an
 * "Action items" paragraph, a table with an action column first, a list
 * with an action label. m holds the heading patterns.
 */
void fallback_read(const struct section_map *m, struct reader *r, cmark_node *doc);

#endif
