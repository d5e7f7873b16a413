#!/usr/bin/env bash
# Contract check: every request pmsync sent to the fake Jira during the
# end-to-end tests (recorded by the shared recording proxy into
# tests/out/jira-requests-*.jsonl) must be an operation of Atlassian's
# published REST API with a valid body, per the shared checker: the Cloud
# tests' logs with check-jira.js, the Data Center tests' (named *-dc-*) with
# check-jira.js --dc. Runs after the t3x tests.
. "$(dirname "$0")/lib.sh"

checker="$SHARED/contract/check-jira.js"
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

# check_logs NAME PATTERN [--dc]: the logs matching PATTERN pass the checker.
check_logs() {
	name=$1 pattern=$2
	shift 2
	all="$TMP/$name.jsonl"
	: >"$all"
	for f in "$TOP"/tests/out/$pattern; do
		case $f in *-dc-*) [ "$name" = dc ] || continue ;; *) [ "$name" = cloud ] || continue ;; esac
		[ -f "$f" ] && cat "$f" >>"$all"
	done
	n=$(grep -c . "$all")
	if [ "$n" -gt 0 ]; then
		ok "the $name tests recorded $n requests to Jira"
	else
		not_ok "the $name tests recorded requests to Jira (run the t3x tests first)"
	fi
	NODE_PATH=/usr/share/nodejs node "$checker" "$@" "$all" >"$TMP/check.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ "$n" -gt 0 ]; then
		ok "every $name request is valid for Jira: $(tail -n 1 "$TMP/check.out")"
	else
		not_ok "every $name request is valid for Jira"
		head -n 40 "$TMP/check.out" | sed 's/^/#   /'
	fi
	check_eq "no $name request holds a token in its body" 0 \
		"$(node -e 'const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
			console.log(lines.filter((l) => l && /jira-test-/.test(JSON.parse(l).body)).length);' "$all")"
}

check_logs cloud 'jira-requests-*.jsonl'
check_logs dc 'jira-requests-*.jsonl' --dc

finish
