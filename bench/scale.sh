#!/usr/bin/env bash
# The national-scale benchmark (issue 12): village-level data of a whole
# country from bench/villages.py, then the whole `mapgen run` pipeline on it,
# with the wall time and the peak RSS at the end of every stage and the cost
# of every zoom.
#
#   bench/scale.sh [-n VILLAGES] [-z ZOOMS] [-j JOBS] [-s STORES] [-d DATA]
#                  [BUILD_DIR]
#
#   -n  40000 (default), 200000 or 600000 villages (townships N/15,
#       counties N/210)
#   -z  the zooms, as mapgen's -z (default 0-10)
#   -j  rendering threads (default 2)
#   -s  --stores of mapgen (default mbtiles,gpkg: the issue's run)
#   -d  keep the data (and the output) in this folder and reuse data made
#       there before with the same -n; default a temporary folder, removed
#   BUILD_DIR  where mapgen was built (default build: a Release build, see
#       docs/performance.md)
#
# Stages are mapgen's own (--progress=json): a stage's time runs from its
# line to the next one; "peak RSS" is the process's VmHWM (/proc) when the
# stage ended, so it only grows.  The last lines are /usr/bin/time -v's
# figures of the whole run.  Needs /usr/bin/python3 with numpy, scipy and
# GDAL (see bench/villages.py).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=40000 zooms=0-10 jobs=2 stores=mbtiles,gpkg data=
while getopts n:z:j:s:d: o; do
    case $o in
    n) n=$OPTARG ;; z) zooms=$OPTARG ;; j) jobs=$OPTARG ;;
    s) stores=$OPTARG ;; d) data=$OPTARG ;;
    *) sed -n '2,24p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
bin="${1:-$here/build}/mapgen/mapgen"
[ -x "$bin" ] || { echo "scale.sh: no $bin (build it first)" >&2; exit 2; }
if [ -z "$data" ]; then
    data=$(mktemp -d)
    trap 'rm -rf "$data"' EXIT
fi
mkdir -p "$data"
if [ "$(cat "$data/.villages" 2>/dev/null)" != "$n" ]; then
    echo "== data: bench/villages.py --villages $n"
    /usr/bin/time -f "   %e s, peak RSS %M KiB" \
        /usr/bin/python3 "$here/bench/villages.py" "$data" --villages "$n" \
        2>&1 | grep -v '^Warning 1: Failed to fetch spatial reference'
    echo "$n" >"$data/.villages"
fi
echo "== mapgen run -z $zooms -j $jobs --stores $stores ($(nproc) cores," \
    "load $(cut -d' ' -f1-3 /proc/loadavg))"
exec /usr/bin/python3 - "$bin" "$data" "$zooms" "$jobs" "$stores" <<'EOF'
import json, os, re, subprocess, sys, time
bin, data, zooms, jobs, stores = sys.argv[1:]
cmd = ["/usr/bin/time", "-v", bin, "run", os.path.join(data, "project.json"),
       "-o", os.path.join(data, "out"), "-z", zooms, "-j", jobs,
       "--stores", stores, "--force", "--progress=json"]
t0 = time.monotonic()
p = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)

def hwm():
    """VmHWM of mapgen (the child of /usr/bin/time), MiB."""
    try:
        kids = open("/proc/%d/task/%d/children" % (p.pid, p.pid)).read().split()
        for line in open("/proc/%s/status" % kids[0]):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, IndexError, ValueError):
        pass
    return float("nan")

stages, zooms_out, tail = [], [], []
def close_stage():
    if stages and stages[-1][2] is None:
        stages[-1][2] = time.monotonic() - t0
        stages[-1][3] = hwm()
for line in p.stderr:
    try:
        o = json.loads(line)
    except ValueError:
        tail.append(line.rstrip())
        continue
    if o.get("message") in ("joining",):
        o = {"stage": "join, model, roll-up, access"}
    if "stage" in o or ("minzoom" in o and "threads" in o):
        close_stage()
        name = o.get("stage") or "tiles %s z%d-%d" % (o["map"], o["minzoom"],
                                                     o["maxzoom"])
        stages.append([name, time.monotonic() - t0, None, None])
    elif "zoom" in o and "tiles" in o:
        zooms_out.append(o)
    elif "message" in o and not o["message"].startswith(("outputs", "maps in")):
        print("   mapgen:", o["message"].split("\n")[0])
close_stage()
rc = p.wait()
for line in tail:  # the last stage ended with the process
    if "Maximum resident set size" in line and stages:
        stages[-1][3] = int(line.split()[-1]) / 1024
total = time.monotonic() - t0
print("%-42s %9s %9s %12s" % ("stage", "start s", "seconds", "peak RSS MiB"))
for name, a, b, m in stages:
    print("%-42s %9.1f %9.1f %12.0f" % (name[:42], a, b - a, m))
print("%-42s %9.1f" % ("(end)", total))
if zooms_out:
    print("%-6s %6s %9s %9s %9s %9s %10s" % ("map", "zoom", "tiles", "written",
          "empty", "seconds", "ms/tile"))
    for z in zooms_out:
        if "zoom" not in z or z.get("zoom") is None:
            continue
        ms = 1000 * z["seconds"] / z["tiles"] if z["tiles"] else 0
        print("%-6s %6s %9d %9d %9d %9.2f %10.2f" % (z["map"][:6], z["zoom"],
              z["tiles"], z["written"], z["empty"], z["seconds"], ms))
for line in tail:
    m = re.match(r"\s*(Elapsed \(wall clock\) time.*|Maximum resident set size.*"
                 r"|User time.*|System time.*|Exit status.*)", line)
    if m:
        print("  ", m.group(1))
    elif not line.startswith("\t"):
        print("  ", line)
sys.exit(rc)
EOF
