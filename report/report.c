/*
 * The report's definitions, its formats, its summary rows and the words
 * its renderers share; report_build() is in report/build.c, the metrics in
 * report/stats.c.
 */
#include "util/compat.h"

#include "report/report.h"

#include "util/error.h"

const struct report_definition report_definitions[] = {
        {"items", "Every action item of every postmortem dated on or before the report's date."},
        {"open, done, canceled",
         "An item's status in its ticket, or in the postmortem when it has no ticket; canceled "
         "means not done on purpose and is left out of the rates."},
        {"completion rate", "Done items as a share of all items that are not canceled."},
        {"closed within %ld days",
         "Items closed no later than %ld days (UTC) after their postmortem's date, as a share "
         "of those closed in time or missed; an open item whose window has not ended is "
         "pending, and a done item whose closure date is not known is counted apart."},
        {"overdue", "Open items whose due date is before the report's date."},
        {"detection", "The median of the postmortems' detection_chain_minutes; the older half "
                      "of the postmortems (by date) against the newer half, the middle one of "
                      "an odd count in neither."},
        {"repeated classes",
         "A front-matter class or tags value found in more than one postmortem."},
        {"drift", "Tickets whose status, title, assignee or due date in the tracker differ "
                  "from the postmortem."},
};
const size_t report_definitions_nr = ARRAY_SIZE(report_definitions);

int report_parse_format(enum report_format *out, const char *name)
{
	if (!strcmp(name, "markdown") || !strcmp(name, "md"))
		*out = REPORT_MARKDOWN;
	else if (!strcmp(name, "json"))
		*out = REPORT_JSON;
	else if (!strcmp(name, "html"))
		*out = REPORT_HTML;
	else
		return pm_error(PM_EUSAGE, "unknown format '%s': use markdown, json or html", name);
	return 0;
}

void report_render(struct strbuf *out, const struct report *r, enum report_format f)
{
	switch (f) {
	case REPORT_JSON:
		report_render_json(out, r);
		break;
	case REPORT_HTML:
		report_render_html(out, r);
		break;
	case REPORT_MARKDOWN:
		report_render_markdown(out, r);
		break;
	}
}

static void counts_release(struct report_counts *c)
{
	for (size_t i = 0; i < c->nr; i++)
		free(c->v[i].name);
	free(c->v);
}

void report_release(struct report *r)
{
	if (!r)
		return;
	free(r->items);
	free(r->pms);
	counts_release(&r->overdue_by_owner);
	counts_release(&r->open_by_lever);
	free(r->months.v);
	free(r->quarters.v);
	for (size_t i = 0; i < r->classes_nr; i++) {
		free(r->classes[i].name);
		strlist_clear(&r->classes[i].paths);
	}
	free(r->classes);
	for (size_t i = 0; i < r->drift_nr; i++) {
		free(r->drift[i].postmortem);
		free(r->drift[i].tracker);
	}
	free(r->drift);
	memset(r, 0, sizeof(*r));
}

static void row_size(struct strbuf *sb, report_row_fn row, const char *name, size_t n,
                     const char *suffix)
{
	struct strbuf v = STRBUF_INIT;

	strbuf_addf(&v, "%zu%s", n, suffix);
	row(sb, name, v.buf);
	strbuf_release(&v);
}

void report_summary(struct strbuf *sb, const struct report *r, report_row_fn row)
{
	struct strbuf v = STRBUF_INIT, name = STRBUF_INIT;
	const char *trend = report_detection_trend(r);

	row_size(sb, row, "Items", r->total, "");
	if (r->inferred)
		row_size(sb, row, "Inferred items", r->inferred,
		         " (read outside an action-items section; counted in every rate)");
	row_size(sb, row, "Open", r->open, "");
	row_size(sb, row, "Done", r->done, "");
	row_size(sb, row, "Canceled", r->canceled, " (left out of the rates)");
	report_add_rate(&v, r->done, r->total - r->canceled);
	strbuf_addf(&v, " (%zu of %zu)", r->done, r->total - r->canceled);
	row(sb, "Completion rate", v.buf);
	strbuf_reset(&v);
	report_add_rate(&v, r->hits, r->hits + r->misses);
	strbuf_addf(&v, " (%zu of %zu); goal %ld%%: %s", r->hits, r->hits + r->misses, r->opts.goal,
	            report_goal_met(r) ? "met" : "missed");
	strbuf_addf(&name, "Closed within %ld days", r->opts.window);
	row(sb, name.buf, v.buf);
	row_size(sb, row, "Pending (window not ended)", r->pending, "");
	row_size(sb, row, "Closure date unknown", r->unknown, "");
	row_size(sb, row, "Overdue", r->overdue, "");
	strbuf_reset(&v);
	if (r->detection_nr) {
		report_add_median(&v, r->detection_median);
		strbuf_addf(&v, " (%zu postmortems)", r->detection_nr);
	} else {
		strbuf_addstr(&v, "\xe2\x80\x93");
	}
	row(sb, "Median detection minutes", v.buf);
	if (trend) {
		strbuf_reset(&v);
		strbuf_addstr(&v, "older half ");
		report_add_median(&v, r->older_median);
		strbuf_addstr(&v, ", newer half ");
		report_add_median(&v, r->newer_median);
		strbuf_addf(&v, ": %s", trend);
		row(sb, "Detection trend", v.buf);
	}
	strbuf_release(&v);
	strbuf_release(&name);
}

bool report_goal_met(const struct report *r)
{
	size_t den = r->hits + r->misses;

	return den && r->hits * 100 >= (size_t)r->opts.goal * den;
}

const char *report_detection_trend(const struct report *r)
{
	if (!r->older_nr)
		return NULL;
	if (r->newer_median < r->older_median)
		return "falling";
	return r->newer_median > r->older_median ? "rising" : "flat";
}

void report_add_source(struct strbuf *sb, const struct report *r)
{
	if (r->opts.tracker_name)
		strbuf_addf(
		        sb,
		        "Statuses and closure dates come from %s as it is now (a ticket reopened "
		        "since it was closed is not seen as it was); items without a ticket, "
		        "from the postmortems and their git history.",
		        r->opts.tracker_name);
	else
		strbuf_addstr(sb,
		              "Statuses come from the postmortems; an item's closure date is "
		              "the date of the first commit that shows it closed (unknown where "
		              "the history is shallow or missing).");
}

void report_add_defined(struct strbuf *sb, const char *s, long window)
{
	const char *p;

	while ((p = strstr(s, "%ld"))) {
		strbuf_add(sb, s, (size_t)(p - s));
		strbuf_addf(sb, "%ld", window);
		s = p + 3;
	}
	strbuf_addstr(sb, s);
}

void report_add_rate(struct strbuf *sb, size_t num, size_t den)
{
	if (!den) {
		strbuf_addstr(sb, "\xe2\x80\x93");
		return;
	}
	/* rounded half up, in integers so that every machine prints the same */
	strbuf_addf(sb, "%zu%%", (num * 200 + den) / (2 * den));
}

void report_add_median(struct strbuf *sb, double m)
{
	long twice = (long)(m * 2 + (m >= 0 ? 0.5 : -0.5));

	if (twice % 2)
		strbuf_addf(sb, "%ld.5", twice / 2);
	else
		strbuf_addf(sb, "%ld", twice / 2);
}
