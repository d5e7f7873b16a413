/*
 * The scratch repositories shared by the key and repository tests (see
 * scratch_repo.h). Linked into every unit test; only those two call it.
 */
#include "tests/unit/scratch_repo.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

static char *scratch;
static int repo_counter;

const char *scratch_dir(void)
{
	return scratch;
}

void scratch_run(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd.buf);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd.buf);
	strbuf_release(&cmd);
}

void scratch_write_file(const char *repo, const char *path, const char *content)
{
	char *full = xasprintf("%s/%s", repo, path);
	char *slash = strrchr(full, '/');
	FILE *f;

	*slash = '\0';
	scratch_run("mkdir -p '%s'", full);
	*slash = '/';
	f = fopen(full, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
	assert_int_equal(fclose(f), 0);
	free(full);
}

char *scratch_new_repo(void)
{
	char *dir = xasprintf("%s/repo%d", scratch, ++repo_counter);

	scratch_run("git init -q -b main '%s'", dir);
	return dir;
}

void scratch_commit(const char *repo, const char *msg)
{
	scratch_run("git -C '%s' add -A && git -C '%s' commit -q --allow-empty -m '%s'", repo, repo,
	            msg);
}

int scratch_setup(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	char *home;

	scratch = xasprintf("%s/pmsync-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	assert_non_null(mkdtemp(scratch));
	home = xasprintf("%s/home", scratch);
	mkdir(home, 0700);
	setenv("HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "Test", 1);
	setenv("GIT_AUTHOR_EMAIL", "test@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Test", 1);
	setenv("GIT_COMMITTER_EMAIL", "test@example.com", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	/* file:// clones of the scratch repositories, in newer gits */
	scratch_run("git config --global protocol.file.allow always");
	free(home);
	return 0;
}

int scratch_teardown(void)
{
	scratch_run("rm -rf '%s'", scratch);
	free(scratch);
	scratch = NULL;
	return 0;
}
