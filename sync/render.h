#ifndef PM_SYNC_RENDER_H
#define PM_SYNC_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "sync/sync.h"
#include "util/strbuf.h"

/*
 * Renders a sync plan, or the outcome of applying it, for people (text, in
 * the manner of `terraform plan`), for scripts (versioned JSON) and for a
 * pull-request comment (Markdown). Changes come out in (path, line) order
 * whatever the plan's order; nothing rendered ever holds a token.
 */

enum sync_render_format {
	SYNC_RENDER_TEXT = 0,
	SYNC_RENDER_JSON,
	SYNC_RENDER_MARKDOWN,
};

/* The version of the JSON document; bumped when a field changes meaning. */
#define SYNC_RENDER_JSON_VERSION 1

/* Names a tracker user for people (an email), or returns NULL when unknown. */
typedef const char *(*sync_render_user_fn)(void *data, const char *user_id);

struct sync_render_options {
	enum sync_render_format format;
	bool result;              /* the outcome of sync_apply, in the past tense */
	bool color;               /* ANSI colours (text only) */
	int verbosity;            /* > 0: unchanged tickets and skipped items listed too */
	const char *tracker_name; /* for "changed in Linear"; NULL: "the tracker" */
	sync_render_user_fn user_name;
	void *user_data;
	const char *const
	        *secrets; /* NULL-ended strings masked wherever they appear; may be NULL */
};

/* The counts a summary line reports. */
struct sync_render_counts {
	size_t create, update, cancel, adopt; /* adopt counts recoveries too */
	size_t unchanged, orphaned, missing, unknown, elsewhere, done_no_ticket, before_since;
	size_t drift, conflicts;   /* tickets with drift, with conflicts */
	size_t open, done, closed; /* tickets by status */
	size_t succeeded, failed,
	        untried; /* after apply: writes that went through, failed, not tried */
};

/* Parses "text", "json" or "markdown" (also "md"); PM_EUSAGE otherwise. */
int sync_render_parse_format(enum sync_render_format *out, const char *name);

void sync_render_count(struct sync_render_counts *out, const struct sync_plan *plan);

/* True when applying the plan would write something. */
bool sync_render_pending(const struct sync_plan *plan);

/* Appends the plan (or the result, with opts->result) to out. */
void sync_render(struct strbuf *out, const struct sync_plan *plan,
                 const struct sync_render_options *opts);

/*
 * Masks anything shaped like a Linear key or OAuth token (lin_api_...,
 * lin_oauth_...) and every occurrence of each string of secrets (NULL-ended;
 * may be NULL) in sb.
 */
void sync_render_redact(struct strbuf *sb, const char *const *secrets);

#endif
