#!/usr/bin/env bash
# `pmsync sync` against the fake Jira (Cloud, or Data Center with
# JIRA_DEPLOYMENT=datacenter, with bulk create when JIRA_DC_BULK=1), over
# real libcurl: a first sync creates one issue per open item, each carrying
# pmsync's label and its marker property from the create on; a second sync
# writes nothing; an edited row updates its issue; a person's edit is drift,
# left alone; a removed row is canceled with sync.removed = cancel, into a
# resolution the plan then reads as canceled; a done issue shows as done;
# --rebuild-state links the same issues again.
. "$(dirname "$0")/lib.sh"

args=()
[ "${JIRA_DEPLOYMENT:-cloud}" = datacenter ] && args+=(--deployment datacenter)
[ "${JIRA_DC_BULK:-0}" = 1 ] && args+=(--dc-bulk)
jira_start "${args[@]}"
R="$TMP/repo"
jira_repo "$R" 2026-01-14-login-outage.md 2026-02-03-queue-backlog.md
PM="$R/docs/postmortems/2026-01-14-login-outage.md"

issue() { # TITLE_PREFIX EXPR: EXPR over the issue whose summary starts so, bound to `i`
	fake_issues "(i => $2)(d.find(i => i.summary.startsWith($(js_string "$1"))) || {})"
}

# --- first sync
run_pmsync -C "$R" sync
check_rc "first sync succeeds" 0
check_has "first sync reports 5 creates" "Applied: 5 created, 0 updated, 0 canceled, 0 adopted." "$OUT"
check_eq "the fake holds 5 issues" 5 "$(fake_issues 'd.length')"
check_eq "one issue per open item, summaries as written" true \
	"$(fake_issues "JSON.stringify(d.map(i => i.summary).sort()) === JSON.stringify($FIXTURE_TITLES.sort())")"
check_eq "every issue is in OPS with the pmsync label" true \
	"$(fake_issues 'd.every(i => i.key.startsWith("OPS-") && i.labels.includes("pmsync"))')"
check_eq "every issue carries the marker property, naming its item" true \
	"$(fake_issues 'd.every(i => i.properties.pmsync && i.properties.pmsync.key && i.properties.pmsync.repo === d[0].properties.pmsync.repo)')"
check_has "the marker names the repository" "acme/service" "$(fake_issues 'd[0].properties.pmsync.repo')"
check_eq "owners mapped to assignees" "alice@example.com" "$(issue "Alert when the login" 'i.assignee')"
check_eq "due dates written" "2026-03-15" "$(issue "Add an integration test" 'i.duedate')"
check_has "the done item is listed, not created" "Roll back the auth library to 4.1" "$OUT"
check "the state file is written" test -s "$R/.pmsync/state.json"
check_eq "the state remembers Jira's issue ids" true \
	"$(json_eval 'Object.values(d.items).every(v => /^[0-9]+$/.test(v.ticket_id))' "$R/.pmsync/state.json")"
check_eq "the journal holds the new issues' ids until the next run" 5 \
	"$(json_eval 'd.creating.filter(e => /^[0-9]+$/.test(e.id)).length' "$R/.pmsync/state.json.journal")"
check_lacks "no token in the output" "jira-test-" "$OUT$ERR"

# --- second sync: nothing to write
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync
check_rc "second sync succeeds" 0
check_has "second sync has no changes" "No changes." "$OUT"
check_eq "second sync sends no write" "$mutations" "$(fake_stat mutations)"
check "the second sync settles the journal" test ! -e "$R/.pmsync/state.json.journal"

# --- an edited row updates its issue
sed -i 's/| @bob | 2026-03-15 | test |/| @bob | 2026-03-29 | test |/' "$PM"
git_commit "$R" "Move the clock-skew test"
run_pmsync -C "$R" --dry-run
check_has "the plan shows old -> new" "2026-03-15 -> 2026-03-29" "$OUT"
check_has "the plan counts one update" "Plan: 0 to create, 1 to update, 0 to cancel, 0 to adopt." "$OUT"
run_pmsync -C "$R" sync
check_rc "the update sync succeeds" 0
check_has "one issue updated" "Applied: 0 created, 1 updated" "$OUT"
check_eq "the issue's due date changed" "2026-03-29" "$(issue "Add an integration test" 'i.duedate')"
check_eq "no issue created by an update" 5 "$(fake_issues 'd.length')"
run_pmsync -C "$R" sync
check_has "after the update: no changes" "No changes." "$OUT"

# --- a person edits a summary in Jira: drift, left alone
alert=$(issue "Alert when the login" 'i.key')
fake POST "/__fake/issues/$alert/update" '{"summary": "Alert on login errors (edited in Jira)"}' >/dev/null
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync
check_rc "sync with drift succeeds" 0
check_has "the drift is reported" "Alert on login errors (edited in Jira)" "$OUT"
check_eq "the person's summary stands" "Alert on login errors (edited in Jira)" \
	"$(fake_issues "d.find(i => i.key === '$alert').summary")"
check_eq "drift sends no write" "$mutations" "$(fake_stat mutations)"

# --- sync.removed = cancel
ntp=$(issue "Write a runbook entry" 'i.key')
sed -i '/^| LOG-3 /d' "$PM"
git_commit "$R" "Drop the NTP runbook item"
set_conf "$R" sync.removed cancel
run_pmsync -C "$R" --dry-run
check_has "the plan cancels the orphaned issue" "-  cancel $ntp" "$OUT"
run_pmsync -C "$R" sync
check_rc "the cancelling sync succeeds" 0
check_has "one issue canceled" "1 canceled" "$OUT"
check_eq "the issue is done with resolution Won't Do" "done/Won't Do" \
	"$(fake_issues "(i => i.statusCategory + '/' + i.resolution)(d.find(i => i.key === '$ntp'))")"
run_pmsync -C "$R" sync
check_has "a canceled issue is not canceled again" "No changes." "$OUT"

# --- an issue a person finished shows as done
page=$(issue "Page the on-call" 'i.key')
fake POST "/__fake/issues/$page/state" '{"status": "Done", "resolution": "Done"}' >/dev/null
run_pmsync -C "$R" plan --format json
printf '%s\n' "$OUT" >"$TMP/plan.json"
check_eq "the finished issue is done in the plan" done \
	"$(json_eval "d.changes.find(c => c.ticket && c.ticket.ref === '$page').ticket.status" "$TMP/plan.json")"

# --- --rebuild-state links the same issues
before=$(json_eval 'JSON.stringify(Object.entries(d.items).map(([k, v]) => k + "=" + v.ticket_id).sort())' "$R/.pmsync/state.json")
rm -f "$R/.pmsync/state.json"
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync --rebuild-state
check_rc "sync --rebuild-state succeeds" 0
check_eq "a rebuilt state writes nothing to Jira" "$mutations" "$(fake_stat mutations)"
check_eq "the rebuilt state links the same items to the same issues" "$before" \
	"$(json_eval 'JSON.stringify(Object.entries(d.items).map(([k, v]) => k + "=" + v.ticket_id).sort())' "$R/.pmsync/state.json")"

finish
