/*
 * Parsing tracker URLs with libcurl's URL API (curl_url). This is the
 * second file that includes <curl/curl.h>, beside http_curl.c: the unit
 * tests replace the whole of http_curl.o with a fake transport at link
 * time, and the URL checks must stay real in them, so they cannot live in
 * that object. It sends nothing.
 */
#include "util/compat.h"

#include "connectors/http_url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "util/error.h"
#include "util/escape.h"
#include "util/xalloc.h"

/* The part as a newly allocated string, or NULL when the URL has none. */
static char *get_part(CURLU *h, CURLUPart part, unsigned flags)
{
	char *v = NULL, *copy;

	if (curl_url_get(h, part, &v, flags) != CURLUE_OK || !v)
		return NULL;
	copy = xstrdup(v);
	curl_free(v);
	return copy;
}

static bool is_loopback(const char *host)
{
	char *end;
	long a;

	if (!strcmp(host, "localhost") || !strcmp(host, "[::1]"))
		return true;
	/* curl writes an IPv4 host in dotted decimal whatever form it was given in */
	a = strtol(host, &end, 10);
	if (a != 127 || *end != '.')
		return false;
	for (a = 0; a < 3; a++) {
		if (*end != '.' || !isdigit((unsigned char)end[1]))
			return false;
		strtol(end + 1, &end, 10);
	}
	return *end == '\0';
}

int http_url_parse(struct http_url *out, const char *url, const char *what)
{
	struct http_url u = HTTP_URL_INIT;
	CURLU *h = curl_url();
	char *user = NULL, *password = NULL, *options = NULL, *p;
	int error = 0;

	if (!h) {
		error = pm_error(PM_ERROR, "%s: out of memory", what);
		goto done;
	}
	if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK) {
		/* it may hold a password: say what is wrong without quoting it */
		error = pm_error(PM_ECONFIG, "%s: not a URL", what);
		goto done;
	}
	user = get_part(h, CURLUPART_USER, 0);
	password = get_part(h, CURLUPART_PASSWORD, 0);
	options = get_part(h, CURLUPART_OPTIONS, 0);
	if (user || password || options) {
		error = pm_error(PM_ECONFIG,
		                 "%s: the URL holds a user name or password: credentials come "
		                 "only from the environment",
		                 what);
		goto done;
	}
	u.scheme = get_part(h, CURLUPART_SCHEME, 0);
	u.host = get_part(h, CURLUPART_HOST, 0);
	u.port = get_part(h, CURLUPART_PORT, CURLU_DEFAULT_PORT);
	u.path = get_part(h, CURLUPART_PATH, 0);
	if (!u.path)
		u.path = xstrdup("/");
	if (!u.scheme || !u.host || !*u.host || !u.port ||
	    (strcasecmp(u.scheme, "https") && strcasecmp(u.scheme, "http"))) {
		error = pm_error(PM_ECONFIG, "%s: '%s' is not an https URL", what, url);
		goto done;
	}
	for (p = u.scheme; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (p = u.host; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (esc_needed(u.host)) {
		/* curl takes such bytes; a host name never holds them, and -v would print them */
		error = pm_error(PM_ECONFIG, "%s: the host holds control or non-UTF-8 characters",
		                 what);
		goto done;
	}
	u.loopback = is_loopback(u.host);
	if (!strcmp(u.scheme, "http") && !u.loopback) {
		error = pm_error(PM_ECONFIG,
		                 "%s: '%s' must use https (http only to this machine: "
		                 "localhost, 127.0.0.1, [::1])",
		                 what, url);
		goto done;
	}
	*out = u;
	memset(&u, 0, sizeof(u)); /* handed over */
done:
	http_url_release(&u);
	free(user);
	free(password);
	free(options);
	curl_url_cleanup(h);
	return error;
}

void http_url_release(struct http_url *u)
{
	free(u->scheme);
	free(u->host);
	free(u->port);
	free(u->path);
	memset(u, 0, sizeof(*u));
}

bool http_url_same_site(const struct http_url *a, const struct http_url *b)
{
	return a->scheme && b->scheme && !strcmp(a->scheme, b->scheme) && a->host && b->host &&
	       !strcmp(a->host, b->host) && a->port && b->port && !strcmp(a->port, b->port);
}
