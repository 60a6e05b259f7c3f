#!/usr/bin/env bash
# The rendering benchmark: the same choropleth (US counties, style.json) as
# XYZ PNG tiles with MapServer + MapCache, MapServer's map2img, Mapnik and
# mapgen; prints tiles/s of each and mapgen's ratio to each peer.
#
# usage: bench/render/render.sh ZMIN ZMAX        e.g. bench/render/render.sh 0 10
# env:   MAPGEN=path/to/mapgen (default build-rel/mapgen/mapgen), PEERS,
#        JOBS, PORT, BBOX, MAP2IMG_Z, MAPCACHE_METATILE, MAPNIK_METATILE,
#        REPEAT (see peers.sh; REPEAT applies to mapgen too)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$here/work"
PY=/usr/bin/python3
ZMIN=${1:?usage: render.sh ZMIN ZMAX}
ZMAX=${2:?usage: render.sh ZMIN ZMAX}
JOBS=${JOBS:-2}
REPEAT=${REPEAT:-1}
MAPGEN=${MAPGEN:-$root/build-rel/mapgen/mapgen}
MAP2IMG_Z=${MAP2IMG_Z:-$(( ZMAX < 8 ? ZMAX : 8 ))}
(( MAP2IMG_Z < ZMIN )) && MAP2IMG_Z=$ZMIN
export JOBS MAP2IMG_Z REPEAT
res="$work/results"

"$here/setup.sh"
. "$here/lib.sh"
rm -f "$res"/*.json
SKIP_SETUP=1 NO_REPORT=1 KEEP_TRASH=1 "$here/peers.sh" "$ZMIN" "$ZMAX"

# ============================================================================
# run_mapgen ZMIN ZMAX NAME -- mapgen's side of the benchmark.
# >>> The mapgen renderer's engineer finishes this: the map/style section of
# >>> work/project.json (written by setup.sh; style.json holds the values the
# >>> peers use: 5 fixed classes on `value` at 20/40/60/80, YlOrRd 5 fills,
# >>> 0.5 px #ffffff outline, transparent background), and the tile layout
# >>> under mapgen-out/tiles/ if it is not Z/X/Y.png.
# Times one `mapgen run` (wall seconds, summed PSS of its processes), counts
# the PNG tiles under mapgen-out/tiles/ and how many are fully transparent,
# and writes work/results/NAME.json for report.py.
# ============================================================================
run_mapgen() {
    local z0=$1 z1=$2 name=$3
    local dir="$work/mapgen-out"
    # mapgen's side: work/project.json (setup.sh) plus a "maps" section with
    # one map drawn by mapgen-style.json, the values of style.json (fixed
    # breaks 20/40/60/80, YlOrRd 5, 0.5 px #ffffff outline, transparent
    # elsewhere).  --bbox: the peers' extent ($BBOX); mapgen renders the
    # tiles of it that a county touches.  Tiles: mapgen-out/tiles/counties/
    # Z/X/Y.png (tiles.py counts every PNG under mapgen-out/tiles); the run
    # also writes counties.mbtiles and a tile table in counties.gpkg.
    local project="$work/project-mapgen.json"
    jq --arg style "$here/mapgen-style.json" \
        '. + {maps: [{name: "counties", style: $style}]}' \
        "$work/project.json" > "$project"
    set_aside "$dir"
    rm -f "$res/$name.json"
    echo "render: mapgen run -z $z0-$z1 -j $JOBS --bbox ${BBOX:=-125.0,24.0,-66.5,49.5} ..." >&2
    local rc=0
    (cd "$root" && "$PY" "$here/measure.py" --quiet "${QUIET:-0.15,600}" --json "$res/$name.measure.json" -- \
        "$MAPGEN" run "$project" -z "$z0-$z1" -j "$JOBS" --bbox "$BBOX" -o "$dir" --force >&2) || rc=$?
    if [ "$rc" != 0 ]; then
        echo "render: mapgen exited $rc; its figures are left out" >&2
        rm -f "$res/$name.measure.json"
        return 0
    fi
    "$PY" "$here/tiles.py" check "$dir/tiles" > "$res/$name.check.json"
    "$PY" - "$res/$name.measure.json" "$res/$name.check.json" "$name" "$z0-$z1" \
        "$("$MAPGEN" --version 2>/dev/null | head -1)" > "$res/$name.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); c = json.load(open(sys.argv[2]))
json.dump({"tool": sys.argv[3], "zooms": sys.argv[4], "tiles": c["tiles"],
           "transparent": c["transparent"], "seconds": m["seconds"],
           "peak_kib": m["peak_total_pss_kib"], "maxrss_kib": m["maxrss_kib"],
           "exit": m["exit"], "bytes": c["bytes"],
           "cpu_seconds": m["cpu_seconds"], "sys_seconds": m.get("sys_seconds"),
           "busy_before": m["busy_before"],
           "note": "%s, -j 2 (whole `mapgen run`: read, join, render, write)" % sys.argv[5]},
          sys.stdout)
print()
PY
}

mapgen_renders() {
    [ -x "$MAPGEN" ] || return 1
    "$MAPGEN" run --help 2>&1 | grep -Eq -- '(^|[[:space:],])-z([[:space:],]|$)'
}

# best_of Z0 Z1 NAME: run_mapgen REPEAT times, keep the fastest (as peers.sh)
best_of() {
    local i
    rm -f "$res/$3.json" "$res/$3".run*.json
    for i in $(seq "$REPEAT"); do
        run_mapgen "$@"
        [ -s "$res/$3.json" ] || break
        cp "$res/$3.json" "$res/$3.run$i.json"
    done
    compgen -G "$res/$3.run*.json" >/dev/null || return 0
    jq -s -c 'min_by(.seconds) + {runs: length, all_seconds: map(.seconds)}' \
        "$res/$3".run*.json > "$res/$3.json"
}

tools="mapcache map2img mapnik"
if mapgen_renders; then
    best_of "$ZMIN" "$ZMAX" mapgen
    # map2img covers one zoom: mapgen over that zoom alone, for its ratio.
    best_of "$MAP2IMG_Z" "$MAP2IMG_Z" "mapgen-z$MAP2IMG_Z"
    tools="mapgen mapgen-z$MAP2IMG_Z $tools"
else
    echo "render: $MAPGEN missing or without tile rendering (no -z in 'mapgen run --help'); peers only" >&2
fi
empty_trash
echo
echo "Rendering benchmark: US counties ($(jq '.features | length' "$work/counties.geojson") polygons), zooms $ZMIN-$ZMAX, $(wc -l < "$work/tiles-$ZMIN-$ZMAX.txt") tiles, $JOBS jobs"
"$PY" "$here/report.py" --mapgen "$res" $tools
