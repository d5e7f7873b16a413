#ifndef PM_LABEL_H
#define PM_LABEL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/*
 * Labels compared without their spelling: normalized text, and matching of
 * normalized label patterns ("action item") against normalized texts.
 */

/*
 * Normalizes text for matching labels: lower case (ASCII and Latin-1
 * letters), every punctuation mark, Unicode space, quote or dash turned into
 * one space, trimmed. Appends to out.
 */
void label_normalize(struct strbuf *out, const char *s, size_t len);

/*
 * Label matching on normalized strings: the pattern's words begin or end the
 * text, the last pattern word possibly a prefix of the text's word
 * ("action item" matches "new action items" and "action items followups").
 * With whole, the pattern must cover the whole text.
 */
bool label_matches(const char *text, const char *pattern, bool whole);

/* The same, for one text against many patterns: the text's word starts computed once. */
#define LABEL_WORDS 8
struct label {
	const char *text;
	size_t len;
	size_t starts[LABEL_WORDS];
};
void label_prepare(struct label *l, const char *text, size_t len);
size_t label_words(const char *pattern, size_t len);
bool label_match(const struct label *l, const char *pattern, size_t pl, size_t words, bool whole);

#endif
