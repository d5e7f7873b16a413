/*
 * `pmsync report`: the completion report for the all-hands, as Markdown on
 * stdout, or JSON or HTML, or into a file. With a tracker configured (and
 * its token in the environment) each item's ticket is found by the sync's
 * own matcher, in a dry run that writes nothing; without one, statuses come
 * from the postmortems and closure dates from git history.
 */
#include "util/compat.h"

#include "cli/commands.h"
#include "cli/session.h"
#include "report/report.h"
#include "util/error.h"
#include "util/isodate.h"
#include "util/strbuf.h"

enum { O_FORMAT, O_OUTPUT, O_AS_OF, O_WRITE_BACK, O_COMMIT };

static const struct cli_opt report_opts[] = {
        {"format", 0, true, O_FORMAT},  {"output", 'o', true, O_OUTPUT},
        {"as-of", 0, true, O_AS_OF},    {"write-back", 0, false, O_WRITE_BACK},
        {"commit", 0, false, O_COMMIT}, {NULL, 0, false, 0},
};

static void today_utc(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int cli_sync_report(struct cli_session *s, const struct sync_plan *plan, const char *path,
                    const char *(*user_name)(void *data, const char *id), void *user_data)
{
	struct report_request req = {0};
	struct strbuf out = STRBUF_INIT;
	char today[11];
	int r;

	today_utc(today);
	req.as_of = today;
	req.output = path;
	req.format = report_format_for_path(path);
	req.user_name = user_name;
	req.user_data = user_data;
	r = report_make(&out, repo_root(s->repo), &s->set, &s->cfg, plan, &req);
	strbuf_release(&out);
	report_request_release(&req);
	return r < 0 ? cli_fail(r) : PM_EXIT_OK;
}

static int run_report(int argc, char **argv, const struct pm_globals *g)
{
	struct cli_session s = CLI_SESSION_INIT;
	struct report_request req = {0};
	struct strbuf out = STRBUF_INIT;
	const char *value = NULL, *format = NULL;
	char today[11];
	int i = 1, id = 0, r, code = PM_EXIT_OK;

	while ((r = cli_next_opt(argc, argv, &i, report_opts, &id, &value)) > 0) {
		switch (id) {
		case O_FORMAT:
			format = value;
			break;
		case O_OUTPUT:
			req.output = value;
			break;
		case O_WRITE_BACK:
			req.write_back = true;
			break;
		case O_COMMIT:
			req.commit = true;
			break;
		case O_AS_OF:
			if (!isodate_valid(value))
				return cli_usage_error(
				        &cmd_report, "'--as-of' takes a date YYYY-MM-DD, not '%s'",
				        value);
			req.as_of = value;
			break;
		}
	}
	if (r < 0)
		return cli_usage_error(&cmd_report, "%s", pm_error_message());
	if (i < argc)
		return cli_usage_error(&cmd_report, "unexpected argument '%s'", argv[i]);
	if (req.commit && !req.write_back)
		return cli_usage_error(&cmd_report,
		                       "'--commit' commits a write-back: add '--write-back'");
	if (format && report_parse_format(&req.format, format) < 0)
		return cli_usage_error(&cmd_report, "%s", pm_error_message());
	if (!format && req.output)
		req.format = report_format_for_path(req.output);
	if (!req.as_of) {
		today_utc(today);
		req.as_of = today;
	}

	r = cli_session_open(&s, g, true);
	if (r < 0) {
		code = cli_fail(r);
		goto done;
	}
	if (s.cfg.tracker != PM_TRACKER_NONE && (r = config_validate(&s.cfg)) < 0) {
		code = cli_fail(r);
		goto done;
	}
	req.deadline_ms = cli_deadline_ms(g, s.cfg.timeout);
	r = report_make(&out, repo_root(s.repo), &s.set, &s.cfg, NULL, &req);
	if (req.note && g->verbosity >= 0)
		fprintf(stderr, "pmsync: %s\n", req.note);
	for (size_t k = 0; k < req.messages.nr && g->verbosity >= 0; k++)
		fprintf(stderr, "pmsync: %s\n", req.messages.v[k]);
	if (r < 0) {
		code = cli_fail(r);
		goto done;
	}
	if (req.write_back && !req.output) {
		/* the write-back's messages are its output */
	} else if (req.output) {
		if (g->verbosity >= 0)
			fprintf(stderr, "pmsync: report written to '%s'\n", req.output);
	} else {
		fwrite(out.buf, 1, out.len, stdout);
	}
done:
	strbuf_release(&out);
	report_request_release(&req);
	cli_session_release(&s);
	return code;
}

const struct cli_cmd cmd_report = {
        "report",
        run_report,
        "write the completion report: closed within 30 days, overdue, detection time",
        "usage: pmsync report [OPTIONS]\n"
        "\n"
        "The completion report for the all-hands: items open, done and canceled, the\n"
        "share closed within report.window days (30) of the postmortem against\n"
        "report.goal (90%), overdue items by owner, open items by lever, the trend per\n"
        "month and quarter, median detection minutes, repeated incident classes and,\n"
        "with a tracker, drift between tickets and postmortems. Each metric is defined\n"
        "in the report. With tracker.kind = none, statuses come from the postmortems\n"
        "and closure dates from the first commit showing an item closed.\n"
        "\n"
        "  --format FORMAT   markdown (default), json or html\n"
        "  -o, --output FILE write to FILE (the format from its extension unless given)\n"
        "  --as-of DATE      the report as of DATE (YYYY-MM-DD, default today, UTC);\n"
        "                    with --rev, as it stood then\n"
        "  --write-back      write each item's ticket and status into the postmortems\n"
        "                    (Ticket and Status cells, ticked boxes) in the working tree\n"
        "  --commit          with --write-back: commit the changes on report.branch\n"
        "                    (default pmsync/closure-state), leaving the working tree\n"
        "                    and the checked-out branch alone\n"
        "\n"
        "The same inputs and --as-of give the same bytes. The tracker's token comes\n"
        "from the environment (`pmsync doctor` names the variables); without one, the\n"
        "report is made from the postmortems alone, and says so.\n",
};
