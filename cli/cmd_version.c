/*
 * `pmsync version`: prints pmsync's version and those of the libraries it
 * was built with, for bug reports.
 */
#include "util/compat.h"

#include <stdio.h>

#include <cmark-gfm.h>
#include <git2.h>
#include <jansson.h>

#include "cli/commands.h"
#include "connectors/http.h"

static int run_version(int argc, char **argv, const struct pm_globals *g)
{
	int major = 0, minor = 0, rev = 0;

	(void)argc;
	(void)argv;
	(void)g;
	git_libgit2_version(&major, &minor, &rev);
	printf("pmsync %s\n", PMSYNC_VERSION);
	printf("libgit2 %d.%d.%d, cmark-gfm %s, jansson %s, libcurl %s\n", major, minor, rev,
	       cmark_version_string(), JANSSON_VERSION, http_library_version());
	return PM_EXIT_OK;
}

const struct cli_cmd cmd_version = {
        "version",
        run_version,
        "print the version",
        "usage: pmsync version\n"
        "\n"
        "Prints pmsync's version and the versions of the libraries it uses.\n",
};
