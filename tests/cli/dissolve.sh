#!/bin/sh
# The sample's county level is the union of its UATs (no "path"; names from
# the UATs' "county", parent_name_field), so county borders run on the UAT
# borders: a pixel test at zoom 10 on a stretch of the Cluj-Alba border.
# Two maps of the sample (tests/cli/dissolve/*.json): the UAT outlines and
# the county outlines, 1 px each.  Every pixel of a county line (alpha >=
# 128) must be a pixel of a UAT line (alpha >= 64) too.  With the county
# file of the earlier sample (react-romania's own county polygons), 1,304
# of 1,326 county-line pixels lay 1 px or more off the UAT lines, most
# over 5 px: the slivers.
#   pixels      the test above, and the county names in the GeoPackage
#   bad_field   parent_name_field naming a field the file lacks: exit 4
set -eu
. "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
sample=$here/../../geodata/sample
case "$1" in
pixels)
    # The sample's project with absolute paths and the two maps only.
    "$PY" - "$sample" "$here/dissolve" "$T/project.json" <<'PYEOF'
import json, sys
src, styles, out = sys.argv[1:4]
p = json.load(open(src + "/romania.json"))
for l in p["boundaries"]:
    if "path" in l:
        l["path"] = src + "/" + l["path"]
assert "path" not in p["boundaries"][1], "the county level has a file"
for k in ("providers", "recipients"):
    p[k]["path"] = src + "/" + p[k]["path"]
for k in ("poverty", "access", "siting", "periods"):
    p.pop(k, None)
p["maps"] = [{"name": "uatlines", "style": styles + "/uat-lines.json"},
             {"name": "countylines", "style": styles + "/county-lines.json"}]
json.dump(p, open(out, "w"))
PYEOF
    run run "$T/project.json" -o "$T/out" --force -q -z 10-10 \
        --bbox 23.4,46.3,23.9,46.6 --stores dir
    expect_rc 0
    "$PY" - "$T/out" <<'PYEOF' || fail "county lines off the UAT lines"
import glob, sys
from PIL import Image
out = sys.argv[1]
county = total = off = 0
for cp in sorted(glob.glob(out + "/tiles/countylines/10/*/*.png")):
    c = Image.open(cp).convert("RGBA")
    u = Image.open(cp.replace("countylines", "uatlines")).convert("RGBA")
    for y in range(c.size[1]):
        for x in range(c.size[0]):
            if c.getpixel((x, y))[3] < 128:
                continue
            county += 1
            if u.getpixel((x, y))[3] < 64:
                off += 1
                print("county line off the UAT lines: %s %d,%d" % (cp, x, y))
assert county > 300, "only %d county-line pixels in the box" % county
assert off == 0, "%d of %d county-line pixels off the UAT lines" % (off, county)
PYEOF
    expect_eq "county names" "$(sql "$T/out/romania.gpkg" "SELECT group_concat(
        code || '=' || name, ' ') FROM (SELECT code, name FROM regions_county
        WHERE code IN ('AB', 'CJ', 'SM', 'B') ORDER BY code)")" \
        "AB=Alba B=București CJ=Cluj SM=Satu Mare"
    expect_eq "counties" "$(count "$T/out/romania.gpkg" regions_county)" 42
    ;;
bad_field)
    src=$FIXTURES/clean
    mkdir -p "$T/p"
    cp "$src"/*.geojson "$src"/*.csv "$T/p/"
    "$PY" - "$src/clean.json" "$T/p/clean.json" <<'PYEOF'
import json, sys
p = json.load(open(sys.argv[1]))
p["boundaries"][0]["parent_name_field"] = "county_nme"
del p["boundaries"][1]["path"]
json.dump(p, open(sys.argv[2], "w"))
PYEOF
    run run "$T/p/clean.json" -o "$T/out" --force --no-tiles
    expect_rc 4
    expect_err "communes.geojson" "field 'parent_name_field'" \
        "no field 'county_nme'"
    ;;
*)
    fail "unknown case $1"
    ;;
esac
echo "ok"
