#!/usr/bin/env bash
# The rendering benchmark: the same choropleth (US counties, style.json) as
# XYZ PNG tiles with MapServer + MapCache, MapServer's map2img, Mapnik and
# mapgen; prints tiles/s of each and mapgen's ratio to each peer.
#
# usage: bench/render/render.sh ZMIN ZMAX        e.g. bench/render/render.sh 0 10
# env:   MAPGEN=path/to/mapgen (default build-rel/mapgen/mapgen), PEERS,
#        JOBS, PORT, BBOX, MAP2IMG_Z, MAPCACHE_METATILE, MAPNIK_METATILE
#        (see peers.sh), REPEAT=5: paired rounds (mapgen, then each peer
#        in turn), every round printed with the median of the per-round
#        ratios (rounds.py); QUIET (measure.py's wait for an idle CPU),
#        MAPGEN_ALL=1 (also every store), SOURCE/SOURCE_ID (setup.sh),
#        KEEP_TRASH=1 (keep the set-aside outputs: a later benchmark
#        then runs without the deletion's slowdown; rm -rf work/trash)
# Exits 1 when any tool failed or wrote no tile in any round.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$here/work"
PY=/usr/bin/python3
ZMIN=${1:?usage: render.sh ZMIN ZMAX}
ZMAX=${2:?usage: render.sh ZMIN ZMAX}
JOBS=${JOBS:-2}
REPEAT=${REPEAT:-5}
MAPGEN=${MAPGEN:-$root/build-rel/mapgen/mapgen}
MAP2IMG_Z=${MAP2IMG_Z:-$(( ZMAX < 8 ? ZMAX : 8 ))}
(( MAP2IMG_Z < ZMIN )) && MAP2IMG_Z=$ZMIN
export JOBS MAP2IMG_Z REPEAT
res="$work/results"

"$here/setup.sh"
. "$here/lib.sh"
rm -f "$res"/*.json

# ============================================================================
# run_mapgen ZMIN ZMAX NAME STORES -- mapgen's side of the benchmark: one
# `mapgen run` timed (wall seconds, summed PSS of its processes), the PNG
# tiles under mapgen-out/tiles/ counted (and the fully transparent ones),
# work/results/NAME.json written for report.py.  STORES is mapgen's
# --stores: "dir" writes what the peers write (one tile folder), the
# default of mapgen run ("dir,mbtiles,gpkg") adds the MBTiles file and the
# GeoPackage tile table.
# ============================================================================
run_mapgen() {
    local z0=$1 z1=$2 name=$3 stores=$4
    local dir="$work/mapgen-out"
    # mapgen's side: work/project.json (setup.sh) plus a "maps" section with
    # one map drawn by mapgen-style.json, the values of style.json (fixed
    # breaks 20/40/60/80, YlOrRd 5, 0.5 px #ffffff outline, transparent
    # elsewhere).  --bbox: the peers' extent ($BBOX); mapgen renders the
    # tiles of it that a county touches.  Tiles: mapgen-out/tiles/counties/
    # Z/X/Y.png (tiles.py counts every PNG under mapgen-out/tiles).  Every
    # run also writes counties.gpkg (the vector layer), the reports, the
    # legend and the viewer page.
    local project="$work/project-mapgen.json"
    jq --arg style "$here/mapgen-style.json" \
        '. + {maps: [{name: "counties", style: $style}]}' \
        "$work/project.json" > "$project"
    set_aside "$dir"
    rm -f "$res/$name.json"
    echo "render: mapgen run -z $z0-$z1 -j $JOBS --bbox ${BBOX:=-125.0,24.0,-66.5,49.5} --stores $stores ..." >&2
    local rc=0
    (cd "$root" && "$PY" "$here/measure.py" --quiet "${QUIET:-0.15,600}" --json "$res/$name.measure.json" -- \
        "$MAPGEN" run "$project" -z "$z0-$z1" -j "$JOBS" --bbox "$BBOX" \
        --stores "$stores" -o "$dir" --force >&2) || rc=$?
    if [ "$rc" != 0 ]; then
        echo "render: FAILED: mapgen exited $rc (its messages are above)" >&2
        rm -f "$res/$name.measure.json"
        return 0
    fi
    "$PY" "$here/tiles.py" check "$dir/tiles" > "$res/$name.check.json"
    "$PY" - "$res/$name.measure.json" "$res/$name.check.json" "$name" "$z0-$z1" \
        "$("$MAPGEN" --version 2>/dev/null | head -1)" "$stores" > "$res/$name.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); c = json.load(open(sys.argv[2]))
json.dump({"tool": sys.argv[3], "zooms": sys.argv[4], "tiles": c["tiles"],
           "transparent": c["transparent"], "seconds": m["seconds"],
           "peak_kib": m["peak_total_pss_kib"], "maxrss_kib": m["maxrss_kib"],
           "exit": m["exit"], "bytes": c["bytes"],
           "cpu_seconds": m["cpu_seconds"], "sys_seconds": m.get("sys_seconds"),
           "busy_before": m["busy_before"],
           "note": "%s, -j 2, --stores %s (whole `mapgen run`: read, join, "
                   "GeoPackage and reports, render, write)" % (sys.argv[5], sys.argv[6])},
          sys.stdout)
print()
PY
}

mapgen_renders() {
    [ -x "$MAPGEN" ] || return 1
    "$MAPGEN" run --help 2>&1 | grep -Eq -- '--stores'
}

# Rounds, paired: in each round mapgen, then every peer, one after the
# other, so that a machine whose speed drifts (a shared VM) slows the tools
# of a round alike; rounds.py prints every round and the median of the
# per-round ratios.  A tool that fails or writes no tile fails the
# benchmark (exit 1) after the table, never silently.
keep_round() { # NAME ROUND
    rm -f "$res/$1.round$2.json"
    [ -s "$res/$1.json" ] && cp "$res/$1.json" "$res/$1.round$2.json"
    return 0
}

PEERS=${PEERS-mapnik mapcache}   # PEERS= (empty): mapgen alone
if ! mapgen_renders; then
    echo "render: FAILED: $MAPGEN missing or too old (no --stores in 'mapgen run --help'); build it: cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF && cmake --build build-rel" >&2
    exit 1
fi
mkdir -p "$res"
export BBOX="${BBOX:--125.0,24.0,-66.5,49.5}"
# The tile set (peers.sh makes it too; PEERS= needs it here).
"$PY" "$here/tiles.py" list "$ZMIN" "$ZMAX" "${BBOX:=-125.0,24.0,-66.5,49.5}" \
    > "$work/tiles-$ZMIN-$ZMAX.txt"
# mapgen: the tile folder, as the peers; MAPGEN_ALL=1 adds mapgen-all (every
# store); map2img covers one zoom: mapgen over that zoom alone, for its ratio.
tools="mapgen"
[ "${MAPGEN_ALL:-0}" = 1 ] && tools="$tools mapgen-all"
case " $PEERS " in *" map2img "*) tools="$tools mapgen-z$MAP2IMG_Z" ;; esac
rm -f "$res"/*.round*.json
for round in $(seq "$REPEAT"); do
    echo "render: round $round of $REPEAT" >&2
    run_mapgen "$ZMIN" "$ZMAX" mapgen dir
    keep_round mapgen "$round"
    for p in $PEERS; do
        rm -f "$res/$p.json"
        PEERS="$p" REPEAT=1 SKIP_SETUP=1 NO_REPORT=1 KEEP_TRASH=1 \
            "$here/peers.sh" "$ZMIN" "$ZMAX" ||
            echo "render: $p failed in round $round (exit $?)" >&2
        keep_round "$p" "$round"
    done
    if [ "${MAPGEN_ALL:-0}" = 1 ]; then
        run_mapgen "$ZMIN" "$ZMAX" mapgen-all dir,mbtiles,gpkg
        keep_round mapgen-all "$round"
    fi
    case " $PEERS " in *" map2img "*)
        run_mapgen "$MAP2IMG_Z" "$MAP2IMG_Z" "mapgen-z$MAP2IMG_Z" dir
        keep_round "mapgen-z$MAP2IMG_Z" "$round" ;;
    esac
done
# KEEP_TRASH=1 leaves the outputs set aside in work/trash/ (lib.sh): a
# benchmark run right after this one would otherwise pay for their
# deletion in every file it creates (bench/render/lib.sh, set_aside).
[ "${KEEP_TRASH:-}" = 1 ] || empty_trash
echo
echo "Rendering benchmark: $(cat "$work/source.txt") ($(jq '.features | length' "$work/counties.geojson") polygons), zooms $ZMIN-$ZMAX, $(wc -l < "$work/tiles-$ZMIN-$ZMAX.txt") tiles, $JOBS jobs, $REPEAT rounds"
rc=0
"$PY" "$here/rounds.py" "$res" "$REPEAT" mapgen $PEERS || rc=1
# The fastest round of each tool, in the long table (report.py).
for t in $tools $PEERS; do
    compgen -G "$res/$t.round*.json" >/dev/null && fastest "$res/$t.json" "$res/$t".round*.json
done
"$PY" "$here/report.py" --mapgen "$res" $tools $PEERS
# Pixel agreement with Mapnik (issue 13): the mean |dRGB| over the pixels
# opaque in both, on 2,000 tiles of the last round drawn with a fixed
# seed, must stay at or below 1.0 (agree.py); MapCache's for comparison.
if [ -d "$work/out/mapnik" ] && [ -d "$work/mapgen-out/tiles/counties" ]; then
    for other in "$work/mapgen-out/tiles/counties" "$work/out/mapcache"; do
        [ -d "$other" ] || continue
        a=$("$PY" "$here/agree.py" "$work/out/mapnik" "$other" 2000) ||
            { echo "render: FAILED: no pixels to compare in $other" >&2; rc=1; continue; }
        echo "agreement with Mapnik: $a"
        case "$other" in *mapgen-out*)
            echo "$a" | jq -e '.mean_abs_delta_rgb <= 1.0' >/dev/null ||
                { echo "render: FAILED: mapgen's tiles differ from Mapnik's by more than 1.0 on average" >&2; rc=1; } ;;
        esac
    done
fi
exit $rc
