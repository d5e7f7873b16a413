#!/usr/bin/env bash
# The HTML report of examples/ rendered by headless Chromium to a PNG: the
# charts hold drawn pixels in their own colours (the bars of the window
# chart, the goal line and the overdue bars, the detection line), not only
# text. Chromium runs with no network, no sandbox (containers), and a fresh
# profile; it comes from the test dependencies (.ci/deps.sh --test).
. "$(dirname "$0")/lib.sh"

CHROME=$(command -v chromium-headless-shell || command -v chromium || true)
if [ -z "$CHROME" ] || ! command -v node >/dev/null 2>&1; then
	echo "skip: chromium-headless-shell (or chromium) and node are needed"
	exit 0
fi

R="$TMP/examples"
cp -r "$TOP/examples" "$R"
git -C "$R" init -q -b main && git_commit "$R" "Add the examples"
run_pmsync -C "$R" -q report --as-of 2026-07-01 -o "$TMP/report.html"
check_rc "the HTML report of examples/ is written" 0
check_eq "three charts" 3 "$(grep -c '<svg' "$TMP/report.html")"

"$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run \
	--user-data-dir="$TMP/profile" --hide-scrollbars --window-size=1000,2600 \
	--screenshot="$TMP/report.png" "file://$TMP/report.html" >"$TMP/chrome.log" 2>&1
check "chromium writes a screenshot" test -s "$TMP/report.png"

node "$TOP/tests/e2e/png-colors.js" "$TMP/report.png" d9822b b42318 1f5fbf >"$TMP/colors" 2>&1
count() { awk -v c="$1" '$1 == c { print $2 }' "$TMP/colors"; }
check "the window chart has drawn bars (>= 500 px)" test "$(count d9822b)" -ge 500
check "the goal line and overdue bars are drawn (>= 500 px)" test "$(count b42318)" -ge 500
check "the detection chart has a drawn line (>= 200 px)" test "$(count 1f5fbf)" -ge 200
[ -n "${PMSYNC_KEEP_PNG:-}" ] && cp "$TMP/report.png" "$PMSYNC_KEEP_PNG"
finish
