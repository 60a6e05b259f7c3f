"""The provider dots of the shipped services map stay distinct for people
with colour-vision deficiency: every pair of the colours (the categories
and "other") is at least 10 apart in CIEDE2000 (Sharma, Wu and Dalal
2005) in normal vision and after the simulation of deuteranopia and of
protanopia by Machado, Oliveira and Fernandes (2009), severity 1.0, applied
to linear sRGB.  Usage: cvd_colours.py STYLES_DIR
"""
import itertools
import json
import math
import sys

# Machado et al. 2009, table of matrices, severity 1.0.
PROTANOPIA = [[0.152286, 1.052583, -0.204868],
              [0.114503, 0.786281, 0.099216],
              [-0.003882, -0.048116, 1.051998]]
DEUTERANOPIA = [[0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881]]
MIN_DE = 10.0


def linear(c):
    c /= 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def simulate(hexcolour, m):
    rgb = [linear(int(hexcolour[i:i + 2], 16)) for i in (1, 3, 5)]
    if m is None:
        return rgb
    return [min(1.0, max(0.0, sum(m[i][j] * rgb[j] for j in range(3))))
            for i in range(3)]


def lab(rgb):
    """CIELAB (D65) of linear sRGB."""
    x = 0.4124564 * rgb[0] + 0.3575761 * rgb[1] + 0.1804375 * rgb[2]
    y = 0.2126729 * rgb[0] + 0.7151522 * rgb[1] + 0.0721750 * rgb[2]
    z = 0.0193339 * rgb[0] + 0.1191920 * rgb[1] + 0.9503041 * rgb[2]

    def f(t):
        d = 6.0 / 29
        return t ** (1 / 3.0) if t > d ** 3 else t / (3 * d * d) + 4.0 / 29

    fx, fy, fz = f(x / 0.95047), f(y / 1.0), f(z / 1.08883)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def de2000(p, q):
    """CIEDE2000 with kL = kC = kH = 1 (Sharma et al. 2005, eqs. 1-16)."""
    l1, a1, b1 = p
    l2, a2, b2 = q
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar ** 7 / (cbar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    dhp = 0.0
    if c1p * c2p:
        dhp = h2p - h1p
        dhp -= 360 if dhp > 180 else (-360 if dhp < -180 else 0)
    dhhp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lbp, cbp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    else:
        hbp = (h1p + h2p + (360 if h1p + h2p < 360 else -360)) / 2
    t = (1 - 0.17 * math.cos(math.radians(hbp - 30))
         + 0.24 * math.cos(math.radians(2 * hbp))
         + 0.32 * math.cos(math.radians(3 * hbp + 6))
         - 0.20 * math.cos(math.radians(4 * hbp - 63)))
    dth = 30 * math.exp(-((hbp - 275) / 25) ** 2)
    rc = 2 * math.sqrt(cbp ** 7 / (cbp ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (lbp - 50) ** 2 / math.sqrt(20 + (lbp - 50) ** 2)
    sc = 1 + 0.045 * cbp
    sh = 1 + 0.015 * cbp * t
    rt = -math.sin(math.radians(2 * dth)) * rc
    return math.sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhhp / sh) ** 2
                     + rt * (dcp / sc) * (dhhp / sh))


# A transcription check of the matrices: each row sums to 1 (the
# simulation keeps white white and greys grey).
for m in (PROTANOPIA, DEUTERANOPIA):
    assert all(abs(sum(row) - 1) < 1e-5 for row in m), m

# The implementation against Sharma et al.'s test data (pairs 1, 7, 17).
for p, q, want in [((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
                   ((50, 0, 0), (50, -1, 2), 2.3669),
                   ((50, 2.5, 0), (73, 25, -18), 27.1492)]:
    got = de2000(p, q)
    assert abs(got - want) < 1e-4, (p, q, got, want)

style = json.load(open(sys.argv[1] + "/services.json"))
dots = [l for l in style["layers"] if l.get("layer") == "providers"][0]
colours = dict(dots["colors"])
colours["other"] = dots["other"]
bad = []
for vision, m in (("normal", None), ("deuteranopia", DEUTERANOPIA),
                  ("protanopia", PROTANOPIA)):
    labs = {k: lab(simulate(v, m)) for k, v in colours.items()}
    worst = min((de2000(labs[a], labs[b]), a, b)
                for a, b in itertools.combinations(sorted(labs), 2))
    print("%s: smallest dE00 %.1f (%s, %s)" % ((vision,) + worst))
    if worst[0] < MIN_DE:
        bad.append(vision)
assert not bad, "colours too close under %s" % ", ".join(bad)
print("ok")
