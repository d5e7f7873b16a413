#ifndef PM_READER_H
#define PM_READER_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "postmortems/diag.h"
#include "postmortems/postmortem.h"

/*
 * The state shared by the parts of the postmortem reader for one file: the
 * postmortem being filled, the diagnostics, and the source with its lines.
 * Every pointer is borrowed; reader_release() frees only the line index.
 */
struct reader {
	struct postmortem *pm;
	struct diags *diags;
	const char *buf; /* the file, BOM skipped */
	size_t len;
	size_t *lines; /* offset of each line start; lines[0] is line 1 */
	size_t lines_nr, lines_alloc;
	int line_base; /* file line = cmark line + line_base */
};

/* Indexes the lines of buf (lines end as CommonMark ends them: LF, CRLF or CR). */
void reader_init(struct reader *r, struct postmortem *pm, struct diags *diags, const char *buf,
                 size_t len);
void reader_release(struct reader *r);

/* The text of file line n (1-based) without its line ending; false past the end. */
bool reader_line(const struct reader *r, int n, const char **s, size_t *len);

/* The offset where file line n starts; the length of the file past the end. */
size_t reader_line_start(const struct reader *r, int line);

/* The file line holding byte off. */
int reader_line_of_offset(const struct reader *r, size_t off);

/* The file line where node n starts. */
int reader_node_line(const struct reader *r, cmark_node *n);

/* The source of a block from its start column, continuation lines left-trimmed. */
char *reader_block_source(const struct reader *r, cmark_node *n);

/* True when n's type is name ("table", "tasklist": extension node types). */
bool reader_node_is(cmark_node *n, const char *name);

#endif
