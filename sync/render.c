/*
 * The user-facing shape of a sync: a plan that reads like `terraform plan`
 * (one block per change, `+` create, `~` update, `-` cancel, `<=` adopt or
 * recover, each with the item's path:line, the ticket and its fields as
 * `old -> new`, drift and conflicts marked with `!`), then what is left
 * alone in sections of its own, then one summary line. After applying, the
 * same shape in the past tense with the failures. The same facts come out as
 * versioned JSON for scripts and as Markdown for a pull-request comment.
 * Changes are sorted by (path, line) so that output is stable; text from
 * postmortems and the tracker is cleaned of control characters, and
 * anything shaped like a token is masked.
 */
#include "sync/render.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/error.h"
#include "util/xalloc.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_MAGENTA "\033[35m"

struct kind_info {
	const char *sym;
	const char *verb;      /* plan */
	const char *done_verb; /* result */
	const char *name;      /* JSON */
	const char *color;
};

static const struct kind_info kinds[] = {
        [SYNC_CREATE] = {"+", "create", "created", "create", C_GREEN},
        [SYNC_UPDATE] = {"~", "update", "updated", "update", C_YELLOW},
        [SYNC_ADOPT] = {"<=", "adopt", "adopted", "adopt", C_CYAN},
        [SYNC_RECOVER] = {"<=", "recover", "recovered", "recover", C_CYAN},
        [SYNC_UNCHANGED] = {"!", "drift", "drift", "unchanged", C_MAGENTA},
        [SYNC_ORPHANED] = {" ", "orphaned", "orphaned", "orphaned", ""},
        [SYNC_CANCEL] = {"-", "cancel", "canceled", "cancel", C_RED},
        [SYNC_ELSEWHERE] = {" ", "elsewhere", "elsewhere", "elsewhere", ""},
        [SYNC_DONE_NO_TICKET] = {" ", "skip", "skipped", "done-without-ticket", ""},
        [SYNC_BEFORE_SINCE] = {" ", "skip", "skipped", "before-since", ""},
        [SYNC_UNKNOWN] = {" ", "unknown", "unknown", "unknown", ""},
        [SYNC_MISSING_PM] = {" ", "missing", "missing", "missing-postmortem", ""},
};

static const struct kind_info *kind_of(enum sync_kind k)
{
	if ((size_t)k >= sizeof(kinds) / sizeof(kinds[0]) || !kinds[k].sym)
		return &kinds[SYNC_UNCHANGED];
	return &kinds[k];
}

static const struct {
	unsigned bit;
	const char *name;
} fields[] = {
        {TF_TITLE, "title"}, {TF_DESCRIPTION, "description"}, {TF_ASSIGNEE, "assignee"},
        {TF_DUE, "due"},     {TF_PRIORITY, "priority"},       {TF_LABELS, "labels"},
};
#define FIELDS_NR (sizeof(fields) / sizeof(fields[0]))

static bool is_write(enum sync_kind k)
{
	return k == SYNC_CREATE || k == SYNC_UPDATE || k == SYNC_ADOPT || k == SYNC_RECOVER ||
	       k == SYNC_CANCEL;
}

/* Adoption and recovery link a ticket as it is: its differences are not drift. */
static bool is_link(enum sync_kind k)
{
	return k == SYNC_ADOPT || k == SYNC_RECOVER;
}

/* A change that gets a block of its own: a write, or drift and conflicts to
 * report. */
static bool has_block(const struct sync_change *c)
{
	return is_write(c->kind) ||
	       (c->kind == SYNC_UNCHANGED && (c->drift_mask || c->conflict_mask));
}

static bool failed(const struct sync_change *c)
{
	return c->outcome != 0;
}

static bool untried(const struct sync_change *c)
{
	return is_write(c->kind) && !c->applied && c->outcome == 0;
}

int sync_render_parse_format(enum sync_render_format *out, const char *name)
{
	if (!strcmp(name, "text"))
		*out = SYNC_RENDER_TEXT;
	else if (!strcmp(name, "json"))
		*out = SYNC_RENDER_JSON;
	else if (!strcmp(name, "markdown") || !strcmp(name, "md"))
		*out = SYNC_RENDER_MARKDOWN;
	else
		return pm_error(PM_EUSAGE, "unknown format '%s': use text, json or markdown", name);
	return 0;
}

void sync_render_count(struct sync_render_counts *out, const struct sync_plan *plan)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < plan->nr; i++) {
		const struct sync_change *c = &plan->v[i];

		switch (c->kind) {
		case SYNC_CREATE:
			out->create++;
			break;
		case SYNC_UPDATE:
			out->update++;
			break;
		case SYNC_ADOPT:
		case SYNC_RECOVER:
			out->adopt++;
			break;
		case SYNC_UNCHANGED:
			out->unchanged++;
			break;
		case SYNC_ORPHANED:
			out->orphaned++;
			break;
		case SYNC_CANCEL:
			out->cancel++;
			break;
		case SYNC_ELSEWHERE:
			out->elsewhere++;
			break;
		case SYNC_DONE_NO_TICKET:
			out->done_no_ticket++;
			break;
		case SYNC_BEFORE_SINCE:
			out->before_since++;
			break;
		case SYNC_UNKNOWN:
			out->unknown++;
			break;
		case SYNC_MISSING_PM:
			out->missing++;
			break;
		}
		if (c->drift_mask && !is_link(c->kind))
			out->drift++;
		if (c->conflict_mask)
			out->conflicts++;
		if (c->has_ticket) {
			if (c->ticket.status == TRACKER_OPEN)
				out->open++;
			else if (c->ticket.status == TRACKER_DONE)
				out->done++;
			else
				out->closed++;
		}
		if (failed(c))
			out->failed++;
		else if (untried(c))
			out->untried++;
		else if (is_write(c->kind))
			out->succeeded++;
	}
}

bool sync_render_pending(const struct sync_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nr; i++)
		if (is_write(plan->v[i].kind))
			return true;
	return false;
}

/* Order of output: path, line, key, then ticket. */
static int cmp_change(const void *pa, const void *pb)
{
	const struct sync_change *a = *(const struct sync_change *const *)pa;
	const struct sync_change *b = *(const struct sync_change *const *)pb;
	int r = strcmp(a->path ? a->path : "", b->path ? b->path : "");

	if (r)
		return r;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	r = strcmp(a->key ? a->key : "", b->key ? b->key : "");
	if (r)
		return r;
	return strcmp(a->has_ticket && a->ticket.ref ? a->ticket.ref : "",
	              b->has_ticket && b->ticket.ref ? b->ticket.ref : "");
}

static const struct sync_change **sorted(const struct sync_plan *plan)
{
	const struct sync_change **v = xcalloc(plan->nr + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < plan->nr; i++)
		v[i] = &plan->v[i];
	if (plan->nr > 1)
		qsort(v, plan->nr, sizeof(*v), cmp_change);
	return v;
}

/* Appends s with control characters (terminal escapes, newlines) made spaces.
 */
static void add_clean(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		strbuf_addch(sb, ((unsigned char)*s < 0x20 || *s == 0x7f) ? ' ' : *s);
}

static const char *ticket_ref(const struct sync_change *c)
{
	if (c->has_ticket && c->ticket.ref)
		return c->ticket.ref;
	if (c->has_ticket && c->ticket.id)
		return c->ticket.id;
	return NULL;
}

static const char *change_title(const struct sync_change *c)
{
	if (c->desired.title)
		return c->desired.title;
	if (c->item && c->item->text)
		return c->item->text;
	if (c->has_ticket)
		return c->ticket.fields.title;
	return NULL;
}

static const char *status_name(enum tracker_status s)
{
	switch (s) {
	case TRACKER_OPEN:
		return "open";
	case TRACKER_DONE:
		return "done";
	case TRACKER_CANCELED:
		return "canceled";
	case TRACKER_AUTOCLOSED:
		return "autoclosed";
	}
	return "open";
}

static const char *priority_name(int p)
{
	static const char *const names[] = {"none", "urgent", "high", "medium", "low"};

	if (p < 0)
		return NULL;
	return p < 5 ? names[p] : "other";
}

static size_t count_lines(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		if (*s == '\n' && s[1])
			n++;
	return n;
}

/* Appends one field's value as people read it (cleaned, unquoted except
 * titles). */
static void add_value(struct strbuf *sb, unsigned bit, const struct tracker_fields *f,
                      const struct sync_render_options *o)
{
	size_t i;

	switch (bit) {
	case TF_TITLE:
		if (!f->title)
			break;
		strbuf_addch(sb, '"');
		add_clean(sb, f->title);
		strbuf_addch(sb, '"');
		return;
	case TF_DESCRIPTION:
		if (!f->description || !*f->description)
			break;
		strbuf_addf(sb, "(%zu lines)", count_lines(f->description));
		return;
	case TF_ASSIGNEE: {
		const char *name = NULL;

		if (!f->assignee_id)
			break;
		if (o->user_name)
			name = o->user_name(o->user_data, f->assignee_id);
		add_clean(sb, name ? name : f->assignee_id);
		return;
	}
	case TF_DUE:
		if (!f->due)
			break;
		add_clean(sb, f->due);
		return;
	case TF_PRIORITY:
		if (f->priority < 0)
			break;
		strbuf_addf(sb, "%d (%s)", f->priority, priority_name(f->priority));
		return;
	case TF_LABELS:
		if (!f->labels.nr)
			break;
		for (i = 0; i < f->labels.nr; i++) {
			if (i)
				strbuf_addstr(sb, ", ");
			add_clean(sb, f->labels.v[i]);
		}
		return;
	}
	strbuf_addstr(sb, "(none)");
}

/* What pmsync last wrote to the ticket, the base of drift; desired when
 * unknown. */
static const struct tracker_fields *written(const struct sync_change *c)
{
	if (c->has_ticket && c->ticket.has_marker && c->ticket.marker.has_written)
		return &c->ticket.marker.written;
	if (c->marker.has_written)
		return &c->marker.written;
	return &c->desired;
}

/* ---- text ---- */

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
		strbuf_addstr(t->out, C_RESET);
}

static const char *tracker_name(const struct sync_render_options *o)
{
	return o->tracker_name ? o->tracker_name : "the tracker";
}

/* One `name: value` or `name: old -> new` line of a block, marked with `!` when
 * flagged. */
static void text_field(struct text *t, bool flag, const char *name, const struct tracker_fields *a,
                       const struct tracker_fields *b, unsigned bit, const char *why)
{
	strbuf_addstr(t->out, "    ");
	if (flag) {
		paint(t, C_MAGENTA);
		strbuf_addstr(t->out, "! ");
	} else {
		strbuf_addstr(t->out, "  ");
	}
	strbuf_addf(t->out, "%s:%*s", name, (int)(12 - strlen(name)), "");
	strbuf_reset(&t->tmp);
	add_value(&t->tmp, bit, b, t->o);
	if (a) {
		struct strbuf old = STRBUF_INIT;

		add_value(&old, bit, a, t->o);
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
		unpaint(t, C_MAGENTA);
	strbuf_addch(t->out, '\n');
}

static void text_block(struct text *t, const struct sync_change *c)
{
	const struct kind_info *k = kind_of(c->kind);
	const char *ref = ticket_ref(c);
	const char *title = change_title(c);
	struct strbuf why = STRBUF_INIT;
	size_t i;

	paint(t, k->color);
	if (c->kind == SYNC_UNCHANGED)
		strbuf_addf(t->out, "  !  %s", c->conflict_mask ? "conflict" : "drift");
	else
		strbuf_addf(t->out, "  %-2s %s", k->sym, t->o->result ? k->done_verb : k->verb);
	if (ref) {
		strbuf_addch(t->out, ' ');
		add_clean(t->out, ref);
	}
	unpaint(t, k->color);
	if (c->path) {
		strbuf_addch(t->out, ' ');
		add_clean(t->out, c->path);
		if (c->line > 0)
			strbuf_addf(t->out, ":%d", c->line);
	}
	if (title && c->kind != SYNC_CREATE) {
		strbuf_addstr(t->out, " \"");
		add_clean(t->out, title);
		strbuf_addch(t->out, '"');
	}
	strbuf_addch(t->out, '\n');

	if (c->kind == SYNC_CREATE) {
		for (i = 0; i < FIELDS_NR; i++) {
			unsigned bit = fields[i].bit;

			/* Fields left unset say nothing to a reviewer; -v shows them all. */
			if (t->o->verbosity <= 0 &&
			    (bit == TF_DESCRIPTION ||
			     (bit == TF_PRIORITY && c->desired.priority < 0) ||
			     (bit == TF_LABELS && !c->desired.labels.nr)))
				continue;
			text_field(t, false, fields[i].name, NULL, &c->desired, fields[i].bit,
			           NULL);
		}
		if (t->o->verbosity > 0 && c->key)
			strbuf_addf(t->out, "      key:         %s\n", c->key);
	}
	/* The engine's note says it better when there is one. */
	if (c->kind == SYNC_ADOPT && !c->note)
		strbuf_addstr(t->out, "      # named in the postmortem: pmsync links it\n");
	if (c->kind == SYNC_RECOVER && !c->note)
		strbuf_addstr(t->out,
		              "      # made by an interrupted run, found by its id: linked\n");
	if (c->kind == SYNC_CANCEL && !c->note)
		strbuf_addstr(t->out,
		              "      # the item left its postmortem; sync.removed = cancel\n");
	for (i = 0; c->kind != SYNC_CREATE && i < FIELDS_NR; i++) {
		unsigned bit = fields[i].bit;

		strbuf_reset(&why);
		if (c->conflict_mask & bit) {
			bool ours = c->update_mask & bit;

			strbuf_addf(&why, "changed in %s and in the postmortem: %s",
			            tracker_name(t->o),
			            ours ? "the postmortem wins"
			                 : "left alone; --prefer-postmortem overwrites");
			text_field(t, true, fields[i].name, &c->ticket.fields, &c->desired, bit,
			           why.buf);
		} else if (c->update_mask & bit) {
			text_field(t, false, fields[i].name,
			           c->has_ticket ? &c->ticket.fields : NULL, &c->desired, bit,
			           NULL);
		} else if ((c->drift_mask & bit) && is_link(c->kind)) {
			/* Linked as the tracker has it; the next sync writes the postmortem's. */
			text_field(t, false, fields[i].name, &c->ticket.fields, &c->desired, bit,
			           "next sync");
		} else if (c->drift_mask & bit) {
			strbuf_addf(&why, "changed in %s: left alone", tracker_name(t->o));
			text_field(t, true, fields[i].name, written(c), &c->ticket.fields, bit,
			           why.buf);
		}
	}
	/* The link is rewritten with every update; only a new or moved one is news. */
	if (c->write_marker && c->kind != SYNC_CREATE && c->kind != SYNC_CANCEL && c->has_ticket) {
		const struct tracker_marker *m = &c->ticket.marker;

		if (!c->ticket.has_marker) {
			strbuf_addstr(t->out, "      link:        added, to the postmortem\n");
		} else if (m->pm_path && c->path && strcmp(m->pm_path, c->path)) {
			strbuf_addstr(t->out, "      link:        ");
			add_clean(t->out, m->pm_path);
			strbuf_addstr(t->out, " -> ");
			add_clean(t->out, c->path);
			strbuf_addch(t->out, '\n');
		}
	}
	if (c->note) {
		strbuf_addstr(t->out, "      # ");
		add_clean(t->out, c->note);
		strbuf_addch(t->out, '\n');
	}
	if (t->o->result && failed(c)) {
		paint(t, C_RED);
		strbuf_addstr(t->out, "    ! failed: ");
		add_clean(t->out, c->message ? c->message : pm_error_message());
		unpaint(t, C_RED);
		strbuf_addch(t->out, '\n');
	} else if (t->o->result && untried(c)) {
		strbuf_addstr(t->out, "    ! not attempted\n");
	}
	strbuf_addch(t->out, '\n');
	strbuf_release(&why);
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
		return "Done in the postmortem without a ticket (not created):";
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
		const char *ref = ticket_ref(c);
		const char *title = change_title(c);

		if (c->kind != kind)
			continue;
		if (!n++)
			strbuf_addf(t->out, "%s\n", section_title(kind));
		strbuf_addstr(t->out, "  ");
		if (ref) {
			add_clean(t->out, ref);
			strbuf_addch(t->out, ' ');
		}
		if (c->path) {
			add_clean(t->out, c->path);
			if (c->line > 0)
				strbuf_addf(t->out, ":%d", c->line);
		}
		if (title) {
			strbuf_addstr(t->out, " \"");
			add_clean(t->out, title);
			strbuf_addch(t->out, '"');
		}
		if (c->has_ticket && (kind == SYNC_UNCHANGED || kind == SYNC_ORPHANED))
			strbuf_addf(t->out, " (%s)", status_name(c->ticket.status));
		/* The section's title already says what those notes would. */
		if (c->note && kind != SYNC_UNCHANGED && kind != SYNC_UNKNOWN &&
		    kind != SYNC_MISSING_PM) {
			strbuf_addstr(t->out, ": ");
			add_clean(t->out, c->note);
		}
		strbuf_addch(t->out, '\n');
	}
	if (n)
		strbuf_addch(t->out, '\n');
}

/* "3 to create" / "3 created". */
static void summary_line(struct strbuf *sb, const struct sync_plan *plan,
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

			if (!is_write(c->kind) || failed(c) || untried(c))
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
		            n.drift == 1 ? "" : "s", tracker_name(o));
	if (n.conflicts)
		strbuf_addf(sb, " Conflicts: %zu ticket%s changed on both sides.", n.conflicts,
		            n.conflicts == 1 ? "" : "s");
}

static void render_text(struct strbuf *out, const struct sync_plan *plan,
                        const struct sync_render_options *o)
{
	struct text t = {out, o, STRBUF_INIT};
	const struct sync_change **v = sorted(plan);
	struct sync_render_counts n;
	size_t i, blocks = 0;

	sync_render_count(&n, plan);
	if (plan->offline && !o->result)
		strbuf_addf(out, "Planned offline from the state file: %s was not asked.\n\n",
		            tracker_name(o));
	for (i = 0; i < plan->nr; i++)
		if (has_block(v[i]))
			blocks++;
	if (blocks && !o->result)
		strbuf_addf(out, "pmsync will make these changes in %s%s%.12s:\n\n",
		            tracker_name(o), plan->rev_id && *plan->rev_id ? " for revision " : "",
		            plan->rev_id ? plan->rev_id : "");
	for (i = 0; i < plan->nr; i++)
		if (has_block(v[i]))
			text_block(&t, v[i]);
	text_section(&t, v, plan->nr, SYNC_ORPHANED);
	text_section(&t, v, plan->nr, SYNC_MISSING_PM);
	text_section(&t, v, plan->nr, SYNC_UNKNOWN);
	text_section(&t, v, plan->nr, SYNC_ELSEWHERE);
	text_section(&t, v, plan->nr, SYNC_DONE_NO_TICKET);
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
	strbuf_addstr(out, o->color ? C_BOLD : "");
	summary_line(out, plan, o);
	strbuf_addstr(out, o->color ? C_RESET "\n" : "\n");
	free(v);
	strbuf_release(&t.tmp);
}

/* ---- JSON ---- */

/* A JSON string, or null; bytes that are not UTF-8 become '?' rather than lose
 * the field. */
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

	for (i = 0; i < FIELDS_NR; i++)
		json_object_set_new(j, fields[i].name, field_json(fields[i].bit, f, o));
	return j;
}

static json_t *change_json(const struct sync_change *c, const struct sync_render_options *o)
{
	json_t *j = json_object();
	json_t *changed = json_object(), *drift = json_array(), *conflicts = json_array();
	size_t i;

	json_object_set_new(j, "action", json_string(kind_of(c->kind)->name));
	json_object_set_new(j, "key", jstr(c->key));
	json_object_set_new(j, "path", jstr(c->path));
	json_object_set_new(j, "line", c->line > 0 ? json_integer(c->line) : json_null());
	json_object_set_new(j, "title", jstr(change_title(c)));
	if (c->has_ticket)
		json_object_set_new(j, "ticket",
		                    json_pack("{s:o,s:o,s:o,s:s}", "id", jstr(c->ticket.id), "ref",
		                              jstr(c->ticket.ref), "url", jstr(c->ticket.url),
		                              "status", status_name(c->ticket.status)));
	else if (c->ticket_id)
		json_object_set_new(j, "ticket",
		                    json_pack("{s:o,s:n,s:n,s:n}", "id", jstr(c->ticket_id), "ref",
		                              "url", "status"));
	else
		json_object_set_new(j, "ticket", json_null());
	json_object_set_new(j, "fields",
	                    c->item || c->desired.title ? fields_json(&c->desired, o)
	                                                : json_null());
	for (i = 0; i < FIELDS_NR; i++) {
		unsigned bit = fields[i].bit;

		if ((c->update_mask & bit) || ((c->drift_mask & bit) && is_link(c->kind)))
			json_object_set_new(
			        changed, fields[i].name,
			        json_pack("{s:o,s:o}", "old",
			                  c->has_ticket ? field_json(bit, &c->ticket.fields, o)
			                                : json_null(),
			                  "new", field_json(bit, &c->desired, o)));
		if (c->conflict_mask & bit)
			json_array_append_new(
			        conflicts,
			        json_pack("{s:s,s:o,s:o,s:s}", "field", fields[i].name, "tracker",
			                  field_json(bit, &c->ticket.fields, o), "postmortem",
			                  field_json(bit, &c->desired, o), "kept",
			                  (c->update_mask & bit) ? "postmortem" : "tracker"));
		else if ((c->drift_mask & bit) && !is_link(c->kind))
			json_array_append_new(
			        drift, json_pack("{s:s,s:o,s:o}", "field", fields[i].name,
			                         "written", field_json(bit, written(c), o),
			                         "tracker", field_json(bit, &c->ticket.fields, o)));
	}
	json_object_set_new(j, "changed", changed);
	json_object_set_new(j, "link", json_boolean(c->write_marker));
	json_object_set_new(j, "drift", drift);
	json_object_set_new(j, "conflicts", conflicts);
	json_object_set_new(j, "note", jstr(c->note));
	if (!o->result || !is_write(c->kind))
		json_object_set_new(j, "outcome", json_null());
	else if (failed(c))
		json_object_set_new(j, "outcome",
		                    json_pack("{s:s,s:o}", "status", "failed", "error",
		                              jstr(c->message ? c->message : "failed")));
	else
		json_object_set_new(j, "outcome",
		                    json_pack("{s:s,s:n}", "status",
		                              untried(c) ? "not-attempted" : "ok", "error"));
	return j;
}

static void render_json(struct strbuf *out, const struct sync_plan *plan,
                        const struct sync_render_options *o)
{
	const struct sync_change **v = sorted(plan);
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
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text)
		strbuf_addstr(out, text);
	strbuf_addch(out, '\n');
	free(text);
	json_decref(root);
	free(v);
}

/* ---- Markdown ---- */

/* Appends s safe inside a table cell: no markup, no HTML, no @-mentions, one
 * line. */
static void md_text(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			strbuf_addch(sb, ' ');
		else if (ch == '<')
			strbuf_addstr(sb, "&lt;");
		else if (ch == '>')
			strbuf_addstr(sb, "&gt;");
		else if (ch == '&')
			strbuf_addstr(sb, "&amp;");
		else if (ch == '@')
			strbuf_addstr(sb, "&#64;");
		else if (strchr("\\`*_[]|#~!", ch))
			strbuf_addf(sb, "\\%c", ch);
		else
			strbuf_addch(sb, ch);
	}
}

/* Appends [text](url), or text alone when there is no URL. */
static void md_link(struct strbuf *sb, const char *text, const char *url)
{
	if (!url || strncmp(url, "http", 4)) {
		md_text(sb, text);
		return;
	}
	strbuf_addch(sb, '[');
	md_text(sb, text);
	strbuf_addstr(sb, "](");
	for (; *url; url++) {
		unsigned char ch = (unsigned char)*url;

		if (ch <= 0x20 || ch >= 0x7f || strchr("()<>\"'`|\\", ch))
			strbuf_addf(sb, "%%%02X", ch);
		else
			strbuf_addch(sb, ch);
	}
	strbuf_addch(sb, ')');
}

static void md_item(struct strbuf *sb, const struct sync_change *c)
{
	struct strbuf where = STRBUF_INIT;

	if (c->path) {
		strbuf_addstr(&where, c->path);
		if (c->line > 0)
			strbuf_addf(&where, ":%d", c->line);
	}
	md_link(sb, where.buf, c->pm ? c->pm->url : NULL);
	strbuf_release(&where);
}

static void md_ticket(struct strbuf *sb, const struct sync_change *c)
{
	const char *ref = ticket_ref(c);

	if (ref)
		md_link(sb, ref, c->ticket.url);
}

/* One field as `name: old → new` in a cell. */
static void md_field(struct strbuf *sb, const char *name, const struct tracker_fields *a,
                     const struct tracker_fields *b, unsigned bit, const char *why,
                     const struct sync_render_options *o)
{
	struct strbuf v = STRBUF_INIT;

	strbuf_addstr(sb, "<br>");
	if (why)
		strbuf_addstr(sb, "**!** ");
	strbuf_addf(sb, "%s: ", name);
	if (a) {
		add_value(&v, bit, a, o);
		md_text(sb, v.buf);
		strbuf_addstr(sb, " \u2192 ");
		strbuf_reset(&v);
	}
	add_value(&v, bit, b, o);
	md_text(sb, v.buf);
	if (why) {
		strbuf_addstr(sb, " (");
		md_text(sb, why);
		strbuf_addch(sb, ')');
	}
	strbuf_release(&v);
}

static void md_row(struct strbuf *sb, const struct sync_change *c,
                   const struct sync_render_options *o)
{
	const struct kind_info *k = kind_of(c->kind);
	const char *title = change_title(c);
	struct strbuf why = STRBUF_INIT;
	size_t i;

	strbuf_addf(&why, "changed in %s: left alone", tracker_name(o));
	if (c->kind == SYNC_UNCHANGED)
		strbuf_addf(sb, "| `!` %s | ", c->conflict_mask ? "conflict" : "drift");
	else
		strbuf_addf(sb, "| `%s` %s | ", k->sym, o->result ? k->done_verb : k->verb);
	md_item(sb, c);
	strbuf_addstr(sb, " | ");
	md_ticket(sb, c);
	strbuf_addstr(sb, " | ");
	if (title)
		md_text(sb, title);
	for (i = 0; c->kind != SYNC_CREATE && i < FIELDS_NR; i++) {
		unsigned bit = fields[i].bit;

		if (c->conflict_mask & bit)
			md_field(sb, fields[i].name, &c->ticket.fields, &c->desired, bit,
			         (c->update_mask & bit)
			                 ? "changed on both sides: the postmortem wins"
			                 : "changed on both sides: left alone",
			         o);
		else if (c->update_mask & bit)
			md_field(sb, fields[i].name, c->has_ticket ? &c->ticket.fields : NULL,
			         &c->desired, bit, NULL, o);
		else if ((c->drift_mask & bit) && is_link(c->kind))
			md_field(sb, fields[i].name, &c->ticket.fields, &c->desired, bit, NULL, o);
		else if (c->drift_mask & bit)
			md_field(sb, fields[i].name, written(c), &c->ticket.fields, bit, why.buf,
			         o);
	}
	if (o->result && failed(c)) {
		strbuf_addstr(sb, "<br>**failed:** ");
		md_text(sb, c->message ? c->message : "failed");
	} else if (o->result && untried(c)) {
		strbuf_addstr(sb, "<br>**not attempted**");
	}
	strbuf_addstr(sb, " |\n");
	strbuf_release(&why);
}

static void md_section(struct strbuf *sb, const struct sync_change **v, size_t nr,
                       enum sync_kind kind)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		const char *title = change_title(v[i]);

		if (v[i]->kind != kind)
			continue;
		strbuf_addf(sb, "- %s ", kind_of(kind)->name);
		if (ticket_ref(v[i])) {
			md_ticket(sb, v[i]);
			strbuf_addch(sb, ' ');
		}
		md_item(sb, v[i]);
		if (title) {
			strbuf_addstr(sb, ": ");
			md_text(sb, title);
		}
		strbuf_addch(sb, '\n');
	}
}

static void render_markdown(struct strbuf *out, const struct sync_plan *plan,
                            const struct sync_render_options *o)
{
	const struct sync_change **v = sorted(plan);
	struct sync_render_options plain = *o;
	struct strbuf text = STRBUF_INIT;
	struct sync_render_counts n;
	size_t i, run = 0, longest = 0, blocks = 0;
	size_t left_alone;

	sync_render_count(&n, plan);
	strbuf_addf(out, "### pmsync %s\n\n", o->result ? "sync" : "plan");
	strbuf_addstr(out, "**");
	summary_line(out, plan, o);
	strbuf_addstr(out, "**\n\n");
	if (plan->offline && !o->result)
		strbuf_addf(out, "> Planned offline from the state file: %s was not asked.\n\n",
		            tracker_name(o));
	for (i = 0; i < plan->nr; i++)
		if (has_block(v[i]))
			blocks++;
	if (blocks) {
		strbuf_addstr(out, "| | Item | Ticket | Change |\n|---|---|---|---|\n");
		for (i = 0; i < plan->nr; i++)
			if (has_block(v[i]))
				md_row(out, v[i], o);
		strbuf_addch(out, '\n');
	}
	left_alone = n.orphaned + n.missing + n.unknown + n.elsewhere + n.done_no_ticket;
	if (left_alone) {
		strbuf_addf(out, "<details><summary>Left alone: %zu</summary>\n\n", left_alone);
		md_section(out, v, plan->nr, SYNC_ORPHANED);
		md_section(out, v, plan->nr, SYNC_MISSING_PM);
		md_section(out, v, plan->nr, SYNC_UNKNOWN);
		md_section(out, v, plan->nr, SYNC_ELSEWHERE);
		md_section(out, v, plan->nr, SYNC_DONE_NO_TICKET);
		strbuf_addstr(out, "\n</details>\n\n");
	}
	plain.format = SYNC_RENDER_TEXT;
	plain.color = false;
	render_text(&text, plan, &plain);
	for (i = 0; i < text.len; i++) {
		run = text.buf[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	strbuf_addstr(out, "<details><summary>Details</summary>\n\n");
	for (i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		strbuf_addch(out, '`');
	strbuf_addstr(out, "text\n");
	strbuf_addbuf(out, &text);
	for (i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		strbuf_addch(out, '`');
	strbuf_addstr(out, "\n\n</details>\n");
	strbuf_release(&text);
	free(v);
}

/* ---- redaction ---- */

static bool is_token_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

void sync_render_redact(struct strbuf *sb, const char *const *secrets)
{
	static const char *const prefixes[] = {"lin_api_", "lin_oauth_"};
	struct strbuf out = STRBUF_INIT;
	size_t i = 0, k;

	while (i < sb->len) {
		bool done = false;

		for (k = 0; secrets && secrets[k] && !done; k++) {
			size_t n = strlen(secrets[k]);

			if (n >= 4 && n <= sb->len - i && !memcmp(sb->buf + i, secrets[k], n)) {
				strbuf_addstr(&out, "***");
				i += n;
				done = true;
			}
		}
		for (k = 0; k < 2 && !done; k++) {
			size_t n = strlen(prefixes[k]);

			if (n < sb->len - i && !memcmp(sb->buf + i, prefixes[k], n) &&
			    is_token_char(sb->buf[i + n])) {
				strbuf_addstr(&out, prefixes[k]);
				strbuf_addstr(&out, "***");
				for (i += n; i < sb->len && is_token_char(sb->buf[i]); i++)
					;
				done = true;
			}
		}
		if (!done)
			strbuf_addch(&out, sb->buf[i++]);
	}
	strbuf_reset(sb);
	strbuf_addbuf(sb, &out);
	strbuf_release(&out);
}

void sync_render(struct strbuf *out, const struct sync_plan *plan,
                 const struct sync_render_options *opts)
{
	struct strbuf sb = STRBUF_INIT;

	switch (opts->format) {
	case SYNC_RENDER_JSON:
		render_json(&sb, plan, opts);
		break;
	case SYNC_RENDER_MARKDOWN:
		render_markdown(&sb, plan, opts);
		break;
	case SYNC_RENDER_TEXT:
		render_text(&sb, plan, opts);
		break;
	}
	sync_render_redact(&sb, opts->secrets);
	strbuf_addbuf(out, &sb);
	strbuf_release(&sb);
}
