#!/usr/bin/env bash
# `pmsync doctor` against the fake Jira: all ok on a good setup, writing
# nothing; a refused token (exit 5, not printed); an unknown issue type and
# a project with a required field and no value for it (exit 4, naming the
# key to set); an owner whose e-mail Jira hides still resolves exactly, one
# Jira cannot find is named. A sync stops on the required field before any
# write.
. "$(dirname "$0")/lib.sh"

jira_start
R="$TMP/repo"
jira_repo "$R" 2026-01-14-login-outage.md 2026-02-03-queue-backlog.md
git config -f "$R/.pmsync.conf" owner.carl.email carl@example.com
git_commit "$R" "An owner Jira does not know"

run_pmsync -C "$R" doctor
check_rc "doctor names the unknown owner: exit 4" 4
check_has "doctor checks the token on the site" "the token works" "$OUT"
check_has "doctor lists the priorities it maps" "urgent=Highest, high=High, medium=Medium, low=Low" "$OUT"
check_has "an owner with a visible e-mail resolves" "alice@example.com is Jira user" "$OUT"
check_has "an owner whose e-mail Jira hides resolves by the exact address" "bob@example.com is Jira user" "$OUT"
check_has "an unknown owner is named with the key to set" "carl@example.com" "$OUT"
check_eq "doctor writes nothing" 0 "$(fake_stat mutations)"
git config -f "$R/.pmsync.conf" --remove-section owner.carl
git_commit "$R" "Drop carl"
run_pmsync -C "$R" doctor
check_rc "doctor on a good setup exits 0" 0

JIRA_API_TOKEN=wrong-token run_pmsync -C "$R" doctor
check_rc "doctor with a refused token exits 5" 5
check_lacks "the refused token is not printed" "wrong-token" "$OUT$ERR"

set_conf "$R" jira.issueType Epic
run_pmsync -C "$R" doctor
check_rc "doctor with an unknown issue type exits 4" 4
check_has "doctor names jira.issueType and what the project offers" "jira.issueType" "$OUT$ERR"
set_conf "$R" jira.issueType Task

set_conf "$R" jira.project SEC
run_pmsync -C "$R" doctor
check_rc "doctor with a required field and no value exits 4" 4
check_has "doctor names the field and the key to set" "jira.field = customfield_10050=<value>" "$OUT$ERR"
run_pmsync -C "$R" sync
check_rc "a sync stops there too, before any write (exit 4)" 4
check_eq "nothing was written" 0 "$(fake_stat mutations)"
set_conf "$R" jira.field customfield_10050=High
run_pmsync -C "$R" sync
check_rc "with jira.field set, the sync succeeds" 0
check_eq "the issues carry the required field's value" true \
	"$(fake_issues 'd.length === 5 && d.every(i => i.key.startsWith("SEC-"))')"

finish
