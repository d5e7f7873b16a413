/*
 * Linear users, looked up by email (any case) or by user id, fifty to a
 * query, each asked for once per tracker: the ids resolve_users gives the
 * engine (active users only), and what the doctor reports on each owner of
 * the configuration.
 */
#include "util/compat.h"

#include "connectors/linear/linear_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/xalloc.h"

#define USERS_PER_QUERY 50

static const char q_users[] =
        "query Users($filter: UserFilter!) { users(filter: $filter, first: 250, includeDisabled: "
        "true) { nodes { id name email active } } }";

struct linear_user *linear_user_find(struct linear_tracker *lt, const char *query)
{
	size_t i;

	for (i = 0; i < lt->users_nr; i++)
		if (!strcasecmp(lt->users[i].query, query))
			return &lt->users[i];
	return NULL;
}

static bool user_matches(const char *query, const char *id, const char *email)
{
	return strchr(query, '@') ? !strcasecmp(query, email) : !strcmp(query, id);
}

static int users_chunk(struct linear_tracker *lt, const char *const *q, size_t n)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	struct pm_json_path root = PM_JSON_PATH_ROOT("linear: Users: response", PM_ENET);
	struct pm_json_path dp = pm_json_member(&root, "data");
	struct pm_json_path up = pm_json_member(&dp, "users");
	struct pm_json_path np = pm_json_member(&up, "nodes");
	json_t *vars = json_object(), *filter = json_object(), * or = json_array(), *users, *nodes,
	       *v;
	size_t i, k;
	int error;

	for (i = 0; i < n; i++) {
		json_t *cmp = json_object(), *f = json_object();
		json_object_set_new(cmp, strchr(q[i], '@') ? "eqIgnoreCase" : "eq",
		                    pm_json_str(q[i]));
		json_object_set_new(f, strchr(q[i], '@') ? "email" : "id", cmp);
		json_array_append_new(or, f);
	}
	json_object_set_new(filter, "or", or);
	json_object_set_new(vars, "filter", filter);
	if ((error = linear_gql(lt, &r, "Users", q_users, vars, true, false)) < 0)
		goto done;
	if ((error = pm_json_object(&users, r.data, &dp, "users")) < 0 ||
	    (error = pm_json_array(&nodes, users, &up, "nodes")) < 0)
		goto done;
	for (k = 0; k < n; k++) {
		struct linear_user *u;
		ALLOC_GROW(lt->users, lt->users_nr + 1, lt->users_alloc);
		u = &lt->users[lt->users_nr++];
		memset(u, 0, sizeof(*u));
		u->query = xstrdup(q[k]);
	}
	json_array_foreach(nodes, i, v)
	{
		struct pm_json_path ep = pm_json_element(&np, i);
		const char *id, *email, *name;
		bool active;
		if ((error = pm_json_string(&id, v, &ep, "id")) < 0 ||
		    (error = pm_json_string(&email, v, &ep, "email")) < 0 ||
		    (error = pm_json_string(&name, v, &ep, "name")) < 0 ||
		    (error = pm_json_bool(&active, v, &ep, "active")) < 0)
			goto done;
		for (k = lt->users_nr - n; k < lt->users_nr; k++) {
			struct linear_user *u = &lt->users[k];
			if (!user_matches(u->query, id, email) || (u->found && u->active))
				continue;
			free(u->id);
			free(u->email);
			free(u->name);
			u->id = xstrdup(id);
			u->email = xstrdup(email);
			u->name = xstrdup(name);
			u->found = true;
			u->active = active;
		}
	}
done:
	linear_reply_release(&r);
	return error;
}

/* Looks up every query (email or user id) not yet known. Empty ones are skipped. */
int linear_load_users(struct linear_tracker *lt, const char *const *queries, size_t n)
{
	const char **todo = xcalloc(n ? n : 1, sizeof(*todo));
	size_t i, j, k = 0;
	int error = 0;

	for (i = 0; i < n; i++) {
		bool dup = false;
		if (!queries[i] || !*queries[i] || linear_user_find(lt, queries[i]))
			continue;
		for (j = 0; j < k; j++)
			dup = dup || !strcasecmp(todo[j], queries[i]);
		if (!dup)
			todo[k++] = queries[i];
	}
	for (i = 0; i < k && error >= 0; i += USERS_PER_QUERY)
		error = users_chunk(lt, todo + i,
		                    k - i < USERS_PER_QUERY ? k - i : USERS_PER_QUERY);
	free(todo);
	return error;
}

int linear_resolve_users(struct tracker *t, const char *const *emails, size_t n,
                         const char **ids_out)
{
	struct linear_tracker *lt = linear_tracker_of(t);
	size_t i;
	int error;

	if ((error = linear_load_users(lt, emails, n)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		const struct linear_user *u = emails[i] ? linear_user_find(lt, emails[i]) : NULL;
		ids_out[i] = u && u->found && u->active ? u->id : NULL;
	}
	return 0;
}
