/*
 * Fuzz target for the postmortem reader: feeds arbitrary bytes to
 * parse_postmortem(), and so to the front matter, heading, section, GFM table,
 * list and HTML table readers, and checks what must hold for any input:
 * the call returns 0; an unreadable file has no items and an error
 * diagnostic; every item has a non-empty text without carriage returns, a
 * line inside the file, and a ticket kind that matches its ticket. The
 * first byte picks the options (heading patterns, size limit), so both
 * paths get exercised. The input is copied to a buffer of its exact size,
 * so that a read past its end shows under the sanitizers even in replay.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postmortems/parse.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_postmortem: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char review[] = "Review actions", steps[] = "next steps", empty[] = "";
	static char *patterns[] = {review, steps, empty};
	struct strlist headings = {patterns, 3, 3};
	struct parse_options opts = {NULL, 0, 0};
	struct postmortem pm;
	struct diags diags = DIAGS_INIT;
	size_t i, lines = 1;
	char *buf = xmalloc(size ? size : 1);

	if (size && data[0] == 'H')
		opts.headings = &headings;
	else if (size && data[0] == 'S')
		opts.max_size = size / 2 + 1;
	memcpy(buf, data, size);
	/* lines end with "\n", "\r\n" or a lone "\r" */
	for (i = 0; i < size; i++)
		lines += data[i] == '\n' ||
		         (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));

	postmortem_init(&pm);
	pm.path = xstrdup("docs/postmortems/2026-01-02-fuzz.md");
	check(parse_postmortem(&pm, buf, size, &opts, &diags) == 0, "parse_postmortem failed");
	if (pm.unreadable) {
		check(pm.items_nr == 0, "an unreadable file has items");
		check(diags_count(&diags, DIAG_ERROR) > 0, "unreadable without an error");
	}
	for (i = 0; i < pm.items_nr; i++) {
		const struct action_item *it = &pm.items[i];
		check(it->text && it->text[0], "an item without text");
		check(!strchr(it->text, '\r'), "a carriage return in a text");
		check(it->markdown != NULL, "an item without markdown");
		check(it->line >= 1 && (size_t)it->line <= lines, "an item line outside the file");
		check(!it->owner || (it->owner[0] && !strchr(it->owner, '\r')), "a bad owner");
		check((it->ticket == NULL) == (it->ticket_kind == PM_TICKET_NONE),
		      "ticket and ticket kind disagree");
		check(!it->due || strlen(it->due) == 10, "a due date that is not YYYY-MM-DD");
		check(!(it->due && it->due_raw), "both a due date and a raw one");
	}
	for (i = 0; i < pm.headings_nr; i++)
		check(pm.headings[i] != NULL && pm.heading_lines[i] >= 1, "a bad heading");
	check(!pm.date || strlen(pm.date) == 10, "a date that is not YYYY-MM-DD");
	check(!pm.section || pm.section_line >= 1, "a section without a line");
	postmortem_release(&pm);
	diags_release(&diags);
	free(buf);
	return 0;
}
