/*
 * Unit tests of the sync engine (sync/) against the in-memory tracker of
 * tests/unit/mem_tracker.c, behind the same struct tracker_ops as Linear,
 * with its faults on demand; after a "kill" the run stops and the state
 * file is put back as it was at that moment, lock and all, as kill -9 would
 * leave it.
 */
#include <errno.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <git2.h>

extern char **environ;

#include "util/compat.h"
#include "mapping/mapping.h"
#include "tests/unit/mem_tracker.h"
#include "sync/sync.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define REPO "acme/app"
#define STATE_FILE ".pmsync/state.json"

/* ==== the world: configuration, postmortems, tracker, state file ==== */

struct world {
	struct config cfg;
	struct pm_set set;
	struct mem_tracker mem;
	char *dir;
	char *state_path;
	struct sync_plan plan; /* of the last run */
	int plan_rc, apply_rc;
};

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

static struct postmortem *add_pm(struct world *w, const char *name, const char *date)
{
	struct postmortem *pm;

	ALLOC_GROW(w->set.v, w->set.nr + 1, w->set.alloc);
	pm = &w->set.v[w->set.nr++];
	postmortem_init(pm);
	pm->path = xasprintf("docs/postmortems/%s-%s.md", date, name);
	pm->origin_path = xstrdup(pm->path);
	pm->title = xasprintf("Outage: %s", name);
	pm->date = xstrdup(date);
	pm->url = xasprintf("https://git.example.com/acme/app/blob/main/%s", pm->path);
	pm->section = xstrdup("Action items");
	pm->section_line = 30;
	return pm;
}

static struct action_item *add_item(struct postmortem *pm, const char *key, const char *text,
                                    const char *owner, const char *due, const char *lever)
{
	struct action_item *it = postmortem_add_item(pm);

	it->key = xstrdup(key);
	it->key_source = PM_KEY_TEXT;
	it->line = 31 + (int)pm->items_nr;
	it->col = 1;
	it->text = xstrdup(text);
	it->markdown = xstrdup(text);
	it->owner = xstrdup_or_null(owner);
	it->due = xstrdup_or_null(due);
	it->due_raw = xstrdup_or_null(due);
	it->lever = xstrdup_or_null(lever);
	return it;
}

static void remove_item(struct postmortem *pm, size_t i)
{
	action_item_release(&pm->items[i]);
	memmove(&pm->items[i], &pm->items[i + 1], (pm->items_nr - i - 1) * sizeof(*pm->items));
	pm->items_nr--;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup_or_null(v);
}

static struct action_item *item(struct world *w, const char *key)
{
	size_t i, j;

	for (i = 0; i < w->set.nr; i++)
		for (j = 0; j < w->set.v[i].items_nr; j++)
			if (!strcmp(w->set.v[i].items[j].key, key))
				return &w->set.v[i].items[j];
	fail_msg("no item '%s'", key);
	return NULL;
}

static void world_init(struct world *w)
{
	const char *tmp = getenv("TMPDIR");
	struct postmortem *a, *b;
	struct config_owner *o;

	memset(w, 0, sizeof(*w));
	config_init(&w->cfg);
	w->cfg.tracker = PM_TRACKER_LINEAR;
	w->cfg.repo_id = xstrdup(REPO);
	ALLOC_GROW(w->cfg.owners, 2, w->cfg.owners_alloc);
	o = &w->cfg.owners[w->cfg.owners_nr++];
	memset(o, 0, sizeof(*o));
	o->handle = xstrdup("alice");
	o->email = xstrdup("alice@example.com");
	o = &w->cfg.owners[w->cfg.owners_nr++];
	memset(o, 0, sizeof(*o));
	o->handle = xstrdup("bob");
	o->email = xstrdup("bob@example.com"); /* no tracker user */

	w->set.nr = 0;
	memcpy(w->set.rev_id, "1111111111111111111111111111111111111111", 41);
	a = add_pm(w, "db", "2024-03-01");
	add_item(a, "k1", "Add an alert on replication lag", "alice", "2024-04-01", "alert");
	add_item(a, "k2", "Write the failover runbook", "bob", "2024-05-01", "runbook");
	add_item(a, "k3", "Test restores every week", NULL, NULL, "test")->priority = xstrdup("P1");
	b = add_pm(w, "dns", "2024-04-10");
	add_item(b, "k4", "Lower the DNS TTL before migrations", "carol@example.com", NULL, "code");
	add_item(b, "k5", "Alert on resolver errors", "@alice", "2024-06-01", "alert");

	mem_tracker_init(&w->mem, &w->cfg);
	w->dir = xasprintf("%s/pmsync-sync-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(w->dir));
	w->state_path = xasprintf("%s/%s", w->dir, STATE_FILE);
	w->mem.state_path = w->state_path;
}

static void world_release(struct world *w)
{
	pm_set_release(&w->set);
	config_release(&w->cfg);
	mem_tracker_release(&w->mem);
	sync_plan_release(&w->plan);
	rm_rf(w->dir);
	free(w->dir);
	free(w->state_path);
}

static int setup_world(void **state)
{
	struct world *w = xcalloc(1, sizeof(*w));

	world_init(w);
	*state = w;
	return 0;
}

static int teardown_world(void **state)
{
	world_release(*state);
	free(*state);
	return 0;
}

static void default_opts(struct sync_options *o)
{
	memset(o, 0, sizeof(*o));
	o->max_changes = -1;
}

/* The pid of a process that has exited: what a killed run leaves in its lock. */
static pid_t dead_pid(void)
{
	static pid_t pid;

	if (!pid) {
		char *argv[] = {(char *)"true", NULL};
		assert_int_equal(posix_spawnp(&pid, "true", NULL, NULL, argv, environ), 0);
		assert_int_equal(waitpid(pid, NULL, 0), pid);
	}
	return pid;
}

/* One run, as the command does it: open the state, plan, apply, close. */
static int run_opts(struct world *w, const struct sync_options *opts, bool offline)
{
	struct state st = STATE_INIT;
	unsigned flags = PM_STATE_LOCK | (opts->rebuild_state ? PM_STATE_REBUILD : 0);
	int r;

	sync_plan_release(&w->plan);
	w->plan_rc = w->apply_rc = 0;
	r = state_open(&st, w->dir, STATE_FILE, opts->dry_run ? 0 : flags);
	if (r < 0) {
		w->plan_rc = r;
		return r;
	}
	r = w->plan_rc = sync_plan_build(&w->plan, &w->set, &w->cfg, offline ? NULL : &w->mem.base,
	                                 &st, opts);
	if (r >= 0 && !opts->dry_run && !offline)
		r = w->apply_rc = sync_apply(&w->plan, &w->cfg, &w->mem.base, &st, opts);
	state_release(&st);
	if (w->mem.killed) {
		/* kill -9: what the disk held at that moment, the lock left behind */
		char *lock = xasprintf("%s.lock", w->state_path);
		char pid[32];
		FILE *f;

		snprintf(pid, sizeof(pid), "%ld\n", (long)dead_pid());
		f = fopen(lock, "w");
		assert_non_null(f);
		fputs(pid, f);
		fclose(f);
		free(lock);
		if (w->mem.snap_exists) {
			f = fopen(w->state_path, "w");
			assert_non_null(f);
			fwrite(w->mem.snap.buf, 1, w->mem.snap.len, f);
			fclose(f);
		} else {
			unlink(w->state_path);
		}
		w->mem.killed = false;
	}
	return r;
}

static int run(struct world *w)
{
	struct sync_options o;

	default_opts(&o);
	return run_opts(w, &o, false);
}

static const struct sync_change *change(const struct world *w, const char *key)
{
	size_t i;

	for (i = 0; i < w->plan.nr; i++)
		if (w->plan.v[i].key && !strcmp(w->plan.v[i].key, key))
			return &w->plan.v[i];
	fail_msg("no change for '%s'", key);
	return NULL;
}

static size_t count_kind(const struct world *w, enum sync_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < w->plan.nr; i++)
		n += w->plan.v[i].kind == kind;
	return n;
}

static struct tracker_ticket *ticket_for(struct world *w, const char *key)
{
	size_t i;
	struct tracker_ticket *found = NULL;

	for (i = 0; i < w->mem.store.nr; i++) {
		struct tracker_ticket *tk = &w->mem.store.v[i];
		if (tk->has_marker && !strcmp(tk->marker.repo_id, REPO) &&
		    !strcmp(tk->marker.item_key, key)) {
			if (found)
				fail_msg("two tickets for '%s': %s and %s", key, found->ref,
				         tk->ref);
			found = tk;
		}
	}
	if (!found)
		fail_msg("no ticket for '%s'", key);
	return found;
}

/*
 * The invariant: every open item has exactly one ticket, linked by its
 * marker, and pmsync left no ticket without a marker behind.
 */
static void assert_one_ticket_per_item(struct world *w)
{
	size_t i, j;

	for (i = 0; i < w->set.nr; i++)
		for (j = 0; j < w->set.v[i].items_nr; j++) {
			const struct action_item *it = &w->set.v[i].items[j];
			if (it->status == PM_ITEM_DONE || it->ticket_kind != PM_TICKET_NONE)
				continue;
			ticket_for(w, it->key); /* fails on none and on two */
		}
	for (i = 0; i < w->mem.store.nr; i++) {
		const struct tracker_ticket *tk = &w->mem.store.v[i];
		if (w->mem.by_pmsync[i] && !tk->has_marker)
			fail_msg("ticket %s made by pmsync has no marker", tk->ref);
	}
}

/* ==== tests ==== */

static void test_first_sync_creates_each_once(void **state)
{
	struct world *w = *state;
	const struct tracker_ticket *tk;
	char *id;
	size_t writes;

	assert_int_equal(run(w), 0);
	assert_int_equal(w->plan.creates, 5);
	assert_int_equal(w->mem.created, 5);
	assert_int_equal(w->mem.resolve_calls, 1); /* owners resolved in one call */
	assert_one_ticket_per_item(w);

	tk = ticket_for(w, "k1");
	id = mapping_ticket_id(NULL, REPO, "k1");
	assert_string_equal(tk->id, id); /* the id pmsync chose */
	free(id);
	assert_string_equal(tk->fields.title, "Add an alert on replication lag");
	assert_string_equal(tk->fields.assignee_id, "u-alice");
	assert_string_equal(tk->fields.due, "2024-04-01");
	assert_int_equal(tk->fields.labels.nr, 2);
	assert_string_equal(tk->marker.url, "https://git.example.com/acme/app/blob/main/"
	                                    "docs/postmortems/2024-03-01-db.md#pmsync-k1");
	assert_string_equal(tk->marker.title, "Postmortem: Outage: db");
	assert_int_equal(ticket_for(w, "k3")->fields.priority, 2);
	assert_string_equal(ticket_for(w, "k5")->fields.assignee_id, "u-alice");
	assert_string_equal(ticket_for(w, "k4")->fields.assignee_id, "u-carol");
	/* bob has no tracker user: unassigned, and said so */
	assert_null(ticket_for(w, "k2")->fields.assignee_id);
	assert_non_null(change(w, "k2")->note);
	assert_non_null(strstr(change(w, "k2")->note, "has no linear user"));
	assert_true(change(w, "k1")->applied);

	/* the second sync writes nothing */
	writes = w->mem.writes;
	assert_int_equal(run(w), 0);
	assert_int_equal(w->mem.writes, writes);
	assert_int_equal(count_kind(w, SYNC_UNCHANGED), 5);
	assert_int_equal(w->plan.creates + w->plan.updates, 0);
}

/* A user id from the configuration is checked like an email: an unknown one leaves the ticket unassigned. */
static void test_owner_ids_checked(void **state)
{
	struct world *w = *state;
	struct config_owner *o;

	ALLOC_GROW(w->cfg.owners, w->cfg.owners_nr + 2, w->cfg.owners_alloc);
	o = &w->cfg.owners[w->cfg.owners_nr++];
	memset(o, 0, sizeof(*o));
	o->handle = xstrdup("dave");
	o->linear = xstrdup("u-nobody"); /* no such user */
	o = &w->cfg.owners[w->cfg.owners_nr++];
	memset(o, 0, sizeof(*o));
	o->handle = xstrdup("erin");
	o->linear = xstrdup("u-carol");
	add_item(&w->set.v[1], "k6", "Rotate the resolver keys", "dave", NULL, "code");
	add_item(&w->set.v[1], "k7", "Document the resolver pool", "erin", NULL, "runbook");
	assert_int_equal(run(w), 0);
	assert_int_equal(change(w, "k6")->outcome, 0);
	assert_null(ticket_for(w, "k6")->fields.assignee_id);
	assert_non_null(strstr(change(w, "k6")->note, "(u-nobody)"));
	assert_non_null(strstr(change(w, "k6")->note, "left unassigned"));
	assert_string_equal(ticket_for(w, "k7")->fields.assignee_id, "u-carol");
}

/*
 * A run that leaves no create in doubt marks the state settled, and the next
 * plan does not look up its creates' ids; a run stopped while creating does
 * not, and the next one looks them up.
 */
static void test_settled_state_skips_lookup(void **state)
{
	struct world *w = *state;
	struct strbuf sb = STRBUF_INIT;
	size_t pending;

	assert_int_equal(run(w), 0);
	assert_int_equal(strbuf_read_file(&sb, w->state_path, 0), 0);
	assert_non_null(strstr(sb.buf, "\"settled\": true"));
	pending = w->mem.pending_calls;
	add_item(&w->set.v[0], "k8", "Page on replication lag over 5 minutes", "alice", NULL,
	         "alert");
	assert_int_equal(run(w), 0);
	assert_int_equal(change(w, "k8")->kind, SYNC_CREATE);
	assert_int_equal(w->mem.pending_calls, pending); /* no lookup */
	assert_one_ticket_per_item(w);
	/* killed once the next create reached the tracker: the state says unsettled */
	add_item(&w->set.v[0], "k9", "Test the failover monthly", "alice", NULL, "test");
	w->mem.fault = MEM_FAULT_KILL_AFTER;
	w->mem.fail_at = w->mem.writes + 1;
	w->mem.fired = false;
	run(w);
	strbuf_reset(&sb);
	assert_int_equal(strbuf_read_file(&sb, w->state_path, 0), 0);
	assert_non_null(strstr(sb.buf, "\"settled\": false"));
	w->mem.fault = MEM_FAULT_NONE;
	pending = w->mem.pending_calls;
	assert_int_equal(run(w), 0);
	assert_true(w->mem.pending_calls > pending); /* looked up, and recovered */
	assert_int_equal(change(w, "k9")->kind, SYNC_RECOVER);
	assert_one_ticket_per_item(w);
	strbuf_release(&sb);
}

/* A ticket deleted for good: its item gets a new ticket with a new id, the old one never sent. */
static void test_deleted_ticket_new_id(void **state)
{
	struct world *w = *state;
	char *old;
	size_t created;

	assert_int_equal(run(w), 0);
	old = xstrdup(ticket_for(w, "k1")->id);
	mem_tracker_delete(&w->mem, old);
	created = w->mem.created;
	assert_int_equal(run(w), 0);
	assert_int_equal(change(w, "k1")->kind, SYNC_CREATE);
	assert_int_equal(change(w, "k1")->outcome, 0);
	assert_int_equal(w->mem.created, created + 1);
	assert_string_not_equal(ticket_for(w, "k1")->id, old);
	assert_one_ticket_per_item(w);
	/* and it stays: the next sync has nothing to do */
	assert_int_equal(run(w), 0);
	assert_int_equal(w->plan.creates + w->plan.updates, 0);
	free(old);
}

/* The three-way ownership of a field, on the due date of k1. */
static void test_three_way_table(void **unused)
{
	static const struct {
		const char *name;
		const char *tracker_due; /* NULL: untouched in the tracker */
		const char *pm_due;      /* NULL: untouched in the postmortem */
		bool prefer;
		enum sync_kind kind;
		unsigned update, drift, conflict;
		const char *final_due;
	} cases[] = {
	        {"unchanged", NULL, NULL, false, SYNC_UNCHANGED, 0, 0, 0, "2024-04-01"},
	        {"postmortem edit", NULL, "2024-09-09", false, SYNC_UPDATE, TF_DUE | TF_DESCRIPTION,
	         0, 0, "2024-09-09"},
	        {"re-dated in the tracker", "2024-12-24", NULL, false, SYNC_UNCHANGED, 0, TF_DUE, 0,
	         "2024-12-24"},
	        {"both, tracker kept", "2024-12-24", "2024-09-09", false, SYNC_UPDATE,
	         TF_DESCRIPTION, 0, TF_DUE, "2024-12-24"},
	        {"both, prefer postmortem", "2024-12-24", "2024-09-09", true, SYNC_UPDATE,
	         TF_DUE | TF_DESCRIPTION, 0, TF_DUE, "2024-09-09"},
	        {"both to the same", "2024-09-09", "2024-09-09", false, SYNC_UPDATE, TF_DESCRIPTION,
	         0, 0, "2024-09-09"},
	};
	size_t i;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct world w;
		struct sync_options o;
		const struct sync_change *c;
		size_t writes;

		world_init(&w);
		assert_int_equal(run(&w), 0);
		if (cases[i].tracker_due)
			set_str(&ticket_for(&w, "k1")->fields.due, cases[i].tracker_due);
		if (cases[i].pm_due) {
			set_str(&item(&w, "k1")->due, cases[i].pm_due);
			set_str(&item(&w, "k1")->due_raw, cases[i].pm_due);
		}
		default_opts(&o);
		o.prefer_postmortem = cases[i].prefer;
		assert_int_equal(run_opts(&w, &o, false), 0);
		c = change(&w, "k1");
		if (c->kind != cases[i].kind || c->update_mask != cases[i].update ||
		    c->drift_mask != cases[i].drift || c->conflict_mask != cases[i].conflict)
			fail_msg("%s: kind %s update %#x drift %#x conflict %#x", cases[i].name,
			         sync_kind_name(c->kind), c->update_mask, c->drift_mask,
			         c->conflict_mask);
		assert_string_equal(ticket_for(&w, "k1")->fields.due, cases[i].final_due);
		/* the others were not touched */
		assert_int_equal(change(&w, "k2")->kind, SYNC_UNCHANGED);
		/* and the next run is quiet: drift stays drift, it is not overwritten */
		writes = w.mem.writes;
		assert_int_equal(run(&w), 0);
		if (w.mem.writes != writes)
			fail_msg("%s: the next run wrote again", cases[i].name);
		assert_string_equal(ticket_for(&w, "k1")->fields.due, cases[i].final_due);
		world_release(&w);
	}
}

static void test_edit_updates(void **state)
{
	struct world *w = *state;
	const struct sync_change *c;
	const struct tracker_ticket *tk;

	assert_int_equal(run(w), 0);
	set_str(&item(w, "k2")->text, "Write and rehearse the failover runbook");
	set_str(&item(w, "k2")->markdown, "Write and rehearse the failover runbook");
	assert_int_equal(run(w), 0);
	c = change(w, "k2");
	assert_int_equal(c->kind, SYNC_UPDATE);
	assert_int_equal(c->update_mask, TF_TITLE | TF_DESCRIPTION);
	assert_true(c->applied);
	tk = ticket_for(w, "k2");
	assert_string_equal(tk->fields.title, "Write and rehearse the failover runbook");
	assert_string_equal(tk->marker.written.title, "Write and rehearse the failover runbook");
	assert_int_equal(w->mem.created, 5);
	assert_int_equal(w->plan.updates, 1);
}

/* A row naming a ticket (ENG-77) that pmsync did not make. */
static struct action_item *add_adopting(struct world *w, const char *ref, const char *text)
{
	struct action_item *it;
	char *key = xasprintf("t:%s", ref);

	it = add_item(&w->set.v[0], key, text, "alice", NULL, "alert");
	it->ticket = xstrdup(ref);
	it->ticket_kind = PM_TICKET_KEY;
	it->ticket_key = xstrdup(ref);
	free(key);
	return it;
}

/*
 * Adoption converges in one run: the marker, then the postmortem's values
 * wherever the ticket differs, the status left as it is.
 */
static void test_adopt(void **state)
{
	struct world *w = *state;
	struct action_item *it;
	struct tracker_ticket *seed;
	const struct sync_change *c;
	size_t writes;

	seed = mem_tracker_seed(&w->mem, "ENG-77", "Replication lag alerting");
	seed->status = TRACKER_DONE; /* done in the tracker: stays done */
	add_adopting(w, "ENG-77", "Add a lag alert");
	it = add_item(&w->set.v[0], "t:ENG-999", "Something tracked", NULL, NULL, NULL);
	it->ticket = xstrdup("https://linear.app/acme/issue/ENG-999/x");
	it->ticket_kind = PM_TICKET_URL;
	assert_int_equal(run(w), 0);

	c = change(w, "t:ENG-77");
	assert_int_equal(c->kind, SYNC_ADOPT);
	assert_int_equal(c->update_mask, TF_TITLE | TF_DESCRIPTION | TF_ASSIGNEE | TF_LABELS);
	assert_int_equal(c->drift_mask, 0);
	assert_int_equal(c->conflict_mask, 0);
	assert_true(c->applied);
	assert_int_equal(c->outcome, 0);
	assert_int_equal(w->plan.adopts, 1);
	assert_int_equal(w->plan.updates, 0);
	seed = ticket_for(w, "t:ENG-77");
	assert_string_equal(seed->ref, "ENG-77");
	assert_string_equal(seed->fields.title, "Add a lag alert");
	assert_string_equal(seed->fields.assignee_id, "u-alice");
	assert_int_equal(seed->fields.labels.nr, 2);
	assert_string_not_equal(seed->fields.description, "written by hand");
	assert_int_equal(seed->status, TRACKER_DONE);
	assert_int_equal(tracker_fields_diff(&seed->marker.written, &seed->fields, TF_ALL), 0);
	assert_int_equal(change(w, "t:ENG-999")->kind, SYNC_ELSEWHERE);
	assert_int_equal(w->mem.created, 5); /* no second ticket for either */

	/* nothing left for the next run */
	writes = w->mem.writes;
	assert_int_equal(run(w), 0);
	assert_int_equal(w->mem.writes, writes);
	assert_int_equal(change(w, "t:ENG-77")->kind, SYNC_UNCHANGED);
	assert_int_equal(change(w, "t:ENG-77")->drift_mask, 0);

	/* later edits of the row update the adopted ticket */
	set_str(&item(w, "t:ENG-77")->due, "2024-10-01");
	assert_int_equal(run(w), 0);
	assert_string_equal(ticket_for(w, "t:ENG-77")->fields.due, "2024-10-01");
	assert_int_equal(w->mem.created, 5);
}

/*
 * Rows never take over a ticket: not one another repository manages (its
 * marker on it, none of ours), not one another row already names; and an
 * adoption, which overwrites what people wrote, counts against
 * sync.maxChanges.
 */
static void test_adopt_guards(void **state)
{
	struct world *w = *state;
	struct tracker_ticket *theirs, *free1;
	const struct sync_change *c;
	struct sync_options o;
	struct action_item *first;

	theirs = mem_tracker_seed(&w->mem, "ENG-70", "Managed elsewhere");
	theirs->foreign_repo = xstrdup("acme/ops");
	free1 = mem_tracker_seed(&w->mem, "ENG-71", "Written by hand");
	add_adopting(w, "ENG-70", "Take it over");
	first = add_adopting(w, "ENG-71", "Adopt it");
	/* a second row naming ENG-71, under another key */
	first = add_item(&w->set.v[0], "id:again", "Adopt it again", "alice", NULL, "alert");
	first->ticket = xstrdup("ENG-71");
	first->ticket_kind = PM_TICKET_KEY;
	first->ticket_key = xstrdup("ENG-71");

	/* 5 creates and 1 adoption, above 5 */
	w->cfg.max_changes = 5;
	assert_int_equal(run(w), PM_EUSAGE);
	assert_non_null(strstr(pm_error_message(), "6 creates, cancels and adoptions"));
	assert_int_equal(w->mem.writes, 0);
	default_opts(&o);
	o.force = true;
	assert_int_equal(run_opts(w, &o, false), 0);

	c = change(w, "t:ENG-70");
	assert_int_equal(c->kind, SYNC_ELSEWHERE);
	assert_non_null(strstr(c->note, "ENG-70 is managed by acme/ops"));
	assert_string_equal(theirs->fields.title, "Managed elsewhere");
	assert_false(theirs->has_marker);
	assert_int_equal(change(w, "t:ENG-71")->kind, SYNC_ADOPT);
	assert_string_equal(free1->fields.title, "Adopt it");
	c = change(w, "id:again");
	assert_int_equal(c->kind, SYNC_ELSEWHERE);
	assert_non_null(strstr(c->note, "ENG-71 is named twice, also at "));
	assert_null(strstr(c->note, "not found"));
}

static void test_removed_item(void **unused)
{
	static const struct {
		enum pm_removed_policy policy;
		enum tracker_status status_before;
		enum sync_kind kind;
		enum tracker_status status_after;
	} cases[] = {
	        {PM_REMOVED_KEEP, TRACKER_OPEN, SYNC_ORPHANED, TRACKER_OPEN},
	        {PM_REMOVED_CANCEL, TRACKER_OPEN, SYNC_CANCEL, TRACKER_CANCELED},
	        {PM_REMOVED_CANCEL, TRACKER_DONE, SYNC_ORPHANED, TRACKER_DONE},
	};
	size_t i;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct world w;
		size_t writes;

		world_init(&w);
		w.cfg.removed = cases[i].policy;
		assert_int_equal(run(&w), 0);
		ticket_for(&w, "k2")->status = cases[i].status_before;
		remove_item(&w.set.v[0], 1);
		assert_int_equal(run(&w), 0);
		assert_int_equal(change(&w, "k2")->kind, cases[i].kind);
		assert_int_equal(ticket_for(&w, "k2")->status, cases[i].status_after);
		assert_int_equal(w.mem.store.nr, 5); /* never deleted */
		writes = w.mem.writes;
		assert_int_equal(run(&w), 0);
		assert_int_equal(w.mem.writes, writes);
		assert_int_equal(change(&w, "k2")->kind, SYNC_ORPHANED);
		world_release(&w);
	}
}

static void test_not_created(void **unused)
{
	static const struct {
		const char *name;
		enum pm_ticket_kind kind;
		const char *ticket;
		bool done;
		enum sync_kind want;
	} cases[] = {
	        {"done without ticket", PM_TICKET_NONE, NULL, true, SYNC_DONE_NO_TICKET},
	        {"github issue", PM_TICKET_GITHUB, "https://github.com/acme/app/issues/12", false,
	         SYNC_ELSEWHERE},
	        {"jira key", PM_TICKET_KEY, "OPS-12", false, SYNC_ELSEWHERE},
	        {"other reference", PM_TICKET_OTHER, "Bug #5554823", false, SYNC_ELSEWHERE},
	};
	size_t i;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct world w;
		struct action_item *it;

		world_init(&w);
		it = add_item(&w.set.v[1], "kx", "Something else", "alice", NULL, NULL);
		it->ticket_kind = cases[i].kind;
		it->ticket = xstrdup_or_null(cases[i].ticket);
		if (cases[i].kind == PM_TICKET_KEY)
			it->ticket_key = xstrdup(cases[i].ticket);
		it->status = cases[i].done ? PM_ITEM_DONE : PM_ITEM_OPEN;
		assert_int_equal(run(&w), 0);
		if (change(&w, "kx")->kind != cases[i].want)
			fail_msg("%s: %s", cases[i].name, sync_kind_name(change(&w, "kx")->kind));
		assert_int_equal(w.mem.created, 5);
		world_release(&w);
	}
}

static void test_unreadable_and_missing(void **unused)
{
	static const struct {
		bool unreadable; /* else the file is gone */
		enum sync_kind want;
	} cases[] = {
	        {true, SYNC_UNKNOWN},
	        {false, SYNC_MISSING_PM},
	};
	size_t i;

	(void)unused;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct world w;
		size_t writes;

		world_init(&w);
		w.cfg.removed = PM_REMOVED_CANCEL; /* the harshest policy */
		assert_int_equal(run(&w), 0);
		if (cases[i].unreadable) {
			while (w.set.v[1].items_nr)
				remove_item(&w.set.v[1], 0);
			w.set.v[1].unreadable = true;
		} else {
			postmortem_release(&w.set.v[1]);
			w.set.nr--;
		}
		writes = w.mem.writes;
		assert_int_equal(run(&w), 0);
		assert_int_equal(change(&w, "k4")->kind, cases[i].want);
		assert_int_equal(change(&w, "k5")->kind, cases[i].want);
		assert_int_equal(w.plan.cancels + w.plan.orphaned, 0);
		assert_int_equal(w.mem.writes, writes);
		assert_int_equal(ticket_for(&w, "k4")->status, TRACKER_OPEN);
		world_release(&w);
	}
}

static void test_max_changes(void **state)
{
	struct world *w = *state;
	struct sync_options o;

	w->cfg.max_changes = 4;
	assert_int_equal(run(w), PM_EUSAGE);
	assert_string_equal(pm_error_message(),
	                    "plan has 5 creates, cancels and adoptions, above sync.maxChanges (4): "
	                    "check the plan, then rerun with --force");
	assert_int_equal(w->mem.writes, 0);
	assert_int_equal(w->plan.creates, 5); /* the plan is there to show */

	default_opts(&o);
	o.max_changes = 10; /* --max-changes wins over the configuration */
	assert_int_equal(run_opts(w, &o, false), 0);
	assert_int_equal(w->mem.created, 5);

	/* cancels count as well */
	w->cfg.removed = PM_REMOVED_CANCEL;
	w->cfg.max_changes = 1;
	remove_item(&w->set.v[0], 0);
	remove_item(&w->set.v[0], 0);
	assert_int_equal(run(w), PM_EUSAGE);
	assert_int_equal(w->mem.cancelled, 0);
	default_opts(&o);
	o.force = true;
	assert_int_equal(run_opts(w, &o, false), 0);
	assert_int_equal(w->mem.cancelled, 2);
}

static void test_since(void **state)
{
	struct world *w = *state;

	set_str(&w->cfg.since, "2024-04-01");
	assert_int_equal(run(w), 0);
	assert_int_equal(change(w, "k1")->kind, SYNC_BEFORE_SINCE);
	assert_int_equal(change(w, "k3")->kind, SYNC_BEFORE_SINCE);
	assert_int_equal(change(w, "k4")->kind, SYNC_CREATE);
	assert_int_equal(w->mem.created, 2);

	/* a ticket already managed keeps being updated */
	set_str(&w->cfg.since, NULL);
	assert_int_equal(run(w), 0);
	assert_int_equal(w->mem.created, 5);
	set_str(&w->cfg.since, "2024-04-01");
	set_str(&item(w, "k1")->due, "2024-07-07");
	assert_int_equal(run(w), 0);
	assert_int_equal(change(w, "k1")->kind, SYNC_UPDATE);
	assert_string_equal(ticket_for(w, "k1")->fields.due, "2024-07-07");
	assert_int_equal(w->mem.created, 5);
}

static void test_only_paths(void **state)
{
	struct world *w = *state;
	struct strlist only = {0};
	struct sync_options o;
	size_t i;

	assert_int_equal(run(w), 0);
	w->cfg.removed = PM_REMOVED_CANCEL;
	remove_item(&w->set.v[0], 1);                                       /* k2 leaves db */
	add_item(&w->set.v[1], "k6", "Page on SERVFAIL", NULL, NULL, NULL); /* dns gains one */
	strlist_add(&only, w->set.v[1].path);
	default_opts(&o);
	o.only_paths = &only;
	assert_int_equal(run_opts(w, &o, false), 0);
	for (i = 0; i < w->plan.nr; i++)
		assert_string_equal(w->plan.v[i].path, w->set.v[1].path);
	assert_int_equal(change(w, "k6")->kind, SYNC_CREATE);
	assert_int_equal(w->plan.cancels + w->plan.orphaned, 0);
	assert_int_equal(ticket_for(w, "k2")->status, TRACKER_OPEN);
	/* without the limit, k2 is cancelled */
	assert_int_equal(run(w), 0);
	assert_int_equal(change(w, "k2")->kind, SYNC_CANCEL);
	strlist_clear(&only);
}

static void test_other_repo_untouched(void **unused)
{
	size_t round;

	(void)unused;
	for (round = 0; round < 2; round++) {
		struct world w;
		struct tracker_ticket *other;
		size_t i;

		world_init(&w);
		w.cfg.removed = PM_REMOVED_CANCEL;
		w.mem.list_everything = round == 1; /* a connector that forgot the filter */
		other = mem_tracker_seed(&w.mem, "ENG-500", "Their own item");
		other->has_marker = true;
		other->marker.repo_id = xstrdup("acme/other");
		other->marker.item_key = xstrdup("k1"); /* the same key as ours */
		other->marker.pm_path = xstrdup("docs/postmortems/2024-03-01-db.md");
		other->marker.url = xstrdup("https://git.example.com/acme/other#pmsync-k1");
		other->marker.title = xstrdup("Postmortem: theirs");
		other = mem_tracker_seed(&w.mem, "ENG-501", "Their removed item");
		other->has_marker = true;
		other->marker.repo_id = xstrdup("acme/other");
		other->marker.item_key = xstrdup("gone");
		other->marker.pm_path = xstrdup("docs/postmortems/2024-03-01-db.md");
		assert_int_equal(run(&w), 0);
		assert_int_equal(run(&w), 0);
		for (i = 0; i < w.mem.store.nr; i++) {
			const struct tracker_ticket *tk = &w.mem.store.v[i];
			if (strncmp(tk->ref, "ENG-50", 6))
				continue;
			assert_string_equal(tk->marker.repo_id, "acme/other");
			assert_int_equal(tk->status, TRACKER_OPEN);
			assert_string_equal(tk->fields.description, "written by hand");
		}
		for (i = 0; i < w.plan.nr; i++)
			assert_true(!w.plan.v[i].has_ticket ||
			            strncmp(w.plan.v[i].ticket.ref, "ENG-50", 6));
		assert_one_ticket_per_item(&w);
		world_release(&w);
	}
}

/* A shallow clone: keys come from the current text, the tickets keep the old ones. */
static void test_rekeyed_item(void **state)
{
	struct world *w = *state;
	const struct sync_change *c;

	assert_int_equal(run(w), 0);
	set_str(&item(w, "k1")->key, "k1-shallow");
	set_str(&item(w, "k2")->text, "Write the failover runbook and rehearse it");
	set_str(&item(w, "k2")->key, "k2-shallow");
	set_str(&item(w, "k3")->text, "Completely different action");
	set_str(&item(w, "k3")->key, "k3-new");
	assert_int_equal(run(w), 0);
	c = change(w, "k1-shallow");
	assert_int_equal(c->kind, SYNC_UPDATE);
	assert_true(c->write_marker);
	assert_int_equal(change(w, "k2-shallow")->kind, SYNC_UPDATE);
	/* too different: a new item, and the old ticket orphaned */
	assert_int_equal(change(w, "k3-new")->kind, SYNC_CREATE);
	assert_int_equal(change(w, "k3")->kind, SYNC_ORPHANED);
	assert_int_equal(w->mem.created, 6);
	assert_string_equal(ticket_for(w, "k1-shallow")->fields.title,
	                    "Add an alert on replication lag");
	assert_string_equal(ticket_for(w, "k2-shallow")->fields.title,
	                    "Write the failover runbook and rehearse it");
	assert_string_equal(ticket_for(w, "k2-shallow")->marker.item_key, "k2-shallow");
	assert_int_equal(run(w), 0);
	assert_int_equal(w->plan.updates + w->plan.creates, 0);
}

/*
 * A ticket carrying two of our markers (the connector keeps the first): the
 * second one still links it to its item, so nothing is created twice.
 */
static void test_second_marker(void **state)
{
	struct world *w = *state;
	struct tracker_ticket *tk;

	assert_int_equal(run(w), 0);
	tk = ticket_for(w, "k1");
	set_str(&tk->marker.item_key, "k1-before");
	set_str(&tk->marker.pm_path, "docs/postmortems/db.md"); /* and renamed since */
	tk->other_marker_key = xstrdup("k1");
	assert_int_equal(run(w), 0);
	assert_int_not_equal(change(w, "k1")->kind, SYNC_CREATE);
	assert_int_equal(w->mem.created, 5);
	assert_int_equal(count_kind(w, SYNC_ORPHANED), 0);
}

/* Explicit ids repeat across postmortems: two items, two tickets, two chosen ids. */
static void test_explicit_ids_across_postmortems(void **state)
{
	struct world *w = *state;
	struct action_item *a, *b;
	size_t i, n = 0, writes;

	a = add_item(&w->set.v[0], "id:1", "Rotate the keys", NULL, NULL, NULL);
	a->key_source = PM_KEY_ID;
	b = add_item(&w->set.v[1], "id:1", "Move the zone", NULL, NULL, NULL);
	b->key_source = PM_KEY_ID;
	assert_int_equal(run(w), 0);
	assert_int_equal(w->mem.created, 7);
	for (i = 0; i < w->mem.store.nr; i++)
		n += w->mem.store.v[i].has_marker &&
		     !strcmp(w->mem.store.v[i].marker.item_key, "id:1");
	assert_int_equal(n, 2);
	writes = w->mem.writes;
	assert_int_equal(run(w), 0);
	assert_int_equal(w->mem.writes, writes);
}

static void test_offline_and_dry_run(void **state)
{
	struct world *w = *state;
	struct sync_options o;
	size_t writes;

	assert_int_equal(run(w), 0);
	writes = w->mem.writes;
	set_str(&item(w, "k1")->text, "Add an alert on replication lag > 30s");
	remove_item(&w->set.v[0], 1);
	add_item(&w->set.v[1], "k6", "Page on SERVFAIL", NULL, NULL, NULL);

	default_opts(&o);
	o.offline = true;
	assert_int_equal(run_opts(w, &o, true), 0);
	assert_true(w->plan.offline);
	assert_int_equal(change(w, "k1")->kind, SYNC_UPDATE);
	assert_true(change(w, "k1")->update_mask & TF_TITLE);
	assert_int_equal(change(w, "k2")->kind, SYNC_ORPHANED);
	assert_int_equal(change(w, "k6")->kind, SYNC_CREATE);
	assert_int_equal(change(w, "k4")->kind, SYNC_UNCHANGED); /* assignee not compared */
	assert_int_equal(sync_apply(&w->plan, &w->cfg, &w->mem.base, NULL, &o), PM_EUSAGE);

	default_opts(&o);
	o.dry_run = true;
	assert_int_equal(run_opts(w, &o, false), 0);
	assert_int_equal(change(w, "k1")->kind, SYNC_UPDATE);
	assert_int_equal(change(w, "k6")->kind, SYNC_CREATE);
	assert_int_equal(sync_apply(&w->plan, &w->cfg, &w->mem.base, NULL, &o), 0);
	assert_int_equal(w->mem.writes, writes);
}

static void test_state_lost_and_rebuilt(void **state)
{
	struct world *w = *state;
	struct sync_options o;
	struct state st = STATE_INIT;
	size_t writes;

	assert_int_equal(run(w), 0);
	writes = w->mem.writes;
	assert_int_equal(unlink(w->state_path), 0);
	assert_int_equal(run(w), 0); /* the markers are the truth */
	assert_int_equal(w->mem.writes, writes);
	assert_int_equal(count_kind(w, SYNC_UNCHANGED), 5);

	/* --rebuild-state fills the cache from the tracker */
	assert_int_equal(unlink(w->state_path), 0);
	default_opts(&o);
	o.rebuild_state = true;
	assert_int_equal(run_opts(w, &o, false), 0);
	assert_int_equal(state_open(&st, w->dir, STATE_FILE, 0), 0);
	assert_int_equal(st.items_nr, 5);
	assert_string_equal(st.repo, REPO);
	assert_string_equal(st.tracker, "linear");
	assert_string_equal(state_find(&st, "k1")->ticket_id, ticket_for(w, "k1")->id);
	assert_true(state_find(&st, "k1")->has_written);
	state_release(&st);

	/* a state written for another repository is not used */
	set_str(&w->cfg.repo_id, "acme/fork");
	assert_int_equal(run(w), PM_ESTATE);
	assert_non_null(strstr(pm_error_message(), "was written for repository 'acme/app'"));
}

static void test_no_url(void **state)
{
	struct world *w = *state;

	set_str(&w->set.v[1].url, NULL);
	assert_int_equal(run(w), PM_ECONFIG);
	assert_string_equal(pm_error_message(),
	                    "no URL for 'docs/postmortems/2024-04-10-dns.md': set postmortems.url "
	                    "in .pmsync.conf or add an origin remote");
	assert_int_equal(w->mem.writes, 0);
}

/* The search lags: what the last run made is not listed yet. */
static void test_listing_lags(void **state)
{
	struct world *w = *state;
	size_t writes;

	add_item(&w->set.v[1], "k6", "Page on SERVFAIL", NULL, NULL, NULL);
	w->mem.lag = true;
	w->mem.lag_from = 0;
	assert_int_equal(run(w), 0);
	writes = w->mem.writes;
	assert_int_equal(run(w), 0); /* nothing listed: found by id */
	assert_int_equal(w->mem.writes, writes);
	assert_int_equal(w->plan.creates, 0);
	w->mem.lag = false;
	assert_one_ticket_per_item(w);
}

static void test_partial_failure(void **state)
{
	struct world *w = *state;

	w->mem.fault = MEM_FAULT_ELEMENT;
	w->mem.fail_at = 1;
	assert_int_equal(run(w), PM_EPARTIAL);
	assert_int_equal(w->mem.created, 4);
	assert_int_equal(change(w, "k1")->outcome, PM_ETRACKER);
	assert_string_equal(change(w, "k1")->message, "mem: title is invalid");
	assert_true(change(w, "k2")->applied);
	assert_int_equal(run(w), 0);
	assert_int_equal(change(w, "k1")->kind, SYNC_CREATE);
	assert_one_ticket_per_item(w);
}

/* A create whose response is lost is looked up by its id in the same run. */
static void test_lost_response_confirmed(void **state)
{
	struct world *w = *state;
	size_t i;

	w->mem.fault = MEM_FAULT_APPLY_FAIL;
	w->mem.fail_at = 1;
	assert_int_equal(run(w), 0);
	assert_true(w->mem.fired);
	assert_int_equal(w->mem.created, 5);
	for (i = 0; i < w->plan.nr; i++) {
		assert_int_equal(w->plan.v[i].outcome, 0);
		assert_true(w->plan.v[i].applied);
		assert_true(w->plan.v[i].has_ticket);
	}
	assert_one_ticket_per_item(w); /* the markers went on in the same run */
}

/*
 * A run dies after its creates; the postmortem is edited; the next run
 * recovers the tickets and dies between linking them and updating them.
 * The third run must still bring the edit in (not take it for drift).
 */
static void test_recover_then_update_interrupted(void **state)
{
	struct world *w = *state;

	w->mem.fault = MEM_FAULT_KILL_AFTER;
	w->mem.fail_at = 1; /* the create call */
	(void)run(w);
	assert_int_equal(w->mem.created, 5);
	set_str(&item(w, "k1")->text, "Add an alert on replication lag over 30s");
	set_str(&item(w, "k1")->markdown, "Add an alert on replication lag over 30s");
	w->mem.fault = MEM_FAULT_KILL_AFTER;
	w->mem.fail_at = 1; /* the marker call: the first write of the second run */
	w->mem.writes = 0;
	w->mem.fired = false;
	(void)run(w);
	assert_int_equal(change(w, "k1")->kind, SYNC_RECOVER);
	assert_int_equal(change(w, "k1")->update_mask, TF_TITLE | TF_DESCRIPTION);
	assert_string_equal(ticket_for(w, "k1")->fields.title, "Add an alert on replication lag");
	w->mem.fault = MEM_FAULT_NONE;
	assert_int_equal(run(w), 0);
	assert_int_equal(change(w, "k1")->kind, SYNC_UPDATE);
	assert_int_equal(change(w, "k1")->drift_mask, 0);
	assert_string_equal(ticket_for(w, "k1")->fields.title,
	                    "Add an alert on replication lag over 30s");
	assert_one_ticket_per_item(w);
	assert_int_equal(w->mem.created, 5);
}

/*
 * An adoption killed between its marker and its update: the marker records
 * what the ticket held, so the next run writes the postmortem's values as a
 * change of the postmortem, not as drift.
 */
static void test_adopt_interrupted(void **state)
{
	struct world *w = *state;
	const struct tracker_ticket *tk;
	const struct sync_change *c;
	size_t writes;

	assert_int_equal(run(w), 0);
	mem_tracker_seed(&w->mem, "ENG-77", "Replication lag alerting");
	add_adopting(w, "ENG-77", "Add a lag alert");
	w->mem.fault = MEM_FAULT_KILL_AFTER;
	w->mem.fail_at = 1; /* the marker call: the first write of this run */
	w->mem.writes = 0;
	w->mem.fired = false;
	(void)run(w);
	assert_true(w->mem.fired);
	assert_int_equal(change(w, "t:ENG-77")->kind, SYNC_ADOPT);
	tk = ticket_for(w, "t:ENG-77");
	assert_string_equal(tk->fields.title, "Replication lag alerting");
	assert_string_equal(tk->marker.written.title, "Replication lag alerting");

	w->mem.fault = MEM_FAULT_NONE;
	assert_int_equal(run(w), 0);
	c = change(w, "t:ENG-77");
	assert_int_equal(c->kind, SYNC_UPDATE);
	assert_int_equal(c->update_mask, TF_TITLE | TF_DESCRIPTION | TF_ASSIGNEE | TF_LABELS);
	assert_int_equal(c->drift_mask, 0);
	assert_string_equal(ticket_for(w, "t:ENG-77")->fields.title, "Add a lag alert");
	writes = w->mem.writes;
	assert_int_equal(run(w), 0);
	assert_int_equal(w->mem.writes, writes);
	assert_one_ticket_per_item(w);
}

/* Even a plan that names another repository's ticket does not get it touched. */
static void test_apply_guards_other_repo(void **state)
{
	struct world *w = *state;
	struct sync_plan plan = SYNC_PLAN_INIT;
	struct sync_change *c;
	struct tracker_ticket *theirs;
	struct sync_options o;

	theirs = mem_tracker_seed(&w->mem, "ENG-600", "Theirs");
	theirs->has_marker = true;
	theirs->marker.repo_id = xstrdup("acme/other");
	theirs->marker.item_key = xstrdup("k1");
	plan.v = xcalloc(2, sizeof(*plan.v));
	plan.nr = plan.alloc = 2;
	for (c = plan.v; c < plan.v + 2; c++) {
		c->key = xstrdup("k1");
		c->ticket_id = xstrdup(theirs->id);
		mem_tracker_copy_ticket(&c->ticket, theirs);
		c->has_ticket = true;
		tracker_fields_init(&c->desired);
		c->desired.title = xstrdup("Ours");
		tracker_fields_init(&c->marker.written);
	}
	plan.v[0].kind = SYNC_UPDATE;
	plan.v[0].update_mask = TF_TITLE;
	plan.v[0].write_marker = true;
	plan.v[1].kind = SYNC_CANCEL;
	plan.cancels = 1;
	default_opts(&o);
	assert_int_equal(sync_apply(&plan, &w->cfg, &w->mem.base, NULL, &o), PM_EPARTIAL);
	assert_int_equal(w->mem.writes, 0);
	assert_int_not_equal(plan.v[0].outcome, 0);
	assert_int_not_equal(plan.v[1].outcome, 0);
	assert_string_equal(theirs->fields.title, "Theirs");
	assert_int_equal(theirs->status, TRACKER_OPEN);
	sync_plan_release(&plan);
}

/*
 * Interruption: a world with every kind of write pending (two batches of
 * creates, markers, an adoption, updates, a cancel); for every fault mode
 * and every N, the Nth write call fails or the process dies around it, with
 * or without the state file lost; the next runs converge to one ticket per
 * item and then go quiet.
 */
static void busy_world(struct world *w)
{
	struct action_item *it;
	size_t i;

	world_init(w);
	w->cfg.removed = PM_REMOVED_CANCEL;
	w->cfg.max_changes = 1000;
	assert_int_equal(run(w), 0);
	mem_tracker_seed(&w->mem, "ENG-900", "A hand-made ticket");
	for (i = 0; i < 55; i++) {
		char key[16], text[64];
		snprintf(key, sizeof(key), "n%02zu", i);
		snprintf(text, sizeof(text), "New action number %zu", i);
		add_item(&w->set.v[i % 2], key, text, i % 3 ? "alice" : NULL, NULL, "test");
	}
	it = add_item(&w->set.v[0], "t:ENG-900", "Adopt me", "alice", NULL, NULL);
	it->ticket = xstrdup("ENG-900");
	it->ticket_key = xstrdup("ENG-900");
	it->ticket_kind = PM_TICKET_KEY;
	set_str(&item(w, "k1")->due, "2024-08-08");
	set_str(&item(w, "k4")->text, "Lower the DNS TTL a day before migrations");
	remove_item(&w->set.v[0], 1); /* k2: cancelled */
	w->mem.writes = 0;
}

static void check_converged(struct world *w, const char *what)
{
	size_t rounds, writes;

	for (rounds = 0; rounds < 3; rounds++) {
		writes = w->mem.writes;
		if (run(w) != 0)
			fail_msg("%s: rerun %zu failed: %s", what, rounds + 1, pm_error_message());
		if (w->mem.writes == writes)
			break;
	}
	if (rounds == 3)
		fail_msg("%s: still writing after 3 reruns", what);
	assert_one_ticket_per_item(w);
	assert_int_equal(ticket_for(w, "k2")->status, TRACKER_CANCELED);
	assert_string_equal(ticket_for(w, "k1")->fields.due, "2024-08-08");
	assert_string_equal(ticket_for(w, "k4")->fields.title,
	                    "Lower the DNS TTL a day before migrations");
	assert_string_equal(ticket_for(w, "t:ENG-900")->ref, "ENG-900");
	/* the adoption brought the row's values in, as a change, never as drift */
	assert_string_equal(ticket_for(w, "t:ENG-900")->fields.title, "Adopt me");
	assert_int_equal(change(w, "t:ENG-900")->drift_mask, 0);
}

static void test_interruption(void **unused)
{
	static const enum mem_fault faults[] = {MEM_FAULT_FAIL, MEM_FAULT_APPLY_FAIL,
	                                        MEM_FAULT_KILL_BEFORE, MEM_FAULT_KILL_AFTER,
	                                        MEM_FAULT_ELEMENT};
	struct world w;
	size_t total, f, n, lose;
	char what[96];

	(void)unused;
	busy_world(&w);
	assert_int_equal(run(&w), 0);
	total = w.mem.writes;
	assert_true(total >= 5); /* creates x2, markers x2, updates, cancel */
	check_converged(&w, "clean");
	world_release(&w);

	for (f = 0; f < ARRAY_SIZE(faults); f++)
		for (n = 1; n <= total; n++)
			for (lose = 0; lose < 2; lose++) {
				snprintf(what, sizeof(what), "%s at write %zu%s",
				         mem_fault_names[faults[f]], n,
				         lose ? ", state file lost" : "");
				busy_world(&w);
				w.mem.fault = faults[f];
				w.mem.fail_at = n;
				(void)run(&w);
				if (!w.mem.fired)
					fail_msg("%s: the fault never fired", what);
				if (lose)
					unlink(w.state_path);
				w.mem.fault = MEM_FAULT_NONE;
				check_converged(&w, what);
				world_release(&w);
			}
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
	        cmocka_unit_test_setup_teardown(test_first_sync_creates_each_once, setup_world,
	                                        teardown_world),
	        cmocka_unit_test_setup_teardown(test_settled_state_skips_lookup, setup_world,
	                                        teardown_world),
	        cmocka_unit_test_setup_teardown(test_owner_ids_checked, setup_world,
	                                        teardown_world),
	        cmocka_unit_test_setup_teardown(test_deleted_ticket_new_id, setup_world,
	                                        teardown_world),
	        cmocka_unit_test(test_three_way_table),
	        cmocka_unit_test_setup_teardown(test_edit_updates, setup_world, teardown_world),
	        cmocka_unit_test_setup_teardown(test_adopt, setup_world, teardown_world),
	        cmocka_unit_test_setup_teardown(test_adopt_guards, setup_world, teardown_world),
	        cmocka_unit_test(test_removed_item),
	        cmocka_unit_test(test_not_created),
	        cmocka_unit_test(test_unreadable_and_missing),
	        cmocka_unit_test_setup_teardown(test_max_changes, setup_world, teardown_world),
	        cmocka_unit_test_setup_teardown(test_since, setup_world, teardown_world),
	        cmocka_unit_test_setup_teardown(test_only_paths, setup_world, teardown_world),
	        cmocka_unit_test(test_other_repo_untouched),
	        cmocka_unit_test_setup_teardown(test_rekeyed_item, setup_world, teardown_world),
	        cmocka_unit_test_setup_teardown(test_second_marker, setup_world, teardown_world),
	        cmocka_unit_test_setup_teardown(test_explicit_ids_across_postmortems, setup_world,
	                                        teardown_world),
	        cmocka_unit_test_setup_teardown(test_offline_and_dry_run, setup_world,
	                                        teardown_world),
	        cmocka_unit_test_setup_teardown(test_state_lost_and_rebuilt, setup_world,
	                                        teardown_world),
	        cmocka_unit_test_setup_teardown(test_no_url, setup_world, teardown_world),
	        cmocka_unit_test_setup_teardown(test_listing_lags, setup_world, teardown_world),
	        cmocka_unit_test_setup_teardown(test_partial_failure, setup_world, teardown_world),
	        cmocka_unit_test_setup_teardown(test_lost_response_confirmed, setup_world,
	                                        teardown_world),
	        cmocka_unit_test_setup_teardown(test_apply_guards_other_repo, setup_world,
	                                        teardown_world),
	        cmocka_unit_test_setup_teardown(test_recover_then_update_interrupted, setup_world,
	                                        teardown_world),
	        cmocka_unit_test_setup_teardown(test_adopt_interrupted, setup_world,
	                                        teardown_world),
	        cmocka_unit_test(test_interruption),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
