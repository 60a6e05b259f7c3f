#!/usr/bin/env python3
"""Make the SYNTHETIC recipients table of mapgen's Romanian sample.

    python3 geodata/sample/make_recipients.py            # from the repository root
    python3 make_recipients.py --output /tmp/check.csv   # anywhere else
    python3 geodata/sample/make_recipients.py --population pop2011 \
        --output geodata/sample/data/ro_recipients_synthetic_2011.csv

--population pop2011 makes the same table from the INS population of 2011
(the sample's first period, docs/change.md): the same seed and the same
draws, so every rate and factor is the one of 2015 and the two tables
differ only by the real change of population. Still SYNTHETIC.

THE COUNTS THIS SCRIPT WRITES ARE SYNTHETIC. They are not official statistics
and must never be presented as such. Romania publishes no open, per-commune
register of vulnerable children, so the sample derives plausible counts from
the one real figure it has for every administrative unit: the INS population
of 2015 (`pop2015`) carried by the UAT boundaries in data/ro_uat_2017.geojson
(see data/PROVENANCE-ro-uat-counties.md).

Input   data/ro_uat_2017.geojson        3,186 UAT polygons (only properties used)
Output  data/ro_recipients_synthetic.csv one row per UAT, sorted by SIRUTA code:

    natcode,name,children,family_poverty,self_dilemma,guardianship,assistance

How each column is made
-----------------------
natcode         the UAT's SIRUTA code exactly as written in the boundaries.
name            the UAT's name, as written in the boundaries.
children        estimated children aged 0-17 = round(pop2015 x share x f), with
                share 0.19 for communes (natLevName "Comuna", rural), 0.17 for
                towns ("Oras"), 0.16 for municipalities and Bucharest sectors,
                and f drawn uniformly in [0.9, 1.1] for each UAT.
family_poverty  round(children x rate x C x U): rate 6 % rural / 3 % urban.
self_dilemma    (serious illness or disability) rate 1.5 % everywhere.
guardianship    (lack of or improper guardianship) rate 2 % rural / 1.2 % urban.
assistance      social-assistance recipients = round(pop2015 x rate x C x U):
                rate 4 % rural / 2 % urban; C is the county's poverty factor,
                so poorer counties have both more poor children and more
                recipients.

C is a factor per county (one per group, drawn once for each county mnemonic
in sorted order) and U a factor per UAT; both are lognormal with mean 1,
exp(sigma * z - sigma^2 / 2), z standard normal:

    group            county sigma   UAT sigma
    family_poverty       0.25         0.30
    self_dilemma         0.15         0.25
    guardianship         0.25         0.30
    assistance       (family_poverty's C)  0.20

so regions differ the way real ones do (whole counties poorer than others,
and communes within a county unlike each other) while the national totals stay
near the nominal rates. Every count is an integer, rounded half up, never
negative, and no group exceeds `children` (assistance never exceeds pop2015).

Reproducibility
---------------
The seed is fixed (SEED = 20161231, the date of the services register). The
script draws only from random.Random(SEED).random(), whose sequence Python
guarantees not to change across versions; the normal deviates are made from
it with Box-Muller here rather than with random.gauss(), and rounding is done
with floor(x + 0.5) rather than round(). UATs are processed in a fixed order
(numeric SIRUTA code), so the output does not depend on the order of the
features in the GeoJSON. Running the script twice gives byte-identical output
on any python3 with only the standard library (json, csv, random, math,
argparse, os).
"""

import argparse
import csv
import json
import math
import os
import random

SEED = 20161231

# share of children aged 0-17 in the population, by natLevName
CHILD_SHARE_RURAL = 0.19  # "Comuna"
CHILD_SHARE_TOWN = 0.17  # "Oras"
CHILD_SHARE_CITY = 0.16  # "Municipiu ..." and "Sectoarele municipiului Bucuresti"
CHILD_SHARE_JITTER = (0.9, 1.1)

# (rural rate, urban rate, county sigma, UAT sigma); rates are of `children`
GROUPS = [
    ("family_poverty", 0.060, 0.030, 0.25, 0.30),
    ("self_dilemma", 0.015, 0.015, 0.15, 0.25),
    ("guardianship", 0.020, 0.012, 0.25, 0.30),
]
# social-assistance recipients, as a rate of pop2015; uses family_poverty's
# county factor, its own UAT sigma
ASSISTANCE_RATE = (0.04, 0.02)
ASSISTANCE_UAT_SIGMA = 0.20

COLUMNS = ["natcode", "name", "children", "family_poverty", "self_dilemma",
           "guardianship", "assistance"]

HERE = os.path.dirname(os.path.abspath(__file__))


class Draws:
    """Uniform, normal and lognormal draws built only on Random.random()."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def uniform(self, lo, hi):
        return lo + (hi - lo) * self.rng.random()

    def normal(self):
        # Box-Muller; one deviate per call keeps the draw order easy to follow
        u1 = 1.0 - self.rng.random()  # in (0, 1], so log() is defined
        u2 = self.rng.random()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def lognormal_mean1(self, sigma):
        return math.exp(sigma * self.normal() - 0.5 * sigma * sigma)


def round_half_up(x):
    return int(math.floor(x + 0.5))


def child_share(level):
    if level == "Comuna":
        return CHILD_SHARE_RURAL
    if level == "Oras":
        return CHILD_SHARE_TOWN
    return CHILD_SHARE_CITY


def natcode_key(props):
    code = props["natcode"]
    return (int(code) if code.isdigit() else float("inf"), code)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", default=os.path.join(HERE, "data", "ro_uat_2017.geojson"))
    ap.add_argument("--output", default=os.path.join(HERE, "data", "ro_recipients_synthetic.csv"))
    ap.add_argument("--population", choices=["pop2015", "pop2011"], default="pop2015",
                    help="the INS population the counts derive from")
    args = ap.parse_args()

    with open(args.input, encoding="utf-8") as f:
        uats = [feat["properties"] for feat in json.load(f)["features"]]
    uats.sort(key=natcode_key)

    draws = Draws(SEED)

    # county factors first, in sorted mnemonic order, one per group
    county = {}
    for mn in sorted({p["countyMn"] for p in uats}):
        county[mn] = {g[0]: draws.lognormal_mean1(g[3]) for g in GROUPS}

    rows = []
    for p in uats:
        pop = int(p[args.population])
        if pop < 0:
            raise SystemExit("negative %s for %s" % (args.population, p["natcode"]))
        rural = p["natLevName"] == "Comuna"
        children = round_half_up(pop * child_share(p["natLevName"]) *
                                 draws.uniform(*CHILD_SHARE_JITTER))
        row = {"natcode": p["natcode"], "name": p["name"], "children": children}
        for name, rate_rural, rate_urban, _county_sigma, uat_sigma in GROUPS:
            rate = rate_rural if rural else rate_urban
            x = children * rate * county[p["countyMn"]][name] * draws.lognormal_mean1(uat_sigma)
            row[name] = min(children, max(0, round_half_up(x)))
        rate = ASSISTANCE_RATE[0] if rural else ASSISTANCE_RATE[1]
        x = pop * rate * county[p["countyMn"]]["family_poverty"] * \
            draws.lognormal_mean1(ASSISTANCE_UAT_SIGMA)
        row["assistance"] = min(pop, max(0, round_half_up(x)))
        rows.append(row)

    with open(args.output, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    total = {c: sum(r[c] for r in rows) for c in COLUMNS[2:]}
    print("wrote %d rows to %s (SYNTHETIC)" % (len(rows), args.output))
    print("totals: " + ", ".join("%s %d" % (c, total[c]) for c in COLUMNS[2:]))


if __name__ == "__main__":
    main()
