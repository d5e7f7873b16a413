#ifndef PM_CONFIG_VALUE_H
#define PM_CONFIG_VALUE_H

#include <stdbool.h>

#include "config/key.h"

struct config_entry;
struct config;

/*
 * The values of `.pmsync.conf`: each entry checked against what its key
 * takes and stored in a struct config.
 */

/* Applies the entries of one file, in file order, to one configuration. */
struct config_value_reader {
	const char *file; /* names the file in messages */
	struct config *cfg;
	bool seen[CONFIG_KEY_COUNT]; /* multi-valued keys this file set: their defaults are gone */
};

void config_value_reader_init(struct config_value_reader *r, struct config *cfg, const char *file);

/*
 * Checks the value of e against its key and stores it in r->cfg. An unknown
 * key or a bad value is PM_ECONFIG naming file, line and key.
 */
int config_value_apply(struct config_value_reader *r, const struct config_entry *e);

#endif
