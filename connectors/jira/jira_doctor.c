/*
 * `pmsync doctor` for Jira: the CA bundle that verifies the site, the token
 * and the site, the project and the issue type, the required fields and the
 * values jira.field gives them, the priorities pmsync's scale maps to, the
 * cancel transition's configuration (with sync.removed = cancel), and every
 * owner of the configuration, through a client that refuses every write.
 * Each check is a finding that says what to change when it fails.
 */
#include "util/compat.h"

#include "connectors/jira/jira_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"

static void doctor_priorities(struct jira_tracker *jt, struct tracker_findings *out)
{
	static const char *const names[] = {"urgent", "high", "medium", "low"};
	struct strbuf sb = STRBUF_INIT;
	int p;

	if (!jt->priorities_nr) {
		tracker_findings_add(out, true, "priorities",
		                     "the create screen has no priority: priorities are not sent");
		return;
	}
	for (p = 1; p <= 4; p++)
		strbuf_addf(&sb, "%s%s=%s", p > 1 ? ", " : "", names[p - 1],
		            jira_priority_name(jt, p));
	tracker_findings_add(out, true, "priorities", "%s", sb.buf);
	strbuf_release(&sb);
}

static int doctor_owners(struct jira_tracker *jt, const struct config *cfg,
                         struct tracker_findings *out)
{
	struct strbuf check = STRBUF_INIT;
	size_t i;
	int error = 0;

	for (i = 0; i < cfg->owners_nr && error >= 0; i++) {
		const struct config_owner *o = &cfg->owners[i];
		const char *q = o->jira && *o->jira ? o->jira : o->email;
		const char *id = NULL;
		strbuf_reset(&check);
		strbuf_addf(&check, "owner %s", o->handle);
		if (!q || !*q) {
			tracker_findings_add(out, false, check.buf,
			                     "no email or Jira user: set email or jira in [owner "
			                     "\"%s\"] in %s (line %d)",
			                     o->handle, jira_conf_name(jt), o->line);
			continue;
		}
		if ((error = jira_resolve_users(&jt->base, &q, 1, &id)) < 0)
			break;
		if (id)
			tracker_findings_add(out, true, check.buf, "%s is Jira user %s", q, id);
		else
			tracker_findings_add(
			        out, false, check.buf,
			        "Jira finds no user with e-mail '%s' (or hides it): set "
			        "jira (the %s) in [owner \"%s\"] in %s (line %d)",
			        q, jt->cloud ? "account id" : "user name", o->handle,
			        jira_conf_name(jt), o->line);
	}
	strbuf_release(&check);
	return error;
}

static int doctor_run(struct jira_tracker *jt, const struct config *cfg,
                      struct tracker_findings *out)
{
	int error = jira_load_meta(jt);
	char *check = xasprintf("project %s", cfg->jira_project ? cfg->jira_project : "");

	if (error == PM_EAUTH) {
		tracker_findings_add(out, false, "token", "%s (site %s, %s)", pm_error_detail(),
		                     jt->site, jt->cloud ? "Cloud" : "Data Center");
		error = 0;
		goto done;
	}
	if (error == PM_ENOTFOUND || error == PM_ECONFIG) {
		tracker_findings_add(out, true, "token", "the token works on %s (%s)", jt->site,
		                     jt->cloud ? "Cloud" : "Data Center");
		tracker_findings_add(out, false, check, "%s", pm_error_message());
		error = 0;
		goto owners;
	}
	if (error < 0)
		goto done;
	tracker_findings_add(out, true, "token", "the token works on %s (%s)", jt->site,
	                     jt->cloud ? "Cloud" : "Data Center");
	tracker_findings_add(out, true, check, "issue type %s, %zu fields set by jira.field",
	                     cfg->jira_issue_type, json_object_size(jt->extra));
	doctor_priorities(jt, out);
	if (cfg->removed == PM_REMOVED_CANCEL)
		tracker_findings_add(out, true, "cancel transition",
		                     cfg->jira_cancel_transition
		                             ? "removed items take the transition '%s'"
		                             : "removed items take a transition to a done status%s",
		                     cfg->jira_cancel_transition ? cfg->jira_cancel_transition
		                                                 : " named like a cancel");
owners:
	error = doctor_owners(jt, cfg, out);
done:
	free(check);
	return error;
}

int jira_doctor(struct tracker *t, const struct config *cfg, struct tracker_findings *out)
{
	struct jira_tracker *jt = jira_tracker_of(t);
	bool dry = http_client_dry_run(jt->http);
	int error;

	http_client_set_dry_run(jt->http, true);
	if (jt->ca_info)
		tracker_findings_add(out, true, "CA bundle",
		                     "the site's certificate is checked "
		                     "against '%s' (%s)",
		                     jt->ca_info, jt->ca_origin);
	else
		tracker_findings_add(out, true, "CA bundle",
		                     "the site's certificate is checked against the system store "
		                     "(set jira.caInfo outside the repository, or CURL_CA_BUNDLE, "
		                     "for another)");
	error = doctor_run(jt, cfg ? cfg : jt->base.cfg, out);
	http_client_set_dry_run(jt->http, dry);
	return error;
}
