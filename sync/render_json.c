/*
 * A sync as JSON for scripts: a versioned document (SYNC_RENDER_JSON_VERSION)
 * with the revision, every change in (path, line) order with its action,
 * item, ticket, desired fields, the fields it changes (old and new), drift,
 * conflicts, note and, after applying, its outcome; then the summary counts.
 * Every string goes through jstr(), so that a byte that is not UTF-8 costs a
 * '?' rather than the field.
 */
#include "util/compat.h"

#include "sync/render_json.h"

#include <stdlib.h>

#include <jansson.h>

#include "sync/render.h"
#include "util/xalloc.h"

/* A JSON string, or null; bytes that are not UTF-8 become '?' rather than lose the field. */
static json_t *jstr(const char *s)
{
	json_t *j;
	char *copy;
	size_t i;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	copy = xstrdup(s);
	for (i = 0; copy[i]; i++)
		if ((unsigned char)copy[i] >= 0x80)
			copy[i] = '?';
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

static json_t *field_json(unsigned bit, const struct tracker_fields *f,
                          const struct sync_render_options *o)
{
	json_t *a;
	size_t i;

	switch (bit) {
	case TF_TITLE:
		return jstr(f->title);
	case TF_DESCRIPTION:
		return jstr(f->description);
	case TF_ASSIGNEE:
		if (!f->assignee_id)
			return json_null();
		return json_pack(
		        "{s:o,s:o}", "id", jstr(f->assignee_id), "name",
		        jstr(o->user_name ? o->user_name(o->user_data, f->assignee_id) : NULL));
	case TF_DUE:
		return jstr(f->due);
	case TF_PRIORITY:
		return f->priority < 0 ? json_null() : json_integer(f->priority);
	case TF_LABELS:
		a = json_array();
		for (i = 0; i < f->labels.nr; i++)
			json_array_append_new(a, jstr(f->labels.v[i]));
		return a;
	}
	return json_null();
}

static json_t *fields_json(const struct tracker_fields *f, const struct sync_render_options *o)
{
	json_t *j = json_object();
	size_t i;

	for (i = 0; i < TRACKER_FIELDS_NR; i++)
		json_object_set_new(j, tracker_field_names[i].name,
		                    field_json(tracker_field_names[i].bit, f, o));
	return j;
}

static json_t *change_json(const struct sync_change *c, const struct sync_render_options *o)
{
	json_t *j = json_object();
	json_t *changed = json_object(), *drift = json_array(), *conflicts = json_array();
	size_t i;

	json_object_set_new(j, "action", json_string(sync_render_kind_of(c->kind)->name));
	json_object_set_new(j, "key", jstr(c->key));
	json_object_set_new(j, "path", jstr(c->path));
	json_object_set_new(j, "line", c->line > 0 ? json_integer(c->line) : json_null());
	json_object_set_new(j, "title", jstr(sync_render_title(c)));
	if (c->has_ticket)
		json_object_set_new(j, "ticket",
		                    json_pack("{s:o,s:o,s:o,s:s}", "id", jstr(c->ticket.id), "ref",
		                              jstr(c->ticket.ref), "url", jstr(c->ticket.url),
		                              "status", sync_render_status_name(c->ticket.status)));
	else if (c->ticket_id)
		json_object_set_new(j, "ticket",
		                    json_pack("{s:o,s:n,s:n,s:n}", "id", jstr(c->ticket_id), "ref",
		                              "url", "status"));
	else
		json_object_set_new(j, "ticket", json_null());
	json_object_set_new(j, "fields",
	                    c->item || c->desired.title ? fields_json(&c->desired, o)
	                                                : json_null());
	for (i = 0; i < TRACKER_FIELDS_NR; i++) {
		unsigned bit = tracker_field_names[i].bit;

		if (c->update_mask & bit)
			json_object_set_new(
			        changed, tracker_field_names[i].name,
			        json_pack("{s:o,s:o}", "old",
			                  c->has_ticket ? field_json(bit, &c->ticket.fields, o)
			                                : json_null(),
			                  "new", field_json(bit, &c->desired, o)));
		if (c->conflict_mask & bit)
			json_array_append_new(
			        conflicts,
			        json_pack("{s:s,s:o,s:o,s:s}", "field", tracker_field_names[i].name,
			                  "tracker", field_json(bit, &c->ticket.fields, o),
			                  "postmortem", field_json(bit, &c->desired, o), "kept",
			                  (c->update_mask & bit) ? "postmortem" : "tracker"));
		else if (c->drift_mask & bit)
			json_array_append_new(
			        drift,
			        json_pack("{s:s,s:o,s:o}", "field", tracker_field_names[i].name,
			                  "written", field_json(bit, sync_render_written(c), o),
			                  "tracker", field_json(bit, &c->ticket.fields, o)));
	}
	json_object_set_new(j, "changed", changed);
	json_object_set_new(j, "link", json_boolean(c->write_marker));
	json_object_set_new(j, "drift", drift);
	json_object_set_new(j, "conflicts", conflicts);
	json_object_set_new(j, "note", jstr(c->note));
	if (!o->result || !sync_render_is_write(c->kind))
		json_object_set_new(j, "outcome", json_null());
	else if (sync_render_failed(c))
		json_object_set_new(j, "outcome",
		                    json_pack("{s:s,s:o}", "status", "failed", "error",
		                              jstr(c->message ? c->message : "failed")));
	else
		json_object_set_new(j, "outcome",
		                    json_pack("{s:s,s:n}", "status",
		                              sync_render_untried(c) ? "not-attempted" : "ok",
		                              "error"));
	return j;
}

void render_json_plan(struct strbuf *out, const struct sync_plan *plan,
                      const struct sync_render_options *o)
{
	const struct sync_change **v = sync_render_sorted(plan);
	json_t *root = json_object(), *changes = json_array(), *summary;
	struct sync_render_counts n;
	char *text;
	size_t i;

	sync_render_count(&n, plan);
	for (i = 0; i < plan->nr; i++)
		json_array_append_new(changes, change_json(v[i], o));
	summary =
	        json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "create",
	                  (json_int_t)n.create, "update", (json_int_t)n.update, "cancel",
	                  (json_int_t)n.cancel, "adopt", (json_int_t)n.adopt, "unchanged",
	                  (json_int_t)n.unchanged, "orphaned", (json_int_t)n.orphaned, "missing",
	                  (json_int_t)n.missing, "unknown", (json_int_t)n.unknown, "elsewhere",
	                  (json_int_t)n.elsewhere, "done_without_ticket",
	                  (json_int_t)n.done_no_ticket, "before_since", (json_int_t)n.before_since,
	                  "drift", (json_int_t)n.drift, "conflicts", (json_int_t)n.conflicts);
	json_object_set_new(summary, "inferred", json_integer((json_int_t)n.inferred));
	json_object_set_new(summary, "tickets",
	                    json_pack("{s:I,s:I,s:I}", "open", (json_int_t)n.open, "done",
	                              (json_int_t)n.done, "closed", (json_int_t)n.closed));
	json_object_set_new(summary, "pending", json_boolean(sync_render_pending(plan)));
	if (o->result) {
		json_object_set_new(summary, "succeeded", json_integer((json_int_t)n.succeeded));
		json_object_set_new(summary, "failed", json_integer((json_int_t)n.failed));
		json_object_set_new(summary, "not_attempted", json_integer((json_int_t)n.untried));
	}
	json_object_set_new(root, "version", json_integer(SYNC_RENDER_JSON_VERSION));
	json_object_set_new(root, "kind", json_string(o->result ? "result" : "plan"));
	json_object_set_new(root, "rev", jstr(plan->rev_id && *plan->rev_id ? plan->rev_id : NULL));
	json_object_set_new(root, "offline", json_boolean(plan->offline));
	json_object_set_new(root, "dry_run", json_boolean(plan->dry_run));
	json_object_set_new(root, "changes", changes);
	json_object_set_new(root, "summary", summary);
	/* ASCII only: a bidirectional override in a title cannot reorder the raw text */
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (text)
		strbuf_addstr(out, text);
	strbuf_addch(out, '\n');
	free(text);
	json_decref(root);
	free(v);
}
