#!/bin/sh
# The bundled Romanian sample: `mapgen run` without a project file.
set -eu
. "$(dirname "$0")/lib.sh"

out=$T/out
# Maps are checked in tiles.sh; here the vectors and reports.
run run -o "$out" --force --no-tiles
expect_rc 0
gpkg=$out/romania.gpkg
ranking=$out/reports/ranking.csv
report=$out/reports/join-report.csv

# Feature counts of the sample's data (geodata/sample/README.md).
expect_eq "regions" "$(count "$gpkg" regions)" 3186
expect_eq "regions_county" "$(count "$gpkg" regions_county)" 42
expect_eq "providers" "$(count "$gpkg" providers)" 2186
expect_eq "layers" "$(sql "$gpkg" "SELECT group_concat(table_name, ',') FROM
    (SELECT table_name FROM gpkg_contents ORDER BY table_name)")" \
    "change,layer_styles,period_2011_regions,period_2011_regions_county,period_2015_regions,period_2015_regions_county,providers,regions,regions_county,sites"
# The sample's two periods (docs/change.md): each holds every UAT.
expect_eq "period_2011_regions" "$(count "$gpkg" period_2011_regions)" 3186

"$PY" /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py \
    "$gpkg" || fail "validate_gpkg.py rejects $gpkg"

# The recipient counts are synthetic and the file says so.
sql "$gpkg" "SELECT metadata FROM gpkg_metadata" | grep -q SYNTHETIC ||
    fail "no SYNTHETIC label in the GeoPackage metadata"

# Ranking: for each level, the total and each category rank every region:
# levels x (categories + 1) x regions.  The need_* columns (without the
# per10k ones) are one per category plus the total.
blocks=$(sql "$gpkg" "SELECT count(*) FROM pragma_table_info('regions')
    WHERE name LIKE 'need\_%' ESCAPE '\' AND name NOT LIKE 'need\_per10k\_%' ESCAPE '\'")
expect_eq "categories + 1" "$blocks" 5
expect_eq "ranking rows" "$(($(wc -l <"$ranking") - 1))" $((blocks * (3186 + 42)))
expect_eq "ranking header" "$(head -n 1 "$ranking")" \
    "level,category,rank,code,name,parent_code,parent_name,population,need,supply,gap,coverage,gap_per10k"
# Each (level, category) block holds each region once and starts at rank 1.
"$PY" - "$ranking" <<'PYEOF' || fail "ranking blocks are wrong"
import csv, sys, collections
blocks = collections.OrderedDict()
for r in csv.DictReader(open(sys.argv[1], newline="")):
    blocks.setdefault((r["level"], r["category"]), []).append(r)
cats = ["total", "consultation", "economic_aid", "rehabilitation", "promotion"]
assert list(blocks) == [(l, c) for l in ("uat", "county") for c in cats], list(blocks)
for (level, cat), rows in blocks.items():
    assert len(rows) == {"uat": 3186, "county": 42}[level], (level, cat)
    assert len({r["code"] for r in rows}) == len(rows), (level, cat)
    assert rows[0]["rank"] == "1", (level, cat)
    gaps = [float(r["gap"]) for r in rows]
    assert gaps == sorted(gaps, reverse=True), (level, cat)
PYEOF

# The join report names the sample's known defects.
for problem in "point lies outside every region" \
    "capacity written as free text" \
    "the point lies in another parent region than the record names" \
    "invalid geometry"; do
    n=$(report_rows "$report" "$problem")
    [ "$n" -gt 0 ] || fail "join report has no row '$problem'"
done
expect_err "geometries repaired"
expect_eq "repaired geometries" "$(report_rows "$report" "invalid geometry")" \
    "$(sed -n 's/.* \([0-9]*\) geometries repaired.*/\1/p' "$T/stderr")"
echo "ok"
