/*
 * The user-facing shape of a sync, shared by its three renderings: text that
 * reads like `terraform plan` (sync/render_text.c), versioned JSON for
 * scripts (sync/render_json.c) and Markdown for a pull-request comment
 * (sync/render_markdown.c). Here is what they share: the name, symbol and
 * colour of each kind of change, the fields in the order they are shown,
 * the counts of the summary, the (path, line) order that keeps output
 * stable, field values as people read them, with text from postmortems and
 * the tracker cleaned of control characters, and the masking of anything
 * shaped like a token, which sync_render() (sync/render_dispatch.c) applies
 * to every rendering.
 */
#include "util/compat.h"

#include "sync/render.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/escape.h"
#include "util/xalloc.h"

static const struct sync_render_kind kinds[] = {
        [SYNC_CREATE] = {"+", "create", "created", "create", SYNC_RENDER_GREEN},
        [SYNC_UPDATE] = {"~", "update", "updated", "update", SYNC_RENDER_YELLOW},
        [SYNC_ADOPT] = {"<=", "adopt", "adopted", "adopt", SYNC_RENDER_CYAN},
        [SYNC_RECOVER] = {"<=", "recover", "recovered", "recover", SYNC_RENDER_CYAN},
        [SYNC_UNCHANGED] = {"!", "drift", "drift", "unchanged", SYNC_RENDER_MAGENTA},
        [SYNC_ORPHANED] = {" ", "orphaned", "orphaned", "orphaned", ""},
        [SYNC_CANCEL] = {"-", "cancel", "canceled", "cancel", SYNC_RENDER_RED},
        [SYNC_ELSEWHERE] = {" ", "elsewhere", "elsewhere", "elsewhere", ""},
        [SYNC_DONE_NO_TICKET] = {" ", "skip", "skipped", "done-without-ticket", ""},
        [SYNC_INFERRED] = {" ", "inferred", "inferred", "inferred", ""},
        [SYNC_BEFORE_SINCE] = {" ", "skip", "skipped", "before-since", ""},
        [SYNC_UNKNOWN] = {" ", "unknown", "unknown", "unknown", ""},
        [SYNC_MISSING_PM] = {" ", "missing", "missing", "missing-postmortem", ""},
};

const struct sync_render_kind *sync_render_kind_of(enum sync_kind k)
{
	if ((size_t)k >= ARRAY_SIZE(kinds) || !kinds[k].sym)
		return &kinds[SYNC_UNCHANGED];
	return &kinds[k];
}

bool sync_render_is_write(enum sync_kind k)
{
	return k == SYNC_CREATE || k == SYNC_UPDATE || k == SYNC_ADOPT || k == SYNC_RECOVER ||
	       k == SYNC_CANCEL;
}

/* A change that gets a block of its own: a write, or drift and conflicts to report. */
bool sync_render_has_block(const struct sync_change *c)
{
	return sync_render_is_write(c->kind) ||
	       (c->kind == SYNC_UNCHANGED && (c->drift_mask || c->conflict_mask));
}

bool sync_render_failed(const struct sync_change *c)
{
	return c->outcome != 0;
}

bool sync_render_untried(const struct sync_change *c)
{
	return sync_render_is_write(c->kind) && !c->applied && c->outcome == 0;
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
		case SYNC_INFERRED:
			out->inferred++;
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
		if (c->drift_mask)
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
		if (sync_render_failed(c))
			out->failed++;
		else if (sync_render_untried(c))
			out->untried++;
		else if (sync_render_is_write(c->kind))
			out->succeeded++;
	}
}

bool sync_render_pending(const struct sync_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nr; i++)
		if (sync_render_is_write(plan->v[i].kind))
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

const struct sync_change **sync_render_sorted(const struct sync_plan *plan)
{
	const struct sync_change **v = xcalloc(plan->nr + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < plan->nr; i++)
		v[i] = &plan->v[i];
	if (plan->nr > 1)
		qsort(v, plan->nr, sizeof(*v), cmp_change);
	return v;
}

/*
 * Appends s with control characters (terminal escapes, newlines) and
 * bidirectional overrides shown escaped, so that no text from the
 * repository forges a line or reads other than it is (util/escape.h).
 */
void sync_render_add_clean(struct strbuf *sb, const char *s)
{
	esc_text(sb, s);
}

const char *sync_render_ticket_ref(const struct sync_change *c)
{
	if (c->has_ticket && c->ticket.ref)
		return c->ticket.ref;
	if (c->has_ticket && c->ticket.id)
		return c->ticket.id;
	return NULL;
}

const char *sync_render_title(const struct sync_change *c)
{
	if (c->desired.title)
		return c->desired.title;
	if (c->item && c->item->text)
		return c->item->text;
	if (c->has_ticket)
		return c->ticket.fields.title;
	return NULL;
}

const char *sync_render_status_name(enum tracker_status s)
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

/* Appends one field's value as people read it (cleaned, unquoted except titles). */
void sync_render_value(struct strbuf *sb, unsigned bit, const struct tracker_fields *f,
                       const struct sync_render_options *o)
{
	size_t i;

	switch (bit) {
	case TF_TITLE:
		if (!f->title)
			break;
		strbuf_addch(sb, '"');
		sync_render_add_clean(sb, f->title);
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
		sync_render_add_clean(sb, name ? name : f->assignee_id);
		return;
	}
	case TF_DUE:
		if (!f->due)
			break;
		sync_render_add_clean(sb, f->due);
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
			sync_render_add_clean(sb, f->labels.v[i]);
		}
		return;
	}
	strbuf_addstr(sb, "(none)");
}

/* What pmsync last wrote to the ticket, the base of drift; desired when unknown. */
const struct tracker_fields *sync_render_written(const struct sync_change *c)
{
	if (c->has_ticket && c->ticket.has_marker && c->ticket.marker.has_written)
		return &c->ticket.marker.written;
	if (c->marker.has_written)
		return &c->marker.written;
	return &c->desired;
}

const char *sync_render_tracker_name(const struct sync_render_options *o)
{
	return o->tracker_name ? o->tracker_name : "the tracker";
}

/* ---- redaction ---- */

static bool is_token_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

void sync_render_redact(struct strbuf *sb, const char *const *secrets)
{
	const char *const *prefixes = tracker_token_prefixes();
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
		for (k = 0; prefixes[k] && !done; k++) {
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
