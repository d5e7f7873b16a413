/*
 * Plain text out of cmark's inline nodes: what a heading, a list item or a
 * table cell says once emphasis, code marks and link syntax are gone, its
 * white space collapsed as a reader sees it. The spans of links are kept
 * with their destinations, so that the item reader can tell a trailing
 * "([PR](url))" from the action's words; bare URLs are found here too, as
 * GFM's autolink extension would find them, but only in the text that needs
 * it (running the extension over every paragraph of a file costs a sixth of
 * the parse).
 */
#include "util/compat.h"

#include "postmortems/plain.h"

#include <stdlib.h>
#include <string.h>

#include "postmortems/text.h"
#include "util/xalloc.h"

void plain_init(struct plain *p)
{
	memset(p, 0, sizeof(*p));
	strbuf_init(&p->sb, 0);
}

/* Empties p for the next text, keeping its memory. */
void plain_reset(struct plain *p)
{
	size_t i;

	strbuf_setlen(&p->sb, 0);
	p->space = false;
	p->links_nr = 0;
	for (i = 0; i < p->urls_nr; i++)
		free(p->urls[i]);
	p->urls_nr = 0;
}

void plain_release(struct plain *p)
{
	size_t i;

	strbuf_release(&p->sb);
	free(p->links);
	for (i = 0; i < p->urls_nr; i++)
		free(p->urls[i]);
	free(p->urls);
}

/*
 * Finds bare http(s) URLs in the text and records them as links, as GFM's
 * autolink extension would: the URL runs to the next space, without its
 * trailing punctuation or an unbalanced ')'. pmsync does this itself, only
 * for list items of the action section, because the extension run over
 * every paragraph costs a sixth of the parse. One pass: the links cmark
 * found are in text order, so a cursor skips them, and the new links are
 * merged in at the end.
 */
void plain_autolink(struct plain *p)
{
	const char *t = p->sb.buf, *h;
	size_t len = p->sb.len, i = 0, cur = 0, old_nr = p->links_nr, a, b, k;
	struct plain_link *found = NULL, *merged;
	size_t found_nr = 0, found_alloc = 0;

	while (i < len && (h = strstr(t + i, "http"))) {
		size_t e, open = 0, close = 0, j;
		k = (size_t)(h - t);
		if (strncmp(h, "https://", 8) && strncmp(h, "http://", 7)) {
			i = k + 4;
			continue;
		}
		while (cur < old_nr && p->links[cur].end <= k)
			cur++;
		if (cur < old_nr && p->links[cur].start <= k) {
			i = p->links[cur].end > k ? p->links[cur].end : k + 4;
			continue;
		}
		if (k > 0 &&
		    ((t[k - 1] >= 'a' && t[k - 1] <= 'z') || (t[k - 1] >= 'A' && t[k - 1] <= 'Z') ||
		     (t[k - 1] >= '0' && t[k - 1] <= '9'))) {
			i = k + 4;
			continue;
		}
		for (e = k; e < len && t[e] != ' ' && t[e] != '<'; e++)
			;
		for (j = k; j < e; j++) {
			open += t[j] == '(';
			close += t[j] == ')';
		}
		while (e > k) {
			if (strchr("?!.,:;*_~'\"", t[e - 1])) {
				e--;
			} else if (t[e - 1] == ')' && close > open) {
				close--;
				e--;
			} else {
				break;
			}
		}
		i = e > k + 8 ? e : k + 4;
		if (e <= k + 8)
			continue;
		ALLOC_GROW(p->urls, p->urls_nr + 1, p->urls_alloc);
		p->urls[p->urls_nr] = xstrndup(t + k, e - k);
		ALLOC_GROW(found, found_nr + 1, found_alloc);
		found[found_nr].start = k;
		found[found_nr].end = e;
		found[found_nr++].url = p->urls[p->urls_nr++];
	}
	if (!found_nr)
		return;
	merged = xmalloc(xmul_size(old_nr + found_nr, sizeof(*merged)));
	for (a = b = k = 0; a < old_nr || b < found_nr; k++) {
		if (b >= found_nr || (a < old_nr && p->links[a].start <= found[b].start))
			merged[k] = p->links[a++];
		else
			merged[k] = found[b++];
	}
	free(p->links);
	p->links = merged;
	p->links_nr = p->links_alloc = old_nr + found_nr;
	free(found);
}

void plain_inlines(struct plain *p, cmark_node *parent, int depth)
{
	cmark_node *n;

	for (n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
		const char *lit;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			lit = cmark_node_get_literal(n);
			if (lit)
				text_add_collapsed(&p->sb, &p->space, lit, strlen(lit));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			p->space = true;
			break;
		case CMARK_NODE_HTML_INLINE:
			lit = cmark_node_get_literal(n);
			if (lit && (!strncmp(lit, "<br", 3) || !strncmp(lit, "<BR", 3)))
				p->space = true;
			break;
		case CMARK_NODE_IMAGE:
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			break;
		case CMARK_NODE_LINK: {
			size_t start = p->sb.len;
			struct plain_link *l;
			if (depth < 16)
				plain_inlines(p, n, depth + 1);
			if (start < p->sb.len && p->sb.buf[start] == ' ')
				start++;
			ALLOC_GROW(p->links, p->links_nr + 1, p->links_alloc);
			l = &p->links[p->links_nr++];
			l->start = start;
			l->end = p->sb.len;
			l->url = cmark_node_get_url(n);
			break;
		}
		default:
			if (depth < 16)
				plain_inlines(p, n, depth + 1);
			break;
		}
	}
}

/* Appends the plain text of inline content to out; *url gets the first link. */
void plain_cell_text(struct strbuf *out, bool *space, cmark_node *parent, const char **url,
                     int depth)
{
	cmark_node *n;

	for (n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
		cmark_node_type type = cmark_node_get_type(n);
		const char *lit;
		if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
			lit = cmark_node_get_literal(n);
			if (lit)
				text_add_collapsed(out, space, lit, strlen(lit));
		} else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
			*space = true;
		} else if (type == CMARK_NODE_HTML_INLINE) {
			lit = cmark_node_get_literal(n);
			if (lit && (!strncmp(lit, "<br", 3) || !strncmp(lit, "<BR", 3)))
				*space = true;
		} else if (type != CMARK_NODE_IMAGE && type != CMARK_NODE_FOOTNOTE_REFERENCE &&
		           depth < 16) {
			if (type == CMARK_NODE_LINK && !*url) {
				const char *u = cmark_node_get_url(n);
				if (u && u[0] && u[0] != '#')
					*url = u;
			}
			plain_cell_text(out, space, n, url, depth + 1);
		}
	}
}
