#!/bin/sh
# Installs the Debian packages pmsync needs to build and test, naming each
# one, and does nothing when all are there. Used by `make check`, `make demo`
# and CI. Runs apt-get through sudo when not root. `--test` adds what only
# the tests need: a headless Chromium that renders the HTML report to a PNG
# (make check), which `make demo` does not pull.
set -e

pkgs="gcc make pkg-config git libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
libjansson-dev libcurl4-openssl-dev libcmocka-dev clang libclang-rt-14-dev nodejs
node-graphql node-ajv curl valgrind"
if [ "${1:-}" = "--test" ]; then
	pkgs="$pkgs chromium-headless-shell"
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "pmsync: installing missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "pmsync: error: need root or sudo to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
