# Bug: a region given twice (an exact duplicate feature) was merged with
# the sum of both features' areas instead of the area of their union.
# An exact duplicate of commune 007 is merged into it; the area must be
# that of the union (one 0.1 x 0.1 degree cell, 87.397252727 km², see
# clean.sh), not the sum of the two features' areas.  The same holds
# for the parent level dissolved from its children.
"$PY" -c "
import json, sys
d = json.load(open('$C/communes.geojson'))
f = dict(d['features'][0]); f['id'] = 99
d['features'].append(f)
json.dump(d, open('$T/dup.geojson', 'w'))"
cat >"$T/p.json" <<JSON
{"name": "p",
 "boundaries": {"path": "dup.geojson", "code_field": "code",
            "parent_code_field": "county"},
 "providers": {"path": "$C/providers.csv", "lon_field": "lon",
           "lat_field": "lat", "category_field": "category"},
 "recipients": {"path": "$C/recipients.csv", "code_field": "code"}}
JSON
run run -q "$T/p.json" -o "$T/out"
expect_rc 0
expect_report "$T/out/reports/join-report.csv" dup.geojson 99 code \
    "duplicate region code"
expect_row "$T/out/p.gpkg" regions "code = '007'" \
    "area_km2=87.397252727~0.001"
# County 01 = communes 007, 008, 009: three cells.
expect_row "$T/out/p.gpkg" regions_parent "code = '01'" \
    "area_km2=262.191758182~0.003"
