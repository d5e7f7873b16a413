/*
 * The intent journal. Jira has no key a client can choose, so an issue
 * whose create response was lost cannot be asked for by name; and its
 * search lags. Before a create request the items about to be created are
 * written here (synced to disk); as soon as a response brings each new
 * issue's id, it is written beside its item. A later run settles the
 * journal before planning (see jira_search.c): journaled ids are read back
 * through reconcileIssues, items without an id are searched for by their
 * marker until the recovery bound has passed. The file lives beside the
 * state (`<state>.journal`), is replaced atomically, and is only read
 * on a dry run.
 */
#include "util/compat.h"

#include "connectors/jira/jira_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/json.h"
#include "util/lockfile.h"
#include "util/xalloc.h"

#define JOURNAL_MAX_SIZE ((size_t)8 << 20)

static struct jira_intent *find(struct jira_tracker *jt, const char *item_key)
{
	size_t i;

	for (i = 0; i < jt->journal_nr; i++)
		if (!strcmp(jt->journal[i].item_key, item_key))
			return &jt->journal[i];
	return NULL;
}

void jira_journal_add(struct jira_tracker *jt, const char *item_key)
{
	struct jira_intent *in;

	if (find(jt, item_key))
		return;
	ALLOC_GROW(jt->journal, jt->journal_nr + 1, jt->journal_alloc);
	in = &jt->journal[jt->journal_nr++];
	in->item_key = xstrdup(item_key);
	in->issue_id = NULL;
}

void jira_journal_set_id(struct jira_tracker *jt, const char *item_key, const char *issue_id)
{
	struct jira_intent *in = find(jt, item_key);

	if (!in)
		return;
	free(in->issue_id);
	in->issue_id = xstrdup_or_null(issue_id);
}

void jira_journal_drop(struct jira_tracker *jt, const char *item_key)
{
	struct jira_intent *in = find(jt, item_key);
	size_t i;

	if (!in)
		return;
	i = (size_t)(in - jt->journal);
	free(in->item_key);
	free(in->issue_id);
	memmove(in, in + 1, (jt->journal_nr - i - 1) * sizeof(*in));
	jt->journal_nr--;
}

void jira_journal_clear(struct jira_tracker *jt)
{
	size_t i;

	for (i = 0; i < jt->journal_nr; i++) {
		free(jt->journal[i].item_key);
		free(jt->journal[i].issue_id);
	}
	jt->journal_nr = 0;
}

int jira_journal_save(struct jira_tracker *jt)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *root, *list;
	size_t i;
	int error;

	if (!jt->journal_file || jt->base.opts.dry_run)
		return 0;
	if (!jt->journal_nr) {
		if (unlink(jt->journal_file) < 0 && errno != ENOENT)
			return pm_error(PM_ERROR, "cannot remove '%s': %s", jt->journal_file,
			                strerror(errno));
		return 0;
	}
	root = json_object();
	list = json_array();
	for (i = 0; i < jt->journal_nr; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "key", pm_json_str(jt->journal[i].item_key));
		if (jt->journal[i].issue_id)
			json_object_set_new(e, "id", pm_json_str(jt->journal[i].issue_id));
		json_array_append_new(list, e);
	}
	json_object_set_new(root, "site", pm_json_str(jt->site));
	json_object_set_new(root, "creating", list);
	pm_json_dump(&sb, root);
	strbuf_addch(&sb, '\n');
	json_decref(root);
	error = lockfile_write_atomic(jt->journal_file, jt->journal_file, sb.buf, sb.len);
	strbuf_release(&sb);
	return error;
}

int jira_journal_load(struct jira_tracker *jt)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *root = NULL, *e;
	size_t i;
	int error;

	jira_journal_clear(jt);
	if (!jt->journal_file)
		return 0;
	error = strbuf_read_file(&sb, jt->journal_file, JOURNAL_MAX_SIZE);
	if (error == PM_ENOTFOUND) {
		pm_error_clear();
		error = 0;
		goto done;
	}
	if (error < 0)
		goto done;
	error = pm_json_parse(&root, sb.buf, sb.len, jt->journal_file, PM_ESTATE);
	if (error < 0)
		goto done;
	json_array_foreach(json_object_get(root, "creating"), i, e)
	{
		const char *key = json_string_value(json_object_get(e, "key"));
		const char *id = json_string_value(json_object_get(e, "id"));
		if (!key)
			continue;
		jira_journal_add(jt, key);
		if (id)
			jira_journal_set_id(jt, key, id);
	}
done:
	json_decref(root);
	strbuf_release(&sb);
	return error;
}
