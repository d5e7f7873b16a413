#!/usr/bin/env bash
# `pmsync sync` against the fake Linear, over real libcurl: a first sync
# creates one ticket per open item, a second writes nothing, an edited row
# updates its ticket, a row naming an existing ticket adopts it and brings
# it in line with the row in the same sync, a removed
# row follows sync.removed (keep: listed as orphaned; cancel: canceled), and
# a ticket completed in Linear shows as done in the plan.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-01-14-login-outage.md 2026-02-03-queue-backlog.md
PM="$R/docs/postmortems/2026-01-14-login-outage.md"


# --- first sync: one ticket per open item, nothing for done or elsewhere items
run_pmsync -C "$R" sync
check_rc "first sync succeeds" 0
check_has "first sync reports 5 creates" "Applied: 5 created, 0 updated, 0 canceled, 0 adopted." "$OUT"
check_eq "the fake holds 5 issues" 5 "$(fake_issues 'd.length')"
check_eq "one issue per open item, titles as written" true \
	"$(fake_issues "JSON.stringify(d.map(i => i.title).sort()) === JSON.stringify($FIXTURE_TITLES.sort())")"
check_eq "every issue is in team ENG with the pmsync label" true \
	"$(fake_issues 'd.every(i => i.teamKey === "ENG" && i.labels.includes("pmsync"))')"
check_eq "every issue carries one pmsync link" true \
	"$(fake_issues 'd.every(i => i.attachments.length === 1 && i.attachments[0].url.startsWith("https://example.com/acme/blob/main/docs/postmortems/"))')"
check_eq "owners mapped to assignees" "alice@example.com" \
	"$(fake_issues 'd.find(i => i.title.startsWith("Alert when the login")).assigneeEmail')"
check_eq "due dates written" "2026-03-15" \
	"$(fake_issues 'd.find(i => i.title.startsWith("Add an integration test")).dueDate')"
check_has "the done item is listed, not created" "Roll back the auth library to 4.1" "$OUT"
check_has "the GitHub item is listed as tracked elsewhere" "Tracked elsewhere" "$OUT"
check "the state file is written" test -s "$R/.pmsync/state.json"
check_lacks "no token in the output" "lin_api_test" "$OUT$ERR"

# --- second sync: nothing to write
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync
check_rc "second sync succeeds" 0
check_has "second sync has no changes" "No changes." "$OUT"
# Linear hands descriptions back re-serialised from rich text (so does the fake)
check_eq "Linear's descriptions are not the text sent" true \
	"$(fake_issues 'd.every(i => !i.description.endsWith("\n"))')"
check_lacks "no drift is reported against re-serialised descriptions" "Drift" "$OUT"
check_lacks "nor any conflict" "onflict" "$OUT"
check_eq "second sync sends no mutation" "$mutations" "$(fake_stat mutations)"
check_eq "still 5 issues" 5 "$(fake_issues 'd.length')"

# --- an edited row updates its ticket
sed -i 's/| @bob | 2026-03-15 | test |/| @bob | 2026-03-29 | test |/' "$PM"
git_commit "$R" "Move the clock-skew test"
run_pmsync -C "$R" --dry-run
check_has "the plan shows the new due date" "due:" "$OUT"
check_has "the plan shows old -> new" "2026-03-15 -> 2026-03-29" "$OUT"
check_has "the plan counts one update" "Plan: 0 to create, 1 to update, 0 to cancel, 0 to adopt." "$OUT"
check_lacks "the edited row is an update, not a conflict" "onflict" "$OUT"
check_lacks "and shows no drift" "Drift" "$OUT"
run_pmsync -C "$R" sync
check_rc "the update sync succeeds" 0
check_has "one ticket updated" "Applied: 0 created, 1 updated" "$OUT"
check_eq "the ticket's due date changed" "2026-03-29" \
	"$(fake_issues 'd.find(i => i.title.startsWith("Add an integration test")).dueDate')"
check_eq "no issue created by an update" 5 "$(fake_issues 'd.length')"
check_eq "the description says the new date, in Linear's form" true \
	"$(fake_issues 'd.find(i => i.title.startsWith("Add an integration test")).description.includes("- Due: 2026-03-29")')"
run_pmsync -C "$R" plan
check_has "after the update nothing is left to do" "No changes." "$OUT"
check_lacks "and nothing reads as drift" "Drift" "$OUT"

# --- a row naming an existing ticket adopts it
fake POST /__fake/seed '{"issues": [{"teamKey": "ENG", "title": "Rotate the token signing keys every quarter", "assigneeEmail": "bob@example.com"}]}' >/dev/null
seeded=$(json_eval 'd.issues[0].identifier')
check "a ticket is seeded" test -n "$seeded"
sed -i "/^| LOG-5 /a | LOG-6 | Rotate the token signing keys every quarter | @bob | 2026-05-01 | code | $seeded | open |" "$PM"
git_commit "$R" "Name the key-rotation ticket"
run_pmsync -C "$R" plan
check_has "the plan adopts the named ticket" "<= adopt $seeded" "$OUT"
check_has "the plan counts one adoption" "0 to create, 0 to update, 0 to cancel, 1 to adopt." "$OUT"
check_has "the plan shows the row's values to write, old -> new" "due:         (none) -> 2026-05-01" "$OUT"
check_lacks "nothing is left for a next sync" "next sync" "$OUT"
run_pmsync -C "$R" sync
check_rc "the adopting sync succeeds" 0
check_has "one ticket adopted" "Applied: 0 created, 0 updated, 0 canceled, 1 adopted." "$OUT"
check_eq "adoption creates no issue" 6 "$(fake_issues 'd.length')"
check_eq "the adopted ticket gets the pmsync link" 1 \
	"$(fake_issues "d.find(i => i.identifier === '$seeded').attachments.length")"
check_eq "the adopting sync writes the row's due date at once" 2026-05-01 \
	"$(fake_issues "d.find(i => i.identifier === '$seeded').dueDate")"
check_eq "and pmsync's labels" '["pmsync","lever:code"]' \
	"$(fake_issues "d.find(i => i.identifier === '$seeded').labels")"
run_pmsync -C "$R" --dry-run
check_has "adoption converges in one sync: then no changes" "No changes." "$OUT"
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync
check_eq "and the next sync writes nothing" "$mutations" "$(fake_stat mutations)"

# --- a removed row, sync.removed = keep (the default): listed as orphaned
ntp=$(fake_ref "Write a runbook entry")
sed -i '/^| LOG-3 /d' "$PM"
git_commit "$R" "Drop the NTP runbook item"
run_pmsync -C "$R" sync
check_rc "sync after a removal succeeds" 0
check_has "the removed item's ticket is listed as orphaned" "Orphaned tickets" "$OUT"
check_has "the orphaned ticket is named" "$ntp" "$OUT"
check_eq "keep leaves the ticket open" false \
	"$(fake_issues "['canceled', 'completed', 'duplicate'].includes(d.find(i => i.identifier === '$ntp').state.type)")"

# --- sync.removed = cancel: the ticket is canceled
set_conf "$R" sync.removed cancel
run_pmsync -C "$R" --dry-run
check_has "the plan cancels the orphaned ticket" "-  cancel $ntp" "$OUT"
run_pmsync -C "$R" sync
check_rc "the cancelling sync succeeds" 0
check_has "one ticket canceled" "1 canceled" "$OUT"
check_eq "the ticket is canceled in Linear" canceled \
	"$(fake_issues "d.find(i => i.identifier === '$ntp').state.type")"
run_pmsync -C "$R" sync
check_has "a canceled ticket is not canceled again" "No changes." "$OUT"

# --- a ticket completed in Linear shows as done
alert=$(fake_ref "Alert when the login")
fake POST "/__fake/issues/$alert/state" '{"type": "completed"}' >/dev/null
run_pmsync -C "$R" plan --format json
check_rc "the JSON plan succeeds" 0
printf '%s\n' "$OUT" >"$TMP/plan.json"
check_eq "the completed ticket is done in the plan" done \
	"$(json_eval "d.changes.find(c => c.ticket && c.ticket.ref === '$alert').ticket.status" "$TMP/plan.json")"
run_pmsync -C "$R" plan
check_has "the text plan counts it done" "1 done" "$OUT"
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync
check_rc "sync after the completion succeeds" 0
check_eq "a done ticket is not written" "$mutations" "$(fake_stat mutations)"
check_eq "the completed ticket stays completed" completed \
	"$(fake_issues "d.find(i => i.identifier === '$alert').state.type")"

# --- --rebuild-state: the state file comes back from the markers in Linear
before=$(json_eval 'JSON.stringify(Object.entries(d.items).map(([k, v]) => k + "=" + v.ticket_id).sort())' "$R/.pmsync/state.json")
rm -f "$R/.pmsync/state.json"
run_pmsync -C "$R" sync --rebuild-state
check_rc "sync --rebuild-state succeeds" 0
check_has "a rebuilt state changes nothing in Linear" "No changes." "$OUT"
check "the state file is back" test -s "$R/.pmsync/state.json"
check_eq "the rebuilt state links the same items to the same tickets" "$before" \
	"$(json_eval 'JSON.stringify(Object.entries(d.items).map(([k, v]) => k + "=" + v.ticket_id).sort())' "$R/.pmsync/state.json")"

# --- an unreadable postmortem: reported, its tickets left alone (even with removed = cancel)
QPM="$R/docs/postmortems/2026-02-03-queue-backlog.md"
page=$(fake_ref "Page the on-call")
printf '\xff\xfe\x00broken\n' >>"$QPM"
git_commit "$R" "Break the queue postmortem"
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync
check_rc "sync with an unreadable postmortem still succeeds" 0
check_has "the unreadable file is reported on stderr" "2026-02-03-queue-backlog.md" "$ERR"
check_has "its tickets are listed as unknown" "Unknown:" "$OUT"
check_has "its tickets are named" "$page" "$OUT"
check_eq "its tickets are not canceled" "$mutations" "$(fake_stat mutations)"
check_eq "the paging ticket is still open" false \
	"$(fake_issues "['canceled', 'completed'].includes(d.find(i => i.identifier === '$page').state.type)")"

finish
