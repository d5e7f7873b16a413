#ifndef PM_CONFIG_KEY_H
#define PM_CONFIG_KEY_H

#include <stdbool.h>
#include <stddef.h>

struct config_entry;

/*
 * The names `.pmsync.conf` may hold: the table of known keys, the keys of
 * an [owner "<handle>"] section, the messages for unknown keys (with the
 * closest known key as a suggestion) and the refusal of secrets.
 */

enum config_key {
	CONFIG_KEY_PM_PATH,
	CONFIG_KEY_PM_INCLUDE,
	CONFIG_KEY_PM_EXCLUDE,
	CONFIG_KEY_PM_HEADING,
	CONFIG_KEY_PM_URL,
	CONFIG_KEY_PM_SINCE,
	CONFIG_KEY_PM_INFERRED,
	CONFIG_KEY_TRACKER_KIND,
	CONFIG_KEY_LINEAR_URL,
	CONFIG_KEY_LINEAR_TEAM,
	CONFIG_KEY_JIRA_URL,
	CONFIG_KEY_JIRA_PROJECT,
	CONFIG_KEY_JIRA_ISSUE_TYPE,
	CONFIG_KEY_JIRA_DEPLOYMENT,
	CONFIG_KEY_JIRA_PRIORITY,
	CONFIG_KEY_JIRA_FIELD,
	CONFIG_KEY_JIRA_CANCEL_TRANSITION,
	CONFIG_KEY_JIRA_CANCELED_RESOLUTION,
	CONFIG_KEY_JIRA_CA_INFO,
	CONFIG_KEY_JIRA_REMOTE_LINKS,
	CONFIG_KEY_SYNC_STATE_FILE,
	CONFIG_KEY_SYNC_REMOVED,
	CONFIG_KEY_SYNC_MAX_CHANGES,
	CONFIG_KEY_SYNC_LABEL,
	CONFIG_KEY_SYNC_LEVER_PREFIX,
	CONFIG_KEY_SYNC_REPO_ID,
	CONFIG_KEY_SYNC_TIMEOUT,
	CONFIG_KEY_LINT_SECTION,
	CONFIG_KEY_LINT_LEVER,
	CONFIG_KEY_LINT_VAGUE,
	CONFIG_KEY_REPORT_WINDOW,
	CONFIG_KEY_REPORT_GOAL,
	CONFIG_KEY_REPORT_BRANCH,
	CONFIG_KEY_COUNT
};

/* The keys of an [owner "<handle>"] section. */
enum config_key_owner {
	CONFIG_KEY_OWNER_EMAIL,
	CONFIG_KEY_OWNER_LINEAR,
	CONFIG_KEY_OWNER_JIRA,
};

/* What a key's value is, and so how config/value.c checks and stores it. */
enum config_value_kind {
	CONFIG_VALUE_PATH,         /* char *: relative path, no "..", trailing '/' dropped */
	CONFIG_VALUE_LIST,         /* struct strlist: multi-valued; the file replaces defaults */
	CONFIG_VALUE_URL,          /* char *: an http(s) URL */
	CONFIG_VALUE_URL_TEMPLATE, /* char *: an http(s) URL containing {path}; "" clears */
	CONFIG_VALUE_DATE,         /* char *: YYYY-MM-DD; "" clears */
	CONFIG_VALUE_CHOICE,       /* int (an enum): the index of a word in `words` */
	CONFIG_VALUE_WORD,         /* char *: one of `words`, as listed; "" clears */
	CONFIG_VALUE_CODE,         /* char *: only characters of `chars` */
	CONFIG_VALUE_CODE_LETTER,  /* char *: the same, starting with a capital letter */
	CONFIG_VALUE_NONEMPTY,     /* char *: any text but "" */
	CONFIG_VALUE_STRING,       /* char *: any text; "" clears */
	CONFIG_VALUE_TEXT,         /* char *: any text; "" is kept */
	CONFIG_VALUE_COUNT,        /* long: a whole number, 0 or more */
	CONFIG_VALUE_SECONDS,      /* long: seconds, "90", "90s", "15m" or "2h"; 0 for none */
	CONFIG_VALUE_PAIRS,        /* struct strlist of "name=value": name one of `words`,
	                              or (words NULL) letters, digits and '_' */
	CONFIG_VALUE_BOOL,         /* bool: git's true, yes, on, 1 / false, no, off, 0, "";
	                              a name without '=' is true */
};

/* A row of the key table. */
struct config_key_def {
	const char *name; /* camelCase, such as "sync.maxChanges" */
	enum config_value_kind kind;
	size_t offset;        /* of the field in struct config */
	const char *expected; /* "expected ..." in a bad value's message */
	/* CHOICE, WORD: const char *const[] ending in NULL; CODE: the allowed characters;
	   PAIRS: the words a name may be, or NULL */
	const void *allowed;
	/* The pm_chosen bit that records who set the value (config/config.h): keys
	   whose value sends a token or writes a file; 0 for the others. */
	unsigned chosen;
};

/* The row of key id. */
const struct config_key_def *config_key_def(enum config_key id);

/* The key's name in camelCase, such as "sync.maxChanges". */
const char *config_key_name(enum config_key id);

/* Finds the known key called name (any case); false when there is none. */
bool config_key_lookup(enum config_key *out, const char *name);

/* Finds the owner key called name: "email", "linear" or "jira", lower case. */
bool config_key_owner_lookup(enum config_key_owner *out, const char *name);

/* Records "unknown key" for e, with the closest known key when one is close; PM_ECONFIG. */
int config_key_unknown(const char *file, const struct config_entry *e);

/* The same for an unknown key of an owner section (e->name is owner.<handle>.<key>). */
int config_key_unknown_owner(const char *file, const struct config_entry *e);

/*
 * Refuses e when its name or value holds a credential, without quoting it,
 * naming the environment variable it belongs in instead (PM_ECONFIG); 0 when
 * e holds none.
 */
int config_key_check_secret(const char *file, const struct config_entry *e);

#endif
