#!/usr/bin/env bash
# Contract check: every GraphQL request that pmsync sent to the fake Linear
# during the end-to-end tests (recorded by the shared recording proxy into
# tests/out/linear-requests*.jsonl) must be valid against Linear's published
# schema, per the shared checker. Runs after the t2x tests.
. "$(dirname "$0")/lib.sh"

checker="$SHARED/contract/check-linear.js"
if [ ! -f "$checker" ] || [ ! -f "$SHARED/contract/record-proxy.js" ]; then
	echo "skip: shared contract checks not found"
	finish
	exit
fi
if ! command -v node >/dev/null 2>&1; then
	echo "skip: node not found"
	finish
	exit
fi

all="$TMP/linear-requests.jsonl"
: >"$all"
for f in "$TOP"/tests/out/linear-requests*.jsonl; do
	[ -f "$f" ] && cat "$f" >>"$all"
done
n=$(grep -c . "$all")
if [ "$n" -gt 0 ]; then
	ok "the end-to-end tests recorded $n requests to Linear"
else
	not_ok "the end-to-end tests recorded requests to Linear (run the t2x tests first)"
fi
NODE_PATH=/usr/share/nodejs node "$checker" "$all" >"$TMP/check.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ "$n" -gt 0 ]; then
	ok "every recorded request is valid for Linear: $(tail -n 1 "$TMP/check.out")"
else
	not_ok "every recorded request is valid for Linear"
	head -n 40 "$TMP/check.out" | sed 's/^/#   /'
fi
check_eq "no recorded request holds a token in its body" 0 \
	"$(node -e 'const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
		console.log(lines.filter((l) => l && JSON.parse(l).body.includes("lin_api_")).length);' "$all")"

finish
