#!/usr/bin/env bash
# Times `mapgen run` on a synthetic national-scale join: a 200 x 200 grid of
# township polygons (40,000) under 400 counties, 100,000 providers placed by
# point-in-polygon, and a recipient row per township.  Prints wall time and
# peak memory.  Usage: bench/join.sh [BUILD_DIR]   (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin="${1:-$here/build}/mapgen/mapgen"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/bench/townships.py" "$work" 7 100000
echo "mapgen run: 40,000 townships (+400 dissolved counties), 100,000 providers"
/usr/bin/time -f "wall %e s, peak memory %M KiB" \
    "$bin" run "$work/project.json" -o "$work/out" --force --quiet --no-tiles
