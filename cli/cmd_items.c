/*
 * `pmsync items`: prints every action item of every postmortem at the
 * revision, as text for people or as versioned JSON for scripts (the format
 * is documented in the README under "pmsync items --format json").
 */
#include "util/compat.h"

#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/session.h"
#include "util/error.h"
#include "util/jsonw.h"
#include "util/strbuf.h"

#define ITEMS_JSON_VERSION 1

enum { O_FORMAT };

static const struct cli_opt items_opts[] = {
        {"format", 0, true, O_FORMAT},
        {NULL, 0, false, 0},
};

static const char *ticket_kind_name(enum pm_ticket_kind kind)
{
	switch (kind) {
	case PM_TICKET_KEY:
		return "key";
	case PM_TICKET_URL:
		return "url";
	case PM_TICKET_GITHUB:
		return "github";
	case PM_TICKET_OTHER:
		return "other";
	case PM_TICKET_NONE:
		break;
	}
	return NULL;
}

static const char *key_source_name(enum pm_key_source source)
{
	switch (source) {
	case PM_KEY_ID:
		return "id";
	case PM_KEY_TICKET:
		return "ticket";
	case PM_KEY_TEXT:
		break;
	}
	return "text";
}

/*
 * The member names below are constants that need no escaping: they are
 * written as is, which halves the cost of the document (50,000 items carry
 * 850,000 members). Values go through jsonw.
 */
#define NAME(s) "\"" s "\":"

static void member(struct strbuf *sb, bool *first, const char *quoted, size_t len)
{
	if (!*first)
		strbuf_addch(sb, ',');
	*first = false;
	strbuf_add(sb, quoted, len);
}

#define MEMBER(sb, first, name) member((sb), (first), NAME(name), sizeof(NAME(name)) - 1)

static void member_string(struct strbuf *sb, bool *first, const char *quoted, size_t len,
                          const char *value)
{
	member(sb, first, quoted, len);
	jsonw_string(sb, value);
}

#define MEMBER_STRING(sb, first, name, value) \
	member_string((sb), (first), NAME(name), sizeof(NAME(name)) - 1, (value))

/* A value from pmsync's own vocabulary ("open", "high"): quoted, no escaping needed. */
static void member_word(struct strbuf *sb, bool *first, const char *quoted, size_t len,
                        const char *word)
{
	char buf[32];
	size_t n = word ? strlen(word) : 0;

	member(sb, first, quoted, len);
	if (!word || n + 2 > sizeof(buf)) {
		jsonw_string(sb, word);
		return;
	}
	buf[0] = '"';
	memcpy(buf + 1, word, n);
	buf[n + 1] = '"';
	strbuf_add(sb, buf, n + 2);
}

#define MEMBER_WORD(sb, first, name, word) \
	member_word((sb), (first), NAME(name), sizeof(NAME(name)) - 1, (word))

static void add_long(struct strbuf *sb, long v)
{
	char digits[24];
	size_t i = sizeof(digits);
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do {
		digits[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[--i] = '-';
	strbuf_add(sb, digits + i, sizeof(digits) - i);
}

static void item_json(struct strbuf *sb, const struct postmortem *pm, const struct action_item *it)
{
	bool first = true, efirst = true;
	size_t i;

	strbuf_addch(sb, '{');
	MEMBER_STRING(sb, &first, "key", it->key);
	MEMBER_WORD(sb, &first, "key_source", key_source_name(it->key_source));
	MEMBER(sb, &first, "line");
	add_long(sb, it->line);
	MEMBER_STRING(sb, &first, "text", it->text);
	MEMBER_STRING(sb, &first, "markdown", it->markdown);
	MEMBER_STRING(sb, &first, "owner", it->owner);
	MEMBER_STRING(sb, &first, "due", it->due);
	MEMBER_STRING(sb, &first, "due_raw", it->due_raw);
	MEMBER_STRING(sb, &first, "lever", it->lever);
	MEMBER_STRING(sb, &first, "ticket", it->ticket);
	MEMBER_WORD(sb, &first, "ticket_kind", ticket_kind_name(it->ticket_kind));
	MEMBER_STRING(sb, &first, "ticket_key", it->ticket_key);
	MEMBER(sb, &first, "tickets");
	strbuf_addch(sb, '[');
	for (i = 0; i < it->tickets_nr; i++) {
		if (i)
			strbuf_addch(sb, ',');
		jsonw_string(sb, it->tickets[i]);
	}
	strbuf_addch(sb, ']');
	MEMBER_WORD(sb, &first, "status", action_item_status_name(it->status));
	MEMBER_STRING(sb, &first, "status_raw", it->status_raw);
	MEMBER_STRING(sb, &first, "priority", it->priority);
	MEMBER_STRING(sb, &first, "id", it->id);
	MEMBER_WORD(sb, &first, "origin", action_item_origin_name(it->origin));
	MEMBER_WORD(sb, &first, "confidence", action_item_confidence(it->origin));
	MEMBER(sb, &first, "inferred");
	strbuf_addstr(sb, it->inferred ? "true" : "false");
	MEMBER_STRING(sb, &first, "section",
	              it->heading >= 0 && (size_t)it->heading < pm->headings_nr
	                      ? pm->headings[it->heading]
	                      : NULL);
	MEMBER_STRING(sb, &first, "parent",
	              it->parent > 0 && (size_t)it->parent <= pm->items_nr
	                      ? pm->items[it->parent - 1].key
	                      : NULL);
	MEMBER(sb, &first, "extra");
	strbuf_addch(sb, '{');
	for (i = 0; i < it->extra_nr; i++)
		jsonw_member_string(sb, &efirst, it->extra[i].name, it->extra[i].value);
	strbuf_addstr(sb, "}}");
}

static void postmortem_json(struct strbuf *sb, const struct postmortem *pm)
{
	bool first = true, mfirst = true;
	size_t i;

	strbuf_addch(sb, '{');
	MEMBER_STRING(sb, &first, "path", pm->path);
	MEMBER_STRING(sb, &first, "blob", pm->blob_id[0] ? pm->blob_id : NULL);
	MEMBER_STRING(sb, &first, "title", pm->title);
	MEMBER_STRING(sb, &first, "date", pm->date);
	MEMBER_STRING(sb, &first, "url", pm->url);
	MEMBER(sb, &first, "readable");
	strbuf_addstr(sb, pm->unreadable ? "false" : "true");
	MEMBER(sb, &first, "detection_chain_minutes");
	if (pm->detection_chain_minutes >= 0)
		add_long(sb, pm->detection_chain_minutes);
	else
		strbuf_addstr(sb, "null");
	MEMBER(sb, &first, "front_matter");
	strbuf_addch(sb, '{');
	for (i = 0; i < pm->meta_nr; i++)
		jsonw_member_string(sb, &mfirst, pm->meta[i].name, pm->meta[i].value);
	strbuf_addch(sb, '}');
	MEMBER(sb, &first, "items");
	strbuf_addch(sb, '[');
	for (i = 0; i < pm->items_nr; i++) {
		if (i)
			strbuf_addch(sb, ',');
		item_json(sb, pm, &pm->items[i]);
	}
	strbuf_addstr(sb, "]}");
}

/*
 * Streams the document one postmortem at a time through one reused buffer,
 * so that memory stays flat however many postmortems there are.
 */
static void print_json(const struct pm_set *set)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addf(&sb, "{\"version\":%d,\"rev\":", ITEMS_JSON_VERSION);
	jsonw_string(&sb, set->rev_id[0] ? set->rev_id : NULL);
	strbuf_addstr(&sb, ",\"postmortems\":[");
	for (i = 0; i < set->nr; i++) {
		if (i)
			strbuf_addch(&sb, ',');
		postmortem_json(&sb, &set->v[i]);
		if (sb.len > 65536) {
			fwrite(sb.buf, 1, sb.len, stdout);
			strbuf_reset(&sb);
		}
	}
	strbuf_addstr(&sb, "]}\n");
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

static void add_detail(struct strbuf *sb, const char *name, const char *value)
{
	if (!value)
		return;
	strbuf_addstr(sb, sb->len ? ", " : "");
	strbuf_addf(sb, "%s %s", name, value);
}

static void print_text(const struct pm_set *set)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, j, total = 0;

	for (i = 0; i < set->nr; i++) {
		const struct postmortem *pm = &set->v[i];

		cli_line(stdout, "%s: %s%s%s", pm->path, pm->title ? pm->title : "(no title)",
		         pm->date ? ", " : "", pm->date ? pm->date : "");
		if (pm->unreadable) {
			printf("  (unreadable: items unknown)\n");
			continue;
		}
		if (!pm->items_nr)
			printf("  (no action items)\n");
		for (j = 0; j < pm->items_nr; j++) {
			const struct action_item *it = &pm->items[j];

			strbuf_reset(&sb);
			add_detail(&sb, "owner", it->owner);
			add_detail(&sb, "due", it->due ? it->due : it->due_raw);
			add_detail(&sb, "lever", it->lever);
			add_detail(&sb, "ticket", it->ticket);
			add_detail(&sb, "priority", it->priority);
			add_detail(&sb, "sub-task of",
			           it->parent > 0 && (size_t)it->parent <= pm->items_nr
			                   ? pm->items[it->parent - 1].key
			                   : NULL);
			add_detail(&sb, "inferred from",
			           it->inferred ? action_item_origin_name(it->origin) : NULL);
			cli_line(stdout, "  %d: [%s] %s", it->line,
			         it->status == PM_ITEM_DONE       ? "x"
			         : it->status == PM_ITEM_CANCELED ? "-"
			                                          : " ",
			         it->text ? it->text : "");
			cli_line(stdout, "      %s%skey %s", sb.buf, sb.len ? ", " : "",
			         it->key ? it->key : "-");
		}
		total += pm->items_nr;
	}
	printf("%zu action items in %zu postmortems\n", total, set->nr);
	strbuf_release(&sb);
}

static int run_items(int argc, char **argv, const struct pm_globals *g)
{
	struct cli_session s = CLI_SESSION_INIT;
	const char *format = "text";
	int i = 1, r, id = 0, code = PM_EXIT_OK;
	const char *value;

	while ((r = cli_next_opt(argc, argv, &i, items_opts, &id, &value)) > 0)
		if (id == O_FORMAT)
			format = value;
	if (r < 0)
		return cli_usage_error(&cmd_items, "%s", pm_error_message());
	if (i < argc)
		return cli_usage_error(&cmd_items, "unexpected argument '%s'", argv[i]);
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage_error(&cmd_items, "unknown format '%s': use text or json", format);

	r = cli_session_open(&s, g, true);
	if (r < 0) {
		code = cli_fail(r);
		goto done;
	}
	if (g->verbosity >= 0)
		cli_print_diags(&s.diags, g->verbosity);
	if (!strcmp(format, "json"))
		print_json(&s.set);
	else
		print_text(&s.set);
done:
	cli_session_release(&s);
	return code;
}

const struct cli_cmd cmd_items = {
        "items",
        run_items,
        "print the action items of every postmortem",
        "usage: pmsync items [--format text|json]\n"
        "\n"
        "Prints every action item of every postmortem at the revision (--rev,\n"
        "default HEAD; --worktree for the working tree): its source line, text,\n"
        "owner, due date, lever, ticket, status and stable key. Problems found\n"
        "while reading go to stderr; `pmsync lint` checks the items.\n"
        "\n"
        "  --format text|json   text (default) or versioned JSON (see README)\n",
};
