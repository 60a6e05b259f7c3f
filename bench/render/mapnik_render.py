#!/usr/bin/python3
"""Render the benchmark's XYZ pyramid with Mapnik (Debian's python3-mapnik).

usage: /usr/bin/python3 mapnik_render.py ZMIN ZMAX OUTDIR [-j PROCS] [--bbox=B]
                                        [--metatile N]

Writes OUTDIR/Z/X/Y.png (256 x 256, 32-bit RGBA "png32", transparent
background) for every tile of tiles.py's set (conterminous US by default),
with the style of style.json: 5 fixed classes on `value`, YlOrRd 5 fills,
0.5 px outline.  Data: work/counties_3857.shp (already EPSG:3857, + .qix).
PROCS worker processes (default 2) each build the map once and render tiles
handed out in chunks.  --metatile N (as renderd/mod_tile do, default 1)
renders blocks of N x N tiles aligned on multiples of N as one image
(N*256 px, clipped to the world at low zooms) and cuts the tiles of the set
out of it; tiles of a block that are outside the set are not written.  Prints "tiles N transparent T seconds S" at the end.
"""
import json
import multiprocessing as mp
import os
import sys
import time

import mapnik

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True          # no __pycache__ in bench/render/
sys.path.insert(0, HERE)
import tiles as T  # noqa: E402

MERC = ("+proj=merc +a=6378137 +b=6378137 +lat_ts=0.0 +lon_0=0.0 +x_0=0.0 "
        "+y_0=0.0 +k=1.0 +units=m +nadgrids=@null +wktext +no_defs +over")

_map = None
_out = None


def build_map():
    style = json.load(open(os.path.join(HERE, "style.json")))
    m = mapnik.Map(256, 256, MERC)
    m.background = mapnik.Color(0, 0, 0, 0)          # transparent
    s = mapnik.Style()
    field = style["field"]
    b = style["breaks"]
    bounds = [None] + b + [None]
    for i, color in enumerate(style["colors"]):
        lo, hi = bounds[i], bounds[i + 1]
        cond = []
        if lo is not None:
            cond.append("[%s] >= %s" % (field, lo))
        if hi is not None:
            cond.append("[%s] < %s" % (field, hi))
        r = mapnik.Rule()
        r.filter = mapnik.Expression(" and ".join(cond))
        ps = mapnik.PolygonSymbolizer()
        ps.fill = mapnik.Color(color)
        r.symbols.append(ps)
        ls = mapnik.LineSymbolizer()
        ls.stroke = mapnik.Color(style["outline_color"])
        ls.stroke_width = float(style["outline_width_px"])
        r.symbols.append(ls)
        s.rules.append(r)
    m.append_style("counties", s)
    lyr = mapnik.Layer("counties", MERC)
    lyr.datasource = mapnik.Shapefile(
        file=os.path.join(HERE, "work", "counties_3857.shp"))
    lyr.styles.append("counties")
    m.layers.append(lyr)
    return m


def init(out):
    global _map, _out
    _map = build_map()
    _out = out


def render(batch):
    """batch: list of (z, mx, my, w, h, [(x, y), ...]) blocks of w x h tiles
    whose top-left tile is (mx, my); the listed tiles are written."""
    n = 0
    made = set()
    for z, mx, my, w, h, want in batch:
        minx, _, _, maxy = T.tile_bounds(z, mx, my)
        _, miny, maxx, _ = T.tile_bounds(z, mx + w - 1, my + h - 1)
        _map.resize(256 * w, 256 * h)
        _map.zoom_to_box(mapnik.Box2d(minx, miny, maxx, maxy))
        im = mapnik.Image(256 * w, 256 * h)
        mapnik.render(_map, im)
        for x, y in want:
            d = os.path.join(_out, str(z), str(x))
            if d not in made:
                os.makedirs(d, exist_ok=True)
                made.add(d)
            t = im if w == 1 and h == 1 else \
                im.view((x - mx) * 256, (y - my) * 256, 256, 256)
            t.save(os.path.join(d, "%d.png" % y), "png32")
            n += 1
    return n


def blocks(todo, m):
    """Group tiles into m x m metatiles aligned on multiples of m."""
    by = {}
    for z, x, y in todo:
        by.setdefault((z, x - x % m, y - y % m), []).append((x, y))
    out = []
    for (z, mx, my), want in sorted(by.items()):
        n = 1 << z
        out.append((z, mx, my, min(m, n - mx), min(m, n - my), want))
    return out


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("zmin", type=int)
    ap.add_argument("zmax", type=int)
    ap.add_argument("out")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--bbox", default=T.DEFAULT_BBOX)
    ap.add_argument("--chunk", type=int, default=32, help="tiles per batch")
    ap.add_argument("--metatile", type=int, default=1)
    a = ap.parse_args()
    bbox = T.parse_bbox(a.bbox)
    todo = blocks(list(T.tiles(a.zmin, a.zmax, bbox)), a.metatile)
    per = max(1, a.chunk // (a.metatile * a.metatile))
    batches = [todo[i:i + per] for i in range(0, len(todo), per)]
    t0 = time.monotonic()
    if a.j <= 1:
        init(a.out)
        n = sum(render(b) for b in batches)
    else:
        with mp.Pool(a.j, initializer=init, initargs=(a.out,)) as pool:
            n = sum(pool.imap_unordered(render, batches))
    dt = time.monotonic() - t0
    print("tiles %d seconds %.3f tiles/s %.1f" % (n, dt, n / dt if dt else 0))


if __name__ == "__main__":
    main()
