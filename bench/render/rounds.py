#!/usr/bin/python3
"""Every round of the rendering benchmark, and the medians of its ratios.

usage: rounds.py RESULTS_DIR ROUNDS TOOL...     (the first TOOL is mapgen)

Reads RESULTS_DIR/TOOL.roundN.json (render.sh) for N = 1..ROUNDS and prints,
per round, each tool's wall seconds and tiles/s over its non-transparent
tiles, and mapgen's ratio to each peer in that round: mapgen's
non-transparent tiles/s over the peer's.  Rounds are paired (the tools run
in turn within a round), so a machine that slows down between rounds
slows each round's tools alike and the per-round ratio cancels it; the
summary is the median of those ratios, not a ratio of medians.

Exits 1, naming what is wrong, when any tool in any round has no result,
exited non-zero or produced no non-transparent tile: a benchmark with a
tool's figures missing must not look like a result.
"""
import json
import os
import statistics
import sys


def load(d, tool, n):
    p = os.path.join(d, "%s.round%d.json" % (tool, n))
    return json.load(open(p)) if os.path.exists(p) else None


def problem(r):
    if r is None:
        return "no result (the run failed; see its messages above)"
    if r.get("exit"):
        return "exited %d" % r["exit"]
    if r["tiles"] - r["transparent"] <= 0:
        return "produced no non-transparent tile (%d tiles)" % r["tiles"]
    return None


def opaque_tps(r):
    return (r["tiles"] - r["transparent"]) / r["seconds"]


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    d, rounds, tools = argv[1], int(argv[2]), argv[3:]
    mg, peers = tools[0], tools[1:]
    bad = []
    ratios = {p: [] for p in peers}
    secs = {t: [] for t in tools}
    rss = []
    for n in range(1, rounds + 1):
        res = {t: load(d, t, n) for t in tools}
        cells = []
        for t in tools:
            why = problem(res[t])
            if why:
                bad.append("round %d: %s %s" % (n, t, why))
                cells.append("%s FAILED" % t)
                continue
            r = res[t]
            secs[t].append(r["seconds"])
            cells.append("%s %.2f s %d tiles %.0f t/s" % (
                t, r["seconds"], r["tiles"] - r["transparent"], opaque_tps(r)))
        if not problem(res[mg]):
            rss.append(res[mg].get("maxrss_kib", 0) / 1024)
            for p in peers:
                if not problem(res[p]):
                    x = opaque_tps(res[mg]) / opaque_tps(res[p])
                    ratios[p].append(x)
                    cells.append("%s/%s %.2fx" % (mg, p, x))
        print("round %d: %s" % (n, "; ".join(cells)))
    for t in tools:
        if secs[t]:
            print("%s: median %.2f s over %d rounds (%s)" % (
                t, statistics.median(secs[t]), len(secs[t]),
                ", ".join("%.2f" % s for s in secs[t])))
    for p in peers:
        if ratios[p]:
            print("%s vs %s per non-transparent tile: median %.2fx of %d "
                  "paired rounds (%s)" % (
                      mg, p, statistics.median(ratios[p]), len(ratios[p]),
                      ", ".join("%.2f" % x for x in ratios[p])))
    if rss:
        print("%s peak RSS: max %.0f MiB" % (mg, max(rss)))
    for b in bad:
        print("render: FAILED: " + b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
