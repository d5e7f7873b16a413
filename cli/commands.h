#ifndef PM_COMMANDS_H
#define PM_COMMANDS_H

#include "cli/cli.h"

/* One descriptor per cmd_<verb>.c. */
extern const struct cli_cmd cmd_sync;
extern const struct cli_cmd cmd_plan;
extern const struct cli_cmd cmd_items;
extern const struct cli_cmd cmd_report;
extern const struct cli_cmd cmd_lint;
extern const struct cli_cmd cmd_doctor;
extern const struct cli_cmd cmd_help;
extern const struct cli_cmd cmd_version;

struct cli_session;
struct sync_plan;
/*
 * `sync --report FILE` (cmd_report.c): writes the report of the plan just
 * applied to FILE, as of today; prints what went wrong and returns an exit code.
 */
int cli_sync_report(struct cli_session *s, const struct sync_plan *plan, const char *path,
                    const char *(*user_name)(void *data, const char *id), void *user_data);

#endif
