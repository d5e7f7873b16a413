#ifndef PM_DIAG_H
#define PM_DIAG_H

#include <stddef.h>

/*
 * Diagnostics about input: `path:line:col: error|warning: message [rule]`.
 * Readers collect them instead of printing; the command layer prints them.
 */
enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
};

struct diag {
	char *path;
	int line; /* 0 when the whole file is concerned */
	int col;
	enum diag_level level;
	char *rule; /* short rule name, e.g. "missing-owner" */
	char *message;
};

struct diags {
	struct diag *v;
	size_t nr, alloc;
};

#define DIAGS_INIT         \
	{                  \
		NULL, 0, 0 \
	}

void diags_add(struct diags *d, enum diag_level level, const char *path, int line, int col,
               const char *rule, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Sorts by path, line, column, keeping insertion order among equals. */
void diags_sort(struct diags *d);
size_t diags_count(const struct diags *d, enum diag_level level);
void diags_release(struct diags *d);

#endif
