#ifndef PM_REPORT_H
#define PM_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "postmortems/repo.h"
#include "sync/sync.h"
#include "util/strbuf.h"

/*
 * The completion report for the all-hands: every action item with its
 * postmortem and its ticket as the tracker holds it now (or, without a
 * tracker, its status in the postmortem and the date of the first commit
 * showing it closed), and the metrics computed from them: completion,
 * closure within a window of days against a goal, overdue items by owner,
 * open items by lever, the trend per month and quarter, detection time,
 * repeated incident classes, and drift between tracker and postmortem.
 * Everything is computed as of one date, so that the same inputs and the
 * same date always give the same report, byte for byte.
 */

/* Names a tracker user for people (an email), or NULL when unknown. */
typedef const char *(*report_user_fn)(void *data, const char *user_id);

enum report_format {
	REPORT_MARKDOWN = 0,
	REPORT_JSON,
	REPORT_HTML,
};

/* The version of the JSON document; bumped when a field changes meaning. */
#define REPORT_JSON_VERSION 1

struct report_options {
	const char *as_of;        /* YYYY-MM-DD */
	long window;              /* days (report.window) */
	long goal;                /* percent (report.goal) */
	const char *tracker_name; /* "Linear"; NULL without a tracker */
	const char *rev;          /* the commit read, or NULL */
};

/* Where an item stands against the window. */
enum report_window {
	REPORT_HIT = 0, /* closed within the window */
	REPORT_MISS,    /* closed after it, or still open when it ended */
	REPORT_PENDING, /* open, and the window has not ended */
	REPORT_UNKNOWN, /* done, but when is not known; or the postmortem has no date */
	REPORT_NA,      /* canceled: out of the denominator */
};

struct report_item {
	const struct postmortem *pm;
	const struct action_item *item;
	enum pm_item_status status; /* as of the report's date */
	char closed[11];            /* closure date (UTC), "" when open or unknown */
	enum report_window window;
	bool overdue;
	const char *due;        /* the ticket's due date, else the postmortem's */
	const char *ticket_ref; /* the tracker's key, borrowed; NULL without one */
	const char *ticket_url;
};

/* A named count (an owner's overdue items, a lever's open items). */
struct report_count {
	char *name;
	size_t n;
};

struct report_counts {
	struct report_count *v;
	size_t nr, alloc;
};

/* The items of postmortems dated in one month or quarter. */
struct report_period {
	char name[8]; /* 2026-03 or 2026-Q1 */
	size_t items, hits, misses, pending, unknown;
	size_t detection_nr;
	double detection_median; /* of the period's postmortems; valid when detection_nr */
};

struct report_periods {
	struct report_period *v;
	size_t nr, alloc;
};

/* Per postmortem. */
struct report_pm {
	const struct postmortem *pm;
	const char *severity; /* front matter, or NULL */
	size_t items, open, done, canceled, hits, misses, pending, unknown;
};

struct report_class {
	char *name;
	struct strlist paths; /* the postmortems that name it, in path order */
};

/* A ticket whose value differs from the postmortem's. */
struct report_drift {
	const struct postmortem *pm;
	const struct action_item *item;
	const char *ticket_ref;
	const char *field; /* status, title, assignee, due */
	char *postmortem;  /* the postmortem's value; NULL: none */
	char *tracker;     /* the tracker's value; NULL: none */
};

struct report {
	struct report_options opts;
	bool links; /* some postmortem has a URL */
	struct report_item *items;
	size_t items_nr;
	struct report_pm *pms;
	size_t pms_nr;
	size_t total, open, done, canceled, overdue;
	size_t inferred; /* items read outside an action-items section, counted in total */
	size_t hits, misses, pending, unknown, undated;
	struct report_counts overdue_by_owner, open_by_lever;
	struct report_periods months, quarters;
	/* detection_chain_minutes */
	size_t detection_nr, older_nr, newer_nr;
	double detection_median, older_median, newer_median;
	struct report_class *classes;
	size_t classes_nr;
	struct report_drift *drift;
	size_t drift_nr, drift_alloc;
};

/*
 * Builds the report of set as of opts->as_of. plan, when given, is a plan
 * built against the tracker (dry run): its matches give each item its
 * ticket, whose status and dates then win over the postmortem's. Postmortems
 * dated after as_of are left out; a closure after as_of counts as open.
 * user_name (may be NULL) names assignees in the drift list.
 */
int report_build(struct report *out, const struct pm_set *set, const struct sync_plan *plan,
                 const struct report_options *opts, report_user_fn user_name, void *user_data);
void report_release(struct report *r);

/* Parses "markdown" (also "md"), "json" or "html"; PM_EUSAGE otherwise. */
int report_parse_format(enum report_format *out, const char *name);

/* markdown, unless path ends in .html/.htm or .json. */
enum report_format report_format_for_path(const char *path);

/* What `pmsync report` and `pmsync sync --report` ask for. */
struct report_request {
	enum report_format format;
	const char *output; /* write the report to this file (atomically); NULL: only into out */
	const char *as_of;  /* YYYY-MM-DD */
	char *note;         /* set when the tracker could not be used and the report went on */
	/* write the closure state into the postmortems (report --write-back), and commit it */
	bool write_back, commit;
	struct strlist messages; /* what the write-back did, for the command to print */
	/* names assignees in the drift list when a plan is given; may be NULL */
	report_user_fn user_name;
	void *user_data;
	long long deadline_ms; /* the run's deadline for the tracker, epoch ms (0: none) */
};

void report_request_release(struct report_request *req);

/*
 * Makes the report of set and appends it to out (and writes it to
 * req->output). With a tracker configured, plan (a plan already built and
 * maybe applied, from `sync --report`) joins items to tickets; without
 * one, the tracker is opened for a dry-run plan (the token from the
 * environment; without a token the report goes on from the postmortems
 * and says so in req->note). root is the repository's top level, where the
 * state file is.
 */
int report_make(struct strbuf *out, const char *root, const struct pm_set *set,
                const struct config *cfg, const struct sync_plan *plan, struct report_request *req);

/* Appends the report in format f. */
void report_render(struct strbuf *out, const struct report *r, enum report_format f);

/* The renderers (report/render_*.c). */
void report_render_markdown(struct strbuf *out, const struct report *r);
void report_render_json(struct strbuf *out, const struct report *r);
void report_render_html(struct strbuf *out, const struct report *r);

/* A share as a whole percentage, "–" when there is no denominator; for the renderers. */
void report_add_rate(struct strbuf *sb, size_t num, size_t den);
/* A median as written: whole, or with ".5". */
void report_add_median(struct strbuf *sb, double m);

/*
 * The summary table, one row at a time: name and value as plain text (no
 * markup needed: only numbers and fixed words), the Markdown and HTML
 * renderers print them their way.
 */
typedef void (*report_row_fn)(struct strbuf *sb, const char *name, const char *value);
void report_summary(struct strbuf *sb, const struct report *r, report_row_fn row);

/* True when the share closed within the window reaches the goal (false with no denominator). */
bool report_goal_met(const struct report *r);
/* "falling", "rising" or "flat": the newer half's median against the older's; NULL without halves. */
const char *report_detection_trend(const struct report *r);
/* The sentence saying where statuses come from. */
void report_add_source(struct strbuf *sb, const struct report *r);

/* The one-sentence definitions every format carries, in order. */
struct report_definition {
	const char *name;
	const char *sentence; /* may hold one %ld (the window) */
};
extern const struct report_definition report_definitions[];
extern const size_t report_definitions_nr;
/* Appends a definition's text with its %ld made the window. */
void report_add_defined(struct strbuf *sb, const char *s, long window);

#endif
