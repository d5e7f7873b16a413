#ifndef PM_WIKI_H
#define PM_WIKI_H

#include <stddef.h>

/*
 * Jira wiki markup, the rich text of Jira Data Center's REST v2: a
 * description's Markdown converted through cmark-gfm's syntax tree, with
 * every character that wiki markup would read as markup escaped.
 */

/* The wiki markup of md; never fails; the caller frees the result. */
char *wiki_from_markdown(const char *md, size_t len);

#endif
