/*
 * The completion report over a repository built commit by commit with set
 * commit dates, every metric worked out by hand below (tracker.kind = none:
 * statuses from the postmortems, closure dates from history), then the same
 * repository as a shallow clone, where closure dates before the boundary are
 * unknown. Also: the same inputs give the same bytes, and the HTML carries
 * nothing live from a postmortem.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "postmortems/repo.h"
#include "report/report.h"
#include "tests/unit/scratch_repo.h"
#include "util/error.h"
#include "util/xalloc.h"

static char *repo_dir;

static const char pm_a_open[] = "---\ntitle: A\ndate: 2026-01-10\nseverity: SEV2\nclass: database\n"
                                "detection_chain_minutes: 169\n---\n# A\n\n## Action items\n\n"
                                "| Action | Owner | Due | Lever | Status |\n|---|---|---|---|---|\n"
                                "| Add alert A1 | alice | 2026-01-20 | alert | open |\n"
                                "| Fix code A2 | bob | 2026-03-01 | code | open |\n"
                                "| Write runbook A3 | carol | 2026-01-30 | runbook | Won't do |\n";

static const char pm_b[] =
        "---\ntitle: B\ndate: 2026-02-20\nclass: Database\ndetection_chain_minutes: 2880\n---\n"
        "# B\n\n## Action items\n\n"
        "| Action | Owner | Due | Lever | Status |\n|---|---|---|---|---|\n"
        "| Test B1 | dave | 2026-02-25 | test | done |\n"
        "| Alert B2 | erin | 2026-04-01 | alert | open |\n";

static const char pm_c[] =
        "---\ntitle: C <script>alert(1)</script>\ndate: 2026-04-10\ntags: network, dns\n"
        "detection_chain_minutes: 40\n---\n# C\n\n## Action items\n\n"
        "| Action | Owner | Due | Lever | Status |\n|---|---|---|---|---|\n"
        "| Eval C1 \"><img src=x onerror=alert(1)> | frank | 2026-04-12 | eval | in progress |\n"
        "| [Code C2](javascript:alert(1)) | grace | 2026-05-01 | code | done |\n";

static const char pm_d[] = "---\ntitle: D\ndate: 2026-04-15\nclass: network\n"
                           "detection_chain_minutes: 3000\n---\n# D\n\nNo actions.\n";

static const char pm_e[] = "---\ntitle: E\ndate: 2026-05-01\n---\n# E\n\n## Action items\n\n"
                           "- [ ] Later E1 @heidi due 2026-05-10 (test)\n";

static void commit_at(const char *dir, const char *date, const char *msg)
{
	setenv("GIT_COMMITTER_DATE", date, 1);
	setenv("GIT_AUTHOR_DATE", date, 1);
	scratch_commit(dir, msg);
	unsetenv("GIT_COMMITTER_DATE");
	unsetenv("GIT_AUTHOR_DATE");
}

static char *replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
	char *out = xmalloc(n);

	assert_non_null(p);
	snprintf(out, n, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
	return out;
}

static int setup(void **state)
{
	char *a1, *a2;

	(void)state;
	if (scratch_setup("report"))
		return -1;
	repo_dir = scratch_new_repo();
	a1 = replace(pm_a_open, "alert | open", "alert | done");
	a2 = replace(a1, "code | open", "code | done");
	scratch_write_file(repo_dir, "docs/postmortems/2026-01-10-a.md", pm_a_open);
	commit_at(repo_dir, "2026-01-11T12:00:00Z", "add A");
	/* A1 done on day 26 of its window of 30 */
	scratch_write_file(repo_dir, "docs/postmortems/2026-01-10-a.md", a1);
	commit_at(repo_dir, "2026-02-05T09:00:00Z", "A1 done");
	/* B1 done already in the commit that adds B */
	scratch_write_file(repo_dir, "docs/postmortems/2026-02-20-b.md", pm_b);
	commit_at(repo_dir, "2026-02-21T23:30:00Z", "add B");
	/* A2 done after its window */
	scratch_write_file(repo_dir, "docs/postmortems/2026-01-10-a.md", a2);
	commit_at(repo_dir, "2026-04-01T10:00:00Z", "A2 done");
	scratch_write_file(repo_dir, "docs/postmortems/2026-04-10-c.md", pm_c);
	scratch_write_file(repo_dir, "docs/postmortems/2026-04-15-d.md", pm_d);
	scratch_write_file(repo_dir, "docs/postmortems/2026-05-01-e.md", pm_e);
	commit_at(repo_dir, "2026-04-11T08:00:00Z", "add C, D, E");
	free(a1);
	free(a2);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(repo_dir);
	return scratch_teardown();
}

struct loaded {
	struct pm_set set;
	struct config cfg;
	struct report r;
};

static void load(struct loaded *l, const char *dir, const char *as_of)
{
	struct repo *repo = NULL;
	struct diags diags = DIAGS_INIT;
	struct report_options o = {0};

	memset(l, 0, sizeof(*l));
	config_init(&l->cfg);
	assert_int_equal(repo_open(&repo, dir), 0);
	assert_int_equal(repo_read_config(repo, &l->cfg, NULL, NULL), 0);
	assert_int_equal(repo_load(&l->set, repo, &l->cfg, NULL, &diags), 0);
	o.as_of = as_of;
	o.window = l->cfg.report_window;
	o.goal = l->cfg.report_goal;
	o.rev = l->set.rev_id;
	assert_int_equal(report_build(&l->r, &l->set, NULL, &o, NULL, NULL), 0);
	diags_release(&diags);
	repo_free(repo);
}

static void unload(struct loaded *l)
{
	report_release(&l->r);
	pm_set_release(&l->set);
	config_release(&l->cfg);
}

static const struct report_item *item(const struct report *r, const char *prefix)
{
	for (size_t i = 0; i < r->items_nr; i++)
		if (!strncmp(r->items[i].item->text, prefix, strlen(prefix)))
			return &r->items[i];
	fail_msg("no item '%s'", prefix);
	return NULL;
}

static const struct report_period *period(const struct report_periods *p, const char *name)
{
	for (size_t i = 0; i < p->nr; i++)
		if (!strcmp(p->v[i].name, name))
			return &p->v[i];
	fail_msg("no period '%s'", name);
	return NULL;
}

static void test_full_history(void **state)
{
	struct loaded l;
	const struct report *r;
	const struct report_period *q;

	(void)state;
	load(&l, repo_dir, "2026-04-20");
	r = &l.r;
	/* E is dated after the report's date: left out */
	assert_int_equal(r->pms_nr, 4);
	assert_int_equal(r->total, 7);
	assert_int_equal(r->open, 2);     /* B2, C1 (in progress) */
	assert_int_equal(r->done, 4);     /* A1, A2, B1, C2 */
	assert_int_equal(r->canceled, 1); /* A3 */
	assert_string_equal(item(r, "Add alert A1")->closed, "2026-02-05");
	assert_int_equal(item(r, "Add alert A1")->window, REPORT_HIT);
	assert_string_equal(item(r, "Fix code A2")->closed, "2026-04-01");
	assert_int_equal(item(r, "Fix code A2")->window, REPORT_MISS); /* deadline 2026-02-09 */
	assert_int_equal(item(r, "Write runbook A3")->window, REPORT_NA);
	assert_string_equal(item(r, "Test B1")->closed, "2026-02-21");
	assert_int_equal(item(r, "Test B1")->window, REPORT_HIT);
	assert_int_equal(item(r, "Alert B2")->window, REPORT_MISS);   /* open past 2026-03-22 */
	assert_int_equal(item(r, "Eval C1")->window, REPORT_PENDING); /* until 2026-05-10 */
	assert_string_equal(item(r, "Code C2")->closed, "2026-04-11");
	assert_int_equal(item(r, "Code C2")->window, REPORT_HIT);
	assert_int_equal(r->hits, 3);
	assert_int_equal(r->misses, 2);
	assert_int_equal(r->pending, 1);
	assert_int_equal(r->unknown, 0);
	assert_false(report_goal_met(r)); /* 60% against 90% */
	/* overdue: B2 (due 04-01, erin), C1 (due 04-12, frank); C2 is done */
	assert_int_equal(r->overdue, 2);
	assert_int_equal(r->overdue_by_owner.nr, 2);
	assert_string_equal(r->overdue_by_owner.v[0].name, "erin");
	assert_string_equal(r->overdue_by_owner.v[1].name, "frank");
	assert_int_equal(r->open_by_lever.nr, 2);
	assert_string_equal(r->open_by_lever.v[0].name, "alert");
	assert_string_equal(r->open_by_lever.v[1].name, "eval");
	/* months: canceled items are in no period */
	assert_int_equal(r->months.nr, 3);
	q = period(&r->months, "2026-01");
	assert_int_equal(q->items, 2);
	assert_int_equal(q->hits, 1);
	assert_int_equal(q->misses, 1);
	q = period(&r->months, "2026-04");
	assert_int_equal(q->hits, 1);
	assert_int_equal(q->pending, 1);
	q = period(&r->quarters, "2026-Q1");
	assert_int_equal(q->items, 4);
	assert_int_equal(q->hits, 2);
	assert_int_equal(q->misses, 2);
	assert_true(q->detection_median == 1524.5); /* 169 and 2880 */
	q = period(&r->quarters, "2026-Q2");
	assert_true(q->detection_median == 1520); /* 40 and 3000 */
	/* detection: 169, 2880, 40, 3000 by date */
	assert_int_equal(r->detection_nr, 4);
	assert_true(r->detection_median == 1524.5);
	assert_true(r->older_median == 1524.5);
	assert_true(r->newer_median == 1520);
	assert_string_equal(report_detection_trend(r), "falling");
	/* database (A, B: case folded), network (C, D); dns only once */
	assert_int_equal(r->classes_nr, 2);
	assert_string_equal(r->classes[0].name, "database");
	assert_string_equal(r->classes[1].name, "network");
	assert_int_equal(r->classes[1].paths.nr, 2);
	unload(&l);
}

/* As of an earlier date: later closures are open, later postmortems absent. */
static void test_as_of(void **state)
{
	struct loaded l;

	(void)state;
	load(&l, repo_dir, "2026-02-10");
	assert_int_equal(l.r.pms_nr, 1);
	assert_int_equal(l.r.total, 3);
	assert_int_equal(item(&l.r, "Fix code A2")->status, PM_ITEM_OPEN);
	assert_int_equal(item(&l.r, "Fix code A2")->window, REPORT_MISS); /* 02-09 passed */
	assert_int_equal(l.r.hits, 1);
	assert_int_equal(l.r.misses, 1);
	unload(&l);
}

/* A shallow clone of depth 2: closures before the boundary are unknown, never guessed. */
static void test_shallow(void **state)
{
	struct loaded l;
	char *s = xasprintf("%s/shallow", scratch_dir());

	(void)state;
	scratch_run("git clone -q --depth 2 'file://%s' '%s'", repo_dir, s);
	load(&l, s, "2026-04-20");
	assert_string_equal(item(&l.r, "Add alert A1")->closed, "");
	assert_int_equal(item(&l.r, "Add alert A1")->window, REPORT_UNKNOWN);
	assert_int_equal(item(&l.r, "Test B1")->window, REPORT_UNKNOWN);
	assert_int_equal(item(&l.r, "Fix code A2")->window, REPORT_UNKNOWN);
	/* C was added after the boundary: its closure is known */
	assert_string_equal(item(&l.r, "Code C2")->closed, "2026-04-11");
	assert_int_equal(l.r.unknown, 3);
	assert_int_equal(l.r.hits, 1);
	assert_int_equal(l.r.misses, 1);
	assert_int_equal(l.r.pending, 1);
	unload(&l);
	free(s);
}

/* Same inputs, same bytes; the HTML holds no live markup from a postmortem. */
static void test_render(void **state)
{
	struct loaded l;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	(void)state;
	load(&l, repo_dir, "2026-04-20");
	for (int f = REPORT_MARKDOWN; f <= REPORT_HTML; f++) {
		strbuf_reset(&a);
		strbuf_reset(&b);
		report_render(&a, &l.r, (enum report_format)f);
		report_render(&b, &l.r, (enum report_format)f);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.buf, b.buf, a.len);
		assert_non_null(strstr(a.buf, "2026-04-20"));
		assert_non_null(strstr(a.buf, "1524.5"));
		/* no remote: no postmortem URL, so no link at all */
		assert_null(strstr(a.buf, "](http"));
		assert_null(strstr(a.buf, "href="));
	}
	/* a.buf is the HTML */
	assert_null(strstr(a.buf, "<script"));
	assert_null(strstr(a.buf, "<img"));
	assert_null(strstr(a.buf, "javascript:"));
	assert_non_null(strstr(a.buf, "Eval C1 &quot;&gt;"));
	assert_non_null(strstr(a.buf, "&lt;script&gt;"));
	assert_non_null(strstr(a.buf, "<svg"));
	strbuf_reset(&a);
	report_render(&a, &l.r, REPORT_JSON);
	assert_non_null(strstr(a.buf, "\"version\":1"));
	assert_non_null(strstr(a.buf, "\"within_window\":3"));
	strbuf_release(&a);
	strbuf_release(&b);
	unload(&l);
}

/* Items read from prose, with no action-items section: counted, and said so. */
static void test_inferred(void **state)
{
	static const char pm_g[] = "---\ntitle: G\ndate: 2026-04-01\n---\n# G\n\n## Lessons\n\n"
	                           "- We will alert before a certificate expires.\n"
	                           "- We'll keep a second signing key loaded.\n";
	static const char pm_h[] =
	        "---\ntitle: H\ndate: 2026-04-02\n---\n# H\n\n## Action items\n\n"
	        "| Action | Owner | Due | Lever | Status |\n|---|---|---|---|---|\n"
	        "| Add test H1 | ivan | 2026-04-20 | test | done |\n";
	char *dir = scratch_new_repo();
	struct loaded l;
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	(void)state;
	scratch_write_file(dir, "docs/postmortems/2026-04-01-g.md", pm_g);
	scratch_write_file(dir, "docs/postmortems/2026-04-02-h.md", pm_h);
	commit_at(dir, "2026-04-03T08:00:00Z", "add G and H");
	load(&l, dir, "2026-04-20");
	for (size_t i = 0; i < l.r.items_nr; i++)
		n += l.r.items[i].item->inferred;
	assert_int_equal(n, 2);
	assert_int_equal(l.r.inferred, 2);
	assert_int_equal(l.r.total, 3);
	assert_int_equal(l.r.open, 2);
	report_render(&sb, &l.r, REPORT_MARKDOWN);
	assert_non_null(
	        strstr(sb.buf, "| Inferred items | 2 (read outside an action-items section"));
	strbuf_reset(&sb);
	report_render(&sb, &l.r, REPORT_JSON);
	assert_non_null(strstr(sb.buf, "\"inferred\":2"));
	assert_non_null(strstr(sb.buf, "\"inferred\":true"));
	strbuf_release(&sb);
	unload(&l);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_full_history), cmocka_unit_test(test_as_of),
	        cmocka_unit_test(test_shallow),      cmocka_unit_test(test_render),
	        cmocka_unit_test(test_inferred),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
