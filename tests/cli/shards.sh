#!/bin/sh
# Byte-identical outputs (docs/scale.md): one case per argument.
#   determinism  the sample twice, -j 1 and -j 2: every file the same bytes;
#                the GeoPackage's timestamps are SOURCE_DATE_EPOCH, or
#                without it the newest input's mtime (a copy of the clean
#                fixture touched to a known date); a bad SOURCE_DATE_EPOCH
#                is a usage error
#   merge        the sample as K = 1, 2 and 7 shards (-j 1 and -j 2 in
#                turn), merged: every file the bytes of a -j 1 run without
#                shards; the shards' tiles cover each tile once
#   refuse       merge refuses, naming the file: a missing shard, a
#                duplicate, one of another run (other zooms), an
#                incomplete one, one of another mapgen version, inputs
#                changed since; a bad --shard is a usage error
set -eu
. "$(dirname "$0")/lib.sh"

ZOOMS=${ZOOMS:-0-6}

# stamps GPKG: every timestamp of the GeoPackage, one distinct value a line.
stamps() {
    sql "$1" "SELECT last_change FROM gpkg_contents UNION
              SELECT timestamp FROM gpkg_metadata_reference"
}

# shard_run K DIR ARGS...: the K shards of the run of ARGS into DIR.
shard_run() {
    k=$1 dir=$2
    shift 2
    i=0
    while [ "$i" -lt "$k" ]; do
        run run "$@" -q --shard "$i/$k" -o "$dir" -j $((i % 2 + 1))
        expect_rc 0
        [ -f "$dir/shard-$i-of-$k.mgshard" ] || fail "no shard $i/$k"
        i=$((i + 1))
    done
}

case ${1:?usage: shards.sh determinism|merge|refuse} in
merge)
    SOURCE_DATE_EPOCH=1700000000
    export SOURCE_DATE_EPOCH
    run run -q -o "$T/ref" -j 1 -z "$ZOOMS"
    expect_rc 0
    for k in 1 2 7; do
        shard_run "$k" "$T/s$k" -z "$ZOOMS"
        run merge -q "$T/s$k"/shard-*-of-$k.mgshard -o "$T/m$k" -j 2
        expect_rc 0
        same_tree "$T/ref" "$T/m$k"
        # Every tile of the reference once across the shards, in order.
        for f in "$T/s$k"/shard-*-of-$k.mgshard; do
            sql "$f" "SELECT map, z, x, y FROM tiles ORDER BY map, seq"
        done | LC_ALL=C sort >"$T/shard-tiles"
        [ "$(wc -l <"$T/shard-tiles")" -gt 0 ] || fail "no tiles in shards"
        sort -u "$T/shard-tiles" | cmp -s - "$T/shard-tiles" ||
            fail "a tile is in two shards of $k"
        for map in needs base; do
            n=$(grep -c "^$map|" "$T/shard-tiles")
            want=$(sql "$T/ref/$map.mbtiles" "SELECT count(*) FROM tiles")
            [ "$n" = "$want" ] ||
                fail "$map: $n tiles in $k shards, $want in the run"
        done
    done
    # K = 7 on the sample: no shard is empty.
    for f in "$T/s7"/*.mgshard; do
        [ "$(sql "$f" "SELECT count(*) FROM tiles")" -gt 0 ] ||
            fail "$f holds no tile"
    done
    ;;
refuse)
    cp -r "$FIXTURES/clean" "$T/in"
    p=$T/in/clean.json
    shard_run 3 "$T/s" "$p" -z 0-3
    s=$T/s/shard
    run merge -q "$s-0-of-3.mgshard" "$s-2-of-3.mgshard" -o "$T/o"
    expect_rc 4
    expect_err "shard 1/3 is missing" "2 of 3 shards given"
    run merge -q "$s-0-of-3.mgshard" "$s-1-of-3.mgshard" \
        "$s-2-of-3.mgshard" "$s-1-of-3.mgshard" -o "$T/o"
    expect_rc 4
    expect_err "$s-1-of-3.mgshard" "duplicate shard"
    # Shard 1 of another run (zooms 0-2) among this run's.
    run run "$p" -q --shard 1/3 -o "$T/other" -z 0-2
    expect_rc 0
    run merge -q "$s-0-of-3.mgshard" "$T/other/shard-1-of-3.mgshard" \
        "$s-2-of-3.mgshard" -o "$T/o"
    expect_rc 4
    expect_err "$T/other/shard-1-of-3.mgshard" "belongs to another run" \
        "options differ"
    # An incomplete shard: what a killed run leaves.
    cp "$s-2-of-3.mgshard" "$T/cut.mgshard"
    sql "$T/cut.mgshard" "DELETE FROM manifest WHERE key = 'complete'"
    run merge -q "$s-0-of-3.mgshard" "$s-1-of-3.mgshard" "$T/cut.mgshard" \
        -o "$T/o"
    expect_rc 4
    expect_err "$T/cut.mgshard" "incomplete"
    printf 'not sqlite' >"$T/junk.mgshard"
    run merge -q "$T/junk.mgshard" -o "$T/o"
    expect_rc 4
    expect_err "$T/junk.mgshard" "not a shard file"
    # Another mapgen version.
    cp "$s-1-of-3.mgshard" "$T/old.mgshard"
    sql "$T/old.mgshard" "UPDATE manifest SET value =
        json_set(value, '$.mapgen', '0.0.1') WHERE key = 'manifest'"
    run merge -q "$s-0-of-3.mgshard" "$T/old.mgshard" "$s-2-of-3.mgshard" \
        -o "$T/o"
    expect_rc 4
    expect_err "$T/old.mgshard" "made by mapgen 0.0.1"
    # The shards as they are merge; after an input changed they do not.
    run merge -q "$s"-*-of-3.mgshard -o "$T/ok"
    expect_rc 0
    [ -f "$T/ok/clean.gpkg" ] && [ -f "$T/ok/needs.mbtiles" ] ||
        fail "merge wrote no outputs"
    echo >>"$T/in/recipients.csv"
    run merge -q "$s"-*-of-3.mgshard -o "$T/o"
    expect_rc 4
    expect_err "$T/in/recipients.csv" "changed since the shards"
    expect_no_outputs "$T/o"
    for bad in 3/3 -1/2 1 a/b 0/0; do
        run run "$p" -q --shard "$bad" -o "$T/o"
        expect_rc 2
        expect_err "--shard" "0 <= I < K"
    done
    run run "$p" -q --shard 0/2 --resume -o "$T/o"
    expect_rc 2
    expect_err "--resume"
    ;;
determinism)
    SOURCE_DATE_EPOCH=86400
    export SOURCE_DATE_EPOCH
    run run -q -o "$T/a" -j 1 -z "$ZOOMS"
    expect_rc 0
    run run -q -o "$T/b" -j 2 -z "$ZOOMS"
    expect_rc 0
    same_tree "$T/a" "$T/b"
    [ "$(stamps "$T/a/romania.gpkg")" = "1970-01-02T00:00:00.000Z" ] ||
        fail "timestamps not SOURCE_DATE_EPOCH: $(stamps "$T/a/romania.gpkg")"
    [ "$(count "$T/a/romania.gpkg" gpkg_contents)" -ge 8 ] ||
        fail "too few tables in gpkg_contents"
    SOURCE_DATE_EPOCH=yesterday
    run run -q -o "$T/c" -z 0-2
    expect_rc 2
    expect_err "SOURCE_DATE_EPOCH" "whole number of seconds"
    expect_no_outputs "$T/c"
    # Without SOURCE_DATE_EPOCH: the newest input's mtime.
    unset SOURCE_DATE_EPOCH
    cp -r "$FIXTURES/clean" "$T/in"
    touch -d '2020-01-02 03:04:05 UTC' "$T/in"/*
    touch -d '2021-06-07 08:09:10 UTC' "$T/in/providers.csv"
    run run "$T/in/clean.json" -q -o "$T/d" -z 0-3 -j 1
    expect_rc 0
    run run "$T/in/clean.json" -q -o "$T/e" -z 0-3 -j 2
    expect_rc 0
    same_tree "$T/d" "$T/e"
    [ "$(stamps "$T/d/clean.gpkg")" = "2021-06-07T08:09:10.000Z" ] ||
        fail "timestamps not the newest input's: $(stamps "$T/d/clean.gpkg")"
    ;;
*)
    fail "unknown case $1"
    ;;
esac
