# The viewer page in headless Chromium; POSIX sh.
#
#   1. viewer_fixture builds an out/ folder: maps.json, solid-colour tiles,
#      the viewer (through mg_viewer_install)
#   2. `mapgen serve` serves it on 127.0.0.1, on a port the kernel picks
#      (--port 0, no race for a "free" port), and is stopped by its PID
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
: "${FIXTURE:?FIXTURE must name the viewer_fixture binary}"
: "${MAPGEN:?MAPGEN must name the mapgen binary}"
: "${SOURCE_DIR:?SOURCE_DIR must name the source tree}"
: "${ARTIFACTS:?ARTIFACTS must name a directory for screenshots}"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# No skipping: `make test` installs all of these, so a missing one is a
# broken set-up that must show.
[ -x "$CHROMIUM" ] ||
    fail "$CHROMIUM not found: the viewer test needs Debian's chromium" \
         "package ('make test' installs it; or apt-get install chromium)"
command -v node >/dev/null 2>&1 ||
    fail "node not found: run 'make deps' (Debian's nodejs and npm)"
[ -f "$SOURCE_DIR/node_modules/playwright-core/package.json" ] ||
    fail "playwright-core is not in $SOURCE_DIR/node_modules: run 'make deps'" \
         "(or 'npm ci' in $SOURCE_DIR)"

mkdir -p "${TEST_TMPDIR:-/tmp}" "$ARTIFACTS"
T=$(mktemp -d "${TEST_TMPDIR:-/tmp}/viewer.XXXXXX")
SERVER=
cleanup() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$FIXTURE" "$T/out" >"$T/fixture.log" 2>&1 ||
    { cat "$T/fixture.log" >&2; fail "viewer_fixture failed"; }
if grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/fixture.log"; then
    cat "$T/fixture.log" >&2
    fail "sanitizer report from viewer_fixture"
fi

# Port 0: the kernel picks a free port and the server prints it.  The
# files exist before the server starts: its redirections happen in the
# child, which may not have run when the loop below first reads them.
: >"$T/server.out"
: >"$T/server.log"
"$MAPGEN" serve "$T/out" --port 0 --log - \
    >"$T/server.out" 2>"$T/server.log" &
SERVER=$!
PORT=
i=0
while [ -z "$PORT" ]; do
    PORT=$(sed -n 's|^mapgen serve: http://127.0.0.1:\([0-9][0-9]*\)/ .*|\1|p' \
           "$T/server.out")
    [ -n "$PORT" ] && break
    kill -0 "$SERVER" 2>/dev/null ||
        { cat "$T/server.log" >&2; fail "mapgen serve did not start"; }
    i=$((i + 1))
    [ "$i" -lt 200 ] || fail "mapgen serve did not say its port in 20 s"
    sleep 0.1
done

status=0
node "$SOURCE_DIR/tests/viewer/check.mjs" "http://127.0.0.1:$PORT/" \
    "$T/out" "$T/profile" "$ARTIFACTS" "$CHROMIUM" || status=$?
if [ "$status" != 0 ]; then
    echo "--- web server log (last 40 lines):" >&2
    tail -n 40 "$T/server.log" >&2
    fail "check.mjs failed (exit $status); screenshots in $ARTIFACTS"
fi
if grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/server.log"; then
    cat "$T/server.log" >&2
    fail "sanitizer report from mapgen serve"
fi
echo "viewer_page: passed; screenshots in $ARTIFACTS"
