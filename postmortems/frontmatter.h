#ifndef PM_FRONTMATTER_H
#define PM_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "postmortems/postmortem.h"

/*
 * The YAML front matter of a postmortem: a block opened by "---" on the
 * first line and closed by "---" (or "..."). Only the subset postmortems use
 * is read: scalars (plain, quoted, folded or literal), flow lists [a, b],
 * block lists of "- a" lines (both joined with ", ") and one level of nested
 * keys (flattened as "parent.child"). Anything else is kept as written.
 */
struct frontmatter {
	struct pm_meta *v;
	size_t nr, alloc;
	bool present;       /* a closed block was found */
	size_t body_offset; /* first byte after the closing line (0 when absent) */
	int body_line;      /* line number of that byte (1 when absent) */
};

#define FRONTMATTER_INIT                \
	{                               \
		NULL, 0, 0, false, 0, 1 \
	}

void frontmatter_init(struct frontmatter *fm);
void frontmatter_release(struct frontmatter *fm);

/*
 * Reads the front matter at the start of buf (a BOM already skipped) into
 * out, which must be initialised. An unclosed block is not front matter
 * (present stays false). Never fails: returns 0.
 */
int frontmatter_parse(struct frontmatter *out, const char *buf, size_t len);

/* The value of field name, or NULL. */
const char *frontmatter_get(const struct frontmatter *fm, const char *name);

#endif
