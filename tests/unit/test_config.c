/*
 * Tests of config/ (config.c and the scan, entry, key and value modules it
 * reads through), by way of its public interface: defaults, every key,
 * multi-valued keys replacing their defaults, and every kind of error with
 * its file, line and wording (unknown keys with a suggestion, bad values,
 * include sections, secrets that must never be echoed, syntax errors from
 * libgit2). Each table row is one configuration text and what reading it
 * must give.
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
#include <unistd.h>

#include "util/compat.h"
#include "config/config.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static int read_text(struct config *cfg, const char *text)
{
	return config_read_buffer(cfg, text, strlen(text), ".pmsync.conf");
}

static void join(struct strbuf *sb, const struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		strbuf_addf(sb, "%s%s", i ? "|" : "", l->v[i]);
}

static void add_str(struct strbuf *sb, const char *s)
{
	strbuf_addstr(sb, s ? s : "(null)");
}

/* The value of one key as a string, the way the tables below write it. */
static char *describe(const struct config *cfg, const char *key)
{
	static const char *const kinds[] = {"none", "linear", "jira"};
	struct strbuf sb = STRBUF_INIT;

	if (!strcmp(key, "postmortems.path"))
		add_str(&sb, cfg->pm_path);
	else if (!strcmp(key, "postmortems.include"))
		join(&sb, &cfg->include);
	else if (!strcmp(key, "postmortems.exclude"))
		join(&sb, &cfg->exclude);
	else if (!strcmp(key, "postmortems.heading"))
		join(&sb, &cfg->headings);
	else if (!strcmp(key, "postmortems.url"))
		add_str(&sb, cfg->url_template);
	else if (!strcmp(key, "postmortems.since"))
		add_str(&sb, cfg->since);
	else if (!strcmp(key, "tracker.kind"))
		strbuf_addstr(&sb, kinds[cfg->tracker]);
	else if (!strcmp(key, "linear.url"))
		add_str(&sb, cfg->linear_url);
	else if (!strcmp(key, "linear.team"))
		add_str(&sb, cfg->linear_team);
	else if (!strcmp(key, "jira.url"))
		add_str(&sb, cfg->jira_url);
	else if (!strcmp(key, "jira.project"))
		add_str(&sb, cfg->jira_project);
	else if (!strcmp(key, "jira.issueType"))
		add_str(&sb, cfg->jira_issue_type);
	else if (!strcmp(key, "jira.deployment"))
		add_str(&sb, cfg->jira_deployment);
	else if (!strcmp(key, "sync.stateFile"))
		add_str(&sb, cfg->state_file);
	else if (!strcmp(key, "sync.removed"))
		strbuf_addstr(&sb, cfg->removed == PM_REMOVED_CANCEL ? "cancel" : "keep");
	else if (!strcmp(key, "sync.maxChanges"))
		strbuf_addf(&sb, "%ld", cfg->max_changes);
	else if (!strcmp(key, "sync.label"))
		add_str(&sb, cfg->label);
	else if (!strcmp(key, "sync.leverLabelPrefix"))
		add_str(&sb, cfg->lever_label_prefix);
	else if (!strcmp(key, "sync.repoId"))
		add_str(&sb, cfg->repo_id);
	else if (!strcmp(key, "lint.section"))
		join(&sb, &cfg->sections);
	else if (!strcmp(key, "lint.lever"))
		join(&sb, &cfg->levers);
	else if (!strcmp(key, "lint.vague"))
		join(&sb, &cfg->vague);
	else if (!strcmp(key, "owners")) {
		size_t i;

		for (i = 0; i < cfg->owners_nr; i++) {
			const struct config_owner *o = &cfg->owners[i];

			strbuf_addf(&sb, "%s%s:", i ? "|" : "", o->handle);
			add_str(&sb, o->email);
			strbuf_addch(&sb, ':');
			add_str(&sb, o->linear);
			strbuf_addch(&sb, ':');
			add_str(&sb, o->jira);
			strbuf_addf(&sb, "@%d", o->line);
		}
	} else
		fail_msg("no such key in the test: %s", key);
	return strbuf_detach(&sb, NULL);
}

struct value_case {
	const char *text;
	const char *key;
	const char *want;
};

static const struct value_case defaults[] = {
        {"", "postmortems.path", "docs/postmortems"},
        {"", "postmortems.include", "*.md"},
        {"", "postmortems.exclude",
         "README.md|readme.md|TEMPLATE.md|template.md|template-*.md|_*|*-template.md"},
        {"", "postmortems.heading", ""},
        {"", "postmortems.url", "(null)"},
        {"", "postmortems.since", "(null)"},
        {"", "tracker.kind", "none"},
        {"", "linear.url", "https://api.linear.app/graphql"},
        {"", "linear.team", "(null)"},
        {"", "jira.url", "(null)"},
        {"", "jira.project", "(null)"},
        {"", "jira.issueType", "Task"},
        {"", "jira.deployment", "(null)"},
        {"", "sync.stateFile", ".pmsync/state.json"},
        {"", "sync.removed", "keep"},
        {"", "sync.maxChanges", "50"},
        {"", "sync.label", "pmsync"},
        {"", "sync.leverLabelPrefix", "lever:"},
        {"", "sync.repoId", "(null)"},
        {"", "lint.section",
         "Summary & impact|Timeline|Detection chain|Root cause|What went well|What went wrong|"
         "Action items|Blameless lessons"},
        {"", "lint.lever", "test|runbook|alert|code|prompt|eval"},
        {"", "lint.vague",
         "we should consider|should consider|consider|look into|looking into|maybe|try to|"
         "investigate whether|explore|think about|if possible|ideally|tbd"},
        {"", "owners", ""},
};

static const struct value_case values[] = {
        {"[postmortems]\npath = incidents/\n", "postmortems.path", "incidents"},
        {"[postmortems]\n\tpath = docs/pm\n", "postmortems.path", "docs/pm"},
        {"[postmortems]\ninclude = *.markdown\n", "postmortems.include", "*.markdown"},
        {"[postmortems]\ninclude = a/*.md\ninclude = b/*.md\n", "postmortems.include",
         "a/*.md|b/*.md"},
        {"[postmortems]\nexclude = DRAFT-*.md\n", "postmortems.exclude", "DRAFT-*.md"},
        {"[postmortems]\nexclude =\n", "postmortems.exclude", ""},
        {"[postmortems]\nexclude = a\nexclude =\nexclude = b\n", "postmortems.exclude", "b"},
        {"[postmortems]\nheading = Follow-ups\nheading = Next steps\n", "postmortems.heading",
         "Follow-ups|Next steps"},
        {"[postmortems]\nurl = https://git.example.com/r/blob/main/{path}\n", "postmortems.url",
         "https://git.example.com/r/blob/main/{path}"},
        {"[postmortems]\nsince = 2024-02-29\n", "postmortems.since", "2024-02-29"},
        {"[tracker]\nkind = linear\n", "tracker.kind", "linear"},
        {"[tracker]\nkind = jira\n", "tracker.kind", "jira"},
        {"[Tracker]\n\tKind = None\n", "tracker.kind", "none"},
        {"[tracker] kind = linear\n", "tracker.kind", "linear"},
        {"[linear]\nurl = http://127.0.0.1:8080/graphql\n", "linear.url",
         "http://127.0.0.1:8080/graphql"},
        {"[linear]\nteam = ENG\n", "linear.team", "ENG"},
        {"[jira]\nurl = https://example.atlassian.net\n", "jira.url",
         "https://example.atlassian.net"},
        {"[jira]\nproject = OPS_2\n", "jira.project", "OPS_2"},
        {"[jira]\nissueType = Bug\n", "jira.issueType", "Bug"},
        {"[jira]\nissuetype = \"Sub task\"\n", "jira.issueType", "Sub task"},
        {"[jira]\ndeployment = cloud\n", "jira.deployment", "cloud"},
        {"[jira]\ndeployment = DataCenter\n", "jira.deployment", "datacenter"},
        {"[sync]\nstateFile = .state/pm.json\n", "sync.stateFile", ".state/pm.json"},
        {"[sync]\nremoved = cancel\n", "sync.removed", "cancel"},
        {"[sync]\nremoved = keep\n", "sync.removed", "keep"},
        {"[sync]\nmaxChanges = 0\n", "sync.maxChanges", "0"},
        {"[sync]\nmaxchanges = 500\n", "sync.maxChanges", "500"},
        {"[sync]\nmaxChanges = 3\nmaxChanges = 4\n", "sync.maxChanges", "4"},
        {"[sync]\nlabel = postmortem\n", "sync.label", "postmortem"},
        {"[sync]\nleverLabelPrefix = \"pm-lever/\"\n", "sync.leverLabelPrefix", "pm-lever/"},
        {"[sync]\nleverLabelPrefix =\n", "sync.leverLabelPrefix", ""},
        {"[sync]\nrepoId = acme/web\n", "sync.repoId", "acme/web"},
        {"[lint]\nsection = Impact\nsection = Action items\n", "lint.section",
         "Impact|Action items"},
        {"[lint]\nlever = test\nlever = docs\n", "lint.lever", "test|docs"},
        {"[lint]\nvague = \"we'll see\"\n", "lint.vague", "we'll see"},
        {"[lint]\nvague =\n", "lint.vague", ""},
        /* a list set twice in one file is one list */
        {"[lint]\nlever = a\n[sync]\nlabel = x\n[lint]\nlever = b\n", "lint.lever", "a|b"},
        /* comments, quoting and continued lines */
        {"# comment\n; another\n[sync]\nlabel = \"a;b\" ; comment\n", "sync.label", "a;b"},
        {"[sync]\nlabel = one\\\n  two\n", "sync.label", "one  two"},
        {"\xef\xbb\xbf[sync]\nlabel = bom\n", "sync.label", "bom"},
        {"[sync]\r\nlabel = crlf\r\n", "sync.label", "crlf"},
        {"[owner \"alice\"]\nemail = alice@example.com\nlinear = alice@example.com\njira = "
         "5b10ac8d\n",
         "owners", "alice:alice@example.com:alice@example.com:5b10ac8d@1"},
        {"[sync]\nlabel = x\n\n[owner \"@Bob\"]\n\tjira = bob\n", "owners",
         "Bob:(null):(null):bob@4"},
        {"[owner \"a\"]\nemail = a@x.io\n[owner \"b\"]\nemail = b@x.io\n[owner \"A\"]\njira = j\n",
         "owners", "a:a@x.io:(null):j@1|b:b@x.io:(null):(null)@3"},
};

static void check_values(const struct value_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct config cfg;
		char *got;
		int rc;

		config_init(&cfg);
		rc = read_text(&cfg, cases[i].text);
		if (rc)
			fail_msg("case %zu (%s): %s", i, cases[i].key, pm_error_message());
		got = describe(&cfg, cases[i].key);
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: %s: got '%s', want '%s'", i, cases[i].key, got,
			         cases[i].want);
		assert_string_equal(cfg.source, ".pmsync.conf");
		free(got);
		config_release(&cfg);
	}
}

static void test_defaults(void **state)
{
	struct config cfg;
	size_t i;

	(void)state;
	config_init(&cfg);
	assert_null(cfg.source);
	for (i = 0; i < ARRAY_SIZE(defaults); i++) {
		char *got = describe(&cfg, defaults[i].key);

		if (strcmp(got, defaults[i].want))
			fail_msg("%s: got '%s', want '%s'", defaults[i].key, got, defaults[i].want);
		free(got);
	}
	config_release(&cfg);
	/* an empty file changes nothing */
	check_values(defaults, ARRAY_SIZE(defaults));
}

static void test_values(void **state)
{
	(void)state;
	check_values(values, ARRAY_SIZE(values));
}

struct error_case {
	const char *text;
	const char *want;   /* the whole message */
	const char *secret; /* must not appear in the message */
};

#define INCLUDE_MSG                                                                               \
	"'include' is not allowed in .pmsync.conf: a pull request could pull in .git/config and " \
	"its tokens"

static const struct error_case errors[] = {
        /* unknown keys, with the line and the closest known key */
        {"[tracker]\nkind = linear\n\n[linear]\nurl = https://api.linear.app/graphql\n\ntema = "
         "ENG\n",
         ".pmsync.conf:7: unknown key 'linear.tema': did you mean 'linear.team'?", NULL},
        {"[sync]\nmaxChange = 3\n",
         ".pmsync.conf:2: unknown key 'sync.maxChange': did you mean "
         "'sync.maxChanges'?",
         NULL},
        {"[trackr]\nkind = jira\n",
         ".pmsync.conf:2: unknown key 'trackr.kind': did you mean 'tracker.kind'?", NULL},
        {"[sync]\ncolour = blue\n", ".pmsync.conf:2: unknown key 'sync.colour'", NULL},
        {"[linear \"x\"]\nteam = ENG\n",
         ".pmsync.conf:2: unknown key 'linear.x.team': did you mean 'linear.team'?", NULL},
        {"kind = linear\n", ".pmsync.conf:1: unknown key 'kind': did you mean 'tracker.kind'?",
         NULL},
        {"[owner \"al\"]\nemial = al@x.io\n",
         ".pmsync.conf:2: unknown key 'owner.al.emial': did you mean 'owner.al.email'?", NULL},
        {"[owner]\nemail = al@x.io\n",
         ".pmsync.conf:2: 'owner.email' needs a handle: write [owner \"alice\"] and 'email = ...'",
         NULL},
        /* bad values */
        {"[tracker]\n\n  kind = lineer\n",
         ".pmsync.conf:3: bad value 'lineer' for 'tracker.kind': expected none, linear or jira",
         NULL},
        {"[tracker]\nkind\n", ".pmsync.conf:2: 'tracker.kind' needs a value: write 'kind = ...'",
         NULL},
        {"[sync]\nmaxChanges = abc\n",
         ".pmsync.conf:2: bad value 'abc' for 'sync.maxChanges': expected a whole number, 0 or "
         "more",
         NULL},
        {"[sync]\nmaxChanges = -1\n",
         ".pmsync.conf:2: bad value '-1' for 'sync.maxChanges': expected a whole number, 0 or more",
         NULL},
        {"[sync]\nmaxChanges = 99999999999999999999999\n",
         ".pmsync.conf:2: bad value '99999999999999999999999' for 'sync.maxChanges': expected a "
         "whole number, 0 or more",
         NULL},
        {"[sync]\nmaxChanges = 5x\n",
         ".pmsync.conf:2: bad value '5x' for 'sync.maxChanges': expected a whole number, 0 or more",
         NULL},
        {"[postmortems]\nsince = 2026-13-01\n",
         ".pmsync.conf:2: bad value '2026-13-01' for 'postmortems.since': expected a date as "
         "YYYY-MM-DD",
         NULL},
        {"[postmortems]\nsince = 2025-02-29\n",
         ".pmsync.conf:2: bad value '2025-02-29' for 'postmortems.since': expected a date as "
         "YYYY-MM-DD",
         NULL},
        {"[postmortems]\nsince = 1/2/2025\n",
         ".pmsync.conf:2: bad value '1/2/2025' for 'postmortems.since': expected a date as "
         "YYYY-MM-DD",
         NULL},
        {"[sync]\nremoved = delete\n",
         ".pmsync.conf:2: bad value 'delete' for 'sync.removed': expected keep or cancel", NULL},
        {"[linear]\nteam = en-g\n",
         ".pmsync.conf:2: bad value 'en-g' for 'linear.team': expected a team key, such as ENG "
         "(any case)",
         NULL},
        {"[linear]\nurl = api.linear.app\n",
         ".pmsync.conf:2: bad value 'api.linear.app' for 'linear.url': expected an http(s) URL",
         NULL},
        {"[jira]\ndeployment = server\n",
         ".pmsync.conf:2: bad value 'server' for 'jira.deployment': expected cloud or datacenter",
         NULL},
        {"[jira]\nproject = 1OPS\n",
         ".pmsync.conf:2: bad value '1OPS' for 'jira.project': expected a project key in capitals, "
         "such as OPS",
         NULL},
        {"[postmortems]\npath = /etc\n",
         ".pmsync.conf:2: bad value '/etc' for 'postmortems.path': expected a path relative to the "
         "repository root",
         NULL},
        {"[postmortems]\npath = docs/../../x\n",
         ".pmsync.conf:2: bad value 'docs/../../x' for 'postmortems.path': expected a path "
         "relative "
         "to the repository root",
         NULL},
        {"[postmortems]\nurl = https://example.com/blob\n",
         ".pmsync.conf:2: bad value 'https://example.com/blob' for 'postmortems.url': expected an "
         "http(s) URL containing {path}",
         NULL},
        {"[owner \"al\"]\nemail = al\n",
         ".pmsync.conf:2: bad value 'al' for 'owner.al.email': expected an email address", NULL},
        {"[owner \"\"]\nemail = a@x.io\n",
         ".pmsync.conf:1: bad owner handle '': expected a handle such as \"alice\"", NULL},
        /* include and includeIf, in any spelling */
        {"[include]\n\tpath = .git/config\n", ".pmsync.conf:1: " INCLUDE_MSG, NULL},
        {"[tracker]\nkind = none\n[INCLUDE]\npath = x\n", ".pmsync.conf:3: " INCLUDE_MSG, NULL},
        {"\n  [Include]  \npath = x\n", ".pmsync.conf:2: " INCLUDE_MSG, NULL},
        {"[includeIf \"gitdir:/\"]\npath = x\n", ".pmsync.conf:1: " INCLUDE_MSG, NULL},
        {"[sync]\n[IncludeIF   \"onbranch:main\"]\npath = x\n", ".pmsync.conf:2: " INCLUDE_MSG,
         NULL},
        {"[include.x]\npath = x\n", ".pmsync.conf:1: " INCLUDE_MSG, NULL},
        {"[include \"x\"]\npath = x\n", ".pmsync.conf:1: " INCLUDE_MSG, NULL},
        {"[ include ]\npath = x\n", ".pmsync.conf:1: " INCLUDE_MSG, NULL},
        {"[sync][include]\npath = x\n", ".pmsync.conf:1: " INCLUDE_MSG, NULL},
        {"[owner \"a]b\"] [include] path = x\n", ".pmsync.conf:1: " INCLUDE_MSG, NULL},
        {"\xef\xbb\xbf[include]\npath = x\n", ".pmsync.conf:1: " INCLUDE_MSG, NULL},
        {"[sync]\nlabel = a\\\n\n[include]\npath = x\n", ".pmsync.conf:4: " INCLUDE_MSG, NULL},
        /* secrets, never echoed */
        {"[tracker]\nkind = linear\n[linear]\napiKey = lin_api_0123456789abcdef\n",
         ".pmsync.conf:4: 'linear.apiKey' holds a secret: put it in the environment as "
         "LINEAR_API_KEY, not in the repository",
         "0123456789abcdef"},
        {"[linear]\ntoken = s3cr3t-value\n",
         ".pmsync.conf:2: 'linear.token' holds a secret: put it in the environment as "
         "LINEAR_API_KEY, not in the repository",
         "s3cr3t-value"},
        {"[linear]\naccessToken = s3cr3t-value\n",
         ".pmsync.conf:2: 'linear.accessToken' holds a secret: put it in the environment as "
         "LINEAR_ACCESS_TOKEN, not in the repository",
         "s3cr3t-value"},
        {"[linear]\nteam = lin_oauth_abcdef0123\n",
         ".pmsync.conf:2: 'linear.team' holds a secret: put it in the environment as "
         "LINEAR_ACCESS_TOKEN, not in the repository",
         "abcdef0123"},
        {"[jira]\napiToken = ATATT3xFfGF0abcdefgh\n",
         ".pmsync.conf:2: 'jira.apiToken' holds a secret: put it in the environment as "
         "JIRA_API_TOKEN with JIRA_EMAIL, not in the repository",
         "abcdefgh"},
        {"[jira]\npassword = hunter2\n",
         ".pmsync.conf:2: 'jira.password' holds a secret: put it in the environment as "
         "JIRA_API_TOKEN with JIRA_EMAIL (JIRA_PAT on Data Center), not in the repository",
         "hunter2"},
        {"[jira]\nPAT = NjQ5ODk3NzM2MjE0OqXe\n",
         ".pmsync.conf:2: 'jira.PAT' holds a secret: put it in the environment as JIRA_PAT, not in "
         "the repository",
         "NjQ5ODk3"},
        {"[sync]\nsecret = abc123zz\n",
         ".pmsync.conf:2: 'sync.secret' holds a secret: put it in the environment as "
         "LINEAR_API_KEY, LINEAR_ACCESS_TOKEN, JIRA_API_TOKEN with JIRA_EMAIL, or JIRA_PAT, not in "
         "the repository",
         "abc123zz"},
        /* a secret is reported before an earlier, unrelated error */
        {"[tracker]\nkind = lineer\n[sync]\nlabel = lin_api_zzzzzzzz\n",
         ".pmsync.conf:4: 'sync.label' holds a secret: put it in the environment as "
         "LINEAR_API_KEY, "
         "not in the repository",
         "zzzzzzzz"},
        /* an invalid escape: libgit2 quotes the text, pmsync does not */
        {"[linear]\napiKey = \"lin_api_\\qSECRETPART\"\n",
         ".pmsync.conf:2: syntax error: invalid escape in a value (use \\n, \\t, \\b, \\\" or "
         "\\\\)",
         "SECRETPART"},
        {"[syncATATT3x]\nlabel = a\n",
         ".pmsync.conf:2: a section name holds a secret: put it in the environment as "
         "JIRA_API_TOKEN "
         "with JIRA_EMAIL, not in the repository",
         "ATATT3x"},
        /* a comment or blank line inside a continued value does not end it */
        {"[sync]\nlabel = a\\\n# comment\n\n  b\nmaxChanges = abc\n",
         ".pmsync.conf:6: bad value 'abc' for 'sync.maxChanges': expected a whole number, 0 or "
         "more",
         NULL},
        /* syntax errors keep libgit2's line */
        {"[tracker\nkind = linear\n", ".pmsync.conf:1: syntax error: missing ']' in section header",
         NULL},
        {"[sync]\nlabel = x\n= y\n", ".pmsync.conf:3: syntax error: invalid configuration key",
         NULL},
        {"[sync]\nlabel = a\0b\n", ".pmsync.conf:2: a NUL byte: the configuration must be text",
         NULL},
};

static void test_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(errors); i++) {
		const struct error_case *c = &errors[i];
		struct config cfg;
		size_t len = strlen(c->text);
		int rc;

		if (strstr(c->want, "NUL byte"))
			len += 1 + strlen(c->text + len + 1);
		config_init(&cfg);
		pm_error_clear();
		rc = config_read_buffer(&cfg, c->text, len, ".pmsync.conf");
		if (rc != PM_ECONFIG)
			fail_msg("case %zu: got %d (%s), want PM_ECONFIG", i, rc,
			         pm_error_message());
		if (strcmp(pm_error_message(), c->want))
			fail_msg("case %zu:\n got: %s\nwant: %s", i, pm_error_message(), c->want);
		if (c->secret && strstr(pm_error_message(), c->secret))
			fail_msg("case %zu: the message echoes the secret", i);
		/* cfg untouched */
		assert_null(cfg.source);
		assert_int_equal(cfg.tracker, PM_TRACKER_NONE);
		assert_int_equal(cfg.exclude.nr, 7);
		config_release(&cfg);
	}
}

/* jira.remoteLinks: git's booleans, any case; a name alone is true. */
static void test_bool(void **state)
{
	static const struct {
		const char *text;
		bool want;
	} cases[] = {
	        {"", true},
	        {"[jira]\nremoteLinks = false\n", false},
	        {"[jira]\nremoteLinks = NO\n", false},
	        {"[jira]\nremoteLinks = off\n", false},
	        {"[jira]\nremoteLinks = 0\n", false},
	        {"[jira]\nremoteLinks = \"\"\n", false},
	        {"[jira]\nremoteLinks = false\nremoteLinks = yes\n", true},
	        {"[jira]\nremoteLinks = On\n", true},
	        {"[jira]\nremoteLinks = 1\n", true},
	        {"[jira]\nremoteLinks\n", true},
	};
	struct config cfg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		config_init(&cfg);
		if (read_text(&cfg, cases[i].text) < 0)
			fail_msg("case %zu: %s", i, pm_error_message());
		if (cfg.jira_remote_links != cases[i].want)
			fail_msg("case %zu: got %d", i, cfg.jira_remote_links);
		config_release(&cfg);
	}
	config_init(&cfg);
	assert_int_equal(read_text(&cfg, "[jira]\nremoteLinks = maybe\n"), PM_ECONFIG);
	assert_string_equal(pm_error_message(), ".pmsync.conf:2: bad value 'maybe' for "
	                                        "'jira.remoteLinks': expected true or false");
	config_release(&cfg);
}

static void test_display_name(void **state)
{
	struct config cfg;
	static const char text[] = "[tracker]\nkind = x\n";

	(void)state;
	config_init(&cfg);
	assert_int_equal(config_read_buffer(&cfg, text, sizeof(text) - 1, ".pmsync.conf at HEAD"),
	                 PM_ECONFIG);
	assert_string_equal(pm_error_message(), ".pmsync.conf at HEAD:2: bad value 'x' for "
	                                        "'tracker.kind': expected none, linear or jira");
	config_release(&cfg);
}

/* Reads over what is already there: a second file changes only what it sets. */
static void test_layering(void **state)
{
	struct config cfg;

	(void)state;
	config_init(&cfg);
	assert_int_equal(read_text(&cfg, "[tracker]\nkind = linear\n[linear]\nteam = ENG\n"), 0);
	assert_int_equal(read_text(&cfg, "[lint]\nlever = test\n"), 0);
	assert_int_equal(cfg.tracker, PM_TRACKER_LINEAR);
	assert_string_equal(cfg.linear_team, "ENG");
	assert_int_equal(cfg.levers.nr, 1);
	assert_int_equal(read_text(&cfg, "[linear]\nteam = b-d\n"), PM_ECONFIG);
	assert_string_equal(cfg.linear_team, "ENG");
	config_release(&cfg);
}

static char *make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir = xasprintf("%s/pmsync-test-XXXXXX", base && *base ? base : "/tmp");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* read_buffer goes through a private temporary file in $TMPDIR, removed afterwards. */
static void test_read_buffer_tmpfile(void **state)
{
	char *dir = make_tmpdir(), *old = xstrdup_or_null(getenv("TMPDIR"));
	struct config cfg;

	(void)state;
	setenv("TMPDIR", dir, 1);
	config_init(&cfg);
	assert_int_equal(read_text(&cfg, "[sync]\nlabel = x\n"), 0);
	assert_int_equal(count_entries(dir), 0);
	assert_int_equal(read_text(&cfg, "[sync]\nlabel =\n"), PM_ECONFIG);
	assert_int_equal(count_entries(dir), 0);
	/* libgit2's messages name the temporary file; pmsync's do not */
	assert_int_equal(read_text(&cfg, "[sync\n"), PM_ECONFIG);
	assert_null(strstr(pm_error_message(), dir));
	assert_int_equal(count_entries(dir), 0);
	config_release(&cfg);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	rmdir(dir);
	free(dir);
	free(old);
}

static void test_read_file(void **state)
{
	char *dir = make_tmpdir(), *path = xasprintf("%s/conf", dir);
	struct config cfg;
	FILE *fp;

	(void)state;
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[tracker]\nkind = jira\n[jira]\nurl = https://x.atlassian.net\nproject = OPS\n", fp);
	fclose(fp);
	config_init(&cfg);
	assert_int_equal(config_read_file(&cfg, path, ".pmsync.conf"), 0);
	assert_int_equal(cfg.tracker, PM_TRACKER_JIRA);
	assert_string_equal(cfg.source, ".pmsync.conf");
	assert_int_equal(config_validate(&cfg), 0);
	unlink(path);
	assert_int_equal(config_read_file(&cfg, path, NULL), PM_ENOTFOUND);
	config_release(&cfg);
	rmdir(dir);
	free(path);
	free(dir);
}

static void test_env(void **state)
{
	struct config cfg;

	(void)state;
	config_init(&cfg);
	assert_int_equal(read_text(&cfg, "[jira]\nurl = https://a.example.com\n"), 0);
	setenv("LINEAR_API_URL", "http://127.0.0.1:9/graphql", 1);
	setenv("JIRA_URL", "http://127.0.0.1:10", 1);
	config_apply_env(&cfg);
	assert_string_equal(cfg.linear_url, "http://127.0.0.1:9/graphql");
	assert_true(cfg.chosen & PM_CHOSEN_LINEAR_URL);
	/* a committed jira.url stays, for connectors/endpoint.h to hold against JIRA_URL */
	assert_string_equal(cfg.jira_url, "https://a.example.com");
	assert_false(cfg.chosen & PM_CHOSEN_JIRA_URL);
	free(cfg.jira_url);
	cfg.jira_url = NULL;
	config_apply_env(&cfg);
	assert_string_equal(cfg.jira_url, "http://127.0.0.1:10");
	assert_true(cfg.chosen & PM_CHOSEN_JIRA_URL);
	/* empty is unset */
	setenv("LINEAR_API_URL", "", 1);
	unsetenv("JIRA_URL");
	config_apply_env(&cfg);
	assert_string_equal(cfg.linear_url, "http://127.0.0.1:9/graphql");
	assert_string_equal(cfg.jira_url, "http://127.0.0.1:10");
	unsetenv("LINEAR_API_URL");
	config_release(&cfg);
}

struct validate_case {
	const char *text;
	const char *want; /* NULL: valid */
};

static const struct validate_case validate_cases[] = {
        {"", NULL},
        {"[tracker]\nkind = linear\n",
         ".pmsync.conf: 'linear.team' is required when 'tracker.kind' is linear"},
        {"[tracker]\nkind = linear\n[linear]\nteam = ENG\n", NULL},
        {"[tracker]\nkind = jira\n[jira]\nproject = OPS\n",
         ".pmsync.conf: 'jira.url' is required when 'tracker.kind' is jira (or set JIRA_URL)"},
        {"[tracker]\nkind = jira\n[jira]\nurl = https://x.atlassian.net\n",
         ".pmsync.conf: 'jira.project' is required when 'tracker.kind' is jira"},
        {"[tracker]\nkind = jira\n[jira]\nurl = https://x.atlassian.net\nproject = OPS\n", NULL},
};

static void test_validate(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(validate_cases); i++) {
		struct config cfg;
		int rc;

		config_init(&cfg);
		assert_int_equal(read_text(&cfg, validate_cases[i].text), 0);
		rc = config_validate(&cfg);
		if (!validate_cases[i].want) {
			assert_int_equal(rc, 0);
		} else {
			assert_int_equal(rc, PM_ECONFIG);
			assert_string_equal(pm_error_message(), validate_cases[i].want);
		}
		config_release(&cfg);
	}
}

static void test_owner(void **state)
{
	static const struct {
		const char *query;
		const char *want; /* email, NULL: not found */
	} cases[] = {
	        {"alice", "alice@example.com"},
	        {"@alice", "alice@example.com"},
	        {"ALICE", "alice@example.com"},
	        {"bob", "bob@example.com"},
	        {"@Bob", "bob@example.com"},
	        {"carol", NULL},
	        {"", NULL},
	        {NULL, NULL},
	};
	struct config cfg;
	size_t i;

	(void)state;
	config_init(&cfg);
	assert_null(config_find_owner(&cfg, "alice"));
	assert_int_equal(read_text(&cfg, "[owner \"alice\"]\nemail = alice@example.com\n"
	                                 "[owner \"@bob\"]\nemail = bob@example.com\n"),
	                 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct config_owner *o = config_find_owner(&cfg, cases[i].query);

		if (!cases[i].want) {
			assert_null(o);
			continue;
		}
		assert_non_null(o);
		assert_string_equal(o->email, cases[i].want);
	}
	config_release(&cfg);
}

static void test_strlist(void **state)
{
	struct strlist l = {NULL, 0, 0};

	(void)state;
	assert_false(strlist_has_ci(&l, "x"));
	strlist_add(&l, "Runbook");
	strlist_add(&l, "test");
	assert_true(strlist_has_ci(&l, "runbook"));
	assert_true(strlist_has_ci(&l, "TEST"));
	assert_false(strlist_has_ci(&l, "tes"));
	strlist_clear(&l);
	assert_int_equal(l.nr, 0);
	assert_null(l.v);
	strlist_clear(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_defaults),  cmocka_unit_test(test_values),
	        cmocka_unit_test(test_errors),    cmocka_unit_test(test_display_name),
	        cmocka_unit_test(test_layering),  cmocka_unit_test(test_read_buffer_tmpfile),
	        cmocka_unit_test(test_read_file), cmocka_unit_test(test_env),
	        cmocka_unit_test(test_validate),  cmocka_unit_test(test_owner),
	        cmocka_unit_test(test_strlist),   cmocka_unit_test(test_bool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
