#!/usr/bin/env bash
# `pmsync report --write-back` against the fake Linear: the nightly job's
# sequence (sync, write-back with --commit, the branch merged, sync again)
# creates no ticket twice and ends with nothing planned; --commit leaves the
# checked-out branch and the working tree alone and commits only the changed
# postmortems on report.branch; a second write-back changes nothing; without
# --commit the working tree is written, except a file with local edits.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-01-14-login-outage.md 2026-02-03-queue-backlog.md
LOGIN=docs/postmortems/2026-01-14-login-outage.md
QUEUE=docs/postmortems/2026-02-03-queue-backlog.md

run_pmsync -C "$R" sync
check_rc "the first sync succeeds" 0
check_eq "five tickets" 5 "$(fake_issues 'd.length')"
alert=$(fake_ref "Alert when the login")
ntp=$(fake_ref "Write a runbook entry")
page=$(fake_ref "Page the on-call")
fake POST "/__fake/issues/$alert/state" '{"type": "completed"}' >/dev/null
fake POST "/__fake/issues/$ntp/state" '{"type": "canceled"}' >/dev/null

head_before=$(git -C "$R" rev-parse HEAD)
run_pmsync -C "$R" report --write-back --commit
check_rc "report --write-back --commit succeeds" 0
check_has "it says where it committed" "on branch 'pmsync/closure-state'" "$ERR"
check_eq "the checked-out branch is untouched" "$head_before" "$(git -C "$R" rev-parse HEAD)"
check_eq "main is still checked out" main "$(git -C "$R" symbolic-ref --short HEAD)"
check_eq "the working tree is untouched" "" "$(git -C "$R" status --porcelain)"
check_eq "the commit's parent is the revision read" "$head_before" \
	"$(git -C "$R" rev-parse pmsync/closure-state^)"
check_eq "the commit holds only the changed postmortems" "$LOGIN $QUEUE" \
	"$(git -C "$R" diff --name-only main pmsync/closure-state | sort | tr '\n' ' ' | sed 's/ $//')"
check_has "the message lists what changed" "$QUEUE: " \
	"$(git -C "$R" log -1 --format=%B pmsync/closure-state)"

run_pmsync -C "$R" --rev pmsync/closure-state items --format json
printf '%s' "$OUT" >"$TMP/items.json"
item() { json_eval "(i => i.ticket_key + ' ' + i.status)(d.postmortems.flatMap(p => p.items).find(i => i.text.startsWith($(js_string "$1"))))" "$TMP/items.json"; }
check_eq "a completed ticket: its key and done" "$alert done" "$(item "Alert when the login")"
check_eq "a canceled ticket: canceled" "$ntp canceled" "$(item "Write a runbook entry")"
check_eq "an open ticket: its key, open" "$page open" "$(item "Page the on-call")"
check_eq "a row naming a GitHub issue keeps it" "null open" "$(item "Follow the upstream fix")"

# --- the bot's pull request is merged; the nightly job syncs again
git -C "$R" merge -q --ff-only pmsync/closure-state
run_pmsync -C "$R" sync
check_rc "the sync after the write-back succeeds" 0
check_has "it creates nothing" "Applied: 0 created" "$OUT"
check_eq "still five tickets: none twice" 5 "$(fake_issues 'd.length')"
run_pmsync -C "$R" --dry-run --detailed-exitcode
check_rc "then no change is planned" 0
check_eq "still five tickets" 5 "$(fake_issues 'd.length')"

branch_before=$(git -C "$R" rev-parse pmsync/closure-state)
run_pmsync -C "$R" report --write-back --commit
check_rc "a second write-back succeeds" 0
check_has "a second write-back has nothing to write" "nothing to write back" "$ERR"
check_eq "and makes no commit" "$branch_before" "$(git -C "$R" rev-parse pmsync/closure-state)"

# --- without --commit: the working tree, except a file edited locally
fake POST "/__fake/issues/$page/state" '{"type": "completed"}' >/dev/null
fake POST "/__fake/issues/$(fake_ref "Add an integration test")/state" '{"type": "completed"}' >/dev/null
printf '\nA local note.\n' >>"$R/$LOGIN"
run_pmsync -C "$R" report --write-back
check_rc "report --write-back succeeds" 0
check_has "the locally edited file is left alone" "$LOGIN: left alone" "$ERR"
check_has "the other file is written (a Status column added, one cell)" "$QUEUE: 2 cells written" "$ERR"
check_eq "only the other file and the local edit differ" "$LOGIN $QUEUE" \
	"$(git -C "$R" diff --name-only | sort | tr '\n' ' ' | sed 's/ $//')"
check_has "the page item now says done" "| done |" "$(grep 'Page the on-call' "$R/$QUEUE")"

# --- never on the checked-out branch
git -C "$R" checkout -q -- .
set_conf "$R" report.branch main
run_pmsync -C "$R" report --write-back --commit
check_rc "--commit onto the checked-out branch is refused" 3
check_has "it says why" "checked-out branch" "$ERR"
finish
