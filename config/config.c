/*
 * pmsync's configuration: the defaults, the environment over the file
 * (which config/read.c reads over the defaults), the one shape of its
 * messages, and the questions the rest of pmsync asks of the result.
 */
#include "util/compat.h"

#include "config/config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char *const default_exclude[] = {
        "README.md",     "readme.md", "TEMPLATE.md",   "template.md",
        "template-*.md", "_*",        "*-template.md",
};
static const char *const default_sections[] = {
        "Summary & impact", "Timeline",        "Detection chain", "Root cause",
        "What went well",   "What went wrong", "Action items",    "Blameless lessons",
};
static const char *const default_levers[] = {"test", "runbook", "alert", "code", "prompt", "eval"};
static const char *const default_vague[] = {
        "we should consider",
        "should consider",
        "consider",
        "look into",
        "looking into",
        "maybe",
        "try to",
        "investigate whether",
        "explore",
        "think about",
        "if possible",
        "ideally",
        "tbd",
};

/* ---- lifecycle ---- */

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->pm_path = xstrdup("docs/postmortems");
	strlist_add(&cfg->include, "*.md");
	strlist_set(&cfg->exclude, default_exclude, ARRAY_SIZE(default_exclude));
	cfg->tracker = PM_TRACKER_NONE;
	cfg->linear_url = xstrdup("https://api.linear.app/graphql");
	cfg->jira_issue_type = xstrdup("Task");
	strlist_add(&cfg->jira_canceled, "Won't Do");
	strlist_add(&cfg->jira_canceled, "Duplicate");
	cfg->jira_remote_links = true;
	cfg->state_file = xstrdup(".pmsync/state.json");
	cfg->removed = PM_REMOVED_KEEP;
	cfg->max_changes = 50;
	cfg->timeout = PM_CONFIG_DEFAULT_TIMEOUT;
	cfg->report_window = 30;
	cfg->report_goal = 90;
	cfg->label = xstrdup("pmsync");
	cfg->lever_label_prefix = xstrdup("lever:");
	cfg->report_branch = xstrdup("pmsync/closure-state");
	strlist_set(&cfg->sections, default_sections, ARRAY_SIZE(default_sections));
	strlist_set(&cfg->levers, default_levers, ARRAY_SIZE(default_levers));
	strlist_set(&cfg->vague, default_vague, ARRAY_SIZE(default_vague));
}

static void owner_release(struct config_owner *o)
{
	free(o->handle);
	free(o->email);
	free(o->linear);
	free(o->jira);
}

void config_release(struct config *cfg)
{
	size_t i;

	free(cfg->source);
	free(cfg->pm_path);
	strlist_clear(&cfg->include);
	strlist_clear(&cfg->exclude);
	strlist_clear(&cfg->headings);
	free(cfg->url_template);
	free(cfg->since);
	free(cfg->linear_url);
	free(cfg->linear_team);
	free(cfg->jira_url);
	free(cfg->jira_project);
	free(cfg->jira_issue_type);
	free(cfg->jira_deployment);
	strlist_clear(&cfg->jira_priorities);
	strlist_clear(&cfg->jira_fields);
	free(cfg->jira_cancel_transition);
	strlist_clear(&cfg->jira_canceled);
	free(cfg->jira_ca_info);
	free(cfg->state_file);
	free(cfg->label);
	free(cfg->lever_label_prefix);
	free(cfg->report_branch);
	free(cfg->repo_id);
	for (i = 0; i < cfg->owners_nr; i++)
		owner_release(&cfg->owners[i]);
	free(cfg->owners);
	strlist_clear(&cfg->sections);
	strlist_clear(&cfg->levers);
	strlist_clear(&cfg->vague);
	memset(cfg, 0, sizeof(*cfg));
}

/* ---- messages ---- */

int config_error(const char *file, int line, const char *fmt, ...)
{
	struct strbuf prefix = STRBUF_INIT;
	va_list ap;

	if (line > 0)
		strbuf_addf(&prefix, "%s:%d: ", file, line);
	else
		strbuf_addf(&prefix, "%s: ", file);
	va_start(ap, fmt);
	pm_error_vprefixed(PM_ECONFIG, prefix.buf, fmt, ap);
	va_end(ap);
	strbuf_release(&prefix);
	return PM_ECONFIG;
}

void config_apply_env(struct config *cfg)
{
	const char *v;

	if ((v = getenv("LINEAR_API_URL")) && *v) {
		free(cfg->linear_url);
		cfg->linear_url = xstrdup(v);
		cfg->chosen |= PM_CHOSEN_LINEAR_URL;
	}
	if ((v = getenv("JIRA_URL")) && *v &&
	    (!cfg->jira_url || (cfg->chosen & PM_CHOSEN_JIRA_URL))) {
		free(cfg->jira_url);
		cfg->jira_url = xstrdup(v);
		cfg->chosen |= PM_CHOSEN_JIRA_URL;
	}
}

int config_validate(const struct config *cfg)
{
	const char *file = cfg->source ? cfg->source : ".pmsync.conf";

	switch (cfg->tracker) {
	case PM_TRACKER_LINEAR:
		if (!cfg->linear_team)
			return config_error(
			        file, 0, "'linear.team' is required when 'tracker.kind' is linear");
		break;
	case PM_TRACKER_JIRA:
		if (!cfg->jira_url)
			return config_error(
			        file, 0,
			        "'jira.url' is required when 'tracker.kind' is jira (or set "
			        "JIRA_URL)");
		if (!cfg->jira_project)
			return config_error(
			        file, 0, "'jira.project' is required when 'tracker.kind' is jira");
		break;
	case PM_TRACKER_NONE:
		break;
	}
	return 0;
}

const struct config_owner *config_find_owner(const struct config *cfg, const char *handle)
{
	size_t i;

	if (!handle)
		return NULL;
	if (*handle == '@')
		handle++;
	for (i = 0; i < cfg->owners_nr; i++)
		if (!strcasecmp(cfg->owners[i].handle, handle))
			return &cfg->owners[i];
	return NULL;
}
