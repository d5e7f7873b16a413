#!/usr/bin/env bash
# Drift and conflicts against the fake Linear: a ticket re-dated in Linear is
# reported and left alone; when the postmortem changes the same field too it
# is a conflict, still left alone, until --prefer-postmortem lets the
# postmortem win.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-02-03-queue-backlog.md
PM="$R/docs/postmortems/2026-02-03-queue-backlog.md"

run_pmsync -C "$R" sync
check_rc "first sync succeeds" 0
check_eq "two issues made" 2 "$(fake_issues 'd.length')"
page=$(fake_ref "Page the on-call")
check "the paging ticket exists" test -n "$page"

# --- drift: a person re-dates the ticket in Linear
fake POST "/__fake/issues/$page/update" '{"dueDate": "2026-06-01"}' >/dev/null
run_pmsync -C "$R" plan
check_rc "the plan with drift succeeds" 0
check_has "drift is marked with the old and new value" "! due:" "$OUT"
check_has "drift names both dates" "2026-03-10 -> 2026-06-01 (changed in Linear: left alone)" "$OUT"
check_has "drift names the ticket" "$page" "$OUT"
check_has "drift is counted, with no change" "No changes. Drift: 1 ticket changed in Linear (left alone)." "$OUT"
run_pmsync -C "$R" plan --format json
printf '%s\n' "$OUT" >"$TMP/plan.json"
check_eq "the JSON plan lists the drifted field" due \
	"$(json_eval "d.changes.find(c => c.ticket && c.ticket.ref === '$page').drift[0].field" "$TMP/plan.json")"
check_eq "the JSON summary counts the drift" 1 "$(json_eval 'd.summary.drift' "$TMP/plan.json")"
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync
check_rc "sync with drift succeeds" 0
check_eq "drift is left alone: no mutation" "$mutations" "$(fake_stat mutations)"
check_eq "Linear's date stays" 2026-06-01 "$(fake_issues "d.find(i => i.identifier === '$page').dueDate")"

# --- drift on another field: the title edited in Linear
fake POST "/__fake/issues/$page/update" '{"title": "Page on queue age over 10 min"}' >/dev/null
run_pmsync -C "$R" plan
check_has "a retitled ticket is drift too" "! title:" "$OUT"
run_pmsync -C "$R" sync
check_eq "the title edited in Linear stays" "Page on queue age over 10 min" \
	"$(fake_issues "d.find(i => i.identifier === '$page').title")"

# --- conflict: the postmortem moves the same date
sed -i 's/| @bob | 2026-03-10 | alert |/| @bob | 2026-07-01 | alert |/' "$PM"
git_commit "$R" "Move the paging item"
run_pmsync -C "$R" plan
check_rc "the plan with a conflict succeeds" 0
check_has "the conflict shows Linear's and the postmortem's dates" "2026-06-01 -> 2026-07-01" "$OUT"
check_has "the conflict is left alone and says how to overwrite" "left alone; --prefer-postmortem overwrites" "$OUT"
check_has "the conflict is counted" "Conflicts: 1 ticket changed on both sides." "$OUT"
run_pmsync -C "$R" sync
check_rc "sync with a conflict succeeds" 0
check_eq "without --prefer-postmortem, Linear's date stays" 2026-06-01 \
	"$(fake_issues "d.find(i => i.identifier === '$page').dueDate")"

# --- --prefer-postmortem: the postmortem wins the conflict
run_pmsync -C "$R" plan --prefer-postmortem
check_has "the plan says the postmortem wins" "the postmortem wins" "$OUT"
run_pmsync -C "$R" sync --prefer-postmortem
check_rc "sync --prefer-postmortem succeeds" 0
check_has "the conflict is written" "1 updated" "$OUT"
check_eq "the postmortem's date is in Linear" 2026-07-01 \
	"$(fake_issues "d.find(i => i.identifier === '$page').dueDate")"
check_eq "the title drift, not in conflict, is still left alone" "Page on queue age over 10 min" \
	"$(fake_issues "d.find(i => i.identifier === '$page').title")"
run_pmsync -C "$R" plan
check_lacks "after --prefer-postmortem, no conflict remains" "Conflicts:" "$OUT"
check_lacks "and no date drift" "! due:" "$OUT"

# --- an archived managed issue keeps its marker and is not rewritten: Linear
# hides an archived issue's attachments unless asked for them
load=$(fake_ref "Load-test the consumer")
fake POST "/__fake/issues/$load/update" '{"archived": true}' >/dev/null
mutations=$(fake_stat mutations)
run_pmsync -C "$R" plan
check_rc "the plan with an archived ticket succeeds" 0
check_lacks "the archived ticket is not planned as a create" "+  create" "$OUT"
check_lacks "nor as an update" "~  update $load" "$OUT"
run_pmsync -C "$R" sync
check_rc "sync with an archived ticket succeeds" 0
check_eq "the archived ticket is not rewritten: no mutation" "$mutations" "$(fake_stat mutations)"
check_eq "it still carries one marker" 1 \
	"$(fake_issues "d.find(i => i.identifier === '$load').attachments.length")"
check_eq "no second ticket is made" 2 "$(fake_issues 'd.length')"
run_pmsync -C "$R" sync --rebuild-state
check_rc "a rebuilt state finds the archived ticket too" 0
check_eq "still no second ticket after a rebuild" 2 "$(fake_issues 'd.length')"

finish
