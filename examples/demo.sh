#!/bin/sh
# `make demo`: runs pmsync on the bundled example postmortems. It makes a
# git repository of examples/ in demo-out/repo, lints it, lists the action
# items, then plans and applies a sync against the fake Linear of the tests
# (or, with TRACKER=jira, the fake Jira Cloud; a local server on 127.0.0.1:
# nothing leaves the machine) and plans again, and ends with the completion
# report: Markdown printed, HTML written.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/demo-out"
repo="$out/repo"
pmsync="$top/pmsync"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

rm -rf "$out"
mkdir -p "$repo"
cp -R "$top/examples/docs" "$top/examples/.pmsync.conf" "$repo/"
tracker=${TRACKER:-linear}
if [ "$tracker" = jira ]; then
	# the same postmortems, kept in a Jira project OPS: they name OPS-1 and OPS-2
	sed -i 's/ENG-1/OPS-1/; s/ENG-2/OPS-2/' "$repo"/docs/postmortems/*.md
	git config -f "$repo/.pmsync.conf" tracker.kind jira
	git config -f "$repo/.pmsync.conf" --remove-section linear
	git config -f "$repo/.pmsync.conf" jira.project OPS
	git config -f "$repo/.pmsync.conf" jira.deployment cloud
fi
git -C "$repo" init -q -b main
git -C "$repo" add -A
git -C "$repo" -c user.name=Demo -c user.email=demo@example.com \
	commit -q -m "Add postmortems"

cd "$repo" || exit 1
step "pmsync lint"
"$pmsync" lint
echo "(exit $?: lint exits 1 when it finds errors)"

step "pmsync items"
"$pmsync" items

fake="$top/tests/fakes/$tracker-fake"
if [ ! -x "$fake" ] || ! command -v node >/dev/null 2>&1; then
	echo "demo: the fake $tracker needs node and tests/fakes/$tracker-fake; stopping here"
	exit 0
fi
fifo="$out/fake.fifo"
mkfifo "$fifo"
"$fake" --port 0 >"$fifo" 2>"$out/fake.log" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null' EXIT INT TERM
read -r line <"$fifo"
cat "$fifo" >/dev/null &
port=${line##*:}
base="http://127.0.0.1:$port"
if [ "$tracker" = jira ]; then
	export JIRA_URL="$base" JIRA_EMAIL=pmsync@example.com JIRA_API_TOKEN=jira-test-token
	echo
	echo "A fake Jira Cloud listens on 127.0.0.1:$port (project OPS, users alice@ and bob@example.com)."
	echo "Two issues were made by hand before pmsync: OPS-1 (done) and OPS-2 (in progress);"
	echo "the postmortems name them, so pmsync adopts them instead of creating new ones."
	seed='{"issues": [
    {"project": "OPS", "summary": "Give session keys a TTL", "status": "Done", "resolution": "Done"},
    {"project": "OPS", "summary": "Raise resolver fd limit", "status": "In Progress"}]}'
	third=OPS-3
	done_json='{"status": "Done", "resolution": "Done"}'
else
	export LINEAR_API_URL="$base/graphql"
	export LINEAR_API_KEY=lin_api_test
	echo
	echo "A fake Linear listens on 127.0.0.1:$port (team ENG, users alice@ and bob@example.com)."
	echo "Two tickets were made by hand before pmsync: ENG-1 (done) and ENG-2 (in progress);"
	echo "the postmortems name them, so pmsync adopts them instead of creating new ones."
	seed='{"issues": [
    {"title": "Give session keys a TTL", "teamKey": "ENG", "stateType": "completed"},
    {"title": "Raise resolver fd limit", "teamKey": "ENG", "state": "In Progress"}]}'
	third=ENG-3
	done_json='{"type":"completed"}'
fi
curl -sf -X POST -H 'Content-Type: application/json' "$base/__fake/seed" -d "$seed" >/dev/null

step "pmsync --dry-run"
"$pmsync" --dry-run

step "pmsync sync"
"$pmsync" sync

step "pmsync --dry-run   # again: nothing left to do"
"$pmsync" --dry-run

echo
echo "Someone completes $third in $tracker; the next plan reads closure back."
curl -sf -X POST -H 'Content-Type: application/json' -d "$done_json" \
	"$base/__fake/issues/$third/state" >/dev/null
step "pmsync --dry-run"
"$pmsync" --dry-run

step "curl -s $base/__fake/issues   # the tickets, as $tracker holds them"
curl -s "$base/__fake/issues" |
	node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const i of JSON.parse(s).issues||JSON.parse(s))
		console.log(i.key ? `${i.key}  ${String(i.status).padEnd(11)} ${i.duedate||"          "}  ${i.summary}`
		                  : `${i.identifier}  ${i.state.name.padEnd(8)} ${i.dueDate||"          "}  ${i.title}`)})'

step "pmsync report   # the completion report for the all-hands"
"$pmsync" report
"$pmsync" -q report -o "$out/report.html"
echo
echo "The HTML report, with its charts: $out/report.html"
exit 0
