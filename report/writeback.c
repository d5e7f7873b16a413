/*
 * Writing closure state back into a postmortem's text, byte-exact: the
 * reader gives each item its line; here the source line of a table row is
 * split on its unescaped pipes (GFM splits cells there, code spans
 * included), the table's header and delimiter rows are found above it, and
 * only the cells that change are rewritten, everything else copied. A
 * column the table lacks is appended to every row (short rows padded first,
 * as GFM pads them); a table with a row longer than its header gets no new
 * column, since the new cell would land on a kept extra cell. Task lists get
 * their box ticked for done items. Anything else (HTML tables, plain lists,
 * block quotes) is counted as skipped, never guessed at.
 */
#include "util/compat.h"

#include "report/writeback.h"

#include "postmortems/fields.h"
#include "postmortems/parse.h"
#include "util/md.h"
#include "util/xalloc.h"

/* What was written for an item, so that reading back can check it took. */
enum { WROTE_TICKET = 1, WROTE_STATUS = 2 };

struct line {
	size_t start, end;   /* content, without the line ending */
	struct strbuf *edit; /* the new content, or NULL */
};

struct cell {
	size_t s, e; /* between the pipes, offsets into the text */
};

struct cells {
	struct cell v[64];
	size_t nr;
	bool leading_pipe, trailing_pipe;
	size_t append_at; /* where a new cell goes: after the trailing pipe or the content */
};

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/*
 * Splits the table row text[s, e) into cells (offsets into text); false
 * when it is not one (no pipe, a block quote, too many cells).
 */
static bool split_range(struct cells *c, const char *text, size_t s, size_t e)
{
	size_t start;
	bool pipe = false;

	memset(c, 0, sizeof(*c));
	while (s < e && (text[s] == ' ' || text[s] == '\t'))
		s++;
	while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t'))
		e--;
	if (s < e && text[s] == '>')
		return false; /* a block quote: left alone */
	if (s < e && text[s] == '|') {
		s++;
		pipe = true;
		c->leading_pipe = true;
	}
	c->append_at = e;
	if (e > s && text[e - 1] == '|' && (e - 1 == s || text[e - 2] != '\\')) {
		c->trailing_pipe = true;
		e--;
		pipe = true;
	}
	for (start = s; s <= e; s++) {
		if (s < e && text[s] == '\\') {
			s++;
			continue;
		}
		if (s < e && text[s] != '|')
			continue;
		if (s < e)
			pipe = true;
		if (c->nr == sizeof(c->v) / sizeof(c->v[0]))
			return false;
		c->v[c->nr].s = start;
		c->v[c->nr].e = s;
		c->nr++;
		start = s + 1;
	}
	return pipe;
}

static bool split_row(struct cells *c, const char *text, const struct line *l)
{
	return split_range(c, text, l->start, l->end);
}

static bool is_delimiter_row(const char *text, const struct line *l)
{
	struct cells c;

	if (!split_row(&c, text, l))
		return false;
	for (size_t i = 0; i < c.nr; i++) {
		size_t s = c.v[i].s, e = c.v[i].e, dashes = 0;

		while (s < e && (text[s] == ' ' || text[s] == '\t'))
			s++;
		while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t'))
			e--;
		if (s < e && text[s] == ':')
			s++;
		if (e > s && text[e - 1] == ':')
			e--;
		for (; s < e && text[s] == '-'; s++)
			dashes++;
		if (!dashes || s != e)
			return false;
	}
	return c.nr > 0;
}

static struct strbuf *edit_of(struct line *l, const char *text)
{
	if (!l->edit) {
		l->edit = xcalloc(1, sizeof(*l->edit));
		strbuf_init(l->edit, 0);
		strbuf_add(l->edit, text + l->start, l->end - l->start);
	}
	return l->edit;
}

/* One table: header line h, rows h+2 .. last; which columns to write and add. */
struct table {
	size_t h, last;
	long ticket_col, status_col; /* -1: none yet */
	size_t ncols;
	bool add_ticket, add_status, can_add;
};

static void find_columns(struct table *t, const char *text, const struct line *lines)
{
	struct cells c;

	t->ticket_col = t->status_col = -1;
	split_row(&c, text, &lines[t->h]);
	t->ncols = c.nr;
	for (size_t i = 0; i < c.nr; i++) {
		const char *s = text + c.v[i].s;
		size_t n = c.v[i].e - c.v[i].s;
		enum fields_column k = fields_column(s, n);

		if (k == FIELDS_COL_TICKET && t->ticket_col < 0)
			t->ticket_col = (long)i;
		if (k == FIELDS_COL_STATUS && t->status_col < 0)
			t->status_col = (long)i;
	}
	t->can_add = true;
	for (size_t r = t->h + 1; r <= t->last; r++)
		if (split_row(&c, text, &lines[r]) && c.nr > t->ncols)
			t->can_add = false;
}

/*
 * Sets cell col of row l to value: replaces the cell's trimmed text (the
 * whole cell when empty); a cell beyond the row's end is appended, after
 * empty cells up to it. Offsets come from the line as edited so far, so
 * that several cells of one row can change.
 */
static void set_cell(struct line *l, const char *text, size_t col, const char *value)
{
	struct strbuf *sb = edit_of(l, text), nb = STRBUF_INIT;
	struct cells c;
	size_t s, e;

	/* the cells of the line as edited so far */
	split_range(&c, sb->buf, 0, sb->len);
	if (col < c.nr) {
		s = c.v[col].s;
		e = c.v[col].e;
		while (s < e && (sb->buf[s] == ' ' || sb->buf[s] == '\t'))
			s++;
		while (e > s && (sb->buf[e - 1] == ' ' || sb->buf[e - 1] == '\t'))
			e--;
		if (s == e) {
			s = c.v[col].s;
			e = c.v[col].e;
		}
		strbuf_add(&nb, sb->buf, s);
		/* a space beside a pipe, none at the ends of a row without outer pipes */
		if (s == c.v[col].s && (col > 0 || c.leading_pipe))
			strbuf_addch(&nb, ' ');
		strbuf_addstr(&nb, value);
		if (e == c.v[col].e && (col + 1 < c.nr || c.trailing_pipe))
			strbuf_addch(&nb, ' ');
		strbuf_add(&nb, sb->buf + e, sb->len - e);
	} else {
		strbuf_add(&nb, sb->buf, c.append_at);
		for (size_t i = c.nr; i < col; i++)
			strbuf_addstr(&nb, c.trailing_pipe ? "  |" : " | ");
		if (c.trailing_pipe)
			strbuf_addf(&nb, " %s |", value);
		else
			strbuf_addf(&nb, " | %s", value);
		strbuf_add(&nb, sb->buf + c.append_at, sb->len - c.append_at);
	}
	strbuf_release(sb);
	*sb = nb;
}

/* The status word that ends cell col of row l ("DONE" in "Bug #5 DONE"), appended to sb. */
static void add_glued_status(struct strbuf *sb, const struct line *l, const char *text, size_t col)
{
	struct cells c;
	size_t rest, off, wlen;

	if (!split_row(&c, text, l) || col >= c.nr)
		return;
	if (fields_split_status(text + c.v[col].s, c.v[col].e - c.v[col].s, &rest, &off, &wlen)) {
		strbuf_addch(sb, ' ');
		strbuf_add(sb, text + c.v[col].s + off, wlen);
	}
}

static bool ticket_wanted(const struct action_item *it, const struct writeback_item *w)
{
	return w->ticket_ref && !(it->ticket_key && !strcasecmp(it->ticket_key, w->ticket_ref));
}

static bool status_wanted(const struct action_item *it, const struct writeback_item *w)
{
	return w->has_status && w->status != it->status;
}

static void ticket_value(struct strbuf *sb, const struct writeback_item *w)
{
	md_link(sb, w->ticket_ref, w->ticket_url);
}

/* Items of pm whose row is line r (0-based), or -1. */
static long item_at(const struct postmortem *pm, size_t r)
{
	for (size_t i = 0; i < pm->items_nr; i++)
		if (pm->items[i].line == (int)r + 1)
			return (long)i;
	return -1;
}

static size_t write_table(struct table *t, const char *text, struct line *lines,
                          const struct postmortem *pm, const struct writeback_item *items,
                          unsigned char *wrote, size_t *skipped)
{
	struct strbuf v = STRBUF_INIT;
	size_t changes = 0;

	find_columns(t, text, lines);
	for (size_t r = t->h + 2; r <= t->last; r++) {
		long i = item_at(pm, r);

		if (i < 0)
			continue;
		if (ticket_wanted(&pm->items[i], &items[i]) && t->ticket_col < 0)
			t->add_ticket = true;
		if (status_wanted(&pm->items[i], &items[i]) && t->status_col < 0)
			t->add_status = true;
	}
	if ((t->add_ticket || t->add_status) && !t->can_add) {
		t->add_ticket = t->add_status = false;
		(*skipped)++;
	}
	if (t->add_ticket) {
		t->ticket_col = (long)t->ncols++;
		set_cell(&lines[t->h], text, (size_t)t->ticket_col, "Ticket");
		set_cell(&lines[t->h + 1], text, (size_t)t->ticket_col, "---");
	}
	if (t->add_status) {
		t->status_col = (long)t->ncols++;
		set_cell(&lines[t->h], text, (size_t)t->status_col, "Status");
		set_cell(&lines[t->h + 1], text, (size_t)t->status_col, "---");
	}
	for (size_t r = t->h + 2; r <= t->last; r++) {
		long i = item_at(pm, r);
		const struct action_item *it = i >= 0 ? &pm->items[i] : NULL;
		bool tw = it && ticket_wanted(it, &items[i]),
		     sw = it && status_wanted(it, &items[i]);

		if (tw && it->ticket_kind != PM_TICKET_NONE) {
			(*skipped)++; /* the row names another ticket: not ours to overwrite */
			tw = false;
		}
		if (tw && t->ticket_col >= 0) {
			strbuf_reset(&v);
			ticket_value(&v, &items[i]);
			/* a status said in the ticket cell stays said */
			add_glued_status(&v, &lines[r], text, (size_t)t->ticket_col);
			set_cell(&lines[r], text, (size_t)t->ticket_col, v.buf);
			wrote[i] |= WROTE_TICKET;
			changes++;
		}
		if (sw && t->status_col >= 0) {
			set_cell(&lines[r], text, (size_t)t->status_col,
			         action_item_status_name(items[i].status));
			wrote[i] |= WROTE_STATUS;
			changes++;
		}
		/* rows without a value still get the new columns, empty */
		if (t->add_ticket && !tw)
			set_cell(&lines[r], text, (size_t)t->ticket_col, "");
		if (t->add_status && !sw)
			set_cell(&lines[r], text, (size_t)t->status_col, "");
	}
	strbuf_release(&v);
	return changes + (t->add_ticket ? 1 : 0) + (t->add_status ? 1 : 0);
}

/* Offset just past a list item's marker ("- ", "1. ") on line l, or 0 when l starts none. */
static size_t list_marker_end(const struct line *l, const char *text)
{
	size_t s = l->start, indent = 0;

	while (s < l->end && text[s] == ' ' && indent < 12) {
		s++;
		indent++;
	}
	if (s < l->end && strchr("-*+", text[s])) {
		s++;
	} else {
		size_t digits = 0;

		while (s < l->end && text[s] >= '0' && text[s] <= '9' && digits < 9) {
			s++;
			digits++;
		}
		if (!digits || s >= l->end || (text[s] != '.' && text[s] != ')'))
			return 0;
		s++;
	}
	if (s < l->end && text[s] != ' ' && text[s] != '\t')
		return 0;
	return s;
}

/* Ticks "- [ ]" on line l; false when the line holds no open task box. */
static bool tick_box(struct line *l, const char *text)
{
	size_t s = list_marker_end(l, text);

	if (!s)
		return false;
	while (s < l->end && (text[s] == ' ' || text[s] == '\t'))
		s++;
	if (s + 3 > l->end || memcmp(text + s, "[ ]", 3))
		return false;
	edit_of(l, text)->buf[s + 1 - l->start] = 'x';
	return true;
}

/*
 * Appends the ticket (w, or NULL) and a status mark ("(done)", or NULL) to a
 * list item that is one line (the next line is blank, another item or the
 * end), where the reader takes a trailing link or key for the ticket and a
 * trailing mark for the status; false otherwise.
 */
static bool append_list(struct line *lines, size_t nlines, size_t r, const char *text,
                        const struct writeback_item *w, const char *status)
{
	struct line *l = &lines[r];
	struct strbuf *sb, nb = STRBUF_INIT;
	size_t e;

	if (!list_marker_end(l, text))
		return false;
	if (r + 1 < nlines &&
	    !is_blank(text + lines[r + 1].start, lines[r + 1].end - lines[r + 1].start) &&
	    !list_marker_end(&lines[r + 1], text))
		return false;
	sb = edit_of(l, text);
	for (e = sb->len; e > 0 && (sb->buf[e - 1] == ' ' || sb->buf[e - 1] == '\t'); e--)
		;
	strbuf_add(&nb, sb->buf, e);
	if (w && md_url_ok(w->ticket_url)) {
		strbuf_addch(&nb, ' ');
		md_link(&nb, w->ticket_ref, w->ticket_url);
	} else if (w) {
		strbuf_addf(&nb, " (%s)", w->ticket_ref);
	}
	if (status)
		strbuf_addf(&nb, " (%s)", status);
	strbuf_add(&nb, sb->buf + e, sb->len - e);
	strbuf_release(sb);
	*sb = nb;
	return true;
}

static struct line *split_lines(const char *text, size_t len, size_t *nr)
{
	struct line *v = NULL;
	size_t alloc = 0, n = 0, s = 0;

	while (s < len || (!n && !len)) {
		size_t e = s;

		while (e < len && text[e] != '\n')
			e++;
		ALLOC_GROW(v, n + 1, alloc);
		v[n].start = s;
		v[n].end = e > s && text[e - 1] == '\r' ? e - 1 : e;
		v[n].edit = NULL;
		n++;
		if (e >= len)
			break;
		s = e + 1;
	}
	*nr = n;
	return v;
}

static size_t attempt(struct strbuf *out, const char *text, size_t len, const struct postmortem *pm,
                      const struct writeback_item *items, bool list_text, unsigned char *wrote,
                      size_t *skipped)
{
	size_t nlines, changes = 0, done_upto = 0;
	struct line *lines = split_lines(text, len, &nlines);

	*skipped = 0;
	for (size_t i = 0; i < pm->items_nr; i++) {
		const struct action_item *it = &pm->items[i];
		const struct writeback_item *w = &items[i];
		size_t r = (size_t)(it->line - 1), h;
		struct table t = {0};
		struct cells c;

		if (!ticket_wanted(it, w) && !status_wanted(it, w))
			continue;
		if (it->line < 1 || r >= nlines || r < done_upto) {
			if (r < done_upto)
				continue; /* its table is written already */
			(*skipped)++;
			continue;
		}
		if (!split_row(&c, text, &lines[r])) {
			bool tw = ticket_wanted(it, w), sw = status_wanted(it, w);

			if (sw && w->status == PM_ITEM_DONE && tick_box(&lines[r], text)) {
				wrote[i] |= WROTE_STATUS;
				changes++;
				sw = false;
			}
			if (tw && it->ticket_kind != PM_TICKET_NONE) {
				(*skipped)++; /* it names another ticket */
				tw = false;
			}
			if (!tw && !sw)
				continue;
			if (list_text &&
			    append_list(lines, nlines, r, text, tw ? w : NULL,
			                sw ? action_item_status_name(w->status) : NULL)) {
				wrote[i] |= (tw ? WROTE_TICKET : 0) | (sw ? WROTE_STATUS : 0);
				changes++;
			} else {
				*skipped += (size_t)tw + (size_t)sw;
			}
			continue;
		}
		for (h = r; h >= 2 && !is_delimiter_row(text, &lines[h - 1]); h--)
			if (is_blank(text + lines[h - 1].start,
			             lines[h - 1].end - lines[h - 1].start))
				break;
		if (h < 2 || !is_delimiter_row(text, &lines[h - 1])) {
			(*skipped)++;
			continue;
		}
		t.h = h - 2;
		for (t.last = r; t.last + 1 < nlines; t.last++) {
			const struct line *n = &lines[t.last + 1];
			if (is_blank(text + n->start, n->end - n->start) || !split_row(&c, text, n))
				break;
		}
		changes += write_table(&t, text, lines, pm, items, wrote, skipped);
		done_upto = t.last + 1;
	}
	for (size_t k = 0; k < nlines; k++) {
		size_t next = k + 1 < nlines ? lines[k + 1].start : len;

		if (lines[k].edit) {
			strbuf_addbuf(out, lines[k].edit);
			strbuf_add(out, text + lines[k].end, next - lines[k].end);
			strbuf_release(lines[k].edit);
			free(lines[k].edit);
		} else {
			strbuf_add(out, text + lines[k].start, next - lines[k].start);
		}
	}
	free(lines);
	return changes;
}

/*
 * True when text, read again, gives pm's items with the same texts, the
 * tickets and statuses written as wanted and the others as before: the
 * write-back changed what it meant to and nothing else.
 */
static bool reads_back(const struct strbuf *text, const struct postmortem *pm,
                       const struct writeback_item *items, const unsigned char *wrote,
                       const struct parse_options *popts)
{
	struct postmortem back;
	struct diags diags = DIAGS_INIT;
	bool ok;

	postmortem_init(&back);
	back.path = xstrdup(pm->path ? pm->path : "");
	parse_postmortem(&back, text->buf, text->len, popts, &diags);
	ok = back.items_nr == pm->items_nr && !back.unreadable;
	for (size_t i = 0; ok && i < pm->items_nr; i++) {
		const struct action_item *a = &pm->items[i], *b = &back.items[i];
		const struct writeback_item *w = &items[i];

		const char *want_key = wrote[i] & WROTE_TICKET ? w->ticket_ref : a->ticket_key;

		ok = !strcmp(a->text ? a->text : "", b->text ? b->text : "") &&
		     b->status == (wrote[i] & WROTE_STATUS ? w->status : a->status) &&
		     (want_key ? b->ticket_key && !strcasecmp(b->ticket_key, want_key)
		               : !b->ticket_key);
	}
	postmortem_release(&back);
	diags_release(&diags);
	return ok;
}

size_t writeback_apply(struct strbuf *out, const char *text, size_t len,
                       const struct postmortem *pm, const struct writeback_item *items,
                       const struct parse_options *popts, size_t *skipped)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned char *wrote = xcalloc(pm->items_nr + 1, 1);
	size_t changes;

	/* with tickets and marks appended to list items, then without, then nothing */
	for (int pass = 0; pass < 2; pass++) {
		strbuf_reset(&sb);
		memset(wrote, 0, pm->items_nr + 1);
		changes = attempt(&sb, text, len, pm, items, pass == 0, wrote, skipped);
		if (!changes || reads_back(&sb, pm, items, wrote, popts)) {
			strbuf_addbuf(out, &sb);
			strbuf_release(&sb);
			free(wrote);
			return changes;
		}
	}
	strbuf_release(&sb);
	free(wrote);
	*skipped = 0;
	for (size_t i = 0; i < pm->items_nr; i++)
		*skipped += ticket_wanted(&pm->items[i], &items[i]) ||
		            status_wanted(&pm->items[i], &items[i]);
	strbuf_add(out, text, len);
	return 0;
}
