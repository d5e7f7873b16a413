#!/usr/bin/env bash
# `pmsync doctor` against the fake Linear: all ok on a good setup (exit 0);
# a refused token (exit 5); a missing token (exit 5, naming the variable); an
# unknown team (exit 4, naming linear.team); an [owner] whose email Linear
# does not know (exit 4, naming the section); an owner used in a postmortem
# without a section (exit 4). Doctor never writes. Configuration errors stop
# a sync with exit 4 too.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-01-14-login-outage.md 2026-02-03-queue-backlog.md

# --- a good setup
run_pmsync -C "$R" doctor
check_rc "doctor on a good setup exits 0" 0
check_has "doctor reports ok lines" "ok: " "$OUT"
check_lacks "doctor reports no error" "error:" "$OUT$ERR"
check_eq "doctor writes nothing" 0 "$(fake_stat mutations)"

# --- the team key in any case, as Linear matches it
set_conf "$R" linear.team eng
run_pmsync -C "$R" doctor
check_rc "linear.team = eng names team ENG" 0
check_has "doctor finds the team" "ENG" "$OUT"
run_pmsync -C "$R" plan
check_rc "a plan with linear.team = eng succeeds" 0
set_conf "$R" linear.team ENG

# --- a token Linear refuses
LINEAR_API_KEY=lin_api_wrong run_pmsync -C "$R" doctor
check_rc "doctor with a refused token exits 5" 5
check_has "doctor names the token" "token" "$OUT$ERR"
check_lacks "the refused token is not printed" "lin_api_wrong" "$OUT$ERR"

# --- no token at all
env -u LINEAR_API_KEY "$PMSYNC" -C "$R" doctor >"$TMP/out" 2>"$TMP/err"
RC=$?
OUT=$(cat "$TMP/out")
ERR=$(cat "$TMP/err")
check_rc "doctor without a token exits 5" 5
check_has "doctor names LINEAR_API_KEY" "LINEAR_API_KEY" "$OUT$ERR"

# --- a team Linear does not have
git config -f "$R/.pmsync.conf" linear.team NOPE
git_commit "$R" "Use a team that does not exist"
run_pmsync -C "$R" doctor
check_rc "doctor with an unknown team exits 4" 4
check_has "doctor names linear.team" "linear.team" "$OUT$ERR"
check_has "doctor names the team" "NOPE" "$OUT$ERR"
git config -f "$R/.pmsync.conf" linear.team ENG
git_commit "$R" "Back to team ENG"

# --- an owner whose email Linear does not know
git config -f "$R/.pmsync.conf" owner.dave.email dave@example.com
sed -i 's/| @alice | 2026-04-30 | test |/| @dave | 2026-04-30 | test |/' \
	"$R/docs/postmortems/2026-02-03-queue-backlog.md"
git_commit "$R" "Give the load test to dave"
run_pmsync -C "$R" doctor
check_rc "doctor with an unknown owner email exits 4" 4
check_has "doctor names the owner section" 'owner "dave"' "$OUT$ERR"
check_has "doctor names the email" "dave@example.com" "$OUT$ERR"
git config -f "$R/.pmsync.conf" --remove-section owner.dave
git_commit "$R" "Drop dave's section"

# --- an owner used in a postmortem without an [owner] section
run_pmsync -C "$R" doctor
check_rc "doctor with an owner lacking a section exits 4" 4
check_has "doctor says which section to add" '[owner "dave"]' "$OUT"
check_has "doctor says where the owner is used" "docs/postmortems/2026-02-03-queue-backlog.md:" "$OUT"
# --- configuration errors stop a sync with exit 4, naming the key
git config -f "$R/.pmsync.conf" --unset linear.team
git_commit "$R" "No team"
run_pmsync -C "$R" sync
check_rc "sync without linear.team exits 4" 4
check_has "sync names linear.team" "linear.team" "$ERR"
git config -f "$R/.pmsync.conf" tracker.kind jira
git config -f "$R/.pmsync.conf" jira.url https://acme.atlassian.net
git config -f "$R/.pmsync.conf" jira.project OPS
git_commit "$R" "Try Jira"
run_pmsync -C "$R" sync
check_rc "sync with tracker.kind = jira and no Jira token exits 5" 5
check_has "sync names the Jira token variables" "JIRA_EMAIL and JIRA_API_TOKEN (Cloud) or JIRA_PAT" "$ERR"
git config -f "$R/.pmsync.conf" --remove-section tracker
git_commit "$R" "No tracker"
run_pmsync -C "$R" --dry-run
check_rc "a dry run without tracker.kind exits 4" 4
check_has "it says to set tracker.kind" "set tracker.kind in .pmsync.conf" "$ERR"
run_pmsync -C "$R" doctor
check_rc "doctor without tracker.kind exits 4" 4

check_eq "doctor never wrote" 0 "$(fake_stat mutations)"
check_lacks "no token in any output" "lin_api_test" "$OUT$ERR"

finish
