/*
 * The names `.pmsync.conf` may hold: the table of known keys (what each
 * takes is config/value.c's business) and the keys of an owner section. A
 * name that is neither is an error suggesting the closest known key
 * (optimal string alignment distance, case-insensitive), so that a typo
 * such as `sync.maxChange` says what was meant. Secrets are refused here,
 * before any other check could quote them: a key whose last part names a
 * credential (token, apiKey, password...), or a name or value shaped like a
 * Linear key or an Atlassian API token, is an error that names the
 * environment variable pmsync reads that secret from, never the secret.
 *
 * Reference (names are case-insensitive, written here in camelCase):
 *   postmortems.path     where postmortems live (docs/postmortems)
 *   postmortems.include  globs of files to read, multi ("*.md")
 *   postmortems.exclude  globs to skip, multi (README.md, readme.md, TEMPLATE.md,
 *                        template.md, template-*.md, _*, *-template.md)
 *   postmortems.heading  action-item heading patterns, multi (built-in list)
 *   postmortems.url      URL template with {path} (derived from origin)
 *   postmortems.since    YYYY-MM-DD: older postmortems get no new tickets
 *   postmortems.inferred list or create: items read outside the action section (list)
 *   tracker.kind         none, linear or jira (none)
 *   linear.url           GraphQL endpoint (https://api.linear.app/graphql)
 *   linear.team          team key such as ENG
 *   jira.url, jira.project, jira.issueType (Task), jira.deployment (cloud, datacenter)
 *   jira.priority (urgent=Highest, multi), jira.field (customfield_1=value, multi),
 *   jira.cancelTransition, jira.canceledResolution (Won't Do, Duplicate; multi),
 *   jira.caInfo (only from outside the repository), jira.remoteLinks (true)
 *   sync.stateFile (.pmsync/state.json), sync.removed (keep, cancel: keep),
 *   sync.maxChanges (50), sync.label (pmsync), sync.leverLabelPrefix (lever:), sync.repoId,
 *   sync.timeout (900 s)
 *   owner.<handle>.email, owner.<handle>.linear, owner.<handle>.jira
 *   lint.section, lint.lever, lint.vague  required sections, levers, vague phrases, multi
 *   report.window (30 days), report.goal (90, a percentage),
 *   report.branch (pmsync/closure-state) where `report --write-back --commit` commits
 */
#include "util/compat.h"

#include "config/key.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config.h"
#include "config/entry.h"
#include "config/scan.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define CFG(field) offsetof(struct config, field)
#define UPPER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

/*
 * Indexed by enum config_key: each key's name, what it takes and where it
 * goes. Adding a key is adding a row here and a name to the enum.
 */
static const struct config_key_def key_defs[CONFIG_KEY_COUNT] = {
        [CONFIG_KEY_PM_PATH] = {"postmortems.path", CONFIG_VALUE_PATH, CFG(pm_path),
                                "a path relative to the repository root", NULL},
        [CONFIG_KEY_PM_INCLUDE] = {"postmortems.include", CONFIG_VALUE_LIST, CFG(include), NULL,
                                   NULL},
        [CONFIG_KEY_PM_EXCLUDE] = {"postmortems.exclude", CONFIG_VALUE_LIST, CFG(exclude), NULL,
                                   NULL},
        [CONFIG_KEY_PM_HEADING] = {"postmortems.heading", CONFIG_VALUE_LIST, CFG(headings), NULL,
                                   NULL},
        [CONFIG_KEY_PM_URL] = {"postmortems.url", CONFIG_VALUE_URL_TEMPLATE, CFG(url_template),
                               "an http(s) URL containing {path}", NULL},
        [CONFIG_KEY_PM_SINCE] = {"postmortems.since", CONFIG_VALUE_DATE, CFG(since),
                                 "a date as YYYY-MM-DD", NULL},
        [CONFIG_KEY_PM_INFERRED] = {"postmortems.inferred", CONFIG_VALUE_CHOICE, CFG(inferred),
                                    "list or create",
                                    (const char *const[]){"list", "create", NULL}},
        [CONFIG_KEY_TRACKER_KIND] = {"tracker.kind", CONFIG_VALUE_CHOICE, CFG(tracker),
                                     "none, linear or jira",
                                     (const char *const[]){"none", "linear", "jira", NULL}},
        [CONFIG_KEY_LINEAR_URL] = {"linear.url", CONFIG_VALUE_URL, CFG(linear_url),
                                   "an http(s) URL", NULL, PM_CHOSEN_LINEAR_URL},
        [CONFIG_KEY_LINEAR_TEAM] = {"linear.team", CONFIG_VALUE_CODE, CFG(linear_team),
                                    "a team key, such as ENG (any case)",
                                    UPPER_DIGITS "abcdefghijklmnopqrstuvwxyz"},
        [CONFIG_KEY_JIRA_URL] = {"jira.url", CONFIG_VALUE_URL, CFG(jira_url), "an http(s) URL",
                                 NULL, PM_CHOSEN_JIRA_URL},
        [CONFIG_KEY_JIRA_PROJECT] = {"jira.project", CONFIG_VALUE_CODE_LETTER, CFG(jira_project),
                                     "a project key in capitals, such as OPS", UPPER_DIGITS "_"},
        [CONFIG_KEY_JIRA_ISSUE_TYPE] = {"jira.issueType", CONFIG_VALUE_NONEMPTY,
                                        CFG(jira_issue_type), "an issue type name, such as Task",
                                        NULL},
        [CONFIG_KEY_JIRA_DEPLOYMENT] = {"jira.deployment", CONFIG_VALUE_WORD, CFG(jira_deployment),
                                        "cloud or datacenter",
                                        (const char *const[]){"cloud", "datacenter", NULL}},
        [CONFIG_KEY_JIRA_PRIORITY] = {"jira.priority", CONFIG_VALUE_PAIRS, CFG(jira_priorities),
                                      "urgent, high, medium or low = a Jira priority, such as "
                                      "urgent=Highest",
                                      (const char *const[]){"urgent", "high", "medium", "low",
                                                            NULL}},
        [CONFIG_KEY_JIRA_FIELD] = {"jira.field", CONFIG_VALUE_PAIRS, CFG(jira_fields),
                                   "a field id = a value, such as customfield_10010=Platform",
                                   NULL},
        [CONFIG_KEY_JIRA_CANCEL_TRANSITION] = {"jira.cancelTransition", CONFIG_VALUE_STRING,
                                               CFG(jira_cancel_transition), NULL, NULL},
        [CONFIG_KEY_JIRA_CANCELED_RESOLUTION] = {"jira.canceledResolution", CONFIG_VALUE_LIST,
                                                 CFG(jira_canceled), NULL, NULL},
        [CONFIG_KEY_JIRA_CA_INFO] = {"jira.caInfo", CONFIG_VALUE_STRING, CFG(jira_ca_info), NULL,
                                     NULL, PM_CHOSEN_JIRA_CA_INFO},
        [CONFIG_KEY_JIRA_REMOTE_LINKS] = {"jira.remoteLinks", CONFIG_VALUE_BOOL,
                                          CFG(jira_remote_links), "true or false", NULL},
        [CONFIG_KEY_SYNC_STATE_FILE] = {"sync.stateFile", CONFIG_VALUE_NONEMPTY, CFG(state_file),
                                        "a file name", NULL, PM_CHOSEN_STATE_FILE},
        [CONFIG_KEY_SYNC_REMOVED] = {"sync.removed", CONFIG_VALUE_CHOICE, CFG(removed),
                                     "keep or cancel",
                                     (const char *const[]){"keep", "cancel", NULL}},
        [CONFIG_KEY_SYNC_MAX_CHANGES] = {"sync.maxChanges", CONFIG_VALUE_COUNT, CFG(max_changes),
                                         "a whole number, 0 or more", NULL},
        [CONFIG_KEY_SYNC_LABEL] = {"sync.label", CONFIG_VALUE_NONEMPTY, CFG(label), "a label name",
                                   NULL},
        [CONFIG_KEY_SYNC_LEVER_PREFIX] = {"sync.leverLabelPrefix", CONFIG_VALUE_TEXT,
                                          CFG(lever_label_prefix), NULL, NULL},
        [CONFIG_KEY_SYNC_REPO_ID] = {"sync.repoId", CONFIG_VALUE_STRING, CFG(repo_id), NULL, NULL},
        [CONFIG_KEY_SYNC_TIMEOUT] = {"sync.timeout", CONFIG_VALUE_SECONDS, CFG(timeout),
                                     "seconds, such as 900, 900s, 15m or 1h (0: none)", NULL},
        [CONFIG_KEY_LINT_SECTION] = {"lint.section", CONFIG_VALUE_LIST, CFG(sections), NULL, NULL},
        [CONFIG_KEY_LINT_LEVER] = {"lint.lever", CONFIG_VALUE_LIST, CFG(levers), NULL, NULL},
        [CONFIG_KEY_LINT_VAGUE] = {"lint.vague", CONFIG_VALUE_LIST, CFG(vague), NULL, NULL},
        [CONFIG_KEY_REPORT_WINDOW] = {"report.window", CONFIG_VALUE_COUNT, CFG(report_window),
                                      "a number of days", NULL},
        [CONFIG_KEY_REPORT_GOAL] = {"report.goal", CONFIG_VALUE_COUNT, CFG(report_goal),
                                    "a percentage, 0 to 100", NULL},
        [CONFIG_KEY_REPORT_BRANCH] = {"report.branch", CONFIG_VALUE_NONEMPTY, CFG(report_branch),
                                      "a branch name", NULL},
};

/* Indexed by enum config_key_owner. */
static const char *const owner_keys[] = {"email", "linear", "jira"};

/* Last components of key names that hold credentials, lower case. */
static const char *const secret_keys[] = {
        "token", "apikey", "apitoken", "accesstoken", "password", "pat", "secret",
};
/* Substrings of values that are Linear keys or Atlassian API tokens. */
static const char *const secret_marks[] = {"lin_api_", "lin_oauth_", "ATATT3", "ATCTT3"};

const struct config_key_def *config_key_def(enum config_key id)
{
	return &key_defs[id];
}

const char *config_key_name(enum config_key id)
{
	return key_defs[id].name;
}

bool config_key_lookup(enum config_key *out, const char *name)
{
	size_t i;

	for (i = 0; i < CONFIG_KEY_COUNT; i++)
		if (!strcasecmp(name, key_defs[i].name)) {
			*out = (enum config_key)i;
			return true;
		}
	return false;
}

bool config_key_owner_lookup(enum config_key_owner *out, const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(owner_keys); i++)
		if (!strcmp(name, owner_keys[i])) {
			*out = (enum config_key_owner)i;
			return true;
		}
	return false;
}

/* Optimal string alignment distance, case-insensitive, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d;
	size_t *prev2, *prev, *cur;

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	prev2 = xcalloc(lb + 1, sizeof(size_t));
	prev = xcalloc(lb + 1, sizeof(size_t));
	cur = xcalloc(lb + 1, sizeof(size_t));
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			int ca = config_scan_to_lower((unsigned char)a[i - 1]),
			    cb = config_scan_to_lower((unsigned char)b[j - 1]);
			size_t cost = ca != cb;

			d = prev[j - 1] + cost;
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ca == config_scan_to_lower((unsigned char)b[j - 2]) &&
			    config_scan_to_lower((unsigned char)a[i - 2]) == cb &&
			    prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		{
			size_t *t = prev2;

			prev2 = prev;
			prev = cur;
			cur = t;
		}
	}
	d = prev[lb];
	free(prev2);
	free(prev);
	free(cur);
	return d;
}

/* The known key closest to name, or NULL when none is close. */
static const char *suggest_key(const char *name, struct strbuf *out)
{
	size_t best = 3, i, d;
	const char *dot = strchr(name, '.'), *last = strrchr(name, '.');

	strbuf_reset(out);
	for (i = 0; i < CONFIG_KEY_COUNT; i++) {
		d = edit_distance(name, key_defs[i].name);
		if (!dot)
			d = edit_distance(name, strchr(key_defs[i].name, '.') + 1);
		else if (dot != last) {
			/* section.subsection.key where section.key is known */
			struct strbuf plain = STRBUF_INIT;
			size_t dp;

			strbuf_add(&plain, name, (size_t)(dot - name));
			strbuf_addstr(&plain, last);
			dp = edit_distance(plain.buf, key_defs[i].name);
			strbuf_release(&plain);
			if (dp < d)
				d = dp;
		}
		if (d < best) {
			best = d;
			strbuf_reset(out);
			strbuf_addstr(out, key_defs[i].name);
		}
	}
	return out->len ? out->buf : NULL;
}

int config_key_unknown(const char *file, const struct config_entry *e)
{
	struct strbuf hint = STRBUF_INIT;
	int error;

	if (suggest_key(e->name, &hint))
		error = config_error(file, e->line, "unknown key '%s': did you mean '%s'?",
		                     e->written, hint.buf);
	else
		error = config_error(file, e->line, "unknown key '%s'", e->written);
	strbuf_release(&hint);
	return error;
}

int config_key_unknown_owner(const char *file, const struct config_entry *e)
{
	const char *key = strrchr(e->name, '.') + 1;
	struct strbuf hint = STRBUF_INIT;
	size_t j;
	int error;

	for (j = 0; j < ARRAY_SIZE(owner_keys); j++)
		if (edit_distance(key, owner_keys[j]) <= 2) {
			strbuf_add(&hint, e->written,
			           (size_t)(strrchr(e->written, '.') + 1 - e->written));
			strbuf_addstr(&hint, owner_keys[j]);
			break;
		}
	if (hint.len)
		error = config_error(file, e->line, "unknown key '%s': did you mean '%s'?",
		                     e->written, hint.buf);
	else
		error = config_error(file, e->line,
		                     "unknown key '%s': an owner has email, linear and jira",
		                     e->written);
	strbuf_release(&hint);
	return error;
}

static bool has_secret_mark(const char *s)
{
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(secret_marks); i++)
		if (strstr(s, secret_marks[i]))
			return true;
	return false;
}

/* Where the secret belongs: the environment variable pmsync reads it from. */
static const char *secret_home(const char *name, const char *value)
{
	const char *last = strrchr(name, '.');

	last = last ? last + 1 : name;
	if (value && strstr(value, "lin_oauth_"))
		return "LINEAR_ACCESS_TOKEN";
	if (value && strstr(value, "lin_api_"))
		return "LINEAR_API_KEY";
	if (value && (strstr(value, "ATATT3") || strstr(value, "ATCTT3")))
		return "JIRA_API_TOKEN with JIRA_EMAIL";
	if (!strncmp(name, "linear.", 7))
		return strcmp(last, "accesstoken") ? "LINEAR_API_KEY" : "LINEAR_ACCESS_TOKEN";
	if (!strncmp(name, "jira.", 5))
		return strcmp(last, "pat")
		               ? "JIRA_API_TOKEN with JIRA_EMAIL (JIRA_PAT on Data Center)"
		               : "JIRA_PAT";
	return "LINEAR_API_KEY, LINEAR_ACCESS_TOKEN, JIRA_API_TOKEN with JIRA_EMAIL, or JIRA_PAT";
}

int config_key_check_secret(const char *file, const struct config_entry *e)
{
	const char *last = strrchr(e->name, '.');
	size_t i;
	bool secret = has_secret_mark(e->value);

	last = last ? last + 1 : e->name;
	for (i = 0; !secret && i < ARRAY_SIZE(secret_keys); i++)
		secret = !strcmp(last, secret_keys[i]);
	if (has_secret_mark(e->name) || has_secret_mark(e->written))
		return config_error(
		        file, e->line,
		        "a section name holds a secret: put it in the environment as %s, "
		        "not in the repository",
		        secret_home(e->name, has_secret_mark(e->name) ? e->name : e->written));
	if (!secret)
		return 0;
	return config_error(file, e->line,
	                    "'%s' holds a secret: put it in the environment as %s, not in the "
	                    "repository",
	                    e->written, secret_home(e->name, e->value));
}
