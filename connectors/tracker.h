#ifndef PM_TRACKER_H
#define PM_TRACKER_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "config/config.h"
#include "util/strbuf.h"

/*
 * The tracker seam: what the sync engine needs from Linear or Jira, as a
 * table of operations. Each connector (connectors/linear/, later jira/)
 * fills a struct tracker_ops; unit tests of the engine plug in an in-memory
 * tracker of their own.
 *
 * Ownership: every struct tracker_ticket and tracker_fields owns its strings;
 * release them with the _release functions below. Inputs are borrowed.
 */

/*
 * pmsync's own priority scale; a connector translates it (Linear's 0-4 is the
 * same scale, Jira names its priorities).
 */
enum tracker_priority {
	TP_NONE = 0,
	TP_URGENT = 1,
	TP_HIGH = 2,
	TP_MEDIUM = 3,
	TP_LOW = 4,
};

/* The fields pmsync writes and compares. */
struct tracker_fields {
	char *title;
	char *description;     /* Markdown */
	char *assignee_id;     /* tracker user id; NULL = unassigned */
	char *due;             /* YYYY-MM-DD; NULL = none */
	int priority;          /* enum tracker_priority; -1 = not set */
	struct strlist labels; /* label names, sorted */
};

/* Field bits, for updates and for reporting which fields differ. */
enum tracker_field_bit {
	TF_TITLE = 1 << 0,
	TF_DESCRIPTION = 1 << 1,
	TF_ASSIGNEE = 1 << 2,
	TF_DUE = 1 << 3,
	TF_PRIORITY = 1 << 4,
	TF_LABELS = 1 << 5,
};
#define TF_ALL (TF_TITLE | TF_DESCRIPTION | TF_ASSIGNEE | TF_DUE | TF_PRIORITY | TF_LABELS)

/* A field by its bit and the one name plans, notes and reports give it. */
struct tracker_field_name {
	unsigned bit; /* TF_* */
	const char *name;
};
#define TRACKER_FIELDS_NR 6
/* Every field pmsync writes, in the order plans show them. */
extern const struct tracker_field_name tracker_field_names[TRACKER_FIELDS_NR];

enum tracker_status {
	TRACKER_OPEN = 0,
	TRACKER_DONE,       /* completed */
	TRACKER_CANCELED,   /* canceled or duplicate: closed, not done */
	TRACKER_AUTOCLOSED, /* closed by the tracker itself (Linear autoClosedAt): not done */
};

/*
 * The marker pmsync keeps on each ticket it manages (Linear: an attachment
 * whose URL is the item's URL, with metadata). It names the repository and
 * the item, and holds what pmsync last wrote, for drift detection.
 */
struct tracker_marker {
	char *repo_id;
	char *item_key;
	char *pm_path; /* postmortem path when last written */
	char *url;     /* the item's URL: postmortem URL + "#pmsync-" + key */
	char *title;   /* the attachment's title, e.g. "Postmortem: <title>" */
	bool has_written;
	struct tracker_fields written;
};

struct tracker_ticket {
	char *id;  /* immutable id (Linear UUID, Jira numeric id) */
	char *ref; /* human key, e.g. ENG-12 */
	char *url;
	struct tracker_fields fields; /* as the tracker holds them now */
	enum tracker_status status;
	char *state_name;
	char *created_at; /* ISO date-time */
	char *closed_at;  /* completedAt / canceledAt / autoClosedAt, or NULL */
	bool archived;
	bool has_marker;
	struct tracker_marker marker;
	/*
	 * A second marker of this repository on the same ticket that names
	 * another item: that item's key (the marker created first wins), or NULL.
	 */
	char *other_marker_key;
	/*
	 * Another repository's pmsync marker is on it ("acme/ops"), and none of
	 * this one: that repository manages it, so it is never adopted.
	 */
	char *foreign_repo;
};

struct tracker_tickets {
	struct tracker_ticket *v;
	size_t nr, alloc;
};

struct tracker_create {
	const char *id; /* id chosen by pmsync (Linear), or NULL */
	const struct tracker_fields *fields;
	const struct tracker_marker *marker;
};

struct tracker_update {
	const char *id; /* the ticket's immutable id */
	unsigned mask;  /* which fields of `fields` to write (TF_*) */
	const struct tracker_fields *fields;
	const struct tracker_marker *marker; /* rewritten with the new `written` */
};

/* The outcome of one element of a batch. */
struct tracker_outcome {
	int code;      /* 0, or a pm_error_code */
	char *message; /* on success NULL, or a note for the change (a link not written) */
};

/* A finding of `pmsync doctor`. */
struct tracker_finding {
	bool ok;
	char *check;   /* e.g. "token", "team ENG", "label pmsync", "owner alice" */
	char *message; /* what was found; when !ok, what to change and where */
};

struct tracker_findings {
	struct tracker_finding *v;
	size_t nr, alloc;
};

struct tracker;

/* Called for each HTTP request when verbose: one line, tokens already redacted. */
typedef void (*tracker_log_fn)(void *data, const char *line);

struct tracker_options {
	bool dry_run; /* the transport refuses every write */
	tracker_log_fn log;
	void *log_data;
	int max_retries; /* 0: the default */
	/*
	 * A file beside the state where a connector keeps what a crash must
	 * not lose (Jira: the creates under way); NULL: none.
	 */
	const char *journal;
	long long deadline_ms; /* the run's deadline, epoch ms (0: none); see http.h */
};

struct tracker_ops {
	const char *name; /* "linear", "jira" */
	/* Checks the token and resolves team, workflow states and labels; creates missing labels unless dry-run. */
	int (*prepare)(struct tracker *t);
	/*
	 * Resolves users by email or by user id: ids_out[i] = the id of the
	 * active user the tracker knows by emails[i], or NULL (borrowed from t).
	 */
	int (*resolve_users)(struct tracker *t, const char *const *emails, size_t n,
	                     const char **ids_out);
	/* Every ticket that carries this repository's marker, archived ones too. */
	int (*list_managed)(struct tracker *t, struct tracker_tickets *out);
	/* Tickets by id (ids that exist only); archived ones too. */
	int (*get_by_ids)(struct tracker *t, struct tracker_tickets *out, const char *const *ids,
	                  size_t n);
	/* Tickets by human key (ENG-12) or URL; out->v[i] for each found one. */
	int (*get_by_refs)(struct tracker *t, struct tracker_tickets *out, const char *const *refs,
	                   size_t n);
	/* Creates tickets in batches; created receives the tickets made, outcomes one per input. */
	int (*create)(struct tracker *t, const struct tracker_create *c, size_t n,
	              struct tracker_tickets *created, struct tracker_outcome *outcomes);
	/* Writes markers (creates or replaces) on tickets: ids[i] gets markers[i]. */
	int (*set_markers)(struct tracker *t, const char *const *ids,
	                   const struct tracker_marker *markers, size_t n,
	                   struct tracker_outcome *outcomes);
	int (*update)(struct tracker *t, const struct tracker_update *u, size_t n,
	              struct tracker_outcome *outcomes);
	/* Moves tickets to a canceled state (the removed-item policy "cancel"). */
	int (*cancel)(struct tracker *t, const char *const *ids, size_t n,
	              struct tracker_outcome *outcomes);
	/* Checks the setup, writing nothing. */
	int (*doctor)(struct tracker *t, const struct config *cfg, struct tracker_findings *out);
	/* True when ref (a key or URL) names a ticket of this tracker. */
	bool (*owns_ref)(struct tracker *t, const char *ref);
	void (*free)(struct tracker *t);
	/*
	 * Recovery of interrupted creates: which of these would-be creates
	 * exist already, made by a run stopped before it could record them.
	 * out receives n tickets in the order of c: out->v[i] is the one c[i]
	 * made, or has a NULL id. Linear looks up the ids pmsync chose; a
	 * tracker without client-chosen ids finds the markers instead.
	 */
	int (*find_pending)(struct tracker *t, const struct tracker_create *c, size_t n,
	                    struct tracker_tickets *out);
};

struct tracker {
	const struct tracker_ops *ops;
	const struct config *cfg;
	struct tracker_options opts;
	size_t requests; /* HTTP requests sent, for the benchmark and -v */
	/*
	 * Mixed into the ids pmsync chooses, so that they are unique where the
	 * tracker needs them unique (Linear: the organization's id, known once
	 * prepared); NULL when the tracker takes no chosen ids or is not
	 * prepared. Borrowed from the connector.
	 */
	const char *id_scope;
};

/*
 * A kind of tracker, as the commands and the engine know it without opening
 * it: its names, where its token comes from and what its tokens look like
 * (masked wherever they could be printed), which field of an [owner] section
 * names its users, and how to open it. One entry per connector, in
 * connectors/trackers.c's table; an entry whose open is NULL is a kind the
 * configuration accepts but this build cannot talk to.
 */
struct tracker_kind {
	enum pm_tracker_kind kind;
	const char *name;                  /* "linear": the configuration's and the state's word */
	const char *display;               /* "Linear": for people */
	const char *const *token_vars;     /* where a token may come from, in the order read */
	const char *token_help;            /* "set LINEAR_API_KEY (...) or ..." */
	const char *const *token_prefixes; /* "lin_api_": the shapes of its tokens */
	/* The identity an [owner] section gives for this tracker, or NULL. */
	const char *(*owner_identity)(const struct config_owner *o);
	int (*open)(struct tracker **out, const struct config *cfg,
	            const struct tracker_options *opts);
};

/* The entry of kind k; NULL for PM_TRACKER_NONE. */
const struct tracker_kind *tracker_kind_of(enum pm_tracker_kind k);
/* True when one of the kind's token variables is set and not empty. */
bool tracker_kind_has_token(const struct tracker_kind *k);
/* Every variable of every kind that may hold a secret, NULL-ended. */
const char *const *tracker_secret_vars(void);
/* The token shapes (prefixes) of every kind, NULL-ended. */
const char *const *tracker_token_prefixes(void);

/* Opens the connector that cfg->tracker names, with the token from the environment. */
int tracker_open(struct tracker **out, const struct config *cfg,
                 const struct tracker_options *opts);
void tracker_free(struct tracker *t);

void tracker_fields_init(struct tracker_fields *f);
void tracker_fields_release(struct tracker_fields *f);
void tracker_fields_copy(struct tracker_fields *dst, const struct tracker_fields *src);
/*
 * The TF_* bits of the fields in mask where a and b differ. Descriptions
 * compare by tracker_text_norm(), titles and the rest as they are, labels as
 * sets ignoring case.
 */
unsigned tracker_fields_diff(const struct tracker_fields *a, const struct tracker_fields *b,
                             unsigned mask);
/*
 * The one JSON form of fields pmsync records what it wrote in (the marker's
 * metadata, the state file): {"title", "description", "assigneeId",
 * "dueDate" (strings or null), "priority" (an integer, absent when not set),
 * "labels" (strings)}. The caller owns the result.
 */
json_t *tracker_fields_json(const struct tracker_fields *f);
/*
 * Reads that form into f (initialised here); also the state file's older
 * names, "assignee_id" and "due". On a mismatch returns false with where
 * ("labels[0]") and expected ("string") filled and *bad the value found
 * (NULL when absent); f is left released.
 */
bool tracker_fields_from_json(struct tracker_fields *f, const json_t *o, struct strbuf *where,
                              const char **expected, const json_t **bad);

/*
 * What of Markdown text survives a tracker's rich-text round trip: its
 * letters, digits and non-ASCII bytes, a link's text then its target (once
 * when they read the same), appended to out. Autolinks, list markers,
 * escapes, emphasis and blank lines leave no trace.
 */
void tracker_text_norm(struct strbuf *out, const char *s);
void tracker_marker_release(struct tracker_marker *m);
void tracker_ticket_release(struct tracker_ticket *tk);
struct tracker_ticket *tracker_tickets_add(struct tracker_tickets *l);
void tracker_tickets_release(struct tracker_tickets *l);
/*
 * For find_pending over client-chosen ids: fills out with n tickets in the
 * order of c, moving each ticket of found whose id is c[i].id to out->v[i].
 */
void tracker_tickets_place(struct tracker_tickets *out, struct tracker_tickets *found,
                           const struct tracker_create *c, size_t n);
/* Releases the message and leaves the outcome ok (code 0). */
void tracker_outcome_release(struct tracker_outcome *o);
/* Records code and a formatted message in o, replacing what it held. */
void tracker_outcome_set(struct tracker_outcome *o, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
void tracker_findings_add(struct tracker_findings *f, bool ok, const char *check, const char *fmt,
                          ...) __attribute__((format(printf, 4, 5)));
void tracker_findings_release(struct tracker_findings *f);

#endif
