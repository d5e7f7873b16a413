/*
 * Fuzz target for connectors/jira/wiki.c: converts arbitrary bytes as
 * Markdown to Jira wiki markup and checks that the result is a string that
 * ends where it says it does, leaves no {noformat} tag open, and grows at most linearly with the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/jira/wiki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_wiki: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *wiki = wiki_from_markdown((const char *)data, size);
	const char *p = wiki;
	size_t tags = 0;

	check(wiki != NULL, "no result");
	check(strlen(wiki) <= 16 * size + 64, "output out of proportion to the input");
	while ((p = strstr(p, "{noformat}"))) {
		/* an escaped tag is text, and {{noformat}} is monospace */
		if (p == wiki || (p[-1] != '\\' && p[-1] != '{'))
			tags++;
		p++;
	}
	check(tags % 2 == 0, "a {noformat} block left open");
	free(wiki);
	return 0;
}
