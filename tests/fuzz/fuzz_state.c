/*
 * Fuzz target for the state file reader: the file sits in the repository's
 * work tree and is untrusted input. Feeds arbitrary bytes to
 * state_parse() and checks what must hold for any input: the call
 * returns 0 or PM_ESTATE, leaves the output untouched on failure, names the
 * file at the start of every message and tells how to rebuild it; a state
 * that parses comes back the same after a round trip through the writer
 * (format, parse, format gives the same bytes), its keys sorted and unique.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state/state.h"
#include "util/error.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char display[] = ".pmsync/state.json";
	struct state st = STATE_INIT, again = STATE_INIT;
	struct strbuf one = STRBUF_INIT, two = STRBUF_INIT;
	const char *msg;
	size_t i;
	int rc;

	pm_error_clear();
	rc = state_parse(&st, (const char *)data, size, display);
	msg = pm_error_message();
	if (rc != 0 && rc != PM_ESTATE)
		abort();
	if (rc < 0) {
		if (st.items_nr || st.tracker || st.display)
			abort();
		if (strncmp(msg, "'.pmsync/state.json' ", 21) ||
		    !strstr(msg, "run 'pmsync sync --rebuild-state'"))
			abort();
		goto done;
	}
	for (i = 1; i < st.items_nr; i++)
		if (strcmp(st.items[i - 1].key, st.items[i].key) >= 0)
			abort();
	for (i = 0; i < st.items_nr; i++)
		if (!st.items[i].ticket_id || state_find(&st, st.items[i].key) != &st.items[i])
			abort();
	state_format(&one, &st);
	if (state_parse(&again, one.buf, one.len, display) < 0)
		abort();
	state_format(&two, &again);
	if (one.len != two.len || memcmp(one.buf, two.buf, one.len))
		abort();
done:
	strbuf_release(&one);
	strbuf_release(&two);
	state_release(&st);
	state_release(&again);
	return 0;
}
