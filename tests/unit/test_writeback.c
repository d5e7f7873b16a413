/*
 * Writing closure state back into postmortems: exact bytes on small
 * tables and task lists, cells whose meaning already matches left alone,
 * and every file of the shared corpus written back with a ticket and a
 * status per item: only table rows and task boxes change, reading the file
 * back gives the same items with the new ticket and status, and a second
 * write-back changes nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/unit/corpus_dir.h"
#include "util/compat.h"

#include "postmortems/diag.h"
#include "postmortems/parse.h"
#include "report/writeback.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void parse(struct postmortem *pm, const char *text, size_t len)
{
	struct diags diags = DIAGS_INIT;

	postmortem_init(pm);
	pm->path = xstrdup("x.md");
	assert_int_equal(parse_postmortem(pm, text, len, NULL, &diags), 0);
	diags_release(&diags);
}

/* Writes back items (one per item of text) and checks the result is want. */
static void check(const char *text, const struct writeback_item *items, const char *want,
                  size_t want_changes)
{
	struct postmortem pm;
	struct strbuf out = STRBUF_INIT;
	size_t skipped, n;

	parse(&pm, text, strlen(text));
	n = writeback_apply(&out, text, strlen(text), &pm, items, NULL, &skipped);
	assert_string_equal(out.buf, want);
	assert_int_equal(n, want_changes);
	postmortem_release(&pm);
	strbuf_release(&out);
}

static void test_table_adds_columns(void **state)
{
	const char *text = "# T\n\n## Action items\n\n"
	                   "| Action | Owner |\r\n|:--|---|\r\n| One | a |\r\n| Two | b |\r\n"
	                   "| Three | c |\r\n\nAfter.\n";
	const struct writeback_item items[] = {
	        {"ENG-1", "https://linear.app/acme/issue/ENG-1/one", PM_ITEM_DONE, true},
	        {"ENG-2", NULL, PM_ITEM_CANCELED, true},
	        {NULL, NULL, PM_ITEM_OPEN, true},
	};
	const char *want =
	        "# T\n\n## Action items\n\n"
	        "| Action | Owner | Ticket | Status |\r\n|:--|---| --- | --- |\r\n"
	        "| One | a | [ENG-1](https://linear.app/acme/issue/ENG-1/one) | done |\r\n"
	        "| Two | b | ENG-2 | canceled |\r\n| Three | c |  |  |\r\n\nAfter.\n";

	(void)state;
	check(text, items, want, 6);
}

static void test_table_keeps_matching_cells(void **state)
{
	const char *text = "## Action items\n\nAction | Status | Ticket\n--- | --- | ---\n"
	                   "One | ONGOING | n/a\nTwo | **DONE** | ENG-7\nThree | todo |\n";
	const struct writeback_item items[] = {
	        {"ENG-5", NULL, PM_ITEM_OPEN, true},
	        {"ENG-7", NULL, PM_ITEM_DONE, true},
	        {NULL, NULL, PM_ITEM_DONE, true},
	};
	const char *want = "## Action items\n\nAction | Status | Ticket\n--- | --- | ---\n"
	                   "One | ONGOING | ENG-5\nTwo | **DONE** | ENG-7\nThree | done |\n";

	(void)state;
	check(text, items, want, 2);
}

static void test_task_list(void **state)
{
	const char *text = "## Action items\n\n- [ ] One @a\n- [x] Two @b\n  1. [ ] Three\n";
	const struct writeback_item items[] = {
	        {NULL, NULL, PM_ITEM_DONE, true},
	        {NULL, NULL, PM_ITEM_DONE, true},
	        {NULL, NULL, PM_ITEM_OPEN, true},
	};

	(void)state;
	check(text, items, "## Action items\n\n- [x] One @a\n- [x] Two @b\n  1. [ ] Three\n", 1);
}

static void test_list_ticket(void **state)
{
	const char *text = "## Action items\n\n- [ ] One @a due 2026-05-01 (alert)\n"
	                   "- Two @b\n  continued\n1. Three\n";
	const struct writeback_item items[] = {
	        {"ENG-1", "https://linear.app/a/issue/ENG-1/one", PM_ITEM_DONE, true},
	        {"ENG-2", NULL, PM_ITEM_OPEN, true},
	        {"ENG-3", NULL, PM_ITEM_OPEN, true},
	};

	(void)state;
	/* Two spans two lines: its ticket would land in its middle, so it is skipped */
	check(text, items,
	      "## Action items\n\n- [x] One @a due 2026-05-01 (alert) "
	      "[ENG-1](https://linear.app/a/issue/ENG-1/one)\n"
	      "- Two @b\n  continued\n1. Three (ENG-3)\n",
	      3);
}

/* ---- the corpus ---- */

/* A ticket and a status for each item, cycling through the statuses. */
static struct writeback_item *wanted(const struct postmortem *pm, char ***refs)
{
	struct writeback_item *v = xcalloc(pm->items_nr + 1, sizeof(*v));

	*refs = xcalloc(pm->items_nr + 1, sizeof(**refs));
	for (size_t i = 0; i < pm->items_nr; i++) {
		(*refs)[i] = xasprintf("WB-%zu", i + 1);
		v[i].ticket_ref = (*refs)[i];
		v[i].ticket_url = NULL;
		v[i].status = (enum pm_item_status)(i % 3);
		v[i].has_status = true;
	}
	return v;
}

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/* The line k (0-based) of s, as [*b, *e). */
static void line_at(const char *s, size_t len, size_t k, size_t *b, size_t *e)
{
	size_t i = 0;

	for (; k && i < len; i++)
		if (s[i] == '\n')
			k--;
	*b = i;
	while (i < len && s[i] != '\n')
		i++;
	*e = i;
}

/*
 * Every line that changed is a table row that keeps its start (cells are
 * only added or changed after it), or a list item whose box was ticked or
 * whose ticket was appended: nothing else differs.
 */
static void check_only_rows_changed(const char *name, const char *a, size_t alen, const char *b,
                                    size_t blen)
{
	size_t n = count_lines(a, alen);

	if (n != count_lines(b, blen))
		fail_msg("%s: the number of lines changed", name);
	for (size_t k = 0; k < n; k++) {
		size_t ab, ae, bb, be, i, diff = 0;

		line_at(a, alen, k, &ab, &ae);
		line_at(b, blen, k, &bb, &be);
		if (ae - ab == be - bb && !memcmp(a + ab, b + bb, ae - ab))
			continue;
		if (memchr(b + bb, '|', be - bb) && memchr(a + ab, '|', ae - ab)) {
			for (i = 0; i < ae - ab && i < be - bb && a[ab + i] == b[bb + i]; i++)
				;
			if (!i)
				fail_msg("%s:%zu: a row changed from its first byte", name, k + 1);
			continue;
		}
		/* the old line, a ticked box aside, starts the new one */
		while (ae > ab && (a[ae - 1] == ' ' || a[ae - 1] == '\t' || a[ae - 1] == '\r'))
			ae--;
		if (ae - ab > be - bb)
			fail_msg("%s:%zu: a line got shorter", name, k + 1);
		for (i = 0; i < ae - ab; i++) {
			if (a[ab + i] == b[bb + i])
				continue;
			if (a[ab + i] == ' ' && b[bb + i] == 'x' && i && a[ab + i - 1] == '[')
				diff++;
			else
				diff += 2;
		}
		if (diff > 1)
			fail_msg("%s:%zu: a line outside any table row or list item changed", name,
			         k + 1);
	}
}

static void corpus_file(const char *dir, const char *name, size_t *files, size_t *written)
{
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT, again = STRBUF_INIT;
	struct postmortem pm, back;
	struct writeback_item *items;
	char **refs, *path = xasprintf("%s/%s", dir, name);
	size_t skipped, n;

	assert_int_equal(strbuf_read_file(&text, path, 0), 0);
	parse(&pm, text.buf, text.len);
	if (!pm.items_nr)
		goto done;
	(*files)++;
	items = wanted(&pm, &refs);
	n = writeback_apply(&out, text.buf, text.len, &pm, items, NULL, &skipped);
	check_only_rows_changed(name, text.buf, text.len, out.buf, out.len);
	parse(&back, out.buf, out.len);
	if (back.items_nr != pm.items_nr)
		fail_msg("%s: %zu items read back, want %zu", name, back.items_nr, pm.items_nr);
	for (size_t i = 0; i < pm.items_nr; i++) {
		const struct action_item *o = &pm.items[i], *w = &back.items[i];

		if (strcmp(o->text, w->text))
			fail_msg("%s: item %zu reads back as '%s', was '%s'", name, i + 1, w->text,
			         o->text);
		/* a written ticket reads back; one the row named before stays */
		if (o->ticket_kind == PM_TICKET_NONE && w->ticket_key &&
		    strcmp(w->ticket_key, refs[i]))
			fail_msg("%s: item %zu has ticket '%s', want '%s'", name, i + 1,
			         w->ticket_key, refs[i]);
		if (o->ticket_kind != PM_TICKET_NONE && o->ticket && w->ticket &&
		    strcmp(o->ticket, w->ticket))
			fail_msg("%s: item %zu: the ticket it named changed", name, i + 1);
		if (w->ticket_key && !strcmp(w->ticket_key, refs[i]) && w->status != o->status &&
		    w->status != items[i].status)
			fail_msg("%s: item %zu reads back as %s", name, i + 1,
			         action_item_status_name(w->status));
	}
	*written += n > 0;
	/* a second write-back, with what the first wrote read back, changes nothing */
	n = writeback_apply(&again, out.buf, out.len, &back, items, NULL, &skipped);
	if (again.len != out.len || memcmp(again.buf, out.buf, out.len))
		fail_msg("%s: a second write-back changed the file", name);
	for (size_t i = 0; i < pm.items_nr; i++)
		free(refs[i]);
	free(refs);
	free(items);
	postmortem_release(&back);
done:
	postmortem_release(&pm);
	strbuf_release(&text);
	strbuf_release(&out);
	strbuf_release(&again);
	free(path);
}

struct corpus_counts {
	const char *dir;
	size_t files, written;
};

static void each_file(struct postmortem *pm, void *data)
{
	struct corpus_counts *n = data;

	corpus_file(n->dir, pm->path, &n->files, &n->written);
}

static void test_corpus(void **state)
{
	struct corpus_counts n = {corpus_dir(), 0, 0};
	char *bad = NULL;

	(void)state;
	if (!n.dir) {
		printf("skip: shared corpus not found\n");
		skip();
	}
	if (corpus_each(n.dir, each_file, &n, &bad) < 0)
		fail_msg("%s: cannot be read", bad);
	free((void *)n.dir);
	printf("corpus: %zu files with items, %zu written back\n", n.files, n.written);
	assert_true(n.written > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_table_adds_columns),
	        cmocka_unit_test(test_table_keeps_matching_cells),
	        cmocka_unit_test(test_task_list),
	        cmocka_unit_test(test_list_ticket),
	        cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
