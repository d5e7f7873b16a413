/*
 * Unit tests of sync/render.c and its renderings (render_text.c,
 * render_json.c, render_markdown.c): plans built by hand, rendered as text,
 * JSON and Markdown, checked for the lines a reader relies on, the order of
 * changes, the summary, the masking of tokens and the absence of colour and
 * control characters where they do not belong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "util/compat.h"
#include "sync/render.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* A change as the tests describe it; NULL strings stay NULL. */
struct spec {
	enum sync_kind kind;
	const char *path;
	int line;
	const char *ref;   /* existing ticket, or NULL */
	const char *title; /* desired title */
	const char *due;   /* desired due */
	const char *old_title, *old_due, *written_due;
	unsigned update, drift, conflict;
	int outcome;
	const char *message;
	bool applied;
	enum tracker_status status;
};

static void set_fields(struct tracker_fields *f, const char *title, const char *due)
{
	memset(f, 0, sizeof(*f));
	f->title = title ? xstrdup(title) : NULL;
	f->due = due ? xstrdup(due) : NULL;
	f->priority = -1;
}

static void free_fields(struct tracker_fields *f)
{
	size_t i;

	free(f->title);
	free(f->description);
	free(f->assignee_id);
	free(f->due);
	for (i = 0; i < f->labels.nr; i++)
		free(f->labels.v[i]);
	free(f->labels.v);
}

static void build(struct sync_plan *plan, const struct spec *specs, size_t n)
{
	size_t i;

	memset(plan, 0, sizeof(*plan));
	plan->v = xcalloc(n ? n : 1, sizeof(*plan->v));
	plan->nr = plan->alloc = n;
	plan->rev_id = xstrdup("0123456789abcdef0123456789abcdef01234567");
	for (i = 0; i < n; i++) {
		const struct spec *s = &specs[i];
		struct sync_change *c = &plan->v[i];

		c->kind = s->kind;
		c->path = s->path ? xstrdup(s->path) : NULL;
		c->line = s->line;
		c->key = xasprintf("key-%zu", i);
		set_fields(&c->desired, s->title, s->due);
		set_fields(&c->ticket.fields, s->old_title, s->old_due);
		set_fields(&c->marker.written, NULL, NULL);
		if (s->ref) {
			c->has_ticket = true;
			c->ticket.id = xasprintf("id-%s", s->ref);
			c->ticket.ref = xstrdup(s->ref);
			c->ticket.url = xasprintf("https://linear.app/acme/issue/%s", s->ref);
			c->ticket.status = s->status;
		}
		set_fields(&c->ticket.marker.written, s->old_title, s->written_due);
		c->ticket.has_marker = s->written_due != NULL;
		c->ticket.marker.has_written = s->written_due != NULL;
		c->update_mask = s->update;
		c->drift_mask = s->drift;
		c->conflict_mask = s->conflict;
		c->outcome = s->outcome;
		c->message = s->message ? xstrdup(s->message) : NULL;
		c->applied = s->applied;
	}
}

static void release(struct sync_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nr; i++) {
		struct sync_change *c = &plan->v[i];

		free(c->path);
		free(c->key);
		free(c->message);
		free(c->ticket.id);
		free(c->ticket.ref);
		free(c->ticket.url);
		free_fields(&c->desired);
		free_fields(&c->ticket.fields);
		free_fields(&c->marker.written);
		free_fields(&c->ticket.marker.written);
	}
	free(plan->v);
	free(plan->rev_id);
}

static char *render(const struct spec *specs, size_t n, enum sync_render_format format, bool result,
                    bool color)
{
	static const char *const secrets[] = {"s3cr3t-value", NULL};
	struct sync_render_options o = {0};
	struct sync_plan plan;
	struct strbuf sb = STRBUF_INIT;

	o.format = format;
	o.result = result;
	o.color = color;
	o.tracker_name = "Linear";
	o.secrets = secrets;
	build(&plan, specs, n);
	sync_render(&sb, &plan, &o);
	release(&plan);
	return strbuf_detach(&sb, NULL);
}

#define MAX_EXPECT 8

struct text_case {
	const char *name;
	struct spec specs[4];
	size_t n;
	bool result;
	enum sync_render_format format;
	const char *want[MAX_EXPECT];   /* each must appear, in this order */
	const char *unwant[MAX_EXPECT]; /* none may appear */
};

#define PATH_A "docs/postmortems/a.md"
#define PATH_B "docs/postmortems/b.md"

static const struct text_case text_cases[] = {
        {
                .name = "empty plan",
                .want = {"No changes.\n"},
                .unwant = {"Plan:", "\033"},
        },
        {
                .name = "create",
                .specs = {{.kind = SYNC_CREATE,
                           .path = PATH_A,
                           .line = 12,
                           .title = "Add a runbook",
                           .due = "2026-05-01"}},
                .n = 1,
                .want = {"pmsync will make these changes in Linear for revision "
                         "0123456789ab:",
                         "  +  create docs/postmortems/a.md:12\n", "title:", "\"Add a runbook\"",
                         "due:", "2026-05-01",
                         "Plan: 1 to create, 0 to update, 0 to cancel, 0 to adopt.\n"},
                .unwant = {"->", "Drift"},
        },
        {
                .name = "update with drift",
                .specs = {{.kind = SYNC_UPDATE,
                           .path = PATH_A,
                           .line = 13,
                           .ref = "ENG-12",
                           .title = "New title",
                           .due = "2026-06-01",
                           .old_title = "Old title",
                           .old_due = "2026-05-01",
                           .written_due = "2026-05-01",
                           .update = TF_DUE,
                           .drift = TF_TITLE}},
                .n = 1,
                .want = {"  ~  update ENG-12 docs/postmortems/a.md:13 \"New title\"", "! title:",
                         "(changed in Linear: left alone)", "due:", "2026-05-01 -> 2026-06-01",
                         "Plan: 0 to create, 1 to update, 0 to cancel, 0 to adopt. "
                         "Drift: 1 "
                         "ticket changed in Linear (left alone)."},
                .unwant = {"! due"},
        },
        {
                .name = "drift only",
                .specs = {{.kind = SYNC_UNCHANGED,
                           .path = PATH_A,
                           .line = 13,
                           .ref = "ENG-12",
                           .title = "T",
                           .due = "2026-05-01",
                           .old_title = "T",
                           .old_due = "2026-06-01",
                           .written_due = "2026-05-01",
                           .drift = TF_DUE}},
                .n = 1,
                .want = {"!  drift ENG-12",
                         "! due:", "2026-05-01 -> 2026-06-01 (changed in Linear: left alone)",
                         "No changes. Drift: 1 ticket"},
                .unwant = {"Plan:"},
        },
        {
                .name = "conflict left alone",
                .specs = {{.kind = SYNC_UNCHANGED,
                           .path = PATH_A,
                           .line = 13,
                           .ref = "ENG-12",
                           .title = "T",
                           .due = "2026-07-01",
                           .old_title = "T",
                           .old_due = "2026-06-01",
                           .written_due = "2026-05-01",
                           .conflict = TF_DUE}},
                .n = 1,
                .want = {"! due:", "2026-06-01 -> 2026-07-01",
                         "left alone; --prefer-postmortem overwrites", "Conflicts: 1 ticket"},
        },
        {
                .name = "conflict, postmortem wins",
                .specs = {{.kind = SYNC_UPDATE,
                           .path = PATH_A,
                           .line = 13,
                           .ref = "ENG-12",
                           .title = "T",
                           .due = "2026-07-01",
                           .old_title = "T",
                           .old_due = "2026-06-01",
                           .written_due = "2026-05-01",
                           .update = TF_DUE,
                           .conflict = TF_DUE}},
                .n = 1,
                .want = {"! due:", "2026-06-01 -> 2026-07-01", "the postmortem wins",
                         "1 to update"},
                .unwant = {"--prefer-postmortem"},
        },
        {
                .name = "adopt, cancel and orphan",
                .specs =
                        {{.kind = SYNC_ADOPT,
                          .path = PATH_A,
                          .line = 5,
                          .ref = "ENG-7",
                          .title = "Adopted"},
                         {.kind = SYNC_CANCEL, .path = PATH_A, .ref = "ENG-9", .old_title = "Gone"},
                         {.kind = SYNC_ORPHANED,
                          .path = PATH_B,
                          .ref = "ENG-3",
                          .old_title = "Kept"}},
                .n = 3,
                .want = {"  -  cancel ENG-9 docs/postmortems/a.md \"Gone\"",
                         "  <= adopt ENG-7 docs/postmortems/a.md:5", "Orphaned tickets",
                         "  ENG-3 docs/postmortems/b.md \"Kept\" (open)",
                         "Plan: 0 to create, 0 to update, 1 to cancel, 1 to adopt."},
        },
        {
                .name = "recovered ticket with drift",
                .specs = {{.kind = SYNC_RECOVER,
                           .path = PATH_A,
                           .line = 7,
                           .ref = "ENG-5",
                           .title = "T",
                           .due = "2026-05-01",
                           .old_title = "T",
                           .old_due = "2026-06-01",
                           .drift = TF_DUE}},
                .n = 1,
                .want = {"  <= recover ENG-5 docs/postmortems/a.md:7 \"T\"",
                         "! due:", "2026-05-01 -> 2026-06-01 (changed in Linear: left alone)",
                         "Plan: 0 to create, 0 to update, 0 to cancel, 1 to adopt. Drift: 1 "
                         "ticket changed in Linear (left alone)."},
                .unwant = {"next sync", "2026-06-01 -> 2026-05-01"},
        },
        {
                .name = "recovered ticket with drift, markdown",
                .specs = {{.kind = SYNC_RECOVER,
                           .path = PATH_A,
                           .line = 7,
                           .ref = "ENG-5",
                           .title = "T",
                           .due = "2026-05-01",
                           .old_title = "T",
                           .old_due = "2026-06-01",
                           .drift = TF_DUE}},
                .n = 1,
                .format = SYNC_RENDER_MARKDOWN,
                .want = {"Drift: 1 ticket changed in Linear (left alone).", "| `<=` recover |",
                         "<br>**!** due: 2026-05-01 \xe2\x86\x92 2026-06-01 (changed in Linear: "
                         "left alone)"},
                .unwant = {"next sync"},
        },
        {
                .name = "order by path and line",
                .specs = {{.kind = SYNC_CREATE, .path = PATH_B, .line = 5, .title = "B5"},
                          {.kind = SYNC_CREATE, .path = PATH_A, .line = 30, .title = "A30"},
                          {.kind = SYNC_CREATE, .path = PATH_A, .line = 4, .title = "A4"}},
                .n = 3,
                .want = {"a.md:4\n", "a.md:30\n", "b.md:5\n", "3 to create"},
        },
        {
                .name = "result with a failure",
                .specs = {{.kind = SYNC_CREATE,
                           .path = PATH_A,
                           .line = 4,
                           .ref = "ENG-1",
                           .title = "Made",
                           .old_title = "Made",
                           .applied = true},
                          {.kind = SYNC_CREATE,
                           .path = PATH_A,
                           .line = 5,
                           .title = "Broken",
                           .outcome = PM_ETRACKER,
                           .message = "linear: IssueBatchCreate: title too long"},
                          {.kind = SYNC_UPDATE,
                           .path = PATH_A,
                           .line = 6,
                           .ref = "ENG-2",
                           .title = "U",
                           .due = "2026-01-02",
                           .old_title = "U",
                           .old_due = "2026-01-01",
                           .update = TF_DUE}},
                .n = 3,
                .result = true,
                .want = {"  +  created ENG-1 docs/postmortems/a.md:4",
                         "  +  created docs/postmortems/a.md:5",
                         "! failed: linear: IssueBatchCreate: title too long", "~  updated ENG-2",
                         "! not attempted",
                         "Applied: 1 created, 0 updated, 0 canceled, 0 adopted, 1 "
                         "failed, 1 not "
                         "attempted."},
                .unwant = {"Plan:"},
        },
        {
                .name = "tokens and control characters",
                .specs = {{.kind = SYNC_CREATE,
                           .path = PATH_A,
                           .line = 4,
                           .title = "rotate lin_api_AbC123xyz and s3cr3t-value now \033[31m"}},
                .n = 1,
                .want = {"rotate lin_api_*** and *** now"},
                .unwant = {"AbC123xyz", "s3cr3t-value", "\033"},
        },
        {
                .name = "markdown",
                .specs = {{.kind = SYNC_CREATE,
                           .path = PATH_A,
                           .line = 4,
                           .title = "Page @alice | <b>now</b>"},
                          {.kind = SYNC_UPDATE,
                           .path = PATH_A,
                           .line = 6,
                           .ref = "ENG-2",
                           .title = "U",
                           .due = "2026-01-02",
                           .old_title = "U",
                           .old_due = "2026-01-01",
                           .update = TF_DUE},
                          {.kind = SYNC_ORPHANED,
                           .path = PATH_B,
                           .ref = "ENG-3",
                           .old_title = "Kept"}},
                .n = 3,
                .format = SYNC_RENDER_MARKDOWN,
                .want = {"### pmsync plan\n",
                         "**Plan: 1 to create, 1 to update, 0 to cancel, 0 to adopt.**",
                         "| | Item | Ticket | Change |",
                         "| `+` create | docs/postmortems/a.md:4 |  | Page &#64;alice \\| "
                         "&lt;b&gt;now&lt;/b&gt; |",
                         "[ENG-2](https://linear.app/acme/issue/ENG-2)",
                         "<br>due: 2026-01-01 \xe2\x86\x92 2026-01-02",
                         "<details><summary>Left alone: 1</summary>", "```text\n"},
                .unwant = {"\033"},
        },
};

static void test_text(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(text_cases); i++) {
		const struct text_case *tc = &text_cases[i];
		char *out = render(tc->specs, tc->n, tc->format, tc->result, false);
		const char *at = out;

		for (j = 0; j < MAX_EXPECT && tc->want[j]; j++) {
			const char *hit = strstr(at, tc->want[j]);

			if (!hit)
				fail_msg("%s: '%s' not found (in order) in:\n%s", tc->name,
				         tc->want[j], out);
			at = hit + strlen(tc->want[j]);
		}
		for (j = 0; j < MAX_EXPECT && tc->unwant[j]; j++)
			if (strstr(out, tc->unwant[j]))
				fail_msg("%s: '%s' found in:\n%s", tc->name, tc->unwant[j], out);
		free(out);
	}
}

static void test_color(void **state)
{
	static const struct spec s[] = {
	        {.kind = SYNC_CREATE, .path = PATH_A, .line = 4, .title = "T"}};
	char *out = render(s, 1, SYNC_RENDER_TEXT, false, true);

	(void)state;
	assert_non_null(strstr(out, "\033[32m  +  create\033[0m"));
	free(out);
	out = render(s, 1, SYNC_RENDER_JSON, false, true);
	assert_null(strchr(out, '\033'));
	free(out);
}

/* A recovered ticket's drift is drift, not a change: the tracker's value stays. */
static void check_json_recover_drift(void)
{
	static const struct spec s[] = {
	        {.kind = SYNC_RECOVER,
	         .path = PATH_A,
	         .line = 7,
	         .ref = "ENG-5",
	         .title = "T",
	         .due = "2026-05-01",
	         .old_title = "T",
	         .old_due = "2026-06-01",
	         .drift = TF_DUE},
	};
	char *out = render(s, 1, SYNC_RENDER_JSON, false, false);
	json_t *root = json_loads(out, 0, NULL), *c, *d;

	assert_non_null(root);
	c = json_array_get(json_object_get(root, "changes"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "action")), "recover");
	assert_int_equal(json_object_size(json_object_get(c, "changed")), 0);
	d = json_array_get(json_object_get(c, "drift"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "field")), "due");
	assert_string_equal(json_string_value(json_object_get(d, "written")), "2026-05-01");
	assert_string_equal(json_string_value(json_object_get(d, "tracker")), "2026-06-01");
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(root, "summary"), "drift")), 1);
	json_decref(root);
	free(out);
}

static void test_json(void **state)
{
	static const struct spec s[] = {
	        {.kind = SYNC_CREATE, .path = PATH_B, .line = 4, .title = "Second"},
	        {.kind = SYNC_UPDATE,
	         .path = PATH_A,
	         .line = 6,
	         .ref = "ENG-2",
	         .title = "U",
	         .due = "2026-01-02",
	         .old_title = "U",
	         .old_due = "2026-01-01",
	         .written_due = "2026-01-01",
	         .update = TF_DUE,
	         .drift = TF_TITLE},
	};
	char *out = render(s, 2, SYNC_RENDER_JSON, false, false);
	json_error_t err;
	json_t *root = json_loads(out, 0, &err), *changes, *c;

	(void)state;
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(root, "kind")), "plan");
	assert_string_equal(json_string_value(json_object_get(root, "rev")),
	                    "0123456789abcdef0123456789abcdef01234567");
	assert_true(json_is_false(json_object_get(root, "offline")));
	changes = json_object_get(root, "changes");
	assert_int_equal(json_array_size(changes), 2);
	c = json_array_get(changes, 0);
	assert_string_equal(json_string_value(json_object_get(c, "action")), "update");
	assert_string_equal(json_string_value(json_object_get(c, "path")), "docs/postmortems/a.md");
	assert_int_equal(json_integer_value(json_object_get(c, "line")), 6);
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "ticket"), "ref")),
	                    "ENG-2");
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(json_object_get(c, "changed"), "due"), "old")),
	                    "2026-01-01");
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(json_object_get(c, "drift"), 0), "field")),
	                    "title");
	assert_true(json_is_null(json_object_get(c, "outcome")));
	c = json_array_get(changes, 1);
	assert_string_equal(json_string_value(json_object_get(c, "action")), "create");
	assert_true(json_is_null(json_object_get(c, "ticket")));
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(c, "fields"), "title")),
	        "Second");
	c = json_object_get(root, "summary");
	assert_int_equal(json_integer_value(json_object_get(c, "create")), 1);
	assert_int_equal(json_integer_value(json_object_get(c, "update")), 1);
	assert_int_equal(json_integer_value(json_object_get(c, "drift")), 1);
	assert_true(json_is_true(json_object_get(c, "pending")));
	json_decref(root);
	free(out);
	check_json_recover_drift();
}

static void test_json_result(void **state)
{
	static const struct spec s[] = {
	        {.kind = SYNC_CREATE,
	         .path = PATH_A,
	         .line = 5,
	         .title = "Broken",
	         .outcome = PM_ETRACKER,
	         .message = "linear: refused"},
	};
	char *out = render(s, 1, SYNC_RENDER_JSON, true, false);
	json_t *root = json_loads(out, 0, NULL), *o;

	(void)state;
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "kind")), "result");
	o = json_object_get(json_array_get(json_object_get(root, "changes"), 0), "outcome");
	assert_string_equal(json_string_value(json_object_get(o, "status")), "failed");
	assert_string_equal(json_string_value(json_object_get(o, "error")), "linear: refused");
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(root, "summary"), "failed")), 1);
	json_decref(root);
	free(out);
}

static void test_pending_and_format(void **state)
{
	static const struct spec none[] = {
	        {.kind = SYNC_UNCHANGED, .path = PATH_A, .line = 5, .ref = "ENG-1", .title = "T"},
	        {.kind = SYNC_ORPHANED, .path = PATH_A, .ref = "ENG-2", .old_title = "T"},
	};
	static const struct spec some[] = {{.kind = SYNC_CANCEL, .path = PATH_A, .ref = "ENG-2"}};
	static const struct {
		const char *name;
		int code;
		enum sync_render_format format;
	} formats[] = {
	        {"text", 0, SYNC_RENDER_TEXT},         {"json", 0, SYNC_RENDER_JSON},
	        {"markdown", 0, SYNC_RENDER_MARKDOWN}, {"md", 0, SYNC_RENDER_MARKDOWN},
	        {"xml", PM_EUSAGE, SYNC_RENDER_TEXT},  {"", PM_EUSAGE, SYNC_RENDER_TEXT},
	};
	struct sync_plan plan;
	size_t i;

	(void)state;
	build(&plan, none, 2);
	assert_false(sync_render_pending(&plan));
	release(&plan);
	build(&plan, some, 1);
	assert_true(sync_render_pending(&plan));
	release(&plan);
	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		enum sync_render_format f = SYNC_RENDER_TEXT;

		assert_int_equal(sync_render_parse_format(&f, formats[i].name), formats[i].code);
		assert_int_equal(f, formats[i].format);
	}
}

static void test_redact(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	        {"Authorization: lin_api_0123abcd", "Authorization: lin_api_***"},
	        {"Bearer lin_oauth_xyz-9", "Bearer lin_oauth_***"},
	        {"lin_api_", "lin_api_"},
	        {"a tok3n-value b", "a *** b"},
	        {"nothing", "nothing"},
	};
	static const char *const secrets[] = {"tok3n-value", "ab", NULL};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, cases[i].in);
		sync_render_redact(&sb, secrets);
		assert_string_equal(sb.buf, cases[i].out);
		strbuf_release(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_text),
	        cmocka_unit_test(test_color),
	        cmocka_unit_test(test_json),
	        cmocka_unit_test(test_json_result),
	        cmocka_unit_test(test_pending_and_format),
	        cmocka_unit_test(test_redact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
