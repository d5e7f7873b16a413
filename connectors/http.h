#ifndef PM_HTTP_H
#define PM_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/*
 * HTTP for the connectors, in two layers.
 *
 * The seam: http_transport_send() sends one request and fills one response,
 * nothing more. connectors/http_curl.c implements it with libcurl (the only
 * file that includes <curl/curl.h>); tests/unit/fake_transport.c replaces it
 * in every unit test, so unit tests never touch the network.
 *
 * The client (struct http_client): retries as connectors/retry.h decides,
 * paces requests ahead of a rate limit, counts and logs requests, and holds
 * the dry-run guard, which refuses every request that could write. It knows
 * no protocol above HTTP: what in a body is a rate limit, which requests
 * only read and what a token looks like are the connector's to say
 * (struct http_client_options).
 *
 * The files: http.c (the client and its retry loop), http_message.c
 * (headers, requests, responses), http_guard.c (the dry-run rule),
 * http_redact.c (masking tokens), http_curl.c (the transport).
 */

struct http_header {
	char *name;
	char *value;
};

/* Header list; lookups ignore case. Owns its strings. */
struct http_headers {
	struct http_header *v;
	size_t nr, alloc;
};

#define HTTP_HEADERS_INIT  \
	{                  \
		NULL, 0, 0 \
	}

void http_headers_add(struct http_headers *h, const char *name, const char *value);
/* Replaces every header of that name by one (or removes them when value is NULL). */
void http_headers_set(struct http_headers *h, const char *name, const char *value);
/* The first value of the header `name` (any case), or NULL. */
const char *http_headers_get(const struct http_headers *h, const char *name);
void http_headers_clear(struct http_headers *h);

/* Transport failures: no HTTP response was received. */
enum http_error {
	HTTP_OK = 0,
	HTTP_ECONNECT, /* no connection (DNS, refused, TLS handshake): nothing was sent */
	HTTP_ETIMEOUT, /* timed out after the request may have been sent */
	HTTP_ERECV,    /* the connection broke after the request may have been sent */
	HTTP_ETOOBIG,  /* the response body passed the cap */
	HTTP_ETLS,     /* the server's certificate was rejected */
	HTTP_EOTHER,   /* anything else (bad URL, unsupported protocol...) */
};

#define HTTP_DEFAULT_MAX_BODY ((size_t)32 << 20)
#define HTTP_DEFAULT_TIMEOUT_MS 60000L
#define HTTP_DEFAULT_CONNECT_TIMEOUT_MS 15000L

struct http_request {
	const char *method; /* "GET", "POST", ... (borrowed) */
	const char *url;    /* borrowed */
	struct http_headers headers;
	struct strbuf body;      /* sent when body.len > 0 or the method is POST/PUT */
	const char *name;        /* for logs and messages, e.g. the GraphQL operation name */
	long timeout_ms;         /* whole request; 0: HTTP_DEFAULT_TIMEOUT_MS */
	long connect_timeout_ms; /* 0: HTTP_DEFAULT_CONNECT_TIMEOUT_MS */
	size_t max_body;         /* response cap; 0: HTTP_DEFAULT_MAX_BODY */
	/*
	 * A CA bundle (PEM file) that verifies the server instead of the
	 * system store; NULL: the HTTP library's default (borrowed).
	 */
	const char *ca_info;
	/*
	 * Sending it twice has the effect of sending it once. Decides whether a
	 * 5xx or a connection lost after sending may be retried.
	 */
	bool idempotent;
};

#define HTTP_REQUEST_INIT                                                              \
	{                                                                              \
		NULL, NULL, HTTP_HEADERS_INIT, STRBUF_INIT, NULL, 0, 0, 0, NULL, false \
	}

void http_request_release(struct http_request *req);

struct http_response {
	long status; /* 0 when no response was received */
	struct http_headers headers;
	struct strbuf body;
	enum http_error error; /* HTTP_OK when a response was received */
	char *error_message;   /* the transport's description of error, or NULL */
};

#define HTTP_RESPONSE_INIT                                       \
	{                                                        \
		0, HTTP_HEADERS_INIT, STRBUF_INIT, HTTP_OK, NULL \
	}

void http_response_release(struct http_response *res);
/* Back to HTTP_RESPONSE_INIT, for another attempt. */
void http_response_reset(struct http_response *res);

/*
 * The seam. Sends req and fills res (initialised by the caller): status,
 * headers and body when a response arrived, else error and error_message.
 * Returns 0 when a response arrived (whatever its status), -1 otherwise.
 * Records no error message: the client does.
 */
int http_transport_send(struct http_response *res, const struct http_request *req);

/* The HTTP library's version string, for `pmsync version`. */
const char *http_library_version(void);

/* The client. */

struct http_client;

struct http_client_options {
	const char *service; /* message prefix: "linear", "jira" */
	bool dry_run;        /* refuse every request that could write */
	int max_attempts;    /* 0: the retry policy's default */
	/* One line per attempt when set; tokens already redacted. */
	void (*log)(void *data, const char *line);
	void *log_data;
	/*
	 * The connector's protocol. reads_only: true when a request that is
	 * neither GET nor HEAD only reads (a GraphQL document without a
	 * mutation); else it describes the request in what. NULL: none does.
	 */
	bool (*reads_only)(const struct http_request *req, struct strbuf *what);
	/* Path suffixes of POSTs that only read (a JQL search), NULL-ended; may be NULL. */
	const char *const *read_only_posts;
	/*
	 * What a response's body says about retrying (a rate limit, a rejected
	 * token, an invalid request), or RETRY_NONE (0) when it says nothing:
	 * an enum retry_reason, returned as int to keep retry.h out of here.
	 */
	int (*body_reason)(const struct http_response *res);
	/* Shapes of the connector's tokens ("lin_api_"), masked in logs; NULL-ended. */
	const char *const *token_prefixes;
	/*
	 * The run's deadline, epoch ms on the client's clock (0: none): no
	 * attempt starts and no wait ends after it, an attempt in flight is cut
	 * at it (PM_ETIMEOUT), and a rate limit that resets after it fails at
	 * once with its reset time (PM_ERATELIMIT).
	 */
	long long deadline_ms;
};

/* Time and sleep, replaceable so that tests neither wait nor depend on the clock. */
struct http_clock {
	long long (*now_ms)(void *data); /* wall clock, ms since the epoch */
	void (*sleep_ms)(void *data, long ms);
	unsigned (*rand)(void *data); /* jitter; NULL: an internal generator */
	void *data;
};

void http_client_new(struct http_client **out, const struct http_client_options *opts);
void http_client_free(struct http_client *c);
void http_client_set_clock(struct http_client *c, const struct http_clock *clock);
void http_client_set_dry_run(struct http_client *c, bool dry_run);
bool http_client_dry_run(const struct http_client *c);
/* Requests handed to the transport so far (every attempt counts). */
size_t http_client_requests(const struct http_client *c);

/*
 * Sends req, retrying while retry_decide() says so. Returns 0 with res
 * holding the last response, whatever its status: the caller reads the body
 * (a GraphQL error, say) and decides what failed. Fails with PM_EREFUSED
 * when the dry-run guard refuses the request (nothing is sent) and PM_ENET
 * when no response arrived after the retries (res->error tells which
 * failure; HTTP_ETIMEOUT and HTTP_ERECV mean the request may have been
 * applied). res must be initialised; it is reset before each attempt.
 */
int http_client_send(struct http_client *c, struct http_response *res,
                     const struct http_request *req);

/*
 * The dry-run guard's rule, from the request alone (http_guard.c): GET and
 * HEAD pass; a POST whose path ends in one of o->read_only_posts passes;
 * a request o->reads_only accepts passes; everything else is refused. On
 * refusal, what (when not NULL) receives a description: "mutation
 * 'IssueBatchCreate'", "PUT /x".
 */
bool http_request_is_read_only(const struct http_request *req, const struct http_client_options *o,
                               struct strbuf *what);

/* The path of url, without scheme, host, query string or fragment, appended to sb. */
void http_url_path(struct strbuf *sb, const char *url);

/*
 * Masks tokens in sb, in place (http_redact.c): whatever follows one of
 * prefixes (NULL-ended; may be NULL), "Bearer " and "Basic ".
 */
void http_redact(struct strbuf *sb, const char *const *prefixes);

#endif
