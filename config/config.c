/*
 * pmsync's configuration: the defaults, `.pmsync.conf` read over them, the
 * environment over both, and the questions the rest of pmsync asks of the
 * result. The file is in git-config syntax, read with libgit2's config API
 * so that `git config -f .pmsync.conf tracker.kind linear` edits it, and in
 * steps, each a module of its own: the text is scanned first (config/scan.c)
 * so that an `include` or `includeIf` section is refused before libgit2 sees
 * the text and every variable has a line for messages; libgit2 reads the
 * entries (config/entry.c); secrets are refused before any message could
 * quote one (config/key.c); then every entry is checked against the table
 * of known keys and stored (config/value.c). Values replace nothing until
 * the whole file has been read without error. config/key.c lists the keys.
 */
#include "util/compat.h"

#include "config/config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/entry.h"
#include "config/key.h"
#include "config/scan.h"
#include "config/value.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define CONFIG_MAX_SIZE (1024 * 1024)

static const char include_refused[] = "'include' is not allowed in .pmsync.conf: a pull request "
                                      "could pull in .git/config and its tokens";

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

void pm_config_init(struct pm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->pm_path = xstrdup("docs/postmortems");
	pm_strlist_add(&cfg->include, "*.md");
	pm_strlist_set(&cfg->exclude, default_exclude, ARRAY_SIZE(default_exclude));
	cfg->tracker = PM_TRACKER_NONE;
	cfg->linear_url = xstrdup("https://api.linear.app/graphql");
	cfg->jira_issue_type = xstrdup("Task");
	pm_strlist_add(&cfg->jira_canceled, "Won't Do");
	pm_strlist_add(&cfg->jira_canceled, "Duplicate");
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
	pm_strlist_set(&cfg->sections, default_sections, ARRAY_SIZE(default_sections));
	pm_strlist_set(&cfg->levers, default_levers, ARRAY_SIZE(default_levers));
	pm_strlist_set(&cfg->vague, default_vague, ARRAY_SIZE(default_vague));
}

static void owner_release(struct pm_owner *o)
{
	free(o->handle);
	free(o->email);
	free(o->linear);
	free(o->jira);
}

void pm_config_release(struct pm_config *cfg)
{
	size_t i;

	free(cfg->source);
	free(cfg->pm_path);
	pm_strlist_clear(&cfg->include);
	pm_strlist_clear(&cfg->exclude);
	pm_strlist_clear(&cfg->headings);
	free(cfg->url_template);
	free(cfg->since);
	free(cfg->linear_url);
	free(cfg->linear_team);
	free(cfg->jira_url);
	free(cfg->jira_project);
	free(cfg->jira_issue_type);
	free(cfg->jira_deployment);
	pm_strlist_clear(&cfg->jira_priorities);
	pm_strlist_clear(&cfg->jira_fields);
	free(cfg->jira_cancel_transition);
	pm_strlist_clear(&cfg->jira_canceled);
	free(cfg->jira_ca_info);
	free(cfg->state_file);
	free(cfg->label);
	free(cfg->lever_label_prefix);
	free(cfg->report_branch);
	free(cfg->repo_id);
	for (i = 0; i < cfg->owners_nr; i++)
		owner_release(&cfg->owners[i]);
	free(cfg->owners);
	pm_strlist_clear(&cfg->sections);
	pm_strlist_clear(&cfg->levers);
	pm_strlist_clear(&cfg->vague);
	memset(cfg, 0, sizeof(*cfg));
}

static void config_copy(struct pm_config *dst, const struct pm_config *src)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	dst->source = xstrdup_or_null(src->source);
	dst->pm_path = xstrdup_or_null(src->pm_path);
	pm_strlist_copy(&dst->include, &src->include);
	pm_strlist_copy(&dst->exclude, &src->exclude);
	pm_strlist_copy(&dst->headings, &src->headings);
	dst->url_template = xstrdup_or_null(src->url_template);
	dst->since = xstrdup_or_null(src->since);
	dst->inferred = src->inferred;
	dst->tracker = src->tracker;
	dst->linear_url = xstrdup_or_null(src->linear_url);
	dst->linear_team = xstrdup_or_null(src->linear_team);
	dst->jira_url = xstrdup_or_null(src->jira_url);
	dst->jira_project = xstrdup_or_null(src->jira_project);
	dst->jira_issue_type = xstrdup_or_null(src->jira_issue_type);
	dst->jira_deployment = xstrdup_or_null(src->jira_deployment);
	pm_strlist_copy(&dst->jira_priorities, &src->jira_priorities);
	pm_strlist_copy(&dst->jira_fields, &src->jira_fields);
	dst->jira_cancel_transition = xstrdup_or_null(src->jira_cancel_transition);
	pm_strlist_copy(&dst->jira_canceled, &src->jira_canceled);
	dst->jira_ca_info = xstrdup_or_null(src->jira_ca_info);
	dst->jira_remote_links = src->jira_remote_links;
	dst->state_file = xstrdup_or_null(src->state_file);
	dst->removed = src->removed;
	dst->max_changes = src->max_changes;
	dst->timeout = src->timeout;
	dst->report_window = src->report_window;
	dst->report_goal = src->report_goal;
	dst->label = xstrdup_or_null(src->label);
	dst->lever_label_prefix = xstrdup_or_null(src->lever_label_prefix);
	dst->report_branch = xstrdup_or_null(src->report_branch);
	dst->repo_id = xstrdup_or_null(src->repo_id);
	dst->chosen = src->chosen;
	dst->file_trusted = src->file_trusted;
	ALLOC_GROW(dst->owners, src->owners_nr, dst->owners_alloc);
	for (i = 0; i < src->owners_nr; i++) {
		const struct pm_owner *o = &src->owners[i];
		struct pm_owner *c = &dst->owners[i];

		c->handle = xstrdup(o->handle);
		c->email = xstrdup_or_null(o->email);
		c->linear = xstrdup_or_null(o->linear);
		c->jira = xstrdup_or_null(o->jira);
		c->line = o->line;
	}
	dst->owners_nr = src->owners_nr;
	pm_strlist_copy(&dst->sections, &src->sections);
	pm_strlist_copy(&dst->levers, &src->levers);
	pm_strlist_copy(&dst->vague, &src->vague);
}

/* ---- reading ---- */

int pm_config_error(const char *file, int line, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (line > 0)
		strbuf_addf(&sb, "%s:%d: ", file, line);
	else
		strbuf_addf(&sb, "%s: ", file);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	pm_error(PM_ECONFIG, "%s", sb.buf);
	strbuf_release(&sb);
	return PM_ECONFIG;
}

static int find_nul_line(const char *buf, size_t len)
{
	const char *nul = memchr(buf, '\0', len);
	const char *p;
	int line = 1;

	if (!nul)
		return 0;
	for (p = buf; p < nul; p++)
		line += *p == '\n';
	return line;
}

int pm_config_read_buffer(struct pm_config *cfg, const char *buf, size_t len, const char *display)
{
	struct pm_config next;
	struct config_value_reader r;
	struct config_scan sc = CONFIG_SCAN_INIT;
	struct config_entry *entries = NULL;
	const char *file = display ? display : ".pmsync.conf";
	size_t nr = 0, i;
	int error = 0, line;

	if (!buf)
		buf = "";
	config_copy(&next, cfg);
	config_value_reader_init(&r, &next, file);

	if (len > CONFIG_MAX_SIZE) {
		error = pm_config_error(file, 0, "the configuration is larger than %d bytes",
		                        CONFIG_MAX_SIZE);
		goto done;
	}
	if ((line = find_nul_line(buf, len))) {
		error = pm_config_error(file, line, "a NUL byte: the configuration must be text");
		goto done;
	}
	config_scan_text(&sc, buf, len);
	if (sc.include_line) {
		error = pm_config_error(file, sc.include_line, "%s", include_refused);
		goto done;
	}
	if ((error = config_entry_read(&entries, &nr, buf, len, file, &sc)) < 0)
		goto done;

	/* Secrets first: no other message may quote one. */
	for (i = 0; i < nr; i++)
		if ((error = config_key_check_secret(file, &entries[i])) < 0)
			goto done;
	for (i = 0; i < nr; i++) {
		if (!strncmp(entries[i].name, "include.", 8) ||
		    !strncmp(entries[i].name, "includeif.", 10)) {
			/* libgit2 followed it already; nothing read from it is used */
			error = pm_config_error(file, entries[i].line, "%s", include_refused);
			goto done;
		}
		if ((error = config_value_apply(&r, &entries[i])) < 0)
			goto done;
	}
	free(next.source);
	next.source = xstrdup(file);
	pm_config_release(cfg);
	*cfg = next;
	memset(&next, 0, sizeof(next)); /* moved into cfg */
done:
	pm_config_release(&next);
	config_entry_free(entries, nr);
	config_scan_release(&sc);
	return error;
}

int pm_config_read_file(struct pm_config *cfg, const char *path, const char *display)
{
	struct strbuf sb = STRBUF_INIT;
	int error;

	error = strbuf_read_file(&sb, path, CONFIG_MAX_SIZE);
	if (!error)
		error = pm_config_read_buffer(cfg, sb.buf, sb.len, display ? display : path);
	strbuf_release(&sb);
	return error;
}

void pm_config_apply_env(struct pm_config *cfg)
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

int pm_config_validate(const struct pm_config *cfg)
{
	const char *file = cfg->source ? cfg->source : ".pmsync.conf";

	switch (cfg->tracker) {
	case PM_TRACKER_LINEAR:
		if (!cfg->linear_team)
			return pm_config_error(
			        file, 0, "'linear.team' is required when 'tracker.kind' is linear");
		break;
	case PM_TRACKER_JIRA:
		if (!cfg->jira_url)
			return pm_config_error(
			        file, 0,
			        "'jira.url' is required when 'tracker.kind' is jira (or set "
			        "JIRA_URL)");
		if (!cfg->jira_project)
			return pm_config_error(
			        file, 0, "'jira.project' is required when 'tracker.kind' is jira");
		break;
	case PM_TRACKER_NONE:
		break;
	}
	return 0;
}

const struct pm_owner *pm_config_owner(const struct pm_config *cfg, const char *handle)
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
