#!/bin/sh
# The viewer's period switcher in headless Chromium (periods.mjs): mapgen
# runs tests/fixtures/periods into a folder, `mapgen serve` serves it on a
# port the kernel picks, periods.mjs drives the page.  Environment as
# run.sh (MAPGEN, SOURCE_DIR, TEST_TMPDIR, CHROMIUM); the helpers are
# tests/serve/lib.sh's.
set -eu
. "$(dirname "$0")/../serve/lib.sh"
need_browser

"$MAPGEN" run "$SOURCE_DIR/tests/fixtures/periods/periods.json" -o "$T/out" \
    --stores dir -q >"$T/run.log" 2>&1 ||
    { cat "$T/run.log" >&2; fail "mapgen run failed"; }
no_sanitizer_report "$T/run.log"
start_server server "$T/out" --log -
node "$SOURCE_DIR/tests/viewer/periods.mjs" "$URL/" \
    "$T/profile" "$CHROMIUM" || fail "periods.mjs failed"
stop_server server
