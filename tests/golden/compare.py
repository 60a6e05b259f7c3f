#!/usr/bin/python3
"""Compare two tile trees pixel by pixel (tests/golden/README.md).

usage: compare.py EXPECTED_DIR ACTUAL_DIR

Both trees must hold the same PNG files (relative paths), and every pair
must decode to exactly the same RGBA pixels (palette and RGBA encodings of
one image compare equal).  Prints each difference and exits 1 on any.
"""
import os
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def rgba(path):
    ds = gdal.Open(path)
    a = ds.ReadAsArray()
    if ds.RasterCount == 1:
        ct = ds.GetRasterBand(1).GetColorTable()
        lut = np.array([ct.GetColorEntry(i) for i in range(ct.GetCount())],
                       dtype=np.uint8)
        a = lut[a].transpose(2, 0, 1)
    if a.shape[0] == 3:
        a = np.concatenate([a, np.full((1,) + a.shape[1:], 255, np.uint8)])
    return a


def pngs(root):
    out = set()
    for dp, _, fn in os.walk(root):
        for f in fn:
            if f.endswith(".png"):
                out.add(os.path.relpath(os.path.join(dp, f), root))
    return out


def main(expected, actual):
    e, a = pngs(expected), pngs(actual)
    bad = 0
    for p in sorted(e - a):
        print("missing: %s" % p)
        bad += 1
    for p in sorted(a - e):
        print("unexpected: %s" % p)
        bad += 1
    for p in sorted(e & a):
        x, y = rgba(os.path.join(expected, p)), rgba(os.path.join(actual, p))
        if x.shape != y.shape:
            print("%s: size %s, expected %s" % (p, y.shape, x.shape))
            bad += 1
            continue
        diff = np.any(x != y, axis=0)
        if diff.any():
            ys, xs = np.nonzero(diff)
            print("%s: %d pixels differ, first at (%d, %d): %s, expected %s"
                  % (p, diff.sum(), xs[0], ys[0], y[:, ys[0], xs[0]],
                     x[:, ys[0], xs[0]]))
            bad += 1
    print("%d tiles compared, %d differences" % (len(e & a), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
