# The viewer page in headless Chromium; POSIX sh.
#
#   1. viewer_fixture builds an out/ folder: maps.json, solid-colour tiles,
#      the viewer (through mg_viewer_install)
#   2. `mapgen serve` serves it on 127.0.0.1, on a port the kernel picks
#      (--port 0, no race for a "free" port), and is stopped by its PID
#      (start_server and stop_server of tests/serve/lib.sh)
#   3. check.mjs drives /usr/bin/chromium through playwright-core and
#      checks the page (see its header)
#
# Environment (set by tests/viewer/CMakeLists.txt):
#   FIXTURE      the viewer_fixture binary
#   MAPGEN       the mapgen binary (its `serve` command is the web server)
#   SOURCE_DIR   the source tree (for check.mjs and node_modules)
#   TEST_TMPDIR  where the test makes its temporary directory
#   ARTIFACTS    where the screenshots are kept for people to look at
#   CHROMIUM     the browser, /usr/bin/chromium unless set
set -eu
. "$(dirname "$0")/../serve/lib.sh"
: "${FIXTURE:?FIXTURE must name the viewer_fixture binary}"
: "${ARTIFACTS:?ARTIFACTS must name a directory for screenshots}"
need_browser
mkdir -p "$ARTIFACTS"

"$FIXTURE" "$T/out" >"$T/fixture.log" 2>&1 ||
    { cat "$T/fixture.log" >&2; fail "viewer_fixture failed"; }
no_sanitizer_report "$T/fixture.log"

start_server server "$T/out" --log -
status=0
node "$SOURCE_DIR/tests/viewer/check.mjs" "$URL/" \
    "$T/out" "$T/profile" "$ARTIFACTS" "$CHROMIUM" || status=$?
if [ "$status" != 0 ]; then
    echo "--- web server log (last 40 lines):" >&2
    tail -n 40 "$T/server.err" >&2
    fail "check.mjs failed (exit $status); screenshots in $ARTIFACTS"
fi
stop_server server
echo "viewer_page: passed; screenshots in $ARTIFACTS"
