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

#endif
