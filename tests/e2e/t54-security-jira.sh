#!/usr/bin/env bash
# Where a Jira token goes. Jira has no public host, so a jira.url committed
# in the repository serves only beside JIRA_URL naming the same site (it
# may add a context path); alone, or naming another site, it is refused
# with exit 4 saying to set JIRA_URL, before any request. JIRA_URL alone
# serves; a user name or password in it is refused without being repeated.
# -v names the host the token goes to.
. "$(dirname "$0")/lib.sh"

if ! command -v node >/dev/null 2>&1; then
	echo "skip: node is needed for the fake Jira"
	exit 0
fi
start_server JIRA node "$TOP/tests/fakes/jira-fake" --port 0 --deployment cloud
SITE="http://127.0.0.1:$JIRA"
export JIRA_EMAIL=pmsync@example.com JIRA_API_TOKEN=jira-test-token
unset JIRA_URL JIRA_PAT

R="$TMP/repo"
mkdir -p "$R/docs/postmortems"
cp "$TOP/tests/e2e/fixtures-linear/2026-01-14-login-outage.md" "$R/docs/postmortems/"
cat >"$R/.pmsync.conf" <<CONF
[tracker]
	kind = jira
[jira]
	url = $SITE
	project = OPS
	deployment = cloud
[postmortems]
	url = https://example.com/acme/blob/main/{path}
CONF
git -C "$R" init -q -b main
git -C "$R" remote add origin https://github.com/acme/service.git
git_commit "$R" "Add a postmortem"

# requests: how many requests the fake Jira has seen.
requests() {
	curl -s "$SITE/__fake/requests" | node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8"));
		process.stdout.write(String(Array.isArray(d) ? d.length : (d.total ?? (d.requests || []).length)))'
}
before=$(requests)

run_pmsync -C "$R" --dry-run
check_rc "a committed jira.url without JIRA_URL is refused with exit 4" 4
check_has "the message says to set JIRA_URL" "set JIRA_URL" "$ERR"

JIRA_URL="https://evil.example" run_pmsync -C "$R" --dry-run
check_rc "a committed jira.url naming another site than JIRA_URL is refused" 4
check_has "the message names both hosts" "names host '127.0.0.1', but JIRA_URL names 'evil.example'" "$ERR"
check_eq "no request reached the fake" "$before" "$(requests)"

JIRA_URL="http://jira-user:s3cretpw@127.0.0.1:$JIRA" run_pmsync -C "$R" --dry-run
check_rc "credentials in JIRA_URL are refused" 4
check_lacks "the password is not printed" "s3cretpw" "$OUT$ERR"

JIRA_URL="$SITE/" run_pmsync -C "$R" -v doctor
check_has "a committed jira.url beside JIRA_URL of the same site serves" "ok: token: the token works on $SITE" "$OUT"
check_has "-v names the host the token goes to" "jira: JIRA_API_TOKEN goes to 127.0.0.1" "$ERR"

git config -f "$R/.pmsync.conf" --unset jira.url
git_commit "$R" "No site in the repository"
JIRA_URL="$SITE" run_pmsync -C "$R" doctor
check_has "JIRA_URL alone serves" "ok: token: the token works on $SITE" "$OUT"
JIRA_URL="http://10.1.2.3" run_pmsync -C "$R" --dry-run
check_rc "http to another machine is refused" 4

finish
