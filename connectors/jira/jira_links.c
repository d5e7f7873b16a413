/*
 * Remote links: on each issue a link to its item in the postmortem, for
 * people reading the issue in Jira, never for pmsync itself (the label and
 * the "pmsync" property are the marker; identity and recovery never look at
 * links). POST /issue/{id}/remotelink upserts by globalId, which is derived
 * from the repository and the item key, so the link of a moved postmortem
 * is rewritten, never stacked. A link is sent after a create and when the
 * URL an issue's marker names changes, as the marker read with the issue
 * says; never on a sync that changes nothing. A link that fails is a note
 * on its item (an outcome with code 0 and a message), never a failure.
 * jira.remoteLinks = false turns them off.
 */
#include "util/compat.h"

#include "connectors/jira/jira_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/xalloc.h"

#define JIRA_GLOBAL_ID_MAX 255 /* characters of a globalId */

void jira_link_seen(struct jira_tracker *jt, const char *id, const char *url)
{
	if (!jt->linked)
		jt->linked = json_object();
	json_object_set_new(jt->linked, id, pm_json_str(url));
}

void jira_link_forget(struct jira_tracker *jt, const char *id)
{
	json_object_del(jt->linked, id);
}

/* "pmsync:<repository>:<item key>", or a hash of both where that is too long. */
static char *global_id(const struct tracker_marker *m)
{
	char *g = xasprintf("pmsync:%s:%s", m->repo_id, m->item_key);
	uint64_t h;

	if (strlen(g) <= JIRA_GLOBAL_ID_MAX)
		return g;
	h = fnv1a64(FNV1A64_OFFSET, m->repo_id, strlen(m->repo_id) + 1);
	h = fnv1a64(h, m->item_key, strlen(m->item_key));
	free(g);
	return xasprintf("pmsync:%016" PRIx64, h);
}

static json_t *link_body(const struct tracker_marker *m)
{
	json_t *body = json_object(), *app = json_object(), *obj = json_object();
	char *gid = global_id(m);

	json_object_set_new(body, "globalId", pm_json_str(gid));
	json_object_set_new(app, "type", json_string("pmsync"));
	json_object_set_new(app, "name", json_string("pmsync"));
	json_object_set_new(body, "application", app);
	json_object_set_new(body, "relationship", json_string("postmortem"));
	json_object_set_new(obj, "url", pm_json_str(m->url));
	json_object_set_new(obj, "title",
	                    pm_json_str(m->title && *m->title ? m->title : "Postmortem"));
	json_object_set_new(body, "object", obj);
	free(gid);
	return body;
}

void jira_link(struct jira_tracker *jt, const char *id, const struct tracker_marker *m,
               struct tracker_outcome *out)
{
	const char *seen = json_string_value(json_object_get(jt->linked, id));
	long status = 0;
	char *path;
	int error;

	if (!jt->base.cfg->jira_remote_links || jt->links_refused || !m || !m->url || !*m->url ||
	    !m->repo_id || !m->item_key || (seen && !strcmp(seen, m->url)))
		return;
	path = xasprintf("/issue/%s/remotelink", id);
	/* an upsert by globalId: sending it twice is sending it once */
	error = jira_call(jt, NULL, &status, "POST", path, link_body(m), true);
	if (error < 0 && status == 403) {
		/* issue linking is off on the site, or not allowed to this user: for every issue */
		jt->links_refused = true;
		tracker_outcome_set(out, 0,
		                    "no links to postmortems on this run's issues: %s (set "
		                    "jira.remoteLinks = false to stop asking)",
		                    pm_error_message());
		pm_error_clear();
	} else if (error < 0) {
		tracker_outcome_set(out, 0, "no link to the postmortem on the issue: %s",
		                    pm_error_message());
		pm_error_clear();
	}
	/* a link refused is not asked for again in this run, whatever path reaches it */
	jira_link_seen(jt, id, m->url);
	free(path);
}

void jira_link_created(struct jira_tracker *jt, const struct tracker_create *c, size_t n,
                       const struct tracker_tickets *created, size_t from,
                       struct tracker_outcome *outcomes)
{
	size_t i, k;

	for (k = from; k < created->nr; k++) {
		const char *key = created->v[k].marker.item_key;
		for (i = 0; key && i < n; i++)
			if (c[i].marker && c[i].marker->item_key &&
			    !strcmp(c[i].marker->item_key, key)) {
				jira_link(jt, created->v[k].id, c[i].marker, &outcomes[i]);
				break;
			}
	}
}
