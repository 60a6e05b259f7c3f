#!/usr/bin/python3
"""Which boundary level a map's tiles show at a zoom (tests/cli/levels.sh).

usage:
  levels_pixels.py GPKG TILES Z parent|child [MIN]

For every region of GPKG's layer "regions" (the finest level), the pixel
at its point on surface in TILES/Z/x/y.png, taken only where the pixel
grown by 1.5 px on every side lies inside its parent (and, for "child",
inside the region too)
(of layer regions_<parent level>, by parent_code), so no outline or
anti-aliased edge touches it, and 10 px or more from every dot of the
layer "sites" (the needs map draws the recommended sites).  Regions are then grouped by parent:

  parent  the tiles show the parent level: within every parent all the
          sampled pixels have one colour, and at least MIN (default 10)
          parents have two or more samples;
  child   the tiles show the finest level: at least MIN parents have
          samples of two or more colours (their children differ).

Exits 1 with the counts when the tiles show the other level.  Pixels are
those of 256-px web-mercator tiles (docs/tiles.md); colours are compared
exactly on decoded RGBA (tests/golden/compare.py).
"""
import math
import os
import sys

from osgeo import ogr

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "golden"))
from compare import rgba  # noqa: E402

SIZE = 256


def lonlat(px, py, z):
    """The lon/lat of world pixel coordinates px, py at zoom z."""
    n = 2 ** z * SIZE
    lon = px / n * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * py / n))))
    return lon, lat


def world_pixel(lon, lat, z):
    n = 2 ** z * SIZE
    s = math.sin(math.radians(lat))
    return ((lon + 180.0) / 360.0 * n,
            (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n)


def grown_pixel(i, j, z, g=1.5):
    """The pixel (i, j) grown by g px, as a lon/lat polygon."""
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for px, py in ((i - g, j - g), (i + 1 + g, j - g), (i + 1 + g, j + 1 + g),
                   (i - g, j + 1 + g), (i - g, j - g)):
        ring.AddPoint_2D(*lonlat(px, py, z))
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def norm(code):
    """A code as mapgen matches it: "01" is the parent "1" (docs/errors.md)."""
    return str(code).strip().upper().lstrip("0") or "0"


def parent_layer(ds):
    for k in range(ds.GetLayerCount()):
        name = ds.GetLayer(k).GetName()
        if name.startswith("regions_"):
            return ds.GetLayer(k)
    sys.exit("no parent level (layer regions_<level>) in the GeoPackage")


def main():
    gpkg, tiles, z, mode = sys.argv[1:5]
    z, need = int(z), int(sys.argv[5]) if len(sys.argv) > 5 else 10
    ds = ogr.Open(gpkg)
    parents = {norm(f.GetField("code")): f.GetGeometryRef().Clone()
               for f in parent_layer(ds)}
    sites = []
    if ds.GetLayerByName("sites") is not None:
        for f in ds.GetLayerByName("sites"):
            g = f.GetGeometryRef()
            sites.append(world_pixel(g.GetX(), g.GetY(), z))
    cache, by_parent = {}, {}
    for f in ds.GetLayerByName("regions"):
        g, pc = f.GetGeometryRef(), norm(f.GetField("parent_code"))
        if g is None or pc not in parents:
            continue
        p = g.PointOnSurface()
        x, y = world_pixel(p.GetX(), p.GetY(), z)
        i, j = int(x), int(y)
        if any(math.hypot(x - sx, y - sy) < 10 for sx, sy in sites):
            continue
        box = grown_pixel(i, j, z)
        if not parents[pc].Contains(box) or (mode == "child" and
                                             not g.Contains(box)):
            continue
        t = (i // SIZE, j // SIZE)
        if t not in cache:
            path = os.path.join(tiles, str(z), str(t[0]), "%d.png" % t[1])
            cache[t] = rgba(path) if os.path.exists(path) else None
        if cache[t] is None:
            sys.exit("no tile %s/%d/%d/%d.png" % (tiles, z, t[0], t[1]))
        c = tuple(int(v) for v in cache[t][:, j % SIZE, i % SIZE])
        by_parent.setdefault(pc, []).append(c)
    multi = {k: v for k, v in by_parent.items() if len(v) >= 2}
    varied = [k for k, v in multi.items() if len(set(v)) > 1]
    print("zoom %d: %d parents with 2+ samples, %d of them with 2+ colours"
          % (z, len(multi), len(varied)))
    if mode == "parent" and (varied or len(multi) < need):
        sys.exit("zoom %d does not show the parent level: %s" %
                 (z, ", ".join("%s %s" % (k, sorted(set(multi[k])))
                               for k in varied[:3]) or "too few samples"))
    if mode == "child" and len(varied) < need:
        sys.exit("zoom %d does not show the finest level: only %d parents "
                 "with children of different colours" % (z, len(varied)))


if __name__ == "__main__":
    main()
