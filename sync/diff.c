/*
 * The three-way comparison of a linked ticket's fields. For each field, W
 * (what pmsync wrote last: the marker's record, else the state file's), T
 * (what the ticket holds) and D (what the postmortem wants) decide: T = D
 * is nothing to do; T = W with D changed is an update; D = W with T changed
 * is drift, reported and left alone; all three different is a conflict,
 * which --prefer-postmortem settles for the postmortem, as it does a
 * difference with no W at all. An adopted ticket, and a recovered one with
 * no record, count as written as they are, so that every difference is an
 * update. The comparison also builds the marker to write and tells whether
 * it must be rewritten.
 */
#include "util/compat.h"

#include "sync/sync_int.h"

#include <stdlib.h>

#include "mapping/mapping.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void field_names(struct strbuf *sb, unsigned mask)
{
	size_t i;

	for (i = 0; i < TRACKER_FIELDS_NR; i++) {
		if (!(mask & tracker_field_names[i].bit))
			continue;
		if (sb->len)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, tracker_field_names[i].name);
	}
}

static void copy_field(struct tracker_fields *dst, const struct tracker_fields *src, unsigned bit)
{
	switch (bit) {
	case TF_TITLE:
		free(dst->title);
		dst->title = xstrdup_or_null(src->title);
		break;
	case TF_DESCRIPTION:
		free(dst->description);
		dst->description = xstrdup_or_null(src->description);
		break;
	case TF_ASSIGNEE:
		free(dst->assignee_id);
		dst->assignee_id = xstrdup_or_null(src->assignee_id);
		break;
	case TF_DUE:
		free(dst->due);
		dst->due = xstrdup_or_null(src->due);
		break;
	case TF_PRIORITY:
		dst->priority = src->priority;
		break;
	case TF_LABELS: {
		size_t i;
		strlist_clear(&dst->labels);
		for (i = 0; i < src->labels.nr; i++)
			strlist_add(&dst->labels, src->labels.v[i]);
		break;
	}
	}
}

static bool marker_differs(const struct tracker_marker *a, const struct tracker_marker *b)
{
	if (!a->has_written || !b->has_written)
		return true;
	return !sync_str_eq(a->repo_id, b->repo_id) || !sync_str_eq(a->item_key, b->item_key) ||
	       !sync_str_eq(a->pm_path, b->pm_path) || !sync_str_eq(a->url, b->url) ||
	       !sync_str_eq(a->title, b->title) ||
	       tracker_fields_diff(&a->written, &b->written, TF_ALL) ||
	       a->written.priority != b->written.priority;
}

/*
 * Fills a change for an item that has its ticket: W (what pmsync wrote), T
 * (the ticket) and D (the desired fields) decide each field.
 */
int sync_compare(struct sync_ctx *x, struct sync_entry *e, struct sync_change *c)
{
	const struct tracker_ticket *tk = &c->ticket;
	const struct tracker_fields *W = NULL;
	const struct state_item *si = sync_state_item(x, e);
	struct tracker_fields nw;
	unsigned bit, unknown = 0;
	bool prefer = x->opts->prefer_postmortem;
	int error;

	/*
	 * An adopted ticket is taken as it is: pmsync has written nothing on it,
	 * so wherever the postmortem differs, it is a change to write now.
	 */
	if (c->kind == SYNC_ADOPT)
		W = &tk->fields;
	else if (tk->has_marker && tk->marker.has_written)
		W = &tk->marker.written;
	else if (si && si->has_written && sync_str_eq(si->ticket_id, tk->id))
		W = &si->written;
	else if (c->kind == SYNC_RECOVER)
		W = &tk->fields; /* what the interrupted run made */
	tracker_fields_init(&nw);
	for (bit = 1; bit & TF_ALL; bit <<= 1) {
		bool t_eq_d = !tracker_fields_diff(&tk->fields, &c->desired, bit);
		bool d_eq_w = W && !tracker_fields_diff(&c->desired, W, bit);
		bool t_eq_w = W && !tracker_fields_diff(&tk->fields, W, bit);

		if (t_eq_d) {
			copy_field(&nw, &c->desired, bit);
		} else if (!W) {
			unknown |= bit;
			c->conflict_mask |= bit;
			if (prefer)
				c->update_mask |= bit;
			/* Kept as desired: from now on the tracker's value is drift, left alone. */
			copy_field(&nw, &c->desired, bit);
		} else if (d_eq_w) {
			c->drift_mask |= bit;
			copy_field(&nw, W, bit);
		} else if (t_eq_w) {
			c->update_mask |= bit;
			copy_field(&nw, &c->desired, bit);
		} else {
			c->conflict_mask |= bit;
			if (prefer)
				c->update_mask |= bit;
			copy_field(&nw, prefer ? &c->desired : W, bit);
		}
	}
	error = mapping_marker(&c->marker, e->pm, e->item->key, x->cfg, &nw);
	tracker_fields_release(&nw);
	if (error < 0)
		return error;
	c->write_marker = c->kind == SYNC_RECOVER || c->kind == SYNC_ADOPT || !tk->has_marker ||
	                  marker_differs(&c->marker, &tk->marker);
	if (unknown && !prefer) {
		struct strbuf sb = STRBUF_INIT;
		field_names(&sb, unknown);
		sync_add_note(&c->note,
		              "no record of what pmsync wrote: %s left as the tracker has it",
		              sb.buf);
		strbuf_release(&sb);
	}
	if (c->kind == SYNC_UNCHANGED && (c->update_mask || c->write_marker))
		c->kind = SYNC_UPDATE;
	return 0;
}
