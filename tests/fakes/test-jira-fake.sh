#!/usr/bin/env bash
# Tests the fake Jira itself (jira-fake): starts a Cloud and a Data Center instance on free
# ports, speaks REST and the control API to them with curl, and checks that they behave like
# Jira where pmsync depends on it: auth, users and hidden e-mails, create metadata, create
# (single and bulk) and its refusals, edit, properties, remote links, transitions, search
# with its index lag, paging and JQL errors, the removed search API, and every injected
# fault. Every answer of the Cloud instance is then validated against the response schemas
# of Atlassian's OpenAPI file when the shared reference files sit beside the repository.
# Prints TAP lines "ok N - ..." through tests/e2e/lib.sh, then "# N tests, N failed"; exits
# 1 if any check failed. Needs bash, curl and node (node-ajv for the OpenAPI check).
set -u
. "$(dirname "$0")/../e2e/lib.sh"
here="$TOP/tests/fakes"
spec="$SHARED/schemas/jira-cloud-v3.json"
tmp=$TMP
if ! command -v node >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
	echo "skip: node and curl are needed for the fake Jira"
	exit 0
fi

# is GOT WANT: for check; shows both when they differ.
is() {
	[ "$1" = "$2" ] || { printf '#   got:  %s\n#   want: %s\n' "$1" "$2" && false; }
}
# j EXPR...: the JavaScript expressions over the last body, bound to `d`, each printed bare
# if a string, else as JSON, separated by spaces.
j() {
	local list
	list=$(printf '%s,' "$@")
	json_eval "[${list%,}].map(v => typeof v === 'string' ? v : String(JSON.stringify(v))).join(' ')" "$tmp/body" 2>/dev/null
}
header() {
	tr -d '\r' <"$tmp/headers" | sed -n "s/^$1: //Ip"
}

node "$here/jira-fake" --deployment onprem >/dev/null 2>"$tmp/usage"
check "an unknown deployment is a usage error, exit 2" is "$? $(head -c 15 "$tmp/usage")" "2 usage: jira-fak"

CLOUD_AUTH="Basic $(printf 'pmsync@example.com:jira-test-token' | base64)"
DC_AUTH="Bearer jira-test-pat"
exchanges=0
# api METHOD PATH [JSON] [AUTHORIZATION]: a REST call to $base with $auth (or the given
# header; "none" sends none); status to $status, body to $tmp/body. Cloud answers are kept
# for the OpenAPI check at the end.
api() {
	local method=$1 path=$2 data=${3:-} who=${4:-$auth}
	local args=(-s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}\t%{content_type}' -X "$method")
	[ "$who" != none ] && args+=(-H "Authorization: $who")
	[ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data-binary "$data")
	local out
	out=$(curl "${args[@]}" "$base$path")
	status=${out%%$'\t'*}
	[ "$status" = 000 ] && return
	exchanges=$((exchanges + 1))
	if [ "$base" = "$cloud" ]; then
		cp "$tmp/body" "$tmp/ex.$exchanges"
		printf '%s\t%s\t%s\t%s\t%s\n' "$method" "$path" "$status" "${out#*$'\t'}" "$tmp/ex.$exchanges" >>"$tmp/exchanges.tsv"
	fi
	# the requests it accepted, for the contract check of the real API
	if [ "${status:0:1}" = 2 ]; then
		printf '%s' "$data" >"$tmp/req.$exchanges"
		printf '%s\t%s\t%s\t%s\n' "$method" "$path" "$tmp/req.$exchanges" "$who" >>"$tmp/accepted.$deployment.tsv"
	fi
}
# not_contract: the last request was deliberately invalid yet answered 2xx, as the real
# service answers it (a bulk with a bad element, a Cloud assignee by name): keep it out of
# the contract check.
not_contract() {
	sed -i '$d' "$tmp/accepted.$deployment.tsv"
}
# control METHOD PATH [JSON]: the control API of $base.
control() {
	status=$(curl -s -o "$tmp/body" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' \
		--data-binary "${3:-}" "$base$2")
}
issue_count() {
	curl -s "$base/__fake/issues" | node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(0, "utf8")).issues.length))'
}
adf() {
	printf '{"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "%s"}]}]}' "$1"
}
# search JQL [EXTRA]: POST /search/jql for the summary, status and labels; EXTRA adds keys.
search() {
	api POST /rest/api/3/search/jql "{\"jql\": \"$1\", \"fields\": [\"summary\", \"status\", \"labels\"]${2:+, $2}}"
}
keys() {
	j 'd.issues.map(i=>i.key).join()'
}

start_server port node "$here/jira-fake" --port 0
cloud=http://127.0.0.1:$port
start_server port node "$here/jira-fake" --port 0 --deployment datacenter
dc=http://127.0.0.1:$port
base=$cloud auth=$CLOUD_AUTH deployment=cloud
# Many writes to OPS-1 follow in quick succession; the per-issue limit has its own test.
control POST /__fake/settings '{"issue_write_limit": false}'

# --- Cloud: auth -------------------------------------------------------------------------
api GET /rest/api/3/myself '' none
check "no credentials: 401 in Jira Cloud's words" is "$status $(cat "$tmp/body")" \
	"401 Client must be authenticated to access this resource."
api GET /rest/api/3/myself '' "Basic $(printf 'pmsync@example.com:wrong' | base64)"
check "a wrong API token: 401" is "$status" 401
api GET /rest/api/3/myself '' "Bearer jira-test-token"
check "the API token as Bearer: 401 (Cloud wants Basic)" is "$status" 401
api GET /rest/api/3/myself
check "/myself is the API user, by accountId, with its e-mail" \
	is "$status $(j d.accountId d.emailAddress d.active)" "200 5b10ac8d82e05b22cc7d4e01 pmsync@example.com true"

# --- users -----------------------------------------------------------------------------------
api GET '/rest/api/3/user/search?query=alice'
check "user search by a display name prefix" is "$(j 'd.map(u=>u.emailAddress).join()')" "alice@example.com"
api GET '/rest/api/3/user/search?query=bob%40example.com'
check "a hidden e-mail finds its user when whole, and stays hidden" \
	is "$(j d.length d[0].accountId '"emailAddress" in d[0]')" "1 5b10ac8d82e05b22cc7d4e03 false"
api GET '/rest/api/3/user/search?query=bob%40exa'
check "a prefix of a hidden e-mail finds nobody" is "$(j d.length)" 0
api GET '/rest/api/3/user/search?query=carol'
check "deactivated users are not found" is "$(j d.length)" 0
api GET '/rest/api/3/user/search?username=bob'
check "username on Cloud is refused (GDPR strict mode)" is "$status" 400
api GET '/rest/api/3/user/search'
check "user search without query, accountId or property is refused" is "$status" 400
api GET '/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4e04'
check "a user by accountId, active or not" is "$status $(j d.active)" "200 false"
api GET '/rest/api/3/user?accountId=nobody'
check "an unknown accountId is 404" is "$status" 404
api GET '/rest/api/3/user/assignable/search?project=OPS&query=al'
check "assignable users of a project" is "$status $(j 'd.map(u=>u.displayName).join()')" "200 Alice Example"

# --- create metadata -----------------------------------------------------------------------
api GET /rest/api/3/issue/createmeta/OPS/issuetypes
check "createmeta lists OPS's issue types" is "$status $(j 'd.issueTypes.map(t=>t.id+":"+t.name).join()' d.total)" "200 10001:Task,10002:Bug 2"
api GET /rest/api/3/issue/createmeta/OPS/issuetypes/10001
check "createmeta offers the priorities, Medium by default" \
	is "$(j 'd.fields.find(f=>f.fieldId==="priority").allowedValues.map(p=>p.name).join()' 'd.fields.find(f=>f.fieldId==="priority").defaultValue.name')" \
	"Highest,High,Medium,Low,Lowest Medium"
check "OPS requires no custom field" is "$(j 'd.fields.filter(f=>f.required&&!f.hasDefaultValue).map(f=>f.fieldId).join()')" "issuetype,project,summary"
api GET /rest/api/3/issue/createmeta/SEC/issuetypes/10001
check "SEC requires customfield_10050 Impact, with its options" \
	is "$(j 'd.fields.filter(f=>f.required&&!f.hasDefaultValue).map(f=>f.fieldId).join()' 'd.fields.find(f=>f.fieldId==="customfield_10050").allowedValues.map(o=>o.value).join()')" \
	"issuetype,project,summary,customfield_10050 Low,Medium,High"
api GET /rest/api/3/project/OPS
check "the project OPS with its issue types" is "$status $(j d.key 'd.issueTypes.map(t=>t.name).join()')" "200 OPS Task,Bug"
api GET /rest/api/3/project/NOPE
check "an unknown project is 404 in Jira's words" is "$status $(j d.errorMessages[0])" "404 No project could be found with key 'NOPE'."
api GET /rest/api/3/serverInfo
check "serverInfo says Cloud" is "$status $(j d.deploymentType)" "200 Cloud"
api GET /rest/api/3/issue/createmeta/NOPE/issuetypes
check "createmeta of an unknown project is 404" is "$status" 404

# --- create ----------------------------------------------------------------------------------
ok_issue='"project": {"key": "OPS"}, "issuetype": {"name": "Task"}'
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"Add a replica lag alert\", \"description\": $(adf 'From the postmortem'), \"labels\": [\"pmsync-a1\", \"postmortem\"], \"duedate\": \"2026-12-01\", \"assignee\": {\"accountId\": \"5b10ac8d82e05b22cc7d4e02\"}, \"priority\": {\"name\": \"High\"}}, \"properties\": [{\"key\": \"pmsync\", \"value\": {\"item\": \"a1\"}}]}"
check "create answers 201 with id, key and self" is "$status $(j d.id d.key)" "201 10000 OPS-1"
id1=$(j d.id)
api GET '/rest/api/3/issue/OPS-1?fields=summary,assignee,priority,labels,duedate,status,description&properties=pmsync'
check "the created issue carries its fields and the property set at create" \
	is "$(j d.fields.assignee.displayName d.fields.priority.name d.fields.duedate d.fields.status.statusCategory.key d.properties.pmsync.item d.fields.description.type)" \
	"Alice Example High 2026-12-01 new a1 doc"
count=$(issue_count)
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"X\", \"description\": \"plain text\"}}"
check "a plain-string description on v3 is a 400, nothing created" \
	is "$status $(j d.errors.description) $(issue_count)" \
	"400 Operation value must be an Atlassian Document (see the Atlassian Document Format) $count"
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"X\", \"description\": {\"type\": \"doc\", \"version\": 1, \"content\": [{\"type\": \"paragraph\", \"content\": [{\"type\": \"text\", \"text\": \"\"}]}]}}}"
check "an ADF document with an empty text node is a 400" is "$status $(issue_count)" "400 $count"
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"X\", \"components\": [{\"name\": \"db\"}]}}"
check "an unknown field is refused in Jira's words" \
	is "$status $(j d.errors.components)" "400 Field 'components' cannot be set. It is not on the appropriate screen, or unknown."
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"X\", \"labels\": [\"Severity: high\"]}}"
check "a label with white space is refused" is "$status $(j d.errors.labels)" "400 The label 'Severity: high' contains spaces which is invalid."
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"X\", \"duedate\": \"2026-02-30\"}}"
check "a duedate that is no real day is refused" is "$status $(j d.errors.duedate)" "400 Error parsing date string: 2026-02-30"
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"X\", \"duedate\": \"01/12/2026\"}}"
check "a duedate not yyyy-mm-dd is refused" is "$status" 400
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"labels\": [\"a b\"], \"duedate\": \"soon\"}}"
check "all field errors come together: summary, labels, duedate" \
	is "$status $(j 'Object.keys(d.errors).sort().join()')" "400 duedate,labels,summary"
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"Two\\nlines\"}}"
check "a summary with a newline is refused" is "$status $(j d.errors.summary)" "400 The summary is invalid because it contains newline characters."
long=$(node -e 'console.log(JSON.stringify({ type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "x".repeat(32800) }] }] }))')
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"Long\", \"description\": $long}}"
check "a description over 32,767 characters is refused" is "$status $(j 'd.errors.description.startsWith(`The entered text is too long`)')" "400 true"
api POST /rest/api/3/issue '{"fields": {"issuetype": {"name": "Task"}, "summary": "X"}}'
check "a missing project is refused" is "$status $(j d.errors.project)" "400 Specify a valid project ID or key"
api POST /rest/api/3/issue '{"fields": {"project": {"key": "OPS"}, "summary": "X"}}'
check "a missing issue type is refused" is "$status $(j d.errors.issuetype)" "400 Specify an issue type"
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"X\", \"priority\": {\"name\": \"Urgent\"}}}"
check "a priority outside the allowed values is refused" is "$status $(j d.errors.priority)" "400 The priority selected is invalid."
api POST /rest/api/3/issue '{"fields": {"project": {"key": "SEC"}, "issuetype": {"name": "Task"}, "summary": "Rotate keys"}}'
check "SEC without its required custom field is refused" is "$status $(j d.errors.customfield_10050) $(issue_count)" "400 Impact is required. $count"
api POST /rest/api/3/issue '{"fields": {"project": {"key": "SEC"}, "issuetype": {"name": "Task"}, "summary": "Rotate keys", "customfield_10050": {"value": "Huge"}}}'
check "an option outside the field's options is refused" is "$status $(j d.errors.customfield_10050)" "400 Option value 'Huge' is not valid"
api POST /rest/api/3/issue '{"fields": {"project": {"key": "SEC"}, "issuetype": {"name": "Task"}, "summary": "Rotate keys", "customfield_10050": {"value": "High"}}}'
check "SEC with Impact is created as SEC-1" is "$status $(j d.key)" "201 SEC-1"
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"Started at once\"}, \"transition\": {\"id\": \"21\"}}"
started=$(j d.key)
check "create with a transition reports it" is "$status $(j d.transition.status)" "201 200"
api GET "/rest/api/3/issue/$started?fields=status"
check "... and the issue starts in its target status" is "$(j d.fields.status.name)" "In Progress"
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"X\"}, \"transition\": {\"id\": \"51\"}}"
check "create with a transition not available from To Do is refused" is "$status" 400
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"Assigned by name\", \"assignee\": {\"name\": \"alice\"}}}"
key_byname=$(j d.key)
not_contract
api GET "/rest/api/3/issue/$key_byname?fields=assignee"
check "an assignee by name is dropped without a word, as Cloud does" is "$status $(j d.fields.assignee)" "200 null"
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"X\", \"assignee\": {\"accountId\": \"5b10ac8d82e05b22cc7d4e04\"}}}"
check "a deactivated assignee is refused" is "$status $(j d.errors.assignee)" "400 User 'Carol Example' cannot be assigned issues."
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"X\"}, \"idempotencyKey\": \"k\"}"
check "an unknown key beside fields is refused" is "$status $(j 'd.errorMessages[0].startsWith(`Unrecognized field "idempotencyKey"`)')" "400 true"

# --- bulk create ---------------------------------------------------------------------------
count=$(issue_count)
api POST /rest/api/3/issue/bulk "{\"issueUpdates\": [{\"fields\": {$ok_issue, \"summary\": \"Bulk one\"}}, {\"fields\": {$ok_issue, \"labels\": [\"has space\"]}}, {\"fields\": {$ok_issue, \"summary\": \"Bulk three\"}}]}"
not_contract
check "bulk: 201, the good elements created in order, the bad one reported by index" \
	is "$status $(j 'd.issues.length' d.errors[0].failedElementNumber d.errors[0].status 'Object.keys(d.errors[0].elementErrors.errors).sort().join()') $(issue_count)" \
	"201 2 1 400 labels,summary $((count + 2))"
api POST /rest/api/3/issue/bulk "{\"issueUpdates\": [{\"fields\": {$ok_issue}}, {\"fields\": {\"summary\": \"no project\"}}]}"
check "bulk where every element fails: 400 with both errors" \
	is "$status $(j 'd.issues.length' 'd.errors.map(e=>e.failedElementNumber).join()') $(issue_count)" "400 0 0,1 $((count + 2))"
many=$(node -e 'console.log(JSON.stringify({ issueUpdates: Array.from({ length: 51 }, (_, i) => ({ fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary: "T" + i } })) }))')
api POST /rest/api/3/issue/bulk "$many"
check "bulk of more than 50 is refused whole" is "$status $(issue_count)" "400 $((count + 2))"

# --- edit ------------------------------------------------------------------------------------
api PUT /rest/api/3/issue/OPS-1 '{"fields": {"summary": "Add a replica lag alert at 30 s"}}'
check "edit answers 204" is "$status" 204
api PUT /rest/api/3/issue/OPS-1 '{"update": {"labels": [{"add": "zeta"}, {"add": "alpha"}, {"remove": "postmortem"}]}}'
api GET '/rest/api/3/issue/OPS-1?fields=summary,labels'
check "edit by fields and by update operations; labels kept sorted" \
	is "$(j d.fields.summary 'd.fields.labels.join()')" "Add a replica lag alert at 30 s alpha,pmsync-a1,zeta"
api PUT /rest/api/3/issue/OPS-1 '{"fields": {"status": {"name": "Done"}, "resolution": {"name": "Done"}}}'
check "status and resolution cannot be set by an edit" \
	is "$status $(j 'Object.keys(d.errors).sort().join()')" "400 resolution,status"
api PUT /rest/api/3/issue/OPS-1 '{"fields": {"labels": ["x"]}, "update": {"labels": [{"add": "y"}]}}'
check "one field in both fields and update is refused" is "$status" 400
api PUT '/rest/api/3/issue/OPS-1?returnIssue=true' '{"fields": {"duedate": null}}'
check "returnIssue=true answers 200 with the issue" is "$status $(j d.key d.fields.duedate)" "200 OPS-1 null"
api PUT /rest/api/3/issue/OPS-1 '{"fields": {"project": {"key": "SEC"}}}'
check "the project cannot be changed by an edit" is "$status $(j d.errors.project)" \
	"400 Field 'project' cannot be set. It is not on the appropriate screen, or unknown."
api PUT /rest/api/3/issue/SEC-1 '{"fields": {"customfield_10050": null}}'
check "a required custom field cannot be emptied" is "$status $(j d.errors.customfield_10050)" "400 Impact is required."
api PUT /rest/api/3/issue/OPS-1/assignee '{"accountId": "5b10ac8d82e05b22cc7d4e03"}'
check "assign by accountId answers 204" is "$status" 204
api GET /rest/api/3/issue/OPS-99
check "an unknown issue is 404" is "$status $(j d.errorMessages[0])" "404 Issue does not exist or you do not have permission to see it."

# --- issue properties ------------------------------------------------------------------------
api PUT /rest/api/3/issue/OPS-1/properties/pmsync '{"item": "a1", "row": 3}'
check "PUT of an existing property answers 200" is "$status" 200
api PUT /rest/api/3/issue/OPS-1/properties/extra '"x"'
check "PUT of a new property answers 201" is "$status" 201
api GET /rest/api/3/issue/OPS-1/properties/pmsync
check "GET a property" is "$status $(j d.key d.value.row)" "200 pmsync 3"
api GET /rest/api/3/issue/OPS-1/properties
check "property keys" is "$(j 'd.keys.map(k=>k.key).join()')" "pmsync,extra"
api DELETE /rest/api/3/issue/OPS-1/properties/extra
check "DELETE a property answers 204" is "$status" 204
api GET /rest/api/3/issue/OPS-1/properties/extra
check "a deleted property is 404" is "$status" 404
big=$(node -e 'console.log(JSON.stringify({ s: "x".repeat(32800) }))')
api PUT /rest/api/3/issue/OPS-1/properties/big "$big"
check "a property value over 32768 characters is refused" is "$status" 400

# --- remote links ----------------------------------------------------------------------------
link='"application": {"type": "dev.pmsync", "name": "pmsync"}, "relationship": "postmortem"'
api POST /rest/api/3/issue/OPS-1/remotelink "{\"globalId\": \"pmsync:pm-1#row-3\", $link, \"object\": {\"url\": \"https://git.example/pm-1.md\", \"title\": \"PM 1\"}}"
check "a remote link with a new globalId: 201" is "$status" 201
link_id=$(j d.id)
api POST /rest/api/3/issue/OPS-1/remotelink '{"globalId": "pmsync:pm-1#row-3", "object": {"url": "https://git.example/pm-1.md", "title": "PM 1 (v2)"}}'
check "the same globalId again: 200, the same link" is "$status $(j d.id)" "200 $link_id"
api GET /rest/api/3/issue/OPS-1/remotelink
check "the link was replaced whole: fields left out are gone" \
	is "$(j d.length d[0].object.title '"relationship" in d[0]' '"application" in d[0]')" "1 PM 1 (v2) false false"
api POST /rest/api/3/issue/OPS-1/remotelink '{"object": {"url": "https://git.example/pm-2.md", "title": "PM 2"}}'
api POST /rest/api/3/issue/OPS-1/remotelink '{"object": {"url": "https://git.example/pm-2.md", "title": "PM 2"}}'
api GET /rest/api/3/issue/OPS-1/remotelink
check "without a globalId every POST adds a link" is "$(j d.length)" 3
api POST /rest/api/3/issue/OPS-1/remotelink '{"globalId": "g", "object": {"title": "no url"}}'
check "a remote link without object.url is refused" is "$status" 400
api GET '/rest/api/3/issue/OPS-1/remotelink?globalId=pmsync%3Apm-1%23row-3'
check "GET by globalId answers the one link" is "$status $(j d.id)" "200 $link_id"
api GET "/rest/api/3/issue/OPS-1/remotelink/$link_id"
check "GET by link id" is "$status $(j d.globalId)" "200 pmsync:pm-1#row-3"
api PUT "/rest/api/3/issue/OPS-1/remotelink/$link_id" '{"globalId": "pmsync:pm-1#row-3", "object": {"url": "https://git.example/pm-1.md", "title": "PM 1 (v3)"}}'
check "PUT by link id answers 204" is "$status" 204
api GET "/rest/api/3/issue/OPS-1/remotelink/$link_id"
check "... and replaces the link" is "$(j d.object.title)" "PM 1 (v3)"
api DELETE '/rest/api/3/issue/OPS-1/remotelink?globalId=pmsync%3Apm-1%23row-3'
check "DELETE by globalId answers 204" is "$status" 204
api GET "/rest/api/3/issue/OPS-1/remotelink/$link_id"
check "the deleted link is 404" is "$status" 404
api GET /rest/api/3/issue/OPS-1/remotelink
second=$(j d[0].id)
api DELETE "/rest/api/3/issue/OPS-1/remotelink/$second"
check "DELETE by link id answers 204" is "$status" 204
api POST /rest/api/3/issue/OPS-999/remotelink '{"globalId": "g", "object": {"url": "https://git.example/x.md", "title": "X"}}'
check "a remote link on an unknown issue is 404" is "$status" 404
long=$(node -e 'console.log("g".repeat(256))')
api POST /rest/api/3/issue/OPS-1/remotelink "{\"globalId\": \"$long\", \"object\": {\"url\": \"https://git.example/x.md\", \"title\": \"X\"}}"
check "a globalId over 255 characters is refused" is "$status" 400
control POST /__fake/settings '{"issue_linking": false}'
api POST /rest/api/3/issue/OPS-1/remotelink '{"globalId": "g", "object": {"url": "https://git.example/x.md", "title": "X"}}'
check "with issue linking off, a remote link is 403" is "$status" 403
control POST /__fake/settings '{"issue_linking": true}'

# --- transitions -----------------------------------------------------------------------------
api GET /rest/api/3/issue/OPS-1/transitions
check "only the transitions out of To Do are offered" is "$(j 'd.transitions.map(t=>t.id+":"+t.to.name).join()')" "21:In Progress,41:Done"
api POST /rest/api/3/issue/OPS-1/transitions '{"transition": {"name": "Done"}}'
check "a transition without an id is refused in Jira's words" is "$status $(j d.errorMessages[0])" "400 'transition' identifier must be an integer"
api POST /rest/api/3/issue/OPS-1/transitions '{"transition": {"id": "31"}}'
check "a transition not available from To Do is refused" is "$status $(j d.errorMessages[0])" "400 Transition id '31' is not valid for this issue."
api POST /rest/api/3/issue/OPS-1/transitions '{"transition": {"id": "21"}, "fields": {"resolution": {"name": "Done"}}}'
check "a field not on the transition's screen is refused" is "$status $(j 'Object.keys(d.errors).join()')" "400 resolution"
api POST /rest/api/3/issue/OPS-1/transitions '{"transition": {"id": "21"}}'
check "Start Progress answers 204" is "$status" 204
api GET '/rest/api/3/issue/OPS-1/transitions?expand=transitions.fields'
check "Done's screen carries the resolution with Done, Won't Do and Duplicate" \
	is "$(j 'd.transitions.find(t=>t.id==="41").fields.resolution.allowedValues.map(r=>r.name).join()')" "Done,Won't Do,Duplicate"
api POST /rest/api/3/issue/OPS-1/transitions "{\"transition\": {\"id\": \"41\"}, \"fields\": {\"resolution\": {\"name\": \"Won't Do\"}}}"
api GET '/rest/api/3/issue/OPS-1?fields=status,resolution,resolutiondate'
check "Done with Won't Do: status category done, the resolution and its date set" \
	is "$(j d.fields.status.name d.fields.status.statusCategory.key d.fields.resolution.name 'd.fields.resolutiondate!=null')" "Done done Won't Do true"
api GET /rest/api/3/issue/OPS-1/transitions
check "from Done only Reopen is offered" is "$(j 'd.transitions.map(t=>t.id).join()')" 51
api POST /rest/api/3/issue/OPS-1/transitions '{"transition": {"id": "51"}}'
api GET '/rest/api/3/issue/OPS-1?fields=status,resolution,resolutiondate'
check "Reopen clears the resolution and its date" is "$(j d.fields.status.name d.fields.resolution d.fields.resolutiondate)" "To Do null null"
api POST /rest/api/3/issue/OPS-1/transitions '{"transition": {"id": "41"}}'
api GET '/rest/api/3/issue/OPS-1?fields=resolution'
check "Done without a resolution on the screen gets Done" is "$(j d.fields.resolution.name)" "Done"
api GET /rest/api/3/statuscategory
check "status categories new, indeterminate, done" is "$(j 'd.map(c=>c.key).sort().join()')" "done,indeterminate,new"

# --- search: the index lag -------------------------------------------------------------------
# The search-count rule is checked with the time rule set far off, so that a slow machine
# (sanitizers, a loaded CI) cannot let 2 seconds pass between searches; the time rule after.
control POST /__fake/settings '{"lag_ms": 600000}'
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"Lagging\", \"labels\": [\"lag-1\"]}}"
lag_id=$(j d.id)
seen=
for i in 1 2 3 4; do
	search 'labels = lag-1'
	seen="$seen$(j d.issues.length)"
done
check "a new issue: 3 searches miss it, the 4th finds it" is "$seen" 0001
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"Reconciled\", \"labels\": [\"lag-2\"]}}"
rec_id=$(j d.id)
search 'labels = lag-2' "\"reconcileIssues\": [$rec_id]"
check "reconcileIssues finds a new issue at once" is "$(keys)" "$(j d.issues[0].key)"
check "... and it is the new issue" is "$(j d.issues[0].id)" "$rec_id"
api GET "/rest/api/3/search/jql?jql=labels%3Dlag-2&reconcileIssues=$lag_id&reconcileIssues=$rec_id"
check "reconcileIssues as a repeated GET parameter" is "$(j d.issues.length d.issues[0].id)" "1 $rec_id"
search 'labels = lag-2'
check "without reconcileIssues the same search still misses it" is "$(j d.issues.length)" 0
api PUT "/rest/api/3/issue/$lag_id" '{"fields": {"labels": ["lag-1b"]}}'
search 'labels = lag-1b'
check "an edited issue is not found by its new value at once" is "$(j d.issues.length)" 0
search 'labels = lag-1'
check "... but still by its old one, written with its current values" is "$(j d.issues.length 'd.issues[0].fields.labels.join()')" "1 lag-1b"
control POST /__fake/settings '{"lag_ms": 2000}'
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"Timed\", \"labels\": [\"lag-3\"]}}"
sleep 2.1
search 'labels = lag-3'
check "after 2 seconds a new issue is found by the first search" is "$(j d.issues.length)" 1

# --- search: paging, fields, properties ------------------------------------------------------
base_c=$cloud
control POST /__fake/seed '{"issues": [{"project": "OPS", "summary": "Page 1", "labels": ["page"], "properties": {"pmsync": {"n": 1}}}, {"project": "OPS", "summary": "Page 2", "labels": ["page"]}, {"project": "OPS", "summary": "Page 3", "labels": ["page"]}, {"project": "OPS", "summary": "Page 4", "labels": ["page"]}, {"project": "OPS", "summary": "Page 5", "labels": ["page"], "status": "Done", "resolution": "Duplicate"}]}'
check "control: seed makes tickets" is "$status $(j d.issues.length)" "200 5"
read -r p1 p2 p3 p4 p5 <<<"$(j 'd.issues.map(i=>i.key).join(" ")')"
search 'labels = page ORDER BY key ASC' '"maxResults": 2, "properties": ["pmsync"]'
token=$(j d.nextPageToken)
check "first page of 2: nextPageToken, not the last" is "$(keys) $(j d.isLast 'd.issues[0].properties.pmsync.n')" "$p1,$p2 false 1"
search 'labels = page ORDER BY key ASC' "\"maxResults\": 2, \"nextPageToken\": \"$token\""
token=$(j d.nextPageToken)
search 'labels = page ORDER BY key ASC' "\"maxResults\": 2, \"nextPageToken\": \"$token\""
check "the last page has no nextPageToken" is "$(keys) $(j d.isLast '"nextPageToken" in d')" "$p5 true false"
search 'labels = page ORDER BY key DESC' "\"maxResults\": 2, \"nextPageToken\": \"$token\""
check "a token for another query is refused" is "$status" 400
api POST /rest/api/3/search/jql '{"jql": "labels = page"}'
check "fields default to the id alone" is "$(j 'd.issues.map(i=>Object.keys(i).join("+")).join()')" "id,id,id,id,id"
api GET '/rest/api/3/search/jql?jql=labels%3Dpage%20ORDER%20BY%20created%20ASC&fields=summary,-status&maxResults=1'
check "GET /search/jql with comma-separated fields" is "$status $(j d.issues[0].fields.summary 'Object.keys(d.issues[0].fields).join()' '!!d.nextPageToken')" "200 Page 1 summary true"
search 'labels = page AND statusCategory = Done'
check "status category in JQL" is "$(keys)" "$p5"
search 'labels = page AND resolution = Unresolved ORDER BY key ASC'
check "resolution = Unresolved" is "$(keys)" "$p1,$p2,$p3,$p4"
lag_key=$(curl -s "$base/__fake/issues" | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).issues.find(i=>i.summary==="Lagging").key)')
search "labels in (page, lag-1b) AND NOT (summary ~ \\\"Page 2\\\" OR key = $p3) AND status != Done ORDER BY key DESC"
check "IN, NOT, OR, ~ and != together" is "$(keys)" "$p4,$p1,$lag_key"
search 'project = OPS AND labels = page AND assignee IS EMPTY AND duedate IS EMPTY' '"maxResults": 1'
check "IS EMPTY" is "$(j d.issues.length)" 1
many=$(node -e 'console.log(JSON.stringify({ issues: Array.from({ length: 120 }, (_, i) => ({ project: "OPS", summary: "Bulk read " + i, labels: ["many"] })) }))')
control POST /__fake/seed "$many"
search 'labels = many' '"maxResults": 500'
check "maxResults is lowered to 100 without a word" is "$(j d.issues.length 'd.nextPageToken!=null')" "100 true"
search 'labels = many' '"maxResults": 100, "properties": ["pmsync"]'
check "... and to 50 when issue properties are asked for too" is "$(j d.issues.length 'd.nextPageToken!=null')" "50 true"
api POST /rest/api/3/search/jql '{"jql": "labels = many", "maxResults": 5000}'
check "ids alone come 5000 a page" is "$(j d.issues.length d.isLast)" "120 true"
search 'labels = page' '"expand": "names", "maxResults": 1'
check "expand=names names the fields" is "$(j d.names.summary d.names.status)" "Summary Status"

# --- search: refusals -------------------------------------------------------------------------
ids=$(node -e 'console.log(Array.from({ length: 51 }, (_, i) => 10000 + i).join(","))')
search 'project = OPS' "\"reconcileIssues\": [$ids]"
check "more than 50 reconcileIssues is refused" is "$status" 400
search 'project = OPS' '"properties": ["a", "b", "c", "d", "e", "f"]'
check "more than 5 properties is refused" is "$status" 400
search 'ORDER BY key DESC'
check "unbounded JQL is refused in Jira's words" \
	is "$status $(j d.errorMessages[0])" "400 Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
api POST /rest/api/3/search/jql '{"jql": ""}'
check "empty JQL is refused" is "$status" 400
search 'project = OPS' '"startAt": 0'
check "startAt is no key of /search/jql" is "$status $(j 'd.errorMessages[0].startsWith(`Unrecognized field "startAt"`)')" "400 true"
search 'project = OPS' '"expand": ["names"]'
check "expand is a string here, not an array" is "$status" 400
search 'project = NOPE'
check "an unknown project in JQL" is "$status $(j d.errorMessages[0])" "400 The value 'NOPE' does not exist for the field 'project'."
search 'foo = bar'
check "an unknown JQL field" is "$status $(j d.errorMessages[0])" "400 Field 'foo' does not exist or you do not have permission to view it."
search 'project = OPS AND updated > startOfDay()'
check "a JQL function the fake does not model is a 400, not ignored" is "$status $(j 'd.errorMessages[0].includes("does not model")')" "400 true"
search 'project = OPS AND status WAS Done'
check "WAS is a 400, not ignored" is "$status" 400
search 'project = OPS AND issue.property[pmsync].item = a1'
check "issue.property[...] is a 400, not ignored" is "$status" 400
search 'project = OPS AND labels ~ page'
check "an operator the field does not support" is "$status $(j d.errorMessages[0])" "400 The operator '~' is not supported by the 'labels' field."
search 'project = OPS AND'
check "a JQL syntax error names its place" is "$status $(j 'd.errorMessages[0].startsWith("Error in the JQL Query:")')" "400 true"
search 'key = OPS-999'
check "a key that does not exist" is "$status $(j d.errorMessages[0])" "400 An issue with key 'OPS-999' does not exist for field 'key'."
search 'project = OPS ORDER BY labels'
check "ORDER BY a field that does not sort" is "$status" 400
search 'assignee = currentUser() AND project = OPS'
check "currentUser() is the API user" is "$status $(j d.issues.length)" "200 0"
api GET '/rest/api/3/search?jql=project%3DOPS'
check "GET /rest/api/3/search: 410 with Atlassian's message" \
	is "$status $(j d.errorMessages[0])" "410 The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
api POST /rest/api/3/search '{"jql": "project = OPS"}'
check "POST /rest/api/3/search: 410" is "$status" 410
api GET '/rest/api/2/search?jql=project%3DOPS'
check "Cloud's /rest/api/2/search: 410 too" is "$status" 410
api POST /rest/api/3/search/approximate-count '{"jql": "labels = page"}'
check "approximate count" is "$status $(j d.count)" "200 5"
api POST /rest/api/3/issue/bulkfetch '{"issueIdsOrKeys": ["OPS-10", "OPS-9", "OPS-404"], "fields": ["status"]}'
check "bulkfetch reads by key in id order, leaving out unknown keys" is "$status $(keys)" "200 OPS-9,OPS-10"

# --- faults ----------------------------------------------------------------------------------
control POST /__fake/faults '{"ratelimit": 1}'
api GET /rest/api/3/myself
check "ratelimit: 429 with Retry-After and Jira's rate-limit headers" \
	is "$status $(header Retry-After) $(header X-RateLimit-Remaining) $(header RateLimit-Reason) $(header X-RateLimit-Reset | grep -c '^20..-..-..T')" \
	"429 1 0 jira-burst-based 1"
api GET /rest/api/3/myself
check "ratelimit: only the next N requests" is "$status" 200
control POST /__fake/faults '{"latency_ms": 300}'
took=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: $CLOUD_AUTH" "$base/rest/api/3/myself")
check "latency_ms: answers wait" node -e 'process.exit(Number(process.argv[1]) >= 0.3 ? 0 : 1)' "$took"
control POST /__fake/faults '{"error5xx": 1}'
api GET /rest/api/3/myself
check "error5xx: 503" is "$status" 503
control GET /__fake/requests
seq=$(j d.seq)
count=$(issue_count)
control POST /__fake/faults "{\"fail_at\": $((seq + 1))}"
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"Never made\"}}"
check "fail_at: that request answers 500 and has no effect" is "$status $(issue_count)" "500 $count"
control POST /__fake/faults "{\"drop_at\": $((seq + 2))}"
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"Made, answer lost\"}}"
check "drop_at: no answer, but the issue was made" is "$status $(issue_count)" "000 $((count + 1))"
control POST /__fake/faults "{\"pause_at\": $((seq + 3))}"
curl -s -o "$tmp/held" -H "Authorization: $CLOUD_AUTH" -H 'Content-Type: application/json' \
	--data-binary "{\"fields\": {$ok_issue, \"summary\": \"Made, answer held\"}}" "$base/rest/api/3/issue" &
client=$!
# the held answer's request has had its effect once the fake reports it paused
for _ in $(seq 400); do curl -s "$base/__fake/paused" | grep -q '"paused":true' && break || sleep 0.05; done
control GET /__fake/paused
check "pause_at: /__fake/paused reports the held request, already made" is "$(j d.paused d.request) $(issue_count)" "true $((seq + 3)) $((count + 2))"
control POST /__fake/resume
wait "$client"
held=$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1])).key))' "$tmp/held")
control GET /__fake/issues
check "pause_at: /__fake/resume releases the answer" is "$held" "$(j 'd.issues.find(i=>i.summary==="Made, answer held").key')"
control POST /__fake/faults '{"retry": 1}'
check "an unknown fault key is refused" is "$status" 400
control POST /__fake/faults '{}'

control POST /__fake/settings '{"issue_write_limit": true}'
# Writes until the first refusal: 20 within 2 s on a quick machine, up to 100 within 30 s on
# a slow one; either way the writes before it went through and the refusal says why.
codes=
for i in $(seq 101); do
	api PUT /rest/api/3/issue/OPS-2/properties/burst "{\"n\": $i}"
	codes="$codes${status:0:1}"
	[ "$status" = 429 ] && break
done
limited() {
	case $codes in
	*[!24]* | *4?*) return 1 ;;
	esac
	[ "${codes%4}" != "$codes" ] && [ ${#codes} -ge 21 ] &&
		[ "$(header RateLimit-Reason)" = jira-per-issue-on-write ] && header Retry-After | grep -q '^[0-9]'
}
check "per-issue writes: after 20 quick writes to one issue, a 429 jira-per-issue-on-write" limited
api PUT /rest/api/3/issue/OPS-3/properties/burst '{"n": 1}'
check "per-issue writes: other issues are not held back" is "$status" 201
control POST /__fake/settings '{"issue_write_limit": false}'

# --- control API -------------------------------------------------------------------------------
control POST /__fake/issues/OPS-2/state '{"category": "done", "resolution": "Duplicate"}'
check "control: a person closes OPS-2 as a duplicate" is "$status $(j d.status d.statusCategory d.resolution)" "200 Done done Duplicate"
control POST /__fake/issues/OPS-2/update '{"summary": "Edited by a person", "assignee": "bob@example.com", "labels": ["b", "a"]}'
check "control: a person edits OPS-2" is "$status $(j d.summary d.assignee 'd.labels.join()')" "200 Edited by a person bob@example.com a,b"
control POST /__fake/issues/OPS-3/state '{"type": "canceled"}'
check "control: Linear's state types work too (canceled: done, Won't Do)" is "$status $(j d.state.category d.resolution)" "200 done Won't Do"
control POST /__fake/issues/OPS-3/update '{"title": "Linear names", "dueDate": "2027-01-31", "assigneeEmail": "alice@example.com", "addLabel": "extra"}'
check "control: and Linear's field names" is "$status $(j d.title d.summary d.duedate d.assignee 'd.labels.includes(`extra`)')" \
	"200 Linear names Linear names 2027-01-31 alice@example.com true"
control POST /__fake/seed '{"issues": [{"teamKey": "OPS", "title": "Seeded the Linear way", "stateType": "started"}]}'
check "control: seed with Linear's names" is "$status" 200
seeded=$(j d.issues[0].key)
api GET "/rest/api/3/issue/$seeded?fields=status,summary"
check "... makes the ticket as asked" is "$(j d.fields.summary d.fields.status.statusCategory.key)" "Seeded the Linear way indeterminate"
control POST /__fake/seed '{"issues": [{"project": "OPS", "summary": "Never", "resolution": "Fixed"}]}'
check "control: seed refuses an unknown resolution, creating nothing" is "$status" 400
control POST /__fake/issues/OPS-4/delete
check "control: a person deletes OPS-4" is "$status" 200
api GET /rest/api/3/issue/OPS-4
check "a deleted issue is 404" is "$status" 404
api DELETE "/rest/api/3/issue/$seeded"
check "DELETE /issue answers 204" is "$status" 204
search "key = $seeded"
check "JQL naming a deleted key is a 400" is "$status" 400
control POST /__fake/seed '{"issues": [{"project": "SEC", "summary": "No impact"}]}'
check "control: seeding breaks no required-field rule" is "$status" 400
control GET /__fake/issues
check "control: issues have a browse url" is "$(j 'd.issues.find(i=>i.key===`OPS-1`).url')" "$base/browse/OPS-1"
check "control: issues list keys, properties, status categories and index state" \
	is "$(j 'd.issues.find(i=>i.key==="OPS-1").properties.pmsync.row' 'd.issues.find(i=>i.key==="OPS-1").statusCategory' 'typeof d.issues[0].indexed')" "3 done boolean"
control POST /__fake/settings '{"lag_searches": 0}'
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"No lag\", \"labels\": [\"nolag\"]}}"
search 'labels = nolag'
check "settings: lag_searches 0 makes new issues visible at once" is "$(j d.issues.length)" 1
control POST /__fake/settings '{"lag_searches": -1}'
check "settings: a negative lag is refused" is "$status" 400
control GET /__fake/requests
check "request counts by operationId" \
	is "$(j '[d.by_operation.createIssues, d.by_operation.searchForIssuesUsingJql, d.queries > 0, d.mutations > 0].join()')" "3,1,true,true"
seq=$(j d.seq)
control POST /__fake/requests/reset
check "requests/reset zeroes the counts but not the sequence" is "$(j d.total d.seq)" "0 $seq"
control POST /__fake/reset
check "reset: back to an empty site" is "$(issue_count)" 0
api POST /rest/api/3/issue "{\"fields\": {$ok_issue, \"summary\": \"After reset\"}}"
check "reset: numbering starts again" is "$(j d.id d.key)" "10000 OPS-1"

# --- Data Center -------------------------------------------------------------------------------
base=$dc auth=$DC_AUTH deployment=dc
api GET /rest/api/2/myself '' none
check "DC, no credentials: 401 ErrorCollection" \
	is "$status $(j d.errorMessages[0])" "401 You are not authenticated. Authentication required to perform this operation."
api GET /rest/api/2/myself '' "Bearer wrong"
check "DC, a wrong token: 401 page with AUTHENTICATED_FAILED" is "$status $(header X-Seraph-LoginReason)" "401 AUTHENTICATED_FAILED"
api GET /rest/api/2/myself '' "$CLOUD_AUTH"
check "DC, Basic with a Cloud token: 401" is "$status" 401
api GET /rest/api/2/myself
check "DC /myself: username and key, no accountId" is "$status $(j d.name d.key '"accountId" in d')" "200 pmsync JIRAUSER10000 false"
api GET /rest/api/2/serverInfo
check "DC serverInfo says Server, version 9" is "$status $(j d.deploymentType d.versionNumbers[0])" "200 Server 9"
api GET /rest/api/3/myself
check "DC has no /rest/api/3: Jersey's 404" is "$status $(j '"status-code" in d')" "404 true"
api GET '/rest/api/2/user/search?username=bob'
check "DC user search by username shows the e-mail" is "$(j 'd.map(u=>u.name+":"+u.emailAddress).join()')" "bob:bob@example.com"
api GET '/rest/api/2/user/search?query=bob'
check "DC user search wants username" is "$status" 400
api GET '/rest/api/2/user?username=alice'
check "DC user by username" is "$status $(j d.displayName)" "200 Alice Example"
api GET /rest/api/2/issue/createmeta/SEC/issuetypes/10001
check "DC createmeta pages as values" \
	is "$status $(j 'd.values.filter(f=>f.required&&!f.hasDefaultValue).map(f=>f.fieldId).join()')" "200 issuetype,project,summary,customfield_10050"
control POST /__fake/settings '{"lag_ms": 600000}'
api POST /rest/api/2/issue "{\"fields\": {$ok_issue, \"summary\": \"Wiki\", \"description\": \"h1. From the *postmortem*\", \"assignee\": {\"name\": \"alice\"}, \"labels\": [\"dc-1\"]}}"
check "DC create with a wiki-markup description and an assignee by name" is "$status $(j d.key)" "201 OPS-1"
api GET '/rest/api/2/issue/OPS-1?fields=description,assignee'
check "DC keeps the string and names users by username" is "$(j d.fields.description d.fields.assignee.name)" "h1. From the *postmortem* alice"
api POST /rest/api/2/issue "{\"fields\": {$ok_issue, \"summary\": \"ADF\", \"description\": $(adf x)}}"
check "DC refuses an ADF description" is "$status $(j d.errors.description)" "400 Operation value must be a string"
api POST /rest/api/2/issue "{\"fields\": {$ok_issue, \"summary\": \"X\", \"assignee\": {\"accountId\": \"5b10ac8d82e05b22cc7d4e02\"}}}"
check "DC refuses an assignee by accountId" is "$status $(j d.errors.assignee)" "400 expected Object containing a 'name' property"
api GET '/rest/api/2/search?jql=labels%3Ddc-1'
check "DC search: one search misses a new issue" is "$status $(j d.total)" "200 0"
api GET '/rest/api/2/search?jql=labels%3Ddc-1&fields=summary'
check "DC search: the second finds it" is "$(j d.total d.issues[0].key d.issues[0].fields.summary)" "1 OPS-1 Wiki"
control POST /__fake/seed '{"issues": [{"project": "OPS", "summary": "A", "labels": ["dcp"]}, {"project": "OPS", "summary": "B", "labels": ["dcp"]}, {"project": "OPS", "summary": "C", "labels": ["dcp"]}]}'
api POST /rest/api/2/search '{"jql": "labels = dcp ORDER BY key ASC", "startAt": 1, "maxResults": 1, "fields": ["summary"]}'
check "DC search pages by startAt and maxResults with a total" \
	is "$(j d.startAt d.maxResults d.total d.issues[0].fields.summary)" "1 1 3 B"
api POST /rest/api/2/search '{"jql": "ORDER BY key ASC", "maxResults": 5000}'
check "DC allows unbounded JQL and lowers maxResults to 1000" is "$status $(j d.maxResults d.total)" "200 1000 4"
api POST /rest/api/2/search '{"jql": "project = OPS", "nextPageToken": "x"}'
check "DC search has no nextPageToken" is "$status" 400
api POST /rest/api/2/issue/bulk "{\"issueUpdates\": [{\"fields\": {$ok_issue, \"summary\": \"Bulk\"}}]}"
check "DC bulk create is off by default: 404" is "$status" 404
control POST /__fake/settings '{"dc_bulk": true}'
api POST /rest/api/2/issue/bulk "{\"issueUpdates\": [{\"fields\": {$ok_issue, \"summary\": \"Bulk\"}}, {\"fields\": {$ok_issue}}]}"
check "DC bulk create behind the switch, with per-element errors" is "$status $(j d.issues.length d.errors[0].failedElementNumber)" "201 1 1"
api POST /rest/api/2/issue/OPS-1/transitions '{"transition": {"id": "41"}, "fields": {"resolution": {"name": "Duplicate"}}}'
api GET '/rest/api/2/issue/OPS-1?fields=resolution,status'
check "DC transitions as Cloud" is "$(j d.fields.status.statusCategory.key d.fields.resolution.name)" "done Duplicate"
control POST /__fake/faults '{"ratelimit": 1}'
api GET /rest/api/2/myself
check "DC ratelimit: 429 with its token-bucket headers" \
	is "$status $(header Retry-After) $(header X-RateLimit-FillRate) $(header X-RateLimit-Interval-Seconds)" "429 1 10 1"

# --- every Cloud answer against the OpenAPI file -------------------------------------------
validate() {
	NODE_PATH=/usr/share/nodejs node "$here/jira-fake-openapi.js" "$spec" "$1" >"$tmp/validation" 2>&1
	local rc=$?
	grep -v '^ok' "$tmp/validation" | sed 's/^/# /'
	return $rc
}
rejects() {
	! NODE_PATH=/usr/share/nodejs node "$here/jira-fake-openapi.js" "$spec" "$1" >/dev/null 2>&1
}
if [ -f "$spec" ] && [ -f /usr/share/nodejs/ajv/package.json ]; then
	check "all $exchanges Cloud answers match the OpenAPI file's response schemas" validate "$tmp/exchanges.tsv"
	printf '{"id": 10000, "key": "OPS-1", "surprise": true}' >"$tmp/bad.1"
	printf '{"issues": [{"id": "1", "key": "OPS-1", "fields": {"status": {"statusCategory": {"id": "new"}}}}]}' >"$tmp/bad.2"
	printf 'POST\t/rest/api/3/issue\t201\tapplication/json\t%s\n' "$tmp/bad.1" >"$tmp/bad1.tsv"
	printf 'POST\t/rest/api/3/search/jql\t200\tapplication/json\t%s\n' "$tmp/bad.2" >"$tmp/bad2.tsv"
	printf 'GET\t/rest/api/3/myself\t418\tapplication/json\t%s\n' "$tmp/bad.1" >"$tmp/bad3.tsv"
	check "the validator rejects a CreatedIssue with a stray key and a numeric id" rejects "$tmp/bad1.tsv"
	check "the validator rejects an issue whose status category id is no integer" rejects "$tmp/bad2.tsv"
	check "the validator rejects a status the operation does not declare" rejects "$tmp/bad3.tsv"
else
	echo "skip: the OpenAPI file or node-ajv is not there; Cloud answers not validated"
fi

# The requests the fake accepted must be valid for the real API: the shared contract checker
# judges them as it judges pmsync's (Data Center's with --dc).
contract() {
	node -e '
		const fs = require("fs");
		for (const line of fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean)) {
			const [method, url, file, authorization] = line.split("\t");
			const headers = { authorization, "content-type": "application/json" };
			console.log(JSON.stringify({ method, url, headers, body: fs.readFileSync(file, "utf8") }));
		}' "$tmp/accepted.$1.tsv" >"$tmp/accepted.jsonl"
	local dc=
	[ "$1" = dc ] && dc=--dc
	NODE_PATH=/usr/share/nodejs node "$SHARED/contract/check-jira.js" $dc "$tmp/accepted.jsonl" "$spec" >"$tmp/contract" 2>&1
	local rc=$?
	grep -v '^ok' "$tmp/contract" | sed 's/^/# /'
	return $rc
}
if [ -f "$SHARED/contract/check-jira.js" ] && [ -f "$spec" ] && [ -f /usr/share/nodejs/ajv/package.json ]; then
	check "every Cloud request the fake accepted is valid for the real API (check-jira.js)" contract cloud
	check "every Data Center request it accepted is valid too (check-jira.js --dc)" contract dc
else
	echo "skip: the shared contract checker is not there; accepted requests not checked"
fi

finish
