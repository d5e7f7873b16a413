#ifndef PM_ERROR_H
#define PM_ERROR_H

#include <stdarg.h>

/*
 * Error codes and the one recorded message, after libgit2: a function that
 * fails records its message once, where the failure is found, and returns a
 * negative code; its callers pass the code up without rewriting the message.
 * The command layer maps codes to exit statuses and prints the message.
 */
enum pm_error_code {
	PM_OK = 0,
	PM_ERROR = -1,      /* an unexpected failure: a bug */
	PM_ENOTFOUND = -2,  /* a file, revision, team, user... that is not there */
	PM_EUSAGE = -3,     /* the command line is wrong */
	PM_ECONFIG = -4,    /* the configuration is wrong */
	PM_EREPO = -5,      /* the git repository cannot be read */
	PM_EINPUT = -6,     /* a postmortem or other input is malformed */
	PM_EAUTH = -7,      /* the tracker refused the credentials */
	PM_ERATELIMIT = -8, /* the tracker's rate limit, after retries ran out */
	PM_ENET = -9,       /* network or tracker failure, after retries */
	PM_ETRACKER = -10,  /* the tracker refused a request (validation, usage limit) */
	PM_ELOCKED = -11,   /* another run holds the lock */
	PM_EREFUSED = -12,  /* a write attempted in dry-run, refused by the transport */
	PM_ESTATE = -13,    /* the state file is corrupt */
	PM_EPARTIAL = -14,  /* some items failed, the rest went through */
	PM_EIO = -15,       /* a local file or directory cannot be read or written */
	PM_ETIMEOUT = -16,  /* the run's deadline (--timeout, sync.timeout) passed */
};

/* Records a message for code and returns code, so callers can `return pm_error(...)`. */
int pm_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Records prefix followed by the message fmt and ap format (a message
 * starting "file:7: " or "linear: 'data.x': ") under code, and returns code.
 */
int pm_error_vprefixed(int code, const char *prefix, const char *fmt, va_list ap)
        __attribute__((format(printf, 3, 0)));

/*
 * Records libgit2's last error as "what: libgit2's message" (or the message
 * alone when what is NULL) under code, and returns code.
 */
int pm_error_git(int code, const char *what);

/* The last recorded message, or "" when none. */
const char *pm_error_message(void);

/* The code recorded with the last message. */
int pm_error_code(void);

void pm_error_clear(void);

/*
 * Records a failure a remote service reported, as "<prefix>HTTP <status>:
 * <detail>" (without ": <detail>" when detail is empty or NULL), keeping the status and the service's own words apart for
 * callers that report them differently (doctor's findings). Returns code.
 */
int pm_error_remote(int code, const char *prefix, long status, const char *detail);
/* The HTTP status the last error carried; 0 when it carried none. */
long pm_error_status(void);
/* The service's own words of the last error, else the whole message. */
const char *pm_error_detail(void);

#endif
