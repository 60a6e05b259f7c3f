#!/bin/sh
# The dirty fixture (tests/fixtures/tiny): every defect it holds is one row
# of the join report, the run still succeeds, and the figures show what the
# report says was done.  Rows are GeoJSON feature ids and CSV data rows
# (1 = the first row after the header).
set -eu
. "$(dirname "$0")/lib.sh"

out=$T/out
run run "$FIXTURES/tiny/tiny.json" -o "$out" --force
expect_rc 0
gpkg=$out/tiny.gpkg
r=$out/reports/join-report.csv

# Boundaries (communes.geojson).
expect_report "$r" communes.geojson 3 geometry "invalid geometry" \
    "Self-intersection[25.25 45.15]"        # 009 is a bow-tie
expect_report "$r" communes.geojson 6 code "duplicate region code" " 11"
expect_report "$r" communes.geojson 5 code \
    "region has no row in the recipient table" "011"
# Recipients (recipients.csv).
expect_report "$r" recipients.csv 2 self_dilemma "blank count"
expect_report "$r" recipients.csv 3 family_poverty "count is not a number" abc
expect_report "$r" recipients.csv 4 self_dilemma "negative count" -5
expect_report "$r" recipients.csv 5 code \
    "no region with this code in the boundaries" 99
expect_report "$r" recipients.csv 6 code \
    "duplicate code in the recipient table" 7
# Providers (providers.csv).
expect_report "$r" providers.csv 2 capacity "capacity written as free text" \
    "25 /zi"
expect_report "$r" providers.csv 3 capacity "blank capacity"
expect_report "$r" providers.csv 4 capacity "negative capacity" -10
expect_report "$r" providers.csv 6 lon "point lies outside every region"
expect_report "$r" providers.csv 7 county \
    "the point lies in another parent region than the record names"
expect_report "$r" providers.csv 8 category "category not in the model" \
    daycare
# "abc" is one of the 6 values of family_poverty (17 % > 3 %): the column
# gets its summary row too (docs/project-file.md, number formats).
expect_report "$r" recipients.csv "" family_poverty \
    "column partly unreadable as numbers" \
    '1 of 6 values (16.7 %) with "number_format": "plain"'
# Those 15 and nothing else: "NORDIA" for Nordia, "008" for 8 and "007"
# for 7 are the same after normalisation and are not reported.
expect_eq "join report rows" "$(report_rows "$r")" 15

# What the actions did.
expect_eq "regions" "$(count "$gpkg" regions)" 5     # " 11" merged into 011
expect_eq "regions_county" "$(count "$gpkg" regions_county)" 2
expect_eq "providers" "$(count "$gpkg" providers)" 9  # none dropped
# 009: repaired into two triangles, half of the 0.1-degree cell
# (87.397252727 km2 / 2); its one provider lies in the right triangle.
expect_row "$gpkg" regions "code = '009'" area_km2=43.698626364~0.001 \
    family_poverty=NULL population=500 supply_consultation=15 \
    "need_total=10 * 3.5 + 5 * 3.0"
# 011 and its second piece: one region with both cells' area, no recipients.
expect_row "$gpkg" regions "code = '011'" area_km2=175.096809162~0.002 \
    has_recipients=0 population=NULL need_total=0 supply_consultation=7 \
    providers_total=1
# 007: the first recipient row counts, the duplicate is ignored; the free
# text capacity "25 /zi" counts 25.
expect_row "$gpkg" regions "code = '007'" population=2000 family_poverty=120 \
    supply_consultation=50 supply_economic_aid=25 need_total=590
# 008: blank count NULL (counted 0); blank and negative capacity count 0.
expect_row "$gpkg" regions "code = '008'" self_dilemma=NULL \
    "need_total=60 * 3.0 + 20 * 3.0" supply_total=0 providers_total=2
# 010: negative count NULL; the provider whose record names another county
# counts where its point lies.
expect_row "$gpkg" regions "code = '010'" self_dilemma=NULL \
    supply_economic_aid=20
expect_row "$gpkg" providers "source_fid = 6" region_code=NULL \
    placement="'none'"
expect_row "$gpkg" providers "source_fid = 8" category=NULL \
    region_code="'011'"
# The parent gap is the sum of the children's gaps: every commune's gap_total.
expect_eq "Nordia gap" "$(sql "$gpkg" "SELECT gap_total FROM regions_county
    WHERE code = '1'")" "$(sql "$gpkg" "SELECT sum(gap_total) FROM regions
    WHERE parent_code = '01'")"

# The polygons are validated on every core once a level is read (geodata/
# input/read.c); their rows still come in feature order, each after its
# feature's other rows: 200 squares, every 7th value not a number, every
# 10th a bow-tie, and the 70th both.
"$PY" - "$T/many.geojson" <<'EOF'
import json, sys
feats = []
for i in range(1, 201):
    x, y = 20 + (i % 20) * 0.1, 44 + (i // 20) * 0.1
    ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]
    if i % 10 == 0:  # a bow-tie
        ring = [[x, y], [x + 0.1, y + 0.1], [x + 0.1, y], [x, y + 0.1], [x, y]]
    feats.append({"type": "Feature", "id": i,
                  "properties": {"code": "%03d" % i,
                                 "value": "abc" if i % 7 == 0 else str(i)},
                  "geometry": {"type": "Polygon", "coordinates": [ring]}})
json.dump({"type": "FeatureCollection", "features": feats},
          open(sys.argv[1], "w"))
EOF
cat >"$T/many.json" <<'EOF'
{"name": "many", "boundaries": {"path": "many.geojson", "code_field": "code",
 "fields": ["value"]}}
EOF
run run "$T/many.json" -o "$T/many-out" --force --no-tiles
expect_rc 0
"$PY" - "$T/many-out/reports/join-report.csv" <<'EOF' ||
import csv, sys
rows = [(int(r["row"]), r["field"]) for r in csv.DictReader(open(sys.argv[1]))
        if r["file"].endswith("many.geojson") and r["row"]]
want = []
for i in range(1, 201):
    if i % 7 == 0:
        want.append((i, "value"))
    if i % 10 == 0:
        want.append((i, "geometry"))
assert rows == want, (rows[:6], want[:6])
EOF
    fail "the rows of many.geojson are not in feature order"
echo "ok"
