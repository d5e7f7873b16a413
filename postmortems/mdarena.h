#ifndef PM_MDARENA_H
#define PM_MDARENA_H

#include <cmark-gfm.h>

/*
 * The memory cmark-gfm parses one document in: a bump arena handed to
 * cmark_parser_new_with_mem(), dropped as a whole when the document is done.
 * One document at a time (cmark's allocator callbacks carry no context, so
 * the arena is the module's own); not for use from several threads.
 */

/* The allocator to give cmark_parser_new_with_mem(). */
cmark_mem *mdarena_mem(void);

/*
 * Frees doc (parsed with mdarena_mem()) and everything else allocated from
 * the arena since the last call; the arena keeps one block for the next
 * document. Every pointer into the document is invalid afterwards.
 */
void mdarena_free_doc(cmark_node *doc);

#endif
