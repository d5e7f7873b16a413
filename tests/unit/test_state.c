/*
 * Unit tests of state/ and util/lockfile: the state file's round trip, its
 * atomic replacement, the lock (contention, stale takeover) and corrupt
 * files, each named with its line or JSON path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

extern char **environ;

#include "util/compat.h"
#include "state/state.h"
#include "util/error.h"
#include "util/lockfile.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- a scratch directory per test ---- */

static void rm_rf(const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;

	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode) && (dir = opendir(path))) {
		while ((de = readdir(dir))) {
			char *child;
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			child = xasprintf("%s/%s", path, de->d_name);
			rm_rf(child);
			free(child);
		}
		closedir(dir);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static int setup_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/pmsync-state-XXXXXX", tmp && *tmp ? tmp : "/tmp");

	if (!mkdtemp(dir)) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

static int teardown_dir(void **state)
{
	rm_rf(*state);
	free(*state);
	return 0;
}

static void write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void fill(struct state *st)
{
	struct tracker_fields w;
	struct state_item *it;

	st->tracker = xstrdup("linear");
	st->repo = xstrdup("acme/app");
	st->rev = xstrdup("0123456789abcdef0123456789abcdef01234567");
	tracker_fields_init(&w);
	w.title = xstrdup("Add an alert \xe2\x80\x9cquoted\xe2\x80\x9d");
	w.description = xstrdup("line 1\nline 2 \"x\" \\ y");
	w.assignee_id = xstrdup("user-1");
	w.due = xstrdup("2024-04-01");
	w.priority = 2;
	strlist_add(&w.labels, "lever:alert");
	strlist_add(&w.labels, "pmsync");
	it = state_get(st, "k2");
	state_item_set(it, "11111111-1111-4111-8111-111111111111", "ENG-2",
	               "https://linear.app/acme/issue/ENG-2", "docs/postmortems/a.md", &w);
	tracker_fields_release(&w);
	it = state_get(st, "k1");
	state_item_set(it, "22222222-2222-4222-8222-222222222222", NULL, NULL, NULL, NULL);
}

/* ---- tests ---- */

static void test_round_trip(void **unused)
{
	struct state a = STATE_INIT, b = STATE_INIT;
	struct strbuf ja = STRBUF_INIT, jb = STRBUF_INIT;
	const struct state_item *it;

	(void)unused;
	fill(&a);
	state_format(&ja, &a);
	assert_int_equal(state_parse(&b, ja.buf, ja.len, "state.json"), 0);
	state_format(&jb, &b);
	assert_string_equal(ja.buf, jb.buf);
	assert_int_equal(b.items_nr, 2);
	assert_string_equal(b.items[0].key, "k1"); /* sorted */
	assert_false(b.items[0].has_written);
	assert_null(b.items[0].ref);
	it = state_find(&b, "k2");
	assert_non_null(it);
	assert_string_equal(it->ref, "ENG-2");
	assert_true(it->has_written);
	assert_string_equal(it->written.title, "Add an alert \xe2\x80\x9cquoted\xe2\x80\x9d");
	assert_string_equal(it->written.description, "line 1\nline 2 \"x\" \\ y");
	assert_int_equal(it->written.priority, 2);
	assert_int_equal(it->written.labels.nr, 2);
	assert_string_equal(b.tracker, "linear");
	assert_string_equal(b.repo, "acme/app");
	assert_null(state_find(&b, "k3"));
	/* removal keeps the order */
	state_remove(&b, "k1");
	assert_int_equal(b.items_nr, 1);
	assert_string_equal(b.items[0].key, "k2");
	strbuf_release(&ja);
	strbuf_release(&jb);
	state_release(&a);
	state_release(&b);
}

static void test_missing_is_empty(void **state)
{
	struct state st = STATE_INIT;

	assert_int_equal(state_open(&st, *state, ".pmsync/state.json", 0), 0);
	assert_int_equal(st.items_nr, 0);
	assert_null(st.last_run);
	assert_string_equal(st.display, ".pmsync/state.json");
	/* reading creates nothing */
	assert_false(exists(st.file));
	state_release(&st);
}

static void test_save_atomic(void **state)
{
	struct state st = STATE_INIT, again = STATE_INIT;
	char *file = xasprintf("%s/.pmsync/deep/state.json", (char *)*state);
	char *tmp = xasprintf("%s.tmp", file);
	char *lock = xasprintf("%s.lock", file);
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(state_open(&st, *state, ".pmsync/deep/state.json", PM_STATE_LOCK), 0);
	assert_true(exists(lock)); /* the directory was made for the lock */
	fill(&st);
	assert_int_equal(state_save(&st), 0);
	assert_true(exists(file));
	assert_false(exists(tmp));
	assert_non_null(st.last_run);
	assert_int_equal(strbuf_read_file(&sb, file, 0), 0);
	assert_null(strstr(sb.buf, "lin_api_")); /* no token can be in it: none is given */
	state_release(&st);
	assert_false(exists(lock)); /* released */

	assert_int_equal(state_open(&again, *state, ".pmsync/deep/state.json", 0), 0);
	assert_int_equal(again.items_nr, 2);
	assert_string_equal(again.rev, "0123456789abcdef0123456789abcdef01234567");
	/* saving without holding the lock takes it for the write */
	assert_int_equal(state_save(&again), 0);
	assert_false(exists(lock));
	assert_false(exists(tmp));
	state_release(&again);

	/* rebuild ignores the content */
	assert_int_equal(state_open(&again, *state, ".pmsync/deep/state.json", PM_STATE_REBUILD),
	                 0);
	assert_int_equal(again.items_nr, 0);
	state_release(&again);
	strbuf_release(&sb);
	free(file);
	free(tmp);
	free(lock);
}

static void test_lock_contention(void **state)
{
	struct state a = STATE_INIT, b = STATE_INIT;
	char *want = xasprintf("another pmsync run holds '.pmsync/state.json.lock' (pid %ld): wait "
	                       "for it, or remove the lock if that process is gone",
	                       (long)getpid());

	assert_int_equal(state_open(&a, *state, ".pmsync/state.json", PM_STATE_LOCK), 0);
	assert_int_equal(state_open(&b, *state, ".pmsync/state.json", PM_STATE_LOCK), PM_ELOCKED);
	assert_string_equal(pm_error_message(), want);
	/* a save of another handle is refused as well */
	b.file = xasprintf("%s/.pmsync/state.json", (char *)*state);
	assert_int_equal(state_save(&b), PM_ELOCKED);
	state_release(&b);
	state_release(&a);
	/* once released, the next run gets it */
	assert_int_equal(state_open(&b, *state, ".pmsync/state.json", PM_STATE_LOCK), 0);
	fill(&b);
	assert_int_equal(state_save(&b), 0);
	state_release(&b);

	/* an existing file: the lock is held from open to release, across saves */
	assert_int_equal(state_open(&a, *state, ".pmsync/state.json", PM_STATE_LOCK), 0);
	assert_int_equal(a.items_nr, 2);
	assert_int_equal(state_open(&b, *state, ".pmsync/state.json", PM_STATE_LOCK), PM_ELOCKED);
	assert_int_equal(state_save(&a), 0);
	assert_int_equal(state_open(&b, *state, ".pmsync/state.json", PM_STATE_LOCK), PM_ELOCKED);
	/* reading without the lock (a dry run) is not blocked */
	assert_int_equal(state_open(&b, *state, ".pmsync/state.json", 0), 0);
	assert_int_equal(b.items_nr, 2);
	state_release(&b);
	state_release(&a);
	free(want);
}

static void test_stale_lock(void **state)
{
	static const char *const contents[] = {"", "0\n", "junk"};
	struct state st = STATE_INIT;
	char *dir = xasprintf("%s/.pmsync", (char *)*state);
	char *lock = xasprintf("%s/state.json.lock", dir);
	char *argv[] = {(char *)"true", NULL};
	char buf[32], pid[32];
	pid_t child;
	size_t i;

	assert_int_equal(mkdir(dir, 0777), 0);
	/* A pid that existed and is gone: a child that exited and was reaped. */
	assert_int_equal(posix_spawnp(&child, "true", NULL, NULL, argv, environ), 0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	snprintf(pid, sizeof(pid), "pid %ld", (long)child);
	snprintf(buf, sizeof(buf), "%ld\n", (long)child);
	write_file(lock, buf);
	assert_int_equal(state_open(&st, *state, ".pmsync/state.json", PM_STATE_LOCK), 0);
	assert_non_null(st.note);
	assert_non_null(strstr(st.note, "stale lock"));
	assert_non_null(strstr(st.note, pid));
	state_release(&st);
	assert_false(exists(lock));

	/* A lock without a pid is not guessed at: it stays held. */
	for (i = 0; i < ARRAY_SIZE(contents); i++) {
		write_file(lock, contents[i]);
		assert_int_equal(state_open(&st, *state, ".pmsync/state.json", PM_STATE_LOCK),
		                 PM_ELOCKED);
		assert_non_null(strstr(pm_error_message(), "no pid in it"));
	}
	unlink(lock);
	free(dir);
	free(lock);
}

static void test_corrupt(void **unused)
{
	static const struct {
		const char *json;
		const char *want; /* part of the message */
	} cases[] = {
	        {"{\n  \"version\": 1,\n  \"items\": {,}\n}", "(line 3, column 13: "},
	        {"", "(line 1, column 0: "},
	        {"[]", "'(top)': expected object, got array"},
	        {"{\"items\": {}}", "'version': expected integer, got nothing"},
	        {"{\"version\": \"1\"}", "'version': expected integer, got string"},
	        {"{\"version\": 2}", "has version 2, this pmsync reads version 1"},
	        {"{\"version\": 1, \"tracker\": 5}",
	         "'tracker': expected string or null, got integer"},
	        {"{\"version\": 1, \"items\": []}", "'items': expected object, got array"},
	        {"{\"version\": 1, \"items\": {\"k1\": 1}}", "'items.k1': expected object"},
	        {"{\"version\": 1, \"items\": {\"k1\": {\"ticket_id\": 7}}}",
	         "'items.k1.ticket_id': expected string, got integer"},
	        {"{\"version\": 1, \"items\": {\"k1\": {\"ticket_id\": \"x\", \"written\": []}}}",
	         "'items.k1.written': expected object, got array"},
	        {"{\"version\": 1, \"items\": {\"k1\": {\"ticket_id\": \"x\", \"written\": "
	         "{\"title\": \"t\", \"description\": \"d\", \"priority\": 1, \"labels\": [1]}}}}",
	         "'items.k1.written.labels[0]': expected string, got integer"},
	        {"{\"version\": 1, \"items\": {\"k1\": {\"ticket_id\": \"x\", \"written\": "
	         "{\"title\": \"t\", \"description\": \"d\", \"priority\": 1.5, \"labels\": []}}}}",
	         "'items.k1.written.priority': expected an integer from -1, got number"},
	        {"{\"version\": 1, \"version\": 1}", "duplicate object key"},
	        {"{\"version\": 1, \"items\": {\"\": {\"ticket_id\": \"x\"}}}", "empty key"},
	};
	size_t i;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct state st = STATE_INIT;
		int r = state_parse(&st, cases[i].json, strlen(cases[i].json),
		                    ".pmsync/state.json");
		if (r != PM_ESTATE)
			fail_msg("case %zu: got %d, want PM_ESTATE", i, r);
		if (!strstr(pm_error_message(), cases[i].want))
			fail_msg("case %zu: '%s' lacks '%s'", i, pm_error_message(), cases[i].want);
		if (strncmp(pm_error_message(), "'.pmsync/state.json' ", 21) ||
		    !strstr(pm_error_message(), "run 'pmsync sync --rebuild-state' to rebuild it "
		                                "from the tracker"))
			fail_msg("case %zu: '%s'", i, pm_error_message());
		assert_int_equal(st.items_nr, 0);
		state_release(&st);
	}
}

/* A corrupt file on disk fails the open, and the lock is not left behind. */
static void test_corrupt_file(void **state)
{
	struct state st = STATE_INIT;
	char *dir = xasprintf("%s/.pmsync", (char *)*state);
	char *file = xasprintf("%s/state.json", dir);
	char *lock = xasprintf("%s.lock", file);

	assert_int_equal(mkdir(dir, 0777), 0);
	write_file(file, "{\n  \"version\": 1,\n  \"items\": {\"k\": tru}\n}\n");
	assert_int_equal(state_open(&st, *state, ".pmsync/state.json", PM_STATE_LOCK), PM_ESTATE);
	assert_non_null(strstr(pm_error_message(), "'.pmsync/state.json' is corrupt (line 3"));
	assert_false(exists(lock));
	assert_true(exists(file)); /* never reset */
	/* --rebuild-state gets past it */
	assert_int_equal(
	        state_open(&st, *state, ".pmsync/state.json", PM_STATE_LOCK | PM_STATE_REBUILD), 0);
	assert_int_equal(st.items_nr, 0);
	state_release(&st);
	free(dir);
	free(file);
	free(lock);
}

static void test_atomic_write(void **state)
{
	char *file = xasprintf("%s/a/b/c.txt", (char *)*state);
	char *tmp = xasprintf("%s.tmp", file);
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(lockfile_write_atomic(file, "c.txt", "one\n", 4), 0);
	assert_int_equal(lockfile_write_atomic(file, "c.txt", "two\n", 4), 0);
	assert_false(exists(tmp));
	assert_int_equal(strbuf_read_file(&sb, file, 0), 0);
	assert_string_equal(sb.buf, "two\n");
	/* a leftover tmp from a killed run is simply overwritten */
	write_file(tmp, "garbage");
	assert_int_equal(lockfile_write_atomic(file, "c.txt", "three\n", 6), 0);
	assert_false(exists(tmp));
	strbuf_release(&sb);
	free(file);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_corrupt),
	        cmocka_unit_test_setup_teardown(test_missing_is_empty, setup_dir, teardown_dir),
	        cmocka_unit_test_setup_teardown(test_save_atomic, setup_dir, teardown_dir),
	        cmocka_unit_test_setup_teardown(test_lock_contention, setup_dir, teardown_dir),
	        cmocka_unit_test_setup_teardown(test_stale_lock, setup_dir, teardown_dir),
	        cmocka_unit_test_setup_teardown(test_corrupt_file, setup_dir, teardown_dir),
	        cmocka_unit_test_setup_teardown(test_atomic_write, setup_dir, teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
