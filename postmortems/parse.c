/*
 * The postmortem reader. One cmark-gfm parse per file gives the structure
 * (headings of any style, lists, task items, tables, code blocks); where
 * cmark drops information the reader goes back to the source lines
 * (reader.c). This file checks the input (size, NUL bytes, UTF-8), reads
 * the front matter, parses the body and hands the document to the parts:
 * section.c finds the action section and reads its tables (table.c) or
 * lists (listitem.c, item.c), fallback.c looks for the other shapes when
 * no heading matched, docmeta.c reads the title, date and detection chain.
 *
 * Speed matters (a repository holds thousands of postmortems): the file is
 * parsed once, in an arena (mdarena.c), and cmark-gfm's autolink extension
 * is left out: run over every paragraph it costs a sixth of the parse,
 * while only the list items of the action section need bare URLs found,
 * which plain_autolink() does for them.
 */
#include "util/compat.h"

#include "postmortems/parse.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <stdint.h>
#include <string.h>

#include "postmortems/docmeta.h"
#include "postmortems/fallback.h"
#include "postmortems/frontmatter.h"
#include "postmortems/mdarena.h"
#include "postmortems/reader.h"
#include "postmortems/section.h"

#define DEFAULT_MAX_SIZE (16u * 1024 * 1024)
/*
 * Far above any postmortem written by hand (the largest seen hold a few
 * dozen items); a generated file of tens of thousands of rows would
 * otherwise cost the key matching of every later step.
 */
#define DEFAULT_MAX_ITEMS 5000

/* --- input checks --- */

/* Offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		unsigned char lo = 0x80, hi = 0xbf;
		if (c < 0x80) {
			/* ASCII, eight bytes at a time */
			uint64_t w;
			while (i + 8 <= len) {
				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080ull)
					break;
				i += 8;
			}
			while (i < len && s[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (k = 2; k <= n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return i;
		i += n + 1;
	}
	return len;
}

static bool check_input(struct postmortem *pm, struct diags *diags,
                        const struct parse_options *opts, const char *buf, size_t len)
{
	size_t max = opts && opts->max_size ? opts->max_size : DEFAULT_MAX_SIZE;
	size_t bad;

	if (len > max) {
		diags_add(diags, DIAG_ERROR, pm->path, 0, 0, "too-large",
		          "file is too large (%zu bytes, the limit is %zu): not read", len, max);
		return false;
	}
	if (memchr(buf, '\0', len)) {
		diags_add(diags, DIAG_ERROR, pm->path, 0, 0, "binary",
		          "file contains NUL bytes: not a Markdown text");
		return false;
	}
	bad = utf8_invalid_at((const unsigned char *)buf, len);
	if (bad < len) {
		const char *nl = buf + bad;
		int line = 1;
		const char *p = buf;
		while ((p = memchr(p, '\n', (size_t)(nl - p)))) {
			line++;
			p++;
		}
		for (p = nl; p > buf && p[-1] != '\n'; p--)
			;
		diags_add(diags, DIAG_ERROR, pm->path, line, (int)(nl - p) + 1, "not-utf8",
		          "file is not valid UTF-8 (byte 0x%02x at offset %zu)",
		          (unsigned char)buf[bad], bad);
		return false;
	}
	return true;
}

/* Over the item cap: one diagnostic, and the items are unknown, as for a file not UTF-8. */
static void check_item_count(struct postmortem *pm, struct diags *diags,
                             const struct parse_options *opts)
{
	size_t max = opts && opts->max_items ? opts->max_items : DEFAULT_MAX_ITEMS;

	if (pm->items_nr <= max)
		return;
	diags_add(diags, DIAG_ERROR, pm->path, pm->items[max].line, 1, "too-many-items",
	          "more than %zu action items (%zu): items not read", max, pm->items_nr);
	for (size_t i = 0; i < pm->items_nr; i++)
		action_item_release(&pm->items[i]);
	pm->items_nr = 0;
	pm->unreadable = true;
}

/*
 * True when buf may hold a task-list box: "[ ]", "[x]" or "[X]" (a space
 * may be any white space). Without one the tasklist extension finds nothing.
 */
static bool may_have_task(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while ((p = memchr(p, '[', (size_t)(end - p))) && end - p >= 3) {
		if (p[2] == ']' && p[1] && strchr(" \t\v\f\r\nxX", p[1]))
			return true;
		p++;
	}
	return false;
}

/*
 * The arena ignores frees, and cmark frees as it goes through a table row,
 * so its waste grows with the input: some fifty times the size of a large
 * generated table. Inputs above this size (no hand-written postmortem is
 * near it) are parsed with the system allocator.
 */
#define ARENA_MAX_INPUT ((size_t)1 << 20)

static cmark_mem *parse_mem(size_t len)
{
	return len > ARENA_MAX_INPUT ? cmark_get_default_mem_allocator() : mdarena_mem();
}

static cmark_node *parse_markdown(const char *buf, size_t len)
{
	/*
	 * Not "autolink": over every paragraph it costs a sixth of the parse,
	 * and only the list items of the action section need it (plain_autolink).
	 * The tasklist and strikethrough extensions only act on "[ ]" boxes and
	 * on '~': a file without either is parsed without them, the same
	 * document for a little less work.
	 */
	static const char *const names[] = {"table", "tasklist", "strikethrough"};
	bool wanted[] = {true, may_have_task(buf, len), memchr(buf, '~', len) != NULL};
	cmark_parser *parser;
	cmark_node *doc;
	size_t i;

	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS, parse_mem(len));
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		cmark_syntax_extension *ext =
		        wanted[i] ? cmark_find_syntax_extension(names[i]) : NULL;
		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, buf, len);
	doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	return doc;
}

/* Gives every item the index of the heading it sits under (headings are in line order). */
static void place_items(struct postmortem *pm)
{
	size_t i;

	for (i = 0; i < pm->items_nr; i++) {
		size_t lo = 0, hi = pm->headings_nr;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (pm->heading_lines[mid] <= pm->items[i].line)
				lo = mid + 1;
			else
				hi = mid;
		}
		pm->items[i].heading = (int)lo - 1;
	}
}

int parse_postmortem(struct postmortem *pm, const char *buf, size_t len,
                     const struct parse_options *opts, struct diags *diags)
{
	struct reader r;
	struct section_map m;
	struct frontmatter fm = FRONTMATTER_INIT;
	cmark_node *doc = NULL;

	pm->detection_chain_minutes = -1;
	if (!check_input(pm, diags, opts, buf, len)) {
		pm->unreadable = true;
		return 0;
	}
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
		buf += 3;
		len -= 3;
	}
	reader_init(&r, pm, diags, buf, len);
	section_map_init(&m, opts ? opts->headings : NULL);

	frontmatter_parse(&fm, buf, len);
	pm->meta = fm.v; /* ownership moves to pm */
	pm->meta_nr = fm.nr;
	pm->meta_alloc = fm.alloc;
	fm.v = NULL;
	fm.nr = fm.alloc = 0;
	/* the body's first line, counted as cmark counts (a lone CR ends a line) */
	r.line_base = fm.present ? reader_line_of_offset(&r, fm.body_offset) - 1 : 0;
	docmeta_chain_from_meta(pm);

	doc = parse_markdown(buf + fm.body_offset, len - fm.body_offset);
	section_collect(&m, &r, doc);
	docmeta_title(&r, &m);
	docmeta_date(&r, r.line_base + 1);
	section_read(&m, &r);
	docmeta_chain_from_sections(&r, &m);
	if (!pm->section)
		fallback_read(&m, &r, doc);
	check_item_count(pm, diags, opts);
	place_items(pm);

	if (parse_mem(len - fm.body_offset) == mdarena_mem())
		mdarena_free_doc(doc);
	else
		cmark_node_free(doc);
	frontmatter_release(&fm);
	section_map_release(&m);
	reader_release(&r);
	return 0;
}
