#!/usr/bin/env bash
# Markers and labels against the fake Linear: a ticket carries exactly one
# marker of this repository, so a postmortem renamed with git mv or a row
# re-keyed (it gains a ticket key) replaces the marker instead of adding a
# second one, and leaves people's links and other repositories' markers
# alone; pmsync owns only its own labels (sync.label and the lever labels),
# so a label a person adds survives every sync (adoption included), is no
# drift, and does not stand in the way of a lever change, while one of
# pmsync's own labels removed by hand is drift as any field is.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-02-03-queue-backlog.md 2026-01-14-login-outage.md
OURS="pmsync acme/service"

# fake_attach REF URL TITLE [SUBTITLE METADATA_JSON]: an attachment made by someone else
# than pmsync, straight on the fake.
fake_attach() {
	input=$(node -e 'const [issueId, url, title, subtitle, metadata] = process.argv.slice(1);
		const input = { issueId, url, title };
		if (subtitle) input.subtitle = subtitle;
		if (metadata) input.metadata = JSON.parse(metadata);
		process.stdout.write(JSON.stringify({
			query: "mutation A($input: AttachmentCreateInput!) { attachmentCreate(input: $input) { success } }",
			variables: { input } }));' "$@")
	curl -s -o "$TMP/fake.json" -w '%{http_code}' -H 'Authorization: lin_api_test' \
		-H 'Content-Type: application/json' --data-binary "$input" "$FAKE_URL/graphql"
}

# json_stdin EXPR: EXPR over the JSON read from stdin, bound to `d`, printed as json_eval does.
json_stdin() {
	node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8"));
		const v = eval(process.argv[1]);
		process.stdout.write(typeof v === "string" ? v : String(JSON.stringify(v)));' "$1"
}

# ours_on REF: the URLs of this repository's markers on the issue, as a JSON array.
ours_on() {
	fake_issues "JSON.stringify(d.find(i => i.identifier === '$1').attachments
		.filter(a => a.subtitle === '$OURS').map(a => a.url))"
}

run_pmsync -C "$R" sync
check_rc "first sync succeeds" 0
page=$(fake_ref "Page the on-call")
load=$(fake_ref "Load-test the consumer")
check "the queue tickets exist" test -n "$page" -a -n "$load"
check_eq "a person's link and another repository's marker are added" "200 200" \
	"$(fake_attach "$page" https://docs.example.com/queue-runbook "Queue runbook") $(fake_attach "$page" \
		"https://example.com/acme/other/blob/main/pm.md#pmsync-abc" "Postmortem: theirs" "pmsync acme/other" \
		'{"pmsync": 1, "repo": "acme/other", "key": "abc"}')"

# --- a postmortem renamed with git mv: the marker moves, it is not doubled
git -C "$R" mv docs/postmortems/2026-02-03-queue-backlog.md docs/postmortems/2026-02-03-order-queue.md
git_commit "$R" "Rename the queue postmortem"
run_pmsync -C "$R" --dry-run
check_has "the plan shows the link moving" "2026-02-03-queue-backlog.md -> docs/postmortems/2026-02-03-order-queue.md" "$OUT"
run_pmsync -C "$R" sync
check_rc "the sync after the rename succeeds" 0
new_url="https://example.com/acme/blob/main/docs/postmortems/2026-02-03-order-queue.md#pmsync-"
for ref in "$page" "$load"; do
	check_eq "$ref carries exactly one pmsync marker, at the new URL" true \
		"$(ours_on "$ref" | json_stdin "d.length === 1 && d[0].startsWith('$new_url')")"
done
check_eq "the person's link stays" 1 \
	"$(fake_issues "d.find(i => i.identifier === '$page').attachments.filter(a => a.url === 'https://docs.example.com/queue-runbook').length")"
check_eq "the other repository's marker stays" 1 \
	"$(fake_issues "d.find(i => i.identifier === '$page').attachments.filter(a => a.subtitle === 'pmsync acme/other').length")"
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync
check_rc "the next sync succeeds" 0
check_has "the next sync has no changes" "No changes." "$OUT"
check_eq "the next sync writes nothing" "$mutations" "$(fake_stat mutations)"

# --- a row gains its ticket key: the item's key (and marker URL) changes; still one marker
PM="$R/docs/postmortems/2026-02-03-order-queue.md"
sed -i -e 's/^| Action | Owner | Due | Lever |$/| Action | Owner | Due | Lever | Ticket |/' \
	-e 's/^|--------|-------|-----|-------|$/|--------|-------|-----|-------|--------|/' \
	-e "s/^\(| Page the on-call .* | alert |\)$/\1 $page |/" \
	-e 's/^\(| Load-test the consumer .* | test |\)$/\1 |/' "$PM"
git_commit "$R" "Name the paging ticket"
issues=$(fake_issues 'd.length')
run_pmsync -C "$R" sync
check_rc "the sync after the re-key succeeds" 0
check_eq "no ticket made for the re-keyed row" "$issues" "$(fake_issues 'd.length')"
check_eq "the paging ticket carries one marker, under its new key" "[\"${new_url}t:$page\"]" \
	"$(ours_on "$page")"
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync
check_has "then no changes" "No changes." "$OUT"
check_eq "and nothing written" "$mutations" "$(fake_stat mutations)"

# --- a label added by hand: pmsync's labels are its own, the rest is left alone
check_eq "a person adds a label" 200 "$(fake POST "/__fake/issues/$load/update" '{"addLabel": "customer-impact"}')"
run_pmsync -C "$R" plan
check_rc "the plan succeeds" 0
check_has "a hand-added label is no change" "No changes." "$OUT"
check_lacks "and no drift" "Drift" "$OUT"
check_lacks "nor a label line" "labels:" "$OUT"
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync
check_eq "the sync writes nothing" "$mutations" "$(fake_stat mutations)"
check_eq "the hand label stays" '["customer-impact","lever:test","pmsync"]' \
	"$(fake_issues "d.find(i => i.identifier === '$load').labels.sort()")"

# --- a lever changed in the postmortem: an update of pmsync's labels only
sed -i 's/^\(| Load-test the consumer .* | \)test |/\1runbook |/' "$PM"
git_commit "$R" "The load test is a runbook"
run_pmsync -C "$R" --dry-run
check_has "the lever change is an update" "labels:      lever:test, pmsync -> lever:runbook, pmsync" "$OUT"
check_lacks "not a conflict" "Conflicts" "$OUT"
run_pmsync -C "$R" sync
check_rc "the lever sync succeeds" 0
check_has "one ticket updated" "Applied: 0 created, 1 updated" "$OUT"
check_eq "the lever label changed, the hand label stayed" '["customer-impact","lever:runbook","pmsync"]' \
	"$(fake_issues "d.find(i => i.identifier === '$load').labels.sort()")"
run_pmsync -C "$R" --dry-run
check_has "then no changes" "No changes." "$OUT"

# --- pmsync's own label removed by hand: that is drift, reported and left alone
check_eq "a person removes the lever label" 200 \
	"$(fake POST "/__fake/issues/$load/update" '{"labels": ["pmsync", "customer-impact"]}')"
run_pmsync -C "$R" plan
check_has "the removed lever label is drift" "! labels:      lever:runbook, pmsync -> pmsync (changed in Linear: left alone)" "$OUT"
mutations=$(fake_stat mutations)
run_pmsync -C "$R" sync
check_eq "drift is not overwritten" "$mutations" "$(fake_stat mutations)"

# --- adoption keeps the labels a ticket already had
fake POST /__fake/seed '{"labels": [{"name": "security"}], "issues": [{"teamKey": "ENG", "title": "Rotate the token signing keys", "labels": ["security"]}]}' >/dev/null
seeded=$(json_eval 'd.issues[0].identifier')
LPM="$R/docs/postmortems/2026-01-14-login-outage.md"
sed -i "/^| LOG-5 /a | LOG-6 | Rotate the token signing keys every quarter | @bob | 2026-05-01 | code | $seeded | open |" "$LPM"
git_commit "$R" "Name the key-rotation ticket"
run_pmsync -C "$R" sync
check_rc "the adopting sync succeeds" 0
check_has "one ticket adopted" "1 adopted" "$OUT"
check_eq "the adopted ticket keeps its own label beside pmsync's" '["lever:code","pmsync","security"]' \
	"$(fake_issues "d.find(i => i.identifier === '$seeded').labels.sort()")"
check_eq "and carries one marker" 1 "$(ours_on "$seeded" | json_stdin 'd.length')"
run_pmsync -C "$R" --dry-run
check_has "then no changes" "No changes." "$OUT"
check_lacks "and no drift for the adopted ticket's own label" "drift $seeded" "$OUT"

finish
