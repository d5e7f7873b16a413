#ifndef PM_SECTION_H
#define PM_SECTION_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "config/config.h"
#include "postmortems/fields.h"
#include "postmortems/reader.h"

/*
 * The headings of a postmortem and the action items' section among them:
 * headings matched against the action-heading patterns, sections read for
 * their tables or lists.
 */

/* A heading pattern, normalized (see label_normalize()). */
struct section_pattern {
	const char *s;
	size_t len;
	size_t words;
};

struct section_heading {
	cmark_node *node;
	int level;
	int line;
	bool action; /* matches an action-heading pattern */
	bool chain;  /* a "Detection chain" heading */
};

/* The document's top-level headings and the patterns that find the action section. */
struct section_map {
	const struct section_pattern *patterns;
	size_t patterns_nr;
	struct section_pattern *own; /* patterns from the options, owned */
	struct section_pattern chain;
	struct section_heading *v;
	size_t nr, alloc;
};

/* Prepares the patterns: headings (case-insensitive), or the built-in list when NULL or empty. */
void section_map_init(struct section_map *m, const struct strlist *headings);
void section_map_release(struct section_map *m);

/* Reads the top-level headings of doc into m and into the postmortem's headings. */
void section_collect(struct section_map *m, struct reader *r, cmark_node *doc);

/*
 * Reads the items of every action section (sets the postmortem's section
 * to the first) and the detection chain sections. Without an action
 * section the postmortem's section stays NULL: see fallback.h.
 */
void section_read(const struct section_map *m, struct reader *r);

/* True when text (as written) matches an action-heading pattern. */
bool section_matches_action(const struct section_map *m, const char *text, size_t len, bool whole);

/*
 * The status a heading or label gives the items under it: "Done",
 * "Completed actions", "In progress", "Still open", "Actions taken",
 * "Won't do"; FIELDS_STATUS_NONE for any other text.
 */
enum fields_status section_group_status(const char *text, size_t len);

/*
 * Reads the items of the blocks [first, end): tables when there are any,
 * else lists; status-led paragraphs; status sub-headings and labels.
 */
void section_read_blocks(struct reader *r, cmark_node *first, cmark_node *end);

/* The first heading at or after start whose level is at most level, or NULL. */
cmark_node *section_end(cmark_node *start, int level);

/* The next heading after the current block, remembered while a walk moves forward. */
struct section_ahead {
	bool valid;
	cmark_node *heading; /* NULL: none until the end */
};

/*
 * Byte offset where the next heading after n starts: the end of any HTML
 * table inside n (see table_read_html()). The answer is kept in a, so that a
 * section of many HTML tables is still walked once.
 */
size_t section_next_heading(const struct reader *r, cmark_node *n, struct section_ahead *a);

#endif
