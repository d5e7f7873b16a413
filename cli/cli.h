#ifndef PM_CLI_H
#define PM_CLI_H

#include <stdbool.h>
#include <stdio.h>

/*
 * The command layer: the only code that prints results or exits. Each
 * command is one cmd_<verb>.c exporting a struct cli_cmd; pmsync.c holds the
 * table and the global options.
 */

/* The exit codes, one table for every command (README, pmsync.1). */
enum pm_exit {
	PM_EXIT_OK = 0,       /* success; lint: clean */
	PM_EXIT_FINDINGS = 1, /* lint errors; a sync where some items failed */
	PM_EXIT_PENDING = 2,  /* changes pending (dry-run with --detailed-exitcode) */
	PM_EXIT_USAGE = 3,    /* usage error */
	PM_EXIT_CONFIG = 4,   /* configuration error */
	PM_EXIT_TRACKER = 5,  /* tracker or network error, the run's deadline passed */
	PM_EXIT_REPO = 6,     /* repository or state error: git, state file, lock, local files */
	PM_EXIT_INTERNAL = 7, /* an unexpected failure: a bug */
};

struct pm_globals {
	const char *dir;      /* -C DIR */
	const char *config;   /* --config FILE */
	const char *rev;      /* --rev REV, NULL for HEAD */
	bool worktree;        /* --worktree */
	int verbosity;        /* -v adds one, -q sets -1 */
	long timeout;         /* --timeout in seconds, -1 when not given */
	long long started_ms; /* when the run started, epoch ms */
	const char *argv0;
};

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv, const struct pm_globals *g);
	const char *summary;
	const char *usage; /* full help text: usage line, description, options */
};

/* The command table, NULL-terminated (pmsync.c). */
extern const struct cli_cmd *const pm_commands[];
const struct cli_cmd *cli_find_command(const char *name);

/* Messages on stderr, "pmsync: error: ..." and "pmsync: warning: ...". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Prints one line to f (the newline added), with every control character
 * and bidirectional override in it shown escaped (util/escape.h): for lines
 * that quote the repository, so that a file name cannot forge a line.
 */
void cli_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the recorded error (pm_error_message) and returns the exit code for code. */
int cli_fail(int code);
/* Maps a pm_error_code to an exit code. */
int cli_exit_for(int code);

/* The wall clock, epoch ms. */
long long cli_now_ms(void);

/*
 * The run's deadline for the tracker (epoch ms, 0: none): --timeout, else
 * the configuration's sync.timeout, counted from the start of the run.
 */
long long cli_deadline_ms(const struct pm_globals *g, long config_timeout);
/* Prints "usage: ..." for cmd on stderr and returns PM_EXIT_USAGE. */
int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/*
 * A small option parser shared by the commands: walks argv from *i, matching
 * "--name", "--name=value", "--name value" and "-x". Returns 1 when an option
 * was matched (value set when it takes one), 0 at the first non-option, -1 on
 * an error (message recorded).
 */
struct cli_opt {
	const char *long_name; /* without "--" */
	char short_name;       /* 0 when none */
	bool takes_value;
	int id;
};
int cli_next_opt(int argc, char **argv, int *i, const struct cli_opt *opts, int *id,
                 const char **value);

#endif
