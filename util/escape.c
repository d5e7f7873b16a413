/*
 * Escaping text from a repository for terminals, CI logs and trackers (see
 * escape.h for why). One decoder walks the UTF-8 and classifies each code
 * point as printable, control (C0, DEL, C1) or formatting (the
 * bidirectional controls, which let text read differently from what it
 * holds, and the line and paragraph separators some viewers break lines
 * at; joiners stay, as scripts and emoji need them); the two writers differ only in what they do with the last two.
 */
#include "util/compat.h"

#include "util/escape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum cp_class { CP_PRINT, CP_CONTROL, CP_FORMAT, CP_INVALID };

/* Decodes one code point at s (n bytes left); returns its length, at least 1. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t v, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2, v = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, v = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, v = s[0] & 0x07, min = 0x10000;
	} else {
		*cp = UINT32_MAX;
		return 1;
	}
	if (len > n) {
		*cp = UINT32_MAX;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = UINT32_MAX;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
		*cp = UINT32_MAX;
		return 1;
	}
	*cp = v;
	return len;
}

static enum cp_class classify(uint32_t cp)
{
	if (cp == UINT32_MAX)
		return CP_INVALID;
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return CP_CONTROL;
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return CP_FORMAT;
	return CP_PRINT;
}

/* The class of the code point at s + i, its value in *cp and its length in *len. */
static enum cp_class next_cp(const char *s, size_t n, size_t i, uint32_t *cp, size_t *len)
{
	*len = decode((const unsigned char *)s + i, n - i, cp);
	return classify(*cp);
}

void esc_text_len(struct strbuf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, len;
	uint32_t cp;

	for (i = 0; i < n; i += len) {
		switch (next_cp(s, n, i, &cp, &len)) {
		case CP_PRINT:
			strbuf_add(out, p + i, len);
			break;
		case CP_INVALID:
			strbuf_addf(out, "\\x%02X", p[i]);
			break;
		case CP_CONTROL:
			if (cp == '\n')
				strbuf_addstr(out, "\\n");
			else if (cp == '\t')
				strbuf_addstr(out, "\\t");
			else if (cp == '\r')
				strbuf_addstr(out, "\\r");
			else if (cp < 0x80)
				strbuf_addf(out, "\\x%02X", (unsigned)cp);
			else
				strbuf_addf(out, "\\u{%04X}", (unsigned)cp);
			break;
		case CP_FORMAT:
			strbuf_addf(out, "\\u{%04X}", (unsigned)cp);
			break;
		}
	}
}

void esc_text(struct strbuf *out, const char *s)
{
	if (s)
		esc_text_len(out, s, strlen(s));
}

bool esc_needed(const char *s)
{
	size_t n = s ? strlen(s) : 0, i, len;
	uint32_t cp;

	for (i = 0; i < n; i += len)
		if (next_cp(s, n, i, &cp, &len) != CP_PRINT)
			return true;
	return false;
}

char *esc_dup(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	if (!s)
		return NULL;
	esc_text(&sb, s);
	return strbuf_detach(&sb, NULL);
}

void esc_plain(struct strbuf *out, const char *s, bool multiline)
{
	size_t n = s ? strlen(s) : 0, i, len;
	uint32_t cp;

	for (i = 0; i < n; i += len) {
		switch (next_cp(s, n, i, &cp, &len)) {
		case CP_PRINT:
			strbuf_add(out, s + i, len);
			break;
		case CP_INVALID:
			strbuf_addstr(out, "\xEF\xBF\xBD");
			break;
		case CP_CONTROL:
			if (cp == '\n' || cp == '\t')
				strbuf_addch(out, multiline ? (int)cp : ' ');
			else if (cp == '\r' && !multiline)
				strbuf_addch(out, ' ');
			break;
		case CP_FORMAT:
			break;
		}
	}
}
