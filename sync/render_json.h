#ifndef PM_SYNC_RENDER_JSON_H
#define PM_SYNC_RENDER_JSON_H

#include "sync/render.h"

/* A sync as versioned JSON for scripts (SYNC_RENDER_JSON_VERSION). */

/* Appends the plan (or the result, with o->result) as JSON to out; tokens are not masked here. */
void render_json_plan(struct strbuf *out, const struct sync_plan *plan,
                      const struct sync_render_options *o);

#endif
