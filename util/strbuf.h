#ifndef PM_STRBUF_H
#define PM_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * The one string buffer, after git's strbuf: `buf` is never NULL and always
 * NUL-terminated, `len` excludes the terminator. STRBUF_INIT needs no
 * allocation; strbuf_release() returns it to that state.
 */
struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT                  \
	{                            \
		0, 0, strbuf_slopbuf \
	}

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Hands the string over to the caller; sb is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));
void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other);

void strbuf_rtrim(struct strbuf *sb);
void strbuf_ltrim(struct strbuf *sb);
void strbuf_trim(struct strbuf *sb);

bool strbuf_starts_with(const struct strbuf *sb, const char *prefix);

/*
 * Reads a whole file into sb. More than cap bytes is an error (cap 0 means no
 * cap). Returns 0, or a negative error code with the message recorded.
 */
int strbuf_read_file(struct strbuf *sb, const char *path, size_t cap);

#endif
