/*
 * What a create needs to know before anything is written, read once per
 * run: that the token works (/myself), the issue type's id in the project,
 * and the project's create metadata for that type: the required fields
 * without a default (each must be one pmsync sets or a jira.field value, or
 * the run stops naming the field and the key to set), the values of
 * jira.field as the field's schema wants them, and the priorities offered,
 * in order, which map pmsync's scale by jira.priority or else by position.
 */
#include "util/compat.h"

#include "connectors/jira/jira_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/json.h"
#include "util/xalloc.h"

/* Fields pmsync sets itself on every create. */
static const char *const own_fields[] = {"project",  "issuetype", "summary",  "description",
                                         "labels",   "duedate",   "assignee", "priority",
                                         "reporter", NULL};

static bool is_own(const char *id)
{
	const char *const *p;

	for (p = own_fields; *p; p++)
		if (!strcmp(*p, id))
			return true;
	return false;
}

/* The value of jira.field for id ("customfield_1=x" gives "x"), or NULL. */
static const char *field_value(const struct config *cfg, const char *id)
{
	size_t i, n = strlen(id);

	for (i = 0; i < cfg->jira_fields.nr; i++) {
		const char *v = cfg->jira_fields.v[i];
		if (!strncmp(v, id, n) && v[n] == '=')
			return v + n + 1;
	}
	return NULL;
}

/* The value as the field takes it: an allowed value by id, a number, or the string. */
static json_t *field_json(const json_t *meta, const char *value)
{
	const json_t *schema = json_object_get(meta, "schema"), *a;
	const char *type = json_string_value(json_object_get(schema, "type"));
	json_t *one = NULL;
	size_t i;

	json_array_foreach(json_object_get(meta, "allowedValues"), i, a)
	{
		const char *v = json_string_value(json_object_get(a, "value"));
		const char *name = json_string_value(json_object_get(a, "name"));
		const char *id = json_string_value(json_object_get(a, "id"));
		if (id && ((v && !strcasecmp(v, value)) || (name && !strcasecmp(name, value)))) {
			one = json_object();
			json_object_set_new(one, "id", json_string(id));
			break;
		}
	}
	if (!one && type && !strcmp(type, "number"))
		one = json_real(strtod(value, NULL));
	if (!one && type && (!strcmp(type, "option") || !strcmp(type, "array"))) {
		one = json_object();
		json_object_set_new(one, "value", pm_json_str(value));
	}
	if (!one)
		one = pm_json_str(value);
	if (type && !strcmp(type, "array")) {
		json_t *arr = json_array();
		json_array_append_new(arr, one);
		return arr;
	}
	return one;
}

/* A page of the create metadata: Cloud names its list, Data Center calls it values. */
static json_t *page_of(json_t *r, const char *cloud_name)
{
	json_t *l = json_object_get(r, cloud_name);

	return l ? l : json_object_get(r, "values");
}

static int load_issue_type(struct jira_tracker *jt)
{
	const struct config *cfg = jt->base.cfg;
	struct strbuf names = STRBUF_INIT;
	char *path = xasprintf("/issue/createmeta/%s/issuetypes?maxResults=200", cfg->jira_project);
	json_t *r = NULL, *it;
	size_t i;
	int error = jira_call(jt, &r, NULL, "GET", path, NULL, true);

	if (error == PM_ENOTFOUND)
		error = pm_error(PM_ENOTFOUND,
		                 "jira: project '%s' (jira.project in '%s') is not found, or the "
		                 "token may not create issues in it",
		                 cfg->jira_project, jira_conf_name(jt));
	if (error < 0)
		goto done;
	json_array_foreach(page_of(r, "issueTypes"), i, it)
	{
		const char *name = json_string_value(json_object_get(it, "name"));
		const char *id = json_string_value(json_object_get(it, "id"));
		if (!name || !id)
			continue;
		if (!strcasecmp(name, cfg->jira_issue_type)) {
			jt->issue_type_id = xstrdup(id);
			goto done;
		}
		strbuf_addf(&names, "%s%s", names.len ? ", " : "", name);
	}
	error = pm_error(PM_ENOTFOUND,
	                 "jira: issue type '%s' (jira.issueType in '%s') is not offered in "
	                 "project %s: it offers %s",
	                 cfg->jira_issue_type, jira_conf_name(jt), cfg->jira_project,
	                 names.len ? names.buf : "none");
done:
	json_decref(r);
	strbuf_release(&names);
	free(path);
	return error;
}

static void take_priorities(struct jira_tracker *jt, const json_t *meta)
{
	const json_t *a;
	size_t i;

	json_array_foreach(json_object_get(meta, "allowedValues"), i, a)
	{
		const char *id = json_string_value(json_object_get(a, "id"));
		const char *name = json_string_value(json_object_get(a, "name"));
		if (!id || !name)
			continue;
		ALLOC_GROW(jt->priorities, jt->priorities_nr + 1, jt->priorities_alloc);
		jt->priorities[jt->priorities_nr].id = xstrdup(id);
		jt->priorities[jt->priorities_nr].name = xstrdup(name);
		jt->priorities_nr++;
	}
}

static int take_field(struct jira_tracker *jt, const json_t *f)
{
	const char *id = json_string_value(json_object_get(f, "fieldId"));
	const char *name = json_string_value(json_object_get(f, "name"));
	const char *value;
	bool required = json_is_true(json_object_get(f, "required")) &&
	                !json_is_true(json_object_get(f, "hasDefaultValue"));

	if (!id)
		return 0;
	if (!strcmp(id, "priority"))
		take_priorities(jt, f);
	value = field_value(jt->base.cfg, id);
	if (value && !is_own(id)) {
		json_object_set_new(jt->extra, id, field_json(f, value));
		return 0;
	}
	if (required && !is_own(id))
		json_object_set_new(jt->required, id, json_string(name ? name : id));
	return 0;
}

/* Every jira.field names a field of the create screen; every required field has a value. */
static int check_fields(struct jira_tracker *jt)
{
	const struct config *cfg = jt->base.cfg;
	const char *id;
	json_t *name;
	size_t i;

	for (i = 0; i < cfg->jira_fields.nr; i++) {
		const char *v = cfg->jira_fields.v[i];
		char *fid = xstrndup(v, strcspn(v, "="));
		bool known = json_object_get(jt->extra, fid) != NULL;
		int error = known ? 0
		                  : pm_error(PM_ECONFIG,
		                             "jira: jira.field in '%s' names '%s', which is not a "
		                             "field of a %s in project %s",
		                             jira_conf_name(jt), fid, cfg->jira_issue_type,
		                             cfg->jira_project);
		free(fid);
		if (error < 0)
			return error;
	}
	json_object_foreach(jt->required, id, name)
	{
		return pm_error(PM_ECONFIG,
		                "jira: field '%s' (%s) is required to create a %s in project %s: "
		                "set jira.field = %s=<value> in '%s'",
		                json_string_value(name), id, cfg->jira_issue_type,
		                cfg->jira_project, id, jira_conf_name(jt));
	}
	return 0;
}

static int load_fields(struct jira_tracker *jt)
{
	const struct config *cfg = jt->base.cfg;
	size_t start = 0, page = 0, i;
	json_t *r = NULL, *f;
	int error = 0;

	jt->required = json_object();
	jt->extra = json_object();
	for (page = 0; page < JIRA_MAX_PAGES; page++) {
		char *path =
		        xasprintf("/issue/createmeta/%s/issuetypes/%s?startAt=%zu&maxResults=200",
		                  cfg->jira_project, jt->issue_type_id, start);
		size_t n, total;
		error = jira_call(jt, &r, NULL, "GET", path, NULL, true);
		free(path);
		if (error < 0)
			return error;
		n = json_array_size(page_of(r, "fields"));
		json_array_foreach(page_of(r, "fields"), i, f)
		{
			take_field(jt, f);
		}
		total = (size_t)json_integer_value(json_object_get(r, "total"));
		json_decref(r);
		r = NULL;
		start += n;
		if (!n || start >= total)
			break;
	}
	return check_fields(jt);
}

int jira_load_meta(struct jira_tracker *jt)
{
	json_t *me = NULL;
	int error;

	if ((error = jira_call(jt, &me, NULL, "GET", "/myself", NULL, true)) < 0)
		return error;
	json_decref(me);
	if ((error = load_issue_type(jt)) < 0)
		return error;
	return load_fields(jt);
}

int jira_prepare(struct tracker *t)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	int error;

	if (jt->prepared)
		return 0;
	if ((error = jira_load_meta(jt)) < 0)
		return error;
	if ((error = jira_journal_load(jt)) < 0)
		return error;
	jt->prepared = true;
	return 0;
}

static const char *const scale[] = {"urgent", "high", "medium", "low"};

const char *jira_priority_name(const struct jira_tracker *jt, int priority)
{
	const struct config *cfg = jt->base.cfg;
	size_t i, n;

	if (priority < 1 || priority > 4)
		return NULL;
	n = strlen(scale[priority - 1]);
	for (i = 0; i < cfg->jira_priorities.nr; i++) {
		const char *v = cfg->jira_priorities.v[i];
		if (!strncasecmp(v, scale[priority - 1], n) && v[n] == '=')
			return v + n + 1;
	}
	if (!jt->priorities_nr)
		return NULL;
	/* By position: the first offered is urgent, the fourth (or the last) low */
	i = (size_t)priority - 1;
	return jt->priorities[i < jt->priorities_nr ? i : jt->priorities_nr - 1].name;
}

int jira_priority_of(const struct jira_tracker *jt, const char *name)
{
	int p;

	if (!name)
		return 0;
	for (p = 1; p <= 4; p++) {
		const char *n = jira_priority_name(jt, p);
		if (n && !strcasecmp(n, name))
			return p;
	}
	return -1; /* a priority pmsync does not map: never drift */
}
