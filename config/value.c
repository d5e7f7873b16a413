/*
 * The values of `.pmsync.conf`, key by key: what each key takes (a path
 * relative to the repository root, an http(s) URL, a date, a team or
 * project key in capitals, one of a few words, a whole number) and where it
 * goes in struct pm_config. A file that sets a multi-valued key replaces
 * that key's default list, and an empty value empties the list; an empty
 * value clears an optional string. Owner sections, [owner "<handle>"], map a
 * handle as postmortems write it to the tracker's users. A bad value is an
 * error naming file, line, key and what the key expects; secrets have been
 * refused before (config/key.c), so a value may be quoted here.
 */
#include "config/value.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config.h"
#include "config/entry.h"
#include "config/scan.h"
#include "util/isodate.h"
#include "util/xalloc.h"
#include "util/banned.h"

static bool valid_url(const char *s)
{
	const char *p;

	if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
		return false;
	if (!strchr(s, ':')[3])
		return false;
	for (p = s; *p; p++)
		if (config_scan_is_space((unsigned char)*p))
			return false;
	return true;
}

static bool valid_path(const char *s)
{
	const char *p = s;

	if (!*s || *s == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && !strncmp(p, "..", 2))
			return false;
		p += n;
		while (*p == '/')
			p++;
	}
	return true;
}

static bool all_chars(const char *s, const char *set, bool first_letter)
{
	if (!*s || (first_letter && !(*s >= 'A' && *s <= 'Z')))
		return false;
	for (; *s; s++)
		if (!strchr(set, *s))
			return false;
	return true;
}

int pm_config_parse_seconds(long *out, const char *v)
{
	static const struct {
		char unit;
		long mult;
	} units[] = {{'\0', 1}, {'s', 1}, {'m', 60}, {'h', 3600}};
	char *end = NULL;
	long n;

	if (!v || !(*v >= '0' && *v <= '9'))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (end[0] != units[i].unit || (end[0] && end[1]))
			continue;
		if (n > LONG_MAX / units[i].mult / 1000) /* kept in milliseconds later */
			return -1;
		*out = n * units[i].mult;
		return 0;
	}
	return -1;
}

static int bad_value(const struct config_value_reader *r, const struct config_entry *e,
                     const char *key, const char *expected)
{
	return pm_config_error(r->file, e->line, "bad value '%s' for '%s': expected %s", e->value,
	                       key, expected);
}

static void set_string(char **dst, const char *value)
{
	free(*dst);
	*dst = *value ? xstrdup(value) : NULL;
}

static void add_to_list(struct config_value_reader *r, enum config_key id, struct pm_strlist *l,
                        const char *value)
{
	if (!r->seen[id])
		pm_strlist_clear(l);
	r->seen[id] = true;
	if (*value)
		pm_strlist_add(l, value);
	else
		pm_strlist_clear(l);
}

#define UPPER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

static int apply_key(struct config_value_reader *r, const struct config_entry *e,
                     enum config_key id)
{
	struct pm_config *cfg = r->cfg;
	const char *key = config_key_name(id), *v = e->value;
	char *end;
	long n;

	if (!v)
		return pm_config_error(r->file, e->line, "'%s' needs a value: write '%s = ...'",
		                       key, strchr(key, '.') + 1);
	switch (id) {
	case CONFIG_KEY_PM_PATH: {
		size_t len = strlen(v);

		if (!valid_path(v))
			return bad_value(r, e, key, "a path relative to the repository root");
		while (len > 1 && v[len - 1] == '/')
			len--;
		free(cfg->pm_path);
		cfg->pm_path = xstrndup(v, len);
		break;
	}
	case CONFIG_KEY_PM_INCLUDE:
		add_to_list(r, id, &cfg->include, v);
		break;
	case CONFIG_KEY_PM_EXCLUDE:
		add_to_list(r, id, &cfg->exclude, v);
		break;
	case CONFIG_KEY_PM_HEADING:
		add_to_list(r, id, &cfg->headings, v);
		break;
	case CONFIG_KEY_PM_URL:
		if (*v && (!valid_url(v) || !strstr(v, "{path}")))
			return bad_value(r, e, key, "an http(s) URL containing {path}");
		set_string(&cfg->url_template, v);
		break;
	case CONFIG_KEY_PM_SINCE:
		if (*v && !isodate_valid(v))
			return bad_value(r, e, key, "a date as YYYY-MM-DD");
		set_string(&cfg->since, v);
		break;
	case CONFIG_KEY_TRACKER_KIND:
		if (!strcasecmp(v, "none"))
			cfg->tracker = PM_TRACKER_NONE;
		else if (!strcasecmp(v, "linear"))
			cfg->tracker = PM_TRACKER_LINEAR;
		else if (!strcasecmp(v, "jira"))
			cfg->tracker = PM_TRACKER_JIRA;
		else
			return bad_value(r, e, key, "none, linear or jira");
		break;
	case CONFIG_KEY_LINEAR_URL:
	case CONFIG_KEY_JIRA_URL:
		if (!valid_url(v))
			return bad_value(r, e, key, "an http(s) URL");
		set_string(id == CONFIG_KEY_LINEAR_URL ? &cfg->linear_url : &cfg->jira_url, v);
		break;
	case CONFIG_KEY_LINEAR_TEAM:
		if (!all_chars(v, UPPER_DIGITS, false))
			return bad_value(r, e, key, "a team key in capitals, such as ENG");
		set_string(&cfg->linear_team, v);
		break;
	case CONFIG_KEY_JIRA_PROJECT:
		if (!all_chars(v, UPPER_DIGITS "_", true))
			return bad_value(r, e, key, "a project key in capitals, such as OPS");
		set_string(&cfg->jira_project, v);
		break;
	case CONFIG_KEY_JIRA_ISSUE_TYPE:
		if (!*v)
			return bad_value(r, e, key, "an issue type name, such as Task");
		set_string(&cfg->jira_issue_type, v);
		break;
	case CONFIG_KEY_JIRA_DEPLOYMENT:
		if (*v && strcasecmp(v, "cloud") && strcasecmp(v, "datacenter"))
			return bad_value(r, e, key, "cloud or datacenter");
		free(cfg->jira_deployment);
		cfg->jira_deployment = NULL;
		if (*v)
			cfg->jira_deployment =
			        xstrdup(strcasecmp(v, "cloud") ? "datacenter" : "cloud");
		break;
	case CONFIG_KEY_SYNC_STATE_FILE:
		if (!*v)
			return bad_value(r, e, key, "a file name");
		set_string(&cfg->state_file, v);
		break;
	case CONFIG_KEY_SYNC_REMOVED:
		if (!strcasecmp(v, "keep"))
			cfg->removed = PM_REMOVED_KEEP;
		else if (!strcasecmp(v, "cancel"))
			cfg->removed = PM_REMOVED_CANCEL;
		else
			return bad_value(r, e, key, "keep or cancel");
		break;
	case CONFIG_KEY_SYNC_MAX_CHANGES:
		errno = 0;
		n = strtol(v, &end, 10);
		if (!(*v >= '0' && *v <= '9') || *end || errno || n < 0)
			return bad_value(r, e, key, "a whole number, 0 or more");
		cfg->max_changes = n;
		break;
	case CONFIG_KEY_SYNC_TIMEOUT:
		if (pm_config_parse_seconds(&cfg->timeout, v) < 0)
			return bad_value(r, e, key,
			                 "seconds, such as 900, 900s, 15m or 1h (0: none)");
		break;
	case CONFIG_KEY_SYNC_LABEL:
		if (!*v)
			return bad_value(r, e, key, "a label name");
		set_string(&cfg->label, v);
		break;
	case CONFIG_KEY_SYNC_LEVER_PREFIX:
		free(cfg->lever_label_prefix);
		cfg->lever_label_prefix = xstrdup(v);
		break;
	case CONFIG_KEY_SYNC_REPO_ID:
		set_string(&cfg->repo_id, v);
		break;
	case CONFIG_KEY_LINT_SECTION:
		add_to_list(r, id, &cfg->sections, v);
		break;
	case CONFIG_KEY_LINT_LEVER:
		add_to_list(r, id, &cfg->levers, v);
		break;
	case CONFIG_KEY_LINT_VAGUE:
		add_to_list(r, id, &cfg->vague, v);
		break;
	case CONFIG_KEY_COUNT:
		break;
	}
	return 0;
}

static struct pm_owner *owner_get(struct pm_config *cfg, const char *handle, int line)
{
	struct pm_owner *o;
	size_t i;

	for (i = 0; i < cfg->owners_nr; i++)
		if (!strcasecmp(cfg->owners[i].handle, handle))
			return &cfg->owners[i];
	ALLOC_GROW(cfg->owners, cfg->owners_nr + 1, cfg->owners_alloc);
	o = &cfg->owners[cfg->owners_nr++];
	memset(o, 0, sizeof(*o));
	o->handle = xstrdup(handle);
	o->line = line;
	return o;
}

/* owner.<handle>.<key>; name is libgit2's, so "owner." is lower case. */
static int apply_owner(struct config_value_reader *r, const struct config_entry *e)
{
	const char *sub = e->name + strlen("owner."), *key = strrchr(e->name, '.');
	char *handle = NULL;
	struct pm_owner *o;
	enum config_key_owner field;
	int error = 0;

	if (key < sub) {
		error = pm_config_error(
		        r->file, e->line,
		        "'%s' needs a handle: write [owner \"alice\"] and '%s = ...'", e->written,
		        key + 1);
		goto done;
	}
	if (!config_key_owner_lookup(&field, key + 1)) {
		error = config_key_unknown_owner(r->file, e);
		goto done;
	}
	if (*sub == '@')
		sub++;
	handle = xstrndup(sub, (size_t)(key - sub));
	if (!*handle || strchr(handle, ' ')) {
		error = pm_config_error(
		        r->file, e->section_line ? e->section_line : e->line,
		        "bad owner handle '%s': expected a handle such as \"alice\"", handle);
		goto done;
	}
	if (!e->value || !*e->value) {
		error = pm_config_error(r->file, e->line, "'%s' needs a value", e->written);
		goto done;
	}
	if (field == CONFIG_KEY_OWNER_EMAIL &&
	    (!strchr(e->value, '@') || strpbrk(e->value, " \t"))) {
		error = pm_config_error(r->file, e->line,
		                        "bad value '%s' for '%s': expected an email address",
		                        e->value, e->written);
		goto done;
	}
	o = owner_get(r->cfg, handle, e->section_line ? e->section_line : e->line);
	if (field == CONFIG_KEY_OWNER_EMAIL)
		set_string(&o->email, e->value);
	else if (field == CONFIG_KEY_OWNER_LINEAR)
		set_string(&o->linear, e->value);
	else
		set_string(&o->jira, e->value);
done:
	free(handle);
	return error;
}

void config_value_reader_init(struct config_value_reader *r, struct pm_config *cfg,
                              const char *file)
{
	memset(r, 0, sizeof(*r));
	r->file = file;
	r->cfg = cfg;
}

int config_value_apply(struct config_value_reader *r, const struct config_entry *e)
{
	enum config_key id;

	if (!strncmp(e->name, "owner.", 6))
		return apply_owner(r, e);
	if (config_key_lookup(&id, e->name))
		return apply_key(r, e, id);
	return config_key_unknown(r->file, e);
}
