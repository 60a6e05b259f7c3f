#!/bin/sh
# The clean fixture (tests/fixtures/clean) in one input format:
#   geojson    the fixture as committed (GeoJSON + CSV, EPSG:4326)
#   shapefile  every input converted to Shapefile/DBF (field names cut to
#              10 characters, so the project maps the group columns)
#   gpkg       every input a layer of one GeoPackage
#   projected  communes in EPSG:3844 (Stereo 70) GeoJSON, counties in
#              EPSG:3857 Shapefile without .prj ("crs" in the project),
#              providers as X/Y columns in EPSG:3844 ("crs" in the project)
# Each must give the figures worked out by hand below, the same feature
# counts, the committed ranking and an empty join report.
set -eu
. "$(dirname "$0")/lib.sh"

format=${1:?usage: clean.sh geojson|shapefile|gpkg|projected}
src=$FIXTURES/clean
in=$T/in
mkdir -p "$in"

case $format in
geojson)
    project=$src/clean.json
    ;;
shapefile)
    ogr2ogr "$in/communes.shp" "$src/communes.geojson"
    ogr2ogr "$in/counties.shp" "$src/counties.geojson"
    ogr2ogr -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 \
        "$in/providers.shp" "$src/providers.csv"
    ogr2ogr -f "ESRI Shapefile" "$in/recipients.dbf" "$src/recipients.csv"
    project=$in/clean.json
    cat >"$project" <<EOF
{
  "name": "clean",
  "boundaries": [
    {"level": "commune", "path": "communes.shp", "code_field": "code",
     "name_field": "name", "parent_code_field": "county"},
    {"level": "county", "path": "counties.shp", "code_field": "code",
     "name_field": "name"}
  ],
  "providers": {"path": "providers.shp", "name_field": "name",
    "category_field": "category", "capacity_field": "capacity",
    "parent_name_field": "county"},
  "recipients": {"path": "recipients.dbf", "code_field": "code",
    "population_field": "children",
    "group_fields": {"family_poverty": "family_pov",
      "self_dilemma": "self_dilem", "guardianship": "guardiansh"}}
}
EOF
    ;;
gpkg)
    g=$in/inputs.gpkg
    ogr2ogr "$g" "$src/communes.geojson" -nln communes
    ogr2ogr -update "$g" "$src/counties.geojson" -nln counties
    ogr2ogr -update "$g" "$src/providers.csv" -nln providers \
        -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326
    ogr2ogr -update "$g" "$src/recipients.csv" -nln recipients
    project=$in/clean.json
    cat >"$project" <<EOF
{
  "name": "clean",
  "boundaries": [
    {"level": "commune", "path": "inputs.gpkg", "layer": "communes",
     "code_field": "code", "name_field": "name", "parent_code_field": "county"},
    {"level": "county", "path": "inputs.gpkg", "layer": "counties",
     "code_field": "code", "name_field": "name"}
  ],
  "providers": {"path": "inputs.gpkg", "layer": "providers",
    "name_field": "name", "category_field": "category",
    "capacity_field": "capacity", "parent_name_field": "county"},
  "recipients": {"path": "inputs.gpkg", "layer": "recipients",
    "code_field": "code", "population_field": "children"}
}
EOF
    ;;
projected)
    ogr2ogr -f GeoJSON -lco RFC7946=NO -t_srs EPSG:3844 \
        "$in/communes_3844.geojson" "$src/communes.geojson"
    ogr2ogr -t_srs EPSG:3857 "$in/counties_3857.shp" "$src/counties.geojson"
    rm "$in/counties_3857.prj"
    ogr2ogr -f CSV -lco GEOMETRY=AS_XY -s_srs EPSG:4326 -t_srs EPSG:3844 \
        -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat \
        "$in/providers_3844.csv" "$src/providers.csv"
    project=$in/clean.json
    cat >"$project" <<EOF
{
  "name": "clean",
  "boundaries": [
    {"level": "commune", "path": "communes_3844.geojson", "code_field": "code",
     "name_field": "name", "parent_code_field": "county"},
    {"level": "county", "path": "counties_3857.shp", "crs": "EPSG:3857",
     "code_field": "code", "name_field": "name"}
  ],
  "providers": {"path": "providers_3844.csv", "crs": "EPSG:3844",
    "lon_field": "X", "lat_field": "Y", "name_field": "name",
    "category_field": "category", "capacity_field": "capacity",
    "parent_name_field": "county"},
  "recipients": {"path": "$src/recipients.csv", "code_field": "code",
    "population_field": "children"}
}
EOF
    ;;
*)
    fail "unknown format '$format'"
    ;;
esac

# Run from elsewhere: relative input paths resolve from the project file.
cd "$T"
out=$T/out
run run "$project" -o "$out" --force -q
expect_rc 0
gpkg=$out/clean.gpkg

expect_eq "regions" "$(count "$gpkg" regions)" 6
expect_eq "regions_county" "$(count "$gpkg" regions_county)" 2
expect_eq "providers" "$(count "$gpkg" providers)" 7
expect_eq "providers placed" "$(sql "$gpkg" "SELECT count(*) FROM providers
    WHERE placement = 'location' AND region_code IS NOT NULL")" 7
expect_eq "join report rows" "$(report_rows "$out/reports/join-report.csv")" 0
"$PY" /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py \
    "$gpkg" || fail "validate_gpkg.py rejects $gpkg"
# Every figure of every region and level, ranks and ties included; each
# line of this file was checked by hand against the figures below.
diff -u "$src/expected-ranking.csv" "$out/reports/ranking.csv" ||
    fail "ranking differs from tests/fixtures/clean/expected-ranking.csv"

# ---- Commune 007 "Alfa", worked out by hand --------------------------------
# Boundaries write the code "007", the recipient table 7: they match after
# normalisation.  Recipients: family_poverty 120, self_dilemma 40,
# guardianship 30, children (population) 2000.  Default model weights:
#
#                   consultation  economic_aid  rehabilitation  promotion
#   family_poverty      1.0           1.0            0.5           0.5
#   self_dilemma        1.0           1.0            1.0           0.5
#   guardianship        1.0           0.5            1.0           0.5
#
# need = sum over groups of count x weight:
#   consultation   120 + 40 + 30                   = 190
#   economic_aid   120 + 40 + 30 x 0.5             = 175
#   rehabilitation 120 x 0.5 + 40 + 30             = 130
#   promotion      (120 + 40 + 30) x 0.5           =  95
#   total                                          = 590
# supply = capacities of the providers inside 007 (providers.csv rows 1-4):
#   consultation 50 + 30 = 80 (2 providers), economic_aid 200 (1),
#   rehabilitation 30 (1), promotion 0 (0); total 310 (4 providers)
# gap = max(need - supply, 0):
#   consultation 110, economic_aid 0 (a surplus of 25), rehabilitation 100,
#   promotion 95; total = sum of the category gaps = 305
#   (not 590 - 310 = 280: surplus aid does not meet a need for counselling)
# coverage = supply / need: 80/190 = 0.42105..., 200/175 = 1.142857...,
#   30/130 = 0.230769..., 0/95 = 0, total 310/590 = 0.525423...
# per 10,000 of the population (x 10000 / 2000 = x 5):
#   need 950 875 650 475 | 2950; supply 400 1000 150 0 | 1550;
#   gap 550 0 500 475 | 1525
# area: a 0.1 x 0.1 degree cell, lon 25.0-25.1, lat 45.1-45.2.  EPSG:6933
#   is a cylindrical equal-area projection, so the area is exactly that of
#   the ellipsoidal quadrangle,
#     A = dlon x a^2 (1 - e^2) / 2 x [q(lat2) - q(lat1)],
#     q(p) = sin p / (1 - e^2 sin^2 p) + ln((1 + e sin p) / (1 - e sin p)) / (2e)
#   with WGS 84's a = 6378137 m, 1/f = 298.257223563: 87.397252727 km2.
#   Tolerance 0.001 km2 (1,000 m2): the converted variants move each vertex
#   by the round-trip error of PROJ (well under 1 cm); over this cell's
#   38 km perimeter 1 cm is 380 m2.  The GeoJSON run matches to 1e-9.
expect_row "$gpkg" regions "code = '007'" \
    name="'Alfa'" parent_code="'01'" area_km2=87.397252727~0.001 \
    has_recipients=1 population=2000 \
    family_poverty=120 self_dilemma=40 guardianship=30 \
    need_consultation=190 supply_consultation=80 gap_consultation=110 \
    coverage_consultation=80.0/190 providers_consultation=2 \
    need_per10k_consultation=950 supply_per10k_consultation=400 \
    gap_per10k_consultation=550 \
    need_economic_aid=175 supply_economic_aid=200 gap_economic_aid=0 \
    coverage_economic_aid=200.0/175 providers_economic_aid=1 \
    need_per10k_economic_aid=875 supply_per10k_economic_aid=1000 \
    gap_per10k_economic_aid=0 \
    need_rehabilitation=130 supply_rehabilitation=30 gap_rehabilitation=100 \
    coverage_rehabilitation=30.0/130 providers_rehabilitation=1 \
    need_per10k_rehabilitation=650 supply_per10k_rehabilitation=150 \
    gap_per10k_rehabilitation=500 \
    need_promotion=95 supply_promotion=0 gap_promotion=95 \
    coverage_promotion=0 providers_promotion=0 \
    need_per10k_promotion=475 supply_per10k_promotion=0 \
    gap_per10k_promotion=475 \
    need_total=590 supply_total=310 gap_total=305 \
    coverage_total=310.0/590 providers_total=4 \
    need_per10k_total=2950 supply_per10k_total=1550 gap_per10k_total=1525

# ---- County 1 "Nordia" = communes 007 + 008 + 009 --------------------------
# 008 "Bravo": groups 60/20/20, population 1000
#   need 100 90 70 50 | 310; supply: aid 40, promotion 80 | 120
#   gap 100 50 70 0 | 220   (promotion: a surplus of 30)
# 009 "Charlie": groups 0/10/0, population 500, no providers
#   need = gap 10 10 10 5 | 35
# Roll-up, sums of the children (counts, population, need, supply):
#   groups 180/70/50, population 3500
#   need   190+100+10 = 300, 175+90+10 = 275, 130+70+10 = 210,
#          95+50+5 = 150 | 935
#   supply 80, 200+40 = 240, 30, 80 | 430
#   gap = the sum of the children's gaps (a surplus in one commune does not
#   serve another): 110+100+10 = 220, 0+50+10 = 60 (not 275-240 = 35),
#   100+70+10 = 180, 95+0+5 = 100 (not 150-80 = 70) | 560 (not 935-430)
#   coverage 80/300, 240/275, 30/210, 80/150 | 430/935
#   providers 2 2 1 1 | 6
#   per 10,000 (x 10000 / 3500): gap_total 560 x 10000 / 3500 = 1600
# area: the county's own polygon, lon 25.0-25.3, lat 45.1-45.2, by the
#   formula above: 262.191758182 km2.
expect_row "$gpkg" regions_county "code = '1'" \
    name="'Nordia'" parent_code=NULL area_km2=262.191758182~0.003 \
    has_recipients=1 population=3500 \
    family_poverty=180 self_dilemma=70 guardianship=50 \
    need_consultation=300 supply_consultation=80 gap_consultation=220 \
    coverage_consultation=80.0/300 providers_consultation=2 \
    need_per10k_consultation=300e4/3500 supply_per10k_consultation=80e4/3500 \
    gap_per10k_consultation=220e4/3500 \
    need_economic_aid=275 supply_economic_aid=240 gap_economic_aid=60 \
    coverage_economic_aid=240.0/275 providers_economic_aid=2 \
    gap_per10k_economic_aid=60e4/3500 \
    need_rehabilitation=210 supply_rehabilitation=30 gap_rehabilitation=180 \
    coverage_rehabilitation=30.0/210 providers_rehabilitation=1 \
    need_promotion=150 supply_promotion=80 gap_promotion=100 \
    coverage_promotion=80.0/150 providers_promotion=1 \
    need_total=935 supply_total=430 gap_total=560 \
    coverage_total=430.0/935 providers_total=6 \
    need_per10k_total=935e4/3500 supply_per10k_total=430e4/3500 \
    gap_per10k_total=1600

# Commune 012 "Foxtrot": no one in need, one provider: coverage is NULL
# (need 0), the gap 0, the rates 0 (population 250).
expect_row "$gpkg" regions "code = '012'" \
    need_total=0 supply_total=5 gap_total=0 coverage_total=NULL \
    coverage_consultation=NULL gap_per10k_total=0 supply_per10k_total=200
echo "ok ($format)"
