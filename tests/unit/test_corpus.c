/*
 * The reader against real postmortems: replays every file of the shared
 * corpus ($PMSYNC_SHARED/corpus/files, default ../shared from the
 * repository root), none of which may fail or give a malformed item, and
 * compares the items of the files that corpus/expected.md describes with
 * the table below, written from that description by hand (action prefix,
 * owner, ticket, status). Where expected.md gives two readings the comment
 * on the file says which one pmsync takes. Without the corpus the tests say
 * "skip: shared corpus not found" and are skipped.
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

#include "util/compat.h"
#include "postmortems/label.h"
#include "postmortems/parse.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "tests/unit/corpus_dir.h"

enum { OPEN = PM_ITEM_OPEN, DONE = PM_ITEM_DONE };

struct want {
	const char *prefix; /* the action's first words */
	const char *owner;  /* NULL: none */
	const char *ticket; /* NULL: none */
	int status;
};

struct expected_file {
	const char *name;
	size_t count;
	const struct want *items; /* NULL: only the count is checked */
};

#define GH_ETCD "https://github.com/etcd-io/etcd/"

static const struct want f01[] = {
        {"etcd testing can reproduce historical data inconsistency issues", NULL,
         GH_ETCD "issues/14045", DONE},
        {"etcd detects data corruption by default", NULL, GH_ETCD "issues/14039", DONE},
        {"etcd testing is high quality", NULL, GH_ETCD "issues/13637", OPEN},
        {"etcd apply code should be easy to understand", NULL, NULL, OPEN},
        {"Critical etcd features are not abandoned", NULL, GH_ETCD "issues/13775", DONE},
        {"etcd is continuously qualified with failure injection", NULL, GH_ETCD "pull/14911", DONE},
        {"etcd can reliably detect data corruption (hash is linearizable)", NULL, NULL, OPEN},
        {"etcd checks consistency of snapshots", NULL, GH_ETCD "issues/13973", DONE},
        {"etcd recovery from data inconsistency procedures", NULL, NULL, OPEN},
        {"etcd can imminently detect and recover", NULL, GH_ETCD "issues/13839", OPEN},
};

/* "n/a" is no ticket; the status glued to the Bug cell is removed from it. */
static const struct want f02[] = {
        {"Update playbook with instructions", "jennifer", NULL, DONE},
        {"Use flux capacitor to balance load", "martym", "Bug #5554823", OPEN},
        {"Schedule cascading failure test", "docbrown", NULL, OPEN},
        {"Investigate running index MR/fusion", "jennifer", "Bug #5554824", OPEN},
        {"Plug file descriptor leak", "agoogler", "Bug #5554825", DONE},
        {"Add load shedding capabilities", "agoogler", "Bug #5554826", OPEN},
        {"Build regression tests to ensure servers", "clarac", "Bug #5554827", OPEN},
        {"Deploy updated search ranking subsystem", "jennifer", NULL, DONE},
        {"Freeze production until 2015-11-20", "docbrown", NULL, OPEN},
};

/* Two readings: pmsync reads only the action section, so 2 (not 3 with the stray TODO). */
static const struct want f03[] = {
        {"Raise annotationConsistencyTooEventual threshold.", "martym", NULL, OPEN},
        {"Return instance count to normal", "docbrown", NULL, OPEN},
};

/* Two readings: pmsync drops the placeholder row "... another item", so 4 (not 5). */
static const struct want f04[] = {
        {"Development of Release Process", NULL, NULL, OPEN},
        {"Remove publication from app stores", "Andre", NULL, DONE},
        {"Figure out auto-update process", "jakubgs", NULL, DONE},
        {"explore future beta channel options", "andre", NULL, OPEN},
};

static const struct want f08[] = {
        {"Investigate in more detail the root causes", NULL, NULL, OPEN},
        {"Implement immediate actions to address [the issue].", NULL, NULL, OPEN},
};

static const struct want f09[] = {
        {"Examiner en d\xc3\xa9tail", NULL, NULL, OPEN},
        {"Mettre en \xc5\x93uvre des mesures imm\xc3\xa9"
         "diates",
         NULL, NULL, OPEN},
};

/* The Bug column holds statuses: no tickets. */
static const struct want f10[] = {
        {"Apply the smallest fix patches to prod.", "Core-1 team", NULL, DONE},
        {"Bundle everything into code/ binary", "Core-1 team", NULL, DONE},
        {"Validator upgrade instructions should be zero", "Core-1 team", NULL, DONE},
        {"More multinode upgrade e2e tests", "Core-1 team", NULL, DONE},
        {"Add more logs to chain start and upgrade steps", "Core-1 team", NULL, OPEN},
        {"Multi node setup to replicate any mainnet state", "Core-1 team", NULL, DONE},
        {"Discuss potential improvements to upgrade handler", "Core-1 team", NULL, OPEN},
};

/* The ticket comes from the "Type" column's link. */
static const struct want f12[] = {
        {"Patch for our Cosmos-SDK-LSM fork", "Maksim",
         "https://github.com/persistenceOne/cosmos-sdk/pull/8", DONE},
        {"Writing state migration code", "Puneet",
         "https://github.com/persistenceOne/persistenceCore/pull/242", DONE},
        {"Testing the fork instructions on testnet and mainnet", "Puneet", NULL, DONE},
        {"E2E integration test that reproduces the issue", "Maksim",
         "https://github.com/persistenceOne/persistenceCore/pull/242", DONE},
};

/* item->text collapses the double space of the first action; item->markdown keeps it. */
static const struct want f14[] = {
        {"Handbook update with instructions for load balancer failure response", "Juan Alberto",
         NULL, DONE},
        {"Puppet manifests with different configurations", "Santiago", "Bug 5234823", OPEN},
        {"Schedule infrastructure stress tests", "Pablo", NULL, OPEN},
        {"Single point of failures assessment", "Fredy", NULL, DONE},
        {"Load balancer cluster set up", "Cesar", NULL, DONE},
};

static const struct want f16[] = {
        {"Patch Majora such that the api.artifact.biosample.update endpoint", NULL,
         "https://github.com/SamStudio8/majora/commit/1fc9f7e309d9ac9f5d4895af882441969a7da471",
         DONE},
        {"Write a Majora unit test that calls the api.artifact.biosample.addempty", NULL, NULL,
         DONE},
        {"Check the collection_date, received_date and adm1 fields in Ocarina", NULL,
         "https://github.com/SamStudio8/ocarina/commit/801d2ff614e4800af3c125d28ae5bd8622514afb",
         DONE},
        {"Remove bad PublishedArtifactGroup from Majora", NULL, NULL, DONE},
        {"Suggest that someone at COG or PHA assemble a flow chart", NULL, NULL, OPEN},
        {"Suggest COG or PHA assign a business analyst", NULL, NULL, OPEN},
};

/* The "GitHub Issue" link is the ticket, as a URL. */
static const struct want f31[] = {
        {"Add log metric for \"no space left on device\" messages", NULL, NULL, DONE},
        {"Add log metric for \"Error creating user\" message", NULL, NULL, DONE},
        {"Add metrics-based alert for \"Error creating user\" messages", NULL, NULL, DONE},
        {"Enable SMTP for alerts from grafana metrics", NULL,
         "https://github.com/jupyterhub/mybinder.org-deploy/issues/365", OPEN},
        {"Investigate root cause of \"no space left on device\" messages", NULL, NULL, OPEN},
        {"Systematically cordon and cull nodes older than 3-5 days?", NULL, NULL, OPEN},
};

/* Text-less items: the bare reference is both the text and the (unresolved) ticket. */
static const struct want f36[] = {
        {"#2127", NULL, "#2127", OPEN}, {"#2213", NULL, "#2213", OPEN},
        {"#2209", NULL, "#2209", OPEN}, {"#2324", NULL, "#2324", OPEN},
        {"#2366", NULL, "#2366", OPEN},
};

/* Two readings: pmsync pulls the leading "@jsnshrmn will" out as the owner. */
static const struct want f39[] = {
        {"identify and implement a basic service deployment test procedure", "jsnshrmn", NULL,
         OPEN},
        {"identify and implement a basic service monitoring and alerting process", "jsnshrmn", NULL,
         OPEN},
};

static const struct want f47[] = {
        {"All house members must be debriefed before high risk aliens", "Rick", NULL, OPEN},
        {"App review process to require 3 reviewers before release", "Jerry", NULL, OPEN},
};

static const struct expected_file expected[] = {
        {"01-etcd-v35-data-inconsistency.md", ARRAY_SIZE(f01), f01},
        {"02-sre-book-shakespeare-example.md", ARRAY_SIZE(f02), f02},
        {"03-sre-book-production-meeting-minutes.md", ARRAY_SIZE(f03), f03},
        {"04-status-im-v1-prelaunch-release.md", ARRAY_SIZE(f04), f04},
        {"08-cds-snc-incident-report-template-en.md", ARRAY_SIZE(f08), f08},
        {"09-cds-snc-modele-rapport-incident-fr.md", ARRAY_SIZE(f09), f09},
        {"10-persistence-v3-upgrade-halt.md", ARRAY_SIZE(f10), f10},
        {"12-persistence-v911-chain-halt-bom-crlf.md", ARRAY_SIZE(f12), f12},
        {"14-holberton-memonto-lb-outage.md", ARRAY_SIZE(f14), f14},
        {"15-kehoe-template-empty-table.md", 0, NULL},
        {"16-cog-uk-blank-biosample.md", ARRAY_SIZE(f16), f16},
        {"31-mybinder-2018-03-26-no-space-left.md", ARRAY_SIZE(f31), f31},
        {"36-2i2c-2023-daskhub-evictions.md", ARRAY_SIZE(f36), f36},
        {"39-edgi-2018-10-30-incorrect-tls-certs.md", ARRAY_SIZE(f39), f39},
        {"41-edgi-2019-01-18-scraper-failure-na.md", 0, NULL},
        {"47-mentimeter-first-mortem.md", ARRAY_SIZE(f47), f47},
        {"63-dfds-postmortem-template-empty-bullets.md", 0, NULL},
        {"65-posthog-investigation-template-followups.md", 0, NULL},
};

/*
 * Per corpus file with items, the headings its items sit under ("|"
 * between them, in document order). A file left out must give no item. The
 * list shows where items come from: action-item sections, their
 * sub-headings, the lessons of a file without one, never a timeline, an
 * impact list or a root cause (test_sections checks that too, by name).
 */
static const struct {
	const char *name;
	const char *sections;
} item_sections[] = {
        {"01-etcd-v35-data-inconsistency.md", "Action items"},
        {"02-sre-book-shakespeare-example.md", "Action Items"},
        {"03-sre-book-production-meeting-minutes.md", "New Action Items"},
        {"04-status-im-v1-prelaunch-release.md", "Action Items"},
        {"08-cds-snc-incident-report-template-en.md", "Action Items:"},
        {"09-cds-snc-modele-rapport-incident-fr.md", "\xc3\x89l\xc3\xa9ments d\xe2\x80\x99"
                                                     "action :"},
        {"10-persistence-v3-upgrade-halt.md", ""},
        {"11-persistence-v4-upgrade-halt.md", ""},
        {"12-persistence-v911-chain-halt-bom-crlf.md", "Action Items"},
        {"14-holberton-memonto-lb-outage.md", "Corrective and preventative measures"},
        {"16-cog-uk-blank-biosample.md", "Corrective actions"},
        {"17-cog-uk-unpublish.md", "Corrective actions"},
        {"18-cog-uk-foel-listener-failure.md", "Corrective actions"},
        {"19-dfds-pm2019-009-ip-starvation.md", "Action Items"},
        {"20-dfds-pm2022-009-bad-eks-ami-noext.md", "Action Items"},
        {"22-dfds-pm2020-003-adsync-migration.md", "Action Items"},
        {"25-posthog-flags-recurring-outages.md",
         "Immediate Actions (Completed)|Short-term Improvements (Tracked in GitHub Issue "
         "#40885)|Medium-term Improvements|Long-term Improvements"},
        {"26-posthog-persons-db-migration-setext.md",
         "Immediate actions (completed)|Planned actions (planned or in-progress)"},
        {"29-mybinder-2017-09-27-hub-403.md", "BinderHub|Deployment|Local development"},
        {"30-mybinder-2018-02-20-jupyterlab-announcement.md",
         "JupyterHub|Zero-to-JupyterHub|BinderHub|Deployment"},
        {"31-mybinder-2018-03-26-no-space-left.md", "Action items"},
        {"32-mybinder-2018-04-18-cull-flood.md", "Action items"},
        {"33-mybinder-2020-07-09-scipy-launches.md",
         "Process improvements|Documentation improvements|Code and Configuration changes"},
        {"34-mybinder-2018-07-08-podsnips.md",
         "Process improvements|Documentation improvements|Technical improvements"},
        {"35-2i2c-2020-memory-overload.md", "Action Items"},
        {"36-2i2c-2023-daskhub-evictions.md", "Follow-up improvements"},
        {"38-2i2c-2025-cloudbank-healthcheck.md", "Action Items"},
        {"39-edgi-2018-10-30-incorrect-tls-certs.md", "Action Items"},
        {"40-edgi-2018-10-10-differ-locked-cluster.md", "Action Items"},
        {"43-optimism-2022-02-02-inflation-vuln.md",
         "Conclusion regarding the introduction of the bug|Maximizing the effectiveness of our bug "
         "reporting channels|Disclosing to infrastructure operators and forks|Public "
         "disclosure|Alerting"},
        {"47-mentimeter-first-mortem.md", "Corrective Actions with Owners"},
        {"48-k8s-test-infra-2019-02-05-prow.md", "Action items"},
        {"50-k8s-test-infra-2019-01-23-prow-config.md", "Action Items"},
        {"51-portswigger-2024-10-saas-outage.md", "Corrective and Preventative Measures"},
        {"54-learningequality-cloudflare-migration.md", "Corrective actions"},
        {"56-terra-secops-review-52-items.md", "Action Items"},
        {"57-yearn-2023-12-11-next-steps.md", "Next Steps"},
};

/* Headings that tell what happened: no item may come from under one. */
static const char *const history[] = {"timeline",
                                      "impact",
                                      "root cause",
                                      "what happened",
                                      "contributing factor",
                                      "went wrong",
                                      "went well",
                                      "got lucky",
                                      NULL};

static int read_and_parse(struct postmortem *pm, struct diags *diags, const char *dir,
                          const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char *path = xasprintf("%s/%s", dir, name);
	int err;

	postmortem_init(pm);
	pm->path = xstrdup(name);
	err = strbuf_read_file(&sb, path, 0);
	if (!err)
		err = parse_postmortem(pm, sb.buf, sb.len, NULL, diags);
	strbuf_release(&sb);
	free(path);
	return err;
}

static void check_items_wellformed(const char *name, const struct postmortem *pm)
{
	size_t i;

	for (i = 0; i < pm->items_nr; i++) {
		const struct action_item *it = &pm->items[i];
		if (!it->text || !it->text[0] || !it->markdown || it->line < 1 || it->col < 1)
			fail_msg("%s: item %zu is malformed", name, i);
		if (strchr(it->text, '\r') || (it->owner && strchr(it->owner, '\r')) ||
		    (it->ticket && strchr(it->ticket, '\r')))
			fail_msg("%s: item %zu holds a carriage return", name, i);
		if (it->ticket_kind == PM_TICKET_NONE && it->ticket)
			fail_msg("%s: item %zu has a ticket of kind none", name, i);
	}
}

static void replay_one(struct postmortem *pm, void *data)
{
	(void)data;
	if (pm->unreadable)
		fail_msg("%s: unreadable", pm->path);
	check_items_wellformed(pm->path, pm);
}

static void test_replay_all(void **state)
{
	char *dir = corpus_dir(), *bad = NULL;
	long files;

	(void)state;
	if (!dir) {
		printf("skip: shared corpus not found\n");
		skip();
	}
	files = corpus_each(dir, replay_one, NULL, &bad);
	if (files < 0)
		fail_msg("%s: cannot be read or parsed", bad);
	free(dir);
	assert_true(files >= 51);
}

static void test_expected(void **state)
{
	char *dir = corpus_dir();
	size_t i, j;

	(void)state;
	if (!dir) {
		printf("skip: shared corpus not found\n");
		skip();
	}
	for (i = 0; i < ARRAY_SIZE(expected); i++) {
		const struct expected_file *e = &expected[i];
		struct postmortem pm;
		struct diags diags = DIAGS_INIT;

		assert_int_equal(read_and_parse(&pm, &diags, dir, e->name), 0);
		if (pm.items_nr != e->count)
			fail_msg("%s: %zu items, want %zu", e->name, pm.items_nr, e->count);
		for (j = 0; e->items && j < e->count; j++) {
			const struct action_item *it = &pm.items[j];
			const struct want *w = &e->items[j];
			if (strncmp(it->text, w->prefix, strlen(w->prefix)))
				fail_msg("%s: item %zu is '%s', want '%s...'", e->name, j + 1,
				         it->text, w->prefix);
			if ((it->owner || w->owner) &&
			    (!it->owner || !w->owner || strcmp(it->owner, w->owner)))
				fail_msg("%s: item %zu owner '%s', want '%s'", e->name, j + 1,
				         it->owner ? it->owner : "-", w->owner ? w->owner : "-");
			if ((it->ticket || w->ticket) &&
			    (!it->ticket || !w->ticket || strcmp(it->ticket, w->ticket)))
				fail_msg("%s: item %zu ticket '%s', want '%s'", e->name, j + 1,
				         it->ticket ? it->ticket : "-",
				         w->ticket ? w->ticket : "-");
			if ((int)it->status != w->status)
				fail_msg("%s: item %zu status %d, want %d", e->name, j + 1,
				         it->status, w->status);
			/* no real postmortem of the corpus has a due date per item */
			if (it->due || it->due_raw)
				fail_msg("%s: item %zu has a due date", e->name, j + 1);
		}
		postmortem_release(&pm);
		diags_release(&diags);
	}
	free(dir);
}

/* Details of the corpus that the table cannot say. */
static void test_corpus_details(void **state)
{
	char *dir = corpus_dir();
	struct postmortem pm;
	struct diags diags = DIAGS_INIT;

	(void)state;
	if (!dir) {
		printf("skip: shared corpus not found\n");
		skip();
	}
	/* the markdown keeps the double space that the text collapses */
	read_and_parse(&pm, &diags, dir, "14-holberton-memonto-lb-outage.md");
	assert_string_equal(
	        pm.items[0].markdown,
	        "Handbook update  with instructions for load balancer failure response");
	assert_string_equal(pm.items[0].lever, "mitigate");
	postmortem_release(&pm);

	/* not the Responders list, not the "Authors" metadata */
	read_and_parse(&pm, &diags, dir, "01-etcd-v35-data-inconsistency.md");
	assert_string_equal(pm.items[0].lever, "prevent");
	assert_string_equal(pm.items[0].priority, "P0");
	assert_int_equal(pm.items[0].ticket_kind, PM_TICKET_GITHUB);
	postmortem_release(&pm);

	/* the sub-bullet is a note of its item, not an item */
	read_and_parse(&pm, &diags, dir, "47-mentimeter-first-mortem.md");
	assert_string_equal(pm.date, "2020-07-01");
	assert_string_equal(pm.items[0].extra[0].name, "notes");
	postmortem_release(&pm);

	/* '# ' lines inside fenced code are not headings */
	read_and_parse(&pm, &diags, dir, "07-off-2023-07-16-ovh3-sdc-broken.md");
	assert_int_equal(pm.items_nr, 0);
	for (size_t i = 0; i < pm.headings_nr; i++)
		assert_true(strncmp(pm.headings[i], "zpool", 5));
	postmortem_release(&pm);

	/* a blank line before the closing "---" */
	read_and_parse(&pm, &diags, dir, "61-icco-simpledb-summary-frontmatter.md");
	assert_string_equal(postmortem_meta(&pm, "company"), "Amazon");
	assert_string_equal(postmortem_meta(&pm, "categories"), "cloud");
	postmortem_release(&pm);

	diags_release(&diags);
	free(dir);
}

static void test_sections(void **state)
{
	char *dir = corpus_dir();
	DIR *d;
	struct dirent *de;
	size_t files = 0, listed = 0;

	(void)state;
	if (!dir) {
		printf("skip: shared corpus not found\n");
		skip();
	}
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		struct postmortem pm;
		struct diags diags = DIAGS_INIT;
		struct strbuf got = STRBUF_INIT, norm = STRBUF_INIT, one = STRBUF_INIT;
		const char *want = NULL;
		size_t i, j;

		if (de->d_name[0] == '.')
			continue;
		assert_int_equal(read_and_parse(&pm, &diags, dir, de->d_name), 0);
		for (i = 0; i < pm.items_nr; i++) {
			const struct action_item *it = &pm.items[i];
			const char *h = it->heading >= 0 ? pm.headings[it->heading] : "(none)";
			strbuf_reset(&one);
			strbuf_addf(&one, "|%s|", h);
			strbuf_reset(&norm);
			strbuf_addf(&norm, "|%s|", got.buf);
			if (!strstr(norm.buf, one.buf))
				strbuf_addf(&got, "%s%s", got.len ? "|" : "", h);
			strbuf_reset(&norm);
			label_normalize(&norm, h, strlen(h));
			for (j = 0; history[j]; j++)
				if (label_matches(norm.buf, history[j], false))
					fail_msg("%s: item on line %d comes from '%s'", de->d_name,
					         it->line, h);
		}
		for (i = 0; i < ARRAY_SIZE(item_sections); i++)
			if (!strcmp(item_sections[i].name, de->d_name))
				want = item_sections[i].sections;
		if (want || got.len) {
			if (!want || strcmp(got.buf, want))
				fail_msg("%s: items from '%s', want '%s'", de->d_name, got.buf,
				         want ? want : "(no item)");
			listed++;
		}
		strbuf_release(&got);
		strbuf_release(&norm);
		strbuf_release(&one);
		postmortem_release(&pm);
		diags_release(&diags);
		files++;
	}
	closedir(d);
	free(dir);
	assert_int_equal(listed, ARRAY_SIZE(item_sections));
	printf("items of %zu corpus files come from the sections listed, none from a "
	       "timeline, impact or root cause (%zu files read)\n",
	       listed, files);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_replay_all),
	        cmocka_unit_test(test_expected),
	        cmocka_unit_test(test_corpus_details),
	        cmocka_unit_test(test_sections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
