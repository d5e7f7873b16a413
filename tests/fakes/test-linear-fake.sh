#!/usr/bin/env bash
# Tests the fake Linear itself (linear-fake): starts it on a free port, speaks GraphQL and the
# control API to it with curl, and checks that it behaves like Linear where pmsync depends on
# it: auth, validation, pagination limits, complexity, issue creation and its id rules, the
# batch transaction, label and attachment rules, filters, and the injected faults. When the
# shared reference files sit beside the repository it also checks that linear-schema.graphql
# is a true subset of Linear's schema. Prints TAP-style "ok N - ..." lines, then
# "N passed, N failed"; exits 1 if any check failed. Needs bash, curl and node.
set -u
here=$(cd "$(dirname "$0")" && pwd)
shared="$here/../../../shared"
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

n=0 passed=0 failed=0
# check DESCRIPTION COMMAND...: runs COMMAND and prints one TAP line.
check() {
	local desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		passed=$((passed + 1))
		echo "ok $n - $desc"
	else
		failed=$((failed + 1))
		echo "not ok $n - $desc"
		[ -s "$tmp/body" ] && head -c 600 "$tmp/body" | sed 's/^/#   body: /' && echo
	fi
}
is() {
	[ "$1" = "$2" ] && return 0
	echo "#   got:  $1"
	echo "#   want: $2"
	return 1
}

# j EXPR...: evaluates JavaScript expressions over the last response body, bound to `d`, and
# prints their values separated by spaces (nothing for an expression that fails).
j() {
	node -e '
		let d;
		try { d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); } catch (e) { d = undefined; }
		const show = (expr) => {
			try {
				const v = eval(expr);
				return typeof v === "string" ? v : String(JSON.stringify(v));
			} catch (e) {
				return "";
			}
		};
		process.stdout.write(process.argv.slice(2).map(show).join(" "));' "$tmp/body" "$@"
}
# header NAME: a header of the last GraphQL response.
header() {
	tr -d '\r' <"$tmp/headers" | sed -n "s/^$1: //Ip"
}
# json_string S: S as a JSON string; the queries here are one line without control characters.
json_string() {
	local s=${1//\\/\\\\}
	printf '"%s"' "${s//\"/\\\"}"
}
# gql QUERY [VARIABLES] [AUTHORIZATION]: POST /graphql; the status goes to $status, the body
# to $tmp/body. AUTHORIZATION defaults to the personal test key; "none" sends no header.
gql() {
	local vars=${2:-} auth=${3:-lin_api_test}
	[ -n "$vars" ] || vars='{}'
	local args=(-s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -H 'Content-Type: application/json')
	[ "$auth" != none ] && args+=(-H "Authorization: $auth")
	printf '{"query": %s, "variables": %s}' "$(json_string "$1")" "$vars" >"$tmp/request"
	status=$(curl "${args[@]}" --data-binary "@$tmp/request" "$base/graphql")
}
# control METHOD PATH [JSON]: calls the control API; body to $tmp/body, status to $status.
control() {
	status=$(curl -s -o "$tmp/body" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' \
		--data-binary "${3:-}" "$base$2")
}
issue_count() {
	control GET /__fake/issues
	j d.issues.length
}
uuid() {
	node -e 'console.log(require("crypto").randomUUID())'
}

"$here/linear-fake" --port 0 --error-status 200 >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 100); do
	[ -s "$tmp/out" ] && break
	sleep 0.05
done
port=$(sed -n '1s/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$tmp/out")
check "prints 'listening on 127.0.0.1:PORT' first" test -n "$port"
[ -n "$port" ] || { cat "$tmp/err"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
base="http://127.0.0.1:$port"

# --- auth -----------------------------------------------------------------------------------
VIEWER='query Viewer { viewer { id name email organization { id name urlKey } } }'
gql "$VIEWER"
check "a bare personal key authenticates" is "$status $(j d.data.viewer.email d.data.viewer.organization.urlKey)" "200 alice@example.com acme"
check "answers carry rate-limit and complexity headers" \
	is "$(header X-RateLimit-Requests-Limit) $(header X-Complexity) $(header X-RateLimit-Complexity-Limit)" "2500 3 3000000"
before=$(header X-RateLimit-Requests-Remaining)
gql "$VIEWER" '{}' 'Bearer lin_oauth_test'
check "an OAuth token as Bearer authenticates; remaining requests decrement" \
	is "$status $(header X-RateLimit-Requests-Remaining)" "200 $((before - 1))"
gql "$VIEWER" '{}' 'Bearer lin_api_test'
check "a personal key sent as Bearer is rejected with 401" \
	is "$status $(j d.errors[0].extensions.code d.errors[0].extensions.type)" "401 AUTHENTICATION_ERROR authentication error"
gql "$VIEWER" '{}' none
check "a missing Authorization header is rejected with 401" is "$status $(j d.errors[0].message)" "401 Authentication required, not authenticated"
gql "$VIEWER" '{}' lin_api_other
check "an unknown key is rejected with 401" is "$status" 401

# --- unforgiving validation ------------------------------------------------------------------
gql 'query { viewer { id nosuchfield } }'
check "a schema validation error is HTTP 400 GRAPHQL_VALIDATION_FAILED" is "$status $(j d.errors[0].extensions.code)" "400 GRAPHQL_VALIDATION_FAILED"
gql 'query Issues($n: Int) { issues(first: $n) { nodes { id } } }' '{"n": 251}'
check "first > 250 is HTTP 400 INPUT_ERROR" is "$status $(j d.errors[0].extensions.code)" "400 INPUT_ERROR"
gql 'query { issues(first: 250) { nodes { id labels(first: 250) { nodes { id } } } } }'
check "a query over 10000 complexity points is rejected with Linear's message" \
	is "$status $(j d.errors[0].extensions.userPresentableMessage)" \
	"400 The query is too complex. Complexity: 131775. Maximum allowed complexity: 10000."
gql 'query Issues($f: IssueFilter) { issues(filter: $f, first: 5) { nodes { id } } }' '{"f": {"cycle": {"null": true}}}'
check "a filter field the fake does not implement is an error, not ignored" \
	is "$(j d.errors[0].extensions.code)" FAKE_UNSUPPORTED

# --- the workspace ---------------------------------------------------------------------------
gql 'query TeamByKey($key: String!) { teams(filter: { key: { eq: $key } }, first: 1) { nodes { id key name } } }' '{"key": "ENG"}'
eng=$(j d.data.teams.nodes[0].id)
check "teams by key" is "$(j d.data.teams.nodes[0].name)" Engineering
gql 'query Ops { teams(filter: { key: { eq: "OPS" } }, first: 1) { nodes { id } } }'
ops=$(j d.data.teams.nodes[0].id)
gql 'query S($t: ID!) { workflowStates(filter: { team: { id: { eq: $t } }, type: { eq: "completed" } }, first: 10) { nodes { id name } } }' "{\"t\": \"$eng\"}"
done_state=$(j d.data.workflowStates.nodes[0].id)
check "workflow states by team and type" is "$(j 'd.data.workflowStates.nodes.map(s=>s.name).join()')" Done
gql 'query { users(first: 10) { nodes { email } } }'
check "users leave out deactivated ones by default" is "$(j 'd.data.users.nodes.map(u=>u.email).join()')" "alice@example.com,bob@example.com"
gql 'query U($e: String!) { users(filter: { email: { eqIgnoreCase: $e } }, includeDisabled: true, first: 2) { nodes { id active } } }' '{"e": "Carol@Example.com"}'
check "users by email, ignoring case, with includeDisabled" is "$(j d.data.users.nodes[0].active)" false
gql 'query U { users(filter: { email: { eq: "bob@example.com" } }, first: 1) { nodes { id } } }'
bob=$(j d.data.users.nodes[0].id)

# --- issue creation --------------------------------------------------------------------------
CREATE='mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url title dueDate priority state { name type } assignee { email } } } }'
id1=$(uuid)
gql "$CREATE" "{\"input\": {\"id\": \"$id1\", \"teamId\": \"$eng\", \"title\": \"Add alerting on disk usage\", \"dueDate\": \"2026-12-01\", \"priority\": 2, \"assigneeId\": \"$bob\"}}"
check "issueCreate with a client id makes ENG-1 in Backlog" \
	is "$status $(j d.data.issueCreate.success d.data.issueCreate.issue.id) $(j d.data.issueCreate.issue.identifier d.data.issueCreate.issue.state.name)" \
	"200 true $id1 ENG-1 Backlog"
check "the issue url has the workspace, identifier and a slug" \
	is "$(j d.data.issueCreate.issue.url)" "https://linear.app/acme/issue/ENG-1/add-alerting-on-disk-usage"
gql "$CREATE" "{\"input\": {\"id\": \"$id1\", \"teamId\": \"$eng\", \"title\": \"Again\"}}"
check "reusing an issue id is INPUT_ERROR 'Entity already exists' and creates nothing" \
	is "$(j d.errors[0].message d.errors[0].extensions.code) $(j d.errors[0].extensions.userError) $(issue_count)" \
	"Entity already exists INPUT_ERROR true 1"
gql "$CREATE" "{\"input\": {\"id\": \"not-a-uuid\", \"teamId\": \"$eng\", \"title\": \"X\"}}"
check "an id that is not a UUID is INPUT_ERROR" is "$(j d.errors[0].extensions.code) $(issue_count)" "INPUT_ERROR 1"
gql "$CREATE" '{"input": {"teamId": "ENG", "title": "X"}}'
check "a team key as teamId is rejected" is "$(j d.errors[0].extensions.code) $(issue_count)" "INPUT_ERROR 1"
gql "$CREATE" "{\"input\": {\"teamId\": \"$eng\", \"title\": \"X\", \"dueDate\": \"01/12/2026\"}}"
check "a dueDate that is not yyyy-mm-dd is rejected" is "$status $(issue_count)" "400 1"
gql "$CREATE" "{\"input\": {\"teamId\": \"$eng\", \"title\": \"X\", \"projectId\": \"$(uuid)\"}}"
check "an input field the fake does not model is an error, not ignored" is "$(j d.errors[0].extensions.code)" FAKE_UNSUPPORTED

BATCH='mutation IssueBatchCreate($input: IssueBatchCreateInput!) { issueBatchCreate(input: $input) { success issues { id identifier } } }'
gql "$BATCH" "{\"input\": {\"issues\": [{\"teamId\": \"$eng\", \"title\": \"A\"}, {\"id\": \"$id1\", \"teamId\": \"$eng\", \"title\": \"B\"}]}}"
check "issueBatchCreate is one transaction: one bad issue, nothing created" is "$(j d.errors[0].message) $(issue_count)" "Entity already exists 1"
many=$(node -e 'console.log(JSON.stringify({ input: { issues: Array.from({ length: 51 }, (_, i) => ({ teamId: process.argv[1], title: "T" + i })) } }))' "$eng")
gql "$BATCH" "$many"
check "issueBatchCreate with more than 50 issues is INPUT_ERROR" is "$(j d.errors[0].extensions.code) $(issue_count)" "INPUT_ERROR 1"
gql "$BATCH" "{\"input\": {\"issues\": [{\"teamId\": \"$eng\", \"title\": \"Second\", \"description\": \"marker pm-42\"}, {\"teamId\": \"$eng\", \"title\": \"Third\"}, {\"teamId\": \"$ops\", \"title\": \"Ops first\"}]}}"
check "issueBatchCreate numbers issues per team" is "$(j 'd.data.issueBatchCreate.issues.map(i=>i.identifier).join()')" "ENG-2,ENG-3,OPS-1"

# --- labels ----------------------------------------------------------------------------------
LABEL='mutation LabelCreate($input: IssueLabelCreateInput!) { issueLabelCreate(input: $input) { success issueLabel { id name } } }'
gql "$LABEL" "{\"input\": {\"name\": \"postmortem\", \"teamId\": \"$eng\"}}"
label=$(j d.data.issueLabelCreate.issueLabel.id)
check "issueLabelCreate makes a team label" is "$(j d.data.issueLabelCreate.success)" true
gql "$LABEL" '{"input": {"name": "PostMortem"}}'
check "a label name already used (ignoring case) is INPUT_ERROR" \
	is "$(j d.errors[0].message d.errors[0].extensions.code)" "Label with this name already exists INPUT_ERROR"
gql "$LABEL" "{\"input\": {\"name\": \"ops-only\", \"teamId\": \"$ops\"}}"
ops_label=$(j d.data.issueLabelCreate.issueLabel.id)
gql "$CREATE" "{\"input\": {\"teamId\": \"$eng\", \"title\": \"X\", \"labelIds\": [\"$ops_label\"]}}"
check "another team's label is rejected" is "$(j d.errors[0].message) $(issue_count)" "LabelIds for incorrect team 4"
gql 'query L($name: String!, $teamId: ID!) { issueLabels(filter: { name: { eqIgnoreCase: $name }, or: [{ team: { id: { eq: $teamId } } }, { team: { null: true } }] }, first: 10) { nodes { id team { key } } } }' \
	"{\"name\": \"POSTMORTEM\", \"teamId\": \"$eng\"}"
check "labels by name across the team and the workspace" is "$(j d.data.issueLabels.nodes[0].id)" "$label"
gql 'mutation U($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success issue { id labels(first: 5) { nodes { name } } } } }' \
	"{\"id\": \"ENG-1\", \"input\": {\"addedLabelIds\": [\"$label\"], \"stateId\": \"$done_state\"}}"
check "issueUpdate takes an identifier and adds labels" \
	is "$(j d.data.issueUpdate.issue.id 'd.data.issueUpdate.issue.labels.nodes.map(l=>l.name).join()')" "$id1 postmortem"

# --- attachments -----------------------------------------------------------------------------
ATTACH='mutation A($input: AttachmentCreateInput!) { attachmentCreate(input: $input) { success attachment { id title subtitle metadata issue { identifier } } } }'
gql "$ATTACH" "{\"input\": {\"issueId\": \"$id1\", \"url\": \"https://wiki.example.com/pm/42#item-1\", \"title\": \"Postmortem 42\", \"metadata\": {\"row\": 1}}}"
att=$(j d.data.attachmentCreate.attachment.id)
gql "$ATTACH" "{\"input\": {\"issueId\": \"ENG-1\", \"url\": \"https://wiki.example.com/pm/42#item-1\", \"title\": \"Postmortem 42 (v2)\", \"subtitle\": \"item 1\"}}"
check "attachmentCreate with the same url on the same issue updates that attachment" \
	is "$(j d.data.attachmentCreate.attachment.id d.data.attachmentCreate.attachment.title) $(j d.data.attachmentCreate.attachment.metadata.row)" \
	"$att Postmortem 42 (v2) 1"
control GET /__fake/issues
check "the issue has one attachment" is "$(j 'd.issues.find(i=>i.identifier==="ENG-1").attachments.length')" 1
gql 'query A($url: String!) { attachmentsForURL(url: $url, first: 50) { nodes { id issue { identifier } } } }' '{"url": "https://wiki.example.com/pm/42#item-1"}'
check "attachmentsForURL finds it" is "$(j 'd.data.attachmentsForURL.nodes.map(a=>a.issue.identifier).join()')" ENG-1
gql "$ATTACH" "{\"input\": {\"issueId\": \"ENG-1\", \"url\": \"https://wiki.example.com/pm/42#item-2\", \"title\": \"Postmortem 42\"}}"
att2=$(j d.data.attachmentCreate.attachment.id)
DELETE='mutation D($id: String!) { attachmentDelete(id: $id) { success entityId lastSyncId } }'
gql "$DELETE" "{\"id\": \"$att2\"}"
check "attachmentDelete deletes one attachment and answers a DeletePayload" \
	is "$(j d.data.attachmentDelete.success d.data.attachmentDelete.entityId) $(j 'typeof d.data.attachmentDelete.lastSyncId')" "true $att2 number"
control GET /__fake/issues
check "the other attachment stays" is "$(j 'd.issues.find(i=>i.identifier==="ENG-1").attachments.map(a=>a.id).join()')" "$att"
gql "$DELETE" "{\"id\": \"$att2\"}"
check "deleting it again is 'Entity not found: Attachment' and nulls the data" \
	is "$status $(j d.errors[0].message d.errors[0].path[0] d.data)" "200 Entity not found: Attachment attachmentDelete null"

# --- reading and filtering -------------------------------------------------------------------
gql 'query I($url: String!) { issues(filter: { attachments: { some: { url: { eq: $url } } } }, first: 50, includeArchived: true) { nodes { identifier } } }' \
	'{"url": "https://wiki.example.com/pm/42#item-1"}'
check "issues by attachment url" is "$(j 'd.data.issues.nodes.map(i=>i.identifier).join()')" ENG-1
gql 'query I($m: String) { issues(filter: { description: { contains: $m } }, first: 50) { nodes { identifier } } }' '{"m": "pm-42"}'
check "issues by description marker" is "$(j 'd.data.issues.nodes.map(i=>i.identifier).join()')" ENG-2
gql 'query I($m: String) { issues(filter: { description: { contains: $m } }, first: 50) { nodes { identifier } } }'
check "like Linear, a comparator with an unset variable matches everything" is "$(j d.data.issues.nodes.length)" 4
gql 'query I { issues(filter: { state: { type: { in: ["completed", "canceled"] } } }, first: 50) { nodes { identifier completedAt } } }'
check "issues by state type; completedAt set on entering Done" \
	is "$(j 'd.data.issues.nodes.map(i=>i.identifier+":"+(i.completedAt!=null)).join()')" "ENG-1:true"
gql 'query P { issues(first: 2) { nodes { identifier } pageInfo { hasNextPage endCursor } } }'
cursor=$(j d.data.issues.pageInfo.endCursor)
check "pagination: a first page of 2 says there is more" is "$(j 'd.data.issues.nodes.map(i=>i.identifier).join()' d.data.issues.pageInfo.hasNextPage)" "ENG-1,ENG-2 true"
gql 'query P($after: String) { issues(first: 2, after: $after) { nodes { identifier } pageInfo { hasNextPage } } }' "{\"after\": \"$cursor\"}"
check "pagination: the page after the cursor ends the list" is "$(j 'd.data.issues.nodes.map(i=>i.identifier).join()' d.data.issues.pageInfo.hasNextPage)" "ENG-3,OPS-1 false"
gql 'query { issue(id: "ENG-99") { id } }'
check "issue(id:) of an unknown identifier is 'Entity not found: Issue'" \
	is "$(j d.errors[0].message d.errors[0].extensions.code) $(j d.errors[0].extensions.type)" "Entity not found: Issue INPUT_ERROR invalid input"
gql 'mutation { issueCreate(input: { teamId: "x", title: "ro" }) { success } }' '{}' lin_api_readonly
check "a read-only key cannot mutate" is "$status $(j d.errors[0].extensions.code d.errors[0].extensions.type)" "200 FORBIDDEN forbidden"

# --- control API: people editing tickets ----------------------------------------------------
control POST /__fake/issues/ENG-2/state '{"type": "canceled"}'
check "control: a person cancels ENG-2" is "$status $(j d.state.name 'd.canceledAt!=null')" "200 Canceled true"
control POST /__fake/issues/ENG-3/update '{"teamKey": "OPS", "title": "Moved", "assigneeEmail": "alice@example.com"}'
check "control: moving ENG-3 to OPS gives OPS-2 and keeps the old identifier" \
	is "$(j d.identifier d.previousIdentifiers[0]) $(j d.assigneeEmail)" "OPS-2 ENG-3 alice@example.com"
gql 'query { issue(id: "ENG-3") { identifier } }'
check "issue(id:) still finds a moved issue by its previous identifier" is "$(j d.data.issue.identifier)" OPS-2
control POST /__fake/issues/OPS-2/update '{"archived": true}'
gql 'query { issues(first: 50) { nodes { identifier } } }'
check "archived issues are hidden without includeArchived" is "$(j 'd.data.issues.nodes.map(i=>i.identifier).join()')" "ENG-1,ENG-2,OPS-1"
control POST /__fake/issues/ENG-1/update '{"addLabel": "Needs-Review"}'
check "control: addLabel adds a label by name, made in the team when new" \
	is "$status $(j 'd.labels.join()')" "200 postmortem,Needs-Review"
control POST /__fake/issues/ENG-1/update '{"labels": ["needs-review"]}'
check "control: labels sets exactly the named ones, in any case" is "$status $(j 'd.labels.join()')" "200 Needs-Review"
control POST /__fake/issues/ENG-1/update '{"labels": ["no-such-label"]}'
check "control: an unknown label in labels is refused" is "$status $(j 'd.error')" '400 no label "no-such-label" in team ENG or the workspace'
control POST /__fake/seed '{"labels": [{"name": "human"}], "issues": [{"title": "Made by a person", "teamKey": "ENG", "labels": ["human"], "state": "Todo"}]}'
check "control: seed makes a ticket with a workspace label" is "$status $(j d.issues[0].identifier)" "200 ENG-4"
control POST /__fake/seed '{"issues": [{"title": "Archived with a link", "teamKey": "ENG", "archived": true, "attachments": [{"url": "https://example.com/pm#x", "title": "PM"}]}]}'
gql 'query { issues(filter: { title: { eq: "Archived with a link" } }, first: 5, includeArchived: true) { nodes { attachments(first: 5) { nodes { url } } } } }'
check "an archived issue's attachments are hidden in a nested query without includeArchived" \
	is "$(j 'd.data.issues.nodes[0].attachments.nodes.length')" 0
gql 'query { issues(filter: { title: { eq: "Archived with a link" } }, first: 5, includeArchived: true) { nodes { attachments(first: 5, includeArchived: true) { nodes { url } } } } }'
check "and shown with it" is "$(j 'd.data.issues.nodes[0].attachments.nodes[0].url')" "https://example.com/pm#x"

# --- faults ----------------------------------------------------------------------------------
control POST /__fake/faults '{"ratelimit": 1}'
gql "$VIEWER"
check "ratelimit fault: HTTP 400 RATELIMITED with no requests remaining" \
	is "$status $(j d.errors[0].extensions.code d.errors[0].extensions.statusCode) $(header X-RateLimit-Requests-Remaining)" "400 RATELIMITED 429 0"
gql "$VIEWER"
check "ratelimit fault: only the next N requests" is "$status" 200
control POST /__fake/faults '{"latency_ms": 300}'
took=$(curl -s -o /dev/null -w '%{time_total}' -H 'Authorization: lin_api_test' -H 'Content-Type: application/json' \
	--data-binary '{"query": "{ viewer { id } }"}' "$base/graphql")
check "latency_ms fault: answers wait" node -e 'process.exit(Number(process.argv[1]) >= 0.3 ? 0 : 1)' "$took"
control POST /__fake/faults '{"error5xx": 1}'
gql "$VIEWER"
check "error5xx fault: 503" is "$status" 503
control GET /__fake/requests
seq=$(j d.seq)
control POST /__fake/faults "{\"fail_at\": $((seq + 1))}"
count=$(issue_count)
gql "$CREATE" "{\"input\": {\"teamId\": \"$eng\", \"title\": \"Never made\"}}"
check "fail_at: that request answers 500 and has no effect" is "$status $(issue_count)" "500 $count"
control POST /__fake/faults "{\"drop_at\": $((seq + 2))}"
gql "$CREATE" "{\"input\": {\"teamId\": \"$eng\", \"title\": \"Made, answer lost\"}}"
check "drop_at: no answer, but the issue was made" is "$status $(issue_count)" "000 $((count + 1))"
control POST /__fake/faults "{\"pause_at\": $((seq + 3))}"
gql "$CREATE" "{\"input\": {\"teamId\": \"$eng\", \"title\": \"Made, answer held\"}}" &
client=$!
for _ in $(seq 100); do
	control GET /__fake/paused
	[ "$(j d.paused)" = true ] && break
	sleep 0.05
done
check "pause_at: /__fake/paused reports the held request" is "$(j d.paused d.request) $(issue_count)" "true $((seq + 3)) $((count + 2))"
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/__fake/resume")
wait "$client"
check "pause_at: /__fake/resume releases the answer" is "$(j d.data.issueCreate.issue.title)" "Made, answer held"
control POST /__fake/faults '{}'
control GET /__fake/requests
check "request counts by operation" is "$(j '[d.by_operation.IssueBatchCreate, d.by_operation.Viewer, d.mutations > 0, d.queries > 0].join()')" "3,8,true,true"
control POST /__fake/requests/reset
check "requests/reset zeroes the counts but not the sequence" is "$(j d.total d.seq)" "0 $((seq + 3))"
control POST /__fake/reset
check "reset: back to an empty workspace" is "$(issue_count)" 0

# --- the schema subset -----------------------------------------------------------------------
subset_matches() {
	node "$here/check-linear-subset.js" >"$tmp/subset"
	local rc=$?
	sed 's/^/# /' "$tmp/subset"
	return $rc
}
if [ -d "$shared/schemas" ]; then
	check "linear-schema.graphql is a subset of Linear's schema" subset_matches
else
	echo "skip: shared schema not found"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
