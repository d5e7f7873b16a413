/*
 * `pmsync lint`: checks every postmortem against the house rules (required
 * sections, an owner and a due date on every action item, known levers, no
 * vague wording) and prints the findings as `path:line:col: level: message
 * [rule]`, as GitHub annotations, or as JSON. Errors make it exit 1; warnings
 * too with --strict.
 */
#include "util/compat.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "cli/session.h"
#include "postmortems/lint.h"
#include "util/error.h"
#include "util/escape.h"
#include "util/strbuf.h"

#define LINT_JSON_VERSION 1

enum { O_FORMAT, O_STRICT };

static const struct cli_opt lint_opts[] = {
        {"format", 0, true, O_FORMAT},
        {"strict", 0, false, O_STRICT},
        {NULL, 0, false, 0},
};

static const char *level_name(enum diag_level level)
{
	return level == DIAG_ERROR ? "error" : "warning";
}

/*
 * GitHub's workflow-command escaping, over the text with its other control
 * characters and bidirectional overrides made visible; properties also
 * escape ':' and ','.
 */
static void add_gh_escaped(struct strbuf *sb, const char *text, bool property)
{
	struct strbuf shown = STRBUF_INIT;
	const char *s;

	esc_text(&shown, text);
	for (s = shown.buf; *s; s++) {
		if (*s == '%')
			strbuf_addstr(sb, "%25");
		else if (*s == '\r')
			strbuf_addstr(sb, "%0D");
		else if (*s == '\n')
			strbuf_addstr(sb, "%0A");
		else if (property && *s == ':')
			strbuf_addstr(sb, "%3A");
		else if (property && *s == ',')
			strbuf_addstr(sb, "%2C");
		else
			strbuf_addch(sb, *s);
	}
	strbuf_release(&shown);
}

static void print_github(const struct diag *d, struct strbuf *sb)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "::%s file=", level_name(d->level));
	add_gh_escaped(sb, d->path, true);
	if (d->line > 0)
		strbuf_addf(sb, ",line=%d", d->line);
	if (d->col > 0)
		strbuf_addf(sb, ",col=%d", d->col);
	if (d->rule) {
		strbuf_addstr(sb, ",title=");
		add_gh_escaped(sb, d->rule, true);
	}
	strbuf_addstr(sb, "::");
	add_gh_escaped(sb, d->message, false);
	puts(sb->buf);
}

static void print_text(const struct diag *d)
{
	cli_line(stdout, "%s:%d:%d: %s: %s%s%s%s", d->path, d->line, d->col, level_name(d->level),
	         d->message, d->rule ? " [" : "", d->rule ? d->rule : "", d->rule ? "]" : "");
}

static void print_json(const struct diags *diags, size_t files)
{
	json_t *doc = json_object();
	json_t *list = json_array();
	size_t i;

	json_object_set_new(doc, "version", json_integer(LINT_JSON_VERSION));
	json_object_set_new(doc, "files", json_integer((json_int_t)files));
	json_object_set_new(doc, "errors",
	                    json_integer((json_int_t)diags_count(diags, DIAG_ERROR)));
	json_object_set_new(doc, "warnings",
	                    json_integer((json_int_t)diags_count(diags, DIAG_WARNING)));
	for (i = 0; i < diags->nr; i++) {
		const struct diag *d = &diags->v[i];
		json_t *o = json_object();

		json_object_set_new(o, "path", json_string(d->path));
		json_object_set_new(o, "line", json_integer(d->line));
		json_object_set_new(o, "col", json_integer(d->col));
		json_object_set_new(o, "level", json_string(level_name(d->level)));
		json_object_set_new(o, "rule", d->rule ? json_string(d->rule) : json_null());
		json_object_set_new(o, "message", json_string(d->message));
		json_array_append_new(list, o);
	}
	json_object_set_new(doc, "findings", list);
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(doc);
}

static int run_lint(int argc, char **argv, const struct pm_globals *g)
{
	struct cli_session s = CLI_SESSION_INIT;
	struct strbuf sb = STRBUF_INIT;
	const char *format = "text";
	bool strict = false;
	size_t i, errors, warnings;
	int argi = 1, r, id = 0, code = PM_EXIT_OK;
	const char *value;

	while ((r = cli_next_opt(argc, argv, &argi, lint_opts, &id, &value)) > 0) {
		if (id == O_FORMAT)
			format = value;
		else if (id == O_STRICT)
			strict = true;
	}
	if (r < 0)
		return cli_usage_error(&cmd_lint, "%s", pm_error_message());
	if (argi < argc)
		return cli_usage_error(&cmd_lint, "unexpected argument '%s'", argv[argi]);
	if (strcmp(format, "text") && strcmp(format, "github") && strcmp(format, "json"))
		return cli_usage_error(&cmd_lint, "unknown format '%s': use text, github or json",
		                       format);

	r = cli_session_open(&s, g, true);
	if (r < 0) {
		code = cli_fail(r);
		goto done;
	}
	for (i = 0; i < s.set.nr; i++)
		lint_postmortem(&s.diags, &s.set.v[i], &s.cfg);
	lint_set(&s.diags, s.set.v, s.set.nr, &s.cfg);
	diags_sort(&s.diags);

	if (!strcmp(format, "json")) {
		print_json(&s.diags, s.set.nr);
	} else {
		for (i = 0; i < s.diags.nr; i++) {
			if (!strcmp(format, "github"))
				print_github(&s.diags.v[i], &sb);
			else
				print_text(&s.diags.v[i]);
		}
	}
	errors = diags_count(&s.diags, DIAG_ERROR);
	warnings = diags_count(&s.diags, DIAG_WARNING);
	if (g->verbosity >= 0 && strcmp(format, "json"))
		fprintf(stderr, "pmsync: %zu postmortems: %zu errors, %zu warnings\n", s.set.nr,
		        errors, warnings);
	if (errors || (strict && warnings))
		code = PM_EXIT_FINDINGS;
done:
	strbuf_release(&sb);
	cli_session_release(&s);
	return code;
}

const struct cli_cmd cmd_lint = {
        "lint",
        run_lint,
        "check postmortems and their action items",
        "usage: pmsync lint [--format text|github|json] [--strict]\n"
        "\n"
        "Checks every postmortem: the required sections are there, a detection\n"
        "chain is measured, and every action item has an owner, a readable due\n"
        "date, an allowed lever and concrete wording. Findings are printed as\n"
        "`path:line:col: error|warning: message [rule]`.\n"
        "\n"
        "  --format text|github|json  text (default), GitHub annotations, or JSON\n"
        "  --strict                   warnings count as findings (exit 1)\n"
        "\n"
        "Exit status: 0 clean (warnings alone are clean without --strict), 1\n"
        "findings, 3 usage, 4 configuration, 6 repository.\n",
};
