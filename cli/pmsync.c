/*
 * pmsync's entry point: the global options, then one command from the table.
 * `pmsync [GLOBAL OPTIONS] [COMMAND] [OPTIONS]`. With no command, or when the
 * first word after the global options is an option (`pmsync --dry-run`), the
 * command is `sync`.
 */
#include "util/compat.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "config/config.h"
#include "util/error.h"

const struct cli_cmd *const pm_commands[] = {
        &cmd_sync,   &cmd_plan, &cmd_items,   &cmd_report, &cmd_lint,
        &cmd_doctor, &cmd_help, &cmd_version, NULL,
};

const struct cli_cmd *cli_find_command(const char *name)
{
	size_t i;

	for (i = 0; pm_commands[i]; i++)
		if (!strcmp(pm_commands[i]->name, name))
			return pm_commands[i];
	return NULL;
}

enum { G_DIR, G_CONFIG, G_REV, G_WORKTREE, G_VERBOSE, G_QUIET, G_HELP, G_VERSION, G_TIMEOUT };

static const struct cli_opt global_opts[] = {
        {"directory", 'C', true, G_DIR},
        {"config", 0, true, G_CONFIG},
        {"rev", 0, true, G_REV},
        {"worktree", 0, false, G_WORKTREE},
        {"verbose", 'v', false, G_VERBOSE},
        {"quiet", 'q', false, G_QUIET},
        {"help", 'h', false, G_HELP},
        {"version", 0, false, G_VERSION},
        {"timeout", 0, true, G_TIMEOUT},
        {NULL, 0, false, 0},
};

/* True when argv[i] is an option of the global table. */
static bool is_global_opt(const char *arg)
{
	const struct cli_opt *o;

	if (arg[0] != '-')
		return false;
	for (o = global_opts; o->long_name; o++) {
		size_t n = strlen(o->long_name);
		if (arg[1] == '-' && !strncmp(arg + 2, o->long_name, n) &&
		    (arg[2 + n] == '\0' || arg[2 + n] == '='))
			return true;
		if (o->short_name && arg[1] == o->short_name && (arg[2] == '\0' || o->takes_value))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	struct pm_globals g = {0};
	const struct cli_cmd *cmd = NULL;
	int i = 1;

	g.argv0 = argv[0];
	g.timeout = -1;
	g.started_ms = cli_now_ms();
	while (i < argc && is_global_opt(argv[i])) {
		const char *value = NULL;
		int id = 0;
		int r = cli_next_opt(argc, argv, &i, global_opts, &id, &value);

		if (r < 0)
			return cli_usage_error(NULL, "%s", pm_error_message());
		switch (id) {
		case G_DIR:
			g.dir = value;
			break;
		case G_CONFIG:
			g.config = value;
			break;
		case G_REV:
			g.rev = value;
			break;
		case G_WORKTREE:
			g.worktree = true;
			break;
		case G_VERBOSE:
			if (g.verbosity >= 0)
				g.verbosity++;
			break;
		case G_QUIET:
			g.verbosity = -1;
			break;
		case G_HELP:
			return cmd_help.run(0, NULL, &g);
		case G_VERSION:
			return cmd_version.run(0, NULL, &g);
		case G_TIMEOUT:
			if (config_parse_seconds(&g.timeout, value) < 0)
				return cli_usage_error(
				        NULL,
				        "'--timeout' takes seconds, such as 900, 15m or "
				        "1h (0: none), not '%s'",
				        value);
			break;
		}
	}
	if (i < argc && argv[i][0] != '-') {
		cmd = cli_find_command(argv[i]);
		if (!cmd)
			return cli_usage_error(NULL, "'%s' is not a pmsync command", argv[i]);
		i++;
	} else {
		cmd = &cmd_sync;
	}
	/* Commands see their own options from argv[0], as a main() would. */
	return cmd->run(argc - i + 1, argv + i - 1, &g);
}
