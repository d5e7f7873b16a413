#ifndef PM_LEAD_H
#define PM_LEAD_H

#include <stdbool.h>
#include <stddef.h>

#include "postmortems/plain.h"
#include "postmortems/postmortem.h"

/* What a list item's text says before its action: a box, a status, an owner. */

/*
 * Reads the leading forms of p's text from offset s into item ("[ ] ", a
 * status mark or word, "TODO(owner):", "@alice will") and returns where the
 * action starts. lead is the length of a leading bold or italic run (0 when
 * none): "**Done** Add a probe" leads with a status.
 */
size_t lead_read(struct action_item *item, const struct plain *p, size_t s, size_t lead);

/*
 * A status mark opening t[s..e): "✅ ", "🚧 ", "[DONE] " (not a word: a table's
 * action cell may start with "Fixed" as a verb). Read into item (unless it
 * has a status); returns where the action starts, s when there is no mark.
 */
size_t lead_mark(struct action_item *item, const char *t, size_t s, size_t e);

/*
 * True when p leads with a status word, not a mark: "**TODO**" (lead as
 * above), "DONE: ", "TODO(kim): ", "WIP ", "[DONE]". Marks such as "✅"
 * also open lists of what went well, so they do not count.
 */
bool lead_status_led(const struct plain *p, size_t lead);

/* True for a word in capitals ("DONE", "WIP"): a mark, where "Open" may be a verb. */
bool lead_is_caps_word(const char *s, size_t len);

/* Length of s without a trailing emoji variation selector (U+FE0F). */
size_t lead_without_vs16(const char *s, size_t len);

/* True for a byte of a handle ("@alice.b-2"). */
bool lead_is_handle_char(int c);

#endif
