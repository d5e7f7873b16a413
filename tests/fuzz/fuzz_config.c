/*
 * Fuzz target for the configuration reader: feeds arbitrary bytes to
 * config_read_buffer(), which scans the text itself (include sections,
 * line numbers) before libgit2 parses it, and checks what must hold for any
 * input: the call returns 0 or a negative code, leaves the configuration
 * untouched on failure, names the file at the start of every configuration
 * error, and never quotes a token in a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "util/compat.h"
#include "config/config.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	static const char *const never[] = {"lin_api_", "lin_oauth_", "ATATT3", "ATCTT3"};
	struct config cfg;
	const char *msg;
	size_t i;
	int rc;

	/* Keeps libgit2 initialised between inputs, so each call does not set it up anew. */
	if (!initialised) {
		git_libgit2_init();
		initialised = 1;
	}
	config_init(&cfg);
	pm_error_clear();
	rc = config_read_buffer(&cfg, (const char *)data, size, ".pmsync.conf");
	msg = pm_error_message();
	if (rc != 0 && rc != PM_ECONFIG && rc != PM_ERROR)
		abort();
	if (rc < 0 && (cfg.source || cfg.max_changes != 50 || cfg.exclude.nr != 7))
		abort();
	if (rc == 0 && (!cfg.source || *msg))
		abort();
	if (rc == PM_ECONFIG && strncmp(msg, ".pmsync.conf:", 13))
		abort();
	for (i = 0; i < ARRAY_SIZE(never); i++)
		if (strstr(msg, never[i]))
			abort();
	if (rc == 0) {
		config_apply_env(&cfg);
		(void)config_validate(&cfg);
		(void)config_find_owner(&cfg, "@alice");
	}
	config_release(&cfg);
	return 0;
}
