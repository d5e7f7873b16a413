#!/usr/bin/env bash
# Dry runs against the fake Linear: `pmsync --dry-run` prints the plan and
# sends no mutation; --detailed-exitcode exits 2 with changes pending and 0
# once synced; a read-only token plans; --format json and markdown; no token
# falls back to an offline plan; -v logs requests without the token; no
# colour when stdout is not a terminal; -q prints only errors.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-01-14-login-outage.md 2026-02-03-queue-backlog.md
PM="$R/docs/postmortems/2026-01-14-login-outage.md"

# --- the default command with --dry-run plans
run_pmsync -C "$R" --dry-run
check_rc "pmsync --dry-run exits 0" 0
check_has "the plan has a create block with path:line" \
	"+  create docs/postmortems/2026-01-14-login-outage.md:" "$OUT"
check_has "the plan shows the fields" 'title:       "Alert when the login error rate exceeds 2% for 5 minutes"' "$OUT"
check_has "the plan ends with its summary" "Plan: 5 to create, 0 to update, 0 to cancel, 0 to adopt." "$OUT"
check_eq "a dry run sends no mutation" 0 "$(fake_stat mutations)"
check_eq "a dry run makes no issue" 0 "$(fake_issues 'd.length')"
check_lacks "no colour when stdout is not a terminal" $'\033' "$OUT"
run_pmsync -C "$R" --dry-run
first=$OUT
run_pmsync -C "$R" plan
check_eq "pmsync plan prints the same plan" "$first" "$OUT"

# --- colour only on a terminal, unless --no-color or NO_COLOR
if command -v script >/dev/null 2>&1; then
	tty_out=$(script -qec "'$PMSYNC' -C '$R' --dry-run" /dev/null 2>&1)
	check_has "colour on a terminal" $'\033[32m  +  create' "$tty_out"
	tty_out=$(script -qec "'$PMSYNC' -C '$R' --dry-run --no-color" /dev/null 2>&1)
	check_lacks "no colour on a terminal with --no-color" $'\033[' "$tty_out"
	tty_out=$(NO_COLOR=1 script -qec "'$PMSYNC' -C '$R' --dry-run" /dev/null 2>&1)
	check_lacks "no colour on a terminal with NO_COLOR" $'\033[' "$tty_out"
else
	echo "skip: script(1) not found: colour on a terminal not checked"
fi

# --- --max-changes refuses a larger sync before writing any ticket
run_pmsync -C "$R" sync --max-changes 2
check_rc "sync --max-changes 2 with 5 creates is refused (usage)" 3
check_has "the refusal names the limit" "2" "$ERR"
check_has "the refused sync still shows its plan" "Plan: 5 to create" "$OUT"
check_eq "the refused sync made no issue" 0 "$(fake_issues 'd.length')"

# --- --detailed-exitcode
run_pmsync -C "$R" --dry-run --detailed-exitcode
check_rc "--detailed-exitcode exits 2 with changes pending" 2
run_pmsync -C "$R" plan --detailed-exitcode
check_rc "plan --detailed-exitcode exits 2 too" 2
run_pmsync -C "$R" sync
check_rc "the sync succeeds" 0
run_pmsync -C "$R" --dry-run --detailed-exitcode
check_rc "--detailed-exitcode exits 0 once synced" 0
check_has "and says so" "No changes." "$OUT"

# --- a change, planned with a read-only token
sed -i 's/| @alice | 2026-03-01 | alert |/| @alice | 2026-03-08 | alert |/' "$PM"
git_commit "$R" "Move the alert item"
mutations=$(fake_stat mutations)
LINEAR_API_KEY=lin_api_readonly run_pmsync -C "$R" --dry-run --detailed-exitcode
check_rc "a read-only token plans (exit 2: pending)" 2
check_has "the read-only plan shows the update" "~  update ENG-" "$OUT"
check_has "the read-only plan shows old -> new" "2026-03-01 -> 2026-03-08" "$OUT"
check_eq "the read-only dry run sends no mutation" "$mutations" "$(fake_stat mutations)"

# --- --format json
run_pmsync -C "$R" --dry-run --format json
check_rc "--format json exits 0" 0
printf '%s\n' "$OUT" >"$TMP/plan.json"
check_eq "the JSON parses, version 1, kind plan" "1 plan false" \
	"$(json_eval 'd.version + " " + d.kind + " " + d.offline' "$TMP/plan.json")"
check_eq "the JSON has the update with old and new" "2026-03-01 2026-03-08" \
	"$(json_eval 'd.changes.filter(c => c.action === "update").map(c => c.changed.due.old + " " + c.changed.due.new).join()' "$TMP/plan.json")"
check_eq "the JSON summary counts it" 1 "$(json_eval 'd.summary.update' "$TMP/plan.json")"
check_eq "the JSON changes are sorted by path and line" true \
	"$(json_eval 'd.changes.every((c, i, a) => !i || a[i-1].path < c.path || (a[i-1].path === c.path && (a[i-1].line || 0) <= (c.line || 0)))' "$TMP/plan.json")"
check_eq "the JSON rev is the commit" "$(git -C "$R" rev-parse HEAD)" "$(json_eval 'd.rev' "$TMP/plan.json")"

# --- --format markdown
run_pmsync -C "$R" --dry-run --format markdown
check_rc "--format markdown exits 0" 0
check_has "the Markdown has a heading" "### pmsync plan" "$OUT"
check_has "the Markdown has the summary" "**Plan: 0 to create, 1 to update, 0 to cancel, 0 to adopt.**" "$OUT"
check_has "the Markdown has a table row" '| `~` update |' "$OUT"
check_has "the Markdown folds the details" "<details><summary>Details</summary>" "$OUT"

# --- -v logs each request, never the token
run_pmsync -C "$R" -v --dry-run
check_rc "-v --dry-run exits 0" 0
check_has "-v logs the requests" "POST /graphql" "$ERR"
check_lacks "-v never prints the token" "lin_api_test" "$OUT$ERR"

# --- -q prints only errors; --no-color
run_pmsync -C "$R" -q --dry-run
check_rc "-q --dry-run exits 0" 0
check_eq "-q prints nothing" "" "$OUT$ERR"
run_pmsync -C "$R" --dry-run --no-color
check_lacks "--no-color prints no escape" $'\033' "$OUT"

# --- without a token
env -u LINEAR_API_KEY "$PMSYNC" -C "$R" --dry-run >"$TMP/out" 2>"$TMP/err"
RC=$?
OUT=$(cat "$TMP/out")
ERR=$(cat "$TMP/err")
check_rc "a dry run without a token exits 0" 0
check_has "it says it plans offline" "no LINEAR_API_KEY: planning offline from the state file" "$ERR"
check_has "the plan says it is offline" "Planned offline from the state file" "$OUT"
env -u LINEAR_API_KEY "$PMSYNC" -C "$R" sync >"$TMP/out" 2>"$TMP/err"
RC=$?
OUT=$(cat "$TMP/out")
ERR=$(cat "$TMP/err")
check_rc "a real sync without a token exits 5" 5
check_has "it names the variable" "LINEAR_API_KEY" "$ERR"

# --- offline without a state file: everything is a create
R2="$TMP/clone"
git clone -q "$R" "$R2"
run_pmsync -C "$R2" --dry-run --offline
check_rc "an offline plan without a state file exits 0" 0
check_has "it says every item is a create" "every item is planned as a create" "$ERR"
check_has "it plans the creates" "Plan: 5 to create" "$OUT"

check_eq "dry runs never wrote beyond the one sync" "$mutations" "$(fake_stat mutations)"

# --- --changed-since: a pull request's postmortems only
git -C "$R" checkout -q -b feature
sed -i 's/| @bob | 2026-03-10 | alert |/| @bob | 2026-03-17 | alert |/' \
	"$R/docs/postmortems/2026-02-03-queue-backlog.md"
git_commit "$R" "Move the paging item"
run_pmsync -C "$R" --dry-run
check_has "without --changed-since both postmortems' updates are planned" "0 to create, 2 to update" "$OUT"
run_pmsync -C "$R" --dry-run --changed-since main
check_rc "--changed-since main plans" 0
check_has "--changed-since plans the changed postmortem" "2026-03-10 -> 2026-03-17" "$OUT"
check_has "--changed-since plans only that one" "0 to create, 1 to update" "$OUT"
check_lacks "--changed-since leaves the other postmortem out" "2026-01-14-login-outage.md:" "$OUT"
run_pmsync -C "$R" --dry-run --changed-since no-such-branch
check_rc "--changed-since with an unknown revision is a repository error" 6

# --- the result of a sync, as JSON
run_pmsync -C "$R" sync --format json
check_rc "sync --format json succeeds" 0
printf '%s\n' "$OUT" >"$TMP/result.json"
check_eq "the result is versioned JSON of kind result" "1 result false" \
	"$(json_eval 'd.version + " " + d.kind + " " + d.dry_run' "$TMP/result.json")"
check_eq "the result counts the two updates, none failed" "2 0" \
	"$(json_eval 'd.summary.succeeded + " " + d.summary.failed' "$TMP/result.json")"
check_eq "each update's outcome is ok" "ok,ok" \
	"$(json_eval 'd.changes.filter(c => c.action === "update").map(c => c.outcome.status).join()' "$TMP/result.json")"

finish
