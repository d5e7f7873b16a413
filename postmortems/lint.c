/*
 * The lint rules: what a postmortem must have for its action items to be
 * worth tracking (the required sections, an owner, a due date and a lever
 * for every item, wording that commits to something) turned into
 * diagnostics with a short rule name, on the parsed data model only. The
 * rules read the configuration for their lists (required sections, levers,
 * vague phrases, the owner map); an empty list turns its rule off. Dates the
 * parser could not read are reported here (bad-due-date), not by the parser.
 */
#include "util/compat.h"

#include "postmortems/lint.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/strbuf.h"
#include "util/isodate.h"
#include "util/xalloc.h"

/*
 * Headings that stand for "Action items", normalised (see normalise()), besides
 * the one the parser took as the action section (pm->section, found with its
 * built-in list or postmortems.heading).
 */
static const char *const action_synonyms[] = {
        "action items",
        "action item",
        "actions",
        "action plan",
        "follow ups",
        "followups",
        "follow up items",
        "follow up actions",
        "next steps",
        "remediation",
        "remediations",
        "remediation items",
        "corrective actions",
        "corrective and preventive actions",
        "preventive actions",
        "todo",
        "to do",
        "tasks",
};

static bool is_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c >= 0x80;
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Lower case, "&" as "and", punctuation as space, spaces collapsed, leading
 * section numbers dropped: "2. Summary & Impact" becomes "summary and impact".
 * Non-ASCII bytes are kept as letters.
 */
static void normalise(struct strbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	bool space = true, leading = true;

	strbuf_reset(out);
	for (; *p; p++) {
		if (*p == '&') {
			if (!space)
				strbuf_addch(out, ' ');
			strbuf_addstr(out, "and ");
			space = true;
			leading = false;
		} else if (is_word(*p) && *p != '_') {
			if (leading && *p >= '0' && *p <= '9') {
				size_t n = strspn((const char *)p, "0123456789");

				if (!is_word(p[n]) || p[n] == '_') {
					p += n - 1;
					continue;
				}
			}
			strbuf_addch(out, ascii_tolower(*p));
			space = false;
			leading = false;
		} else if (!space) {
			strbuf_addch(out, ' ');
			space = true;
		}
	}
	while (out->len && out->buf[out->len - 1] == ' ')
		strbuf_setlen(out, out->len - 1);
}

/* The heading names the section: equal, or the section followed by more words. */
static bool heading_is(const char *heading, const char *section)
{
	size_t n = strlen(section);

	return n && !strncmp(heading, section, n) && (heading[n] == '\0' || heading[n] == ' ');
}

static bool is_action_section(const char *norm)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(action_synonyms); i++)
		if (!strcmp(norm, action_synonyms[i]))
			return true;
	return false;
}

/* The line of the first heading that names section (normalised), 0 when none. */
static int find_heading(const struct postmortem *pm, const char *section)
{
	struct strbuf norm = STRBUF_INIT;
	bool action = is_action_section(section);
	int line = 0;
	size_t i, j;

	if (action && pm->section)
		line = pm->section_line > 0 ? pm->section_line : 1;
	for (i = 0; !line && i < pm->headings_nr; i++) {
		int at = pm->heading_lines && pm->heading_lines[i] > 0 ? pm->heading_lines[i] : 1;

		normalise(&norm, pm->headings[i] ? pm->headings[i] : "");
		if (heading_is(norm.buf, section))
			line = at;
		for (j = 0; action && !line && j < ARRAY_SIZE(action_synonyms); j++)
			if (heading_is(norm.buf, action_synonyms[j]))
				line = at;
	}
	strbuf_release(&norm);
	return line;
}

static const char *path_of(const struct postmortem *pm)
{
	return pm->path ? pm->path : "";
}

/* Adds missing-section diagnostics; tells whether "Detection chain" was among them. */
static bool lint_sections(struct diags *out, const struct postmortem *pm, const struct config *cfg)
{
	struct strbuf norm = STRBUF_INIT;
	bool no_chain = false;
	size_t i;

	for (i = 0; i < cfg->sections.nr; i++) {
		normalise(&norm, cfg->sections.v[i]);
		if (!norm.len || find_heading(pm, norm.buf))
			continue;
		diags_add(out, DIAG_ERROR, path_of(pm), 1, 1, "missing-section",
		          "missing section '%s'", cfg->sections.v[i]);
		if (!strcmp(norm.buf, "detection chain"))
			no_chain = true;
	}
	strbuf_release(&norm);
	return no_chain;
}

static bool is_empty(const char *s)
{
	if (!s)
		return true;
	while (is_blank((unsigned char)*s))
		s++;
	return !*s;
}

static void join_list(struct strbuf *sb, const struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", l->v[i]);
}

static bool looks_like_email(const char *s)
{
	const char *at = strchr(s, '@'), *dot;

	if (!at || at == s || strchr(at + 1, '@') || strpbrk(s, " \t"))
		return false;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1];
}

/*
 * The owner the tracker mapping would resolve: the whole cell in the owner
 * map, an email address as it stands, else the first of several owners
 * ("alice, bob"). Sets name to the name reported when it is not known.
 */
static bool owner_known(const struct config *cfg, const char *owner, struct strbuf *name)
{
	size_t n;

	strbuf_reset(name);
	strbuf_addstr(name, owner);
	strbuf_trim(name);
	if (config_find_owner(cfg, name->buf) || looks_like_email(name->buf))
		return true;
	n = strcspn(owner, ",;/&");
	if (!owner[n])
		return false;
	strbuf_reset(name);
	strbuf_add(name, owner, n);
	strbuf_trim(name);
	return name->len && (config_find_owner(cfg, name->buf) || looks_like_email(name->buf));
}

static void lint_owner(struct diags *out, const struct postmortem *pm, const struct action_item *it,
                       const struct config *cfg)
{
	struct strbuf name = STRBUF_INIT;

	if (is_empty(it->owner)) {
		diags_add(out, DIAG_ERROR, path_of(pm), it->line, it->col, "missing-owner",
		          "action item has no owner");
		return;
	}
	if (cfg->owners_nr && !owner_known(cfg, it->owner, &name))
		diags_add(out, DIAG_ERROR, path_of(pm), it->line, it->col, "unknown-owner",
		          "owner '%s' is not in the owner map: add [owner \"%s\"] to .pmsync.conf",
		          name.buf, name.buf[0] == '@' ? name.buf + 1 : name.buf);
	strbuf_release(&name);
}

static void lint_due(struct diags *out, const struct postmortem *pm, const struct action_item *it)
{
	const char *raw = !is_empty(it->due_raw) ? it->due_raw : it->due;

	if (it->due && isodate_valid(it->due))
		return;
	if (is_empty(raw))
		diags_add(out, DIAG_ERROR, path_of(pm), it->line, it->col, "missing-due",
		          "action item has no due date");
	else
		diags_add(out, DIAG_WARNING, path_of(pm), it->line, it->col, "bad-due-date",
		          "cannot read due date '%s': write it as YYYY-MM-DD", raw);
}

/* A lever cell may name several: "alert, runbook", "test/code", "test and alert". */
static void lint_lever(struct diags *out, const struct postmortem *pm, const struct action_item *it,
                       const struct config *cfg)
{
	struct strbuf allowed = STRBUF_INIT, word = STRBUF_INIT;
	const char *p = it->lever;
	bool any = false;

	if (!cfg->levers.nr)
		return;
	join_list(&allowed, &cfg->levers);
	while (p && *p) {
		size_t n = strcspn(p, ",/+&;| \t\r\n");

		strbuf_reset(&word);
		strbuf_add(&word, p, n);
		p += n;
		if (*p)
			p++;
		if (!word.len || !strcasecmp(word.buf, "and"))
			continue;
		any = true;
		if (!strlist_has_ci(&cfg->levers, word.buf))
			diags_add(out, DIAG_ERROR, path_of(pm), it->line, it->col, "bad-lever",
			          "lever '%s' is not one of %s", word.buf, allowed.buf);
	}
	if (!any)
		diags_add(out, DIAG_WARNING, path_of(pm), it->line, it->col, "missing-lever",
		          "action item has no lever: name one of %s", allowed.buf);
	strbuf_release(&allowed);
	strbuf_release(&word);
}

/*
 * Length of the match of phrase at text, case-insensitive, where white space
 * in the phrase matches any run of white space; 0 when it does not match.
 */
static size_t match_at(const char *text, const char *phrase)
{
	const unsigned char *t = (const unsigned char *)text, *p = (const unsigned char *)phrase;

	while (*p) {
		if (is_blank(*p)) {
			if (!is_blank(*t))
				return 0;
			while (is_blank(*p))
				p++;
			while (is_blank(*t))
				t++;
			continue;
		}
		if (ascii_tolower(*p) != ascii_tolower(*t))
			return 0;
		p++;
		t++;
	}
	return (size_t)((const char *)t - text);
}

/* The first vague phrase in text as a whole word (earliest, then longest); NULL when none. */
static const char *find_vague(const char *text, const struct strlist *vague)
{
	const char *best = NULL;
	size_t best_at = 0, best_len = 0, i, at;

	for (i = 0; i < vague->nr; i++) {
		const char *ph = vague->v[i];
		size_t plen = strlen(ph);

		if (!plen || is_blank((unsigned char)*ph))
			continue;
		for (at = 0; text[at] && (!best || at <= best_at); at++) {
			size_t n;

			if (is_word((unsigned char)ph[0]) && at &&
			    is_word((unsigned char)text[at - 1]))
				continue;
			n = match_at(text + at, ph);
			if (!n || (is_word((unsigned char)ph[plen - 1]) &&
			           is_word((unsigned char)text[at + n])))
				continue;
			if (!best || at < best_at || (at == best_at && n > best_len)) {
				best = ph;
				best_at = at;
				best_len = n;
			}
			break;
		}
	}
	return best;
}

/* Lower-case words of text, one space apart, for comparing items. */
static void item_words(struct strbuf *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");

	strbuf_reset(out);
	for (; *p; p++) {
		if (is_word(*p))
			strbuf_addch(out, ascii_tolower(*p));
		else if (out->len && out->buf[out->len - 1] != ' ')
			strbuf_addch(out, ' ');
	}
	if (out->len && out->buf[out->len - 1] == ' ')
		strbuf_setlen(out, out->len - 1);
}

static void lint_duplicates(struct diags *out, const struct postmortem *pm)
{
	struct strbuf *words;
	size_t i, j;

	if (pm->items_nr < 2)
		return;
	words = xcalloc(pm->items_nr, sizeof(*words));
	for (i = 0; i < pm->items_nr; i++) {
		strbuf_init(&words[i], 0);
		item_words(&words[i], pm->items[i].text);
	}
	for (i = 1; i < pm->items_nr; i++) {
		if (!words[i].len)
			continue;
		for (j = 0; j < i; j++) {
			if (strcmp(words[i].buf, words[j].buf))
				continue;
			diags_add(out, DIAG_WARNING, path_of(pm), pm->items[i].line,
			          pm->items[i].col, "duplicate-item",
			          "duplicate action item: same text as the item on line %d",
			          pm->items[j].line);
			break;
		}
	}
	for (i = 0; i < pm->items_nr; i++)
		strbuf_release(&words[i]);
	free(words);
}

int lint_postmortem(struct diags *out, const struct postmortem *pm, const struct config *cfg)
{
	size_t i;
	bool no_chain_section;

	if (pm->unreadable)
		return 0;
	no_chain_section = lint_sections(out, pm, cfg);
	if (pm->detection_chain_minutes < 0 && !no_chain_section) {
		int line = find_heading(pm, "detection chain");

		diags_add(out, DIAG_WARNING, path_of(pm), line ? line : 1, 1, "no-detection-chain",
		          "no detection-chain minutes: say how long it took from the first "
		          "signal to detection");
	}
	for (i = 0; i < pm->items_nr; i++) {
		const struct action_item *it = &pm->items[i];
		const char *phrase;

		if (it->inferred) {
			/* one finding says it all: the fields follow once it is in the table */
			diags_add(out, DIAG_WARNING, path_of(pm), it->line, it->col, "inferred",
			          "action item outside the Action items section (%s, %s "
			          "confidence): move it into the table",
			          action_item_origin_name(it->origin),
			          action_item_confidence(it->origin));
			continue;
		}
		lint_owner(out, pm, it, cfg);
		lint_due(out, pm, it);
		lint_lever(out, pm, it, cfg);
		if (it->text && (phrase = find_vague(it->text, &cfg->vague)))
			diags_add(out, DIAG_WARNING, path_of(pm), it->line, it->col, "vague",
			          "vague wording '%s': say what will be done", phrase);
	}
	lint_duplicates(out, pm);
	return 0;
}

/* By blob id, then by place in the set: the first of a group is the earliest file. */
static int cmp_blob(const void *a, const void *b)
{
	const struct postmortem *x = *(const struct postmortem *const *)a;
	const struct postmortem *y = *(const struct postmortem *const *)b;
	int c = strcmp(x->blob_id, y->blob_id);

	return c ? c : (x > y) - (x < y);
}

void lint_set(struct diags *out, const struct postmortem *v, size_t n, const struct config *cfg)
{
	const struct postmortem **by = xcalloc(n ? n : 1, sizeof(*by));
	size_t m = 0, i, first = 0;

	(void)cfg;
	/* A copied file: every item in it would be tracked twice. Sorted, not paired. */
	for (i = 0; i < n; i++)
		if (v[i].blob_id[0] && !v[i].unreadable)
			by[m++] = &v[i];
	if (m > 1)
		qsort(by, m, sizeof(*by), cmp_blob);
	for (i = 1; i < m; i++) {
		if (strcmp(by[i]->blob_id, by[first]->blob_id)) {
			first = i;
			continue;
		}
		diags_add(out, DIAG_WARNING, path_of(by[i]), 1, 1, "duplicate-postmortem",
		          "same content as '%s': its action items would be tracked twice",
		          path_of(by[first]));
	}
	free(by);
}
