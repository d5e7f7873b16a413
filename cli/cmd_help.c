/*
 * `pmsync help [COMMAND]` and `pmsync --help`: the command list, or one
 * command's full help. The same text is in pmsync.1 and the README.
 */
#include "util/compat.h"

#include <stdio.h>

#include "cli/commands.h"

static const char overview[] =
        "usage: pmsync [GLOBAL OPTIONS] [COMMAND] [OPTIONS]\n"
        "\n"
        "Reads the postmortems in a git repository, extracts their action items,\n"
        "lints them, and keeps one tracker ticket per item.\n"
        "\n"
        "Global options:\n"
        "  -C DIR            run as if started in DIR\n"
        "  --config FILE     read FILE instead of .pmsync.conf at the revision\n"
        "  --rev REV         read the postmortems at REV (default HEAD)\n"
        "  --worktree        read the working tree instead of a revision\n"
        "  -v, --verbose     log each request (tokens redacted)\n"
        "  --timeout SECS    end the run when talking to the tracker takes longer\n"
        "                    (also 15m, 1h; 0: never; default sync.timeout, 900 s)\n"
        "  -q, --quiet       print only errors\n"
        "  -h, --help        this help\n"
        "  --version         print the version\n"
        "\n"
        "Commands (sync is the default, so `pmsync --dry-run` plans):\n";

static const char exit_codes[] =
        "\n"
        "Exit codes: 0 success, 1 findings or partial failure, 2 changes pending\n"
        "(--detailed-exitcode), 3 usage error, 4 configuration error, 5 tracker or\n"
        "network error or the run's deadline passed, 6 repository or state error\n"
        "(git, the state file or its lock, a local file), 7 internal error.\n";

static int run_help(int argc, char **argv, const struct pm_globals *g)
{
	const struct cli_cmd *cmd;
	size_t i;

	(void)g;
	if (argc > 1) {
		cmd = cli_find_command(argv[1]);
		if (!cmd)
			return cli_usage_error(NULL, "'%s' is not a pmsync command", argv[1]);
		fputs(cmd->usage, stdout);
		return PM_EXIT_OK;
	}
	fputs(overview, stdout);
	for (i = 0; pm_commands[i]; i++)
		printf("  %-10s %s\n", pm_commands[i]->name, pm_commands[i]->summary);
	fputs(exit_codes, stdout);
	printf("\nRun 'pmsync help COMMAND' for a command's options.\n");
	return PM_EXIT_OK;
}

const struct cli_cmd cmd_help = {
        "help",
        run_help,
        "show help for pmsync or a command",
        "usage: pmsync help [COMMAND]\n"
        "\n"
        "Without COMMAND, lists the commands; with it, shows its options.\n",
};
