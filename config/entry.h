#ifndef PM_CONFIG_ENTRY_H
#define PM_CONFIG_ENTRY_H

#include <stddef.h>

struct config_scan;

/*
 * The variables of `.pmsync.conf` as libgit2 reads them, in file order,
 * each with the line and spelling the scan found for it.
 */

struct config_entry {
	char *name;          /* libgit2's name: section and key lower case */
	char *value;         /* NULL for a bare key (git's implicit true) */
	const char *written; /* as written in the file: borrowed from the scan, or name */
	int line;            /* 0 when the scan could not map the entry */
	int section_line;
};

/*
 * Reads the entries of buf (len bytes, already scanned into sc) through
 * libgit2, by way of a private temporary file that is gone on return. file
 * names the configuration in messages; libgit2's errors become PM_ECONFIG
 * naming file and line without quoting the text. The entries borrow from
 * sc, which must outlive them; config_entry_free() frees them.
 */
int config_entry_read(struct config_entry **out, size_t *out_nr, const char *buf, size_t len,
                      const char *file, struct config_scan *sc);

void config_entry_free(struct config_entry *v, size_t nr);

#endif
