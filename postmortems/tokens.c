/*
 * The fields hidden in a list item's text, read off its ends: the start by
 * lead.c (a box, a status mark, "TODO(owner):", "@alice will"); the end by
 * the recognisers of the table below, tried in its order until one applies,
 * then again on what is left: reference links ("(see [PR](...))", a bare
 * tracker URL, several in a row), "(alert)", "(Done)", "(due 2026-05-01)",
 * "(PR #12)", "see PR #12", "[DONE]", "[Jane Doe]", "— WIP", "due: May 1,
 * 2026", "- @bob", "Owner: Jane". Each token is removed with the words that
 * tied it to the action ("see", "tracked in", a dash).
 */
#include "util/compat.h"

#include "postmortems/tokens.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "postmortems/dates.h"
#include "postmortems/fields.h"
#include "postmortems/item.h"
#include "postmortems/lead.h"
#include "postmortems/text.h"
#include "postmortems/ticket.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static bool has_digit(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (ascii_isdigit(s[i]))
			return true;
	return false;
}

static size_t trim_end(const char *t, size_t s, size_t e)
{
	while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t'))
		e--;
	return e;
}

/* Drops separators and connecting words left dangling after a removed token. */
static size_t drop_dangling(const char *t, size_t s, size_t e)
{
	static const char *const words[] = {"see",    "see:", "related to", "tracked in",
	                                    "owner:", "and",  "&",          NULL};
	bool again = true;

	while (again) {
		const char *const *w;
		again = false;
		e = trim_end(t, s, e);
		if (e > s && strchr(",;:(-", t[e - 1])) {
			e--;
			again = true;
			continue;
		}
		if (e - s >= 3 &&
		    ((unsigned char)t[e - 3] == 0xe2 && (unsigned char)t[e - 2] == 0x80 &&
		     ((unsigned char)t[e - 1] == 0x93 || (unsigned char)t[e - 1] == 0x94))) {
			e -= 3;
			again = true;
			continue;
		}
		for (w = words; *w; w++) {
			size_t n = strlen(*w);
			if (e - s >= n && !strncasecmp(t + e - n, *w, n) &&
			    (e - s == n || t[e - n - 1] == ' ' || t[e - n - 1] == '(')) {
				e -= n;
				again = true;
				break;
			}
		}
	}
	return e;
}

/* One recogniser's view of the text; e is where the text ends once its token is removed. */
struct trail {
	struct action_item *item;
	const struct plain *p;
	const char *t;
	size_t s, end, e;
};

enum trail_result {
	TRAIL_NONE,  /* not this token: try the next recogniser */
	TRAIL_TAKEN, /* read and removed: c->e is the new end */
	TRAIL_STOP,  /* this token stays in the text: stop reading */
};

/* The link that ends at k, or NULL. */
static const struct plain_link *link_ending_at(const struct plain *p, size_t k)
{
	size_t i;

	for (i = p->links_nr; i > 0; i--)
		if (p->links[i - 1].end == k)
			return &p->links[i - 1];
	return NULL;
}

/*
 * True when an unclosed '(' before ls opens a group of references that
 * ends with the link at ls: "(see [#12](...), [#13](...))".
 */
static bool in_ref_group(const struct trail *c, size_t ls)
{
	static const char *const joins[] = {"see", "and", "also", "prs", "issues", NULL};
	const char *t = c->t;
	size_t k = ls;

	while (k > c->s) {
		const struct plain_link *l = link_ending_at(c->p, k);
		const char *const *w;
		size_t b;
		if (l && l->start < k) {
			k = l->start;
			continue;
		}
		if (t[k - 1] == '(')
			return true;
		if (strchr(" ,;&", t[k - 1])) {
			k--;
			continue;
		}
		for (b = k; b > c->s && !strchr(" (,", t[b - 1]); b--)
			;
		for (w = joins; *w; w++)
			if (strlen(*w) == k - b && !strncasecmp(t + b, *w, k - b))
				break;
		if (!*w)
			return false;
		k = b;
	}
	return false;
}

/* A link at the end, maybe in parentheses, maybe before a full stop: one of the references. */
static enum trail_result trail_link(struct trail *c)
{
	const char *t = c->t;
	size_t s = c->s, end = c->end, i, k;

	for (i = c->p->links_nr; i > 0; i--) {
		const struct plain_link *l = &c->p->links[i - 1];
		size_t ls = l->start, le = l->end, stop = end;
		bool paren = false;
		enum fields_status st;
		if (t[stop - 1] == '.' && stop - 1 > s)
			stop--;
		if (le + 1 == stop && t[stop - 1] == ')' && ls > s &&
		    (t[ls - 1] == '(' || in_ref_group(c, ls)))
			paren = t[ls - 1] == '(';
		else if (le != stop && le != end)
			continue;
		if (ls < s || !l->url || !l->url[0] || l->url[0] == '#')
			return TRAIL_NONE;
		st = fields_status_word(t + ls, le - ls);
		if (!st && !ticket_is_tracker_url(l->url) &&
		    !ticket_is_ref_text(t + ls, le - ls, l->url))
			return TRAIL_NONE;
		if (st)
			item_set_status(c->item, st, t + ls, le - ls);
		item_add_ticket(c->item, "", 0, l->url, true);
		k = drop_dangling(t, s, paren ? ls - 1 : ls);
		if (k == s)
			return TRAIL_STOP; /* the reference is the whole text: keep it as text */
		c->e = k;
		return TRAIL_TAKEN;
	}
	return TRAIL_NONE;
}

/* One field in parentheses: "alert", "Done", "due 2026-05-01", "@alice", "owner: x", "ENG-12". */
static bool paren_field(struct action_item *item, const char *in, size_t n)
{
	enum fields_status st = fields_status_word(in, n);
	char date[11];
	size_t ref;

	text_trim(&in, &n);
	if (fields_is_lever(in, n, NULL) && !item->lever)
		item->lever = fields_lever(in, n);
	else if (st)
		item_set_status(item, st, in, n);
	else if (ascii_starts_ci(in, n, "due ") && dates_read(date, in + 4, n - 4))
		item_set_due(item, in + 4, n - 4);
	else if (n > 1 && in[0] == '@' && !item->owner)
		item->owner = fields_owner(in, n);
	else if (ascii_starts_ci(in, n, "owner:") && !item->owner)
		item->owner = fields_owner(in + 6, n - 6);
	else if (ticket_is_key(in, n))
		item_add_ticket(item, in, n, NULL, true);
	else if ((ref = ticket_unlinked_ref(in, n)) < n)
		item_add_ticket(item, in + ref, n - ref, NULL, true);
	else
		return false;
	return true;
}

/*
 * Several fields in one pair of parentheses, "(owner: @sam, due 2026-06-01)":
 * read only when every part is one, tried first on a scratch item.
 */
static bool paren_fields(struct action_item *item, const char *in, size_t n)
{
	struct action_item scratch;
	int pass;

	if (!memchr(in, ',', n) && !memchr(in, ';', n))
		return false;
	memset(&scratch, 0, sizeof(scratch));
	for (pass = 0; pass < 2; pass++) {
		size_t i = 0, k;
		while (i <= n) {
			for (k = i; k < n && in[k] != ',' && in[k] != ';'; k++)
				;
			if (!paren_field(pass ? item : &scratch, in + i, k - i) && !pass) {
				action_item_release(&scratch);
				return false;
			}
			i = k + 1;
		}
	}
	action_item_release(&scratch);
	return true;
}

/* (alert), (Done), (due 2026-05-01), (@alice), (Owner: x), (ENG-12), (PR #12), (owner: x, due y) */
static enum trail_result trail_paren(struct trail *c)
{
	const char *t = c->t, *open = NULL, *in;
	size_t s = c->s, end = c->end, k, n, at;

	if (t[end - 1] != ')')
		return TRAIL_NONE;
	for (k = end - 1; k > s && !open; k--) {
		if (t[k - 1] == '(')
			open = t + k - 1;
		else if (t[k - 1] == ')')
			break;
	}
	if (!open)
		return TRAIL_NONE;
	in = open + 1;
	n = (size_t)(t + end - 1 - in);
	at = (size_t)(open - t);
	if (drop_dangling(t, s, at) == s ||
	    !(paren_fields(c->item, in, n) || paren_field(c->item, in, n)))
		return TRAIL_NONE;
	c->e = drop_dangling(t, s, at);
	return TRAIL_TAKEN;
}

/* Start of the word that ends at e (a space before it, or s). */
static size_t word_start(const char *t, size_t s, size_t e)
{
	while (e > s && t[e - 1] != ' ')
		e--;
	return e;
}

static bool word_in(const char *t, size_t b, size_t e, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == e - b && !strncasecmp(t + b, *words, e - b))
			return true;
	return false;
}

/* True when t[..b) ends, blanks aside, with a separator: "-", ",", ";", ":", an en or em dash. */
static bool after_separator(const char *t, size_t s, size_t b)
{
	const unsigned char *u = (const unsigned char *)t;

	while (b > s && t[b - 1] == ' ')
		b--;
	if (b > s && strchr("-,;:", t[b - 1]))
		return true;
	return b >= s + 3 && u[b - 3] == 0xe2 && u[b - 2] == 0x80 &&
	       (u[b - 1] == 0x93 || u[b - 1] == 0x94);
}

/*
 * "see PR #12", "tracked in issue #7": an unlinked reference named as one,
 * ending the text; or a key set off by a dash or comma ("— ENG-44").
 */
static enum trail_result trail_ref_words(struct trail *c)
{
	static const char *const names[] = {"pr", "issue", "bug", "ticket", "mr", NULL};
	static const char *const see[] = {"see", NULL};
	const char *t = c->t;
	size_t s = c->s, end = c->end, w, b, ref, from;

	while (end > s && t[end - 1] == '.')
		end--;
	w = word_start(t, s, end);
	if (w == end || w < s + 2)
		return TRAIL_NONE;
	if (ticket_is_key(t + w, end - w) && after_separator(t, s, w - 1)) {
		/* "Fix the cron — ENG-44", "..., OPS-7": a key set off from the action */
		if (drop_dangling(t, s, w) == s)
			return TRAIL_NONE;
		item_add_ticket(c->item, t + w, end - w, NULL, true);
		c->e = drop_dangling(t, s, w);
		return TRAIL_TAKEN;
	}
	if (!ticket_is_hash_ref(t + w, end - w))
		return TRAIL_NONE;
	b = word_start(t, s, w - 1);
	if (word_in(t, b, w - 1, names)) {
		ref = from = b;
		if (b >= s + 2 && word_in(t, word_start(t, s, b - 1), b - 1, see))
			from = word_start(t, s, b - 1);
	} else if (word_in(t, b, w - 1, see)) {
		from = b;
		ref = w;
	} else {
		return TRAIL_NONE; /* a bare "#12" closing a sentence may be anything */
	}
	if (drop_dangling(t, s, from) == s)
		return TRAIL_NONE;
	item_add_ticket(c->item, t + ref, end - ref, NULL, true);
	c->e = drop_dangling(t, s, from);
	return TRAIL_TAKEN;
}

/* [DONE], [WIP], [won't do]: a status in brackets */
static enum trail_result trail_status_bracket(struct trail *c)
{
	const char *t = c->t;
	size_t s = c->s, end = c->end, k;
	enum fields_status st;

	if (t[end - 1] != ']')
		return TRAIL_NONE;
	for (k = end - 1; k > s && end - k < 16 && t[k - 1] != '['; k--)
		;
	if (k == s || t[k - 1] != '[' || !(st = fields_status_word(t + k, end - 1 - k)) ||
	    drop_dangling(t, s, k - 1) == s)
		return TRAIL_NONE;
	item_set_status(c->item, st, t + k, end - 1 - k);
	c->e = drop_dangling(t, s, k - 1);
	return TRAIL_TAKEN;
}

/* "— DONE", "WIP", "✅": a status mark as the last word */
static enum trail_result trail_status_word(struct trail *c)
{
	const char *t = c->t;
	size_t s = c->s, end = c->end, k;
	enum fields_status st;

	for (k = end; k > s && t[k - 1] != ' '; k--)
		;
	if (k == s || !(st = fields_status_word(t + k, lead_without_vs16(t + k, end - k))) ||
	    !((unsigned char)t[k] >= 0xe2 || lead_is_caps_word(t + k, end - k)) ||
	    drop_dangling(t, s, k) == s)
		return TRAIL_NONE;
	item_set_status(c->item, st, t + k, end - k);
	c->e = drop_dangling(t, s, k);
	return TRAIL_TAKEN;
}

/* [Name]: bracket text that is not a link */
static enum trail_result trail_name(struct trail *c)
{
	struct action_item *item = c->item;
	const char *t = c->t, *open = NULL;
	size_t s = c->s, end = c->end, words = 1, k;

	if (t[end - 1] != ']' || item->owner)
		return TRAIL_NONE;
	for (k = end - 1; k > s; k--) {
		if (t[k - 1] == '[') {
			open = t + k - 1;
			break;
		}
		if (t[k - 1] == ']' || t[k - 1] == ':' || t[k - 1] == '/')
			break;
		if (t[k - 1] == ' ')
			words++;
	}
	if (!open || words > 3 || open + 1 >= t + end - 1 || open[1] == ' ' ||
	    (size_t)(open - t) <= s)
		return TRAIL_NONE;
	item->owner = fields_owner(open + 1, (size_t)(t + end - 1 - open - 1));
	if (!item->owner)
		return TRAIL_NONE;
	c->e = drop_dangling(t, s, (size_t)(open - t));
	return TRAIL_TAKEN;
}

/* due 2026-05-01, due: May 1, 2026 */
static enum trail_result trail_due(struct trail *c)
{
	const char *t = c->t;
	size_t s = c->s, end = c->end, k;

	for (k = end; k > s + 4; k--) {
		char date[11];
		size_t at;
		bool due = t[k - 1] == ' ' && ascii_starts_ci(t + k - 4, end - k + 4, "due") &&
		           (k - 4 == s || t[k - 5] == ' ');
		bool due_colon = k >= s + 5 && t[k - 1] == ' ' && t[k - 2] == ':' &&
		                 ascii_starts_ci(t + k - 5, end - k + 5, "due:") &&
		                 (k - 5 == s || t[k - 6] == ' ');
		if (!due && !due_colon)
			continue;
		if (!dates_read(date, t + k, end - k) &&
		    (memchr(t + k, ' ', end - k) || !has_digit(t + k, end - k)))
			return TRAIL_NONE;
		at = due_colon ? k - 5 : k - 4;
		if (drop_dangling(t, s, at) == s)
			return TRAIL_NONE;
		item_set_due(c->item, t + k, end - k);
		c->e = drop_dangling(t, s, at);
		return TRAIL_TAKEN;
	}
	return TRAIL_NONE;
}

/* @handle, — @handle */
static enum trail_result trail_handle(struct trail *c)
{
	const char *t = c->t;
	size_t s = c->s, end = c->end, k;

	while (end > s && t[end - 1] == '.')
		end--;
	for (k = end; k > s && lead_is_handle_char((unsigned char)t[k - 1]); k--)
		;
	if (!(k > s && t[k - 1] == '@' && k < end && (k - 1 == s || t[k - 2] == ' ') &&
	      !c->item->owner && k - 1 > s))
		return TRAIL_NONE;
	c->item->owner = xstrndup(t + k, end - k);
	c->e = drop_dangling(t, s, k - 1);
	return TRAIL_TAKEN;
}

/* Owner: Jane Doe */
static enum trail_result trail_owner(struct trail *c)
{
	struct action_item *item = c->item;
	const char *t = c->t;
	size_t s = c->s, end = c->end, k;

	while (end > s && t[end - 1] == '.')
		end--;
	for (k = end; k > s + 6; k--) {
		if (!ascii_starts_ci(t + k - 6, 6, "owner:") ||
		    !(k - 6 == s || t[k - 7] == ' ' || t[k - 7] == '(' || t[k - 7] == '.'))
			continue;
		if (!item->owner && end - k < 64 && k - 6 > s)
			item->owner = fields_owner(t + k, end - k);
		if (!item->owner)
			return TRAIL_NONE;
		c->e = drop_dangling(t, s, k - 6);
		return TRAIL_TAKEN;
	}
	return TRAIL_NONE;
}

/* The recognisers, in the order they are tried. */
static enum trail_result (*const trailing[])(struct trail *) = {
        trail_link,        trail_paren, trail_ref_words, trail_status_bracket, trail_name,
        trail_status_word, trail_due,   trail_handle,    trail_owner,
};

/* Strips one trailing token from t[s..*e) into item; false when none is left. */
static bool strip_trailing(struct action_item *item, const struct plain *p, size_t s, size_t *e)
{
	struct trail c = {item, p, p->sb.buf, s, trim_end(p->sb.buf, s, *e), 0};
	size_t i;

	if (c.end == s)
		return false;
	for (i = 0; i < ARRAY_SIZE(trailing); i++) {
		switch (trailing[i](&c)) {
		case TRAIL_NONE:
			continue;
		case TRAIL_TAKEN:
			*e = c.e;
			return true;
		case TRAIL_STOP:
			return false;
		}
	}
	return false;
}

void tokens_whole_ref(struct action_item *item, const char *t)
{
	size_t len = strlen(t), i = 0;

	if (item->ticket)
		return;
	if (len > 1 && t[0] == '#') {
		for (i = 1; i < len && ascii_isdigit(t[i]); i++)
			;
		if (i == len)
			item_set_ticket(item, t, len, NULL);
	} else if (ticket_is_key(t, len) ||
	           (memchr(t, '#', len) && memchr(t, '/', len) && !memchr(t, ' ', len))) {
		item_set_ticket(item, t, len, NULL);
		if (item->ticket_kind == PM_TICKET_OTHER) {
			free(item->ticket);
			item->ticket = NULL;
			item->ticket_kind = PM_TICKET_NONE;
			free(item->tickets[--item->tickets_nr]);
		}
	}
}

bool tokens_add_whole_ref(struct action_item *item, const struct plain *p)
{
	const char *t = p->sb.buf, *url;
	size_t len = p->sb.len;

	while (len && (t[len - 1] == '.' || t[len - 1] == ' '))
		len--;
	if (!len)
		return false;
	if (p->links_nr == 1) {
		url = p->links[0].url;
		if (p->links[0].start || p->links[0].end < len || !url || !url[0] ||
		    url[0] == '#' ||
		    (!ticket_is_tracker_url(url) && !ticket_is_ref_text(t, len, url)))
			return false;
		item_add_ticket(item, "", 0, url, false);
		return true;
	}
	if (p->links_nr || !(ticket_is_key(t, len) || ticket_is_hash_ref(t, len)))
		return false;
	item_add_ticket(item, t, len, NULL, false);
	return true;
}

void tokens_read(struct action_item *item, const struct plain *p, size_t start, size_t lead,
                 size_t *s, size_t *e)
{
	int guard;

	*s = lead_read(item, p, start, start ? 0 : lead);
	*e = p->sb.len;
	for (guard = 0; guard < 16 && strip_trailing(item, p, *s, e); guard++)
		;
	*e = trim_end(p->sb.buf, *s, *e);
}
