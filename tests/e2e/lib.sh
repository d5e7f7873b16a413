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
