#ifndef PM_JIRA_H
#define PM_JIRA_H

#include "config/config.h"
#include "connectors/tracker.h"

/*
 * The Jira connector: Jira Cloud over REST v3 (descriptions in Atlassian
 * Document Format, users by account id, JQL search paged by token) and Jira
 * Data Center / Server over REST v2 (wiki markup, user names, startAt
 * paging), behind the tracker seam. connectors/jira/jira_int.h is shared by
 * its files; this header is its interface.
 */

/* Jira's entry in the table of tracker kinds (connectors/trackers.c). */
extern const struct tracker_kind jira_tracker_kind;

/* Opens the connector for cfg: the site, the deployment and the token from the environment. */
int jira_tracker_new(struct tracker **out, const struct config *cfg,
                     const struct tracker_options *opts);

/* For tests: the HTTP client, to replace its clock. */
struct http_client *jira_tracker_http(struct tracker *t);

#endif
