#!/usr/bin/python3
"""Pixels of the recommended sites in a map's XYZ tiles (tests/cli/sites.sh).

usage:
  site_pixels.py sites GPKG TILES Z COLOUR RADIUS WIDTH [WHERE]
      every site of GPKG's layer "sites" (those matching the SQL WHERE)
      is a dot of COLOUR in TILES/Z/x/y.png: every pixel within
      RADIUS - 1.5 px of the site is COLOUR, the rim (RADIUS, the middle of
      an edge WIDTH wide) is dark when WIDTH is 1.5 or more, and no pixel
      from RADIUS + WIDTH/2 + 1 to + 4 px is COLOUR.  Exits 1, naming the
      site and pixel, if not.
  site_pixels.py at TILES Z LON LAT
      prints the colour (#rrggbbaa) of the pixel at LON LAT
  site_pixels.py count COLOUR PATH...
      prints how many pixels of COLOUR the PNGs hold (PATH: a PNG file or
      a folder of them, searched recursively)

Pixels are those of 256-px web-mercator (EPSG:3857) tiles: at zoom z the
world is 2^z * 256 pixels wide, x east from 180 W, y south from 85.05 N.
Colours are compared exactly on decoded RGBA (tests/golden/compare.py).
"""
import math
import os
import sqlite3
import sys

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "golden"))
from compare import rgba  # noqa: E402

SIZE = 256


def world_pixel(lon, lat, z):
    """The fractional pixel of lon/lat at zoom z (pixel i covers [i, i+1))."""
    n = 2 ** z * SIZE
    s = math.sin(math.radians(lat))
    return ((lon + 180.0) / 360.0 * n,
            (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n)


def colour(text):
    t = text.lstrip("#")
    if len(t) == 6:
        t += "ff"
    return tuple(int(t[i:i + 2], 16) for i in range(0, 8, 2))


def hexa(c):
    return "#" + "".join("%02x" % int(v) for v in c)


class Tiles:
    """Pixels of TILES/z/x/y.png by world pixel, tiles read once."""

    def __init__(self, root, z):
        self.root, self.z, self.cache = root, z, {}

    def __call__(self, i, j):
        tx, ty = i // SIZE, j // SIZE
        if (tx, ty) not in self.cache:
            path = os.path.join(self.root, str(self.z), str(tx),
                                "%d.png" % ty)
            if not os.path.exists(path):
                sys.exit("no tile %s (the site's tile)" % path)
            self.cache[(tx, ty)] = rgba(path)
        return tuple(self.cache[(tx, ty)][:, j % SIZE, i % SIZE])


def check_site(tiles, name, x, y, want, r, w):
    """Problems of the dot at world pixel x, y, as messages."""
    bad = []
    reach = int(math.ceil(r + w / 2 + 5))
    for j in range(int(y) - reach, int(y) + reach + 1):
        for i in range(int(x) - reach, int(x) + reach + 1):
            d = math.hypot(i + 0.5 - x, j + 0.5 - y)
            got = tiles(i, j)
            if d <= r - 1.5 and got != want:
                bad.append("%s: pixel (%d, %d), %.1f px from the site, is "
                           "%s, not the dot's %s" % (name, i, j, d, hexa(got),
                                                     hexa(want)))
            elif r + w / 2 + 1 <= d <= r + w / 2 + 4 and got == want:
                bad.append("%s: pixel (%d, %d), %.1f px from the site, is "
                           "the dot's colour: the dot is too large" %
                           (name, i, j, d))
    # The rim: an edge 1.5 px wide or more covers at least 3/4 of the pixel
    # holding each point RADIUS east, west, north and south of the site.
    for dx, dy in ((r, 0), (-r, 0), (0, r), (0, -r)):
        i, j = int(math.floor(x + dx)), int(math.floor(y + dy))
        got = tiles(i, j)
        if w >= 1.5 and max(got[:3]) >= 100:
            bad.append("%s: rim pixel (%d, %d) is %s, not dark" %
                       (name, i, j, hexa(got)))
    return bad


def cmd_sites(gpkg, root, z, want, r, w, where="1"):
    db = sqlite3.connect(gpkg)
    rows = db.execute("SELECT method, rank, lon, lat FROM sites WHERE %s "
                      "ORDER BY fid" % where).fetchall()
    if not rows:
        sys.exit("no site in %s matches %s" % (gpkg, where))
    tiles = Tiles(root, int(z))
    bad = []
    for method, rank, lon, lat in rows:
        x, y = world_pixel(lon, lat, int(z))
        bad += check_site(tiles, "site %s %d at %.5f %.5f (tile %d/%d/%d)" %
                          (method, rank, lon, lat, int(z), x // SIZE,
                           y // SIZE), x, y, colour(want), float(r), float(w))
    for b in bad[:20]:
        print(b)
    return 1 if bad else 0


def cmd_at(root, z, lon, lat):
    x, y = world_pixel(float(lon), float(lat), int(z))
    print(hexa(Tiles(root, int(z))(int(x), int(y))))
    return 0


def cmd_count(want, *paths):
    want = np.array(colour(want), np.uint8).reshape(4, 1, 1)
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += [os.path.join(dp, f) for dp, _, fn in os.walk(p)
                      for f in fn if f.endswith(".png")]
        else:
            files.append(p)
    print(sum(int(np.all(rgba(f) == want, axis=0).sum()) for f in files))
    return 0


if __name__ == "__main__":
    cmds = {"sites": cmd_sites, "at": cmd_at, "count": cmd_count}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    sys.exit(cmds[sys.argv[1]](*sys.argv[2:]))
