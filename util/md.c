/*
 * Escaping for output that people's browsers and Markdown renderers read:
 * what a postmortem or a ticket says must come out as the same text, never
 * as markup, a script or a link of another scheme.
 */
#include "util/compat.h"

#include "util/md.h"

#include "util/escape.h"

/*
 * The one escaping loop: control characters and bidirectional overrides are
 * first shown escaped (util/escape.h), then markdown escapes Markdown's
 * syntax and @, html the quotes.
 */
static void add_escaped(struct strbuf *sb, const char *text, bool markdown)
{
	struct strbuf shown = STRBUF_INIT;
	const char *s;

	esc_text(&shown, text);
	for (s = shown.buf; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			strbuf_addch(sb, ' ');
		else if (ch == '<')
			strbuf_addstr(sb, "&lt;");
		else if (ch == '>')
			strbuf_addstr(sb, "&gt;");
		else if (ch == '&')
			strbuf_addstr(sb, "&amp;");
		else if (markdown && ch == '@')
			strbuf_addstr(sb, "&#64;");
		else if (markdown && strchr("\\`*_[]|#~!", ch))
			strbuf_addf(sb, "\\%c", ch);
		else if (!markdown && ch == '"')
			strbuf_addstr(sb, "&quot;");
		else if (!markdown && ch == '\'')
			strbuf_addstr(sb, "&#39;");
		else
			strbuf_addch(sb, ch);
	}
	strbuf_release(&shown);
}

void md_text(struct strbuf *sb, const char *s)
{
	add_escaped(sb, s, true);
}

bool md_url_ok(const char *url)
{
	return url && (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8));
}

void md_link(struct strbuf *sb, const char *text, const char *url)
{
	if (!md_url_ok(url)) {
		md_text(sb, text);
		return;
	}
	strbuf_addch(sb, '[');
	md_text(sb, text);
	strbuf_addstr(sb, "](");
	for (; *url; url++) {
		unsigned char ch = (unsigned char)*url;

		if (ch <= 0x20 || ch >= 0x7f || strchr("()<>\"'`|\\", ch))
			strbuf_addf(sb, "%%%02X", ch);
		else
			strbuf_addch(sb, ch);
	}
	strbuf_addch(sb, ')');
}

void md_html(struct strbuf *sb, const char *s)
{
	add_escaped(sb, s, false);
}
