/*
 * Headers, requests and responses: the plain data the HTTP client and the
 * transport pass between them, with lookups that ignore the case of header
 * names as HTTP does.
 */
#include "util/compat.h"

#include "connectors/http.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

void http_headers_add(struct http_headers *h, const char *name, const char *value)
{
	ALLOC_GROW(h->v, h->nr + 1, h->alloc);
	h->v[h->nr].name = xstrdup(name);
	h->v[h->nr].value = xstrdup(value);
	h->nr++;
}

void http_headers_set(struct http_headers *h, const char *name, const char *value)
{
	size_t i, j = 0;

	for (i = 0; i < h->nr; i++) {
		if (!strcasecmp(h->v[i].name, name)) {
			free(h->v[i].name);
			free(h->v[i].value);
			continue;
		}
		h->v[j++] = h->v[i];
	}
	h->nr = j;
	if (value)
		http_headers_add(h, name, value);
}

const char *http_headers_get(const struct http_headers *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->nr; i++)
		if (!strcasecmp(h->v[i].name, name))
			return h->v[i].value;
	return NULL;
}

void http_headers_clear(struct http_headers *h)
{
	size_t i;

	for (i = 0; i < h->nr; i++) {
		free(h->v[i].name);
		free(h->v[i].value);
	}
	free(h->v);
	h->v = NULL;
	h->nr = h->alloc = 0;
}

void http_request_release(struct http_request *req)
{
	http_headers_clear(&req->headers);
	strbuf_release(&req->body);
}

void http_response_release(struct http_response *res)
{
	http_headers_clear(&res->headers);
	strbuf_release(&res->body);
	free(res->error_message);
	res->error_message = NULL;
	res->status = 0;
	res->error = HTTP_OK;
}

void http_response_reset(struct http_response *res)
{
	http_response_release(res);
}
