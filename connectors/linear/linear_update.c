/*
 * Updating and canceling Linear issues, in batches of twenty-five
 * (linear_batch.c). An update writes the fields the plan names (the labels
 * as additions and removals of pmsync's own) and, when asked, the issue's
 * marker in the same document; what it wrote is remembered as the issue's
 * labels and marker. A cancel moves the issue to the team's first workflow
 * state of type canceled.
 */
#include "util/compat.h"

#include "connectors/linear/linear_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/error.h"
#include "util/xalloc.h"

#define UPDATES_PER_DOC 25

/* The IssueUpdateInput for the fields of f in mask; NULL with *error set on failure. */
static json_t *update_input(struct linear_tracker *lt, const char *id,
                            const struct tracker_fields *f, unsigned mask, int *error)
{
	json_t *in = json_object();

	*error = 0;
	if (mask & TF_TITLE) {
		if (!f->title || !*f->title) {
			*error =
			        pm_error(PM_ETRACKER, "linear: issue '%s': the title is empty", id);
			json_decref(in);
			return NULL;
		}
		json_object_set_new(in, "title", pm_json_str(f->title));
	}
	if (mask & TF_DESCRIPTION)
		json_object_set_new(in, "description", pm_json_str(f->description));
	if (mask & TF_ASSIGNEE)
		json_object_set_new(in, "assigneeId", pm_json_str(f->assignee_id));
	if (mask & TF_DUE)
		json_object_set_new(in, "dueDate", pm_json_str(f->due));
	if (mask & TF_PRIORITY)
		json_object_set_new(in, "priority",
		                    json_integer(f->priority < 0 ? 0 : f->priority));
	if ((mask & TF_LABELS) && (*error = linear_label_changes(lt, id, &f->labels, in)) < 0) {
		json_decref(in);
		return NULL;
	}
	return in;
}

struct updates_ctx {
	const struct tracker_update *u;
};

static int build_update(struct linear_tracker *lt, const void *ctx, size_t i, size_t j,
                        struct strbuf *decls, struct strbuf *sels, json_t *vars)
{
	const struct tracker_update *u = &((const struct updates_ctx *)ctx)->u[i];
	json_t *in = NULL, *marker = NULL;
	char name[32];
	int error = 0;

	if (u->mask & TF_ALL) {
		if (!(in = update_input(lt, u->id, u->fields, u->mask, &error)))
			return error;
		if (!json_object_size(in)) {
			json_decref(in); /* the labels were right already */
			in = NULL;
		}
	}
	if (u->marker && !(marker = linear_marker_input(lt, u->id, u->marker, &error))) {
		json_decref(in);
		return error;
	}
	if (in) {
		strbuf_addf(decls, "%s$id%zu: String!, $in%zu: IssueUpdateInput!",
		            decls->len ? ", " : "", j, j);
		strbuf_addf(
		        sels,
		        "u%zu: issueUpdate(id: $id%zu, input: $in%zu) { success issue { id } } ", j,
		        j, j);
		snprintf(name, sizeof(name), "id%zu", j);
		json_object_set_new(vars, name, pm_json_str(u->id));
		snprintf(name, sizeof(name), "in%zu", j);
		json_object_set_new(vars, name, in);
	}
	if (marker) {
		strbuf_addf(decls, "%s$m%zu: AttachmentCreateInput!", decls->len ? ", " : "", j);
		strbuf_addf(sels,
		            "m%zu: attachmentCreate(input: $m%zu) { success attachment { id } } ",
		            j, j);
		snprintf(name, sizeof(name), "m%zu", j);
		json_object_set_new(vars, name, marker);
		linear_add_deletes(lt, u->id, u->marker->url, j, decls, sels, vars);
	}
	return 0;
}

static bool update_gone(struct linear_tracker *lt, const void *ctx, size_t i, size_t sub)
{
	const struct tracker_update *u = &((const struct updates_ctx *)ctx)->u[i];

	return u->marker && linear_forget_deleted(lt, u->id, u->marker->url, sub);
}

int linear_update(struct tracker *t, const struct tracker_update *u, size_t n,
                  struct tracker_outcome *outcomes)
{
	struct linear_tracker *lt = linear_tracker_of(t);
	const char **ids = xcalloc(n ? n : 1, sizeof(*ids));
	struct updates_ctx ctx = {u};
	struct linear_alias_op op = {"IssueUpdates", UPDATES_PER_DOC, ids, build_update,
	                             &ctx,           update_gone};
	size_t i;
	int error;

	linear_outcomes_init(outcomes, n);
	for (i = 0; i < n; i++)
		ids[i] = u[i].id;
	error = linear_tracker_prepare(lt);
	if (error >= 0) {
		for (i = 0; i < n && error >= 0; i++)
			if (u[i].marker)
				error = linear_need_subtitle(lt);
	}
	if (error < 0) {
		error = linear_outcomes_finish(outcomes, n, error, op.op);
	} else {
		error = linear_run_aliased(lt, &op, n, outcomes);
		for (i = 0; i < n; i++) {
			if (outcomes[i].code)
				continue;
			if (u[i].mask & TF_LABELS)
				linear_labels_written(lt, u[i].id, &u[i].fields->labels);
			if (u[i].marker && u[i].marker->url)
				linear_marker_written(lt, u[i].id, u[i].marker->url);
		}
	}
	free(ids);
	return error;
}

struct cancel_ctx {
	const char *const *ids;
	const char *state_id;
};

static int build_cancel(struct linear_tracker *lt, const void *ctx, size_t i, size_t j,
                        struct strbuf *decls, struct strbuf *sels, json_t *vars)
{
	const struct cancel_ctx *c = ctx;
	json_t *in = json_object();
	char name[32];

	(void)lt;
	json_object_set_new(in, "stateId", json_string(c->state_id));
	strbuf_addf(decls, "%s$id%zu: String!, $in%zu: IssueUpdateInput!", decls->len ? ", " : "",
	            j, j);
	strbuf_addf(sels, "c%zu: issueUpdate(id: $id%zu, input: $in%zu) { success issue { id } } ",
	            j, j, j);
	snprintf(name, sizeof(name), "id%zu", j);
	json_object_set_new(vars, name, pm_json_str(c->ids[i]));
	snprintf(name, sizeof(name), "in%zu", j);
	json_object_set_new(vars, name, in);
	return 0;
}

int linear_cancel(struct tracker *t, const char *const *ids, size_t n,
                  struct tracker_outcome *outcomes)
{
	struct linear_tracker *lt = linear_tracker_of(t);
	const struct linear_state *state;
	struct cancel_ctx ctx = {ids, NULL};
	struct linear_alias_op op = {"IssueCancel", UPDATES_PER_DOC, ids, build_cancel, &ctx, NULL};
	int error;

	linear_outcomes_init(outcomes, n);
	if ((error = linear_tracker_prepare(lt)) >= 0) {
		state = linear_canceled_state(lt);
		if (state)
			ctx.state_id = state->id;
		else
			error = pm_error(
			        PM_ETRACKER,
			        "linear: team '%s' has no workflow state of type canceled: "
			        "add one in Linear or set sync.removed = keep in %s",
			        lt->team_key, linear_conf_name(lt));
	}
	if (error < 0)
		return linear_outcomes_finish(outcomes, n, error, op.op);
	return linear_run_aliased(lt, &op, n, outcomes);
}
