/*
 * Writes on existing issues: edits (PUT /issue/{id}: the fields pmsync
 * owns, its labels added and removed one by one so that labels people set
 * stay), the marker property (PUT /issue/{id}/properties/pmsync, an upsert,
 * written after the fields so that a crash between the two reads as an
 * update still to make, never as drift), and the cancel transition (the
 * jira.cancelTransition, else a transition to a done status named like a
 * cancel, with the first jira.canceledResolution when the transition's
 * screen asks for a resolution). A marker whose URL changed moves the
 * issue's remote link too (jira_links.c).
 */
#include "util/compat.h"

#include "connectors/jira/jira_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/json.h"
#include "util/xalloc.h"

void jira_seen_labels(struct jira_tracker *jt, const char *id, const json_t *labels)
{
	if (!jt->seen)
		jt->seen = json_object();
	json_object_set_new(jt->seen, id,
	                    json_is_array(labels) ? json_deep_copy(labels) : json_array());
}

static bool seen_has(const json_t *seen, const char *label)
{
	const json_t *l;
	size_t i;

	json_array_foreach(seen, i, l)
	{
		if (json_is_string(l) && !strcasecmp(json_string_value(l), label))
			return true;
	}
	return false;
}

static void label_op(json_t *ops, const char *verb, const char *label)
{
	json_t *op = json_object();

	json_object_set_new(op, verb, pm_json_str(label));
	json_array_append_new(ops, op);
}

/* The label operations from what the issue was seen with to want (pmsync's labels only). */
static json_t *label_ops(struct jira_tracker *jt, const char *id, const struct strlist *want)
{
	const json_t *seen = json_object_get(jt->seen, id), *l;
	const struct config *cfg = jt->base.cfg;
	char *prefix = jira_label(cfg->lever_label_prefix ? cfg->lever_label_prefix : "");
	char *own = jira_label(cfg->label ? cfg->label : "pmsync");
	json_t *ops = json_array(), *sanitized = json_array();
	size_t i;

	for (i = 0; i < want->nr; i++) {
		char *name = jira_label(want->v[i]);
		if (!seen_has(seen, name))
			label_op(ops, "add", name);
		json_array_append_new(sanitized, json_string(name));
		free(name);
	}
	json_array_foreach(seen, i, l)
	{
		const char *s = json_string_value(l);
		bool owned = s && (!strcasecmp(s, own) ||
		                   (*prefix && !strncasecmp(s, prefix, strlen(prefix))));
		if (owned && !seen_has(sanitized, s))
			label_op(ops, "remove", s);
	}
	jira_seen_labels(jt, id, sanitized);
	json_decref(sanitized);
	free(prefix);
	free(own);
	return ops;
}

/* The property, then the remote link when the marker's URL changed (a note if it fails). */
static int put_marker(struct jira_tracker *jt, const char *id, const struct tracker_marker *m,
                      struct tracker_outcome *out)
{
	char *path = xasprintf("/issue/%s/properties/" JIRA_PROPERTY, id);
	int error = jira_call(jt, NULL, NULL, "PUT", path, jira_marker_json(m), true);

	if (error >= 0)
		jira_link(jt, id, m, out);
	free(path);
	return error;
}

static int edit(struct jira_tracker *jt, const char *id, json_t *fields, json_t *labels)
{
	json_t *body = json_object();
	char *path;
	int error;

	if (!json_object_size(fields) && !json_array_size(labels)) {
		json_decref(fields);
		json_decref(labels);
		json_decref(body);
		return 0;
	}
	json_object_set_new(body, "fields", fields);
	if (json_array_size(labels)) {
		json_t *update = json_object();
		json_object_set_new(update, "labels", labels);
		json_object_set_new(body, "update", update);
	} else {
		json_decref(labels);
	}
	path = xasprintf("/issue/%s", id);
	error = jira_call(jt, NULL, NULL, "PUT", path, body, true);
	free(path);
	return error;
}

/* Runs one write per element; a stop fails the rest with its message. */
static int settle(struct tracker_outcome *out, size_t i, size_t n, int error)
{
	size_t k;

	if (error >= 0) {
		out[i].code = 0;
		return 0;
	}
	tracker_outcome_set(&out[i], error, "%s", pm_error_message());
	if (!jira_is_stop(error))
		return 0;
	for (k = i + 1; k < n; k++)
		tracker_outcome_set(&out[k], error, "not attempted: %s", out[i].message);
	return error;
}

int jira_update(struct tracker *t, const struct tracker_update *u, size_t n,
                struct tracker_outcome *outcomes)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	size_t i;
	int stop = 0;

	for (i = 0; i < n && !stop; i++) {
		json_t *fields = jira_fields_json(jt, u[i].fields, u[i].mask, false);
		json_t *labels = (u[i].mask & TF_LABELS)
		                         ? label_ops(jt, u[i].id, &u[i].fields->labels)
		                         : json_array();
		int error = edit(jt, u[i].id, fields, labels);
		if (error >= 0 && u[i].marker)
			error = put_marker(jt, u[i].id, u[i].marker, &outcomes[i]);
		stop = settle(outcomes, i, n, error);
	}
	return stop;
}

int jira_set_markers(struct tracker *t, const char *const *ids,
                     const struct tracker_marker *markers, size_t n,
                     struct tracker_outcome *outcomes)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	char *own = jira_label(jt->base.cfg->label ? jt->base.cfg->label : "pmsync");
	size_t i;
	int stop = 0;

	for (i = 0; i < n && !stop; i++) {
		int error = 0;
		/* the label is half the marker: listings find tickets by it */
		if (!seen_has(json_object_get(jt->seen, ids[i]), own)) {
			json_t *labels = json_array();
			label_op(labels, "add", own);
			error = edit(jt, ids[i], json_object(), labels);
		}
		if (error >= 0)
			error = put_marker(jt, ids[i], &markers[i], &outcomes[i]);
		stop = settle(outcomes, i, n, error);
	}
	free(own);
	return stop;
}

static bool cancel_named(const char *name)
{
	static const char *const words[] = {"cancel", "won't do", "wont do", "reject", NULL};
	const char *const *w;
	char *lower, *p;
	bool yes = false;

	if (!name)
		return false;
	lower = xstrdup(name);
	for (p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	for (w = words; *w && !yes; w++)
		yes = strstr(lower, *w) != NULL;
	free(lower);
	return yes;
}

/* The transition to take and whether its screen asks for a resolution. */
static const json_t *pick_transition(const struct config *cfg, const json_t *list)
{
	const json_t *tr, *done = NULL;
	size_t i;

	json_array_foreach(list, i, tr)
	{
		const char *name = json_string_value(json_object_get(tr, "name"));
		const json_t *to = json_object_get(tr, "to");
		const char *cat = json_string_value(
		        json_object_get(json_object_get(to, "statusCategory"), "key"));
		const char *to_name = json_string_value(json_object_get(to, "name"));
		if (cfg->jira_cancel_transition) {
			if (name && !strcasecmp(name, cfg->jira_cancel_transition))
				return tr;
			continue;
		}
		if (cat && !strcmp(cat, "done") && (cancel_named(name) || cancel_named(to_name)))
			return tr;
		if (cat && !strcmp(cat, "done") && !done)
			done = tr;
	}
	return cfg->jira_cancel_transition ? NULL : done;
}

static int cancel_one(struct jira_tracker *jt, const char *id)
{
	const struct config *cfg = jt->base.cfg;
	char *path = xasprintf("/issue/%s/transitions?expand=transitions.fields", id);
	json_t *r = NULL, *body;
	const json_t *tr;
	int error = jira_call(jt, &r, NULL, "GET", path, NULL, true);

	free(path);
	if (error < 0)
		goto done;
	tr = pick_transition(cfg, json_object_get(r, "transitions"));
	if (!tr) {
		error = pm_error(
		        PM_ECONFIG,
		        cfg->jira_cancel_transition
		                ? "jira: issue %s offers no transition '%s' "
		                  "(jira.cancelTransition)"
		                : "jira: issue %s offers no transition to a done status%s: "
		                  "set jira.cancelTransition",
		        id, cfg->jira_cancel_transition ? cfg->jira_cancel_transition : "");
		goto done;
	}
	body = json_object();
	json_object_set_new(body, "transition",
	                    json_pack("{s:O}", "id", json_object_get(tr, "id")));
	if (json_object_get(json_object_get(tr, "fields"), "resolution") && cfg->jira_canceled.nr)
		json_object_set_new(
		        body, "fields",
		        json_pack("{s:{s:s}}", "resolution", "name", cfg->jira_canceled.v[0]));
	path = xasprintf("/issue/%s/transitions", id);
	error = jira_call(jt, NULL, NULL, "POST", path, body, false);
	free(path);
done:
	json_decref(r);
	return error;
}

int jira_cancel(struct tracker *t, const char *const *ids, size_t n,
                struct tracker_outcome *outcomes)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	size_t i;
	int stop = 0;

	for (i = 0; i < n && !stop; i++)
		stop = settle(outcomes, i, n, cancel_one(jt, ids[i]));
	return stop;
}
