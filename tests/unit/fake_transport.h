#ifndef PM_FAKE_TRANSPORT_H
#define PM_FAKE_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "connectors/http.h"

/*
 * The fake transport every unit test links in place of connectors/http_curl.c:
 * it defines http_transport_send() and http_library_version(), records each
 * request, and answers with the responses a test queued, in order. With the
 * queue empty it fails the request (HTTP_EOTHER, not retried), so a test that
 * sends more than it expected fails loudly instead of reaching a network.
 *
 * Also a fake clock for struct http_client: time moves only when the client
 * sleeps, and every sleep is recorded.
 */

struct fake_request {
	char *method;
	char *url;
	char *name; /* req->name, e.g. the GraphQL operation name */
	char *body;
	struct http_headers headers;
	bool idempotent;
};

/* Forgets recorded requests and queued responses. */
void fake_transport_reset(void);

/* Queues a response; headers are "Name: value" lines separated by '\n' (or NULL). */
void fake_transport_queue(long status, const char *headers, const char *body);
/* Queues a response whose body is the contents of a file. */
void fake_transport_queue_file(long status, const char *headers, const char *path);
/* Queues a failure without a response. */
void fake_transport_queue_error(enum http_error error, const char *message);
/* Responses queued and not consumed yet. */
size_t fake_transport_pending(void);

size_t fake_transport_count(void);
const struct fake_request *fake_transport_request(size_t i);
/* Requests whose body's operationName (or whose name) is op. */
size_t fake_transport_count_op(const char *op);

/* The fake clock: pass fake_clock() to http_client_set_clock(). */
struct fake_clock_state {
	long long now_ms;
	long slept[64]; /* the first 64 sleeps */
	size_t sleeps;
	long long slept_total;
	unsigned rand;
};

extern struct fake_clock_state fake_clock_state;
/* Resets the state to now_ms and returns a clock reading it. */
struct http_clock fake_clock(long long now_ms);

#endif
