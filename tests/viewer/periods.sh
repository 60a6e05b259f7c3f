#!/bin/sh
# The viewer's period switcher in headless Chromium (periods.mjs): mapgen
# runs tests/fixtures/periods into a folder, `mapgen serve` serves it on a
# port the kernel picks, periods.mjs drives the page.  Environment as
# run.sh (MAPGEN, SOURCE_DIR, TEST_TMPDIR, CHROMIUM).
set -eu
: "${MAPGEN:?MAPGEN must name the mapgen binary}"
: "${SOURCE_DIR:?SOURCE_DIR must name the source tree}"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
[ -x "$CHROMIUM" ] || fail "$CHROMIUM not found (apt-get install chromium)"
command -v node >/dev/null 2>&1 || fail "node not found: run 'make deps'"
mkdir -p "${TEST_TMPDIR:-/tmp}"
T=$(mktemp -d "${TEST_TMPDIR:-/tmp}/periods.XXXXXX")
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

"$MAPGEN" run "$SOURCE_DIR/tests/fixtures/periods/periods.json" -o "$T/out" \
    --stores dir -q >"$T/run.log" 2>&1 ||
    { cat "$T/run.log" >&2; fail "mapgen run failed"; }
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
node "$SOURCE_DIR/tests/viewer/periods.mjs" "http://127.0.0.1:$PORT/" \
    "$T/profile" "$CHROMIUM" || fail "periods.mjs failed"
