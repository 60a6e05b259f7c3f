#!/bin/sh
# The poverty stage end to end (poverty.sh CASE):
#   fixture      tests/fixtures/poverty/poverty.json: the hand-worked
#                composite index and the weighted Alkire-Foster example in
#                the GeoPackage, poverty-ranking.csv and poverty-af.csv
#   sample       the bundled sample gains the poverty figures and ranking
#   bad_column   an indicator column missing: exit 4, file and key named
#   bad_k        k outside (0, 1]: exit 3, key named
#   bad_weights  weights that do not sum to 1: renormalised with a
#                join-report row, or (weight_sum: reject) exit 3
# The figures are worked out by hand in tests/geodata/test_poverty.c and
# test_poverty_af.c; the expected CSV files were checked against them line
# by line.
set -eu
. "$(dirname "$0")/lib.sh"

case=${1:?usage: poverty.sh CASE}
src=$FIXTURES/poverty
out=$T/out
cd "$T"

# A copy of the fixture whose project file the test may change.
fixture_copy() {
    cp -R "$src" "$T/pov"
}

case $case in
fixture)
    run run "$src/poverty.json" -o "$out" --force
    expect_rc 0
    expect_err "$out/reports/poverty-ranking.csv" \
        "$out/reports/poverty-af.csv"
    gpkg=$out/pov.gpkg
    "$PY" /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py \
        "$gpkg" || fail "validate_gpkg.py rejects $gpkg"
    # Region A: the poorest on every indicator; B and D tie.
    expect_row "$gpkg" regions "code = 'A'" poverty_index=100 \
        poverty_grade=5 poverty_rank=1 poverty_rank_in_parent=1 \
        poverty_indicators=4 dim_economy_score=100 ind_income_norm=1 \
        ind_places_value=0 ind_places_norm=1
    expect_row "$gpkg" regions "code = 'B'" poverty_index=58.75 \
        poverty_grade=3 poverty_rank=2 poverty_rank_in_parent=2 \
        dim_economy_score=62.5 dim_economy_grade=4 dim_economy_rank=2 \
        dim_society_score=50 dim_society_grade=3 dim_environment_score=60 \
        dim_environment_grade=3 ind_income_norm=0.75 ind_unemp_norm=0.5 \
        ind_places_value=50 ind_dist_value=30 ind_dist_norm=0.6
    expect_row "$gpkg" regions "code = 'D'" poverty_rank=2 \
        poverty_rank_in_parent=1
    expect_row "$gpkg" regions "code = 'C'" poverty_rank=4 poverty_grade=2
    # Alkire & Foster (2011)'s example, sampling weights 1 2 3 4.
    expect_row "$gpkg" regions "code = 'A'" af_records=4 af_weight=10 \
        af_h=0.5 af_a=0.8 af_m0=0.4 af_y1_censored_h=0.3 \
        af_y1_contrib=18.75 af_y2_contrib=31.25
    expect_row "$gpkg" regions "code = 'C'" af_records=0 af_h=NULL af_m0=NULL
    # The parent level: the records of its children.
    expect_row "$gpkg" regions_parent "code = 'P1'" af_records=6 \
        af_weight=12 af_h=0.5 af_m0=5.0/12 af_a=5.0/6
    diff -u "$src/expected-ranking.csv" "$out/reports/poverty-ranking.csv" ||
        fail "poverty-ranking.csv differs from the expected one"
    diff -u "$src/expected-af.csv" "$out/reports/poverty-af.csv" ||
        fail "poverty-af.csv differs from the expected one"
    expect_report "$out/reports/join-report.csv" households.csv "" region \
        "region has no Alkire-Foster records" C
    expect_eq "join report rows" "$(report_rows "$out/reports/join-report.csv")" 3
    ;;
sample)
    run run -o "$out" --force -q --no-tiles
    expect_rc 0
    ranking=$out/reports/poverty-ranking.csv
    [ -f "$ranking" ] || fail "no $ranking"
    gpkg=$out/romania.gpkg
    expect_eq "scored UATs" "$(sql "$gpkg" "SELECT count(*) FROM regions
        WHERE poverty_index BETWEEN 0 AND 100 AND poverty_grade BETWEEN 1 AND 5
        AND dim_economy_grade IS NOT NULL AND dim_society_grade IS NOT NULL
        AND dim_environment_grade IS NOT NULL")" 3186
    expect_eq "every grade used" "$(sql "$gpkg" "SELECT count(DISTINCT
        poverty_grade) FROM regions")" 5
    "$PY" - "$ranking" <<'PYEOF' || fail "poverty-ranking.csv is wrong"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 3186, len(rows)
idx = [float(r["poverty_index"]) for r in rows]
assert idx == sorted(idx, reverse=True)
assert rows[0]["rank"] == "1"
assert all(r["level"] == "uat" for r in rows)
for name in ("economy", "society", "environment"):
    assert "dim_%s_score" % name in rows[0], name
# competition ranks: a lower (2-decimal) index is ranked at its position;
# equal printed indexes may still differ in full precision
for i, r in enumerate(rows):
    if i and idx[i] < idx[i - 1]:
        assert r["rank"] == str(i + 1), i
    assert i == 0 or int(r["rank"]) >= int(rows[i - 1]["rank"]), i
# every index printed to 2 decimals; every UAT names its county
assert all(len(r["poverty_index"].split(".")[1]) == 2 for r in rows)
assert all(r["parent_code"] and r["parent_name"] for r in rows)
assert {r["parent_name"] for r in rows if r["parent_code"] == "CJ"} == {"Cluj"}
PYEOF
    ;;
bad_column)
    fixture_copy
    sed 's/"column": "income"/"column": "incme"/' "$src/poverty.json" \
        >"$T/pov/poverty.json"
    run run "$T/pov/poverty.json" -o "$out" --force
    expect_rc 4
    expect_err "mapgen: error: " "indicators.csv" \
        "field 'poverty.indicators[0].column'" "no field 'incme'"
    expect_no_outputs "$out"
    ;;
bad_k)
    fixture_copy
    for k in 0 1.5; do
        sed "s/\"k\": 0.5/\"k\": $k/" "$src/poverty.json" \
            >"$T/pov/poverty.json"
        run run "$T/pov/poverty.json" -o "$out" --force
        expect_rc 3
        expect_err "mapgen: error: " "poverty.json" \
            "field 'poverty.alkire_foster.k'" "k = $k is outside (0, 1]"
        expect_no_outputs "$out"
    done
    ;;
bad_weights)
    fixture_copy
    sed 's/"economy": 0.5,/"economy": 0.7,/' "$src/poverty.json" \
        >"$T/pov/poverty.json"
    run run "$T/pov/poverty.json" -o "$out" --force -q
    expect_rc 0
    expect_report "$out/reports/join-report.csv" poverty.json "" \
        poverty.dimensions "the weights of the dimensions do not sum to 1" 1.2
    # Renormalised: 0.7/1.2, 0.25/1.2, 0.25/1.2; B = (0.7 x 62.5 + 0.25 x
    # 50 + 0.25 x 60) / 1.2.
    expect_row "$out/pov.gpkg" regions "code = 'B'" \
        "poverty_index=(0.7*62.5+0.25*50+0.25*60)/1.2~1e-8"
    sed 's/"economy": 0.5,/"economy": 0.7,/;
         s/"missing": "renormalise",/"missing": "renormalise", "weight_sum": "reject",/' \
        "$src/poverty.json" >"$T/pov/poverty.json"
    rm -rf "$out"
    run run "$T/pov/poverty.json" -o "$out" --force
    expect_rc 3
    expect_err "field 'poverty.dimensions'" "sum to 1.2, not 1"
    expect_no_outputs "$out"
    ;;
*)
    fail "unknown case '$case'"
    ;;
esac
echo "ok ($case)"
