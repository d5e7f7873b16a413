/*
 * Issues as JSON, both ways. Out: the fields of a create or an edit (the
 * summary cut to Jira's limit on a UTF-8 boundary, the description as ADF
 * on Cloud and wiki markup on Data Center, users by account id or name,
 * labels without white space) and the marker property. In: one issue of a
 * search, read into a tracker ticket. Jira hands rich text back in its own
 * form, so a description is compared, not copied: when it reads the same as
 * the Markdown pmsync last wrote (the marker says which), the ticket holds
 * that Markdown; else its canonical text, which then differs. Likewise a
 * label Jira holds as pmsync wrote it (white space replaced) is reported as
 * written, and only pmsync's labels are reported at all.
 */
#include "util/compat.h"

#include "connectors/jira/jira_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/jira/adf.h"
#include "connectors/jira/wiki.h"
#include "util/error.h"
#include "util/json.h"
#include "util/xalloc.h"

char *jira_label(const char *label)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p;

	for (p = (const unsigned char *)label; *p && sb.len < 255; p++)
		strbuf_addch(&sb, *p <= ' ' ? '_' : *p);
	return strbuf_detach(&sb, NULL);
}

/* s cut to max bytes, never inside a UTF-8 sequence. */
static json_t *cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	char *dup;
	json_t *j;

	if (n <= max)
		return pm_json_str(s);
	n = max;
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	dup = xstrndup(s, n);
	j = pm_json_str(dup);
	free(dup);
	return j;
}

static json_t *rich_text(const struct jira_tracker *jt, const char *md)
{
	char *wiki;
	json_t *j;

	if (jt->cloud)
		return adf_from_markdown(md ? md : "", md ? strlen(md) : 0);
	wiki = wiki_from_markdown(md ? md : "", md ? strlen(md) : 0);
	j = pm_json_str(wiki);
	free(wiki);
	return j;
}

static json_t *user_ref(const struct jira_tracker *jt, const char *id)
{
	json_t *u;

	if (!id || !*id)
		return json_null();
	u = json_object();
	json_object_set_new(u, jt->cloud ? "accountId" : "name", pm_json_str(id));
	return u;
}

json_t *jira_fields_json(struct jira_tracker *jt, const struct tracker_fields *f, unsigned mask,
                         bool create)
{
	json_t *o = json_object();
	size_t i;

	if (create) {
		json_t *project = json_object(), *type = json_object(), *labels = json_array();
		const char *id;
		json_t *v;
		json_object_set_new(project, "key", pm_json_str(jt->base.cfg->jira_project));
		json_object_set_new(o, "project", project);
		json_object_set_new(type, "id", pm_json_str(jt->issue_type_id));
		json_object_set_new(o, "issuetype", type);
		for (i = 0; i < f->labels.nr; i++) {
			char *l = jira_label(f->labels.v[i]);
			json_array_append_new(labels, pm_json_str(l));
			free(l);
		}
		json_object_set_new(o, "labels", labels);
		json_object_foreach(jt->extra, id, v)
		{
			json_object_set(o, id, v);
		}
	}
	if (mask & TF_TITLE)
		json_object_set_new(o, "summary", cut(f->title ? f->title : "", JIRA_SUMMARY_MAX));
	if (mask & TF_DESCRIPTION)
		json_object_set_new(o, "description", rich_text(jt, f->description));
	if ((mask & TF_ASSIGNEE) && (!create || f->assignee_id))
		json_object_set_new(o, "assignee", user_ref(jt, f->assignee_id));
	if ((mask & TF_DUE) && (!create || f->due))
		json_object_set_new(o, "duedate", f->due ? pm_json_str(f->due) : json_null());
	if (mask & TF_PRIORITY) {
		const char *name = jira_priority_name(jt, f->priority);
		if (name) {
			json_t *p = json_object();
			json_object_set_new(p, "name", pm_json_str(name));
			json_object_set_new(o, "priority", p);
		}
	}
	return o;
}

json_t *jira_marker_json(const struct tracker_marker *m)
{
	json_t *o = json_object();

	json_object_set_new(o, "repo", pm_json_str(m->repo_id));
	json_object_set_new(o, "key", pm_json_str(m->item_key));
	json_object_set_new(o, "path", pm_json_str(m->pm_path));
	json_object_set_new(o, "url", pm_json_str(m->url));
	json_object_set_new(o, "title", pm_json_str(m->title));
	if (m->has_written)
		json_object_set_new(o, "written", tracker_fields_json(&m->written));
	return o;
}

/* ---- reading ---- */

static char *str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? xstrdup(s) : NULL;
}

static void take_marker(struct tracker_ticket *tk, const json_t *p)
{
	struct tracker_marker *m = &tk->marker;
	const json_t *w = json_object_get(p, "written");

	if (!json_is_object(p) || !json_is_string(json_object_get(p, "key")))
		return;
	tk->has_marker = true;
	m->repo_id = str_of(p, "repo");
	m->item_key = str_of(p, "key");
	m->pm_path = str_of(p, "path");
	m->url = str_of(p, "url");
	m->title = str_of(p, "title");
	if (json_is_object(w)) {
		/* a record that cannot be read is a marker without one, not an error */
		struct strbuf where = STRBUF_INIT;
		const char *expected;
		const json_t *bad;
		m->has_written = tracker_fields_from_json(&m->written, w, &where, &expected, &bad);
		strbuf_release(&where);
	}
}

/* The description as pmsync wrote it when Jira holds the same, else Jira's canonical text. */
static char *take_description(const struct jira_tracker *jt, const json_t *d, const char *written)
{
	struct strbuf have = STRBUF_INIT, want = STRBUF_INIT;
	char *out;

	if (jt->cloud) {
		json_t *w =
		        adf_from_markdown(written ? written : "", written ? strlen(written) : 0);
		if (json_is_object(d))
			adf_to_text(&have, d);
		adf_to_text(&want, w);
		json_decref(w);
	} else {
		char *w = wiki_from_markdown(written ? written : "", written ? strlen(written) : 0);
		const char *s = json_string_value(d);
		for (; s && *s; s++)
			if (*s != '\r')
				strbuf_addch(&have, *s);
		strbuf_trim(&have);
		strbuf_addstr(&want, w);
		free(w);
	}
	if (!strcmp(have.buf, want.buf))
		out = xstrdup_or_null(written);
	else
		out = have.len ? strbuf_detach(&have, NULL) : NULL;
	strbuf_release(&have);
	strbuf_release(&want);
	return out;
}

static bool owned_label(const struct config *cfg, const char *l)
{
	char *own = cfg->label ? jira_label(cfg->label) : NULL;
	char *prefix = cfg->lever_label_prefix ? jira_label(cfg->lever_label_prefix) : NULL;
	bool yes = (own && !strcasecmp(l, own)) ||
	           (prefix && *prefix && !strncasecmp(l, prefix, strlen(prefix)));

	free(own);
	free(prefix);
	return yes;
}

static void take_labels(const struct jira_tracker *jt, struct tracker_ticket *tk, const json_t *ls)
{
	const struct strlist *w = &tk->marker.written.labels;
	const json_t *l;
	size_t i, j;

	json_array_foreach(ls, i, l)
	{
		const char *s = json_string_value(l);
		const char *as = s;
		if (!s || !owned_label(jt->base.cfg, s))
			continue;
		for (j = 0; j < w->nr; j++) {
			char *san = jira_label(w->v[j]);
			bool same = !strcmp(san, s);
			free(san);
			if (same) {
				as = w->v[j];
				break;
			}
		}
		strlist_add(&tk->fields.labels, as);
	}
}

static void take_status(const struct config *cfg, struct tracker_ticket *tk, const json_t *f)
{
	const json_t *status = json_object_get(f, "status");
	const char *cat = json_string_value(
	        json_object_get(json_object_get(status, "statusCategory"), "key"));
	const char *resolution =
	        json_string_value(json_object_get(json_object_get(f, "resolution"), "name"));

	tk->state_name = str_of(status, "name");
	tk->status = TRACKER_OPEN;
	if (cat && !strcmp(cat, "done")) {
		tk->status = resolution && strlist_has_ci(&cfg->jira_canceled, resolution)
		                     ? TRACKER_CANCELED
		                     : TRACKER_DONE;
		tk->closed_at = str_of(f, "resolutiondate");
		if (!tk->closed_at)
			tk->closed_at = str_of(f, "statuscategorychangedate");
	}
}

int jira_take_issue(struct jira_tracker *jt, struct tracker_ticket *tk, json_t *issue,
                    const char *where)
{
	const json_t *f = json_object_get(issue, "fields");
	const json_t *props = json_object_get(issue, "properties");
	const json_t *assignee = json_object_get(f, "assignee");
	const char *id = json_string_value(json_object_get(issue, "id"));
	const char *key = json_string_value(json_object_get(issue, "key"));
	const char *prio =
	        json_string_value(json_object_get(json_object_get(f, "priority"), "name"));
	const char *repo = jt->base.cfg->repo_id;

	if (!id || !key || !json_is_object(f))
		return pm_error(PM_ETRACKER, "jira: %s: an issue without id, key or fields", where);
	tk->id = xstrdup(id);
	tk->ref = xstrdup(key);
	tk->url = xasprintf("%s/browse/%s", jt->site, key);
	take_marker(tk, json_object_get(props, JIRA_PROPERTY));
	jira_link_seen(jt, id, tk->marker.url);
	tk->fields.title = str_of(f, "summary");
	tk->fields.description = take_description(jt, json_object_get(f, "description"),
	                                          tk->marker.written.description);
	tk->fields.assignee_id = str_of(assignee, jt->cloud ? "accountId" : "name");
	tk->fields.due = str_of(f, "duedate");
	/* none or unset as written: whatever default Jira chose is not drift */
	tk->fields.priority = tk->marker.has_written && tk->marker.written.priority <= 0
	                              ? -1
	                              : jira_priority_of(jt, prio);
	take_labels(jt, tk, json_object_get(f, "labels"));
	jira_seen_labels(jt, id, json_object_get(f, "labels"));
	take_status(jt->base.cfg, tk, f);
	tk->created_at = str_of(f, "created");
	return tk->has_marker && repo && tk->marker.repo_id && !strcmp(tk->marker.repo_id, repo);
}
