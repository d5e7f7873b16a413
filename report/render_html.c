/*
 * The report as one self-contained HTML file: inline CSS, inline SVG
 * charts (closure within the window per month against the goal, overdue
 * items by owner, detection minutes over time), no script, no font or image
 * from elsewhere, readable when printed. Every text from postmortems and
 * tickets goes through md_html(); a link is written only for an http(s) URL.
 * The tables are the Markdown report's, as HTML.
 */
#include "util/compat.h"

#include "report/report.h"

#include "util/md.h"

#define CHART_W 640
#define CHART_H 220
#define PAD_L 48
#define PAD_B 36
#define PAD_T 16
#define COLOR_HIT "#2f8f4e"
#define COLOR_MISSED "#d9822b"

static const char style[] =
        "body{font-family:sans-serif;margin:2em;color:#222;max-width:60em}"
        "table{border-collapse:collapse;margin:0.5em 0 1.5em}"
        "td,th{border:1px solid #bbb;padding:0.2em 0.6em;text-align:left}"
        "td.n{text-align:right}"
        "svg{display:block;margin:0.5em 0 1.5em;border:1px solid #ddd;background:#fff}"
        ".met{color:#1a7f37}.missed{color:#b42318}"
        "@media print{body{margin:0}svg,table{break-inside:avoid}}";

static void text(struct strbuf *sb, const char *s)
{
	md_html(sb, s ? s : "\xe2\x80\x93");
}

static void link(struct strbuf *sb, const char *label, const char *url)
{
	if (!md_url_ok(url)) {
		text(sb, label);
		return;
	}
	strbuf_addstr(sb, "<a href=\"");
	md_html(sb, url);
	strbuf_addstr(sb, "\">");
	text(sb, label);
	strbuf_addstr(sb, "</a>");
}

static void svg_open(struct strbuf *sb, const char *label)
{
	strbuf_addf(sb,
	            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	            "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
	            CHART_W, CHART_H, CHART_W, CHART_H);
	md_html(sb, label);
	strbuf_addstr(sb, "\" font-size=\"11\">\n");
}

static void axis(struct strbuf *sb)
{
	strbuf_addf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>\n", PAD_L,
	            CHART_H - PAD_B, CHART_W - 8, CHART_H - PAD_B);
	strbuf_addf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>\n", PAD_L,
	            PAD_T, PAD_L, CHART_H - PAD_B);
}

/* A legend entry along the chart's bottom edge: a swatch and its meaning. */
static void legend(struct strbuf *sb, const char *color, int x, const char *label)
{
	strbuf_addf(sb, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>\n", x,
	            CHART_H - 13, color);
	strbuf_addf(sb, "<text x=\"%d\" y=\"%d\">", x + 14, CHART_H - 4);
	md_html(sb, label);
	strbuf_addstr(sb, "</text>\n");
}

/* Per month, the share closed within the window against the share missed, and the goal. */
static void chart_window(struct strbuf *sb, const struct report *r)
{
	int plot_h = CHART_H - PAD_B - PAD_T, plot_w = CHART_W - PAD_L - 8;
	size_t n = r->months.nr;
	int step = n ? plot_w / (int)n : plot_w, goal_y;

	svg_open(sb, "share of items closed within the window, per month, against the goal");
	axis(sb);
	for (int pct = 0; pct <= 100; pct += 50)
		strbuf_addf(sb, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d%%</text>\n",
		            PAD_L - 4, PAD_T + plot_h - plot_h * pct / 100 + 4, pct);
	for (size_t i = 0; i < n; i++) {
		const struct report_period *p = &r->months.v[i];
		size_t den = p->hits + p->misses;
		int x = PAD_L + (int)i * step + step / 6, w = step * 2 / 3 > 1 ? step * 2 / 3 : 1;
		int h = den ? (int)((size_t)plot_h * p->hits / den) : 0;

		/* in time (green) under missed (orange): a month at 0% still shows */
		if (den) {
			strbuf_addf(sb, "<g><title>%s: %zu of %zu closed within %ld days (",
			            p->name, p->hits, den, r->opts.window);
			report_add_rate(sb, p->hits, den);
			strbuf_addstr(sb, ")</title>\n");
			strbuf_addf(sb,
			            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			            "fill=\"" COLOR_MISSED "\"/>\n",
			            x, PAD_T, w, plot_h - h);
			strbuf_addf(sb,
			            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			            "fill=\"" COLOR_HIT "\"/></g>\n",
			            x, PAD_T + plot_h - h, w, h);
		}
		if (n <= 24)
			strbuf_addf(sb,
			            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
			            x + w / 2, CHART_H - PAD_B + 14, p->name);
	}
	goal_y = PAD_T + plot_h - plot_h * (int)r->opts.goal / 100;
	strbuf_addf(sb,
	            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#b42318\" "
	            "stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n",
	            PAD_L, goal_y, CHART_W - 8, goal_y);
	strbuf_addf(
	        sb,
	        "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#b42318\">goal %ld%%</text>\n",
	        CHART_W - 10, goal_y - 4, r->opts.goal);
	legend(sb, COLOR_HIT, PAD_L, "closed within the window");
	legend(sb, COLOR_MISSED, PAD_L + 190, "closed later, or still open after it");
	strbuf_addstr(sb, "</svg>\n");
}

/* Horizontal bars: overdue items per owner (the first 12). */
static void chart_overdue(struct strbuf *sb, const struct report *r)
{
	const struct report_counts *c = &r->overdue_by_owner;
	size_t n = c->nr < 12 ? c->nr : 12, max = 1;
	int left = 150, bar_w = CHART_W - left - 40, row = n ? (CHART_H - 2 * PAD_T) / (int)n : 0;

	if (row > 28)
		row = 28;
	for (size_t i = 0; i < n; i++)
		if (c->v[i].n > max)
			max = c->v[i].n;
	svg_open(sb, "overdue items by owner");
	for (size_t i = 0; i < n; i++) {
		int y = PAD_T + (int)i * row, w = (int)((size_t)bar_w * c->v[i].n / max);

		strbuf_addf(sb, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6,
		            y + row / 2 + 4);
		md_html(sb, c->v[i].name);
		strbuf_addstr(sb, "</text>\n");
		strbuf_addf(
		        sb,
		        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#b42318\"/>\n",
		        left, y + 3, w > 0 ? w : 1, row - 6 > 2 ? row - 6 : 2);
		strbuf_addf(sb, "<text x=\"%d\" y=\"%d\">%zu</text>\n", left + w + 4,
		            y + row / 2 + 4, c->v[i].n);
	}
	if (!n)
		strbuf_addf(sb, "<text x=\"%d\" y=\"%d\">no overdue items</text>\n", PAD_L,
		            CHART_H / 2);
	strbuf_addstr(sb, "</svg>\n");
}

/* Detection minutes of each postmortem, in date order, as points on a line. */
static void chart_detection(struct strbuf *sb, const struct report *r)
{
	int plot_h = CHART_H - PAD_B - PAD_T, plot_w = CHART_W - PAD_L - 16;
	long max = 1;
	size_t n = 0, k = 0;
	struct strbuf pts = STRBUF_INIT;

	for (size_t i = 0; i < r->pms_nr; i++) {
		const struct postmortem *pm = r->pms[i].pm;

		if (pm->date && pm->detection_chain_minutes >= 0) {
			n++;
			if (pm->detection_chain_minutes > max)
				max = pm->detection_chain_minutes;
		}
	}
	svg_open(sb, "detection minutes per postmortem over time");
	axis(sb);
	strbuf_addf(sb, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%ld</text>\n", PAD_L - 4,
	            PAD_T + 4, max);
	strbuf_addf(sb, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", PAD_L - 4,
	            PAD_T + plot_h + 4);
	/* pms are in path order, which is date order for YYYY-MM-DD-title.md names */
	for (size_t i = 0; i < r->pms_nr; i++) {
		const struct postmortem *pm = r->pms[i].pm;
		int x, y;

		if (!pm->date || pm->detection_chain_minutes < 0)
			continue;
		x = PAD_L + 8 + (n > 1 ? (int)((size_t)plot_w * k / (n - 1)) : plot_w / 2);
		y = PAD_T + plot_h - (int)((long)plot_h * pm->detection_chain_minutes / max);
		strbuf_addf(&pts, "%s%d,%d", k ? " " : "", x, y);
		strbuf_addf(sb, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#1f5fbf\"/>\n", x, y);
		k++;
	}
	if (k > 1)
		strbuf_addf(sb,
		            "<polyline points=\"%s\" fill=\"none\" stroke=\"#1f5fbf\" "
		            "stroke-width=\"2\"/>\n",
		            pts.buf);
	if (!k)
		strbuf_addf(sb, "<text x=\"%d\" y=\"%d\">no detection times</text>\n", PAD_L + 8,
		            CHART_H / 2);
	strbuf_addstr(sb, "</svg>\n");
	strbuf_release(&pts);
}

static void row(struct strbuf *sb, const char *name, const char *value)
{
	strbuf_addf(sb, "<tr><th>%s</th><td>%s</td></tr>\n", name, value);
}

static void periods(struct strbuf *sb, const char *title, const struct report_periods *p)
{
	strbuf_addf(sb,
	            "<h2>%s</h2>\n<table><tr><th>Period</th><th>Items</th><th>In time</th>"
	            "<th>Missed</th><th>Pending</th><th>Unknown</th><th>Rate</th></tr>\n",
	            title);
	for (size_t i = 0; i < p->nr; i++) {
		const struct report_period *q = &p->v[i];

		strbuf_addf(
		        sb,
		        "<tr><td>%s</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
		        "<td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
		        "<td class=\"n\">",
		        q->name, q->items, q->hits, q->misses, q->pending, q->unknown);
		report_add_rate(sb, q->hits, q->hits + q->misses);
		strbuf_addstr(sb, "</td></tr>\n");
	}
	strbuf_addstr(sb, "</table>\n");
}

static void tables(struct strbuf *sb, const struct report *r)
{
	strbuf_addstr(sb, "<h2>Open by lever</h2>\n<table><tr><th>Lever</th><th>Items</th></tr>\n");
	for (size_t i = 0; i < r->open_by_lever.nr; i++) {
		strbuf_addstr(sb, "<tr><td>");
		text(sb, r->open_by_lever.v[i].name);
		strbuf_addf(sb, "</td><td class=\"n\">%zu</td></tr>\n", r->open_by_lever.v[i].n);
	}
	strbuf_addstr(sb, "</table>\n");
	periods(sb, "Trend by quarter", &r->quarters);
	strbuf_addstr(sb, "<h2>Repeated incident classes</h2>\n<table><tr><th>Class</th>"
	                  "<th>Postmortems</th></tr>\n");
	for (size_t i = 0; i < r->classes_nr; i++) {
		strbuf_addstr(sb, "<tr><td>");
		text(sb, r->classes[i].name);
		strbuf_addf(sb, "</td><td class=\"n\">%zu</td></tr>\n", r->classes[i].paths.nr);
	}
	strbuf_addstr(sb, "</table>\n<h2>Per postmortem</h2>\n<table><tr><th>Postmortem</th>"
	                  "<th>Date</th><th>Severity</th><th>Items</th><th>Open</th><th>Done</th>"
	                  "<th>Canceled</th><th>In time</th><th>Missed</th></tr>\n");
	for (size_t i = 0; i < r->pms_nr; i++) {
		const struct report_pm *p = &r->pms[i];

		strbuf_addstr(sb, "<tr><td>");
		link(sb, p->pm->title ? p->pm->title : p->pm->path, p->pm->url);
		strbuf_addstr(sb, "</td><td>");
		text(sb, p->pm->date);
		strbuf_addstr(sb, "</td><td>");
		text(sb, p->severity);
		strbuf_addf(sb,
		            "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td "
		            "class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
		            "<td class=\"n\">%zu</td></tr>\n",
		            p->items, p->open, p->done, p->canceled, p->hits, p->misses);
	}
	strbuf_addstr(sb, "</table>\n<h2>Overdue items</h2>\n<table><tr><th>Item</th>"
	                  "<th>Owner</th><th>Due</th><th>Ticket</th></tr>\n");
	for (size_t i = 0; i < r->items_nr; i++) {
		const struct report_item *ri = &r->items[i];

		if (!ri->overdue)
			continue;
		strbuf_addstr(sb, "<tr><td>");
		text(sb, ri->item->text);
		strbuf_addstr(sb, "</td><td>");
		text(sb, ri->item->owner);
		strbuf_addstr(sb, "</td><td>");
		text(sb, ri->due);
		strbuf_addstr(sb, "</td><td>");
		link(sb, ri->ticket_ref, ri->ticket_url);
		strbuf_addstr(sb, "</td></tr>\n");
	}
	strbuf_addstr(sb, "</table>\n");
	if (!r->opts.tracker_name)
		return;
	strbuf_addstr(sb, "<h2>Drift</h2>\n<table><tr><th>Ticket</th><th>Item</th><th>Field</th>"
	                  "<th>Postmortem</th><th>Tracker</th></tr>\n");
	for (size_t i = 0; i < r->drift_nr; i++) {
		const struct report_drift *d = &r->drift[i];

		strbuf_addstr(sb, "<tr><td>");
		text(sb, d->ticket_ref);
		strbuf_addstr(sb, "</td><td>");
		text(sb, d->item->text);
		strbuf_addf(sb, "</td><td>%s</td><td>", d->field);
		text(sb, d->postmortem);
		strbuf_addstr(sb, "</td><td>");
		text(sb, d->tracker);
		strbuf_addstr(sb, "</td></tr>\n");
	}
	strbuf_addstr(sb, "</table>\n");
}

void report_render_html(struct strbuf *sb, const struct report *r)
{
	strbuf_addstr(sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
	                  "'none'; style-src 'unsafe-inline'; img-src data:\">\n"
	                  "<title>Action items: completion report</title>\n<style>");
	strbuf_addstr(sb, style);
	strbuf_addstr(sb, "</style></head><body>\n<h1>Action items: completion report</h1>\n<p>");
	strbuf_addf(sb, "As of %s", r->opts.as_of);
	if (r->opts.rev)
		strbuf_addf(sb, ", revision %.12s", r->opts.rev);
	strbuf_addstr(sb, ". ");
	report_add_source(sb, r);
	strbuf_addstr(sb, "</p>\n");
	strbuf_addstr(sb, "<table>\n");
	report_summary(sb, r, row);
	strbuf_addstr(sb, "</table>\n");
	strbuf_addf(sb, "<h2>Closed within %ld days, per month</h2>\n", r->opts.window);
	chart_window(sb, r);
	periods(sb, "Trend by month", &r->months);
	strbuf_addstr(sb, "<h2>Overdue by owner</h2>\n");
	chart_overdue(sb, r);
	strbuf_addstr(sb, "<h2>Detection minutes over time</h2>\n");
	chart_detection(sb, r);
	tables(sb, r);
	strbuf_addstr(sb, "<h2>Definitions</h2>\n<dl>\n");
	for (size_t i = 0; i < report_definitions_nr; i++) {
		strbuf_addstr(sb, "<dt>");
		report_add_defined(sb, report_definitions[i].name, r->opts.window);
		strbuf_addstr(sb, "</dt><dd>");
		report_add_defined(sb, report_definitions[i].sentence, r->opts.window);
		strbuf_addstr(sb, "</dd>\n");
	}
	strbuf_addstr(sb, "</dl>\n</body></html>\n");
}
