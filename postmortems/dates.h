#ifndef PM_DATES_H
#define PM_DATES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Dates as written by hand, read into YYYY-MM-DD. Both readers take a byte
 * range (not necessarily NUL-terminated) and write out only on success.
 */

/*
 * Reads a date at the start of s: 2026-05-01, 2026-5-1, 2026/05/01,
 * "May 1, 2026", "1 May 2026", "7th September, 2022", after an optional
 * weekday. Writes YYYY-MM-DD into out and returns the bytes read, or 0 when s
 * does not start with a valid calendar date.
 */
size_t dates_prefix(char out[11], const char *s, size_t len);

/* The same, but s (trimmed, a final '.' allowed) must be the date alone. */
bool dates_read(char out[11], const char *s, size_t len);

#endif
