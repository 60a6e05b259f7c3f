#!/usr/bin/env bash
# Times the siting methods and 3SFCA at national township scale
# (docs/performance.md, "Exact siting and 3SFCA"): the 200 x 200 township
# grid of bench/townships.py (40,000 demand points) with 50,000 providers,
# and 2,000 candidate sites uniform over the grid.  `mapgen run` makes the
# GeoPackage (not timed); then, each timed alone, with `mapgen site`:
#   greedy MCLP    50 sites, 10 km
#   exact MCLP     the same, GLPK, time limit TL seconds (default 60)
#   LSCP           the fewest sites within 60 km of every township, TL
#   p-center       50 sites, TL
# and `mapgen access`: Gaussian 30 km, 2SFCA and 3SFCA (--steps 3), over
# 40,000 regions x 50,000 providers (all four categories).
# Prints wall time and peak memory, and the solver/gap columns of the sites.
# Usage: bench/siting.sh [BUILD_DIR] [TL]   (default: build, 60)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin="${1:-$here/build}/mapgen/mapgen"
tl=${2:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/bench/townships.py" "$work" 11 50000
python3 - "$work/candidates.csv" <<'PY'
import random, sys
random.seed(12)
with open(sys.argv[1], "w") as f:
    f.write("id,lon,lat\n")
    for k in range(2000):
        f.write("S%04d,%.6f,%.6f\n" % (k, 20 + 10 * random.random(),
                                        40 + 10 * random.random()))
PY
"$bin" run "$work/project.json" -o "$work/out" --force --quiet --no-tiles
gpkg=$work/out/bench.gpkg
cand=(--candidates "$work/candidates.csv" --lon-field lon --lat-field lat
      --id-field id --need gap --force)
timed() {
    echo "$1"
    shift
    /usr/bin/time -f "  wall %e s, peak memory %M KiB" "$@" ||
        echo "  (exit $?)"
}
summary() {
    sqlite3 "$gpkg" "SELECT '  ' || method || ': ' || count(*) || ' sites, '
        || 'solver ' || solver || ', gap ' || ifnull(gap, 'NULL')
        || ', need covered ' || round(max(cumulative_need_covered))
        || ', radius ' || round(max(radius), 3)
        FROM sites GROUP BY method, solver"
}
timed "greedy MCLP: 50 of 2,000 candidates, 10 km, 40,000 townships" \
    "$bin" site "$gpkg" -C rehabilitation -k 50 -R 10 -m mclp \
    --solver greedy "${cand[@]}" -q
summary
timed "exact MCLP: the same, GLPK, time limit $tl s" \
    "$bin" site "$gpkg" -C rehabilitation -k 50 -R 10 -m mclp \
    --solver exact --time-limit "$tl" "${cand[@]}" -q
summary
timed "LSCP: fewest of 2,000 candidates within 60 km of every township" \
    "$bin" site "$gpkg" -C rehabilitation -R 60 -m lscp \
    --time-limit "$tl" "${cand[@]}" -q
summary
timed "p-center: 50 of 2,000 candidates" \
    "$bin" site "$gpkg" -C rehabilitation -k 50 -m pcenter \
    --time-limit "$tl" "${cand[@]}" -q
summary
timed "2SFCA: 40,000 regions x 50,000 providers, Gaussian 30 km" \
    "$bin" access "$gpkg" -m gaussian -c 30 -q
timed "3SFCA: the same with --steps 3" \
    "$bin" access "$gpkg" -m gaussian -c 30 --steps 3 -q
