#!/usr/bin/env bash
# `pmsync report` and the write-back against the fake Jira (Cloud): the same
# report code reads Jira's tickets through the tracker seam. Two open items
# get issues; one is finished in Jira (status Done, resolution Done), one is
# closed as Won't Do: the report counts one done, one canceled; the
# write-back records both in the postmortem.
. "$(dirname "$0")/lib.sh"

jira_start
R="$TMP/repo"
jira_repo "$R" 2026-02-03-queue-backlog.md
QUEUE=docs/postmortems/2026-02-03-queue-backlog.md

run_pmsync -C "$R" sync
check_rc "the sync against Jira succeeds" 0
key() { fake_issues "(d.find(i => i.summary.startsWith($(js_string "$1"))) || {}).key || ''"; }
page=$(key "Page the on-call")
load=$(key "Load-test the consumer")
check "two issues" test -n "$page" -a -n "$load"
fake POST "/__fake/issues/$page/state" '{"status": "Done", "resolution": "Done"}' >/dev/null
fake POST "/__fake/issues/$load/state" "{\"status\": \"Done\", \"resolution\": \"Won't Do\"}" >/dev/null

run_pmsync -C "$R" report --format json --as-of 2026-12-31
check_rc "report against Jira succeeds" 0
printf '%s' "$OUT" >"$TMP/report.json"
check_eq "the tracker is Jira" Jira "$(json_eval 'd.tracker' "$TMP/report.json")"
check_eq "one done, one canceled, from Jira" "0 1 1" \
	"$(json_eval '[d.summary.open, d.summary.done, d.summary.canceled].join(" ")' "$TMP/report.json")"
check_eq "tickets named by their Jira keys" "$(printf '%s\n' "$page" "$load" | sort | tr '\n' ' ' | sed 's/ $//')" \
	"$(json_eval 'd.items.map(i => i.ticket).sort().join(" ")' "$TMP/report.json")"

run_pmsync -C "$R" report --write-back
check_rc "the write-back from Jira succeeds" 0
check_has "the done issue is recorded" "| done |" "$(grep 'Page the on-call' "$R/$QUEUE")"
check_has "the Won't Do issue is recorded as canceled" "| canceled |" "$(grep 'Load-test the consumer' "$R/$QUEUE")"
check_has "with its key" "$page" "$(grep 'Page the on-call' "$R/$QUEUE")"
finish
