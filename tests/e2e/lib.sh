# Shared by the end-to-end tests: TAP output, temporary directories, fake
# servers started on 127.0.0.1 port 0 and stopped on exit.
# Source it from a test: . "$(dirname "$0")/lib.sh"

PMSYNC=${PMSYNC_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/pmsync}
TOP=${PMSYNC_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${PMSYNC_SHARED:-$TOP/../shared}
t_n=0
t_failed=0
t_pids=""
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pmsync-test.XXXXXX")

t_cleanup() {
	for p in $t_pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap t_cleanup EXIT

ok() { t_n=$((t_n + 1)); echo "ok $t_n - $*"; }
not_ok() { t_n=$((t_n + 1)); t_failed=$((t_failed + 1)); echo "not ok $t_n - $*"; }

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   expected: $2"
		echo "#   actual:   $3"
	fi
}

# Runs pmsync, capturing stdout, stderr and the exit code in $OUT, $ERR, $RC.
run_pmsync() {
	# shellcheck disable=SC2086
	${PMSYNC_VALGRIND_CMD:-} "$PMSYNC" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

# start_server VAR CMD...: starts CMD, waits for "listening on 127.0.0.1:PORT"
# on its first line, and sets VAR to the port.
start_server() {
	var=$1
	shift
	fifo="$TMP/fifo.$$.$t_n.$RANDOM"
	mkfifo "$fifo"
	"$@" >"$fifo" 2>"$TMP/server.$var.err" &
	t_pids="$t_pids $!"
	read -r line <"$fifo"
	cat "$fifo" >/dev/null &
	port=${line##*:}
	eval "$var=\$port"
}

finish() {
	echo "# $t_n tests, $t_failed failed"
	[ "$t_failed" -eq 0 ]
}

# ---- The fake Linear, and repositories to sync against it ----

# linear_start: starts tests/fakes/linear-fake on a free port; sets FAKE (its
# port) and FAKE_URL, and points pmsync at it (LINEAR_API_URL, LINEAR_API_KEY).
# PMSYNC_FAKE_ERROR_STATUS (400, the default, or 200) is the status the fake
# answers failed resolvers with.
# When the shared contract tools are there, pmsync's requests go through the
# recording proxy, which appends each to tests/out/linear-requests-<test>.jsonl
# for t90-contract-linear.sh; the control API (/__fake/) is called directly.
linear_start() {
	if ! command -v node >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
		echo "skip: node and curl are needed for the fake Linear"
		exit 0
	fi
	start_server FAKE node "$TOP/tests/fakes/linear-fake" --port 0 \
		--error-status "${PMSYNC_FAKE_ERROR_STATUS:-400}"
	FAKE_URL="http://127.0.0.1:$FAKE"
	export LINEAR_API_URL="$FAKE_URL/graphql"
	export LINEAR_API_KEY=lin_api_test
	if record_requests "linear-requests-$(basename "$0" .sh)"; then
		export LINEAR_API_URL="http://127.0.0.1:$PROXY/graphql"
	fi
}

# record_requests NAME: when the shared contract tools are there, starts the
# recording proxy in front of FAKE_URL, logging each request to
# tests/out/NAME.jsonl ($REQUEST_LOG), sets PROXY to its port and succeeds.
record_requests() {
	[ -f "$SHARED/contract/record-proxy.js" ] || return 1
	mkdir -p "$TOP/tests/out"
	REQUEST_LOG="$TOP/tests/out/$1.jsonl"
	: >"$REQUEST_LOG"
	start_server PROXY env NODE_PATH=/usr/share/nodejs node \
		"$SHARED/contract/record-proxy.js" --upstream "$FAKE_URL" \
		--log "$REQUEST_LOG" --port 0
}

# fake METHOD PATH [JSON]: calls the fake's control API; prints the HTTP
# status, the answer goes to $TMP/fake.json.
fake() {
	curl -s -o "$TMP/fake.json" -w '%{http_code}' -X "$1" \
		-H 'Content-Type: application/json' --data-binary "${3:-}" "$FAKE_URL$2"
}

# json_eval EXPR [FILE]: evaluates the JavaScript EXPR over the JSON of FILE
# (default: the fake's last answer), bound to `d`; prints strings bare and
# anything else as JSON.
json_eval() {
	node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const v = eval(process.argv[2]);
		process.stdout.write(typeof v === "string" ? v : String(JSON.stringify(v)));' \
		"${2:-$TMP/fake.json}" "$1"
}

# fake_issues EXPR: EXPR over the fake's issues, bound to `d` (an array).
fake_issues() {
	fake GET /__fake/issues >/dev/null
	json_eval "(d => $1)(d.issues)"
}

# fake_stat FIELD: a counter of /__fake/requests (total, queries, mutations, seq).
fake_stat() {
	fake GET /__fake/requests >/dev/null
	json_eval "d.$1"
}

# The open items' titles of the fixtures 2026-01-14-login-outage.md and
# 2026-02-03-queue-backlog.md, as a JSON array.
FIXTURE_TITLES='["Alert when the login error rate exceeds 2% for 5 minutes",
 "Add an integration test for token refresh under 45 seconds of clock skew",
 "Write a runbook entry for restarting a stopped NTP daemon",
 "Page the on-call when the order queue age exceeds 10 minutes",
 "Load-test the consumer autoscaler with a tenfold burst of orders"]'

# fake_ref TITLE_PREFIX: the identifier (ENG-12) of the issue whose title starts so.
fake_ref() {
	fake_issues "(d.find(i => i.title.startsWith($(js_string "$1"))) || {}).identifier || ''"
}

# js_string S: S as a JavaScript string literal.
js_string() {
	node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$1"
}

# git_commit DIR MESSAGE: commits everything in DIR.
git_commit() {
	git -C "$1" add -A &&
		git -C "$1" -c user.name=Test -c user.email=test@example.com \
			-c commit.gpgsign=false commit -q -m "$2"
}

# linear_repo DIR [FIXTURE...]: a git repository in DIR with the named files
# of tests/e2e/fixtures-linear in docs/postmortems and a .pmsync.conf for the
# fake (team ENG, owners alice and bob), committed.
linear_repo() {
	dir=$1
	shift
	mkdir -p "$dir/docs/postmortems"
	for f in "$@"; do
		cp "$TOP/tests/e2e/fixtures-linear/$f" "$dir/docs/postmortems/"
	done
	cat >"$dir/.pmsync.conf" <<-'CONF'
		[tracker]
			kind = linear
		[linear]
			team = ENG
		[postmortems]
			url = https://example.com/acme/blob/main/{path}
		[owner "alice"]
			email = alice@example.com
		[owner "bob"]
			email = bob@example.com
	CONF
	printf '.pmsync/\n' >"$dir/.gitignore"
	git -C "$dir" init -q -b main &&
		git -C "$dir" remote add origin https://github.com/acme/service.git &&
		git_commit "$dir" "Add postmortems"
}

# set_conf DIR KEY VALUE: sets a key of DIR/.pmsync.conf and commits.
set_conf() {
	git config -f "$1/.pmsync.conf" "$2" "$3" && git_commit "$1" "Set $2"
}

# check_has DESCRIPTION NEEDLE TEXT: ok when TEXT holds NEEDLE (a fixed string).
check_has() {
	case $3 in
	*"$2"*) ok "$1" ;;
	*)
		not_ok "$1"
		echo "#   missing: $2"
		printf '%s\n' "$3" | head -n 40 | sed 's/^/#   | /'
		;;
	esac
}

# check_lacks DESCRIPTION NEEDLE TEXT: ok when TEXT does not hold NEEDLE.
check_lacks() {
	case $3 in
	*"$2"*)
		not_ok "$1"
		echo "#   unexpected: $2"
		printf '%s\n' "$3" | grep -F -- "$2" | head -n 5 | sed 's/^/#   | /'
		;;
	*) ok "$1" ;;
	esac
}

# check_rc DESCRIPTION EXPECTED: checks the exit code of the last run_pmsync,
# showing its output when it differs.
check_rc() {
	if [ "$RC" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   exit code $RC, expected $2"
		printf '%s\n' "$ERR" | head -n 20 | sed 's/^/#   stderr| /'
		printf '%s\n' "$OUT" | head -n 30 | sed 's/^/#   stdout| /'
	fi
}

# ---- The fake Jira ----

# jira_start [--deployment datacenter] [--dc-bulk]: starts tests/fakes/jira-fake
# on a free port; sets FAKE and FAKE_URL and points pmsync at it (JIRA_URL,
# and JIRA_EMAIL with JIRA_API_TOKEN on Cloud, JIRA_PAT on Data Center).
# Requests go through the recording proxy when the contract tools are there,
# logged to tests/out/jira-requests-<test>.jsonl.
jira_start() {
	if ! command -v node >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
		echo "skip: node and curl are needed for the fake Jira"
		exit 0
	fi
	start_server FAKE node "$TOP/tests/fakes/jira-fake" --port 0 "$@"
	FAKE_URL="http://127.0.0.1:$FAKE"
	export JIRA_URL="$FAKE_URL"
	case " $* " in
	*" datacenter "*)
		JIRA_KIND=datacenter
		unset JIRA_EMAIL JIRA_API_TOKEN
		export JIRA_PAT=jira-test-pat
		;;
	*)
		JIRA_KIND=cloud
		unset JIRA_PAT
		export JIRA_EMAIL=pmsync@example.com JIRA_API_TOKEN=jira-test-token
		;;
	esac
	if record_requests "jira-requests-${JIRA_TEST_NAME:-$(basename "$0" .sh)}"; then
		export JIRA_URL="http://127.0.0.1:$PROXY"
	fi
}

# jira_repo DIR [FIXTURE...]: as linear_repo, configured for project OPS of the
# fake Jira, its deployment named (the fake's host says neither).
jira_repo() {
	linear_repo "$@" &&
		git config -f "$1/.pmsync.conf" tracker.kind jira &&
		git config -f "$1/.pmsync.conf" --remove-section linear &&
		git config -f "$1/.pmsync.conf" jira.project OPS &&
		git config -f "$1/.pmsync.conf" jira.deployment "${JIRA_KIND:-cloud}" &&
		git_commit "$1" "Sync with Jira"
}
