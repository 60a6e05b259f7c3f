#!/bin/sh
# kill -9 at seeded random moments, then `mapgen run --resume`: every store
# must equal an uninterrupted run's (tile folders byte for byte, MBTiles and
# GeoPackage tile tables row by row, the GeoPackage's feature tables by an
# ordered dump), with nothing hidden or temporary left.
#   kill_resume.sh [MOMENTS [SEED]]   default 3 moments, seed 14
# `make test` runs 3 (bad_kill_resume); 20 are the opt-in long test
# (-DMG_LONG_TESTS=ON: bad_kill_resume_long).  A moment is a fraction, drawn
# from the seed, of the uninterrupted run's wall time.
set -eu
. "$(dirname "$0")/../cli/lib.sh"

moments=${1:-3}
seed=${2:-14}
golden=$FIXTURES/../golden
args="$golden/clean/project.json -z 4-13 -j 2 --progress=none"

digest_table() { # DB QUERY: md5 of the rows
    sql "$1" "$2" | md5sum | cut -d' ' -f1
}

# digest DIR: one line per store of the output folder.
digest() {
    d=$1
    (cd "$d/tiles" && find . -type f | sort | xargs md5sum) | md5sum
    for m in choropleth dots; do
        echo "$m.mbtiles $(digest_table "$d/$m.mbtiles" \
            "SELECT zoom_level, tile_column, tile_row, hex(tile_data)
             FROM tiles ORDER BY 1, 2, 3")"
        echo "gpkg $m $(digest_table "$d/golden.gpkg" \
            "SELECT zoom_level, tile_column, tile_row, hex(tile_data)
             FROM \"$m\" ORDER BY 1, 2, 3")"
    done
    for t in $(sql "$d/golden.gpkg" "SELECT table_name FROM gpkg_contents
                                     WHERE data_type = 'features'
                                     ORDER BY 1"); do
        echo "features $t $(digest_table "$d/golden.gpkg" \
            "SELECT * FROM \"$t\" ORDER BY 1")"
    done
}

start=$(date +%s.%N)
run run $args -o "$T/whole" --force
expect_rc 0
took=$(echo "$start $(date +%s.%N)" | awk '{print $2 - $1}')
digest "$T/whole" >"$T/whole.digest"

# The moments: seeded fractions 0.05..0.95 of the whole run's time.
awk -v n="$moments" -v s="$seed" -v t="$took" 'BEGIN {
    srand(s); for (i = 0; i < n; i++) printf "%.3f\n", t * (0.05 + 0.9 * rand())
}' >"$T/moments"
killed=0
i=0
while read -r at; do
    i=$((i + 1))
    out=$T/k$i
    "$MAPGEN" run $args -o "$out" --force 2>"$T/stderr" &
    pid=$!
    sleep "$at"
    if kill -KILL "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
    set +e
    wait "$pid"
    set -e
    run run $args -o "$out" --resume
    expect_rc 0
    digest "$out" >"$T/k$i.digest"
    diff "$T/whole.digest" "$T/k$i.digest" ||
        fail "moment $i (${at}s of ${took}s): the resumed stores differ"
    left=$(find "$out" -name '*.partial*' -o -name '.tmp-*' | head -3)
    [ -z "$left" ] || fail "moment $i: left behind: $left"
    echo "moment $i: killed at ${at}s of ${took}s, resumed, same stores"
done <"$T/moments"
[ "$killed" -gt 0 ] || fail "every run finished before its moment"
echo "ok (kill_resume: $killed of $moments runs killed)"
