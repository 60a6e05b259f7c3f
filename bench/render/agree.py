#!/usr/bin/python3
"""Pixel agreement of two tile trees (issue 13's check against Mapnik).

usage: agree.py REF_DIR OTHER_DIR [N [SEED]]

REF_DIR and OTHER_DIR are XYZ trees (z/x/y.png).  Of the tiles present in
both, N (default 2,000) are drawn with a fixed seed; for every pixel that is
opaque (alpha 255) in both, the mean over R, G and B of |a - b| is taken,
and the mean over all such pixels is printed, with the tiles and pixels it
rests on.  A tile only one tool wrote (mapgen writes no transparent tile)
is not compared.  Exit 1 when no tile or no pixel could be compared, so a
broken run cannot pass as agreement.  Needs Pillow (python3-pil).
"""
import json
import os
import random
import sys

from PIL import Image


def tiles(root):
    out = set()
    for z in os.listdir(root):
        if not z.isdigit():
            continue
        for x in os.listdir(os.path.join(root, z)):
            d = os.path.join(root, z, x)
            if not x.isdigit() or not os.path.isdir(d):
                continue
            for f in os.listdir(d):
                if f.endswith(".png") and f[:-4].isdigit():
                    out.add((int(z), int(x), int(f[:-4])))
    return out


def compare(a_path, b_path):
    a = Image.open(a_path).convert("RGBA")
    b = Image.open(b_path).convert("RGBA")
    if a.size != b.size:
        raise SystemExit("agree: %s and %s differ in size" % (a_path, b_path))
    total, n = 0, 0
    for pa, pb in zip(a.getdata(), b.getdata()):
        if pa[3] == 255 and pb[3] == 255:
            total += abs(pa[0] - pb[0]) + abs(pa[1] - pb[1]) + abs(pa[2] - pb[2])
            n += 1
    return total / 3.0, n


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    ref, other = argv[1], argv[2]
    want = int(argv[3]) if len(argv) > 3 else 2000
    seed = argv[4] if len(argv) > 4 else "mapgen"
    common = sorted(tiles(ref) & tiles(other))
    rng = random.Random(seed)
    sample = common if len(common) <= want else rng.sample(common, want)
    total, pixels, used = 0.0, 0, 0
    for z, x, y in sorted(sample):
        rel = "%d/%d/%d.png" % (z, x, y)
        t, n = compare(os.path.join(ref, rel), os.path.join(other, rel))
        total += t
        pixels += n
        used += n > 0
    result = {"ref": ref, "other": other, "common_tiles": len(common),
              "tiles": len(sample), "tiles_with_opaque": used,
              "opaque_pixels": pixels,
              "mean_abs_delta_rgb": total / pixels if pixels else None}
    print(json.dumps(result))
    if not pixels:
        print("agree: FAILED: no opaque pixel in common", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
