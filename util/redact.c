/*
 * Masks the values of the secrets in the environment in a text about to be
 * printed or logged (see redact.h). The environment is read at each call:
 * cheap next to printing, and tests may change it.
 */
#include "util/compat.h"

#include "util/redact.h"

#define REDACT_MIN 4
#define REDACT_MASK "***"

/* The value without surrounding blanks and a leading "Bearer ": *len bytes from the result. */
static const char *core_of(const char *v, size_t *len)
{
	size_t n;

	while (ascii_isspace((unsigned char)*v))
		v++;
	if (!strncasecmp(v, "Bearer ", 7))
		v += 7;
	while (ascii_isspace((unsigned char)*v))
		v++;
	n = strlen(v);
	while (n && ascii_isspace((unsigned char)v[n - 1]))
		n--;
	*len = n;
	return v;
}

static void mask_value(struct strbuf *sb, const char *v, size_t n)
{
	struct strbuf out = STRBUF_INIT;
	size_t i = 0, from = 0;
	bool found = false;

	if (n < REDACT_MIN || n > sb->len)
		return;
	while (i + n <= sb->len) {
		if (sb->buf[i] != v[0] || memcmp(sb->buf + i, v, n)) {
			i++;
			continue;
		}
		strbuf_add(&out, sb->buf + from, i - from);
		strbuf_addstr(&out, REDACT_MASK);
		i += n;
		from = i;
		found = true;
	}
	if (!found) {
		strbuf_release(&out);
		return;
	}
	strbuf_add(&out, sb->buf + from, sb->len - from);
	strbuf_release(sb);
	*sb = out;
}

void redact_secrets(struct strbuf *sb, const char *const *vars)
{
	size_t i, n;

	for (i = 0; vars && vars[i]; i++) {
		const char *v = getenv(vars[i]);
		const char *core;

		if (!v || !*v)
			continue;
		mask_value(sb, v, strlen(v));
		core = core_of(v, &n);
		mask_value(sb, core, n);
	}
}

void redact_wipe(char *s)
{
	volatile char *p = s;

	while (p && *p)
		*p++ = '\0';
}
