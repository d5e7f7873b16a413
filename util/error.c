/*
 * The recorded error: one message and one code, overwritten by each new
 * failure. pmsync is single-threaded, so a static buffer is enough.
 */
#include "util/compat.h"

#include "util/error.h"

#include <git2.h>

static char message[4096];
static int last_code;
static long last_status;
static size_t detail_at; /* where the service's words start in message */

int pm_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	last_code = code;
	last_status = 0;
	detail_at = 0;
	return code;
}

int pm_error_vprefixed(int code, const char *prefix, const char *fmt, va_list ap)
{
	int n = snprintf(message, sizeof(message), "%s", prefix);

	if (n >= 0 && (size_t)n < sizeof(message))
		vsnprintf(message + n, sizeof(message) - (size_t)n, fmt, ap);
	last_code = code;
	last_status = 0;
	detail_at = 0;
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
	last_status = 0;
	detail_at = 0;
}

int pm_error_remote(int code, const char *prefix, long status, const char *detail)
{
	int n = snprintf(message, sizeof(message), "%sHTTP %ld%s", prefix, status,
	                 detail && *detail ? ": " : "");

	detail_at = n > 0 && (size_t)n < sizeof(message) ? (size_t)n : 0;
	snprintf(message + detail_at, sizeof(message) - detail_at, "%s", detail ? detail : "");
	last_code = code;
	last_status = status;
	return code;
}

long pm_error_status(void)
{
	return last_status;
}

const char *pm_error_detail(void)
{
	return message + detail_at;
}

int pm_error_git(int code, const char *what)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "unknown error";

	if (what)
		return pm_error(code, "%s: %s", what, msg);
	return pm_error(code, "%s", msg);
}
