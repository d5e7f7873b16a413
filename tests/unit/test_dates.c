/*
 * Tests of postmortems/dates.c: dates in the spellings found in real
 * postmortems, invalid calendars, and dates at the start of longer text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "postmortems/dates.h"

static void test_dates(void **state)
{
	static const struct {
		const char *in;
		const char *want; /* NULL: not a date */
	} cases[] = {
	        {"2026-05-01", "2026-05-01"},
	        {"2026-5-1", "2026-05-01"},
	        {"2026/05/01", "2026-05-01"},
	        {" 2026-05-01 ", "2026-05-01"},
	        {"May 1, 2026", "2026-05-01"},
	        {"May 1 2026", "2026-05-01"},
	        {"may 01, 2026", "2026-05-01"},
	        {"Sept. 3, 2026", "2026-09-03"},
	        {"1 May 2026", "2026-05-01"},
	        {"7th September, 2025.", "2025-09-07"},
	        {"July 1, 2020", "2020-07-01"},
	        {"Sat 20th Sep 2025", "2025-09-20"},
	        {"2024-02-29", "2024-02-29"},
	        {"2000-02-29", "2000-02-29"},
	        {"1900-02-29", NULL},
	        {"2026-02-29", NULL},
	        {"2026-02-30", NULL},
	        {"2026-13-01", NULL},
	        {"2026-00-10", NULL},
	        {"2026-04-31", NULL},
	        {"20260501", NULL},
	        {"2026-05-01T10:00", NULL},
	        {"05/01/2026", NULL},
	        {"next sprint", NULL},
	        {"Q3 2026", NULL},
	        {"", NULL},
	        {"Mayday 1, 2026", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char out[11] = "";
		bool ok = dates_read(out, cases[i].in, strlen(cases[i].in));
		if (!cases[i].want) {
			if (ok)
				fail_msg("'%s' read as %s", cases[i].in, out);
			continue;
		}
		if (!ok)
			fail_msg("'%s' not read", cases[i].in);
		assert_string_equal(out, cases[i].want);
	}
}

static void test_date_prefix(void **state)
{
	static const struct {
		const char *in;
		size_t used;
		const char *want;
	} cases[] = {
	        {"2026-01-02 10:00 UTC", 10, "2026-01-02"},
	        {"2025-01-15T04:12:00+09:00", 10, "2025-01-15"},
	        {"6th November, 2025 between 12.39UTC", 18, "2025-11-06"},
	        {"July 1, 2020 (a Wednesday)", 12, "2020-07-01"},
	        {"2026-01-02x", 10, "2026-01-02"},
	        {"20252-01-16", 0, NULL},
	        {"sometime in May", 0, NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char out[11] = "";
		size_t used = dates_prefix(out, cases[i].in, strlen(cases[i].in));
		assert_int_equal(used, cases[i].used);
		if (cases[i].want)
			assert_string_equal(out, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_dates),
	        cmocka_unit_test(test_date_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
