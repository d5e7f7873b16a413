#!/usr/bin/env bash
# Another repository's tickets are not ours. A row naming a ticket that
# another repository manages (its pmsync marker is on it) is listed as
# managed there, never adopted, retitled or given a second marker; two
# rows naming one ticket get "named twice, also at file:line"; adoptions
# overwrite fields people wrote, so they count against sync.maxChanges.
. "$(dirname "$0")/lib.sh"

linear_start
A="$TMP/ops"
linear_repo "$A" 2026-01-14-login-outage.md
git -C "$A" remote set-url origin https://github.com/acme/ops.git
run_pmsync -C "$A" sync
check_rc "repository acme/ops syncs" 0
theirs=$(fake_ref "Alert when the login error rate")
check "acme/ops has a ticket" test -n "$theirs"
their_title=$(fake_issues "d.find(i => i.identifier === '$theirs').title")

# pm_file DIR NAME ROWS: a postmortem with the given action-item rows (ID, Action, Ticket).
pm_file() {
	{
		printf '# %s\n\n## Summary\n\nText.\n\n## Action items\n\n' "$2"
		printf '| ID | Action | Owner | Due | Lever | Ticket |\n|----|----|----|----|----|----|\n'
		printf '%s\n' "$3"
	} >"$1/docs/postmortems/$2.md"
}

B="$TMP/service"
linear_repo "$B"
pm_file "$B" 2026-05-01-takeover "| T-1 | Own the login alert now | @bob | 2026-06-01 | alert | $theirs |"
git_commit "$B" "Name acme/ops's ticket"
run_pmsync -C "$B" --dry-run
check_rc "the plan of acme/service succeeds" 0
check_has "the ticket is listed as managed by acme/ops" "managed by acme/ops" "$OUT"
check_lacks "it is not adopted" "<= adopt $theirs" "$OUT"
run_pmsync -C "$B" sync
check_rc "the sync of acme/service succeeds" 0
check_eq "the ticket keeps its title" "$their_title" \
	"$(fake_issues "d.find(i => i.identifier === '$theirs').title")"
check_eq "the ticket carries no marker of acme/service" 0 \
	"$(fake_issues "d.find(i => i.identifier === '$theirs').attachments.filter(a => a.subtitle === 'pmsync acme/service').length")"
run_pmsync -C "$A" --dry-run
check_has "acme/ops sees no drift" "No changes." "$OUT"
check_lacks "acme/ops reports no drift" "drift" "$OUT"

# --- two rows naming one ticket
fake POST /__fake/seed '{"issues": [{"teamKey": "ENG", "title": "Rotate keys"}, {"teamKey": "ENG", "title": "Audit access"}, {"teamKey": "ENG", "title": "Expire sessions"}]}' >/dev/null
k1=$(json_eval 'd.issues[0].identifier')
k2=$(json_eval 'd.issues[1].identifier')
k3=$(json_eval 'd.issues[2].identifier')
pm_file "$B" 2026-05-02-twice "| T-2 | Rotate the keys | @bob | 2026-06-01 | code | $k1 |
| T-3 | Rotate the keys again | @bob | 2026-06-02 | code | $k1 |"
git_commit "$B" "Name one ticket twice"
run_pmsync -C "$B" --dry-run
check_has "the second row is named twice, with the first's place" \
	"$k1 is named twice, also at docs/postmortems/2026-05-02-twice.md:" "$OUT"
check_lacks "it is not reported as not found" "not found" "$OUT"

# --- adoptions count against sync.maxChanges
pm_file "$B" 2026-05-03-adopt "| T-4 | Audit the access | @bob | 2026-06-01 | code | $k2 |
| T-5 | Expire the sessions | @bob | 2026-06-02 | code | $k3 |"
git_commit "$B" "Name two tickets people wrote"
set_conf "$B" sync.maxChanges 2
run_pmsync -C "$B" sync
check_rc "three adoptions above sync.maxChanges = 2 are refused" 3
check_has "the message names sync.maxChanges" "sync.maxChanges" "$ERR"
check_has "the message counts adoptions" "adoptions" "$ERR"
check_eq "the people's titles stay" "Audit access" \
	"$(fake_issues "d.find(i => i.identifier === '$k2').title")"
run_pmsync -C "$B" sync --force
check_rc "--force adopts them" 0
check_eq "the adopted ticket is retitled" "Audit the access" \
	"$(fake_issues "d.find(i => i.identifier === '$k2').title")"

finish
