#!/bin/sh
# Byte-identical outputs (docs/scale.md): one case per argument.
#   determinism  the sample twice, -j 1 and -j 2: every file the same bytes;
#                the GeoPackage's timestamps are SOURCE_DATE_EPOCH, or
#                without it the newest input's mtime (a copy of the clean
#                fixture touched to a known date); a bad SOURCE_DATE_EPOCH
#                is a usage error
set -eu
. "$(dirname "$0")/lib.sh"

ZOOMS=${ZOOMS:-0-7}

# same_tree A B: every file of A and B has the same bytes, and both hold
# the same files.
same_tree() {
    (cd "$1" && find . -type f | LC_ALL=C sort) >"$T/files.a"
    (cd "$2" && find . -type f | LC_ALL=C sort) >"$T/files.b"
    cmp -s "$T/files.a" "$T/files.b" ||
        { diff "$T/files.a" "$T/files.b" >&2; fail "$1 and $2 hold other files"; }
    [ -s "$T/files.a" ] || fail "$1 is empty"
    while read -r f; do
        cmp -s "$1/$f" "$2/$f" || fail "$f differs between $1 and $2"
    done <"$T/files.a"
}

# stamps GPKG: every timestamp of the GeoPackage, one distinct value a line.
stamps() {
    sql "$1" "SELECT last_change FROM gpkg_contents UNION
              SELECT timestamp FROM gpkg_metadata_reference"
}

case ${1:?usage: shards.sh determinism} in
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
