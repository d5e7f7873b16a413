/*
 * The Jira connector: the tracker operations of connectors/tracker.h as
 * REST requests to Jira Cloud (v3) or Jira Data Center / Server (v2),
 * through the shared HTTP client (retries, pacing, the dry-run guard). The
 * deployment is settled once, from jira.deployment or the site's host
 * (*.atlassian.net is Cloud), and with it the API version, the rich-text
 * form of descriptions (ADF or wiki markup), how users are named (account
 * id or user name), how searches page (nextPageToken or startAt) and the
 * token (Basic e-mail and API token on Cloud, a Bearer personal access
 * token on Data Center). Every ticket pmsync manages carries its marker
 * from the create request on: pmsync's label and the issue property
 * "pmsync". This file holds the operations table, the client's setup and
 * teardown, and the one function every request goes through; the other
 * jobs have a file each, sharing connectors/jira/jira_int.h: the create
 * metadata (jira_meta.c), issues as JSON (jira_issue.c), searches
 * (jira_search.c), creates (jira_create.c), the intent journal
 * (jira_journal.c), edits and transitions (jira_write.c), users
 * (jira_users.c), remote links to the postmortems (jira_links.c) and the
 * doctor (jira_doctor.c).
 */
#include "util/compat.h"

#include "connectors/jira/jira_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/endpoint.h"
#include "util/error.h"
#include "util/redact.h"
#include "util/json.h"
#include "util/xalloc.h"

const char *jira_conf_name(const struct jira_tracker *jt)
{
	return jt->base.cfg->source ? jt->base.cfg->source : ".pmsync.conf";
}

void jira_error_text(struct strbuf *sb, const json_t *errors)
{
	const json_t *msgs = json_object_get(errors, "errorMessages"), *v;
	const char *key;
	size_t i, start = sb->len;

	json_array_foreach(msgs, i, v)
	{
		if (!json_is_string(v))
			continue;
		if (sb->len > start)
			strbuf_addstr(sb, "; ");
		strbuf_addstr(sb, json_string_value(v));
	}
	json_object_foreach((json_t *)json_object_get(errors, "errors"), key, v)
	{
		if (sb->len > start)
			strbuf_addstr(sb, "; ");
		strbuf_addf(sb, "%s: %s", key,
		            json_is_string(v) ? json_string_value(v) : "invalid");
	}
	/* Jira's words travel into messages: keep them on one line */
	for (i = start; i < sb->len; i++)
		if ((unsigned char)sb->buf[i] < 0x20)
			sb->buf[i] = ' ';
}

bool jira_is_stop(int code)
{
	return code == PM_EAUTH || code == PM_ERATELIMIT || code == PM_ENET ||
	       code == PM_EREFUSED || code == PM_ECONFIG;
}

static int http_fail(const char *method, const char *path, long status, const char *body,
                     size_t len)
{
	struct strbuf sb = STRBUF_INIT, prefix = STRBUF_INIT, detail = STRBUF_INIT;
	json_t *j = len ? json_loadb(body, len, 0, NULL) : NULL;
	int code = PM_ETRACKER, r;

	if (j)
		jira_error_text(&sb, j);
	if (status == 401 || status == 403)
		code = PM_EAUTH;
	else if (status == 404)
		code = PM_ENOTFOUND;
	else if (status == 429)
		code = PM_ERATELIMIT;
	else if (status >= 500)
		code = PM_ENET;
	if (status == 401)
		strbuf_addstr(&detail, sb.len ? "the site refused the credentials: "
		                              : "the site refused the credentials");
	strbuf_addbuf(&detail, &sb);
	strbuf_addf(&prefix, "jira: %s %s: ", method, path);
	r = pm_error_remote(code, prefix.buf, status, detail.buf);
	strbuf_release(&prefix);
	strbuf_release(&detail);
	json_decref(j);
	strbuf_release(&sb);
	return r;
}

int jira_call(struct jira_tracker *jt, json_t **out, long *status, const char *method,
              const char *path, json_t *body, bool idempotent)
{
	struct http_request req = HTTP_REQUEST_INIT;
	struct http_response res = HTTP_RESPONSE_INIT;
	char *url = xasprintf("%s%s", strncmp(path, "/rest/", 6) ? jt->api : jt->site, path);
	const char *shown = url + strlen(jt->site);
	int error;

	if (body) {
		pm_json_dump(&req.body, body);
		json_decref(body);
	}
	req.method = method;
	req.url = url;
	req.name = shown;
	req.idempotent = idempotent;
	req.ca_info = jt->ca_info;
	http_headers_add(&req.headers, "Accept", "application/json");
	if (body)
		http_headers_add(&req.headers, "Content-Type", "application/json");
	http_headers_add(&req.headers, "Authorization", jt->auth);

	error = http_client_send(jt->http, &res, &req);
	jt->base.requests = http_client_requests(jt->http);
	if (error < 0)
		goto done;
	if (status)
		*status = res.status;
	if (res.status < 200 || res.status >= 300) {
		error = http_fail(method, shown, res.status, res.body.buf, res.body.len);
		/* the caller may read per-element errors (a bulk create's) */
		if (out && res.body.len)
			*out = json_loadb(res.body.buf, res.body.len, 0, NULL);
		goto done;
	}
	if (out) {
		if (!res.body.len)
			*out = json_null();
		else
			error = pm_json_parse(out, res.body.buf, res.body.len, "jira: response",
			                      PM_ETRACKER);
	}
done:
	http_request_release(&req);
	http_response_release(&res);
	free(url);
	return error;
}

static void jira_free(struct tracker *t)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	size_t i;

	http_client_free(jt->http);
	free(jt->site);
	free(jt->api);
	redact_wipe(jt->auth);
	free(jt->auth);
	free(jt->project_id);
	free(jt->issue_type_id);
	for (i = 0; i < jt->priorities_nr; i++) {
		free(jt->priorities[i].id);
		free(jt->priorities[i].name);
	}
	free(jt->priorities);
	json_decref(jt->required);
	json_decref(jt->extra);
	json_decref(jt->seen);
	json_decref(jt->linked);
	free(jt->ca_info);
	for (i = 0; i < jt->users_nr; i++) {
		free(jt->users[i].query);
		free(jt->users[i].id);
	}
	free(jt->users);
	jira_journal_clear(jt);
	free(jt->journal);
	free(jt->journal_file);
	free(jt);
}

static const struct tracker_ops jira_ops = {
        .name = "jira",
        .prepare = jira_prepare,
        .resolve_users = jira_resolve_users,
        .list_managed = jira_list_managed,
        .get_by_ids = jira_get_by_ids,
        .get_by_refs = jira_get_by_refs,
        .create = jira_create,
        .set_markers = jira_set_markers,
        .update = jira_update,
        .cancel = jira_cancel,
        .doctor = jira_doctor,
        .owns_ref = jira_owns_ref,
        .free = jira_free,
        .find_pending = jira_find_pending,
};

static const char *const token_vars[] = {"JIRA_API_TOKEN", "JIRA_PAT", NULL};

static const char *owner_identity(const struct config_owner *o)
{
	return o->jira;
}

const struct tracker_kind jira_tracker_kind = {
        .kind = PM_TRACKER_JIRA,
        .name = "jira",
        .display = "Jira",
        .token_vars = token_vars,
        .token_help = "set JIRA_EMAIL and JIRA_API_TOKEN (Cloud) or JIRA_PAT (Data Center)",
        .token_prefixes = NULL,
        .owner_identity = owner_identity,
        .open = jira_tracker_new,
};

/* The variable's value without surrounding space; NULL when unset or empty. */
static char *env_value(const char *var)
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

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(struct strbuf *sb, const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		strbuf_addch(sb, b64[s[i] >> 2]);
		strbuf_addch(sb, b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		strbuf_addch(sb, b64[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)]);
		strbuf_addch(sb, b64[s[i + 2] & 63]);
	}
	if (n - i == 1) {
		strbuf_addch(sb, b64[s[i] >> 2]);
		strbuf_addch(sb, b64[(s[i] & 3) << 4]);
		strbuf_addstr(sb, "==");
	} else if (n - i == 2) {
		strbuf_addch(sb, b64[s[i] >> 2]);
		strbuf_addch(sb, b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		strbuf_addch(sb, b64[(s[i + 1] & 15) << 2]);
		strbuf_addch(sb, '=');
	}
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Cloud: Basic e-mail:API token. Data Center: Bearer personal access token. */
static int make_auth(char **out, bool cloud)
{
	struct strbuf sb = STRBUF_INIT, pair = STRBUF_INIT;
	char *email = NULL, *token = NULL;
	int error = 0;

	if (cloud) {
		email = env_value("JIRA_EMAIL");
		token = env_value("JIRA_API_TOKEN");
		if (!email || !token) {
			error = pm_error(PM_EAUTH, "jira: no credentials: set JIRA_EMAIL and "
			                           "JIRA_API_TOKEN (an Atlassian API token)");
			goto done;
		}
		if (has_control(email) || has_control(token)) {
			error = pm_error(
			        PM_EAUTH,
			        "jira: JIRA_EMAIL or JIRA_API_TOKEN holds a control character");
			goto done;
		}
		strbuf_addf(&pair, "%s:%s", email, token);
		strbuf_addstr(&sb, "Basic ");
		base64(&sb, (const unsigned char *)pair.buf, pair.len);
	} else {
		token = env_value("JIRA_PAT");
		if (!token) {
			error = pm_error(PM_EAUTH,
			                 "jira: no token: set JIRA_PAT (a personal access token)");
			goto done;
		}
		if (has_control(token)) {
			error = pm_error(PM_EAUTH, "jira: JIRA_PAT holds a control character");
			goto done;
		}
		strbuf_addf(&sb, "Bearer %s", token);
	}
	*out = strbuf_detach(&sb, NULL);
done:
	redact_wipe(pair.buf);
	strbuf_release(&pair);
	strbuf_release(&sb);
	redact_wipe(token);
	free(token);
	free(email);
	return error;
}

/* Cloud when configured so, or when the host is *.atlassian.net. */
static bool is_cloud(const struct config *cfg, const char *url)
{
	const char *host = strstr(url, "://"), *end;
	size_t n;

	if (cfg->jira_deployment)
		return !strcmp(cfg->jira_deployment, "cloud");
	host = host ? host + 3 : url;
	end = host + strcspn(host, ":/?#");
	n = (size_t)(end - host);
	return n > 14 && !strncasecmp(end - 14, ".atlassian.net", 14);
}

/* The POSTs a dry run may send: JQL searches and bulk fetches, which only read. */
static const char *const read_only_posts[] = {
        "/rest/api/3/search/jql", "/rest/api/3/issue/bulkfetch", "/rest/api/2/search", NULL};

int jira_tracker_new(struct tracker **out, const struct config *cfg,
                     const struct tracker_options *opts)
{
	struct http_client_options ho = {0};
	struct http_url where = HTTP_URL_INIT;
	struct jira_tracker *jt;
	const char *url = cfg->jira_url, *ca = NULL, *ca_origin = NULL;
	char *auth = NULL, *site;
	size_t n;
	bool cloud;
	int error;

	if (!url || !*url)
		return pm_error(PM_ECONFIG, "jira: no site: set JIRA_URL or jira.url");
	if ((error = endpoint_jira(&where, cfg)) < 0 ||
	    (error = endpoint_jira_ca(&ca, &ca_origin, cfg)) < 0) {
		http_url_release(&where);
		return error;
	}
	cloud = is_cloud(cfg, url);
	if ((error = make_auth(&auth, cloud)) < 0) {
		http_url_release(&where);
		return error;
	}
	n = strlen(url);
	while (n && url[n - 1] == '/')
		n--;
	site = xstrndup(url, n);
	jt = xcalloc(1, sizeof(*jt));
	jt->base.ops = &jira_ops;
	jt->base.cfg = cfg;
	if (opts)
		jt->base.opts = *opts;
	jt->site = site;
	jt->cloud = cloud;
	jt->api = xasprintf("%s/rest/api/%d", site, cloud ? 3 : 2);
	jt->auth = auth;
	jt->ca_info = xstrdup_or_null(ca);
	jt->ca_origin = ca_origin;
	jt->recovery_bound_ms = 10000;
	if (opts && opts->journal)
		jt->journal_file = xstrdup(opts->journal);
	if (opts && opts->log) {
		char *line = xasprintf("jira: %s goes to %s (%s, %s)",
		                       cloud ? "JIRA_API_TOKEN" : "JIRA_PAT", where.host,
		                       cloud ? "Cloud" : "Data Center",
		                       endpoint_origin(cfg, PM_CHOSEN_JIRA_URL, "JIRA_URL"));
		opts->log(opts->log_data, line);
		free(line);
		if (ca) {
			line = xasprintf(
			        "jira: the site's certificate is checked against '%s' (%s)", ca,
			        ca_origin);
			opts->log(opts->log_data, line);
			free(line);
		}
	}
	http_url_release(&where);
	ho.service = "jira";
	ho.read_only_posts = read_only_posts;
	ho.dry_run = jt->base.opts.dry_run;
	ho.max_attempts = jt->base.opts.max_retries > 0 ? jt->base.opts.max_retries + 1 : 0;
	ho.log = jt->base.opts.log;
	ho.log_data = jt->base.opts.log_data;
	ho.deadline_ms = jt->base.opts.deadline_ms;
	http_client_new(&jt->http, &ho);
	*out = &jt->base;
	return 0;
}

struct http_client *jira_tracker_http(struct tracker *t)
{
	return jira_tracker_of(t)->http;
}

bool jira_owns_ref(struct tracker *t, const char *ref)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	size_t n = strlen(jt->site);
	const char *p;

	if (!strncmp(ref, jt->site, n) && !strncmp(ref + n, "/browse/", 8))
		return true;
	/* A key: a project key, '-', a number. Any project: tickets move. */
	for (p = ref; (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'; p++)
		;
	if (p == ref || *p != '-' || !p[1])
		return false;
	for (p++; *p >= '0' && *p <= '9'; p++)
		;
	return !*p;
}
