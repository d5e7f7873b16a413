/*
 * Fuzz target for the HTML table tokenizer: feeds arbitrary bytes to
 * htmltable_parse() and htmltable_decode_entity() and checks what must hold
 * for any input: the call returns 0 or PM_EINPUT, the end offset lies within
 * the input, every cell has its text and raw HTML, and no row starts before
 * the first line. The input is copied to a buffer of its exact size.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postmortems/htmltable.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_htmltable: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct htmltable t = HTMLTABLE_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *buf = xmalloc(size ? size : 1);
	size_t i, j;
	int rc;

	memcpy(buf, data, size);
	rc = htmltable_parse(&t, buf, size, 7);
	check(rc == 0 || rc == PM_EINPUT, "unexpected return code");
	if (rc == 0) {
		check(t.end <= size, "end past the input");
		for (i = 0; i < t.nr; i++) {
			check(t.rows[i].line >= 7, "a row before the first line");
			for (j = 0; j < t.rows[i].nr; j++) {
				const struct htmltable_cell *c = &t.rows[i].cells[j];
				check(c->text && c->raw, "a cell without text");
				check(c->line >= t.rows[i].line, "a cell before its row");
			}
		}
	} else {
		check(t.nr == 0, "rows on failure");
	}
	htmltable_release(&t);
	for (i = 0; i < size; i++) {
		size_t used;
		if (buf[i] != '&')
			continue;
		used = htmltable_decode_entity(&sb, buf + i, size - i);
		check(used <= size - i, "an entity past the input");
	}
	(void)htmltable_starts(buf, size);
	strbuf_release(&sb);
	free(buf);
	return 0;
}
