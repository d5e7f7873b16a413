#!/usr/bin/env bash
# The exit-code table of README.md and pmsync.1, driven row by row with the
# real binary: the table in both documents must list exactly the codes this
# test produces (7, an internal error, is a bug and cannot be caused from
# outside: tests/unit/test_cli.c maps every internal code, 7 included).
# State and lock failures exit 6, with the repository.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-01-14-login-outage.md

# --- the documents list the same codes
readme=$(sed -n '/^### Exit codes/,/^## /p' "$TOP/README.md" | sed -n 's/^| \([0-9]\) |.*/\1/p' | tr '\n' ' ')
man=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$TOP/pmsync.1" | sed -n 's/^\.B \([0-9]\)$/\1/p' | tr '\n' ' ')
check_eq "README lists exit codes 0 to 7" "0 1 2 3 4 5 6 7 " "$readme"
check_eq "pmsync.1 lists the same codes" "$readme" "$man"
run_pmsync help
check_has "pmsync help lists them too" "7 internal error" "$OUT$ERR"

# --- 0: success
run_pmsync -C "$R" items
check_rc "0: items on a readable repository" 0

# --- 1: findings
cp -r "$R" "$TMP/lint"
printf '# Outage\n\n## Action items\n\n| Action | Owner |\n|---|---|\n| Add an alert | |\n' \
	>"$TMP/lint/docs/postmortems/2026-03-01-outage.md"
git_commit "$TMP/lint" "A postmortem with an item without owner"
run_pmsync -C "$TMP/lint" lint
check_rc "1: lint errors" 1

# --- 2: changes pending
run_pmsync -C "$R" --dry-run --detailed-exitcode
check_rc "2: changes pending with --detailed-exitcode" 2

# --- 3: usage
run_pmsync -C "$R" --no-such-option
check_rc "3: an unknown option" 3

# --- 4: configuration
cp -r "$R" "$TMP/conf"
git config -f "$TMP/conf/.pmsync.conf" linear.tema ENG
git_commit "$TMP/conf" "A misspelt key"
run_pmsync -C "$TMP/conf" --dry-run
check_rc "4: an unknown configuration key" 4

# --- 5: tracker
LINEAR_API_KEY=lin_api_wrong run_pmsync -C "$R" --dry-run
check_rc "5: the tracker refuses the token" 5

# --- 6: repository or state
mkdir -p "$TMP/plain"
run_pmsync -C "$TMP/plain" items
check_rc "6: not a git repository" 6
run_pmsync -C "$R" sync
check_rc "the first sync succeeds (it writes the state file)" 0
cp "$R/.pmsync/state.json" "$TMP/state.json"
printf '{"version": 1, "items": [' >"$R/.pmsync/state.json"
run_pmsync -C "$R" --dry-run
check_rc "6: a corrupt state file" 6
check_has "it names the file" ".pmsync/state.json" "$ERR"
rm "$R/.pmsync/state.json"
mkdir "$R/.pmsync/state.json"
run_pmsync -C "$R" --dry-run
check_rc "6: a state file that cannot be read (a directory)" 6
rmdir "$R/.pmsync/state.json"
cp "$TMP/state.json" "$R/.pmsync/state.json"
sleep 300 &
holder=$!
t_pids="$t_pids $holder"
echo "$holder" >"$R/.pmsync/state.json.lock"
run_pmsync -C "$R" sync
check_rc "6: another run holds the lock" 6
check_has "it says who holds it" "another pmsync run holds" "$ERR"
kill "$holder" 2>/dev/null
rm -f "$R/.pmsync/state.json.lock"
: >"$R/blocker" # a file where the state folder should be
set_conf "$R" sync.stateFile blocker/state.json
run_pmsync -C "$R" sync
check_rc "6: a state folder that cannot be made" 6
check_has "it names the state file" "blocker/state.json" "$ERR"

finish
