#ifndef PM_JSONW_H
#define PM_JSONW_H

#include <stdbool.h>

#include "util/strbuf.h"

/*
 * A streaming JSON writer into a strbuf, for output too large to build as a
 * jansson tree first (pmsync items over thousands of postmortems). The
 * caller places commas; these only write values.
 */

/* Appends s as a JSON string (quoted, escaped; non-ASCII as \u escapes), or null. */
void jsonw_string(struct strbuf *sb, const char *s);
/* Appends "name": followed by the string value, after a comma unless first. */
void jsonw_member_string(struct strbuf *sb, bool *first, const char *name, const char *value);
void jsonw_member_int(struct strbuf *sb, bool *first, const char *name, long value);
void jsonw_member_bool(struct strbuf *sb, bool *first, const char *name, bool value);
/* Appends "name": and leaves the value to the caller. */
void jsonw_member(struct strbuf *sb, bool *first, const char *name);

#endif
