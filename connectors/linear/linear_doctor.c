/*
 * `pmsync doctor` for Linear: checks the token, the team, the labels pmsync
 * uses, the canceled state (with sync.removed = cancel) and every owner of
 * the configuration, through a client that refuses every write, and reports
 * each check as a finding that says what to change when it fails.
 */
#include "util/compat.h"

#include "connectors/linear/linear_int.h"

#include <stdlib.h>
#include <string.h>

#include "connectors/http.h"
#include "util/error.h"
#include "util/xalloc.h"

static void doctor_labels(struct linear_tracker *lt, const struct config *cfg,
                          struct tracker_findings *out)
{
	struct strlist names = {NULL, 0, 0};
	struct strbuf check = STRBUF_INIT;
	size_t i;

	if (cfg->label && *cfg->label)
		strlist_add(&names, cfg->label);
	for (i = 0; i < cfg->levers.nr; i++) {
		char *name =
		        xasprintf("%s%s", cfg->lever_label_prefix ? cfg->lever_label_prefix : "",
		                  cfg->levers.v[i]);
		strlist_add(&names, name);
		free(name);
	}
	for (i = 0; i < names.nr; i++) {
		const struct linear_label *l = linear_label_by_name(lt, names.v[i]);
		strbuf_reset(&check);
		strbuf_addf(&check, "label %s", names.v[i]);
		if (l && l->group)
			tracker_findings_add(
			        out, false, check.buf,
			        "'%s' is a label group in Linear, which cannot be applied "
			        "to issues: rename the group",
			        l->name);
		else if (l)
			tracker_findings_add(out, true, check.buf, "label '%s' exists (%s label)",
			                     l->name, l->team ? "team" : "workspace");
		else
			tracker_findings_add(
			        out, true, check.buf,
			        "label '%s' does not exist: the first sync creates it in "
			        "team %s",
			        names.v[i], lt->team_key);
	}
	strlist_clear(&names);
	strbuf_release(&check);
}

static int doctor_owners(struct linear_tracker *lt, const struct config *cfg,
                         struct tracker_findings *out)
{
	const char **q = xcalloc(cfg->owners_nr ? cfg->owners_nr : 1, sizeof(*q));
	struct strbuf check = STRBUF_INIT;
	size_t i;
	int error;

	for (i = 0; i < cfg->owners_nr; i++)
		q[i] = cfg->owners[i].linear && *cfg->owners[i].linear ? cfg->owners[i].linear
		                                                       : cfg->owners[i].email;
	if ((error = linear_load_users(lt, q, cfg->owners_nr)) < 0)
		goto done;
	for (i = 0; i < cfg->owners_nr; i++) {
		const struct config_owner *o = &cfg->owners[i];
		const struct linear_user *u = q[i] && *q[i] ? linear_user_find(lt, q[i]) : NULL;
		strbuf_reset(&check);
		strbuf_addf(&check, "owner %s", o->handle);
		if (!q[i] || !*q[i])
			tracker_findings_add(out, false, check.buf,
			                     "no email or Linear user: set email or linear in "
			                     "[owner \"%s\"] in %s (line %d)",
			                     o->handle, linear_conf_name(lt), o->line);
		else if (!u || !u->found)
			tracker_findings_add(
			        out, false, check.buf,
			        "no Linear user %s '%s': fix [owner \"%s\"] in %s (line %d)",
			        strchr(q[i], '@') ? "with email" : "with id", q[i], o->handle,
			        linear_conf_name(lt), o->line);
		else if (!u->active)
			tracker_findings_add(out, false, check.buf,
			                     "user %s is deactivated: update [owner \"%s\"] in %s "
			                     "(line %d)",
			                     u->email, o->handle, linear_conf_name(lt), o->line);
		else
			tracker_findings_add(out, true, check.buf, "%s <%s>", u->name, u->email);
	}
done:
	strbuf_release(&check);
	free(q);
	return error;
}

static int doctor_run(struct linear_tracker *lt, const struct config *cfg,
                      struct tracker_findings *out)
{
	struct strbuf check = STRBUF_INIT, keys = STRBUF_INIT;
	const struct linear_state *st;
	bool found = false;
	int error;

	if ((error = linear_load_viewer(lt)) == PM_EAUTH) {
		tracker_findings_add(out, false, "token", "%s; it was sent to %s",
		                     pm_error_detail(), lt->host);
		error = 0;
		goto done;
	}
	if (error < 0)
		goto done;
	tracker_findings_add(out, true, "token", "%s works: %s in workspace '%s', sent to %s",
	                     lt->token_var, lt->viewer, lt->org_key, lt->host);
	if (!cfg->linear_team || !*cfg->linear_team) {
		if ((error = linear_load_team_keys(lt)) < 0)
			goto done;
		linear_team_keys_list(&keys, lt);
		tracker_findings_add(out, false, "team",
		                     "linear.team is not set: set it in %s to one of: %s",
		                     linear_conf_name(lt), keys.buf);
		goto owners;
	}
	strbuf_addf(&check, "team %s", cfg->linear_team);
	if ((error = linear_load_team(lt, &found)) < 0)
		goto done;
	if (!found) {
		linear_team_keys_list(&keys, lt);
		tracker_findings_add(out, false, check.buf,
		                     "team '%s' not found: set linear.team in %s to one of: %s",
		                     cfg->linear_team, linear_conf_name(lt), keys.buf);
		goto owners;
	}
	tracker_findings_add(out, true, check.buf, "team %s (%s), %zu workflow states",
	                     lt->team_key, lt->team_name, lt->states_nr);
	if ((error = linear_load_labels(lt)) < 0)
		goto done;
	doctor_labels(lt, cfg, out);
	if (cfg->removed == PM_REMOVED_CANCEL) {
		st = linear_canceled_state(lt);
		if (st)
			tracker_findings_add(out, true, "canceled state",
			                     "removed items are canceled into state '%s'",
			                     st->name);
		else
			tracker_findings_add(
			        out, false, "canceled state",
			        "team %s has no workflow state of type canceled: add one "
			        "in Linear or set sync.removed = keep in %s",
			        lt->team_key, linear_conf_name(lt));
	}
owners:
	error = doctor_owners(lt, cfg, out);
done:
	strbuf_release(&check);
	strbuf_release(&keys);
	return error;
}

int linear_doctor(struct tracker *t, const struct config *cfg, struct tracker_findings *out)
{
	struct linear_tracker *lt = linear_tracker_of(t);
	bool dry = http_client_dry_run(lt->http);
	int error;

	http_client_set_dry_run(lt->http, true);
	error = doctor_run(lt, cfg ? cfg : lt->base.cfg, out);
	http_client_set_dry_run(lt->http, dry);
	return error;
}
