#ifndef PM_HTTP_URL_H
#define PM_HTTP_URL_H

#include <stdbool.h>

/*
 * A tracker URL parsed by libcurl's URL API, the parser that will send the
 * request, so that what pmsync checks is what curl connects to: a text
 * comparison lets `http://127.0.0.1:x@evil.example/` pass for a local
 * address.
 */
struct http_url {
	char *scheme; /* "https" or "http" */
	char *host;   /* lowercase; an IPv6 address in brackets */
	char *port;   /* the port connected to, the scheme's default when none is written */
	char *path;   /* "/" at least */
	bool loopback;
};

#define HTTP_URL_INIT                         \
	{                                     \
		NULL, NULL, NULL, NULL, false \
	}

/*
 * Parses url into out. Refused (PM_ECONFIG, naming `what`, e.g.
 * "'linear.url' in .pmsync.conf at HEAD"): what curl cannot parse, a
 * scheme other than https and http, a user name, password or login options
 * (the message never repeats such a URL), and http to another host than
 * this machine (localhost, 127.0.0.0/8, [::1]): a token never crosses a
 * network in clear.
 */
int http_url_parse(struct http_url *out, const char *url, const char *what);
void http_url_release(struct http_url *u);

/* True when a and b name the same site: scheme, host and port. */
bool http_url_same_site(const struct http_url *a, const struct http_url *b);

#endif
