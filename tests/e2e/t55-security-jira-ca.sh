#!/usr/bin/env bash
# A Jira site behind a private CA. A throwaway CA and a server certificate
# for 127.0.0.1 are made with openssl here, and the fake Jira serves https
# with them. Against the system store alone the certificate is rejected and
# nothing is written; jira.caInfo from a --config file outside the
# repository, or curl's CURL_CA_BUNDLE (which libcurl itself does not read:
# pmsync passes it on, as the curl tool does), lets the sync through, and
# doctor names the bundle and where it came from. A CA bundle decides which
# servers pass for the site, so a jira.caInfo committed in the repository,
# or in a --config file inside the work tree, is refused with exit 4 before
# any request, saying where to set it.
. "$(dirname "$0")/lib.sh"

for tool in node curl openssl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "skip: $tool is needed"
		exit 0
	fi
done

# --- a throwaway CA and a certificate for 127.0.0.1 signed by it
C="$TMP/ca"
mkdir -p "$C"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=pmsync test CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-keyout "$C/ca.key" -out "$C/ca.pem" 2>"$C/log" &&
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
		-keyout "$C/server.key" -out "$C/server.csr" 2>>"$C/log" &&
	printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$C/ext" &&
	openssl x509 -req -in "$C/server.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial \
		-days 2 -extfile "$C/ext" -out "$C/server.pem" 2>>"$C/log"
check "openssl makes a CA and a server certificate" test -s "$C/server.pem"

start_server FAKE node "$TOP/tests/fakes/jira-fake" --port 0 --tls "$C/server.pem" "$C/server.key"
SITE="https://127.0.0.1:$FAKE"
unset CURL_CA_BUNDLE JIRA_PAT
export JIRA_URL="$SITE" JIRA_EMAIL=pmsync@example.com JIRA_API_TOKEN=jira-test-token

control() { # METHOD PATH: the fake's control API, trusting the test CA
	curl -s --cacert "$C/ca.pem" -X "$1" "$SITE$2"
}
issues() { control GET /__fake/issues | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).issues.length)'; }
requests() { control GET /__fake/requests | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).total)'; }

check_eq "the fake serves https with the test certificate" 0 "$(issues)"
curl -s -o /dev/null "$SITE/__fake/issues"
check_eq "curl without the CA rejects the certificate (60)" 60 "$?"

R="$TMP/repo"
jira_repo "$R" 2026-01-14-login-outage.md

# --- the system store alone
before=$(requests)
run_pmsync -C "$R" sync
check_rc "against the system store the sync fails (exit 5)" 5
check_has "the certificate is named as the cause" "certificate rejected" "$ERR"
check_eq "nothing was created" 0 "$(issues)"
run_pmsync -C "$R" doctor
check_has "doctor says the system store is used" "ok: CA bundle: the site's certificate is checked against the system store" "$OUT"
check_eq "no request reached the fake over TLS" "$before" "$(requests)"

# --- jira.caInfo from a --config file outside the repository
cp "$R/.pmsync.conf" "$TMP/outside.conf"
git config -f "$TMP/outside.conf" jira.caInfo "$C/ca.pem"
run_pmsync -C "$R" --config "$TMP/outside.conf" -v sync
check_rc "with jira.caInfo from outside the repository the sync succeeds" 0
check_eq "... and creates the three open items" 3 "$(issues)"
check_has "-v names the bundle" "jira: the site's certificate is checked against '$C/ca.pem'" "$ERR"
run_pmsync -C "$R" --config "$TMP/outside.conf" doctor
check_rc "doctor succeeds with it" 0
check_has "doctor names the bundle and its file" "ok: CA bundle: the site's certificate is checked against '$C/ca.pem' ($TMP/outside.conf)" "$OUT"
check_has "... and the token works over TLS" "ok: token: the token works on $SITE" "$OUT"

# --- curl's CURL_CA_BUNDLE
CURL_CA_BUNDLE="$C/ca.pem" run_pmsync -C "$R" sync
check_rc "with CURL_CA_BUNDLE the sync succeeds" 0
check_has "... and has nothing left to do" "No changes." "$OUT"
CURL_CA_BUNDLE="$C/ca.pem" run_pmsync -C "$R" doctor
check_has "doctor names CURL_CA_BUNDLE" "ok: CA bundle: the site's certificate is checked against '$C/ca.pem' (CURL_CA_BUNDLE)" "$OUT"
CURL_CA_BUNDLE="$TMP/missing.pem" run_pmsync -C "$R" sync
check_rc "a CURL_CA_BUNDLE that cannot be read is refused (exit 4)" 4
check_has "... naming it" "cannot read the CA bundle '$TMP/missing.pem' (CURL_CA_BUNDLE)" "$ERR"

# --- a committed jira.caInfo is refused, whatever the environment holds
set_conf "$R" jira.caInfo "$C/ca.pem"
before=$(requests)
CURL_CA_BUNDLE="$C/ca.pem" run_pmsync -C "$R" sync
check_rc "a committed jira.caInfo is refused with exit 4" 4
check_has "the message says where to set it" \
	"'jira.caInfo': the repository may not choose which certificates pass for the site; set jira.caInfo in a --config file outside the repository, or CURL_CA_BUNDLE in the environment" "$ERR"
CURL_CA_BUNDLE="$C/ca.pem" run_pmsync -C "$R" doctor
check_rc "doctor refuses it too" 4
cp "$TMP/outside.conf" "$R/inside.conf"
run_pmsync -C "$R" --config "$R/inside.conf" sync
check_rc "a --config inside the work tree is as untrusted (exit 4)" 4
check_eq "no request reached the fake" "$before" "$(requests)"

# --- a bundle that cannot be read
git config -f "$TMP/outside.conf" jira.caInfo "$TMP/missing.pem"
run_pmsync -C "$R" --config "$TMP/outside.conf" sync
check_rc "a jira.caInfo that cannot be read is refused (exit 4)" 4
check_has "... naming it and its file" "cannot read the CA bundle '$TMP/missing.pem' (jira.caInfo in $TMP/outside.conf)" "$ERR"

finish
