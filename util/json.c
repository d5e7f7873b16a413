/*
 * Typed JSON readers: every read of a response goes through one of these, so
 * that a response of an unexpected shape fails with one message naming the
 * path that was wrong instead of a crash or a silently empty value. The path
 * is a chain of stack nodes, built as the reader descends, and only turned
 * into text when a message is needed. Also the two builders every request
 * needs: a string value that survives bytes that are not UTF-8, and a
 * compact dump into a strbuf.
 */
#include "util/compat.h"

#include "util/json.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"

struct pm_json_path pm_json_member(const struct pm_json_path *up, const char *key)
{
	struct pm_json_path p = {up, key, 0, NULL, 0};

	return p;
}

struct pm_json_path pm_json_element(const struct pm_json_path *up, size_t index)
{
	struct pm_json_path p = {up, NULL, index, NULL, 0};

	return p;
}

static const struct pm_json_path *path_root(const struct pm_json_path *p)
{
	while (p->up)
		p = p->up;
	return p;
}

void pm_json_path_format(struct strbuf *sb, const struct pm_json_path *p)
{
	if (!p->up)
		return;
	pm_json_path_format(sb, p->up);
	if (p->key) {
		if (p->up->up)
			strbuf_addch(sb, '.');
		strbuf_addstr(sb, p->key);
	} else {
		strbuf_addf(sb, "[%zu]", p->index);
	}
}

int pm_json_error(const struct pm_json_path *p, const char *fmt, ...)
{
	const struct pm_json_path *root = path_root(p);
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	int code = root->code ? root->code : PM_ERROR;

	strbuf_addstr(&sb, root->what ? root->what : "json");
	strbuf_addstr(&sb, ": ");
	if (p->up) {
		strbuf_addch(&sb, '\'');
		pm_json_path_format(&sb, p);
		strbuf_addstr(&sb, "': ");
	}
	va_start(ap, fmt);
	pm_error_vprefixed(code, sb.buf, fmt, ap);
	va_end(ap);
	strbuf_release(&sb);
	return code;
}

static const char *type_name(json_type t)
{
	switch (t) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	case JSON_NULL:
		return "null";
	}
	return "unknown";
}

const char *pm_json_type_name(const json_t *v)
{
	return v ? type_name(json_typeof(v)) : "nothing";
}

static bool has_type(const json_t *v, json_type t)
{
	if (!v)
		return false;
	if (t == JSON_INTEGER || t == JSON_REAL)
		return json_is_number(v);
	if (t == JSON_TRUE || t == JSON_FALSE)
		return json_is_boolean(v);
	return json_typeof(v) == t;
}

int pm_json_parse(json_t **out, const char *buf, size_t len, const char *what, int code)
{
	json_error_t err;
	json_t *v;

	v = json_loadb(buf, len, 0, &err);
	if (!v)
		return pm_error(code, "%s: invalid JSON: %s at line %d, column %d", what, err.text,
		                err.line, err.column);
	*out = v;
	return 0;
}

int pm_json_expect(const json_t *v, json_type t, const struct pm_json_path *p)
{
	if (has_type(v, t))
		return 0;
	return pm_json_error(p, "expected %s, got %s", type_name(t), pm_json_type_name(v));
}

/* Member key of obj, with the path of the member for messages. */
static int member(json_t **out, json_t *obj, const struct pm_json_path *p, const char *key,
                  json_type t, bool nullable)
{
	struct pm_json_path mp = pm_json_member(p, key);
	json_t *v;
	int error;

	if ((error = pm_json_expect(obj, JSON_OBJECT, p)) < 0)
		return error;
	v = json_object_get(obj, key);
	if (nullable && (!v || json_is_null(v))) {
		*out = NULL;
		return 0;
	}
	if ((error = pm_json_expect(v, t, &mp)) < 0)
		return error;
	*out = v;
	return 0;
}

int pm_json_object(json_t **out, json_t *obj, const struct pm_json_path *p, const char *key)
{
	return member(out, obj, p, key, JSON_OBJECT, false);
}

int pm_json_object_or_null(json_t **out, json_t *obj, const struct pm_json_path *p, const char *key)
{
	return member(out, obj, p, key, JSON_OBJECT, true);
}

int pm_json_array(json_t **out, json_t *obj, const struct pm_json_path *p, const char *key)
{
	return member(out, obj, p, key, JSON_ARRAY, false);
}

/* The typed getters below, with or without null allowed (present may be NULL). */
static int get_string(const char **out, json_t *obj, const struct pm_json_path *p, const char *key,
                      bool nullable)
{
	json_t *v;
	int error = member(&v, obj, p, key, JSON_STRING, nullable);

	if (error < 0)
		return error;
	*out = v ? json_string_value(v) : NULL;
	return 0;
}

static int get_bool(bool *out, bool *present, json_t *obj, const struct pm_json_path *p,
                    const char *key, bool nullable)
{
	json_t *v;
	int error = member(&v, obj, p, key, JSON_TRUE, nullable);

	if (error < 0)
		return error;
	if (present)
		*present = v != NULL;
	*out = v && json_is_true(v);
	return 0;
}

static int get_number(double *out, bool *present, json_t *obj, const struct pm_json_path *p,
                      const char *key, bool nullable)
{
	json_t *v;
	int error = member(&v, obj, p, key, JSON_REAL, nullable);

	if (error < 0)
		return error;
	if (present)
		*present = v != NULL;
	*out = v ? json_number_value(v) : 0;
	return 0;
}

int pm_json_string(const char **out, json_t *obj, const struct pm_json_path *p, const char *key)
{
	return get_string(out, obj, p, key, false);
}

int pm_json_string_or_null(const char **out, json_t *obj, const struct pm_json_path *p,
                           const char *key)
{
	return get_string(out, obj, p, key, true);
}

int pm_json_bool(bool *out, json_t *obj, const struct pm_json_path *p, const char *key)
{
	return get_bool(out, NULL, obj, p, key, false);
}

int pm_json_bool_or_null(bool *out, bool *present, json_t *obj, const struct pm_json_path *p,
                         const char *key)
{
	return get_bool(out, present, obj, p, key, true);
}

int pm_json_number(double *out, json_t *obj, const struct pm_json_path *p, const char *key)
{
	return get_number(out, NULL, obj, p, key, false);
}

int pm_json_number_or_null(double *out, bool *present, json_t *obj, const struct pm_json_path *p,
                           const char *key)
{
	return get_number(out, present, obj, p, key, true);
}

/* Length of the well-formed UTF-8 sequence at s (n bytes left), 0 when ill-formed. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

json_t *pm_json_str(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	size_t n;
	json_t *v;

	if (!s)
		return json_null();
	n = strlen(s);
	while (n) {
		size_t k = utf8_seq(p, n);
		if (!k) {
			strbuf_addstr(&sb, "\xef\xbf\xbd");
			k = 1;
		} else {
			strbuf_add(&sb, p, k);
		}
		p += k;
		n -= k;
	}
	v = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	return v ? v : json_string("");
}

void pm_json_dump(struct strbuf *sb, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (s) {
		strbuf_addstr(sb, s);
		free(s);
	}
}
