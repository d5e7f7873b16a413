#ifndef PM_FIELDS_H
#define PM_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "postmortems/postmortem.h"
#include "util/strbuf.h"

/*
 * Readers for the values found in action-item cells and list items: column
 * names and their synonyms, dates, owners, ticket references, status words,
 * levers and placeholders. Every reader takes a byte range (not necessarily
 * NUL-terminated) of valid UTF-8 and never fails: a value it cannot read is
 * reported as absent and left to the caller to keep raw.
 */

enum fields_column {
	FIELDS_COL_OTHER = 0,
	FIELDS_COL_ACTION,
	FIELDS_COL_OWNER,
	FIELDS_COL_DUE,
	FIELDS_COL_LEVER,
	FIELDS_COL_TICKET,
	FIELDS_COL_STATUS,
	FIELDS_COL_PRIORITY,
	FIELDS_COL_ID,
};

enum fields_status {
	FIELDS_STATUS_NONE = 0,
	FIELDS_STATUS_OPEN,
	FIELDS_STATUS_DONE,
};

/* A classified ticket reference; strings are owned by the struct. */
struct fields_ticket {
	char *ticket;
	enum pm_ticket_kind kind;
	char *key;
};

#define FIELDS_TICKET_INIT                 \
	{                                  \
		NULL, PM_TICKET_NONE, NULL \
	}

/*
 * Normalizes text for matching labels: lower case (ASCII and Latin-1
 * letters), every punctuation mark, Unicode space, quote or dash turned into
 * one space, trimmed. Appends to out.
 */
void fields_normalize(struct strbuf *out, const char *s, size_t len);

/*
 * Label matching on normalized strings: the pattern's words begin or end the
 * text, the last pattern word possibly a prefix of the text's word
 * ("action item" matches "new action items" and "action items followups").
 * With whole, the pattern must cover the whole text.
 */
bool fields_label_matches(const char *text, const char *pattern, bool whole);

/* The same, for one text against many patterns: the text's word starts computed once. */
#define FIELDS_LABEL_WORDS 8
struct fields_label {
	const char *text;
	size_t len;
	size_t starts[FIELDS_LABEL_WORDS];
};
void fields_label_prepare(struct fields_label *l, const char *text, size_t len);
size_t fields_label_words(const char *pattern, size_t len);
bool fields_label_match(const struct fields_label *l, const char *pattern, size_t pl, size_t words,
                        bool whole);

/* The kind of a table column from its header text ("Bug #", "Who", ...). */
enum fields_column fields_column(const char *header, size_t len);

/*
 * Reads a date at the start of s: 2026-05-01, 2026-5-1, 2026/05/01,
 * "May 1, 2026", "1 May 2026", "7th September, 2022", after an optional
 * weekday. Writes YYYY-MM-DD into out and returns the bytes read, or 0 when s
 * does not start with a valid calendar date.
 */
size_t fields_date_prefix(char out[11], const char *s, size_t len);

/* The same, but s (trimmed, a final '.' allowed) must be the date alone. */
bool fields_date(char out[11], const char *s, size_t len);

/*
 * The owner named by a cell: trimmed, leading '@' of each name removed; NULL
 * for "none" values ("", "???", "n/a", "-", "TBD", ...).
 */
char *fields_owner(const char *s, size_t len);

/* A status word alone (bold or with a final '.' allowed): done, closed, todo... */
enum fields_status fields_status_word(const char *s, size_t len);

/*
 * Finds a status word glued to a ticket cell ("n/a DONE", "Bug #5 TODO",
 * "**DONE**"): returns its status and sets *word_off and *word_len to the word
 * and *rest_len to the length of what precedes it (trimmed). Returns
 * FIELDS_STATUS_NONE when the cell ends in no status word.
 */
enum fields_status fields_split_status(const char *s, size_t len, size_t *rest_len,
                                       size_t *word_off, size_t *word_len);

/* True for values that mean "nothing": "", "n/a", "none", "-", "—", "?"... */
bool fields_is_none(const char *s, size_t len);

/*
 * True for template residue in place of an action: empty, "...", "N/A",
 * "{{ summary }} [link to github issue]", "... another item".
 */
bool fields_is_placeholder(const char *s, size_t len);

/* True when s is a ticket key such as ENG-123. */
bool fields_is_ticket_key(const char *s, size_t len);

/*
 * Classifies a reference. text is the cell as plain text (may be empty), url
 * the destination of a link inside it (or NULL). Writes out (releasing nothing
 * first); kind PM_TICKET_NONE and NULL strings when there is no reference.
 */
void fields_ticket(struct fields_ticket *out, const char *text, size_t len, const char *url);
void fields_ticket_release(struct fields_ticket *t);

/* True when url points at an issue tracker item (GitHub issue/PR/commit, Linear, Jira). */
bool fields_is_tracker_url(const char *url);

/* Lower-cased, trimmed lever, or NULL when empty. */
char *fields_lever(const char *s, size_t len);

/*
 * True when s (any case) is one of levers, or of the built-in list (test,
 * runbook, alert, code, prompt, eval, ...) when levers is NULL.
 */
bool fields_is_lever(const char *s, size_t len, const struct pm_strlist *levers);

/*
 * Appends s to out as plain text: simple Markdown (emphasis, code spans,
 * links, images, escapes, inline HTML) removed, whitespace collapsed, zero
 * width characters dropped. For raw text that did not go through cmark.
 */
void fields_md_to_plain(struct strbuf *out, const char *s, size_t len);

/*
 * Appends s with every whitespace run (ASCII, NBSP, line breaks) turned into
 * one space, written only before the next visible character (*space carries
 * the pending space between calls; start with false). Zero-width spaces and
 * BOMs are dropped. Never writes a leading or trailing space.
 */
void fields_add_collapsed(struct strbuf *out, bool *space, const char *s, size_t len);

/* Trims ASCII and Unicode spaces (NBSP, zero-width space, BOM) at both ends. */
void fields_trim(const char **s, size_t *len);

/* A duplicate of the trimmed range, or NULL when it is empty. */
char *fields_dup_trimmed(const char *s, size_t len);

#endif
