#ifndef PM_TEXT_H
#define PM_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/*
 * Plain text out of hand-written values: trimming of ASCII and Unicode
 * spaces, white space collapsed as a reader sees it, simple Markdown
 * removed. Every function takes a byte range, not necessarily
 * NUL-terminated, of valid UTF-8.
 */

/* Trims ASCII and Unicode spaces (NBSP, zero-width space, BOM) at both ends. */
void text_trim(const char **s, size_t *len);

/* A duplicate of the trimmed range, or NULL when it is empty. */
char *text_dup_trimmed(const char *s, size_t len);

/*
 * Appends s with every whitespace run (ASCII, NBSP, line breaks) turned into
 * one space, written only before the next visible character (*space carries
 * the pending space between calls; start with false). Zero-width spaces and
 * BOMs are dropped. Never writes a leading or trailing space.
 */
void text_add_collapsed(struct strbuf *out, bool *space, const char *s, size_t len);

/*
 * Appends s to out as plain text: simple Markdown (emphasis, code spans,
 * links, images, escapes, inline HTML) removed, whitespace collapsed, zero
 * width characters dropped. For raw text that did not go through cmark.
 */
void text_md_to_plain(struct strbuf *out, const char *s, size_t len);

#endif
