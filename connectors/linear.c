/*
 * The Linear connector: the tracker operations of connectors/tracker.h as
 * GraphQL requests to Linear, through the shared HTTP client (retries,
 * pacing, the dry-run guard). Every document is a constant or built from
 * constant pieces: values travel only as GraphQL variables, every connection
 * names `first`, and no filter is ever sent with an empty value (Linear
 * reads an unset comparator as "match anything"). The tracker resolves and
 * caches what later requests need (the team, its workflow states, labels,
 * users) and what it last read of each issue (its labels, this repository's
 * markers), so that a write changes only what pmsync owns: the labels it
 * adds or removes, the markers it replaces. Mutations go in batches
 * (issueBatchCreate, aliased attachmentCreate, attachmentDelete and
 * issueUpdate) and report one outcome per element. Response parsing lives
 * in linear_parse.c.
 */
#include "connectors/linear.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/http.h"
#include "util/error.h"
#include "util/xalloc.h"

#define DEFAULT_URL "https://api.linear.app/graphql"
#define IDS_PER_QUERY 100
#define USERS_PER_QUERY 50
#define CREATES_PER_BATCH 50
#define MARKERS_PER_DOC 50
#define UPDATES_PER_DOC 25
#define MAX_PAGES 2000

#define ISSUE_FIELDS                                                                          \
	"id identifier url title description dueDate priority labelIds archivedAt createdAt " \
	"completedAt canceledAt autoClosedAt trashed state { id name type } "                 \
	"assignee { id email } team { id key }"
#define MARKER_FIELDS "id url title subtitle metadata createdAt updatedAt"

static const char q_viewer[] =
        "query Viewer { viewer { id name email organization { id name urlKey } } }";
static const char q_team[] =
        "query TeamByKey($key: String!) { team: teams(filter: {key: {eq: $key}}, first: 1) "
        "{ nodes { id key name states(first: 50) { nodes { id name type position } } } } "
        "teams(first: 250) { nodes { id key } } }";
static const char q_teams[] = "query Teams { teams(first: 250) { nodes { id key } } }";
static const char q_labels[] =
        "query Labels($teamId: ID!, $after: String) { issueLabels(filter: {or: [{team: {id: "
        "{eq: $teamId}}}, {team: {null: true}}]}, first: 250, after: $after) { nodes { id name "
        "isGroup team { id } } pageInfo { hasNextPage endCursor } } }";
static const char m_label_create[] =
        "mutation LabelCreate($input: IssueLabelCreateInput!) { issueLabelCreate(input: $input) "
        "{ success issueLabel { id name isGroup team { id } } } }";
static const char q_users[] =
        "query Users($filter: UserFilter!) { users(filter: $filter, first: 250, includeDisabled: "
        "true) { nodes { id name email active } } }";
static const char q_managed[] =
        "query ManagedAttachments($subtitle: String!, $after: String) { attachments(filter: "
        "{subtitle: {eq: $subtitle}}, first: 250, after: $after, includeArchived: true) { nodes "
        "{ " MARKER_FIELDS " issue { " ISSUE_FIELDS " } } pageInfo { hasNextPage endCursor } } }";
static const char q_by_ids[] =
        "query IssuesByIds($ids: [ID!]!, $first: Int!, $subtitle: String!) { issues(filter: "
        "{id: {in: $ids}}, first: $first, includeArchived: true) { nodes { " ISSUE_FIELDS
        " attachments(first: 10, filter: {subtitle: {eq: $subtitle}}) { nodes { " MARKER_FIELDS
        " } } } } }";
static const char q_by_refs[] =
        "query IssuesByRefs($or: [IssueFilter!]!, $first: Int!, $subtitle: String!) { "
        "issues(filter: {or: $or}, first: $first, includeArchived: true) { nodes { " ISSUE_FIELDS
        " attachments(first: 10, filter: {subtitle: {eq: $subtitle}}) { nodes { " MARKER_FIELDS
        " } } } } }";
static const char m_batch_create[] =
        "mutation IssueBatchCreate($input: IssueBatchCreateInput!) { issueBatchCreate(input: "
        "$input) { success issues { " ISSUE_FIELDS " } } }";

struct linear_state {
	char *id, *name, *type;
	double position;
};

struct linear_label {
	char *id, *name;
	bool team; /* a team label (else a workspace label) */
	bool group;
};

struct linear_user {
	char *query; /* the email or id asked for */
	char *id, *email, *name;
	bool found, active;
};

/* Every label on an issue (ids, pmsync's or not), as read; the newest entry of an issue counts. */
struct linear_seen {
	char *issue_id;
	struct pm_strlist label_ids;
};

struct linear_tracker {
	struct tracker base;
	struct http_client *http;
	char *url;
	char *auth;            /* the Authorization header's value */
	const char *token_var; /* the variable it came from */
	char *subtitle;        /* "pmsync <repo_id>", NULL without a repo id */
	bool prepared;
	char *org_key, *viewer;
	char *team_id, *team_key, *team_name;
	struct linear_state *states;
	size_t states_nr, states_alloc;
	struct pm_strlist team_keys; /* every team of the workspace */
	struct linear_label *labels;
	size_t labels_nr, labels_alloc;
	struct linear_user *users;
	size_t users_nr, users_alloc;
	struct linear_seen *seen;
	size_t seen_nr, seen_alloc;
	struct linear_marker_ref *markers; /* this repository's markers, as last read or written */
	size_t markers_nr, markers_alloc;
};

static struct linear_tracker *LT(struct tracker *t)
{
	return (struct linear_tracker *)t;
}

static const char *conf_name(const struct linear_tracker *lt)
{
	return lt->base.cfg->source ? lt->base.cfg->source : ".pmsync.conf";
}

/*
 * Sends one document. r receives the parsed reply whenever one arrived, even
 * on failure (callers look at its error codes); release it in every case.
 * partial: errors whose path names an alias are the caller's to sort out
 * (data may be null then); any other error fails the call.
 */
static int gql(struct linear_tracker *lt, struct linear_reply *r, const char *op, const char *doc,
               json_t *vars, bool idempotent, bool partial)
{
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res = HTTP_RESPONSE_INIT;
	json_t *body = json_object(), *e;
	bool element_errors_only = partial;
	size_t i;
	int error;

	json_object_set_new(body, "query", json_string(doc));
	json_object_set_new(body, "variables", vars ? vars : json_object());
	json_object_set_new(body, "operationName", json_string(op));
	pm_json_dump(&req.body, body);
	json_decref(body);
	req.method = "POST";
	req.url = lt->url;
	req.name = op;
	req.idempotent = idempotent;
	http_headers_add(&req.headers, "Content-Type", "application/json");
	http_headers_add(&req.headers, "Authorization", lt->auth);

	error = http_client_send(lt->http, &res, &req);
	lt->base.requests = http_client_requests(lt->http);
	if (error < 0)
		goto done;
	if ((error = linear_reply_parse(r, res.status, res.body.buf, res.body.len, op)) < 0)
		goto done;
	json_array_foreach(r->errors, i, e)
	{
		if (linear_error_alias(e) < 0)
			element_errors_only = false;
	}
	if (res.status < 200 || res.status >= 300 || (r->errors && !element_errors_only) ||
	    (!r->data && !r->errors))
		error = linear_reply_fail(r, op, lt->token_var);
done:
	http_request_release(&req);
	http_response_release(&res);
	return error;
}

/* True when no later request can succeed: stop and report it for every element. */
static bool is_stop(int code, const struct linear_reply *r)
{
	json_t *e;
	size_t i;

	if (code == PM_EAUTH || code == PM_ERATELIMIT || code == PM_ENET || code == PM_EREFUSED ||
	    code == PM_ECONFIG)
		return true;
	json_array_foreach(r->errors, i, e)
	{
		const char *c = json_string_value(
		        json_object_get(json_object_get(e, "extensions"), "code"));
		if (c && !strcmp(c, "USAGE_LIMIT_EXCEEDED"))
			return true;
	}
	return false;
}

/*
 * Outcomes start PENDING (a positive value no pm_error_code takes) and are
 * settled to 0 or a failure; finish() settles whatever a stop left pending.
 */
#define PENDING 1

static void outcome_ok(struct tracker_outcome *o)
{
	free(o->message);
	o->message = NULL;
	o->code = 0;
}

static void outcome_set(struct tracker_outcome *o, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void outcome_set(struct tracker_outcome *o, int code, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(o->message);
	o->code = code;
	o->message = strbuf_detach(&sb, NULL);
}

/* Preparation: viewer, team, states, labels. */

static int load_viewer(struct linear_tracker *lt)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	struct pm_json_path root = PM_JSON_PATH_ROOT("linear: Viewer: response", PM_ENET);
	struct pm_json_path dp = pm_json_member(&root, "data");
	struct pm_json_path vp = pm_json_member(&dp, "viewer");
	struct pm_json_path op = pm_json_member(&vp, "organization");
	json_t *viewer, *org;
	const char *name, *key;
	int error;

	if ((error = gql(lt, &r, "Viewer", q_viewer, NULL, true, false)) < 0)
		goto done;
	if ((error = pm_json_object(&viewer, r.data, &dp, "viewer")) < 0 ||
	    (error = pm_json_string(&name, viewer, &vp, "name")) < 0 ||
	    (error = pm_json_object(&org, viewer, &vp, "organization")) < 0 ||
	    (error = pm_json_string(&key, org, &op, "urlKey")) < 0)
		goto done;
	free(lt->viewer);
	free(lt->org_key);
	lt->viewer = xstrdup(name);
	lt->org_key = xstrdup(key);
done:
	linear_reply_release(&r);
	return error;
}

static int read_team_keys(struct linear_tracker *lt, json_t *data, const struct pm_json_path *dp)
{
	struct pm_json_path tp = pm_json_member(dp, "teams");
	struct pm_json_path np = pm_json_member(&tp, "nodes");
	json_t *teams, *nodes, *v;
	size_t i;
	int error;

	if ((error = pm_json_object(&teams, data, dp, "teams")) < 0 ||
	    (error = pm_json_array(&nodes, teams, &tp, "nodes")) < 0)
		return error;
	pm_strlist_clear(&lt->team_keys);
	json_array_foreach(nodes, i, v)
	{
		struct pm_json_path ep = pm_json_element(&np, i);
		const char *key;
		if ((error = pm_json_string(&key, v, &ep, "key")) < 0)
			return error;
		pm_strlist_add(&lt->team_keys, key);
	}
	return 0;
}

static void team_keys_list(struct strbuf *sb, const struct linear_tracker *lt)
{
	size_t i;

	for (i = 0; i < lt->team_keys.nr; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", lt->team_keys.v[i]);
	if (!lt->team_keys.nr)
		strbuf_addstr(sb, "(the workspace has no team)");
}

static int load_team_keys(struct linear_tracker *lt)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	struct pm_json_path root = PM_JSON_PATH_ROOT("linear: Teams: response", PM_ENET);
	struct pm_json_path dp = pm_json_member(&root, "data");
	int error;

	if ((error = gql(lt, &r, "Teams", q_teams, NULL, true, false)) >= 0)
		error = read_team_keys(lt, r.data, &dp);
	linear_reply_release(&r);
	return error;
}

static void states_clear(struct linear_tracker *lt)
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
	states_clear(lt);
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
static int load_team(struct linear_tracker *lt, bool *found)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	struct pm_json_path root = PM_JSON_PATH_ROOT("linear: TeamByKey: response", PM_ENET);
	struct pm_json_path dp = pm_json_member(&root, "data");
	struct pm_json_path tp = pm_json_member(&dp, "team");
	struct pm_json_path np = pm_json_member(&tp, "nodes");
	struct pm_json_path ep = pm_json_element(&np, 0);
	json_t *vars = json_object(), *team, *nodes;
	int error;

	json_object_set_new(vars, "key", pm_json_str(lt->base.cfg->linear_team));
	if ((error = gql(lt, &r, "TeamByKey", q_team, vars, true, false)) < 0)
		goto done;
	if ((error = read_team_keys(lt, r.data, &dp)) < 0 ||
	    (error = pm_json_object(&team, r.data, &dp, "team")) < 0 ||
	    (error = pm_json_array(&nodes, team, &tp, "nodes")) < 0)
		goto done;
	*found = json_array_size(nodes) > 0;
	if (*found)
		error = read_team(lt, json_array_get(nodes, 0), &ep);
done:
	linear_reply_release(&r);
	return error;
}

static void labels_clear(struct linear_tracker *lt)
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
	if ((error = gql(lt, &r, "Labels", q_labels, vars, true, false)) < 0 ||
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

static int load_labels(struct linear_tracker *lt)
{
	char *after = NULL;
	int pages, error = 0;

	labels_clear(lt);
	for (pages = 0; pages < MAX_PAGES; pages++)
		if ((error = labels_page(lt, &after)) < 0 || !after)
			break;
	if (error >= 0 && after)
		error = pm_error(PM_ENET, "linear: Labels: more than %d pages", MAX_PAGES);
	free(after);
	return error;
}

/* The label named name (any case): a usable one first, else a group; NULL when none. */
static const struct linear_label *label_by_name(const struct linear_tracker *lt, const char *name)
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

static const struct linear_label *label_by_id(const struct linear_tracker *lt, const char *id)
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
	if ((error = gql(lt, &r, "LabelCreate", m_label_create, vars, false, false)) < 0)
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
		l = label_by_name(lt, name);
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
		if (error == PM_EREFUSED || error == PM_EAUTH || error == PM_ERATELIMIT)
			return error;
		if (error < 0) {
			/* created meanwhile, or a lost answer: look again */
			int saved = error;
			if (load_labels(lt) < 0)
				return saved;
		}
	}
	return error < 0 ? error
	                 : pm_error(PM_ETRACKER, "linear: label '%s' could not be created", name);
}

static int prepare(struct linear_tracker *lt)
{
	const struct pm_config *cfg = lt->base.cfg;
	bool found = false;
	int error;

	if (lt->prepared)
		return 0;
	if (!cfg->linear_team || !*cfg->linear_team)
		return pm_error(PM_ECONFIG, "linear.team is not set in '%s'", conf_name(lt));
	if ((error = load_viewer(lt)) < 0 || (error = load_team(lt, &found)) < 0)
		return error;
	if (!found) {
		struct strbuf keys = STRBUF_INIT;
		team_keys_list(&keys, lt);
		error = pm_error(PM_ECONFIG,
		                 "linear: team '%s' not found: set linear.team in %s to one of: %s",
		                 cfg->linear_team, conf_name(lt), keys.buf);
		strbuf_release(&keys);
		return error;
	}
	if ((error = load_labels(lt)) < 0)
		return error;
	lt->prepared = true;
	return 0;
}

/*
 * Reads what the plan needs and writes nothing: labels that are missing are
 * created when a create or update first uses them, so a sync refused by
 * sync.maxChanges leaves the workspace as it found it.
 */
static int linear_prepare(struct tracker *t)
{
	return prepare(LT(t));
}

static int need_subtitle(struct linear_tracker *lt)
{
	if (lt->subtitle)
		return 0;
	return pm_error(PM_ECONFIG, "sync.repoId is not set in '%s' and cannot be derived",
	                conf_name(lt));
}

/* Users. */

static struct linear_user *user_find(struct linear_tracker *lt, const char *query)
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
	if ((error = gql(lt, &r, "Users", q_users, vars, true, false)) < 0)
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
static int load_users(struct linear_tracker *lt, const char *const *queries, size_t n)
{
	const char **todo = xcalloc(n ? n : 1, sizeof(*todo));
	size_t i, j, k = 0;
	int error = 0;

	for (i = 0; i < n; i++) {
		bool dup = false;
		if (!queries[i] || !*queries[i] || user_find(lt, queries[i]))
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

static int linear_resolve_users(struct tracker *t, const char *const *emails, size_t n,
                                const char **ids_out)
{
	struct linear_tracker *lt = LT(t);
	size_t i;
	int error;

	if ((error = load_users(lt, emails, n)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		const struct linear_user *u = emails[i] ? user_find(lt, emails[i]) : NULL;
		ids_out[i] = u && u->found && u->active ? u->id : NULL;
	}
	return 0;
}

/* Reading tickets. */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * True for the labels pmsync owns: cfg->label and the lever labels (the
 * prefix, any case; with no prefix, the configured levers' names).
 */
static bool label_owned(const struct linear_tracker *lt, const char *name)
{
	const struct pm_config *cfg = lt->base.cfg;
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
static void keep_owned(struct linear_tracker *lt, struct pm_strlist *l)
{
	size_t i, j;

	for (i = j = 0; i < l->nr; i++) {
		if (label_owned(lt, l->v[i]))
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
static void seen_set(struct linear_tracker *lt, const char *issue_id, const struct pm_strlist *ids)
{
	struct linear_seen *s;
	size_t i;

	ALLOC_GROW(lt->seen, lt->seen_nr + 1, lt->seen_alloc);
	s = &lt->seen[lt->seen_nr++];
	s->issue_id = xstrdup(issue_id);
	memset(&s->label_ids, 0, sizeof(s->label_ids));
	for (i = 0; i < ids->nr; i++)
		pm_strlist_add(&s->label_ids, ids->v[i]);
}

static void marker_forget(struct linear_tracker *lt, size_t i)
{
	linear_marker_ref_release(&lt->markers[i]);
	memmove(&lt->markers[i], &lt->markers[i + 1],
	        (lt->markers_nr - i - 1) * sizeof(*lt->markers));
	lt->markers_nr--;
}

/* Forgets the markers known on issue_id, except the one at keep_url (may be NULL). */
static void markers_forget(struct linear_tracker *lt, const char *issue_id, const char *keep_url)
{
	size_t i = lt->markers_nr;

	while (i--)
		if (!strcmp(lt->markers[i].issue_id, issue_id) &&
		    !(keep_url && !strcmp(lt->markers[i].url, keep_url)))
			marker_forget(lt, i);
}

/* A marker written at url on issue_id: it replaced the others there. */
static void marker_written(struct linear_tracker *lt, const char *issue_id, const char *url)
{
	struct linear_marker_ref *r;
	size_t i;

	markers_forget(lt, issue_id, url);
	for (i = 0; i < lt->markers_nr; i++)
		if (!strcmp(lt->markers[i].issue_id, issue_id))
			return;
	ALLOC_GROW(lt->markers, lt->markers_nr + 1, lt->markers_alloc);
	r = &lt->markers[lt->markers_nr++];
	r->issue_id = xstrdup(issue_id);
	r->attachment_id = NULL; /* not asked for: never deleted by this run */
	r->url = xstrdup(url);
}

/* A marker on issue_id that writing one at url replaces (ours, elsewhere, deletable). */
static bool marker_stale(const struct linear_marker_ref *r, const char *issue_id, const char *url)
{
	return r->attachment_id && !strcmp(r->issue_id, issue_id) && strcmp(r->url, url);
}

/*
 * Takes what a read returned from index `from` of l (and, from listing, the
 * markers of ours it saw): remembers each issue's labels and markers, turns
 * the label ids linear_page_read() left in the fields into the sorted names
 * of pmsync's own labels, and keeps only those in the markers' `written`.
 */
static int take_read(struct linear_tracker *lt, struct tracker_tickets *l, size_t from,
                     struct linear_listing *listing)
{
	bool reloaded = false;
	size_t i, j;
	int error;

	for (i = from; i < l->nr; i++) {
		struct tracker_ticket *tk = &l->v[i];
		struct pm_strlist names = {NULL, 0, 0};
		struct pm_strlist *ids = &tk->fields.labels;

		seen_set(lt, tk->id, ids);
		if (listing)
			markers_forget(lt, tk->id, NULL);
		for (j = 0; j < ids->nr; j++) {
			const struct linear_label *lab = label_by_id(lt, ids->v[j]);
			if (!lab && !reloaded) {
				reloaded = true;
				if ((error = load_labels(lt)) < 0) {
					pm_strlist_clear(&names);
					return error;
				}
				lab = label_by_id(lt, ids->v[j]);
			}
			/* else a label of no team of ours, or archived: not pmsync's */
			if (lab && label_owned(lt, lab->name))
				pm_strlist_add(&names, lab->name);
		}
		if (names.nr > 1)
			qsort(names.v, names.nr, sizeof(*names.v), cmp_str);
		pm_strlist_clear(ids);
		*ids = names;
		if (tk->has_marker && tk->marker.has_written)
			keep_owned(lt, &tk->marker.written.labels);
	}
	for (i = 0; listing && i < listing->refs_nr; i++) {
		ALLOC_GROW(lt->markers, lt->markers_nr + 1, lt->markers_alloc);
		lt->markers[lt->markers_nr++] = listing->refs[i];
		memset(&listing->refs[i], 0, sizeof(listing->refs[i])); /* handed over */
	}
	if (listing)
		listing->refs_nr = 0;
	return 0;
}

static int read_page(struct linear_tracker *lt, struct linear_listing *l, struct linear_page *pg,
                     const char *op, const char *doc, json_t *vars, enum linear_page_kind kind)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	struct strbuf what = STRBUF_INIT;
	int error;

	strbuf_addf(&what, "linear: %s: response", op);
	if ((error = gql(lt, &r, op, doc, vars, true, false)) >= 0) {
		struct pm_json_path root = PM_JSON_PATH_ROOT(what.buf, PM_ENET);
		struct pm_json_path dp = pm_json_member(&root, "data");
		error = linear_page_read(l, pg, kind, lt->subtitle, r.data, &dp);
	}
	linear_reply_release(&r);
	strbuf_release(&what);
	return error;
}

static int linear_list_managed(struct tracker *t, struct tracker_tickets *out)
{
	struct linear_tracker *lt = LT(t);
	struct tracker_tickets found = {NULL, 0, 0};
	struct linear_listing l = LINEAR_LISTING_INIT(&found);
	char *after = NULL;
	size_t i;
	int pages, error;

	if ((error = need_subtitle(lt)) < 0 || (error = prepare(lt)) < 0)
		goto done;
	for (pages = 0;; pages++) {
		struct linear_page pg = {false, NULL};
		json_t *vars = json_object();

		if (pages == MAX_PAGES) {
			error = pm_error(PM_ENET, "linear: ManagedAttachments: more than %d pages",
			                 MAX_PAGES);
			goto done;
		}
		json_object_set_new(vars, "subtitle", json_string(lt->subtitle));
		json_object_set_new(vars, "after", pm_json_str(after));
		error = read_page(lt, &l, &pg, "ManagedAttachments", q_managed, vars,
		                  LINEAR_PAGE_ATTACHMENTS);
		if (error >= 0 && pg.has_next && after && !strcmp(after, pg.end_cursor))
			error = pm_error(PM_ENET, "linear: ManagedAttachments: the next page's "
			                          "cursor does not move on");
		free(after);
		after = error >= 0 && pg.has_next ? xstrdup(pg.end_cursor) : NULL;
		linear_page_release(&pg);
		if (error < 0)
			goto done;
		if (!after)
			break;
	}
	if ((error = take_read(lt, &found, 0, &l)) < 0)
		goto done;
	for (i = 0; i < found.nr; i++) {
		*tracker_tickets_add(out) = found.v[i];
		memset(&found.v[i], 0, sizeof(found.v[i])); /* handed over */
		tracker_fields_init(&found.v[i].fields);
		tracker_fields_init(&found.v[i].marker.written);
	}
done:
	free(after);
	linear_listing_release(&l);
	tracker_tickets_release(&found);
	return error;
}

/* Runs an issues query in chunks; vars_for builds each chunk's variables. */
static int issues_query(struct linear_tracker *lt, struct tracker_tickets *out, const char *op,
                        const char *doc,
                        json_t *(*vars_for)(const void *items, size_t from, size_t n),
                        const void *items, size_t n)
{
	struct tracker_tickets found = {NULL, 0, 0};
	struct linear_listing l = LINEAR_LISTING_INIT(&found);
	size_t i;
	int error = 0;

	if (!n)
		return 0;
	if ((error = need_subtitle(lt)) < 0 || (error = prepare(lt)) < 0)
		return error;
	for (i = 0; i < n && error >= 0; i += IDS_PER_QUERY) {
		size_t k = n - i < IDS_PER_QUERY ? n - i : IDS_PER_QUERY;
		struct linear_page pg = {false, NULL};
		json_t *vars = vars_for(items, i, k);
		json_object_set_new(vars, "first", json_integer((json_int_t)k));
		json_object_set_new(vars, "subtitle", json_string(lt->subtitle));
		error = read_page(lt, &l, &pg, op, doc, vars, LINEAR_PAGE_ISSUES);
		linear_page_release(&pg);
	}
	if (error >= 0)
		error = take_read(lt, &found, 0, &l);
	if (error >= 0) {
		for (i = 0; i < found.nr; i++) {
			*tracker_tickets_add(out) = found.v[i];
			memset(&found.v[i], 0, sizeof(found.v[i])); /* handed over */
			tracker_fields_init(&found.v[i].fields);
			tracker_fields_init(&found.v[i].marker.written);
		}
	}
	linear_listing_release(&l);
	tracker_tickets_release(&found);
	return error;
}

static json_t *ids_vars(const void *items, size_t from, size_t n)
{
	const char *const *ids = items;
	json_t *vars = json_object(), *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, pm_json_str(ids[from + i]));
	json_object_set_new(vars, "ids", a);
	return vars;
}

static int linear_get_by_ids(struct tracker *t, struct tracker_tickets *out, const char *const *ids,
                             size_t n)
{
	const char **valid = xcalloc(n ? n : 1, sizeof(*valid));
	size_t i, k = 0;
	int error;

	for (i = 0; i < n; i++)
		if (ids[i] && *ids[i])
			valid[k++] = ids[i];
	error = issues_query(LT(t), out, "IssuesByIds", q_by_ids, ids_vars, valid, k);
	free(valid);
	return error;
}

struct ref_key {
	char *key;
	long number;
};

static json_t *refs_vars(const void *items, size_t from, size_t n)
{
	const struct ref_key *refs = items;
	json_t *vars = json_object(), * or = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *f = json_object(), *team = json_object(), *key = json_object(),
		       *num = json_object();
		json_object_set_new(key, "eq", pm_json_str(refs[from + i].key));
		json_object_set_new(team, "key", key);
		json_object_set_new(num, "eq", json_integer(refs[from + i].number));
		json_object_set_new(f, "team", team);
		json_object_set_new(f, "number", num);
		json_array_append_new(or, f);
	}
	json_object_set_new(vars, "or", or);
	return vars;
}

static int linear_get_by_refs(struct tracker *t, struct tracker_tickets *out,
                              const char *const *refs, size_t n)
{
	struct ref_key *keys = xcalloc(n ? n : 1, sizeof(*keys));
	struct strbuf key = STRBUF_INIT;
	size_t i, j, k = 0;
	long number;
	int error;

	for (i = 0; i < n; i++) {
		bool dup = false;
		if (!linear_ref_parse(refs[i], &key, &number))
			continue;
		for (j = 0; j < k; j++)
			dup = dup || (keys[j].number == number && !strcmp(keys[j].key, key.buf));
		if (dup)
			continue;
		keys[k].key = xstrdup(key.buf);
		keys[k].number = number;
		k++;
	}
	error = issues_query(LT(t), out, "IssuesByRefs", q_by_refs, refs_vars, keys, k);
	for (i = 0; i < k; i++)
		free(keys[i].key);
	free(keys);
	strbuf_release(&key);
	return error;
}

/* Writing: inputs. */

static json_t *label_ids(struct linear_tracker *lt, const struct pm_strlist *names, int *error)
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
static bool has_label_named(const struct linear_tracker *lt, const struct pm_strlist *ids,
                            const char *name)
{
	size_t i;

	for (i = 0; ids && i < ids->nr; i++) {
		const struct linear_label *l = label_by_id(lt, ids->v[i]);
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
static int label_changes(struct linear_tracker *lt, const char *issue_id,
                         const struct pm_strlist *want, json_t *in)
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
		const struct linear_label *l = label_by_id(lt, id);
		if (l && !l->group && label_owned(lt, l->name) && !pm_strlist_has_ci(want, l->name))
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
static void labels_written(struct linear_tracker *lt, const char *issue_id,
                           const struct pm_strlist *want)
{
	struct linear_seen *seen = seen_find(lt, issue_id);
	struct pm_strlist now = {NULL, 0, 0};
	size_t i;

	if (!seen)
		return;
	for (i = 0; i < seen->label_ids.nr; i++) {
		const struct linear_label *l = label_by_id(lt, seen->label_ids.v[i]);
		if (!l || !label_owned(lt, l->name))
			pm_strlist_add(&now, seen->label_ids.v[i]);
	}
	for (i = 0; i < want->nr; i++) {
		const struct linear_label *l = label_by_name(lt, want->v[i]);
		if (l)
			pm_strlist_add(&now, l->id);
	}
	pm_strlist_clear(&seen->label_ids);
	seen->label_ids = now;
}

static json_t *marker_input(struct linear_tracker *lt, const char *issue_id,
                            const struct tracker_marker *m, int *error)
{
	json_t *in;

	*error = 0;
	if (!m->url || !*m->url || !m->item_key || !*m->item_key) {
		*error = pm_error(PM_ETRACKER, "linear: marker for issue '%s' has no URL or key",
		                  issue_id);
		return NULL;
	}
	in = json_object();
	json_object_set_new(in, "issueId", pm_json_str(issue_id));
	json_object_set_new(
	        in, "title",
	        pm_json_str(m->title && *m->title ? m->title : "Postmortem action item"));
	json_object_set_new(in, "url", pm_json_str(m->url));
	json_object_set_new(in, "subtitle", pm_json_str(lt->subtitle));
	json_object_set_new(in, "metadata", linear_marker_metadata(m, lt->base.cfg->repo_id));
	return in;
}

/* Writing: documents of aliased mutations, one outcome per element. */

struct alias_op {
	const char *op;
	size_t per_doc;
	const char *const *ids; /* the issue each element concerns, for messages */
	/* Appends element i as document index j; fails with a recorded error. */
	int (*build)(struct linear_tracker *lt, const void *ctx, size_t i, size_t j,
	             struct strbuf *decls, struct strbuf *sels, json_t *vars);
	const void *ctx;
	/*
	 * Element i's delete number `sub` found its attachment gone: forgets it
	 * and the deletes before it (applied, as fields run in order), so that
	 * the element can go again without them; false when nothing was forgotten.
	 */
	bool (*gone)(struct linear_tracker *lt, const void *ctx, size_t i, size_t sub);
};

/* True for Linear's answer to a reference to nothing ("Entity not found: Attachment"). */
static bool is_not_found(json_t *error)
{
	const char *m = json_string_value(json_object_get(error, "message"));

	return m && !strncmp(m, "Entity not found", 16);
}

/*
 * Appends, as fields m<j>d<k> of element j, the deletes of the markers that
 * writing one at url on issue_id replaces.
 */
static void add_deletes(const struct linear_tracker *lt, const char *issue_id, const char *url,
                        size_t j, struct strbuf *decls, struct strbuf *sels, json_t *vars)
{
	char name[48];
	size_t i, k = 0;

	for (i = 0; i < lt->markers_nr; i++) {
		if (!marker_stale(&lt->markers[i], issue_id, url))
			continue;
		snprintf(name, sizeof(name), "d%zu_%zu", j, k);
		strbuf_addf(decls, "%s$%s: String!", decls->len ? ", " : "", name);
		strbuf_addf(sels, "m%zud%zu: attachmentDelete(id: $%s) { success } ", j, k, name);
		json_object_set_new(vars, name, json_string(lt->markers[i].attachment_id));
		k++;
	}
}

/* The deletes 0..sub of a marker write at url on issue_id are done: forgets them. */
static bool forget_deleted(struct linear_tracker *lt, const char *issue_id, const char *url,
                           size_t sub)
{
	size_t i = 0, k = 0;

	while (i < lt->markers_nr && k <= sub) {
		if (!marker_stale(&lt->markers[i], issue_id, url)) {
			i++;
			continue;
		}
		marker_forget(lt, i);
		k++;
	}
	return k > 0;
}

static int run_window(struct linear_tracker *lt, const struct alias_op *op, const size_t *idx,
                      size_t k, struct tracker_outcome *out, size_t *consumed);

static int run_all(struct linear_tracker *lt, const struct alias_op *op, const size_t *idx,
                   size_t k, struct tracker_outcome *out)
{
	size_t pos = 0;
	int stop = 0;

	while (pos < k && !stop) {
		size_t consumed = 0;
		stop = run_window(lt, op, idx + pos, k - pos < op->per_doc ? k - pos : op->per_doc,
		                  out, &consumed);
		pos += consumed;
	}
	return stop;
}

/*
 * Sends elements idx[0..k) in one document. *consumed tells how many of them
 * are settled; the rest (after a failure that nulled the answer) go again.
 */
static int run_window(struct linear_tracker *lt, const struct alias_op *op, const size_t *idx,
                      size_t k, struct tracker_outcome *out, size_t *consumed)
{
	struct strbuf decls = STRBUF_INIT, sels = STRBUF_INIT, doc = STRBUF_INIT;
	struct linear_reply r = LINEAR_REPLY_INIT;
	size_t *jmap = xcalloc(k, sizeof(*jmap)), *pos_of = xcalloc(k, sizeof(*pos_of));
	bool *gone = xcalloc(k, sizeof(*gone));
	json_t *vars = json_object(), *e, *v;
	size_t i, j, built = 0;
	long first_failed = -1;
	int error = 0, stop = 0;
	const char *key;

	*consumed = k;
	for (i = 0; i < k; i++) {
		size_t before_d = decls.len, before_s = sels.len;
		if ((error = op->build(lt, op->ctx, idx[i], built, &decls, &sels, vars)) < 0) {
			strbuf_setlen(&decls, before_d);
			strbuf_setlen(&sels, before_s);
			outcome_set(&out[idx[i]], error, "%s", pm_error_message());
			if (is_stop(error, &r)) {
				stop = error;
				goto done;
			}
			continue;
		}
		if (sels.len == before_s) {
			outcome_ok(&out[idx[i]]); /* nothing to write */
			continue;
		}
		jmap[built] = idx[i];
		pos_of[built] = i;
		built++;
	}
	if (!built)
		goto done;
	strbuf_addf(&doc, "mutation %s(%s) { %s}", op->op, decls.buf, sels.buf);
	error = gql(lt, &r, op->op, doc.buf, vars, true, true);
	vars = NULL; /* stolen by gql */
	if (error < 0) {
		if (!is_stop(error, &r) && error == PM_ETRACKER && r.status == 400 && built > 1) {
			/* refused before running: split to find the element at fault */
			linear_reply_release(&r);
			stop = run_all(lt, op, jmap, built / 2, out);
			if (!stop)
				stop = run_all(lt, op, jmap + built / 2, built - built / 2, out);
			goto done;
		}
		for (j = 0; j < built; j++)
			outcome_set(&out[jmap[j]], error, "%s", pm_error_message());
		if (is_stop(error, &r))
			stop = error;
		goto done;
	}
	json_array_foreach(r.errors, i, e)
	{
		long sub;
		long a = linear_alias_parse(
		        json_string_value(json_array_get(json_object_get(e, "path"), 0)), &sub);
		if (a < 0 || (size_t)a >= built)
			continue;
		if (first_failed < 0 || a < first_failed)
			first_failed = a;
		/* a marker to replace that is gone already: as good as deleted */
		if (sub >= 0 && op->gone && is_not_found(e) && out[jmap[a]].code == PENDING &&
		    op->gone(lt, op->ctx, jmap[a], (size_t)sub)) {
			gone[a] = true;
			continue;
		}
		if (out[jmap[a]].code == PENDING)
			outcome_set(&out[jmap[a]], linear_error_code(e, r.status),
			            "linear: %s: issue '%s': %s", op->op, op->ids[jmap[a]],
			            linear_error_text(e));
	}
	if (!r.data) {
		/* a failed non-null field nulls the whole answer; fields run in order, so
		 * those before the first failure were applied and those after never ran;
		 * an element stopped by a gone attachment goes again without it */
		for (j = 0; first_failed >= 0 && j < (size_t)first_failed; j++)
			if (out[jmap[j]].code == PENDING)
				outcome_ok(&out[jmap[j]]);
		*consumed = first_failed < 0     ? k
		            : gone[first_failed] ? pos_of[first_failed]
		                                 : pos_of[first_failed] + 1;
		goto done;
	}
	json_object_foreach(r.data, key, v)
	{
		long sub;
		long a = linear_alias_parse(key, &sub);
		if (a < 0 || (size_t)a >= built || out[jmap[a]].code != PENDING)
			continue;
		if (sub >= 0 && gone[a] && json_is_null(v))
			continue;
		if (!json_is_true(json_object_get(v, "success")))
			outcome_set(&out[jmap[a]], PM_ETRACKER,
			            "linear: %s: issue '%s': Linear reported no success", op->op,
			            op->ids[jmap[a]]);
	}
	for (j = 0; j < built; j++)
		if (out[jmap[j]].code == PENDING)
			outcome_ok(&out[jmap[j]]);
done:
	json_decref(vars);
	linear_reply_release(&r);
	strbuf_release(&decls);
	strbuf_release(&sels);
	strbuf_release(&doc);
	free(jmap);
	free(pos_of);
	free(gone);
	return stop;
}

static void outcomes_init(struct tracker_outcome *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[i].code = PENDING;
		out[i].message = NULL;
	}
}

/* Settles pending outcomes and returns the operation's result (see linear.h). */
static int finish(struct tracker_outcome *out, size_t n, int stop, const char *op)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (out[i].code != PENDING)
			continue;
		if (stop)
			outcome_set(&out[i], stop, "%s", pm_error_message());
		else
			outcome_set(&out[i], PM_ERROR, "linear: %s: not sent", op);
	}
	return stop;
}

static int run_aliased(struct linear_tracker *lt, const struct alias_op *op, size_t n,
                       struct tracker_outcome *out)
{
	size_t *idx = xcalloc(n ? n : 1, sizeof(*idx)), i;
	int stop;

	for (i = 0; i < n; i++)
		idx[i] = i;
	stop = run_all(lt, op, idx, n, out);
	free(idx);
	return finish(out, n, stop, op->op);
}

struct markers_ctx {
	const char *const *ids;
	const struct tracker_marker *markers;
};

static int build_marker(struct linear_tracker *lt, const void *ctx, size_t i, size_t j,
                        struct strbuf *decls, struct strbuf *sels, json_t *vars)
{
	const struct markers_ctx *c = ctx;
	char name[32];
	json_t *in;
	int error;

	if (!(in = marker_input(lt, c->ids[i], &c->markers[i], &error)))
		return error;
	snprintf(name, sizeof(name), "i%zu", j);
	strbuf_addf(decls, "%s$i%zu: AttachmentCreateInput!", decls->len ? ", " : "", j);
	strbuf_addf(sels, "m%zu: attachmentCreate(input: $i%zu) { success attachment { id } } ", j,
	            j);
	json_object_set_new(vars, name, in);
	/* after the new marker, so that a failure leaves the ticket linked */
	add_deletes(lt, c->ids[i], c->markers[i].url, j, decls, sels, vars);
	return 0;
}

static bool marker_gone(struct linear_tracker *lt, const void *ctx, size_t i, size_t sub)
{
	const struct markers_ctx *c = ctx;

	return forget_deleted(lt, c->ids[i], c->markers[i].url, sub);
}

static int set_markers(struct linear_tracker *lt, const char *const *ids,
                       const struct tracker_marker *markers, size_t n, struct tracker_outcome *out)
{
	struct markers_ctx ctx = {ids, markers};
	struct alias_op op = {"AttachmentMarkers", MARKERS_PER_DOC, ids, build_marker, &ctx,
	                      marker_gone};
	size_t i;
	int error;

	outcomes_init(out, n);
	if ((error = need_subtitle(lt)) < 0)
		return finish(out, n, error, op.op);
	error = run_aliased(lt, &op, n, out);
	for (i = 0; i < n; i++)
		if (!out[i].code && markers[i].url)
			marker_written(lt, ids[i], markers[i].url);
	return error;
}

static int linear_set_markers(struct tracker *t, const char *const *ids,
                              const struct tracker_marker *markers, size_t n,
                              struct tracker_outcome *outcomes)
{
	return set_markers(LT(t), ids, markers, n, outcomes);
}

/* The IssueUpdateInput for the fields of f in mask; NULL with *error set on failure. */
static json_t *update_input(struct linear_tracker *lt, const char *id,
                            const struct tracker_fields *f, unsigned mask, int *error)
{
	json_t *in = json_object();

	*error = 0;
	if (mask & TF_TITLE) {
		if (!f->title || !*f->title) {
			*error =
			        pm_error(PM_ETRACKER, "linear: issue '%s': the title is empty", id);
			json_decref(in);
			return NULL;
		}
		json_object_set_new(in, "title", pm_json_str(f->title));
	}
	if (mask & TF_DESCRIPTION)
		json_object_set_new(in, "description", pm_json_str(f->description));
	if (mask & TF_ASSIGNEE)
		json_object_set_new(in, "assigneeId", pm_json_str(f->assignee_id));
	if (mask & TF_DUE)
		json_object_set_new(in, "dueDate", pm_json_str(f->due));
	if (mask & TF_PRIORITY)
		json_object_set_new(in, "priority",
		                    json_integer(f->priority < 0 ? 0 : f->priority));
	if ((mask & TF_LABELS) && (*error = label_changes(lt, id, &f->labels, in)) < 0) {
		json_decref(in);
		return NULL;
	}
	return in;
}

struct updates_ctx {
	const struct tracker_update *u;
};

static int build_update(struct linear_tracker *lt, const void *ctx, size_t i, size_t j,
                        struct strbuf *decls, struct strbuf *sels, json_t *vars)
{
	const struct tracker_update *u = &((const struct updates_ctx *)ctx)->u[i];
	json_t *in = NULL, *marker = NULL;
	char name[32];
	int error = 0;

	if (u->mask & TF_ALL) {
		if (!(in = update_input(lt, u->id, u->fields, u->mask, &error)))
			return error;
		if (!json_object_size(in)) {
			json_decref(in); /* the labels were right already */
			in = NULL;
		}
	}
	if (u->marker && !(marker = marker_input(lt, u->id, u->marker, &error))) {
		json_decref(in);
		return error;
	}
	if (in) {
		strbuf_addf(decls, "%s$id%zu: String!, $in%zu: IssueUpdateInput!",
		            decls->len ? ", " : "", j, j);
		strbuf_addf(
		        sels,
		        "u%zu: issueUpdate(id: $id%zu, input: $in%zu) { success issue { id } } ", j,
		        j, j);
		snprintf(name, sizeof(name), "id%zu", j);
		json_object_set_new(vars, name, pm_json_str(u->id));
		snprintf(name, sizeof(name), "in%zu", j);
		json_object_set_new(vars, name, in);
	}
	if (marker) {
		strbuf_addf(decls, "%s$m%zu: AttachmentCreateInput!", decls->len ? ", " : "", j);
		strbuf_addf(sels,
		            "m%zu: attachmentCreate(input: $m%zu) { success attachment { id } } ",
		            j, j);
		snprintf(name, sizeof(name), "m%zu", j);
		json_object_set_new(vars, name, marker);
		add_deletes(lt, u->id, u->marker->url, j, decls, sels, vars);
	}
	return 0;
}

static bool update_gone(struct linear_tracker *lt, const void *ctx, size_t i, size_t sub)
{
	const struct tracker_update *u = &((const struct updates_ctx *)ctx)->u[i];

	return u->marker && forget_deleted(lt, u->id, u->marker->url, sub);
}

static int linear_update(struct tracker *t, const struct tracker_update *u, size_t n,
                         struct tracker_outcome *outcomes)
{
	struct linear_tracker *lt = LT(t);
	const char **ids = xcalloc(n ? n : 1, sizeof(*ids));
	struct updates_ctx ctx = {u};
	struct alias_op op = {"IssueUpdates", UPDATES_PER_DOC, ids, build_update,
	                      &ctx,           update_gone};
	size_t i;
	int error;

	outcomes_init(outcomes, n);
	for (i = 0; i < n; i++)
		ids[i] = u[i].id;
	error = prepare(lt);
	if (error >= 0) {
		for (i = 0; i < n && error >= 0; i++)
			if (u[i].marker)
				error = need_subtitle(lt);
	}
	if (error < 0) {
		error = finish(outcomes, n, error, op.op);
	} else {
		error = run_aliased(lt, &op, n, outcomes);
		for (i = 0; i < n; i++) {
			if (outcomes[i].code)
				continue;
			if (u[i].mask & TF_LABELS)
				labels_written(lt, u[i].id, &u[i].fields->labels);
			if (u[i].marker && u[i].marker->url)
				marker_written(lt, u[i].id, u[i].marker->url);
		}
	}
	free(ids);
	return error;
}

struct cancel_ctx {
	const char *const *ids;
	const char *state_id;
};

static int build_cancel(struct linear_tracker *lt, const void *ctx, size_t i, size_t j,
                        struct strbuf *decls, struct strbuf *sels, json_t *vars)
{
	const struct cancel_ctx *c = ctx;
	json_t *in = json_object();
	char name[32];

	(void)lt;
	json_object_set_new(in, "stateId", json_string(c->state_id));
	strbuf_addf(decls, "%s$id%zu: String!, $in%zu: IssueUpdateInput!", decls->len ? ", " : "",
	            j, j);
	strbuf_addf(sels, "c%zu: issueUpdate(id: $id%zu, input: $in%zu) { success issue { id } } ",
	            j, j, j);
	snprintf(name, sizeof(name), "id%zu", j);
	json_object_set_new(vars, name, pm_json_str(c->ids[i]));
	snprintf(name, sizeof(name), "in%zu", j);
	json_object_set_new(vars, name, in);
	return 0;
}

/* The team's first state of type canceled, or NULL. */
static const struct linear_state *canceled_state(const struct linear_tracker *lt)
{
	const struct linear_state *best = NULL;
	size_t i;

	for (i = 0; i < lt->states_nr; i++)
		if (!strcmp(lt->states[i].type, "canceled") &&
		    (!best || lt->states[i].position < best->position))
			best = &lt->states[i];
	return best;
}

static int linear_cancel(struct tracker *t, const char *const *ids, size_t n,
                         struct tracker_outcome *outcomes)
{
	struct linear_tracker *lt = LT(t);
	const struct linear_state *state;
	struct cancel_ctx ctx = {ids, NULL};
	struct alias_op op = {"IssueCancel", UPDATES_PER_DOC, ids, build_cancel, &ctx, NULL};
	int error;

	outcomes_init(outcomes, n);
	if ((error = prepare(lt)) >= 0) {
		state = canceled_state(lt);
		if (state)
			ctx.state_id = state->id;
		else
			error = pm_error(
			        PM_ETRACKER,
			        "linear: team '%s' has no workflow state of type canceled: "
			        "add one in Linear or set sync.removed = keep in %s",
			        lt->team_key, conf_name(lt));
	}
	if (error < 0)
		return finish(outcomes, n, error, op.op);
	return run_aliased(lt, &op, n, outcomes);
}

/* Creating. */

static json_t *create_input(struct linear_tracker *lt, const struct tracker_create *c, int *error)
{
	const struct tracker_fields *f = c->fields;
	json_t *in, *labels = NULL;

	*error = 0;
	if (!f->title || !*f->title) {
		*error =
		        pm_error(PM_ETRACKER, "linear: IssueBatchCreate: an issue without a title");
		return NULL;
	}
	if (f->labels.nr && !(labels = label_ids(lt, &f->labels, error)))
		return NULL;
	in = json_object();
	if (c->id)
		json_object_set_new(in, "id", pm_json_str(c->id));
	json_object_set_new(in, "teamId", json_string(lt->team_id));
	json_object_set_new(in, "title", pm_json_str(f->title));
	if (f->description)
		json_object_set_new(in, "description", pm_json_str(f->description));
	if (f->assignee_id)
		json_object_set_new(in, "assigneeId", pm_json_str(f->assignee_id));
	if (f->due)
		json_object_set_new(in, "dueDate", pm_json_str(f->due));
	if (f->priority >= 0)
		json_object_set_new(in, "priority", json_integer(f->priority));
	if (labels)
		json_object_set_new(in, "labelIds", labels);
	return in;
}

static int create_batch(struct linear_tracker *lt, const struct tracker_create *c,
                        const size_t *idx, size_t k, struct tracker_tickets *created,
                        struct tracker_outcome *out);

/* Marks the created tickets' markers written, or their outcomes failed. */
static int write_created_markers(struct linear_tracker *lt, const struct tracker_create *c,
                                 const size_t *idx, const size_t *at, size_t k,
                                 struct tracker_tickets *created, struct tracker_outcome *out)
{
	const char **ids = xcalloc(k ? k : 1, sizeof(*ids));
	struct tracker_marker *markers = xcalloc(k ? k : 1, sizeof(*markers));
	struct tracker_outcome *mo = xcalloc(k ? k : 1, sizeof(*mo));
	size_t *from = xcalloc(k ? k : 1, sizeof(*from)), i, m = 0;
	int stop = 0;

	for (i = 0; i < k; i++) {
		if (!c[idx[i]].marker || at[i] == (size_t)-1)
			continue;
		ids[m] = created->v[at[i]].id;
		markers[m] = *c[idx[i]].marker; /* shallow: borrowed for the request */
		from[m++] = i;
	}
	if (m) {
		stop = set_markers(lt, ids, markers, m, mo);
	}
	for (i = 0; i < m; i++) {
		struct tracker_ticket *tk = &created->v[at[from[i]]];
		struct tracker_outcome *o = &out[idx[from[i]]];
		const struct tracker_marker *src = c[idx[from[i]]].marker;
		if (mo[i].code) {
			outcome_set(o, mo[i].code,
			            "linear: created %s, but its marker was not "
			            "written: %s",
			            tk->ref, mo[i].message);
			continue;
		}
		tk->has_marker = true;
		tk->marker.repo_id =
		        xstrdup_or_null(src->repo_id ? src->repo_id : lt->base.cfg->repo_id);
		tk->marker.item_key = xstrdup_or_null(src->item_key);
		tk->marker.pm_path = xstrdup_or_null(src->pm_path);
		tk->marker.url = xstrdup_or_null(src->url);
		tk->marker.title = xstrdup_or_null(src->title);
		tk->marker.has_written = src->has_written;
		tracker_fields_release(&tk->marker.written);
		if (src->has_written)
			tracker_fields_copy(&tk->marker.written, &src->written);
	}
	for (i = 0; i < m; i++)
		tracker_outcome_release(&mo[i]);
	free(ids);
	free(markers);
	free(mo);
	free(from);
	return stop;
}

/* Reads the issues a successful batch returned into created, matching inputs. */
static int read_created(struct linear_tracker *lt, const struct linear_reply *r,
                        const struct tracker_create *c, const size_t *idx, size_t k, size_t *at,
                        struct tracker_tickets *created, struct tracker_outcome *out)
{
	struct pm_json_path root = PM_JSON_PATH_ROOT("linear: IssueBatchCreate: response", PM_ENET);
	struct pm_json_path dp = pm_json_member(&root, "data");
	struct pm_json_path pp = pm_json_member(&dp, "issueBatchCreate");
	struct pm_json_path ip = pm_json_member(&pp, "issues");
	json_t *payload, *issues, *v;
	size_t i, j, first = created->nr;
	bool success;
	int error;

	for (i = 0; i < k; i++)
		at[i] = (size_t)-1;
	if ((error = pm_json_object(&payload, r->data, &dp, "issueBatchCreate")) < 0 ||
	    (error = pm_json_bool(&success, payload, &pp, "success")) < 0)
		return error;
	if (!success)
		return pm_error(PM_ETRACKER, "linear: IssueBatchCreate: Linear reported success: "
		                             "false");
	if ((error = pm_json_array(&issues, payload, &pp, "issues")) < 0)
		return error;
	json_array_foreach(issues, i, v)
	{
		struct pm_json_path ep = pm_json_element(&ip, i);
		struct tracker_ticket tk;
		if ((error = linear_issue_read(&tk, v, &ep)) < 0)
			return error;
		*tracker_tickets_add(created) = tk;
	}
	if ((error = take_read(lt, created, first, NULL)) < 0)
		return error;
	for (j = first; j < created->nr; j++) {
		for (i = 0; i < k; i++) {
			const char *want = c[idx[i]].id;
			if (at[i] != (size_t)-1)
				continue;
			if (want ? !strcasecmp(want, created->v[j].id) : j - first == i) {
				at[i] = j;
				outcome_ok(&out[idx[i]]);
				break;
			}
		}
	}
	for (i = 0; i < k; i++)
		if (at[i] == (size_t)-1)
			outcome_set(&out[idx[i]], PM_ENET,
			            "linear: IssueBatchCreate: issue '%s' is missing from the "
			            "answer: it may have been created",
			            c[idx[i]].id ? c[idx[i]].id : "(no id)");
	return 0;
}

static int create_batch(struct linear_tracker *lt, const struct tracker_create *c,
                        const size_t *idx, size_t k, struct tracker_tickets *created,
                        struct tracker_outcome *out)
{
	struct linear_reply r = LINEAR_REPLY_INIT;
	json_t *vars = json_object(), *input = json_object(), *issues = json_array();
	size_t *sent = xcalloc(k ? k : 1, sizeof(*sent)), *at = NULL, i, m = 0;
	int error = 0, stop = 0;

	for (i = 0; i < k; i++) {
		json_t *in = create_input(lt, &c[idx[i]], &error);
		if (!in) {
			outcome_set(&out[idx[i]], error, "%s", pm_error_message());
			if (is_stop(error, &r)) {
				stop = error;
				goto done;
			}
			continue;
		}
		json_array_append_new(issues, in);
		sent[m++] = idx[i];
	}
	if (!m)
		goto done;
	json_object_set_new(input, "issues", issues);
	issues = NULL;
	json_object_set_new(vars, "input", input);
	input = NULL;
	error = gql(lt, &r, "IssueBatchCreate", m_batch_create, vars, false, false);
	vars = NULL; /* stolen by gql */
	if (error < 0) {
		if (!is_stop(error, &r) && error == PM_ETRACKER && r.status == 400 && m > 1) {
			/* refused as a whole, so nothing was created: find the bad issue */
			linear_reply_release(&r);
			stop = create_batch(lt, c, sent, m / 2, created, out);
			if (!stop)
				stop = create_batch(lt, c, sent + m / 2, m - m / 2, created, out);
			goto done;
		}
		if (error == PM_ENET && r.status) {
			char *msg = xstrdup(pm_error_message());
			error = pm_error(PM_ENET, "%s; the issues may have been created", msg);
			free(msg);
		}
		for (i = 0; i < m; i++)
			outcome_set(&out[sent[i]], error, "%s", pm_error_message());
		if (is_stop(error, &r))
			stop = error;
		goto done;
	}
	at = xcalloc(m, sizeof(*at));
	if ((error = read_created(lt, &r, c, sent, m, at, created, out)) < 0) {
		for (i = 0; i < m; i++)
			if (out[sent[i]].code == PENDING)
				outcome_set(&out[sent[i]], error, "%s", pm_error_message());
		stop = is_stop(error, &r) ? error : 0;
		goto done;
	}
	stop = write_created_markers(lt, c, sent, at, m, created, out);
done:
	json_decref(vars);
	json_decref(input);
	json_decref(issues);
	linear_reply_release(&r);
	free(sent);
	free(at);
	return stop;
}

static int linear_create(struct tracker *t, const struct tracker_create *c, size_t n,
                         struct tracker_tickets *created, struct tracker_outcome *outcomes)
{
	struct linear_tracker *lt = LT(t);
	size_t *idx = xcalloc(n ? n : 1, sizeof(*idx)), i, start;
	int stop = 0;

	outcomes_init(outcomes, n);
	for (i = 0; i < n; i++)
		idx[i] = i;
	stop = prepare(lt);
	if (!stop && n && c[0].marker)
		stop = need_subtitle(lt);
	for (start = 0; start < n && !stop; start += CREATES_PER_BATCH)
		stop = create_batch(lt, c, idx + start,
		                    n - start < CREATES_PER_BATCH ? n - start : CREATES_PER_BATCH,
		                    created, outcomes);
	free(idx);
	return finish(outcomes, n, stop, "IssueBatchCreate");
}

/* Doctor: checks the setup through a client that refuses every write. */

/* The part of the recorded message after "linear: <op>: HTTP <status>: ". */
static const char *bare_message(void)
{
	const char *m = pm_error_message(), *h = strstr(m, ": HTTP ");

	if (h && (h = strstr(h + 7, ": ")))
		return h + 2;
	return m;
}

static void doctor_labels(struct linear_tracker *lt, const struct pm_config *cfg,
                          struct tracker_findings *out)
{
	struct pm_strlist names = {NULL, 0, 0};
	struct strbuf check = STRBUF_INIT;
	size_t i;

	if (cfg->label && *cfg->label)
		pm_strlist_add(&names, cfg->label);
	for (i = 0; i < cfg->levers.nr; i++) {
		char *name =
		        xasprintf("%s%s", cfg->lever_label_prefix ? cfg->lever_label_prefix : "",
		                  cfg->levers.v[i]);
		pm_strlist_add(&names, name);
		free(name);
	}
	for (i = 0; i < names.nr; i++) {
		const struct linear_label *l = label_by_name(lt, names.v[i]);
		strbuf_reset(&check);
		strbuf_addf(&check, "label %s", names.v[i]);
		if (l && l->group)
			tracker_findings_add(
			        out, false, check.buf,
			        "'%s' is a label group in Linear, which cannot be applied "
			        "to issues: rename the group",
			        l->name);
		else if (l)
			tracker_findings_add(out, true, check.buf, "label '%s' exists (%s label)",
			                     l->name, l->team ? "team" : "workspace");
		else
			tracker_findings_add(
			        out, true, check.buf,
			        "label '%s' does not exist: the first sync creates it in "
			        "team %s",
			        names.v[i], lt->team_key);
	}
	pm_strlist_clear(&names);
	strbuf_release(&check);
}

static int doctor_owners(struct linear_tracker *lt, const struct pm_config *cfg,
                         struct tracker_findings *out)
{
	const char **q = xcalloc(cfg->owners_nr ? cfg->owners_nr : 1, sizeof(*q));
	struct strbuf check = STRBUF_INIT;
	size_t i;
	int error;

	for (i = 0; i < cfg->owners_nr; i++)
		q[i] = cfg->owners[i].linear && *cfg->owners[i].linear ? cfg->owners[i].linear
		                                                       : cfg->owners[i].email;
	if ((error = load_users(lt, q, cfg->owners_nr)) < 0)
		goto done;
	for (i = 0; i < cfg->owners_nr; i++) {
		const struct pm_owner *o = &cfg->owners[i];
		const struct linear_user *u = q[i] && *q[i] ? user_find(lt, q[i]) : NULL;
		strbuf_reset(&check);
		strbuf_addf(&check, "owner %s", o->handle);
		if (!q[i] || !*q[i])
			tracker_findings_add(out, false, check.buf,
			                     "no email or Linear user: set email or linear in "
			                     "[owner \"%s\"] in %s (line %d)",
			                     o->handle, conf_name(lt), o->line);
		else if (!u || !u->found)
			tracker_findings_add(
			        out, false, check.buf,
			        "no Linear user %s '%s': fix [owner \"%s\"] in %s (line %d)",
			        strchr(q[i], '@') ? "with email" : "with id", q[i], o->handle,
			        conf_name(lt), o->line);
		else if (!u->active)
			tracker_findings_add(out, false, check.buf,
			                     "user %s is deactivated: update [owner \"%s\"] in %s "
			                     "(line %d)",
			                     u->email, o->handle, conf_name(lt), o->line);
		else
			tracker_findings_add(out, true, check.buf, "%s <%s>", u->name, u->email);
	}
done:
	strbuf_release(&check);
	free(q);
	return error;
}

static int doctor_run(struct linear_tracker *lt, const struct pm_config *cfg,
                      struct tracker_findings *out)
{
	struct strbuf check = STRBUF_INIT, keys = STRBUF_INIT;
	const struct linear_state *st;
	bool found = false;
	int error;

	if ((error = load_viewer(lt)) == PM_EAUTH) {
		tracker_findings_add(out, false, "token", "%s", bare_message());
		error = 0;
		goto done;
	}
	if (error < 0)
		goto done;
	tracker_findings_add(out, true, "token", "%s works: %s in workspace '%s'", lt->token_var,
	                     lt->viewer, lt->org_key);
	if (!cfg->linear_team || !*cfg->linear_team) {
		if ((error = load_team_keys(lt)) < 0)
			goto done;
		team_keys_list(&keys, lt);
		tracker_findings_add(out, false, "team",
		                     "linear.team is not set: set it in %s to one of: %s",
		                     conf_name(lt), keys.buf);
		goto owners;
	}
	strbuf_addf(&check, "team %s", cfg->linear_team);
	if ((error = load_team(lt, &found)) < 0)
		goto done;
	if (!found) {
		team_keys_list(&keys, lt);
		tracker_findings_add(out, false, check.buf,
		                     "team '%s' not found: set linear.team in %s to one of: %s",
		                     cfg->linear_team, conf_name(lt), keys.buf);
		goto owners;
	}
	tracker_findings_add(out, true, check.buf, "team %s (%s), %zu workflow states",
	                     lt->team_key, lt->team_name, lt->states_nr);
	if ((error = load_labels(lt)) < 0)
		goto done;
	doctor_labels(lt, cfg, out);
	if (cfg->removed == PM_REMOVED_CANCEL) {
		st = canceled_state(lt);
		if (st)
			tracker_findings_add(out, true, "canceled state",
			                     "removed items are canceled into state '%s'",
			                     st->name);
		else
			tracker_findings_add(
			        out, false, "canceled state",
			        "team %s has no workflow state of type canceled: add one "
			        "in Linear or set sync.removed = keep in %s",
			        lt->team_key, conf_name(lt));
	}
owners:
	error = doctor_owners(lt, cfg, out);
done:
	strbuf_release(&check);
	strbuf_release(&keys);
	return error;
}

static int linear_doctor(struct tracker *t, const struct pm_config *cfg,
                         struct tracker_findings *out)
{
	struct linear_tracker *lt = LT(t);
	bool dry = http_client_dry_run(lt->http);
	int error;

	http_client_set_dry_run(lt->http, true);
	error = doctor_run(lt, cfg ? cfg : lt->base.cfg, out);
	http_client_set_dry_run(lt->http, dry);
	return error;
}

/* References and lifecycle. */

static bool is_linear_url(const char *ref)
{
	while (*ref == ' ' || *ref == '\t')
		ref++;
	if (!strncasecmp(ref, "https://", 8))
		ref += 8;
	else if (!strncasecmp(ref, "http://", 7))
		ref += 7;
	return !strncasecmp(ref, "linear.app/", 11);
}

static bool linear_owns_ref(struct tracker *t, const char *ref)
{
	struct linear_tracker *lt = LT(t);
	struct strbuf key = STRBUF_INIT;
	bool owns = false;
	long number;
	size_t i;

	if (!ref || !linear_ref_parse(ref, &key, &number))
		goto done;
	if (is_linear_url(ref)) {
		owns = true;
		goto done;
	}
	owns = lt->base.cfg->linear_team && !strcasecmp(key.buf, lt->base.cfg->linear_team);
	for (i = 0; i < lt->team_keys.nr && !owns; i++)
		owns = !strcasecmp(key.buf, lt->team_keys.v[i]);
done:
	strbuf_release(&key);
	return owns;
}

static void wipe(char *s)
{
	volatile char *p = s;

	while (p && *p)
		*p++ = '\0';
}

static void linear_free(struct tracker *t)
{
	struct linear_tracker *lt = LT(t);
	size_t i;

	http_client_free(lt->http);
	free(lt->url);
	wipe(lt->auth);
	free(lt->auth);
	free(lt->subtitle);
	free(lt->org_key);
	free(lt->viewer);
	free(lt->team_id);
	free(lt->team_key);
	free(lt->team_name);
	states_clear(lt);
	free(lt->states);
	pm_strlist_clear(&lt->team_keys);
	labels_clear(lt);
	free(lt->labels);
	for (i = 0; i < lt->users_nr; i++) {
		free(lt->users[i].query);
		free(lt->users[i].id);
		free(lt->users[i].email);
		free(lt->users[i].name);
	}
	free(lt->users);
	for (i = 0; i < lt->seen_nr; i++) {
		free(lt->seen[i].issue_id);
		pm_strlist_clear(&lt->seen[i].label_ids);
	}
	free(lt->seen);
	for (i = 0; i < lt->markers_nr; i++)
		linear_marker_ref_release(&lt->markers[i]);
	free(lt->markers);
	free(lt);
}

static const struct tracker_ops linear_ops = {
        "linear",          linear_prepare,     linear_resolve_users, linear_list_managed,
        linear_get_by_ids, linear_get_by_refs, linear_create,        linear_set_markers,
        linear_update,     linear_cancel,      linear_doctor,        linear_owns_ref,
        linear_free,
};

/* The token without surrounding space; NULL when unset or empty. */
static char *token_from(const char *var)
{
	const char *v = getenv(var);
	size_t n;

	if (!v)
		return NULL;
	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' || v[n - 1] == '\r'))
		n--;
	return n ? xstrndup(v, n) : NULL;
}

static int make_auth(char **out, const char **var)
{
	char *key = token_from("LINEAR_API_KEY"), *tok = NULL, *p;
	const char *bare;

	if (key) {
		*var = "LINEAR_API_KEY";
		/* a personal key goes bare: drop a "Bearer " pasted in front of it */
		bare = strncasecmp(key, "Bearer ", 7) ? key : key + 7;
		*out = xstrdup(bare);
	} else if ((tok = token_from("LINEAR_ACCESS_TOKEN"))) {
		*var = "LINEAR_ACCESS_TOKEN";
		if (!strncmp(tok, "lin_api_", 8) || !strncasecmp(tok, "Bearer ", 7))
			*out = xstrdup(tok); /* a personal key, or already prefixed */
		else
			*out = xasprintf("Bearer %s", tok);
	} else {
		return pm_error(PM_EAUTH,
		                "linear: no token: set LINEAR_API_KEY (a personal API key) "
		                "or LINEAR_ACCESS_TOKEN (an OAuth access token)");
	}
	wipe(key);
	free(key);
	wipe(tok);
	free(tok);
	for (p = *out; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			wipe(*out);
			free(*out);
			*out = NULL;
			return pm_error(PM_EAUTH, "linear: %s holds a control character", *var);
		}
	}
	return 0;
}

/* https, or http to this machine only (a local fake): a token never crosses a network in clear. */
static int check_url(const char *url)
{
	static const char *const local[] = {"http://127.0.0.1:", "http://127.0.0.1/",
	                                    "http://localhost:", "http://localhost/",
	                                    "http://[::1]:",     "http://[::1]/"};
	size_t i;

	if (!strncasecmp(url, "https://", 8))
		return 0;
	for (i = 0; i < sizeof(local) / sizeof(*local); i++)
		if (!strncasecmp(url, local[i], strlen(local[i])))
			return 0;
	return pm_error(PM_ECONFIG, "linear: the API URL '%s' must use https", url);
}

int linear_tracker_new(struct tracker **out, const struct pm_config *cfg,
                       const struct tracker_options *opts)
{
	struct http_client_options ho = {"linear", false, 0, NULL, NULL};
	const char *url = cfg->linear_url && *cfg->linear_url ? cfg->linear_url : DEFAULT_URL;
	struct linear_tracker *lt;
	const char *var = NULL;
	char *auth = NULL;
	int error;

	if ((error = check_url(url)) < 0 || (error = make_auth(&auth, &var)) < 0)
		return error;
	lt = xcalloc(1, sizeof(*lt));
	lt->base.ops = &linear_ops;
	lt->base.cfg = cfg;
	if (opts)
		lt->base.opts = *opts;
	lt->url = xstrdup(url);
	lt->auth = auth;
	lt->token_var = var;
	if (cfg->repo_id && *cfg->repo_id)
		lt->subtitle = xasprintf("pmsync %s", cfg->repo_id);
	ho.dry_run = lt->base.opts.dry_run;
	ho.max_attempts = lt->base.opts.max_retries > 0 ? lt->base.opts.max_retries + 1 : 0;
	ho.log = lt->base.opts.log;
	ho.log_data = lt->base.opts.log_data;
	http_client_new(&lt->http, &ho);
	*out = &lt->base;
	return 0;
}

/* For tests: the HTTP client, to replace its clock. */
struct http_client *linear_tracker_http(struct tracker *t)
{
	return LT(t)->http;
}
