#ifndef PM_SYNC_RENDER_MARKDOWN_H
#define PM_SYNC_RENDER_MARKDOWN_H

#include "sync/render.h"

/* A sync as Markdown for a pull-request comment. */

/* Appends the plan (or the result, with o->result) as Markdown to out; tokens stay unmasked. */
void render_md_plan(struct strbuf *out, const struct sync_plan *plan,
                    const struct sync_render_options *o);

#endif
