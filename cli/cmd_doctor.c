/*
 * `pmsync doctor`: checks the setup before the first sync, writing nothing.
 * The tracker connector checks the token, the team, the workflow states, the
 * labels and the configured owners; this command adds the owners that the
 * postmortems name without an [owner] section. Each finding is one line,
 * `ok: CHECK: what was found` or `error: CHECK: what to change, and where`.
 * Exit 0 when all is well, 5 when the token or the network fails, 4 for
 * anything the configuration must fix.
 */
#include "util/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/session.h"
#include "connectors/tracker.h"
#include "sync/render.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const struct cli_opt doctor_opts[] = {
        {NULL, 0, false, 0},
};

struct doctor {
	const char *secrets[16];
};

static void masked(struct strbuf *sb, const struct doctor *d)
{
	sync_render_redact(sb, d->secrets);
}

static void log_request(void *data, const char *line)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, line);
	masked(&sb, data);
	fprintf(stderr, "pmsync: %s\n", sb.buf);
	strbuf_release(&sb);
}

/* A finding the token or the network explains, rather than the configuration. */
static bool is_tracker_finding(const struct tracker_finding *f)
{
	return !strncmp(f->check, "token", 5) || !strncmp(f->check, "network", 7) ||
	       !strncmp(f->check, "api", 3) || !strncmp(f->check, "connection", 10);
}

/*
 * Owners named in postmortems without an [owner] section: their tickets
 * would be unassigned. One finding per handle, naming where it is first used.
 */
static void check_owner_sections(struct tracker_findings *out, const struct cli_session *s)
{
	struct strlist seen = {0};
	const char *file = s->cfg.source ? s->cfg.source : ".pmsync.conf";
	size_t i, j;

	for (i = 0; i < s->set.nr; i++) {
		const struct postmortem *pm = &s->set.v[i];

		for (j = 0; j < pm->items_nr; j++) {
			const struct action_item *it = &pm->items[j];
			const char *h = it->owner;

			if (!h || config_find_owner(&s->cfg, h))
				continue;
			if (*h == '@')
				h++;
			if (strlist_has_ci(&seen, h))
				continue;
			strlist_add(&seen, h);
			tracker_findings_add(
			        out, false, "owner section",
			        "'%s' (%s:%d) has no [owner \"%s\"] section in %s: add one "
			        "with the person's email",
			        h, pm->path, it->line, h, file);
		}
	}
	if (!seen.nr && s->set.nr)
		tracker_findings_add(out, true, "owner sections",
		                     "every owner named in %zu postmortems has an [owner] section",
		                     s->set.nr);
	strlist_clear(&seen);
}

static int run_doctor(int argc, char **argv, const struct pm_globals *g)
{
	struct cli_session s = CLI_SESSION_INIT;
	struct tracker_findings findings = {0};
	struct tracker_options topts = {0};
	struct tracker *t = NULL;
	struct doctor d = {{0}};
	struct strbuf line = STRBUF_INIT;
	const char *value = NULL;
	bool tracker_failed = false, config_failed = false;
	const struct tracker_kind *kind;
	size_t i, errors = 0;
	int argi = 1, id = 0, r, code = PM_EXIT_OK;

	r = cli_next_opt(argc, argv, &argi, doctor_opts, &id, &value);
	if (r < 0)
		return cli_usage_error(&cmd_doctor, "%s", pm_error_message());
	if (argi < argc)
		return cli_usage_error(&cmd_doctor, "unexpected argument '%s'", argv[argi]);
	cli_secrets_collect(d.secrets, ARRAY_SIZE(d.secrets));

	r = cli_session_open(&s, g, true);
	if (r < 0) {
		code = cli_fail(r);
		goto done;
	}
	if ((code = cli_session_check_tracker(&s)) != PM_EXIT_OK)
		goto done;

	kind = tracker_kind_of(s.cfg.tracker);
	if (!tracker_kind_has_token(kind)) {
		tracker_findings_add(&findings, false, "token", "no token: %s", kind->token_help);
		goto report;
	}
	topts.dry_run = true;
	r = cli_session_open_tracker(&t, &s, g, &topts, log_request, &d);
	if (r >= 0)
		r = t->ops->doctor(t, &s.cfg, &findings);

report:
	check_owner_sections(&findings, &s);
	for (i = 0; i < findings.nr; i++) {
		const struct tracker_finding *f = &findings.v[i];

		if (!f->ok) {
			errors++;
			if (is_tracker_finding(f))
				tracker_failed = true;
			else
				config_failed = true;
		} else if (g->verbosity < 0) {
			continue;
		}
		strbuf_reset(&line);
		strbuf_addf(&line, "%s: %s: %s", f->ok ? "ok" : "error", f->check, f->message);
		masked(&line, &d);
		cli_line(stdout, "%s", line.buf);
	}
	if (r < 0) {
		code = cli_fail(r);
		goto done;
	}
	if (g->verbosity >= 0)
		printf("%zu check%s, %zu error%s\n", findings.nr, findings.nr == 1 ? "" : "s",
		       errors, errors == 1 ? "" : "s");
	if (tracker_failed)
		code = PM_EXIT_TRACKER;
	else if (config_failed)
		code = PM_EXIT_CONFIG;

done:
	strbuf_release(&line);
	tracker_findings_release(&findings);
	tracker_free(t);
	cli_session_release(&s);
	return code;
}

const struct cli_cmd cmd_doctor = {
        "doctor",
        run_doctor,
        "check the token, team, labels and owners, writing nothing",
        "usage: pmsync doctor\n"
        "\n"
        "Checks the setup a sync needs, writing nothing: the tracker's token, its\n"
        "project or team, the workflow states, the labels, and every owner: each [owner]\n"
        "section must name a person the tracker knows, and each owner named in a\n"
        "postmortem needs a section. Prints one line per check, `ok: ...` or\n"
        "`error: ...` with what to change and where.\n"
        "\n"
        "Exit codes: 0 all ok, 4 the configuration needs a change, 5 the token or the\n"
        "network failed.\n",
};
