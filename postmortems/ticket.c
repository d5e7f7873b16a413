/*
 * Ticket references as people write them next to an action: a key
 * (ENG-123), a Linear or Jira URL (with or without a key in it), a GitHub
 * issue or pull request (a URL or owner/repo#12), or something else ("Bug
 * #5554823", a commit). A reference is kept as written and classified, and
 * the tracker key is pulled out of it when there is one, so that the sync
 * engine can tell an item already tracked from one it must file.
 */
#include "util/compat.h"

#include "postmortems/ticket.h"

#include <stdlib.h>
#include <string.h>

#include "postmortems/fields.h"
#include "postmortems/label.h"
#include "postmortems/text.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

bool ticket_is_key(const char *s, size_t len)
{
	size_t i = 1, digits = 0;

	if (len < 3 || !(s[0] >= 'A' && s[0] <= 'Z'))
		return false;
	while (i < len && i <= 15 &&
	       ((s[i] >= 'A' && s[i] <= 'Z') || ascii_isdigit(s[i]) || s[i] == '_'))
		i++;
	if (i >= len || s[i] != '-')
		return false;
	for (i++; i < len && ascii_isdigit(s[i]); i++)
		digits++;
	return i == len && digits > 0 && digits <= 9;
}

static const char *find_str(const char *s, const char *needle)
{
	return strstr(s, needle);
}

/* The path segment after marker in url ("/browse/" -> "OPS-45"), if it is a key. */
static char *key_after(const char *url, const char *marker)
{
	const char *p = find_str(url, marker), *e;

	if (!p)
		return NULL;
	p += strlen(marker);
	for (e = p; *e && *e != '/' && *e != '?' && *e != '#' && *e != '&'; e++)
		;
	return ticket_is_key(p, (size_t)(e - p)) ? xstrndup(p, (size_t)(e - p)) : NULL;
}

/* "owner/repo#123" */
static bool is_github_shorthand(const char *s, size_t len)
{
	size_t i = 0, slash = 0, hash = 0;

	for (; i < len; i++) {
		if (s[i] == '/' && !hash)
			slash = i;
		else if (s[i] == '#')
			hash = i;
		else if (!ascii_isalnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
		else if (hash && !ascii_isdigit(s[i]))
			return false;
	}
	return slash > 0 && hash > slash + 1 && hash + 1 < len;
}

static void classify_url(struct ticket *out, const char *url)
{
	const char *gh = find_str(url, "github.com/");

	out->kind = PM_TICKET_OTHER;
	if (find_str(url, "linear.app/")) {
		out->kind = PM_TICKET_URL;
		out->key = key_after(url, "/issue/");
	} else if (find_str(url, "/browse/") || find_str(url, "atlassian.net") ||
	           find_str(url, "jira.")) {
		out->kind = PM_TICKET_URL;
		out->key = key_after(url, "/browse/");
		if (!out->key)
			out->key = key_after(url, "selectedIssue=");
	} else if (gh && (find_str(gh, "/issues/") || find_str(gh, "/pull/"))) {
		out->kind = PM_TICKET_GITHUB;
	}
}

bool ticket_is_tracker_url(const char *url)
{
	const char *gh = find_str(url, "github.com/");

	if (gh && (find_str(gh, "/issues/") || find_str(gh, "/pull/") || find_str(gh, "/commit/")))
		return true;
	return find_str(url, "linear.app/") || find_str(url, "/browse/") ||
	       find_str(url, "/-/issues/") || find_str(url, "/-/merge_requests/");
}

bool ticket_is_ref_word(const char *s, size_t len)
{
	const char *h = memchr(s, '#', len);
	size_t i;

	if (!len || memchr(s, ' ', len))
		return false;
	if (ticket_is_key(s, len) || ascii_starts_ci(s, len, "https://") ||
	    ascii_starts_ci(s, len, "http://"))
		return true;
	if (!h || (h != s && !memchr(s, '/', (size_t)(h - s))))
		return false;
	for (i = (size_t)(h - s) + 1; i < len && ascii_isdigit(s[i]); i++)
		;
	return i == len && (size_t)(h - s) + 1 < len;
}

void ticket_read(struct ticket *out, const char *text, size_t len, const char *url)
{
	size_t first;

	memset(out, 0, sizeof(*out));
	text_trim(&text, &len);
	if (url && *url && strncmp(url, "#", 1)) {
		out->ticket = xstrdup(url);
		classify_url(out, url);
		return;
	}
	if (fields_is_none(text, len))
		return;
	out->ticket = xstrndup(text, len);
	if (ascii_starts_ci(text, len, "http://") || ascii_starts_ci(text, len, "https://")) {
		classify_url(out, out->ticket);
		return;
	}
	for (first = 0; first < len && !ascii_isspace((unsigned char)text[first]); first++)
		;
	if (ticket_is_key(text, first)) {
		out->kind = PM_TICKET_KEY;
		out->key = xstrndup(text, first);
	} else if (is_github_shorthand(text, len)) {
		out->kind = PM_TICKET_GITHUB;
	} else {
		out->kind = PM_TICKET_OTHER;
	}
}

void ticket_release(struct ticket *t)
{
	free(t->ticket);
	free(t->key);
	memset(t, 0, sizeof(*t));
}

/* Words that name a reference: "PR #12", "see the issue". */
static const char *const ref_words[] = {"issue", "pr",           "pull request", "bug", "ticket",
                                        "mr",    "github issue", "link",         NULL};

/* True when link text reads as a reference: "Issue", "PR", "#12", "db#411", the URL itself. */
bool ticket_is_ref_text(const char *t, size_t len, const char *url)
{
	struct strbuf norm = STRBUF_INIT;
	const char *const *w;
	const char *h = memchr(t, '#', len);
	bool ref = false;
	size_t i;

	if (url && strlen(url) == len && !memcmp(t, url, len))
		return true;
	if (h) {
		for (i = (size_t)(h - t) + 1; i < len && ascii_isdigit(t[i]); i++)
			;
		if (i == len && (size_t)(h - t) + 1 < len)
			return true;
	}
	label_normalize(&norm, t, len);
	for (w = ref_words; *w && !ref; w++) {
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

/* "#12" or "org/repo#12": an unlinked reference, as a word. */
bool ticket_is_hash_ref(const char *s, size_t len)
{
	const char *h = memchr(s, '#', len);
	size_t i;

	if (!h || memchr(s, ' ', len) || (h != s && !memchr(s, '/', (size_t)(h - s))))
		return false;
	for (i = (size_t)(h - s) + 1; i < len && ascii_isdigit(s[i]); i++)
		;
	return i == len && (size_t)(h - s) + 1 < len;
}

/*
 * An unlinked reference as a whole ("#12", "PR #12", "see issue #7"):
 * returns the offset where the reference as written starts ("see" is not
 * part of it), or len when s is something else.
 */
size_t ticket_unlinked_ref(const char *s, size_t len)
{
	const char *const *w;
	size_t at = 0, sp;

	if (ascii_starts_ci(s, len, "see "))
		at = 4;
	if (ticket_is_hash_ref(s + at, len - at))
		return at;
	for (w = ref_words; *w; w++) {
		size_t n = strlen(*w);
		if (ascii_starts_ci(s + at, len - at, *w) && len - at > n && s[at + n] == ' ') {
			for (sp = at + n; sp < len && s[sp] == ' '; sp++)
				;
			if (ticket_is_hash_ref(s + sp, len - sp))
				return at;
		}
	}
	return len;
}
