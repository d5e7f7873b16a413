#ifndef PM_CLI_SESSION_H
#define PM_CLI_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "config/config.h"
#include "connectors/tracker.h"
#include "postmortems/diag.h"
#include "postmortems/repo.h"

/*
 * What most commands start with: the repository, its configuration at the
 * revision (or the --config file), the environment applied over it, and,
 * when asked, every postmortem with the diagnostics found reading them.
 */
struct cli_session {
	struct repo *repo;
	struct config cfg;
	struct pm_set set;
	struct diags diags;
};

#define CLI_SESSION_INIT                           \
	{                                          \
		NULL, {0}, PM_SET_INIT, DIAGS_INIT \
	}

/*
 * Opens the repository named by g->dir, reads the configuration (g->config,
 * else .pmsync.conf at g->rev or in the working tree with g->worktree) and,
 * with load_items, every postmortem. Returns 0 or a pm_error_code with the
 * message recorded. s must hold CLI_SESSION_INIT; whatever the outcome,
 * cli_session_release() frees it.
 */
int cli_session_open(struct cli_session *s, const struct pm_globals *g, bool load_items);
void cli_session_release(struct cli_session *s);

/* The load options that g asks for (revision or working tree). */
void cli_session_load_options(struct repo_load_options *out, const struct pm_globals *g);

/*
 * Prints diagnostics on stderr, `path:line:col: error|warning: message
 * [rule]`: errors always, warnings unless verbosity < 0. Returns the number
 * of errors.
 */
int cli_print_diags(const struct diags *d, int verbosity);

/*
 * Checks that the configuration names a tracker pmsync can talk to; prints
 * why not and returns PM_EXIT_CONFIG, else PM_EXIT_OK.
 */
int cli_session_check_tracker(const struct cli_session *s);

/*
 * The values of every variable that may hold a tracker's secret (any
 * tracker's: a token of another tracker is masked as well), NULL-ended, at
 * most cap - 1 of them; borrowed from the environment.
 */
void cli_secrets_collect(const char **out, size_t cap);

/* Prints one diagnostic on stderr in that form. */
void cli_print_diag(const struct diag *diag);

/*
 * Opens the configured tracker with opts (its dry run and journal already
 * set), under the run's deadline, logging each request through log (with
 * log_data) when g asks for verbose output.
 */
int cli_session_open_tracker(struct tracker **out, const struct cli_session *s,
                             const struct pm_globals *g, struct tracker_options *opts,
                             tracker_log_fn log, void *log_data);

#endif
