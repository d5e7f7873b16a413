/*
 * Reads `.pmsync.conf`, a file in git-config syntax, with libgit2's config
 * API, so that `git config -f .pmsync.conf tracker.kind linear` edits it. The
 * text is scanned here first, for two reasons libgit2 cannot serve: an
 * `include` or `includeIf` section would make libgit2 read another file (a
 * pull request could point it at .git/config and its tokens), so such a
 * section is refused before libgit2 sees the text; and libgit2 keeps no line
 * numbers, so the scan records the line of every variable for messages. Then
 * every entry is checked against the table of known keys below: secrets
 * first (a token in the file is refused without being echoed), then unknown
 * keys (with the closest known key as a suggestion), then values. A file
 * that sets a multi-valued key replaces that key's default list; an empty
 * value empties the list. Values replace nothing until the whole file has
 * been read without error.
 *
 * Reference (names are case-insensitive, written here in camelCase):
 *   postmortems.path     where postmortems live (docs/postmortems)
 *   postmortems.include  globs of files to read, multi ("*.md")
 *   postmortems.exclude  globs to skip, multi (README.md, readme.md, TEMPLATE.md,
 *                        template.md, template-*.md, _*, *-template.md)
 *   postmortems.heading  action-item heading patterns, multi (built-in list)
 *   postmortems.url      URL template with {path} (derived from origin)
 *   postmortems.since    YYYY-MM-DD: older postmortems get no new tickets
 *   tracker.kind         none, linear or jira (none)
 *   linear.url           GraphQL endpoint (https://api.linear.app/graphql)
 *   linear.team          team key such as ENG
 *   jira.url, jira.project, jira.issueType (Task), jira.deployment (cloud, datacenter)
 *   sync.stateFile (.pmsync/state.json), sync.removed (keep, cancel: keep),
 *   sync.maxChanges (50), sync.label (pmsync), sync.leverLabelPrefix (lever:), sync.repoId
 *   owner.<handle>.email, owner.<handle>.linear, owner.<handle>.jira
 *   lint.section, lint.lever, lint.vague  required sections, levers, vague phrases, multi
 */
#include "config/config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define CONFIG_MAX_SIZE (1024 * 1024)

static const char include_refused[] = "'include' is not allowed in .pmsync.conf: a pull request "
                                      "could pull in .git/config and its tokens";

enum key_id {
	K_PM_PATH,
	K_PM_INCLUDE,
	K_PM_EXCLUDE,
	K_PM_HEADING,
	K_PM_URL,
	K_PM_SINCE,
	K_TRACKER_KIND,
	K_LINEAR_URL,
	K_LINEAR_TEAM,
	K_JIRA_URL,
	K_JIRA_PROJECT,
	K_JIRA_ISSUE_TYPE,
	K_JIRA_DEPLOYMENT,
	K_SYNC_STATE_FILE,
	K_SYNC_REMOVED,
	K_SYNC_MAX_CHANGES,
	K_SYNC_LABEL,
	K_SYNC_LEVER_PREFIX,
	K_SYNC_REPO_ID,
	K_LINT_SECTION,
	K_LINT_LEVER,
	K_LINT_VAGUE,
	K_COUNT
};

/* Indexed by enum key_id. */
static const char *const key_names[K_COUNT] = {
        "postmortems.path",    "postmortems.include",
        "postmortems.exclude", "postmortems.heading",
        "postmortems.url",     "postmortems.since",
        "tracker.kind",        "linear.url",
        "linear.team",         "jira.url",
        "jira.project",        "jira.issueType",
        "jira.deployment",     "sync.stateFile",
        "sync.removed",        "sync.maxChanges",
        "sync.label",          "sync.leverLabelPrefix",
        "sync.repoId",         "lint.section",
        "lint.lever",          "lint.vague",
};

static const char *const owner_keys[] = {"email", "linear", "jira"};

static const char *const default_exclude[] = {
        "README.md",     "readme.md", "TEMPLATE.md",   "template.md",
        "template-*.md", "_*",        "*-template.md",
};
static const char *const default_sections[] = {
        "Summary & impact", "Timeline",        "Detection chain", "Root cause",
        "What went well",   "What went wrong", "Action items",    "Blameless lessons",
};
static const char *const default_levers[] = {"test", "runbook", "alert", "code", "prompt", "eval"};
static const char *const default_vague[] = {
        "we should consider",
        "should consider",
        "consider",
        "look into",
        "looking into",
        "maybe",
        "try to",
        "investigate whether",
        "explore",
        "think about",
        "if possible",
        "ideally",
        "tbd",
};

/* Last components of key names that hold credentials, lower case. */
static const char *const secret_keys[] = {
        "token", "apikey", "apitoken", "accesstoken", "password", "pat", "secret",
};
/* Substrings of values that are Linear keys or Atlassian API tokens. */
static const char *const secret_marks[] = {"lin_api_", "lin_oauth_", "ATATT3", "ATCTT3"};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- string lists ---- */

void pm_strlist_add(struct pm_strlist *l, const char *s)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = xstrdup(s);
}

void pm_strlist_clear(struct pm_strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->nr = l->alloc = 0;
}

bool pm_strlist_has_ci(const struct pm_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!strcasecmp(l->v[i], s))
			return true;
	return false;
}

static void strlist_set(struct pm_strlist *l, const char *const *v, size_t n)
{
	size_t i;

	pm_strlist_clear(l);
	for (i = 0; i < n; i++)
		pm_strlist_add(l, v[i]);
}

static void strlist_copy(struct pm_strlist *dst, const struct pm_strlist *src)
{
	strlist_set(dst, (const char *const *)src->v, src->nr);
}

/* ---- lifecycle ---- */

void pm_config_init(struct pm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->pm_path = xstrdup("docs/postmortems");
	pm_strlist_add(&cfg->include, "*.md");
	strlist_set(&cfg->exclude, default_exclude, ARRAY_SIZE(default_exclude));
	cfg->tracker = PM_TRACKER_NONE;
	cfg->linear_url = xstrdup("https://api.linear.app/graphql");
	cfg->jira_issue_type = xstrdup("Task");
	cfg->state_file = xstrdup(".pmsync/state.json");
	cfg->removed = PM_REMOVED_KEEP;
	cfg->max_changes = 50;
	cfg->label = xstrdup("pmsync");
	cfg->lever_label_prefix = xstrdup("lever:");
	strlist_set(&cfg->sections, default_sections, ARRAY_SIZE(default_sections));
	strlist_set(&cfg->levers, default_levers, ARRAY_SIZE(default_levers));
	strlist_set(&cfg->vague, default_vague, ARRAY_SIZE(default_vague));
}

static void owner_release(struct pm_owner *o)
{
	free(o->handle);
	free(o->email);
	free(o->linear);
	free(o->jira);
}

void pm_config_release(struct pm_config *cfg)
{
	size_t i;

	free(cfg->source);
	free(cfg->pm_path);
	pm_strlist_clear(&cfg->include);
	pm_strlist_clear(&cfg->exclude);
	pm_strlist_clear(&cfg->headings);
	free(cfg->url_template);
	free(cfg->since);
	free(cfg->linear_url);
	free(cfg->linear_team);
	free(cfg->jira_url);
	free(cfg->jira_project);
	free(cfg->jira_issue_type);
	free(cfg->jira_deployment);
	free(cfg->state_file);
	free(cfg->label);
	free(cfg->lever_label_prefix);
	free(cfg->repo_id);
	for (i = 0; i < cfg->owners_nr; i++)
		owner_release(&cfg->owners[i]);
	free(cfg->owners);
	pm_strlist_clear(&cfg->sections);
	pm_strlist_clear(&cfg->levers);
	pm_strlist_clear(&cfg->vague);
	memset(cfg, 0, sizeof(*cfg));
}

static void config_copy(struct pm_config *dst, const struct pm_config *src)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	dst->source = xstrdup_or_null(src->source);
	dst->pm_path = xstrdup_or_null(src->pm_path);
	strlist_copy(&dst->include, &src->include);
	strlist_copy(&dst->exclude, &src->exclude);
	strlist_copy(&dst->headings, &src->headings);
	dst->url_template = xstrdup_or_null(src->url_template);
	dst->since = xstrdup_or_null(src->since);
	dst->tracker = src->tracker;
	dst->linear_url = xstrdup_or_null(src->linear_url);
	dst->linear_team = xstrdup_or_null(src->linear_team);
	dst->jira_url = xstrdup_or_null(src->jira_url);
	dst->jira_project = xstrdup_or_null(src->jira_project);
	dst->jira_issue_type = xstrdup_or_null(src->jira_issue_type);
	dst->jira_deployment = xstrdup_or_null(src->jira_deployment);
	dst->state_file = xstrdup_or_null(src->state_file);
	dst->removed = src->removed;
	dst->max_changes = src->max_changes;
	dst->label = xstrdup_or_null(src->label);
	dst->lever_label_prefix = xstrdup_or_null(src->lever_label_prefix);
	dst->repo_id = xstrdup_or_null(src->repo_id);
	ALLOC_GROW(dst->owners, src->owners_nr, dst->owners_alloc);
	for (i = 0; i < src->owners_nr; i++) {
		const struct pm_owner *o = &src->owners[i];
		struct pm_owner *c = &dst->owners[i];

		c->handle = xstrdup(o->handle);
		c->email = xstrdup_or_null(o->email);
		c->linear = xstrdup_or_null(o->linear);
		c->jira = xstrdup_or_null(o->jira);
		c->line = o->line;
	}
	dst->owners_nr = src->owners_nr;
	strlist_copy(&dst->sections, &src->sections);
	strlist_copy(&dst->levers, &src->levers);
	strlist_copy(&dst->vague, &src->vague);
}

/* ---- scanning the text ---- */

/* One variable as the scan found it, in file order (libgit2 returns the same order). */
struct scan_var {
	char *name;    /* as libgit2 names it: section and key lower case, subsection verbatim */
	char *written; /* as written in the file, for messages */
	int line;
	int section_line;
	bool used;
};

struct scan {
	struct scan_var *v;
	size_t nr, alloc;
	int include_line; /* first include or includeIf section header, 0 when none */
	int escape_line;  /* first invalid escape in a value, 0 when none */
	bool stopped;     /* the scan met what libgit2 rejects; later lines are not mapped */
};

/* git's idea of white space (git__isspace), not the locale's. */
static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v';
}

static bool is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_keychar(int c)
{
	return is_alnum(c) || c == '-';
}

static int to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static const char *skip_space(const char *p)
{
	while (is_space((unsigned char)*p))
		p++;
	return p;
}

static bool is_include_name(const char *lower)
{
	return !strcmp(lower, "include") || !strcmp(lower, "includeif") ||
	       !strncmp(lower, "include.", 8) || !strncmp(lower, "includeif.", 10);
}

/*
 * Parses the section header at p ('[') as libgit2 does. Fills the section
 * name the way libgit2 names it and as written; returns the position after
 * the header, or NULL where libgit2 would fail.
 */
static const char *parse_header(const char *p, struct strbuf *name, struct strbuf *written)
{
	const char *q = p + 1, *first, *last;

	strbuf_reset(name);
	strbuf_reset(written);
	if (!strrchr(p, ']'))
		return NULL;
	for (;;) {
		int c = (unsigned char)*q++;

		if (c == ']')
			return name->len ? q : NULL;
		if (is_space(c))
			break;
		if (!is_keychar(c) && c != '.')
			return NULL;
		strbuf_addch(name, to_lower(c));
		strbuf_addch(written, c);
	}
	/* [section "subsection"] */
	q = skip_space(q);
	if (*q != '"')
		return NULL;
	first = q;
	last = strrchr(p, '"');
	if (last == first)
		return NULL;
	strbuf_addch(name, '.');
	strbuf_addch(written, '.');
	for (q = first + 1; q < last; q++) {
		if (*q == '"')
			break;
		if (*q == '\\' && !*++q)
			return NULL;
		strbuf_addch(name, *q);
		strbuf_addch(written, *q);
	}
	if (q[0] != '"' || q[1] != ']')
		return NULL;
	return q + 2;
}

/* Every header at the start of a line, where libgit2 would see one, chained or not. */
static void scan_includes(struct scan *sc, const char *line, int lineno)
{
	struct strbuf name = STRBUF_INIT, written = STRBUF_INIT;
	const char *p = skip_space(line);

	while (*p == '[' && !sc->include_line) {
		const char *q = skip_space(p + 1);
		size_t n = 0;
		char lower[16];

		/* Liberal on purpose: white space after '[' and any case. */
		while (n < sizeof(lower) - 1 && (is_keychar((unsigned char)q[n]) || q[n] == '.')) {
			lower[n] = (char)to_lower((unsigned char)q[n]);
			n++;
		}
		lower[n] = '\0';
		if (is_include_name(lower)) {
			sc->include_line = lineno;
			break;
		}
		p = parse_header(p, &name, &written);
		if (!p)
			break;
		p = skip_space(p);
	}
	strbuf_release(&name);
	strbuf_release(&written);
}

/* As libgit2's strip_comments: cuts a comment outside quotes, trims; returns the quote count. */
static int strip_comments(struct strbuf *line, int in_quotes)
{
	int quotes = in_quotes, backslashes = 0;
	size_t i;

	for (i = 0; i < line->len; i++) {
		char c = line->buf[i];

		if (c == '"' && (i == 0 || line->buf[i - 1] != '\\'))
			quotes++;
		if ((c == ';' || c == '#') && quotes % 2 == 0 && backslashes % 2 == 0) {
			strbuf_setlen(line, i);
			break;
		}
		backslashes = c == '\\' ? backslashes + 1 : 0;
	}
	while (line->len && is_space((unsigned char)line->buf[line->len - 1]))
		strbuf_setlen(line, line->len - 1);
	return quotes;
}

/* Checks escapes as libgit2's unescape_line does: -1 on a bad one, 1 when the value goes on. */
static int value_continues(const char *p)
{
	for (; *p; p++) {
		if (*p != '\\')
			continue;
		p++;
		if (!*p)
			return 1;
		if (!strchr("ntb\"\\", *p))
			return -1;
	}
	return 0;
}

struct scan_state {
	struct strbuf section; /* libgit2's name of the current section */
	struct strbuf written;
	int section_line;
	bool continued; /* the previous line's value goes on */
	int quotes;
};

static void add_var(struct scan *sc, struct scan_state *st, const char *key, size_t n, int lineno)
{
	struct scan_var *v;
	struct strbuf name = STRBUF_INIT, written = STRBUF_INIT;
	size_t i;

	if (st->section.len) {
		strbuf_addf(&name, "%s.", st->section.buf);
		strbuf_addf(&written, "%s.", st->written.buf);
	}
	for (i = 0; i < n; i++)
		strbuf_addch(&name, to_lower((unsigned char)key[i]));
	strbuf_add(&written, key, n);
	ALLOC_GROW(sc->v, sc->nr + 1, sc->alloc);
	v = &sc->v[sc->nr++];
	v->name = strbuf_detach(&name, NULL);
	v->written = strbuf_detach(&written, NULL);
	v->line = lineno;
	v->section_line = st->section_line;
	v->used = false;
}

static void scan_continuation(struct scan *sc, struct scan_state *st, const char *line, int lineno)
{
	struct strbuf copy = STRBUF_INIT;
	int quotes, more;

	strbuf_addstr(&copy, line);
	quotes = strip_comments(&copy, st->quotes);
	/* A line that is only a comment or blank does not end the value (libgit2 skips it). */
	st->continued = true;
	if (copy.len) {
		more = value_continues(copy.buf);
		if (more < 0) {
			sc->escape_line = lineno;
			sc->stopped = true;
		}
		st->continued = more > 0;
	}
	st->quotes = quotes;
	strbuf_release(&copy);
}

static void scan_statements(struct scan *sc, struct scan_state *st, const char *line, int lineno)
{
	struct strbuf copy = STRBUF_INIT;
	const char *p = line, *key, *q;
	int quotes, more;

	for (;;) {
		p = skip_space(p);
		if (*p != '[')
			break;
		p = parse_header(p, &st->section, &st->written);
		if (!p) {
			sc->stopped = true;
			goto done;
		}
		st->section_line = lineno;
	}
	if (!*p || *p == ';' || *p == '#')
		goto done;

	strbuf_addstr(&copy, p);
	quotes = strip_comments(&copy, 0);
	key = q = copy.buf;
	while (is_keychar((unsigned char)*q))
		q++;
	if (q == key) {
		sc->stopped = true;
		goto done;
	}
	add_var(sc, st, key, (size_t)(q - key), lineno);
	q = skip_space(q);
	if (!*q)
		goto done;
	if (*q != '=') {
		sc->stopped = true;
		goto done;
	}
	more = value_continues(skip_space(q + 1));
	if (more < 0) {
		sc->escape_line = lineno;
		sc->stopped = true;
	} else if (more) {
		st->continued = true;
		st->quotes = quotes % 2;
	}
done:
	strbuf_release(&copy);
}

static void scan_text(struct scan *sc, const char *buf, size_t len)
{
	struct scan_state st = {STRBUF_INIT, STRBUF_INIT, 0, false, 0};
	struct strbuf line = STRBUF_INIT;
	size_t pos = 0;
	int lineno = 0;

	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;

		lineno++;
		strbuf_reset(&line);
		strbuf_add(&line, buf + pos, end - pos);
		pos = nl ? end + 1 : len;

		/* Every line, even inside a value that goes on: refusing too much is safe. */
		scan_includes(sc, line.buf, lineno);
		if (sc->stopped)
			continue;
		if (st.continued) {
			st.continued = false;
			scan_continuation(sc, &st, line.buf, lineno);
			continue;
		}
		scan_statements(sc, &st, line.buf, lineno);
	}
	strbuf_release(&line);
	strbuf_release(&st.section);
	strbuf_release(&st.written);
}

static void scan_release(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nr; i++) {
		free(sc->v[i].name);
		free(sc->v[i].written);
	}
	free(sc->v);
}

/* ---- messages ---- */

__attribute__((format(printf, 3, 4))) static int config_error(const char *file, int line,
                                                              const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (line > 0)
		strbuf_addf(&sb, "%s:%d: ", file, line);
	else
		strbuf_addf(&sb, "%s: ", file);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	pm_error(PM_ECONFIG, "%s", sb.buf);
	strbuf_release(&sb);
	return PM_ECONFIG;
}

/* Optimal string alignment distance, case-insensitive, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d;
	size_t *prev2, *prev, *cur;

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	prev2 = xcalloc(lb + 1, sizeof(size_t));
	prev = xcalloc(lb + 1, sizeof(size_t));
	cur = xcalloc(lb + 1, sizeof(size_t));
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			int ca = to_lower((unsigned char)a[i - 1]),
			    cb = to_lower((unsigned char)b[j - 1]);
			size_t cost = ca != cb;

			d = prev[j - 1] + cost;
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ca == to_lower((unsigned char)b[j - 2]) &&
			    to_lower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		{
			size_t *t = prev2;

			prev2 = prev;
			prev = cur;
			cur = t;
		}
	}
	d = prev[lb];
	free(prev2);
	free(prev);
	free(cur);
	return d;
}

/* The known key closest to name, or NULL when none is close. */
static const char *suggest_key(const char *name, struct strbuf *out)
{
	size_t best = 3, i, d;
	const char *dot = strchr(name, '.'), *last = strrchr(name, '.');

	strbuf_reset(out);
	for (i = 0; i < K_COUNT; i++) {
		d = edit_distance(name, key_names[i]);
		if (!dot)
			d = edit_distance(name, strchr(key_names[i], '.') + 1);
		else if (dot != last) {
			/* section.subsection.key where section.key is known */
			struct strbuf plain = STRBUF_INIT;
			size_t dp;

			strbuf_add(&plain, name, (size_t)(dot - name));
			strbuf_addstr(&plain, last);
			dp = edit_distance(plain.buf, key_names[i]);
			strbuf_release(&plain);
			if (dp < d)
				d = dp;
		}
		if (d < best) {
			best = d;
			strbuf_reset(out);
			strbuf_addstr(out, key_names[i]);
		}
	}
	return out->len ? out->buf : NULL;
}

static int unknown_key(const char *file, int line, const char *written, const char *name)
{
	struct strbuf hint = STRBUF_INIT;
	int error;

	if (suggest_key(name, &hint))
		error = config_error(file, line, "unknown key '%s': did you mean '%s'?", written,
		                     hint.buf);
	else
		error = config_error(file, line, "unknown key '%s'", written);
	strbuf_release(&hint);
	return error;
}

/* ---- values ---- */

struct entry {
	char *name;
	char *value; /* NULL for a bare key (git's implicit true) */
	const char *written;
	int line;
	int section_line;
};

struct reader {
	const char *file;
	struct pm_config *cfg;
	bool seen[K_COUNT];
};

static bool valid_date(const char *s)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
			return false;
	if (s[10])
		return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return false;
	return true;
}

static bool valid_url(const char *s)
{
	const char *p;

	if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
		return false;
	if (!strchr(s, ':')[3])
		return false;
	for (p = s; *p; p++)
		if (is_space((unsigned char)*p))
			return false;
	return true;
}

static bool valid_path(const char *s)
{
	const char *p = s;

	if (!*s || *s == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && !strncmp(p, "..", 2))
			return false;
		p += n;
		while (*p == '/')
			p++;
	}
	return true;
}

static bool all_chars(const char *s, const char *set, bool first_letter)
{
	if (!*s || (first_letter && !(*s >= 'A' && *s <= 'Z')))
		return false;
	for (; *s; s++)
		if (!strchr(set, *s))
			return false;
	return true;
}

static int bad_value(const struct reader *r, const struct entry *e, const char *key,
                     const char *expected)
{
	return config_error(r->file, e->line, "bad value '%s' for '%s': expected %s", e->value, key,
	                    expected);
}

static void set_string(char **dst, const char *value)
{
	free(*dst);
	*dst = *value ? xstrdup(value) : NULL;
}

static void add_to_list(struct reader *r, enum key_id id, struct pm_strlist *l, const char *value)
{
	if (!r->seen[id])
		pm_strlist_clear(l);
	r->seen[id] = true;
	if (*value)
		pm_strlist_add(l, value);
	else
		pm_strlist_clear(l);
}

#define UPPER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

static int apply_key(struct reader *r, const struct entry *e, enum key_id id)
{
	struct pm_config *cfg = r->cfg;
	const char *key = key_names[id], *v = e->value;
	char *end;
	long n;

	if (!v)
		return config_error(r->file, e->line, "'%s' needs a value: write '%s = ...'", key,
		                    strchr(key, '.') + 1);
	switch (id) {
	case K_PM_PATH: {
		size_t len = strlen(v);

		if (!valid_path(v))
			return bad_value(r, e, key, "a path relative to the repository root");
		while (len > 1 && v[len - 1] == '/')
			len--;
		free(cfg->pm_path);
		cfg->pm_path = xstrndup(v, len);
		break;
	}
	case K_PM_INCLUDE:
		add_to_list(r, id, &cfg->include, v);
		break;
	case K_PM_EXCLUDE:
		add_to_list(r, id, &cfg->exclude, v);
		break;
	case K_PM_HEADING:
		add_to_list(r, id, &cfg->headings, v);
		break;
	case K_PM_URL:
		if (*v && (!valid_url(v) || !strstr(v, "{path}")))
			return bad_value(r, e, key, "an http(s) URL containing {path}");
		set_string(&cfg->url_template, v);
		break;
	case K_PM_SINCE:
		if (*v && !valid_date(v))
			return bad_value(r, e, key, "a date as YYYY-MM-DD");
		set_string(&cfg->since, v);
		break;
	case K_TRACKER_KIND:
		if (!strcasecmp(v, "none"))
			cfg->tracker = PM_TRACKER_NONE;
		else if (!strcasecmp(v, "linear"))
			cfg->tracker = PM_TRACKER_LINEAR;
		else if (!strcasecmp(v, "jira"))
			cfg->tracker = PM_TRACKER_JIRA;
		else
			return bad_value(r, e, key, "none, linear or jira");
		break;
	case K_LINEAR_URL:
	case K_JIRA_URL:
		if (!valid_url(v))
			return bad_value(r, e, key, "an http(s) URL");
		set_string(id == K_LINEAR_URL ? &cfg->linear_url : &cfg->jira_url, v);
		break;
	case K_LINEAR_TEAM:
		if (!all_chars(v, UPPER_DIGITS, false))
			return bad_value(r, e, key, "a team key in capitals, such as ENG");
		set_string(&cfg->linear_team, v);
		break;
	case K_JIRA_PROJECT:
		if (!all_chars(v, UPPER_DIGITS "_", true))
			return bad_value(r, e, key, "a project key in capitals, such as OPS");
		set_string(&cfg->jira_project, v);
		break;
	case K_JIRA_ISSUE_TYPE:
		if (!*v)
			return bad_value(r, e, key, "an issue type name, such as Task");
		set_string(&cfg->jira_issue_type, v);
		break;
	case K_JIRA_DEPLOYMENT:
		if (*v && strcasecmp(v, "cloud") && strcasecmp(v, "datacenter"))
			return bad_value(r, e, key, "cloud or datacenter");
		free(cfg->jira_deployment);
		cfg->jira_deployment = NULL;
		if (*v)
			cfg->jira_deployment =
			        xstrdup(strcasecmp(v, "cloud") ? "datacenter" : "cloud");
		break;
	case K_SYNC_STATE_FILE:
		if (!*v)
			return bad_value(r, e, key, "a file name");
		set_string(&cfg->state_file, v);
		break;
	case K_SYNC_REMOVED:
		if (!strcasecmp(v, "keep"))
			cfg->removed = PM_REMOVED_KEEP;
		else if (!strcasecmp(v, "cancel"))
			cfg->removed = PM_REMOVED_CANCEL;
		else
			return bad_value(r, e, key, "keep or cancel");
		break;
	case K_SYNC_MAX_CHANGES:
		errno = 0;
		n = strtol(v, &end, 10);
		if (!(*v >= '0' && *v <= '9') || *end || errno || n < 0)
			return bad_value(r, e, key, "a whole number, 0 or more");
		cfg->max_changes = n;
		break;
	case K_SYNC_LABEL:
		if (!*v)
			return bad_value(r, e, key, "a label name");
		set_string(&cfg->label, v);
		break;
	case K_SYNC_LEVER_PREFIX:
		free(cfg->lever_label_prefix);
		cfg->lever_label_prefix = xstrdup(v);
		break;
	case K_SYNC_REPO_ID:
		set_string(&cfg->repo_id, v);
		break;
	case K_LINT_SECTION:
		add_to_list(r, id, &cfg->sections, v);
		break;
	case K_LINT_LEVER:
		add_to_list(r, id, &cfg->levers, v);
		break;
	case K_LINT_VAGUE:
		add_to_list(r, id, &cfg->vague, v);
		break;
	case K_COUNT:
		break;
	}
	return 0;
}

static struct pm_owner *owner_get(struct pm_config *cfg, const char *handle, int line)
{
	struct pm_owner *o;
	size_t i;

	for (i = 0; i < cfg->owners_nr; i++)
		if (!strcasecmp(cfg->owners[i].handle, handle))
			return &cfg->owners[i];
	ALLOC_GROW(cfg->owners, cfg->owners_nr + 1, cfg->owners_alloc);
	o = &cfg->owners[cfg->owners_nr++];
	memset(o, 0, sizeof(*o));
	o->handle = xstrdup(handle);
	o->line = line;
	return o;
}

/* owner.<handle>.<key>; name is libgit2's, so "owner." is lower case. */
static int apply_owner(struct reader *r, const struct entry *e)
{
	const char *sub = e->name + strlen("owner."), *key = strrchr(e->name, '.');
	char *handle = NULL;
	struct pm_owner *o;
	size_t i;
	int error = 0;

	if (key < sub) {
		error = config_error(r->file, e->line,
		                     "'%s' needs a handle: write [owner \"alice\"] and '%s = ...'",
		                     e->written, key + 1);
		goto done;
	}
	for (i = 0; i < ARRAY_SIZE(owner_keys); i++)
		if (!strcmp(key + 1, owner_keys[i]))
			break;
	if (i == ARRAY_SIZE(owner_keys)) {
		struct strbuf hint = STRBUF_INIT;
		size_t j;

		for (j = 0; j < ARRAY_SIZE(owner_keys); j++)
			if (edit_distance(key + 1, owner_keys[j]) <= 2) {
				strbuf_add(&hint, e->written,
				           (size_t)(strrchr(e->written, '.') + 1 - e->written));
				strbuf_addstr(&hint, owner_keys[j]);
				break;
			}
		if (hint.len)
			error = config_error(r->file, e->line,
			                     "unknown key '%s': did you mean '%s'?", e->written,
			                     hint.buf);
		else
			error = config_error(
			        r->file, e->line,
			        "unknown key '%s': an owner has email, linear and jira",
			        e->written);
		strbuf_release(&hint);
		goto done;
	}
	if (*sub == '@')
		sub++;
	handle = xstrndup(sub, (size_t)(key - sub));
	if (!*handle || strchr(handle, ' ')) {
		error = config_error(r->file, e->section_line ? e->section_line : e->line,
		                     "bad owner handle '%s': expected a handle such as \"alice\"",
		                     handle);
		goto done;
	}
	if (!e->value || !*e->value) {
		error = config_error(r->file, e->line, "'%s' needs a value", e->written);
		goto done;
	}
	if (i == 0 && (!strchr(e->value, '@') || strpbrk(e->value, " \t"))) {
		error = config_error(r->file, e->line,
		                     "bad value '%s' for '%s': expected an email address", e->value,
		                     e->written);
		goto done;
	}
	o = owner_get(r->cfg, handle, e->section_line ? e->section_line : e->line);
	set_string(i == 0 ? &o->email : i == 1 ? &o->linear : &o->jira, e->value);
done:
	free(handle);
	return error;
}

static bool has_secret_mark(const char *s)
{
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(secret_marks); i++)
		if (strstr(s, secret_marks[i]))
			return true;
	return false;
}

/* Where the secret belongs: the environment variable pmsync reads it from. */
static const char *secret_home(const char *name, const char *value)
{
	const char *last = strrchr(name, '.');

	last = last ? last + 1 : name;
	if (value && strstr(value, "lin_oauth_"))
		return "LINEAR_ACCESS_TOKEN";
	if (value && strstr(value, "lin_api_"))
		return "LINEAR_API_KEY";
	if (value && (strstr(value, "ATATT3") || strstr(value, "ATCTT3")))
		return "JIRA_API_TOKEN with JIRA_EMAIL";
	if (!strncmp(name, "linear.", 7))
		return strcmp(last, "accesstoken") ? "LINEAR_API_KEY" : "LINEAR_ACCESS_TOKEN";
	if (!strncmp(name, "jira.", 5))
		return strcmp(last, "pat")
		               ? "JIRA_API_TOKEN with JIRA_EMAIL (JIRA_PAT on Data Center)"
		               : "JIRA_PAT";
	return "LINEAR_API_KEY, LINEAR_ACCESS_TOKEN, JIRA_API_TOKEN with JIRA_EMAIL, or JIRA_PAT";
}

static int check_secret(const struct reader *r, const struct entry *e)
{
	const char *last = strrchr(e->name, '.');
	size_t i;
	bool secret = has_secret_mark(e->value);

	last = last ? last + 1 : e->name;
	for (i = 0; !secret && i < ARRAY_SIZE(secret_keys); i++)
		secret = !strcmp(last, secret_keys[i]);
	if (has_secret_mark(e->name) || has_secret_mark(e->written))
		return config_error(
		        r->file, e->line,
		        "a section name holds a secret: put it in the environment as %s, "
		        "not in the repository",
		        secret_home(e->name, has_secret_mark(e->name) ? e->name : e->written));
	if (!secret)
		return 0;
	return config_error(r->file, e->line,
	                    "'%s' holds a secret: put it in the environment as %s, not in the "
	                    "repository",
	                    e->written, secret_home(e->name, e->value));
}

static int apply_entry(struct reader *r, const struct entry *e)
{
	size_t i;

	if (!strncmp(e->name, "owner.", 6))
		return apply_owner(r, e);
	for (i = 0; i < K_COUNT; i++)
		if (!strcasecmp(e->name, key_names[i]))
			return apply_key(r, e, (enum key_id)i);
	return unknown_key(r->file, e->line, e->written, e->name);
}

/* ---- libgit2 ---- */

static void replace_all(struct strbuf *sb, const char *s, const char *from, const char *to)
{
	const char *hit;
	size_t n = strlen(from);

	while (n && (hit = strstr(s, from))) {
		strbuf_add(sb, s, (size_t)(hit - s));
		strbuf_addstr(sb, to);
		s = hit + n;
	}
	strbuf_addstr(sb, s);
}

/*
 * libgit2's parse errors read "failed to parse config file: WHAT (in PATH:LINE[, column N])",
 * where WHAT never quotes the text. "invalid escape at ..." does quote it (a token, maybe), so
 * it is rewritten with the line the scan found.
 */
static int git_error_to_config(const char *file, const char *tmp, const struct scan *sc)
{
	const git_error *ge = git_error_last();
	const char *msg = ge && ge->message ? ge->message : "unknown error";
	static const char prefix[] = "failed to parse config file: ";
	struct strbuf sb = STRBUF_INIT;
	const char *in;
	int error;

	if (!strncmp(msg, "invalid escape", 14))
		return config_error(
		        file, sc->escape_line,
		        "syntax error: invalid escape in a value (use \\n, \\t, \\b, \\\" "
		        "or \\\\)");
	if (!strncmp(msg, prefix, sizeof(prefix) - 1) && (in = strstr(msg, " (in "))) {
		const char *colon = in + 5 + strlen(tmp);
		long line = 0;

		if (!strncmp(in + 5, tmp, strlen(tmp)) && *colon == ':')
			line = strtol(colon + 1, NULL, 10);
		strbuf_add(&sb, msg + sizeof(prefix) - 1,
		           (size_t)(in - msg) - (sizeof(prefix) - 1));
		error = config_error(file, line > 0 && line <= INT_MAX ? (int)line : 0,
		                     "syntax error: %s", sb.buf);
	} else {
		replace_all(&sb, msg, tmp, file);
		error = config_error(file, 0, "cannot read the configuration: %s", sb.buf);
	}
	strbuf_release(&sb);
	return error;
}

static int write_temp(char **out, const char *buf, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd, error = 0;
	size_t off = 0;

	if (!dir || !*dir)
		dir = "/tmp";
	path = xasprintf("%s/pmsync-config-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0) {
		error = pm_error(PM_ERROR, "cannot create a temporary file in '%s': %s", dir,
		                 strerror(errno));
		goto done;
	}
	if (fchmod(fd, 0600) < 0)
		error = pm_error(PM_ERROR, "cannot protect '%s': %s", path, strerror(errno));
	while (!error && off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			error = pm_error(PM_ERROR, "cannot write '%s': %s", path, strerror(errno));
		else
			off += (size_t)n;
	}
	if (close(fd) < 0 && !error)
		error = pm_error(PM_ERROR, "cannot write '%s': %s", path, strerror(errno));
	if (error)
		unlink(path);
done:
	if (error)
		free(path);
	else
		*out = path;
	return error;
}

/* Reads the entries of the file at tmp through libgit2, in file order. */
static int git_entries(struct entry **out, size_t *out_nr, const char *tmp, const char *file,
                       const struct scan *sc)
{
	git_config *gcfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *ge;
	struct entry *v = NULL;
	size_t nr = 0, alloc = 0, i;
	int rc, error = 0;

	if (git_config_new(&gcfg) < 0 ||
	    git_config_add_file_ondisk(gcfg, tmp, GIT_CONFIG_LEVEL_APP, NULL, 0) < 0 ||
	    git_config_iterator_new(&it, gcfg) < 0) {
		error = git_error_to_config(file, tmp, sc);
		goto done;
	}
	while ((rc = git_config_next(&ge, it)) == 0) {
		ALLOC_GROW(v, nr + 1, alloc);
		memset(&v[nr], 0, sizeof(v[nr]));
		v[nr].name = xstrdup(ge->name);
		v[nr].value = xstrdup_or_null(ge->value);
		nr++;
	}
	if (rc != GIT_ITEROVER)
		error = git_error_to_config(file, tmp, sc);
done:
	git_config_iterator_free(it);
	git_config_free(gcfg);
	if (error) {
		for (i = 0; i < nr; i++) {
			free(v[i].name);
			free(v[i].value);
		}
		free(v);
	} else {
		*out = v;
		*out_nr = nr;
	}
	return error;
}

/* Gives every entry the line and spelling the scan found for it. */
static void map_lines(struct entry *v, size_t nr, struct scan *sc)
{
	size_t i, j;

	for (i = 0; i < nr; i++) {
		v[i].written = v[i].name;
		for (j = 0; j < sc->nr; j++) {
			if (sc->v[j].used || strcmp(sc->v[j].name, v[i].name))
				continue;
			sc->v[j].used = true;
			v[i].written = sc->v[j].written;
			v[i].line = sc->v[j].line;
			v[i].section_line = sc->v[j].section_line;
			break;
		}
	}
}

static int find_nul_line(const char *buf, size_t len)
{
	const char *nul = memchr(buf, '\0', len);
	const char *p;
	int line = 1;

	if (!nul)
		return 0;
	for (p = buf; p < nul; p++)
		line += *p == '\n';
	return line;
}

int pm_config_read_buffer(struct pm_config *cfg, const char *buf, size_t len, const char *display)
{
	struct pm_config next;
	struct reader r;
	struct scan sc = {NULL, 0, 0, 0, 0, false};
	struct entry *entries = NULL;
	size_t nr = 0, i;
	char *tmp = NULL;
	int error = 0, line;
	bool git_up = false;

	if (!buf)
		buf = "";
	config_copy(&next, cfg);
	memset(&r, 0, sizeof(r));
	r.file = display ? display : ".pmsync.conf";
	r.cfg = &next;

	if (len > CONFIG_MAX_SIZE) {
		error = config_error(r.file, 0, "the configuration is larger than %d bytes",
		                     CONFIG_MAX_SIZE);
		goto done;
	}
	if ((line = find_nul_line(buf, len))) {
		error = config_error(r.file, line, "a NUL byte: the configuration must be text");
		goto done;
	}
	scan_text(&sc, buf, len);
	if (sc.include_line) {
		error = config_error(r.file, sc.include_line, "%s", include_refused);
		goto done;
	}
	if ((error = write_temp(&tmp, buf, len)))
		goto done;
	if (git_libgit2_init() < 0) {
		error = pm_error(PM_ERROR, "cannot initialise libgit2");
		goto done;
	}
	git_up = true;
	if ((error = git_entries(&entries, &nr, tmp, r.file, &sc)) < 0)
		goto done;
	map_lines(entries, nr, &sc);

	/* Secrets first: no other message may quote one. */
	for (i = 0; i < nr; i++)
		if ((error = check_secret(&r, &entries[i])) < 0)
			goto done;
	for (i = 0; i < nr; i++) {
		if (!strncmp(entries[i].name, "include.", 8) ||
		    !strncmp(entries[i].name, "includeif.", 10)) {
			/* libgit2 followed it already; nothing read from it is used */
			error = config_error(r.file, entries[i].line, "%s", include_refused);
			goto done;
		}
		if ((error = apply_entry(&r, &entries[i])) < 0)
			goto done;
	}
	free(next.source);
	next.source = xstrdup(r.file);
	pm_config_release(cfg);
	*cfg = next;
	memset(&next, 0, sizeof(next)); /* moved into cfg */
done:
	pm_config_release(&next);
	for (i = 0; i < nr; i++) {
		free(entries[i].name);
		free(entries[i].value);
	}
	free(entries);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (git_up)
		git_libgit2_shutdown();
	scan_release(&sc);
	return error;
}

int pm_config_read_file(struct pm_config *cfg, const char *path, const char *display)
{
	struct strbuf sb = STRBUF_INIT;
	int error;

	error = strbuf_read_file(&sb, path, CONFIG_MAX_SIZE);
	if (!error)
		error = pm_config_read_buffer(cfg, sb.buf, sb.len, display ? display : path);
	strbuf_release(&sb);
	return error;
}

void pm_config_apply_env(struct pm_config *cfg)
{
	const char *v;

	if ((v = getenv("LINEAR_API_URL")) && *v) {
		free(cfg->linear_url);
		cfg->linear_url = xstrdup(v);
	}
	if ((v = getenv("JIRA_URL")) && *v) {
		free(cfg->jira_url);
		cfg->jira_url = xstrdup(v);
	}
}

int pm_config_validate(const struct pm_config *cfg)
{
	const char *file = cfg->source ? cfg->source : ".pmsync.conf";

	switch (cfg->tracker) {
	case PM_TRACKER_LINEAR:
		if (!cfg->linear_team)
			return config_error(
			        file, 0, "'linear.team' is required when 'tracker.kind' is linear");
		break;
	case PM_TRACKER_JIRA:
		if (!cfg->jira_url)
			return config_error(
			        file, 0,
			        "'jira.url' is required when 'tracker.kind' is jira (or set "
			        "JIRA_URL)");
		if (!cfg->jira_project)
			return config_error(
			        file, 0, "'jira.project' is required when 'tracker.kind' is jira");
		break;
	case PM_TRACKER_NONE:
		break;
	}
	return 0;
}

const struct pm_owner *pm_config_owner(const struct pm_config *cfg, const char *handle)
{
	size_t i;

	if (!handle)
		return NULL;
	if (*handle == '@')
		handle++;
	for (i = 0; i < cfg->owners_nr; i++)
		if (!strcasecmp(cfg->owners[i].handle, handle))
			return &cfg->owners[i];
	return NULL;
}
