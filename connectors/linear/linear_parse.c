/*
 * Reading Linear's answers into tickets: issue nodes, attachment nodes into
 * pmsync's markers (this repository's only, by their subtitle), and listing
 * pages into one ticket per issue, choosing between two markers on one
 * issue and noting every marker of ours read. Everything here is pure
 * parsing over jansson values through the typed readers of util/json.h, so
 * that the fuzz target drives the same code as a sync. The envelope of an
 * answer is linear_reply.c's; the marker's metadata, linear_markers.c's.
 */
#include "util/compat.h"

#include "connectors/linear/linear.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"

void linear_listing_release(struct linear_listing *l)
{
	size_t i;

	if (l->marker_updated && l->out)
		for (i = 0; i < l->out->nr; i++)
			free(l->marker_updated[i]);
	free(l->marker_updated);
	l->marker_updated = NULL;
	l->marker_updated_alloc = 0;
	for (i = 0; i < l->refs_nr; i++)
		linear_marker_ref_release(&l->refs[i]);
	free(l->refs);
	l->refs = NULL;
	l->refs_nr = l->refs_alloc = 0;
}

void linear_marker_ref_release(struct linear_marker_ref *r)
{
	free(r->issue_id);
	free(r->attachment_id);
	free(r->url);
	memset(r, 0, sizeof(*r));
}

/*
 * Notes that attachment aid (may be NULL) on issue_id is one of our markers,
 * at m's URL; only when its metadata names the repository of the subtitle
 * ("pmsync <repo>") too, as a marker pmsync may replace must.
 */
static void listing_ref(struct linear_listing *l, const char *issue_id, const char *aid,
                        const struct tracker_marker *m, const char *subtitle)
{
	struct linear_marker_ref *r;

	if (!m->repo_id || strncmp(subtitle, "pmsync ", 7) || strcmp(m->repo_id, subtitle + 7))
		return;
	ALLOC_GROW(l->refs, l->refs_nr + 1, l->refs_alloc);
	r = &l->refs[l->refs_nr++];
	r->issue_id = xstrdup(issue_id);
	r->attachment_id = xstrdup_or_null(aid);
	r->url = xstrdup(m->url);
}

void linear_page_release(struct linear_page *p)
{
	free(p->end_cursor);
	p->end_cursor = NULL;
	p->has_next = false;
}

static char *dup_member(json_t *obj, const char *key)
{
	return xstrdup_or_null(json_string_value(json_object_get(obj, key)));
}

int linear_issue_read(struct tracker_ticket *tk, json_t *node, const struct pm_json_path *p)
{
	struct pm_json_path sp = pm_json_member(p, "state"), lp = pm_json_member(p, "labelIds");
	struct tracker_ticket t;
	const char *s, *type, *auto_closed, *completed, *canceled, *archived;
	json_t *state, *assignee, *team, *labels, *v;
	double priority;
	bool has_priority, trashed, has_trashed;
	size_t i;
	int error;

	memset(&t, 0, sizeof(t));
	tracker_fields_init(&t.fields);
	tracker_fields_init(&t.marker.written);
	if ((error = pm_json_expect(node, JSON_OBJECT, p)) < 0 ||
	    (error = pm_json_string(&s, node, p, "id")) < 0)
		goto done;
	t.id = xstrdup(s);
	if ((error = pm_json_string(&s, node, p, "identifier")) < 0)
		goto done;
	t.ref = xstrdup(s);
	if ((error = pm_json_string(&s, node, p, "url")) < 0)
		goto done;
	t.url = xstrdup(s);
	if ((error = pm_json_string(&s, node, p, "title")) < 0)
		goto done;
	t.fields.title = xstrdup(s);
	if ((error = pm_json_string_or_null(&s, node, p, "description")) < 0)
		goto done;
	t.fields.description = xstrdup_or_null(s);
	if ((error = pm_json_string_or_null(&s, node, p, "dueDate")) < 0)
		goto done;
	t.fields.due = xstrdup_or_null(s);
	if ((error = pm_json_number_or_null(&priority, &has_priority, node, p, "priority")) < 0)
		goto done;
	if (has_priority && priority >= 0 && priority <= 1000)
		t.fields.priority = (int)(priority + 0.5);
	if ((error = pm_json_array(&labels, node, p, "labelIds")) < 0)
		goto done;
	json_array_foreach(labels, i, v)
	{
		struct pm_json_path ep = pm_json_element(&lp, i);
		if ((error = pm_json_expect(v, JSON_STRING, &ep)) < 0)
			goto done;
		strlist_add(&t.fields.labels, json_string_value(v));
	}
	if ((error = pm_json_string_or_null(&archived, node, p, "archivedAt")) < 0 ||
	    (error = pm_json_string(&s, node, p, "createdAt")) < 0)
		goto done;
	t.created_at = xstrdup(s);
	if ((error = pm_json_string_or_null(&completed, node, p, "completedAt")) < 0 ||
	    (error = pm_json_string_or_null(&canceled, node, p, "canceledAt")) < 0 ||
	    (error = pm_json_string_or_null(&auto_closed, node, p, "autoClosedAt")) < 0 ||
	    (error = pm_json_bool_or_null(&trashed, &has_trashed, node, p, "trashed")) < 0)
		goto done;
	if ((error = pm_json_object(&state, node, p, "state")) < 0 ||
	    (error = pm_json_string(&type, state, &sp, "type")) < 0 ||
	    (error = pm_json_string(&s, state, &sp, "name")) < 0)
		goto done;
	t.state_name = xstrdup(s);
	if ((error = pm_json_object_or_null(&assignee, node, p, "assignee")) < 0)
		goto done;
	if (assignee) {
		struct pm_json_path ap = pm_json_member(p, "assignee");
		if ((error = pm_json_string(&s, assignee, &ap, "id")) < 0)
			goto done;
		t.fields.assignee_id = xstrdup(s);
	}
	if ((error = pm_json_object_or_null(&team, node, p, "team")) < 0)
		goto done;

	if (!strcmp(type, "completed")) {
		t.status = TRACKER_DONE;
		t.closed_at = xstrdup_or_null(completed);
	} else if (!strcmp(type, "canceled") || !strcmp(type, "duplicate")) {
		t.status = auto_closed ? TRACKER_AUTOCLOSED : TRACKER_CANCELED;
		t.closed_at = xstrdup_or_null(auto_closed ? auto_closed : canceled);
	} else if (trashed) {
		t.status = TRACKER_CANCELED;
	} else {
		t.status =
		        TRACKER_OPEN; /* triage, backlog, unstarted, started, and unknown types */
	}
	t.archived = archived != NULL || trashed;
	*tk = t;
	return 0;
done:
	tracker_ticket_release(&t);
	return error;
}

/* The item key in a marker URL's fragment "#pmsync-<key>", or NULL. */
static char *key_from_url(const char *url)
{
	const char *frag = url ? strstr(url, "#pmsync-") : NULL;

	return frag && frag[8] ? xstrdup(frag + 8) : NULL;
}

/*
 * Reads an attachment node into m when it is one of this repository's
 * markers (*ours); other attachments are skipped without error. Metadata is
 * free-form JSON, so its members are read leniently.
 */
static int marker_read(struct tracker_marker *m, char **updated, const char **aid, bool *ours,
                       json_t *node, const struct pm_json_path *p, const char *subtitle)
{
	const char *url, *title, *sub, *upd;
	json_t *meta;
	char *key;
	int error;

	*ours = false;
	if ((error = pm_json_expect(node, JSON_OBJECT, p)) < 0 ||
	    (error = pm_json_string_or_null(aid, node, p, "id")) < 0 ||
	    (error = pm_json_string(&url, node, p, "url")) < 0 ||
	    (error = pm_json_string(&title, node, p, "title")) < 0 ||
	    (error = pm_json_string_or_null(&sub, node, p, "subtitle")) < 0 ||
	    (error = pm_json_object_or_null(&meta, node, p, "metadata")) < 0 ||
	    (error = pm_json_string_or_null(&upd, node, p, "updatedAt")) < 0)
		return error;
	if (!sub || !subtitle || strcmp(sub, subtitle))
		return 0;
	key = dup_member(meta, "key");
	if (!key)
		key = key_from_url(url);
	if (!key)
		return 0;
	memset(m, 0, sizeof(*m));
	tracker_fields_init(&m->written);
	m->item_key = key;
	m->repo_id = dup_member(meta, "repo");
	if (!m->repo_id && !strncmp(sub, "pmsync ", 7))
		m->repo_id = xstrdup(sub + 7);
	m->pm_path = dup_member(meta, "path");
	m->url = xstrdup(url);
	m->title = xstrdup(title);
	m->has_written = linear_written_read(&m->written, json_object_get(meta, "written"));
	*updated = xstrdup_or_null(upd);
	*ours = true;
	return 0;
}

/*
 * Records on tk the repository of another pmsync's marker ("pmsync
 * acme/ops"), so that this one never adopts a ticket another manages.
 */
static void note_foreign(struct tracker_ticket *tk, json_t *node, const char *subtitle)
{
	const char *sub = json_string_value(json_object_get(node, "subtitle"));

	if (tk->foreign_repo || !sub || strncmp(sub, "pmsync ", 7) || !sub[7] ||
	    (subtitle && !strcmp(sub, subtitle)))
		return;
	tk->foreign_repo = xstrdup(sub + 7);
}

/* Adds marker m (taken over) to tk: see linear.h for which marker wins. */
static void marker_merge(struct tracker_ticket *tk, char **tk_updated, struct tracker_marker *m,
                         char *m_updated)
{
	if (!tk->has_marker ||
	    (!strcmp(tk->marker.item_key, m->item_key) &&
	     strcmp(m_updated ? m_updated : "", *tk_updated ? *tk_updated : "") > 0)) {
		tracker_marker_release(&tk->marker);
		tk->marker = *m;
		tk->has_marker = true;
		free(*tk_updated);
		*tk_updated = m_updated;
		return;
	}
	if (strcmp(tk->marker.item_key, m->item_key) && !tk->other_marker_key)
		tk->other_marker_key = xstrdup(m->item_key);
	tracker_marker_release(m);
	free(m_updated);
}

/* The listing's ticket for tk->id, appending tk (taken over) when new. */
static size_t listing_add(struct linear_listing *l, struct tracker_ticket *tk, bool *is_new)
{
	size_t i = l->out->nr;

	*is_new = false;
	while (i--) {
		if (!strcmp(l->out->v[i].id, tk->id)) {
			tracker_ticket_release(tk);
			return i;
		}
	}
	*tracker_tickets_add(l->out) = *tk;
	ALLOC_GROW(l->marker_updated, l->out->nr, l->marker_updated_alloc);
	l->marker_updated[l->out->nr - 1] = NULL;
	*is_new = true;
	return l->out->nr - 1;
}

static int attachment_node(struct linear_listing *l, json_t *node, const struct pm_json_path *p,
                           const char *subtitle)
{
	struct pm_json_path ip = pm_json_member(p, "issue");
	struct tracker_marker m;
	struct tracker_ticket tk;
	char *updated = NULL;
	const char *aid;
	json_t *issue;
	bool ours, is_new;
	size_t at;
	int error;

	if ((error = marker_read(&m, &updated, &aid, &ours, node, p, subtitle)) < 0 || !ours)
		return error;
	if ((error = pm_json_object(&issue, node, p, "issue")) < 0 ||
	    (error = linear_issue_read(&tk, issue, &ip)) < 0) {
		tracker_marker_release(&m);
		free(updated);
		return error;
	}
	listing_ref(l, tk.id, aid, &m, subtitle);
	at = listing_add(l, &tk, &is_new);
	marker_merge(&l->out->v[at], &l->marker_updated[at], &m, updated);
	return 0;
}

static int issue_node(struct linear_listing *l, json_t *node, const struct pm_json_path *p,
                      const char *subtitle)
{
	struct pm_json_path ap = pm_json_member(p, "attachments");
	struct pm_json_path np = pm_json_member(&ap, "nodes");
	struct tracker_ticket tk;
	char *tk_updated = NULL;
	json_t *atts, *nodes, *v;
	bool is_new;
	size_t i, at;
	int error;

	if ((error = linear_issue_read(&tk, node, p)) < 0)
		return error;
	if ((error = pm_json_object_or_null(&atts, node, p, "attachments")) < 0 ||
	    (atts && (error = pm_json_array(&nodes, atts, &ap, "nodes")) < 0))
		goto done;
	if (atts) {
		json_array_foreach(nodes, i, v)
		{
			struct pm_json_path ep = pm_json_element(&np, i);
			struct tracker_marker m;
			char *updated = NULL;
			const char *aid;
			bool ours;
			if ((error = marker_read(&m, &updated, &aid, &ours, v, &ep, subtitle)) < 0)
				goto done;
			if (!ours) {
				note_foreign(&tk, v, subtitle);
				continue;
			}
			listing_ref(l, tk.id, aid, &m, subtitle);
			marker_merge(&tk, &tk_updated, &m, updated);
		}
	}
	at = listing_add(l, &tk, &is_new);
	if (is_new) {
		l->marker_updated[at] = tk_updated;
		tk_updated = NULL;
	}
	memset(&tk, 0, sizeof(tk)); /* handed over or released by listing_add */
	tracker_fields_init(&tk.fields);
	tracker_fields_init(&tk.marker.written);
done:
	tracker_ticket_release(&tk);
	free(tk_updated);
	return error;
}

int linear_page_read(struct linear_listing *l, struct linear_page *page, enum linear_page_kind kind,
                     const char *subtitle, json_t *data, const struct pm_json_path *p)
{
	const char *conn_name = kind == LINEAR_PAGE_ATTACHMENTS ? "attachments" : "issues";
	struct pm_json_path cp = pm_json_member(p, conn_name);
	struct pm_json_path np = pm_json_member(&cp, "nodes");
	struct pm_json_path ip = pm_json_member(&cp, "pageInfo");
	struct linear_page pg = {false, NULL};
	json_t *conn, *nodes, *info, *v;
	const char *cursor;
	size_t i;
	int error;

	if ((error = pm_json_object(&conn, data, p, conn_name)) < 0 ||
	    (error = pm_json_array(&nodes, conn, &cp, "nodes")) < 0)
		return error;
	json_array_foreach(nodes, i, v)
	{
		struct pm_json_path ep = pm_json_element(&np, i);
		error = kind == LINEAR_PAGE_ATTACHMENTS ? attachment_node(l, v, &ep, subtitle)
		                                        : issue_node(l, v, &ep, subtitle);
		if (error < 0)
			return error;
	}
	if ((error = pm_json_object_or_null(&info, conn, &cp, "pageInfo")) < 0)
		return error;
	if (info) {
		if ((error = pm_json_bool(&pg.has_next, info, &ip, "hasNextPage")) < 0 ||
		    (error = pm_json_string_or_null(&cursor, info, &ip, "endCursor")) < 0)
			return error;
		if (pg.has_next && !cursor)
			return pm_json_error(&ip, "hasNextPage without an endCursor");
		pg.end_cursor = xstrdup_or_null(cursor);
	}
	*page = pg;
	return 0;
}

int linear_parse_page(struct tracker_tickets *out, struct linear_page *page,
                      enum linear_page_kind kind, const char *subtitle, long status,
                      const char *body, size_t len)
{
	const char *op = kind == LINEAR_PAGE_ATTACHMENTS ? "ManagedAttachments" : "IssuesByIds";
	struct linear_reply r = LINEAR_REPLY_INIT;
	struct linear_listing l = LINEAR_LISTING_INIT(out);
	struct strbuf what = STRBUF_INIT;
	int error;

	strbuf_addf(&what, "linear: %s: response", op);
	if ((error = linear_reply_parse(&r, status, body, len, op)) < 0)
		goto done;
	if (r.errors || !r.data || status < 200 || status >= 300) {
		error = linear_reply_fail(&r, op, "LINEAR_API_KEY");
		goto done;
	}
	{
		struct pm_json_path root = PM_JSON_PATH_ROOT(what.buf, PM_ENET);
		struct pm_json_path dp = pm_json_member(&root, "data");
		error = linear_page_read(&l, page, kind, subtitle, r.data, &dp);
	}
done:
	linear_listing_release(&l);
	linear_reply_release(&r);
	strbuf_release(&what);
	return error;
}
