/*
 * The string buffer. Growth is amortised doubling; every function keeps the
 * invariant that buf is NUL-terminated, so a strbuf can be passed to any C
 * string API at any time.
 */
#include "util/compat.h"

#include "util/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ctype.h>
#include <stdlib.h>

#include "util/error.h"
#include "util/xalloc.h"

char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb, size_t hint)
{
	sb->alloc = 0;
	sb->len = 0;
	sb->buf = strbuf_slopbuf;
	if (hint)
		strbuf_grow(sb, hint);
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, 0);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *res;

	strbuf_grow(sb, 0);
	res = sb->buf;
	if (len)
		*len = sb->len;
	strbuf_init(sb, 0);
	return res;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want;

	if (sb->alloc && sb->alloc - sb->len > extra)
		return;
	if (extra > (size_t)-1 - sb->len - 1) {
		fprintf(stderr, "pmsync: fatal: string buffer overflow\n");
		abort();
	}
	want = sb->len + extra + 1;
	if (want > sb->alloc) {
		size_t n = sb->alloc < 64 ? 64 : sb->alloc;
		while (n < want)
			n *= 2;
		/* without an allocation buf is the shared slop buffer: never realloc'd */
		sb->buf = xrealloc(sb->alloc ? sb->buf : NULL, n);
		if (!sb->alloc)
			sb->buf[0] = '\0';
		sb->alloc = n;
	}
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (!sb->alloc)
		return;
	sb->len = len < sb->len ? len : sb->len;
	sb->buf[sb->len] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	/* room for len bytes and the NUL (alloc 0: the slop buffer, always grown) */
	if (sb->alloc - sb->len <= len)
		strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
	if (sb->alloc - sb->len < 2)
		strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other)
{
	strbuf_add(sb, other->buf, other->len);
}

/* Formats into the free space first: most calls fit, and then format once. */
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	size_t avail = sb->alloc ? sb->alloc - sb->len : 0;
	va_list cp;
	int len;

	va_copy(cp, ap);
	len = vsnprintf(avail ? sb->buf + sb->len : NULL, avail, fmt, cp);
	va_end(cp);
	if (len <= 0) {
		if (avail)
			sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)len < avail) {
		sb->len += (size_t)len;
		return;
	}
	strbuf_grow(sb, (size_t)len);
	vsnprintf(sb->buf + sb->len, (size_t)len + 1, fmt, ap);
	sb->len += (size_t)len;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_rtrim(struct strbuf *sb)
{
	while (sb->len && isspace((unsigned char)sb->buf[sb->len - 1]))
		sb->len--;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
}

void strbuf_ltrim(struct strbuf *sb)
{
	size_t i = 0;

	while (i < sb->len && isspace((unsigned char)sb->buf[i]))
		i++;
	if (!i)
		return;
	memmove(sb->buf, sb->buf + i, sb->len - i);
	sb->len -= i;
	sb->buf[sb->len] = '\0';
}

void strbuf_trim(struct strbuf *sb)
{
	strbuf_rtrim(sb);
	strbuf_ltrim(sb);
}

bool strbuf_starts_with(const struct strbuf *sb, const char *prefix)
{
	size_t n = strlen(prefix);

	return sb->len >= n && !memcmp(sb->buf, prefix, n);
}

int strbuf_read_file(struct strbuf *sb, const char *path, size_t cap)
{
	FILE *fp = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int error = 0;

	if (!fp)
		return pm_error(PM_ENOTFOUND, "cannot read '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (cap && sb->len + n > cap) {
			error = pm_error(PM_EINPUT, "'%s' is larger than %zu bytes", path, cap);
			goto done;
		}
		strbuf_add(sb, chunk, n);
	}
	if (ferror(fp))
		error = pm_error(PM_EIO, "cannot read '%s': %s", path, strerror(errno));
done:
	fclose(fp);
	return error;
}
