#ifndef PM_LINEAR_INT_H
#define PM_LINEAR_INT_H

/*
 * INTERNAL to the Linear connector: what the files connectors/linear*.c
 * share (the tracker's state and the helpers one file gives the others).
 * Nothing else includes this header; the connector's interface is
 * connectors/linear.h.
 */

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "connectors/linear/linear.h"
#include "connectors/tracker.h"
#include "util/strbuf.h"

#define LINEAR_MAX_PAGES 2000

#define LINEAR_ISSUE_FIELDS                                                                   \
	"id identifier url title description dueDate priority labelIds archivedAt createdAt " \
	"completedAt canceledAt autoClosedAt trashed state { id name type } "                 \
	"assignee { id email } team { id key }"
#define LINEAR_MARKER_FIELDS "id url title subtitle metadata createdAt updatedAt"

struct linear_state {
	char *id, *name, *type;
	double position;
};

struct linear_label {
	char *id, *name;
	bool team; /* a team label (else a workspace label) */
	bool group;
};

struct linear_user {
	char *query; /* the email or id asked for */
	char *id, *email, *name;
	bool found, active;
};

/* Every label on an issue (ids, pmsync's or not), as read; the newest entry of an issue counts. */
struct linear_seen {
	char *issue_id;
	struct strlist label_ids;
};

struct linear_tracker {
	struct tracker base;
	struct http_client *http;
	char *url;
	char *host;            /* where the token goes, for -v and doctor */
	char *auth;            /* the Authorization header's value */
	const char *token_var; /* the variable it came from */
	char *subtitle;        /* "pmsync <repo_id>", NULL without a repo id */
	bool prepared;
	char *org_key, *org_id, *viewer;
	char *team_id, *team_key, *team_name;
	struct linear_state *states;
	size_t states_nr, states_alloc;
	struct strlist team_keys; /* every team of the workspace */
	struct linear_label *labels;
	size_t labels_nr, labels_alloc;
	struct linear_user *users;
	size_t users_nr, users_alloc;
	struct linear_seen *seen;
	size_t seen_nr, seen_alloc;
	struct linear_marker_ref *markers; /* this repository's markers, as last read or written */
	size_t markers_nr, markers_alloc;
};

static inline struct linear_tracker *linear_tracker_of(struct tracker *t)
{
	return (struct linear_tracker *)t;
}

/* linear.c: the configuration file's name for messages, and requests. */
const char *linear_conf_name(const struct linear_tracker *lt);
/*
 * Sends one document. r receives the parsed reply whenever one arrived, even
 * on failure (callers look at its error codes); release it in every case.
 * partial: errors whose path names an alias are the caller's to sort out
 * (data may be null then); any other error fails the call. vars is stolen.
 */
int linear_gql(struct linear_tracker *lt, struct linear_reply *r, const char *op, const char *doc,
               json_t *vars, bool idempotent, bool partial);
/* True when no later request can succeed: stop and report it for every element. */
bool linear_is_stop(int code, const struct linear_reply *r);
/* Fails (PM_ECONFIG) when there is no repository id to write markers with. */
int linear_need_subtitle(struct linear_tracker *lt);

/* linear_team.c: the viewer, the team and its workflow states. */
int linear_tracker_prepare(struct linear_tracker *lt);
int linear_load_viewer(struct linear_tracker *lt);
int linear_load_team(struct linear_tracker *lt, bool *found);
int linear_load_team_keys(struct linear_tracker *lt);
void linear_team_keys_list(struct strbuf *sb, const struct linear_tracker *lt);
void linear_states_clear(struct linear_tracker *lt);
const struct linear_state *linear_canceled_state(const struct linear_tracker *lt);

/* linear_labels.c: the labels known, the ones pmsync owns, the ones on each issue. */
int linear_load_labels(struct linear_tracker *lt);
void linear_labels_clear(struct linear_tracker *lt);
const struct linear_label *linear_label_by_name(const struct linear_tracker *lt, const char *name);
const struct linear_label *linear_label_by_id(const struct linear_tracker *lt, const char *id);
bool linear_label_owned(const struct linear_tracker *lt, const char *name);
void linear_keep_owned(struct linear_tracker *lt, struct strlist *l);
void linear_seen_set(struct linear_tracker *lt, const char *issue_id, const struct strlist *ids);
/* The label ids for names, creating the missing ones; NULL with *error set on failure. */
json_t *linear_label_ids(struct linear_tracker *lt, const struct strlist *names, int *error);
int linear_label_changes(struct linear_tracker *lt, const char *issue_id,
                         const struct strlist *want, json_t *in);
void linear_labels_written(struct linear_tracker *lt, const char *issue_id,
                           const struct strlist *want);

/* linear_users.c */
int linear_load_users(struct linear_tracker *lt, const char *const *queries, size_t n);
struct linear_user *linear_user_find(struct linear_tracker *lt, const char *query);

/* linear_read.c: takes what a read returned (see its definition). */
int linear_take_read(struct linear_tracker *lt, struct tracker_tickets *l, size_t from,
                     struct linear_listing *listing);

/* linear_markers.c: this repository's markers known on each issue, and writing markers. */
void linear_markers_forget(struct linear_tracker *lt, const char *issue_id, const char *keep_url);
void linear_marker_written(struct linear_tracker *lt, const char *issue_id, const char *url);
/* The AttachmentCreateInput of marker m on issue_id; NULL with *error set on failure. */
json_t *linear_marker_input(struct linear_tracker *lt, const char *issue_id,
                            const struct tracker_marker *m, int *error);
void linear_add_deletes(const struct linear_tracker *lt, const char *issue_id, const char *url,
                        size_t j, struct strbuf *decls, struct strbuf *sels, json_t *vars);
bool linear_forget_deleted(struct linear_tracker *lt, const char *issue_id, const char *url,
                           size_t sub);
/* Writes markers[i] on issue ids[i]; outcomes as for set_markers (linear.h). */
int linear_markers_write(struct linear_tracker *lt, const char *const *ids,
                         const struct tracker_marker *markers, size_t n,
                         struct tracker_outcome *out);

/*
 * linear_batch.c: outcomes start LINEAR_PENDING (a positive value no
 * pm_error_code takes) and are settled to 0 or a failure;
 * linear_outcomes_finish() settles whatever a stop left pending.
 */
#define LINEAR_PENDING 1

void linear_outcomes_init(struct tracker_outcome *out, size_t n);
int linear_outcomes_finish(struct tracker_outcome *out, size_t n, int stop, const char *op);

/* A batched mutation: how to build each element, and what a gone attachment means. */
struct linear_alias_op {
	const char *op;
	size_t per_doc;
	const char *const *ids; /* the issue each element concerns, for messages */
	/* Appends element i as document index j; fails with a recorded error. */
	int (*build)(struct linear_tracker *lt, const void *ctx, size_t i, size_t j,
	             struct strbuf *decls, struct strbuf *sels, json_t *vars);
	const void *ctx;
	/*
	 * Element i's delete number `sub` found its attachment gone: forgets it
	 * and the deletes before it (applied, as fields run in order), so that
	 * the element can go again without them; false when nothing was forgotten.
	 */
	bool (*gone)(struct linear_tracker *lt, const void *ctx, size_t i, size_t sub);
};

/* Sends the n elements of op in documents of op->per_doc; settles out[0..n). */
int linear_run_aliased(struct linear_tracker *lt, const struct linear_alias_op *op, size_t n,
                       struct tracker_outcome *out);

/* The tracker operations (see connectors/tracker.h), one file each as named above. */
int linear_prepare(struct tracker *t);
int linear_resolve_users(struct tracker *t, const char *const *emails, size_t n,
                         const char **ids_out);
int linear_list_managed(struct tracker *t, struct tracker_tickets *out);
int linear_get_by_ids(struct tracker *t, struct tracker_tickets *out, const char *const *ids,
                      size_t n);
int linear_find_pending(struct tracker *t, const struct tracker_create *c, size_t n,
                        struct tracker_tickets *out);
int linear_get_by_refs(struct tracker *t, struct tracker_tickets *out, const char *const *refs,
                       size_t n);
int linear_create(struct tracker *t, const struct tracker_create *c, size_t n,
                  struct tracker_tickets *created, struct tracker_outcome *outcomes);
int linear_set_markers(struct tracker *t, const char *const *ids,
                       const struct tracker_marker *markers, size_t n,
                       struct tracker_outcome *outcomes);
int linear_update(struct tracker *t, const struct tracker_update *u, size_t n,
                  struct tracker_outcome *outcomes);
int linear_cancel(struct tracker *t, const char *const *ids, size_t n,
                  struct tracker_outcome *outcomes);
int linear_doctor(struct tracker *t, const struct config *cfg, struct tracker_findings *out);
bool linear_owns_ref(struct tracker *t, const char *ref);

#endif
