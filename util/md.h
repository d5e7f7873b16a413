#ifndef PM_MD_H
#define PM_MD_H

#include <stdbool.h>

#include "util/strbuf.h"

/*
 * Writing text that came from postmortems and tickets into Markdown and
 * HTML output (plan comments, reports) so that it stays text: no markup, no
 * live HTML, no @-mentions, no links other than http and https.
 */

/* Appends s safe inside a Markdown table cell: no markup, no HTML, no @-mentions, one line. */
void md_text(struct strbuf *sb, const char *s);

/* Appends [text](url), or text alone when url is not an http or https URL. */
void md_link(struct strbuf *sb, const char *text, const char *url);

/* True when url starts with http:// or https:// (any case). */
bool md_url_ok(const char *url);

/* Appends s as HTML text or attribute value: & < > " ' escaped, control bytes made spaces. */
void md_html(struct strbuf *sb, const char *s);

#endif
