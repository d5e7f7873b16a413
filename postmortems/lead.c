/*
 * The start of a list item's text: what it says before the action. A box
 * left by a malformed task ("[ ] "), a status mark or word ("✅", "[DONE]",
 * "**Done**", "WIP:", "In progress:", "DONE -"), "TODO(owner):", "@alice
 * will". Words in capitals count as marks ("DONE", "WIP"); in other case
 * only with a colon or in bold, since "Open a ticket" is an action.
 */
#include "util/compat.h"

#include "postmortems/lead.h"

#include "postmortems/fields.h"
#include "postmortems/item.h"
#include "util/xalloc.h"

bool lead_is_handle_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || ascii_isdigit(c) || c == '_' ||
	       c == '-' || c == '.';
}

/* True for a word in capitals ("DONE", "WIP"): a mark, where "Open" may be a verb. */
bool lead_is_caps_word(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!(s[i] >= 'A' && s[i] <= 'Z'))
			return false;
	return len >= 3 && !(len == 3 && !memcmp(s, "NEW", 3)) &&
	       !(len == 4 && !memcmp(s, "OPEN", 4));
}

/* Length of s without a trailing emoji variation selector (U+FE0F). */
size_t lead_without_vs16(const char *s, size_t len)
{
	if (len > 3 && !memcmp(s + len - 3, "\xef\xb8\x8f", 3))
		return len - 3;
	return len;
}

/* Skips the separator after a leading status: ": ", " - ", " — ". */
static size_t skip_separator(const char *t, size_t s, size_t e)
{
	for (;;) {
		if (s < e && strchr(":- \t", t[s]))
			s++;
		else if (e - s >= 3 && (unsigned char)t[s] == 0xe2 &&
		         (unsigned char)t[s + 1] == 0x80 &&
		         ((unsigned char)t[s + 2] == 0x93 || (unsigned char)t[s + 2] == 0x94))
			s += 3;
		else
			return s;
	}
}

/*
 * A status leading the text: a bold "**Done**", a mark ("✅ ", "[DONE] "),
 * "In progress: ", or a word in capitals ("WIP ", "DONE - ").
 */
size_t lead_mark(struct action_item *item, const char *t, size_t s, size_t e)
{
	enum fields_status st;
	size_t k;

	for (k = s; k < e && t[k] != ' ' && k - s < 20; k++)
		;
	if (k < e && t[k] == ' ' && (unsigned char)t[s] >= 0xe2 &&
	    (st = fields_status_word(t + s, lead_without_vs16(t + s, k - s)))) {
		item_set_status(item, st, t + s, k - s);
		return skip_separator(t, k, e);
	}
	if (k < e && t[s] == '[' && k > s + 2 && t[k - 1] == ']' &&
	    (st = fields_status_word(t + s + 1, k - s - 2))) {
		item_set_status(item, st, t + s + 1, k - s - 2);
		return skip_separator(t, k, e);
	}
	return s;
}

static size_t status_mark(struct action_item *item, const char *t, size_t s, size_t e, size_t lead)
{
	enum fields_status st;
	size_t k, n;

	if (lead && s + lead <= e) {
		for (n = lead; n && (t[s + n - 1] == ':' || t[s + n - 1] == ' '); n--)
			;
		if ((st = fields_status_word(t + s, n))) {
			item_set_status(item, st, t + s, n);
			return skip_separator(t, s + lead, e);
		}
	}
	if ((k = lead_mark(item, t, s, e)) > s)
		return k;
	for (k = s; k < e && t[k] != ' ' && k - s < 20; k++)
		;
	if (k < e && k > s && lead_is_caps_word(t + s, k - s) &&
	    (st = fields_status_word(t + s, k - s))) {
		item_set_status(item, st, t + s, k - s);
		return skip_separator(t, k, e);
	}
	n = 0;
	for (k = s; k < e && k - s < 16 && t[k] != ':'; k++)
		;
	if (k < e && t[k] == ':' && k + 1 < e && t[k + 1] == ' ' &&
	    (st = fields_status_word(t + s, k - s)))
		n = k - s;
	if (n && !ascii_starts_ci(t + s, e - s, "todo")) {
		item_set_status(item, st, t + s, n);
		return skip_separator(t, k, e);
	}
	return s;
}

size_t lead_read(struct action_item *item, const struct plain *p, size_t s, size_t lead)
{
	const char *t = p->sb.buf;
	size_t e = p->sb.len, k;

	if (ascii_starts_ci(t + s, e - s, "[] ") || ascii_starts_ci(t + s, e - s, "[ ] ")) {
		item_set_status(item, FIELDS_STATUS_OPEN, "[ ]", 3);
		s += t[s + 1] == ']' ? 3 : 4;
	} else if (ascii_starts_ci(t + s, e - s, "[x] ")) {
		item_set_status(item, FIELDS_STATUS_DONE, "[x]", 3);
		s += 4;
	} else if (s < e) {
		s = status_mark(item, t, s, e, lead);
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
		for (k = s + 1; k < e && lead_is_handle_char((unsigned char)t[k]); k++)
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

bool lead_status_led(const struct plain *p, size_t lead)
{
	const char *t = p->sb.buf;
	size_t len = p->sb.len, k, n = lead;

	while (n && (t[n - 1] == ':' || t[n - 1] == ' '))
		n--;
	if (n && n <= len && fields_status_word(t, n))
		return true;
	for (k = 0; k < len && k < 16 && !strchr(" :(", t[k]); k++)
		;
	if (k == len || !k)
		return false;
	if (t[0] == '[' && t[k - 1] == ']')
		return fields_status_word(t + 1, k - 2) != FIELDS_STATUS_NONE;
	if (!fields_status_word(t, k))
		return false;
	return t[k] == ':' || (t[k] == '(' && k == 4) || lead_is_caps_word(t, k);
}
