#!/bin/sh
# Levels by zoom (docs/rendering.md): a map draws counties at low zooms and
# their children closer in, by default and as a map's "levels" say; bad
# "levels" are errors naming the key.  usage: levels.sh CASE
set -eu
. "$(dirname "$0")/lib.sh"

case=${1:?usage: levels.sh CASE}
check="$PY $(dirname "$0")/levels_pixels.py"
out=$T/out

# project LEVELS_JSON: $T/project.json, the clean fixture (6 communes under
# 2 counties, tests/golden/clean) with its choropleth map drawing LEVELS
# (the map entry's "levels", or "" for none).
project() {
    "$PY" - "$FIXTURES" "$1" >"$T/project.json" <<'PYEOF'
import json, os, sys
fx, levels = sys.argv[1:3]
p = json.load(open(os.path.join(fx, "..", "golden", "clean", "project.json")))
for o in p["boundaries"] + [p["providers"], p["recipients"]]:
    o["path"] = os.path.join(fx, "clean", os.path.basename(o["path"]))
m = {"name": "choropleth",
     "style": os.path.join(fx, "..", "golden", "clean", "choropleth.json")}
if levels:
    m["levels"] = json.loads(levels)
p["maps"] = [m]
json.dump(p, sys.stdout)
PYEOF
}

case $case in
sample)
    # The bundled sample's needs map: its median county is 8 px wide from
    # zoom 5, its median UAT from zoom 7, so zoom 6 shows the 42 counties
    # (each county one colour, the UATs in it alike) and zoom 7 the 3,186
    # UATs (neighbours of one county in different colours).
    run run -o "$out" --force -z 6-7 --maps needs --stores dir \
        --progress=none
    expect_rc 0
    $check "$out/romania.gpkg" "$out/tiles/needs" 6 parent 20 ||
        fail "zoom 6 of the sample's needs map does not show the counties"
    $check "$out/romania.gpkg" "$out/tiles/needs" 7 child 30 ||
        fail "zoom 7 of the sample's needs map does not show the UATs"
    ;;
listed)
    # The map's own "levels": counties to zoom 8, communes from 9.
    project '[{"level": "county", "maxzoom": 8}, {"level": "commune", "minzoom": 9}]'
    run run "$T/project.json" -o "$out" --force -z 8-9 --stores dir,gpkg \
        --progress=plain
    expect_rc 0
    # (The reports and the GeoPackage are written on their own thread while
    # the tiles render.)
    expect_err "mapgen: reports, geopackage (beside the tiles)..." \
        "GeoPackage written in" \
        "map choropleth: levels by zoom: county 0-8, commune 9+"
    [ "$(count "$out/golden.gpkg" regions)" = 6 ] &&
        [ "$(count "$out/golden.gpkg" choropleth)" -gt 0 ] ||
        fail "the GeoPackage lacks its regions or tiles"
    $check "$out/golden.gpkg" "$out/tiles/choropleth" 8 parent 2 ||
        fail "zoom 8 does not show the counties"
    $check "$out/golden.gpkg" "$out/tiles/choropleth" 9 child 1 ||
        fail "zoom 9 does not show the communes"
    ;;
single)
    # One level listed: the counties at every zoom, even where the default
    # bands show the communes (zoom 9); and the default's counties at zoom
    # 6 (tests/golden/clean).
    project '[{"level": "county"}]'
    run run "$T/project.json" -o "$out" --force -z 9 --stores dir \
        --progress=none
    expect_rc 0
    $check "$out/golden.gpkg" "$out/tiles/choropleth" 9 parent 2 ||
        fail "zoom 9 does not show the counties"
    project ''
    run run "$T/project.json" -o "$out" --force -z 6-9 --stores dir \
        --progress=none
    expect_rc 0
    $check "$out/golden.gpkg" "$out/tiles/choropleth" 6 parent 2 ||
        fail "zoom 6 of the default bands does not show the counties"
    $check "$out/golden.gpkg" "$out/tiles/choropleth" 9 child 1 ||
        fail "zoom 9 of the default bands does not show the communes"
    ;;
bad)
    project '[{"level": "nope"}]'
    run run "$T/project.json" -o "$out" --force -z 6 --progress=none
    expect_rc 3
    expect_err "maps[0].levels[0].level" "the boundaries have no level 'nope'"
    expect_no_outputs "$out"
    project '[{"level": "county", "maxzoom": 8}, {"level": "commune", "minzoom": 8}]'
    run run "$T/project.json" -o "$out" --force -z 6 --progress=none
    expect_rc 3
    expect_err "maps[0].levels[1]" "levels 'county' (0-8) and 'commune' (8-30) overlap"
    project '[{"level": "county", "zoom": 3}]'
    run run "$T/project.json" -o "$out" --force -z 6 --progress=none
    expect_rc 3
    expect_err "maps[0].levels[0].zoom" "unknown key 'zoom'"
    project '[]'
    run run "$T/project.json" -o "$out" --force -z 6 --progress=none
    expect_rc 3
    expect_err "maps[0].levels" "at least one level"
    ;;
*)
    fail "unknown case $case"
    ;;
esac
