/*
 * Linear mutations in batches, one outcome per element. Elements go as
 * aliased fields of one document (u3, m3d1: see linear_alias_parse()), a
 * window at a time, and Linear's errors are mapped back to the elements
 * their paths name. A document refused as a whole is split in halves to find
 * the element at fault; one whose answer a failed field nulled settles the
 * elements before the failure and sends the rest again; a marker to replace
 * that is gone already counts as deleted. An error that no later request
 * can escape stops the batch, and every element not settled carries it.
 */
#include "util/compat.h"

#include "connectors/linear/linear_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"

void linear_outcomes_init(struct tracker_outcome *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[i].code = LINEAR_PENDING;
		out[i].message = NULL;
	}
}

/* Settles pending outcomes and returns the operation's result (see linear.h). */
int linear_outcomes_finish(struct tracker_outcome *out, size_t n, int stop, const char *op)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (out[i].code != LINEAR_PENDING)
			continue;
		if (stop)
			tracker_outcome_set(&out[i], stop, "%s", pm_error_message());
		else
			tracker_outcome_set(&out[i], PM_ERROR, "linear: %s: not sent", op);
	}
	return stop;
}

/* True for Linear's answer to a reference to nothing ("Entity not found: Attachment"). */
static bool is_not_found(json_t *error)
{
	const char *m = json_string_value(json_object_get(error, "message"));

	return m && !strncmp(m, "Entity not found", 16);
}

static int run_window(struct linear_tracker *lt, const struct linear_alias_op *op,
                      const size_t *idx, size_t k, struct tracker_outcome *out, size_t *consumed);

static int run_all(struct linear_tracker *lt, const struct linear_alias_op *op, const size_t *idx,
                   size_t k, struct tracker_outcome *out)
{
	size_t pos = 0;
	int stop = 0;

	while (pos < k && !stop) {
		size_t consumed = 0;
		stop = run_window(lt, op, idx + pos, k - pos < op->per_doc ? k - pos : op->per_doc,
		                  out, &consumed);
		pos += consumed;
	}
	return stop;
}

/*
 * Sends elements idx[0..k) in one document. *consumed tells how many of them
 * are settled; the rest (after a failure that nulled the answer) go again.
 */
static int run_window(struct linear_tracker *lt, const struct linear_alias_op *op,
                      const size_t *idx, size_t k, struct tracker_outcome *out, size_t *consumed)
{
	struct strbuf decls = STRBUF_INIT, sels = STRBUF_INIT, doc = STRBUF_INIT;
	struct linear_reply r = LINEAR_REPLY_INIT;
	size_t *jmap = xcalloc(k, sizeof(*jmap)), *pos_of = xcalloc(k, sizeof(*pos_of));
	bool *gone = xcalloc(k, sizeof(*gone));
	json_t *vars = json_object(), *e, *v;
	size_t i, j, built = 0;
	long first_failed = -1;
	int error = 0, stop = 0;
	const char *key;

	*consumed = k;
	for (i = 0; i < k; i++) {
		size_t before_d = decls.len, before_s = sels.len;
		if ((error = op->build(lt, op->ctx, idx[i], built, &decls, &sels, vars)) < 0) {
			strbuf_setlen(&decls, before_d);
			strbuf_setlen(&sels, before_s);
			tracker_outcome_set(&out[idx[i]], error, "%s", pm_error_message());
			if (linear_is_stop(error, &r)) {
				stop = error;
				goto done;
			}
			continue;
		}
		if (sels.len == before_s) {
			tracker_outcome_release(&out[idx[i]]); /* nothing to write */
			continue;
		}
		jmap[built] = idx[i];
		pos_of[built] = i;
		built++;
	}
	if (!built)
		goto done;
	strbuf_addf(&doc, "mutation %s(%s) { %s}", op->op, decls.buf, sels.buf);
	error = linear_gql(lt, &r, op->op, doc.buf, vars, true, true);
	vars = NULL; /* stolen by linear_gql() */
	if (error < 0) {
		if (!linear_is_stop(error, &r) && error == PM_ETRACKER && r.errors && !r.data &&
		    built > 1) {
			/* refused before running: split to find the element at fault */
			linear_reply_release(&r);
			stop = run_all(lt, op, jmap, built / 2, out);
			if (!stop)
				stop = run_all(lt, op, jmap + built / 2, built - built / 2, out);
			goto done;
		}
		for (j = 0; j < built; j++)
			tracker_outcome_set(&out[jmap[j]], error, "%s", pm_error_message());
		if (linear_is_stop(error, &r))
			stop = error;
		goto done;
	}
	json_array_foreach(r.errors, i, e)
	{
		long sub;
		long a = linear_alias_parse(
		        json_string_value(json_array_get(json_object_get(e, "path"), 0)), &sub);
		if (a < 0 || (size_t)a >= built)
			continue;
		if (first_failed < 0 || a < first_failed)
			first_failed = a;
		/* a marker to replace that is gone already: as good as deleted */
		if (sub >= 0 && op->gone && is_not_found(e) &&
		    out[jmap[a]].code == LINEAR_PENDING &&
		    op->gone(lt, op->ctx, jmap[a], (size_t)sub)) {
			gone[a] = true;
			continue;
		}
		if (out[jmap[a]].code == LINEAR_PENDING)
			tracker_outcome_set(&out[jmap[a]], linear_error_code(e, r.status),
			                    "linear: %s: issue '%s': %s", op->op, op->ids[jmap[a]],
			                    linear_error_text(e));
	}
	if (!r.data) {
		/* a failed non-null field nulls the whole answer; fields run in order, so
		 * those before the first failure were applied and those after never ran;
		 * an element stopped by a gone attachment goes again without it */
		for (j = 0; first_failed >= 0 && j < (size_t)first_failed; j++)
			if (out[jmap[j]].code == LINEAR_PENDING)
				tracker_outcome_release(&out[jmap[j]]);
		*consumed = first_failed < 0     ? k
		            : gone[first_failed] ? pos_of[first_failed]
		                                 : pos_of[first_failed] + 1;
		goto done;
	}
	json_object_foreach(r.data, key, v)
	{
		long sub;
		long a = linear_alias_parse(key, &sub);
		if (a < 0 || (size_t)a >= built || out[jmap[a]].code != LINEAR_PENDING)
			continue;
		if (sub >= 0 && gone[a] && json_is_null(v))
			continue;
		if (!json_is_true(json_object_get(v, "success")))
			tracker_outcome_set(&out[jmap[a]], PM_ETRACKER,
			                    "linear: %s: issue '%s': Linear reported no success",
			                    op->op, op->ids[jmap[a]]);
	}
	for (j = 0; j < built; j++)
		if (out[jmap[j]].code == LINEAR_PENDING)
			tracker_outcome_release(&out[jmap[j]]);
done:
	json_decref(vars);
	linear_reply_release(&r);
	strbuf_release(&decls);
	strbuf_release(&sels);
	strbuf_release(&doc);
	free(jmap);
	free(pos_of);
	free(gone);
	return stop;
}

int linear_run_aliased(struct linear_tracker *lt, const struct linear_alias_op *op, size_t n,
                       struct tracker_outcome *out)
{
	size_t *idx = xcalloc(n ? n : 1, sizeof(*idx)), i;
	int stop;

	for (i = 0; i < n; i++)
		idx[i] = i;
	stop = run_all(lt, op, idx, n, out);
	free(idx);
	return linear_outcomes_finish(out, n, stop, op->op);
}
