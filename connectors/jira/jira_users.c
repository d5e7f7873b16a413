/*
 * Users: an owner's e-mail to the identity Jira assigns by (Cloud: the
 * account id; Data Center: the user name), through user search. Cloud
 * matches the e-mail exactly where the profile shows it; a profile that
 * hides its e-mail is still found by the exact address, so a single answer
 * is taken as the user. An e-mail that Jira hides or cannot find resolves
 * to nothing: the engine leaves the ticket unassigned with a note naming
 * the item, and the run goes on. Answers are cached for the run.
 */
#include "util/compat.h"

#include "connectors/jira/jira_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/json.h"
#include "util/xalloc.h"

static void url_encode(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~", c))
			strbuf_addch(sb, (char)c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

static struct jira_user *find(struct jira_tracker *jt, const char *query)
{
	size_t i;

	for (i = 0; i < jt->users_nr; i++)
		if (!strcasecmp(jt->users[i].query, query))
			return &jt->users[i];
	return NULL;
}

/* The identity of the one user of the answer with this e-mail, or NULL. */
static const char *pick(const struct jira_tracker *jt, const json_t *users, const char *email)
{
	const char *idkey = jt->cloud ? "accountId" : "name";
	const json_t *u, *only = NULL;
	size_t i, hidden = 0;

	json_array_foreach(users, i, u)
	{
		const char *e = json_string_value(json_object_get(u, "emailAddress"));
		if (e && *e && !strcasecmp(e, email))
			return json_string_value(json_object_get(u, idkey));
		if (!e || !*e) {
			hidden++;
			only = u;
		}
	}
	return hidden == 1 && json_array_size(users) == 1
	               ? json_string_value(json_object_get(only, idkey))
	               : NULL;
}

static int look_up(struct jira_tracker *jt, struct jira_user *u)
{
	struct strbuf path = STRBUF_INIT;
	json_t *r = NULL;
	const char *id;
	int error;

	strbuf_addstr(&path, jt->cloud ? "/user/search?query=" : "/user/search?username=");
	url_encode(&path, u->query);
	error = jira_call(jt, &r, NULL, "GET", path.buf, NULL, true);
	if (error >= 0 && (id = pick(jt, r, u->query)))
		u->id = xstrdup(id);
	json_decref(r);
	strbuf_release(&path);
	return error;
}

int jira_resolve_users(struct tracker *t, const char *const *emails, size_t n, const char **ids_out)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	size_t i;
	int error = 0;

	for (i = 0; i < n && error >= 0; i++) {
		struct jira_user *u = find(jt, emails[i]);
		if (!u) {
			ALLOC_GROW(jt->users, jt->users_nr + 1, jt->users_alloc);
			u = &jt->users[jt->users_nr++];
			u->query = xstrdup(emails[i]);
			u->id = NULL;
			if (!strchr(emails[i], '@'))
				u->id = xstrdup(emails[i]); /* already an identity */
			else
				error = look_up(jt, u);
		}
		ids_out[i] = u->id;
	}
	return error;
}
