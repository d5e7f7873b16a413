#ifndef PM_POSTMORTEM_H
#define PM_POSTMORTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The data read from one postmortem: its metadata, its action items and the
 * diagnostics found while reading it. Plain structs: every string is owned by
 * the struct that holds it and freed by postmortem_release().
 */

enum pm_item_status {
	PM_ITEM_OPEN = 0,
	PM_ITEM_DONE,
	PM_ITEM_CANCELED, /* will not be done: never gets a ticket */
};

/* done_at of an item first seen closed in the version at hand (keys.c sets it). */
#define PM_DONE_AT_NEW ((int64_t)-1)

enum pm_ticket_kind {
	PM_TICKET_NONE = 0,
	PM_TICKET_KEY,    /* a key such as ENG-123 */
	PM_TICKET_URL,    /* a tracker URL (Linear, Jira) */
	PM_TICKET_GITHUB, /* a GitHub issue or pull request: tracked elsewhere */
	PM_TICKET_OTHER,  /* some other reference ("Bug #5554823", a commit URL) */
};

/* Where a key came from, strongest first. */
enum pm_key_source {
	PM_KEY_ID = 0, /* an explicit ID column */
	PM_KEY_TICKET, /* the ticket cell */
	PM_KEY_TEXT,   /* the action text (possibly inherited through history) */
};

/*
 * Where the reader found an item, surest first. Items of the first three
 * kinds are what the postmortem calls its action items; the others are
 * inferred (read outside any action-items section, or from prose): listed,
 * and never made into tickets unless the configuration asks for it.
 */
enum pm_item_origin {
	PM_ORIGIN_SECTION = 0, /* under an action-items heading */
	PM_ORIGIN_LABEL,       /* under a line that says "Action items", with no such heading */
	PM_ORIGIN_TABLE,       /* a table with an action column, with no such heading */
	PM_ORIGIN_PLANNED,     /* under "Actions planned:", "Our commitments:", "What we will do" */
	PM_ORIGIN_STATUS,      /* a paragraph or bullet led by a status: "**TODO**", "DONE:" */
	PM_ORIGIN_PROSE,       /* a bullet that begins "We will", "We'll", "We are going to" */
};

#define PM_ORIGIN_FIRST_INFERRED PM_ORIGIN_PLANNED

/* A column pmsync does not interpret, kept as name and value. */
struct pm_field {
	char *name;
	char *value;
};

struct action_item {
	char *key; /* stable key, see postmortems/keys.h */
	enum pm_key_source key_source;
	int line;       /* 1-based source line of the row or list item */
	int col;        /* 1-based column */
	char *text;     /* the action as plain text */
	char *markdown; /* the action as written (Markdown) */
	char *owner;    /* NULL when none ("???", "n/a" and empty are none) */
	char *due;      /* YYYY-MM-DD, or NULL */
	char *due_raw;  /* the due date as written, or NULL */
	char *lever;    /* lower-case lever as written (test, alert, ...), or NULL */
	char *ticket;   /* the primary reference as written (the first), NULL when none */
	char **tickets; /* every reference as written, the primary first */
	size_t tickets_nr, tickets_alloc;
	enum pm_ticket_kind ticket_kind;
	char *ticket_key; /* ENG-123 when the reference names one, else NULL */
	enum pm_item_status status;
	/*
	 * Done or canceled items: when it was closed, the commit time (Unix
	 * seconds) of the first commit of the unbroken run of commits showing it
	 * closed, up to the revision read (postmortems/history.c). 0 or less:
	 * unknown (open, no history, a shallow boundary, the work tree).
	 */
	int64_t done_at;
	char *status_raw;       /* status as written, or NULL */
	char *priority;         /* as written, or NULL */
	char *id;               /* explicit id cell, or NULL */
	struct pm_field *extra; /* other columns, in table order */
	size_t extra_nr, extra_alloc;
	enum pm_item_origin origin;
	bool inferred; /* origin at or past PM_ORIGIN_FIRST_INFERRED: never created by default */
	int heading;   /* index in the postmortem's headings of the one above, -1 when none */
	int parent;    /* 1 + index of the item this is a sub-task of, 0 when none */
};

/* A front-matter field; values of YAML lists are joined with ", ". */
struct pm_meta {
	char *name;
	char *value;
	int line;
};

struct postmortem {
	char *path;        /* path in the repository, '/'-separated */
	char *origin_path; /* path when the file was first added (renames followed) */
	char blob_id[41];  /* git blob id, hex; "" for a file read from the work tree */
	char *title;
	int title_line;
	char *date;                   /* YYYY-MM-DD, or NULL */
	char *date_source;            /* "front matter", "file name", "Date field", or NULL */
	char *url;                    /* stable URL of the postmortem, or NULL */
	long detection_chain_minutes; /* -1 when absent */
	struct pm_meta *meta;
	size_t meta_nr, meta_alloc;
	char **headings; /* text of every heading, in order, for lint */
	int *heading_lines;
	size_t headings_nr, headings_alloc;
	char *section;    /* text of the action-items heading, NULL when none */
	int section_line; /* its line, 0 when none */
	struct action_item *items;
	size_t items_nr, items_alloc;
	bool unreadable; /* not UTF-8, binary, too large: items unknown */
};

#define POSTMORTEM_INIT \
	{               \
		0       \
	}

void postmortem_init(struct postmortem *pm);
void postmortem_release(struct postmortem *pm);
void action_item_release(struct action_item *item);

/* "open", "done" or "canceled": the one spelling of statuses everywhere. */
const char *action_item_status_name(enum pm_item_status status);

/* "section", "label", "table", "planned", "status" or "prose". */
const char *action_item_origin_name(enum pm_item_origin origin);

/* How sure the reader is that an item of this origin is one: "high", "medium" or "low". */
const char *action_item_confidence(enum pm_item_origin origin);

/* Looks up a front-matter field by name; NULL when absent. */
const char *postmortem_meta(const struct postmortem *pm, const char *name);

/* Appends a zeroed item and returns it (owned by pm). */
struct action_item *postmortem_add_item(struct postmortem *pm);

#endif
