/*
 * Tests of postmortems/repo.c: opening repositories (bare, from a
 * subdirectory, not a repository, owned by another user), reading the
 * configuration at a revision, in the working tree or from --config,
 * deriving the URL template and repo id from the origin remote (GitHub https
 * and ssh forms, GitLab, none), choosing files with include and exclude
 * globs, reading at an older revision, an unknown revision, an empty
 * repository, a shallow clone, the working tree with an uncommitted edit,
 * a blob over the size limit, and the postmortems a pull request changed
 * (--changed-since). Repositories are built with the git CLI in
 * a temporary directory.
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
#include "config/config.h"
#include "postmortems/diag.h"
#include "postmortems/postmortem.h"
#include "postmortems/repo.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "tests/unit/scratch_repo.h"

static int setup_scratch(void **state)
{
	(void)state;
	return scratch_setup("repo");
}

static int teardown_scratch(void **state)
{
	(void)state;
	return scratch_teardown();
}

static char *doc(const char *title, const char *rows)
{
	return xasprintf("# %s\n\n## Action items\n\n| Action | Owner |\n|---|---|\n%s\n", title,
	                 rows);
}

static void add_doc(const char *repo, const char *path, const char *title, const char *rows)
{
	char *text = doc(title, rows);

	scratch_write_file(repo, path, text);
	free(text);
}

/* Opens dir, reads its configuration and loads; returns the code of the first failure. */
static int try_load(struct pm_set *set, const char *dir, const struct repo_load_options *opts,
                    const char *override, struct config *cfg_out)
{
	struct repo *repo = NULL;
	struct config cfg;
	struct diags diags = DIAGS_INIT;
	int err;

	config_init(&cfg);
	pm_error_clear();
	if ((err = repo_open(&repo, dir)) < 0)
		goto done;
	if ((err = repo_read_config(repo, &cfg, override, opts)) < 0)
		goto done;
	err = repo_load(set, repo, &cfg, opts, &diags);
done:
	if (cfg_out)
		*cfg_out = cfg;
	else
		config_release(&cfg);
	diags_release(&diags);
	repo_free(repo);
	return err;
}

static void load_ok(struct pm_set *set, const char *dir, const struct repo_load_options *opts)
{
	if (try_load(set, dir, opts, NULL, NULL) < 0)
		fail_msg("load '%s': %s", dir, pm_error_message());
}

static const struct postmortem *find_pm(const struct pm_set *set, const char *path)
{
	for (size_t i = 0; i < set->nr; i++)
		if (!strcmp(set->v[i].path, path))
			return &set->v[i];
	fail_msg("no postmortem '%s'", path);
	return NULL;
}

static char *paths_of(const struct pm_set *set)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < set->nr; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", set->v[i].path);
	return strbuf_detach(&sb, NULL);
}

#define A_PATH "docs/postmortems/2024-01-05-api.md"
#define B_PATH "docs/postmortems/2024-02-01-db.md"

/* A repository of two postmortems over two commits (b's second row reworded). */
static char *sample_repo(void)
{
	char *repo = scratch_new_repo();

	add_doc(repo, A_PATH, "API outage", "| Add a rate limit on the API | @ana |\n");
	add_doc(repo, B_PATH, "DB outage",
	        "| Add an alert on disk usage | @bo |\n| Write a failover runbook | @cy |\n");
	scratch_commit(repo, "first");
	add_doc(repo, B_PATH, "DB outage",
	        "| Add an alert on disk usage | @bo |\n| Write the failover runbook now | @cy |\n");
	scratch_commit(repo, "second");
	return repo;
}

static void test_open_errors(void **state)
{
	struct repo *repo = NULL;
	char *plain = xasprintf("%s/not-a-repo", scratch_dir());
	char *sub, *r = sample_repo();

	(void)state;
	mkdir(plain, 0700);
	assert_int_equal(repo_open(&repo, plain), PM_EREPO);
	assert_null(repo);
	assert_non_null(strstr(pm_error_message(), "could not find repository"));

	/* a subdirectory opens the repository around it */
	sub = xasprintf("%s/docs/postmortems", r);
	assert_int_equal(repo_open(&repo, sub), 0);
	assert_string_equal(repo_root(repo), r);
	repo_free(repo);
	repo_free(NULL);
	free(sub);
	free(plain);
	free(r);
}

static void test_load_head_and_rev(void **state)
{
	struct pm_set head = PM_SET_INIT, old = PM_SET_INIT, bad = PM_SET_INIT;
	struct repo_load_options o_old = {"HEAD~1", false, false}, o_bad = {"nope", false, false};
	char *r = sample_repo(), *paths;
	const struct postmortem *b;

	(void)state;
	load_ok(&head, r, NULL);
	paths = paths_of(&head);
	assert_string_equal(paths, A_PATH " " B_PATH);
	free(paths);
	assert_int_equal(strlen(head.rev_id), 40);
	assert_true(head.history);
	assert_false(head.shallow);
	b = find_pm(&head, B_PATH);
	assert_int_equal(b->items_nr, 2);
	assert_string_equal(b->items[1].text, "Write the failover runbook now");
	assert_int_equal(strlen(b->blob_id), 40);
	assert_string_equal(b->origin_path, B_PATH);

	load_ok(&old, r, &o_old);
	assert_string_not_equal(old.rev_id, head.rev_id);
	b = find_pm(&old, B_PATH);
	assert_string_equal(b->items[1].text, "Write a failover runbook");
	/* the key of a reworded row is the key it had before */
	assert_string_equal(b->items[1].key, find_pm(&head, B_PATH)->items[1].key);
	assert_string_not_equal(b->blob_id, find_pm(&head, B_PATH)->blob_id);

	assert_int_equal(try_load(&bad, r, &o_bad, NULL, NULL), PM_ENOTFOUND);
	assert_string_equal(pm_error_message(), "unknown revision 'nope'");
	assert_int_equal(bad.nr, 0);

	pm_set_release(&head);
	pm_set_release(&old);
	free(r);
}

static void test_bare_clone(void **state)
{
	struct pm_set src = PM_SET_INIT, bare = PM_SET_INIT, wt = PM_SET_INIT;
	struct repo_load_options o_wt = {NULL, true, false};
	struct repo *repo = NULL;
	char *r = sample_repo();
	char *b = xasprintf("%s.bare.git", r);

	(void)state;
	scratch_run("git clone -q --bare '%s' '%s'", r, b);
	assert_int_equal(repo_open(&repo, b), 0);
	assert_string_equal(repo_root(repo), b);
	repo_free(repo);
	load_ok(&src, r, NULL);
	load_ok(&bare, b, NULL);
	assert_int_equal(bare.nr, src.nr);
	for (size_t i = 0; i < src.nr; i++) {
		assert_string_equal(bare.v[i].path, src.v[i].path);
		assert_int_equal(bare.v[i].items_nr, src.v[i].items_nr);
		for (size_t k = 0; k < src.v[i].items_nr; k++)
			assert_string_equal(bare.v[i].items[k].key, src.v[i].items[k].key);
	}
	assert_int_equal(try_load(&wt, b, &o_wt, NULL, NULL), PM_EREPO);
	assert_non_null(strstr(pm_error_message(), "bare repository"));
	pm_set_release(&src);
	pm_set_release(&bare);
	free(b);
	free(r);
}

static void test_shallow_clone(void **state)
{
	struct pm_set full = PM_SET_INIT, shallow = PM_SET_INIT;
	char *r = sample_repo();
	char *s = xasprintf("%s.shallow", r);
	const struct postmortem *fb, *sb;

	(void)state;
	scratch_run("git clone -q --depth 1 'file://%s' '%s'", r, s);
	load_ok(&full, r, NULL);
	load_ok(&shallow, s, NULL);
	assert_true(shallow.shallow);
	assert_true(shallow.history);
	assert_false(full.shallow);
	assert_string_equal(shallow.rev_id, full.rev_id);
	fb = find_pm(&full, B_PATH);
	sb = find_pm(&shallow, B_PATH);
	/* untouched rows have the same keys; the reworded one is the documented limit */
	assert_string_equal(sb->items[0].key, fb->items[0].key);
	assert_string_not_equal(sb->items[1].key, fb->items[1].key);
	assert_string_equal(find_pm(&shallow, A_PATH)->items[0].key,
	                    find_pm(&full, A_PATH)->items[0].key);
	pm_set_release(&full);
	pm_set_release(&shallow);
	free(s);
	free(r);
}

static void test_worktree(void **state)
{
	struct pm_set head = PM_SET_INIT, wt = PM_SET_INIT;
	struct repo_load_options o_wt = {NULL, true, false};
	char *r = sample_repo();
	const struct postmortem *b;

	(void)state;
	load_ok(&head, r, NULL);
	add_doc(r, B_PATH, "DB outage",
	        "| Write the failover runbook now | @cy |\n"
	        "| Add an alert on disk usage for the replicas | @bo |\n"
	        "| Buy disks | @di |\n");
	add_doc(r, "docs/postmortems/2024-03-01-new.md", "New", "| Fix DNS | @ed |\n");
	scratch_write_file(r, ".gitignore", "*.draft.md\n");
	add_doc(r, "docs/postmortems/x.draft.md", "Draft", "| Ignored | @ed |\n");
	load_ok(&wt, r, &o_wt);
	assert_string_equal(wt.rev_id, "");
	assert_true(wt.history);
	assert_int_equal(wt.nr, 3);
	b = find_pm(&wt, B_PATH);
	assert_string_equal(b->blob_id, "");
	assert_int_equal(b->items_nr, 3);
	assert_string_equal(b->items[0].key, find_pm(&head, B_PATH)->items[1].key);
	assert_string_equal(b->items[1].key, find_pm(&head, B_PATH)->items[0].key);
	assert_string_not_equal(b->items[2].key, find_pm(&head, B_PATH)->items[0].key);
	assert_string_not_equal(b->items[2].key, find_pm(&head, B_PATH)->items[1].key);
	/* an unchanged file: the same keys as at HEAD */
	assert_string_equal(find_pm(&wt, A_PATH)->items[0].key,
	                    find_pm(&head, A_PATH)->items[0].key);
	assert_int_equal(find_pm(&wt, "docs/postmortems/2024-03-01-new.md")->items_nr, 1);
	pm_set_release(&head);
	pm_set_release(&wt);
	free(r);
}

static void test_empty_repository(void **state)
{
	struct pm_set set = PM_SET_INIT;
	struct repo_load_options o_wt = {NULL, true, false};
	char *r = scratch_new_repo();

	(void)state;
	assert_int_equal(try_load(&set, r, NULL, NULL, NULL), PM_EREPO);
	assert_non_null(strstr(pm_error_message(), "no commits yet"));
	add_doc(r, A_PATH, "API outage", "| Add a rate limit on the API | @ana |\n");
	load_ok(&set, r, &o_wt);
	assert_int_equal(set.nr, 1);
	assert_false(set.history);
	assert_string_equal(set.v[0].origin_path, A_PATH);
	assert_non_null(set.v[0].items[0].key);
	pm_set_release(&set);
	free(r);
}

static void test_globs(void **state)
{
	struct pm_set set = PM_SET_INIT;
	struct config cfg;
	char *r = scratch_new_repo(), *paths;

	(void)state;
	add_doc(r, "docs/postmortems/README.md", "Readme", "| x | y |\n");
	add_doc(r, "docs/postmortems/TEMPLATE.md", "Template", "| x | y |\n");
	add_doc(r, "docs/postmortems/_drafts/2024-05-01-wip.md", "Draft", "| x | y |\n");
	add_doc(r, "docs/postmortems/2024/2024-04-01-cache.md", "Cache", "| x | y |\n");
	add_doc(r, "docs/postmortems/2024/_notes.md", "Notes", "| x | y |\n");
	add_doc(r, "docs/postmortems/2023-12-01-dns.md", "DNS", "| x | y |\n");
	scratch_write_file(r, "docs/postmortems/notes.txt", "not markdown\n");
	add_doc(r, "docs/other/2024-01-01-elsewhere.md", "Elsewhere", "| x | y |\n");
	scratch_run("ln -s 2023-12-01-dns.md '%s/docs/postmortems/link.md'", r);
	scratch_commit(r, "files");
	load_ok(&set, r, NULL);
	paths = paths_of(&set);
	assert_string_equal(paths, "docs/postmortems/2023-12-01-dns.md "
	                           "docs/postmortems/2024/2024-04-01-cache.md");
	free(paths);
	pm_set_release(&set);

	/* globs from .pmsync.conf at the revision */
	scratch_write_file(r, ".pmsync.conf",
	                   "[postmortems]\n\tinclude = 2024/*.md\n\tinclude = _drafts/*.md\n"
	                   "\texclude = *notes*\n");
	scratch_commit(r, "config");
	assert_int_equal(try_load(&set, r, NULL, NULL, &cfg), 0);
	paths = paths_of(&set);
	assert_string_equal(paths, "docs/postmortems/2024/2024-04-01-cache.md "
	                           "docs/postmortems/_drafts/2024-05-01-wip.md");
	free(paths);
	config_release(&cfg);
	pm_set_release(&set);

	/* the working tree's .pmsync.conf with --worktree, another path */
	{
		struct repo_load_options o_wt = {NULL, true, false};
		scratch_write_file(r, ".pmsync.conf", "[postmortems]\n\tpath = docs/other/\n");
		load_ok(&set, r, &o_wt);
		paths = paths_of(&set);
		assert_string_equal(paths, "docs/other/2024-01-01-elsewhere.md");
		free(paths);
		pm_set_release(&set);
	}
	/* --config wins over both */
	{
		char *override = xasprintf("%s/override.conf", scratch_dir());
		scratch_write_file(scratch_dir(), "override.conf",
		                   "[postmortems]\n\tpath = .\n"
		                   "\tinclude = docs/postmortems/20*.md\n");
		assert_int_equal(try_load(&set, r, NULL, override, NULL), 0);
		paths = paths_of(&set);
		assert_string_equal(paths, "docs/postmortems/2023-12-01-dns.md "
		                           "docs/postmortems/2024/2024-04-01-cache.md");
		free(paths);
		pm_set_release(&set);
		free(override);
	}
	/* a bad .pmsync.conf at the revision is a configuration error */
	scratch_write_file(r, ".pmsync.conf", "[postmortems]\n\tnosuchkey = 1\n");
	scratch_commit(r, "bad config");
	assert_int_equal(try_load(&set, r, NULL, NULL, NULL), PM_ECONFIG);
	free(r);
}

struct url_case {
	const char *remote;  /* NULL: no origin */
	const char *head;    /* refs/remotes/origin/HEAD target branch, or NULL */
	const char *tmpl;    /* expected template, or NULL */
	const char *repo_id; /* expected repo id; NULL: the directory's name */
};

static void test_url_derivation(void **state)
{
	static const struct url_case cases[] = {
	        {"https://github.com/acme/widgets.git", NULL,
	         "https://github.com/acme/widgets/blob/main/{path}", "acme/widgets"},
	        {"https://github.com/acme/widgets", "trunk",
	         "https://github.com/acme/widgets/blob/trunk/{path}", "acme/widgets"},
	        {"git@github.com:acme/widgets.git", NULL,
	         "https://github.com/acme/widgets/blob/main/{path}", "acme/widgets"},
	        {"ssh://git@github.com/acme/widgets", NULL,
	         "https://github.com/acme/widgets/blob/main/{path}", "acme/widgets"},
	        {"https://gitlab.com/acme/platform/widgets.git", "develop",
	         "https://gitlab.com/acme/platform/widgets/-/blob/develop/{path}",
	         "acme/platform/widgets"},
	        {"ssh://git@gitlab.example.com:2222/ops/widgets.git", NULL,
	         "https://gitlab.example.com/ops/widgets/-/blob/main/{path}", "ops/widgets"},
	        {"https://git.example.com/scm/ops/widgets.git", NULL, NULL, "ops/widgets"},
	        {"/srv/git/widgets.git", NULL, NULL, NULL},
	        {NULL, NULL, NULL, NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct url_case *c = &cases[i];
		struct pm_set set = PM_SET_INIT;
		struct config cfg;
		char *r = scratch_new_repo(), *name;

		add_doc(r, "docs/postmortems/2024-01-05-api outage.md", "API outage",
		        "| Add a rate limit | @ana |\n");
		scratch_commit(r, "first");
		if (c->remote)
			scratch_run("git -C '%s' remote add origin '%s'", r, c->remote);
		if (c->head)
			scratch_run("git -C '%s' update-ref refs/remotes/origin/%s HEAD && "
			            "git -C '%s' symbolic-ref refs/remotes/origin/HEAD "
			            "refs/remotes/origin/%s",
			            r, c->head, r, c->head);
		assert_int_equal(try_load(&set, r, NULL, NULL, &cfg), 0);
		if (c->tmpl) {
			char *url;
			assert_non_null(cfg.url_template);
			assert_string_equal(cfg.url_template, c->tmpl);
			url = repo_postmortem_url(c->tmpl,
			                          "docs/postmortems/2024-01-05-api outage.md");
			assert_string_equal(set.v[0].url, url);
			assert_non_null(
			        strstr(url, "/docs/postmortems/2024-01-05-api%20outage.md"));
			free(url);
		} else {
			assert_null(cfg.url_template);
			assert_null(set.v[0].url);
		}
		name = xstrdup(strrchr(r, '/') + 1); /* the directory: no origin to name it */
		assert_string_equal(cfg.repo_id, c->repo_id ? c->repo_id : name);
		free(name);
		config_release(&cfg);
		pm_set_release(&set);
		free(r);
	}

	/* a template set in the configuration is kept */
	{
		struct pm_set set = PM_SET_INIT;
		struct config cfg;
		char *r = scratch_new_repo();
		scratch_write_file(r, ".pmsync.conf",
		                   "[postmortems]\n\turl = https://docs.example.com/{path}\n");
		add_doc(r, A_PATH, "API outage", "| Add a rate limit | @ana |\n");
		scratch_commit(r, "first");
		scratch_run("git -C '%s' remote add origin https://github.com/acme/widgets", r);
		assert_int_equal(try_load(&set, r, NULL, NULL, &cfg), 0);
		assert_string_equal(cfg.url_template, "https://docs.example.com/{path}");
		assert_string_equal(set.v[0].url,
		                    "https://docs.example.com/docs/postmortems/2024-01-05-api.md");
		config_release(&cfg);
		pm_set_release(&set);
		free(r);
	}
	assert_null(repo_postmortem_url(NULL, "x.md"));
	{
		char *u = repo_postmortem_url("{path}?plain=1#{path}", "a b/ü#.md");
		assert_string_equal(u, "a%20b/%C3%BC%23.md?plain=1#a%20b/%C3%BC%23.md");
		free(u);
	}
}

static void test_safe_directory(void **state)
{
	struct repo *repo = NULL;
	char *r, *expect;
	char *gitconfig;

	(void)state;
	if (geteuid() != 0) {
		printf("skip: not root, cannot give a repository to another user\n");
		skip();
	}
	r = sample_repo();
	scratch_run("chown -R 12345:12345 '%s'", r);
	assert_int_equal(repo_open(&repo, r), PM_EREPO);
	assert_null(repo);
	expect = xasprintf("repository '%s' is owned by someone else: add it to git's "
	                   "safe.directory setting: git config --global --add safe.directory %s",
	                   r, r);
	assert_string_equal(pm_error_message(), expect);
	free(expect);

	/* the advice works */
	gitconfig = xasprintf("%s/home/.gitconfig", scratch_dir());
	scratch_run("git config --global --add safe.directory '%s'", r);
	assert_int_equal(repo_open(&repo, r), 0);
	repo_free(repo);
	scratch_run("git config --global --unset-all safe.directory");
	free(gitconfig);
	scratch_run("chown -R 0:0 '%s'", r);
	free(r);
}

static void test_large_blob(void **state)
{
	struct pm_set set = PM_SET_INIT;
	struct repo *repo = NULL;
	struct config cfg;
	struct diags diags = DIAGS_INIT;
	char *r = scratch_new_repo();
	const struct postmortem *big;

	(void)state;
	add_doc(r, A_PATH, "API outage", "| Add a rate limit | @ana |\n");
	scratch_run("mkdir -p '%s/docs/postmortems' && head -c 17000000 /dev/zero | tr '\\0' 'a' "
	            "> '%s/docs/postmortems/2024-09-09-huge.md'",
	            r, r);
	scratch_commit(r, "big");
	config_init(&cfg);
	assert_int_equal(repo_open(&repo, r), 0);
	assert_int_equal(repo_load(&set, repo, &cfg, NULL, &diags), 0);
	assert_int_equal(set.nr, 2);
	big = find_pm(&set, "docs/postmortems/2024-09-09-huge.md");
	assert_true(big->unreadable);
	assert_int_equal(big->items_nr, 0);
	assert_true(diags.nr >= 1);
	{
		bool found = false;
		for (size_t i = 0; i < diags.nr; i++)
			found |= diags.v[i].level == DIAG_ERROR &&
			         !strcmp(diags.v[i].path, big->path);
		assert_true(found);
	}
	diags_release(&diags);
	config_release(&cfg);
	pm_set_release(&set);
	repo_free(repo);
	free(r);
}

static char *joined(const struct strlist *l)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < l->nr; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", l->v[i]);
	return strbuf_detach(&sb, NULL);
}

static void test_changed_since(void **state)
{
	struct repo_load_options o_head = {NULL, false, false}, o_wt = {NULL, true, false};
	struct strlist paths = {NULL, 0, 0};
	struct repo *repo = NULL;
	struct config cfg;
	char *r = sample_repo(), *got;

	(void)state;
	add_doc(r, "docs/postmortems/2024-03-01-old.md", "Old", "| Keep | @a |\n");
	scratch_commit(r, "old");
	scratch_run("git -C '%s' checkout -q -b pr", r);
	add_doc(r, B_PATH, "DB outage", "| Add an alert on disk usage | @bo |\n");
	add_doc(r, "docs/postmortems/2024-04-01-new.md", "New", "| Fix DNS | @di |\n");
	add_doc(r, "docs/postmortems/README.md", "Readme", "| x | y |\n");
	scratch_run("git -C '%s' rm -q '%s'", r, A_PATH);
	scratch_commit(r, "pr");
	/* main moves on after the fork: not part of the pull request */
	scratch_run("git -C '%s' checkout -q main", r);
	add_doc(r, "docs/postmortems/2024-03-01-old.md", "Old", "| Keep it | @a |\n");
	scratch_commit(r, "main moves");
	scratch_run("git -C '%s' checkout -q pr", r);

	config_init(&cfg);
	assert_int_equal(repo_open(&repo, r), 0);
	assert_int_equal(repo_changed_since(&paths, repo, &cfg, "main", &o_head), 0);
	got = joined(&paths);
	assert_string_equal(got, A_PATH " " B_PATH " docs/postmortems/2024-04-01-new.md");
	free(got);

	/* with the working tree: an uncommitted edit and an untracked file too */
	strlist_clear(&paths);
	add_doc(r, "docs/postmortems/2024-03-01-old.md", "Old", "| Keep all | @a |\n");
	add_doc(r, "docs/postmortems/2024-05-01-draft.md", "Draft", "| Buy disks | @e |\n");
	assert_int_equal(repo_changed_since(&paths, repo, &cfg, "main", &o_wt), 0);
	got = joined(&paths);
	assert_non_null(strstr(got, "docs/postmortems/2024-03-01-old.md"));
	assert_non_null(strstr(got, "docs/postmortems/2024-05-01-draft.md"));
	assert_non_null(strstr(got, B_PATH));
	assert_null(strstr(got, "README"));
	free(got);

	assert_int_equal(repo_changed_since(&paths, repo, &cfg, "nope", &o_head), PM_ENOTFOUND);
	strlist_clear(&paths);
	config_release(&cfg);
	repo_free(repo);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_open_errors),    cmocka_unit_test(test_load_head_and_rev),
	        cmocka_unit_test(test_bare_clone),     cmocka_unit_test(test_shallow_clone),
	        cmocka_unit_test(test_worktree),       cmocka_unit_test(test_empty_repository),
	        cmocka_unit_test(test_globs),          cmocka_unit_test(test_url_derivation),
	        cmocka_unit_test(test_safe_directory), cmocka_unit_test(test_large_blob),
	        cmocka_unit_test(test_changed_since),
	};

	return cmocka_run_group_tests(tests, setup_scratch, teardown_scratch);
}
