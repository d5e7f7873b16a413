#ifndef PM_GRAPHQL_H
#define PM_GRAPHQL_H

#include <stdbool.h>
#include <stddef.h>

#include "connectors/http.h"
#include "util/strbuf.h"

/*
 * Just enough GraphQL to judge a request without a schema: a lexer that
 * skips strings, block strings and comments, and finds the operations a
 * document defines and their types. A GraphQL connector hands
 * graphql_request_reads_only to the HTTP client's dry-run guard, so every
 * doubt reads as "may write".
 */

enum graphql_op_type {
	GRAPHQL_QUERY = 0,
	GRAPHQL_MUTATION,
	GRAPHQL_SUBSCRIPTION,
};

struct graphql_op {
	enum graphql_op_type type;
	char *name; /* NULL when anonymous */
};

struct graphql_ops {
	struct graphql_op *v;
	size_t nr, alloc;
};

#define GRAPHQL_OPS_INIT   \
	{                  \
		NULL, 0, 0 \
	}

/*
 * The operations of doc, in order: `{ ... }` is an anonymous query;
 * fragments are skipped. Fails (PM_EINPUT, message recorded) on a lexical
 * error, unbalanced brackets, a definition that is neither an operation nor
 * a fragment, or a document without operations.
 */
int graphql_operations(struct graphql_ops *out, const char *doc, size_t len);
void graphql_ops_release(struct graphql_ops *ops);

/*
 * True when doc may write: it holds a mutation or a subscription, or it
 * cannot be read. what (when not NULL) receives a description of the first
 * such operation: "mutation 'IssueBatchCreate'", "an unreadable document".
 */
bool graphql_document_writes(const char *doc, size_t len, struct strbuf *what);

/*
 * The error code of a GraphQL response body: "RATELIMITED" when any entry
 * of errors[] carries it in extensions.code, else the first code found;
 * NULL when there is none (or the body is not JSON). Copied into buf.
 */
const char *graphql_error_code(const char *body, size_t len, char *buf, size_t bufsize);

/*
 * For the dry-run guard (http_client_options.reads_only): true when req is
 * a GraphQL request (a JSON body with a string "query" and only the members
 * GraphQL over HTTP defines) whose document holds no mutation or
 * subscription. On false, what receives a description when the document
 * was read.
 */
bool graphql_request_reads_only(const struct http_request *req, struct strbuf *what);

#endif
