/*
 * Tests of the exit-code table of cli/cli.c: every internal error code
 * (enum pm_error_code, from PM_OK down to the last) maps to the exit status
 * README.md and pmsync.1 document, and a code outside the enum is an
 * internal error, never "findings". tests/e2e/t61-exit-codes.sh drives the
 * same rows with the binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/compat.h"
#include "cli/cli.h"
#include "util/error.h"

static const struct {
	int code;
	int exit;
} table[] = {
        {PM_OK, 0},       {PM_ERROR, 7},    {PM_ENOTFOUND, 6}, {PM_EUSAGE, 3},     {PM_ECONFIG, 4},
        {PM_EREPO, 6},    {PM_EINPUT, 1},   {PM_EAUTH, 5},     {PM_ERATELIMIT, 5}, {PM_ENET, 5},
        {PM_ETRACKER, 5}, {PM_ELOCKED, 6},  {PM_EREFUSED, 5},  {PM_ESTATE, 6},     {PM_EPARTIAL, 1},
        {PM_EIO, 6},      {PM_ETIMEOUT, 5},
};

static void test_every_code(void **state)
{
	(void)state;
	/* the table covers the enum, which runs from 0 down without gaps */
	assert_int_equal(ARRAY_SIZE(table), 1 - PM_ETIMEOUT);
	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		assert_int_equal(table[i].code, -(int)i);
		if (cli_exit_for(table[i].code) != table[i].exit)
			fail_msg("code %d exits %d, documented %d", table[i].code,
			         cli_exit_for(table[i].code), table[i].exit);
	}
}

static void test_unknown_code(void **state)
{
	(void)state;
	assert_int_equal(cli_exit_for(PM_ETIMEOUT - 1), PM_EXIT_INTERNAL);
	assert_int_equal(cli_exit_for(-1000), PM_EXIT_INTERNAL);
	assert_int_equal(cli_exit_for(1), PM_EXIT_INTERNAL);
}

static void test_deadline(void **state)
{
	struct pm_globals g = {0};

	(void)state;
	g.started_ms = 1000;
	g.timeout = -1;
	assert_true(cli_deadline_ms(&g, 900) == 1000 + 900000);
	assert_true(cli_deadline_ms(&g, 0) == 0);
	g.timeout = 5;
	assert_true(cli_deadline_ms(&g, 900) == 6000);
	g.timeout = 0; /* --timeout 0: no deadline, whatever the configuration says */
	assert_true(cli_deadline_ms(&g, 900) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_code),
	        cmocka_unit_test(test_unknown_code),
	        cmocka_unit_test(test_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
