#!/usr/bin/env bash
# The run's deadline (--timeout, sync.timeout): a tracker that accepts a
# request and never answers ends the run at the deadline with exit 5, not
# after five attempts of 60 s; a rate limit whose reset lies after the
# deadline ends the run at once, after one request, with exit 5 and the
# reset time. Every run is guarded by timeout(1) at 60 s so that a stall
# fails the test instead of hanging it; how fast pmsync is, is not asserted.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-01-14-login-outage.md

guarded() { # runs pmsync under a 60 s guard; RC 124 when the guard fired
	timeout 60 "$PMSYNC" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

# --- a server that never answers: the fake holds the first request
seq=$(fake_stat seq)
fake POST /__fake/faults "{\"pause_at\": $((seq + 1))}" >/dev/null
guarded -C "$R" --timeout 2 sync
check_rc "a server that never answers ends the run with exit 5" 5
check_has "the error names the deadline" "no time left before the run's deadline" "$ERR"
check_has "and how to move it" "--timeout, sync.timeout" "$ERR"
check_eq "nothing was created" 0 "$(fake_issues 'd.length')"
fake POST /__fake/resume >/dev/null
fake POST /__fake/faults '{}' >/dev/null

# --- the same from sync.timeout, and from a slow server (latency)
set_conf "$R" sync.timeout 2s
fake POST /__fake/faults '{"latency_ms": 20000}' >/dev/null
guarded -C "$R" sync
check_rc "sync.timeout bounds a run against a slow server: exit 5" 5
check_has "the error names the deadline" "no time left before the run's deadline" "$ERR"
fake POST /__fake/faults '{}' >/dev/null
guarded -C "$R" --timeout 0 --dry-run
check_rc "--timeout 0 (no deadline) overrides sync.timeout: the plan runs" 0

# --- bad values
guarded -C "$R" --timeout soon sync
check_rc "--timeout soon is a usage error" 3
check_has "it says what it takes" "'--timeout' takes seconds" "$ERR"
set_conf "$R" sync.timeout forever
guarded -C "$R" --dry-run
check_rc "sync.timeout = forever is a configuration error" 4
check_has "naming the key" "sync.timeout" "$ERR"
set_conf "$R" sync.timeout 15m

# --- a rate limit that resets in an hour, past the deadline
cat >"$TMP/limited.js" <<'JS'
// Answers every request as Linear does once the hourly budget is spent.
const http = require('http');
const fs = require('fs');
let n = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    fs.writeFileSync(process.argv[2], String(++n));
    res.writeHead(400, {
      'Content-Type': 'application/json',
      'X-RateLimit-Requests-Limit': '2500',
      'X-RateLimit-Requests-Remaining': '0',
      'X-RateLimit-Requests-Reset': String(Date.now() + 3600 * 1000),
    });
    res.end(JSON.stringify({ errors: [{ message: 'Rate limit exceeded',
      extensions: { code: 'RATELIMITED', type: 'ratelimited', statusCode: 429, userError: true } }] }));
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${server.address().port}`));
JS
start_server LIMITED node "$TMP/limited.js" "$TMP/limited.count"
LINEAR_API_URL="http://127.0.0.1:$LIMITED/graphql" guarded -C "$R" --timeout 600 sync
check_rc "a rate limit resetting after the deadline ends the run: exit 5" 5
check_has "the error gives the reset time" "rate limited until $(date -u +%Y-)" "$ERR"
check_has "and says it is after the deadline" "after the run's deadline" "$ERR"
check_eq "at once: one request, no retries" 1 "$(cat "$TMP/limited.count")"

# --- the deadline cuts a create in flight: nothing lost, nothing duplicated.
# The fake is reset before each try, so that every run sends the same
# requests, until the held one is the create (executed, never answered).
S="$TMP/cut"
linear_repo "$S" 2026-01-14-login-outage.md 2026-02-03-queue-backlog.md
run_pmsync -C "$S" --dry-run
want=$(printf '%s\n' "$OUT" | sed -n 's/^Plan: \([0-9]*\) to create.*/\1/p')
cut=""
for k in $(seq 1 40); do
	fake POST /__fake/reset >/dev/null
	seq=$(fake_stat seq)
	fake POST /__fake/faults "{\"pause_at\": $((seq + k))}" >/dev/null
	guarded -C "$S" --timeout 2 sync
	fake POST /__fake/resume >/dev/null
	fake POST /__fake/faults '{}' >/dev/null
	case $ERR in *IssueBatchCreate*) cut=$k && break ;; esac
	[ "$RC" = 5 ] || break # ended some other way: no request was held
done
check "a run was cut by the deadline while the fake held its create" test -n "$cut"
check_rc "that run exits 5" 5
check_has "it says the create may have been applied" "may have been applied" "$ERR"
check_eq "the fake did create the issues" "$want" "$(fake_issues 'd.length')"
guarded -C "$S" sync
check_rc "the next run, without a fault, succeeds" 0
check_eq "one ticket per item: none lost, none duplicated" "$want" "$(fake_issues 'd.length')"
check_eq "each with its marker" "$want" \
	"$(fake_issues 'd.filter(i => (i.attachments || []).some(a => /#pmsync-/.test(a.url))).length')"

finish
