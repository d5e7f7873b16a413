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
 * adds or removes, the markers it replaces. Mutations go in batches and
 * report one outcome per element. This file holds the operations table, the
 * client's setup (endpoint, token) and teardown, and the one function every
 * request goes through; each other job has a file of its own, sharing
 * connectors/linear_int.h: the team (linear_team.c), labels
 * (linear_labels.c), users (linear_users.c), reading tickets
 * (linear_read.c), batched mutations (linear_batch.c), markers
 * (linear_markers.c), updates and cancels (linear_update.c), creates
 * (linear_create.c), the doctor (linear_doctor.c), and Linear's answers
 * (linear_reply.c, linear_parse.c).
 */
#include "util/compat.h"

#include "connectors/linear/linear_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/graphql.h"
#include "connectors/endpoint.h"
#include "connectors/http.h"
#include "util/error.h"
#include "util/redact.h"
#include "util/xalloc.h"

#define DEFAULT_URL "https://api.linear.app/graphql"

const char *linear_conf_name(const struct linear_tracker *lt)
{
	return lt->base.cfg->source ? lt->base.cfg->source : ".pmsync.conf";
}

int linear_gql(struct linear_tracker *lt, struct linear_reply *r, const char *op, const char *doc,
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
	/*
	 * The body decides, whatever the status (Linear answers errors with 200
	 * or 400): errors that each name an element of a batched document are
	 * the caller's to sort out; any other error fails the request.
	 */
	json_array_foreach(r->errors, i, e)
	{
		if (linear_error_alias(e) < 0)
			element_errors_only = false;
	}
	if (r->errors ? !element_errors_only : (res.status < 200 || res.status >= 300 || !r->data))
		error = linear_reply_fail(r, op, lt->token_var);
done:
	http_request_release(&req);
	http_response_release(&res);
	return error;
}

bool linear_is_stop(int code, const struct linear_reply *r)
{
	json_t *e;
	size_t i;

	if (code == PM_EAUTH || code == PM_ERATELIMIT || code == PM_ENET || code == PM_EREFUSED ||
	    code == PM_ECONFIG || code == PM_ETIMEOUT)
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

int linear_need_subtitle(struct linear_tracker *lt)
{
	if (lt->subtitle)
		return 0;
	return pm_error(PM_ECONFIG, "sync.repoId is not set in '%s' and cannot be derived",
	                linear_conf_name(lt));
}

static void linear_free(struct tracker *t)
{
	struct linear_tracker *lt = linear_tracker_of(t);
	size_t i;

	http_client_free(lt->http);
	free(lt->url);
	free(lt->host);
	redact_wipe(lt->auth);
	free(lt->auth);
	free(lt->subtitle);
	free(lt->org_key);
	free(lt->org_id);
	free(lt->viewer);
	free(lt->team_id);
	free(lt->team_key);
	free(lt->team_name);
	linear_states_clear(lt);
	free(lt->states);
	strlist_clear(&lt->team_keys);
	linear_labels_clear(lt);
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
		strlist_clear(&lt->seen[i].label_ids);
	}
	free(lt->seen);
	for (i = 0; i < lt->markers_nr; i++)
		linear_marker_ref_release(&lt->markers[i]);
	free(lt->markers);
	free(lt);
}

static const struct tracker_ops linear_ops = {
        .name = "linear",
        .prepare = linear_prepare,
        .resolve_users = linear_resolve_users,
        .list_managed = linear_list_managed,
        .get_by_ids = linear_get_by_ids,
        .get_by_refs = linear_get_by_refs,
        .create = linear_create,
        .set_markers = linear_set_markers,
        .update = linear_update,
        .cancel = linear_cancel,
        .doctor = linear_doctor,
        .owns_ref = linear_owns_ref,
        .free = linear_free,
        .find_pending = linear_find_pending,
};

static const char *const token_vars[] = {"LINEAR_API_KEY", "LINEAR_ACCESS_TOKEN", NULL};
static const char *const token_prefixes[] = {"lin_api_", "lin_oauth_", NULL};

#define TOKEN_HELP                                                                      \
	"set LINEAR_API_KEY (a personal API key, Linear: Settings, Security & access) " \
	"or LINEAR_ACCESS_TOKEN (an OAuth access token)"

static const char *owner_identity(const struct config_owner *o)
{
	return o->linear;
}

const struct tracker_kind linear_tracker_kind = {
        PM_TRACKER_LINEAR, "linear",       "Linear",       token_vars,
        TOKEN_HELP,        token_prefixes, owner_identity, linear_tracker_new,
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
	char *key = token_from(token_vars[0]), *tok = NULL, *p;
	const char *bare;

	if (key) {
		*var = token_vars[0];
		/* a personal key goes bare: drop a "Bearer " pasted in front of it */
		bare = strncasecmp(key, "Bearer ", 7) ? key : key + 7;
		*out = xstrdup(bare);
	} else if ((tok = token_from(token_vars[1]))) {
		*var = token_vars[1];
		if (!strncmp(tok, "lin_api_", 8) || !strncasecmp(tok, "Bearer ", 7))
			*out = xstrdup(tok); /* a personal key, or already prefixed */
		else
			*out = xasprintf("Bearer %s", tok);
	} else {
		return pm_error(PM_EAUTH,
		                "linear: no token: set LINEAR_API_KEY (a personal API key) "
		                "or LINEAR_ACCESS_TOKEN (an OAuth access token)");
	}
	redact_wipe(key);
	free(key);
	redact_wipe(tok);
	free(tok);
	for (p = *out; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			redact_wipe(*out);
			free(*out);
			*out = NULL;
			return pm_error(PM_EAUTH, "linear: %s holds a control character", *var);
		}
	}
	return 0;
}

void linear_http_options(struct http_client_options *o)
{
	o->service = "linear";
	o->reads_only = graphql_request_reads_only;
	o->body_reason = linear_body_reason;
	o->token_prefixes = token_prefixes;
}

int linear_tracker_new(struct tracker **out, const struct config *cfg,
                       const struct tracker_options *opts)
{
	struct http_client_options ho = {0};
	const char *url = cfg->linear_url && *cfg->linear_url ? cfg->linear_url : DEFAULT_URL;
	struct http_url where = HTTP_URL_INIT;
	struct linear_tracker *lt;
	const char *var = NULL;
	char *auth = NULL;
	int error;

	if ((error = endpoint_linear(&where, cfg)) < 0 || (error = make_auth(&auth, &var)) < 0) {
		http_url_release(&where);
		return error;
	}
	lt = xcalloc(1, sizeof(*lt));
	lt->base.ops = &linear_ops;
	lt->base.cfg = cfg;
	if (opts)
		lt->base.opts = *opts;
	lt->url = xstrdup(url);
	lt->auth = auth;
	lt->token_var = var;
	lt->host = xstrdup(where.host);
	http_url_release(&where);
	if (opts && opts->log) {
		char *line =
		        xasprintf("linear: %s goes to %s (%s)", var, lt->host,
		                  endpoint_origin(cfg, PM_CHOSEN_LINEAR_URL, "LINEAR_API_URL"));
		opts->log(opts->log_data, line);
		free(line);
	}
	if (cfg->repo_id && *cfg->repo_id)
		lt->subtitle = xasprintf("pmsync %s", cfg->repo_id);
	linear_http_options(&ho);
	ho.dry_run = lt->base.opts.dry_run;
	ho.max_attempts = lt->base.opts.max_retries > 0 ? lt->base.opts.max_retries + 1 : 0;
	ho.log = lt->base.opts.log;
	ho.log_data = lt->base.opts.log_data;
	ho.deadline_ms = lt->base.opts.deadline_ms;
	http_client_new(&lt->http, &ho);
	*out = &lt->base;
	return 0;
}

/* For tests: the HTTP client, to replace its clock. */
struct http_client *linear_tracker_http(struct tracker *t)
{
	return linear_tracker_of(t)->http;
}
