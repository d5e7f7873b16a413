/*
 * Tests of connectors/http_url.c: tracker URLs as libcurl parses them, so
 * that credentials hidden before a host, http to another machine and
 * schemes other than http(s) are refused, and the refusal never repeats a
 * password.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "connectors/http_url.h"
#include "util/error.h"

static void test_accepted(void **state)
{
	static const struct {
		const char *url, *scheme, *host, *port, *path;
		bool loopback;
	} cases[] = {
	        {"https://api.linear.app/graphql", "https", "api.linear.app", "443", "/graphql",
	         false},
	        {"HTTPS://API.Linear.APP/graphql", "https", "api.linear.app", "443", "/graphql",
	         false},
	        {"https://jira.example.com:8443", "https", "jira.example.com", "8443", "/", false},
	        {"http://127.0.0.1:4000/graphql", "http", "127.0.0.1", "4000", "/graphql", true},
	        {"http://127.1.2.3/", "http", "127.1.2.3", "80", "/", true},
	        {"http://localhost:9/x", "http", "localhost", "9", "/x", true},
	        {"http://[::1]:9/x", "http", "[::1]", "9", "/x", true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct http_url u = HTTP_URL_INIT;
		if (http_url_parse(&u, cases[i].url, "url") < 0)
			fail_msg("'%s' refused: %s", cases[i].url, pm_error_message());
		assert_string_equal(u.scheme, cases[i].scheme);
		assert_string_equal(u.host, cases[i].host);
		assert_string_equal(u.port, cases[i].port);
		assert_string_equal(u.path, cases[i].path);
		assert_int_equal(u.loopback, cases[i].loopback);
		http_url_release(&u);
	}
}

static void test_refused(void **state)
{
	static const struct {
		const char *url, *says;
	} cases[] = {
	        {"http://127.0.0.1:x@evil.example/graphql", "user name or password"},
	        {"https://user:hunter22@api.linear.app/graphql", "user name or password"},
	        {"https://user@api.linear.app/graphql", "user name or password"},
	        {"https://:hunter22@api.linear.app/", "user name or password"},
	        {"http://evil.example/graphql", "must use https"},
	        {"http://127.0.0.1.evil.example/", "must use https"},
	        {"http://localhost.evil.example/", "must use https"},
	        {"http://10.0.0.1/", "must use https"},
	        {"ftp://api.linear.app/", "not an https URL"},
	        {"file:///etc/passwd", "not an https URL"},
	        {"api.linear.app/graphql", "not a URL"},
	        {"https://api.linear.app/a b", "not a URL"},
	        {"", "not a URL"},
	        {"https://u\x9fs/", "control or non-UTF-8"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct http_url u = HTTP_URL_INIT;
		if (http_url_parse(&u, cases[i].url, "'linear.url'") != PM_ECONFIG)
			fail_msg("'%s' accepted", cases[i].url);
		if (!strstr(pm_error_message(), cases[i].says))
			fail_msg("'%s': message '%s' lacks '%s'", cases[i].url, pm_error_message(),
			         cases[i].says);
		if (strstr(pm_error_message(), "hunter22") || strstr(pm_error_message(), "x@evil"))
			fail_msg("'%s': the message repeats the credentials", cases[i].url);
		assert_null(u.host);
	}
}

static void test_same_site(void **state)
{
	struct http_url a = HTTP_URL_INIT, b = HTTP_URL_INIT, c = HTTP_URL_INIT;

	(void)state;
	assert_int_equal(http_url_parse(&a, "https://acme.atlassian.net", "a"), 0);
	assert_int_equal(http_url_parse(&b, "https://ACME.atlassian.net:443/jira", "b"), 0);
	assert_int_equal(http_url_parse(&c, "https://acme.atlassian.net.evil.example", "c"), 0);
	assert_true(http_url_same_site(&a, &b));
	assert_false(http_url_same_site(&a, &c));
	http_url_release(&a);
	http_url_release(&b);
	http_url_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_accepted),
	        cmocka_unit_test(test_refused),
	        cmocka_unit_test(test_same_site),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
