#!/usr/bin/env bash
# mapgen serve against lighttpd and python3 -m http.server, with wrk
# (docs/performance.md, "Serving the maps").  Not a test: it takes about
# ROUNDS x 60 s plus the render.
#
#   - the sample rendered at zooms 0-11 (13,566 tiles; not timed)
#   - servers on 127.0.0.1, all up for the whole run:
#       mapgen serve (default store: MBTiles)      port 8101
#       mapgen serve --store dir                   port 8102
#       lighttpd on the same out/ folder           port 8103
#       python3 -m http.server on the same folder  port 8104
#   - workloads, wrk -t1 -c32 for DURATION s each:
#       hot   one 57 KB tile (needs/7/72/46.png) again and again
#       walk  tiles drawn uniformly from 10,000 of the sample's (83 MiB,
#             more than mapgen's 64 MiB cache), the same seeded list for all
#     mapgen is asked /{map}/{z}/{x}/{y}.png (its store route), and also
#     the file path /tiles/{map}/... (sent from disk, no cache), as the
#     static servers are
#   - rounds: each round runs every (server, workload) once, in the same
#     order; the figures are the medians over the rounds, and the ratios
#     the medians of the per-round ratios (the machine's speed drifts from
#     minute to minute; pairing in time cancels most of it)
#   - slowhttptest against mapgen serve: slowloris (1,000 connections that
#     send headers slowly) and slow read (1,000 that read answers slowly),
#     while curl asks a tile once a second from 127.0.0.2 (another client
#     address: the per-address limit keeps the attacker's share to 64)
#
# Usage: bench/serve.sh [ROUNDS [DURATION]]   (default 5 rounds of 5 s)
# Needs wrk, lighttpd, slowhttptest (Debian); installed with apt-get when
# missing (root), else it says which to install.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
duration=${2:-5}
work=$here/bench/serve/work
bin=$here/build/mapgen/mapgen
PY=/usr/bin/python3

need=()
for tool in wrk lighttpd slowhttptest curl; do
    command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
if [ "${#need[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq --no-install-recommends "${need[@]}"
    else
        echo "bench/serve.sh: install ${need[*]} (sudo apt-get install ${need[*]})" >&2
        exit 2
    fi
fi

cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$here/build" -j2 >/dev/null
mkdir -p "$work"
out=$work/out
if [ ! -f "$out/tiles/needs/tilejson.json" ] || [ ! -f "$out/needs.mbtiles" ]; then
    echo "rendering the sample at zooms 0-11 into $out (not timed)"
    "$bin" run --force -q -z 0-11 -o "$out"
fi

# The 10,000 tiles of the walk, drawn once with a fixed seed.
( cd "$out/tiles" && find . -name '*.png' | sed 's|^\./||' | sort ) \
    | shuf -n 10000 --random-source=<(yes mapgen) >"$work/walk.txt"
sed 's|^|/tiles/|' "$work/walk.txt" >"$work/walk-files.txt"
sed 's|^|/|' "$work/walk.txt" >"$work/walk-store.txt"
walk_mib=$(cd "$out/tiles" && xargs stat -c %s <"$work/walk.txt" |
           awk '{ s += $1 } END { printf "%.0f", s / 1048576 }')
hot=needs/7/72/46.png
hot_kb=$(( $(stat -c %s "$out/tiles/$hot") / 1024 ))

cat >"$work/wrk.lua" <<'EOF'
-- WALK names a file of request paths: each request takes one at random
-- (seeded, so every server gets the same sequence).  Without WALK, the
-- URL given to wrk is asked again and again.  No response() hook: it
-- would hand every body to Lua and slow wrk down; statuses of 400 and
-- more are counted in summary.errors.status.
local paths = {}
local walk = os.getenv("WALK")
if walk and walk ~= "" then
  for line in io.lines(walk) do paths[#paths + 1] = line end
end
math.randomseed(20261201)
request = function()
  if #paths > 0 then
    return wrk.format("GET", paths[math.random(#paths)])
  end
  return wrk.format("GET")
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
EOF

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

"$bin" serve "$out" --port 8101 -q & pids+=($!)
"$bin" serve "$out" --port 8102 --store dir -q & pids+=($!)
cat >"$work/lighttpd.conf" <<EOF
server.document-root = "$out"
server.port = 8103
server.bind = "127.0.0.1"
server.max-keep-alive-requests = 10000
mimetype.assign = (".png" => "image/png", ".json" => "application/json")
EOF
lighttpd -D -f "$work/lighttpd.conf" & pids+=($!)
"$PY" -m http.server 8104 --bind 127.0.0.1 --directory "$out" \
    >/dev/null 2>&1 & pids+=($!)
for port in 8101 8102 8103 8104; do
    for _ in $(seq 100); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/tiles/$hot" && break
        sleep 0.1
    done
done

# name|url|walk file ("" for the hot tile)
configs=(
  "hot mapgen MBTiles|http://127.0.0.1:8101/$hot|"
  "hot mapgen dir (store route)|http://127.0.0.1:8102/$hot|"
  "hot mapgen dir (file path)|http://127.0.0.1:8101/tiles/$hot|"
  "hot lighttpd|http://127.0.0.1:8103/tiles/$hot|"
  "hot python http.server|http://127.0.0.1:8104/tiles/$hot|"
  "walk mapgen MBTiles|http://127.0.0.1:8101/|$work/walk-store.txt"
  "walk mapgen dir (store route)|http://127.0.0.1:8102/|$work/walk-store.txt"
  "walk mapgen dir (file path)|http://127.0.0.1:8101/|$work/walk-files.txt"
  "walk lighttpd|http://127.0.0.1:8103/|$work/walk-files.txt"
  "walk python http.server|http://127.0.0.1:8104/|$work/walk-files.txt"
)
results=$work/results.txt
: >"$results"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "hot tile: $hot ($hot_kb KB); walk: 10,000 tiles, $walk_mib MiB"
for r in $(seq "$rounds"); do
    for c in "${configs[@]}"; do
        IFS='|' read -r name url walk <<<"$c"
        line=$(WALK=$walk wrk -t1 -c32 -d"${duration}s" --timeout 5s \
                   -s "$work/wrk.lua" "$url" | grep '^RESULT' || echo "RESULT 0 0 0 -1")
        echo "$r|$name|$line" >>"$results"
        echo "round $r: $name: ${line#RESULT }"
    done
done

"$PY" - "$results" <<'EOF'
import statistics, sys
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1])]
data = {}
for rnd, name, res in rows:
    _, rps, p50, p99, err = res.split()
    data.setdefault(name, {})[int(rnd)] = (float(rps), float(p50), float(p99), int(err))
print()
print("| workload, server | req/s (median) | p50 ms | p99 ms | errors (sum) | x python (median of rounds) |")
print("|---|---|---|---|---|---|")
for name, by_round in data.items():
    kind = name.split()[0]
    py = data.get(kind + " python http.server", {})
    med = lambda i: statistics.median(v[i] for v in by_round.values())
    ratios = [v[0] / py[r][0] for r, v in by_round.items() if r in py and py[r][0] > 0]
    ratio = "%.1f" % statistics.median(ratios) if ratios else "-"
    errs = sum(v[3] for v in by_round.values())
    print("| %s | %.0f | %.2f | %.2f | %d | %s |" % (name, med(0), med(1), med(2), errs, ratio))
EOF

# ---- slowhttptest: the server keeps answering others ------------------------
probe() {  # probe SECONDS: a tile from 127.0.0.2 once a second
    local ok=0 n=0 worst=0 t
    for _ in $(seq "$1"); do
        n=$((n + 1))
        if t=$(curl -s --interface 127.0.0.2 --max-time 5 -o /dev/null \
                 -w '%{http_code} %{time_total}' "http://127.0.0.1:8101/$hot"); then
            case $t in 200\ *) ok=$((ok + 1))
                worst=$(awk -v a="$worst" -v b="${t#* }" 'BEGIN { print (b > a ? b : a) }') ;;
            esac
        fi
        sleep 1
    done
    echo "probes from 127.0.0.2: $ok/$n answered 200, slowest ${worst} s"
}
echo
echo "slowhttptest slowloris: 1,000 connections, a header line every 10 s, 30 s"
slowhttptest -c 1000 -H -i 10 -r 200 -t GET -u "http://127.0.0.1:8101/" \
    -x 24 -p 3 -l 30 -o "$work/slowloris" >"$work/slowloris.log" 2>&1 &
sp=$!
sleep 3
probe 25
wait "$sp" || true
grep -E "Exit status|service available|closed" "$work/slowloris.log" | tail -3 || true
echo "slowhttptest slow read: 1,000 connections reading 32 bytes every 3 s, 30 s"
slowhttptest -c 1000 -X -r 200 -w 512 -y 1024 -n 5 -z 32 -k 3 \
    -u "http://127.0.0.1:8101/$hot" -p 3 -l 30 -o "$work/slowread" \
    >"$work/slowread.log" 2>&1 &
sp=$!
sleep 3
probe 25
wait "$sp" || true
grep -E "Exit status|service available|closed" "$work/slowread.log" | tail -3 || true
