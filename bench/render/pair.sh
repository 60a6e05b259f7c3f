#!/usr/bin/env bash
# Two mapgen binaries in alternation on the rendering benchmark's project
# (bench/render/work, made by setup.sh): A, B, A, B, ... ROUNDS times each,
# every round's wall and user CPU seconds printed, then each binary's
# medians.  For a change's effect on mapgen alone: the machine drifts
# 20-40 % from minute to minute, so only rounds run in turn compare.
# Usage: bench/render/pair.sh A/mapgen B/mapgen [ZOOMS [ROUNDS [args...]]]
#        e.g. bench/render/pair.sh ../base/build/mapgen/mapgen \
#                 build/mapgen/mapgen 0-8 5
# Outputs go to fresh folders under work/pair/ (deleted at the end: see
# lib.sh on deleting many files before a timed run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work="$here/work"
[ $# -ge 2 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
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
        /usr/bin/time -o "$out/t" -f "%e %U" "$bin" run "$project" -z "$zooms" \
            -j "${JOBS:-2}" --bbox "${BBOX:--125.0,24.0,-66.5,49.5}" \
            --stores dir -o "$dir/out" -q "$@" >/dev/null
        echo "$who $(cat "$out/t")" | tee -a "$log"
    done
done
python3 - "$log" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    who, wall, user = line.split()
    runs.setdefault(who, []).append((float(wall), float(user)))
for who, r in sorted(runs.items()):
    print("%s: wall median %.2f s (%s), user median %.2f s"
          % (who, statistics.median(w for w, _ in r),
             " ".join("%.2f" % w for w, _ in r),
             statistics.median(u for _, u in r)))
PY
rm -rf "$out"
