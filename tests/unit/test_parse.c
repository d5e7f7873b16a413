/*
 * Tests of postmortems/parse.c (and the diagnostics of diag.c): every
 * fixture in tests/fixtures/postmortems/ is one row of the table below with
 * the metadata, items and diagnostics the reader must give for it; smaller
 * shapes (ragged rows, options, markdown as written, extra fields, limits,
 * odd input) are inline texts. Tests run from the repository root.
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
#include "postmortems/parse.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define FIXTURES "tests/fixtures/postmortems/"

enum { OPEN = PM_ITEM_OPEN, DONE = PM_ITEM_DONE, CANCELED = PM_ITEM_CANCELED };
enum {
	SECTION = PM_ORIGIN_SECTION,
	LABEL = PM_ORIGIN_LABEL,
	TABLE = PM_ORIGIN_TABLE,
	PLANNED = PM_ORIGIN_PLANNED,
	STATUS = PM_ORIGIN_STATUS,
	PROSE = PM_ORIGIN_PROSE,
};
#define NONE_ PM_TICKET_NONE

/* One expected item; NULL strings must come out NULL. */
struct want_item {
	int line;
	const char *text;
	const char *owner;
	const char *due; /* YYYY-MM-DD, or the raw text when it cannot be read */
	const char *lever;
	const char *ticket;
	enum pm_ticket_kind kind;
	const char *key;
	int status;
	const char *status_raw; /* NULL: not checked */
	int origin;             /* enum pm_item_origin */
	int parent;             /* 1 + index of the parent item, 0 when none */
	const char *ticket2;    /* the second reference; NULL: at most one */
};

struct want_file {
	const char *file;
	bool unreadable;
	const char *title;
	const char *date;
	const char *date_source;
	const char *section;
	int section_line;
	long chain;
	const char *diags; /* "rule@line" joined with ";" */
	size_t items_nr;
	const struct want_item *items;
};

#define ITEMS(a) ARRAY_SIZE(a), a

/*
 * An expected item names the fields after its status only when it checks
 * them: the rest are zero (no status as written checked, from the action
 * section, no parent, at most one reference).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct want_item gfm_table[] = {
        {30, "Add a 5-minute error-rate alert on card_declined", "alice", "2026-03-01", "alert",
         "ENG-123", PM_TICKET_KEY, "ENG-123", OPEN},
        {31, "Canary every payments deploy", "Bob Smith", "2026-03-05", "code",
         "https://linear.app/acme/issue/ENG-124/canary-deploys", PM_TICKET_URL, "ENG-124", DONE},
        {32, "Write the card-processor runbook", NULL, "2026-05-01", "runbook",
         "https://acme.atlassian.net/browse/OPS-45", PM_TICKET_URL, "OPS-45", OPEN},
        {33, "Replay declined payments in a test", NULL, "2026-05-01", "test", "acme/payments#77",
         PM_TICKET_GITHUB, NULL, DONE},
        {34, "Remove the dead retry path", NULL, "next sprint", "code",
         "https://github.com/acme/payments/pull/12", PM_TICKET_GITHUB, NULL, OPEN},
        {35, "Check the fraud rules against the new BIN list", NULL, "2026-02-30", "eval",
         "Bug #90210", PM_TICKET_OTHER, NULL, OPEN},
        {36, "Re-run the chaos test", "dave", NULL, NULL, NULL, PM_TICKET_NONE, NULL, DONE},
};

static const struct want_item ragged_table[] = {
        {7, "Drain the dead-letter queue | then replay it", "ops", NULL, "mitigate", "OPS-7",
         PM_TICKET_KEY, "OPS-7", OPEN},
        {8, "Alert on queue age age | p99", "erin", NULL, "alert", "OPS-8", PM_TICKET_KEY, "OPS-8",
         OPEN},
        {9, "Cap consumer concurrency", NULL, NULL, "prevent", NULL, PM_TICKET_NONE, NULL, OPEN},
        {10, "Document the replay tool", "frank", NULL, "process", NULL, PM_TICKET_NONE, NULL,
         DONE},
        {11, "Fix the consumer crash loop", "gina", NULL, "prevent", "Bug 7781", PM_TICKET_OTHER,
         NULL, OPEN},
};

static const struct want_item html_table[] = {
        {12, "Pin the resolver & cache its answers", "ivan", "2026-04-01", NULL,
         "https://linear.app/acme/issue/NET-9/pin-resolver", PM_TICKET_URL, "NET-9", OPEN},
        {20, "Alert when <5% of lookups fail \xe2\x80\x94 don't page", "judy", "2026-04-02", NULL,
         "NET-10", PM_TICKET_KEY, "NET-10", DONE},
};

static const struct want_item task_lists[] = {
        {9, "Add a 5-minute FTL p95 alert", "alice", "2026-05-01", "alert", NULL, PM_TICKET_NONE,
         NULL, OPEN},
        {10, "Roll back the cache TTL change", "Bob", NULL, NULL, NULL, PM_TICKET_NONE, NULL, DONE},
        {11, "Document the cache warm-up in the runbook", "carol", NULL, NULL, NULL, PM_TICKET_NONE,
         NULL, DONE},
        {12, "Review the load test plan", "dave", NULL, NULL, NULL, PM_TICKET_NONE, NULL, OPEN},
        {13, "Write a regression test for the TTL parser", NULL, NULL, "test",
         "https://github.com/acme/checkout/issues/42", PM_TICKET_GITHUB, NULL, OPEN},
        {15, "Re-enable the cache prefetch", NULL, "2026-05-01", NULL, NULL, PM_TICKET_NONE, NULL,
         OPEN},
        {16, "Reduce the retry budget", NULL, "2026-02-30", NULL, NULL, PM_TICKET_NONE, NULL, OPEN},
};

static const struct want_item plain_lists[] = {
        {11, "Add checksums to index segments", NULL, NULL, NULL,
         "https://github.com/acme/search/pull/311", PM_TICKET_GITHUB, NULL, OPEN},
        {12, "Page on corrupt segments", NULL, NULL, NULL, NULL, PM_TICKET_NONE, NULL, OPEN},
        {15, "Backfill the damaged shards", NULL, NULL, NULL,
         "https://github.com/acme/search/commit/0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
         PM_TICKET_OTHER, NULL, OPEN},
        {16, "Patch the segment merger", NULL, NULL, NULL,
         "https://github.com/acme/search/commit/1a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
         PM_TICKET_OTHER, NULL, DONE},
        {17, "Rotate the on-call handbook", NULL, NULL, NULL, NULL, PM_TICKET_NONE, NULL, DONE},
        {18, "audit the other index types", "erin", NULL, NULL, NULL, PM_TICKET_NONE, NULL, OPEN},
        {19, "https://linear.app/acme/issue/ENG-204/reindex-all", NULL, NULL, NULL,
         "https://linear.app/acme/issue/ENG-204/reindex-all", PM_TICKET_URL, "ENG-204", OPEN},
        {20, "#318", NULL, NULL, NULL, "#318", PM_TICKET_OTHER, NULL, OPEN},
        {23, "Share the timeline with the data team", NULL, NULL, NULL, NULL, PM_TICKET_NONE, NULL,
         OPEN},
        {24, "Schedule a game day for index recovery", "Frank Li", NULL, NULL, NULL, PM_TICKET_NONE,
         NULL, OPEN},
        {26, "Remove the old merger flag", "grace", NULL, NULL, NULL, PM_TICKET_NONE, NULL, OPEN},
        {27, "Decide on the retention of raw segments", NULL, NULL, NULL, NULL, PM_TICKET_NONE,
         NULL, OPEN},
};

static const struct want_item bom_crlf[] = {
        {9, "Add jitter to cache expiry", "Olga", NULL, NULL, NULL, PM_TICKET_NONE, NULL, DONE},
        {10, "Load-test the cold start", "Tariq", NULL, NULL, NULL, PM_TICKET_NONE, NULL, OPEN},
};

static const struct want_item french[] = {
        {7,
         "Ajouter une alerte sur la file d\xe2\x80\x99"
         "attente.",
         "Zo\xc3\xa9", NULL, "d\xc3\xa9tecter", "ENG-9", PM_TICKET_KEY, "ENG-9", DONE},
        {8,
         "Corriger la configuration du proxy [\xc3\xa0 pr\xc3\xa9"
         "ciser].",
         NULL, NULL, "att\xc3\xa9nuer", NULL, PM_TICKET_NONE, NULL, OPEN},
};

static const struct want_item minutes[] = {
        {21, "Lower the DiskNearlyFull threshold back to 80%.", "kai", NULL, NULL, NULL,
         PM_TICKET_NONE, NULL, OPEN},
        {22, "Return the borrowed build machines.", "mira", NULL, NULL, NULL, PM_TICKET_NONE, NULL,
         OPEN},
};

static const struct want_item no_heading[] = {
        {14, "Ship the hotfix to production", "Core team", NULL, "process", NULL, PM_TICKET_NONE,
         NULL, DONE, NULL, TABLE},
        {15, "Add multinode upgrade tests", "Core team", NULL, "prevention", NULL, PM_TICKET_NONE,
         NULL, OPEN, NULL, TABLE},
};

static const struct want_item paragraph_label[] = {
        {12, "Runbook update with failover steps", "Ana Lima", NULL, "mitigate", NULL,
         PM_TICKET_NONE, NULL, DONE, NULL, LABEL},
};

static const struct want_item setext[] = {
        {21, "Replace disks older than four years", "Kim", NULL, NULL, NULL, PM_TICKET_NONE, NULL,
         OPEN},
        {26, "Alert on ZFS degraded pools", NULL, NULL, "alert", NULL, PM_TICKET_NONE, NULL, OPEN},
};

/* Status marks at either end of a list item; canceled words; a struck-through item. */
static const struct want_item status_marks[] = {
        {11, "Add a freshness alert on the export bucket", "nadia", NULL, NULL, NULL, NONE_, NULL,
         DONE, "\xe2\x9c\x85"},
        {12, "Pin the exporter's schema version", NULL, NULL, "alert", NULL, NONE_, NULL, DONE,
         "\xe2\x98\x91\xef\xb8\x8f"},
        {13, "Backfill the six missing hours", NULL, NULL, NULL, NULL, NONE_, NULL, DONE,
         "\xe2\x9c\x94"},
        {14, "Tell finance which reports were late", NULL, NULL, NULL, NULL, NONE_, NULL, DONE,
         "\xe2\x9c\x93"},
        /* a cross mark could mean "not done" or "won't do": read as open, nothing lost */
        {15, "Split the exporter from the billing deploy", NULL, NULL, NULL, NULL, NONE_, NULL,
         OPEN, "\xe2\x9d\x8c"},
        {16, "Write a contract test between the schema and the exporter", NULL, NULL, "test", NULL,
         NONE_, NULL, OPEN, "\xf0\x9f\x9a\xa7"},
        {17, "Wait for the vendor's fix to the CSV writer", NULL, NULL, NULL, "PR #88",
         PM_TICKET_OTHER, NULL, OPEN, "\xe2\x8f\xb3"},
        {18, "Move the export to its own queue", NULL, NULL, NULL, NULL, NONE_, NULL, OPEN,
         "in progress"},
        {19, "Rotate the exporter's credentials", NULL, NULL, NULL, NULL, NONE_, NULL, DONE,
         "done"},
        {20, "Page the data team on export failures", NULL, NULL, NULL, NULL, NONE_, NULL, DONE,
         "DONE"},
        {21, "Document the replay procedure in the runbook", NULL, NULL, NULL, NULL, NONE_, NULL,
         OPEN, "WIP"},
        {22, "Remove the manual export cron", NULL, NULL, NULL, NULL, NONE_, NULL, DONE, "Done"},
        {23, "Rewrite the exporter in another language", NULL, NULL, NULL, NULL, NONE_, NULL,
         CANCELED, "Won't do"},
        {24, "Dry-run schema changes against the exporter", NULL, NULL, NULL, NULL, NONE_, NULL,
         OPEN, "WIP"},
        {25, "Add a second export region", NULL, NULL, NULL, NULL, NONE_, NULL, DONE, "~~"},
        {26, "Archive the old export script", NULL, NULL, NULL, NULL, NONE_, NULL, CANCELED,
         "wontfix"},
};

/* Sub-headings and a label inside the action section give their status to what they hold. */
static const struct want_item status_headings[] = {
        {9, "Cap webhook retries at five", "omar", NULL, NULL, NULL, NONE_, NULL, DONE,
         "Completed actions"},
        {10, "Drain the flooded queue", NULL, NULL, NULL, NULL, NONE_, NULL, DONE,
         "Completed actions"},
        {16, "Add jitter to the retry schedule", "lee", NULL, NULL, NULL, NONE_, NULL, OPEN,
         "In progress"},
        {17, "Alert on queue depth", "lee", NULL, NULL, NULL, NONE_, NULL, OPEN, "In progress"},
        {21, "Move webhook delivery to its own workers", NULL, NULL, NULL, NULL, NONE_, NULL, OPEN,
         "Still open"},
        /* the item's own box wins over the heading */
        {22, "Review the retry budget with the payments team", NULL, NULL, NULL, NULL, NONE_, NULL,
         DONE, "[x]"},
        {26, "Replace the queue product", NULL, NULL, NULL, NULL, NONE_, NULL, CANCELED,
         "Won't do"},
        {30, "Announce the fix in the status page", NULL, NULL, NULL, NULL, NONE_, NULL, DONE,
         "Done"},
};

/* No action section: paragraphs led by a status word, outside the timeline, impact, cause. */
static const struct want_item status_paragraphs[] = {
        {22, "Dropped the debug field from the index template", NULL, NULL, NULL,
         "https://github.com/acme/search/issues/311", PM_TICKET_GITHUB, NULL, DONE, "DONE", STATUS},
        {26, "Cap the number of fields per index", NULL, NULL, NULL, "PR #12", PM_TICKET_OTHER,
         NULL, OPEN, "TODO", STATUS},
        {28, "Build a dashboard of heap use per node", NULL, NULL, NULL, NULL, NONE_, NULL, OPEN,
         "DOING", STATUS},
        {30, "Load-test the coordinating nodes with twice the peak query rate.", "vera", NULL, NULL,
         NULL, NONE_, NULL, OPEN, "TODO", STATUS},
};

/* No action section: "We will" bullets, a commitments label, inline planned and taken labels. */
static const struct want_item commitments[] = {
        {23, "We will alert thirty days before any certificate expires.", NULL, NULL, NULL, NULL,
         NONE_, NULL, OPEN, NULL, PROSE},
        {24, "We'll keep a second signing certificate loaded at all times.", NULL, NULL, NULL, NULL,
         NONE_, NULL, OPEN, NULL, PROSE},
        {25, "We are going to rehearse a certificate swap every quarter.", NULL, NULL, NULL, NULL,
         NONE_, NULL, OPEN, NULL, PROSE},
        {30, "Publish the certificate inventory to every team", NULL, NULL, NULL, NULL, NONE_, NULL,
         OPEN, NULL, PLANNED},
        {31, "Fix the paging rotation so it is never empty", NULL, NULL, NULL, NULL, NONE_, NULL,
         OPEN, NULL, PLANNED},
        {33, "We will add a synthetic sign-in check every minute.", NULL, NULL, NULL, NULL, NONE_,
         NULL, OPEN, "Action planned:", PLANNED},
        {35, "The empty rotation now fails its own health check.", NULL, NULL, NULL, NULL, NONE_,
         NULL, DONE, "Action taken:", PLANNED},
};

/* Sub-tasks name their parent; link-only sub-bullets and a list of keys are tickets. */
static const struct want_item nested_tasks[] = {
        {7, "Add dashboards for:", NULL, NULL, NULL, NULL, NONE_, NULL, OPEN, "[ ]"},
        {8, "queue age per worker pool", NULL, NULL, NULL, NULL, NONE_, NULL, OPEN, "[ ]", SECTION,
         1},
        {9, "thumbnail error rate", NULL, NULL, NULL, NULL, NONE_, NULL, DONE, "[x]", SECTION, 1},
        {10, "Make the resize workers autoscale", "ines", NULL, NULL,
         "https://github.com/acme/images/issues/204", PM_TICKET_GITHUB, NULL, OPEN, NULL, SECTION,
         0, "https://github.com/acme/images/pull/210"},
        {13, "Tune the retry policy for uploads", NULL, NULL, NULL, NULL, NONE_, NULL, OPEN},
        {15, "set a retry ceiling of ten", NULL, NULL, NULL, NULL, NONE_, NULL, OPEN, "[ ]",
         SECTION, 5},
        /* "**Storage**:" is a group label: its items name no parent */
        {17, "Expire originals after a year", NULL, NULL, NULL, NULL, NONE_, NULL, OPEN},
        {18, "Move thumbnails to cold storage", NULL, NULL, NULL, NULL, NONE_, NULL, OPEN},
        {19, "Write the backlog runbook", NULL, NULL, NULL,
         "https://github.com/acme/images/issues/77", PM_TICKET_GITHUB, NULL, OPEN, NULL, SECTION, 0,
         "https://github.com/acme/images/issues/78"},
        {25, "Shard the upload queue", "ines", NULL, NULL, "IMG-31", PM_TICKET_KEY, "IMG-31", OPEN,
         NULL, SECTION, 0, "IMG-32"},
        {26, "Alert on stuck uploads", "ines", NULL, NULL, "IMG-40", PM_TICKET_KEY, "IMG-40", OPEN},
};

/* A status in a sub-heading's parentheses and in a bold title's; a ticket cell of words. */
static const struct want_item follow_up_items[] = {
        {9, "Roll back the retry change", NULL, NULL, NULL, NULL, NONE_, NULL, DONE, "[x]"},
        {10, "Purge the duplicate invoices", NULL, NULL, NULL, NULL, NONE_, NULL, DONE, "[x]"},
        {14, "Bound the retry budget per job", NULL, NULL, NULL, NULL, NONE_, NULL, OPEN},
        {16, "Close the old retry issues", NULL, NULL, NULL, NULL, NONE_, NULL, DONE, "actioned"},
        {17, "Split billing retries from email retries", NULL, NULL, NULL, NULL, NONE_, NULL, OPEN},
        {23, "Alert on the retry rate", "kai", NULL, NULL, "OPS-88 (next release)", PM_TICKET_KEY,
         "OPS-88", OPEN},
        /* "follow-up TBD" names no ticket: kept as the Ticket column's text */
        {24, "Load-test the worker at peak", "kai", NULL, NULL, NULL, NONE_, NULL, OPEN},
        {25, "Drop the legacy queue", "kai", NULL, NULL, NULL, NONE_, NULL, OPEN},
};

/* Fields as sub-bullets of their item; status marks opening a table's action cells. */
static const struct want_item field_bullets[] = {
        {7, "Lower the resolver cache ceiling to five minutes", "tomas", "2026-04-10", NULL,
         "https://linear.app/acme/issue/NET-41/cache-ceiling", PM_TICKET_URL, "NET-41", OPEN,
         "in progress"},
        {12, "Add a canary lookup to the deploy checks", "Priya Raman", NULL, "test", NULL, NONE_,
         NULL, OPEN},
        {22, "Roll the resolver back", "tomas", NULL, NULL, NULL, NONE_, NULL, DONE,
         "\xe2\x9c\x85"},
        {23, "Pin the resolver version in the image", "priya", NULL, NULL, NULL, NONE_, NULL, OPEN,
         "\xf0\x9f\x9a\xa7"},
        {24, "Flush the stale records", "tomas", NULL, NULL, NULL, NONE_, NULL, DONE, "DONE"},
        /* "Fixed" opening an action is a word of it, not a status */
        {25, "Fixed-size cache for negative answers", "priya", NULL, NULL, NULL, NONE_, NULL, OPEN},
};

static const struct want_file files[] = {
        {"2026-01-15-gfm-table.md", false, "Payments API outage: \"card declined\" storm",
         "2026-01-15", "front matter", "Action items", 26, 17, "", ITEMS(gfm_table)},
        {"2026-01-16-ragged-table.md", false, "Queue backlog", "2026-01-16", "file name",
         "Action Items:", 3, -1, "ragged-row@8", ITEMS(ragged_table)},
        {"2026-01-18-html-table.md", false, "DNS resolution failures", "2026-01-18", "file name",
         "Remediation", 5, -1, "", ITEMS(html_table)},
        {"2026-02-03-task-lists.md", false, "Checkout latency regression", "2026-02-03",
         "file name", "Action items", 7, -1, "", ITEMS(task_lists)},
        {"2026-02-04-plain-lists.md", false, "Search index corruption", "2026-02-04",
         "front matter", "Follow-ups", 9, -1, "", ITEMS(plain_lists)},
        {"2026-03-02-status-marks.md", false, "Ledger export stalled", "2026-03-02", "file name",
         "Action items", 9, -1, "", ITEMS(status_marks)},
        {"2026-03-05-status-headings.md", false, "Checkout webhook retries flooded the queue",
         "2026-03-05", "file name", "Follow-up actions", 5, -1, "", ITEMS(status_headings)},
        {"2026-03-09-status-paragraphs.md", false, "Search cluster ran out of heap", "2026-03-09",
         "file name", NULL, 0, -1, "", ITEMS(status_paragraphs)},
        {"2026-03-12-commitments.md", false, "Single sign-on outage", "2026-03-12", "file name",
         NULL, 0, -1, "", ITEMS(commitments)},
        {"2026-03-16-nested-tasks.md", false, "Image pipeline backlog", "2026-03-16", "file name",
         "Action items", 5, -1, "", ITEMS(nested_tasks)},
        {"2026-03-20-follow-up-items.md", false, "Retry storm in the billing worker", "2026-03-20",
         "file name", "Follow-up items", 5, -1, "", ITEMS(follow_up_items)},
        {"2026-03-23-field-bullets.md", false, "Stale DNS answers after the resolver upgrade",
         "2026-03-23", "file name", "Action items", 5, -1, "", ITEMS(field_bullets)},
        {"bom-crlf.md", false, "Cache stampede", "2026-01-02", "Date field", "Follow-ups", 5, -1,
         "", ITEMS(bom_crlf)},
        /* the heading has a no-break space before its colon: plain text makes it a space */
        {"french-headings.md", false, "Mod\xc3\xa8le de rapport d\xe2\x80\x99incident", NULL, NULL,
         "\xc3\x89l\xc3\xa9ments d\xe2\x80\x99"
         "action :",
         3, -1, "no-date@0", ITEMS(french)},
        {"meeting-minutes.md", false, "Weekly operations review", "2025-11-06", "Date field",
         "New Action Items", 19, 42, "", ITEMS(minutes)},
        {"no-heading-table.md", false, "Ledger halt during upgrade", "2025-06-11", "Date field",
         NULL, 0, -1, "", ITEMS(no_heading)},
        {"paragraph-label.md", false, "Load balancer outage", NULL, NULL, NULL, 0, -1, "no-date@0",
         ITEMS(paragraph_label)},
        {"setext-and-code.md", false, "Storage node disk failure", "2020-07-01", "Date field",
         "Corrective actions", 16, -1, "", ITEMS(setext)},
        {"template-placeholders.md", false, "{{ incident date }}, {{ incident name }}", NULL, NULL,
         "Action items", 3, -1, "no-date@0", 0, NULL},
        {"template-empty-table.md", false, "Postmortem template", NULL, NULL,
         "Action Items & Followups", 3, -1, "no-date@0", 0, NULL},
        {"not-utf8.md", true, NULL, NULL, NULL, NULL, 0, -1, "not-utf8@5", 0, NULL},
        {"binary.md", true, NULL, NULL, NULL, NULL, 0, -1, "binary@0", 0, NULL},
};

#pragma GCC diagnostic pop

static void parse_text(struct postmortem *pm, struct diags *diags, const char *path,
                       const char *text, size_t len, const struct parse_options *opts)
{
	postmortem_init(pm);
	pm->path = xstrdup(path);
	assert_int_equal(parse_postmortem(pm, text, len, opts, diags), 0);
}

static void parse_file(struct postmortem *pm, struct diags *diags, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char *path = xasprintf(FIXTURES "%s", name);

	if (strbuf_read_file(&sb, path, 0) < 0)
		fail_msg("cannot read fixture '%s' (run the tests from the repository root)", path);
	parse_text(pm, diags, name, sb.buf, sb.len, NULL);
	strbuf_release(&sb);
	free(path);
}

static char *describe_diags(const struct diags *d)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < d->nr; i++)
		strbuf_addf(&sb, "%s%s@%d", i ? ";" : "", d->v[i].rule, d->v[i].line);
	return strbuf_detach(&sb, NULL);
}

static void check_str(const char *what, const char *file, int line, const char *got,
                      const char *want)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(got, want))
		fail_msg("%s:%d: %s is '%s', want '%s'", file, line, what, got ? got : "(null)",
		         want ? want : "(null)");
}

static void check_item(const char *file, const struct action_item *it, const struct want_item *w)
{
	if (it->line != w->line)
		fail_msg("%s: item '%s' on line %d, want %d", file, it->text, it->line, w->line);
	check_str("text", file, w->line, it->text, w->text);
	check_str("owner", file, w->line, it->owner, w->owner);
	check_str("due", file, w->line, it->due ? it->due : it->due_raw, w->due);
	check_str("lever", file, w->line, it->lever, w->lever);
	check_str("ticket", file, w->line, it->ticket, w->ticket);
	check_str("ticket key", file, w->line, it->ticket_key, w->key);
	if (it->ticket_kind != w->kind)
		fail_msg("%s:%d: ticket kind %d, want %d", file, w->line, it->ticket_kind, w->kind);
	if ((int)it->status != w->status)
		fail_msg("%s:%d: status %d, want %d", file, w->line, it->status, w->status);
	if (w->status_raw)
		check_str("status as written", file, w->line, it->status_raw, w->status_raw);
	if ((int)it->origin != w->origin)
		fail_msg("%s:%d: origin %s, want %s", file, w->line,
		         action_item_origin_name(it->origin),
		         action_item_origin_name((enum pm_item_origin)w->origin));
	if (it->inferred != (w->origin >= PM_ORIGIN_FIRST_INFERRED))
		fail_msg("%s:%d: inferred %d", file, w->line, it->inferred);
	if (it->parent != w->parent)
		fail_msg("%s:%d: parent %d, want %d", file, w->line, it->parent, w->parent);
	if (it->tickets_nr != (w->ticket2 ? 2u : w->ticket ? 1u : 0u))
		fail_msg("%s:%d: %zu references", file, w->line, it->tickets_nr);
	if (it->tickets_nr)
		check_str("first reference", file, w->line, it->tickets[0], it->ticket);
	if (w->ticket2)
		check_str("second reference", file, w->line, it->tickets[1], w->ticket2);
	assert_non_null(it->markdown);
	assert_null(strchr(it->text, '\r'));
	if (it->owner)
		assert_null(strchr(it->owner, '\r'));
	assert_true(it->col >= 1);
}

static void test_fixtures(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		const struct want_file *w = &files[i];
		struct postmortem pm;
		struct diags diags = DIAGS_INIT;
		char *d;

		parse_file(&pm, &diags, w->file);
		if (pm.unreadable != w->unreadable)
			fail_msg("%s: unreadable %d, want %d", w->file, pm.unreadable,
			         w->unreadable);
		check_str("title", w->file, 0, pm.title, w->title);
		check_str("date", w->file, 0, pm.date, w->date);
		check_str("date source", w->file, 0, pm.date_source, w->date_source);
		check_str("section", w->file, 0, pm.section, w->section);
		assert_int_equal(pm.section_line, w->section_line);
		assert_int_equal(pm.detection_chain_minutes, w->chain);
		d = describe_diags(&diags);
		check_str("diagnostics", w->file, 0, d, w->diags);
		free(d);
		if (pm.items_nr != w->items_nr)
			fail_msg("%s: %zu items, want %zu", w->file, pm.items_nr, w->items_nr);
		for (j = 0; j < w->items_nr; j++)
			check_item(w->file, &pm.items[j], &w->items[j]);
		postmortem_release(&pm);
		diags_release(&diags);
	}
}

static const char *extra(const struct action_item *it, const char *name)
{
	size_t i;

	for (i = 0; i < it->extra_nr; i++)
		if (!strcmp(it->extra[i].name, name))
			return it->extra[i].value;
	return NULL;
}

/* Front matter, headings, extra fields, notes and details, Markdown as written. */
static void test_fixture_details(void **state)
{
	struct postmortem pm;
	struct diags diags = DIAGS_INIT;

	(void)state;
	/* a ticket cell without a reference keeps its words as an extra field */
	parse_file(&pm, &diags, "2026-03-20-follow-up-items.md");
	assert_int_equal(pm.items[6].extra_nr, 1);
	assert_string_equal(pm.items[6].extra[0].name, "Ticket");
	assert_string_equal(pm.items[6].extra[0].value, "follow-up TBD");
	assert_int_equal(pm.items[2].extra_nr, 1); /* notes; the lone mark is no detail */
	assert_string_equal(pm.items[2].extra[0].name, "notes");
	/* fields in one pair of parentheses; a key set off by a dash */
	postmortem_release(&pm);
	parse_text(&pm, &diags, "x.md",
	           "## Action items\n- Rotate the keys (Owner: @sam, due 2026-06-01)\n"
	           "- Fix the cron \xe2\x80\x94 ENG-44\n- Fix it (due May 1, 2026)\n",
	           strlen("## Action items\n- Rotate the keys (Owner: @sam, due 2026-06-01)\n"
	                  "- Fix the cron \xe2\x80\x94 ENG-44\n- Fix it (due May 1, 2026)\n"),
	           NULL);
	assert_int_equal(pm.items_nr, 3);
	assert_string_equal(pm.items[0].due, "2026-06-01");
	assert_string_equal(pm.items[1].ticket_key, "ENG-44");
	assert_string_equal(pm.items[1].text, "Fix the cron");
	assert_string_equal(pm.items[2].due, "2026-05-01");
	/* the priority sub-bullet is a field; the sentence a note */
	postmortem_release(&pm);
	parse_file(&pm, &diags, "2026-03-23-field-bullets.md");
	assert_string_equal(pm.items[1].priority, "P1");
	assert_int_equal(pm.items[1].extra_nr, 1);
	assert_string_equal(pm.items[1].extra[0].value, "the canary must run in every region");
	postmortem_release(&pm);
	parse_file(&pm, &diags, "2026-03-20-follow-up-items.md");
	/* where each item sits */
	assert_string_equal(pm.headings[pm.items[0].heading], "Immediate actions (complete)");
	assert_string_equal(pm.headings[pm.items[7].heading], "Filed");
	postmortem_release(&pm);

	parse_file(&pm, &diags, "2026-01-15-gfm-table.md");
	assert_string_equal(postmortem_meta(&pm, "tags"), "payments, api, on-call");
	assert_string_equal(postmortem_meta(&pm, "owners"), "alice, bob");
	assert_string_equal(postmortem_meta(&pm, "severity"), "SEV1");
	assert_string_equal(postmortem_meta(&pm, "class"), "availability");
	assert_string_equal(postmortem_meta(&pm, "summary"),
	                    "A bad deploy made the card processor reject valid cards.");
	assert_null(postmortem_meta(&pm, "missing"));
	assert_int_equal(pm.title_line, 2);
	assert_int_equal(pm.headings_nr, 5);
	assert_string_equal(pm.headings[1], "Summary & impact");
	assert_int_equal(pm.heading_lines[1], 18);
	assert_string_equal(pm.headings[2], "Detection chain");
	assert_string_equal(pm.items[0].markdown,
	                    "Add a **5-minute** error-rate alert on `card_declined`");
	assert_string_equal(pm.items[0].id, "A1");
	assert_string_equal(pm.items[0].priority, "P1");
	assert_string_equal(pm.items[0].status_raw, "open");
	assert_string_equal(extra(&pm.items[0], "Notes"), "see runbook");
	assert_null(pm.items[3].priority);
	postmortem_release(&pm);
	diags_release(&diags);

	parse_file(&pm, &diags, "2026-01-16-ragged-table.md");
	assert_string_equal(pm.items[0].markdown, "Drain the dead-letter queue \\| then replay it");
	assert_string_equal(pm.items[1].markdown, "Alert on queue age `age \\| p99`");
	assert_string_equal(extra(&pm.items[1], "column 5"), "extra one");
	assert_string_equal(extra(&pm.items[1], "column 6"), "extra two");
	assert_string_equal(pm.items[3].status_raw, "DONE");
	postmortem_release(&pm);
	diags_release(&diags);

	parse_file(&pm, &diags, "2026-02-04-plain-lists.md");
	assert_string_equal(extra(&pm.items[1], "details"),
	                    "today we only log them, which hid the problem for a day.");
	assert_string_equal(
	        extra(&pm.items[1], "notes"),
	        "Notes: the alert should fire after 3 corrupt reads; and link the runbook");
	assert_string_equal(pm.items[1].markdown,
	                    "**Page on corrupt segments**: today we only log them, which hid the "
	                    "problem for a day.");
	assert_string_equal(pm.items[3].status_raw, "FIXED");
	assert_string_equal(pm.items[10].markdown, "TODO(grace): Remove the old merger flag");
	postmortem_release(&pm);
	diags_release(&diags);

	parse_file(&pm, &diags, "setext-and-code.md");
	/* the '#' lines of the fenced block are not headings */
	assert_int_equal(pm.headings_nr, 7);
	assert_string_equal(pm.headings[0], "Storage node disk failure");
	assert_string_equal(pm.headings[1], "Date: July 1, 2020");
	assert_string_equal(extra(&pm.items[0], "notes"), "tracked in the hardware sheet");
	postmortem_release(&pm);
	diags_release(&diags);
}

/* Inline texts: one shape each. */
static void test_shapes(void **state)
{
	static const struct {
		const char *name;
		const char *text;
		size_t items;
		const char *first_text;
		const char *first_owner;
	} cases[] = {
	        {"empty", "", 0, NULL, NULL},
	        /* the TODO paragraph is an inferred item; a lone task box outside is nothing */
	        {"no section", "# T\n\n- [ ] not in a section\n\nTODO(bob): nope\n", 1, "nope",
	         "bob"},
	        {"h4 section", "# T\n#### Action items\n- Do it\n", 1, "Do it", NULL},
	        {"several fields in parentheses",
	         "## Action items\n- Rotate the keys (Owner: @sam, due 2026-06-01)\n", 1,
	         "Rotate the keys", "sam"},
	        {"a date with a comma in parentheses",
	         "## Action items\n- Fix it (due May 1, 2026)\n", 1, "Fix it", NULL},
	        {"a key set off by a dash",
	         "## Action items\n- Fix the cron \xe2\x80\x94 owner: kim \xe2\x80\x94 ENG-44\n", 1,
	         "Fix the cron", "kim"},
	        {"a key inside the action stays",
	         "## Action items\n- Port ENG-44 to the new queue\n", 1,
	         "Port ENG-44 to the new queue", NULL},
	        /* statuses leading every bullet, each once: a legend, not items */
	        {"status legend",
	         "# T\n\n## Notes\n\n- **Done**: merged\n- **Pending**: not started\n"
	         "- **Blocked**: waiting on a team\n",
	         0, NULL, NULL},
	        {"status-led bullets",
	         "# T\n\n## Notes\n\n- DONE: Merge it\n- TODO: Ship it\n"
	         "- TODO: Announce it\n",
	         3, "Merge it", NULL},
	        /* a mark alone does not make an item outside an action section */
	        {"marks outside",
	         "# T\n\n## Went well\n\n\xe2\x9c\x85 Fast rollback\n\n"
	         "## Notes\n\n- \xe2\x9c\x85 Paged quickly\n",
	         0, NULL, NULL},
	        {"section ends at same level", "## Next steps\n- One\n## Other\n- Two\n", 1, "One",
	         NULL},
	        {"sub-headings are groups",
	         "## Next steps\n### A\n- One\n### B\n- Two\n# X\n- No\n", 2, "One", NULL},
	        {"anchor in heading", "## Follow-up tasks<a name=\"fu\"></a>\n- Ship it\n", 1,
	         "Ship it", NULL},
	        {"tables win over lists",
	         "## Action items\n* P0 - critical\n\n| Action | Owner |\n|---|---|\n| Fix | ann "
	         "|\n",
	         1, "Fix", "ann"},
	        {"action column not first",
	         "## Actionables\n| # | Owner | Task |\n|--|--|--|\n| 1 | ann | "
	         "Fix |\n",
	         1, "Fix", "ann"},
	        {"no action column: the first",
	         "## Remediation\n| Step | Who |\n|--|--|\n| Fix | ann |\n", 1, "Fix", "ann"},
	        {"table fallback needs an action header",
	         "# T\n| Time | Event |\n|--|--|\n| 9:00 | paged |\n", 0, NULL, NULL},
	        {"owner in prose is kept", "## Action items\n- Ask @bob about the quota\n", 1,
	         "Ask @bob about the quota", NULL},
	        {"email is not a handle", "## Action items\n- Mail ops@example.com\n", 1,
	         "Mail ops@example.com", NULL},
	        {"dash owner", "## Action items\n- Fix the alert - @ann\n", 1, "Fix the alert",
	         "ann"},
	        {"owner in parentheses", "## Action items\n- Fix the alert (owner: ann)\n", 1,
	         "Fix the alert", "ann"},
	        {"long bracket text is not an owner",
	         "## Action items\n- Fix it [see the long design doc]\n", 1,
	         "Fix it [see the long design doc]", NULL},
	        {"html comment in a cell",
	         "## Action items\n| Action | Owner |\n|--|--|\n| Fix <!-- hm --> | ann |\n", 1,
	         "Fix", "ann"},
	        {"zero-width space", "## Action items\n- Fix it\xe2\x80\x8b\n", 1, "Fix it", NULL},
	        {"no trailing newline", "## Action items\n- Fix it", 1, "Fix it", NULL},
	        {"label paragraph fallback",
	         "# T\n\nAction Items:\n\n- One\n- Two\n\n## Next\n- Three\n", 2, "One", NULL},
	        {"label bullet fallback",
	         "# T\n\n- **Action items**:\n  - One\n  - Two\n- **Other**:\n  - No\n", 2, "One",
	         NULL},
	        {"setext heading section", "Action items\n---\n\n- One\n", 1, "One", NULL},
	        {"html table blank lines and missing tags",
	         "## Action "
	         "items\n\n<table>\n<tr><th>Action</th><th>Owner</th>\n\n<tr><td>Fix<td>ann"
	         "\n\n</table>\n",
	         1, "Fix", "ann"},
	        {"html table not closed before the next heading",
	         "## Action items\n<table><tr><th>Task</th></tr><tr><td>Fix\n\n## Later\n- no\n", 1,
	         "Fix", NULL},
	        {"strikethrough", "## Action items\n- ~~Drop~~ Keep the cache\n", 1,
	         "Drop Keep the cache", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct postmortem pm;
		struct diags diags = DIAGS_INIT;
		parse_text(&pm, &diags, "x.md", cases[i].text, strlen(cases[i].text), NULL);
		if (pm.items_nr != cases[i].items)
			fail_msg("%s: %zu items, want %zu", cases[i].name, pm.items_nr,
			         cases[i].items);
		if (cases[i].first_text) {
			check_str("text", cases[i].name, 0, pm.items[0].text, cases[i].first_text);
			check_str("owner", cases[i].name, 0, pm.items[0].owner,
			          cases[i].first_owner);
		}
		postmortem_release(&pm);
		diags_release(&diags);
	}
}

/* Canceled in a status cell or glued to a ticket cell; in progress counts as open. */
static void test_canceled(void **state)
{
	const char *text = "# T\n## Action items\n\n"
	                   "| Action | Owner | Status |\n|---|---|---|\n"
	                   "| One | a | Won't do |\n| Two | b | in progress |\n"
	                   "| Three | c | Obsolete |\n| Four | d | done |\n";
	struct postmortem pm;
	struct diags diags = DIAGS_INIT;

	(void)state;
	parse_text(&pm, &diags, "x.md", text, strlen(text), NULL);
	assert_int_equal(pm.items_nr, 4);
	assert_int_equal(pm.items[0].status, PM_ITEM_CANCELED);
	assert_string_equal(action_item_status_name(pm.items[0].status), "canceled");
	assert_int_equal(pm.items[1].status, PM_ITEM_OPEN);
	assert_int_equal(pm.items[2].status, PM_ITEM_CANCELED);
	assert_int_equal(pm.items[3].status, PM_ITEM_DONE);
	postmortem_release(&pm);
	diags_release(&diags);
}

static void test_options(void **state)
{
	static char review[] = "Review actions", todo[] = "To do";
	static char *patterns[] = {review, todo};
	struct strlist headings = {patterns, 2, 2};
	struct parse_options opts = {&headings, 0, 0};
	const char *text = "# T\n## To do\n- One\n## Action items\n- Not with these patterns\n\n"
	                   "- **Review actions**: Rotate the key (Done)\n";
	struct postmortem pm;
	struct diags diags = DIAGS_INIT;

	(void)state;
	parse_text(&pm, &diags, "x.md", text, strlen(text), &opts);
	assert_int_equal(pm.items_nr, 1);
	assert_string_equal(pm.items[0].text, "One");
	assert_string_equal(pm.section, "To do");
	postmortem_release(&pm);

	/* without a heading, the inline label form of a pattern */
	text = "# T\n- **Review actions**: Rotate the key (Done)\n";
	parse_text(&pm, &diags, "x.md", text, strlen(text), &opts);
	assert_int_equal(pm.items_nr, 1);
	assert_string_equal(pm.items[0].text, "Rotate the key");
	assert_int_equal(pm.items[0].status, PM_ITEM_DONE);
	postmortem_release(&pm);

	opts.headings = NULL;
	opts.max_size = 10;
	parse_text(&pm, &diags, "big.md", text, strlen(text), &opts);
	assert_true(pm.unreadable);
	assert_int_equal(pm.items_nr, 0);
	assert_string_equal(diags.v[diags.nr - 1].rule, "too-large");
	assert_int_equal(diags.v[diags.nr - 1].level, DIAG_ERROR);
	postmortem_release(&pm);
	diags_release(&diags);
}

static void test_dates_and_titles(void **state)
{
	static const struct {
		const char *path;
		const char *text;
		const char *date;
		const char *source;
		const char *title;
	} cases[] = {
	        {"docs/postmortems/2026-03-04-x.md", "---\ndate: 2026-01-02\n---\n# A\n",
	         "2026-01-02", "front matter", "A"},
	        {"docs/postmortems/2026-03-04-x.md", "# A\n**Date:** 2026-01-02\n", "2026-03-04",
	         "file name", "A"},
	        {"x.md", "# A\n**Date:** 2026-01-02\n", "2026-01-02", "Date field", "A"},
	        {"x.md", "# A\n## Date\n2020-01-07\n", "2020-01-07", "Date field", "A"},
	        {"x.md", "# A\n**Date of incident**: 7th September, 2022.\n", "2022-09-07",
	         "Date field", "A"},
	        {"x.md", "# A\n| | |\n|--|--|\n| Date | 2022-04-20 |\n", "2022-04-20", "Date field",
	         "A"},
	        {"x.md", "# A\n```\nDate: 2020-01-01\n```\n", NULL, NULL, "A"},
	        {"x.md", "# A\n**Date:**\n**Author:** me\n", NULL, NULL, "A"},
	        {"2026-13-01-x.md", "# A\n", NULL, NULL, "A"},
	        {"x.md", "# Title:\n### The real title\n", NULL, NULL, "The real title"},
	        {"x.md", "# Title: Named\n", NULL, NULL, "Named"},
	        {"x.md", "## Only H2\n", NULL, NULL, NULL},
	        {"x.md", "---\ntitle: 'Front'\n---\n# Heading\n", NULL, NULL, "Front"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct postmortem pm;
		struct diags diags = DIAGS_INIT;
		parse_text(&pm, &diags, cases[i].path, cases[i].text, strlen(cases[i].text), NULL);
		check_str("date", cases[i].text, 0, pm.date, cases[i].date);
		check_str("date source", cases[i].text, 0, pm.date_source, cases[i].source);
		check_str("title", cases[i].text, 0, pm.title, cases[i].title);
		if (!cases[i].date)
			assert_int_equal(diags_count(&diags, DIAG_WARNING), 1);
		postmortem_release(&pm);
		diags_release(&diags);
	}
}

/* A 1 MB table cell, and many rows (the item cap raised to fit): read, in one pass. */
static void test_large_input(void **state)
{
	struct parse_options opts = {NULL, 0, 20001};
	struct strbuf sb = STRBUF_INIT;
	struct postmortem pm;
	struct diags diags = DIAGS_INIT;
	size_t i;

	(void)state;
	strbuf_addstr(&sb, "## Action items\n\n| Action | Owner |\n|---|---|\n| ");
	for (i = 0; i < 1024 * 1024 / 16; i++)
		strbuf_addstr(&sb, "word word word, ");
	strbuf_addstr(&sb, "end | ann |\n");
	for (i = 0; i < 20000; i++)
		strbuf_addf(&sb, "| Item %zu | @u%zu |\n", i, i % 7);
	parse_text(&pm, &diags, "big.md", sb.buf, sb.len, &opts);
	assert_int_equal(pm.items_nr, 20001);
	assert_true(strlen(pm.items[0].text) > 1000000);
	assert_string_equal(pm.items[0].owner, "ann");
	assert_string_equal(pm.items[20000].text, "Item 19999");
	assert_string_equal(pm.items[20000].owner, "u0");
	postmortem_release(&pm);
	diags_release(&diags);
	strbuf_release(&sb);
}

static void test_odd_input(void **state)
{
	static const char *const texts[] = {
	        "\xef\xbb\xbf",
	        "---\n",
	        "---\n---\n",
	        "|",
	        "| a |\n|---|\n|",
	        "<table>",
	        "<table><tr><td>",
	        "## Action items\n<table>",
	        "## Action items\n- [",
	        "## Action items\n- (",
	        "## Action items\n- )",
	        "## Action items\n- [x]",
	        "## Action items\n- due",
	        "## Action items\n- due ",
	        "## Action items\n- @",
	        "## Action items\n- Owner:",
	        "## Action items\n- TODO(",
	        "## Action items\n- TODO()",
	        "## Action items\n- [](x)",
	        "## Action items\n- http://",
	        "## Action items\n- (https://a.b/c",
	        "## Action items\n\n| Action |\n|--|\n| \\|",
	        "\r\n\r\n\r",
	        "#\n##\n###\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		struct postmortem pm;
		struct diags diags = DIAGS_INIT;
		parse_text(&pm, &diags, "odd.md", texts[i], strlen(texts[i]), NULL);
		assert_false(pm.unreadable);
		postmortem_release(&pm);
		diags_release(&diags);
	}
}

/* Lines end as CommonMark ends them: "\n", "\r\n" or a lone "\r". */
static void test_line_endings(void **state)
{
	static const struct {
		const char *text;
		int line, section_line;
	} cases[] = {
	        {"# T\n\n## Action items\n\n| Action | Owner |\n|--|--|\n| One | ann |\n", 7, 3},
	        {"# T\r\n\r\n## Action items\r\n\r\n| Action | Owner |\r\n|--|--|\r\n| One | ann "
	         "|\r\n",
	         7, 3},
	        {"# T\r\r## Action items\r\r| Action | Owner |\r|--|--|\r| One | ann |\r", 7, 3},
	        {"---\ntitle: T\n---\r\r## Action items\r\r| Action | Owner |\r|--|--|\r| One | "
	         "ann |",
	         9, 5},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct postmortem pm;
		struct diags diags = DIAGS_INIT;
		parse_text(&pm, &diags, "x.md", cases[i].text, strlen(cases[i].text), NULL);
		assert_int_equal(pm.items_nr, 1);
		assert_string_equal(pm.items[0].text, "One");
		assert_string_equal(pm.items[0].owner, "ann");
		assert_string_equal(pm.items[0].markdown, "One");
		assert_int_equal(pm.items[0].line, cases[i].line);
		assert_int_equal(pm.section_line, cases[i].section_line);
		postmortem_release(&pm);
		diags_release(&diags);
	}
}

static void test_utf8_checks(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		const char *rule;
	} cases[] = {
	        {"ok \xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80", 14, NULL},
	        {"bad \xc3", 5, "not-utf8"},
	        {"overlong \xc0\xaf", 11, "not-utf8"},
	        {"surrogate \xed\xa0\x80", 13, "not-utf8"},
	        {"too big \xf4\x90\x80\x80", 12, "not-utf8"},
	        {"nul \0 byte", 10, "binary"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct postmortem pm;
		struct diags diags = DIAGS_INIT;
		parse_text(&pm, &diags, "x.md", cases[i].text, cases[i].len, NULL);
		assert_int_equal(pm.unreadable, cases[i].rule != NULL);
		if (cases[i].rule) {
			assert_int_equal(diags_count(&diags, DIAG_ERROR), 1);
			assert_string_equal(diags.v[0].rule, cases[i].rule);
			assert_string_equal(diags.v[0].path, "x.md");
		}
		postmortem_release(&pm);
		diags_release(&diags);
	}
}

static void test_diags(void **state)
{
	struct diags d = DIAGS_INIT;

	(void)state;
	diags_add(&d, DIAG_WARNING, "b.md", 3, 1, "r1", "third %d", 3);
	diags_add(&d, DIAG_ERROR, "a.md", 9, 2, "r2", "a late");
	diags_add(&d, DIAG_ERROR, "b.md", 1, 1, "r3", "first '%s'", "x");
	diags_add(&d, DIAG_WARNING, "b.md", 3, 1, "r4", "third again");
	diags_add(&d, DIAG_WARNING, NULL, 0, 0, NULL, "no path");
	diags_sort(&d);
	assert_int_equal(d.nr, 5);
	assert_string_equal(d.v[0].path, "");
	assert_string_equal(d.v[1].path, "a.md");
	assert_string_equal(d.v[2].message, "first 'x'");
	assert_string_equal(d.v[3].message, "third 3");
	assert_string_equal(d.v[4].message, "third again");
	assert_int_equal(diags_count(&d, DIAG_ERROR), 2);
	assert_int_equal(diags_count(&d, DIAG_WARNING), 3);
	diags_release(&d);
	assert_int_equal(d.nr, 0);
	diags_release(&d);
}

static void test_model(void **state)
{
	struct postmortem pm = POSTMORTEM_INIT;
	struct action_item *it;

	(void)state;
	postmortem_init(&pm);
	assert_int_equal(pm.detection_chain_minutes, -1);
	it = postmortem_add_item(&pm);
	it->text = xstrdup("x");
	it = postmortem_add_item(&pm);
	assert_null(it->text);
	assert_int_equal(pm.items_nr, 2);
	postmortem_release(&pm);
	assert_int_equal(pm.items_nr, 0);
	postmortem_release(&pm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_fixtures),
	        cmocka_unit_test(test_fixture_details),
	        cmocka_unit_test(test_shapes),
	        cmocka_unit_test(test_options),
	        cmocka_unit_test(test_dates_and_titles),
	        cmocka_unit_test(test_large_input),
	        cmocka_unit_test(test_odd_input),
	        cmocka_unit_test(test_line_endings),
	        cmocka_unit_test(test_utf8_checks),
	        cmocka_unit_test(test_diags),
	        cmocka_unit_test(test_model),
	        cmocka_unit_test(test_canceled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
