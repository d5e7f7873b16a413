/*
 * The trust rule for tracker endpoints (see endpoint.h): a value committed
 * in the repository may not send a token anywhere but the tracker's public
 * host; the person running pmsync may. The messages say where to set an
 * endpoint instead, so that a team with its own proxy or a test server
 * knows what to do. The same rule holds for the CA bundle that decides
 * which servers pass for a Jira site.
 */
#include "util/compat.h"

#include "connectors/endpoint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/xalloc.h"

static const char *source_of(const struct config *cfg)
{
	return cfg->source ? cfg->source : ".pmsync.conf";
}

const char *endpoint_origin(const struct config *cfg, unsigned chosen_bit, const char *env)
{
	const char *v = getenv(env);
	const char *value = chosen_bit == PM_CHOSEN_LINEAR_URL ? cfg->linear_url : cfg->jira_url;
	bool unset =
	        !value || !*value ||
	        (chosen_bit == PM_CHOSEN_LINEAR_URL && !strcmp(value, ENDPOINT_LINEAR_DEFAULT));

	if (!(cfg->chosen & chosen_bit))
		return unset || !cfg->source ? "the default" : cfg->source;
	if (v && *v)
		return env;
	return source_of(cfg);
}

int endpoint_linear(struct http_url *out, const struct config *cfg)
{
	const char *url =
	        cfg->linear_url && *cfg->linear_url ? cfg->linear_url : ENDPOINT_LINEAR_DEFAULT;
	bool chosen = (cfg->chosen & PM_CHOSEN_LINEAR_URL) != 0;
	struct http_url u = HTTP_URL_INIT;
	char *what;
	int error;

	what = chosen ? xasprintf("linear: the API URL (%s)",
	                          endpoint_origin(cfg, PM_CHOSEN_LINEAR_URL, "LINEAR_API_URL"))
	              : xasprintf("%s: 'linear.url'", source_of(cfg));
	if ((error = http_url_parse(&u, url, what)) < 0)
		goto done;
	if (!chosen && (strcmp(u.host, ENDPOINT_LINEAR_HOST) || strcmp(u.scheme, "https"))) {
		error = pm_error(PM_ECONFIG,
		                 "%s names host '%s', not %s: the repository may not send the "
		                 "token elsewhere; set LINEAR_API_URL in the environment, or "
		                 "linear.url in a --config file outside the repository",
		                 what, u.host, ENDPOINT_LINEAR_HOST);
		goto done;
	}
	*out = u;
	memset(&u, 0, sizeof(u)); /* handed over */
done:
	http_url_release(&u);
	free(what);
	return error;
}

int endpoint_jira(struct http_url *out, const struct config *cfg)
{
	bool chosen = (cfg->chosen & PM_CHOSEN_JIRA_URL) != 0;
	const char *env = getenv("JIRA_URL");
	struct http_url u = HTTP_URL_INIT, site = HTTP_URL_INIT;
	char *what;
	int error;

	if (!cfg->jira_url || !*cfg->jira_url)
		return pm_error(PM_ECONFIG, "jira: no site: set JIRA_URL in the environment");
	what = chosen ? xasprintf("jira: the site URL (%s)",
	                          endpoint_origin(cfg, PM_CHOSEN_JIRA_URL, "JIRA_URL"))
	              : xasprintf("%s: 'jira.url'", source_of(cfg));
	if ((error = http_url_parse(&u, cfg->jira_url, what)) < 0)
		goto done;
	if (!chosen && (!env || !*env)) {
		error = pm_error(
		        PM_ECONFIG,
		        "%s serves only beside JIRA_URL naming the same site: set JIRA_URL "
		        "in the environment, beside the token",
		        what);
		goto done;
	}
	if (!chosen) {
		if ((error = http_url_parse(&site, env, "jira: JIRA_URL")) < 0)
			goto done;
		if (!http_url_same_site(&u, &site)) {
			error = pm_error(PM_ECONFIG,
			                 "%s names host '%s', but JIRA_URL names '%s': the "
			                 "repository may not send the token to another site; "
			                 "remove jira.url or make it name the site of JIRA_URL",
			                 what, u.host, site.host);
			goto done;
		}
	}
	*out = u;
	memset(&u, 0, sizeof(u)); /* handed over */
done:
	http_url_release(&u);
	http_url_release(&site);
	free(what);
	return error;
}

int endpoint_jira_ca(const char **out, const char **origin, const struct config *cfg)
{
	const char *ca = cfg->jira_ca_info, *from = source_of(cfg);
	bool env = false;

	if (ca && *ca && !(cfg->chosen & PM_CHOSEN_JIRA_CA_INFO))
		return pm_error(PM_ECONFIG,
		                "%s: 'jira.caInfo': the repository may not choose which "
		                "certificates pass for the site; set jira.caInfo in a --config "
		                "file outside the repository, or CURL_CA_BUNDLE in the "
		                "environment",
		                from);
	if (!ca || !*ca) {
		ca = getenv("CURL_CA_BUNDLE");
		from = "CURL_CA_BUNDLE";
		env = true;
	}
	if (!ca || !*ca) {
		*out = NULL;
		*origin = "the system store";
		return 0;
	}
	if (access(ca, R_OK) < 0)
		return pm_error(PM_ECONFIG, "jira: cannot read the CA bundle '%s' (%s%s): %s", ca,
		                env ? "" : "jira.caInfo in ", from, strerror(errno));
	*out = ca;
	*origin = from;
	return 0;
}
