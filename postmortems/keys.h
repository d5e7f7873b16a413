#ifndef PM_KEYS_H
#define PM_KEYS_H

#include "postmortems/postmortem.h"

/*
 * Stable keys for action items. See the README section "Item keys" for the
 * design and its limits.
 *
 * keys_assign() gives every item of pm a key: an explicit ID cell first,
 * then the ticket key, else a key derived from the text. When prev (the same
 * postmortem at an earlier revision, keys already assigned, possibly under
 * another path) is given, items that match one of prev's items (same text, or
 * edited in place) inherit its key. Keys are unique within pm. A closed
 * item paired with an item closed the same way in prev inherits its done_at;
 * other closed items get PM_DONE_AT_NEW, for the caller to date.
 */
void keys_assign(struct postmortem *pm, const struct postmortem *prev);

/* How alike two action texts are, 0 to 1, as keys_assign() measures it. */
double keys_similarity(const char *a, const char *b);

#endif
