/*
 * The recorded error: one message and one code, overwritten by each new
 * failure. pmsync is single-threaded, so a static buffer is enough.
 */
#include "util/compat.h"

#include "util/error.h"

#include <git2.h>

static char message[4096];
static int last_code;

int pm_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

const char *pm_error_message(void)
{
	return message;
}

int pm_error_code(void)
{
	return last_code;
}

void pm_error_clear(void)
{
	message[0] = '\0';
	last_code = 0;
}

int pm_error_git(int code, const char *what)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "unknown error";

	if (what)
		return pm_error(code, "%s: %s", what, msg);
	return pm_error(code, "%s", msg);
}
