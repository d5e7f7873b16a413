/*
 * Fuzz target for util/escape.c and connectors/http_url.c, which take text
 * straight from the repository: file names, item texts, committed URLs.
 * What must hold for any input: esc_text() leaves no control character, no
 * bidirectional override and no invalid UTF-8 (so escaping its output again
 * changes nothing); esc_plain() leaves none either, but for newlines and
 * tabs in multiline text; a URL http_url_parse() accepts names a host
 * without a user, and uses http only to this machine; a URL refused for its
 * credentials is not repeated in the message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/http_url.h"
#include "util/error.h"
#include "util/escape.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_plain(const char *s, bool multiline)
{
	struct strbuf out = STRBUF_INIT, bare = STRBUF_INIT;
	size_t i;

	esc_plain(&out, s, multiline);
	for (i = 0; i < out.len; i++)
		if (out.buf[i] != '\n' && out.buf[i] != '\t')
			strbuf_addch(&bare, out.buf[i]);
		else if (!multiline)
			abort();
	if (esc_needed(bare.buf))
		abort();
	strbuf_release(&out);
	strbuf_release(&bare);
}

static void check_url(const char *s)
{
	struct http_url u = HTTP_URL_INIT;
	const char *at, *colon;

	if (http_url_parse(&u, s, "url") == 0) {
		if (strchr(u.host, '@') || esc_needed(u.host))
			abort();
		if (strcmp(u.scheme, "https") && !(u.loopback && !strcmp(u.scheme, "http")))
			abort();
		http_url_release(&u);
		return;
	}
	/* refused for its credentials: the message quotes nothing of them */
	at = strchr(s, '@');
	colon = strstr(s, "://");
	if (strstr(pm_error_message(), "user name or password") && at && colon && at > colon + 3) {
		char *userinfo = strndup(colon + 3, (size_t)(at - colon - 3));

		if (strlen(userinfo) >= 4 && strstr(pm_error_message(), userinfo))
			abort();
		free(userinfo);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	esc_text_len(&out, (const char *)data, size);
	if (esc_needed(out.buf) || strlen(out.buf) != out.len)
		abort();
	esc_text(&again, out.buf);
	if (strcmp(again.buf, out.buf))
		abort();
	check_plain(s, false);
	check_plain(s, true);
	check_url(s);

	strbuf_release(&out);
	strbuf_release(&again);
	free(s);
	return 0;
}
