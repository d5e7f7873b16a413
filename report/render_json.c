/*
 * The report as versioned JSON (REPORT_JSON_VERSION), written through the
 * same streaming writer as the items JSON (util/jsonw.h). Rates are given as
 * the counts they come from, never as rounded numbers; medians are exact.
 */
#include "util/compat.h"

#include "report/report.h"

#include "util/jsonw.h"

static void member_size(struct strbuf *sb, bool *first, const char *name, size_t n)
{
	jsonw_member(sb, first, name);
	strbuf_addf(sb, "%zu", n);
}

static void member_median(struct strbuf *sb, bool *first, const char *name, size_t n, double m)
{
	jsonw_member(sb, first, name);
	if (n)
		report_add_median(sb, m);
	else
		strbuf_addstr(sb, "null");
}

static void counts(struct strbuf *sb, bool *first, const char *name, const struct report_counts *c)
{
	jsonw_member(sb, first, name);
	strbuf_addch(sb, '[');
	for (size_t i = 0; i < c->nr; i++) {
		bool f = true;

		strbuf_addstr(sb, i ? ",{" : "{");
		jsonw_member_string(sb, &f, "name", c->v[i].name);
		member_size(sb, &f, "items", c->v[i].n);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, ']');
}

static void periods(struct strbuf *sb, bool *first, const char *name,
                    const struct report_periods *p, bool detection)
{
	jsonw_member(sb, first, name);
	strbuf_addch(sb, '[');
	for (size_t i = 0; i < p->nr; i++) {
		const struct report_period *q = &p->v[i];
		bool f = true;

		strbuf_addstr(sb, i ? ",{" : "{");
		jsonw_member_string(sb, &f, "period", q->name);
		member_size(sb, &f, "items", q->items);
		member_size(sb, &f, "within_window", q->hits);
		member_size(sb, &f, "missed", q->misses);
		member_size(sb, &f, "pending", q->pending);
		member_size(sb, &f, "unknown", q->unknown);
		if (detection)
			member_median(sb, &f, "detection_median", q->detection_nr,
			              q->detection_median);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, ']');
}

static const char *window_name(enum report_window w)
{
	static const char *const names[] = {"within", "missed", "pending", "unknown", "canceled"};

	return names[w];
}

static void items(struct strbuf *sb, bool *first, const struct report *r)
{
	jsonw_member(sb, first, "items");
	strbuf_addch(sb, '[');
	for (size_t i = 0; i < r->items_nr; i++) {
		const struct report_item *ri = &r->items[i];
		bool f = true;

		strbuf_addstr(sb, i ? ",{" : "{");
		jsonw_member_string(sb, &f, "path", ri->pm->path);
		jsonw_member_int(sb, &f, "line", ri->item->line);
		jsonw_member_string(sb, &f, "key", ri->item->key);
		jsonw_member_string(sb, &f, "text", ri->item->text);
		jsonw_member_string(sb, &f, "owner", ri->item->owner);
		jsonw_member_string(sb, &f, "lever", ri->item->lever);
		jsonw_member_string(sb, &f, "due", ri->due);
		jsonw_member_string(sb, &f, "status", action_item_status_name(ri->status));
		jsonw_member_string(sb, &f, "closed", ri->closed[0] ? ri->closed : NULL);
		jsonw_member_string(sb, &f, "window", window_name(ri->window));
		jsonw_member_bool(sb, &f, "overdue", ri->overdue);
		jsonw_member_bool(sb, &f, "inferred", ri->item->inferred);
		jsonw_member_string(sb, &f, "ticket", ri->ticket_ref);
		jsonw_member_string(sb, &f, "ticket_url", ri->ticket_url);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, ']');
}

static void postmortems(struct strbuf *sb, bool *first, const struct report *r)
{
	jsonw_member(sb, first, "postmortems");
	strbuf_addch(sb, '[');
	for (size_t i = 0; i < r->pms_nr; i++) {
		const struct report_pm *p = &r->pms[i];
		bool f = true;

		strbuf_addstr(sb, i ? ",{" : "{");
		jsonw_member_string(sb, &f, "path", p->pm->path);
		jsonw_member_string(sb, &f, "title", p->pm->title);
		jsonw_member_string(sb, &f, "date", p->pm->date);
		jsonw_member_string(sb, &f, "url", p->pm->url);
		jsonw_member_string(sb, &f, "severity", p->severity);
		jsonw_member(sb, &f, "detection_chain_minutes");
		if (p->pm->detection_chain_minutes >= 0)
			strbuf_addf(sb, "%ld", p->pm->detection_chain_minutes);
		else
			strbuf_addstr(sb, "null");
		member_size(sb, &f, "items", p->items);
		member_size(sb, &f, "open", p->open);
		member_size(sb, &f, "done", p->done);
		member_size(sb, &f, "canceled", p->canceled);
		member_size(sb, &f, "within_window", p->hits);
		member_size(sb, &f, "missed", p->misses);
		member_size(sb, &f, "pending", p->pending);
		member_size(sb, &f, "unknown", p->unknown);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, ']');
}

static void classes_and_drift(struct strbuf *sb, bool *first, const struct report *r)
{
	jsonw_member(sb, first, "repeated_classes");
	strbuf_addch(sb, '[');
	for (size_t i = 0; i < r->classes_nr; i++) {
		bool f = true;

		strbuf_addstr(sb, i ? ",{" : "{");
		jsonw_member_string(sb, &f, "class", r->classes[i].name);
		jsonw_member(sb, &f, "paths");
		strbuf_addch(sb, '[');
		for (size_t k = 0; k < r->classes[i].paths.nr; k++) {
			if (k)
				strbuf_addch(sb, ',');
			jsonw_string(sb, r->classes[i].paths.v[k]);
		}
		strbuf_addstr(sb, "]}");
	}
	strbuf_addch(sb, ']');
	jsonw_member(sb, first, "drift");
	strbuf_addch(sb, '[');
	for (size_t i = 0; i < r->drift_nr; i++) {
		const struct report_drift *d = &r->drift[i];
		bool f = true;

		strbuf_addstr(sb, i ? ",{" : "{");
		jsonw_member_string(sb, &f, "ticket", d->ticket_ref);
		jsonw_member_string(sb, &f, "path", d->pm->path);
		jsonw_member_int(sb, &f, "line", d->item->line);
		jsonw_member_string(sb, &f, "field", d->field);
		jsonw_member_string(sb, &f, "postmortem", d->postmortem);
		jsonw_member_string(sb, &f, "tracker", d->tracker);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, ']');
}

void report_render_json(struct strbuf *sb, const struct report *r)
{
	struct strbuf text = STRBUF_INIT;
	bool first = true, f = true;

	strbuf_addch(sb, '{');
	jsonw_member_int(sb, &first, "version", REPORT_JSON_VERSION);
	jsonw_member_string(sb, &first, "as_of", r->opts.as_of);
	jsonw_member_string(sb, &first, "rev", r->opts.rev);
	jsonw_member_string(sb, &first, "tracker", r->opts.tracker_name);
	jsonw_member_int(sb, &first, "window_days", r->opts.window);
	jsonw_member_int(sb, &first, "goal_percent", r->opts.goal);
	report_add_source(&text, r);
	jsonw_member_string(sb, &first, "source", text.buf);
	jsonw_member(sb, &first, "summary");
	strbuf_addch(sb, '{');
	member_size(sb, &f, "items", r->total);
	member_size(sb, &f, "open", r->open);
	member_size(sb, &f, "done", r->done);
	member_size(sb, &f, "canceled", r->canceled);
	member_size(sb, &f, "inferred", r->inferred);
	member_size(sb, &f, "within_window", r->hits);
	member_size(sb, &f, "missed", r->misses);
	member_size(sb, &f, "pending", r->pending);
	member_size(sb, &f, "unknown", r->unknown);
	member_size(sb, &f, "undated", r->undated);
	member_size(sb, &f, "overdue", r->overdue);
	jsonw_member_bool(sb, &f, "goal_met", report_goal_met(r));
	strbuf_addch(sb, '}');
	counts(sb, &first, "overdue_by_owner", &r->overdue_by_owner);
	counts(sb, &first, "open_by_lever", &r->open_by_lever);
	periods(sb, &first, "months", &r->months, false);
	periods(sb, &first, "quarters", &r->quarters, true);
	jsonw_member(sb, &first, "detection");
	f = true;
	strbuf_addch(sb, '{');
	member_size(sb, &f, "postmortems", r->detection_nr);
	member_median(sb, &f, "median", r->detection_nr, r->detection_median);
	member_size(sb, &f, "half", r->older_nr);
	member_median(sb, &f, "older_median", r->older_nr, r->older_median);
	member_median(sb, &f, "newer_median", r->newer_nr, r->newer_median);
	jsonw_member_string(sb, &f, "trend", report_detection_trend(r));
	strbuf_addch(sb, '}');
	classes_and_drift(sb, &first, r);
	postmortems(sb, &first, r);
	items(sb, &first, r);
	jsonw_member(sb, &first, "definitions");
	strbuf_addch(sb, '{');
	f = true;
	for (size_t i = 0; i < report_definitions_nr; i++) {
		strbuf_reset(&text);
		report_add_defined(&text, report_definitions[i].sentence, r->opts.window);
		{
			struct strbuf name = STRBUF_INIT;

			report_add_defined(&name, report_definitions[i].name, r->opts.window);
			jsonw_member_string(sb, &f, name.buf, text.buf);
			strbuf_release(&name);
		}
	}
	strbuf_addstr(sb, "}}\n");
	strbuf_release(&text);
}
