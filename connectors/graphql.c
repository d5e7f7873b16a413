/*
 * GraphQL document inspection for the dry-run guard: a lexer after the
 * GraphQL specification's lexical grammar (names, punctuators, numbers,
 * strings with escapes, block strings, comments, commas as whitespace) and a
 * small state machine over the top-level definitions that records each
 * operation's type and name. It does not validate selections; it only has to
 * be sure which operations a document defines, and it reports an error for
 * anything it cannot account for, so that the guard fails closed.
 */
#include "util/compat.h"

#include "connectors/graphql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/error.h"
#include "util/xalloc.h"

enum tok_kind {
	TOK_END = 0,
	TOK_NAME,
	TOK_PUNCT, /* one character in start[0]; "..." is TOK_PUNCT with '.' */
	TOK_VALUE, /* a number or a string */
};

struct lexer {
	const char *p, *end;
	enum tok_kind kind;
	const char *start;
	size_t len;
};

static bool is_name_start(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static void skip_ignored(struct lexer *lx)
{
	while (lx->p < lx->end) {
		unsigned char c = (unsigned char)*lx->p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
			lx->p++;
		} else if (c == 0xef && lx->end - lx->p >= 3 && (unsigned char)lx->p[1] == 0xbb &&
		           (unsigned char)lx->p[2] == 0xbf) {
			lx->p += 3;
		} else if (c == '#') {
			while (lx->p < lx->end && *lx->p != '\n' && *lx->p != '\r')
				lx->p++;
		} else {
			break;
		}
	}
}

static int lex_string(struct lexer *lx)
{
	const char *p = lx->p;

	if (lx->end - p >= 3 && !memcmp(p, "\"\"\"", 3)) {
		for (p += 3; p < lx->end; p++) {
			if (*p == '\\' && lx->end - p >= 4 && !memcmp(p + 1, "\"\"\"", 3))
				p += 3;
			else if (*p == '"' && lx->end - p >= 3 && !memcmp(p, "\"\"\"", 3))
				break;
		}
		if (p >= lx->end)
			return pm_error(PM_EINPUT, "graphql: unterminated block string");
		lx->p = p + 3;
		return 0;
	}
	for (p++; p < lx->end && *p != '"'; p++) {
		if (*p == '\n' || *p == '\r')
			return pm_error(PM_EINPUT, "graphql: line break in a string");
		if (*p == '\\' && p + 1 < lx->end)
			p++;
	}
	if (p >= lx->end)
		return pm_error(PM_EINPUT, "graphql: unterminated string");
	lx->p = p + 1;
	return 0;
}

/* Reads the next token into lx->kind, start, len. */
static int lex_next(struct lexer *lx)
{
	int error;
	char c;

	skip_ignored(lx);
	lx->start = lx->p;
	lx->len = 0;
	if (lx->p >= lx->end) {
		lx->kind = TOK_END;
		return 0;
	}
	c = *lx->p;
	if (is_name_start((unsigned char)c)) {
		while (lx->p < lx->end && is_name_char((unsigned char)*lx->p))
			lx->p++;
		lx->kind = TOK_NAME;
	} else if (c == '"') {
		if ((error = lex_string(lx)) < 0)
			return error;
		lx->kind = TOK_VALUE;
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		lx->p++;
		while (lx->p < lx->end && (is_name_char((unsigned char)*lx->p) || *lx->p == '.' ||
		                           *lx->p == '+' || *lx->p == '-'))
			lx->p++;
		lx->kind = TOK_VALUE;
	} else if (c == '.') {
		if (lx->end - lx->p < 3 || memcmp(lx->p, "...", 3))
			return pm_error(PM_EINPUT, "graphql: unexpected '.'");
		lx->p += 3;
		lx->kind = TOK_PUNCT;
	} else if (strchr("!$&():=@[]{}|", c)) {
		lx->p++;
		lx->kind = TOK_PUNCT;
	} else {
		return pm_error(PM_EINPUT, "graphql: unexpected character 0x%02x",
		                (unsigned char)c);
	}
	lx->len = (size_t)(lx->p - lx->start);
	return 0;
}

static bool tok_is(const struct lexer *lx, const char *word)
{
	return lx->kind == TOK_NAME && lx->len == strlen(word) && !memcmp(lx->start, word, lx->len);
}

static bool punct_is(const struct lexer *lx, char c)
{
	return lx->kind == TOK_PUNCT && lx->start[0] == c;
}

/*
 * Skips a definition's header up to and including the `{` that opens its
 * selection set, then the balanced selection set itself. Braces inside
 * parentheses and brackets (object values of defaults) do not open it.
 */
static int skip_definition(struct lexer *lx)
{
	int nest = 0;  /* ( and [ of the header, and braces inside them */
	int depth = 0; /* braces of the selection set */
	int error;

	for (;;) {
		if (lx->kind == TOK_END)
			return pm_error(PM_EINPUT, "graphql: unexpected end of document");
		if (lx->kind == TOK_PUNCT) {
			char c = lx->start[0];
			if (depth) {
				if (c == '{')
					depth++;
				else if (c == '}' && --depth == 0)
					return lex_next(lx);
			} else if (c == '(' || c == '[' || (c == '{' && nest)) {
				nest++;
			} else if (c == '{') {
				depth = 1;
			} else if ((c == ')' || c == ']' || c == '}') && --nest < 0) {
				return pm_error(PM_EINPUT, "graphql: unbalanced '%c'", c);
			}
		}
		if ((error = lex_next(lx)) < 0)
			return error;
	}
}

int graphql_operations(struct graphql_ops *out, const char *doc, size_t len)
{
	struct lexer lx = {doc, doc + len, TOK_END, doc, 0};
	struct graphql_ops ops = GRAPHQL_OPS_INIT;
	int error;

	if ((error = lex_next(&lx)) < 0)
		goto done;
	while (lx.kind != TOK_END) {
		struct graphql_op *op;
		if (tok_is(&lx, "fragment")) {
			if ((error = skip_definition(&lx)) < 0)
				goto done;
			continue;
		}
		if (!punct_is(&lx, '{') && !tok_is(&lx, "query") && !tok_is(&lx, "mutation") &&
		    !tok_is(&lx, "subscription")) {
			error = pm_error(PM_EINPUT, "graphql: unexpected '%.*s' at the top level",
			                 (int)(lx.len > 40 ? 40 : lx.len), lx.start);
			goto done;
		}
		ALLOC_GROW(ops.v, ops.nr + 1, ops.alloc);
		op = &ops.v[ops.nr++];
		op->name = NULL;
		op->type = tok_is(&lx, "mutation")       ? GRAPHQL_MUTATION
		           : tok_is(&lx, "subscription") ? GRAPHQL_SUBSCRIPTION
		                                         : GRAPHQL_QUERY;
		if (lx.kind == TOK_NAME) {
			if ((error = lex_next(&lx)) < 0)
				goto done;
			if (lx.kind == TOK_NAME)
				op->name = xstrndup(lx.start, lx.len);
		}
		if ((error = skip_definition(&lx)) < 0)
			goto done;
	}
	if (!ops.nr) {
		error = pm_error(PM_EINPUT, "graphql: the document defines no operation");
		goto done;
	}
	*out = ops;
	ops.v = NULL;
	ops.nr = 0; /* handed over */
done:
	graphql_ops_release(&ops);
	return error;
}

void graphql_ops_release(struct graphql_ops *ops)
{
	size_t i;

	for (i = 0; i < ops->nr; i++)
		free(ops->v[i].name);
	free(ops->v);
	ops->v = NULL;
	ops->nr = ops->alloc = 0;
}

bool graphql_document_writes(const char *doc, size_t len, struct strbuf *what)
{
	struct graphql_ops ops = GRAPHQL_OPS_INIT;
	bool writes = false;
	size_t i;

	if (graphql_operations(&ops, doc, len) < 0) {
		if (what)
			strbuf_addstr(what, "a document that cannot be read");
		return true;
	}
	for (i = 0; i < ops.nr && !writes; i++) {
		if (ops.v[i].type == GRAPHQL_QUERY)
			continue;
		writes = true;
		if (!what)
			continue;
		strbuf_addstr(what,
		              ops.v[i].type == GRAPHQL_MUTATION ? "mutation" : "subscription");
		if (ops.v[i].name)
			strbuf_addf(what, " '%s'", ops.v[i].name);
		else
			strbuf_addstr(what, " (anonymous)");
	}
	graphql_ops_release(&ops);
	return writes;
}

const char *graphql_error_code(const char *body, size_t len, char *buf, size_t bufsize)
{
	json_t *root = json_loadb(body, len, 0, NULL), *errors, *e;
	const char *found = NULL;
	size_t i;

	if (!root)
		return NULL;
	errors = json_object_get(root, "errors");
	json_array_foreach(errors, i, e)
	{
		const char *code = json_string_value(
		        json_object_get(json_object_get(e, "extensions"), "code"));
		if (!code)
			continue;
		if (!found || !strcmp(code, "RATELIMITED"))
			found = code;
	}
	if (found && bufsize) {
		snprintf(buf, bufsize, "%s", found);
		found = buf;
	}
	json_decref(root);
	return found;
}

/*
 * A GraphQL request: a JSON object body with a string "query" and no
 * members beyond those GraphQL over HTTP defines. Returns the parsed body
 * (the caller's to free) with *query pointing into it, or NULL.
 */
static json_t *graphql_body(const struct http_request *req, const char **query)
{
	static const char *const members[] = {"query", "variables", "operationName", "extensions"};
	json_t *root, *v;
	const char *key;

	if (!req->body.len)
		return NULL;
	root = json_loadb(req->body.buf, req->body.len, 0, NULL);
	if (!json_is_object(root) || !json_is_string(json_object_get(root, "query"))) {
		json_decref(root);
		return NULL;
	}
	json_object_foreach(root, key, v)
	{
		size_t i;
		bool known = false;
		for (i = 0; i < ARRAY_SIZE(members); i++)
			known = known || !strcmp(key, members[i]);
		if (!known) {
			json_decref(root);
			return NULL;
		}
	}
	*query = json_string_value(json_object_get(root, "query"));
	return root;
}

bool graphql_request_reads_only(const struct http_request *req, struct strbuf *what)
{
	const char *query = NULL;
	json_t *gql = graphql_body(req, &query);
	bool ok;

	if (!gql)
		return false;
	ok = !graphql_document_writes(query, strlen(query), what);
	json_decref(gql);
	return ok;
}
