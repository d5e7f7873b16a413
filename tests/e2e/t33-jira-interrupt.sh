#!/usr/bin/env bash
# Interrupted syncs against the fake Jira (Cloud; Data Center with
# JIRA_DEPLOYMENT=datacenter): a first sync of 60 items (two bulk creates on
# Cloud) is
# killed (kill -9) while the fake holds the answer to its Nth request, for
# every N up to the number of requests a clean first sync sends (of a run
# of remote links, which are all alike, the first and the last); the next
# sync must end with exactly 60 tickets, one per item, whether the state file
# survived or not (the intent journal beside it survives: losing both it and
# a create's answer is the one case pmsync cannot recover). The same with
# connections dropped after a request took effect, with rate limits and 5xx
# answers injected, and after a run whose last requests all failed.
. "$(dirname "$0")/lib.sh"

ITEMS=${JIRA_ITEMS:-60}
args=()
[ "${JIRA_DEPLOYMENT:-cloud}" = datacenter ] && args+=(--deployment datacenter)
jira_start "${args[@]}"
R="$TMP/repo"
jira_repo "$R"
PM="$R/docs/postmortems/2026-03-01-storage-cascade.md"
{
	printf -- '---\ntitle: Storage cascade\ndate: 2026-03-01\n---\n\n# Storage cascade\n\n'
	printf '## Summary & impact\n\nA storage node failure cascaded through %d services.\n\n' "$ITEMS"
	printf '## Action items\n\n| ID | Action | Owner | Due | Lever |\n|---|---|---|---|---|\n'
	for i in $(seq "$ITEMS"); do
		owner=alice
		[ $((i % 2)) -eq 0 ] && owner=bob
		printf '| SC-%d | Add a failover test for storage client %d of the cascade | @%s | 2026-%02d-%02d | test |\n' \
			"$i" "$i" "$owner" $((4 + i % 6)) $((1 + i % 28))
	done
} >"$PM"
git config -f "$R/.pmsync.conf" sync.maxChanges 100
git_commit "$R" "Add the storage cascade postmortem"

# A new run: an empty workspace and no state file.
fresh() {
	fake POST /__fake/reset >/dev/null
	rm -rf "$R/.pmsync"
}

# "issues distinct-titles" in the fake.
counts() {
	fake_issues 'd.length + " " + new Set(d.map(i => i.summary)).size'
}

is_paused() {
	fake GET /__fake/paused >/dev/null
	grep -q '"paused":true' "$TMP/fake.json"
}

# interrupt N: starts a first sync whose Nth request the fake executes but
# does not answer, kills pmsync with SIGKILL once it waits there, and clears
# the faults. Fails when pmsync ended before reaching request N.
interrupt() {
	fresh
	seq=$(fake_stat seq)
	fake POST /__fake/faults "{\"pause_at\": $((seq + $1))}" >/dev/null
	"$PMSYNC" -C "$R" sync >"$TMP/bg.out" 2>"$TMP/bg.err" &
	pid=$!
	paused=1
	for _ in $(seq 400); do
		if is_paused; then
			paused=0
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	fake POST /__fake/faults '{}' >/dev/null
	fake POST /__fake/resume >/dev/null
	return $paused
}

# rerun_converges DESCRIPTION: syncs again (up to three runs, as a nightly
# job would) and checks that the fake ends with one issue per item.
rerun_converges() {
	for _ in 1 2 3; do
		run_pmsync -C "$R" sync
		[ "$RC" -eq 0 ] && break
	done
	c=$(counts)
	if [ "$RC" -eq 0 ] && [ "$c" = "$ITEMS $ITEMS" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   exit $RC; issues and distinct titles: $c (want $ITEMS $ITEMS)"
		printf '%s\n' "$ERR" | head -n 10 | sed 's/^/#   stderr| /'
	fi
}

# --- a clean first sync, to count its requests
fresh
run_pmsync -C "$R" sync
check_rc "a clean first sync of $ITEMS items succeeds" 0
check_eq "the clean sync makes one issue per item" "$ITEMS $ITEMS" "$(counts)"
REQUESTS=$(fake_stat total)
echo "# a first sync of $ITEMS items sends $REQUESTS requests:" \
	"$(json_eval 'Object.entries(d.by_operation).map(([k, v]) => k + " " + v).join(", ")')"
# the requests to kill at: all but the inner ones of a run of remote links
POINTS=$(json_eval 'd.operations.map((op, i, a) => [op, i + 1, a]).filter(([op, i, a]) =>
	op !== "createOrUpdateRemoteIssueLink" || a[i - 2] !== op || a[i] !== op).map(([, n]) => n).join(" ")')
check_eq "the first sync sends one remote link per item" "$ITEMS" \
	"$(json_eval 'd.by_operation.createOrUpdateRemoteIssueLink || 0')"
# the last create request (links that fail are notes: a create must fail)
LAST_CREATE=$(json_eval 'd.operations.map((op, i) => /^createIssues?$/.test(op) ? i + 1 : 0).reduce((a, b) => Math.max(a, b), 0)')
run_pmsync -C "$R" sync
check_has "a second sync has nothing to do" "No changes." "$OUT"
[ "$REQUESTS" -gt 0 ] 2>/dev/null || REQUESTS=0

# --- killed while waiting for request N, the state file kept
for n in $POINTS; do
	if ! interrupt "$n"; then
		not_ok "kill at request $n: pmsync ended before request $n"
		sed 's/^/#   stderr| /' "$TMP/bg.err" | head -n 5
		continue
	fi
	rerun_converges "killed at request $n of $REQUESTS, state kept: the rerun ends with $ITEMS issues, one per item"
done

# --- the same, the state file deleted before the rerun
for n in $POINTS; do
	if ! interrupt "$n"; then
		not_ok "kill at request $n (state deleted): pmsync ended before request $n"
		continue
	fi
	rm -f "$R/.pmsync/state.json"
	rerun_converges "killed at request $n of $REQUESTS, state deleted: the rerun ends with $ITEMS issues, one per item"
done

# --- the connection dropped after request N took effect
for n in $POINTS; do
	fresh
	seq=$(fake_stat seq)
	fake POST /__fake/faults "{\"drop_at\": $((seq + n))}" >/dev/null
	rerun_converges "connection dropped after request $n: the sync converges to $ITEMS issues, one per item"
done

# --- rate limits and 5xx answers
fresh
fake POST /__fake/faults '{"ratelimit": 3, "error5xx": 3}' >/dev/null
rerun_converges "with 429 and 503 answers injected, the sync converges to $ITEMS issues"
fresh
fake POST /__fake/faults '{"latency_ms": 20, "error5xx": 2}' >/dev/null
run_pmsync -C "$R" sync
fake POST /__fake/faults '{}' >/dev/null
check_rc "503s absorbed by retries within one run" 0
check_eq "with 503s, one issue per item" "$ITEMS $ITEMS" "$(counts)"

# --- a partial failure: the fake answers 503 to everything after the
# request before the last create (so the last create and what follows);
# the run says what failed and exits 1, and the next run finishes the job.
fresh
seq=$(fake_stat seq)
fake POST /__fake/faults "{\"pause_at\": $((seq + LAST_CREATE - 1))}" >/dev/null
"$PMSYNC" -C "$R" sync >"$TMP/bg.out" 2>"$TMP/bg.err" &
pid=$!
for _ in $(seq 400); do
	is_paused && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
fake POST /__fake/faults '{"error5xx": 1000}' >/dev/null
fake POST /__fake/resume >/dev/null
wait "$pid"
RC=$?
OUT=$(cat "$TMP/bg.out")
ERR=$(cat "$TMP/bg.err")
fake POST /__fake/faults '{}' >/dev/null
check_rc "a sync whose last requests fail exits 1 (partial failure)" 1
check_has "each failure is shown under its change" "! failed: jira: " "$OUT"
check_has "the summary counts the failures" " failed" "$(printf '%s\n' "$OUT" | tail -n 1)"
check_has "stderr says the next run retries them" "the next run retries" "$ERR"
rerun_converges "after a partial failure, the next sync ends with $ITEMS issues, one per item"

finish
