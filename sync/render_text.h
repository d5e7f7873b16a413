#ifndef PM_SYNC_RENDER_TEXT_H
#define PM_SYNC_RENDER_TEXT_H

#include "sync/render.h"

/*
 * A sync as text for people, in the manner of `terraform plan`; the
 * Markdown rendering embeds it and shares its summary line.
 */

/* Appends the plan (or the result, with o->result) as text to out; tokens are not masked here. */
void render_text_plan(struct strbuf *out, const struct sync_plan *plan,
                      const struct sync_render_options *o);

/* Appends the one summary line ("Plan: 3 to create, ..." or "Applied: 3 created, ..."). */
void render_text_summary(struct strbuf *sb, const struct sync_plan *plan,
                         const struct sync_render_options *o);

#endif
