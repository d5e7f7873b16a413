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
	const char *tracker_name; /* for "changed in <tracker>"; NULL: "the tracker" */
	sync_render_user_fn user_name;
	void *user_data;
	const char *const
	        *secrets; /* NULL-ended strings masked wherever they appear; may be NULL */
};

/* The counts a summary line reports. */
struct sync_render_counts {
	size_t create, update, cancel, adopt; /* adopt counts recoveries too */
	size_t unchanged, orphaned, missing, unknown, elsewhere, done_no_ticket, before_since;
	size_t inferred;           /* items read outside the action section, not created */
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
 * Masks anything shaped like a tracker's token (tracker_token_prefixes())
 * and every occurrence of each string of secrets (NULL-ended;
 * may be NULL) in sb.
 */
void sync_render_redact(struct strbuf *sb, const char *const *secrets);

/*
 * For the renderers (sync/render_text.c, render_json.c, render_markdown.c):
 * what they share. Strings returned are borrowed from the change or static.
 */

#define SYNC_RENDER_RESET "\033[0m"
#define SYNC_RENDER_BOLD "\033[1m"
#define SYNC_RENDER_RED "\033[31m"
#define SYNC_RENDER_GREEN "\033[32m"
#define SYNC_RENDER_YELLOW "\033[33m"
#define SYNC_RENDER_CYAN "\033[36m"
#define SYNC_RENDER_MAGENTA "\033[35m"

/* How each kind of change is shown. */
struct sync_render_kind {
	const char *sym;
	const char *verb;      /* plan */
	const char *done_verb; /* result */
	const char *name;      /* JSON */
	const char *color;
};

const struct sync_render_kind *sync_render_kind_of(enum sync_kind k);

/* A change that writes to the tracker. */
bool sync_render_is_write(enum sync_kind k);

/* A change that gets a block of its own: a write, or drift and conflicts to report. */
bool sync_render_has_block(const struct sync_change *c);

/* After apply: the change failed; a write that was not attempted. */
bool sync_render_failed(const struct sync_change *c);
bool sync_render_untried(const struct sync_change *c);

/* The plan's changes in output order (path, line, key, ticket); free() the array. */
const struct sync_change **sync_render_sorted(const struct sync_plan *plan);

/* Appends s with control characters (terminal escapes, newlines) made spaces. */
void sync_render_add_clean(struct strbuf *sb, const char *s);

/* The ticket's reference (ENG-12), else its id, else NULL. */
const char *sync_render_ticket_ref(const struct sync_change *c);

/* The change's title: desired, else the item's text, else the ticket's; or NULL. */
const char *sync_render_title(const struct sync_change *c);

const char *sync_render_status_name(enum tracker_status s);

/* Appends one field's value as people read it (cleaned, unquoted except titles). */
void sync_render_value(struct strbuf *sb, unsigned bit, const struct tracker_fields *f,
                       const struct sync_render_options *o);

/* What pmsync last wrote to the ticket, the base of drift; desired when unknown. */
const struct tracker_fields *sync_render_written(const struct sync_change *c);

/* For "changed in <tracker>": the tracker's name, or "the tracker". */
const char *sync_render_tracker_name(const struct sync_render_options *o);

#endif
