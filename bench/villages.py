#!/usr/bin/python3
"""Village-level benchmark data of a whole country (issue 12, bench/scale.sh).

    /usr/bin/python3 bench/villages.py OUT_DIR [--villages N] [--seed S]
                                       [--country FILE]

N is 40000, 200000 or 600000 (any N >= 2000 works; default 40000).  Needs
numpy, scipy and GDAL's Python bindings (`make bench-deps`: python3-numpy,
python3-scipy, python3-gdal; the /usr/bin/python3 of this machine has them).

What it makes, the same files for the same N and SEED:

  villages.gpkg   three polygon layers, finest first:
                    villages  (N)       code: 12 digits, township: 9 digits
                    townships (N / 15)  code: 9 digits,  county: 6 digits
                    counties  (N / 210) code: 6 digits,  province name
                  600,000 villages give 40,000 townships and 2,857 counties,
                  about China's numbers.  Codes follow GB/T 2260 and its
                  extension for townships and villages: 2 digits province
                  (the real province codes, 11 Beijing .. 65 Xinjiang), 2
                  prefecture, 2 county; then 3 township, then 3 village.
  recipients.csv  one row per village: code and counts of the three groups
  providers.csv   max(5000, N / 12) service points near villages: lon, lat,
                  category, capacity 5..80
  project.json    the three levels joined, the providers and recipients

How the polygons are made: village seeds are drawn inside the country
outline (the dissolved provinces of Natural Earth admin-1, China by default)
from a mixture of clusters (towns) and a background, denser to the east and
south-east as China's population is; each village is the Voronoi cell of its
seed, cut to the outline.  Township centres are a random subset of village
seeds and each village belongs to the nearest one; county centres are a
random subset of township centres and each township belongs to the nearest
one; a township or county polygon is the union of its children's.  So the
three levels nest exactly, share borders vertex for vertex and are
irregular, with small cells in dense areas and large ones in the west.
"""
import argparse
import csv
import json
import math
import os
import sys

import numpy as np
from osgeo import gdal, ogr, osr
from scipy.spatial import Voronoi, cKDTree

HERE = os.path.dirname(os.path.abspath(__file__))
NE = os.path.join(HERE, "..", "..", "..", "shared", "geodata", "ne-admin1",
                  "ne_10m_admin1_china.geojson")
if not os.path.exists(NE):
    NE = "/work/shared/geodata/ne-admin1/ne_10m_admin1_china.geojson"

# GB/T 2260 province codes by Natural Earth's iso_3166_2 suffix.
PROVINCES = {
    "BJ": 11, "TJ": 12, "HE": 13, "SX": 14, "NM": 15, "LN": 21, "JL": 22,
    "HL": 23, "SH": 31, "JS": 32, "ZJ": 33, "AH": 34, "FJ": 35, "JX": 36,
    "SD": 37, "HA": 41, "HB": 42, "HN": 43, "GD": 44, "GX": 45, "HI": 46,
    "CQ": 50, "SC": 51, "GZ": 52, "YN": 53, "XZ": 54, "SN": 61, "GS": 62,
    "QH": 63, "NX": 64, "XJ": 65, "TW": 71, "HK": 81, "MO": 82,
}
CATS = ["consultation", "economic_aid", "rehabilitation", "promotion"]
CELL = 0.02  # degrees: the raster of the outline used to place seeds


def read_country(path):
    """The provinces (geometry, GB/T 2260 code) and their union."""
    ds = ogr.Open(path)
    lyr = ds.GetLayer(0)
    provs, union = [], ogr.Geometry(ogr.wkbMultiPolygon)
    for f in lyr:
        g = f.GetGeometryRef().Clone()
        iso = (f.GetField("iso_3166_2") or "CN-XX").split("-")[-1]
        provs.append((g, PROVINCES.get(iso, 99)))
        g = ogr.ForceToMultiPolygon(g)
        for i in range(g.GetGeometryCount()):
            union.AddGeometry(g.GetGeometryRef(i))
    return provs, union.UnionCascaded()


def outline_mask(outline):
    """A raster of the outline: 1 inside.  Returns mask, x0, y0 (north)."""
    w, e, s, n = outline.GetEnvelope()
    nx, ny = int(math.ceil((e - w) / CELL)), int(math.ceil((n - s) / CELL))
    drv = gdal.GetDriverByName("MEM")
    r = drv.Create("", nx, ny, 1, gdal.GDT_Byte)
    r.SetGeoTransform((w, CELL, 0, n, 0, -CELL))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    r.SetProjection(srs.ExportToWkt())
    mem = ogr.GetDriverByName("Memory").CreateDataSource("")
    lyr = mem.CreateLayer("o", srs, geom_type=ogr.wkbMultiPolygon)
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetGeometry(outline)
    lyr.CreateFeature(f)
    gdal.RasterizeLayer(r, [1], lyr, burn_values=[1])
    return r.ReadAsArray().astype(bool), w, n


def draw_seeds(rng, n, mask, x0, y0):
    """n points inside the mask: 70 % in clusters, 30 % background, both
    weighted to the east and south (China's population)."""
    iy, ix = np.nonzero(mask)
    lon = x0 + (ix + 0.5) * CELL
    lat = y0 - (iy + 0.5) * CELL
    weight = np.exp((lon - 120.0) / 9.0) * np.exp(-np.abs(lat - 30.0) / 12.0)
    weight /= weight.sum()
    centres = rng.choice(len(lon), size=max(50, n // 400), p=weight)
    pts = []
    while sum(len(p) for p in pts) < n:
        m = n
        k = rng.random(m) < 0.7
        c = rng.choice(centres, size=m)
        b = rng.choice(len(lon), size=m, p=weight)
        spread = rng.gamma(2.0, 0.25, size=m)
        px = np.where(k, lon[c] + rng.normal(0, 1, m) * spread,
                      lon[b] + rng.uniform(-CELL / 2, CELL / 2, m))
        py = np.where(k, lat[c] + rng.normal(0, 1, m) * spread,
                      lat[b] + rng.uniform(-CELL / 2, CELL / 2, m))
        jx = ((px - x0) / CELL).astype(int)
        jy = ((y0 - py) / CELL).astype(int)
        ok = (jx >= 0) & (jx < mask.shape[1]) & (jy >= 0) & (jy < mask.shape[0])
        ok[ok] &= mask[jy[ok], jx[ok]]
        pts.append(np.column_stack([px[ok], py[ok]]))
    p = np.unique(np.round(np.concatenate(pts), 6), axis=0)
    p = p[rng.permutation(len(p))][:n]
    return p


def voronoi_cells(seeds, outline, mask, x0, y0):
    """The Voronoi cell of each seed, cut to the outline (OGR geometries)."""
    w, e, s, n = outline.GetEnvelope()
    pad = 10.0
    frame = np.array([[w - pad, s - pad], [w - pad, n + pad],
                      [e + pad, s - pad], [e + pad, n + pad]])
    vor = Voronoi(np.vstack([seeds, frame]))
    inner = mask.copy()
    inner[1:, :] &= mask[:-1, :]
    inner[:-1, :] &= mask[1:, :]
    inner[:, 1:] &= mask[:, :-1]
    inner[:, :-1] &= mask[:, 1:]
    v = vor.vertices
    jx = np.clip(((v[:, 0] - x0) / CELL).astype(int), 0, mask.shape[1] - 1)
    jy = np.clip(((y0 - v[:, 1]) / CELL).astype(int), 0, mask.shape[0] - 1)
    deep = inner[jy, jx] & (v[:, 0] > w) & (v[:, 0] < e)
    cells = []
    for i in range(len(seeds)):
        reg = vor.regions[vor.point_region[i]]
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for k in reg + [reg[0]]:
            ring.AddPoint_2D(float(v[k, 0]), float(v[k, 1]))
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometry(ring)
        if not all(deep[k] for k in reg):
            poly = poly.Intersection(outline)
        cells.append(poly)
    return cells


def nearest(points, centres):
    return cKDTree(centres).query(points)[1]


def dissolve(cells, owner, n_owner):
    parts = [ogr.Geometry(ogr.wkbMultiPolygon) for _ in range(n_owner)]
    for g, o in zip(cells, owner):
        gt = ogr.GT_Flatten(g.GetGeometryType())
        if gt == ogr.wkbPolygon:
            parts[o].AddGeometry(g)
        elif gt in (ogr.wkbMultiPolygon, ogr.wkbGeometryCollection):
            for k in range(g.GetGeometryCount()):
                sub = g.GetGeometryRef(k)
                if ogr.GT_Flatten(sub.GetGeometryType()) == ogr.wkbPolygon:
                    parts[o].AddGeometry(sub)
    return [p.UnionCascaded() for p in parts]


def county_codes(provs, centres):
    """6-digit codes: the province holding each county centre, prefectures
    of up to 15 counties in order of latitude then longitude."""
    prov = np.full(len(centres), 0)
    for i, (x, y) in enumerate(centres):
        pt = ogr.Geometry(ogr.wkbPoint)
        pt.AddPoint_2D(float(x), float(y))
        best, dist = 99, float("inf")
        for g, code in provs:
            d = 0.0 if g.Contains(pt) else g.Distance(pt)
            if d < dist:
                best, dist = code, d
            if d == 0.0:
                break
        prov[i] = best
    codes = [None] * len(centres)
    for p in sorted(set(prov)):
        idx = [i for i in range(len(centres)) if prov[i] == p]
        idx.sort(key=lambda i: (-centres[i][1], centres[i][0]))
        for k, i in enumerate(idx):
            codes[i] = "%02d%02d%02d" % (p, k // 15 + 1, k % 15 + 1)
    return codes


def child_codes(parent_codes, owner, width):
    """Codes of children: the parent's code and a running number."""
    count, out = {}, []
    for o in owner:
        count[o] = count.get(o, 0) + 1
        out.append("%s%0*d" % (parent_codes[o], width, count[o]))
    return out


def write_layer(ds, name, geoms, fields):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lyr = ds.CreateLayer(name, srs, ogr.wkbMultiPolygon,
                         ["SPATIAL_INDEX=NO"])
    for k in fields:
        lyr.CreateField(ogr.FieldDefn(k, ogr.OFTString))
    lyr.StartTransaction()
    for i, g in enumerate(geoms):
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in fields.items():
            f.SetField(k, v[i])
        f.SetGeometry(ogr.ForceToMultiPolygon(g))
        lyr.CreateFeature(f)
    lyr.CommitTransaction()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--villages", type=int, default=40000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--country", default=NE)
    a = ap.parse_args()
    if a.villages < 2000:
        sys.exit("villages.py: --villages must be at least 2000")
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    provs, outline = read_country(a.country)
    mask, x0, y0 = outline_mask(outline)
    seeds = draw_seeds(rng, a.villages, mask, x0, y0)
    n_t, n_c = max(1, len(seeds) // 15), max(1, len(seeds) // 210)
    t_idx = rng.choice(len(seeds), size=n_t, replace=False)
    c_idx = rng.choice(n_t, size=n_c, replace=False)
    t_of_v = nearest(seeds, seeds[t_idx])
    c_of_t = nearest(seeds[t_idx], seeds[t_idx][c_idx])
    c_codes = county_codes(provs, seeds[t_idx][c_idx])
    t_codes = child_codes(c_codes, c_of_t, 3)
    v_codes = child_codes(t_codes, t_of_v, 3)
    print("villages.py: %d villages, %d townships, %d counties" %
          (len(seeds), n_t, n_c), file=sys.stderr)
    cells = voronoi_cells(seeds, outline, mask, x0, y0)
    towns = dissolve(cells, t_of_v, n_t)
    counties = dissolve(towns, c_of_t, n_c)
    path = os.path.join(a.out, "villages.gpkg")
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    write_layer(ds, "villages", cells,
                {"code": v_codes, "township": [t_codes[t] for t in t_of_v]})
    write_layer(ds, "townships", towns,
                {"code": t_codes, "county": [c_codes[c] for c in c_of_t]})
    write_layer(ds, "counties", counties, {"code": c_codes})
    ds = None
    with open(os.path.join(a.out, "recipients.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "family_poverty", "self_dilemma", "guardianship"])
        counts = rng.integers([0, 0, 0], [60, 12, 16], size=(len(seeds), 3))
        for code, c in zip(v_codes, counts):
            w.writerow([code, int(c[0]), int(c[1]), int(c[2])])
    n_p = max(5000, len(seeds) // 12)
    at = rng.choice(len(seeds), size=n_p)
    jit = rng.normal(0, 0.002, size=(n_p, 2))
    with open(os.path.join(a.out, "providers.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["lon", "lat", "category", "capacity"])
        cat = rng.integers(0, 4, n_p)
        cap = rng.integers(5, 81, n_p)
        for (x, y), (dx, dy), c, k in zip(seeds[at], jit, cat, cap):
            w.writerow(["%.6f" % (x + dx), "%.6f" % (y + dy), CATS[c], int(k)])
    project = {
        "name": "villages",
        "title": "Synthetic village-level benchmark (bench/villages.py)",
        "boundaries": [
            {"level": "village", "path": "villages.gpkg", "layer": "villages",
             "code_field": "code", "parent_code_field": "township"},
            {"level": "township", "path": "villages.gpkg",
             "layer": "townships", "code_field": "code",
             "parent_code_field": "county"},
            {"level": "county", "path": "villages.gpkg", "layer": "counties",
             "code_field": "code"}],
        "providers": {"path": "providers.csv", "lon_field": "lon",
                      "lat_field": "lat", "category_field": "category",
                      "capacity_field": "capacity"},
        "recipients": {"path": "recipients.csv", "code_field": "code"},
        "maps": [{"name": "needs", "style": "needs"}]}
    with open(os.path.join(a.out, "project.json"), "w") as f:
        json.dump(project, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
