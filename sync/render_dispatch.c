/*
 * sync_render(): the rendering the options name, with anything shaped like
 * a token masked in its output. It sits above the three renderers, which
 * build on the shared parts in sync/render.c.
 */
#include "util/compat.h"

#include "sync/render.h"

#include "sync/render_json.h"
#include "sync/render_markdown.h"
#include "sync/render_text.h"

void sync_render(struct strbuf *out, const struct sync_plan *plan,
                 const struct sync_render_options *opts)
{
	struct strbuf sb = STRBUF_INIT;

	switch (opts->format) {
	case SYNC_RENDER_JSON:
		render_json_plan(&sb, plan, opts);
		break;
	case SYNC_RENDER_MARKDOWN:
		render_md_plan(&sb, plan, opts);
		break;
	case SYNC_RENDER_TEXT:
		render_text_plan(&sb, plan, opts);
		break;
	}
	sync_render_redact(&sb, opts->secrets);
	strbuf_addbuf(out, &sb);
	strbuf_release(&sb);
}
