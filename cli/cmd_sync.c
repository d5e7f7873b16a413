/*
 * `pmsync sync` (the default command) and `pmsync plan` (sync --dry-run):
 * reads every postmortem at the revision, plans the tracker changes that
 * bring one ticket per action item, prints the plan, and unless it is a dry
 * run applies it and prints what happened. A dry run needs no write access,
 * and without a token it plans offline from the state file. The exit code
 * says whether everything went through (0), some items failed (1) or, with
 * --detailed-exitcode, whether a dry run found changes to make (2).
 */
#include "util/compat.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/session.h"
#include "mapping/mapping.h"
#include "state/state.h"
#include "sync/render.h"
#include "sync/sync.h"
#include "util/error.h"
#include "util/safepath.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum {
	O_DRY_RUN,
	O_FORMAT,
	O_DETAILED,
	O_PREFER,
	O_FORCE,
	O_MAX,
	O_OFFLINE,
	O_CHANGED_SINCE,
	O_REBUILD,
	O_NO_COLOR,
	O_REPORT,
};

static const struct cli_opt sync_opts[] = {
        {"dry-run", 'n', false, O_DRY_RUN},
        {"format", 0, true, O_FORMAT},
        {"detailed-exitcode", 0, false, O_DETAILED},
        {"prefer-postmortem", 0, false, O_PREFER},
        {"force", 0, false, O_FORCE},
        {"max-changes", 0, true, O_MAX},
        {"offline", 0, false, O_OFFLINE},
        {"changed-since", 0, true, O_CHANGED_SINCE},
        {"rebuild-state", 0, false, O_REBUILD},
        {"no-color", 0, false, O_NO_COLOR},
        {"report", 0, true, O_REPORT},
        {NULL, 0, false, 0},
};

struct sync_args {
	bool dry_run, detailed, offline, no_color, rebuild;
	enum sync_render_format format;
	const char *changed_since;
	const char *report; /* --report FILE */
	struct sync_options so;
};

/* The command's view of the run, for the callbacks. */
struct sync_run {
	const struct pm_globals *g;
	const char *secrets[16];
	const struct tracker_kind *kind;
	bool progress_shown;
	/* user id -> email, for people reading the plan */
	struct mapping_users users;
};

/* A state file the repository names stays inside it (util/safepath.h). */
static int check_state_path(const struct cli_session *s)
{
	char *what;
	int r;

	if (s->cfg.chosen & PM_CHOSEN_STATE_FILE)
		return 0;
	what = xasprintf("%s: sync.stateFile", s->cfg.source ? s->cfg.source : ".pmsync.conf");
	r = safepath_check_inside(repo_root(s->repo), s->cfg.state_file, what);
	free(what);
	return r;
}

static void log_request(void *data, const char *line)
{
	struct sync_run *run = data;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, line);
	sync_render_redact(&sb, run->secrets);
	if (run->progress_shown) {
		fputs("\r\033[K", stderr);
		run->progress_shown = false;
	}
	fprintf(stderr, "pmsync: %s\n", sb.buf);
	strbuf_release(&sb);
}

static void show_progress(void *data, size_t done, size_t total, const char *what)
{
	struct sync_run *run = data;

	fprintf(stderr, "\r\033[Kpmsync: %zu/%zu %s", done, total, what ? what : "");
	fflush(stderr);
	run->progress_shown = true;
}

static void end_progress(struct sync_run *run)
{
	if (run->progress_shown)
		fputs("\r\033[K", stderr);
	run->progress_shown = false;
}

static int parse_args(struct sync_args *a, int argc, char **argv, const struct cli_cmd *cmd)
{
	const char *value = NULL;
	int i = 1, id = 0, r;

	while ((r = cli_next_opt(argc, argv, &i, sync_opts, &id, &value)) > 0) {
		char *end = NULL;

		switch (id) {
		case O_DRY_RUN:
			a->dry_run = true;
			break;
		case O_FORMAT:
			if (sync_render_parse_format(&a->format, value) < 0)
				return cli_usage_error(cmd, "%s", pm_error_message());
			break;
		case O_DETAILED:
			a->detailed = true;
			break;
		case O_PREFER:
			a->so.prefer_postmortem = true;
			break;
		case O_FORCE:
			a->so.force = true;
			break;
		case O_MAX:
			errno = 0;
			a->so.max_changes = strtol(value, &end, 10);
			if (errno || end == value || *end || a->so.max_changes < 0)
				return cli_usage_error(
				        cmd, "'--max-changes' takes a number, not '%s'", value);
			break;
		case O_OFFLINE:
			a->offline = true;
			break;
		case O_CHANGED_SINCE:
			a->changed_since = value;
			break;
		case O_REBUILD:
			a->rebuild = true;
			break;
		case O_NO_COLOR:
			a->no_color = true;
			break;
		case O_REPORT:
			a->report = value;
			break;
		}
	}
	if (r < 0)
		return cli_usage_error(cmd, "%s", pm_error_message());
	if (i < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
	if (a->offline && !a->dry_run)
		return cli_usage_error(
		        cmd, "'--offline' only plans: add '--dry-run' or use 'pmsync plan'");
	if (a->rebuild && a->offline)
		return cli_usage_error(cmd,
		                       "'--rebuild-state' needs the tracker: drop '--offline'");
	return 0;
}

static bool want_color(const struct sync_args *a)
{
	const char *term = getenv("TERM");

	if (a->no_color || a->format != SYNC_RENDER_TEXT || getenv("NO_COLOR"))
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(STDOUT_FILENO);
}

/* Errors of the postmortems always; warnings with -v. */
static void print_read_diags(const struct cli_session *s, int verbosity)
{
	size_t i;

	for (i = 0; i < s->diags.nr; i++)
		if (s->diags.v[i].level == DIAG_ERROR || verbosity > 0)
			cli_print_diag(&s->diags.v[i]);
}

static void note(const struct pm_globals *g, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void note(const struct pm_globals *g, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (g->verbosity < 0)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	cli_line(stderr, "pmsync: %s", sb.buf); /* it may name a file the repository chose */
	strbuf_release(&sb);
}

static void print_render(const struct sync_plan *plan, const struct sync_args *a,
                         const struct sync_run *run, const struct pm_globals *g, bool result)
{
	struct sync_render_options ro = {0};
	struct strbuf out = STRBUF_INIT;

	/* -q: the text for people goes; what a script asked for stays. */
	if (g->verbosity < 0 && a->format == SYNC_RENDER_TEXT)
		return;
	ro.format = a->format;
	ro.result = result;
	ro.color = want_color(a);
	ro.verbosity = g->verbosity;
	ro.tracker_name = run->kind ? run->kind->display : NULL;
	ro.user_name = mapping_user_name;
	ro.user_data = (void *)&run->users;
	ro.secrets = run->secrets;
	sync_render(&out, plan, &ro);
	fwrite(out.buf, 1, out.len, stdout);
	fflush(stdout);
	strbuf_release(&out);
}

/* --changed-since: only the postmortems changed since that revision are planned. */
static int select_changed(struct strlist *paths, struct sync_args *a, const struct cli_session *s,
                          const struct pm_globals *g)
{
	struct repo_load_options lo;
	int r;

	cli_session_load_options(&lo, g);
	r = repo_changed_since(paths, s->repo, &s->cfg, a->changed_since, &lo);
	if (r < 0)
		return r;
	a->so.only_paths = paths;
	note(g, "%zu postmortem%s changed since '%s'", paths->nr, paths->nr == 1 ? "" : "s",
	     a->changed_since);
	return 0;
}

/* Without a token a dry run plans offline; a real run stops. Returns an exit code. */
static int check_token(struct sync_args *a, const struct sync_run *run)
{
	if (a->offline || tracker_kind_has_token(run->kind))
		return PM_EXIT_OK;
	if (!a->dry_run) {
		cli_error("no %s token: %s", run->kind->display, run->kind->token_help);
		return PM_EXIT_TRACKER;
	}
	note(run->g, "no %s: planning offline from the state file", run->kind->token_vars[0]);
	a->offline = true;
	return PM_EXIT_OK;
}

/* Opens the state file: locked for a real run, empty with --rebuild-state. */
static int open_state(struct state *st, const struct cli_session *s, const struct sync_args *a,
                      const struct pm_globals *g)
{
	unsigned flags = 0;
	int r;

	if (!a->dry_run)
		flags |= PM_STATE_LOCK;
	if (a->rebuild)
		flags |= PM_STATE_REBUILD;
	r = check_state_path(s);
	if (r >= 0)
		r = state_open(st, repo_root(s->repo), s->cfg.state_file, flags);
	if (r < 0)
		return r;
	if (st->note)
		cli_warning("%s", st->note);
	if (a->offline && !st->last_run && !st->items_nr)
		note(g, "no state file '%s': offline, every item is planned as a create",
		     st->display ? st->display : s->cfg.state_file);
	return 0;
}

/*
 * Opens and prepares the tracker, its journal next to the state file
 * (*journal, the caller frees it). Returns an exit code.
 */
static int open_tracker(struct tracker **t, char **journal, struct tracker_options *topts,
                        const struct cli_session *s, const struct state *st,
                        const struct sync_args *a, struct sync_run *run)
{
	int r, code;

	topts->dry_run = a->dry_run;
	if (st->file) {
		*journal = xasprintf("%s.journal", st->file);
		topts->journal = *journal;
	}
	r = cli_session_open_tracker(t, s, run->g, topts, log_request, run);
	if (r >= 0)
		r = (*t)->ops->prepare(*t);
	if (r >= 0)
		return PM_EXIT_OK;
	code = cli_fail(r);
	/* Here "not found" is the team or a state the configuration names. */
	return r == PM_ENOTFOUND ? PM_EXIT_CONFIG : code;
}

/* Applies the plan, shows the outcome and writes the report. Returns an exit code. */
static int apply_plan(struct sync_plan *plan, struct sync_args *a, struct sync_run *run,
                      struct cli_session *s, struct tracker *t, struct state *st)
{
	int r, code = PM_EXIT_OK;

	r = sync_apply(plan, &s->cfg, t, st, &a->so);
	end_progress(run);
	if (r == PM_EUSAGE) {
		/* Refused before writing anything: show what it would have done. */
		print_render(plan, a, run, run->g, false);
		return cli_fail(r);
	}
	print_render(plan, a, run, run->g, true);
	if (r == PM_EPARTIAL) {
		struct sync_render_counts n;

		sync_render_count(&n, plan);
		cli_error("%zu change%s failed; the next run retries %s", n.failed,
		          n.failed == 1 ? "" : "s", n.failed == 1 ? "it" : "them");
		code = PM_EXIT_FINDINGS;
	} else if (r < 0) {
		code = cli_fail(r);
	}
	if (a->report &&
	    cli_sync_report(s, plan, a->report, mapping_user_name, &run->users) != PM_EXIT_OK &&
	    code == PM_EXIT_OK)
		code = PM_EXIT_REPO;
	return code;
}

static int run_sync_command(int argc, char **argv, const struct pm_globals *g,
                            const struct cli_cmd *cmd, bool plan_only)
{
	char *journal = NULL;
	struct sync_args a = {0};
	struct sync_run run = {0};
	struct cli_session s = CLI_SESSION_INIT;
	struct state st = STATE_INIT;
	struct sync_plan plan = SYNC_PLAN_INIT;
	struct strlist paths = {0};
	struct tracker *t = NULL;
	struct tracker_options topts = {0};
	int r, code = PM_EXIT_OK;

	a.so.max_changes = -1;
	a.dry_run = plan_only;
	r = parse_args(&a, argc, argv, cmd);
	if (r)
		return r;
	run.g = g;
	cli_secrets_collect(run.secrets, ARRAY_SIZE(run.secrets));

	r = cli_session_open(&s, g, true);
	if (r < 0) {
		code = cli_fail(r);
		goto done;
	}
	print_read_diags(&s, g->verbosity);
	if ((code = cli_session_check_tracker(&s)) != PM_EXIT_OK)
		goto done;
	r = config_validate(&s.cfg);
	if (r >= 0 && a.changed_since)
		r = select_changed(&paths, &a, &s, g);
	if (r < 0) {
		code = cli_fail(r);
		goto done;
	}
	run.kind = tracker_kind_of(s.cfg.tracker);
	if ((code = check_token(&a, &run)) != PM_EXIT_OK)
		goto done;
	if ((r = open_state(&st, &s, &a, g)) < 0) {
		code = cli_fail(r);
		goto done;
	}
	if (!a.offline &&
	    (code = open_tracker(&t, &journal, &topts, &s, &st, &a, &run)) != PM_EXIT_OK)
		goto done;

	a.so.dry_run = a.dry_run;
	a.so.offline = a.offline;
	a.so.rebuild_state = a.rebuild;
	if (!a.dry_run && g->verbosity >= 0 && isatty(STDERR_FILENO)) {
		a.so.progress = show_progress;
		a.so.progress_data = &run;
	}
	r = sync_plan_build(&plan, &s.set, &s.cfg, t, &st, &a.so);
	end_progress(&run);
	if (r < 0) {
		code = cli_fail(r);
		goto done;
	}
	mapping_users_resolve(&run.users, t, &s.cfg);

	if (a.dry_run) {
		print_render(&plan, &a, &run, g, false);
		if (a.detailed && sync_render_pending(&plan))
			code = PM_EXIT_PENDING;
		goto done;
	}
	code = apply_plan(&plan, &a, &run, &s, t, &st);

done:
	end_progress(&run);
	mapping_users_release(&run.users);
	sync_plan_release(&plan);
	tracker_free(t);
	free(journal);
	state_release(&st);
	strlist_clear(&paths);
	cli_session_release(&s);
	return code;
}

static int run_sync(int argc, char **argv, const struct pm_globals *g)
{
	return run_sync_command(argc, argv, g, &cmd_sync, false);
}

static int run_plan(int argc, char **argv, const struct pm_globals *g)
{
	return run_sync_command(argc, argv, g, &cmd_plan, true);
}

#define SYNC_OPTIONS_HELP                                                                        \
	"  -n, --dry-run          plan only: print the changes, write nothing\n"                 \
	"  --format FORMAT        text (default), json or markdown (a pull-request comment)\n"   \
	"  --detailed-exitcode    with --dry-run: exit 2 when there are changes to make\n"       \
	"  --prefer-postmortem    on a conflict, overwrite the tracker with the postmortem\n"    \
	"  --force                make more than sync.maxChanges creates, cancels, adoptions\n"  \
	"  --max-changes N        refuse to create, cancel or adopt more than N (default\n"      \
	"                         sync.maxChanges)\n"                                            \
	"  --offline              plan from the state file, without asking the tracker\n"        \
	"  --changed-since REV    only the postmortems changed since the merge-base with REV\n"  \
	"  --rebuild-state        rebuild the state file from the tracker's markers\n"           \
	"  --no-color             no colour (also when stdout is not a terminal, or NO_COLOR)\n" \
	"  --report FILE          after the sync, write the completion report to FILE\n"         \
	"\n"                                                                                     \
	"The tracker's token comes from the environment (`pmsync doctor` names the\n"            \
	"variables). A dry run without one plans offline from the state file.\n"                 \
	"Exit codes: 0 done, 1 some changes failed, 2 changes pending (--detailed-exitcode),\n"  \
	"3 usage, 4 configuration, 5 tracker or network, 6 repository.\n"

const struct cli_cmd cmd_sync = {
        "sync",
        run_sync,
        "make one tracker ticket per action item (the default command)",
        "usage: pmsync [sync] [OPTIONS]\n"
        "\n"
        "Reads every postmortem at the revision and brings the tracker in line: one\n"
        "ticket per open action item, updated when the postmortem changes. Changes\n"
        "made in the tracker (drift) are reported and left alone.\n"
        "\n" SYNC_OPTIONS_HELP,
};

const struct cli_cmd cmd_plan = {
        "plan",
        run_plan,
        "show what sync would change (sync --dry-run)",
        "usage: pmsync plan [OPTIONS]\n"
        "\n"
        "The same as `pmsync sync --dry-run`: prints the plan and writes nothing.\n"
        "\n" SYNC_OPTIONS_HELP,
};
