/*
 * A sync as text for people, in the manner of `terraform plan`: one block
 * per change (`+` create, `~` update, `-` cancel, `<=` adopt or recover),
 * each with the item's path:line, the ticket and its fields as `old -> new`,
 * drift and conflicts marked with `!`; then what is left alone, in sections
 * of its own; then the ticket counts and one summary line. After applying,
 * the same shape in the past tense with the failures. Colours are ANSI
 * escapes, only when asked for. The Markdown rendering embeds this text and
 * shares its summary line.
 */
#include "util/compat.h"

#include "sync/render_text.h"

#include <stdlib.h>
#include <string.h>

#include "sync/render.h"
#include "util/error.h"

struct text {
	struct strbuf *out;
	const struct sync_render_options *o;
	struct strbuf tmp;
};

static void paint(struct text *t, const char *color)
{
	if (t->o->color && color && *color)
		strbuf_addstr(t->out, color);
}

static void unpaint(struct text *t, const char *color)
{
	if (t->o->color && color && *color)
		strbuf_addstr(t->out, SYNC_RENDER_RESET);
}

/* One `name: value` or `name: old -> new` line of a block, marked with `!` when flagged. */
static void text_field(struct text *t, bool flag, const char *name, const struct tracker_fields *a,
                       const struct tracker_fields *b, unsigned bit, const char *why)
{
	strbuf_addstr(t->out, "    ");
	if (flag) {
		paint(t, SYNC_RENDER_MAGENTA);
		strbuf_addstr(t->out, "! ");
	} else {
		strbuf_addstr(t->out, "  ");
	}
	strbuf_addf(t->out, "%s:%*s", name, (int)(12 - strlen(name)), "");
	strbuf_reset(&t->tmp);
	sync_render_value(&t->tmp, bit, b, t->o);
	if (a) {
		struct strbuf old = STRBUF_INIT;

		sync_render_value(&old, bit, a, t->o);
		/* Descriptions show as line counts: equal counts still differ. */
		if (bit == TF_DESCRIPTION && !strcmp(old.buf, t->tmp.buf)) {
			strbuf_setlen(&t->tmp, t->tmp.len - 1);
			strbuf_addstr(&t->tmp, ", edited)");
		} else {
			strbuf_addstr(&old, " -> ");
			strbuf_addbuf(&old, &t->tmp);
			strbuf_reset(&t->tmp);
			strbuf_addbuf(&t->tmp, &old);
		}
		strbuf_release(&old);
	}
	strbuf_addbuf(t->out, &t->tmp);
	if (why)
		strbuf_addf(t->out, " (%s)", why);
	if (flag)
		unpaint(t, SYNC_RENDER_MAGENTA);
	strbuf_addch(t->out, '\n');
}

/* The block's first line: what happens, to which ticket, from which row. */
static void block_head(struct text *t, const struct sync_change *c)
{
	const struct sync_render_kind *k = sync_render_kind_of(c->kind);
	const char *ref = sync_render_ticket_ref(c);
	const char *title = sync_render_title(c);

	paint(t, k->color);
	if (c->kind == SYNC_UNCHANGED)
		strbuf_addf(t->out, "  !  %s", c->conflict_mask ? "conflict" : "drift");
	else
		strbuf_addf(t->out, "  %-2s %s", k->sym, t->o->result ? k->done_verb : k->verb);
	if (ref) {
		strbuf_addch(t->out, ' ');
		sync_render_add_clean(t->out, ref);
	}
	unpaint(t, k->color);
	if (c->path) {
		strbuf_addch(t->out, ' ');
		sync_render_add_clean(t->out, c->path);
		if (c->line > 0)
			strbuf_addf(t->out, ":%d", c->line);
	}
	if (title && c->kind != SYNC_CREATE) {
		strbuf_addstr(t->out, " \"");
		sync_render_add_clean(t->out, title);
		strbuf_addch(t->out, '"');
	}
	strbuf_addch(t->out, '\n');
}

/* The fields of a ticket to create. */
static void create_fields(struct text *t, const struct sync_change *c)
{
	size_t i;

	for (i = 0; i < TRACKER_FIELDS_NR; i++) {
		unsigned bit = tracker_field_names[i].bit;

		/* Fields left unset say nothing to a reviewer; -v shows them all. */
		if (t->o->verbosity <= 0 &&
		    (bit == TF_DESCRIPTION || (bit == TF_PRIORITY && c->desired.priority < 0) ||
		     (bit == TF_LABELS && !c->desired.labels.nr)))
			continue;
		text_field(t, false, tracker_field_names[i].name, NULL, &c->desired,
		           tracker_field_names[i].bit, NULL);
	}
	if (t->o->verbosity > 0 && c->key)
		strbuf_addf(t->out, "      key:         %s\n", c->key);
}

/* Why an adoption, recovery or cancel happens, unless the engine's note says it better. */
static void kind_note(struct text *t, const struct sync_change *c)
{
	if (c->note)
		return;
	if (c->kind == SYNC_ADOPT)
		strbuf_addstr(t->out, "      # named in the postmortem: pmsync links it\n");
	if (c->kind == SYNC_RECOVER)
		strbuf_addstr(t->out,
		              "      # made by an interrupted run, found by its id: linked\n");
	if (c->kind == SYNC_CANCEL)
		strbuf_addstr(t->out,
		              "      # the item left its postmortem; sync.removed = cancel\n");
}

/* The fields of an existing ticket that change, conflict or drifted. */
static void changed_fields(struct text *t, const struct sync_change *c)
{
	struct strbuf why = STRBUF_INIT;
	size_t i;

	for (i = 0; i < TRACKER_FIELDS_NR; i++) {
		unsigned bit = tracker_field_names[i].bit;

		strbuf_reset(&why);
		if (c->conflict_mask & bit) {
			bool ours = c->update_mask & bit;

			strbuf_addf(&why, "changed in %s and in the postmortem: %s",
			            sync_render_tracker_name(t->o),
			            ours ? "the postmortem wins"
			                 : "left alone; --prefer-postmortem overwrites");
			text_field(t, true, tracker_field_names[i].name, &c->ticket.fields,
			           &c->desired, bit, why.buf);
		} else if (c->update_mask & bit) {
			text_field(t, false, tracker_field_names[i].name,
			           c->has_ticket ? &c->ticket.fields : NULL, &c->desired, bit,
			           NULL);
		} else if (c->drift_mask & bit) {
			strbuf_addf(&why, "changed in %s: left alone",
			            sync_render_tracker_name(t->o));
			text_field(t, true, tracker_field_names[i].name, sync_render_written(c),
			           &c->ticket.fields, bit, why.buf);
		}
	}
	strbuf_release(&why);
}

/* The link is rewritten with every update; only a new or moved one is news. */
static void link_line(struct text *t, const struct sync_change *c)
{
	const struct tracker_marker *m = &c->ticket.marker;

	if (!c->write_marker || c->kind == SYNC_CREATE || c->kind == SYNC_CANCEL || !c->has_ticket)
		return;
	if (!c->ticket.has_marker) {
		strbuf_addstr(t->out, "      link:        added, to the postmortem\n");
	} else if (m->pm_path && c->path && strcmp(m->pm_path, c->path)) {
		strbuf_addstr(t->out, "      link:        ");
		sync_render_add_clean(t->out, m->pm_path);
		strbuf_addstr(t->out, " -> ");
		sync_render_add_clean(t->out, c->path);
		strbuf_addch(t->out, '\n');
	}
}

/* The engine's note, and after apply what went wrong. */
static void block_tail(struct text *t, const struct sync_change *c)
{
	if (c->note) {
		strbuf_addstr(t->out, "      # ");
		sync_render_add_clean(t->out, c->note);
		strbuf_addch(t->out, '\n');
	}
	if (t->o->result && sync_render_failed(c)) {
		paint(t, SYNC_RENDER_RED);
		strbuf_addstr(t->out, "    ! failed: ");
		sync_render_add_clean(t->out, c->message ? c->message : pm_error_message());
		unpaint(t, SYNC_RENDER_RED);
		strbuf_addch(t->out, '\n');
	} else if (t->o->result && sync_render_untried(c)) {
		strbuf_addstr(t->out, "    ! not attempted\n");
	}
	strbuf_addch(t->out, '\n');
}

static void text_block(struct text *t, const struct sync_change *c)
{
	block_head(t, c);
	if (c->kind == SYNC_CREATE)
		create_fields(t, c);
	kind_note(t, c);
	if (c->kind != SYNC_CREATE)
		changed_fields(t, c);
	link_line(t, c);
	block_tail(t, c);
}

static const char *section_title(enum sync_kind k)
{
	switch (k) {
	case SYNC_ORPHANED:
		return "Orphaned tickets (their items left the postmortem; kept, "
		       "sync.removed = keep):";
	case SYNC_MISSING_PM:
		return "Tickets whose postmortem is missing at this revision (left alone):";
	case SYNC_UNKNOWN:
		return "Unknown: postmortems that cannot be read (their tickets are left "
		       "alone):";
	case SYNC_ELSEWHERE:
		return "Tracked elsewhere (not synced):";
	case SYNC_DONE_NO_TICKET:
		return "Done or canceled in the postmortem, without a ticket (not created):";
	case SYNC_INFERRED:
		return "Inferred, outside the Action items section (not created; "
		       "postmortems.inferred = create creates them):";
	case SYNC_BEFORE_SINCE:
		return "Before postmortems.since (not synced):";
	case SYNC_UNCHANGED:
		return "Unchanged:";
	default:
		return "";
	}
}

static void text_section(struct text *t, const struct sync_change **v, size_t nr,
                         enum sync_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < nr; i++) {
		const struct sync_change *c = v[i];
		const char *ref = sync_render_ticket_ref(c);
		const char *title = sync_render_title(c);

		if (c->kind != kind)
			continue;
		if (!n++)
			strbuf_addf(t->out, "%s\n", section_title(kind));
		strbuf_addstr(t->out, "  ");
		if (ref) {
			sync_render_add_clean(t->out, ref);
			strbuf_addch(t->out, ' ');
		}
		if (c->path) {
			sync_render_add_clean(t->out, c->path);
			if (c->line > 0)
				strbuf_addf(t->out, ":%d", c->line);
		}
		if (title) {
			strbuf_addstr(t->out, " \"");
			sync_render_add_clean(t->out, title);
			strbuf_addch(t->out, '"');
		}
		if (c->has_ticket && (kind == SYNC_UNCHANGED || kind == SYNC_ORPHANED))
			strbuf_addf(t->out, " (%s)", sync_render_status_name(c->ticket.status));
		/* The section's title already says what those notes would. */
		if (c->note && kind != SYNC_UNCHANGED && kind != SYNC_UNKNOWN &&
		    kind != SYNC_MISSING_PM) {
			strbuf_addstr(t->out, ": ");
			sync_render_add_clean(t->out, c->note);
		}
		strbuf_addch(t->out, '\n');
	}
	if (n)
		strbuf_addch(t->out, '\n');
}

/* "3 to create" / "3 created". */
void render_text_summary(struct strbuf *sb, const struct sync_plan *plan,
                         const struct sync_render_options *o)
{
	struct sync_render_counts n;
	size_t i, ok[4] = {0, 0, 0, 0};

	sync_render_count(&n, plan);
	if (!o->result) {
		if (!n.create && !n.update && !n.cancel && !n.adopt)
			strbuf_addstr(sb, "No changes.");
		else
			strbuf_addf(
			        sb,
			        "Plan: %zu to create, %zu to update, %zu to cancel, %zu to adopt.",
			        n.create, n.update, n.cancel, n.adopt);
	} else {
		for (i = 0; i < plan->nr; i++) {
			const struct sync_change *c = &plan->v[i];

			if (!sync_render_is_write(c->kind) || sync_render_failed(c) ||
			    sync_render_untried(c))
				continue;
			ok[c->kind == SYNC_CREATE   ? 0
			   : c->kind == SYNC_UPDATE ? 1
			   : c->kind == SYNC_CANCEL ? 2
			                            : 3]++;
		}
		if (!n.create && !n.update && !n.cancel && !n.adopt)
			strbuf_addstr(sb, "No changes.");
		else
			strbuf_addf(sb,
			            "Applied: %zu created, %zu updated, %zu canceled, %zu adopted",
			            ok[0], ok[1], ok[2], ok[3]);
		if (n.failed)
			strbuf_addf(sb, ", %zu failed", n.failed);
		if (n.untried)
			strbuf_addf(sb, ", %zu not attempted", n.untried);
		if (n.create || n.update || n.cancel || n.adopt)
			strbuf_addch(sb, '.');
	}
	if (n.drift)
		strbuf_addf(sb, " Drift: %zu ticket%s changed in %s (left alone).", n.drift,
		            n.drift == 1 ? "" : "s", sync_render_tracker_name(o));
	if (n.conflicts)
		strbuf_addf(sb, " Conflicts: %zu ticket%s changed on both sides.", n.conflicts,
		            n.conflicts == 1 ? "" : "s");
}

void render_text_plan(struct strbuf *out, const struct sync_plan *plan,
                      const struct sync_render_options *o)
{
	struct text t = {out, o, STRBUF_INIT};
	const struct sync_change **v = sync_render_sorted(plan);
	struct sync_render_counts n;
	size_t i, blocks = 0;

	sync_render_count(&n, plan);
	if (plan->offline && !o->result)
		strbuf_addf(out, "Planned offline from the state file: %s was not asked.\n\n",
		            sync_render_tracker_name(o));
	for (i = 0; i < plan->nr; i++)
		if (sync_render_has_block(v[i]))
			blocks++;
	if (blocks && !o->result)
		strbuf_addf(out, "pmsync will make these changes in %s%s%.12s:\n\n",
		            sync_render_tracker_name(o),
		            plan->rev_id && *plan->rev_id ? " for revision " : "",
		            plan->rev_id ? plan->rev_id : "");
	for (i = 0; i < plan->nr; i++)
		if (sync_render_has_block(v[i]))
			text_block(&t, v[i]);
	text_section(&t, v, plan->nr, SYNC_ORPHANED);
	text_section(&t, v, plan->nr, SYNC_MISSING_PM);
	text_section(&t, v, plan->nr, SYNC_UNKNOWN);
	text_section(&t, v, plan->nr, SYNC_ELSEWHERE);
	text_section(&t, v, plan->nr, SYNC_DONE_NO_TICKET);
	text_section(&t, v, plan->nr, SYNC_INFERRED);
	if (o->verbosity > 0) {
		text_section(&t, v, plan->nr, SYNC_BEFORE_SINCE);
		text_section(&t, v, plan->nr, SYNC_UNCHANGED);
	} else if (n.before_since) {
		strbuf_addf(out,
		            "%zu item%s in postmortems before postmortems.since: not synced.\n\n",
		            n.before_since, n.before_since == 1 ? "" : "s");
	}
	if (n.open + n.done + n.closed)
		strbuf_addf(out, "Tickets: %zu open, %zu done, %zu closed.\n", n.open, n.done,
		            n.closed);
	strbuf_addstr(out, o->color ? SYNC_RENDER_BOLD : "");
	render_text_summary(out, plan, o);
	strbuf_addstr(out, o->color ? SYNC_RENDER_RESET "\n" : "\n");
	free(v);
	strbuf_release(&t.tmp);
}
