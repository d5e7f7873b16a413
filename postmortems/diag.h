#ifndef PM_DIAG_H
#define PM_DIAG_H

#include <stddef.h>

/*
 * Diagnostics about input: `path:line:col: error|warning: message [rule]`.
 * Readers collect them instead of printing; the command layer prints them.
 */
enum pm_diag_level {
	PM_DIAG_ERROR,
	PM_DIAG_WARNING,
};

struct pm_diag {
	char *path;
	int line; /* 0 when the whole file is concerned */
	int col;
	enum pm_diag_level level;
	char *rule; /* short rule name, e.g. "missing-owner" */
	char *message;
};

struct pm_diags {
	struct pm_diag *v;
	size_t nr, alloc;
};

#define PM_DIAGS_INIT      \
	{                  \
		NULL, 0, 0 \
	}

void pm_diags_add(struct pm_diags *d, enum pm_diag_level level, const char *path, int line, int col,
                  const char *rule, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Sorts by path, line, column, keeping insertion order among equals. */
void pm_diags_sort(struct pm_diags *d);
size_t pm_diags_count(const struct pm_diags *d, enum pm_diag_level level);
void pm_diags_release(struct pm_diags *d);

#endif
