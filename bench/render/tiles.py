#!/usr/bin/python3
"""Tile helpers for bench/render (run with Debian's /usr/bin/python3).

  tiles.py list ZMIN ZMAX [BBOX]     print "z x y" of every XYZ tile that overlaps
                                     BBOX (lon/lat: minlon,minlat,maxlon,maxlat)
  tiles.py count ZMIN ZMAX [BBOX]    print the number of those tiles per zoom
  tiles.py bbox3857 [BBOX]           print BBOX in EPSG:3857 metres
  tiles.py check DIR [LIST]          count the PNG tiles under DIR and how many
                                     are fully transparent (every alpha = 0);
                                     with LIST (lines "z x y", as `list` prints)
                                     only DIR/z/x/y.png of the list are counted
                                     and the others are reported as "extra";
                                     prints JSON.
  tiles.py args2img ZOOM OUTDIR MAPFILE [BBOX]
                                     print map2img arguments, one tile a line
                                     (for xargs -L 1), creating OUTDIR/z/x/.

The benchmark extent, identical for every tool, is the conterminous US
(lower 48): BBOX default -125.0,24.0,-66.5,49.5.  A tile is in the set when its
square overlaps the box with positive area.
"""
import json
import math
import os
import sys

DEFAULT_BBOX = "-125.0,24.0,-66.5,49.5"
R = 6378137.0
HALF = math.pi * R


def merc(lon, lat):
    x = math.radians(lon) * R
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * R
    return x, y


def parse_bbox(s):
    a = [float(v) for v in s.split(",")]
    assert len(a) == 4 and a[0] < a[2] and a[1] < a[3], s
    return a


def tile_range(z, bbox):
    minx, miny = merc(bbox[0], bbox[1])
    maxx, maxy = merc(bbox[2], bbox[3])
    n = 1 << z
    size = 2 * HALF / n
    x0 = int(math.floor((minx + HALF) / size))
    x1 = int(math.ceil((maxx + HALF) / size)) - 1
    y0 = int(math.floor((HALF - maxy) / size))   # XYZ: y grows southwards
    y1 = int(math.ceil((HALF - miny) / size)) - 1
    clamp = lambda v: max(0, min(n - 1, v))
    return clamp(x0), clamp(x1), clamp(y0), clamp(y1)


def tiles(zmin, zmax, bbox):
    for z in range(zmin, zmax + 1):
        x0, x1, y0, y1 = tile_range(z, bbox)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                yield z, x, y


def tile_bounds(z, x, y):
    """EPSG:3857 bounds (minx, miny, maxx, maxy) of XYZ tile z/x/y."""
    size = 2 * HALF / (1 << z)
    minx = -HALF + x * size
    maxy = HALF - y * size
    return minx, maxy - size, minx + size, maxy


def is_transparent(path):
    """True when every pixel of the PNG has alpha 0."""
    from osgeo import gdal
    ds = gdal.Open(path)
    if ds is None:
        raise RuntimeError("cannot open " + path)
    nb = ds.RasterCount
    if nb in (2, 4):
        a = ds.GetRasterBand(nb).ReadRaster()
        return a.count(0) == len(a)
    if nb == 1:
        b = ds.GetRasterBand(1)
        ct = b.GetColorTable()
        if ct is None:                       # grey without alpha (or tRNS key)
            nd = b.GetNoDataValue()
            if nd is None:
                return False
            d = b.ReadRaster()
            return d.count(int(nd)) == len(d)
        alphas = [ct.GetColorEntry(i)[3] for i in range(ct.GetCount())]
        d = b.ReadRaster()
        used = set(d)
        return all(alphas[i] == 0 for i in used)
    return False                             # RGB without alpha: opaque


def walk_png(root):
    for dp, dn, fn in os.walk(root):
        for f in fn:
            if f.lower().endswith(".png"):
                yield os.path.join(dp, f)


def check(root, listfile=None):
    total = transparent = nbytes = links = missing = 0
    if listfile:
        paths = []
        for line in open(listfile):
            z, x, y = line.split()
            paths.append(os.path.join(root, z, x, y + ".png"))
    else:
        paths = list(walk_png(root))
    for p in paths:
        if not os.path.exists(p):
            missing += 1
            continue
        total += 1
        if os.path.islink(p):
            links += 1
        nbytes += os.path.getsize(p)
        if is_transparent(p):
            transparent += 1
    res = {"tiles": total, "transparent": transparent, "symlinks": links,
           "bytes": nbytes}
    if listfile:
        res["missing"] = missing
        res["extra"] = sum(1 for _ in walk_png(root)) - total
    return res


def args2img(z, out, mapfile, bbox):
    """map2img takes the extent from the centre of the corner pixels (as
    MapServer's EXTENT), so each tile's square is shrunk by half a pixel."""
    x0, x1, y0, y1 = tile_range(z, bbox)
    w = sys.stdout.write
    for x in range(x0, x1 + 1):
        os.makedirs(os.path.join(out, str(z), str(x)), exist_ok=True)
        for y in range(y0, y1 + 1):
            minx, miny, maxx, maxy = tile_bounds(z, x, y)
            h = (maxx - minx) / 256 / 2
            w("-m %s -o %s -e %.6f %.6f %.6f %.6f -s 256 256\n" % (
                mapfile, os.path.join(out, str(z), str(x), "%d.png" % y),
                minx + h, miny + h, maxx - h, maxy - h))


def main(argv):
    cmd = argv[1] if len(argv) > 1 else "-h"
    if cmd == "list":
        bbox = parse_bbox(argv[4] if len(argv) > 4 else DEFAULT_BBOX)
        out = sys.stdout
        for z, x, y in tiles(int(argv[2]), int(argv[3]), bbox):
            out.write("%d %d %d\n" % (z, x, y))
    elif cmd == "count":
        bbox = parse_bbox(argv[4] if len(argv) > 4 else DEFAULT_BBOX)
        total = 0
        for z in range(int(argv[2]), int(argv[3]) + 1):
            x0, x1, y0, y1 = tile_range(z, bbox)
            n = (x1 - x0 + 1) * (y1 - y0 + 1)
            total += n
            print("z%d %d (x %d-%d, y %d-%d)" % (z, n, x0, x1, y0, y1))
        print("total %d" % total)
    elif cmd == "bbox3857":
        b = parse_bbox(argv[2] if len(argv) > 2 else DEFAULT_BBOX)
        minx, miny = merc(b[0], b[1])
        maxx, maxy = merc(b[2], b[3])
        print("%.3f,%.3f,%.3f,%.3f" % (minx, miny, maxx, maxy))
    elif cmd == "check":
        print(json.dumps(check(argv[2], argv[3] if len(argv) > 3 else None)))
    elif cmd == "args2img":
        bbox = parse_bbox(argv[5] if len(argv) > 5 else DEFAULT_BBOX)
        args2img(int(argv[2]), argv[3], argv[4], bbox)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
