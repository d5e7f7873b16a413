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
#include "connectors/linear_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/http.h"
#include "util/error.h"
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

bool linear_is_stop(int code, const struct linear_reply *r)
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

int linear_need_subtitle(struct linear_tracker *lt)
{
	if (lt->subtitle)
		return 0;
	return pm_error(PM_ECONFIG, "sync.repoId is not set in '%s' and cannot be derived",
	                linear_conf_name(lt));
}

static void wipe(char *s)
{
	volatile char *p = s;

	while (p && *p)
		*p++ = '\0';
}

static void linear_free(struct tracker *t)
{
	struct linear_tracker *lt = linear_tracker_of(t);
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
	linear_states_clear(lt);
	free(lt->states);
	pm_strlist_clear(&lt->team_keys);
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
	struct http_client_options ho = {"linear", false, 0, NULL, NULL, 0};
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
