/*
 * Tests of postmortems/keys.c and postmortems/history.c: stable item keys.
 * The first group drives keys_assign() directly on hand-built
 * postmortems; the second builds real git repositories (git CLI in a
 * temporary directory) and checks keys over commits: rewording, typo fixes,
 * reordering, inserting and deleting rows, `git mv` with and without edits,
 * near-identical rows, ID and ticket columns; the last test edits one word
 * of every item of every file of the shared corpus and requires every key
 * to survive.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/compat.h"
#include "config/config.h"
#include "postmortems/diag.h"
#include "postmortems/keys.h"
#include "postmortems/keytext.h"
#include "postmortems/postmortem.h"
#include "postmortems/repo.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "tests/unit/scratch_repo.h"

/* --- helpers: a scratch directory, git, loading ----------------------------- */

static char *read_whole(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(strbuf_read_file(&sb, path, 0), 0);
	return strbuf_detach(&sb, NULL);
}

static int setup_scratch(void **state)
{
	(void)state;
	return scratch_setup("keys");
}

static int teardown_scratch(void **state)
{
	(void)state;
	return scratch_teardown();
}

static void load_opts(struct pm_set *set, const char *dir, const struct repo_load_options *opts)
{
	struct repo *repo = NULL;
	struct config cfg;
	struct diags diags = DIAGS_INIT;

	config_init(&cfg);
	if (repo_open(&repo, dir) < 0)
		fail_msg("open: %s", pm_error_message());
	if (repo_read_config(repo, &cfg, NULL, opts) < 0)
		fail_msg("config: %s", pm_error_message());
	if (repo_load(set, repo, &cfg, opts, &diags) < 0)
		fail_msg("load: %s", pm_error_message());
	diags_release(&diags);
	config_release(&cfg);
	repo_free(repo);
}

static void load(struct pm_set *set, const char *dir)
{
	struct repo_load_options opts = {NULL, false, false};

	load_opts(set, dir, &opts);
}

static const struct postmortem *find_pm(const struct pm_set *set, const char *path)
{
	for (size_t i = 0; i < set->nr; i++)
		if (!strcmp(set->v[i].path, path))
			return &set->v[i];
	fail_msg("no postmortem '%s'", path);
	return NULL;
}

static const struct action_item *find_item(const struct postmortem *pm, const char *text)
{
	for (size_t i = 0; i < pm->items_nr; i++)
		if (pm->items[i].text && !strcmp(pm->items[i].text, text))
			return &pm->items[i];
	fail_msg("no item '%s' in '%s'", text, pm->path);
	return NULL;
}

/* A postmortem whose action items are the given table rows. */
static char *doc(const char *header, const char *rows)
{
	return xasprintf("# Database outage\n\n## Summary\n\nThe disk filled up.\n\n"
	                 "## Action items\n\n%s\n%s\n## Lessons\n\nMore alerts.\n",
	                 header, rows);
}

#define PLAIN_HEADER "| Action | Owner |\n|---|---|"

static void commit_doc(const char *repo, const char *path, const char *header, const char *rows,
                       const char *msg)
{
	char *text = doc(header, rows);

	scratch_write_file(repo, path, text);
	free(text);
	scratch_commit(repo, msg);
}

/* Keys of the named items, in the order given (NULL-terminated texts). */
static char **keys_of(const struct pm_set *set, const char *path, const char *const *texts)
{
	const struct postmortem *pm = find_pm(set, path);
	size_t n = 0;
	char **keys;

	while (texts[n])
		n++;
	keys = xcalloc(n + 1, sizeof(*keys));
	for (size_t i = 0; i < n; i++)
		keys[i] = xstrdup(find_item(pm, texts[i])->key);
	return keys;
}

static void free_keys(char **keys)
{
	for (size_t i = 0; keys && keys[i]; i++)
		free(keys[i]);
	free(keys);
}

static void assert_all_distinct(const struct postmortem *pm)
{
	for (size_t i = 0; i < pm->items_nr; i++) {
		assert_non_null(pm->items[i].key);
		for (size_t j = i + 1; j < pm->items_nr; j++)
			if (!strcmp(pm->items[i].key, pm->items[j].key))
				fail_msg("items %zu and %zu of '%s' share key %s", i, j, pm->path,
				         pm->items[i].key);
	}
}

/* --- keys_assign on hand-built postmortems --------------------------------- */

static void add(struct postmortem *pm, const char *text, const char *id, const char *ticket)
{
	struct action_item *item = postmortem_add_item(pm);

	item->text = xstrdup(text);
	item->markdown = xstrdup(text);
	item->id = xstrdup_or_null(id);
	item->ticket_key = xstrdup_or_null(ticket);
	item->ticket = xstrdup_or_null(ticket);
}

static void make_pm(struct postmortem *pm, const char *path, const char *const *texts)
{
	postmortem_init(pm);
	pm->path = xstrdup(path);
	pm->origin_path = xstrdup(path);
	for (size_t i = 0; texts[i]; i++)
		add(pm, texts[i], NULL, NULL);
}

static bool is_text_key(const char *key)
{
	if (strlen(key) != 12)
		return false;
	for (const char *p = key; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static void test_normalize(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	        {"Add an **alert** on `disk` usage!", "add an alert on disk usage"},
	        {"  Fix   DNS\tTTL  ", "fix dns ttl"},
	        {"Écrire le runbook — vite", "Écrire le runbook vite"},
	        {"監視を追加する。", "監視を追加する"},
	        {"[Link](https://x.y/z)", "link https x y z"},
	        {"", ""},
	        {"---", ""},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = keytext_normalize(cases[i].in);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

static void test_similarity(void **state)
{
	(void)state;
	assert_true(keys_similarity("Add an alert", "add an ALERT.") == 1.0);
	assert_true(keys_similarity("Write a runbok for failover",
	                            "Write a runbook for failover") >= 0.5);
	assert_true(keys_similarity("Rotate the on-call schedule", "Buy more disks") < 0.5);
	assert_true(keys_similarity("", "x") == 0.0);
}

static void test_fresh_keys(void **state)
{
	static const char *const texts[] = {"Add an alert", "Write a runbook", "Add an alert",
	                                    "add an ALERT!", NULL};
	struct postmortem a, b;

	(void)state;
	make_pm(&a, "docs/postmortems/a.md", texts);
	make_pm(&b, "docs/postmortems/a.md", texts);
	keys_assign(&a, NULL);
	keys_assign(&b, NULL);
	for (size_t i = 0; i < a.items_nr; i++) {
		assert_true(is_text_key(a.items[i].key));
		assert_int_equal(a.items[i].key_source, PM_KEY_TEXT);
		/* deterministic */
		assert_string_equal(a.items[i].key, b.items[i].key);
	}
	assert_all_distinct(&a);

	/*
	 * The keys are a contract with the tracker: the canonical string and
	 * the hash documented in keys.c, pinned here.
	 */
	assert_string_equal(a.items[0].key, "c27bc535a115");
	assert_string_equal(a.items[2].key, "4dc5726f27ed");

	/* another identity gives other keys */
	free(b.origin_path);
	b.origin_path = xstrdup("docs/postmortems/b.md");
	keys_assign(&b, NULL);
	assert_string_not_equal(a.items[0].key, b.items[0].key);
	postmortem_release(&a);
	postmortem_release(&b);
}

static void test_explicit_keys(void **state)
{
	struct postmortem pm, prev;

	(void)state;
	postmortem_init(&pm);
	pm.path = xstrdup("x.md");
	add(&pm, "Add an alert", " AI 7 ", NULL);
	add(&pm, "Write a runbook", NULL, "eng-123");
	add(&pm, "Fix the backup", "AI 7", NULL);  /* duplicate ID: falls back */
	add(&pm, "Page the DBA", NULL, "ENG-123"); /* duplicate ticket: falls back */
	add(&pm, "Buy disks", "", NULL);           /* empty ID: text key */
	keys_assign(&pm, NULL);
	assert_string_equal(pm.items[0].key, "id:ai-7");
	assert_int_equal(pm.items[0].key_source, PM_KEY_ID);
	assert_string_equal(pm.items[1].key, "t:ENG-123");
	assert_int_equal(pm.items[1].key_source, PM_KEY_TICKET);
	assert_true(is_text_key(pm.items[2].key));
	assert_true(is_text_key(pm.items[3].key));
	assert_true(is_text_key(pm.items[4].key));
	assert_all_distinct(&pm);

	/* never inherited: a row that loses its ticket gets a text key */
	postmortem_init(&prev);
	prev.path = xstrdup("x.md");
	add(&prev, "Write a runbook", NULL, "ENG-9");
	add(&prev, "Add an alert", NULL, NULL);
	keys_assign(&prev, NULL);
	postmortem_release(&pm);
	postmortem_init(&pm);
	pm.path = xstrdup("x.md");
	add(&pm, "Write a runbook", NULL, NULL);
	add(&pm, "Add an alert", NULL, "ENG-10");
	add(&pm, "Something new", NULL, NULL);
	keys_assign(&pm, &prev);
	assert_true(is_text_key(pm.items[0].key));
	assert_string_equal(pm.items[1].key, "t:ENG-10");
	/* the new row must not take the old text key of the row that gained a ticket */
	assert_string_not_equal(pm.items[2].key, prev.items[1].key);
	assert_string_not_equal(pm.items[0].key, prev.items[1].key);
	postmortem_release(&pm);
	postmortem_release(&prev);
}

static void test_inherit_in_memory(void **state)
{
	static const char *const v1[] = {"Add an alert on disk usage", "Write a failover runbook",
	                                 "Fix DNS", "Rotate the on-call schedule", NULL};
	/* reordered, one reworded, one edited in place, one inserted */
	static const char *const v2[] = {"Rotate the on-call schedule weekly", "Buy bigger disks",
	                                 "Add an alert on disk usage",         "Fix TLS",
	                                 "Write a failover runbook",           NULL};
	struct postmortem a, b;

	(void)state;
	make_pm(&a, "p.md", v1);
	make_pm(&b, "p.md", v2);
	keys_assign(&a, NULL);
	keys_assign(&b, &a);
	assert_string_equal(b.items[0].key, a.items[3].key);
	assert_string_equal(b.items[2].key, a.items[0].key);
	assert_string_equal(b.items[4].key, a.items[1].key);
	for (size_t i = 0; i < a.items_nr; i++)
		assert_string_not_equal(b.items[1].key, a.items[i].key);
	assert_all_distinct(&b);
	postmortem_release(&a);
	postmortem_release(&b);

	/* in place: between the same neighbours, one row rewritten entirely */
	{
		static const char *const w1[] = {"Alpha one", "Fix DNS", "Gamma three", NULL};
		static const char *const w2[] = {"Alpha one", "Replace the load balancer",
		                                 "Gamma three", NULL};
		make_pm(&a, "p.md", w1);
		make_pm(&b, "p.md", w2);
		keys_assign(&a, NULL);
		keys_assign(&b, &a);
		assert_string_equal(b.items[1].key, a.items[1].key);
		postmortem_release(&a);
		postmortem_release(&b);
	}
	/* identical rows: the one with the same owner keeps its key */
	{
		struct postmortem c;
		postmortem_init(&a);
		a.path = xstrdup("p.md");
		add(&a, "Check the backups", NULL, NULL);
		a.items[0].owner = xstrdup("@ana");
		add(&a, "Check the backups", NULL, NULL);
		a.items[1].owner = xstrdup("@bo");
		keys_assign(&a, NULL);
		postmortem_init(&c);
		c.path = xstrdup("p.md");
		add(&c, "Check the backups", NULL, NULL);
		c.items[0].owner = xstrdup("@bo");
		keys_assign(&c, &a);
		assert_string_equal(c.items[0].key, a.items[1].key);
		postmortem_release(&a);
		postmortem_release(&c);
	}
	/* a fresh key never collides with an inherited one */
	{
		static const char *const w1[] = {"foo", NULL};
		static const char *const w2[] = {"foo bar", NULL};
		static const char *const w3[] = {"foo bar", "foo", NULL};
		struct postmortem c;
		make_pm(&a, "p.md", w1);
		make_pm(&b, "p.md", w2);
		make_pm(&c, "p.md", w3);
		keys_assign(&a, NULL);
		keys_assign(&b, &a);
		keys_assign(&c, &b);
		assert_string_equal(c.items[0].key, a.items[0].key);
		assert_all_distinct(&c);
		postmortem_release(&a);
		postmortem_release(&b);
		postmortem_release(&c);
	}
}

/* --- keys over commits -------------------------------------------------------- */

#define PATH "docs/postmortems/2024-03-01-db-outage.md"

static const char *const base_texts[] = {"Add an alert on disk usage for the database hosts",
                                         "Write a runbook for database failover",
                                         "Rotate the on-call schedule weekly", "Fix DNS", NULL};
#define BASE_ROWS                                                        \
	"| Add an alert on disk usage for the database hosts | @ana |\n" \
	"| Write a runbook for database failover | @bo |\n"              \
	"| Rotate the on-call schedule weekly | @cy |\n"                 \
	"| Fix DNS | @di |\n"

struct edit_case {
	const char *name;
	const char *rows;               /* the second version */
	const char *const new_texts[5]; /* in base order: the text each base row now has */
	const char *added;              /* a new row's text, or NULL */
};

static void check_edit(const struct edit_case *c)
{
	struct pm_set s1 = PM_SET_INIT, s2 = PM_SET_INIT;
	char *repo = scratch_new_repo();
	char **before, **after;
	const struct postmortem *pm;
	size_t n = 0;

	commit_doc(repo, PATH, PLAIN_HEADER, BASE_ROWS, "add");
	load(&s1, repo);
	before = keys_of(&s1, PATH, base_texts);
	commit_doc(repo, PATH, PLAIN_HEADER, c->rows, c->name);
	load(&s2, repo);
	assert_true(s2.history);
	pm = find_pm(&s2, PATH);
	for (size_t i = 0; base_texts[i]; i++) {
		if (!c->new_texts[i])
			continue;
		if (strcmp(find_item(pm, c->new_texts[i])->key, before[i]))
			fail_msg("%s: '%s' lost its key", c->name, c->new_texts[i]);
		n++;
	}
	assert_int_equal(pm->items_nr, n + (c->added ? 1 : 0));
	if (c->added) {
		const char *key = find_item(pm, c->added)->key;
		for (size_t i = 0; before[i]; i++)
			assert_string_not_equal(key, before[i]);
	}
	assert_all_distinct(pm);
	(void)after;
	free_keys(before);
	pm_set_release(&s1);
	pm_set_release(&s2);
	free(repo);
}

static void test_edits_keep_keys(void **state)
{
	static const struct edit_case cases[] = {
	        {"reword",
	         "| Add an alert on disk usage for all database hosts | @ana |\n"
	         "| Write a runbook for database failover | @bo |\n"
	         "| Rotate the on-call schedule weekly | @cy |\n"
	         "| Fix DNS | @di |\n",
	         {"Add an alert on disk usage for all database hosts",
	          "Write a runbook for database failover", "Rotate the on-call schedule weekly",
	          "Fix DNS", NULL},
	         NULL},
	        {"typo",
	         "| Add an alert on disk usage for the database hosts | @ana |\n"
	         "| Write a runbok for databse failover | @bo |\n"
	         "| Rotate the on-call schedule weekly | @cy |\n"
	         "| Fix DNS | @di |\n",
	         {"Add an alert on disk usage for the database hosts",
	          "Write a runbok for databse failover", "Rotate the on-call schedule weekly",
	          "Fix DNS", NULL},
	         NULL},
	        {"reorder",
	         "| Fix DNS | @di |\n"
	         "| Rotate the on-call schedule weekly | @cy |\n"
	         "| Add an alert on disk usage for the database hosts | @ana |\n"
	         "| Write a runbook for database failover | @bo |\n",
	         {"Add an alert on disk usage for the database hosts",
	          "Write a runbook for database failover", "Rotate the on-call schedule weekly",
	          "Fix DNS", NULL},
	         NULL},
	        {"insert",
	         "| Add an alert on disk usage for the database hosts | @ana |\n"
	         "| Buy bigger disks for the replicas | @ed |\n"
	         "| Write a runbook for database failover | @bo |\n"
	         "| Rotate the on-call schedule weekly | @cy |\n"
	         "| Fix DNS | @di |\n",
	         {"Add an alert on disk usage for the database hosts",
	          "Write a runbook for database failover", "Rotate the on-call schedule weekly",
	          "Fix DNS", NULL},
	         "Buy bigger disks for the replicas"},
	        {"delete",
	         "| Add an alert on disk usage for the database hosts | @ana |\n"
	         "| Rotate the on-call schedule weekly | @cy |\n"
	         "| Fix DNS | @di |\n",
	         {"Add an alert on disk usage for the database hosts", NULL,
	          "Rotate the on-call schedule weekly", "Fix DNS", NULL},
	         NULL},
	        {"edit in place",
	         "| Add an alert on disk usage for the database hosts | @ana |\n"
	         "| Write a runbook for database failover | @bo |\n"
	         "| Rotate the on-call schedule weekly | @cy |\n"
	         "| Fix TLS | @di |\n",
	         {"Add an alert on disk usage for the database hosts",
	          "Write a runbook for database failover", "Rotate the on-call schedule weekly",
	          "Fix TLS", NULL},
	         NULL},
	        {"everything at once",
	         "| Rotate the on-call schedule every week | @cy |\n"
	         "| Page on disk usage above 80% on the database hosts | @ana |\n"
	         "| Fix TLS | @di |\n",
	         {"Page on disk usage above 80% on the database hosts", NULL,
	          "Rotate the on-call schedule every week", "Fix TLS", NULL},
	         NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_edit(&cases[i]);
}

static void test_renames(void **state)
{
	static const char *const moved[] = {"Add an alert on disk usage for the database hosts",
	                                    "Write a runbook for database failover",
	                                    "Rotate the on-call schedule weekly", "Fix DNS", NULL};
	static const char *const edited[] = {"Add an alert on disk usage for the database hosts",
	                                     "Write a runbook for database failover",
	                                     "Rotate the on-call schedule every week", "Fix DNS",
	                                     NULL};
	const char *to1 = "docs/postmortems/2024/2024-03-01-database-outage.md";
	const char *to2 = "docs/postmortems/2024/2024-03-01-db.md";
	struct pm_set s1 = PM_SET_INIT, s2 = PM_SET_INIT, s3 = PM_SET_INIT, s4 = PM_SET_INIT;
	struct repo_load_options nohist = {NULL, false, true};
	char *repo = scratch_new_repo();
	char **k1, **k2, **k3, **k4;
	char *text;

	(void)state;

	/* an edit first, so that keys differ from a text-only derivation */
	commit_doc(repo, PATH, PLAIN_HEADER, BASE_ROWS, "add");
	commit_doc(repo, PATH, PLAIN_HEADER,
	           "| Add an alert on disk usage for the database hosts | @ana |\n"
	           "| Write a runbook for database failover | @bo |\n"
	           "| Rotate the on-call schedule weekly | @cy |\n"
	           "| Fix DNS | @di |\n"
	           "| Another row | @ed |\n",
	           "grow");
	load(&s1, repo);
	k1 = keys_of(&s1, PATH, base_texts);

	scratch_run("mkdir -p '%s/docs/postmortems/2024' && git -C '%s' mv '%s' '%s'", repo, repo,
	            PATH, to1);
	scratch_commit(repo, "git mv");
	load(&s2, repo);
	k2 = keys_of(&s2, to1, moved);
	assert_string_equal(find_pm(&s2, to1)->origin_path, PATH);

	/* rename and edit in one commit */
	text = doc(PLAIN_HEADER, "| Add an alert on disk usage for the database hosts | @ana |\n"
	                         "| Write a runbook for database failover | @bo |\n"
	                         "| Rotate the on-call schedule every week | @cy |\n"
	                         "| Fix DNS | @di |\n"
	                         "| Another row | @ed |\n");
	scratch_run("git -C '%s' rm -q '%s'", repo, to1);
	scratch_write_file(repo, to2, text);
	free(text);
	scratch_commit(repo, "rename and edit");
	load(&s3, repo);
	k3 = keys_of(&s3, to2, edited);
	for (size_t i = 0; k1[i]; i++) {
		assert_string_equal(k1[i], k2[i]);
		assert_string_equal(k1[i], k3[i]);
	}
	assert_string_equal(find_pm(&s3, to2)->origin_path, PATH);

	/* without history the identity is the current path: keys differ (the limit) */
	load_opts(&s4, repo, &nohist);
	assert_false(s4.history);
	k4 = keys_of(&s4, to2, edited);
	assert_string_not_equal(k4[0], k3[0]);
	assert_string_equal(find_pm(&s4, to2)->origin_path, to2);

	free_keys(k1);
	free_keys(k2);
	free_keys(k3);
	free_keys(k4);
	pm_set_release(&s1);
	pm_set_release(&s2);
	pm_set_release(&s3);
	pm_set_release(&s4);
	free(repo);
}

static void test_near_identical_rows(void **state)
{
	static const char *const v1[] = {"Add an alert on disk usage for db1",
	                                 "Add an alert on disk usage for db2",
	                                 "Add an alert on disk usage for db1", NULL};
	static const char *const v2[] = {"Add a paging alert on disk usage for db1",
	                                 "Add an alert on disk usage for db2",
	                                 "Add an alert on disk usage for db1", NULL};
	struct pm_set s1 = PM_SET_INIT, s2 = PM_SET_INIT;
	char *repo = scratch_new_repo();
	const struct postmortem *p1, *p2;

	(void)state;

	commit_doc(repo, PATH, PLAIN_HEADER,
	           "| Add an alert on disk usage for db1 | @ana |\n"
	           "| Add an alert on disk usage for db2 | @ana |\n"
	           "| Add an alert on disk usage for db1 | @bo |\n",
	           "add");
	load(&s1, repo);
	p1 = find_pm(&s1, PATH);
	assert_int_equal(p1->items_nr, 3);
	assert_all_distinct(p1);
	commit_doc(repo, PATH, PLAIN_HEADER,
	           "| Add a paging alert on disk usage for db1 | @ana |\n"
	           "| Add an alert on disk usage for db2 | @ana |\n"
	           "| Add an alert on disk usage for db1 | @bo |\n",
	           "edit one");
	load(&s2, repo);
	p2 = find_pm(&s2, PATH);
	assert_int_equal(p2->items_nr, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(p2->items[i].text, v2[i]);
		assert_string_equal(p1->items[i].text, v1[i]);
		/* Identical rows pair in order, so the untouched third row keeps its key
		 * only if the edited first row is matched by similarity to the first. */
		if (strcmp(p2->items[i].key, p1->items[i].key))
			fail_msg("row %zu lost its key", i + 1);
	}
	assert_all_distinct(p2);
	pm_set_release(&s1);
	pm_set_release(&s2);
	free(repo);
}

static void test_id_and_ticket_columns(void **state)
{
	struct pm_set s1 = PM_SET_INIT, s2 = PM_SET_INIT;
	char *repo = scratch_new_repo();
	const struct postmortem *pm;

	(void)state;

	commit_doc(repo, PATH, "| ID | Action | Owner | Ticket |\n|---|---|---|---|",
	           "| AI-1 | Add an alert on disk usage | @ana | |\n"
	           "| AI-2 | Write a runbook | @bo | ENG-42 |\n"
	           "|  | Rotate the on-call schedule | @cy | ENG-43 |\n"
	           "|  | Fix DNS | @di | |\n",
	           "add");
	load(&s1, repo);
	pm = find_pm(&s1, PATH);
	assert_int_equal(pm->items_nr, 4);
	assert_string_equal(find_item(pm, "Add an alert on disk usage")->key, "id:ai-1");
	assert_int_equal(find_item(pm, "Add an alert on disk usage")->key_source, PM_KEY_ID);
	assert_string_equal(find_item(pm, "Write a runbook")->key, "id:ai-2");
	assert_string_equal(find_item(pm, "Rotate the on-call schedule")->key, "t:ENG-43");
	assert_int_equal(find_item(pm, "Rotate the on-call schedule")->key_source, PM_KEY_TICKET);
	assert_true(is_text_key(find_item(pm, "Fix DNS")->key));

	/* rewording everything changes none of the explicit keys */
	commit_doc(repo, PATH, "| ID | Action | Owner | Ticket |\n|---|---|---|---|",
	           "| AI-2 | Write the failover runbook | @bo | ENG-42 |\n"
	           "| AI-1 | Page on disk usage | @ana | |\n"
	           "|  | Rotate the schedule weekly | @cy | ENG-43 |\n",
	           "reword");
	load(&s2, repo);
	pm = find_pm(&s2, PATH);
	assert_string_equal(find_item(pm, "Page on disk usage")->key, "id:ai-1");
	assert_string_equal(find_item(pm, "Write the failover runbook")->key, "id:ai-2");
	assert_string_equal(find_item(pm, "Rotate the schedule weekly")->key, "t:ENG-43");
	pm_set_release(&s1);
	pm_set_release(&s2);
	free(repo);
}

static void test_deleted_and_readded(void **state)
{
	struct pm_set s1 = PM_SET_INIT, s2 = PM_SET_INIT;
	char *repo = scratch_new_repo();
	char **k1, **k2;

	(void)state;

	commit_doc(repo, PATH, PLAIN_HEADER, BASE_ROWS, "add");
	load(&s1, repo);
	k1 = keys_of(&s1, PATH, base_texts);
	scratch_run("git -C '%s' rm -q '%s'", repo, PATH);
	scratch_commit(repo, "delete");
	commit_doc(repo, PATH, PLAIN_HEADER, BASE_ROWS, "re-add");
	load(&s2, repo);
	k2 = keys_of(&s2, PATH, base_texts);
	for (size_t i = 0; k1[i]; i++)
		assert_string_equal(k1[i], k2[i]);
	free_keys(k1);
	free_keys(k2);
	pm_set_release(&s1);
	pm_set_release(&s2);
	free(repo);
}

/* Many files, several commits, unrelated commits in between, a merge. */
static void test_walk_many_files(void **state)
{
	struct pm_set s1 = PM_SET_INIT, s2 = PM_SET_INIT;
	char *repo = scratch_new_repo();
	char **k[3];
	char *path;

	(void)state;

	for (int f = 0; f < 3; f++) {
		path = xasprintf("docs/postmortems/2024-01-0%d-x.md", f + 1);
		commit_doc(repo, path, PLAIN_HEADER, BASE_ROWS, "add");
		free(path);
	}
	scratch_write_file(repo, "src/main.c", "int main(void) { return 0; }\n");
	scratch_commit(repo, "unrelated");
	load(&s1, repo);
	for (int f = 0; f < 3; f++) {
		path = xasprintf("docs/postmortems/2024-01-0%d-x.md", f + 1);
		k[f] = keys_of(&s1, path, base_texts);
		free(path);
	}
	/* identical files in different paths get different keys (identity) */
	assert_string_not_equal(k[0][0], k[1][0]);

	/* a branch edits file 2, merged with a merge commit */
	scratch_run("git -C '%s' checkout -q -b topic", repo);
	commit_doc(repo, "docs/postmortems/2024-01-02-x.md", PLAIN_HEADER,
	           "| Add an alert on disk usage for all database hosts | @ana |\n"
	           "| Write a runbook for database failover | @bo |\n"
	           "| Rotate the on-call schedule weekly | @cy |\n"
	           "| Fix DNS | @di |\n",
	           "topic edit");
	scratch_run("git -C '%s' checkout -q main", repo);
	scratch_write_file(repo, "src/other.c", "int x;\n");
	scratch_commit(repo, "unrelated 2");
	scratch_run("git -C '%s' merge -q --no-ff -m merge topic", repo);
	load(&s2, repo);
	{
		static const char *const texts[] = {
		        "Add an alert on disk usage for all database hosts",
		        "Write a runbook for database failover",
		        "Rotate the on-call schedule weekly", "Fix DNS", NULL};
		char **k2 = keys_of(&s2, "docs/postmortems/2024-01-02-x.md", texts);
		for (size_t i = 0; k2[i]; i++)
			assert_string_equal(k2[i], k[1][i]);
		free_keys(k2);
	}
	for (int f = 0; f < 3; f++)
		free_keys(k[f]);
	pm_set_release(&s1);
	pm_set_release(&s2);
	free(repo);
}

/* --- the shared corpus: one word of every item changed ------------------------ */

static const char *shared_dir(void)
{
	const char *env = getenv("PMSYNC_SHARED");

	return env ? env : "../shared";
}

/* The longest word of text: a run of ASCII letters and digits, or of non-ASCII bytes. */
static char *longest_word(const char *text)
{
	const char *best = NULL, *p = text;
	size_t best_len = 0;

	while (p && *p) {
		const char *start = p;
		while (*p && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		              (*p >= '0' && *p <= '9') || (unsigned char)*p >= 0x80))
			p++;
		if ((size_t)(p - start) > best_len) {
			best = start;
			best_len = (size_t)(p - start);
		}
		if (*p)
			p++;
	}
	return best ? xstrndup(best, best_len) : NULL;
}

/* Replaces word in the file's lines from item->line on: one word of the item changed. */
static bool edit_item(char **lines, size_t nlines, const struct action_item *item)
{
	char *word = longest_word(item->text);
	bool done = false;

	if (!word || !strcmp(word, "changed")) {
		free(word);
		return false;
	}
	for (size_t l = (size_t)item->line - 1; l < nlines && l < (size_t)item->line + 40 && !done;
	     l++) {
		char *line = lines[l];
		char *from = line, *hit;
		if (l == (size_t)item->line - 1 && item->markdown) {
			char *md = strstr(line, item->markdown);
			if (md)
				from = md;
			else if (item->col > 1 && (size_t)item->col <= strlen(line))
				from = line + item->col - 1;
		}
		hit = strstr(from, word);
		if (hit) {
			char *edited = xasprintf("%.*schanged%s", (int)(hit - line), line,
			                         hit + strlen(word));
			free(lines[l]);
			lines[l] = edited;
			done = true;
		}
	}
	free(word);
	return done;
}

static char **split_lines(const char *text, size_t *n)
{
	char **v = NULL;
	size_t alloc = 0;
	const char *p = text;

	*n = 0;
	while (*p) {
		size_t len = strcspn(p, "\n");
		ALLOC_GROW(v, *n + 1, alloc);
		v[(*n)++] = xstrndup(p, len);
		p += len;
		if (*p)
			p++;
	}
	return v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_corpus_one_word_edits(void **state)
{
	struct pm_set s1 = PM_SET_INIT, s2 = PM_SET_INIT;
	char *files = xasprintf("%s/corpus/files", shared_dir());
	char **names = NULL, *repo;
	size_t nnames = 0, alloc = 0, kept = 0, total = 0, edited = 0;
	DIR *dp = opendir(files);
	struct dirent *de;

	(void)state;
	if (!dp) {
		printf("skip: shared corpus not found\n");
		free(files);
		skip();
	}
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);
		if (len > 3 && !strcmp(de->d_name + len - 3, ".md")) {
			ALLOC_GROW(names, nnames + 1, alloc);
			names[nnames++] = xstrdup(de->d_name);
		}
	}
	closedir(dp);
	qsort(names, nnames, sizeof(*names), cmp_str);
	repo = scratch_new_repo();
	for (size_t i = 0; i < nnames; i++) {
		char *src = xasprintf("%s/%s", files, names[i]);
		char *text = read_whole(src);
		char *dst = xasprintf("docs/postmortems/%s", names[i]);
		scratch_write_file(repo, dst, text);
		free(src);
		free(text);
		free(dst);
	}
	scratch_commit(repo, "corpus");
	load(&s1, repo);

	for (size_t i = 0; i < s1.nr; i++) {
		const struct postmortem *pm = &s1.v[i];
		char *full = xasprintf("%s/%s", repo, pm->path);
		char *text = read_whole(full);
		struct strbuf out = STRBUF_INIT;
		size_t nlines;
		char **lines = split_lines(text, &nlines);
		for (size_t k = 0; k < pm->items_nr; k++)
			edited += edit_item(lines, nlines, &pm->items[k]);
		for (size_t l = 0; l < nlines; l++) {
			strbuf_addf(&out, "%s\n", lines[l]);
			free(lines[l]);
		}
		free(lines);
		scratch_write_file(repo, pm->path, out.buf);
		strbuf_release(&out);
		free(text);
		free(full);
	}
	scratch_commit(repo, "one word of every item");
	load(&s2, repo);

	assert_int_equal(s1.nr, s2.nr);
	for (size_t i = 0; i < s1.nr; i++) {
		const struct postmortem *a = &s1.v[i], *b = &s2.v[i];
		assert_string_equal(a->path, b->path);
		total += a->items_nr;
		if (a->items_nr != b->items_nr) {
			printf("# %s: %zu items before the edit, %zu after\n", a->path, a->items_nr,
			       b->items_nr);
			continue;
		}
		for (size_t k = 0; k < a->items_nr; k++) {
			if (!strcmp(a->items[k].key, b->items[k].key))
				kept++;
			else
				printf("# %s:%d: key changed: '%s' -> '%s'\n", a->path,
				       a->items[k].line, a->items[k].text, b->items[k].text);
		}
	}
	printf("items edited: %zu of %zu\n", edited, total);
	printf("keys kept after one-word edits: %zu of %zu\n", kept, total);
	assert_true(total > 0);
	assert_true(edited * 10 >= total * 9);
	assert_int_equal(kept, total);

	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(files);
	free(repo);
	pm_set_release(&s1);
	pm_set_release(&s2);
}

/* --- generated files: bounded work ------------------------------------------- */

#define MANY_ROWS 5000 /* the reader's item cap: the most one file can hold */

static void make_rows(struct postmortem *pm, const char *verb, size_t skip, size_t n)
{
	postmortem_init(pm);
	pm->path = xstrdup("docs/postmortems/big.md");
	pm->origin_path = xstrdup(pm->path);
	for (size_t i = skip; i < n; i++) {
		char *text =
		        *verb ? xasprintf("%s checkout alert %zu in eu", verb, i) : xstrdup("TBD");

		add(pm, text, NULL, NULL);
		free(text);
	}
}

/*
 * Runs check in a child whose address space is capped at 512 MiB (and its
 * CPU at 120 s, so that a stall ends): quadratic key matching needs
 * gigabytes for MANY_ROWS rows and dies there. The caps are left off under
 * the sanitizers and valgrind, which reserve memory of their own; the
 * check's assertions still run.
 */
static void run_capped(int (*check)(void))
{
	pid_t pid;
	int status;
	bool capped = !getenv("PMSYNC_VALGRIND_CMD") || !*getenv("PMSYNC_VALGRIND_CMD");

#if defined(__SANITIZE_ADDRESS__)
	capped = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	capped = false;
#endif
#endif
	if (!capped)
		printf("skip: no memory cap under a sanitizer or valgrind\n");
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit as = {(rlim_t)512 << 20, (rlim_t)512 << 20}, cpu = {120, 120};

		if (capped && (setrlimit(RLIMIT_AS, &as) || setrlimit(RLIMIT_CPU, &cpu)))
			_exit(3);
		int rc = check();

		fflush(stdout);
		_exit(rc);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("the check died of signal %d", WTERMSIG(status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * Every row reworded: every row keeps its key. (With rows inserted, rows
 * such as "alert 2232" and "alert 2322", whose bigrams are the same, tie,
 * and the tie goes to the pair closer in relative position, as it does in
 * an all-pairs comparison.)
 */
static int check_many_rows_reworded(void)
{
	struct postmortem prev, pm;
	size_t kept = 0;

	make_rows(&prev, "Add", 0, MANY_ROWS);
	keys_assign(&prev, NULL);
	make_rows(&pm, "Tune", 0, MANY_ROWS);
	keys_assign(&pm, &prev);
	for (size_t i = 0; i < MANY_ROWS; i++)
		kept += !strcmp(pm.items[i].key, prev.items[i].key);
	printf("reworded rows keeping their key: %zu of %d\n", kept, MANY_ROWS);
	for (size_t i = 1; i < pm.items_nr; i++)
		if (!strcmp(pm.items[i].key, pm.items[i - 1].key))
			return 2;
	postmortem_release(&prev);
	postmortem_release(&pm);
	return kept == MANY_ROWS ? 0 : 1;
}

/* MANY_ROWS identical rows, the first ten removed: no row gets a key it did not have. */
static int check_many_identical_rows(void)
{
	struct postmortem prev, pm;
	size_t inherited = 0;
	char **old;

	make_rows(&prev, "", 0, MANY_ROWS);
	keys_assign(&prev, NULL);
	make_rows(&pm, "", 10, MANY_ROWS);
	keys_assign(&pm, &prev);
	/* the texts are equal, so the keys are its #n variants: compared as sets */
	old = xcalloc(prev.items_nr, sizeof(*old));
	for (size_t j = 0; j < prev.items_nr; j++)
		old[j] = prev.items[j].key;
	qsort(old, prev.items_nr, sizeof(*old), cmp_str);
	for (size_t i = 0; i < pm.items_nr; i++)
		inherited += bsearch(&pm.items[i].key, old, prev.items_nr, sizeof(*old), cmp_str) !=
		             NULL;
	printf("identical rows keeping a key they had: %zu of %zu\n", inherited, pm.items_nr);
	free(old);
	postmortem_release(&prev);
	postmortem_release(&pm);
	return inherited == MANY_ROWS - 10 ? 0 : 1;
}

static void test_many_rows_reworded(void **state)
{
	(void)state;
	run_capped(check_many_rows_reworded);
}

static void test_many_identical_rows(void **state)
{
	(void)state;
	run_capped(check_many_identical_rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_normalize),
	        cmocka_unit_test(test_similarity),
	        cmocka_unit_test(test_fresh_keys),
	        cmocka_unit_test(test_explicit_keys),
	        cmocka_unit_test(test_inherit_in_memory),
	        cmocka_unit_test(test_edits_keep_keys),
	        cmocka_unit_test(test_renames),
	        cmocka_unit_test(test_near_identical_rows),
	        cmocka_unit_test(test_id_and_ticket_columns),
	        cmocka_unit_test(test_deleted_and_readded),
	        cmocka_unit_test(test_walk_many_files),
	        cmocka_unit_test(test_corpus_one_word_edits),
	        cmocka_unit_test(test_many_rows_reworded),
	        cmocka_unit_test(test_many_identical_rows),
	};

	return cmocka_run_group_tests(tests, setup_scratch, teardown_scratch);
}
