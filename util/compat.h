#ifndef PM_COMPAT_H
#define PM_COMPAT_H

/*
 * The header every .c file includes first, after git's git-compat-util.h:
 * the system headers the program uses, the few helpers every module wants
 * (ARRAY_SIZE, locale-free character classes, UTF-8 sequence lengths), and
 * util/banned.h last, so that a banned function is caught in every file and
 * no system header is read after the bans.
 *
 * The character classes are ASCII only on purpose: <ctype.h> depends on the
 * locale and is undefined for negative chars, and Markdown, git-config and
 * the trackers' keys are all defined over ASCII.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline int ascii_tolower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static inline bool ascii_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool ascii_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool ascii_isalnum(int c)
{
	return ascii_isdigit(c) || ascii_isalpha(c);
}

/* C's white space: space, tab, newline, carriage return, form feed, vertical tab. */
static inline bool ascii_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* True when the len bytes at s start with prefix, ASCII letters compared without case. */
static inline bool ascii_starts_ci(const char *s, size_t len, const char *prefix)
{
	size_t i;

	for (i = 0; prefix[i]; i++)
		if (i >= len ||
		    ascii_tolower((unsigned char)s[i]) != ascii_tolower((unsigned char)prefix[i]))
			return false;
	return true;
}

/* Length of the UTF-8 sequence that starts with byte c (1 for a stray byte). */
static inline size_t utf8_seq_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

#include "util/banned.h"

#endif
