#!/usr/bin/env bash
# Every end-to-end test that runs against the fake Linear, again, with the
# fake answering failed resolvers with HTTP 200 instead of 400: Linear is
# seen to use both, and pmsync must read the body whatever the status. One
# TAP line per test script; a failing script's own failures are shown.
. "$(dirname "$0")/lib.sh"

if ! command -v node >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
	echo "skip: node and curl are needed for the fake Linear"
	exit 0
fi
for t in "$(dirname "$0")"/t*.sh; do
	name=$(basename "$t" .sh)
	[ "$t" -ef "$0" ] && continue
	grep -q '^linear_start' "$t" || continue
	PMSYNC_FAKE_ERROR_STATUS=200 bash "$t" >"$TMP/$name.log" 2>&1
	rc=$?
	fails=$(grep -c '^not ok' "$TMP/$name.log")
	passes=$(grep -c '^ok' "$TMP/$name.log")
	if [ "$rc" -eq 0 ] && [ "$fails" -eq 0 ] && [ "$passes" -gt 0 ]; then
		ok "$name passes with errors answered 200 ($passes checks)"
	else
		not_ok "$name with errors answered 200"
		grep -A3 '^not ok' "$TMP/$name.log" | head -n 20 | sed 's/^/#   /'
	fi
done
finish
