/*
 * Creates. Each issue carries its marker from the create request on
 * (pmsync's label among its labels, the "pmsync" property in the same
 * body), so no crash can leave a ticket pmsync cannot recognise. Jira has
 * no idempotency key: before each request the items it creates are
 * journaled, and each id a response brings is journaled at once, so that a
 * later run finds an interrupted create instead of making a second ticket
 * (jira_journal.c); a create is never retried blindly. Cloud creates in
 * bulks of 50 (POST /issue/bulk), each failed element reported on its own;
 * Data Center tries the bulk endpoint once per run and, where the site does
 * not offer it, creates one issue at a time. The remote links of the new
 * issues follow each bulk, once the journal holds their ids (jira_links.c).
 */
#include "util/compat.h"

#include "connectors/jira/jira_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/json.h"
#include "util/xalloc.h"

static json_t *issue_body(struct jira_tracker *jt, const struct tracker_create *c)
{
	json_t *body = json_object(), *props = json_array(), *p = json_object();

	json_object_set_new(body, "fields", jira_fields_json(jt, c->fields, TF_ALL, true));
	json_object_set_new(p, "key", json_string(JIRA_PROPERTY));
	json_object_set_new(p, "value", jira_marker_json(c->marker));
	json_array_append_new(props, p);
	json_object_set_new(body, "properties", props);
	return body;
}

/* The ticket as the create made it: what was sent, and the id and key Jira gave. */
static void add_created(struct jira_tracker *jt, struct tracker_tickets *created,
                        const struct tracker_create *c, const json_t *issue)
{
	struct tracker_ticket *tk = tracker_tickets_add(created);
	const char *id = json_string_value(json_object_get(issue, "id"));
	const char *key = json_string_value(json_object_get(issue, "key"));
	const struct tracker_marker *m = c->marker;

	tk->id = xstrdup(id);
	tk->ref = xstrdup_or_null(key);
	tk->url = key ? xasprintf("%s/browse/%s", jt->site, key) : NULL;
	tracker_fields_copy(&tk->fields, c->fields);
	tk->status = TRACKER_OPEN;
	tk->has_marker = true;
	tk->marker.repo_id = xstrdup_or_null(m->repo_id);
	tk->marker.item_key = xstrdup_or_null(m->item_key);
	tk->marker.pm_path = xstrdup_or_null(m->pm_path);
	tk->marker.url = xstrdup_or_null(m->url);
	tk->marker.title = xstrdup_or_null(m->title);
	tk->marker.has_written = m->has_written;
	tracker_fields_copy(&tk->marker.written, &m->written);
	jira_journal_set_id(jt, m->item_key, id);
}

static bool is_issue(const json_t *issue)
{
	return json_is_string(json_object_get(issue, "id"));
}

/* One issue: POST /issue. */
static int create_one(struct jira_tracker *jt, const struct tracker_create *c,
                      struct tracker_tickets *created, struct tracker_outcome *out)
{
	json_t *r = NULL;
	int error = jira_call(jt, &r, NULL, "POST", "/issue", issue_body(jt, c), false);

	if (error >= 0 && !is_issue(r))
		error = pm_error(PM_ETRACKER, "jira: POST /issue: the answer names no issue");
	if (error >= 0)
		add_created(jt, created, c, r);
	else
		tracker_outcome_set(out, error, "%s", pm_error_message());
	/* a refusal made nothing; only a lost answer leaves something to recover */
	if (error < 0 && error != PM_ENET)
		jira_journal_drop(jt, c->marker->item_key);
	json_decref(r);
	return error;
}

/* The message of each failed element of a bulk create; NULL for the elements that stand. */
static void element_errors(const json_t *r, struct tracker_outcome *out, size_t n)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(r, "errors"), i, e)
	{
		json_int_t k = json_integer_value(json_object_get(e, "failedElementNumber"));
		struct strbuf sb = STRBUF_INIT;
		if (k < 0 || (size_t)k >= n)
			continue;
		jira_error_text(&sb, json_object_get(e, "elementErrors"));
		tracker_outcome_set(&out[k], PM_ETRACKER, "jira: POST /issue/bulk: HTTP %d: %s",
		                    (int)json_integer_value(json_object_get(e, "status")),
		                    sb.len ? sb.buf : "refused");
		strbuf_release(&sb);
	}
}

/* Up to 50 issues: POST /issue/bulk. 1 when the site has no bulk endpoint (nothing made). */
static int create_bulk(struct jira_tracker *jt, const struct tracker_create *c, size_t n,
                       struct tracker_tickets *created, struct tracker_outcome *out)
{
	json_t *body = json_object(), *updates = json_array(), *r = NULL;
	const json_t *issues;
	long status = 0;
	size_t i, k;
	int error;

	for (i = 0; i < n; i++)
		json_array_append_new(updates, issue_body(jt, &c[i]));
	json_object_set_new(body, "issueUpdates", updates);
	error = jira_call(jt, &r, &status, "POST", "/issue/bulk", body, false);
	if (error < 0 && !jt->cloud && jt->bulk == 0 && (status == 404 || status == 405)) {
		pm_error_clear();
		json_decref(r);
		return 1;
	}
	if (error < 0 && status != 400) {
		json_decref(r);
		return error;
	}
	pm_error_clear();
	error = 0;
	element_errors(r, out, n);
	for (i = 0; i < n; i++)
		if (out[i].code) /* refused: not made, nothing to recover */
			jira_journal_drop(jt, c[i].marker->item_key);
	/* the issues made, in the order of the elements that did not fail */
	issues = json_object_get(r, "issues");
	for (i = 0, k = 0; i < n; i++) {
		const json_t *issue;
		if (out[i].code)
			continue;
		issue = json_array_get(issues, k++);
		if (is_issue(issue))
			add_created(jt, created, &c[i], issue);
		else
			tracker_outcome_set(&out[i], PM_ETRACKER,
			                    "jira: POST /issue/bulk: the answer names no issue for "
			                    "element %zu",
			                    i);
	}
	json_decref(r);
	return error;
}

/* Journals the items of c before their request, synced to disk. */
static int journal(struct jira_tracker *jt, const struct tracker_create *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		jira_journal_add(jt, c[i].marker->item_key);
	return jira_journal_save(jt);
}

int jira_create(struct tracker *t, const struct tracker_create *c, size_t n,
                struct tracker_tickets *created, struct tracker_outcome *outcomes)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	size_t at, i;
	int error = 0;

	for (i = 0; i < n; i++)
		if (!c[i].marker || !c[i].marker->item_key || !c[i].marker->repo_id)
			return pm_error(PM_ECONFIG,
			                "sync.repoId is not set in '%s' and cannot be derived",
			                jira_conf_name(jt));
	for (at = 0; at < n && error >= 0; at += JIRA_BULK_MAX) {
		size_t m = n - at < JIRA_BULK_MAX ? n - at : JIRA_BULK_MAX, first = created->nr;
		if (jt->bulk >= 0) {
			error = journal(jt, c + at, m);
			if (error >= 0)
				error = create_bulk(jt, c + at, m, created, outcomes + at);
			if (error != 1) {
				if (error == 0 && !jt->cloud)
					jt->bulk = 1;
				if (jira_journal_save(jt) < 0 && error >= 0)
					error = pm_error_code();
				/* the journal holds the new ids: the links come after it */
				if (error >= 0)
					jira_link_created(jt, c + at, m, created, first,
					                  outcomes + at);
				continue;
			}
			/* found out once: the site creates one issue at a time */
			jt->bulk = -1;
			for (i = at; i < at + m; i++)
				jira_journal_drop(jt, c[i].marker->item_key);
			error = 0;
		}
		/* one at a time, each journaled alone: a kill leaves one item to look for */
		for (i = at; i < at + m && error >= 0; i++) {
			if ((error = journal(jt, &c[i], 1)) < 0)
				break;
			error = create_one(jt, &c[i], created, &outcomes[i]);
			if (jira_journal_save(jt) < 0 && !jira_is_stop(error))
				error = pm_error_code();
			else if (!jira_is_stop(error))
				error = 0;
		}
		if (error >= 0)
			jira_link_created(jt, c + at, m, created, first, outcomes + at);
	}
	return error;
}
