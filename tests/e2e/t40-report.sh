#!/usr/bin/env bash
# `pmsync report` against the fake Linear, and the same repository with
# tracker.kind = none; every number below is worked out by hand. Tickets are
# created by a sync, then completed or canceled in Linear on set days:
#
#   X (2026-01-10, window to 2026-02-09)  X1 completed 02-05: within
#                                         X2 completed 04-01: missed
#                                         X3 canceled: out of the rates
#                                         X4 done in the commit adding X (01-12),
#                                            so no ticket: within
#   Y (2026-04-10, window to 2026-05-10)  Y1 open, due 04-12: pending, overdue (bob)
#
# As of 2026-04-20: 5 items, 1 open, 3 done, 1 canceled; 2 within, 1 missed
# (67%, goal missed), 1 pending; overdue 1. In a shallow clone X4's closure
# is unknown. Also: drift with both values, the same inputs give the same
# bytes, `sync --report` writes the report, and the HTML of a postmortem
# holding scripts, broken-out attributes and javascript: links has none live.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R"
cat >"$R/docs/postmortems/2026-01-10-x.md" <<'MD'
---
title: X
date: 2026-01-10
severity: SEV2
class: database
detection_chain_minutes: 169
---
# X

## Action items

| Action | Owner | Due | Lever | Status |
|---|---|---|---|---|
| Alert on replica lag over 30 s | @alice | 2026-01-20 | alert | |
| Fix the failover script's timeout | @bob | 2026-03-01 | code | |
| Test restoring from the nightly backup | @alice | 2026-02-01 | test | |
| Rotate the replica credentials | @bob | 2026-01-15 | runbook | done |
MD
cat >"$R/docs/postmortems/2026-04-10-y.md" <<'MD'
---
title: Y
date: 2026-04-10
class: Database
detection_chain_minutes: 2880
---
# Y

## Action items

| Action | Owner | Due | Lever |
|---|---|---|---|
| Add the queue depth to the eval dashboard | @bob | 2026-04-12 | eval |
MD
GIT_COMMITTER_DATE=2026-01-12T10:00:00Z git_commit "$R" "Add X and Y"

run_pmsync -C "$R" sync
check_rc "the sync creates the tickets" 0
x1=$(fake_ref "Alert on replica lag")
x2=$(fake_ref "Fix the failover")
x3=$(fake_ref "Test restoring")
fake POST "/__fake/issues/$x1/state" '{"type": "completed", "at": "2026-02-05T10:00:00Z"}' >/dev/null
fake POST "/__fake/issues/$x2/state" '{"type": "completed", "at": "2026-04-01T23:59:00Z"}' >/dev/null
fake POST "/__fake/issues/$x3/state" '{"type": "canceled", "at": "2026-01-25T08:00:00Z"}' >/dev/null
# reassigned and re-dated in Linear: drift, listed with both values
fake POST "/__fake/issues/$x2/update" '{"assigneeEmail": "alice@example.com", "dueDate": "2026-03-15"}' >/dev/null

mutations=$(fake_stat mutations)
run_pmsync -C "$R" report --as-of 2026-04-20 --format json
check_rc "report --format json succeeds" 0
printf '%s' "$OUT" >"$TMP/report.json"
sum() { json_eval "JSON.stringify(d.summary)" "$TMP/report.json"; }
check_eq "summary from Linear, as worked out" \
	'{"items":5,"open":1,"done":3,"canceled":1,"inferred":0,"within_window":2,"missed":1,"pending":1,"unknown":0,"undated":0,"overdue":1,"goal_met":false}' \
	"$(sum)"
check_eq "the tracker is named" Linear "$(json_eval 'd.tracker' "$TMP/report.json")"
check_eq "closure dates come from Linear, and from history without a ticket" "2026-01-12 2026-02-05 2026-04-01" \
	"$(json_eval 'd.items.filter(i => i.status === "done").map(i => i.closed).sort().join(" ")' "$TMP/report.json")"
check_eq "overdue by owner" '[{"name":"bob","items":1}]' \
	"$(json_eval 'JSON.stringify(d.overdue_by_owner)' "$TMP/report.json")"
check_eq "median detection of 169 and 2880" 1524.5 \
	"$(json_eval 'd.detection.median' "$TMP/report.json")"
check_eq "open by lever" '[{"name":"eval","items":1}]' \
	"$(json_eval 'JSON.stringify(d.open_by_lever)' "$TMP/report.json")"
# canceled items are in no month: X1, X2, X4 in January
check_eq "per month: in time, missed, pending" "2026-01:3/2/1/0 2026-04:1/0/0/1" \
	"$(json_eval 'd.months.map(m => `${m.period}:${m.items}/${m.within_window}/${m.missed}/${m.pending}`).join(" ")' "$TMP/report.json")"
check_eq "per quarter, with the detection median" "2026-Q1:169 2026-Q2:2880" \
	"$(json_eval 'd.quarters.map(q => `${q.period}:${q.detection_median}`).join(" ")' "$TMP/report.json")"
check_eq "per postmortem: items, done, canceled" "X:4/3/1 Y:1/0/0" \
	"$(json_eval 'd.postmortems.map(p => `${p.title}:${p.items}/${p.done}/${p.canceled}`).join(" ")' "$TMP/report.json")"
check_eq "detection halves: rising" "169 2880 rising" \
	"$(json_eval '[d.detection.older_median, d.detection.newer_median, d.detection.trend].join(" ")' "$TMP/report.json")"
check_eq "a repeated class" database "$(json_eval 'd.repeated_classes.map(c => c.class).join()' "$TMP/report.json")"
check_eq "tickets closed in Linear where the postmortem says open are drift" \
	"$x1 $x2 $x3" \
	"$(json_eval 'd.drift.filter(x => x.field === "status" && x.postmortem === "open").map(x => x.ticket).sort().join(" ")' "$TMP/report.json")"
check_eq "reassigned: both values" "bob -> alice@example.com" \
	"$(json_eval 'd.drift.filter(x => x.field === "assignee").map(x => x.postmortem + " -> " + x.tracker).join()' "$TMP/report.json")"
check_eq "re-dated: both values" "2026-03-01 -> 2026-03-15" \
	"$(json_eval 'd.drift.filter(x => x.field === "due").map(x => x.postmortem + " -> " + x.tracker).join()' "$TMP/report.json")"
check_eq "the report writes nothing to Linear" "$mutations" "$(fake_stat mutations)"
check_lacks "no token in the report" "lin_api_test" "$OUT$ERR"

run_pmsync -C "$R" report --as-of 2026-04-20
check_rc "the Markdown report succeeds" 0
check_has "the date is printed" "As of 2026-04-20" "$OUT"
check_has "the window against the goal" "| Closed within 30 days | 67% (2 of 3); goal 90%: missed |" "$OUT"
check_has "a reopened ticket is said not to be seen" "reopened" "$OUT"
printf '%s' "$OUT" >"$TMP/a.md"
run_pmsync -C "$R" report --as-of 2026-04-20
printf '%s' "$OUT" >"$TMP/b.md"
check "same inputs and --as-of, same bytes" cmp -s "$TMP/a.md" "$TMP/b.md"

# --- a shallow clone: X4's closure (before the boundary) is unknown, never guessed
git clone -q --depth 1 "file://$R" "$TMP/shallow"
git -C "$TMP/shallow" remote set-url origin https://github.com/acme/service.git
run_pmsync -C "$TMP/shallow" report --as-of 2026-04-20 --format json
check_rc "the report of a shallow clone succeeds" 0
printf '%s' "$OUT" >"$TMP/shallow.json"
check_eq "shallow: one closure date unknown, counted apart" \
	'{"items":5,"open":1,"done":3,"canceled":1,"inferred":0,"within_window":1,"missed":1,"pending":1,"unknown":1,"undated":0,"overdue":1,"goal_met":false}' \
	"$(json_eval "JSON.stringify(d.summary)" "$TMP/shallow.json")"

# --- tracker.kind = none: statuses from the postmortems (open there but X4)
run_pmsync -C "$R" --config /dev/null report --as-of 2026-04-20 --format json
check_rc "report without a tracker succeeds" 0
printf '%s' "$OUT" >"$TMP/none.json"
check_eq "summary from the postmortems, as worked out" \
	'{"items":5,"open":4,"done":1,"canceled":0,"inferred":0,"within_window":1,"missed":3,"pending":1,"unknown":0,"undated":0,"overdue":4,"goal_met":false}' \
	"$(json_eval "JSON.stringify(d.summary)" "$TMP/none.json")"
check_eq "no tracker named" null "$(json_eval 'd.tracker' "$TMP/none.json")"

# --- sync --report writes the report for the nightly job
run_pmsync -C "$R" sync --report "$TMP/nightly.html"
check_rc "sync --report succeeds" 0
check_has "sync --report writes HTML" "<svg" "$(cat "$TMP/nightly.html" 2>/dev/null)"

# --- hostile text stays text
cat >"$R/docs/postmortems/2026-04-11-z.md" <<'MD'
---
title: Z <script>alert(1)</script>
date: 2026-04-11
---
# Z

## Action items

| Action | Owner | Due | Lever |
|---|---|---|---|
| Fix "><img src=x onerror=alert(1)> now | @alice | 2026-04-15 | code |
| See [the doc](javascript:alert(2)) and <script>alert(3)</script> | "><b>x</b> | 2026-04-16 | code |
MD
git_commit "$R" "Add Z"
run_pmsync -C "$R" --config /dev/null report --as-of 2026-04-20 -o "$TMP/z.html"
check_rc "report -o z.html succeeds" 0
html=$(cat "$TMP/z.html")
check_has "an HTML document" "<!DOCTYPE html>" "$html"
check_lacks "no script element" "<script" "$html"
check_lacks "no img element" "<img" "$html"
check_lacks "no element from an owner cell" "<b>" "$html"
check_lacks "no javascript: URL" "javascript:" "$html"
check_has "the title is shown as text" "Z &lt;script&gt;alert(1)&lt;/script&gt;" "$html"
check_lacks "nothing fetched from elsewhere" 'src="http' "$html"

finish
