/*
 * The start shared by the commands that read a repository: open it, read
 * the configuration over the defaults (a --config file, else .pmsync.conf at
 * the revision), apply the environment, and load the postmortems when the
 * command needs them. Also prints the diagnostics collected on the way, in
 * the one form every command uses.
 */
#include "util/compat.h"

#include "cli/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/tracker.h"
#include "util/error.h"
#include "util/strbuf.h"

void cli_session_load_options(struct repo_load_options *out, const struct pm_globals *g)
{
	memset(out, 0, sizeof(*out));
	out->rev = g->rev;
	out->worktree = g->worktree;
}

int cli_session_open(struct cli_session *s, const struct pm_globals *g, bool load_items)
{
	struct repo_load_options lo;
	int r;

	cli_session_load_options(&lo, g);
	config_init(&s->cfg);
	r = repo_open(&s->repo, g->dir);
	if (r < 0)
		return r;
	r = repo_read_config(s->repo, &s->cfg, g->config, &lo);
	if (r < 0)
		return r;
	config_apply_env(&s->cfg);
	if (!load_items)
		return 0;
	return repo_load(&s->set, s->repo, &s->cfg, &lo, &s->diags);
}

void cli_session_release(struct cli_session *s)
{
	/*
	 * The repository first: its large blocks freed after the many small
	 * ones of the set would make glibc merge them all, a tenth of the run
	 * of `pmsync items` on ten thousand postmortems.
	 */
	repo_free(s->repo);
	s->repo = NULL;
	pm_set_release(&s->set);
	diags_release(&s->diags);
	config_release(&s->cfg);
	memset(&s->cfg, 0, sizeof(s->cfg));
}

void cli_print_diag(const struct diag *diag)
{
	const char *level = diag->level == DIAG_ERROR ? "error" : "warning";
	struct strbuf at = STRBUF_INIT;

	if (diag->line > 0 && diag->col > 0)
		strbuf_addf(&at, "%d:%d:", diag->line, diag->col);
	else if (diag->line > 0)
		strbuf_addf(&at, "%d:", diag->line);
	cli_line(stderr, "%s:%s %s: %s%s%s%s", diag->path, at.buf, level, diag->message,
	         diag->rule && *diag->rule ? " [" : "", diag->rule ? diag->rule : "",
	         diag->rule && *diag->rule ? "]" : "");
	strbuf_release(&at);
}

int cli_print_diags(const struct diags *d, int verbosity)
{
	size_t i;
	int errors = 0;

	for (i = 0; i < d->nr; i++) {
		if (d->v[i].level == DIAG_ERROR)
			errors++;
		else if (verbosity < 0)
			continue;
		cli_print_diag(&d->v[i]);
	}
	return errors;
}

int cli_session_check_tracker(const struct cli_session *s)
{
	const struct tracker_kind *k = tracker_kind_of(s->cfg.tracker);

	if (!k) {
		cli_error("no tracker configured: set tracker.kind in .pmsync.conf");
		return PM_EXIT_CONFIG;
	}
	if (!k->open) {
		cli_error("tracker '%s' is not supported yet: set tracker.kind to another tracker "
		          "in .pmsync.conf",
		          k->name);
		return PM_EXIT_CONFIG;
	}
	return PM_EXIT_OK;
}

void cli_secrets_collect(const char **out, size_t cap)
{
	const char *const *v;
	size_t n = 0;

	for (v = tracker_secret_vars(); *v && n + 1 < cap; v++) {
		const char *value = getenv(*v);

		if (value && *value)
			out[n++] = value;
	}
	out[n] = NULL;
}

int cli_session_open_tracker(struct tracker **out, const struct cli_session *s,
                             const struct pm_globals *g, struct tracker_options *opts,
                             tracker_log_fn log, void *log_data)
{
	if (g->verbosity > 0) {
		opts->log = log;
		opts->log_data = log_data;
	}
	opts->deadline_ms = cli_deadline_ms(g, s->cfg.timeout);
	return tracker_open(out, &s->cfg, opts);
}
