#!/bin/sh
# The maps of `mapgen run`: golden tiles, thread-count independence,
# --force and --resume after a killed run, style file errors, progress and
# the summary, the sample's maps.  usage: tiles.sh CASE
set -eu
. "$(dirname "$0")/lib.sh"

case=${1:?usage: tiles.sh CASE}
golden=$FIXTURES/../golden
compare="$PY $golden/compare.py"
out=$T/out

# dump_tiles DB TABLE: every tile of an MBTiles (or GeoPackage tile table)
# as "z x y md5", sorted.
dump_tiles() {
    if [ "$2" = tiles ]; then
        sql "$1" "SELECT zoom_level, tile_column, tile_row, hex(tile_data)
                  FROM tiles ORDER BY 1, 2, 3"
    else
        sql "$1" "SELECT zoom_level, tile_column, tile_row, hex(tile_data)
                  FROM \"$2\" ORDER BY 1, 2, 3"
    fi | md5sum | cut -d' ' -f1
}

# same_stores A B NAME MAP...: the two output folders hold the same tiles
# (directory trees byte for byte, MBTiles and GeoPackage tile tables row
# for row), legends and maps.json.
same_stores() {
    a=$1 b=$2 name=$3
    shift 3
    for map in "$@"; do
        diff -r "$a/tiles/$map" "$b/tiles/$map" >/dev/null ||
            fail "tiles/$map differs between $a and $b"
        expect_eq "$map.mbtiles" "$(dump_tiles "$a/$map.mbtiles" tiles)" \
            "$(dump_tiles "$b/$map.mbtiles" tiles)"
        expect_eq "$name.gpkg $map" "$(dump_tiles "$a/$name.gpkg" "$map")" \
            "$(dump_tiles "$b/$name.gpkg" "$map")"
        cmp -s "$a/legends/$map.png" "$b/legends/$map.png" ||
            fail "legends/$map.png differs"
    done
    cmp -s "$a/maps.json" "$b/maps.json" || fail "maps.json differs"
}

case $case in
json_512)
    # The golden tiles are tests/golden (ctest -R golden); here what
    # maps.json says of @2x tiles.
    run run "$golden/clean/project.json" -o "$out" -z 8-9 -q --tile-size 512
    expect_rc 0
    grep -q '"tile_size": 512' "$out/maps.json" || fail "maps.json: tile_size"
    grep -q '{y}@2x.png' "$out/maps.json" || fail "maps.json: @2x URL"
    ;;
threads)
    # -j 1 and -j 2 write the same bytes into every store.
    for j in 1 2 3; do
        run run "$golden/clean/project.json" -o "$out-$j" -z 5-12 -j "$j" \
            -q --png-level 9
        expect_rc 0
    done
    same_stores "$out-1" "$out-2" golden choropleth dots
    same_stores "$out-1" "$out-3" golden choropleth dots
    ;;
resume)
    # A run killed (SIGKILL) once its first tiles are written leaves no
    # output under a final name; --resume finishes it, and the result is
    # that of an uninterrupted run.
    args="$golden/clean/project.json -z 6-15 -j 2 --progress=none"
    set +e
    "$MAPGEN" run $args -o "$out" --force 2>"$T/stderr" &
    pid=$!
    i=0
    # Killed once a whole tile is there (it ends in the IEND chunk): the
    # kill may also land between another tile's creation and its write.
    whole_tile() {
        for f in $(find "$out/tiles" -name '*.png' 2>/dev/null | sort); do
            [ "$(tail -c 12 "$f" | od -An -tx1 | tr -d ' \n')" = \
                0000000049454e44ae426082 ] && { echo "$f"; return; }
        done
    }
    while [ $i -lt 600 ]; do
        [ -n "$(whole_tile)" ] && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.05
        i=$((i + 1))
    done
    kill -KILL $pid 2>/dev/null
    wait $pid
    rc=$?
    set -e
    expect_eq "killed" "$rc" 137
    for f in golden.gpkg maps.json tiles/choropleth tiles/dots \
        choropleth.mbtiles dots.mbtiles legends/choropleth.png; do
        [ ! -e "$out/$f" ] || fail "$f is visible after the run was killed"
    done
    # A tile the killed run wrote into the directory store is kept as it
    # is (same inode) and not written again.  (The MBTiles stores commit in
    # batches of thousands of tiles, so they usually hold none of them yet
    # and get those tiles from the resumed run.)
    # (Only a whole one: the kill may land between a tile's creation and
    # its write, and that file is rightly written again.)
    kept=
    for f in $(cd "$out/tiles/.choropleth.partial" && find . -name '*.png' |
        sort); do
        end=$(tail -c 12 "$out/tiles/.choropleth.partial/$f" | od -An -tx1 |
            tr -d ' \n')
        if [ "$end" = 0000000049454e44ae426082 ]; then
            kept=$f
            break
        fi
    done
    [ -n "$kept" ] || fail "no whole partial tiles to resume"
    inode=$(stat -c %i "$out/tiles/.choropleth.partial/$kept")
    run run $args -o "$out" --resume
    expect_rc 0
    expect_eq "inode of $kept" "$(stat -c %i "$out/tiles/choropleth/$kept")" \
        "$inode"
    run run $args -o "$T/whole" --force
    expect_rc 0
    same_stores "$out" "$T/whole" golden choropleth dots
    [ -z "$(find "$out" -name '*.partial*')" ] || fail "partial stores left"
    [ -z "$(find "$out" -name '.tmp-*')" ] ||
        fail "the killed run's temporary files are left"
    # A second --resume of a finished run changes nothing.
    run run $args -o "$out" --resume
    expect_rc 0
    same_stores "$out" "$T/whole" golden choropleth dots
    ;;
stores)
    # --stores picks the tile stores; the tiles are those of a run with all
    # three.  Without the tile folder there is no viewer page; the
    # GeoPackage table alone leaves no MBTiles file behind (not even the
    # intermediate it is copied from).
    args="$golden/clean/project.json -z 6-9 -q"
    run run $args -o "$T/all"
    expect_rc 0
    run run $args -o "$T/dir" --stores dir
    expect_rc 0
    diff -r "$T/all/tiles/choropleth" "$T/dir/tiles/choropleth" >/dev/null ||
        fail "--stores dir: tiles differ from a run with every store"
    [ -e "$T/dir/index.html" ] || fail "--stores dir: no viewer page"
    [ ! -e "$T/dir/choropleth.mbtiles" ] || fail "--stores dir: MBTiles written"
    expect_eq "--stores dir: tile tables in the GeoPackage" "$(sql "$T/dir/golden.gpkg" \
        "SELECT count(*) FROM gpkg_contents WHERE data_type = 'tiles'")" 0
    run run "$golden/clean/project.json" -z 6-9 -o "$T/gpkg" --stores gpkg
    expect_rc 0
    expect_err "no viewer page without the tile folders"
    expect_eq "--stores gpkg: choropleth table" \
        "$(dump_tiles "$T/gpkg/golden.gpkg" choropleth)" \
        "$(dump_tiles "$T/all/golden.gpkg" choropleth)"
    gdalinfo "GPKG:$T/gpkg/golden.gpkg:choropleth" >/dev/null ||
        fail "gdalinfo cannot open the tile table"
    for f in tiles index.html choropleth.mbtiles .choropleth.gpkg-tiles.mbtiles; do
        [ ! -e "$T/gpkg/$f" ] || fail "--stores gpkg: $f written"
    done
    run run $args -o "$T/mbt" --stores mbtiles,dir
    expect_rc 0
    expect_eq "--stores mbtiles,dir: choropleth.mbtiles" \
        "$(dump_tiles "$T/mbt/choropleth.mbtiles" tiles)" \
        "$(dump_tiles "$T/all/choropleth.mbtiles" tiles)"
    for bad in "" dir,foo dir,dir "dir mbtiles"; do
        run run $args -o "$T/bad" --stores "$bad"
        expect_rc 2
        expect_err "mapgen run: --stores '$bad': expected a list of dir, mbtiles and gpkg"
    done
    [ ! -e "$T/bad" ] || fail "a refused --stores wrote outputs"
    ;;
force)
    run run "$golden/clean/project.json" -o "$out" -z 6-8 -q
    expect_rc 0
    # The vector outputs gone, the maps still there: refused, named.
    rm -f "$out/golden.gpkg" "$out"/reports/*.csv
    run run "$golden/clean/project.json" -o "$out" -z 6-8 -q
    expect_rc 5
    expect_err "mapgen: error: $out/" "already exists; pass --force"
    [ ! -e "$out/golden.gpkg" ] || fail "outputs written after a refusal"
    run run "$golden/clean/project.json" -o "$out" -z 6-8 -q --force
    expect_rc 0
    ;;
map_name)
    # A map named after a layer of the GeoPackage: refused before any work,
    # the project file and the key named; the same for a regions_ prefix.
    mkdir -p "$T/p"
    for name in sites regions_county; do
        sed 's#"\.\./\.\./fixtures#"'"$FIXTURES"'#; s#"name": "dots"#"name": "'"$name"'"#' \
            "$golden/clean/project.json" >"$T/p/project.json"
        grep -q "\"$name\"" "$T/p/project.json" || fail "fixture not edited"
        cp "$golden/clean/dots.json" "$golden/clean/choropleth.json" "$T/p/"
        run run "$T/p/project.json" -o "$out" -z 6-8
        expect_rc 3
        expect_err "mapgen: error: $T/p/project.json: field 'maps[1].name': '$name' is taken"
        expect_no_outputs "$out"
    done
    ;;
style_*)
    # A style file with one error: exit 3, the file and key named, nothing
    # written.
    mkdir -p "$T/p"
    sed 's#"\.\./\.\./fixtures#"'"$FIXTURES"'#' "$golden/clean/project.json" \
        >"$T/p/project.json"
    cp "$golden/clean/dots.json" "$T/p/"
    src=$golden/clean/choropleth.json
    case $case in
    style_palette)
        sed 's/"YlOrRd"/"YlOrRdd"/' "$src" >"$T/p/choropleth.json"
        want="field 'layers[0].palette'" ;;
    style_field)
        sed 's/"gap_per10k_total"/"gap_per10k_totl"/' "$src" \
            >"$T/p/choropleth.json"
        want="field 'layers[0].field': no field 'gap_per10k_totl'" ;;
    style_classes)
        sed 's/"classes": 3/"classes": 0/' "$src" >"$T/p/choropleth.json"
        want="field 'layers[0].classification.classes'" ;;
    style_breaks)
        sed 's/"method": "jenks", "classes": 3/"method": "fixed", "breaks": [5, 1]/' \
            "$src" >"$T/p/choropleth.json"
        want="field 'layers[0].classification.breaks'" ;;
    style_key)
        sed 's/"no_data"/"nodata"/' "$src" >"$T/p/choropleth.json"
        want="field 'layers[0].nodata': unknown key 'nodata'" ;;
    style_json)
        sed 's/"legend": false/"legend": false,/' "$src" \
            >"$T/p/choropleth.json"
        want="line " ;;
    style_missing)
        want="cannot open: No such file" ;;
    *) fail "unknown case '$case'" ;;
    esac
    run run "$T/p/project.json" -o "$out" -z 6-8
    expect_rc 3
    expect_err "mapgen: error: $T/p/choropleth.json: " "$want"
    expect_no_outputs "$out"
    ;;
progress)
    # JSON progress lines; the summary per zoom matches what was written.
    run run "$golden/clean/project.json" -o "$out" -z 8-13 --progress=json
    expect_rc 0
    "$PY" - "$T/stderr" "$out" <<'PYEOF' || fail "progress/summary wrong"
import json, os, sqlite3, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
prog = [l for l in lines if "done" in l]
zooms = [l for l in lines if "zoom" in l and "written" in l]
totals = {l["map"]: l for l in lines if "zoom" not in l and "written" in l}
assert prog and zooms and set(totals) == {"choropleth", "dots"}, totals
for m, t in totals.items():
    assert prog[-1]["done"] == prog[-1]["total"]
    zs = [z for z in zooms if z["map"] == m]
    assert [z["zoom"] for z in zs] == list(range(8, 14))
    assert sum(z["written"] for z in zs) == t["written"]
    assert t["tiles"] == t["written"] + t["empty"]
    files = sum(len(f) for _, _, f in os.walk(os.path.join(sys.argv[2], "tiles", m))
                if True) - 1   # tilejson.json
    assert files == t["written"], (m, files, t)
    db = sqlite3.connect(os.path.join(sys.argv[2], m + ".mbtiles"))
    n, distinct = db.execute("SELECT count(*), count(DISTINCT tile_data) FROM tiles").fetchone()
    assert n == t["written"] and distinct == n - t["duplicates"], (m, n, distinct, t)
    assert t["duplicates"] > 0, t
PYEOF
    run run "$golden/clean/project.json" -o "$out" -z 8-9 --force \
        --progress=plain
    expect_rc 0
    expect_err "mapgen: choropleth: " " tiles, " " tiles/s, " " s left" \
        "zoom   tiles  written    empty  duplicate"
    run run "$golden/clean/project.json" -o "$out" -z 8-9 --force \
        --progress=none
    expect_rc 0
    if grep -q "tiles/s" "$T/stderr"; then fail "--progress=none printed"; fi
    for bad in "--zoom=9-8" "--zoom=31" "-j 0" "--bbox=1,2,3" \
        "--tile-size=300" "--png-level=10" "--progress=loud" "--maps=nope"; do
        run run "$golden/clean/project.json" -o "$out" --force $bad
        expect_rc 2
    done
    ;;
regions)
    # The viewer's per-region files of the sample (its 3,181 communes and
    # 42 counties, shared by the run's threads in chunks beside the maps)
    # have the same bytes for -j 1, 2 and 3, and each is what jansson
    # writes for its values (mapgen writes outlines and figures as text).
    for j in 1 2 3; do
        run run -o "$out-$j" --force -z 0-0 -j "$j" --stores dir \
            --progress=none
        expect_rc 0
    done
    same_tree "$out-1/regions" "$out-2/regions"
    same_tree "$out-1/regions" "$out-3/regions"
    "$PY" "$(dirname "$0")/regions_check.py" "$out-1/regions" ||
        fail "regions/ is not jansson's JSON"
    ;;
regions_interrupted)
    # SIGINT once the per-region work has begun (its stage line: beside
    # the maps and tiles with -j 2, after them with -j 1): exit 130, no output
    # under a final name and no temporary file left (only the hidden
    # partial tile stores that --resume continues).
    for j in 2 1; do
        o=$out-$j
        "$MAPGEN" run -o "$o" --force -z 0-3 -j "$j" --stores dir \
            --progress=plain 2>"$T/stderr" &
        pid=$!
        i=0
        until grep -q -E 'mapgen: regions( \(beside the maps\))?\.\.\.' "$T/stderr"; do
            kill -0 $pid 2>/dev/null || break
            [ $i -lt 1200 ] || fail "-j $j: no regions stage in 60 s"
            sleep 0.05
            i=$((i + 1))
        done
        kill -INT $pid 2>/dev/null || true
        set +e
        wait $pid
        RC=$?
        set -e
        no_sanitizer_report "mapgen run -j $j, SIGINT"
        expect_rc 130
        expect_err "mapgen: regions"
        left=$(find "$o" -type f ! -path '*/.*.partial/*')
        [ -z "$left" ] || fail "-j $j: files left: $left"
    done
    ;;
sample)
    # The bundled sample: services, needs and poverty (and its dimensions)
    # over the base, with legends and maps.json; its recommended sites
    # (it has "siting") on the needs map.
    run run -o "$out" --force -z 0-7 --progress=none
    expect_rc 0
    # The colour of the sites' dots in the shipped needs style.
    fill=$("$PY" -c 'import json, sys
print([l for l in json.load(open(sys.argv[1]))["layers"]
       if l.get("layer") == "sites"][0]["fill"])' \
        "$FIXTURES/../../styles/needs.json")
    "$PY" - "$out" "$fill" <<'PYEOF' || fail "the sample's maps are wrong"
import json, os, sys
out, site_fill = sys.argv[1:3]
doc = json.load(open(os.path.join(out, "maps.json")))
names = [m["name"] for m in doc["maps"]]
assert names[:3] == ["services", "needs", "poverty"], names
assert doc["base"]["name"] == "base"
# The viewer page comes with the maps, Leaflet beside it (no internet).
for f in ("index.html", "viewer.js", "viewer.css"):
    assert os.path.getsize(os.path.join(out, f)) > 0, f
assert any("leaflet.js" in fs for _, _, fs in os.walk(os.path.join(out, "lib"))), "leaflet"
w, s, e, n = doc["bounds"]
assert 20 < w < 21 and 43 < s < 44 and 29 < e < 30 and 48 < n < 49, doc["bounds"]
for m in doc["maps"] + [doc["base"]]:
    assert (m["minzoom"], m["maxzoom"], m["tile_size"]) == (0, 7, 256), m
    d = os.path.join(out, "tiles", m["name"])
    assert os.path.exists(os.path.join(d, "tilejson.json")), m["name"]
    n7 = sum(len(f) for _, _, f in os.walk(os.path.join(d, "7")))
    assert n7 > 0, m["name"]
    assert os.path.exists(os.path.join(out, m["name"] + ".mbtiles"))
    if m is doc["base"]:
        continue
    assert os.path.getsize(os.path.join(out, m["legend_image"])) > 500
    assert m["legend"] and all(i["color"].startswith("#") for i in m["legend"])
needs = doc["maps"][1]
assert [i["color"] for i in needs["legend"][:5]] == ["#ffffb2", "#fecc5c",
    "#fd8d3c", "#f03b20", "#bd0026"], needs["legend"]
assert needs["legend"][-1] == {"label": "Recommended site",
    "color": site_fill, "shape": "dot",
    "group": "Recommended sites (zoom 5 and closer)"}, needs["legend"]
pov = doc["maps"][2]
assert pov["legend"][0]["label"] == "1 (least poor)", pov["legend"]
# Services: the UATs with no place (2,881 of 3,186 in the sample) are a
# class of their own, the lightest, and only they are in it.
import sqlite3
db = sqlite3.connect(os.path.join(out, "romania.gpkg"))
zero = db.execute("SELECT count(*) FROM regions WHERE supply_total = 0").fetchone()[0]
c = doc["maps"][0]["classification"]
assert c["labels"][0] == "No places" and c["breaks"][:2] == [0, 0], c
assert c["counts"][0] == zero == 2881, (c["counts"], zero)
assert db.execute("SELECT count(*) FROM regions WHERE class_services = 1"
                  " AND supply_total > 0").fetchone()[0] == 0
assert doc["maps"][0]["legend"][0]["label"] == "No places"
# QGIS styles for the sample: needs the regions' default; the sites too
styles = db.execute("SELECT f_table_name, styleName, useAsDefault FROM"
                    " layer_styles ORDER BY id").fetchall()
assert ("regions", "needs", 1) in styles and ("providers", "services", 1) in styles, styles
assert ("sites", "needs", 1) in styles and ("regions", "poverty", 0) in styles, styles
PYEOF
    expect_eq "tile tables" "$(sql "$out/romania.gpkg" "SELECT group_concat(
        table_name, ',') FROM (SELECT table_name FROM gpkg_contents WHERE
        data_type = 'tiles' ORDER BY table_name)")" \
        "base,change-gap-total,change-poverty-index,gap-total-2011,gap-total-2015,needs,poverty,poverty-economy,poverty-environment,poverty-index-2011,poverty-index-2015,poverty-society,services"
    # The first site's dot at zoom 7 (tests/cli/sites.sh checks them all on
    # a fixture).
    at=$("$PY" "$(dirname "$0")/site_pixels.py" at "$out/tiles/needs" 7 \
        $(sql "$out/romania.gpkg" "SELECT lon || ' ' || lat FROM sites
              ORDER BY fid LIMIT 1"))
    expect_eq "the first site's pixel at zoom 7" "$at" "${fill}ff"
    ;;
*)
    fail "unknown case '$case'"
    ;;
esac
echo "ok ($case)"
