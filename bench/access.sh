#!/usr/bin/env bash
# Times accessibility and siting at national township scale: a 200 x 200
# grid of township polygons (40,000, 0.05 degree cells, about 5.5 km)
# under 400 counties, 50,000 providers and a recipient row per township.
# `mapgen run` makes the GeoPackage (not timed); then, each timed alone:
#   mapgen access  Gaussian 2SFCA, 30 km catchment, all four categories
#   mapgen site    10 rehabilitation sites, 20 km radius, maximal covering
#                  over the 40,000 townships as candidates
# Prints wall time and peak memory of each, and the pairs within reach.
# Usage: bench/access.sh [BUILD_DIR]   (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin="${1:-$here/build}/mapgen/mapgen"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/bench/townships.py" "$work" 11 50000
"$bin" run "$work/project.json" -o "$work/out" --force --quiet --no-tiles
gpkg=$work/out/bench.gpkg
echo "mapgen access: 40,000 townships x 50,000 providers, Gaussian 2SFCA 30 km, 4 categories"
/usr/bin/time -f "wall %e s, peak memory %M KiB" \
    "$bin" access "$gpkg" -m gaussian -c 30 -q
echo "mapgen site: 10 sites among 40,000 candidates, 20 km, maximal covering"
/usr/bin/time -f "wall %e s, peak memory %M KiB" \
    "$bin" site "$gpkg" -C rehabilitation -k 10 -R 20 --capacity 30 -q --force
