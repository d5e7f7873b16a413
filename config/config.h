#ifndef PM_CONFIG_H
#define PM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strlist.h"

/*
 * pmsync's configuration: `.pmsync.conf` in git-config syntax, read with
 * libgit2's config API. Every key, its default and its meaning is listed in
 * the README's configuration reference; config/key.c holds the table of
 * keys and config/value.c what each key takes.
 */

enum pm_tracker_kind {
	PM_TRACKER_NONE = 0,
	PM_TRACKER_LINEAR,
	PM_TRACKER_JIRA,
};

enum pm_inferred_policy {
	PM_INFERRED_LIST = 0, /* listed by the sync, never created */
	PM_INFERRED_CREATE,   /* created like any other item */
};

enum pm_removed_policy {
	PM_REMOVED_KEEP = 0,
	PM_REMOVED_CANCEL,
};

/* Bits of config.chosen. */
enum pm_chosen {
	PM_CHOSEN_LINEAR_URL = 1 << 0,
	PM_CHOSEN_JIRA_URL = 1 << 1,
	PM_CHOSEN_STATE_FILE = 1 << 2,
	PM_CHOSEN_JIRA_CA_INFO = 1 << 3,
};

/* [owner "<handle>"]: how a postmortem's owner maps to tracker users. */
struct config_owner {
	char *handle; /* as written in postmortems, without a leading '@' */
	char *email;
	char *linear; /* Linear user email or id */
	char *jira;   /* Jira account id (Cloud) or user name (Data Center) */
	int line;     /* line of the section header in the config file */
};

struct config {
	char *source; /* the file the configuration was read from, for messages; NULL for defaults */

	/* [postmortems] */
	char *pm_path;           /* path, default "docs/postmortems" */
	struct strlist include;  /* include globs, default "*.md" (relative to path) */
	struct strlist exclude;  /* exclude globs, default README.md, template-*.md, _*... */
	struct strlist headings; /* action-item heading patterns (case-insensitive) */
	char *url_template;      /* with {path}; NULL: derived from the origin remote */
	char *since;             /* YYYY-MM-DD or NULL */
	enum pm_inferred_policy inferred; /* items read outside the action section */

	/* [tracker] */
	enum pm_tracker_kind tracker;

	/* [linear] */
	char *linear_url;  /* default https://api.linear.app/graphql; LINEAR_API_URL overrides */
	char *linear_team; /* team key, e.g. ENG */

	/* [jira] */
	char *jira_url; /* JIRA_URL overrides */
	char *jira_project;
	char *jira_issue_type;          /* default "Task" */
	char *jira_deployment;          /* "cloud" or "datacenter"; default from the URL */
	struct strlist jira_priorities; /* "urgent=Highest": pmsync's priority = Jira's name */
	struct strlist jira_fields;   /* "customfield_10010=Platform": values of required fields */
	char *jira_cancel_transition; /* the transition sync.removed = cancel takes */
	struct strlist jira_canceled; /* resolutions that mean canceled (Won't Do, Duplicate) */
	char *jira_ca_info;           /* a CA bundle for the site (connectors/endpoint.h) */
	bool jira_remote_links;       /* a remote link to the postmortem on each issue (true) */

	/* [sync] */
	char *state_file; /* default ".pmsync/state.json" */
	enum pm_removed_policy removed;
	long max_changes;         /* default 50 */
	char *label;              /* label marking pmsync's tickets, default "pmsync" */
	char *lever_label_prefix; /* default "lever:" */
	char *repo_id;            /* names this repository in markers; default from origin */
	long timeout;             /* seconds a run may take talking to the tracker; 0: none */

	/* [owner "<handle>"] */
	struct config_owner *owners;
	size_t owners_nr, owners_alloc;

	/*
	 * Who chose the values that send a token or write a file: a bit of
	 * PM_CHOSEN_* is set when the person running pmsync chose the value
	 * (the environment, the command line, a --config file outside the
	 * repository), clear for a default or a value committed in the
	 * repository, which anyone who can open a pull request writes. The
	 * rules are connectors/endpoint.h and state/path.h.
	 */
	unsigned chosen;
	bool file_trusted; /* the file being read is a chosen one */

	/* [lint] */
	struct strlist sections; /* required sections */
	struct strlist levers;   /* allowed levers */
	struct strlist vague;    /* vague phrases */

	/* [report] */
	long report_window;  /* days, default 30 */
	long report_goal;    /* percent, default 90 */
	char *report_branch; /* write-back commits go there, default "pmsync/closure-state" */
};

/* Fills cfg with the defaults. */
void config_init(struct config *cfg);
void config_release(struct config *cfg);

/*
 * Reads a config file over the defaults already in cfg. `display` names the
 * file in messages (e.g. ".pmsync.conf at HEAD"). Unknown keys, bad values,
 * tokens and include/includeIf are errors (PM_ECONFIG) naming file, key and
 * line.
 */
/*
 * A duration in seconds: "90", "90s", "15m" or "2h" (0: none). Returns 0,
 * or -1 (nothing recorded) when v is not one.
 */
int config_parse_seconds(long *out, const char *v);

/* sync.timeout's default: a stalled server ends a run in 15 minutes. */
#define PM_CONFIG_DEFAULT_TIMEOUT 900L

int config_read_file(struct config *cfg, const char *path, const char *display);

/* The same, from a buffer (a blob read from git): written to a private temporary file. */
int config_read_buffer(struct config *cfg, const char *buf, size_t len, const char *display);

/*
 * Checks what one key needs of another: tracker.kind = linear needs
 * linear.team; jira needs jira.url and jira.project. Call it after
 * config_apply_env(), where a tracker is used. PM_ECONFIG naming file and key.
 */
int config_validate(const struct config *cfg);

/*
 * Applies the environment: LINEAR_API_URL overrides linear.url; JIRA_URL
 * sets jira.url unless the repository's configuration names one (which
 * then serves only when it names the same site: connectors/endpoint.h).
 */
void config_apply_env(struct config *cfg);

/*
 * Records a configuration error as `file:line: message` (`file: message`
 * when line is 0) and returns PM_ECONFIG; for the modules of config/.
 */
int config_error(const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* The owner entry for handle (case-insensitive, '@' ignored), or NULL. */
const struct config_owner *config_find_owner(const struct config *cfg, const char *handle);

#endif
