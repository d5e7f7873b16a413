/*
 * `pmsync items`: prints every action item of every postmortem at the
 * revision, as text for people or as versioned JSON for scripts (the format
 * is documented in the README under "pmsync items --format json").
 */
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

static void item_json(struct strbuf *sb, const struct action_item *it)
{
	bool first = true, efirst = true;
	size_t i;

	strbuf_addch(sb, '{');
	jsonw_member_string(sb, &first, "key", it->key);
	jsonw_member_string(sb, &first, "key_source", key_source_name(it->key_source));
	jsonw_member_int(sb, &first, "line", it->line);
	jsonw_member_string(sb, &first, "text", it->text);
	jsonw_member_string(sb, &first, "markdown", it->markdown);
	jsonw_member_string(sb, &first, "owner", it->owner);
	jsonw_member_string(sb, &first, "due", it->due);
	jsonw_member_string(sb, &first, "due_raw", it->due_raw);
	jsonw_member_string(sb, &first, "lever", it->lever);
	jsonw_member_string(sb, &first, "ticket", it->ticket);
	jsonw_member_string(sb, &first, "ticket_kind", ticket_kind_name(it->ticket_kind));
	jsonw_member_string(sb, &first, "ticket_key", it->ticket_key);
	jsonw_member_string(sb, &first, "status", it->status == PM_ITEM_DONE ? "done" : "open");
	jsonw_member_string(sb, &first, "priority", it->priority);
	jsonw_member_string(sb, &first, "id", it->id);
	jsonw_member(sb, &first, "extra");
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
	jsonw_member_string(sb, &first, "path", pm->path);
	jsonw_member_string(sb, &first, "blob", pm->blob_id[0] ? pm->blob_id : NULL);
	jsonw_member_string(sb, &first, "title", pm->title);
	jsonw_member_string(sb, &first, "date", pm->date);
	jsonw_member_string(sb, &first, "url", pm->url);
	jsonw_member_bool(sb, &first, "readable", !pm->unreadable);
	jsonw_member(sb, &first, "detection_chain_minutes");
	if (pm->detection_chain_minutes >= 0)
		strbuf_addf(sb, "%ld", pm->detection_chain_minutes);
	else
		strbuf_addstr(sb, "null");
	jsonw_member(sb, &first, "front_matter");
	strbuf_addch(sb, '{');
	for (i = 0; i < pm->meta_nr; i++)
		jsonw_member_string(sb, &mfirst, pm->meta[i].name, pm->meta[i].value);
	strbuf_addch(sb, '}');
	jsonw_member(sb, &first, "items");
	strbuf_addch(sb, '[');
	for (i = 0; i < pm->items_nr; i++) {
		if (i)
			strbuf_addch(sb, ',');
		item_json(sb, &pm->items[i]);
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

		printf("%s: %s%s%s\n", pm->path, pm->title ? pm->title : "(no title)",
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
			printf("  %d: [%s] %s\n", it->line, it->status == PM_ITEM_DONE ? "x" : " ",
			       it->text ? it->text : "");
			printf("      %s%skey %s\n", sb.buf, sb.len ? ", " : "",
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

const struct pm_cmd cmd_items = {
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
