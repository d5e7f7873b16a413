/*
 * The envelope of Linear's answers: a GraphQL response (data, errors[])
 * and its HTTP status, turned into one pm_error with Linear's own words and
 * the code the failure calls for (rate limits and rejected tokens first, a
 * token named by its variable), and the aliases by which the errors of a
 * batched mutation name their element. Pure parsing over jansson values,
 * which the fuzz target drives as a sync does.
 */
#include "util/compat.h"

#include "connectors/linear/linear.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/http.h"
#include "connectors/retry.h"
#include "util/error.h"

void linear_reply_release(struct linear_reply *r)
{
	json_decref(r->root);
	r->root = r->data = r->errors = NULL;
	r->status = 0;
}

int linear_reply_parse(struct linear_reply *r, long status, const char *body, size_t len,
                       const char *op)
{
	struct strbuf what = STRBUF_INIT;
	struct linear_reply out = {status, NULL, NULL, NULL};
	json_t *errors, *data;
	int error = 0;

	strbuf_addf(&what, "linear: %s: response", op);
	if (pm_json_parse(&out.root, body, len, what.buf, PM_ENET) < 0) {
		/* a gateway's HTML page: the status tells what happened */
		if (status < 200 || status >= 300) {
			out.root = NULL;
			goto ok;
		}
		error = PM_ENET;
		goto done;
	}
	if (!json_is_object(out.root)) {
		struct pm_json_path root = PM_JSON_PATH_ROOT(what.buf, PM_ENET);
		error = pm_json_expect(out.root, JSON_OBJECT, &root);
		goto done;
	}
	errors = json_object_get(out.root, "errors");
	if (errors && !json_is_null(errors)) {
		struct pm_json_path root = PM_JSON_PATH_ROOT(what.buf, PM_ENET);
		struct pm_json_path ep = pm_json_member(&root, "errors");
		if ((error = pm_json_expect(errors, JSON_ARRAY, &ep)) < 0)
			goto done;
		if (json_array_size(errors))
			out.errors = errors;
	}
	data = json_object_get(out.root, "data");
	if (data && !json_is_null(data)) {
		struct pm_json_path root = PM_JSON_PATH_ROOT(what.buf, PM_ENET);
		struct pm_json_path dp = pm_json_member(&root, "data");
		if ((error = pm_json_expect(data, JSON_OBJECT, &dp)) < 0)
			goto done;
		out.data = data;
	}
ok:
	*r = out;
	out.root = NULL; /* handed over */
done:
	json_decref(out.root);
	strbuf_release(&what);
	return error;
}

static const char *error_ext(json_t *error, const char *key)
{
	return json_string_value(json_object_get(json_object_get(error, "extensions"), key));
}

static bool is_code(const char *s, const char *want)
{
	return s && !strcasecmp(s, want);
}

static int status_code(long status)
{
	if (status == 401 || status == 403)
		return PM_EAUTH;
	if (status == 429)
		return PM_ERATELIMIT;
	if (status >= 500 || status == 408 || (status >= 200 && status < 300) || status <= 0)
		return PM_ENET;
	return PM_ETRACKER;
}

/*
 * What an error entry says, by extensions.code or extensions.type (the
 * lowercase class Linear's own SDK reads), first match wins. RETRY_SERVER
 * marks Linear's own failures: the HTTP status decides whether to retry.
 */
static const struct {
	const char *code, *type;
	enum retry_reason reason;
} classes[] = {
        {"RATELIMITED", "ratelimited", RETRY_RATELIMIT},
        {"AUTHENTICATION_ERROR", "authentication error", RETRY_AUTH},
        {"FORBIDDEN", "forbidden", RETRY_AUTH},
        {"USAGE_LIMIT_EXCEEDED", "usage limit exceeded", RETRY_USAGE},
        {"GRAPHQL_VALIDATION_FAILED", "graphql error", RETRY_INVALID},
        {"GRAPHQL_PARSE_FAILED", NULL, RETRY_INVALID},
        {"BAD_USER_INPUT", "user error", RETRY_INVALID},
        {"INPUT_ERROR", "invalid input", RETRY_INVALID},
        {"INVALID_INPUT", NULL, RETRY_INVALID},
        {"INTERNAL_SERVER_ERROR", "internal error", RETRY_SERVER},
        {NULL, "network error", RETRY_SERVER},
        {NULL, "lock timeout", RETRY_SERVER},
};

int linear_error_reason(json_t *error)
{
	const char *code = error_ext(error, "code"), *type = error_ext(error, "type");
	size_t i;

	for (i = 0; i < ARRAY_SIZE(classes); i++)
		if ((classes[i].code && is_code(code, classes[i].code)) ||
		    (classes[i].type && is_code(type, classes[i].type)))
			return classes[i].reason;
	/* "a retry will not help" */
	if (json_is_true(json_object_get(json_object_get(error, "extensions"), "userError")))
		return RETRY_INVALID;
	return RETRY_NONE;
}

int linear_error_code(json_t *error, long status)
{
	enum retry_reason r = linear_error_reason(error);

	if (r != RETRY_NONE)
		return retry_reason_code(r);
	if (status == 401 || status == 403 || status == 429 || status >= 500)
		return status_code(status);
	return PM_ETRACKER;
}

int linear_body_reason(const struct http_response *res)
{
	json_t *root = json_loadb(res->body.buf, res->body.len, 0, NULL), *e;
	enum retry_reason found = RETRY_NONE;
	size_t i;

	json_array_foreach(json_object_get(root, "errors"), i, e)
	{
		enum retry_reason r = linear_error_reason(e);
		if (r == RETRY_SERVER)
			continue; /* the status decides: a create is never blindly retried */
		if (found == RETRY_NONE || r == RETRY_RATELIMIT)
			found = r;
	}
	json_decref(root);
	return (int)found;
}

const char *linear_error_text(json_t *error)
{
	const char *s = error_ext(error, "userPresentableMessage");

	if (s && *s)
		return s;
	s = json_string_value(json_object_get(error, "message"));
	return s && *s ? s : "unknown error";
}

/* Reads "<letters><digits>" at *s into *v, moving *s past it; false when s holds no such pair. */
static bool alias_part(const char **s, long *v)
{
	const char *p = *s;
	char *end;

	while (*p && isalpha((unsigned char)*p))
		p++;
	if (p == *s || !isdigit((unsigned char)*p))
		return false;
	errno = 0;
	*v = strtol(p, &end, 10);
	if (errno)
		return false;
	*s = end;
	return true;
}

long linear_alias_parse(const char *alias, long *sub)
{
	const char *s = alias;
	long index, v;

	*sub = -1;
	if (!s || !alias_part(&s, &index))
		return -1;
	if (!*s)
		return index;
	if (!alias_part(&s, &v) || *s)
		return -1;
	*sub = v;
	return index;
}

long linear_error_alias(json_t *error)
{
	long sub;

	return linear_alias_parse(
	        json_string_value(json_array_get(json_object_get(error, "path"), 0)), &sub);
}

static json_t *main_error(const struct linear_reply *r)
{
	json_t *e;
	size_t i;

	json_array_foreach(r->errors, i, e)
	{
		if (linear_error_code(e, r->status) == PM_ERATELIMIT)
			return e;
	}
	return json_array_get(r->errors, 0);
}

int linear_reply_fail(const struct linear_reply *r, const char *op, const char *token_var)
{
	struct strbuf sb = STRBUF_INIT, prefix = STRBUF_INIT;
	json_t *e = r->errors ? main_error(r) : NULL;
	int code = e ? linear_error_code(e, r->status) : status_code(r->status);
	bool auth = code == PM_EAUTH &&
	            (r->status == 401 || is_code(error_ext(e, "code"), "AUTHENTICATION_ERROR"));

	strbuf_addf(&prefix, "linear: %s: ", op);
	http_redact(&prefix, linear_tracker_kind.token_prefixes);
	if (auth && token_var && !strcmp(token_var, "LINEAR_ACCESS_TOKEN"))
		strbuf_addstr(&sb, "token rejected: check LINEAR_ACCESS_TOKEN (the OAuth access "
		                   "token may have expired or been revoked)");
	else if (auth)
		strbuf_addstr(&sb, "token rejected: check LINEAR_API_KEY (Settings > Security & "
		                   "access > Personal API keys)");
	else if (e)
		strbuf_addstr(&sb, linear_error_text(e));
	else if (!r->root)
		strbuf_addstr(&sb, "the response is not JSON");
	else if (r->status >= 200 && r->status < 300)
		strbuf_addstr(&sb, "the response holds no data");
	else
		strbuf_addstr(&sb, "the response holds no error message");
	http_redact(&sb, linear_tracker_kind.token_prefixes);
	pm_error_remote(code, prefix.buf, r->status, sb.buf);
	strbuf_release(&sb);
	strbuf_release(&prefix);
	return code;
}
