/*
 * The dry-run guard's rule (see http_request_is_read_only in http.h): a
 * request may be sent in a dry run only when it cannot write, judged from
 * the request alone, before anything is sent. The HTTP methods that only
 * read pass here; what else only reads is the connector's to say.
 */
#include "util/compat.h"

#include "connectors/http.h"

#include <string.h>

void http_url_path(struct strbuf *sb, const char *url)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p ? strchr(p + 3, '/') : url;
	if (!p) {
		strbuf_addch(sb, '/');
		return;
	}
	n = strcspn(p, "?#");
	strbuf_add(sb, p, n);
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

bool http_request_is_read_only(const struct http_request *req, const struct http_client_options *o,
                               struct strbuf *what)
{
	struct strbuf path = STRBUF_INIT;
	const char *method = req->method ? req->method : "GET";
	const char *const *p;
	bool ok = false;

	if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
		return true;
	http_url_path(&path, req->url ? req->url : "");
	for (p = o ? o->read_only_posts : NULL; p && *p && !ok; p++)
		ok = !strcmp(method, "POST") && ends_with(path.buf, path.len, *p);
	if (!ok && o && o->reads_only) {
		struct strbuf why = STRBUF_INIT;
		ok = o->reads_only(req, &why);
		if (!ok && what && why.len)
			strbuf_addbuf(what, &why);
		else if (!ok && what)
			strbuf_addf(what, "%s %s", method, path.buf);
		strbuf_release(&why);
	} else if (!ok && what) {
		strbuf_addf(what, "%s %s", method, path.buf);
	}
	strbuf_release(&path);
	return ok;
}
