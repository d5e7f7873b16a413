/*
 * From an action item to the ticket pmsync wants for it: the title (the
 * action's text, cut for the tracker), the Markdown description (the action
 * as written, owner, due date, lever, a link to the postmortem's action-items
 * section and a footer naming the item), labels, priority, the owner's email
 * to resolve into a user, the marker that ties the ticket to the item, and
 * the id pmsync chooses for a new ticket. Every compared field depends only
 * on the item's content and the postmortem's identity, never on where the
 * row sits, so inserting a row leaves the other tickets alone.
 */
#include "util/compat.h"

#include "mapping/mapping.h"

#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/escape.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */

char *mapping_title(const char *text)
{
	struct strbuf sb = STRBUF_INIT, clean = STRBUF_INIT;
	const unsigned char *p;
	bool space = false;

	/* no control characters or bidirectional overrides reach a tracker */
	esc_plain(&clean, text ? text : "", false);
	p = (const unsigned char *)clean.buf;

	/* One line: runs of white space become one space. */
	for (; *p; p++) {
		if (ascii_isspace(*p)) {
			space = sb.len > 0;
			continue;
		}
		if (space)
			strbuf_addch(&sb, ' ');
		space = false;
		strbuf_addch(&sb, *p);
	}
	if (!sb.len)
		strbuf_addstr(&sb, "(action item without text)");
	if (sb.len > MAPPING_TITLE_MAX) {
		size_t cut = MAPPING_TITLE_MAX - strlen(ELLIPSIS);
		/* Back off to the start of a UTF-8 sequence. */
		while (cut > 0 && ((unsigned char)sb.buf[cut] & 0xc0) == 0x80)
			cut--;
		strbuf_setlen(&sb, cut);
		strbuf_rtrim(&sb);
		strbuf_addstr(&sb, ELLIPSIS);
	}
	strbuf_release(&clean);
	return strbuf_detach(&sb, NULL);
}

char *mapping_anchor(const char *heading)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p;

	for (p = (const unsigned char *)(heading ? heading : ""); *p; p++) {
		if (*p == ' ')
			strbuf_addch(&sb, '-');
		else if (ascii_isalnum(*p) || *p == '-' || *p == '_' || *p >= 0x80)
			strbuf_addch(&sb, ascii_tolower(*p));
	}
	return strbuf_detach(&sb, NULL);
}

/* GitHub's anchor for the action-items heading, with "-N" when an earlier heading has the same. */
static char *section_anchor(const struct postmortem *pm)
{
	char *anchor = mapping_anchor(pm->section);
	size_t i, same = 0;

	for (i = 0; i < pm->headings_nr; i++) {
		char *other;
		if (pm->heading_lines && pm->section_line > 0 &&
		    pm->heading_lines[i] >= pm->section_line)
			break;
		if (!pm->heading_lines && pm->headings[i] && !strcmp(pm->headings[i], pm->section))
			break;
		other = mapping_anchor(pm->headings[i]);
		if (!strcmp(other, anchor))
			same++;
		free(other);
	}
	if (same) {
		char *numbered = xasprintf("%s-%zu", anchor, same);
		free(anchor);
		anchor = numbered;
	}
	return anchor;
}

char *mapping_section_url(const struct postmortem *pm)
{
	char *anchor, *url;

	if (!pm->url)
		return NULL;
	if (!pm->section || !*pm->section)
		return xstrdup(pm->url);
	anchor = section_anchor(pm);
	url = xasprintf("%s#%s", pm->url, anchor);
	free(anchor);
	return url;
}

static void add_link_text(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '[' || *s == ']' || *s == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *s == '\n' ? ' ' : *s);
	}
}

static void add_link_dest(struct strbuf *sb, const char *url)
{
	if (strpbrk(url, " ()<>"))
		strbuf_addf(sb, "<%s>", url);
	else
		strbuf_addstr(sb, url);
}

char *mapping_description(const struct postmortem *pm, const struct action_item *item)
{
	struct strbuf sb = STRBUF_INIT, clean = STRBUF_INIT;
	const char *action = item->markdown ? item->markdown : item->text;
	const char *due = item->due ? item->due : item->due_raw;
	char *section = mapping_section_url(pm);

	strbuf_addstr(&sb, action ? action : "");
	strbuf_rtrim(&sb);
	strbuf_addstr(&sb, "\n\n");
	strbuf_addf(&sb, "- Owner: %s\n", item->owner ? item->owner : "none");
	strbuf_addf(&sb, "- Due: %s\n", due ? due : "none");
	strbuf_addf(&sb, "- Lever: %s\n", item->lever ? item->lever : "none");
	strbuf_addstr(&sb, "- Postmortem: ");
	if (section) {
		strbuf_addch(&sb, '[');
		add_link_text(&sb, pm->title ? pm->title : pm->path);
		strbuf_addstr(&sb, "](");
		add_link_dest(&sb, section);
		strbuf_addch(&sb, ')');
	} else {
		add_link_text(&sb, pm->title ? pm->title : pm->path);
		strbuf_addf(&sb, " (%s)", pm->path);
	}
	strbuf_addstr(&sb, "\n\n---\n");
	strbuf_addstr(&sb, "Managed by pmsync: edit this action item in the postmortem, not here.");
	if (strchr(item->key, '`'))
		strbuf_addf(&sb, " Item key: %s\n", item->key);
	else
		strbuf_addf(&sb, " Item key: `%s`\n", item->key);
	free(section);
	esc_plain(&clean, sb.buf, true);
	strbuf_release(&sb);
	return strbuf_detach(&clean, NULL);
}

int mapping_priority(const char *cell)
{
	static const struct {
		const char *name;
		int priority;
	} table[] = {
	        {"p0", TP_URGENT}, {"urgent", TP_URGENT}, {"critical", TP_URGENT}, {"p1", TP_HIGH},
	        {"high", TP_HIGH}, {"p2", TP_MEDIUM},     {"medium", TP_MEDIUM},   {"p3", TP_LOW},
	        {"p4", TP_LOW},    {"low", TP_LOW},
	};
	const char *start, *end;
	size_t i, len;

	if (!cell)
		return -1;
	for (start = cell; ascii_isspace((unsigned char)*start); start++)
		;
	for (end = start + strlen(start); end > start && ascii_isspace((unsigned char)end[-1]);
	     end--)
		;
	len = (size_t)(end - start);
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		size_t j;
		if (strlen(table[i].name) != len)
			continue;
		for (j = 0; j < len && ascii_tolower((unsigned char)start[j]) ==
		                               (unsigned char)table[i].name[j];
		     j++)
			;
		if (j == len)
			return table[i].priority;
	}
	return -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void mapping_labels(struct strlist *out, const struct config *cfg, const char *lever)
{
	size_t i, j;

	if (cfg->label && *cfg->label)
		strlist_add(out, cfg->label);
	if (lever && *lever) {
		char *name = xasprintf(
		        "%s%s", cfg->lever_label_prefix ? cfg->lever_label_prefix : "", lever);
		size_t n = strlen(name);

		/* cut whole UTF-8 characters only */
		if (n > MAPPING_LABEL_MAX) {
			n = MAPPING_LABEL_MAX;
			while (n && ((unsigned char)name[n] & 0xc0) == 0x80)
				n--;
			name[n] = '\0';
		}
		strlist_add(out, name);
		free(name);
	}
	if (out->nr > 1)
		qsort(out->v, out->nr, sizeof(*out->v), cmp_str);
	for (i = j = 0; i < out->nr; i++) {
		if (j && !strcmp(out->v[j - 1], out->v[i])) {
			free(out->v[i]);
			continue;
		}
		out->v[j++] = out->v[i];
	}
	out->nr = j;
}

bool mapping_is_email(const char *s)
{
	const char *at, *dot, *p;

	if (!s || !*s)
		return false;
	for (p = s; *p; p++)
		if (ascii_isspace((unsigned char)*p) || *p == '<' || *p == '>' || *p == ',')
			return false;
	at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1];
}

/* The identity the configuration gives a handle (the tracker's own field, else email). */
static char *owner_identity(const struct config *cfg, const char *handle)
{
	const struct config_owner *o = config_find_owner(cfg, handle);
	const struct tracker_kind *k = tracker_kind_of(cfg->tracker);
	const char *id = o && k && k->owner_identity ? k->owner_identity(o) : NULL;

	if (!o)
		return NULL;
	if (id && *id)
		return xstrdup(id);
	if (o->email && *o->email)
		return xstrdup(o->email);
	return NULL;
}

char *mapping_owner_email(const struct config *cfg, const char *owner)
{
	struct strbuf first = STRBUF_INIT;
	char *id;
	size_t n;

	if (!owner || !*owner)
		return NULL;
	id = owner_identity(cfg, owner);
	if (id)
		return id;
	if (mapping_is_email(owner))
		return xstrdup(owner);
	/* Several owners ("alice, bob"): the first one. */
	n = strcspn(owner, ",;/&");
	strbuf_add(&first, owner, n);
	strbuf_trim(&first);
	if (first.len && n < strlen(owner)) {
		id = owner_identity(cfg, first.buf);
		if (!id && mapping_is_email(first.buf))
			id = xstrdup(first.buf);
	}
	strbuf_release(&first);
	return id;
}

void mapping_fields(struct tracker_fields *out, const struct postmortem *pm,
                    const struct action_item *item, const struct config *cfg)
{
	tracker_fields_init(out);
	out->title = mapping_title(item->text ? item->text : item->markdown);
	out->description = mapping_description(pm, item);
	out->assignee_id = NULL;
	out->due = xstrdup_or_null(item->due);
	out->priority = mapping_priority(item->priority);
	mapping_labels(&out->labels, cfg, item->lever);
}

/* Percent-encodes what is not unreserved in a URL fragment. */
static void add_fragment(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (ascii_isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~' ||
		    *p == ':')
			strbuf_addch(sb, *p);
		else
			strbuf_addf(sb, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

int mapping_marker(struct tracker_marker *out, const struct postmortem *pm, const char *key,
                   const struct config *cfg, const struct tracker_fields *written)
{
	struct strbuf url = STRBUF_INIT;

	if (!pm->url || !*pm->url)
		return pm_error(PM_ECONFIG,
		                "no URL for '%s': set postmortems.url in .pmsync.conf or add an "
		                "origin remote",
		                pm->path);
	strbuf_addf(&url, "%s#pmsync-", pm->url);
	add_fragment(&url, key);
	memset(out, 0, sizeof(*out));
	out->repo_id = xstrdup_or_null(cfg->repo_id);
	out->item_key = xstrdup(key);
	out->pm_path = xstrdup(pm->path);
	out->url = strbuf_detach(&url, NULL);
	strbuf_addstr(&url, "Postmortem: ");
	esc_plain(&url, pm->title && *pm->title ? pm->title : pm->path, false);
	out->title = strbuf_detach(&url, NULL);
	tracker_fields_init(&out->written);
	if (written) {
		tracker_fields_release(&out->written);
		tracker_fields_copy(&out->written, written);
		out->has_written = true;
	}
	return 0;
}

char *mapping_ticket_id(const char *scope, const char *repo_id, const char *key)
{
	struct strbuf in = STRBUF_INIT;
	git_oid oid;
	unsigned char b[16];
	char *out;

	strbuf_add(&in, "pmsync", 7); /* with its NUL */
	if (scope && *scope) {
		strbuf_addstr(&in, scope);
		strbuf_addch(&in, '\0');
	}
	strbuf_addstr(&in, repo_id ? repo_id : "");
	strbuf_addch(&in, '\0');
	strbuf_addstr(&in, key);
	git_libgit2_init();
	if (git_odb_hash(&oid, in.buf, in.len, GIT_OBJECT_BLOB) < 0)
		memset(&oid, 0, sizeof(oid)); /* cannot happen for a blob in memory */
	git_libgit2_shutdown();
	memcpy(b, oid.id, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10 */
	out = xasprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
	                b[12], b[13], b[14], b[15]);
	strbuf_release(&in);
	return out;
}

void mapping_users_resolve(struct mapping_users *u, struct tracker *t, const struct config *cfg)
{
	const char **ids;

	memset(u, 0, sizeof(*u));
	if (!t || !cfg->owners_nr)
		return;
	u->emails = xcalloc(cfg->owners_nr, sizeof(*u->emails));
	u->ids = xcalloc(cfg->owners_nr, sizeof(*u->ids));
	for (size_t i = 0; i < cfg->owners_nr; i++) {
		char *email = mapping_owner_email(cfg, cfg->owners[i].handle);

		if (email && mapping_is_email(email))
			u->emails[u->nr++] = email;
		else
			free(email);
	}
	ids = xcalloc(cfg->owners_nr, sizeof(*ids));
	if (u->nr && t->ops->resolve_users(t, (const char *const *)u->emails, u->nr, ids) < 0)
		pm_error_clear(); /* ids stay unknown */
	else
		for (size_t i = 0; i < u->nr; i++)
			u->ids[i] = ids[i] ? xstrdup(ids[i]) : NULL;
	free((void *)ids);
}

const char *mapping_user_name(void *data, const char *id)
{
	const struct mapping_users *u = data;

	for (size_t i = 0; id && i < u->nr; i++)
		if (u->ids[i] && !strcmp(u->ids[i], id))
			return u->emails[i];
	return NULL;
}

void mapping_users_release(struct mapping_users *u)
{
	while (u->nr) {
		u->nr--;
		free(u->emails[u->nr]);
		free(u->ids[u->nr]);
	}
	free(u->emails);
	free(u->ids);
	memset(u, 0, sizeof(*u));
}
