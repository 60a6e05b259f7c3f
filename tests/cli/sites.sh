#!/bin/sh
# The recommended sites on the maps (sites.sh CASE), read back from the
# needs tiles pixel by pixel (tests/cli/site_pixels.py):
#   drawn        `mapgen run` on tests/fixtures/access/matrix.json (siting:
#                2 consultation sites by each of maximal covering and
#                p-median): every row of the layer sites is a dot of the
#                shipped needs style's colour, radius and dark edge at
#                zooms 9 and 10, nowhere else; "Recommended site" in the
#                legend (maps.json, TileJSON, legend PNG)
#   no_siting    the clean fixture, no siting: the needs map as before,
#                no dot, no legend entry
#   by_method    a style colouring the sites by "method": each row its
#                method's colour, the later row on top where two coincide
#   style_field  a sites layer coloured by a field sites do not have: exit
#                3 naming the style file and key, even without siting
#   style_layer  a points layer of neither providers nor sites: exit 3
set -eu
. "$(dirname "$0")/lib.sh"

case=${1:?usage: sites.sh CASE}
acc=$FIXTURES/access
needs=$FIXTURES/../../styles/needs.json
pixels="$PY $(dirname "$0")/site_pixels.py"
out=$T/out

# style_value STYLE KEY: KEY ("fill", "radius", "outline.width", ...) of
# the style's layer that draws "sites"; fails when there is none.
style_value() {
    "$PY" - "$@" <<'EOF' || fail "$1: no layer draws \"sites\""
import json, sys
layers = [l for l in json.load(open(sys.argv[1]))["layers"]
          if l.get("layer") == "sites"]
v = layers[0]
for k in sys.argv[2].split("."):
    v = v[k]
print(v)
EOF
}

# project SRC STYLE: SRC (a project file) with its input paths made
# absolute and one map, "sitemap", drawn with STYLE; written to $T/p.json.
project() {
    "$PY" - "$1" "$2" "$T/p.json" <<'EOF'
import json, os, sys
src, style, dst = sys.argv[1:4]
p = json.load(open(src))
base = os.path.dirname(os.path.abspath(src))
def absolute(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "path" and isinstance(v, str):
                o[k] = os.path.join(base, v)
            else:
                absolute(v)
    elif isinstance(o, list):
        for v in o:
            absolute(v)
absolute(p)
p["maps"] = [{"name": "sitemap", "style": style}]
json.dump(p, open(dst, "w"), indent=1)
EOF
}

# legend_has MAPS_JSON MAP LABEL COLOUR: 1 when MAP's legend in maps.json
# has a dot LABEL of COLOUR, else 0.
legend_has() {
    "$PY" - "$@" <<'EOF'
import json, sys
doc, name, label, colour = sys.argv[1:5]
m = [m for m in json.load(open(doc))["maps"] if m["name"] == name][0]
print(int(any((i["label"], i["color"], i["shape"]) == (label, colour, "dot")
              for i in m["legend"])))
EOF
}

case $case in
drawn)
    run run "$acc/matrix.json" -o "$out" -z 9-10 --maps needs -q
    expect_rc 0
    gpkg=$out/access.gpkg
    fill=$(style_value "$needs" fill)
    radius=$(style_value "$needs" radius)
    width=$(style_value "$needs" outline.width)
    expect_eq "sites" "$(count "$gpkg" sites)" 4
    # The first site: mclp rank 1, candidate 008 at 25.15 45.15.
    $pixels sites "$gpkg" "$out/tiles/needs" 10 "$fill" "$radius" "$width" \
        "fid = (SELECT min(fid) FROM sites)" ||
        fail "the first site is not drawn on tiles/needs/10"
    # Every row, at both zooms (008 is both methods' choice: one place).
    for z in 9 10; do
        $pixels sites "$gpkg" "$out/tiles/needs" "$z" "$fill" "$radius" \
            "$width" || fail "a site is not drawn on tiles/needs/$z"
    done
    # Well away from every site: the centre of 012 (no site; 13 km or
    # more from each) has its region's colour.
    at=$($pixels at "$out/tiles/needs" 10 25.25 45.05)
    [ "$at" != "${fill}ff" ] || fail "012's centre has the sites' colour"
    [ "$at" = "$($pixels at "$out/tiles/needs" 10 25.22 45.02)" ] ||
        fail "012's centre differs from the rest of 012"
    # The legend: maps.json, the TileJSON and the PNG.
    expect_eq "maps.json legend" \
        "$(legend_has "$out/maps.json" needs "Recommended site" "$fill")" 1
    grep -q '"label": "Recommended site"' "$out/tiles/needs/tilejson.json" ||
        fail "the TileJSON legend lacks \"Recommended site\""
    n=$($pixels count "$fill" "$out/legends/needs.png")
    [ "$n" -gt 10 ] || fail "legends/needs.png has no dot of $fill ($n px)"
    # The base map has no sites layer: no dot there.
    expect_eq "site-coloured pixels of the base" \
        "$($pixels count "$fill" "$out/tiles/base")" 0
    ;;
no_siting)
    run run "$FIXTURES/clean/clean.json" -o "$out" -z 9-10 --maps needs
    expect_rc 0
    fill=$(style_value "$needs" fill)
    [ -n "$(find "$out/tiles/needs/10" -name '*.png')" ] ||
        fail "no needs tiles at zoom 10"
    expect_eq "sites layers" "$(sql "$out/clean.gpkg" "SELECT count(*) FROM
        gpkg_contents WHERE table_name = 'sites'")" 0
    expect_eq "site-coloured pixels" \
        "$($pixels count "$fill" "$out/tiles/needs" "$out/legends/needs.png")" 0
    expect_eq "maps.json legend" \
        "$(legend_has "$out/maps.json" needs "Recommended site" "$fill")" 0
    if grep -q "Recommended site" "$out/tiles/needs/tilejson.json"; then
        fail "the TileJSON legend has \"Recommended site\" without sites"
    fi
    [ ! -e "$out/reports/sites.csv" ] || fail "sites.csv without siting"
    ;;
by_method)
    cat >"$T/by-method.json" <<'EOF'
{
  "title": "Sites by method",
  "layers": [
    {"type": "polygons", "layer": "regions", "fill": "#eeeeee"},
    {"type": "points", "layer": "sites", "field": "method",
     "colors": {"mclp": "#e41a1c", "pmedian": "#4daf4a"}, "radius": 4,
     "outline": {"color": "#000000", "width": 1.5},
     "legend_title": "Recommended sites"}
  ]
}
EOF
    project "$acc/matrix.json" "$T/by-method.json"
    run run "$T/p.json" -o "$out" -z 10 -q
    expect_rc 0
    gpkg=$out/access.gpkg
    tiles=$out/tiles/sitemap
    # mclp: 008 (under p-median's 008, drawn after it) and 010; p-median:
    # 007 and 008.
    $pixels sites "$gpkg" "$tiles" 10 "#e41a1c" 4 1.5 \
        "method = 'mclp' AND candidate <> '008'" ||
        fail "the mclp site is not red"
    $pixels sites "$gpkg" "$tiles" 10 "#4daf4a" 4 1.5 "method = 'pmedian'" ||
        fail "the p-median sites are not green"
    expect_eq "mclp in the legend" \
        "$(legend_has "$out/maps.json" sitemap mclp "#e41a1c")" 1
    expect_eq "pmedian in the legend" \
        "$(legend_has "$out/maps.json" sitemap pmedian "#4daf4a")" 1
    ;;
style_field|style_layer)
    # The clean fixture, which has no siting: the style is wrong anyway.
    if [ "$case" = style_field ]; then
        layer='"layer": "sites", "field": "capacity"'
        want="field 'layers[1].field': sites are coloured by \"category\" or \"method\" (got 'capacity')"
    else
        layer='"layer": "depots"'
        want="field 'layers[1].layer': a points layer draws \"providers\" or \"sites\" (got 'depots')"
    fi
    cat >"$T/bad.json" <<EOF
{"layers": [{"type": "polygons", "layer": "regions", "fill": "#eeeeee"},
            {"type": "points", $layer}]}
EOF
    project "$FIXTURES/clean/clean.json" "$T/bad.json"
    run run "$T/p.json" -o "$out" -z 10
    expect_rc 3
    expect_err "mapgen: error: $T/bad.json: $want"
    expect_no_outputs "$out"
    ;;
*)
    fail "unknown case '$case'"
    ;;
esac
echo "ok ($case)"
