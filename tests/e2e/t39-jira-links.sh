#!/usr/bin/env bash
# Remote links to the postmortem, on Jira Cloud and on Data Center (single
# creates): each new issue gets one link, upserted by a globalId derived
# from the repository and the item key, to the item's URL in the
# postmortem; a sync that changes nothing sends no link, nor does an edit
# that leaves the URL alone; a moved postmortem moves the links (still one
# per issue); a link Jira refuses is a note under its item, never a failed
# run; jira.remoteLinks = false sends none.
. "$(dirname "$0")/lib.sh"

links_sent() { # remote-link requests the fake has seen
	fake GET /__fake/requests >/dev/null
	json_eval 'd.by_operation.createOrUpdateRemoteIssueLink || 0'
}

# every_link EXPR: true when every issue has exactly one remote link and EXPR
# holds for it (`i` the issue, `l` its link, `m` its marker property).
every_link() {
	fake_issues "d.every(i => i.remoteLinks.length === 1 && (l => (m => $1)(i.properties.pmsync))(i.remoteLinks[0]))"
}

links_for() { # DEPLOYMENT
	kind=$1
	args=()
	[ "$kind" = datacenter ] && args+=(--deployment datacenter)
	JIRA_TEST_NAME="t39-jira-links-$kind"
	[ "$kind" = datacenter ] && JIRA_TEST_NAME=t39-jira-dc-links
	jira_start "${args[@]}"
	R="$TMP/repo-$kind"
	jira_repo "$R" 2026-01-14-login-outage.md 2026-02-03-queue-backlog.md
	PM="$R/docs/postmortems/2026-01-14-login-outage.md"

	run_pmsync -C "$R" sync
	check_rc "$kind: the first sync succeeds" 0
	check_eq "$kind: one remote link per new issue" 5 "$(links_sent)"
	check_eq "$kind: each issue links to its item in the postmortem, titled after it" true \
		"$(every_link 'l.object.url === m.url && /#pmsync-/.test(l.object.url) && l.object.title === m.title && l.object.title.startsWith("Postmortem: ")')"
	check_eq "$kind: the globalId names the repository and the item" true \
		"$(every_link 'l.globalId === "pmsync:acme/service:" + m.key')"

	sent=$(links_sent)
	run_pmsync -C "$R" sync
	check_has "$kind: a second sync has nothing to do" "No changes." "$OUT"
	check_eq "$kind: ... and sends no link" "$sent" "$(links_sent)"

	sed -i 's/| @bob | 2026-03-15 | test |/| @bob | 2026-03-29 | test |/' "$PM"
	git_commit "$R" "Move the clock-skew test"
	run_pmsync -C "$R" sync
	check_has "$kind: an edited row updates its issue" "Applied: 0 created, 1 updated" "$OUT"
	check_eq "$kind: ... without a link: its URL is the same" "$sent" "$(links_sent)"

	git -C "$R" mv docs/postmortems/2026-01-14-login-outage.md docs/postmortems/2026-01-14-login-outage-auth.md
	git_commit "$R" "Rename the login postmortem"
	run_pmsync -C "$R" sync
	check_rc "$kind: the sync after a rename succeeds" 0
	check_eq "$kind: the three moved items' links are rewritten" $((sent + 3)) "$(links_sent)"
	check_eq "$kind: still one link per issue, naming the new URL" true \
		"$(every_link 'l.object.url === m.url && (m.path.endsWith("-auth.md") === l.object.url.includes("-auth.md#"))')"
	check_eq "$kind: the moved items' links name the new path" 3 \
		"$(fake_issues 'd.filter(i => i.remoteLinks[0].object.url.includes("login-outage-auth.md#pmsync-")).length')"

	fake POST /__fake/settings '{"issue_linking": false}' >/dev/null
	sed -i '/^| LOG-3 /a | LOG-9 | Add a canary for the auth library | @alice | 2026-05-01 | test | | open |' "$R/docs/postmortems/2026-01-14-login-outage-auth.md"
	sed -i '/^| LOG-9 /a | LOG-11 | Page on auth library latency | @alice | 2026-05-03 | alert | | open |' "$R/docs/postmortems/2026-01-14-login-outage-auth.md"
	git_commit "$R" "Add a canary and a paging item"
	sent=$(links_sent)
	run_pmsync -C "$R" sync
	check_rc "$kind: a link Jira refuses does not fail the run" 0
	check_has "$kind: the issues are created" "Applied: 2 created" "$OUT"
	check_has "$kind: the refused link is a note" \
		"# no links to postmortems on this run's issues: jira: POST /rest/api/$([ "$kind" = cloud ] && echo 3 || echo 2)/issue/" "$OUT"
	check_eq "$kind: a 403 stops the links: one asked for, not two" $((sent + 1)) "$(links_sent)"
	check_has "$kind: the note says how to stop asking" "set jira.remoteLinks = false" "$OUT"
	check_has "$kind: ... in Jira's words" "HTTP 403: Issue linking is currently disabled." "$OUT"
	check_eq "$kind: the new issues carry their markers all the same" true \
		"$(fake_issues 'd.filter(i => (i.summary.startsWith("Add a canary") || i.summary.startsWith("Page on auth")) && i.properties.pmsync.key && i.remoteLinks.length === 0).length === 2')"
	run_pmsync -C "$R" sync
	check_has "$kind: the next sync has nothing to do" "No changes." "$OUT"
	fake POST /__fake/settings '{"issue_linking": true}' >/dev/null

	set_conf "$R" jira.remoteLinks false
	sed -i '/^| LOG-9 /a | LOG-10 | Alert on auth library errors | @alice | 2026-05-02 | alert | | open |' "$R/docs/postmortems/2026-01-14-login-outage-auth.md"
	git_commit "$R" "Add an alert item"
	sent=$(links_sent)
	run_pmsync -C "$R" sync
	check_has "$kind: with jira.remoteLinks = false the issue is created" "Applied: 1 created" "$OUT"
	check_eq "$kind: ... and no link sent" "$sent" "$(links_sent)"
}

links_for cloud
links_for datacenter

finish
