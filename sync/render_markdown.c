/*
 * A sync as Markdown for a pull-request comment: a heading, the summary line
 * in bold, one table row per change, what is left alone folded in a
 * <details> element, and the text rendering folded in another, fenced with
 * more backticks than it holds. Text from postmortems and the tracker is
 * escaped so that it can neither add markup nor HTML nor mention anyone,
 * and links are only ever http(s) URLs, percent-encoded where Markdown
 * would read a character as syntax.
 */
#include "util/compat.h"

#include "sync/render_markdown.h"

#include <stdlib.h>
#include <string.h>

#include "sync/render.h"
#include "sync/render_text.h"
#include "util/md.h"

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
	const char *ref = sync_render_ticket_ref(c);

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
		sync_render_value(&v, bit, a, o);
		md_text(sb, v.buf);
		strbuf_addstr(sb, " \u2192 ");
		strbuf_reset(&v);
	}
	sync_render_value(&v, bit, b, o);
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
	const struct sync_render_kind *k = sync_render_kind_of(c->kind);
	const char *title = sync_render_title(c);
	struct strbuf why = STRBUF_INIT;
	size_t i;

	strbuf_addf(&why, "changed in %s: left alone", sync_render_tracker_name(o));
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
	for (i = 0; c->kind != SYNC_CREATE && i < TRACKER_FIELDS_NR; i++) {
		unsigned bit = tracker_field_names[i].bit;

		if (c->conflict_mask & bit)
			md_field(sb, tracker_field_names[i].name, &c->ticket.fields, &c->desired,
			         bit,
			         (c->update_mask & bit)
			                 ? "changed on both sides: the postmortem wins"
			                 : "changed on both sides: left alone",
			         o);
		else if (c->update_mask & bit)
			md_field(sb, tracker_field_names[i].name,
			         c->has_ticket ? &c->ticket.fields : NULL, &c->desired, bit, NULL,
			         o);
		else if (c->drift_mask & bit)
			md_field(sb, tracker_field_names[i].name, sync_render_written(c),
			         &c->ticket.fields, bit, why.buf, o);
	}
	if (o->result && sync_render_failed(c)) {
		strbuf_addstr(sb, "<br>**failed:** ");
		md_text(sb, c->message ? c->message : "failed");
	} else if (o->result && sync_render_untried(c)) {
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
		const char *title = sync_render_title(v[i]);

		if (v[i]->kind != kind)
			continue;
		strbuf_addf(sb, "- %s ", sync_render_kind_of(kind)->name);
		if (sync_render_ticket_ref(v[i])) {
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

void render_md_plan(struct strbuf *out, const struct sync_plan *plan,
                    const struct sync_render_options *o)
{
	const struct sync_change **v = sync_render_sorted(plan);
	struct sync_render_options plain = *o;
	struct strbuf text = STRBUF_INIT;
	struct sync_render_counts n;
	size_t i, run = 0, longest = 0, blocks = 0;
	size_t left_alone;

	sync_render_count(&n, plan);
	strbuf_addf(out, "### pmsync %s\n\n", o->result ? "sync" : "plan");
	strbuf_addstr(out, "**");
	render_text_summary(out, plan, o);
	strbuf_addstr(out, "**\n\n");
	if (plan->offline && !o->result)
		strbuf_addf(out, "> Planned offline from the state file: %s was not asked.\n\n",
		            sync_render_tracker_name(o));
	for (i = 0; i < plan->nr; i++)
		if (sync_render_has_block(v[i]))
			blocks++;
	if (blocks) {
		strbuf_addstr(out, "| | Item | Ticket | Change |\n|---|---|---|---|\n");
		for (i = 0; i < plan->nr; i++)
			if (sync_render_has_block(v[i]))
				md_row(out, v[i], o);
		strbuf_addch(out, '\n');
	}
	left_alone =
	        n.orphaned + n.missing + n.unknown + n.elsewhere + n.done_no_ticket + n.inferred;
	if (left_alone) {
		strbuf_addf(out, "<details><summary>Left alone: %zu</summary>\n\n", left_alone);
		md_section(out, v, plan->nr, SYNC_ORPHANED);
		md_section(out, v, plan->nr, SYNC_MISSING_PM);
		md_section(out, v, plan->nr, SYNC_UNKNOWN);
		md_section(out, v, plan->nr, SYNC_ELSEWHERE);
		md_section(out, v, plan->nr, SYNC_DONE_NO_TICKET);
		md_section(out, v, plan->nr, SYNC_INFERRED);
		strbuf_addstr(out, "\n</details>\n\n");
	}
	plain.format = SYNC_RENDER_TEXT;
	plain.color = false;
	render_text_plan(&text, plan, &plain);
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
