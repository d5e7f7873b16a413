/*
 * Creating Linear issues with issueBatchCreate, fifty to a batch, each with
 * the id pmsync chose for it (by which a batch whose answer was lost is
 * looked up rather than sent again). A batch Linear refuses as a whole
 * created nothing: it is split in halves to find the issue at fault. The
 * issues created are matched to their inputs, then their markers written;
 * a ticket whose marker could not be written is still reported as created.
 */
#include "util/compat.h"

#include "connectors/linear/linear_int.h"

#include <stdlib.h>
#include <strings.h>

#include "util/error.h"
#include "util/xalloc.h"

#define CREATES_PER_BATCH 50

static const char m_batch_create[] =
        "mutation IssueBatchCreate($input: IssueBatchCreateInput!) { issueBatchCreate(input: "
        "$input) { success issues { " LINEAR_ISSUE_FIELDS " } } }";

static json_t *create_input(struct linear_tracker *lt, const struct tracker_create *c, int *error)
{
	const struct tracker_fields *f = c->fields;
	json_t *in, *labels = NULL;

	*error = 0;
	if (!f->title || !*f->title) {
		*error =
		        pm_error(PM_ETRACKER, "linear: IssueBatchCreate: an issue without a title");
		return NULL;
	}
	if (f->labels.nr && !(labels = linear_label_ids(lt, &f->labels, error)))
		return NULL;
	in = json_object();
	if (c->id)
		json_object_set_new(in, "id", pm_json_str(c->id));
	json_object_set_new(in, "teamId", json_string(lt->team_id));
	json_object_set_new(in, "title", pm_json_str(f->title));
	if (f->description)
		json_object_set_new(in, "description", pm_json_str(f->description));
	if (f->assignee_id)
		json_object_set_new(in, "assigneeId", pm_json_str(f->assignee_id));
	if (f->due)
		json_object_set_new(in, "dueDate", pm_json_str(f->due));
	if (f->priority >= 0)
		json_object_set_new(in, "priority", json_integer(f->priority));
	if (labels)
		json_object_set_new(in, "labelIds", labels);
	return in;
}

static int create_batch(struct linear_tracker *lt, const struct tracker_create *c,
                        const size_t *idx, size_t k, struct tracker_tickets *created,
                        struct tracker_outcome *out);

/* Marks the created tickets' markers written, or their outcomes failed. */
static int write_created_markers(struct linear_tracker *lt, const struct tracker_create *c,
                                 const size_t *idx, const size_t *at, size_t k,
                                 struct tracker_tickets *created, struct tracker_outcome *out)
{
	const char **ids = xcalloc(k ? k : 1, sizeof(*ids));
	struct tracker_marker *markers = xcalloc(k ? k : 1, sizeof(*markers));
	struct tracker_outcome *mo = xcalloc(k ? k : 1, sizeof(*mo));
	size_t *from = xcalloc(k ? k : 1, sizeof(*from)), i, m = 0;
	int stop = 0;

	for (i = 0; i < k; i++) {
		if (!c[idx[i]].marker || at[i] == (size_t)-1)
			continue;
		ids[m] = created->v[at[i]].id;
		markers[m] = *c[idx[i]].marker; /* shallow: borrowed for the request */
		from[m++] = i;
	}
	if (m) {
		stop = linear_markers_write(lt, ids, markers, m, mo);
	}
	for (i = 0; i < m; i++) {
		struct tracker_ticket *tk = &created->v[at[from[i]]];
		struct tracker_outcome *o = &out[idx[from[i]]];
		const struct tracker_marker *src = c[idx[from[i]]].marker;
		if (mo[i].code) {
			linear_outcome_set(o, mo[i].code,
			                   "linear: created %s, but its marker was not "
			                   "written: %s",
			                   tk->ref, mo[i].message);
			continue;
		}
		tk->has_marker = true;
		tk->marker.repo_id =
		        xstrdup_or_null(src->repo_id ? src->repo_id : lt->base.cfg->repo_id);
		tk->marker.item_key = xstrdup_or_null(src->item_key);
		tk->marker.pm_path = xstrdup_or_null(src->pm_path);
		tk->marker.url = xstrdup_or_null(src->url);
		tk->marker.title = xstrdup_or_null(src->title);
		tk->marker.has_written = src->has_written;
		tracker_fields_release(&tk->marker.written);
		if (src->has_written)
			tracker_fields_copy(&tk->marker.written, &src->written);
	}
	for (i = 0; i < m; i++)
		tracker_outcome_release(&mo[i]);
	free(ids);
	free(markers);
	free(mo);
	free(from);
	return stop;
}

/* Reads the issues a successful batch returned into created, matching inputs. */
static int read_created(struct linear_tracker *lt, const struct linear_reply *r,
                        const struct tracker_create *c, const size_t *idx, size_t k, size_t *at,
                        struct tracker_tickets *created, struct tracker_outcome *out)
{
	struct pm_json_path root = PM_JSON_PATH_ROOT("linear: IssueBatchCreate: response", PM_ENET);
	struct pm_json_path dp = pm_json_member(&root, "data");
	struct pm_json_path pp = pm_json_member(&dp, "issueBatchCreate");
	struct pm_json_path ip = pm_json_member(&pp, "issues");
	json_t *payload, *issues, *v;
	size_t i, j, first = created->nr;
	bool success;
	int error;

	for (i = 0; i < k; i++)
		at[i] = (size_t)-1;
	if ((error = pm_json_object(&payload, r->data, &dp, "issueBatchCreate")) < 0 ||
	    (error = pm_json_bool(&success, payload, &pp, "success")) < 0)
		return error;
	if (!success)
		return pm_error(PM_ETRACKER, "linear: IssueBatchCreate: Linear reported success: "
		                             "false");
	if ((error = pm_json_array(&issues, payload, &pp, "issues")) < 0)
		return error;
	json_array_foreach(issues, i, v)
	{
		struct pm_json_path ep = pm_json_element(&ip, i);
		struct tracker_ticket tk;
		if ((error = linear_issue_read(&tk, v, &ep)) < 0)
			return error;
		*tracker_tickets_add(created) = tk;
	}
	if ((error = linear_take_read(lt, created, first, NULL)) < 0)
		return error;
	for (j = first; j < created->nr; j++) {
		for (i = 0; i < k; i++) {
			const char *want = c[idx[i]].id;
			if (at[i] != (size_t)-1)
				continue;
			if (want ? !strcasecmp(want, created->v[j].id) : j - first == i) {
				at[i] = j;
				linear_outcome_ok(&out[idx[i]]);
				break;
			}
		}
	}
	for (i = 0; i < k; i++)
		if (at[i] == (size_t)-1)
			linear_outcome_set(
			        &out[idx[i]], PM_ENET,
			        "linear: IssueBatchCreate: issue '%s' is missing from the "
			        "answer: it may have been created",
			        c[idx[i]].id ? c[idx[i]].id : "(no id)");
	return 0;
}

static int create_batch(struct linear_tracker *lt, const struct tracker_create *c,
                        const size_t *idx, size_t k, struct tracker_tickets *created,
                        struct tracker_outcome *out)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	json_t *vars = json_object(), *input = json_object(), *issues = json_array();
	size_t *sent = xcalloc(k ? k : 1, sizeof(*sent)), *at = NULL, i, m = 0;
	int error = 0, stop = 0;

	for (i = 0; i < k; i++) {
		json_t *in = create_input(lt, &c[idx[i]], &error);
		if (!in) {
			linear_outcome_set(&out[idx[i]], error, "%s", pm_error_message());
			if (linear_is_stop(error, &r)) {
				stop = error;
				goto done;
			}
			continue;
		}
		json_array_append_new(issues, in);
		sent[m++] = idx[i];
	}
	if (!m)
		goto done;
	json_object_set_new(input, "issues", issues);
	issues = NULL;
	json_object_set_new(vars, "input", input);
	input = NULL;
	error = linear_gql(lt, &r, "IssueBatchCreate", m_batch_create, vars, false, false);
	vars = NULL; /* stolen by linear_gql() */
	if (error < 0) {
		if (!linear_is_stop(error, &r) && error == PM_ETRACKER && r.errors && !r.data &&
		    m > 1) {
			/* refused as a whole, so nothing was created: find the bad issue */
			linear_reply_release(&r);
			stop = create_batch(lt, c, sent, m / 2, created, out);
			if (!stop)
				stop = create_batch(lt, c, sent + m / 2, m - m / 2, created, out);
			goto done;
		}
		if (error == PM_ENET && r.status) {
			char *msg = xstrdup(pm_error_message());
			error = pm_error(PM_ENET, "%s; the issues may have been created", msg);
			free(msg);
		}
		for (i = 0; i < m; i++)
			linear_outcome_set(&out[sent[i]], error, "%s", pm_error_message());
		if (linear_is_stop(error, &r))
			stop = error;
		goto done;
	}
	at = xcalloc(m, sizeof(*at));
	if ((error = read_created(lt, &r, c, sent, m, at, created, out)) < 0) {
		for (i = 0; i < m; i++)
			if (out[sent[i]].code == LINEAR_PENDING)
				linear_outcome_set(&out[sent[i]], error, "%s", pm_error_message());
		stop = linear_is_stop(error, &r) ? error : 0;
		goto done;
	}
	stop = write_created_markers(lt, c, sent, at, m, created, out);
done:
	json_decref(vars);
	json_decref(input);
	json_decref(issues);
	linear_reply_release(&r);
	free(sent);
	free(at);
	return stop;
}

int linear_create(struct tracker *t, const struct tracker_create *c, size_t n,
                  struct tracker_tickets *created, struct tracker_outcome *outcomes)
{
	struct linear_tracker *lt = linear_tracker_of(t);
	size_t *idx = xcalloc(n ? n : 1, sizeof(*idx)), i, start;
	int stop = 0;

	linear_outcomes_init(outcomes, n);
	for (i = 0; i < n; i++)
		idx[i] = i;
	stop = linear_tracker_prepare(lt);
	if (!stop && n && c[0].marker)
		stop = linear_need_subtitle(lt);
	for (start = 0; start < n && !stop; start += CREATES_PER_BATCH)
		stop = create_batch(lt, c, idx + start,
		                    n - start < CREATES_PER_BATCH ? n - start : CREATES_PER_BATCH,
		                    created, outcomes);
	free(idx);
	return linear_outcomes_finish(outcomes, n, stop, "IssueBatchCreate");
}
