#!/bin/sh
# Reload: three servers (MBTiles with its cache, the tile directory read
# from disk, the GeoPackage) on one folder while `mapgen run --force`
# replaces it four times, alternating two renders whose tiles differ in
# bytes (--png-level 0 and 9).  No answer is torn (reload_client.py); the
# servers end up serving the last render without a restart; a download
# under way (held open) when its file is replaced gets the old file whole.
set -eu
. "$(dirname "$0")/lib.sh"

make_out "$T/A" --png-level 0
make_out "$T/B" --png-level 9
cp -a "$T/A" "$T/out"
start_server mb "$T/out"
MB=$URL
PORT_MB=$PORT
start_server dir "$T/out" --store dir --cache-mb 0
DIR=$URL
start_server gp "$T/out" --store gpkg
GP=$URL

# A download of the GeoPackage held open across the first run: it reads
# 16 KB (with a 4 KB receive buffer, so the rest is still to be sent),
# waits until the run has replaced the file, then reads the rest.
size=$(wc -c <"$T/out/golden.gpkg" | tr -d ' ')
[ "$size" -gt 100000 ] || fail "golden.gpkg is too small ($size) for the download test"
"$PY" - "$PORT_MB" "$T/slow.gpkg" "$T/replaced" <<'PY' &
import os, socket, sys, time
port, out, flag = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
s.sendall(b"GET /golden.gpkg HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
data = s.recv(16384)
open(out + ".started", "w").close()
deadline = time.time() + 250
while not os.path.exists(flag) and time.time() < deadline:
    time.sleep(0.05)
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
head, _, body = data.partition(b"\r\n\r\n")
open(out, "wb").write(body)
PY
slow=$!
i=0
until [ -f "$T/slow.gpkg.started" ]; do
    i=$((i + 1)); [ "$i" -lt 300 ] || fail "the download did not start"
    sleep 0.1
done

"$PY" "$(dirname "$0")/reload_client.py" "$T/A" "$T/B" "$T/stop" \
    "$T/report.json" "mbtiles=$MB" "dir=$DIR,dir" "gpkg=$GP" &
client=$!
sleep 1
# The run's GeoPackage is the same bytes for the same options (pinned
# times, docs/scale.md): replaced means another file (inode) by the end.
ino0=$(stat -c %i "$T/out/golden.gpkg")
for level in 9 0 9 0; do
    "$MAPGEN" run "$PROJECT" -o "$T/out" -z 6-10 -q --force --png-level $level \
        >"$T/run.log" 2>&1 || { cat "$T/run.log" >&2; fail "mapgen run --force failed"; }
    touch "$T/replaced"
    sleep 1
done
wait "$slow" || fail "the held download failed"
cmp -s "$T/slow.gpkg" "$T/A/golden.gpkg" ||
    fail "a download under way did not get the old GeoPackage whole"
[ "$(stat -c %i "$T/out/golden.gpkg")" != "$ino0" ] ||
    fail "the GeoPackage was not replaced (the check above proves nothing)"

# The last render (level 0) is what every server gives now, without a
# restart: at most a few seconds after the run.
tile=choropleth/7/72/46.png
for u in "$MB" "$DIR" "$GP"; do
    i=0
    until curl -s "$u/$tile" | cmp -s - "$T/out/tiles/$tile"; do
        i=$((i + 1)); [ "$i" -lt 100 ] || fail "$u still serves an old tile"
        sleep 0.1
    done
    gen=$(curl -s "$u/health" | sed -n 's/.*"generation": \([0-9]*\).*/\1/p')
    [ "$gen" -ge 2 ] || fail "$u: generation $gen after four runs"
done
touch "$T/stop"
rc=0
wait "$client" || rc=$?
cat "$T/report.json"
[ "$rc" = 0 ] || fail "torn or wrong answers (report above)"
"$PY" - "$T/report.json" <<'PY' || fail "the client saw too little (report above)"
import json, sys
r = json.load(open(sys.argv[1]))
for name in ("mbtiles", "dir", "gpkg"):
    x = r[name]
    assert x["requests"] >= 100, (name, x)
    assert x["old"] > 0 and x["new"] > 0, (name, x)   # both renders seen
    if name != "dir":
        assert x["404"] == 0, (name, x)
PY
for s in mb dir gp; do stop_server $s; done
echo "serve_reload: passed"
