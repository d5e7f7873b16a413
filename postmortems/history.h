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
struct pm_history;

/*
 * Walks the first-parent history of commit tip, oldest first, recording the
 * chain of versions of every file under pm_path ("" for the whole tree). A
 * shallow boundary ends the walk (pm_history_cut() then says so).
 */
int pm_history_walk(struct pm_history **out, git_repository *repo, const git_oid *tip,
                    const char *pm_path);
void pm_history_free(struct pm_history *h);

/* True when the walk stopped at a shallow boundary instead of a root commit. */
bool pm_history_cut(const struct pm_history *h);

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
int pm_history_assign_keys(struct pm_history *h, struct postmortem *pm, const git_oid *blob,
                           const struct pm_parse_options *popts);

/*
 * Reads blob id into pm (pm->path set) and parses it; pm_parse() marks a blob
 * over the size limit unreadable.
 */
int pm_history_read_blob(struct postmortem *pm, git_repository *repo, const git_oid *id,
                         const struct pm_parse_options *popts, struct pm_diags *diags);

#endif
