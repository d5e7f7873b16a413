#ifndef PM_LINEAR_H
#define PM_LINEAR_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "connectors/tracker.h"
#include "util/json.h"
#include "util/strbuf.h"

/*
 * The Linear connector: struct tracker_ops over Linear's GraphQL API.
 *
 * What the engine must know:
 *  - Outcomes of create: PM_ENET means "may have been applied" (a 5xx, a
 *    timeout or a connection lost after sending, or a success response that
 *    could not be read); look the pmsync-chosen ids up with get_by_ids
 *    before creating again. Every other failure code (PM_ETRACKER,
 *    PM_ERATELIMIT, PM_EAUTH, PM_EREFUSED) means nothing was created: Linear
 *    applies a batch in one transaction. A ticket present in `created`
 *    exists whatever its outcome says; its has_marker tells whether its
 *    marker was written (a failed marker write leaves outcome != 0).
 *  - set_markers, update and cancel are idempotent and retried; an element
 *    that failed was not applied, except that an update whose marker write
 *    failed after the issue was updated reports the marker failure.
 *  - create, set_markers, update and cancel return 0 when they ran to the
 *    end, whatever each element's outcome; or the error that stopped them
 *    (auth, rate limit after retries, network, dry-run refusal, Linear's
 *    usage limit), with its message recorded and carried by every element
 *    not settled before it. Elements settled before a stop keep their own
 *    outcomes; created tickets are in `created` either way.
 *    outcomes[0..n) are written without being released first.
 *  - pmsync owns only its own labels: cfg->label and the names that start
 *    with cfg->lever_label_prefix (any case; with an empty prefix, prefix +
 *    each configured lever). fields.labels, read or written, holds only
 *    those (so do the labels of a marker's `written`); a label a person added
 *    is neither reported nor touched. Creates send labelIds; updates send
 *    addedLabelIds and removedLabelIds for the difference from the labels the
 *    tracker last read on the issue (an issue it never read: every other
 *    label of pmsync's that the team knows is removed). Names missing in
 *    Linear are created as team labels.
 *  - Writing a marker (set_markers, or update with a marker) also deletes,
 *    in the same document, the other markers of this repository that the
 *    tracker last read on that issue (a postmortem renamed, an item
 *    re-keyed): a ticket carries one marker. Attachments that are not this
 *    repository's markers (people's links, other repositories' markers) are
 *    never deleted. One already gone counts as deleted.
 *  - get_by_refs appends one ticket per found reference (ENG-12 or a
 *    linear.app issue URL); references of issues that moved to another team
 *    since are not found.
 *  - A ticket carrying markers for two items (left by versions that did not
 *    delete replaced markers) keeps the first created one; the other item's
 *    key is in other_marker_key. Of two markers for the same item (a
 *    postmortem moved, so its URL changed) the last updated wins.
 *  - Trashed issues read as TRACKER_CANCELED and archived.
 */

int linear_tracker_new(struct tracker **out, const struct config *cfg,
                       const struct tracker_options *opts);

/* Linear's entry in the table of trackers (connectors/tracker.h). */
extern const struct tracker_kind linear_tracker_kind;

struct http_client;
struct http_client_options;
/* What Linear's HTTP client is told of GraphQL and of Linear: the dry-run rule, errors, tokens. */
void linear_http_options(struct http_client_options *o);
/* The tracker's HTTP client, for tests that replace its clock (t must be Linear's). */
struct http_client *linear_tracker_http(struct tracker *t);

/*
 * Response parsing (linear_reply.c, linear_parse.c) and the marker's
 * metadata (linear_markers.c), shared by the connector's files and driven
 * directly by the fuzz target and the unit tests.
 */

/* A parsed response: the envelope of every GraphQL answer. */
struct linear_reply {
	long status;
	json_t *root;   /* owned */
	json_t *data;   /* borrowed from root; NULL when absent or null */
	json_t *errors; /* borrowed from root; NULL when absent or empty */
};

#define LINEAR_REPLY_INIT           \
	{                           \
		0, NULL, NULL, NULL \
	}

void linear_reply_release(struct linear_reply *r);

/*
 * Parses body (any status) into r. Fails on a body that is not JSON or not
 * shaped as a GraphQL response, with the code the status suggests (5xx:
 * PM_ENET, 401: PM_EAUTH, 429: PM_ERATELIMIT, other 4xx: PM_ETRACKER, 2xx:
 * PM_ENET) and a message naming op.
 */
int linear_reply_parse(struct linear_reply *r, long status, const char *body, size_t len,
                       const char *op);

/*
 * Records the failure r reports as a whole (its first error, RATELIMITED
 * first, or its status) as "linear: <op>: HTTP <status>: <message>" and
 * returns its code. token_var names the variable to check on a 401.
 */
int linear_reply_fail(const struct linear_reply *r, const char *op, const char *token_var);

/* The pm_error_code of one errors[] entry under status. */
int linear_error_code(json_t *error, long status);
/*
 * What one errors[] entry says by its extensions (code, else type, else
 * userError): an enum retry_reason, RETRY_NONE when nothing is known.
 */
int linear_error_reason(json_t *error);
struct http_response;
/* For the HTTP client's retry policy: what a response body says (see retry.h), RATELIMITED first. */
int linear_body_reason(const struct http_response *res);
/* Linear's text for one errors[] entry: userPresentableMessage, else message. */
const char *linear_error_text(json_t *error);
/*
 * Aliases of the batched mutations: "<letters><index>", optionally followed
 * by "<letters><sub>" for a second field of the same element ("m3d1": the
 * marker write of element 3, its second delete). Returns the index and sets
 * *sub (-1 when none); -1 when alias is not shaped so.
 */
long linear_alias_parse(const char *alias, long *sub);
/* The document index of the alias an errors[] entry's path starts with ("u3" -> 3), or -1. */
long linear_error_alias(json_t *error);

/* Listing pages. */
enum linear_page_kind {
	LINEAR_PAGE_ATTACHMENTS, /* data.attachments: markers with their issues */
	LINEAR_PAGE_ISSUES,      /* data.issues: issues with their markers */
};

struct linear_page {
	bool has_next;
	char *end_cursor;
};

/* One of this repository's markers as read: which attachment, on which issue, at which URL. */
struct linear_marker_ref {
	char *issue_id;
	char *attachment_id; /* NULL when unknown */
	char *url;
};

void linear_marker_ref_release(struct linear_marker_ref *r);

/*
 * Tickets accumulated over pages: one per issue id, with the update time of
 * each ticket's marker for choosing between two markers of the same item,
 * and every marker of ours read (the ones that lost that choice too).
 */
struct linear_listing {
	struct tracker_tickets *out;
	char **marker_updated; /* parallel to out->v */
	size_t marker_updated_alloc;
	struct linear_marker_ref *refs;
	size_t refs_nr, refs_alloc;
};

#define LINEAR_LISTING_INIT(out)           \
	{                                  \
		(out), NULL, 0, NULL, 0, 0 \
	}

void linear_listing_release(struct linear_listing *l);

/*
 * Reads one page of kind from data into l, keeping only markers whose
 * subtitle is exactly subtitle. Label fields hold label ids, not names: the
 * caller maps them. Mismatches name their JSON path.
 */
int linear_page_read(struct linear_listing *l, struct linear_page *page, enum linear_page_kind kind,
                     const char *subtitle, json_t *data, const struct pm_json_path *p);

/* Reads one issue node (LINEAR_ISSUE_FIELDS) into tk; label ids in tk->fields.labels. */
int linear_issue_read(struct tracker_ticket *tk, json_t *node, const struct pm_json_path *p);

/*
 * The whole pipeline over one raw response, for the fuzzer: envelope, then
 * linear_page_read(). Appends to out.
 */
int linear_parse_page(struct tracker_tickets *out, struct linear_page *page,
                      enum linear_page_kind kind, const char *subtitle, long status,
                      const char *body, size_t len);

void linear_page_release(struct linear_page *p);

/* The marker's attachment metadata, and the JSON of its `written` fields. */
json_t *linear_marker_metadata(const struct tracker_marker *m, const char *repo_id);
void linear_written_json(struct strbuf *sb, const struct tracker_fields *f);
/* Parses `written` (a JSON string, or an object) into f; false when unreadable. */
bool linear_written_read(struct tracker_fields *f, json_t *written);

/*
 * Reduces a reference to an identifier: "ENG-12" (any case) or a
 * https://linear.app/<org>/issue/ENG-12/... URL gives key "ENG" and number 12.
 */
bool linear_ref_parse(const char *ref, struct strbuf *key, long *number);

#endif
