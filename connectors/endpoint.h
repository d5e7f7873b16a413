#ifndef PM_ENDPOINT_H
#define PM_ENDPOINT_H

#include "config/config.h"
#include "connectors/http_url.h"

/*
 * Where a tracker's token may go. Everything committed in the repository is
 * written by whoever can open a pull request, and reviewers run pmsync on
 * pull requests with the token in the environment. So a token goes only to
 * the tracker's public host, or to an endpoint the person running pmsync
 * chose: the environment (LINEAR_API_URL, JIRA_URL), the command line, or a
 * --config file outside the work tree and the git directory
 * (config.chosen). A committed URL naming another host is refused
 * (PM_ECONFIG) with a message saying where to set it. Every URL is parsed
 * by http_url_parse(): no credentials in it, http only to this machine.
 */

#define ENDPOINT_LINEAR_HOST "api.linear.app"
#define ENDPOINT_LINEAR_DEFAULT "https://api.linear.app/graphql"

/* Linear: cfg->linear_url (the default when unset), checked, into out. */
int endpoint_linear(struct http_url *out, const struct config *cfg);

/*
 * Jira has no public host (every site has its own), so a committed
 * jira.url serves only when it names the same site (scheme, host, port) as
 * JIRA_URL in the environment; it may then add a path (a Data Center
 * context path). JIRA_URL alone, or jira.url from a chosen file, serves as
 * is. Checks cfg->jira_url into out.
 */
int endpoint_jira(struct http_url *out, const struct config *cfg);

/*
 * The CA bundle that verifies the Jira site: jira.caInfo from a chosen file
 * (PM_CHOSEN_JIRA_CA_INFO), else CURL_CA_BUNDLE from the environment (the
 * curl tool's variable, which libcurl itself does not read), else none
 * (*out NULL: libcurl's default store). A bundle decides which servers pass
 * for the site, so a jira.caInfo committed in the repository is refused
 * (PM_ECONFIG) saying where to set it; an unreadable bundle too. *origin
 * says where it came from, for -v and doctor: the variable, the file read,
 * or "the system store". Both point into cfg or the environment.
 */
int endpoint_jira_ca(const char **out, const char **origin, const struct config *cfg);

/*
 * Where the URL of chosen_bit (PM_CHOSEN_LINEAR_URL or _JIRA_URL) came
 * from, for -v: the variable env when it set it, the file read (a --config
 * file, ".pmsync.conf at HEAD"), or "the default".
 */
const char *endpoint_origin(const struct config *cfg, unsigned chosen_bit, const char *env);

#endif
