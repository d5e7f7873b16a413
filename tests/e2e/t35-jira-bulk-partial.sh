#!/usr/bin/env bash
# A bulk create some of whose elements Jira refuses (Cloud, and Data Center
# with bulk create when JIRA_DEPLOYMENT=datacenter): the others are created
# once, each refusal is named under its item with Jira's words, the run
# exits 1, and a rerun after the fix creates only what is missing. Then
# dry runs: a plan and `sync --dry-run` send no write, whatever they plan.
. "$(dirname "$0")/lib.sh"

args=()
[ "${JIRA_DEPLOYMENT:-cloud}" = datacenter ] && args+=(--deployment datacenter --dc-bulk)
jira_start "${args[@]}"
R="$TMP/repo"
jira_repo "$R"
PM="$R/docs/postmortems/2026-04-02-cache-stampede.md"
{
	printf -- '---\ntitle: Cache stampede\ndate: 2026-04-02\n---\n\n# Cache stampede\n\n'
	printf '## Action items\n\n| Action | Owner | Due | Priority | Lever |\n|---|---|---|---|---|\n'
	for i in 1 2 3 4 5 6; do
		prio=P2
		[ $((i % 3)) -eq 0 ] && prio=P0
		printf '| Add request coalescing to cache client %d | @alice | 2026-05-%02d | %s | code |\n' "$i" "$i" "$prio"
	done
} >"$PM"
git_commit "$R" "Add the cache stampede postmortem"
# A priority name the site does not offer: Jira refuses those elements.
set_conf "$R" jira.priority urgent=Blocker

run_pmsync -C "$R" sync
check_rc "a bulk with refused elements exits 1" 1
check_eq "the other elements are created, once each" "4 4" \
	"$(fake_issues 'd.length + " " + new Set(d.map(i => i.summary)).size')"
check_eq "no urgent item was created" 0 \
	"$(fake_issues 'd.filter(i => /client [36]$/.test(i.summary)).length')"
check_has "each refusal names its item" "Add request coalescing to cache client 3" "$OUT"
check_has "and says what Jira refused" "priority" "$OUT"
check_has "stderr says the next run retries them" "the next run retries" "$ERR"

set_conf "$R" jira.priority urgent=Highest
run_pmsync -C "$R" sync
check_rc "the rerun after the fix succeeds" 0
check_has "the rerun creates only what is missing" "Applied: 2 created, 0 updated" "$OUT"
check_eq "one issue per item" "6 6" "$(fake_issues 'd.length + " " + new Set(d.map(i => i.summary)).size')"
check_eq "the urgent items have the mapped priority" '["Highest","Highest"]' \
	"$(fake_issues 'd.filter(i => /client [36]$/.test(i.summary)).map(i => i.priority)')"
check_eq "the others the position of medium" "Medium" \
	"$(fake_issues 'd.find(i => /client 1$/.test(i.summary)).priority')"
run_pmsync -C "$R" sync
check_has "then nothing to do" "No changes." "$OUT"

# --- dry runs write nothing, whatever they plan
printf '| Add a jittered expiry to cache client 7 | @bob | 2026-06-01 | P1 | code |\n' >>"$PM"
sed -i 's/cache client 1 | @alice | 2026-05-01/cache client 1 | @alice | 2026-05-20/' "$PM"
git_commit "$R" "One more item, one due date moved"
mutations=$(fake_stat mutations)
run_pmsync -C "$R" --dry-run
check_rc "a dry run succeeds" 0
check_has "the dry run plans the create and the update" "Plan: 1 to create, 1 to update" "$OUT"
run_pmsync -C "$R" sync --dry-run
check_rc "sync --dry-run succeeds" 0
run_pmsync -C "$R" plan
check_rc "plan succeeds" 0
check_eq "the dry runs sent no write" "$mutations" "$(fake_stat mutations)"
check_eq "and created nothing" 6 "$(fake_issues 'd.length')"
check "a dry run leaves no journal" test ! -e "$R/.pmsync/state.json.journal"

finish
