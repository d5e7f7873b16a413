/*
 * Tests of postmortems/lint.c. Each case builds a postmortem by hand (no
 * parser involved), lints it with the defaults or a small configuration, and
 * compares the complete list of diagnostics, so that every case shows both
 * what fires and that nothing else does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "config/config.h"
#include "postmortems/diag.h"
#include "postmortems/lint.h"
#include "postmortems/postmortem.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MAX_HEADINGS 12
#define MAX_ITEMS 4
#define MAX_WANT 6

struct item_spec {
	int line;
	const char *text;
	const char *owner;
	const char *due;
	const char *due_raw;
	const char *lever;
};

struct lint_case {
	const char *name;
	const char *config; /* NULL: the defaults */
	bool own_headings;  /* headings below instead of the eight defaults */
	const char *headings[MAX_HEADINGS];
	const char *section; /* the parser's action heading; "Action items" with the defaults */
	int chain;           /* CHAIN_SET (10 minutes), CHAIN_ABSENT or CHAIN_ZERO */
	bool unreadable;
	struct item_spec items[MAX_ITEMS];
	const char *want[MAX_WANT]; /* "line:col: level: message [rule]", in order */
};

enum { CHAIN_SET = 0, CHAIN_ABSENT, CHAIN_ZERO };

static const char *const all_headings[] = {
        "Summary & impact", "Timeline",        "Detection chain", "Root cause",
        "What went well",   "What went wrong", "Action items",    "Blameless lessons",
};

/* An item no rule objects to, but for its text. */
#define GOOD(line, text)                                                 \
	{                                                                \
		line, text, "alice", "2026-03-01", "2026-03-01", "alert" \
	}
/* An item with owner, due date and lever as given, and a text of its own. */
#define ITEM(line, owner, due, due_raw, lever)                              \
	{                                                                   \
		line, "Add alert number " #line, owner, due, due_raw, lever \
	}

#define LEVERS "test, runbook, alert, code, prompt, eval"

static const struct lint_case cases[] = {
        {.name = "clean",
         .items = {GOOD(20, "Add an alert on queue depth"), GOOD(21, "Write a runbook")}},
        {.name = "unreadable: nothing more",
         .own_headings = true,
         .chain = CHAIN_ABSENT,
         .unreadable = true,
         .items = {{20, "maybe look into it", NULL, NULL, NULL, "docs"}}},

        /* missing-section */
        {.name = "a section is missing",
         .own_headings = true,
         .headings = {"Summary & impact", "Detection chain", "Root cause", "What went well",
                      "What went wrong", "Action items", "Blameless lessons"},
         .section = "Action items",
         .want = {"1:1: error: missing section 'Timeline' [missing-section]"}},
        {.name = "headings match loosely",
         .own_headings = true,
         .headings = {"1. Summary and Impact", "Timeline (UTC)",
                      "Detection Chain:", "Root cause analysis", "What went well?",
                      "WHAT WENT WRONG", "Action Items", "Blameless lessons learned"},
         .section = "Action Items"},
        {.name = "a heading that only starts like a section does not count",
         .own_headings = true,
         .headings = {"Summary", "Timelines", "Detection chain", "Root cause", "What went well",
                      "What went wrong", "Action items", "Blameless lessons"},
         .section = "Action items",
         .want = {"1:1: error: missing section 'Summary & impact' [missing-section]",
                  "1:1: error: missing section 'Timeline' [missing-section]"}},
        {.name = "action-section synonyms stand for Action items",
         .own_headings = true,
         .headings = {"Summary & impact", "Timeline", "Detection chain", "Root cause",
                      "What went well", "What went wrong", "Follow-ups", "Blameless lessons"}},
        {.name = "the parser's action heading stands for Action items",
         .own_headings = true,
         .headings = {"Summary & impact", "Timeline", "Detection chain", "Root cause",
                      "What went well", "What went wrong", "Things we will change",
                      "Blameless lessons"},
         .section = "Things we will change"},
        {.name = "no action section at all",
         .own_headings = true,
         .headings = {"Summary & impact", "Timeline", "Detection chain", "Root cause",
                      "What went well", "What went wrong", "Blameless lessons"},
         .want = {"1:1: error: missing section 'Action items' [missing-section]"}},
        {.name = "configured sections replace the defaults",
         .config = "[lint]\nsection = Impact\nsection = Timeline\n",
         .own_headings = true,
         .headings = {"Impact"},
         .want = {"1:1: error: missing section 'Timeline' [missing-section]"}},
        {.name = "no required sections", .config = "[lint]\nsection =\n", .own_headings = true},

        /* no-detection-chain */
        {.name = "no detection-chain minutes: at the section's heading",
         .chain = CHAIN_ABSENT,
         .want = {"4:1: warning: no detection-chain minutes: say how long it took from the first "
                  "signal to detection [no-detection-chain]"}},
        {.name = "no detection-chain section: the missing section says it",
         .own_headings = true,
         .headings = {"Summary & impact", "Timeline", "Root cause", "What went well",
                      "What went wrong", "Action items", "Blameless lessons"},
         .section = "Action items",
         .chain = CHAIN_ABSENT,
         .want = {"1:1: error: missing section 'Detection chain' [missing-section]"}},
        {.name = "zero minutes is a value", .chain = CHAIN_ZERO},

        /* owners */
        {.name = "missing-owner",
         .items = {ITEM(20, NULL, "2026-03-01", NULL, "alert"),
                   ITEM(21, "  ", "2026-03-01", NULL, "alert"),
                   ITEM(22, "bob", "2026-03-01", NULL, "alert")},
         .want = {"20:1: error: action item has no owner [missing-owner]",
                  "21:1: error: action item has no owner [missing-owner]"}},
        {.name = "unknown-owner with an owner map",
         .config =
                 "[owner \"alice\"]\nemail = alice@example.com\n[owner \"carol\"]\njira = carol\n",
         .items = {ITEM(20, "@alice", "2026-03-01", NULL, "alert"),
                   ITEM(21, "Carol", "2026-03-01", NULL, "alert"),
                   ITEM(22, "@bob", "2026-03-01", NULL, "alert")},
         .want = {"22:1: error: owner '@bob' is not in the owner map: add [owner \"bob\"] to "
                  ".pmsync.conf [unknown-owner]"}},
        {.name = "unknown-owner: the first of several owners counts; email addresses stand",
         .config = "[owner \"alice\"]\nemail = alice@example.com\n",
         .items = {ITEM(20, "alice, bob", "2026-03-01", NULL, "alert"),
                   ITEM(21, "bob / alice", "2026-03-01", NULL, "alert"),
                   ITEM(22, "dana@example.com", "2026-03-01", NULL, "alert"),
                   ITEM(23, "Dana Scully", "2026-03-01", NULL, "alert")},
         .want = {"21:1: error: owner 'bob' is not in the owner map: add [owner \"bob\"] to "
                  ".pmsync.conf [unknown-owner]",
                  "23:1: error: owner 'Dana Scully' is not in the owner map: add [owner \"Dana "
                  "Scully\"] to .pmsync.conf [unknown-owner]"}},
        {.name = "any owner without an owner map",
         .items = {ITEM(20, "@bob", "2026-03-01", NULL, "alert")}},

        /* due dates */
        {.name = "missing-due",
         .items = {ITEM(20, "alice", NULL, NULL, "alert"), ITEM(21, "alice", NULL, " ", "alert")},
         .want = {"20:1: error: action item has no due date [missing-due]",
                  "21:1: error: action item has no due date [missing-due]"}},
        {.name = "bad-due-date, once: lint owns it",
         .items = {ITEM(20, "alice", NULL, "next sprint", "alert"),
                   ITEM(21, "alice", "2026-02-30", "2026-02-30", "alert"),
                   ITEM(22, "alice", "2026-03-01", "1 March 2026", "alert"),
                   ITEM(23, "alice", "2028-02-29", NULL, "alert")},
         .want = {"20:1: warning: cannot read due date 'next sprint': write it as YYYY-MM-DD "
                  "[bad-due-date]",
                  "21:1: warning: cannot read due date '2026-02-30': write it as YYYY-MM-DD "
                  "[bad-due-date]"}},

        /* levers */
        {.name = "bad-lever and missing-lever",
         .items = {ITEM(20, "alice", "2026-03-01", NULL, "docs"),
                   ITEM(21, "alice", "2026-03-01", NULL, NULL),
                   ITEM(22, "alice", "2026-03-01", NULL, "alert, runbook"),
                   ITEM(23, "alice", "2026-03-01", NULL, "code/training")},
         .want = {"20:1: error: lever 'docs' is not one of " LEVERS " [bad-lever]",
                  "21:1: warning: action item has no lever: name one of " LEVERS " [missing-lever]",
                  "23:1: error: lever 'training' is not one of " LEVERS " [bad-lever]"}},
        {.name = "levers are case-insensitive; configured levers replace the defaults",
         .config = "[lint]\nlever = docs\nlever = Training\n",
         .items = {ITEM(20, "alice", "2026-03-01", NULL, "docs"),
                   ITEM(21, "alice", "2026-03-01", NULL, "training"),
                   ITEM(22, "alice", "2026-03-01", NULL, "runbook")},
         .want = {"22:1: error: lever 'runbook' is not one of docs, Training [bad-lever]"}},
        {.name = "no levers configured: no lever rules",
         .config = "[lint]\nlever =\n",
         .items = {ITEM(20, "alice", "2026-03-01", NULL, NULL)}},

        /* vague wording */
        {.name = "vague: the earliest, longest phrase, once per item",
         .items = {GOOD(20, "We should consider adding retries, maybe"),
                   GOOD(21, "Look  into flaky tests"), GOOD(22, "Retries: TBD"),
                   GOOD(23, "Maybe: add a canary")},
         .want = {"20:1: warning: vague wording 'we should consider': say what will be done "
                  "[vague]",
                  "21:1: warning: vague wording 'look into': say what will be done [vague]",
                  "22:1: warning: vague wording 'tbd': say what will be done [vague]",
                  "23:1: warning: vague wording 'maybe': say what will be done [vague]"}},
        {.name = "vague: whole words only",
         .items = {GOOD(20, "Reconsidered the retry policy and wrote it down"),
                   GOOD(21, "Document the exploration results"),
                   GOOD(22, "Add tbdx to the dashboard"), GOOD(23, "Set considerable timeouts")}},
        {.name = "vague: configured phrases replace the defaults",
         .config = "[lint]\nvague = \"at some point\"\n",
         .items = {GOOD(20, "Maybe add an alert"), GOOD(21, "At some point, add a test")},
         .want = {"21:1: warning: vague wording 'at some point': say what will be done [vague]"}},

        /* duplicates */
        {.name = "duplicate-item",
         .items = {GOOD(20, "Add an alert on queue depth."), GOOD(21, "Write a runbook"),
                   GOOD(22, "add an  alert on Queue Depth"),
                   GOOD(23, "Add an alert on queue depth (p99)")},
         .want = {"22:1: warning: duplicate action item: same text as the item on line 20 "
                  "[duplicate-item]"}},
};

static void fill(struct postmortem *pm, const struct lint_case *c)
{
	const char *const *h = c->own_headings ? c->headings : all_headings;
	size_t nh = 0, i;

	memset(pm, 0, sizeof(*pm));
	pm->path = xstrdup("docs/postmortems/2026-01-05-queue.md");
	pm->title = xstrdup("Queue outage");
	pm->title_line = 1;
	pm->detection_chain_minutes = c->chain == CHAIN_SET ? 10 : c->chain == CHAIN_ZERO ? 0 : -1;
	pm->unreadable = c->unreadable;
	while (nh < (c->own_headings ? MAX_HEADINGS : 8) && h[nh])
		nh++;
	pm->headings = xcalloc(nh ? nh : 1, sizeof(char *));
	pm->heading_lines = xcalloc(nh ? nh : 1, sizeof(int));
	for (i = 0; i < nh; i++) {
		pm->headings[i] = xstrdup(h[i]);
		pm->heading_lines[i] = (int)(i + 2);
		if (!strcmp(h[i],
		            c->own_headings ? (c->section ? c->section : "") : "Action items"))
			pm->section_line = (int)(i + 2);
	}
	pm->headings_nr = pm->headings_alloc = nh;
	pm->section = xstrdup_or_null(c->own_headings ? c->section : "Action items");
	for (i = 0; i < MAX_ITEMS && c->items[i].text; i++)
		;
	pm->items = xcalloc(i ? i : 1, sizeof(struct action_item));
	pm->items_nr = pm->items_alloc = i;
	for (i = 0; i < pm->items_nr; i++) {
		const struct item_spec *s = &c->items[i];
		struct action_item *it = &pm->items[i];

		it->line = s->line;
		it->col = 1;
		it->text = xstrdup(s->text);
		it->markdown = xstrdup(s->text);
		it->owner = xstrdup_or_null(s->owner);
		it->due = xstrdup_or_null(s->due);
		it->due_raw = xstrdup_or_null(s->due_raw);
		it->lever = xstrdup_or_null(s->lever);
	}
}

/* Frees what fill() allocated (the test does not rely on postmortem_release()). */
static void clear(struct postmortem *pm)
{
	size_t i;

	free(pm->path);
	free(pm->title);
	for (i = 0; i < pm->headings_nr; i++)
		free(pm->headings[i]);
	free(pm->headings);
	free(pm->heading_lines);
	free(pm->section);
	for (i = 0; i < pm->items_nr; i++) {
		struct action_item *it = &pm->items[i];

		free(it->text);
		free(it->markdown);
		free(it->owner);
		free(it->due);
		free(it->due_raw);
		free(it->lever);
	}
	free(pm->items);
}

static char *format_diag(const struct diag *d)
{
	return xasprintf("%d:%d: %s: %s [%s]", d->line, d->col,
	                 d->level == DIAG_ERROR ? "error" : "warning", d->message, d->rule);
}

static void load_config(struct config *cfg, const char *text)
{
	config_init(cfg);
	if (text && config_read_buffer(cfg, text, strlen(text), ".pmsync.conf") < 0)
		fail_msg("config: %s", pm_error_message());
}

static void test_rules(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct lint_case *c = &cases[i];
		struct diags diags = DIAGS_INIT;
		struct postmortem pm;
		struct config cfg;
		size_t nwant = 0;

		load_config(&cfg, c->config);
		fill(&pm, c);
		assert_int_equal(lint_postmortem(&diags, &pm, &cfg), 0);
		while (nwant < MAX_WANT && c->want[nwant])
			nwant++;
		for (j = 0; j < diags.nr || j < nwant; j++) {
			char *got = j < diags.nr ? format_diag(&diags.v[j]) : NULL;

			if (j < diags.nr)
				assert_string_equal(diags.v[j].path, pm.path);
			if (!got || j >= nwant || strcmp(got, c->want[j]))
				fail_msg("%s: diagnostic %zu:\n got: %s\nwant: %s", c->name, j,
				         got ? got : "(none)", j < nwant ? c->want[j] : "(none)");
			free(got);
		}
		diags_release(&diags);
		clear(&pm);
		config_release(&cfg);
	}
}

/*
 * An inferred item gets one warning that says where it came from, and none
 * of the findings about its fields: the first item has no owner, due date
 * or lever, and says "try to", yet only the move is asked for.
 */
static void test_inferred(void **state)
{
	static const struct lint_case c = {
	        .name = "inferred",
	        .items = {{30, "We will try to add a probe", NULL, NULL, NULL, NULL},
	                  {31, "Publish the inventory", NULL, NULL, NULL, NULL}},
	};
	static const char *const want[] = {
	        "30:1: warning: action item outside the Action items section (prose, low "
	        "confidence): move it into the table [inferred]",
	        "31:1: warning: action item outside the Action items section (status, medium "
	        "confidence): move it into the table [inferred]",
	};
	struct diags diags = DIAGS_INIT;
	struct postmortem pm;
	struct config cfg;
	size_t j;

	(void)state;
	load_config(&cfg, NULL);
	fill(&pm, &c);
	pm.items[0].origin = PM_ORIGIN_PROSE;
	pm.items[1].origin = PM_ORIGIN_STATUS;
	pm.items[0].inferred = pm.items[1].inferred = true;
	assert_int_equal(lint_postmortem(&diags, &pm, &cfg), 0);
	assert_int_equal(diags.nr, 2);
	for (j = 0; j < diags.nr; j++) {
		char *got = format_diag(&diags.v[j]);
		assert_string_equal(got, want[j]);
		free(got);
	}
	diags_release(&diags);
	clear(&pm);
	config_release(&cfg);
}

static void test_set(void **state)
{
	static const struct {
		const char *blobs[3];
		size_t want;
	} sets[] = {
	        {{"aaaa", "bbbb", "cccc"}, 0},
	        {{"aaaa", "bbbb", "aaaa"}, 1},
	        {{"aaaa", "aaaa", "aaaa"}, 2},
	        {{"cccc", "bbbb", "cccc"}, 1}, /* a group sorted after another */
	        {{"", "", ""}, 0},             /* the working tree has no blob ids */
	};
	struct config cfg;
	size_t i, j;

	(void)state;
	config_init(&cfg);
	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		struct postmortem v[3];
		struct diags diags = DIAGS_INIT;

		memset(v, 0, sizeof(v));
		for (j = 0; j < 3; j++) {
			v[j].path = xasprintf("docs/postmortems/%zu.md", j);
			snprintf(v[j].blob_id, sizeof(v[j].blob_id), "%s", sets[i].blobs[j]);
			v[j].detection_chain_minutes = -1;
		}
		lint_set(&diags, v, 3, &cfg);
		assert_int_equal(diags.nr, sets[i].want);
		if (sets[i].want) {
			assert_string_equal(diags.v[0].rule, "duplicate-postmortem");
			assert_int_equal(diags.v[0].level, DIAG_WARNING);
		}
		if (i == 1 || i == 3) {
			assert_string_equal(diags.v[0].path, "docs/postmortems/2.md");
			assert_string_equal(diags.v[0].message,
			                    "same content as 'docs/postmortems/0.md': its action "
			                    "items would be tracked twice");
		}
		diags_release(&diags);
		for (j = 0; j < 3; j++)
			free(v[j].path);
	}
	config_release(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rules),
	        cmocka_unit_test(test_inferred),
	        cmocka_unit_test(test_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
