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
python3 - "$work" <<'PY'
import json, random, sys, os
out = sys.argv[1]
random.seed(7)
n = 200; step = 0.05; x0, y0 = 20.0, 40.0
feats = []
with open(os.path.join(out, "recipients.csv"), "w") as r:
    r.write("code,family_poverty,self_dilemma,guardianship\n")
    for i in range(n):
        for j in range(n):
            x, y = x0 + i * step, y0 + j * step
            code = "%06d" % (i * n + j)
            ring = [[x, y], [x + step, y], [x + step, y + step], [x, y + step], [x, y]]
            feats.append({"type": "Feature", "properties": {"code": code,
                          "county": "C%03d" % ((i // 10) * 20 + j // 10)},
                          "geometry": {"type": "Polygon", "coordinates": [ring]}})
            r.write("%s,%d,%d,%d\n" % (code, random.randint(0, 300),
                    random.randint(0, 60), random.randint(0, 80)))
json.dump({"type": "FeatureCollection", "features": feats},
          open(os.path.join(out, "townships.geojson"), "w"))
cats = ["consultation", "economic_aid", "rehabilitation", "promotion"]
with open(os.path.join(out, "providers.csv"), "w") as p:
    p.write("lon,lat,category,capacity\n")
    for k in range(100000):
        p.write("%.6f,%.6f,%s,%d\n" % (x0 + random.random() * n * step,
                y0 + random.random() * n * step, random.choice(cats),
                random.randint(5, 80)))
json.dump({"name": "bench",
  "boundaries": [{"level": "township", "path": "townships.geojson",
                  "code_field": "code", "parent_code_field": "county"}],
  "providers": {"path": "providers.csv", "lon_field": "lon", "lat_field": "lat",
                "category_field": "category", "capacity_field": "capacity"},
  "recipients": {"path": "recipients.csv", "code_field": "code"}},
  open(os.path.join(out, "project.json"), "w"))
PY
echo "mapgen run: 40,000 townships (+400 dissolved counties), 100,000 providers"
/usr/bin/time -f "wall %e s, peak memory %M KiB" \
    "$bin" run "$work/project.json" -o "$work/out" --force --quiet --no-tiles
