/*
 * Labels on Linear issues, of which pmsync owns only its own: cfg->label and
 * the lever labels. The tracker loads the team's and the workspace's labels
 * (paged), finds them by name or id, creates a missing one as a team label
 * when a write first needs it, and remembers every label id it last read on
 * each issue, so that an update adds and removes pmsync's labels only and
 * leaves the ones a person added as they are.
 */
#include "util/compat.h"

#include "connectors/linear/linear_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/xalloc.h"

static const char q_labels[] =
        "query Labels($teamId: ID!, $after: String) { issueLabels(filter: {or: [{team: {id: "
        "{eq: $teamId}}}, {team: {null: true}}]}, first: 250, after: $after) { nodes { id name "
        "isGroup team { id } } pageInfo { hasNextPage endCursor } } }";
static const char m_label_create[] =
        "mutation LabelCreate($input: IssueLabelCreateInput!) { issueLabelCreate(input: $input) "
        "{ success issueLabel { id name isGroup team { id } } } }";

void linear_labels_clear(struct linear_tracker *lt)
{
	size_t i;

	for (i = 0; i < lt->labels_nr; i++) {
		free(lt->labels[i].id);
		free(lt->labels[i].name);
	}
	lt->labels_nr = 0;
}

static int read_label(struct linear_tracker *lt, json_t *node, const struct pm_json_path *p)
{
	const char *id, *name;
	json_t *team;
	bool group;
	int error;

	if ((error = pm_json_string(&id, node, p, "id")) < 0 ||
	    (error = pm_json_string(&name, node, p, "name")) < 0 ||
	    (error = pm_json_bool(&group, node, p, "isGroup")) < 0 ||
	    (error = pm_json_object_or_null(&team, node, p, "team")) < 0)
		return error;
	ALLOC_GROW(lt->labels, lt->labels_nr + 1, lt->labels_alloc);
	lt->labels[lt->labels_nr].id = xstrdup(id);
	lt->labels[lt->labels_nr].name = xstrdup(name);
	lt->labels[lt->labels_nr].team = team != NULL;
	lt->labels[lt->labels_nr].group = group;
	lt->labels_nr++;
	return 0;
}

/* Reads one page of labels; *after becomes the next page's cursor, NULL after the last. */
static int labels_page(struct linear_tracker *lt, char **after)
{
	struct pm_json_path root = PM_JSON_PATH_ROOT("linear: Labels: response", PM_ENET);
	struct pm_json_path dp = pm_json_member(&root, "data");
	struct pm_json_path cp = pm_json_member(&dp, "issueLabels");
	struct pm_json_path np = pm_json_member(&cp, "nodes");
	struct pm_json_path ip = pm_json_member(&cp, "pageInfo");
	struct linear_reply r = LINEAR_REPLY_INIT;
	json_t *vars = json_object(), *conn, *nodes, *info, *v;
	const char *cursor = NULL;
	bool next = false;
	size_t i;
	int error;

	json_object_set_new(vars, "teamId", json_string(lt->team_id));
	json_object_set_new(vars, "after", pm_json_str(*after));
	if ((error = linear_gql(lt, &r, "Labels", q_labels, vars, true, false)) < 0 ||
	    (error = pm_json_object(&conn, r.data, &dp, "issueLabels")) < 0 ||
	    (error = pm_json_array(&nodes, conn, &cp, "nodes")) < 0)
		goto done;
	json_array_foreach(nodes, i, v)
	{
		struct pm_json_path ep = pm_json_element(&np, i);
		if ((error = read_label(lt, v, &ep)) < 0)
			goto done;
	}
	if ((error = pm_json_object(&info, conn, &cp, "pageInfo")) < 0 ||
	    (error = pm_json_bool(&next, info, &ip, "hasNextPage")) < 0 ||
	    (error = pm_json_string_or_null(&cursor, info, &ip, "endCursor")) < 0)
		goto done;
	if (next && (!cursor || (*after && !strcmp(*after, cursor)))) {
		error = pm_json_error(&ip, "the next page's cursor does not move on");
		goto done;
	}
	free(*after);
	*after = next ? xstrdup(cursor) : NULL;
done:
	linear_reply_release(&r);
	return error;
}

int linear_load_labels(struct linear_tracker *lt)
{
	char *after = NULL;
	int pages, error = 0;

	linear_labels_clear(lt);
	for (pages = 0; pages < LINEAR_MAX_PAGES; pages++)
		if ((error = labels_page(lt, &after)) < 0 || !after)
			break;
	if (error >= 0 && after)
		error = pm_error(PM_ENET, "linear: Labels: more than %d pages", LINEAR_MAX_PAGES);
	free(after);
	return error;
}

/* The label named name (any case): a usable one first, else a group; NULL when none. */
const struct linear_label *linear_label_by_name(const struct linear_tracker *lt, const char *name)
{
	const struct linear_label *group = NULL;
	size_t i;

	for (i = 0; i < lt->labels_nr; i++) {
		if (strcasecmp(lt->labels[i].name, name))
			continue;
		if (!lt->labels[i].group)
			return &lt->labels[i];
		group = &lt->labels[i];
	}
	return group;
}

const struct linear_label *linear_label_by_id(const struct linear_tracker *lt, const char *id)
{
	size_t i;

	for (i = 0; i < lt->labels_nr; i++)
		if (!strcmp(lt->labels[i].id, id))
			return &lt->labels[i];
	return NULL;
}

static int create_label(struct linear_tracker *lt, const char *name)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	struct pm_json_path root = PM_JSON_PATH_ROOT("linear: LabelCreate: response", PM_ENET);
	struct pm_json_path dp = pm_json_member(&root, "data");
	struct pm_json_path pp = pm_json_member(&dp, "issueLabelCreate");
	struct pm_json_path lp = pm_json_member(&pp, "issueLabel");
	json_t *vars = json_object(), *input = json_object(), *payload, *label;
	bool success;
	int error;

	json_object_set_new(input, "name", pm_json_str(name));
	json_object_set_new(input, "teamId", json_string(lt->team_id));
	json_object_set_new(vars, "input", input);
	if ((error = linear_gql(lt, &r, "LabelCreate", m_label_create, vars, false, false)) < 0)
		goto done;
	if ((error = pm_json_object(&payload, r.data, &dp, "issueLabelCreate")) < 0 ||
	    (error = pm_json_bool(&success, payload, &pp, "success")) < 0)
		goto done;
	if (!success) {
		error = pm_error(PM_ETRACKER,
		                 "linear: LabelCreate: label '%s': Linear reported "
		                 "success: false",
		                 name);
		goto done;
	}
	if ((error = pm_json_object(&label, payload, &pp, "issueLabel")) < 0)
		goto done;
	error = read_label(lt, label, &lp);
done:
	linear_reply_release(&r);
	return error;
}

/* The id of the label named name, creating a team label when there is none. */
static int ensure_label(const char **out, struct linear_tracker *lt, const char *name)
{
	const struct linear_label *l;
	int error = 0, tries;

	for (tries = 0; tries < 2; tries++) {
		l = linear_label_by_name(lt, name);
		if (l && l->group)
			return pm_error(PM_ETRACKER,
			                "linear: label '%s' is a label group, which cannot be "
			                "applied to issues: rename the group in Linear",
			                name);
		if (l) {
			*out = l->id;
			return 0;
		}
		if (tries)
			break;
		error = create_label(lt, name);
		if (error == PM_EREFUSED || error == PM_EAUTH || error == PM_ERATELIMIT ||
		    error == PM_ETIMEOUT)
			return error;
		if (error < 0) {
			/* created meanwhile, or a lost answer: look again */
			int saved = error;
			if (linear_load_labels(lt) < 0)
				return saved;
		}
	}
	return error < 0 ? error
	                 : pm_error(PM_ETRACKER, "linear: label '%s' could not be created", name);
}

/*
 * True for the labels pmsync owns: cfg->label and the lever labels (the
 * prefix, any case; with no prefix, the configured levers' names).
 */
bool linear_label_owned(const struct linear_tracker *lt, const char *name)
{
	const struct config *cfg = lt->base.cfg;
	const char *prefix = cfg->lever_label_prefix;
	size_t i;

	if (cfg->label && *cfg->label && !strcasecmp(name, cfg->label))
		return true;
	if (prefix && *prefix)
		return !strncasecmp(name, prefix, strlen(prefix));
	for (i = 0; i < cfg->levers.nr; i++)
		if (!strcasecmp(name, cfg->levers.v[i]))
			return true;
	return false;
}

/* Keeps the labels of l that pmsync owns. */
void linear_keep_owned(struct linear_tracker *lt, struct strlist *l)
{
	size_t i, j;

	for (i = j = 0; i < l->nr; i++) {
		if (linear_label_owned(lt, l->v[i]))
			l->v[j++] = l->v[i];
		else
			free(l->v[i]);
	}
	l->nr = j;
}

static struct linear_seen *seen_find(struct linear_tracker *lt, const char *issue_id)
{
	size_t i = lt->seen_nr;

	while (issue_id && i--)
		if (!strcmp(lt->seen[i].issue_id, issue_id))
			return &lt->seen[i];
	return NULL;
}

/*
 * Records every label id now on an issue. Appended, as seen_find() looks
 * from the newest: a listing of many issues stays linear.
 */
void linear_seen_set(struct linear_tracker *lt, const char *issue_id, const struct strlist *ids)
{
	struct linear_seen *s;
	size_t i;

	ALLOC_GROW(lt->seen, lt->seen_nr + 1, lt->seen_alloc);
	s = &lt->seen[lt->seen_nr++];
	s->issue_id = xstrdup(issue_id);
	memset(&s->label_ids, 0, sizeof(s->label_ids));
	for (i = 0; i < ids->nr; i++)
		strlist_add(&s->label_ids, ids->v[i]);
}

json_t *linear_label_ids(struct linear_tracker *lt, const struct strlist *names, int *error)
{
	json_t *a = json_array();
	size_t i;

	*error = 0;
	for (i = 0; i < names->nr; i++) {
		const char *id = NULL;
		if ((*error = ensure_label(&id, lt, names->v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
		json_array_append_new(a, json_string(id));
	}
	return a;
}

/* True when ids (label ids) holds a label named name. */
static bool has_label_named(const struct linear_tracker *lt, const struct strlist *ids,
                            const char *name)
{
	size_t i;

	for (i = 0; ids && i < ids->nr; i++) {
		const struct linear_label *l = linear_label_by_id(lt, ids->v[i]);
		if (l && !strcasecmp(l->name, name))
			return true;
	}
	return false;
}

/*
 * Sets addedLabelIds and removedLabelIds of in to take the issue's own labels
 * of pmsync's (as last read) to want; labels pmsync does not own stay as
 * they are. Nothing is set when nothing changes.
 */
int linear_label_changes(struct linear_tracker *lt, const char *issue_id,
                         const struct strlist *want, json_t *in)
{
	const struct linear_seen *seen = seen_find(lt, issue_id);
	json_t *added = json_array(), *removed = json_array();
	size_t i;
	int error = 0;

	for (i = 0; i < want->nr; i++) {
		const char *id = NULL;
		if (seen && has_label_named(lt, &seen->label_ids, want->v[i]))
			continue;
		if ((error = ensure_label(&id, lt, want->v[i])) < 0)
			goto done;
		json_array_append_new(added, json_string(id));
	}
	/* Not read by this tracker: every other label of pmsync's that the team knows goes. */
	for (i = 0; i < (seen ? seen->label_ids.nr : lt->labels_nr); i++) {
		const char *id = seen ? seen->label_ids.v[i] : lt->labels[i].id;
		const struct linear_label *l = linear_label_by_id(lt, id);
		if (l && !l->group && linear_label_owned(lt, l->name) &&
		    !strlist_has_ci(want, l->name))
			json_array_append_new(removed, json_string(id));
	}
	if (json_array_size(added))
		json_object_set(in, "addedLabelIds", added);
	if (json_array_size(removed))
		json_object_set(in, "removedLabelIds", removed);
done:
	json_decref(added);
	json_decref(removed);
	return error;
}

/* After an update that set the labels to want: what the issue now holds. */
void linear_labels_written(struct linear_tracker *lt, const char *issue_id,
                           const struct strlist *want)
{
	struct linear_seen *seen = seen_find(lt, issue_id);
	struct strlist now = {NULL, 0, 0};
	size_t i;

	if (!seen)
		return;
	for (i = 0; i < seen->label_ids.nr; i++) {
		const struct linear_label *l = linear_label_by_id(lt, seen->label_ids.v[i]);
		if (!l || !linear_label_owned(lt, l->name))
			strlist_add(&now, seen->label_ids.v[i]);
	}
	for (i = 0; i < want->nr; i++) {
		const struct linear_label *l = linear_label_by_name(lt, want->v[i]);
		if (l)
			strlist_add(&now, l->id);
	}
	strlist_clear(&seen->label_ids);
	seen->label_ids = now;
}
