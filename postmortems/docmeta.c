/*
 * What a postmortem says about itself: its title (front matter, else the
 * first level-one heading, "# Title:" alone taking the next heading), its
 * date (front matter, else the file name's YYYY-MM-DD, else a "Date:" line
 * near the top in any of its spellings, outside code fences) and its
 * detection chain in minutes (front matter, else a
 * "detection_chain_minutes: N" line in a "Detection chain" section).
 */
#include "util/compat.h"

#include "postmortems/docmeta.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "postmortems/dates.h"
#include "postmortems/label.h"
#include "postmortems/text.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* How far below the front matter a "Date:" line is looked for. */
#define DATE_FIELD_LINES 80

/* Looks for "detection_chain_minutes: N" in file lines [from, to) while it is unknown. */
static void scan_chain(struct reader *r, int from, int to)
{
	int l;

	for (l = from; l < to && r->pm->detection_chain_minutes < 0; l++) {
		const char *s, *p;
		size_t len;
		char *end, tmp[32];
		long v;
		size_t n;
		if (!reader_line(r, l, &s, &len) || len < 24)
			continue;
		p = s;
		while (p < s + len && !(p[0] == 'd' && s + len - p >= 23 &&
		                        !memcmp(p, "detection_chain_minutes", 23)))
			p++;
		if (p >= s + len)
			continue;
		p += 23;
		while (p < s + len && (*p == '*' || *p == '_' || *p == '`' || *p == ' '))
			p++;
		if (p >= s + len || (*p != ':' && *p != '='))
			continue;
		p++;
		while (p < s + len && (*p == ' ' || *p == '*' || *p == '`'))
			p++;
		n = (size_t)(s + len - p) < sizeof(tmp) - 1 ? (size_t)(s + len - p)
		                                            : sizeof(tmp) - 1;
		memcpy(tmp, p, n);
		tmp[n] = '\0';
		errno = 0;
		v = strtol(tmp, &end, 10);
		if (end != tmp && !errno && v >= 0)
			r->pm->detection_chain_minutes = v;
	}
}

/* True when s holds the word "date" in any case: the cheap test before reading a Date field. */
static bool has_date_word(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i + 4 <= len; i++)
		if ((s[i] | 0x20) == 'd' && (s[i + 1] | 0x20) == 'a' && (s[i + 2] | 0x20) == 't' &&
		    (s[i + 3] | 0x20) == 'e' &&
		    (i == 0 || !((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z')))
			return true;
	return false;
}

/* Reads "Date: X" (or "Date" then X on the next line) from one raw line near the top. */
static bool date_line(struct reader *r, const char *s, size_t len, const char *next,
                      size_t next_len)
{
	struct strbuf plain = STRBUF_INIT, label = STRBUF_INIT;
	const char *v, *colon;
	char date[11];
	bool found = false;
	size_t vlen;

	if (!has_date_word(s, len))
		return false; /* most lines: no work beyond this scan */
	text_trim(&s, &len);
	while (len && (*s == '#' || *s == '>' || *s == '-' || *s == '*' || *s == '+') &&
	       !(len > 1 && s[0] == '*' && s[1] == '*')) {
		s++;
		len--;
		text_trim(&s, &len);
	}
	if (len && *s == '|') {
		/* | Date | 2022-04-20 | */
		const char *bar = memchr(s + 1, '|', len - 1);
		if (bar) {
			text_md_to_plain(&plain, s + 1, (size_t)(bar - s - 1));
			strbuf_addch(&plain, ':');
			text_md_to_plain(&plain, bar + 1, len - (size_t)(bar - s) - 1);
		}
	} else {
		text_md_to_plain(&plain, s, len);
	}
	colon = memchr(plain.buf, ':', plain.len);
	label_normalize(&label, plain.buf, colon ? (size_t)(colon - plain.buf) : plain.len);
	if (strcmp(label.buf, "date") && strncmp(label.buf, "date of", 7) &&
	    strcmp(label.buf, "incident date"))
		goto done;
	v = colon ? colon + 1 : plain.buf + plain.len;
	vlen = plain.len - (size_t)(v - plain.buf);
	while (vlen && (*v == ' ' || *v == '|')) {
		v++;
		vlen--;
	}
	if (vlen) {
		found = dates_prefix(date, v, vlen) > 0;
	} else if (next) {
		strbuf_reset(&plain);
		text_md_to_plain(&plain, next, next_len);
		found = dates_read(date, plain.buf, plain.len);
	}
	if (found) {
		r->pm->date = xstrdup(date);
		r->pm->date_source = xstrdup("Date field");
	}
done:
	strbuf_release(&plain);
	strbuf_release(&label);
	return found;
}

void docmeta_date(struct reader *r, int body_line)
{
	const char *base = r->pm->path ? strrchr(r->pm->path, '/') : NULL;
	const char *fm = postmortem_meta(r->pm, "date");
	char date[11];
	int l, last = body_line + DATE_FIELD_LINES;
	bool fence = false;

	if (fm && dates_prefix(date, fm, strlen(fm))) {
		r->pm->date = xstrdup(date);
		r->pm->date_source = xstrdup("front matter");
		return;
	}
	base = base ? base + 1 : r->pm->path;
	if (base && strlen(base) >= 10 && dates_prefix(date, base, 10) == 10 && base[4] == '-' &&
	    base[7] == '-') {
		r->pm->date = xstrdup(date);
		r->pm->date_source = xstrdup("file name");
		return;
	}
	for (l = body_line; l < last; l++) {
		const char *s, *next = NULL;
		size_t len, next_len = 0;
		int k;
		if (!reader_line(r, l, &s, &len))
			break;
		text_trim(&s, &len);
		if (ascii_starts_ci(s, len, "```") || ascii_starts_ci(s, len, "~~~"))
			fence = !fence;
		if (fence || len < 4)
			continue;
		for (k = l + 1; k < l + 3 && reader_line(r, k, &next, &next_len); k++) {
			text_trim(&next, &next_len);
			if (next_len)
				break;
		}
		if (!next_len)
			next = NULL;
		if (date_line(r, s, len, next, next_len))
			return;
	}
	diags_add(r->diags, DIAG_WARNING, r->pm->path, 0, 0, "no-date",
	          "no date: add 'date:' to the front matter or start the file name with "
	          "YYYY-MM-DD");
}

/* Title from the first H1; "# Title:" alone takes the next heading. */
void docmeta_title(struct reader *r, const struct section_map *m)
{
	struct postmortem *pm = r->pm;
	const char *fm = postmortem_meta(pm, "title");
	size_t i;

	if (fm && *fm) {
		size_t k;
		pm->title = xstrdup(fm);
		for (k = 0; k < pm->meta_nr; k++)
			if (!strcmp(pm->meta[k].name, "title"))
				pm->title_line = pm->meta[k].line;
		return;
	}
	for (i = 0; i < m->nr; i++) {
		const char *t = pm->headings[i];
		if (m->v[i].level != 1)
			continue;
		if (ascii_starts_ci(t, strlen(t), "title:")) {
			t += 6;
			while (*t == ' ')
				t++;
			if (!*t && i + 1 < m->nr) {
				i++;
				t = pm->headings[i];
			}
		}
		pm->title = xstrdup(t);
		pm->title_line = pm->heading_lines[i];
		return;
	}
}

void docmeta_chain_from_sections(struct reader *r, const struct section_map *m)
{
	size_t i;

	for (i = 0; i < m->nr && r->pm->detection_chain_minutes < 0; i++) {
		const struct section_heading *h = &m->v[i];
		cmark_node *end;

		if (!h->chain && !h->action)
			continue;
		end = section_end(cmark_node_next(h->node), h->level);
		if (h->chain)
			scan_chain(r, h->line,
			           end ? reader_node_line(r, end) : (int)r->lines_nr + 1);
		/* the sub-headings of an action section are its groups, as section_read() reads them */
		while (h->action && i + 1 < m->nr && m->v[i + 1].node != end)
			i++;
	}
}

void docmeta_chain_from_meta(struct postmortem *pm)
{
	const char *dcm = postmortem_meta(pm, "detection_chain_minutes");
	char *end;
	long v;

	if (!dcm)
		return;
	errno = 0;
	v = strtol(dcm, &end, 10);
	if (end != dcm && !errno && v >= 0)
		pm->detection_chain_minutes = v;
}
