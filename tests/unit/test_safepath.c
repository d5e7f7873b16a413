/*
 * Tests of util/safepath.c: a path the repository names stays inside it
 * (no absolute path, no `..`, no symbolic link on the way), and a file is
 * inside a folder when its real path is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/compat.h"
#include "util/error.h"
#include "util/safepath.h"
#include "util/xalloc.h"

static char *root;

static int setup(void **state)
{
	char tmpl[] = "/tmp/pmsync-safepath.XXXXXX";
	char *p;

	(void)state;
	if (!mkdtemp(tmpl))
		return -1;
	root = xstrdup(tmpl);
	p = xasprintf("%s/repo", root);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/repo/.pmsync", root);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/repo/out", root);
	if (symlink("..", p) < 0)
		return -1;
	free(p);
	p = xasprintf("%s/repo/.pmsync/state.json", root);
	if (symlink("/etc/passwd", p) < 0)
		return -1;
	free(p);
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", root);

	(void)state;
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	free(root);
	return 0;
}

static void test_inside(void **state)
{
	static const struct {
		const char *rel, *says; /* says NULL: accepted */
	} cases[] = {
	        {".pmsync/other.json", NULL},
	        {"./new/dir/state.json", NULL},
	        {"state.json", NULL},
	        {"a..b/state.json", NULL},
	        {"../victim.txt", "'..'"},
	        {"x/../../victim.txt", "'..'"},
	        {"/tmp/victim.txt", "not a path inside"},
	        {"", "not a path inside"},
	        {"out/victim.txt", "symbolic link"},
	        {".pmsync/state.json", "symbolic link"},
	};
	char *repo = xasprintf("%s/repo", root);
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		r = safepath_check_inside(repo, cases[i].rel, "c: sync.stateFile");
		if (!cases[i].says && r)
			fail_msg("'%s' refused: %s", cases[i].rel, pm_error_message());
		if (cases[i].says && r != PM_ECONFIG)
			fail_msg("'%s' accepted", cases[i].rel);
		if (cases[i].says && !strstr(pm_error_message(), cases[i].says))
			fail_msg("'%s': '%s' lacks '%s'", cases[i].rel, pm_error_message(),
			         cases[i].says);
	}
	free(repo);
}

static void test_within(void **state)
{
	char *repo = xasprintf("%s/repo", root);
	char *in = xasprintf("%s/repo/.pmsync", root);
	char *via_link = xasprintf("%s/repo/out", root);
	char *outside = xasprintf("%s", root);
	char *missing = xasprintf("%s/repo/none", root);
	char *prefix = xasprintf("%s/repo2", root);

	(void)state;
	assert_true(safepath_within(in, repo));
	assert_true(safepath_within(repo, repo));
	assert_false(safepath_within(via_link, repo)); /* it leads to root */
	assert_false(safepath_within(outside, repo));
	assert_false(safepath_within(missing, repo));
	mkdir(prefix, 0700);
	assert_false(safepath_within(prefix, repo));
	free(repo);
	free(in);
	free(via_link);
	free(outside);
	free(missing);
	free(prefix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_inside),
	        cmocka_unit_test(test_within),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
