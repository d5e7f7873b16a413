/*
 * Reading tickets. Cloud searches with POST /rest/api/3/search/jql, paged
 * by nextPageToken, naming the fields and the marker property it needs, and
 * naming in reconcileIssues the ids it must see despite the index's lag;
 * Data Center with POST /rest/api/2/search, paged by startAt and total.
 * JQL cannot search an unindexed issue property, so a repository's tickets
 * are found by pmsync's label and the project, then kept when their marker
 * names this repository. Before it answers, the listing settles the intent
 * journal: a create journaled by a run that did not finish is looked for
 * (by its id when a response brought one, else by its marker) until it is
 * found or the recovery bound, longer than the search's lag, has passed;
 * only then may the engine plan a create for that item again. Single
 * tickets, by id or by key, are read with GET /issue/{idOrKey}.
 */
#include "util/compat.h"

#include "connectors/jira/jira_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/error.h"
#include "util/json.h"
#include "util/xalloc.h"

static const char *const search_fields[] = {JIRA_SEARCH_FIELDS};
#define N_FIELDS (sizeof(search_fields) / sizeof(*search_fields))

static json_t *fields_array(void)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < N_FIELDS; i++)
		json_array_append_new(a, json_string(search_fields[i]));
	return a;
}

/* A JQL string literal. */
static void jql_quote(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

static bool is_number(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int take_page(struct jira_tracker *jt, struct tracker_tickets *out, json_t *r,
                     bool ours_only, size_t *n)
{
	json_t *issue;
	size_t i;

	*n = json_array_size(json_object_get(r, "issues"));
	json_array_foreach(json_object_get(r, "issues"), i, issue)
	{
		struct tracker_ticket *tk = tracker_tickets_add(out);
		char *where = xasprintf("search: issues[%zu]", i);
		int ours = jira_take_issue(jt, tk, issue, where);
		free(where);
		if (ours < 0)
			return ours;
		if (!ours && ours_only) {
			tracker_ticket_release(tk);
			out->nr--;
		}
	}
	return 0;
}

static json_t *property_list(void)
{
	json_t *props = json_array();

	json_array_append_new(props, json_string(JIRA_PROPERTY));
	return props;
}

/* Cloud: the issues of ids (at most 100) with their fields and marker, read current. */
static int bulk_fetch(struct jira_tracker *jt, struct tracker_tickets *out, json_t *ids,
                      bool ours_only)
{
	json_t *body = json_object(), *r = NULL;
	size_t n;
	int error;

	json_object_set_new(body, "issueIdsOrKeys", ids);
	json_object_set_new(body, "fields", fields_array());
	json_object_set_new(body, "properties", property_list());
	error = jira_call(jt, &r, NULL, "POST", "/issue/bulkfetch", body, true);
	if (error >= 0)
		error = take_page(jt, out, r, ours_only, &n);
	json_decref(r);
	return error;
}

/*
 * Cloud: a search that asks for ids only (Jira gives up to 5,000 a page
 * then, and far fewer with fields and properties), then the issues read
 * 100 a request with POST /issue/bulkfetch, which is current where search
 * lags.
 */
static int search_cloud(struct jira_tracker *jt, struct tracker_tickets *out, const char *jql,
                        const char *const *reconcile, size_t nreconcile, bool ours_only)
{
	json_t *r = NULL, *pending = json_array(), *issue;
	char *token = NULL;
	size_t page, i;
	int error = 0;

	for (page = 0; page < JIRA_MAX_PAGES && error >= 0; page++) {
		json_t *body = json_object(), *ids = json_array(), *fields = json_array();
		const char *next;
		json_object_set_new(body, "jql", json_string(jql));
		json_array_append_new(fields, json_string("id"));
		json_object_set_new(body, "fields", fields);
		json_object_set_new(body, "maxResults", json_integer(JIRA_ID_PAGE));
		if (token)
			json_object_set_new(body, "nextPageToken", json_string(token));
		for (i = 0; i < nreconcile && i < JIRA_RECONCILE_MAX; i++)
			if (is_number(reconcile[i]))
				json_array_append_new(
				        ids, json_integer(strtoll(reconcile[i], NULL, 10)));
		if (json_array_size(ids))
			json_object_set_new(body, "reconcileIssues", ids);
		else
			json_decref(ids);
		if ((error = jira_call(jt, &r, NULL, "POST", "/search/jql", body, true)) < 0)
			break;
		json_array_foreach(json_object_get(r, "issues"), i, issue)
		{
			const char *id = json_string_value(json_object_get(issue, "id"));
			if (!id)
				continue;
			json_array_append_new(pending, json_string(id));
			if (json_array_size(pending) == JIRA_FETCH_MAX) {
				error = bulk_fetch(jt, out, pending, ours_only);
				pending = json_array();
				if (error < 0)
					break;
			}
		}
		next = json_string_value(json_object_get(r, "nextPageToken"));
		free(token);
		token = next && *next && !json_is_true(json_object_get(r, "isLast")) ? xstrdup(next)
		                                                                     : NULL;
		json_decref(r);
		r = NULL;
		if (!token)
			break;
	}
	if (error >= 0 && json_array_size(pending))
		error = bulk_fetch(jt, out, pending, ours_only);
	else
		json_decref(pending);
	json_decref(r);
	free(token);
	return error;
}

/* Data Center: pages of issues with their fields and marker, by startAt and total. */
static int search_dc(struct jira_tracker *jt, struct tracker_tickets *out, const char *jql,
                     bool ours_only)
{
	json_t *r = NULL;
	size_t page, start = 0;
	int error = 0;

	for (page = 0; page < JIRA_MAX_PAGES; page++) {
		json_t *body = json_object();
		size_t n = 0;
		json_object_set_new(body, "jql", json_string(jql));
		json_object_set_new(body, "fields", fields_array());
		json_object_set_new(body, "properties", property_list());
		json_object_set_new(body, "maxResults", json_integer(JIRA_DC_PAGE));
		json_object_set_new(body, "startAt", json_integer((json_int_t)start));
		if ((error = jira_call(jt, &r, NULL, "POST", "/search", body, true)) < 0)
			break;
		if ((error = take_page(jt, out, r, ours_only, &n)) < 0)
			break;
		start += n;
		if (!n || start >= (size_t)json_integer_value(json_object_get(r, "total")))
			break;
		json_decref(r);
		r = NULL;
	}
	json_decref(r);
	return error;
}

int jira_search(struct jira_tracker *jt, struct tracker_tickets *out, const char *jql,
                const char *const *reconcile, size_t nreconcile, bool ours_only)
{
	if (jt->cloud)
		return search_cloud(jt, out, jql, reconcile, nreconcile, ours_only);
	return search_dc(jt, out, jql, ours_only);
}

static char *managed_jql(const struct jira_tracker *jt)
{
	struct strbuf sb = STRBUF_INIT;
	char *label = jira_label(jt->base.cfg->label ? jt->base.cfg->label : "pmsync");

	strbuf_addstr(&sb, "project = ");
	jql_quote(&sb, jt->base.cfg->jira_project);
	strbuf_addstr(&sb, " AND labels = ");
	jql_quote(&sb, label);
	strbuf_addstr(&sb, " ORDER BY created ASC");
	free(label);
	return strbuf_detach(&sb, NULL);
}

/* The ticket that carries the marker of item_key (or is issue id), or NULL. */
static struct tracker_ticket *made(struct tracker_tickets *l, const char *item_key, const char *id)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		struct tracker_ticket *tk = &l->v[i];
		if ((id && tk->id && !strcmp(id, tk->id)) ||
		    (item_key && tk->marker.item_key && !strcmp(tk->marker.item_key, item_key)))
			return tk;
	}
	return NULL;
}

static size_t missing(const struct jira_tracker *jt, struct tracker_tickets *l,
                      const char *const *keys, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		const struct jira_intent *in = NULL;
		size_t j;
		for (j = 0; j < jt->journal_nr && !in; j++)
			if (!strcmp(jt->journal[j].item_key, keys[i]))
				in = &jt->journal[j];
		k += !made(l, keys[i], in ? in->issue_id : NULL);
	}
	return k;
}

static int get_one(struct jira_tracker *jt, struct tracker_tickets *out, const char *id_or_key);

/*
 * Journaled creates whose ids a search missed (the index lags): Cloud
 * fetches them by id, 100 a request; Data Center searches for them by id,
 * 50 a request, and reads what a search still cannot give (an id Jira
 * refuses in JQL) one by one. Reads by id are current.
 */
static int get_missing(struct jira_tracker *jt, struct tracker_tickets *out,
                       const char *const *keys, size_t n)
{
	const char **ids = xcalloc(n + 1, sizeof(*ids));
	size_t i, j, m = 0, at;
	int error = 0;

	for (i = 0; i < n; i++)
		for (j = 0; j < jt->journal_nr; j++) {
			const struct jira_intent *in = &jt->journal[j];
			if (!strcmp(in->item_key, keys[i]) && in->issue_id &&
			    !made(out, keys[i], in->issue_id))
				ids[m++] = in->issue_id;
		}
	/* Cloud reads them current, 100 a request */
	for (at = 0; jt->cloud && at < m && error >= 0; at += JIRA_FETCH_MAX) {
		json_t *chunk = json_array();
		for (i = at; i < m && i < at + JIRA_FETCH_MAX; i++)
			json_array_append_new(chunk, json_string(ids[i]));
		error = bulk_fetch(jt, out, chunk, true);
	}
	for (at = 0; !jt->cloud && at < m && error >= 0; at += JIRA_RECONCILE_MAX) {
		size_t k = m - at < JIRA_RECONCILE_MAX ? m - at : JIRA_RECONCILE_MAX;
		struct strbuf jql = STRBUF_INIT;
		strbuf_addstr(&jql, "id in (");
		for (i = 0; i < k; i++)
			strbuf_addf(&jql, "%s%s", i ? ", " : "", ids[at + i]);
		strbuf_addstr(&jql, ")");
		error = jira_search(jt, out, jql.buf, ids + at, k, true);
		strbuf_release(&jql);
		if (error == PM_ETRACKER) { /* an id JQL refuses: read them one by one */
			pm_error_clear();
			error = 0;
			for (i = 0; i < k && error >= 0; i++)
				if (!made(out, NULL, ids[at + i]))
					error = get_one(jt, out, ids[at + i]);
		}
	}
	free(ids);
	return error;
}

static void nap(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * This repository's tickets, searched again while one of the items keys
 * names has none and the recovery bound has not passed: the index lags
 * behind the creates. The journal's ids go in reconcileIssues (Cloud).
 */
static int search_until(struct jira_tracker *jt, struct tracker_tickets *out,
                        const char *const *keys, size_t nkeys)
{
	char *jql = managed_jql(jt);
	const char **ids = xcalloc(jt->journal_nr + 1, sizeof(*ids));
	long long deadline = now_ms() + jt->recovery_bound_ms;
	size_t i, n = 0;
	int error;

	for (i = 0; i < jt->journal_nr; i++)
		if (jt->journal[i].issue_id)
			ids[n++] = jt->journal[i].issue_id;
	for (;;) {
		error = jira_search(jt, out, jql, ids, n, true);
		if (error >= 0)
			error = get_missing(jt, out, keys, nkeys);
		if (error < 0 || !missing(jt, out, keys, nkeys) || now_ms() >= deadline)
			break;
		tracker_tickets_release(out);
		nap(jt->recovery_bound_ms < 5000 ? jt->recovery_bound_ms / 10 + 1 : 500);
	}
	free(ids);
	free(jql);
	return error;
}

int jira_list_managed(struct tracker *t, struct tracker_tickets *out)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	const char **keys = xcalloc(jt->journal_nr + 1, sizeof(*keys));
	size_t i;
	int error;

	for (i = 0; i < jt->journal_nr; i++)
		keys[i] = jt->journal[i].item_key;
	error = search_until(jt, out, keys, jt->journal_nr);
	free(keys);
	if (error >= 0 && jt->journal_nr) {
		/* settled: what was not found within the bound was not created */
		jira_journal_clear(jt);
		error = jira_journal_save(jt);
	}
	return error;
}

int jira_find_pending(struct tracker *t, const struct tracker_create *c, size_t n,
                      struct tracker_tickets *out)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	struct tracker_tickets all = {0};
	const char **keys = xcalloc(n + 1, sizeof(*keys));
	size_t i, k = 0, j;
	int error = 0;

	/*
	 * Every ticket a create makes carries its marker, and the listing has
	 * settled the journal: only creates journaled in this run (an answer
	 * lost) can exist unseen.
	 */
	for (i = 0; i < n; i++)
		for (j = 0; j < jt->journal_nr; j++)
			if (c[i].marker && c[i].marker->item_key &&
			    !strcmp(jt->journal[j].item_key, c[i].marker->item_key))
				keys[k++] = c[i].marker->item_key;
	if (k)
		error = search_until(jt, &all, keys, k);
	for (i = 0; error >= 0 && i < n; i++) {
		struct tracker_ticket *slot = tracker_tickets_add(out);
		struct tracker_ticket *tk =
		        c[i].marker ? made(&all, c[i].marker->item_key, NULL) : NULL;
		if (tk) {
			/* made by a run that lost the answer, so maybe not linked */
			jira_link_forget(jt, tk->id);
			*slot = *tk;
			memset(tk, 0, sizeof(*tk));
			tracker_fields_init(&tk->fields);
			tracker_fields_init(&tk->marker.written);
		}
	}
	tracker_tickets_release(&all);
	free(keys);
	return error;
}

static int get_one(struct jira_tracker *jt, struct tracker_tickets *out, const char *id_or_key)
{
	struct strbuf path = STRBUF_INIT;
	json_t *r = NULL;
	size_t i;
	int error;

	strbuf_addf(&path, "/issue/%s?fields=", id_or_key);
	for (i = 0; i < N_FIELDS; i++)
		strbuf_addf(&path, "%s%s", i ? "," : "", search_fields[i]);
	strbuf_addstr(&path, "&properties=" JIRA_PROPERTY);
	error = jira_call(jt, &r, NULL, "GET", path.buf, NULL, true);
	if (error == PM_ENOTFOUND) {
		pm_error_clear();
		error = 0;
	} else if (error >= 0) {
		struct tracker_ticket *tk = tracker_tickets_add(out);
		error = jira_take_issue(jt, tk, r, path.buf);
		if (error > 0)
			error = 0;
	}
	json_decref(r);
	strbuf_release(&path);
	return error;
}

int jira_get_by_ids(struct tracker *t, struct tracker_tickets *out, const char *const *ids,
                    size_t n)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	json_t *chunk = json_array();
	size_t i;
	int error = 0;

	/* ids pmsync chose for Linear are not Jira's: only numbers can be issues */
	for (i = 0; i < n && error >= 0; i++) {
		if (!is_number(ids[i]))
			continue;
		if (!jt->cloud) {
			error = get_one(jt, out, ids[i]);
			continue;
		}
		json_array_append_new(chunk, json_string(ids[i]));
		if (json_array_size(chunk) == JIRA_FETCH_MAX) {
			error = bulk_fetch(jt, out, chunk, false);
			chunk = json_array();
		}
	}
	if (error >= 0 && json_array_size(chunk))
		error = bulk_fetch(jt, out, chunk, false);
	else
		json_decref(chunk);
	return error;
}

int jira_get_by_refs(struct tracker *t, struct tracker_tickets *out, const char *const *refs,
                     size_t n)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	size_t i;
	int error = 0;

	for (i = 0; i < n && error >= 0; i++) {
		const char *key = strrchr(refs[i], '/');
		key = key ? key + 1 : refs[i];
		if (jira_owns_ref(t, key))
			error = get_one(jt, out, key);
	}
	return error;
}
