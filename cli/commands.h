#ifndef PM_COMMANDS_H
#define PM_COMMANDS_H

#include "cli/cli.h"

/* One descriptor per cmd_<verb>.c. */
extern const struct pm_cmd cmd_sync;
extern const struct pm_cmd cmd_plan;
extern const struct pm_cmd cmd_items;
extern const struct pm_cmd cmd_lint;
extern const struct pm_cmd cmd_doctor;
extern const struct pm_cmd cmd_help;
extern const struct pm_cmd cmd_version;

#endif
