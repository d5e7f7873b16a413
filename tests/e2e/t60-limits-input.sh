#!/usr/bin/env bash
# Inputs that grow without bound never stall a run: a postmortem of 30,000
# generated rows (2 MiB, under the 16 MiB size cap), reworded in a second
# commit, gets one `file:line:` diagnostic and unknown items (over the
# 5,000-item cap), the other postmortems are still read, and its tickets
# are left alone; a file at the cap (5,000 rows, every row reworded) keeps
# every key. Each run is capped at 1 GiB of address space (not under
# valgrind or a sanitizer) and 120 s, so that a quadratic step fails here
# rather than stalls. Speed itself is measured by `make bench`.
. "$(dirname "$0")/lib.sh"

# gen_rows FILE ROWS VERB: a postmortem whose action table has ROWS rows.
gen_rows() {
	awk -v n="$2" -v verb="$3" 'BEGIN {
		printf "# Generated\n\n## Action items\n\n| Action | Owner | Due | Lever |\n|---|---|---|---|\n"
		for (i = 1; i <= n; i++)
			printf "| %s checkout alert %d in eu | @alice | 2026-02-%02d | alert |\n", \
				verb, i, 1 + i % 28
	}' >"$1"
}

# capped CMD...: runs CMD with the limits above.
capped() {
	(
		case "${PMSYNC_VALGRIND_CMD:-}$PMSYNC" in
		*valgrind* | */build/san/*) ;;
		*) ulimit -v 1048576 ;;
		esac
		timeout 120 "$@"
	)
}

run_capped() {
	capped "$PMSYNC" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

R="$TMP/repo"
mkdir -p "$R/docs/postmortems"
git -C "$R" init -q -b main
cp "$TOP/tests/e2e/fixtures-linear/2026-01-14-login-outage.md" "$R/docs/postmortems/"
BIG="$R/docs/postmortems/2026-01-05-generated.md"
gen_rows "$BIG" 30000 Add
git_commit "$R" "A generated postmortem"
gen_rows "$BIG" 30000 Tune
git_commit "$R" "Reword every row"
size=$(wc -c <"$BIG")
check "the generated file is about 2 MiB, under the size cap" \
	test "$size" -gt 1900000 -a "$size" -lt 16777216

run_capped -C "$R" items --format json
check_rc "items over a file of 30,000 rows exits 0" 0
check_has "the file gets one diagnostic with its line" \
	"docs/postmortems/2026-01-05-generated.md:5007:1: error: more than 5000 action items (30000): items not read [too-many-items]" "$ERR"
check_eq "it is said once" 1 "$(grep -c 'too-many-items' "$TMP/err")"
printf '%s' "$OUT" >"$TMP/items.json"
check_eq "its items are unknown: unreadable, none listed" "false 0" \
	"$(json_eval 'const p = d.postmortems.find(p => p.path.endsWith("generated.md")); p.readable + " " + p.items.length' "$TMP/items.json")"
check_eq "the other postmortem is still read" 5 \
	"$(json_eval 'd.postmortems.find(p => p.path.endsWith("login-outage.md")).items.length' "$TMP/items.json")"

run_capped -C "$R" lint
check_rc "lint reports it as an error" 1
check_has "lint names the file and line" "2026-01-05-generated.md:5007:1: error: more than 5000" "$ERR$OUT"

# --- a file at the cap, every row reworded: every key is kept
gen_rows "$BIG" 5000 Add
git_commit "$R" "Down to 5,000 rows"
run_capped -C "$R" items --format json
check_rc "items over 5,000 rows exits 0" 0
printf '%s' "$OUT" >"$TMP/before.json"
gen_rows "$BIG" 5000 Tune
git_commit "$R" "Reword every row again"
run_capped -C "$R" items --format json
check_rc "items over 5,000 reworded rows exits 0" 0
printf '%s' "$OUT" >"$TMP/after.json"
keys() { json_eval 'd.postmortems.find(p => p.path.endsWith("generated.md")).items.map(i => i.key).join("\n")' "$1"; }
check_eq "5,000 rows are read" 5000 "$(keys "$TMP/after.json" | sort -u | wc -l)"
check_eq "every reworded row keeps its key" "$(keys "$TMP/before.json")" "$(keys "$TMP/after.json")"

# --- its tickets are left alone once the file is over the cap
if command -v node >/dev/null 2>&1 && command -v curl >/dev/null 2>&1; then
	linear_start
	S="$TMP/sync"
	linear_repo "$S" 2026-01-14-login-outage.md
	gen_rows "$S/docs/postmortems/2026-01-05-generated.md" 3 Add
	git_commit "$S" "Three generated rows"
	run_pmsync -C "$S" sync
	check_rc "the first sync succeeds" 0
	made=$(fake_issues 'd.length')
	check "tickets were made" test "$made" -gt 3
	gen_rows "$S/docs/postmortems/2026-01-05-generated.md" 6000 Add
	git_commit "$S" "6,000 rows"
	run_capped -C "$S" sync
	check_rc "a sync with the file over the cap succeeds" 0
	check_has "the plan has unknown items" "Unknown: postmortems that cannot be read" "$OUT"
	check_has "the plan lists its tickets as unknown, left alone" \
		"ENG-3 docs/postmortems/2026-01-05-generated.md \"Add checkout alert 3 in eu\"" \
		"${OUT#*Unknown: postmortems that cannot be read}"
	check_eq "no ticket made, none cancelled" "$made 0" \
		"$(fake_issues 'd.length + " " + d.filter(i => /cancel/i.test(i.state && i.state.name || "")).length')"
else
	echo "skip: node and curl are needed for the fake Linear"
fi

finish
