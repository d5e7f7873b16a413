#ifndef PM_CONFIG_KEY_H
#define PM_CONFIG_KEY_H

#include <stdbool.h>

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
	CONFIG_KEY_TRACKER_KIND,
	CONFIG_KEY_LINEAR_URL,
	CONFIG_KEY_LINEAR_TEAM,
	CONFIG_KEY_JIRA_URL,
	CONFIG_KEY_JIRA_PROJECT,
	CONFIG_KEY_JIRA_ISSUE_TYPE,
	CONFIG_KEY_JIRA_DEPLOYMENT,
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
	CONFIG_KEY_COUNT
};

/* The keys of an [owner "<handle>"] section. */
enum config_key_owner {
	CONFIG_KEY_OWNER_EMAIL,
	CONFIG_KEY_OWNER_LINEAR,
	CONFIG_KEY_OWNER_JIRA,
};

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
