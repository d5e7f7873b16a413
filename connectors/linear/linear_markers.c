/*
 * pmsync's markers on Linear issues: an attachment whose URL points at the
 * item in its postmortem, subtitled "pmsync <repo>", with metadata naming
 * the repository, the item key, the postmortem's path and, as JSON text,
 * the fields pmsync last wrote. Here are that metadata both ways, the
 * markers of this repository the tracker last read or wrote on each issue,
 * and writing markers, in batches of fifty: each write deletes, in the same
 * document, the other markers of this repository on that issue, so that a
 * ticket carries one marker.
 */
#include "util/compat.h"

#include "connectors/linear/linear_int.h"

#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"

#define MARKERS_PER_DOC 50

void linear_written_json(struct strbuf *sb, const struct tracker_fields *f)
{
	json_t *o = tracker_fields_json(f);

	pm_json_dump(sb, o);
	json_decref(o);
}

bool linear_written_read(struct tracker_fields *f, json_t *written)
{
	struct strbuf where = STRBUF_INIT;
	json_t *parsed = NULL;
	const json_t *bad;
	const char *expected;
	bool ok;

	if (json_is_string(written))
		written = parsed = json_loads(json_string_value(written), 0, NULL);
	/* a marker that cannot be read is a marker without a record, not an error */
	ok = tracker_fields_from_json(f, written, &where, &expected, &bad);
	json_decref(parsed);
	strbuf_release(&where);
	return ok;
}

json_t *linear_marker_metadata(const struct tracker_marker *m, const char *repo_id)
{
	json_t *o = json_object();

	json_object_set_new(o, "pmsync", json_integer(1));
	json_object_set_new(o, "repo", pm_json_str(m->repo_id ? m->repo_id : repo_id));
	json_object_set_new(o, "key", pm_json_str(m->item_key));
	if (m->pm_path)
		json_object_set_new(o, "path", pm_json_str(m->pm_path));
	if (m->has_written) {
		/* metadata values must be strings or numbers: `written` is JSON text */
		struct strbuf sb = STRBUF_INIT;
		linear_written_json(&sb, &m->written);
		json_object_set_new(o, "written", pm_json_str(sb.buf));
		strbuf_release(&sb);
	}
	return o;
}

static void marker_forget(struct linear_tracker *lt, size_t i)
{
	linear_marker_ref_release(&lt->markers[i]);
	memmove(&lt->markers[i], &lt->markers[i + 1],
	        (lt->markers_nr - i - 1) * sizeof(*lt->markers));
	lt->markers_nr--;
}

/* Forgets the markers known on issue_id, except the one at keep_url (may be NULL). */
void linear_markers_forget(struct linear_tracker *lt, const char *issue_id, const char *keep_url)
{
	size_t i = lt->markers_nr;

	while (i--)
		if (!strcmp(lt->markers[i].issue_id, issue_id) &&
		    !(keep_url && !strcmp(lt->markers[i].url, keep_url)))
			marker_forget(lt, i);
}

/* A marker written at url on issue_id: it replaced the others there. */
void linear_marker_written(struct linear_tracker *lt, const char *issue_id, const char *url)
{
	struct linear_marker_ref *r;
	size_t i;

	linear_markers_forget(lt, issue_id, url);
	for (i = 0; i < lt->markers_nr; i++)
		if (!strcmp(lt->markers[i].issue_id, issue_id))
			return;
	ALLOC_GROW(lt->markers, lt->markers_nr + 1, lt->markers_alloc);
	r = &lt->markers[lt->markers_nr++];
	r->issue_id = xstrdup(issue_id);
	r->attachment_id = NULL; /* not asked for: never deleted by this run */
	r->url = xstrdup(url);
}

/* A marker on issue_id that writing one at url replaces (ours, elsewhere, deletable). */
static bool marker_stale(const struct linear_marker_ref *r, const char *issue_id, const char *url)
{
	return r->attachment_id && !strcmp(r->issue_id, issue_id) && strcmp(r->url, url);
}

json_t *linear_marker_input(struct linear_tracker *lt, const char *issue_id,
                            const struct tracker_marker *m, int *error)
{
	json_t *in;

	*error = 0;
	if (!m->url || !*m->url || !m->item_key || !*m->item_key) {
		*error = pm_error(PM_ETRACKER, "linear: marker for issue '%s' has no URL or key",
		                  issue_id);
		return NULL;
	}
	in = json_object();
	json_object_set_new(in, "issueId", pm_json_str(issue_id));
	json_object_set_new(
	        in, "title",
	        pm_json_str(m->title && *m->title ? m->title : "Postmortem action item"));
	json_object_set_new(in, "url", pm_json_str(m->url));
	json_object_set_new(in, "subtitle", pm_json_str(lt->subtitle));
	json_object_set_new(in, "metadata", linear_marker_metadata(m, lt->base.cfg->repo_id));
	return in;
}

/*
 * Appends, as fields m<j>d<k> of element j, the deletes of the markers that
 * writing one at url on issue_id replaces.
 */
void linear_add_deletes(const struct linear_tracker *lt, const char *issue_id, const char *url,
                        size_t j, struct strbuf *decls, struct strbuf *sels, json_t *vars)
{
	char name[48];
	size_t i, k = 0;

	for (i = 0; i < lt->markers_nr; i++) {
		if (!marker_stale(&lt->markers[i], issue_id, url))
			continue;
		snprintf(name, sizeof(name), "d%zu_%zu", j, k);
		strbuf_addf(decls, "%s$%s: String!", decls->len ? ", " : "", name);
		strbuf_addf(sels, "m%zud%zu: attachmentDelete(id: $%s) { success } ", j, k, name);
		json_object_set_new(vars, name, json_string(lt->markers[i].attachment_id));
		k++;
	}
}

/* The deletes 0..sub of a marker write at url on issue_id are done: forgets them. */
bool linear_forget_deleted(struct linear_tracker *lt, const char *issue_id, const char *url,
                           size_t sub)
{
	size_t i = 0, k = 0;

	while (i < lt->markers_nr && k <= sub) {
		if (!marker_stale(&lt->markers[i], issue_id, url)) {
			i++;
			continue;
		}
		marker_forget(lt, i);
		k++;
	}
	return k > 0;
}

struct markers_ctx {
	const char *const *ids;
	const struct tracker_marker *markers;
};

static int build_marker(struct linear_tracker *lt, const void *ctx, size_t i, size_t j,
                        struct strbuf *decls, struct strbuf *sels, json_t *vars)
{
	const struct markers_ctx *c = ctx;
	char name[32];
	json_t *in;
	int error;

	if (!(in = linear_marker_input(lt, c->ids[i], &c->markers[i], &error)))
		return error;
	snprintf(name, sizeof(name), "i%zu", j);
	strbuf_addf(decls, "%s$i%zu: AttachmentCreateInput!", decls->len ? ", " : "", j);
	strbuf_addf(sels, "m%zu: attachmentCreate(input: $i%zu) { success attachment { id } } ", j,
	            j);
	json_object_set_new(vars, name, in);
	/* after the new marker, so that a failure leaves the ticket linked */
	linear_add_deletes(lt, c->ids[i], c->markers[i].url, j, decls, sels, vars);
	return 0;
}

static bool marker_gone(struct linear_tracker *lt, const void *ctx, size_t i, size_t sub)
{
	const struct markers_ctx *c = ctx;

	return linear_forget_deleted(lt, c->ids[i], c->markers[i].url, sub);
}

int linear_markers_write(struct linear_tracker *lt, const char *const *ids,
                         const struct tracker_marker *markers, size_t n,
                         struct tracker_outcome *out)
{
	struct markers_ctx ctx = {ids, markers};
	struct linear_alias_op op = {"AttachmentMarkers", MARKERS_PER_DOC, ids, build_marker, &ctx,
	                             marker_gone};
	size_t i;
	int error;

	linear_outcomes_init(out, n);
	if ((error = linear_need_subtitle(lt)) < 0)
		return linear_outcomes_finish(out, n, error, op.op);
	error = linear_run_aliased(lt, &op, n, out);
	for (i = 0; i < n; i++)
		if (!out[i].code && markers[i].url)
			linear_marker_written(lt, ids[i], markers[i].url);
	return error;
}

int linear_set_markers(struct tracker *t, const char *const *ids,
                       const struct tracker_marker *markers, size_t n,
                       struct tracker_outcome *outcomes)
{
	return linear_markers_write(linear_tracker_of(t), ids, markers, n, outcomes);
}
