#!/usr/bin/env bash
# Two mapgen binaries in alternation on the rendering benchmark's project
# (bench/render/work, made by setup.sh): A, B, A, B, ... ROUNDS times each,
# every round's wall, user and system CPU seconds printed, then each
# binary's medians.  For a change's effect on mapgen alone: the machine drifts
# 20-40 % from minute to minute, so only rounds run in turn compare.
# Usage: bench/render/pair.sh A/mapgen B/mapgen [ZOOMS [ROUNDS [args...]]]
#        e.g. bench/render/pair.sh ../base/build/mapgen/mapgen \
#                 build/mapgen/mapgen 0-8 5
# Outputs go to fresh folders under work/pair/, moved to work/trash/ at
# the end and deleted there unless KEEP_TRASH=1 (lib.sh: many files deleted
# just before a timed run slow it; run several with KEEP_TRASH=1, then
# rm -rf bench/render/work/trash).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work="$here/work"
. "$here/lib.sh"
[ $# -ge 2 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
a=$(realpath "$1") b=$(realpath "$2")
zooms=${3:-0-8} rounds=${4:-5}
shift $(($# < 4 ? $# : 4))
[ -f "$work/project.json" ] || "$here/setup.sh"
project="$work/project-mapgen.json"
jq --arg style "$here/mapgen-style.json" \
    '. + {maps: [{name: "counties", style: $style}]}' \
    "$work/project.json" > "$project"
out="$work/pair"
mkdir -p "$out"
log="$out/times.txt"
: > "$log"
for i in $(seq "$rounds"); do
    for who in A B; do
        bin=$a
        [ "$who" = B ] && bin=$b
        dir=$(mktemp -d "$out/$who.XXXXXX")
        /usr/bin/time -o "$out/t" -f "%e %U %S" "$bin" run "$project" -z "$zooms" \
            -j "${JOBS:-2}" --bbox "${BBOX:--125.0,24.0,-66.5,49.5}" \
            --stores dir -o "$dir/out" -q "$@" >/dev/null
        echo "$who $(cat "$out/t")" | tee -a "$log"
    done
done
python3 - "$log" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    who, wall, user, sys_ = line.split()
    runs.setdefault(who, []).append((float(wall), float(user), float(sys_)))
for who, r in sorted(runs.items()):
    print("%s: wall median %.2f s (%s), user median %.2f s, system %.2f s"
          % (who, statistics.median(x[0] for x in r),
             " ".join("%.2f" % x[0] for x in r),
             statistics.median(x[1] for x in r),
             statistics.median(x[2] for x in r)))
PY
rm -f "$out/t"
set_aside "$out"
[ "${KEEP_TRASH:-}" = 1 ] || empty_trash
