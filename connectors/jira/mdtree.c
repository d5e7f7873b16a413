/*
 * Markdown trees for the Jira converters: one parser setup (the GitHub
 * extensions a postmortem's action text may use: tables, strikethrough,
 * autolinks), and helpers that read cmark-gfm's extension nodes by their
 * type names, since the library exports no constants for them.
 */
#include "util/compat.h"

#include "connectors/jira/mdtree.h"

#include <string.h>
#include <strings.h>

#include <cmark-gfm-core-extensions.h>

cmark_node *mdtree_parse(const char *md, size_t len)
{
	static const char *const names[] = {"table", "strikethrough", "autolink"};
	cmark_parser *parser;
	cmark_node *doc;
	size_t i;

	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(names[i]);
		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, md ? md : "", md ? len : 0);
	doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	return doc;
}

enum mdtree_kind mdtree_kind(cmark_node *n)
{
	const char *s;

	if (!cmark_node_get_syntax_extension(n))
		return MDTREE_OTHER;
	s = cmark_node_get_type_string(n);
	if (!strcmp(s, "table"))
		return MDTREE_TABLE;
	if (!strcmp(s, "table_row"))
		return MDTREE_TABLE_ROW;
	if (!strcmp(s, "table_header"))
		return MDTREE_TABLE_HEADER_ROW;
	if (!strcmp(s, "table_cell"))
		return MDTREE_TABLE_CELL;
	if (!strcmp(s, "strikethrough"))
		return MDTREE_STRIKE;
	return MDTREE_OTHER;
}

bool mdtree_is_br(const char *literal)
{
	return literal && (!strcasecmp(literal, "<br>") || !strcasecmp(literal, "<br/>") ||
	                   !strcasecmp(literal, "<br />"));
}

void mdtree_fence_language(struct strbuf *sb, cmark_node *code)
{
	const char *info = cmark_node_get_fence_info(code);
	size_t n;

	if (!info)
		return;
	while (*info == ' ' || *info == '\t')
		info++;
	n = strcspn(info, " \t{");
	strbuf_add(sb, info, n);
}

void mdtree_plain(struct strbuf *sb, cmark_node *n)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *cur = cmark_iter_get_node(it);
		const char *lit;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(cur)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_CODE_BLOCK:
		case CMARK_NODE_HTML_BLOCK:
			lit = cmark_node_get_literal(cur);
			strbuf_addstr(sb, lit ? lit : "");
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			strbuf_addch(sb, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}
