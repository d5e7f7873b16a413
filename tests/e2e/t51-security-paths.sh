#!/usr/bin/env bash
# Nothing is written outside the repository. A state file named by the
# committed configuration stays inside the repository: an absolute path,
# `..`, or a symbolic link on the way (the file itself, its folder, its
# temporary file) is refused with exit 4, and nothing outside is written or
# created; a --config file outside the repository may name any path.
# --worktree reads what a revision reads: no postmortems through a
# symlinked folder, no symlinked .pmsync.conf, no files inside submodules:
# links are refused or named, never read.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-01-14-login-outage.md
echo "precious" >"$TMP/victim.txt"

for path in ../victim.txt "$TMP/victim.txt" "x/../../victim.txt" "../made/state.json"; do
	set_conf "$R" sync.stateFile "$path"
	run_pmsync -C "$R" sync --rebuild-state
	check_rc "sync.stateFile = $path is refused with exit 4" 4
	check_has "the message names sync.stateFile" "sync.stateFile" "$ERR"
	run_pmsync -C "$R" sync
	check_rc "a plain sync refuses it too" 4
	check_eq "the file outside is untouched" "precious" "$(cat "$TMP/victim.txt")"
	check "no folder is created outside" test ! -e "$TMP/made"
done
check_eq "nothing was written to the tracker" 0 "$(fake_stat mutations)"

# a symbolic link on the way
ln -s "$TMP" "$R/out"
set_conf "$R" sync.stateFile out/victim.txt
run_pmsync -C "$R" sync --rebuild-state
check_rc "a state file through a symlinked folder is refused" 4
check_has "the message says why" "symbolic link" "$ERR"
check_eq "the file outside is untouched" "precious" "$(cat "$TMP/victim.txt")"
rm "$R/out"
git config -f "$R/.pmsync.conf" --unset sync.stateFile
git_commit "$R" "Default state file"
mkdir -p "$R/.pmsync"
ln -s "$TMP/victim.txt" "$R/.pmsync/state.json"
run_pmsync -C "$R" sync
check_rc "a symlinked state file is refused" 4
check_eq "the file it points to is untouched" "precious" "$(cat "$TMP/victim.txt")"
rm "$R/.pmsync/state.json"
ln -s "$TMP/victim.txt" "$R/.pmsync/state.json.tmp"
run_pmsync -C "$R" sync
check "a symlinked temporary file fails the sync" test "$RC" -ne 0
check_eq "the file the temporary file points to is untouched" "precious" "$(cat "$TMP/victim.txt")"
rm -f "$R/.pmsync/state.json.tmp"

# a trusted --config may name any path
cp "$R/.pmsync.conf" "$TMP/outside.conf"
git config -f "$TMP/outside.conf" sync.stateFile "$TMP/state/outside.json"
run_pmsync -C "$R" --config "$TMP/outside.conf" sync
check_rc "a --config file outside the repository may put the state anywhere" 0
check "the state file is written there" test -s "$TMP/state/outside.json"
cp "$TMP/outside.conf" "$R/inside.conf"
run_pmsync -C "$R" --config "$R/inside.conf" sync
check_rc "a --config file inside the work tree may not" 4

# a bare repository: inside its git directory
git clone -q --bare "$R" "$TMP/bare.git"
run_pmsync -C "$TMP/bare.git" sync
check_rc "a bare repository syncs" 0
check "its state file is inside the git directory" test -s "$TMP/bare.git/.pmsync/state.json"
set_conf "$R" sync.stateFile ../victim.txt
git -C "$R" push -q "$TMP/bare.git" main
run_pmsync -C "$TMP/bare.git" sync
check_rc "a bare repository refuses '..' too" 4
check_eq "the file outside is untouched" "precious" "$(cat "$TMP/victim.txt")"

# --- --worktree reads what a revision reads, and neither follows a link:
# a linked .pmsync.conf or postmortems folder is refused, a linked file
# in the folder is named in a warning and not read
W="$TMP/wt"
mkdir -p "$W/elsewhere" "$TMP/outside-pm"
cp "$TOP/tests/e2e/fixtures-linear/2026-01-14-login-outage.md" "$TMP/outside-pm/"
git -C "$W" init -q -b main
mkdir -p "$W/docs"
ln -s "$TMP/outside-pm" "$W/docs/postmortems"
printf '[tracker]\n\tkind = linear\n[linear]\n\tteam = ENG\n' >"$TMP/outside.pmsync.conf"
ln -s "$TMP/outside.pmsync.conf" "$W/.pmsync.conf"
git_commit "$W" "Links"
for where in "" --worktree; do
	run_pmsync -C "$W" $where items
	check_rc "a symlinked .pmsync.conf is refused ${where:-at a revision}" 4
	said="at HEAD"
	[ -n "$where" ] && said="in the working tree"
	check_has "the message names it" "'.pmsync.conf' $said is a symbolic link" "$ERR"
done
git -C "$W" rm -q --cached .pmsync.conf && rm "$W/.pmsync.conf"
git_commit "$W" "No linked configuration"
for where in "" --worktree; do
	run_pmsync -C "$W" $where items
	check_rc "a symlinked postmortems folder is refused ${where:-at a revision}" 4
	check_has "the message says to name the folder itself" "set postmortems.path to the folder itself" "$ERR"
	check_lacks "nothing of the folder is read" "login" "$OUT"
done
# a link above the folder: docs itself
P="$TMP/parent-link"
mkdir -p "$P/real/postmortems"
cp "$TOP/tests/e2e/fixtures-linear/2026-01-14-login-outage.md" "$P/real/postmortems/"
git -C "$P" init -q -b main
ln -s real "$P/docs"
git_commit "$P" "docs is a link"
for where in "" --worktree; do
	run_pmsync -C "$P" $where items
	check_rc "a postmortems folder under a linked folder is refused ${where:-at a revision}" 4
	check_has "the message says it is reached through a link" "reached through a symbolic link" "$ERR"
done
git -C "$W" rm -q --cached docs/postmortems && rm "$W/docs/postmortems"
mkdir -p "$W/docs/postmortems"
cp "$TOP/tests/e2e/fixtures-linear/2026-01-14-login-outage.md" "$W/docs/postmortems/"
cp "$TOP/tests/e2e/fixtures-linear/2026-01-14-login-outage.md" "$TMP/outside-pm/2026-01-15-linked.md"
ln -s "$TMP/outside-pm/2026-01-15-linked.md" "$W/docs/postmortems/2026-01-15-linked.md"
git_commit "$W" "A linked postmortem beside a real one"
for where in "" --worktree; do
	run_pmsync -C "$W" $where items
	check_rc "a folder with a linked file is read ${where:-at a revision}" 0
	check_has "the linked file is named in a warning" "2026-01-15-linked.md: warning: a symbolic link" "$ERR"
	check_has "the real file is read" "in 1 postmortems" "$OUT"
	check_lacks "the linked file is not" "2026-01-15-linked" "$OUT"
done

# a submodule's postmortems are not ours
S="$TMP/sub"
linear_repo "$S" 2026-02-03-queue-backlog.md
M="$TMP/main"
linear_repo "$M" 2026-01-14-login-outage.md
git -C "$M" -c protocol.file.allow=always submodule add -q "$S" docs/postmortems/vendored 2>/dev/null
git_commit "$M" "Add a submodule"
run_pmsync -C "$M" items
at_rev=$OUT
run_pmsync -C "$M" --worktree items
check_eq "--worktree reads no file inside a submodule, as a revision" "$at_rev" "$OUT"
check_lacks "the submodule's items are not listed" "queue" "$OUT"

finish
