#ifndef PM_DOCMETA_H
#define PM_DOCMETA_H

#include "postmortems/postmortem.h"
#include "postmortems/reader.h"
#include "postmortems/section.h"

/* A postmortem's title, date and detection chain, read into the reader's postmortem. */

/* The title: front matter "title", else the first level-one heading of m. */
void docmeta_title(struct reader *r, const struct section_map *m);

/*
 * The date: front matter "date", else the file name's YYYY-MM-DD, else a
 * "Date:" line among the first lines from body_line; a warning when none.
 */
void docmeta_date(struct reader *r, int body_line);

/* detection_chain_minutes from the front matter, when it holds a number. */
void docmeta_chain_from_meta(struct postmortem *pm);

/*
 * While it is unknown, detection_chain_minutes from a
 * "detection_chain_minutes: N" line in a "Detection chain" section of m.
 */
void docmeta_chain_from_sections(struct reader *r, const struct section_map *m);

#endif
