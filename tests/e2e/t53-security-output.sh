#!/usr/bin/env bash
# Output nobody can forge. A committed file whose name holds a newline and a
# GitHub Actions workflow command, and an item whose text holds a terminal
# escape and a bidirectional override (U+202E), never reach any output raw:
# lint (text and github), items, the plan in text, markdown and JSON, the
# report and error messages show them escaped; titles and descriptions sent to the
# tracker carry no control characters.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R"
evil_name=$(printf '2026-01-20-x\n::warning title=Injected::Forged.md')
RLO=$(printf '\342\200\256')
ESC=$(printf '\033')
{
	printf '# Forged\n\n## Action items\n\n| ID | Action | Owner | Due | Lever | Ticket |\n|---|---|---|---|---|---|\n'
	printf '| F-1 | Rotate the %s[31mkeys%s now | | 2026-06-01 | code | |\n' "$ESC" "$RLO"
	printf '| F-2 | Follow the vendor | @bob | 2026-06-01 | code | https://example.com/t%sx%s[2J |\n' "$RLO" "$ESC"
} >"$R/docs/postmortems/$evil_name"
git_commit "$R" "A file name with a workflow command"

# no_forged_line DESCRIPTION TEXT: no line of TEXT starts a workflow command
# of its own, and TEXT holds no escape character or U+202E.
no_forged() {
	if printf '%s\n' "$2" | grep -q '^::warning title=Injected'; then
		not_ok "$1: no forged workflow command"
		printf '%s\n' "$2" | grep '^::' | head -n 3 | sed 's/^/#   | /'
	else
		ok "$1: no forged workflow command"
	fi
	check_lacks "$1: no U+202E" "$RLO" "$2"
	check_lacks "$1: no escape character" "$ESC" "$2"
}

run_pmsync -C "$R" lint
check_rc "lint finds the missing owner" 1
check_has "lint shows the name escaped" 'x\n::warning title=Injected::Forged.md' "$OUT$ERR"
no_forged "lint" "$OUT$ERR"
run_pmsync -C "$R" lint --format github
no_forged "lint --format github" "$OUT$ERR"
check_has "the annotation is one line naming the escaped file" '::error file=docs/postmortems/2026-01-20-x\n%3A%3Awarning title=Injected%3A%3AForged.md' "$OUT"
run_pmsync -C "$R" items
no_forged "items" "$OUT$ERR"
check_has "items shows the override escaped" 'keys\u{202E} now' "$OUT"
for fmt in text markdown json; do
	run_pmsync -C "$R" --dry-run --format "$fmt"
	check_rc "the $fmt plan succeeds" 0
	no_forged "the $fmt plan" "$OUT$ERR"
done
run_pmsync -C "$R" sync
check_rc "the sync succeeds" 0
for fmt in markdown json html; do
	run_pmsync -C "$R" report --format "$fmt" --as-of 2026-07-01
	check_rc "the $fmt report succeeds" 0
	no_forged "the $fmt report" "$OUT$ERR"
done
no_forged "the sync" "$OUT$ERR"
check_eq "the ticket's title holds no control character or override" "Rotate the [31mkeys now" \
	"$(fake_issues "d.find(i => i.title.startsWith('Rotate the')).title")"
check_eq "nor its description" false \
	"$(fake_issues "/[\\u0000-\\u0008\\u000b-\\u001f\\u007f\\u202a-\\u202e]/.test(d.find(i => i.title.startsWith('Rotate the')).description)")"
check_eq "nor the marker's title" false \
	"$(fake_issues "d.some(i => i.attachments.some(a => /[\\u0000-\\u001f\\u202e]/.test(a.title)))")"

# a note naming a file the repository chose
set_conf "$R" sync.stateFile "$(printf 's\n::warning title=Injected::x.json')"
env -u LINEAR_API_KEY "$PMSYNC" -C "$R" --dry-run >"$TMP/out" 2>"$TMP/err"
RC=$?
check_rc "an offline plan succeeds" 0
check_has "the note names the state file escaped" 's\n::warning title=Injected::x.json' "$(cat "$TMP/err")"
no_forged "a note" "$(cat "$TMP/out" "$TMP/err")"

# an error message quoting the repository
set_conf "$R" postmortems.path "docs/$(printf 'p\n::error::Forged')"
run_pmsync -C "$R" lint
no_forged "an error message" "$OUT$ERR"

finish
