/*
 * The report as Markdown, for the repository and the slides: a summary
 * table, then one table per metric, then the definitions. Every text from
 * postmortems and tickets goes through md_text() or md_link(): no markup,
 * no HTML, no mentions, links only over http(s).
 */
#include "util/compat.h"

#include "report/report.h"

#include "util/md.h"

static void row2(struct strbuf *sb, const char *name, const char *value)
{
	strbuf_addf(sb, "| %s | %s |\n", name, value);
}

static void counts(struct strbuf *sb, const char *title, const char *col,
                   const struct report_counts *c)
{
	strbuf_addf(sb, "\n## %s\n\n", title);
	if (!c->nr) {
		strbuf_addstr(sb, "None.\n");
		return;
	}
	strbuf_addf(sb, "| %s | Items |\n|---|---:|\n", col);
	for (size_t i = 0; i < c->nr; i++) {
		strbuf_addstr(sb, "| ");
		md_text(sb, c->v[i].name);
		strbuf_addf(sb, " | %zu |\n", c->v[i].n);
	}
}

static void periods(struct strbuf *sb, const char *title, const char *col,
                    const struct report_periods *p, bool detection)
{
	strbuf_addf(sb, "\n## %s\n\n", title);
	if (!p->nr) {
		strbuf_addstr(sb, "None.\n");
		return;
	}
	strbuf_addf(sb, "| %s | Items | In time | Missed | Pending | Unknown | Rate |%s\n", col,
	            detection ? " Median detection minutes |" : "");
	strbuf_addf(sb, "|---|---:|---:|---:|---:|---:|---:|%s\n", detection ? "---:|" : "");
	for (size_t i = 0; i < p->nr; i++) {
		const struct report_period *q = &p->v[i];

		strbuf_addf(sb, "| %s | %zu | %zu | %zu | %zu | %zu | ", q->name, q->items, q->hits,
		            q->misses, q->pending, q->unknown);
		report_add_rate(sb, q->hits, q->hits + q->misses);
		strbuf_addstr(sb, " |");
		if (detection) {
			strbuf_addch(sb, ' ');
			if (q->detection_nr)
				report_add_median(sb, q->detection_median);
			else
				strbuf_addstr(sb, "\xe2\x80\x93");
			strbuf_addstr(sb, " |");
		}
		strbuf_addch(sb, '\n');
	}
}

static void pm_link(struct strbuf *sb, const struct postmortem *pm)
{
	md_link(sb, pm->title ? pm->title : pm->path, pm->url);
}

static void postmortems(struct strbuf *sb, const struct report *r)
{
	strbuf_addstr(sb, "\n## Per postmortem\n\n");
	strbuf_addstr(sb, "| Postmortem | Date | Severity | Items | Open | Done | Canceled | "
	                  "In time | Missed | Pending | Unknown |\n"
	                  "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < r->pms_nr; i++) {
		const struct report_pm *p = &r->pms[i];

		strbuf_addstr(sb, "| ");
		pm_link(sb, p->pm);
		strbuf_addstr(sb, " | ");
		md_text(sb, p->pm->date ? p->pm->date : "\xe2\x80\x93");
		strbuf_addstr(sb, " | ");
		md_text(sb, p->severity ? p->severity : "\xe2\x80\x93");
		strbuf_addf(sb, " | %zu | %zu | %zu | %zu | %zu | %zu | %zu | %zu |\n", p->items,
		            p->open, p->done, p->canceled, p->hits, p->misses, p->pending,
		            p->unknown);
	}
}

static void ticket_cell(struct strbuf *sb, const char *ref, const char *url)
{
	if (ref)
		md_link(sb, ref, url);
	else
		strbuf_addstr(sb, "\xe2\x80\x93");
}

static void overdue_items(struct strbuf *sb, const struct report *r)
{
	strbuf_addstr(sb, "\n## Overdue items\n\n");
	if (!r->overdue) {
		strbuf_addstr(sb, "None.\n");
		return;
	}
	strbuf_addstr(sb, "| Item | Owner | Due | Ticket | Postmortem |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < r->items_nr; i++) {
		const struct report_item *ri = &r->items[i];

		if (!ri->overdue)
			continue;
		strbuf_addstr(sb, "| ");
		md_text(sb, ri->item->text ? ri->item->text : "");
		strbuf_addstr(sb, " | ");
		md_text(sb, ri->item->owner ? ri->item->owner : "\xe2\x80\x93");
		strbuf_addf(sb, " | %s | ", ri->due);
		ticket_cell(sb, ri->ticket_ref, ri->ticket_url);
		strbuf_addstr(sb, " | ");
		pm_link(sb, ri->pm);
		strbuf_addstr(sb, " |\n");
	}
}

static void classes(struct strbuf *sb, const struct report *r)
{
	strbuf_addstr(sb, "\n## Repeated incident classes\n\n");
	if (!r->classes_nr) {
		strbuf_addstr(sb, "None.\n");
		return;
	}
	strbuf_addstr(sb, "| Class | Postmortems | Files |\n|---|---:|---|\n");
	for (size_t i = 0; i < r->classes_nr; i++) {
		const struct report_class *c = &r->classes[i];

		strbuf_addstr(sb, "| ");
		md_text(sb, c->name);
		strbuf_addf(sb, " | %zu | ", c->paths.nr);
		for (size_t k = 0; k < c->paths.nr; k++) {
			if (k)
				strbuf_addstr(sb, ", ");
			md_text(sb, c->paths.v[k]);
		}
		strbuf_addstr(sb, " |\n");
	}
}

static void drift(struct strbuf *sb, const struct report *r)
{
	if (!r->opts.tracker_name)
		return;
	strbuf_addstr(sb, "\n## Drift\n\n");
	if (!r->drift_nr) {
		strbuf_addstr(sb, "None.\n");
		return;
	}
	strbuf_addf(sb, "| Ticket | Item | Field | Postmortem | %s |\n|---|---|---|---|---|\n",
	            r->opts.tracker_name);
	for (size_t i = 0; i < r->drift_nr; i++) {
		const struct report_drift *d = &r->drift[i];

		strbuf_addstr(sb, "| ");
		md_text(sb, d->ticket_ref ? d->ticket_ref : "");
		strbuf_addstr(sb, " | ");
		md_text(sb, d->item->text ? d->item->text : "");
		strbuf_addf(sb, " | %s | ", d->field);
		md_text(sb, d->postmortem ? d->postmortem : "(none)");
		strbuf_addstr(sb, " | ");
		md_text(sb, d->tracker ? d->tracker : "(none)");
		strbuf_addstr(sb, " |\n");
	}
}

void report_render_markdown(struct strbuf *sb, const struct report *r)
{
	strbuf_addstr(sb, "# Action items: completion report\n\n");
	strbuf_addf(sb, "As of %s", r->opts.as_of);
	if (r->opts.rev)
		strbuf_addf(sb, ", revision %.12s", r->opts.rev);
	strbuf_addstr(sb, ". ");
	report_add_source(sb, r);
	strbuf_addstr(sb, "\n\n");
	strbuf_addstr(sb, "| Metric | Value |\n|---|---|\n");
	report_summary(sb, r, row2);
	counts(sb, "Overdue by owner", "Owner", &r->overdue_by_owner);
	counts(sb, "Open by lever", "Lever", &r->open_by_lever);
	periods(sb, "Trend by month", "Month", &r->months, false);
	periods(sb, "Trend by quarter", "Quarter", &r->quarters, true);
	classes(sb, r);
	postmortems(sb, r);
	overdue_items(sb, r);
	drift(sb, r);
	strbuf_addstr(sb, "\n## Definitions\n\n");
	for (size_t i = 0; i < report_definitions_nr; i++) {
		strbuf_addstr(sb, "- **");
		report_add_defined(sb, report_definitions[i].name, r->opts.window);
		strbuf_addstr(sb, "**: ");
		report_add_defined(sb, report_definitions[i].sentence, r->opts.window);
		strbuf_addch(sb, '\n');
	}
}
