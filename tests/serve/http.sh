#!/bin/sh
# `mapgen serve` answered with curl: every endpoint, ETag/304, HEAD,
# Range, Cache-Control, CORS, 400/404/405/414/431, TileJSON URLs from
# --public-url, from an allowed Host, and a forged Host refused; the three
# stores; @2x; --blank; the access log; usage errors.
set -eu
. "$(dirname "$0")/lib.sh"

out=$T/out
make_out "$out"
start_server a "$out" --log "$T/a.log"
A=$URL

# ---- the page and its files --------------------------------------------
get "$A/"
expect_status 200 "/"
expect_header Content-Type "text/html; charset=utf-8" "/"
cmp -s "$T/b" "$out/index.html" || fail "/ is not index.html"
expect_header Access-Control-Allow-Origin "*" "/"
expect_header X-Content-Type-Options nosniff "/"

get "$A/viewer.js"
expect_status 200 "viewer.js"
expect_header Content-Type "text/javascript; charset=utf-8" "viewer.js"
expect_header Cache-Control no-cache "viewer.js"
cmp -s "$T/b" "$out/viewer.js" || fail "viewer.js bytes"
etag=$(header ETag)
case $etag in \"f*\") ;; *) fail "viewer.js: ETag '$etag'" ;; esac
get -H "If-None-Match: $etag" "$A/viewer.js"
expect_status 304 "viewer.js, If-None-Match"
expect_header ETag "$etag" "304"
[ ! -s "$T/b" ] || fail "304 with a body"
get -I "$A/viewer.js"
expect_status 200 "HEAD viewer.js"
expect_header Content-Length "$(wc -c <"$out/viewer.js" | tr -d ' ')" "HEAD"
cmp -s "$T/b" "$T/h" || fail "HEAD with a body"  # curl -I writes the headers as the body

# ---- /health, /catalog, TileJSON ----------------------------------------
get "$A/health"
expect_status 200 "/health"
expect_header Content-Type application/json "/health"
grep -q '"status": "ok", "maps": 2' "$T/b" || fail "/health: $(cat "$T/b")"

get "$A/catalog"
expect_status 200 "/catalog"
v=$("$PY" - "$T/b" "$A" <<'PY'
import json, sys
cat = json.load(open(sys.argv[1]))
base = sys.argv[2]
names = [m["name"] for m in cat["maps"]]
assert names == ["choropleth", "dots"], names
m = cat["maps"][0]
assert m["tilejson"] == base + "/choropleth.json", m
assert m["tiles"] == base + "/choropleth/{z}/{x}/{y}.png?v=" + m["version"], m
assert m["store"] == "mbtiles" and m["minzoom"] == 6 and m["maxzoom"] == 10, m
assert m["tile_size"] == 256 and len(m["version"]) == 16, m
print(m["version"])
PY
) || fail "/catalog: $(cat "$T/b")"

# tilejson_check FILE BASE: a TileJSON 3.0.0 whose one tile URL is
# absolute, starts with BASE and carries ?v=.
tilejson_check() {
    "$PY" - "$1" "$2" "$v" <<'PY'
import json, sys
tj = json.load(open(sys.argv[1]))
base, v = sys.argv[2], sys.argv[3]
assert tj["tilejson"] == "3.0.0", tj
assert tj["tiles"] == [base + "/choropleth/{z}/{x}/{y}.png?v=" + v], tj["tiles"]
assert tj["minzoom"] == 6 and tj["maxzoom"] == 10, tj
assert tj["scheme"] == "xyz" and len(tj["bounds"]) == 4, tj
assert tj["name"], tj
# legend a string (TileJSON 3.0.0), the structured one and the breaks
# under "mapgen", from the MBTiles json row
assert isinstance(tj["legend"], str) and tj["legend"].startswith(tj["name"]), tj
legend = tj["mapgen"]["legend"]
assert legend and all("%s %s" % (e["color"], e["label"]) in tj["legend"]
                      for e in legend), tj
c = tj["mapgen"]["classification"]
assert c["column"] == "class_choropleth" and len(c["breaks"]) == c["classes"] + 1, c
PY
}
get "$A/choropleth.json"
expect_status 200 "TileJSON"
expect_header Content-Type application/json "TileJSON"
expect_header Access-Control-Allow-Origin "*" "TileJSON"
tilejson_check "$T/b" "$A" || fail "TileJSON: $(cat "$T/b")"
get -H "Host: localhost:$PORT" "$A/choropleth.json"
expect_status 200 "TileJSON, Host localhost"
tilejson_check "$T/b" "http://localhost:$PORT" || fail "TileJSON from Host localhost"
for forged in evil.example "evil.example:$PORT" "127.0.0.1:1" "127.0.0.1:$PORT.evil"; do
    get -H "Host: $forged" "$A/choropleth.json"
    expect_status 421 "TileJSON with Host $forged"
    ! grep -q evil "$T/b" || fail "the forged Host echoed"
    get -H "Host: $forged" "$A/catalog"
    expect_status 421 "/catalog with Host $forged"
done

# ---- tiles from the MBTiles ---------------------------------------------
tile=choropleth/7/72/46.png
get "$A/$tile"
expect_status 200 "tile"
expect_header Content-Type image/png "tile"
expect_header Cache-Control "public, max-age=3600" "tile"
expect_header Access-Control-Allow-Origin "*" "tile"
cmp -s "$T/b" "$out/tiles/$tile" || fail "tile bytes differ from tiles/$tile"
# TMS row of XYZ 7/72/46: 2^7 - 1 - 46 = 81.
want=$(sqlite3 "$out/choropleth.mbtiles" "SELECT printf('\"m%016x-%x\"', i.hash,
    length(i.tile_data)) FROM map m JOIN images i ON i.tile_id = m.tile_id
    WHERE zoom_level = 7 AND tile_column = 72 AND tile_row = 81")
expect_header ETag "$want" "tile ETag from the images hash"
expect_header Content-Length "$(wc -c <"$T/b" | tr -d ' ')" "tile"
get -H "If-None-Match: $want" "$A/$tile"
expect_status 304 "tile, If-None-Match"
get -H "If-None-Match: W/$want" "$A/$tile"
expect_status 304 "tile, If-None-Match weak"
get -H "If-None-Match: \"other\", $want" "$A/$tile"
expect_status 304 "tile, If-None-Match list"
get -H 'If-None-Match: "m0000000000000000-1"' "$A/$tile"
expect_status 200 "tile, If-None-Match of another tile"
get "$A/$tile?v=$v"
expect_header Cache-Control "public, max-age=31536000, immutable" "?v= current"
get "$A/$tile?v=0123456789abcdef"
expect_header Cache-Control "public, max-age=3600" "?v= stale"
get -I "$A/$tile"
expect_status 200 "HEAD tile"
expect_header Content-Length "$(wc -c <"$out/tiles/$tile" | tr -d ' ')" "HEAD tile"
cmp -s "$T/b" "$T/h" || fail "HEAD tile with a body"

for absent in choropleth/7/0/0.png choropleth/5/18/11.png \
              choropleth/11/1166/734.png choropleth/7/128/0.png \
              choropleth/7/72/46@2x.png nomap/7/72/46.png choropleth/07/72/46.png \
              nomap.json choropleth/7/72/46.jpg; do
    get "$A/$absent"
    expect_status 404 "$absent"
done

# ---- downloads with Range ------------------------------------------------
gpkg=$out/golden.gpkg
size=$(wc -c <"$gpkg" | tr -d ' ')
get "$A/golden.gpkg"
expect_status 200 "golden.gpkg"
expect_header Content-Type application/geopackage+sqlite3 "gpkg"
expect_header Accept-Ranges bytes "gpkg"
cmp -s "$T/b" "$gpkg" || fail "golden.gpkg bytes"
getag=$(header ETag)
get -r 0-15 "$A/golden.gpkg"
expect_status 206 "Range 0-15"
expect_header Content-Range "bytes 0-15/$size" "Range 0-15"
expect_eq "Range 0-15" "$(od -An -c "$T/b" | tr -d ' \n')" 'SQLiteformat3\0'
get -r -10 "$A/golden.gpkg"
expect_status 206 "Range -10"
tail -c 10 "$gpkg" | cmp -s - "$T/b" || fail "Range -10 bytes"
get -r 100- "$A/golden.gpkg"
expect_status 206 "Range 100-"
tail -c +101 "$gpkg" | cmp -s - "$T/b" || fail "Range 100- bytes"
get -r "$size-" "$A/golden.gpkg"
expect_status 416 "Range past the end"
expect_header Content-Range "bytes */$size" "416"
get -r 0-15 -H 'If-Range: "f1-2-3"' "$A/golden.gpkg"
expect_status 200 "If-Range with another ETag"
get -r 0-15 -H "If-Range: $getag" "$A/golden.gpkg"
expect_status 206 "If-Range with the ETag"
get -r 0-1,5-6 "$A/golden.gpkg"
expect_status 200 "several ranges: the whole file"
get "$A/reports/ranking.csv"
expect_status 200 "ranking.csv"
expect_header Content-Type "text/csv; charset=utf-8" "csv"
cmp -s "$T/b" "$out/reports/ranking.csv" || fail "ranking.csv bytes"

# ---- what is refused -----------------------------------------------------
for m in POST PUT DELETE OPTIONS PATCH; do
    get -X "$m" -d x "$A/"
    expect_status 405 "$m"
    expect_header Allow "GET, HEAD" "$m"
done
long=$(head -c 3000 /dev/zero | tr '\0' a)
get "$A/$long"
expect_status 414 "a 3,000-byte URL"
big=$(head -c 9000 /dev/zero | tr '\0' a)
get -H "X-Big: $big" "$A/health"
expect_status 431 "9,000 bytes of headers"
big=$(head -c 40000 /dev/zero | tr '\0' a)
get -H "X-Big: $big" "$A/health"
expect_status 431 "40,000 bytes of headers"
get -H "X-Small: $(head -c 4000 /dev/zero | tr '\0' a)" "$A/health"
expect_status 200 "4,000 bytes of headers"
for bad in /%zz /%0 /a%00b /%2 '/a\b'; do
    get --path-as-is "$A$bad"
    expect_status 400 "$bad"
done
for dir in /reports /reports/ /tiles/choropleth/ /lib /.. /tiles/.choropleth.partial/6/36/22.png; do
    get --path-as-is "$A$dir"
    expect_status 404 "$dir (no listing, nothing hidden)"
done

# ---- the access log ------------------------------------------------------
stop_server a
grep -q "^127.0.0.1 - - \[.*\] \"GET /$tile\" 200 " "$T/a.log" ||
    fail "the access log lacks the tile: $(head -n 5 "$T/a.log")"
grep -q "\"DELETE /\" 405 " "$T/a.log" || fail "the access log lacks DELETE"

# ---- --public-url, --store dir, --blank, --max-age, --cors ---------------
start_server b "$out" --public-url https://maps.example.org/base/ --store dir \
    --blank --max-age 60 --cors https://viewer.example.org
B=$URL
get -H "Host: evil.example" "$B/catalog"
expect_status 200 "/catalog with --public-url"
"$PY" - "$T/b" <<'PY' || fail "--public-url catalog: $(cat "$T/b")"
import json, sys
m = json.load(open(sys.argv[1]))["maps"][0]
assert m["store"] == "dir", m
assert m["tilejson"] == "https://maps.example.org/base/choropleth.json", m
assert m["tiles"].startswith("https://maps.example.org/base/choropleth/{z}/{x}/{y}.png?v="), m
PY
get "$B/$tile"
expect_status 200 "dir tile"
cmp -s "$T/b" "$out/tiles/$tile" || fail "dir tile bytes"
expect_header Cache-Control "public, max-age=60" "--max-age 60"
expect_header Access-Control-Allow-Origin https://viewer.example.org "--cors"
dtag=$(header ETag)
ino=$(stat -c %i "$out/tiles/$tile")
case $dtag in \"d$(printf %x "$ino")-*) ;; *) fail "dir ETag '$dtag' (inode $ino)" ;; esac
get -H "If-None-Match: $dtag" "$B/$tile"
expect_status 304 "dir tile, If-None-Match"
get "$B/choropleth/7/0/0.png"
expect_status 200 "--blank: an absent tile"
expect_header Content-Type image/png "blank"
"$PY" - "$T/b" <<'PY' || fail "--blank is not a transparent 256 x 256 PNG"
import sys
from osgeo import gdal
gdal.UseExceptions()
gdal.FileFromMemBuffer("/vsimem/b.png", open(sys.argv[1], "rb").read())
d = gdal.Open("/vsimem/b.png")
assert (d.RasterXSize, d.RasterYSize) == (256, 256)
b1 = d.GetRasterBand(1)
ct = b1.GetColorTable()
if ct:
    alphas = {ct.GetColorEntry(i)[3] for i in set(b1.ReadRaster())}
else:
    alphas = set(d.GetRasterBand(d.RasterCount).ReadRaster())
assert alphas == {0}, alphas
PY
get "$B/choropleth/5/18/11.png"
expect_status 404 "--blank: outside the zooms still 404"
stop_server b

start_server c "$out" --store gpkg --cors none --allow-host maps.lan:8080 \
    --allow-host maps.lan
C=$URL
get "$C/$tile"
expect_status 200 "gpkg tile"
cmp -s "$T/b" "$out/tiles/$tile" || fail "gpkg tile bytes"
[ -z "$(header Access-Control-Allow-Origin)" ] || fail "--cors none sent CORS"
case $(header ETag) in \"g*) ;; *) fail "gpkg ETag $(header ETag)" ;; esac
get -H "Host: maps.lan:8080" "$C/choropleth.json"
expect_status 200 "--allow-host maps.lan:8080"
grep -q '"http://maps.lan:8080/choropleth/{z}/{x}/{y}.png?v=' "$T/b" ||
    fail "TileJSON from an allowed Host: $(cat "$T/b")"
get -H "Host: maps.lan:$PORT" "$C/choropleth.json"
expect_status 200 "--allow-host maps.lan (the server's port)"
get -H "Host: maps.lan:9" "$C/choropleth.json"
expect_status 421 "--allow-host maps.lan, another port"
grep -q "choropleth  *GeoPackage" "$T/c.out" ||
    fail "the start-up listing does not name the GeoPackage: $(cat "$T/c.out")"
stop_server c

# ---- 512-px maps: @2x ----------------------------------------------------
make_out "$T/out512" --tile-size 512
start_server d "$T/out512"
get "$URL/choropleth/8/145/91@2x.png"
expect_status 200 "@2x tile"
cmp -s "$T/b" "$T/out512/tiles/choropleth/8/145/91@2x.png" || fail "@2x bytes"
get "$URL/choropleth/8/145/91.png"
expect_status 404 "a 512-px map without @2x"
get "$URL/choropleth.json"
grep -q "/choropleth/{z}/{x}/{y}@2x.png?v=" "$T/b" || fail "@2x TileJSON: $(cat "$T/b")"
stop_server d

# ---- usage and input errors ----------------------------------------------
set +e
"$MAPGEN" serve "$T/missing" --port 0 >"$T/e.out" 2>"$T/e.err"; rc=$?
set -e
expect_eq "a missing folder: exit" "$rc" 4
grep -q "$T/missing: cannot open the folder" "$T/e.err" || fail "$(cat "$T/e.err")"
mkdir "$T/empty"
set +e
"$MAPGEN" serve "$T/empty" --port 0 >"$T/e.out" 2>"$T/e.err"; rc=$?
set -e
expect_eq "an empty folder: exit" "$rc" 4
grep -q "no maps and no viewer page" "$T/e.err" || fail "$(cat "$T/e.err")"
for args in "--port 99999" "--bind nowhere" "--store s3" "--public-url ftp://x" \
            "--jobs 0" "--frobnicate"; do
    set +e
    # shellcheck disable=SC2086
    "$MAPGEN" serve "$out" $args >"$T/e.out" 2>"$T/e.err"; rc=$?
    set -e
    expect_eq "mapgen serve $args: exit" "$rc" 2
    no_sanitizer_report "$T/e.err"
done
echo "serve_http: passed"
