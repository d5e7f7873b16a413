/*
 * Creating Linear issues with issueBatchCreate, fifty to a batch, each with
 * the id pmsync chose for it (by which a batch whose answer was lost is
 * looked up rather than sent again). Since the ids are known before Linear
 * answers, the markers of the fifty go in the same document, after the
 * batch: a document's mutations run in order. A batch Linear refuses as a
 * whole created nothing: it is split in halves to find the issue at fault.
 * When a marker fails, GraphQL nulls the whole answer: the batch and the
 * markers before the failed one ran, the rest never did, so the issues are
 * read back by id and the markers they lack written again. A ticket whose
 * marker could not be written is still reported as created.
 */
#include "util/compat.h"

#include "connectors/linear/linear_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/xalloc.h"

#define CREATES_PER_BATCH 50

static const char m_batch_create_head[] =
        "mutation IssueBatchCreate($input: IssueBatchCreateInput!";
static const char m_batch_create_body[] =
        ") { issueBatchCreate(input: $input) { success issues { " LINEAR_ISSUE_FIELDS " } } ";

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

/* tk now carries the marker src, as written. */
static void marker_taken(struct linear_tracker *lt, struct tracker_ticket *tk,
                         const struct tracker_marker *src)
{
	tracker_marker_release(&tk->marker);
	tk->has_marker = true;
	tk->marker.repo_id = xstrdup_or_null(src->repo_id ? src->repo_id : lt->base.cfg->repo_id);
	tk->marker.item_key = xstrdup_or_null(src->item_key);
	tk->marker.pm_path = xstrdup_or_null(src->pm_path);
	tk->marker.url = xstrdup_or_null(src->url);
	tk->marker.title = xstrdup_or_null(src->title);
	tk->marker.has_written = src->has_written;
	if (src->has_written)
		tracker_fields_copy(&tk->marker.written, &src->written);
	if (src->url)
		linear_marker_written(lt, tk->id, src->url);
}

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
		if (!c[idx[i]].marker || at[i] == (size_t)-1 || created->v[at[i]].has_marker)
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
			tracker_outcome_set(o, mo[i].code,
			                    "linear: created %s, but its marker was not "
			                    "written: %s",
			                    tk->ref, mo[i].message);
			continue;
		}
		marker_taken(lt, tk, src);
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
				tracker_outcome_release(&out[idx[i]]);
				break;
			}
		}
	}
	for (i = 0; i < k; i++)
		if (at[i] == (size_t)-1)
			tracker_outcome_set(
			        &out[idx[i]], PM_ENET,
			        "linear: IssueBatchCreate: issue '%s' is missing from the "
			        "answer: it may have been created",
			        c[idx[i]].id ? c[idx[i]].id : "(no id)");
	return 0;
}

/*
 * A batch's answer was nulled by a failed marker: the batch ran, so its
 * issues are read back by id, with the markers that were written.
 */
static int read_back(struct linear_tracker *lt, const struct tracker_create *c, const size_t *idx,
                     size_t k, size_t *at, struct tracker_tickets *created,
                     struct tracker_outcome *out)
{
	struct tracker_tickets found = {NULL, 0, 0};
	const char **ids = xcalloc(k ? k : 1, sizeof(*ids));
	size_t i, j;
	int error;

	for (i = 0; i < k; i++) {
		ids[i] = c[idx[i]].id;
		at[i] = (size_t)-1;
	}
	error = linear_get_by_ids(&lt->base, &found, ids, k);
	for (j = 0; error >= 0 && j < found.nr; j++)
		for (i = 0; i < k; i++) {
			if (at[i] != (size_t)-1 || strcasecmp(ids[i], found.v[j].id))
				continue;
			*tracker_tickets_add(created) = found.v[j];
			memset(&found.v[j], 0, sizeof(found.v[j])); /* handed over */
			tracker_fields_init(&found.v[j].fields);
			tracker_fields_init(&found.v[j].marker.written);
			at[i] = created->nr - 1;
			tracker_outcome_release(&out[idx[i]]);
			break;
		}
	for (i = 0; error >= 0 && i < k; i++)
		if (at[i] == (size_t)-1)
			tracker_outcome_set(
			        &out[idx[i]], PM_ENET,
			        "linear: IssueBatchCreate: issue '%s' is missing after a "
			        "failed marker: it may have been created",
			        ids[i]);
	tracker_tickets_release(&found);
	free(ids);
	return error;
}

/*
 * The markers of the batch as fields after issueBatchCreate, when every
 * issue has its chosen id and a marker; false (nothing added) otherwise.
 */
static bool add_markers(struct linear_tracker *lt, const struct tracker_create *c,
                        const size_t *idx, size_t k, struct strbuf *decls, struct strbuf *sels,
                        json_t *vars)
{
	json_t *ins = json_array();
	size_t i;
	int error;
	bool ok = lt->subtitle != NULL;

	for (i = 0; ok && i < k; i++) {
		json_t *in =
		        c[idx[i]].id && c[idx[i]].marker
		                ? linear_marker_input(lt, c[idx[i]].id, c[idx[i]].marker, &error)
		                : NULL;
		if (!in)
			ok = false; /* written apart, where its failure is reported */
		else
			json_array_append_new(ins, in);
	}
	for (i = 0; ok && i < k; i++) {
		char name[32];
		snprintf(name, sizeof(name), "m%zu", i);
		strbuf_addf(decls, ", $%s: AttachmentCreateInput!", name);
		strbuf_addf(sels, "%s: attachmentCreate(input: $%s) { success attachment { id } } ",
		            name, name);
		json_object_set(vars, name, json_array_get(ins, i));
	}
	json_decref(ins);
	return ok;
}

/* The markers the batch's answer says were written. */
static void take_markers(struct linear_tracker *lt, const struct linear_reply *r,
                         const struct tracker_create *c, const size_t *idx, size_t k,
                         const size_t *at, struct tracker_tickets *created)
{
	size_t i;

	for (i = 0; i < k; i++) {
		char name[32];
		snprintf(name, sizeof(name), "m%zu", i);
		if (at[i] != (size_t)-1 &&
		    json_is_true(json_object_get(json_object_get(r->data, name), "success")))
			marker_taken(lt, &created->v[at[i]], c[idx[i]].marker);
	}
}

static int create_batch(struct linear_tracker *lt, const struct tracker_create *c,
                        const size_t *idx, size_t k, struct tracker_tickets *created,
                        struct tracker_outcome *out)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	struct strbuf doc = STRBUF_INIT, decls = STRBUF_INIT, sels = STRBUF_INIT;
	json_t *vars = json_object(), *input = json_object(), *issues = json_array();
	size_t *sent = xcalloc(k ? k : 1, sizeof(*sent)), *at = NULL, i, m = 0;
	bool markers;
	int error = 0, stop = 0;

	for (i = 0; i < k; i++) {
		json_t *in = create_input(lt, &c[idx[i]], &error);
		if (!in) {
			tracker_outcome_set(&out[idx[i]], error, "%s", pm_error_message());
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
	markers = add_markers(lt, c, sent, m, &decls, &sels, vars);
	strbuf_addf(&doc, "%s%s%s%s}", m_batch_create_head, decls.buf, m_batch_create_body,
	            sels.buf);
	error = linear_gql(lt, &r, "IssueBatchCreate", doc.buf, vars, false, markers);
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
			tracker_outcome_set(&out[sent[i]], error, "%s", pm_error_message());
		if (linear_is_stop(error, &r))
			stop = error;
		goto done;
	}
	at = xcalloc(m, sizeof(*at));
	error = r.data ? read_created(lt, &r, c, sent, m, at, created, out)
	               : read_back(lt, c, sent, m, at, created, out);
	if (error < 0) {
		for (i = 0; i < m; i++)
			if (out[sent[i]].code == LINEAR_PENDING)
				tracker_outcome_set(&out[sent[i]], error, "%s", pm_error_message());
		stop = linear_is_stop(error, &r) ? error : 0;
		goto done;
	}
	if (markers && r.data)
		take_markers(lt, &r, c, sent, m, at, created);
	stop = write_created_markers(lt, c, sent, at, m, created, out);
done:
	json_decref(vars);
	json_decref(input);
	json_decref(issues);
	linear_reply_release(&r);
	strbuf_release(&doc);
	strbuf_release(&decls);
	strbuf_release(&sels);
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
