#ifndef PM_TICKET_H
#define PM_TICKET_H

#include <stdbool.h>
#include <stddef.h>

#include "postmortems/postmortem.h"

/*
 * Ticket references next to an action item: kept as written, classified
 * (key, tracker URL, GitHub, other), with the tracker key pulled out.
 */

/* A classified ticket reference; strings are owned by the struct. */
struct ticket {
	char *ticket;
	enum pm_ticket_kind kind;
	char *key;
};

#define TICKET_INIT                        \
	{                                  \
		NULL, PM_TICKET_NONE, NULL \
	}

/*
 * Classifies a reference. text is the cell as plain text (may be empty), url
 * the destination of a link inside it (or NULL). Writes out (releasing nothing
 * first); kind PM_TICKET_NONE and NULL strings when there is no reference.
 */
void ticket_read(struct ticket *out, const char *text, size_t len, const char *url);
void ticket_release(struct ticket *t);

/* True when s is a ticket key such as ENG-123. */
bool ticket_is_key(const char *s, size_t len);

/* True for one reference as a word: "ENG-12", "#12", "org/repo#12", a URL. */
bool ticket_is_ref_word(const char *s, size_t len);

/* True when url points at an issue tracker item (GitHub issue/PR/commit, Linear, Jira). */
bool ticket_is_tracker_url(const char *url);

/* True when link text reads as a reference: "Issue", "PR", "#12", "db#411", the URL itself. */
bool ticket_is_ref_text(const char *t, size_t len, const char *url);

/* True for "#12" or "org/repo#12", an unlinked reference as one word. */
bool ticket_is_hash_ref(const char *s, size_t len);

/*
 * An unlinked reference as the whole of s ("#12", "PR #12", "see issue
 * #7"): the offset where the reference as written starts ("see" is not part
 * of it), or len when s is something else.
 */
size_t ticket_unlinked_ref(const char *s, size_t len);

#endif
