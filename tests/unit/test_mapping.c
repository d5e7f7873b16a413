/*
 * Unit tests of mapping/: an action item to ticket fields, marker and
 * chosen id. Table-driven; postmortems are built by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>

#include "util/compat.h"
#include "mapping/mapping.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void add_heading(struct postmortem *pm, const char *text, int line)
{
	pm->headings = xrealloc(pm->headings, (pm->headings_nr + 1) * sizeof(*pm->headings));
	pm->heading_lines =
	        xrealloc(pm->heading_lines, (pm->headings_nr + 1) * sizeof(*pm->heading_lines));
	pm->headings[pm->headings_nr] = xstrdup(text);
	pm->heading_lines[pm->headings_nr] = line;
	pm->headings_nr++;
}

static struct action_item *add_item(struct postmortem *pm, const char *key, int line,
                                    const char *text, const char *owner, const char *due,
                                    const char *lever)
{
	struct action_item *it = postmortem_add_item(pm);

	it->key = xstrdup(key);
	it->line = line;
	it->col = 1;
	it->text = xstrdup(text);
	it->markdown = xasprintf("**%s**", text);
	it->owner = xstrdup_or_null(owner);
	it->due = xstrdup_or_null(due);
	it->due_raw = xstrdup_or_null(due);
	it->lever = xstrdup_or_null(lever);
	return it;
}

static void make_pm(struct postmortem *pm)
{
	postmortem_init(pm);
	pm->path = xstrdup("docs/postmortems/2024-03-01-db-outage.md");
	pm->title = xstrdup("Database outage");
	pm->url = xstrdup("https://git.example.com/acme/app/blob/main/"
	                  "docs/postmortems/2024-03-01-db-outage.md");
	pm->date = xstrdup("2024-03-01");
	add_heading(pm, "Database outage", 1);
	add_heading(pm, "Action items", 20);
	pm->section = xstrdup("Action items");
	pm->section_line = 20;
}

static void add_owner(struct config *cfg, const char *handle, const char *email, const char *linear)
{
	struct config_owner *o;

	ALLOC_GROW(cfg->owners, cfg->owners_nr + 1, cfg->owners_alloc);
	o = &cfg->owners[cfg->owners_nr++];
	memset(o, 0, sizeof(*o));
	o->handle = xstrdup(handle);
	o->email = xstrdup_or_null(email);
	o->linear = xstrdup_or_null(linear);
}

/* ---- title ---- */

static char *repeat(const char *s, size_t n)
{
	size_t len = strlen(s), i;
	char *out = xmalloc(len * n + 1);

	for (i = 0; i < n; i++)
		memcpy(out + i * len, s, len);
	out[len * n] = '\0';
	return out;
}

static bool valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : 3;
		if (*p >= 0x80 && (*p & 0xc0) == 0x80)
			return false;
		p++;
		while (n--) {
			if ((*p & 0xc0) != 0x80)
				return false;
			p++;
		}
	}
	return true;
}

static void test_title_table(void **unused)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	        {"Add an alert on replication lag", "Add an alert on replication lag"},
	        {"  Add\n an   alert\t", "Add an alert"},
	        {"", "(action item without text)"},
	        {NULL, "(action item without text)"},
	};
	size_t i;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = mapping_title(cases[i].in);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

static void test_title_cut(void **unused)
{
	static const struct {
		const char *unit;
		size_t count;
		bool cut;
	} cases[] = {
	        {"a", 255, false},           {"a", 256, true},
	        {"a", 1000, true},           {"\xc3\xa9", 127, false},       /* é: 254 bytes */
	        {"\xc3\xa9", 128, true},                                     /* 256 bytes */
	        {"\xe2\x82\xac", 85, false},                                 /* €: 255 bytes */
	        {"\xe2\x82\xac", 86, true},  {"\xf0\x9f\x94\xa5", 70, true}, /* 🔥 */
	};
	size_t i;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *in = repeat(cases[i].unit, cases[i].count);
		char *got = mapping_title(in);
		size_t len = strlen(got);

		assert_true(len <= MAPPING_TITLE_MAX);
		assert_true(valid_utf8(got));
		if (cases[i].cut) {
			assert_true(len >= 3);
			assert_string_equal(got + len - 3, "\xe2\x80\xa6");
			/* as much text as fits: a whole unit more would not */
			assert_true(len - 3 + strlen(cases[i].unit) > MAPPING_TITLE_MAX - 3);
			assert_memory_equal(got, in, len - 3);
		} else {
			assert_string_equal(got, in);
		}
		free(got);
		free(in);
	}
}

/* ---- anchor and section URL ---- */

static void test_anchor_table(void **unused)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	        {"Action items", "action-items"},
	        {"Action Items & Follow-ups", "action-items--follow-ups"},
	        {"5. Action items (AIs)", "5-action-items-ais"},
	        {"Lessons_learned", "lessons_learned"},
	        {"Actions: what we'll do", "actions-what-well-do"},
	        {"Suivi des actions \xc3\xa9t\xc3\xa9", "suivi-des-actions-\xc3\xa9t\xc3\xa9"},
	};
	size_t i;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = mapping_anchor(cases[i].in);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

static void test_section_url(void **unused)
{
	struct postmortem pm;
	char *url;

	(void)unused;
	make_pm(&pm);
	url = mapping_section_url(&pm);
	assert_string_equal(url, "https://git.example.com/acme/app/blob/main/"
	                         "docs/postmortems/2024-03-01-db-outage.md#action-items");
	free(url);

	/* A second "Action items" heading: GitHub numbers it. */
	add_heading(&pm, "Action items", 40);
	pm.section_line = 40;
	url = mapping_section_url(&pm);
	assert_non_null(strstr(url, "#action-items-1"));
	free(url);

	free(pm.url);
	pm.url = NULL;
	assert_null(mapping_section_url(&pm));
	postmortem_release(&pm);
}

/* ---- description ---- */

static void test_description(void **unused)
{
	static const char *const want[] = {
	        "**Add an alert on replication lag**",
	        "- Owner: alice",
	        "- Due: 2024-04-01",
	        "- Lever: alert",
	        "[Database outage](https://git.example.com/acme/app/blob/main/"
	        "docs/postmortems/2024-03-01-db-outage.md#action-items)",
	        "Managed by pmsync: edit this action item in the postmortem, not here.",
	        "`k-alert`",
	};
	struct postmortem pm;
	struct action_item *it;
	char *d;
	size_t i;

	(void)unused;
	make_pm(&pm);
	it = add_item(&pm, "k-alert", 4711, "Add an alert on replication lag", "alice",
	              "2024-04-01", "alert");
	d = mapping_description(&pm, it);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		if (!strstr(d, want[i]))
			fail_msg("description lacks '%s':\n%s", want[i], d);
	assert_null(strstr(d, "4711")); /* no line number */
	free(d);

	/* Nothing set: said plainly. */
	free(it->owner);
	free(it->due);
	free(it->due_raw);
	free(it->lever);
	it->owner = it->due = it->due_raw = it->lever = NULL;
	d = mapping_description(&pm, it);
	assert_non_null(strstr(d, "- Owner: none"));
	assert_non_null(strstr(d, "- Due: none"));
	assert_non_null(strstr(d, "- Lever: none"));
	free(d);
	postmortem_release(&pm);
}

/* Inserting a row above leaves the other items' compared fields byte-identical. */
static void test_insert_row_stable(void **unused)
{
	struct config cfg;
	struct postmortem a, b;
	struct tracker_fields fa, fb;
	struct tracker_marker ma, mb;

	(void)unused;
	config_init(&cfg);
	cfg.repo_id = xstrdup("acme/app");
	make_pm(&a);
	add_item(&a, "k1", 22, "Add an alert", "alice", "2024-04-01", "alert");
	add_item(&a, "k2", 23, "Write a runbook", "bob", "2024-05-01", "runbook");
	make_pm(&b);
	add_item(&b, "k0", 22, "A new first row", "carol", NULL, "test");
	add_item(&b, "k1", 23, "Add an alert", "alice", "2024-04-01", "alert");
	add_item(&b, "k2", 24, "Write a runbook", "bob", "2024-05-01", "runbook");
	memcpy(b.blob_id, "0123456789012345678901234567890123456789", 41);

	mapping_fields(&fa, &a, &a.items[1], &cfg);
	mapping_fields(&fb, &b, &b.items[2], &cfg);
	assert_int_equal(tracker_fields_diff(&fa, &fb, TF_ALL), 0);
	assert_string_equal(fa.title, fb.title);
	assert_string_equal(fa.description, fb.description);
	assert_int_equal(fa.priority, fb.priority);
	assert_int_equal(mapping_marker(&ma, &a, "k2", &cfg, &fa), 0);
	assert_int_equal(mapping_marker(&mb, &b, "k2", &cfg, &fb), 0);
	assert_string_equal(ma.url, mb.url);
	assert_string_equal(ma.title, mb.title);
	tracker_marker_release(&ma);
	tracker_marker_release(&mb);
	tracker_fields_release(&fa);
	tracker_fields_release(&fb);
	postmortem_release(&a);
	postmortem_release(&b);
	config_release(&cfg);
}

/* ---- labels, priority ---- */

static void test_labels(void **unused)
{
	static const struct {
		const char *label, *prefix, *lever;
		const char *want; /* joined with ',' */
	} cases[] = {
	        {"pmsync", "lever:", NULL, "pmsync"},
	        {"pmsync", "lever:", "alert", "lever:alert,pmsync"},
	        {"postmortem", "lever:", "test", "lever:test,postmortem"},
	        {"pmsync", "", "alert", "alert,pmsync"},
	        {"pmsync", "", "pmsync", "pmsync"}, /* deduplicated */
	        {"zz", "a-", "runbook", "a-runbook,zz"},
	        /* cut at 80 bytes: 6 + 74 */
	        {"pmsync", "lever:",
	         "a-very-long-lever-name-that-somebody-wrote-into-the-lever-column-of-a-table-and-"
	         "more",
	         "lever:a-very-long-lever-name-that-somebody-wrote-into-the-lever-column-of-a-"
	         "tabl,pmsync"},
	        /* whole characters only: "é" is two bytes, the 80th would split it */
	        {"pmsync", "lever:",
	         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9"
	         "z",
	         "lever:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,"
	         "pmsync"},
	};
	size_t i, j;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct config cfg;
		struct strlist l = {0};
		struct strbuf sb = STRBUF_INIT;

		config_init(&cfg);
		free(cfg.label);
		free(cfg.lever_label_prefix);
		cfg.label = xstrdup(cases[i].label);
		cfg.lever_label_prefix = xstrdup(cases[i].prefix);
		mapping_labels(&l, &cfg, cases[i].lever);
		for (j = 0; j < l.nr; j++)
			strbuf_addf(&sb, "%s%s", j ? "," : "", l.v[j]);
		assert_string_equal(sb.buf, cases[i].want);
		strbuf_release(&sb);
		strlist_clear(&l);
		config_release(&cfg);
	}
}

static void test_priority(void **unused)
{
	static const struct {
		const char *cell;
		int want;
	} cases[] = {
	        {"P0", 1},   {"urgent", 1}, {"Critical", 1},  {"p1", 2},
	        {"High", 2}, {" P2 ", 3},   {"medium", 3},    {"P3", 4},
	        {"P4", 4},   {"LOW", 4},    {NULL, -1},       {"", -1},
	        {"P5", -1},  {"soon", -1},  {"high-ish", -1}, {"P0 now", -1},
	};
	size_t i;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (mapping_priority(cases[i].cell) != cases[i].want)
			fail_msg("priority '%s': got %d, want %d",
			         cases[i].cell ? cases[i].cell : "(null)",
			         mapping_priority(cases[i].cell), cases[i].want);
}

/* ---- owners ---- */

static void test_owner_email(void **unused)
{
	static const struct {
		const char *owner, *want;
	} cases[] = {
	        {"alice", "alice@linear.example"}, /* the linear field first */
	        {"@alice", "alice@linear.example"},
	        {"bob", "bob@example.com"}, /* else the email */
	        {"carol@example.com", "carol@example.com"},
	        {"dave", NULL}, /* not mapped */
	        {"alice, bob", "alice@linear.example"},
	        {"not an@email", NULL},
	        {NULL, NULL},
	};
	struct config cfg;
	size_t i;

	(void)unused;
	config_init(&cfg);
	cfg.tracker = PM_TRACKER_LINEAR;
	add_owner(&cfg, "alice", "alice@example.com", "alice@linear.example");
	add_owner(&cfg, "bob", "bob@example.com", NULL);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = mapping_owner_email(&cfg, cases[i].owner);
		if (cases[i].want)
			assert_string_equal(got, cases[i].want);
		else
			assert_null(got);
		free(got);
	}
	config_release(&cfg);
}

/* ---- marker and id ---- */

static void test_marker(void **unused)
{
	struct config cfg;
	struct postmortem pm;
	struct tracker_marker m;
	struct tracker_fields f;

	(void)unused;
	config_init(&cfg);
	cfg.repo_id = xstrdup("acme/app");
	make_pm(&pm);
	add_item(&pm, "id:a 1", 22, "Add an alert", "alice", NULL, NULL);
	mapping_fields(&f, &pm, &pm.items[0], &cfg);
	assert_int_equal(mapping_marker(&m, &pm, "id:a 1", &cfg, &f), 0);
	assert_string_equal(m.repo_id, "acme/app");
	assert_string_equal(m.item_key, "id:a 1");
	assert_string_equal(m.pm_path, pm.path);
	assert_string_equal(m.url, "https://git.example.com/acme/app/blob/main/"
	                           "docs/postmortems/2024-03-01-db-outage.md#pmsync-id:a%201");
	assert_string_equal(m.title, "Postmortem: Database outage");
	assert_true(m.has_written);
	assert_int_equal(tracker_fields_diff(&m.written, &f, TF_ALL), 0);
	tracker_marker_release(&m);

	free(pm.url);
	pm.url = NULL;
	assert_int_equal(mapping_marker(&m, &pm, "k", &cfg, &f), PM_ECONFIG);
	assert_string_equal(pm_error_message(),
	                    "no URL for 'docs/postmortems/2024-03-01-db-outage.md': set "
	                    "postmortems.url in .pmsync.conf or add an origin remote");
	tracker_fields_release(&f);
	postmortem_release(&pm);
	config_release(&cfg);
}

static bool uuid_v4_shape(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
			return false;
		}
	}
	return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}

static void test_ticket_id(void **unused)
{
	static const struct {
		const char *scope, *repo, *key;
	} cases[] = {
	        {NULL, "acme/app", "3f2a9c1b7d0e"},
	        {NULL, "acme/app", "3f2a9c1b7d0f"},
	        {NULL, "acme/web", "3f2a9c1b7d0e"},
	        {NULL, "", ""},
	        {NULL, "acme/app", "id:1"},
	        {NULL, "acme/app", "id:1\ndocs/postmortems/x.md"},
	        /* another workspace, another id */
	        {"org-1", "acme/app", "3f2a9c1b7d0e"},
	        {"org-2", "acme/app", "3f2a9c1b7d0e"},
	        /* after a ticket deleted for good: derived from its id, never the same */
	        {"org-1", "acme/app", "3f2a9c1b7d0e\nb3cad8bd-f78a-4c60-8038-1dd10b294033"},
	};
	char *ids[ARRAY_SIZE(cases)];
	size_t i, j;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *again;
		ids[i] = mapping_ticket_id(cases[i].scope, cases[i].repo, cases[i].key);
		if (!uuid_v4_shape(ids[i]))
			fail_msg("not a v4 UUID: '%s'", ids[i]);
		again = mapping_ticket_id(cases[i].scope, cases[i].repo, cases[i].key);
		assert_string_equal(ids[i], again); /* stable */
		free(again);
		for (j = 0; j < i; j++)
			assert_string_not_equal(ids[i], ids[j]);
	}
	/*
	 * Pinned: a retried create must choose the id the interrupted run chose,
	 * also across pmsync versions. The value is SHA-1 over git's blob header
	 * and "pmsync\0acme/app\03f2a9c1b7d0e", computed apart from pmsync.
	 */
	assert_string_equal(ids[0], "b3cad8bd-f78a-4c60-8038-1dd10b294033");
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		free(ids[i]);
}

/* As while pmsync has the repository open: libgit2 initialised once, not per hash. */
static int group_setup(void **unused)
{
	(void)unused;
	return git_libgit2_init() < 0 ? -1 : 0;
}

static int group_teardown(void **unused)
{
	(void)unused;
	git_libgit2_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_title_table),  cmocka_unit_test(test_title_cut),
	        cmocka_unit_test(test_anchor_table), cmocka_unit_test(test_section_url),
	        cmocka_unit_test(test_description),  cmocka_unit_test(test_insert_row_stable),
	        cmocka_unit_test(test_labels),       cmocka_unit_test(test_priority),
	        cmocka_unit_test(test_owner_email),  cmocka_unit_test(test_marker),
	        cmocka_unit_test(test_ticket_id),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
