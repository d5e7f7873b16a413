#ifndef PM_FIELDS_H
#define PM_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "postmortems/postmortem.h"

/*
 * Readers for the values found in action-item cells and list items: column
 * names and their synonyms, owners, status words, levers, "none" values and
 * placeholders (dates are in dates.h, ticket references in ticket.h, plain
 * text in text.h, labels in label.h). Every reader takes a byte range (not
 * necessarily NUL-terminated) of valid UTF-8 and never fails: a value it
 * cannot read is reported as absent and left to the caller to keep raw.
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
	FIELDS_STATUS_CANCELED, /* canceled, won't do, wontfix, dropped, obsolete... */
};

/* The kind of a table column from its header text ("Bug #", "Who", ...). */
enum fields_column fields_column(const char *header, size_t len);

/*
 * The owner named by a cell: trimmed, leading '@' of each name removed; NULL
 * for "none" values ("", "???", "n/a", "-", "TBD", ...).
 */
char *fields_owner(const char *s, size_t len);

/* A status word alone (bold or with a final '.' allowed): done, closed, todo, wontfix... */
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

/* Lower-cased, trimmed lever, or NULL when empty. */
char *fields_lever(const char *s, size_t len);

/*
 * True when s (any case) is one of levers, or of the built-in list (test,
 * runbook, alert, code, prompt, eval, ...) when levers is NULL.
 */
bool fields_is_lever(const char *s, size_t len, const struct strlist *levers);

#endif
