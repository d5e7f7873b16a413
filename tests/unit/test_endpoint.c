/*
 * Tests of connectors/endpoint.c: the trust rule. A committed URL sends a
 * token only to the tracker's public host; a chosen one (environment, a
 * --config file outside the repository) anywhere http_url allows; a
 * committed jira.url only to the site JIRA_URL names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "connectors/endpoint.h"
#include "util/error.h"
#include "util/xalloc.h"

static void set(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
}

static void test_linear(void **state)
{
	struct config cfg;
	struct http_url u = HTTP_URL_INIT;

	(void)state;
	unsetenv("LINEAR_API_URL");
	config_init(&cfg);
	set(&cfg.source, ".pmsync.conf at HEAD");
	assert_int_equal(endpoint_linear(&u, &cfg), 0);
	assert_string_equal(u.host, "api.linear.app");
	http_url_release(&u);
	set(&cfg.linear_url, NULL);
	assert_int_equal(endpoint_linear(&u, &cfg), 0);
	assert_string_equal(u.host, "api.linear.app");
	http_url_release(&u);

	set(&cfg.linear_url, "https://evil.example/graphql");
	assert_int_equal(endpoint_linear(&u, &cfg), PM_ECONFIG);
	assert_non_null(strstr(pm_error_message(), ".pmsync.conf at HEAD: 'linear.url'"));
	assert_non_null(strstr(pm_error_message(), "'evil.example'"));
	assert_non_null(strstr(pm_error_message(), "LINEAR_API_URL"));
	set(&cfg.linear_url, "http://127.0.0.1:4000/graphql");
	assert_int_equal(endpoint_linear(&u, &cfg), PM_ECONFIG);
	set(&cfg.linear_url, "https://api.linear.app.evil.example/graphql");
	assert_int_equal(endpoint_linear(&u, &cfg), PM_ECONFIG);

	/* chosen: any host, still parsed */
	cfg.chosen |= PM_CHOSEN_LINEAR_URL;
	set(&cfg.linear_url, "http://127.0.0.1:4000/graphql");
	assert_int_equal(endpoint_linear(&u, &cfg), 0);
	assert_string_equal(u.host, "127.0.0.1");
	http_url_release(&u);
	set(&cfg.linear_url, "https://proxy.corp.example/graphql");
	assert_int_equal(endpoint_linear(&u, &cfg), 0);
	http_url_release(&u);
	set(&cfg.linear_url, "https://me:pw@proxy.corp.example/graphql");
	assert_int_equal(endpoint_linear(&u, &cfg), PM_ECONFIG);
	config_release(&cfg);
}

static void test_jira(void **state)
{
	struct config cfg;
	struct http_url u = HTTP_URL_INIT;

	(void)state;
	unsetenv("JIRA_URL");
	config_init(&cfg);
	set(&cfg.source, ".pmsync.conf at HEAD");
	assert_int_equal(endpoint_jira(&u, &cfg), PM_ECONFIG);
	assert_non_null(strstr(pm_error_message(), "JIRA_URL"));

	/* committed, alone: refused, saying to set JIRA_URL */
	set(&cfg.jira_url, "https://acme.atlassian.net");
	assert_int_equal(endpoint_jira(&u, &cfg), PM_ECONFIG);
	assert_non_null(strstr(pm_error_message(), "set JIRA_URL"));

	/* committed beside JIRA_URL of the same site: it serves, with its path */
	setenv("JIRA_URL", "https://acme.atlassian.net/", 1);
	set(&cfg.jira_url, "https://acme.atlassian.net/jira");
	config_apply_env(&cfg);
	assert_string_equal(cfg.jira_url, "https://acme.atlassian.net/jira");
	assert_int_equal(endpoint_jira(&u, &cfg), 0);
	assert_string_equal(u.path, "/jira");
	http_url_release(&u);

	/* another site: refused */
	set(&cfg.jira_url, "https://evil.atlassian.net");
	assert_int_equal(endpoint_jira(&u, &cfg), PM_ECONFIG);
	assert_non_null(strstr(pm_error_message(), "'evil.atlassian.net'"));

	/* JIRA_URL alone serves */
	set(&cfg.jira_url, NULL);
	config_apply_env(&cfg);
	assert_int_equal(endpoint_jira(&u, &cfg), 0);
	assert_string_equal(u.host, "acme.atlassian.net");
	http_url_release(&u);
	unsetenv("JIRA_URL");
	config_release(&cfg);
}

static void test_origin(void **state)
{
	struct config cfg;

	(void)state;
	unsetenv("LINEAR_API_URL");
	config_init(&cfg);
	assert_string_equal(endpoint_origin(&cfg, PM_CHOSEN_LINEAR_URL, "LINEAR_API_URL"),
	                    "the default");
	set(&cfg.source, ".pmsync.conf at HEAD");
	assert_string_equal(endpoint_origin(&cfg, PM_CHOSEN_LINEAR_URL, "LINEAR_API_URL"),
	                    "the default");
	set(&cfg.linear_url, "https://api.linear.app/v2/graphql");
	assert_string_equal(endpoint_origin(&cfg, PM_CHOSEN_LINEAR_URL, "LINEAR_API_URL"),
	                    ".pmsync.conf at HEAD");
	set(&cfg.source, "/etc/pmsync.conf");
	cfg.chosen |= PM_CHOSEN_LINEAR_URL;
	assert_string_equal(endpoint_origin(&cfg, PM_CHOSEN_LINEAR_URL, "LINEAR_API_URL"),
	                    "/etc/pmsync.conf");
	setenv("LINEAR_API_URL", "http://127.0.0.1:9/graphql", 1);
	config_apply_env(&cfg);
	assert_string_equal(endpoint_origin(&cfg, PM_CHOSEN_LINEAR_URL, "LINEAR_API_URL"),
	                    "LINEAR_API_URL");
	unsetenv("LINEAR_API_URL");
	config_release(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_linear),
	        cmocka_unit_test(test_jira),
	        cmocka_unit_test(test_origin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
