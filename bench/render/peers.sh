#!/usr/bin/env bash
# Render the benchmark choropleth (US counties, bench/render/style.json) as XYZ
# PNG tiles with the peers and time them:
#   mapcache  MapServer (mapserv FastCGI behind lighttpd on 127.0.0.1:$PORT, a
#             WMS) seeded by MapCache's mapcache_seed -n $JOBS into a disk cache
#   map2img   MapServer's map2img, one process per tile, $JOBS at a time, over
#             every tile of one zoom ($MAP2IMG_Z, default min(ZMAX, 8))
#   mapnik    Mapnik (Debian's python3-mapnik, /usr/bin/python3), $JOBS worker
#             processes, every tile of the pyramid
# over the same tile set: every tile of zooms ZMIN..ZMAX that overlaps the
# conterminous US ($BBOX, lon/lat, default -125,24,-66.5,49.5; tiles.py).
#
# usage: bench/render/peers.sh ZMIN ZMAX
# env:   PEERS="mapcache map2img mapnik"  which to run
#        JOBS=2  PORT=8089  MAP2IMG_Z=N  BBOX=minlon,minlat,maxlon,maxlat
#        MAPCACHE_METATILE=4   MapCache metatile size (N => N x N, metabuffer 0)
#        MAPNIK_METATILE=2     Mapnik metatile size (mapnik_render.py --metatile)
#        REPEAT=1              run each peer REPEAT times, keep the fastest run
#        QUIET=0.15,600        before each timed run wait (up to 600 s) until the
#                              CPU is at most 15 % busy (the machine may be shared)
#        SKIP_SETUP=1          do not run setup.sh first
# Writes tiles to bench/render/work/out/<tool>/Z/X/Y.png, one JSON per tool to
# bench/render/work/results/, and prints the table (report.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work="$here/work"
PY=/usr/bin/python3
ZMIN=${1:?usage: peers.sh ZMIN ZMAX}
ZMAX=${2:?usage: peers.sh ZMIN ZMAX}
PEERS=${PEERS:-mapcache map2img mapnik}
JOBS=${JOBS:-2}
PORT=${PORT:-8089}
BBOX=${BBOX:--125.0,24.0,-66.5,49.5}
MAPCACHE_METATILE=${MAPCACHE_METATILE:-4}
MAPNIK_METATILE=${MAPNIK_METATILE:-2}
REPEAT=${REPEAT:-1}
QUIET=${QUIET:-0.15,600}
export QUIET
MAP2IMG_Z=${MAP2IMG_Z:-$(( ZMAX < 8 ? ZMAX : 8 ))}
(( MAP2IMG_Z < ZMIN )) && MAP2IMG_Z=$ZMIN

[ "${SKIP_SETUP:-}" = 1 ] || "$here/setup.sh"
. "$here/lib.sh"

res="$work/results"; out="$work/out"
mkdir -p "$res" "$out"
# One benchmark at a time: a second run would overwrite work/out and
# work/results, compete for the CPU and for $PORT.
exec 9> "$work/.peers.lock"
if ! flock -n 9; then
    echo "peers: another bench/render run holds $work/.peers.lock; wait for it" >&2
    exit 1
fi
list="$work/tiles-$ZMIN-$ZMAX.txt"
"$PY" "$here/tiles.py" list "$ZMIN" "$ZMAX" "$BBOX" > "$list"
ntiles=$(wc -l < "$list")
echo "peers: zooms $ZMIN-$ZMAX, $ntiles tiles over $BBOX, $JOBS jobs" >&2

# result TOOL ZOOMS MEASURE.json CHECK.json NOTE -> $res/TOOL.json
result() {
    "$PY" - "$@" > "$res/$1.json" <<'PY'
import json, sys
tool, zooms, mj, cj, note = sys.argv[1:6]
m = json.load(open(mj)); c = json.load(open(cj))
json.dump({"tool": tool, "zooms": zooms, "tiles": c["tiles"],
           "transparent": c["transparent"], "seconds": m["seconds"],
           "peak_kib": m["peak_total_pss_kib"], "peak_cmd_kib": m["peak_pss_kib"],
           "peak_server_kib": m["peak_server_pss_kib"],
           "maxrss_kib": m["maxrss_kib"], "exit": m["exit"],
           "cpu_seconds": round(m["cpu_seconds"] + m["server_cpu_seconds"], 2),
           "sys_seconds": m.get("sys_seconds"),
           "busy_before": m["busy_before"],
           "missing": c.get("missing", 0), "extra": c.get("extra", 0),
           "bytes": c["bytes"], "note": note}, sys.stdout)
print()
PY
}

# ---- MapServer (FastCGI WMS) + MapCache -------------------------------------
lighttpd_pid=
# Stops lighttpd and its FastCGI mapserv processes (which can outlive a
# SIGTERM to lighttpd while they finish a request, and then hold a core and
# work/.peers.lock): SIGTERM to all, then SIGKILL to any left after 3 s.
stop_lighttpd() {
    if [ -n "$lighttpd_pid" ] && kill -0 "$lighttpd_pid" 2>/dev/null; then
        local kids k i left=; kids=$(pgrep -P "$lighttpd_pid" || true)
        kill "$lighttpd_pid" 2>/dev/null || true
        for k in $kids; do kill "$k" 2>/dev/null || true; done
        wait "$lighttpd_pid" 2>/dev/null || true
        for i in 1 2 3 4 5 6; do
            left=
            for k in $kids; do kill -0 "$k" 2>/dev/null && left="$left $k"; done
            [ -z "$left" ] && break
            sleep 0.5
        done
        for k in $left; do
            echo "peers: mapserv $k still running after SIGTERM: SIGKILL" >&2
            kill -9 "$k" 2>/dev/null || true
        done
    fi
    lighttpd_pid=
}
trap stop_lighttpd EXIT INT TERM

run_mapcache() {
    local mc="$work/mapcache" cache="$out/mapcache" m=$MAPCACHE_METATILE
    mkdir -p "$mc"; set_aside "$cache"
    local url="http://127.0.0.1:$PORT/mapserv?map=COUNTIES"
    if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
        echo "peers: something already listens on 127.0.0.1:$PORT (set PORT=)" >&2
        return 1
    fi
    # MapServer 8 reads a config file; MAPS maps the name COUNTIES to the
    # mapfile and MS_MAP_NO_PATH forbids any other map= (a path).
    cat > "$mc/mapserver.conf" <<CONF
CONFIG
  ENV
    MS_MAP_NO_PATH "1"
  END
  MAPS
    COUNTIES "$here/counties.map"
  END
END
CONF
    cat > "$mc/lighttpd.conf" <<CONF
server.document-root = "$mc"
server.bind = "127.0.0.1"
server.port = $PORT
server.modules = ( "mod_fastcgi" )
server.errorlog = "$mc/lighttpd-error.log"
fastcgi.server = ( "/mapserv" => ((
    "socket" => "$mc/mapserv.sock",
    "bin-path" => "/usr/bin/mapserv",
    "bin-environment" => ( "MAPSERVER_CONFIG_FILE" => "$mc/mapserver.conf" ),
    "max-procs" => $JOBS,
    "check-local" => "disable"
)) )
CONF
    cat > "$mc/mapcache.xml" <<CONF
<?xml version="1.0" encoding="UTF-8"?>
<mapcache>
  <source name="counties" type="wms">
    <getmap><params>
      <FORMAT>image/png</FORMAT>
      <LAYERS>counties</LAYERS>
      <TRANSPARENT>true</TRANSPARENT>
    </params></getmap>
    <http><url>$url</url></http>
  </source>
  <!-- XYZ layout: {inv_y} because MapCache counts rows from the bottom -->
  <cache name="disk" type="disk" layout="template">
    <template>$cache/{z}/{x}/{inv_y}.png</template>
  </cache>
  <tileset name="counties">
    <source>counties</source>
    <cache>disk</cache>
    <grid>GoogleMapsCompatible</grid>
    <format>PNG</format>
    <metatile>$m $m</metatile>
    <metabuffer>0</metabuffer>
  </tileset>
  <log_level>warn</log_level>
</mapcache>
CONF
    lighttpd -tt -f "$mc/lighttpd.conf"
    lighttpd -D -f "$mc/lighttpd.conf" &
    lighttpd_pid=$!
    local i
    for i in $(seq 50); do
        curl -s -o /dev/null -f "$url&SERVICE=WMS&REQUEST=GetCapabilities" && break
        sleep 0.2
    done
    # one warm-up GetMap per FastCGI process (loads the mapfile, PROJ, .qix)
    for i in $(seq "$JOBS"); do
        curl -s -f -o /dev/null "$url&SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=counties&STYLES=&CRS=EPSG:3857&BBOX=-13914936,2753408,-7402746,6360130&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE"
    done
    local ext; ext=$("$PY" "$here/tiles.py" bbox3857 "$BBOX")
    echo "peers: mapcache_seed -z $ZMIN,$ZMAX -n $JOBS (metatile ${m}x$m) ..." >&2
    "$PY" "$here/measure.py" --quiet "$QUIET" --json "$res/mapcache.measure.json" --server "$lighttpd_pid" -- \
        mapcache_seed -c "$mc/mapcache.xml" -t counties -g GoogleMapsCompatible \
        -z "$ZMIN,$ZMAX" -e "$ext" -n "$JOBS" -q >&2
    stop_lighttpd
    "$PY" "$here/tiles.py" check "$cache" "$list" > "$res/mapcache.check.json"
    result mapcache "$ZMIN-$ZMAX" "$res/mapcache.measure.json" "$res/mapcache.check.json" \
        "MapServer $(dpkg-query -W -f='${Version}' cgi-mapserver) FastCGI WMS via lighttpd + mapcache_seed -n $JOBS, metatile ${m}x$m; memory includes lighttpd+mapserv"
}

# ---- MapServer map2img, one process per tile --------------------------------
run_map2img() {
    local dir="$out/map2img" z=$MAP2IMG_Z
    set_aside "$dir"
    local args="$work/map2img-args.txt"
    "$PY" "$here/tiles.py" args2img "$z" "$dir" "$here/counties.map" "$BBOX" > "$args"
    awk -v z="$z" '$1 == z' "$list" > "$work/tiles-map2img.txt"
    echo "peers: map2img, $(wc -l < "$args") tiles of zoom $z, $JOBS at a time ..." >&2
    (cd "$here" && "$PY" "$here/measure.py" --quiet "$QUIET" --json "$res/map2img.measure.json" -- \
        xargs -P "$JOBS" -L 1 map2img < "$args")
    "$PY" "$here/tiles.py" check "$dir" "$work/tiles-map2img.txt" > "$res/map2img.check.json"
    result map2img "$z-$z" "$res/map2img.measure.json" "$res/map2img.check.json" \
        "MapServer $(dpkg-query -W -f='${Version}' mapserver-bin) map2img, one process per tile, $JOBS in parallel (xargs -P)"
}

# ---- Mapnik -----------------------------------------------------------------
run_mapnik() {
    local dir="$out/mapnik"
    set_aside "$dir"
    echo "peers: mapnik, $ntiles tiles, $JOBS processes ..." >&2
    "$PY" "$here/measure.py" --quiet "$QUIET" --json "$res/mapnik.measure.json" -- \
        "$PY" "$here/mapnik_render.py" "$ZMIN" "$ZMAX" "$dir" -j "$JOBS" --bbox="$BBOX" \
        --metatile "$MAPNIK_METATILE" >&2
    "$PY" "$here/tiles.py" check "$dir" "$list" > "$res/mapnik.check.json"
    result mapnik "$ZMIN-$ZMAX" "$res/mapnik.measure.json" "$res/mapnik.check.json" \
        "Mapnik $(dpkg-query -W -f='${Version}' libmapnik3.1) (python3-mapnik), $JOBS processes, metatile ${MAPNIK_METATILE}x$MAPNIK_METATILE, png32"
}

# The machine may be shared: measure.py waits for a quiet CPU ($QUIET) and
# records how busy it was; REPEAT keeps the fastest of several runs.
for p in $PEERS; do
    rm -f "$res/$p.json" "$res/$p".run*.json
    for i in $(seq "$REPEAT"); do
        "run_$p"
        cp "$res/$p.json" "$res/$p.run$i.json"
    done
    fastest "$res/$p.json" "$res/$p".run*.json
done
# render.sh times mapgen after the peers and empties the trash itself.
[ "${KEEP_TRASH:-}" = 1 ] || empty_trash
[ "${NO_REPORT:-}" = 1 ] || "$PY" "$here/report.py" "$res" $PEERS
