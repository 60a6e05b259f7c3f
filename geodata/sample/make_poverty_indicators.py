#!/usr/bin/env python3
"""Make the poverty indicators table of mapgen's Romanian sample.

    python3 geodata/sample/make_poverty_indicators.py            # from the repository root
    python3 make_poverty_indicators.py --output /tmp/check.csv   # anywhere else

Every column this script writes is COMPUTED FROM REAL DATA: the UAT
boundaries, their SIRUTA codes, their kind of settlement and the INS
population of 2011 and 2015 carried by data/ro_uat_2017.geojson (see
data/PROVENANCE-ro-uat-counties.md). Nothing is drawn at random and nothing
is synthetic, so there is no seed: the script is deterministic and running
it twice gives byte-identical output on any python3 with only the standard
library (json, csv, math, argparse, os).

The fourth indicator of the sample's poverty index, licensed service places
per 10,000 inhabitants, is not in this table: mapgen computes it itself from
its own supply figure (the capacity of the licensed services placed in each
UAT, field supply_total) divided by pop2015 from this table (romania.json,
"poverty" section; docs/poverty.md).

Input   data/ro_uat_2017.geojson          3,186 UAT polygons
Output  data/ro_poverty_indicators.csv    one row per UAT, sorted by SIRUTA code:

    natcode,name,settlement,rurality,pop2011,pop2015,pop_change_2011_2015_pct,
    centroid_lon,centroid_lat,dist_municipality_km

How each column is made
-----------------------
natcode      the UAT's SIRUTA code exactly as written in the boundaries.
name         the UAT's name, as written in the boundaries.
settlement   natLevName shortened: commune ("Comuna"), town ("Oras"),
             municipality ("Municipiu resedinta de judet", "Municipiu, altul
             decat resedinta de judet") or bucharest_sector ("Sectoarele
             municipiului Bucuresti").
rurality     2 for a commune (rural), 1 for a town, 0 for a municipality or
             a sector of Bucharest: the rural/urban status as an ordinal.
pop2011, pop2015
             the INS population, copied.
pop_change_2011_2015_pct
             (pop2015 - pop2011) / pop2011 x 100, rounded to 4 decimals.
centroid_lon, centroid_lat
             the area centroid of the UAT's polygon(s), computed in plain
             lon/lat (shoelace formula; holes subtracted). At Romania's size
             (a UAT spans a few km) the error of not projecting is far below
             a kilometre. 6 decimals.
dist_municipality_km
             great-circle (haversine, mean Earth radius 6,371.0088 km)
             distance from the UAT's centroid to the nearest centroid of a
             municipality or Bucharest sector; 0 for those themselves.
             3 decimals.
"""

import argparse
import csv
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius

SETTLEMENT = {
    "Comuna": ("commune", 2),
    "Oras": ("town", 1),
    "Municipiu resedinta de judet": ("municipality", 0),
    "Municipiu, altul decat resedinta de judet": ("municipality", 0),
    "Sectoarele municipiului Bucuresti": ("bucharest_sector", 0),
}

COLUMNS = ["natcode", "name", "settlement", "rurality", "pop2011", "pop2015",
           "pop_change_2011_2015_pct", "centroid_lon", "centroid_lat",
           "dist_municipality_km"]


def ring_moments(ring):
    """Signed area and first moments of a closed ring (shoelace)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return a / 2.0, cx / 6.0, cy / 6.0


def centroid(geometry):
    """Area centroid of a Polygon or MultiPolygon; holes count negative."""
    polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                else [geometry["coordinates"]])
    area = mx = my = 0.0
    for rings in polygons:
        for i, ring in enumerate(rings):
            a, cx, cy = ring_moments(ring)
            # Windings differ between files: count the outer ring positive
            # and every hole negative whatever their orientation.
            s = (1.0 if i == 0 else -1.0) * (1.0 if a >= 0 else -1.0)
            area += s * a
            mx += s * cx
            my += s * cy
    return mx / area, my / area


def haversine_km(lon1, lat1, lon2, lat2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def natcode_key(row):
    code = row["natcode"]
    return (int(code) if code.isdigit() else float("inf"), code)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", default=os.path.join(HERE, "data", "ro_uat_2017.geojson"))
    ap.add_argument("--output", default=os.path.join(HERE, "data", "ro_poverty_indicators.csv"))
    args = ap.parse_args()

    with open(args.input, encoding="utf-8") as f:
        features = json.load(f)["features"]

    rows = []
    for feat in features:
        p = feat["properties"]
        kind, rurality = SETTLEMENT[p["natLevName"]]
        lon, lat = centroid(feat["geometry"])
        pop2011, pop2015 = int(p["pop2011"]), int(p["pop2015"])
        if pop2011 <= 0:
            raise SystemExit("pop2011 is not positive for %s" % p["natcode"])
        rows.append({
            "natcode": p["natcode"], "name": p["name"], "settlement": kind,
            "rurality": rurality, "pop2011": pop2011, "pop2015": pop2015,
            "pop_change_2011_2015_pct": round((pop2015 - pop2011) / pop2011 * 100, 4),
            "centroid_lon": lon, "centroid_lat": lat,
        })
    rows.sort(key=natcode_key)

    cities = [(r["centroid_lon"], r["centroid_lat"]) for r in rows
              if r["rurality"] == 0]
    for r in rows:
        d = 0.0 if r["rurality"] == 0 else min(
            haversine_km(r["centroid_lon"], r["centroid_lat"], lon, lat)
            for lon, lat in cities)
        r["dist_municipality_km"] = "%.3f" % d
        r["centroid_lon"] = "%.6f" % r["centroid_lon"]
        r["centroid_lat"] = "%.6f" % r["centroid_lat"]
        r["pop_change_2011_2015_pct"] = "%.4f" % r["pop_change_2011_2015_pct"]

    with open(args.output, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    far = max(rows, key=lambda r: float(r["dist_municipality_km"]))
    print("wrote %d rows to %s (computed from real data; nothing synthetic)"
          % (len(rows), args.output))
    print("municipalities and sectors: %d; farthest from one: %s, %s km"
          % (len(cities), far["name"], far["dist_municipality_km"]))


if __name__ == "__main__":
    main()
