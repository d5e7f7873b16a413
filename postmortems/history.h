#ifndef PM_HISTORY_H
#define PM_HISTORY_H

#include <stdbool.h>

#include <git2.h>

#include "postmortems/diag.h"
#include "postmortems/parse.h"
#include "postmortems/postmortem.h"

/*
 * The history of the postmortem directory along first-parent history, for
 * stable item keys (keys.c describes the design): each file present at the
 * walked commit has a chain of versions back to the commit that added it,
 * renames followed.
 */
struct history;

/*
 * Walks the first-parent history of commit tip, oldest first, recording the
 * chain of versions of every file under pm_path ("" for the whole tree). A
 * shallow boundary ends the walk (history_cut() then says so).
 */
int history_walk(struct history **out, git_repository *repo, const git_oid *tip,
                 const char *pm_path);
void history_free(struct history *h);

/* True when the walk stopped at a shallow boundary instead of a root commit. */
bool history_cut(const struct history *h);

/*
 * Assigns keys to pm (already parsed, pm->path set), the file at pm->path
 * whose content has blob id blob: along the chain of versions that ends at
 * pm->path, each version inheriting from the one before. When blob differs
 * from the chain's last version (a working-tree file), pm inherits from that
 * last version. Sets pm->origin_path. Without a chain, keys come from pm's
 * text alone. Also sets each done or canceled item's done_at: the commit time
 * of the first version of an unbroken run of versions showing it closed (0
 * when unknown: the run starts at a shallow boundary, or in the work tree).
 */
int history_assign_keys(struct history *h, struct postmortem *pm, const git_oid *blob,
                        const struct parse_options *popts);

/*
 * Reads blob id into pm (pm->path set) and parses it; parse_postmortem() marks a blob
 * over the size limit unreadable.
 */
int history_read_blob(struct postmortem *pm, git_repository *repo, const git_oid *id,
                      const struct parse_options *popts, struct diags *diags);

#endif
