#!/usr/bin/env bash
# `pmsync doctor`'s remaining checks against the fake Linear: an OAuth token
# (sent as Bearer) that works and one that Linear refuses, and a label that
# pmsync needs but that exists in Linear as a label group, which cannot be
# applied to issues: doctor fails naming the label and what to change, and a
# sync fails each create with that reason (exit 1) instead of creating
# tickets without their label.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-01-14-login-outage.md

# --- OAuth tokens
env -u LINEAR_API_KEY LINEAR_ACCESS_TOKEN=lin_oauth_test "$PMSYNC" -C "$R" doctor \
	>"$TMP/out" 2>"$TMP/err"
RC=$? OUT=$(cat "$TMP/out") ERR=$(cat "$TMP/err")
check_rc "doctor with a working OAuth token exits 0" 0
check_has "doctor names the OAuth variable" "LINEAR_ACCESS_TOKEN works" "$OUT"

env -u LINEAR_API_KEY LINEAR_ACCESS_TOKEN=lin_oauth_expired "$PMSYNC" -C "$R" doctor \
	>"$TMP/out" 2>"$TMP/err"
RC=$? OUT=$(cat "$TMP/out") ERR=$(cat "$TMP/err")
check_rc "doctor with a refused OAuth token exits 5" 5
check_has "doctor says which variable to check" "LINEAR_ACCESS_TOKEN" "$OUT$ERR"
check_lacks "the refused token is not printed" "lin_oauth_expired" "$OUT$ERR"

# --- the marking label exists as a label group
code=$(fake POST /__fake/seed '{"labels":[{"name":"pmsync","isGroup":true}]}')
check_eq "the fake takes the label group" 200 "$code"
run_pmsync -C "$R" doctor
check_rc "doctor with pmsync's label as a group exits 4" 4
check_has "doctor names the label" "label pmsync" "$OUT"
check_has "doctor says what to change" "label group in Linear, which cannot be applied" "$OUT"

run_pmsync -C "$R" sync
check_rc "a sync with that label group fails its creates (exit 1)" 1
check_has "each failed create says why" "! failed: linear: label 'pmsync' is a label group" "$OUT"
check_has "the summary counts the failures" "3 failed" "$OUT"
check_eq "no ticket was created without its label" 0 "$(fake_issues 'd.length')"

finish
