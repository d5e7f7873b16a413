#ifndef PM_JSON_H
#define PM_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/strbuf.h"

/*
 * Typed readers over jansson that name the JSON path on a mismatch:
 *
 *   linear: response: 'data.issues.nodes[3].title': expected string, got null
 *
 * The prefix is pm_json_ to stay out of jansson's json_ namespace.
 *
 * A path is a chain of struct pm_json_path nodes living on the caller's
 * stack, from the value being read up to the root; the root carries the
 * message prefix and the error code that mismatches are recorded with.
 *
 * Ownership (jansson's rules): every json_t * handed out by a reader is
 * borrowed from its parent and lives as long as the document; strings read
 * with pm_json_string() point into the document too.
 */
struct pm_json_path {
	const struct pm_json_path *up; /* NULL at the root */
	const char *key;               /* member name; NULL for an array element */
	size_t index;                  /* element index when key is NULL */
	const char *what;              /* root only: message prefix, e.g. "linear: response" */
	int code;                      /* root only: the pm_error_code of mismatches */
};

#define PM_JSON_PATH_ROOT(what, code)         \
	{                                     \
		NULL, NULL, 0, (what), (code) \
	}

struct pm_json_path pm_json_member(const struct pm_json_path *up, const char *key);
struct pm_json_path pm_json_element(const struct pm_json_path *up, size_t index);

/* Appends the dotted path, e.g. "data.issues.nodes[3].title" ("" for the root). */
void pm_json_path_format(struct strbuf *sb, const struct pm_json_path *p);

/* Records "<what>: '<path>': <message>" with the root's code and returns that code. */
int pm_json_error(const struct pm_json_path *p, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* "object", "array", "string", "integer", "number", "boolean", "null"; "nothing" for NULL. */
const char *pm_json_type_name(const json_t *v);

/*
 * Parses a whole document (no trailing garbage; duplicate keys allowed as
 * jansson allows them). On failure records "<what>: invalid JSON: <reason>
 * at line L, column C" with code.
 */
int pm_json_parse(json_t **out, const char *buf, size_t len, const char *what, int code);

/* Checks that v, found at p, has type t ("expected object, got null"). */
int pm_json_expect(const json_t *v, json_type t, const struct pm_json_path *p);

/*
 * Readers of member `key` of obj, an object found at p. The plain forms
 * require the member; the _or_null forms accept an absent or null member and
 * then set *out to NULL (or leave *present false).
 */
int pm_json_object(json_t **out, json_t *obj, const struct pm_json_path *p, const char *key);
int pm_json_object_or_null(json_t **out, json_t *obj, const struct pm_json_path *p,
                           const char *key);
int pm_json_array(json_t **out, json_t *obj, const struct pm_json_path *p, const char *key);
int pm_json_string(const char **out, json_t *obj, const struct pm_json_path *p, const char *key);
int pm_json_string_or_null(const char **out, json_t *obj, const struct pm_json_path *p,
                           const char *key);
int pm_json_bool(bool *out, json_t *obj, const struct pm_json_path *p, const char *key);
int pm_json_bool_or_null(bool *out, bool *present, json_t *obj, const struct pm_json_path *p,
                         const char *key);
int pm_json_number(double *out, json_t *obj, const struct pm_json_path *p, const char *key);
int pm_json_number_or_null(double *out, bool *present, json_t *obj, const struct pm_json_path *p,
                           const char *key);

/*
 * Builders. pm_json_str() returns a new string value, json null for NULL;
 * bytes that are not UTF-8 become U+FFFD, so it never fails.
 */
json_t *pm_json_str(const char *s);

/* Appends the compact serialisation of v. */
void pm_json_dump(struct strbuf *sb, const json_t *v);

#endif
