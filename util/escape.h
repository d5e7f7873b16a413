#ifndef PM_ESCAPE_H
#define PM_ESCAPE_H

#include <stdbool.h>

#include "util/strbuf.h"

/*
 * Text from a repository (file names, item texts, owners) is written by
 * whoever can open a pull request. Printed as is, a newline in a file name
 * starts a line that GitHub Actions reads as a workflow command, an escape
 * sequence repaints the terminal, and a bidirectional override (U+202E)
 * shows a reviewer other words than the bytes hold. These helpers make such
 * text inert for the place it goes to.
 */

/*
 * Appends s with every control character (C0, DEL, C1), every
 * bidirectional control (U+061C, U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069), the line and paragraph separators (U+2028, U+2029) and every byte that is not valid
 * UTF-8 written visibly: `\n`, `\t`, `\r`, `\xHH`, `\u{202E}`.
 */
void esc_text(struct strbuf *out, const char *s);

/* The same for the first len bytes of s. */
void esc_text_len(struct strbuf *out, const char *s, size_t len);

/* True when esc_text() would change s. */
bool esc_needed(const char *s);

/* A newly allocated esc_text() of s (NULL for NULL). */
char *esc_dup(const char *s);

/*
 * For text sent to a tracker: drops the characters esc_text() escapes,
 * keeping newlines and tabs when multiline (a description) and turning
 * them into a space otherwise (a title). Invalid UTF-8 bytes become U+FFFD.
 */
void esc_plain(struct strbuf *out, const char *s, bool multiline);

#endif
