#!/bin/sh
# The test runner behind `make check`: the unit tests (cmocka), the fuzz
# corpora replayed as plain tests, the shell end-to-end tests, each counted,
# then one closing line `N passed, N failed, N skipped`. A test skips when
# what it needs is not there (the shared corpus and contract checks beside
# the repository, node): it prints a line `skip: why`, which is shown and
# counted. Test output goes to tests/out/; failures are shown in full.
#
# Environment: O (object dir, default build/out), PMSYNC_VALGRIND=1 runs the
# C test programs under valgrind, PMSYNC_SHARED names the shared material
# (default ../shared; a folder that does not exist runs the suite without it).

top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build/out}
out="$top/tests/out"
mkdir -p "$out"
passed=0
failed=0
skipped=0
failures=""

vg=""
if [ "${PMSYNC_VALGRIND:-}" = 1 ]; then
	vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
fi
export PMSYNC_VALGRIND_CMD="$vg"
export PMSYNC_BIN="$top/$O/pmsync"
export PMSYNC_TOP="$top"
export PMSYNC_SHARED="${PMSYNC_SHARED:-$top/../shared}"

count_result() { # name status log
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures="$failures $1"
		echo "--- FAIL: $1 (log: $3)"
		tail -n 40 "$3"
	fi
}

# Lines of the style guide that a machine can check.
log="$out/banned.log"
sh "$top/tests/check-banned.sh" >"$log" 2>&1
count_result banned-functions $? "$log"

# Unit tests: cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)".
for t in "$top/$O"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	log="$out/$name.log"
	(cd "$top" && $vg "$t") >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	sk=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	skipped=$((skipped + ${sk:-0}))
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		[ -n "$f" ] && [ "$f" -gt 0 ] || failed=$((failed + 1))
		failures="$failures $name"
		echo "--- FAIL: $name (log: $log)"
		grep -E '^\[  (FAILED|  ERROR)|Error|error|==[0-9]+==' "$log" | head -n 40
	fi
	grep '^skip:' "$log" | sort -u | sed "s/^/$name: /"
	echo "$name: ${p:-0} passed, ${f:-0} failed, ${sk:-0} skipped"
done

# Fuzz corpora, replayed.
for t in "$top/$O"/tests/replay_fuzz_*; do
	[ -x "$t" ] || continue
	name=${t##*/replay_fuzz_}
	log="$out/replay_$name.log"
	(cd "$top" && $vg "$t" "tests/fuzz/corpus/$name") >"$log" 2>&1
	count_result "fuzz-replay-$name" $? "$log"
	echo "fuzz corpus $name: $(tail -n 1 "$log")"
done

# Shell tests print TAP lines: "ok N - ..." and "not ok N - ...".
for t in "$top"/tests/fakes/test-*.sh "$top"/tests/e2e/t*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	log="$out/$name.log"
	(cd "$top" && bash "$t") >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] || [ "$f" -gt 0 ]; then
		[ "$f" -gt 0 ] || failed=$((failed + 1))
		failures="$failures $name"
		echo "--- FAIL: $name (log: $log)"
		grep -E '^not ok|^#' "$log" | head -n 40
	fi
	sk=$(grep -c '^skip:' "$log")
	skipped=$((skipped + sk))
	grep '^skip:' "$log" | sed "s/^/$name: /"
	echo "$name: $p passed, $f failed, $sk skipped"
done

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
