#ifndef PM_ISODATE_H
#define PM_ISODATE_H

#include <stdbool.h>

/* True when s is exactly YYYY-MM-DD and a real calendar date (leap years included). */
bool isodate_valid(const char *s);

#endif
