/*
 * Masking tokens in text that may be printed or logged: whatever follows a
 * connector's token prefix, "Bearer " or "Basic ", up to a delimiter. What a
 * token looks like is the connector's to say; the authorization schemes are
 * HTTP's.
 */
#include "util/compat.h"

#include "connectors/http.h"

#include "util/redact.h"

#include <string.h>
#include <strings.h>

#include "connectors/tracker.h"
#include "util/redact.h"

/* Masks the token after prefix wherever prefix occurs (case-insensitive when icase). */
static void mask_after(struct strbuf *sb, const char *prefix, bool icase)
{
	static const char mask[] = "[redacted]";
	size_t plen = strlen(prefix), i = 0;

	while (i + plen <= sb->len) {
		size_t j, k;
		struct strbuf out = STRBUF_INIT;
		if (icase ? strncasecmp(sb->buf + i, prefix, plen)
		          : memcmp(sb->buf + i, prefix, plen)) {
			i++;
			continue;
		}
		j = i + plen;
		for (k = j; k < sb->len; k++) {
			char c = sb->buf[k];
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' ||
			    c == '\'' || c == ',' || c == ';')
				break;
		}
		if (k == j || !strncmp(sb->buf + j, mask, sizeof(mask) - 1)) {
			i = j;
			continue;
		}
		strbuf_add(&out, sb->buf, j);
		strbuf_addstr(&out, mask);
		strbuf_add(&out, sb->buf + k, sb->len - k);
		strbuf_release(sb);
		*sb = out;
		i = j + sizeof(mask) - 1;
	}
}

void http_redact(struct strbuf *sb, const char *const *prefixes)
{
	for (; prefixes && *prefixes; prefixes++)
		mask_after(sb, *prefixes, false);
	mask_after(sb, "Bearer ", true);
	mask_after(sb, "Basic ", true);
	/* a token without a known prefix, echoed back by a server */
	redact_secrets(sb, tracker_secret_vars());
}
