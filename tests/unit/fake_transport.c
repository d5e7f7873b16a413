/*
 * A fake HTTP transport for unit tests: the link seam's other side. Requests
 * are recorded with their headers and bodies; responses come from a queue
 * the test fills. The response cap is enforced as the real transport does,
 * so "body over the cap" is testable. Single-threaded, like pmsync.
 */
#include "tests/unit/fake_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

struct canned {
	long status;
	char *headers;
	char *body;
	size_t body_len;
	enum http_error error;
	char *message;
};

static struct canned *queue;
static size_t queue_nr, queue_alloc, queue_pos;
static struct fake_request *requests;
static size_t requests_nr, requests_alloc;

struct fake_clock_state fake_clock_state;

void fake_transport_reset(void)
{
	size_t i;

	for (i = 0; i < queue_nr; i++) {
		free(queue[i].headers);
		free(queue[i].body);
		free(queue[i].message);
	}
	free(queue);
	queue = NULL;
	queue_nr = queue_alloc = queue_pos = 0;
	for (i = 0; i < requests_nr; i++) {
		free(requests[i].method);
		free(requests[i].url);
		free(requests[i].name);
		free(requests[i].body);
		http_headers_clear(&requests[i].headers);
	}
	free(requests);
	requests = NULL;
	requests_nr = requests_alloc = 0;
}

static struct canned *push(void)
{
	struct canned *c;

	ALLOC_GROW(queue, queue_nr + 1, queue_alloc);
	c = &queue[queue_nr++];
	memset(c, 0, sizeof(*c));
	return c;
}

void fake_transport_queue(long status, const char *headers, const char *body)
{
	struct canned *c = push();

	c->status = status;
	c->headers = xstrdup_or_null(headers);
	c->body = xstrdup(body ? body : "");
	c->body_len = strlen(c->body);
}

void fake_transport_queue_file(long status, const char *headers, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct canned *c;

	if (strbuf_read_file(&sb, path, 0) < 0) {
		fprintf(stderr, "fake transport: cannot read '%s'\n", path);
		abort();
	}
	c = push();
	c->status = status;
	c->headers = xstrdup_or_null(headers);
	c->body_len = sb.len;
	c->body = strbuf_detach(&sb, NULL);
}

void fake_transport_queue_error(enum http_error error, const char *message)
{
	struct canned *c = push();

	c->error = error;
	c->message = xstrdup(message ? message : "fake failure");
}

size_t fake_transport_pending(void)
{
	return queue_nr - queue_pos;
}

size_t fake_transport_count(void)
{
	return requests_nr;
}

const struct fake_request *fake_transport_request(size_t i)
{
	return i < requests_nr ? &requests[i] : NULL;
}

size_t fake_transport_count_op(const char *op)
{
	size_t i, n = 0;

	for (i = 0; i < requests_nr; i++) {
		json_t *body = json_loads(requests[i].body, 0, NULL);
		const char *name = json_string_value(json_object_get(body, "operationName"));
		if ((name && !strcmp(name, op)) ||
		    (!name && requests[i].name && !strcmp(requests[i].name, op)))
			n++;
		json_decref(body);
	}
	return n;
}

static void add_headers(struct http_headers *h, const char *text)
{
	const char *p = text;

	while (p && *p) {
		const char *end = strchr(p, '\n'), *colon;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		colon = memchr(p, ':', len);
		if (colon) {
			char *name = xstrndup(p, (size_t)(colon - p));
			const char *v = colon + 1;
			char *value;
			while (*v == ' ')
				v++;
			value = xstrndup(v, (size_t)(p + len - v));
			http_headers_add(h, name, value);
			free(name);
			free(value);
		}
		p = end ? end + 1 : NULL;
	}
}

int http_transport_send(struct http_response *res, const struct http_request *req)
{
	struct fake_request *r;
	const struct canned *c;
	size_t i, cap = req->max_body ? req->max_body : HTTP_DEFAULT_MAX_BODY;

	ALLOC_GROW(requests, requests_nr + 1, requests_alloc);
	r = &requests[requests_nr++];
	memset(r, 0, sizeof(*r));
	r->method = xstrdup(req->method ? req->method : "GET");
	r->url = xstrdup(req->url ? req->url : "");
	r->name = xstrdup_or_null(req->name);
	r->body = xstrndup(req->body.buf, req->body.len);
	r->idempotent = req->idempotent;
	for (i = 0; i < req->headers.nr; i++)
		http_headers_add(&r->headers, req->headers.v[i].name, req->headers.v[i].value);

	if (queue_pos >= queue_nr) {
		res->error = HTTP_EOTHER;
		res->error_message = xstrdup("fake transport: no response queued");
		return -1;
	}
	c = &queue[queue_pos++];
	if (c->error) {
		res->error = c->error;
		res->error_message = xstrdup(c->message);
		return -1;
	}
	if (c->body_len > cap) {
		res->error = HTTP_ETOOBIG;
		res->error_message = xasprintf("the response body passed %zu bytes", cap);
		return -1;
	}
	res->status = c->status;
	add_headers(&res->headers, c->headers);
	strbuf_add(&res->body, c->body, c->body_len);
	return 0;
}

const char *http_library_version(void)
{
	return "fake";
}

static long long fake_now(void *data)
{
	(void)data;
	return fake_clock_state.now_ms;
}

static void fake_sleep(void *data, long ms)
{
	(void)data;
	if (fake_clock_state.sleeps < sizeof(fake_clock_state.slept) / sizeof(long))
		fake_clock_state.slept[fake_clock_state.sleeps] = ms;
	fake_clock_state.sleeps++;
	fake_clock_state.slept_total += ms;
	fake_clock_state.now_ms += ms;
}

static unsigned fake_rand(void *data)
{
	(void)data;
	return fake_clock_state.rand;
}

struct http_clock fake_clock(long long now_ms)
{
	struct http_clock c = {fake_now, fake_sleep, fake_rand, NULL};

	memset(&fake_clock_state, 0, sizeof(fake_clock_state));
	fake_clock_state.now_ms = now_ms;
	return c;
}
