/*
 * Reading `.pmsync.conf` over a configuration. The file is in git-config
 * syntax, read with libgit2's config API so that `git config -f
 * .pmsync.conf tracker.kind linear` edits it, and in steps, each a module of
 * its own: the text is scanned first (config/scan.c) so that an `include` or
 * `includeIf` section is refused before libgit2 sees the text and every
 * variable has a line for messages; libgit2 reads the entries
 * (config/entry.c); secrets are refused before any message could quote one
 * (config/key.c); then every entry is checked against the table of known
 * keys and stored (config/value.c). Values replace nothing until the whole
 * file has been read without error. config/key.c lists the keys.
 */
#include "util/compat.h"

#include "config/config.h"

#include <stdlib.h>
#include <string.h>

#include "config/entry.h"
#include "config/key.h"
#include "config/scan.h"
#include "config/value.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define CONFIG_MAX_SIZE (1024 * 1024)

static const char include_refused[] = "'include' is not allowed in .pmsync.conf: a pull request "
                                      "could pull in .git/config and its tokens";

static void config_copy(struct config *dst, const struct config *src)
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
	dst->inferred = src->inferred;
	dst->tracker = src->tracker;
	dst->linear_url = xstrdup_or_null(src->linear_url);
	dst->linear_team = xstrdup_or_null(src->linear_team);
	dst->jira_url = xstrdup_or_null(src->jira_url);
	dst->jira_project = xstrdup_or_null(src->jira_project);
	dst->jira_issue_type = xstrdup_or_null(src->jira_issue_type);
	dst->jira_deployment = xstrdup_or_null(src->jira_deployment);
	strlist_copy(&dst->jira_priorities, &src->jira_priorities);
	strlist_copy(&dst->jira_fields, &src->jira_fields);
	dst->jira_cancel_transition = xstrdup_or_null(src->jira_cancel_transition);
	strlist_copy(&dst->jira_canceled, &src->jira_canceled);
	dst->jira_ca_info = xstrdup_or_null(src->jira_ca_info);
	dst->jira_remote_links = src->jira_remote_links;
	dst->state_file = xstrdup_or_null(src->state_file);
	dst->removed = src->removed;
	dst->max_changes = src->max_changes;
	dst->timeout = src->timeout;
	dst->report_window = src->report_window;
	dst->report_goal = src->report_goal;
	dst->label = xstrdup_or_null(src->label);
	dst->lever_label_prefix = xstrdup_or_null(src->lever_label_prefix);
	dst->report_branch = xstrdup_or_null(src->report_branch);
	dst->repo_id = xstrdup_or_null(src->repo_id);
	dst->chosen = src->chosen;
	dst->file_trusted = src->file_trusted;
	ALLOC_GROW(dst->owners, src->owners_nr, dst->owners_alloc);
	for (i = 0; i < src->owners_nr; i++) {
		const struct config_owner *o = &src->owners[i];
		struct config_owner *c = &dst->owners[i];

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

int config_read_buffer(struct config *cfg, const char *buf, size_t len, const char *display)
{
	struct config next;
	struct config_value_reader r;
	struct config_scan sc = CONFIG_SCAN_INIT;
	struct config_entry *entries = NULL;
	const char *file = display ? display : ".pmsync.conf";
	size_t nr = 0, i;
	int error = 0, line;

	if (!buf)
		buf = "";
	config_copy(&next, cfg);
	config_value_reader_init(&r, &next, file);

	if (len > CONFIG_MAX_SIZE) {
		error = config_error(file, 0, "the configuration is larger than %d bytes",
		                     CONFIG_MAX_SIZE);
		goto done;
	}
	if ((line = find_nul_line(buf, len))) {
		error = config_error(file, line, "a NUL byte: the configuration must be text");
		goto done;
	}
	config_scan_text(&sc, buf, len);
	if (sc.include_line) {
		error = config_error(file, sc.include_line, "%s", include_refused);
		goto done;
	}
	if ((error = config_entry_read(&entries, &nr, buf, len, file, &sc)) < 0)
		goto done;

	/* Secrets first: no other message may quote one. */
	for (i = 0; i < nr; i++)
		if ((error = config_key_check_secret(file, &entries[i])) < 0)
			goto done;
	for (i = 0; i < nr; i++) {
		if (!strncmp(entries[i].name, "include.", 8) ||
		    !strncmp(entries[i].name, "includeif.", 10)) {
			/* libgit2 followed it already; nothing read from it is used */
			error = config_error(file, entries[i].line, "%s", include_refused);
			goto done;
		}
		if ((error = config_value_apply(&r, &entries[i])) < 0)
			goto done;
	}
	free(next.source);
	next.source = xstrdup(file);
	config_release(cfg);
	*cfg = next;
	memset(&next, 0, sizeof(next)); /* moved into cfg */
done:
	config_release(&next);
	config_entry_free(entries, nr);
	config_scan_release(&sc);
	return error;
}

int config_read_file(struct config *cfg, const char *path, const char *display)
{
	struct strbuf sb = STRBUF_INIT;
	int error;

	error = strbuf_read_file(&sb, path, CONFIG_MAX_SIZE);
	if (!error)
		error = config_read_buffer(cfg, sb.buf, sb.len, display ? display : path);
	strbuf_release(&sb);
	return error;
}
