#!/usr/bin/env bash
# Idempotent setup for the rendering benchmark (bench/render/).
#  1. installs the peers and tools with apt when missing: MapServer (map2img,
#     mapserv CGI/FastCGI), MapCache's mapcache_seed, lighttpd, Mapnik's Python
#     bindings (Debian's /usr/bin/python3), GDAL, node/npm, jq, curl;
#  2. installs us-atlas + topojson-client from npm into bench/render/.npm;
#  3. builds bench/render/work/counties.{geojson,gpkg,shp}: US counties
#     (us-atlas counties-10m.json) in EPSG:4326 with a numeric `value`,
#     and work/project.json for mapgen.
#     SOURCE=file.geojson (SOURCE_ID=field, default id) takes the polygons
#     from a local file instead (no download; e.g. the Romanian UATs of
#     /work/shared/geodata/ro-uat-detailed with SOURCE_ID=natcode and a
#     BBOX of theirs), with the same hashed `value`; work/source.txt says
#     which data work/ holds, and a change of SOURCE rebuilds it.
# Usage: bench/render/setup.sh            (re-running is cheap: it skips what exists)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work="$here/work"
mkdir -p "$work"

# ---- 1. apt ---------------------------------------------------------------
need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for p in mapserver-bin cgi-mapserver mapcache-tools lighttpd python3-mapnik \
         gdal-bin python3-gdal jq curl; do
    have_pkg "$p" || need+=("$p")
done
if [ -z "${SOURCE:-}" ]; then   # us-atlas comes from npm
    command -v node >/dev/null || need+=(nodejs)
    command -v npm  >/dev/null || need+=(npm)
fi
if ((${#need[@]})); then
    echo "setup: apt-get install ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# lighttpd's package enables and starts a system service on :80; we run our
# own instance on a loopback port and do not need it.
if command -v systemctl >/dev/null && systemctl is-active --quiet lighttpd 2>/dev/null; then
    systemctl stop lighttpd || true
fi

SOURCE=${SOURCE:-}
SOURCE_ID=${SOURCE_ID:-id}
want_source="${SOURCE:-us-atlas counties-10m}${SOURCE:+ ($SOURCE_ID)}"
if [ "$(cat "$work/source.txt" 2>/dev/null || echo 'us-atlas counties-10m')" != "$want_source" ]; then
    rm -f "$work"/counties.* "$work"/counties_3857.*
fi
echo "$want_source" > "$work/source.txt"

# ---- 2. npm ---------------------------------------------------------------
if [ -z "$SOURCE" ] && { [ ! -f "$here/.npm/node_modules/us-atlas/counties-10m.json" ] ||
   [ ! -x "$here/.npm/node_modules/.bin/topo2geo" ]; }; then
    echo "setup: npm install us-atlas@3.0.1 topojson-client@3.1.0" >&2
    npm install --silent --no-audit --no-fund --prefix "$here/.npm" \
        us-atlas@3.0.1 topojson-client@3.1.0 >/dev/null
fi

# ---- 3. data --------------------------------------------------------------
if [ ! -s "$work/counties.geojson" ] || [ ! -s "$work/counties.gpkg" ] ||
   [ ! -s "$work/counties.shp" ]; then
    echo "setup: building work/counties.{geojson,gpkg,shp}" >&2
    rm -f "$work"/counties.*
    if [ -n "$SOURCE" ]; then
        # the local file's SOURCE_ID becomes the feature id (as us-atlas's)
        jq -c --arg k "$SOURCE_ID" '.features |= map(.id = (.properties[$k] | tostring))' \
            "$SOURCE" > "$work/counties-raw.geojson"
    else
    # TopoJSON -> GeoJSON (topojson-client keeps the 5-digit FIPS in `id`).
    "$here/.npm/node_modules/.bin/topo2geo" \
        "counties=$work/counties-raw.geojson" \
        < "$here/.npm/node_modules/us-atlas/counties-10m.json"
    fi
    # Add the numeric field and a string `id` property; deterministic:
    # value = (FIPS * 2654435761 mod 2^32) / 2^32 * 100, a hash of the FIPS
    # code spread evenly over [0, 100), so the 5 classes vary county to county.
    /usr/bin/python3 - "$work/counties-raw.geojson" "$work/counties.geojson" <<'PY'
import json, sys, zlib
src, dst = sys.argv[1], sys.argv[2]
fc = json.load(open(src))
out = []
for f in fc["features"]:
    fips = str(f.get("id", ""))
    if not fips or f.get("geometry") is None:
        continue
    num = int(fips) if fips.isdigit() else zlib.crc32(fips.encode())
    h = (num * 2654435761) % 2**32
    value = round(h / 2**32 * 100, 3)
    out.append({"type": "Feature",
                "properties": {"id": fips, "name": f.get("properties", {}).get("name", ""),
                               "value": value},
                "geometry": f["geometry"]})
json.dump({"type": "FeatureCollection",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
           "features": out}, open(dst, "w"), separators=(",", ":"))
print("setup: %d counties" % len(out), file=sys.stderr)
PY
    rm -f "$work/counties-raw.geojson"
    # Copies for the peers, same geometry, spatially indexed:
    #  GeoPackage (Mapnik via its GDAL/OGR plugin), Shapefile + .qix (MapServer).
    ogr2ogr -f GPKG "$work/counties.gpkg" "$work/counties.geojson" -nln counties \
        -a_srs EPSG:4326 -nlt MULTIPOLYGON
    ogr2ogr -f "ESRI Shapefile" "$work/counties.shp" "$work/counties.geojson" \
        -nln counties -a_srs EPSG:4326 -nlt MULTIPOLYGON -lco SPATIAL_INDEX=YES
    # Web Mercator copies: every peer then draws without reprojecting on the fly.
    ogr2ogr -f "ESRI Shapefile" "$work/counties_3857.shp" "$work/counties.geojson" \
        -nln counties_3857 -t_srs EPSG:3857 -nlt MULTIPOLYGON -lco SPATIAL_INDEX=YES
fi

# mapgen's project file (render.sh adds the map): the same shapefile as
# MapServer's and Mapnik's, in lon/lat (mapgen projects it itself; the
# peers read the EPSG:3857 copy).  Written every time: it is derived.
cat > "$work/project.json" <<'JSON'
{"name": "counties", "boundaries": {"path": "counties.shp", "code_field": "id", "fields": ["value"]}}
JSON
echo "setup: ok ($work)" >&2
