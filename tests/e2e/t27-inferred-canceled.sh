#!/usr/bin/env bash
# Items pmsync infers (read outside an action-items section: "We will"
# bullets, paragraphs led by a status word) are listed by the sync, never
# created, until postmortems.inferred = create asks for them; a canceled
# item ("won't do") without a ticket is never created.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-02-03-queue-backlog.md
cat >"$R/docs/postmortems/2026-04-01-cache-eviction.md" <<'MD'
# Cache eviction storm

## Timeline

- 09:00 DONE: cache flushed by the deploy

## Lessons

- We will cap evictions per second on every cache node.
- We'll alert when the hit rate drops under 80%.

**TODO** Write the cache warm-up runbook
MD
cat >"$R/docs/postmortems/2026-04-02-broker-lag.md" <<'MD'
# Broker lag

## Action items

- Add a consumer lag alert @alice due 2026-05-01 (alert)
- Replace the broker with another product @bob due 2026-06-01 (won't do)
MD
git_commit "$R" "Two more postmortems"

run_pmsync -C "$R" items --format json
printf '%s\n' "$OUT" >"$TMP/items.json"
pm_items="d.postmortems.find(p => p.path.endsWith('cache-eviction.md')).items"
check_eq "three items are inferred from the cache postmortem" 3 \
	"$(json_eval "$pm_items.filter(i => i.inferred).length" "$TMP/items.json")"
check_eq "none from its timeline" 0 \
	"$(json_eval "$pm_items.filter(i => i.section === 'Timeline').length" "$TMP/items.json")"
check_eq "each says where it came from" "prose,prose,status" \
	"$(json_eval "$pm_items.map(i => i.origin).join()" "$TMP/items.json")"
check_eq "and how sure the reader is" "low,low,medium" \
	"$(json_eval "$pm_items.map(i => i.confidence).join()" "$TMP/items.json")"
check_eq "the won't-do item is canceled" "canceled" \
	"$(json_eval "d.postmortems.find(p => p.path.endsWith('broker-lag.md')).items[1].status" "$TMP/items.json")"

run_pmsync -C "$R" lint
check_has "lint asks to move an inferred item into the table" \
	"action item outside the Action items section (prose, low confidence): move it into the table [inferred]" "$OUT"

run_pmsync -C "$R" plan --format json
printf '%s\n' "$OUT" >"$TMP/plan.json"
check_eq "the plan counts the inferred items" 3 "$(json_eval 'd.summary.inferred' "$TMP/plan.json")"
check_eq "and creates the three action items only" 3 "$(json_eval 'd.summary.create' "$TMP/plan.json")"

run_pmsync -C "$R" sync
check_rc "sync succeeds" 0
check_has "the sync lists the inferred items" "Inferred, outside the Action items section" "$OUT"
check_has "with where each came from" "read from prose (low confidence)" "$OUT"
check_has "the canceled item is listed, not created" "Done or canceled in the postmortem" "$OUT"
check_eq "three issues made: nothing inferred, nothing canceled" 3 "$(fake_issues 'd.length')"

set_conf "$R" postmortems.inferred create
run_pmsync -C "$R" sync
check_rc "sync with postmortems.inferred = create succeeds" 0
check_eq "the inferred items are created when asked" 6 "$(fake_issues 'd.length')"
check_eq "the canceled item still is not" 0 \
	"$(fake_issues "d.filter(i => i.title.startsWith('Replace the broker')).length")"
run_pmsync -C "$R" plan
check_has "a second plan has nothing to do" "No changes." "$OUT"

set_conf "$R" postmortems.inferred sometimes
run_pmsync -C "$R" plan
check_rc "a bad postmortems.inferred is a configuration error" 4
check_has "the error names the values" "list or create" "$ERR"

finish
