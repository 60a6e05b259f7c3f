#!/bin/sh
# Fatal problems and interruption, one per test (bad_input.sh CASE): the
# exit status, a message that names the file (and the field, JSON key or
# line/column), and no output left behind.  Projects are in
# tests/fixtures/bad; their relative paths resolve from there (to ../clean).
set -eu
. "$(dirname "$0")/lib.sh"

case=${1:?usage: bad_input.sh CASE}
bad=$FIXTURES/bad
out=$T/out
cd "$T"

# fails_with STATUS PROJECT TEXT...: runs PROJECT into $out, expects the
# status, a one-line "mapgen: error:" message with every TEXT, no outputs.
fails_with() {
    status=$1 project=$2
    shift 2
    run run "$project" -o "$out" --force
    expect_rc "$status"
    expect_err "mapgen: error: " "$@"
    expect_no_outputs "$out"
}

# The clean fixture, copied so the test may change it.
clean_copy() {
    cp -R "$FIXTURES/clean" "$T/clean"
}

case $case in
project_missing)
    fails_with 3 "$T/nowhere.json" "$T/nowhere.json" \
        "cannot open: No such file"
    ;;
json_syntax)
    # The comma after "boundaries" (line 3) is missing: the parser stops at
    # "providers" on line 4.
    fails_with 3 "$bad/syntax.json" "$bad/syntax.json: line 4, column "
    grep -q -E 'syntax\.json: line 4, column [0-9]+: ' "$T/stderr" ||
        fail "no 'line 4, column N:' in: $(cat "$T/stderr")"
    ;;
unknown_key)
    fails_with 3 "$bad/unknown-key.json" "$bad/unknown-key.json" \
        "field 'boundaries.code_feild'" "unknown key 'code_feild'" "code_field"
    ;;
boundaries_missing)
    fails_with 4 "$bad/missing-boundaries.json" "nowhere.geojson" \
        "No such file or directory"
    ;;
code_field_missing)
    fails_with 4 "$bad/missing-code-field.json" "communes.geojson" \
        "field 'code_field'" "no field 'siruta'" "code, name, county"
    ;;
group_column_missing)
    fails_with 4 "$bad/missing-group-column.json" "recipients.csv" \
        "field 'recipients.group_fields'" "no field 'lack_of_guardian'"
    ;;
no_crs)
    # A CSV with a WKT column has no CRS at all ...
    fails_with 4 "$bad/no-crs.json" "communes-nocrs.csv" "field 'crs'" \
        '"crs"'
    # ... nor has a shapefile without its .prj ...
    clean_copy
    ogr2ogr "$T/clean/communes.shp" "$T/clean/communes.geojson"
    rm "$T/clean/communes.prj"
    sed 's/"communes.geojson"/"communes.shp"/' "$FIXTURES/clean/clean.json" \
        >"$T/clean/clean.json"
    fails_with 4 "$T/clean/clean.json" "communes.shp" "field 'crs'" '"crs"'
    # ... and "crs" in the project file makes both usable.
    run run "$bad/no-crs-fixed.json" -o "$out" --force -q
    expect_rc 0
    expect_eq "regions" "$(count "$out/bad.gpkg" regions)" 6
    ;;
unknown_crs)
    fails_with 4 "$bad/unknown-crs.json" "communes.geojson" "field 'crs'" \
        "'EPSG:999999' is not a coordinate reference system"
    ;;
output_exists)
    run run "$FIXTURES/clean/clean.json" -o "$out" -q
    expect_rc 0
    (cd "$out" && find . -type f | sort | xargs md5sum) >"$T/before"
    # Without --force: exit 5, the file named, nothing touched or added.
    run run "$FIXTURES/clean/clean.json" -o "$out"
    expect_rc 5
    expect_err "mapgen: error: $out/" "already exists" "--force"
    (cd "$out" && find . -type f | sort | xargs md5sum) >"$T/after"
    diff "$T/before" "$T/after" || fail "outputs changed without --force"
    # One output alone is enough to refuse.
    rm "$out/clean.gpkg" "$out/reports/ranking.csv"
    run run "$FIXTURES/clean/clean.json" -o "$out"
    expect_rc 5
    expect_err "$out/reports/join-report.csv" "already exists"
    [ ! -e "$out/clean.gpkg" ] || fail "clean.gpkg written without --force"
    # With --force they are replaced.
    run run "$FIXTURES/clean/clean.json" -o "$out" --force -q
    expect_rc 0
    [ -f "$out/clean.gpkg" ] || fail "clean.gpkg not written with --force"
    [ -z "$(find "$out" -name '.tmp-*')" ] || fail "temporary files left"
    ;;
output_unwritable)
    # The tests may run as root, whom permissions do not stop: make the
    # output directory impossible instead, with a file in the way.
    : >"$T/file"
    out=$T/file/out
    fails_with 5 "$FIXTURES/clean/clean.json" "$T/file/out" \
        "cannot create the output directory"
    # -o names a file.
    run run "$FIXTURES/clean/clean.json" -o "$T/file" --force
    expect_rc 5
    expect_err "mapgen: error: $T/file/"
    if [ -s "$T/file" ]; then fail "$T/file was written to"; fi
    left=$(find "$T" -name '*.gpkg' -o -name '*.csv' -o -name '.tmp-*')
    [ -z "$left" ] || fail "outputs left: $left"
    # reports/ is a file: the GeoPackage is written (under a temporary
    # name) before the ranking fails, and must be removed.
    out=$T/out2
    mkdir "$out"
    : >"$out/reports"
    run run "$FIXTURES/clean/clean.json" -o "$out" --force
    expect_rc 5
    expect_err "mapgen: error: $out/reports/"
    left=$(find "$out" -type f ! -path "$out/reports")
    [ -z "$left" ] || fail "files left in $out: $left"
    # A read-only directory, where permissions apply.
    if [ "$(id -u)" != 0 ]; then
        out=$T/ro
        mkdir "$out"
        chmod 555 "$out"
        fails_with 5 "$FIXTURES/clean/clean.json" "$out/"
    fi
    ;;
interrupted)
    # SIGINT/SIGTERM at several moments of the sample's run (about 1 s
    # under ASan): either exit 130 and nothing left, or (signal too late)
    # exit 0 with all three outputs.  At least one run must be interrupted.
    stopped=0
    for s in INT:0.1 INT:0.4 INT:0.7 TERM:0.25 TERM:0.55; do
        out=$T/out-${s%:*}-${s#*:}
        "$MAPGEN" run -q -o "$out" --force --no-tiles 2>"$T/stderr" &
        pid=$!
        sleep "${s#*:}"
        kill -"${s%:*}" "$pid" 2>/dev/null || true
        set +e
        wait "$pid"
        RC=$?
        set -e
        no_sanitizer_report "mapgen run, SIG$s"
        case $RC in
        130)
            # An empty stderr: SIGINT came before main() set its handler.
            if [ -s "$T/stderr" ]; then
                stopped=$((stopped + 1))
                expect_err "mapgen: error: "
            fi
            expect_no_outputs "$out"
            ;;
        0)
            for f in romania.gpkg reports/ranking.csv reports/join-report.csv; do
                [ -f "$out/$f" ] || fail "SIG$s: exit 0 without $f"
            done
            [ -z "$(find "$out" -name '.tmp-*')" ] || fail "temporary files left"
            ;;
        143)
            # SIGTERM before main() set its handler (a loaded machine can
            # take longer than the delay to start an ASan binary): the
            # default action killed it, and it had made nothing yet.
            [ ! -s "$T/stderr" ] || fail "SIG$s: killed after it started"
            expect_no_outputs "$out"
            ;;
        *)
            cat "$T/stderr" >&2
            fail "SIG$s: exit status $RC, expected 130 or 0"
            ;;
        esac
    done
    [ "$stopped" -gt 0 ] || fail "no run was interrupted"
    ;;
*)
    fail "unknown case '$case'"
    ;;
esac
echo "ok ($case)"
