#!/usr/bin/env python3
"""The synthetic national-scale input of bench/join.sh and bench/access.sh.

    python3 bench/townships.py OUT_DIR SEED N_PROVIDERS

Writes into OUT_DIR: townships.geojson (a 200 x 200 grid of 0.05-degree
township polygons from 20 E, 40 N, each under one of 400 counties of 10 x 10
townships, codes 000000..039999 and C000..C399), recipients.csv (a row per
township, random counts of the three groups), providers.csv (N_PROVIDERS
points uniform over the grid, random category and capacity 5..80) and
project.json joining them.  The same SEED gives the same files.
"""
import json
import os
import random
import sys

out, seed, n_providers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(seed)
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
with open(os.path.join(out, "townships.geojson"), "w") as f:
    json.dump({"type": "FeatureCollection", "features": feats}, f)
cats = ["consultation", "economic_aid", "rehabilitation", "promotion"]
with open(os.path.join(out, "providers.csv"), "w") as p:
    p.write("lon,lat,category,capacity\n")
    for k in range(n_providers):
        p.write("%.6f,%.6f,%s,%d\n" % (x0 + random.random() * n * step,
                y0 + random.random() * n * step, random.choice(cats),
                random.randint(5, 80)))
with open(os.path.join(out, "project.json"), "w") as f:
    json.dump({"name": "bench",
      "boundaries": [{"level": "township", "path": "townships.geojson",
                      "code_field": "code", "parent_code_field": "county"}],
      "providers": {"path": "providers.csv", "lon_field": "lon", "lat_field": "lat",
                    "category_field": "category", "capacity_field": "capacity"},
      "recipients": {"path": "recipients.csv", "code_field": "code"}}, f)
