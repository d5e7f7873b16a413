/*
 * The streaming JSON writer. Strings are escaped per RFC 8259; bytes of
 * UTF-8 sequences are decoded and written as \u escapes (surrogate pairs
 * above the BMP), so the output is ASCII whatever the input; invalid bytes
 * become U+FFFD rather than breaking the document.
 */
#include "util/compat.h"

#include "util/jsonw.h"

#include <stddef.h>
#include <string.h>

static const char hex[] = "0123456789abcdef";

static void add_u16(struct strbuf *sb, unsigned cp)
{
	char esc[6] = {
	        '\\',        'u', hex[(cp >> 12) & 15], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15],
	        hex[cp & 15]};

	strbuf_add(sb, esc, sizeof(esc));
}

/* Decodes one UTF-8 sequence at s; returns its length, or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, unsigned *cp)
{
	size_t len, i;
	unsigned c = s[0], min;

	if (c >= 0xf0 && c <= 0xf4) {
		len = 4, c &= 0x07, min = 0x10000;
	} else if (c >= 0xe0) {
		len = 3, c &= 0x0f, min = 0x800;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2, c &= 0x1f, min = 0x80;
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

void jsonw_string(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		strbuf_addstr(sb, "null");
		return;
	}
	strbuf_addch(sb, '"');
	while (*p) {
		const unsigned char *run = p;
		unsigned cp;
		size_t n;

		while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			strbuf_add(sb, run, (size_t)(p - run));
		if (!*p)
			break;
		switch (*p) {
		case '"':
			strbuf_addstr(sb, "\\\"");
			p++;
			continue;
		case '\\':
			strbuf_addstr(sb, "\\\\");
			p++;
			continue;
		case '\n':
			strbuf_addstr(sb, "\\n");
			p++;
			continue;
		case '\t':
			strbuf_addstr(sb, "\\t");
			p++;
			continue;
		case '\r':
			strbuf_addstr(sb, "\\r");
			p++;
			continue;
		}
		if (*p < 0x20) {
			add_u16(sb, *p++);
			continue;
		}
		n = utf8_decode(p, &cp);
		if (!n) {
			add_u16(sb, 0xfffd);
			p++;
			continue;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			add_u16(sb, 0xd800 | (cp >> 10));
			add_u16(sb, 0xdc00 | (cp & 0x3ff));
		} else {
			add_u16(sb, cp);
		}
		p += n;
	}
	strbuf_addch(sb, '"');
}

void jsonw_member(struct strbuf *sb, bool *first, const char *name)
{
	if (!*first)
		strbuf_addch(sb, ',');
	*first = false;
	jsonw_string(sb, name);
	strbuf_addch(sb, ':');
}

void jsonw_member_string(struct strbuf *sb, bool *first, const char *name, const char *value)
{
	jsonw_member(sb, first, name);
	jsonw_string(sb, value);
}

void jsonw_member_int(struct strbuf *sb, bool *first, const char *name, long value)
{
	jsonw_member(sb, first, name);
	strbuf_addf(sb, "%ld", value);
}

void jsonw_member_bool(struct strbuf *sb, bool *first, const char *name, bool value)
{
	jsonw_member(sb, first, name);
	strbuf_addstr(sb, value ? "true" : "false");
}
