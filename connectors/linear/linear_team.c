/*
 * Preparing the Linear tracker, reading only: who the token belongs to (the
 * viewer and the workspace's urlKey), the team that linear.team names with
 * its workflow states, and the key of every team of the workspace (listed
 * when linear.team names none of them, and telling which references are
 * Linear's). A tracker prepares once, loading the labels too
 * (linear_labels.c); a missing label is created only when a write first
 * needs it, so that a sync refused by sync.maxChanges leaves the workspace
 * as it found it.
 */
#include "util/compat.h"

#include "connectors/linear/linear_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"

static const char q_viewer[] =
        "query Viewer { viewer { id name email organization { id name urlKey } } }";
/* Team keys are matched as Linear matches them: ENG and eng name the same team. */
static const char q_team[] =
        "query TeamByKey($key: String!) { team: teams(filter: {key: {eqIgnoreCase: $key}}, "
        "first: 1) { nodes { id key name states(first: 250) { nodes { id name type position } } "
        "} } teams(first: 250) { nodes { id key } pageInfo { hasNextPage endCursor } } }";
static const char q_teams[] = "query Teams($after: String) { teams(first: 250, after: $after) { "
                              "nodes { id key } pageInfo { hasNextPage endCursor } } }";

int linear_load_viewer(struct linear_tracker *lt)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	struct pm_json_path root = PM_JSON_PATH_ROOT("linear: Viewer: response", PM_ENET);
	struct pm_json_path dp = pm_json_member(&root, "data");
	struct pm_json_path vp = pm_json_member(&dp, "viewer");
	struct pm_json_path op = pm_json_member(&vp, "organization");
	json_t *viewer, *org;
	const char *name, *key, *org_id;
	int error;

	if ((error = linear_gql(lt, &r, "Viewer", q_viewer, NULL, true, false)) < 0)
		goto done;
	if ((error = pm_json_object(&viewer, r.data, &dp, "viewer")) < 0 ||
	    (error = pm_json_string(&name, viewer, &vp, "name")) < 0 ||
	    (error = pm_json_object(&org, viewer, &vp, "organization")) < 0 ||
	    (error = pm_json_string(&key, org, &op, "urlKey")) < 0 ||
	    (error = pm_json_string(&org_id, org, &op, "id")) < 0)
		goto done;
	free(lt->viewer);
	free(lt->org_key);
	lt->viewer = xstrdup(name);
	lt->org_key = xstrdup(key);
	free(lt->org_id);
	lt->org_id = xstrdup(org_id);
	lt->base.id_scope = lt->org_id;
done:
	linear_reply_release(&r);
	return error;
}

/* Appends one page of team keys; *after receives the next page's cursor, or NULL at the end. */
static int read_team_keys(struct linear_tracker *lt, json_t *data, const struct pm_json_path *dp,
                          char **after)
{
	struct pm_json_path tp = pm_json_member(dp, "teams");
	struct pm_json_path np = pm_json_member(&tp, "nodes");
	struct pm_json_path pp = pm_json_member(&tp, "pageInfo");
	json_t *teams, *nodes, *info, *v;
	const char *cursor = NULL;
	bool more = false;
	size_t i;
	int error;

	free(*after);
	*after = NULL;
	if ((error = pm_json_object(&teams, data, dp, "teams")) < 0 ||
	    (error = pm_json_array(&nodes, teams, &tp, "nodes")) < 0 ||
	    (error = pm_json_object_or_null(&info, teams, &tp, "pageInfo")) < 0)
		return error;
	if (info && ((error = pm_json_bool(&more, info, &pp, "hasNextPage")) < 0 ||
	             (error = pm_json_string_or_null(&cursor, info, &pp, "endCursor")) < 0))
		return error;
	if (more && cursor)
		*after = xstrdup(cursor);
	json_array_foreach(nodes, i, v)
	{
		struct pm_json_path ep = pm_json_element(&np, i);
		const char *key;
		if ((error = pm_json_string(&key, v, &ep, "key")) < 0)
			return error;
		strlist_add(&lt->team_keys, key);
	}
	return 0;
}

void linear_team_keys_list(struct strbuf *sb, const struct linear_tracker *lt)
{
	size_t i;

	for (i = 0; i < lt->team_keys.nr; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", lt->team_keys.v[i]);
	if (!lt->team_keys.nr)
		strbuf_addstr(sb, "(the workspace has no team)");
}

/* Reads the pages of team keys from the cursor after on (NULL: from the start). */
static int load_team_keys_from(struct linear_tracker *lt, char *after)
{
	struct pm_json_path root = PM_JSON_PATH_ROOT("linear: Teams: response", PM_ENET);
	struct pm_json_path dp = pm_json_member(&root, "data");
	int error = 0, pages = 0;

	if (!after)
		strlist_clear(&lt->team_keys);
	do {
		struct linear_reply r = LINEAR_REPLY_INIT;
		json_t *vars = json_object();
		json_object_set_new(vars, "after", pm_json_str(after));
		if ((error = linear_gql(lt, &r, "Teams", q_teams, vars, true, false)) >= 0)
			error = read_team_keys(lt, r.data, &dp, &after);
		linear_reply_release(&r);
	} while (error >= 0 && after && ++pages < LINEAR_MAX_PAGES);
	free(after);
	return error;
}

int linear_load_team_keys(struct linear_tracker *lt)
{
	return load_team_keys_from(lt, NULL);
}

void linear_states_clear(struct linear_tracker *lt)
{
	size_t i;

	for (i = 0; i < lt->states_nr; i++) {
		free(lt->states[i].id);
		free(lt->states[i].name);
		free(lt->states[i].type);
	}
	lt->states_nr = 0;
}

static int read_team(struct linear_tracker *lt, json_t *node, const struct pm_json_path *p)
{
	struct pm_json_path sp = pm_json_member(p, "states");
	struct pm_json_path np = pm_json_member(&sp, "nodes");
	const char *id, *key, *name;
	json_t *states, *nodes, *v;
	size_t i;
	int error;

	if ((error = pm_json_string(&id, node, p, "id")) < 0 ||
	    (error = pm_json_string(&key, node, p, "key")) < 0 ||
	    (error = pm_json_string(&name, node, p, "name")) < 0 ||
	    (error = pm_json_object(&states, node, p, "states")) < 0 ||
	    (error = pm_json_array(&nodes, states, &sp, "nodes")) < 0)
		return error;
	free(lt->team_id);
	free(lt->team_key);
	free(lt->team_name);
	lt->team_id = xstrdup(id);
	lt->team_key = xstrdup(key);
	lt->team_name = xstrdup(name);
	linear_states_clear(lt);
	json_array_foreach(nodes, i, v)
	{
		struct pm_json_path ep = pm_json_element(&np, i);
		const char *sid, *sname, *type;
		double pos;
		if ((error = pm_json_string(&sid, v, &ep, "id")) < 0 ||
		    (error = pm_json_string(&sname, v, &ep, "name")) < 0 ||
		    (error = pm_json_string(&type, v, &ep, "type")) < 0 ||
		    (error = pm_json_number(&pos, v, &ep, "position")) < 0)
			return error;
		ALLOC_GROW(lt->states, lt->states_nr + 1, lt->states_alloc);
		lt->states[lt->states_nr].id = xstrdup(sid);
		lt->states[lt->states_nr].name = xstrdup(sname);
		lt->states[lt->states_nr].type = xstrdup(type);
		lt->states[lt->states_nr].position = pos;
		lt->states_nr++;
	}
	return 0;
}

/* Loads the team; *found is false (and the team keys loaded) when it does not exist. */
int linear_load_team(struct linear_tracker *lt, bool *found)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	struct pm_json_path root = PM_JSON_PATH_ROOT("linear: TeamByKey: response", PM_ENET);
	struct pm_json_path dp = pm_json_member(&root, "data");
	struct pm_json_path tp = pm_json_member(&dp, "team");
	struct pm_json_path np = pm_json_member(&tp, "nodes");
	struct pm_json_path ep = pm_json_element(&np, 0);
	json_t *vars = json_object(), *team, *nodes;
	char *after = NULL;
	int error;

	json_object_set_new(vars, "key", pm_json_str(lt->base.cfg->linear_team));
	if ((error = linear_gql(lt, &r, "TeamByKey", q_team, vars, true, false)) < 0)
		goto done;
	strlist_clear(&lt->team_keys);
	if ((error = read_team_keys(lt, r.data, &dp, &after)) < 0 ||
	    (error = pm_json_object(&team, r.data, &dp, "team")) < 0 ||
	    (error = pm_json_array(&nodes, team, &tp, "nodes")) < 0)
		goto done;
	*found = json_array_size(nodes) > 0;
	if (*found)
		error = read_team(lt, json_array_get(nodes, 0), &ep);
	/* every team's key, to tell Linear's references and to list them */
	if (error >= 0 && after) {
		error = load_team_keys_from(lt, after);
		after = NULL; /* freed there */
	}
done:
	free(after);
	linear_reply_release(&r);
	return error;
}

/* The team's first state of type canceled, or NULL. */
const struct linear_state *linear_canceled_state(const struct linear_tracker *lt)
{
	const struct linear_state *best = NULL;
	size_t i;

	for (i = 0; i < lt->states_nr; i++)
		if (!strcmp(lt->states[i].type, "canceled") &&
		    (!best || lt->states[i].position < best->position))
			best = &lt->states[i];
	return best;
}

int linear_tracker_prepare(struct linear_tracker *lt)
{
	const struct config *cfg = lt->base.cfg;
	bool found = false;
	int error;

	if (lt->prepared)
		return 0;
	if (!cfg->linear_team || !*cfg->linear_team)
		return pm_error(PM_ECONFIG, "linear.team is not set in '%s'", linear_conf_name(lt));
	if ((error = linear_load_viewer(lt)) < 0 || (error = linear_load_team(lt, &found)) < 0)
		return error;
	if (!found) {
		struct strbuf keys = STRBUF_INIT;
		linear_team_keys_list(&keys, lt);
		error = pm_error(PM_ECONFIG,
		                 "linear: team '%s' not found: set linear.team in %s to one of: %s",
		                 cfg->linear_team, linear_conf_name(lt), keys.buf);
		strbuf_release(&keys);
		return error;
	}
	if ((error = linear_load_labels(lt)) < 0)
		return error;
	lt->prepared = true;
	return 0;
}

/*
 * Reads what the plan needs and writes nothing: labels that are missing are
 * created when a create or update first uses them, so a sync refused by
 * sync.maxChanges leaves the workspace as it found it.
 */
int linear_prepare(struct tracker *t)
{
	return linear_tracker_prepare(linear_tracker_of(t));
}
