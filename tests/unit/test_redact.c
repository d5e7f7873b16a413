/*
 * Tests of util/redact.c: secrets masked by the value they have in the
 * environment, whatever their prefix, also without a "Bearer " in front.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/redact.h"
#include "util/strbuf.h"

static const char *const vars[] = {"LINEAR_API_KEY", "LINEAR_ACCESS_TOKEN", "JIRA_API_TOKEN",
                                   "JIRA_PAT", NULL};

static void clear_env(void)
{
	size_t i;

	for (i = 0; vars[i]; i++)
		unsetenv(vars[i]);
}

static void check(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, in);
	redact_secrets(&sb, vars);
	if (strcmp(sb.buf, want))
		fail_msg("'%s': got '%s', want '%s'", in, sb.buf, want);
	strbuf_release(&sb);
}

static void test_by_value(void **state)
{
	(void)state;
	clear_env();
	check("nothing to hide", "nothing to hide");
	setenv("LINEAR_API_KEY", "k9QzX7wP", 1);
	check("bad key k9QzX7wP, again k9QzX7wP.", "bad key ***, again ***.");
	check("k9QzX7wPk9QzX7wP", "******");
	check("k9QzX7w is not it", "k9QzX7w is not it");
	setenv("LINEAR_ACCESS_TOKEN", "Bearer oauthvalue", 1);
	check("got oauthvalue", "got ***");
	setenv("JIRA_API_TOKEN", "  jira-token \n", 1);
	check("token=jira-token;", "token=***;");
	setenv("JIRA_PAT", "patpatpat", 1);
	check("Bearer patpatpat", "Bearer ***");
	clear_env();
}

static void test_short_values_left(void **state)
{
	(void)state;
	clear_env();
	setenv("LINEAR_API_KEY", "abc", 1);
	check("abc abc", "abc abc");
	setenv("LINEAR_API_KEY", "", 1);
	check("text", "text");
	clear_env();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_by_value),
	        cmocka_unit_test(test_short_values_left),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
