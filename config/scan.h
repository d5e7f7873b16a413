#ifndef PM_CONFIG_SCAN_H
#define PM_CONFIG_SCAN_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The scan of `.pmsync.conf` as text, before libgit2 reads it: where an
 * include or includeIf section starts, where a value holds a bad escape, and
 * the line and spelling of every variable (libgit2 keeps neither).
 */

/* One variable as the scan found it, in file order (libgit2 returns the same order). */
struct config_scan_var {
	char *name;    /* as libgit2 names it: section and key lower case, subsection verbatim */
	char *written; /* as written in the file, for messages */
	int line;
	int section_line;
	bool used; /* already given to an entry (config/entry.c) */
};

struct config_scan {
	struct config_scan_var *v;
	size_t nr, alloc;
	int include_line; /* first include or includeIf section header, 0 when none */
	int escape_line;  /* first invalid escape in a value, 0 when none */
	bool stopped;     /* the scan met what libgit2 rejects; later lines are not mapped */
};

#define CONFIG_SCAN_INIT                \
	{                               \
		NULL, 0, 0, 0, 0, false \
	}

/* Scans the len bytes of buf (no NUL among them) into sc, which starts as CONFIG_SCAN_INIT. */
void config_scan_text(struct config_scan *sc, const char *buf, size_t len);

void config_scan_release(struct config_scan *sc);

/* git's idea of white space (git__isspace), not the locale's. */
bool config_scan_is_space(int c);

/* ASCII lower case, whatever the locale. */
int config_scan_to_lower(int c);

#endif
