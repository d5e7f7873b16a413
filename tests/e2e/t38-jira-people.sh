#!/usr/bin/env bash
# What people do around pmsync's Jira issues: an owner Jira cannot find
# leaves the issue unassigned with a note naming the item, and the run
# succeeds; an owner whose e-mail Jira hides is still assigned; labels a
# person adds stay through pmsync's updates; a description a person
# rewrites while the postmortem changes it too (its due line) is a conflict,
# left alone, while the postmortem's other changes go on.
. "$(dirname "$0")/lib.sh"

jira_start
R="$TMP/repo"
jira_repo "$R" 2026-01-14-login-outage.md
PM="$R/docs/postmortems/2026-01-14-login-outage.md"
git config -f "$R/.pmsync.conf" owner.alice.email nobody@example.com
git_commit "$R" "alice under an e-mail Jira does not know"

run_pmsync -C "$R" sync
check_rc "a sync with an owner Jira cannot find succeeds" 0
check_has "the note names the owner" "nobody@example.com" "$OUT"
check_has "and says the issue is left unassigned" "left unassigned" "$OUT"
check_eq "alice's issue is unassigned" null "$(fake_issues 'd.find(i => i.summary.startsWith("Alert when the login")).assignee')"
check_eq "bob, whose e-mail Jira hides, is assigned" "bob@example.com" \
	"$(fake_issues 'd.find(i => i.summary.startsWith("Add an integration test")).assignee')"

key=$(fake_issues 'd.find(i => i.summary.startsWith("Add an integration test")).key')
fake POST "/__fake/issues/$key/update" '{"labels": ["customer-facing", "lever:test", "pmsync"]}' >/dev/null
run_pmsync -C "$R" sync
check_has "a label a person adds is no change" "No changes." "$OUT"
sed -i 's/| @bob | 2026-03-15 | test |/| @bob | 2026-03-29 | code |/' "$PM"
git_commit "$R" "Move the clock-skew test, another lever"
run_pmsync -C "$R" sync
check_rc "the update succeeds" 0
check_eq "pmsync's labels follow the row, the person's label stays" '["customer-facing","lever:code","pmsync"]' \
	"$(fake_issues "d.find(i => i.key === '$key').labels")"

fake POST "/__fake/issues/$key/update" '{"description": "Rewritten by a person in Jira."}' >/dev/null
sed -i 's/| @bob | 2026-03-29 | code |/| @bob | 2026-04-05 | code |/' "$PM"
git_commit "$R" "Move it again"
run_pmsync -C "$R" sync
check_rc "a sync with a rewritten description succeeds" 0
check_has "the rewritten description is a conflict, left alone" "changed in Jira and in the postmortem: left alone" "$OUT"
check_eq "the person's description stands" true \
	"$(fake_issues "JSON.stringify(d.find(i => i.key === '$key').description).includes('Rewritten by a person')")"
check_eq "the due date from the postmortem is written" "2026-04-05" \
	"$(fake_issues "d.find(i => i.key === '$key').duedate")"

finish
