#ifndef PM_JIRA_INT_H
#define PM_JIRA_INT_H

/*
 * INTERNAL to the Jira connector: the tracker's state and what the files
 * connectors/jira/jira*.c give each other. The interface is jira.h.
 */

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "connectors/http.h"
#include "connectors/jira/jira.h"
#include "connectors/tracker.h"
#include "util/strbuf.h"

#define JIRA_PROPERTY "pmsync" /* the issue property that holds the marker */
#define JIRA_BULK_MAX 50       /* issues in one bulk create */
#define JIRA_RECONCILE_MAX 50  /* ids in one search's reconcileIssues */
#define JIRA_ID_PAGE 5000      /* ids asked for in one search page (Cloud) */
#define JIRA_FETCH_MAX 100     /* issues in one bulk fetch (Cloud) */
#define JIRA_DC_PAGE 1000 /* issues asked for in one search page (Data Center: its default limit) */
#define JIRA_MAX_PAGES 1000
#define JIRA_SUMMARY_MAX 255 /* bytes of a summary */
#define JIRA_SEARCH_FIELDS                                                               \
	"summary", "description", "assignee", "duedate", "priority", "labels", "status", \
	        "resolution", "resolutiondate", "statuscategorychangedate", "created", "project"

struct jira_priority {
	char *id, *name;
};

struct jira_user {
	char *query; /* the e-mail or identity asked for */
	char *id;    /* accountId (Cloud) or name (Data Center); NULL when not found */
};

/* One element of the intent journal: an item about to be created, and its issue once known. */
struct jira_intent {
	char *item_key;
	char *issue_id; /* NULL until a response brought it */
};

struct jira_tracker {
	struct tracker base;
	struct http_client *http;
	char *site;            /* base URL without a trailing slash */
	char *api;             /* site + "/rest/api/3" or "/rest/api/2" */
	char *auth;            /* the Authorization header's value */
	char *ca_info;         /* the CA bundle that verifies the site; NULL: the system store */
	const char *ca_origin; /* where it came from (connectors/endpoint.h) */
	bool cloud;            /* REST v3, ADF, account ids, token paging */
	bool prepared;
	int bulk; /* Data Center: 1 bulk create works, 0 untried, -1 not offered */
	char *project_id;
	char *issue_type_id;
	struct jira_priority *priorities; /* the create metadata's allowed values, in order */
	size_t priorities_nr, priorities_alloc;
	json_t *required;   /* required fields without a default: {fieldId: name} */
	json_t *extra;      /* values of jira.field, {fieldId: value} as sent */
	json_t *seen;       /* every label of each issue as last read or written: {id: [..]} */
	json_t *linked;     /* the URL each issue's remote link names, as known: {id: url|null} */
	bool links_refused; /* the site refused a remote link with 403: none more this run */
	struct jira_user *users;
	size_t users_nr, users_alloc;
	struct jira_intent *journal; /* read from the journal file, plus this run's */
	size_t journal_nr, journal_alloc;
	char *journal_file;          /* NULL: no journal (tests, dry runs) */
	long long recovery_bound_ms; /* how long journaled creates are searched for */
};

static inline struct jira_tracker *jira_tracker_of(struct tracker *t)
{
	return (struct jira_tracker *)t;
}

/* jira.c: requests. */
const char *jira_conf_name(const struct jira_tracker *jt);
/*
 * Sends method path (under jt->api, or the site when path starts with
 * "/rest/") with body (stolen, may be NULL), and parses a JSON answer into
 * *out (may be NULL when the caller needs none; json null for an empty
 * body). Any status outside 2xx fails with Jira's own words, the request
 * named: "jira: POST /rest/api/3/issue: HTTP 400: Field 'x' ...", and
 * still gives its JSON body in *out when there is one (else NULL). *status
 * receives the status whenever a response arrived.
 */
int jira_call(struct jira_tracker *jt, json_t **out, long *status, const char *method,
              const char *path, json_t *body, bool idempotent);
/* Jira's error collection as one line ("summary: required; Field x ..."). */
void jira_error_text(struct strbuf *sb, const json_t *errors);
/* True when no later request can succeed: stop and report it for every element. */
bool jira_is_stop(int code);

/* jira_meta.c: the project, issue type, create metadata, priorities. */
int jira_load_meta(struct jira_tracker *jt);
const char *jira_priority_name(const struct jira_tracker *jt, int priority);
int jira_priority_of(const struct jira_tracker *jt, const char *name);

/* jira_issue.c: issues as JSON, both ways. */
json_t *jira_fields_json(struct jira_tracker *jt, const struct tracker_fields *f, unsigned mask,
                         bool create);
json_t *jira_marker_json(const struct tracker_marker *m);
char *jira_label(const char *label);
/* Reads one issue of a search or create answer into tk; false when it is not one of ours. */
int jira_take_issue(struct jira_tracker *jt, struct tracker_ticket *tk, json_t *issue,
                    const char *where);

/* jira_write.c: the labels an issue was seen with. */
void jira_seen_labels(struct jira_tracker *jt, const char *id, const json_t *labels);

/* jira_links.c: the remote link to the postmortem on each issue. */
/* Records the URL the marker of issue id names (NULL: none), as read or linked. */
void jira_link_seen(struct jira_tracker *jt, const char *id, const char *url);
/* Forgets it: the issue's link may be missing (a create whose answer was lost). */
void jira_link_forget(struct jira_tracker *jt, const char *id);
/*
 * Upserts the link of issue id to m's URL unless jira.remoteLinks is off or
 * the link is known to name it; a failure is a note in *out (code 0).
 */
void jira_link(struct jira_tracker *jt, const char *id, const struct tracker_marker *m,
               struct tracker_outcome *out);
/* jira_link() for each ticket of created from index from, made by one of c[0..n). */
void jira_link_created(struct jira_tracker *jt, const struct tracker_create *c, size_t n,
                       const struct tracker_tickets *created, size_t from,
                       struct tracker_outcome *outcomes);

/* jira_search.c */
int jira_search(struct jira_tracker *jt, struct tracker_tickets *out, const char *jql,
                const char *const *reconcile, size_t nreconcile, bool ours_only);

/* jira_journal.c: the intent journal beside the state. */
int jira_journal_load(struct jira_tracker *jt);
int jira_journal_save(struct jira_tracker *jt);
void jira_journal_add(struct jira_tracker *jt, const char *item_key);
void jira_journal_set_id(struct jira_tracker *jt, const char *item_key, const char *issue_id);
void jira_journal_drop(struct jira_tracker *jt, const char *item_key);
void jira_journal_clear(struct jira_tracker *jt);

/* The tracker operations (see connectors/tracker.h). */
int jira_prepare(struct tracker *t);
int jira_resolve_users(struct tracker *t, const char *const *emails, size_t n,
                       const char **ids_out);
int jira_list_managed(struct tracker *t, struct tracker_tickets *out);
int jira_get_by_ids(struct tracker *t, struct tracker_tickets *out, const char *const *ids,
                    size_t n);
int jira_get_by_refs(struct tracker *t, struct tracker_tickets *out, const char *const *refs,
                     size_t n);
int jira_create(struct tracker *t, const struct tracker_create *c, size_t n,
                struct tracker_tickets *created, struct tracker_outcome *outcomes);
int jira_set_markers(struct tracker *t, const char *const *ids,
                     const struct tracker_marker *markers, size_t n,
                     struct tracker_outcome *outcomes);
int jira_update(struct tracker *t, const struct tracker_update *u, size_t n,
                struct tracker_outcome *outcomes);
int jira_cancel(struct tracker *t, const char *const *ids, size_t n,
                struct tracker_outcome *outcomes);
int jira_find_pending(struct tracker *t, const struct tracker_create *c, size_t n,
                      struct tracker_tickets *out);
int jira_doctor(struct tracker *t, const struct config *cfg, struct tracker_findings *out);
bool jira_owns_ref(struct tracker *t, const char *ref);

#endif
