#ifndef PM_KEYTEXT_H
#define PM_KEYTEXT_H

#include <stddef.h>
#include <stdint.h>

/* An action's text as item keys see it (see keys.h). */
struct keytext {
	char *norm;       /* normalised text (keytext_normalize()) */
	uint64_t hash;    /* hash of norm, to compare quickly */
	uint64_t *tokens; /* sorted, unique token hashes, once needed */
	size_t tokens_nr;
	uint32_t *bigrams; /* sorted byte bigrams of norm (a multiset), once needed */
	size_t bigrams_nr;
};

/*
 * The text that text keys and matching see: lower-case, Markdown and
 * punctuation dropped, white space collapsed. The caller frees the result.
 */
char *keytext_normalize(const char *text);

void keytext_init(struct keytext *k, const char *text);
void keytext_release(struct keytext *k);

/* Computes k's token and bigram sets, once. */
void keytext_features(struct keytext *k);

/* How alike two texts are, 0 to 1. */
double keytext_similarity(struct keytext *a, struct keytext *b);

#endif
