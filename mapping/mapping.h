#ifndef PM_MAPPING_H
#define PM_MAPPING_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "connectors/tracker.h"
#include "postmortems/postmortem.h"

/*
 * The desired state of one action item: the ticket fields pmsync writes for
 * it, the marker that links the ticket back to it, and the id pmsync chooses
 * for the ticket it creates. Pure functions of the item, its postmortem and
 * the configuration: nothing that moves when an unrelated row is inserted
 * (line numbers, commit ids) goes into a compared field.
 */

#define MAPPING_TITLE_MAX 255

/* The action's plain text on one line, cut to 255 bytes at a UTF-8 boundary, "…" when cut. */
char *mapping_title(const char *text);

/* GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'. */
char *mapping_anchor(const char *heading);

/* The URL of the postmortem's action-items section, or NULL when pm->url is NULL. */
char *mapping_section_url(const struct postmortem *pm);

/* The Markdown description of the ticket. */
char *mapping_description(const struct postmortem *pm, const struct action_item *item);

/* pmsync's priority (enum tracker_priority) for a priority cell; -1 when not set or unknown. */
int mapping_priority(const char *cell);

/*
 * Label names longer than this are cut: trackers cap label names (one's
 * importer cuts at 80 characters, its API publishes no limit), so a long
 * lever must not fail every create that carries its label.
 */
#define MAPPING_LABEL_MAX 80

/*
 * cfg->label, plus cfg->lever_label_prefix + lever (cut to
 * MAPPING_LABEL_MAX bytes, whole characters) when lever is given; sorted.
 */
void mapping_labels(struct strlist *out, const struct config *cfg, const char *lever);

/*
 * The email to resolve for an owner: the `[owner "<handle>"]` entry's field
 * for the configured tracker (tracker_kind.owner_identity), else its email, else the owner itself when it looks like an email.
 * NULL when the owner cannot be mapped (or is NULL).
 */
char *mapping_owner_email(const struct config *cfg, const char *owner);

/* Fills out with the desired fields; assignee_id is left NULL (see mapping_owner_email). */
void mapping_fields(struct tracker_fields *out, const struct postmortem *pm,
                    const struct action_item *item, const struct config *cfg);

/*
 * The marker for an item: repo id, key, path, url = pm->url + "#pmsync-" +
 * key, title "Postmortem: <title>", written = a copy of written (may be
 * NULL). PM_ECONFIG when the postmortem has no URL.
 */
int mapping_marker(struct tracker_marker *out, const struct postmortem *pm, const char *key,
                   const struct config *cfg, const struct tracker_fields *written);

/*
 * The ticket id pmsync chooses for a create: the SHA-1 that git_odb_hash()
 * gives "pmsync\0" scope "\0" repo_id "\0" key as a blob ("pmsync\0" repo_id
 * "\0" key without a scope), shaped as a version 4 UUID (version nibble 4,
 * variant bits 10), lower case 8-4-4-4-12. scope is the tracker's
 * (tracker.id_scope: the workspace, for a tracker that takes chosen ids),
 * so that one repository synced to two workspaces chooses different ids. Part of pmsync's contract
 * with the tracker: a retried create must choose the same id. Cheap while
 * libgit2 is initialised (the repository is open).
 */
char *mapping_ticket_id(const char *scope, const char *repo_id, const char *key);

/* True when s looks like an email address. */
bool mapping_is_email(const char *s);

/*
 * The configured owners as tracker users, so that plans and reports name
 * people rather than user ids: emails[i] is held by ids[i] (NULL when
 * unknown). Best effort: a failure of the tracker leaves every id unknown.
 */
struct mapping_users {
	char **emails;
	char **ids; /* copies: they outlive the tracker */
	size_t nr;
};

void mapping_users_resolve(struct mapping_users *u, struct tracker *t, const struct config *cfg);
/* The email of user id, or NULL; data is a struct mapping_users. */
const char *mapping_user_name(void *data, const char *id);
void mapping_users_release(struct mapping_users *u);

#endif
