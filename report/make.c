/*
 * Making a report from what a command has at hand: the postmortems, the
 * configuration and, with a tracker, a plan that joins items to tickets.
 * `pmsync report` has no plan yet: it opens the tracker read-only (the
 * transport refuses any write) and builds a dry-run plan with the sync's own
 * matcher; `pmsync sync --report` passes the plan it has just applied.
 */
#include "util/compat.h"

#include "report/report.h"

#include "mapping/mapping.h"
#include "report/closure.h"
#include "state/state.h"
#include "util/error.h"
#include "util/lockfile.h"
#include "util/xalloc.h"

enum report_format report_format_for_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm")))
		return REPORT_HTML;
	if (dot && !strcasecmp(dot, ".json"))
		return REPORT_JSON;
	return REPORT_MARKDOWN;
}

void report_request_release(struct report_request *req)
{
	free(req->note);
	req->note = NULL;
	strlist_clear(&req->messages);
}

/* A dry-run plan against the tracker; *have stays false when there is no token. */
static int plan_from_tracker(struct sync_plan *plan, bool *have, struct mapping_users *users,
                             const char *root, const struct pm_set *set, const struct config *cfg,
                             struct report_request *req)
{
	struct tracker_options topts = {0};
	struct sync_options so = {0};
	struct state st = STATE_INIT;
	struct tracker *t = NULL;
	int err;

	*have = false;
	topts.dry_run = true;
	topts.deadline_ms = req->deadline_ms;
	err = tracker_open(&t, cfg, &topts);
	if (err == PM_EAUTH) {
		req->note =
		        xasprintf("%s: the report uses the postmortems alone", pm_error_message());
		pm_error_clear();
		return 0;
	}
	if (err < 0 || (err = t->ops->prepare(t)) < 0)
		goto done;
	if ((err = state_open(&st, root, cfg->state_file, 0)) < 0)
		goto done;
	so.dry_run = true;
	so.max_changes = -1;
	if ((err = sync_plan_build(plan, set, cfg, t, &st, &so)) < 0)
		goto done;
	mapping_users_resolve(users, t, cfg);
	*have = true;
done:
	state_release(&st);
	tracker_free(t);
	return err;
}

int report_make(struct strbuf *out, const char *root, const struct pm_set *set,
                const struct config *cfg, const struct sync_plan *plan, struct report_request *req)
{
	struct sync_plan own = SYNC_PLAN_INIT;
	struct mapping_users users = {0};
	struct report r = {0};
	struct report_options o = {0};
	bool have = plan && !plan->offline; /* an offline plan knows no ticket's state */
	report_user_fn user_name = req->user_name;
	void *user_data = req->user_data;
	size_t start = out->len;
	int err = 0;

	if (cfg->report_goal > 100 || cfg->report_window < 1)
		return pm_error(PM_ECONFIG, "%s: %s", cfg->source ? cfg->source : ".pmsync.conf",
		                cfg->report_goal > 100
		                        ? "report.goal is a percentage: 0 to 100"
		                        : "report.window is a number of days: 1 or more");
	if (!plan && cfg->tracker != PM_TRACKER_NONE) {
		if ((err = plan_from_tracker(&own, &have, &users, root, set, cfg, req)) < 0)
			goto done;
		plan = &own;
		user_name = mapping_user_name;
		user_data = &users;
	}
	o.as_of = req->as_of;
	o.window = cfg->report_window;
	o.goal = cfg->report_goal;
	o.tracker_name = have ? tracker_kind_of(cfg->tracker)->display : NULL;
	o.rev = set->rev_id[0] ? set->rev_id : NULL;
	if ((err = report_build(&r, set, have ? plan : NULL, &o, user_name, user_data)) < 0)
		goto done;
	if (req->write_back) {
		struct parse_options popts = {cfg->headings.nr ? &cfg->headings : NULL, 0, 0};

		err = report_write_back(&req->messages, root, set, &r,
		                        o.tracker_name ? o.tracker_name : "the postmortems",
		                        req->commit, cfg->report_branch, &popts);
		if (err < 0 || !req->output)
			goto done;
	}
	report_render(out, &r, req->format);
	if (req->output)
		err = lockfile_write_atomic(req->output, req->output, out->buf + start,
		                            out->len - start);
done:
	report_release(&r);
	sync_plan_release(&own);
	mapping_users_release(&users);
	return err;
}
