/*
 * Fuzz target for Linear's responses: arbitrary bytes go through the same
 * parsing a sync uses, as an answer to the listing queries (markers with
 * their issues, issues with their markers) under a success and an error
 * status, then through the GraphQL error-code reader, the document lexer of
 * the dry-run guard and the reference parser. Under `make check` the corpus
 * in tests/fuzz/corpus/linear_response/ replays as a plain test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "connectors/graphql.h"
#include "connectors/linear/linear.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = {200, 400, 502};
	static const enum linear_page_kind kinds[] = {LINEAR_PAGE_ATTACHMENTS, LINEAR_PAGE_ISSUES};
	const char *body = (const char *)data;
	struct strbuf key = STRBUF_INIT;
	char code[64], *text;
	size_t i, k;
	long number;

	for (i = 0; i < ARRAY_SIZE(statuses); i++) {
		for (k = 0; k < ARRAY_SIZE(kinds); k++) {
			struct tracker_tickets out = {NULL, 0, 0};
			struct linear_page page = {false, NULL};
			linear_parse_page(&out, &page, kinds[k], "pmsync acme/payments",
			                  statuses[i], body, size);
			tracker_tickets_release(&out);
			linear_page_release(&page);
		}
	}
	graphql_error_code(body, size, code, sizeof(code));
	graphql_document_writes(body, size, NULL);
	text = xstrndup(body, size);
	linear_ref_parse(text, &key, &number);
	free(text);
	strbuf_release(&key);
	return 0;
}
