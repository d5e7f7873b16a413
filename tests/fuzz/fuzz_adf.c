/*
 * Fuzz target for connectors/jira/adf.c: converts arbitrary bytes as
 * Markdown to ADF and checks what Jira requires of any document (a doc of
 * version 1, no empty text node, no code mark beside another mark than a
 * link, list items that start with a paragraph or a code block); then reads
 * the bytes as an ADF document from a server and writes its canonical text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "connectors/jira/adf.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_adf: %s\n", what);
		abort();
	}
}

static const char *type_of(const json_t *n)
{
	const char *t = json_string_value(json_object_get(n, "type"));
	return t ? t : "";
}

static void walk(const json_t *n)
{
	const json_t *c, *m;
	size_t i, code = 0, other = 0;

	check(json_is_object(n), "a node that is no object");
	if (!strcmp(type_of(n), "text"))
		check(json_string_length(json_object_get(n, "text")) > 0, "an empty text node");
	json_array_foreach(json_object_get(n, "marks"), i, m)
	{
		if (!strcmp(type_of(m), "code"))
			code++;
		else if (strcmp(type_of(m), "link"))
			other++;
	}
	check(!code || !other, "a code mark beside another mark");
	if (!strcmp(type_of(n), "listItem")) {
		const char *first = type_of(json_array_get(json_object_get(n, "content"), 0));
		check(!strcmp(first, "paragraph") || !strcmp(first, "codeBlock"),
		      "a list item that starts with neither a paragraph nor a code block");
	}
	json_array_foreach(json_object_get(n, "content"), i, c)
	{
		walk(c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *doc = adf_from_markdown((const char *)data, size), *in;

	check(!strcmp(type_of(doc), "doc"), "not a doc");
	check(json_integer_value(json_object_get(doc, "version")) == 1, "not version 1");
	walk(doc);
	adf_to_text(&sb, doc);
	json_decref(doc);
	in = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (in) {
		strbuf_setlen(&sb, 0);
		adf_to_text(&sb, in);
		json_decref(in);
	}
	strbuf_release(&sb);
	return 0;
}
