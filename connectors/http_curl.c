/*
 * The transport seam implemented with libcurl, the only file that includes
 * <curl/curl.h>. It defines exactly two external symbols,
 * http_transport_send() and http_library_version(), so that a test helper
 * defining the same two replaces this whole object at link time. One easy
 * handle per request, configured defensively: no signals, connect and total
 * timeouts, http and https only, no redirects except for GET and HEAD, TLS
 * verification on (against the request's CA bundle when it names one), a
 * response body capped in the write callback, and never CURLOPT_VERBOSE (it
 * would print the Authorization header).
 */
#include "util/compat.h"

#include "connectors/http.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "util/xalloc.h"

#ifndef PMSYNC_VERSION
#define PMSYNC_VERSION "unknown"
#endif

struct transfer {
	struct http_response *res;
	size_t cap;
	bool too_big;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *data)
{
	struct transfer *t = data;
	size_t n = size * nmemb;

	if (n > t->cap || t->res->body.len > t->cap - n) {
		t->too_big = true;
		return 0; /* curl fails the transfer with CURLE_WRITE_ERROR */
	}
	strbuf_add(&t->res->body, ptr, n);
	return n;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *data)
{
	struct transfer *t = data;
	size_t n = size * nmemb, len = n, name_len;
	const char *colon, *value;
	char *name, *val;

	while (len && (ptr[len - 1] == '\n' || ptr[len - 1] == '\r'))
		len--;
	if (len >= 5 && !strncasecmp(ptr, "HTTP/", 5)) {
		/* a new response (after a redirect or a 100 Continue): its own headers */
		http_headers_clear(&t->res->headers);
		return n;
	}
	colon = memchr(ptr, ':', len);
	if (!colon || colon == ptr || ptr[0] == ' ' || ptr[0] == '\t')
		return n;
	name_len = (size_t)(colon - ptr);
	value = colon + 1;
	while (value < ptr + len && (*value == ' ' || *value == '\t'))
		value++;
	name = xstrndup(ptr, name_len);
	val = xstrndup(value, (size_t)(ptr + len - value));
	while (*val && (val[strlen(val) - 1] == ' ' || val[strlen(val) - 1] == '\t'))
		val[strlen(val) - 1] = '\0';
	http_headers_add(&t->res->headers, name, val);
	free(name);
	free(val);
	return n;
}

static enum http_error map_error(CURLcode rc, bool too_big, long sent)
{
	switch (rc) {
	case CURLE_WRITE_ERROR:
		return too_big ? HTTP_ETOOBIG : HTTP_ERECV;
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SSL_CONNECT_ERROR:
		return HTTP_ECONNECT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return HTTP_ETLS;
	case CURLE_OPERATION_TIMEDOUT:
		return sent > 0 ? HTTP_ETIMEOUT : HTTP_ECONNECT;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return sent > 0 ? HTTP_ERECV : HTTP_ECONNECT;
	default:
		return HTTP_EOTHER;
	}
}

static void ensure_global_init(void)
{
	static bool done;

	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = true;
	}
}

int http_transport_send(struct http_response *res, const struct http_request *req)
{
	const char *method = req->method ? req->method : "GET";
	bool get = !strcmp(method, "GET"), head = !strcmp(method, "HEAD");
	struct transfer t = {res, req->max_body ? req->max_body : HTTP_DEFAULT_MAX_BODY, false};
	struct curl_slist *headers = NULL;
	struct strbuf line = STRBUF_INIT;
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *h = NULL;
	CURLcode rc;
	long status = 0, sent = 0;
	size_t i;
	int error = -1;

	ensure_global_init();
	h = curl_easy_init();
	if (!h) {
		res->error = HTTP_EOTHER;
		res->error_message = xstrdup("cannot initialise libcurl");
		goto done;
	}
	for (i = 0; i < req->headers.nr; i++) {
		strbuf_reset(&line);
		strbuf_addf(&line, "%s: %s", req->headers.v[i].name, req->headers.v[i].value);
		headers = curl_slist_append(headers, line.buf);
	}
	headers = curl_slist_append(headers, "Expect:");

	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
	                 req->connect_timeout_ms > 0 ? req->connect_timeout_ms
	                                             : HTTP_DEFAULT_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
	                 req->timeout_ms > 0 ? req->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, (get || head) ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (req->ca_info) {
		/* the bundle alone: not also the folder of CAs libcurl was built with */
		curl_easy_setopt(h, CURLOPT_CAINFO, req->ca_info);
		curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	}
	curl_easy_setopt(h, CURLOPT_USERAGENT, "pmsync/" PMSYNC_VERSION);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
	if (get) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else if (head) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else {
		if (strcmp(method, "POST"))
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
		else
			curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body.buf);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body.len);
	}

	rc = curl_easy_perform(h);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		res->status = status;
		res->error = HTTP_OK;
		error = 0;
		goto done;
	}
	curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &sent);
	res->status = 0;
	res->error = map_error(rc, t.too_big, sent);
	if (res->error == HTTP_ETOOBIG)
		res->error_message = xasprintf("the response body passed %zu bytes", t.cap);
	else
		res->error_message = xstrdup(errbuf[0] ? errbuf : curl_easy_strerror(rc));
done:
	strbuf_release(&line);
	curl_slist_free_all(headers);
	if (h)
		curl_easy_cleanup(h);
	return error;
}

const char *http_library_version(void)
{
	return curl_version_info(CURLVERSION_NOW)->version;
}
