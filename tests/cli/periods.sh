#!/bin/sh
# Several periods in one project, end to end (periods.sh CASE), on
# tests/fixtures/periods (SYNTHETIC; README.md there):
#   figures      the hand-worked changes 2011 -> 2015 in reports/change.csv
#                and the chg_* fields of the GeoPackage; pooled min-max
#   refuse       a changed AF cutoff k and per-period min-max: the figures
#                refused, the reason in the join report
#   boundaries   regions that split, merge or disappear: reported, left out
#   maps         the change maps (diverging, symmetric about zero) read back
#                pixel by pixel either side of zero; the small multiples on
#                one set of breaks; maps.json and TileJSON carry the periods
#   three        three periods: each consecutive pair and first -> last
#   bad          period errors of the project file: exit 3, key named
set -eu
. "$(dirname "$0")/lib.sh"

case=${1:?usage: periods.sh CASE}
src=$FIXTURES/periods
out=$T/out
cd "$T"

# expect_change FROM TO LEVEL CODE FIGURE X1 X2 ABS REL ABS_PA REL_PA DIR:
# the row of reports/change.csv; numbers within 1e-8 (relative), "" NULL.
expect_change() {
    "$PY" - "$out/reports/change.csv" "$@" <<'PYEOF' || fail "change.csv: $*"
import csv, sys
path, a, b, level, code, fig = sys.argv[1:7]
want = sys.argv[7:13]
direction = sys.argv[13]
rows = [r for r in csv.DictReader(open(path, newline=""))
        if (r["from"], r["to"], r["level"], r["code"], r["figure"]) ==
        (a, b, level, code, fig)]
assert len(rows) == 1, ("rows", len(rows))
r = rows[0]
keys = ["from_value", "to_value", "abs_change", "rel_change_pct",
        "abs_change_pa", "rel_change_pa_pct"]
for k, w in zip(keys, want):
    g = r[k]
    if w == "":
        assert g == "", (k, g)
    else:
        w = eval(w)
        assert g != "" and abs(float(g) - w) <= 1e-8 * max(1, abs(w)), (k, g, w)
assert r["direction"] == direction, ("direction", r["direction"])
PYEOF
}

case $case in
figures)
    run run "$src/periods.json" -o "$out" --force -q --no-tiles
    expect_rc 0
    # 2011 -> 2015: dt = 4 years ("date": "2015-01-01" is 2015.0).
    # A: need 100 -> 121: +21, +21 %, 21/4 a year, (1.21^(1/4) - 1) x 100
    # = (sqrt(1.1) - 1) x 100 a year.
    expect_change 2011 2015 cell A need_consultation 100 121 21 21 5.25 \
        "(1.1**0.5-1)*100" deteriorated
    # B: gap 30 -> 20: -10, -33.3 %, -2.5 a year, ((2/3)^(1/4) - 1) x 100.
    expect_change 2011 2015 cell B gap_consultation 30 20 -10 "-100/3" -2.5 \
        "((2/3)**0.25-1)*100" improved
    # D: gap 0 -> 5: no relative change from 0.
    expect_change 2011 2015 cell D gap_consultation 0 5 5 "" 1.25 "" \
        deteriorated
    # A: coverage 0.1 -> 0 (its provider closed): -100 %, also a year.
    expect_change 2011 2015 cell A coverage_consultation 0.1 0 -0.1 -100 \
        -0.025 -100 deteriorated
    # B: supply 10 -> 10 unchanged.
    expect_change 2011 2015 cell B supply_consultation 10 10 0 0 0 0 unchanged
    # The composite index, min-max pooled over both periods: income
    # [80, 500].  A 2011: income 80 -> 1, unemp 1, places 100 -> 0, dist 1:
    # 100 x (0.5 x 1 + 0.25 x 0 + 0.25 x 1) = 75.  A 2015: income 100 ->
    # 1 - 20/420, places 0 -> 1: 100 x (0.5 x (1 - 20/420 + 1)/2 + 0.5).
    a15="100*(0.5*(2-20.0/420)/2+0.5)"
    expect_change 2011 2015 cell A poverty_index 75 "$a15" "$a15-75" \
        "($a15-75)/75*100" "($a15-75)/4" "(($a15/75)**0.25-1)*100" \
        deteriorated
    # B has the same raw values in both periods: on the pooled scale its
    # score does not move (own min-max would have moved it).
    b="100*(0.5*((1-120.0/420)+0.5)/2+0.25*0.5+0.25*0.6)"
    expect_change 2011 2015 cell B poverty_index "$b" "$b" 0 0 0 0 unchanged
    # Ranks (1 = poorest), with the tie B = D in 2015 ("1224"):
    # 2011 A 75, D 71.49, B 57.86, E 30.95, C 23.15 -> 1 2 3 4 5;
    # 2015 A 98.81, B = D 57.86, C 23.15, E 0 -> 1 2 2 4 5.
    expect_change 2011 2015 cell B poverty_rank 3 2 -1 "" "" "" deteriorated
    expect_change 2011 2015 cell D poverty_rank 2 2 0 "" "" "" unchanged
    expect_change 2011 2015 cell E poverty_rank 4 5 1 "" "" "" improved
    expect_change 2011 2015 cell C poverty_rank 5 4 -1 "" "" "" deteriorated
    # Alkire-Foster, A: 2011 (households-2011.csv, weights 1-4, k = 0.5):
    # poor are records 1 (c = 1) and 3 (c = 0.5): H = 4/10, M0 =
    # (1 + 1.5)/10, A = 2.5/4.  2015: Alkire & Foster (2011), H 0.5, A 0.8,
    # M0 0.4.
    expect_change 2011 2015 cell A af_h 0.4 0.5 0.1 25 0.025 \
        "(1.25**0.25-1)*100" deteriorated
    expect_change 2011 2015 cell A af_m0 0.25 0.4 0.15 60 0.0375 \
        "(1.6**0.25-1)*100" deteriorated
    expect_change 2011 2015 cell A af_a 0.625 0.8 0.175 28 0.04375 \
        "(1.28**0.25-1)*100" deteriorated
    # Their standard errors (weights 1-4, each record its own PSU; see
    # tests/geodata/test_poverty_af.c): 2011 z = w (p - 0.4) / 10 = (0.06,
    # -0.08, 0.18, -0.16), var = 4/3 x 0.068; 2015 var = 0.1 (worked there);
    # the change's SE is sqrt(var1 + var2), the samples being independent.
    "$PY" - "$out/reports/change.csv" <<'PYEOF' || fail "change.csv: SE of af_h"
import csv, math, sys
r = [r for r in csv.DictReader(open(sys.argv[1], newline=""))
     if r["code"] == "A" and r["figure"] == "af_h"][0]
v1, v2 = 4 / 3 * 0.068, 0.1
for k, w in (("from_se", math.sqrt(v1)), ("to_se", math.sqrt(v2)),
             ("abs_change_se", math.sqrt(v1 + v2))):
    assert abs(float(r[k]) - w) <= 1e-9, (k, r[k], w)
n = [r for r in csv.DictReader(open(sys.argv[1], newline=""))
     if r["code"] == "A" and r["figure"] == "need_total"][0]
assert n["from_se"] == n["abs_change_se"] == "", n
PYEOF
    # censored headcount of y1: 2011 records 1 and 3 (4/10); 2015 0.3.
    expect_change 2011 2015 cell A af_y1_censored_h 0.4 0.3 -0.1 -25 -0.025 \
        "(0.75**0.25-1)*100" improved
    # The parent level: P1 = A + B + C.
    expect_change 2011 2015 parent P1 need_consultation 160 171 11 \
        "11/1.6" 2.75 "((171/160)**0.25-1)*100" deteriorated
    # Most improved first: B's gap fell, A's rose the most.
    expect_eq "first gap row" "$(grep ',gap_consultation,' \
        "$out/reports/change.csv" | grep ',cell,' | head -1 | cut -d, -f5)" B
    expect_eq "last gap row" "$(grep ',gap_consultation,' \
        "$out/reports/change.csv" | grep ',cell,' | tail -1 | cut -d, -f5)" A
    gpkg=$out/chg.gpkg
    # The last period's regions carry first -> last of change_maps.
    expect_row "$gpkg" regions "code = 'A'" "poverty_index=$a15" \
        "ind_income_norm=1-20.0/420" "chg_poverty_index_abs=$a15-75" \
        chg_gap_total_abs=78
    expect_row "$gpkg" regions "code = 'B'" chg_gap_total_abs=-30 \
        chg_poverty_index_rel=0
    # A layer per period and level, and the change table (as the CSV).
    "$PY" /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py \
        "$gpkg" || fail "validate_gpkg.py rejects $gpkg"
    expect_row "$gpkg" period_2011_regions "code = 'A'" poverty_index=75 \
        need_consultation=100 supply_consultation=10 ind_income_norm=1
    expect_row "$gpkg" period_2015_regions "code = 'A'" "poverty_index=$a15"
    expect_row "$gpkg" period_2011_regions_parent "code = 'P1'" \
        need_consultation=160
    expect_eq "change rows" "$(count "$gpkg" change)" \
        "$(($(wc -l <"$out/reports/change.csv") - 1))"
    expect_row "$gpkg" change "code = 'B' AND figure = 'gap_consultation'" \
        "from_period='2011'" "to_period='2015'" years=4 abs_change=-10 \
        "direction='improved'"
    expect_eq "change table kind" "$(sql "$gpkg" "SELECT data_type FROM
        gpkg_contents WHERE table_name = 'change'")" attributes
    # The earlier period's input problems are in the join report too.
    expect_report "$out/reports/join-report.csv" households-2011.csv "" \
        region "region has no Alkire-Foster records" C
    ;;
refuse)
    cp -R "$src" "$T/p"
    sed 's/"alkire_foster": {"path": "households-2011.csv"}/"alkire_foster": {"path": "households-2011.csv", "k": 0.75}/' \
        "$src/periods.json" >"$T/p/periods.json"
    sed -i 's|"\.\./poverty/|"'"$FIXTURES"'/poverty/|g' "$T/p/periods.json"
    run run "$T/p/periods.json" -o "$out" --force -q --no-tiles
    expect_rc 0
    expect_report "$out/reports/join-report.csv" periods.json "" periods \
        "the Alkire-Foster figures not harmonised: poverty.alkire_foster: k (0.75 in 2011, 0.5 in 2015), the indicators or the use of weights differ" \
        "2011 -> 2015"
    expect_eq "AF change rows" "$(grep -c ',af_' "$out/reports/change.csv" ||
        true)" 0
    expect_eq "index change rows" "$(grep -c ',cell,.,[A-Za-z]*,poverty_index,' \
        "$out/reports/change.csv")" 5
    # Min-max over each period's own regions: the composite is refused.
    sed -i 's/"periods": {/"periods": {"normalisation": "as_given",/' \
        "$T/p/periods.json"
    run run "$T/p/periods.json" -o "$out" --force -q --no-tiles
    expect_rc 0
    expect_report "$out/reports/join-report.csv" periods.json "" periods \
        "the composite poverty index not harmonised: poverty.indicators[0] (income) in 2011 is normalised by minmax over that period's own regions; use goalposts, or minmax with \"periods\": {\"normalisation\": \"pooled\"}" \
        "2011 -> 2015"
    expect_eq "index change rows" "$(grep -c ',poverty_' \
        "$out/reports/change.csv" || true)" 0
    expect_eq "need change rows" "$(grep -c ',cell,A,Alfa,need_total,' \
        "$out/reports/change.csv")" 1
    ;;
boundaries)
    cp -R "$src" "$T/p"
    sed 's|"label": "2011", "year": 2011,|"label": "2011", "year": 2011, "boundaries": [{"level": "cell", "path": "regions-2011.geojson", "code_field": "code", "name_field": "name", "parent_code_field": "parent"}],|' \
        "$src/periods.json" >"$T/p/periods.json"
    sed -i 's|"\.\./poverty/|"'"$FIXTURES"'/poverty/|g' "$T/p/periods.json"
    run run "$T/p/periods.json" -o "$out" --force -q --no-tiles
    expect_rc 0
    r=$out/reports/join-report.csv
    expect_report "$r" "" 5 periods "region merged into E in 2015" \
        "E1 (level cell, 2011)"
    expect_report "$r" "" 6 periods "region merged into E in 2015" \
        "E2 (level cell, 2011)"
    expect_report "$r" "" 5 periods "region merged from E1, E2 of 2011" \
        "E (level cell, 2015)"
    expect_report "$r" "" 7 periods "region disappeared in 2015" \
        "F (level cell, 2011)"
    expect_eq "E's change rows" "$(grep -c ',cell,E[12]*,' \
        "$out/reports/change.csv" || true)" 0
    expect_eq "A's need row" "$(grep -c ',cell,A,Alfa,need_total,' \
        "$out/reports/change.csv")" 1
    # Records without sampling weights: the AF changes say "no SE".
    sed -i 's/"weight_field": "weight", //' "$T/p/periods.json"
    run run "$T/p/periods.json" -o "$out" --force -q --no-tiles
    expect_rc 0
    expect_eq "no SE" "$(grep ',cell,A,Alfa,af_m0,' "$out/reports/change.csv" |
        cut -d, -f16-18)" "no SE,no SE,no SE"
    ;;
maps)
    run run "$src/periods.json" -o "$out" --force -q --stores dir,mbtiles
    expect_rc 0
    # pixel MAP LON LAT COLOUR: the pixel at zoom 10 in the middle of a cell.
    pixel() {
        got=$("$PY" "$(dirname "$0")/site_pixels.py" at "$out/tiles/$1" 10 \
            "$2" 45.05)
        expect_eq "$1 at $2" "$got" "$3"
    }
    # gap_total, 2011 -> 2015: A +78, B -30, C 0, D +15, E +10.  Seven
    # classes of width 2 x 78 / 7 on [-78, 78]: the middle one (-11.1,
    # 11.1] holds C and E.  RdBu reversed (less gap is better): A in the
    # darkest red, B (-33.4, -11.1] light blue, D (11.1, 33.4] light red.
    pixel change-gap-total 25.05 '#b2182bff'
    pixel change-gap-total 25.15 '#d1e5f0ff'
    pixel change-gap-total 25.25 '#f7f7f7ff'
    pixel change-gap-total 25.35 '#fddbc7ff'
    pixel change-gap-total 25.45 '#f7f7f7ff'
    # poverty_index: A +23.8 (red), B and C 0 (neutral), D -13.6 and
    # E -31.0 (blue, E the darkest): m = 30.95, class width 8.84.
    pixel change-poverty-index 25.05 '#b2182bff'
    pixel change-poverty-index 25.15 '#f7f7f7ff'
    pixel change-poverty-index 25.25 '#f7f7f7ff'
    pixel change-poverty-index 25.35 '#67a9cfff'
    pixel change-poverty-index 25.45 '#2166acff'
    # Small multiples on one set of breaks (quantiles of both periods'
    # ten scores): B (57.86) and C (23.15) keep their colour from 2011 to
    # 2015, and in 2015 E (0) shares C's class, which 2015's own quintiles
    # would not give (four distinct scores, four classes).
    pixel poverty-index-2011 25.15 '#fd8d3cff'
    pixel poverty-index-2015 25.15 '#fd8d3cff'
    pixel poverty-index-2011 25.25 '#ffffb2ff'
    pixel poverty-index-2015 25.25 '#ffffb2ff'
    pixel poverty-index-2015 25.45 '#ffffb2ff'
    "$PY" - "$out" <<'PYEOF' || fail "maps.json or TileJSON lacks the periods"
import json, sys
out = sys.argv[1]
doc = json.load(open(out + "/maps.json"))
assert doc["periods"] == [{"label": "2011", "year": 2011},
                          {"label": "2015", "year": 2015}], doc["periods"]
maps = {m["name"]: m for m in doc["maps"]}
c = maps["change-gap-total"]["change"]
assert c == {"from": "2011", "to": "2015", "figure": "gap_total",
             "years": 4}, c
assert maps["gap-total-2011"]["period"]["label"] == "2011"
assert maps["poverty-index-2015"]["period"]["figure"] == "poverty_index"
labels = [i["label"] for i in maps["change-gap-total"]["legend"]]
assert len(labels) == 7 and labels[3] == "-11 – 11", labels
tj = json.load(open(out + "/tiles/change-gap-total/tilejson.json"))
assert tj["periods"] == doc["periods"], tj.get("periods")
assert tj["change"] == c, tj.get("change")
# The MBTiles file's json row carries them too (mapgen serve's TileJSON).
import os, sqlite3
mbt = out + "/change-gap-total.mbtiles"
if os.path.exists(mbt):
    row = sqlite3.connect(mbt).execute(
        "SELECT value FROM metadata WHERE name = 'json'").fetchone()
    j = json.loads(row[0])
    assert j["periods"] == doc["periods"], j.get("periods")
    assert j["change"] == c, j.get("change")
else:
    sys.exit("no " + mbt)
PYEOF
    ;;
three)
    cp -R "$src" "$T/p"
    # 2013 as 2011 (its inputs), so 2013 -> 2015 is 2011 -> 2015 in 2 years.
    "$PY" - "$src/periods.json" "$T/p/periods.json" "$FIXTURES" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
mid = dict(d["periods"]["list"][0], label="2013", year=2013)
d["periods"]["list"].insert(1, mid)
text = json.dumps(d).replace('"../poverty/', '"%s/poverty/' % sys.argv[3])
open(sys.argv[2], "w").write(text)
PYEOF
    run run "$T/p/periods.json" -o "$out" --force -q --no-tiles
    expect_rc 0
    # 2011 -> 2013: nothing moved.  2013 -> 2015: 100 -> 121 in 2 years,
    # 10.5 a year, (1.21^(1/2) - 1) x 100 = 10 % a year.  2011 -> 2015 as
    # in the figures case.
    expect_change 2011 2013 cell A need_consultation 100 100 0 0 0 0 unchanged
    expect_change 2013 2015 cell A need_consultation 100 121 21 21 10.5 10 \
        deteriorated
    expect_change 2011 2015 cell A need_consultation 100 121 21 21 5.25 \
        "(1.1**0.5-1)*100" deteriorated
    # The fields of the regions are first -> last.
    expect_row "$out/chg.gpkg" regions "code = 'A'" chg_gap_total_abs=78 \
        chg_gap_total_abs_pa=19.5 per_2013_gap_total=305
    ;;
bad)
    cp -R "$src" "$T/p"
    sed 's/"label": "2015", "date": "2015-01-01"/"label": "2015", "year": 2010/' \
        "$src/periods.json" >"$T/p/periods.json"
    run run "$T/p/periods.json" -o "$out" --force
    expect_rc 3
    expect_err "field 'periods.list[1]'" "periods must be in time order"
    expect_no_outputs "$out"
    sed 's/"label": "2015", "date": "2015-01-01"/"label": "2015", "date": "2015-01-01", "model": {}/' \
        "$src/periods.json" >"$T/p/periods.json"
    run run "$T/p/periods.json" -o "$out" --force
    expect_rc 3
    expect_err "periods.list[1].model"
    sed 's/"recipients": {"path": "recipients-2011.csv"}/"recipients": {"path": "recipients-2011.csv", "codes": "x"}/' \
        "$src/periods.json" >"$T/p/periods.json"
    run run "$T/p/periods.json" -o "$out" --force
    expect_rc 3
    expect_err "in period '2011' (periods.list[0])" "recipients.codes"
    expect_no_outputs "$out"
    ;;
*)
    fail "unknown case '$case'"
    ;;
esac
