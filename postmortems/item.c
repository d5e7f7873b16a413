/*
 * How an action item's fields get set. From a table, each cell names its
 * field; from a list item the fields hide in the text, and are read off its
 * ends: a "[ ]" box, "TODO(owner):" or "@alice will" at the start; at the
 * end a reference link ("(see [PR](...))", a bare tracker URL), "(alert)",
 * "(Done)", "(due 2026-05-01)", "[Jane Doe]", "due: May 1, 2026",
 * "- @bob", "Owner: Jane", each removed with the words that tied it to the
 * action. Every field keeps the first value found, so a cell or token never
 * overrides an earlier one; a date that cannot be read is kept as written
 * for lint to report.
 */
#include "util/compat.h"

#include "postmortems/item.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "postmortems/dates.h"
#include "postmortems/label.h"
#include "postmortems/text.h"
#include "postmortems/ticket.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

void item_add_extra(struct action_item *item, const char *name, const char *value)
{
	struct pm_field *f;

	ALLOC_GROW(item->extra, item->extra_nr + 1, item->extra_alloc);
	f = &item->extra[item->extra_nr++];
	f->name = xstrdup(name);
	f->value = xstrdup(value ? value : "");
}

void item_set_due(struct action_item *item, const char *s, size_t len)
{
	char date[11];

	text_trim(&s, &len);
	if (fields_is_none(s, len) || item->due || item->due_raw)
		return;
	if (dates_read(date, s, len)) {
		item->due = xstrdup(date);
		return;
	}
	/* Kept as written; lint reports it (bad-due-date), so it is said once. */
	item->due_raw = xstrndup(s, len);
}

void item_set_ticket(struct action_item *item, const char *text, size_t len, const char *url)
{
	struct ticket t;

	if (item->ticket)
		return;
	ticket_read(&t, text, len, url);
	item->ticket = t.ticket; /* ownership moves to the item */
	item->ticket_kind = t.kind;
	item->ticket_key = t.key;
}

void item_set_status(struct action_item *item, enum fields_status st, const char *raw, size_t len)
{
	if (item->status_raw || st == FIELDS_STATUS_NONE)
		return;
	item->status = st == FIELDS_STATUS_DONE       ? PM_ITEM_DONE
	               : st == FIELDS_STATUS_CANCELED ? PM_ITEM_CANCELED
	                                              : PM_ITEM_OPEN;
	item->status_raw = text_dup_trimmed(raw, len);
}

static bool has_digit(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return true;
	return false;
}

static bool is_handle_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
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
	static const char *const words[] = {"see",        "see:",   "related to",
	                                    "tracked in", "owner:", NULL};
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
			    (e - s == n || t[e - n - 1] == ' ')) {
				e -= n;
				again = true;
				break;
			}
		}
	}
	return e;
}

/* True when link text reads as a reference: "Issue", "PR", "#12", "db#411", the URL itself. */
static bool is_ref_text(const char *t, size_t len, const char *url)
{
	static const char *const words[] = {
	        "issue", "pr", "pull request", "bug", "ticket", "mr", "github issue", "link", NULL};
	struct strbuf norm = STRBUF_INIT;
	const char *const *w;
	bool ref = false;
	size_t i;

	if (url && strlen(url) == len && !memcmp(t, url, len))
		return true;
	if (memchr(t, '#', len)) {
		const char *h = memchr(t, '#', len);
		for (i = (size_t)(h - t) + 1; i < len && t[i] >= '0' && t[i] <= '9'; i++)
			;
		if (i == len && (size_t)(h - t) + 1 < len)
			return true;
	}
	label_normalize(&norm, t, len);
	for (w = words; *w && !ref; w++) {
		size_t n = strlen(*w);
		const char *p = norm.buf;
		while ((p = strstr(p, *w))) {
			if ((p == norm.buf || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ')) {
				ref = true;
				break;
			}
			p++;
		}
	}
	strbuf_release(&norm);
	return ref;
}

/*
 * Strips one trailing token from t[s..*e): a reference link, "(lever)",
 * "(Done)", "[Name]", "due DATE", "@handle", "Owner: x". Fills item.
 */
static bool strip_trailing(struct action_item *item, const struct plain *p, size_t s, size_t *e)
{
	const char *t = p->sb.buf;
	size_t end = trim_end(t, s, *e), i, k;

	if (end == s)
		return false;
	/* a link at the end, maybe in parentheses, maybe before a full stop */
	for (i = p->links_nr; i > 0; i--) {
		const struct plain_link *l = &p->links[i - 1];
		size_t ls = l->start, le = l->end, stop = end;
		bool paren = false;
		enum fields_status st;
		if (t[stop - 1] == '.' && stop - 1 > s)
			stop--;
		if (le + 1 == stop && t[stop - 1] == ')' && ls > s && t[ls - 1] == '(')
			paren = true;
		else if (le != stop && le != end)
			continue;
		if (ls < s || !l->url || !l->url[0] || l->url[0] == '#')
			break;
		st = fields_status_word(t + ls, le - ls);
		if (!st && !ticket_is_tracker_url(l->url) && !is_ref_text(t + ls, le - ls, l->url))
			break;
		if (st)
			item_set_status(item, st, t + ls, le - ls);
		if (item->ticket)
			return false;
		item_set_ticket(item, "", 0, l->url);
		k = drop_dangling(t, s, paren ? ls - 1 : ls);
		if (k == s)
			return false; /* the reference is the whole text: keep it as text */
		*e = k;
		return true;
	}
	/* (alert), (Done), (due 2026-05-01), (@alice), (ENG-12) */
	if (t[end - 1] == ')') {
		const char *open = NULL;
		for (k = end - 1; k > s; k--) {
			if (t[k - 1] == '(') {
				open = t + k - 1;
				break;
			}
			if (t[k - 1] == ')')
				break;
		}
		if (open) {
			const char *in = open + 1;
			size_t n = (size_t)(t + end - 1 - in), at = (size_t)(open - t);
			enum fields_status st = fields_status_word(in, n);
			char date[11];
			bool used = true;
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
			else if (ticket_is_key(in, n) && !item->ticket)
				item_set_ticket(item, in, n, NULL);
			else
				used = false;
			if (used && drop_dangling(t, s, at) > s) {
				*e = drop_dangling(t, s, at);
				return true;
			}
		}
	}
	/* [Name]: bracket text that is not a link */
	if (t[end - 1] == ']' && !item->owner) {
		const char *open = NULL;
		size_t words = 1;
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
		if (open && words <= 3 && open + 1 < t + end - 1 && open[1] != ' ' &&
		    (size_t)(open - t) > s) {
			item->owner = fields_owner(open + 1, (size_t)(t + end - 1 - open - 1));
			if (item->owner) {
				*e = drop_dangling(t, s, (size_t)(open - t));
				return true;
			}
		}
	}
	/* due 2026-05-01, due: May 1, 2026 */
	for (k = end; k > s + 4; k--) {
		char date[11];
		size_t v;
		if (!(t[k - 1] == ' ' && ascii_starts_ci(t + k - 4, end - k + 4, "due") &&
		      (k - 4 == s || t[k - 5] == ' ')) &&
		    !(k >= s + 5 && t[k - 1] == ' ' && t[k - 2] == ':' &&
		      ascii_starts_ci(t + k - 5, end - k + 5, "due:") &&
		      (k - 5 == s || t[k - 6] == ' ')))
			continue;
		v = k;
		if (dates_read(date, t + v, end - v) ||
		    (!memchr(t + v, ' ', end - v) && has_digit(t + v, end - v))) {
			size_t at = t[k - 2] == ':' ? k - 5 : k - 4;
			if (drop_dangling(t, s, at) == s)
				break;
			item_set_due(item, t + v, end - v);
			*e = drop_dangling(t, s, at);
			return true;
		}
		break;
	}
	/* @handle, — @handle */
	while (end > s && t[end - 1] == '.')
		end--;
	for (k = end; k > s && is_handle_char((unsigned char)t[k - 1]); k--)
		;
	if (k > s && t[k - 1] == '@' && k < end && (k - 1 == s || t[k - 2] == ' ') &&
	    !item->owner && k - 1 > s) {
		item->owner = xstrndup(t + k, end - k);
		*e = drop_dangling(t, s, k - 1);
		return true;
	}
	/* Owner: Jane Doe */
	for (k = end; k > s + 6; k--) {
		if (ascii_starts_ci(t + k - 6, 6, "owner:") &&
		    (k - 6 == s || t[k - 7] == ' ' || t[k - 7] == '(' || t[k - 7] == '.')) {
			if (!item->owner && end - k < 64 && k - 6 > s)
				item->owner = fields_owner(t + k, end - k);
			if (item->owner) {
				*e = drop_dangling(t, s, k - 6);
				return true;
			}
			break;
		}
	}
	return false;
}

/* Reads the leading forms: "[ ] " left by a malformed box, "TODO(owner):", "@x will". */
static size_t strip_leading(struct action_item *item, const struct plain *p, size_t s, size_t e)
{
	const char *t = p->sb.buf;
	size_t k;

	if (ascii_starts_ci(t + s, e - s, "[] ") || ascii_starts_ci(t + s, e - s, "[ ] ")) {
		item_set_status(item, FIELDS_STATUS_OPEN, "[ ]", 3);
		s += t[s + 1] == ']' ? 3 : 4;
	} else if (ascii_starts_ci(t + s, e - s, "[x] ")) {
		item_set_status(item, FIELDS_STATUS_DONE, "[x]", 3);
		s += 4;
	}
	if (ascii_starts_ci(t + s, e - s, "todo(")) {
		const char *close = memchr(t + s, ')', e - s);
		if (close) {
			if (!item->owner)
				item->owner = fields_owner(t + s + 5, (size_t)(close - t - s - 5));
			item_set_status(item, FIELDS_STATUS_OPEN, "TODO", 4);
			s = (size_t)(close - t) + 1;
			while (s < e && (t[s] == ':' || t[s] == ' '))
				s++;
		}
	} else if (ascii_starts_ci(t + s, e - s, "todo:")) {
		item_set_status(item, FIELDS_STATUS_OPEN, "TODO", 4);
		for (s += 5; s < e && t[s] == ' '; s++)
			;
	}
	if (s < e && t[s] == '@') {
		for (k = s + 1; k < e && is_handle_char((unsigned char)t[k]); k++)
			;
		if (k > s + 1 && k < e && t[k] == ' ') {
			size_t w = k + 1;
			if (ascii_starts_ci(t + w, e - w, "will ") ||
			    ascii_starts_ci(t + w, e - w, "to ")) {
				if (!item->owner)
					item->owner = xstrndup(t + s + 1, k - s - 1);
				s = w + (t[w] == 'w' || t[w] == 'W' ? 5 : 3);
			}
		} else if (k > s + 1 && k + 1 < e && t[k] == ':' && t[k + 1] == ' ') {
			if (!item->owner)
				item->owner = xstrndup(t + s + 1, k - s - 1);
			s = k + 2;
		}
	}
	return s;
}

/* A bare reference as the whole text: "#2127", "org/repo#12", "ENG-12". */
void item_whole_ref(struct action_item *item, const char *t)
{
	size_t len = strlen(t), i = 0;

	if (item->ticket)
		return;
	if (len > 1 && t[0] == '#') {
		for (i = 1; i < len && t[i] >= '0' && t[i] <= '9'; i++)
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
		}
	}
}

void item_read_tokens(struct action_item *item, const struct plain *p, size_t start, size_t *s,
                      size_t *e)
{
	int guard;

	*s = strip_leading(item, p, start, p->sb.len);
	*e = p->sb.len;
	for (guard = 0; guard < 8 && strip_trailing(item, p, *s, e); guard++)
		;
	*e = trim_end(p->sb.buf, *s, *e);
}
