/*
 * The in-memory tracker of the engine's tests (see mem_tracker.h): every
 * operation of the seam over a list of tickets, with the faults a real
 * service and a killed process produce.
 */
#include "util/compat.h"
#include "tests/unit/mem_tracker.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/xalloc.h"

const char *const mem_fault_names[] = {"none",        "fail",       "apply-then-fail",
                                       "kill-before", "kill-after", "element"};

static struct mem_tracker *M(struct tracker *t)
{
	return (struct mem_tracker *)t;
}

static void copy_marker(struct tracker_marker *dst, const struct tracker_marker *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->repo_id = xstrdup_or_null(src->repo_id);
	dst->item_key = xstrdup_or_null(src->item_key);
	dst->pm_path = xstrdup_or_null(src->pm_path);
	dst->url = xstrdup_or_null(src->url);
	dst->title = xstrdup_or_null(src->title);
	dst->has_written = src->has_written;
	if (src->has_written)
		tracker_fields_copy(&dst->written, &src->written);
	else
		tracker_fields_init(&dst->written);
}

void mem_tracker_copy_ticket(struct tracker_ticket *dst, const struct tracker_ticket *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->id = xstrdup_or_null(src->id);
	dst->ref = xstrdup_or_null(src->ref);
	dst->url = xstrdup_or_null(src->url);
	tracker_fields_copy(&dst->fields, &src->fields);
	dst->status = src->status;
	dst->state_name = xstrdup_or_null(src->state_name);
	dst->created_at = xstrdup_or_null(src->created_at);
	dst->closed_at = xstrdup_or_null(src->closed_at);
	dst->archived = src->archived;
	dst->has_marker = src->has_marker;
	dst->other_marker_key = xstrdup_or_null(src->other_marker_key);
	dst->foreign_repo = xstrdup_or_null(src->foreign_repo);
	if (src->has_marker)
		copy_marker(&dst->marker, &src->marker);
	else
		tracker_fields_init(&dst->marker.written);
}

static struct tracker_ticket *find_id(struct mem_tracker *m, const char *id)
{
	size_t i;

	for (i = 0; id && i < m->store.nr; i++)
		if (!strcmp(m->store.v[i].id, id))
			return &m->store.v[i];
	return NULL;
}

static void snapshot_state(struct mem_tracker *m)
{
	m->snap_taken = true;
	strbuf_reset(&m->snap);
	m->snap_exists = m->state_path && strbuf_read_file(&m->snap, m->state_path, 0) == 0;
}

/* Before a write call: a fault that strikes before the request is applied. */
static int fault_before(struct mem_tracker *m, const char *op)
{
	m->writes++;
	if (m->killed)
		return pm_error(PM_EAUTH, "mem: %s after the process died", op);
	if (m->fired || m->writes != m->fail_at)
		return 0;
	switch (m->fault) {
	case MEM_FAULT_FAIL:
		m->fired = true;
		return pm_error(PM_ENET, "mem: %s: HTTP 502", op);
	case MEM_FAULT_KILL_BEFORE:
		m->fired = m->killed = true;
		snapshot_state(m);
		return pm_error(PM_EAUTH, "mem: %s: killed", op);
	default:
		return 0;
	}
}

/* After applying: the response is lost, or the process dies. */
static int fault_after(struct mem_tracker *m, const char *op)
{
	if (m->fired || m->writes != m->fail_at)
		return 0;
	switch (m->fault) {
	case MEM_FAULT_APPLY_FAIL:
		m->fired = true;
		return pm_error(PM_ENET, "mem: %s: connection reset", op);
	case MEM_FAULT_KILL_AFTER:
		m->fired = m->killed = true;
		snapshot_state(m);
		return pm_error(PM_EAUTH, "mem: %s: killed", op);
	default:
		return 0;
	}
}

static bool element_fault(struct mem_tracker *m, size_t i)
{
	if (m->fault != MEM_FAULT_ELEMENT || m->fired || m->writes != m->fail_at || i != 0)
		return false;
	m->fired = true;
	return true;
}

static void outcome_fail(struct tracker_outcome *o, int code, const char *msg)
{
	o->code = code;
	o->message = xstrdup(msg);
}

static int mem_prepare(struct tracker *t)
{
	(void)t;
	return 0;
}

static int mem_resolve_users(struct tracker *t, const char *const *emails, size_t n,
                             const char **ids_out)
{
	static const char *const users[][2] = {
	        {"alice@example.com", "u-alice"},
	        {"carol@example.com", "u-carol"},
	};
	size_t i, j;

	M(t)->reads++;
	M(t)->resolve_calls++;
	for (i = 0; i < n; i++) {
		ids_out[i] = NULL;
		for (j = 0; j < ARRAY_SIZE(users); j++)
			if (!strcasecmp(emails[i], users[j][0]) || !strcmp(emails[i], users[j][1]))
				ids_out[i] = users[j][1];
	}
	return 0;
}

static int mem_list_managed(struct tracker *t, struct tracker_tickets *out)
{
	struct mem_tracker *m = M(t);
	size_t i;

	m->reads++;
	for (i = 0; i < m->store.nr; i++) {
		const struct tracker_ticket *tk = &m->store.v[i];
		if (!tk->has_marker)
			continue;
		if (!m->list_everything && strcmp(tk->marker.repo_id, t->cfg->repo_id))
			continue;
		if (m->lag && i >= m->lag_from)
			continue; /* the search index has not caught up */
		mem_tracker_copy_ticket(tracker_tickets_add(out), tk);
	}
	return 0;
}

static int mem_get_by_ids(struct tracker *t, struct tracker_tickets *out, const char *const *ids,
                          size_t n)
{
	size_t i;

	M(t)->reads++;
	for (i = 0; i < n; i++) {
		const struct tracker_ticket *tk = find_id(M(t), ids[i]);
		if (tk)
			mem_tracker_copy_ticket(tracker_tickets_add(out), tk);
	}
	return 0;
}

static int mem_get_by_refs(struct tracker *t, struct tracker_tickets *out, const char *const *refs,
                           size_t n)
{
	struct mem_tracker *m = M(t);
	size_t i, j;

	m->reads++;
	for (i = 0; i < n; i++)
		for (j = 0; j < m->store.nr; j++) {
			const struct tracker_ticket *tk = &m->store.v[j];
			if (!strcasecmp(tk->ref, refs[i]) || !strcmp(tk->url, refs[i])) {
				mem_tracker_copy_ticket(tracker_tickets_add(out), tk);
				break;
			}
		}
	return 0;
}

static int mem_create(struct tracker *t, const struct tracker_create *c, size_t n,
                      struct tracker_tickets *created, struct tracker_outcome *outcomes)
{
	struct mem_tracker *m = M(t);
	size_t i;
	int r = fault_before(m, "create");

	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		struct tracker_ticket *tk;
		if (element_fault(m, i)) {
			outcome_fail(&outcomes[i], PM_ETRACKER, "mem: title is invalid");
			continue;
		}
		if (!c[i].fields->title || !*c[i].fields->title ||
		    strlen(c[i].fields->title) > 255) {
			outcome_fail(&outcomes[i], PM_ETRACKER, "mem: title is required");
			continue;
		}
		if (c[i].id && (find_id(m, c[i].id) || strlist_has_ci(&m->deleted, c[i].id))) {
			outcome_fail(&outcomes[i], PM_ETRACKER, "mem: id is already in use");
			continue;
		}
		tk = tracker_tickets_add(&m->store);
		memset(tk, 0, sizeof(*tk));
		m->next_num++;
		tk->id = c[i].id ? xstrdup(c[i].id) : xasprintf("gen-%d", m->next_num);
		tk->ref = xasprintf("ENG-%d", m->next_num);
		tk->url = xasprintf("https://linear.app/acme/issue/ENG-%d", m->next_num);
		tracker_fields_copy(&tk->fields, c[i].fields);
		tk->status = TRACKER_OPEN;
		tk->state_name = xstrdup("Backlog");
		tk->created_at = xasprintf("2024-06-01T00:00:%02d.%03dZ", m->next_num / 1000 % 60,
		                           m->next_num % 1000);
		tracker_fields_init(&tk->marker.written);
		ALLOC_GROW(m->by_pmsync, m->store.nr, m->by_pmsync_alloc);
		m->by_pmsync[m->store.nr - 1] = true;
		m->created++;
		mem_tracker_copy_ticket(tracker_tickets_add(created), tk);
	}
	r = fault_after(m, "create");
	if (r < 0) {
		tracker_tickets_release(created); /* the response never arrived */
		for (i = 0; i < n; i++)
			tracker_outcome_release(&outcomes[i]);
	}
	return r;
}

static int mem_set_markers(struct tracker *t, const char *const *ids,
                           const struct tracker_marker *markers, size_t n,
                           struct tracker_outcome *outcomes)
{
	struct mem_tracker *m = M(t);
	size_t i;
	int r = fault_before(m, "set_markers");

	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		struct tracker_ticket *tk = find_id(m, ids[i]);
		if (element_fault(m, i)) {
			outcome_fail(&outcomes[i], PM_ETRACKER, "mem: attachment refused");
			continue;
		}
		if (!tk) {
			outcome_fail(&outcomes[i], PM_ENOTFOUND, "mem: no such issue");
			continue;
		}
		tracker_marker_release(&tk->marker);
		copy_marker(&tk->marker, &markers[i]);
		tk->has_marker = true;
		m->linked++;
	}
	return fault_after(m, "set_markers");
}

static void set_field(struct tracker_fields *dst, const struct tracker_fields *src, unsigned mask)
{
	struct tracker_fields copy;

	tracker_fields_copy(&copy, src);
	if (mask & TF_TITLE) {
		free(dst->title);
		dst->title = copy.title;
		copy.title = NULL;
	}
	if (mask & TF_DESCRIPTION) {
		free(dst->description);
		dst->description = copy.description;
		copy.description = NULL;
	}
	if (mask & TF_ASSIGNEE) {
		free(dst->assignee_id);
		dst->assignee_id = copy.assignee_id;
		copy.assignee_id = NULL;
	}
	if (mask & TF_DUE) {
		free(dst->due);
		dst->due = copy.due;
		copy.due = NULL;
	}
	if (mask & TF_PRIORITY)
		dst->priority = copy.priority;
	if (mask & TF_LABELS) {
		strlist_clear(&dst->labels);
		dst->labels = copy.labels;
		memset(&copy.labels, 0, sizeof(copy.labels));
	}
	tracker_fields_release(&copy);
}

static int mem_update(struct tracker *t, const struct tracker_update *u, size_t n,
                      struct tracker_outcome *outcomes)
{
	struct mem_tracker *m = M(t);
	size_t i;
	int r = fault_before(m, "update");

	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		struct tracker_ticket *tk = find_id(m, u[i].id);
		if (element_fault(m, i)) {
			outcome_fail(&outcomes[i], PM_ETRACKER, "mem: update refused");
			continue;
		}
		if (!tk) {
			outcome_fail(&outcomes[i], PM_ENOTFOUND, "mem: no such issue");
			continue;
		}
		set_field(&tk->fields, u[i].fields, u[i].mask);
		if (u[i].marker) {
			tracker_marker_release(&tk->marker);
			copy_marker(&tk->marker, u[i].marker);
			tk->has_marker = true;
		}
		m->updated++;
	}
	return fault_after(m, "update");
}

static int mem_cancel(struct tracker *t, const char *const *ids, size_t n,
                      struct tracker_outcome *outcomes)
{
	struct mem_tracker *m = M(t);
	size_t i;
	int r = fault_before(m, "cancel");

	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		struct tracker_ticket *tk = find_id(m, ids[i]);
		if (element_fault(m, i)) {
			outcome_fail(&outcomes[i], PM_ETRACKER, "mem: cancel refused");
			continue;
		}
		if (!tk) {
			outcome_fail(&outcomes[i], PM_ENOTFOUND, "mem: no such issue");
			continue;
		}
		tk->status = TRACKER_CANCELED;
		m->cancelled++;
	}
	return fault_after(m, "cancel");
}

static int mem_doctor(struct tracker *t, const struct config *cfg, struct tracker_findings *out)
{
	(void)t;
	(void)cfg;
	(void)out;
	return 0;
}

static bool mem_owns_ref(struct tracker *t, const char *ref)
{
	const char *p;

	(void)t;
	if (!strncmp(ref, "https://linear.app/acme/issue/", 30))
		return true;
	if (strncmp(ref, "ENG-", 4) || !ref[4])
		return false;
	for (p = ref + 4; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static void mem_free(struct tracker *t)
{
	(void)t;
}

/* Recovery over the ids pmsync chose, as Linear does it. */
static int mem_find_pending(struct tracker *t, const struct tracker_create *c, size_t n,
                            struct tracker_tickets *out)
{
	struct tracker_tickets found = {0};
	size_t i;

	M(t)->reads++;
	M(t)->pending_calls++;
	for (i = 0; i < n; i++) {
		const struct tracker_ticket *tk = find_id(M(t), c[i].id);
		if (tk)
			mem_tracker_copy_ticket(tracker_tickets_add(&found), tk);
	}
	tracker_tickets_place(out, &found, c, n);
	tracker_tickets_release(&found);
	return 0;
}

static const struct tracker_ops mem_ops = {
        .name = "linear",
        .prepare = mem_prepare,
        .resolve_users = mem_resolve_users,
        .list_managed = mem_list_managed,
        .get_by_ids = mem_get_by_ids,
        .get_by_refs = mem_get_by_refs,
        .create = mem_create,
        .set_markers = mem_set_markers,
        .update = mem_update,
        .cancel = mem_cancel,
        .doctor = mem_doctor,
        .owns_ref = mem_owns_ref,
        .free = mem_free,
        .find_pending = mem_find_pending,
};

void mem_tracker_init(struct mem_tracker *m, const struct config *cfg)
{
	memset(m, 0, sizeof(*m));
	m->base.ops = &mem_ops;
	m->base.cfg = cfg;
	strbuf_init(&m->snap, 0);
}

void mem_tracker_delete(struct mem_tracker *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->store.nr; i++) {
		if (strcmp(m->store.v[i].id, id))
			continue;
		strlist_add(&m->deleted, id);
		tracker_ticket_release(&m->store.v[i]);
		memmove(&m->store.v[i], &m->store.v[i + 1],
		        (m->store.nr - i - 1) * sizeof(*m->store.v));
		memmove(&m->by_pmsync[i], &m->by_pmsync[i + 1],
		        (m->store.nr - i - 1) * sizeof(*m->by_pmsync));
		m->store.nr--;
		return;
	}
}

void mem_tracker_release(struct mem_tracker *m)
{
	strlist_clear(&m->deleted);
	tracker_tickets_release(&m->store);
	free(m->by_pmsync);
	m->by_pmsync = NULL;
	strbuf_release(&m->snap);
}

struct tracker_ticket *mem_tracker_seed(struct mem_tracker *m, const char *ref, const char *title)
{
	struct tracker_ticket *tk = tracker_tickets_add(&m->store);

	memset(tk, 0, sizeof(*tk));
	tk->id = xasprintf("seed-%s", ref);
	tk->ref = xstrdup(ref);
	tk->url = xasprintf("https://linear.app/acme/issue/%s", ref);
	tracker_fields_init(&tk->fields);
	tk->fields.title = xstrdup(title);
	tk->fields.description = xstrdup("written by hand");
	tk->status = TRACKER_OPEN;
	tk->created_at = xstrdup("2023-01-01T00:00:00.000Z");
	tracker_fields_init(&tk->marker.written);
	ALLOC_GROW(m->by_pmsync, m->store.nr, m->by_pmsync_alloc);
	m->by_pmsync[m->store.nr - 1] = false;
	return tk;
}
