#!/usr/bin/env bash
# Where the token goes. A URL committed in the repository sends the token
# only to Linear's public host: one naming another host (or hiding one
# behind credentials, `http://127.0.0.1:x@evil.example/`) is refused with
# exit 4 saying where to set it, before any request. The environment and a
# --config file outside the repository may name any endpoint; a --config
# file inside the work tree is as untrusted as .pmsync.conf. Credentials in
# a URL are refused without being repeated; http only to this machine.
# -v and doctor name the host the token goes to. A server that echoes the
# token back, whatever its prefix, never gets it printed.
. "$(dirname "$0")/lib.sh"

linear_start
R="$TMP/repo"
linear_repo "$R" 2026-01-14-login-outage.md
FAKE_API=$LINEAR_API_URL

# run_committed ARGS...: run_pmsync without LINEAR_API_URL, so that the
# configuration's linear.url is the one that counts.
run_committed() {
	env -u LINEAR_API_URL "$PMSYNC" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

# --- committed URLs: only the public host
set_conf "$R" linear.url "http://127.0.0.1:x@evil.example/graphql"
run_committed -C "$R" --dry-run
check_rc "a committed URL with credentials is refused with exit 4" 4
check_has "it says credentials are refused" "user name or password" "$ERR"
check_lacks "the URL's credentials are not repeated" "x@evil" "$OUT$ERR"

set_conf "$R" linear.url "https://evil.example/graphql"
run_committed -C "$R" --dry-run
check_rc "a committed URL naming another host is refused with exit 4" 4
check_has "the message names the host" "evil.example" "$ERR"
check_has "the message says where to set an endpoint" "LINEAR_API_URL" "$ERR"
run_committed -C "$R" doctor
check_rc "doctor refuses it too" 4

set_conf "$R" linear.url "$FAKE_API"
run_committed -C "$R" --dry-run
check_rc "a committed URL naming this machine is refused too" 4
check_eq "no request reached the fake" 0 "$(fake_stat total)"

# --- the environment chooses: it overrides the committed URL
run_pmsync -C "$R" --dry-run
check_rc "LINEAR_API_URL overrides the committed URL" 0

# --- --config: outside the repository trusted, inside not
cp "$R/.pmsync.conf" "$TMP/outside.conf"
cp "$R/.pmsync.conf" "$R/inside.conf"
run_committed -C "$R" --config "$R/inside.conf" --dry-run
check_rc "a --config file inside the work tree may not name an endpoint" 4
ln -s "$R/inside.conf" "$TMP/link.conf"
run_committed -C "$R" --config "$TMP/link.conf" --dry-run
check_rc "nor a link from outside to a file inside" 4
run_committed -C "$R" --config "$TMP/outside.conf" -v --dry-run
check_rc "a --config file outside the repository names any endpoint" 0
check_has "-v names the host the token goes to" "LINEAR_API_KEY goes to 127.0.0.1" "$ERR"
set_conf "$R" linear.url "https://api.linear.app/graphql"

# --- URLs from the environment are parsed too
LINEAR_API_URL="http://user:s3cretpw@127.0.0.1:$FAKE/graphql" run_pmsync -C "$R" --dry-run
check_rc "credentials in LINEAR_API_URL are refused with exit 4" 4
check_lacks "the password is not printed" "s3cretpw" "$OUT$ERR"
LINEAR_API_URL="http://10.1.2.3/graphql" run_pmsync -C "$R" --dry-run
check_rc "http to another machine is refused" 4
check_has "it asks for https" "https" "$ERR"
LINEAR_API_URL="http://localhost:$FAKE/graphql" run_pmsync -C "$R" -v --dry-run
check_rc "http to localhost is allowed" 0
check_has "-v names localhost" "goes to localhost" "$ERR"

run_pmsync -C "$R" doctor
check_rc "doctor passes" 0
check_has "doctor names the host the token goes to" "sent to 127.0.0.1" "$OUT"

# --- a server that echoes the token back: masked by value, not by prefix
cat >"$TMP/echo.js" <<'JS'
const http = require('http');
const srv = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(400, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'bad key ' + req.headers.authorization,
      extensions: { code: 'INPUT_ERROR', userPresentableMessage: 'key ' + req.headers.authorization } }] }));
  });
});
srv.listen(0, '127.0.0.1', () => console.log('listening on 127.0.0.1:' + srv.address().port));
JS
start_server ECHO node "$TMP/echo.js"
for cmd in doctor "--dry-run -v" sync; do
	# shellcheck disable=SC2086
	LINEAR_API_URL="http://127.0.0.1:$ECHO/graphql" LINEAR_API_KEY="k9QzX7wPplainsecret" \
		run_pmsync -C "$R" $cmd
	check "pmsync $cmd against an echoing server fails" test "$RC" -ne 0
	check_lacks "pmsync $cmd never prints the echoed key" "k9QzX7wPplainsecret" "$OUT$ERR"
	check_lacks "pmsync $cmd never prints a part of it" "plainsecret" "$OUT$ERR"
done

finish
