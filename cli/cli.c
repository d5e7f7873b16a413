/*
 * Helpers of the command layer: messages on stderr, the mapping from error
 * codes to exit codes, and the option parser every command uses.
 */
#include "util/compat.h"

#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "connectors/tracker.h"
#include "util/error.h"
#include "util/escape.h"
#include "util/redact.h"
#include "util/strbuf.h"

static void vreport(const char *prefix, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

/*
 * Messages quote file names, item texts and servers' answers: secrets are
 * masked by value and control characters escaped (util/escape.h), so that
 * no message forges a line of its own or repaints the terminal.
 */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT, line = STRBUF_INIT;

	strbuf_vaddf(&msg, fmt, ap);
	redact_secrets(&msg, tracker_secret_vars());
	esc_text_len(&line, msg.buf, msg.len);
	fprintf(stderr, "pmsync: %s: %s\n", prefix, line.buf);
	strbuf_release(&msg);
	strbuf_release(&line);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error", fmt, ap);
	va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning", fmt, ap);
	va_end(ap);
}

void cli_line(FILE *f, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT, line = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	esc_text_len(&line, msg.buf, msg.len);
	fprintf(f, "%s\n", line.buf);
	strbuf_release(&msg);
	strbuf_release(&line);
}

/*
 * Every code of enum pm_error_code is named here, and the switch has no
 * default, so that a code added without an exit status is a compiler
 * warning (-Wswitch) rather than a silent "findings".
 */
int cli_exit_for(int code)
{
	switch ((enum pm_error_code)code) {
	case PM_OK:
		return PM_EXIT_OK;
	case PM_EPARTIAL:
	case PM_EINPUT:
		return PM_EXIT_FINDINGS;
	case PM_EUSAGE:
		return PM_EXIT_USAGE;
	case PM_ECONFIG:
		return PM_EXIT_CONFIG;
	case PM_EAUTH:
	case PM_ERATELIMIT:
	case PM_ENET:
	case PM_ETRACKER:
	case PM_EREFUSED:
	case PM_ETIMEOUT:
		return PM_EXIT_TRACKER;
	case PM_EREPO:
	case PM_ENOTFOUND:
	case PM_ESTATE:
	case PM_ELOCKED:
	case PM_EIO:
		return PM_EXIT_REPO;
	case PM_ERROR:
		return PM_EXIT_INTERNAL;
	}
	return PM_EXIT_INTERNAL; /* not a pm_error_code: a bug */
}

long long cli_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long cli_deadline_ms(const struct pm_globals *g, long config_timeout)
{
	long s = g->timeout >= 0 ? g->timeout : config_timeout;

	return s > 0 ? g->started_ms + (long long)s * 1000 : 0;
}

int cli_fail(int code)
{
	const char *msg = pm_error_message();

	cli_error("%s", *msg ? msg : "unknown error");
	return cli_exit_for(code);
}

int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error", fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "Run 'pmsync help %s' for usage.\n", cmd->name);
	else
		fprintf(stderr, "Run 'pmsync --help' for usage.\n");
	return PM_EXIT_USAGE;
}

int cli_next_opt(int argc, char **argv, int *i, const struct cli_opt *opts, int *id,
                 const char **value)
{
	const char *arg;
	const struct cli_opt *o;

	if (*i >= argc)
		return 0;
	arg = argv[*i];
	if (arg[0] != '-' || !arg[1])
		return 0;
	if (!strcmp(arg, "--")) {
		(*i)++;
		return 0;
	}
	*value = NULL;
	if (arg[1] == '-') {
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);

		for (o = opts; o->long_name; o++) {
			if (strlen(o->long_name) != n || strncmp(o->long_name, name, n))
				continue;
			*id = o->id;
			if (o->takes_value) {
				if (eq) {
					*value = eq + 1;
				} else if (*i + 1 < argc) {
					*value = argv[++(*i)];
				} else {
					return pm_error(PM_EUSAGE, "option '--%s' needs a value",
					                o->long_name);
				}
			} else if (eq) {
				return pm_error(PM_EUSAGE, "option '--%s' takes no value",
				                o->long_name);
			}
			(*i)++;
			return 1;
		}
		return pm_error(PM_EUSAGE, "unknown option '%s'", arg);
	}
	for (o = opts; o->long_name; o++) {
		if (!o->short_name || o->short_name != arg[1])
			continue;
		*id = o->id;
		if (o->takes_value) {
			if (arg[2]) {
				*value = arg + 2;
			} else if (*i + 1 < argc) {
				*value = argv[++(*i)];
			} else {
				return pm_error(PM_EUSAGE, "option '-%c' needs a value",
				                o->short_name);
			}
		} else if (arg[2]) {
			return pm_error(PM_EUSAGE, "unknown option '%s'", arg);
		}
		(*i)++;
		return 1;
	}
	return pm_error(PM_EUSAGE, "unknown option '%s'", arg);
}
