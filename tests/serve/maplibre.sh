#!/bin/sh
# MapLibre GL JS draws a map from the TileJSON `mapgen serve` answers
# (maplibre.mjs).  Needs Debian's chromium and node_modules (`make deps`:
# playwright-core, maplibre-gl); fails, never skips, when one is missing.
set -eu
. "$(dirname "$0")/lib.sh"
: "${ARTIFACTS:?ARTIFACTS must name a directory for screenshots}"
need_browser
lib=$SOURCE_DIR/node_modules/maplibre-gl/dist
[ -f "$lib/maplibre-gl.js" ] ||
    fail "maplibre-gl is not in $SOURCE_DIR/node_modules: run 'make deps'"

make_out "$T/out"
mkdir -p "$T/out/lib/maplibre"
cp "$lib/maplibre-gl.js" "$lib/maplibre-gl.css" "$T/out/lib/maplibre/"
cp "$(dirname "$0")/maplibre.html" "$T/out/maplibre.html"
start_server a "$T/out" --log "$T/access.log"
status=0
node "$(dirname "$0")/maplibre.mjs" "$URL/" choropleth "$T/profile" \
    "$ARTIFACTS" "$CHROMIUM" || status=$?
stop_server a
if [ "$status" != 0 ]; then
    tail -n 30 "$T/access.log" >&2
    fail "maplibre.mjs failed (exit $status)"
fi
grep -q '"GET /choropleth/[0-9]*/[0-9]*/[0-9]*.png" 200' "$T/access.log" ||
    fail "no tile in the access log"
echo "serve_maplibre: passed"
