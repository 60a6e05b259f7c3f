#!/usr/bin/python3
"""Print the benchmark table from bench/render/work/results/*.json.

usage: report.py [--mapgen] RESULTS_DIR [TOOL...]
                                 (default: every TOOL.json there)

Columns: tiles counted (tiles of the benchmark's tile set found on disk),
of which fully transparent, wall seconds, tiles/s over all tiles, tiles/s
over the non-transparent tiles only (mapgen does not write transparent
tiles), peak memory (sum of PSS of every process of the run, servers
included), and, with --mapgen when mapgen.json is there, mapgen's tiles/s divided by the
peer's: over all the peer's tiles, and over its non-transparent ones.
map2img renders one zoom only: it is compared with mapgen-z<Z>.json (mapgen
run over that zoom alone) when that exists.
"""
import json
import os
import sys


def load(d, name):
    p = os.path.join(d, name + ".json")
    return json.load(open(p)) if os.path.exists(p) else None


def cpu(r):
    """CPU seconds, with the system (kernel) part when measured."""
    if "cpu_seconds" not in r:
        return "-"
    if r.get("sys_seconds") is None:
        return "%.1f" % r["cpu_seconds"]
    return "%.1f (%.1f sys)" % (r["cpu_seconds"], r["sys_seconds"])


def main(argv):
    use_mg = "--mapgen" in argv
    argv = [a for a in argv if a != "--mapgen"]
    d = argv[1]
    tools = argv[2:] or sorted(f[:-5] for f in os.listdir(d)
                               if f.endswith(".json") and f.count(".") == 1)
    rows = [r for r in (load(d, t) for t in tools) if r]
    mg = load(d, "mapgen") if use_mg else None
    hdr = ("tool", "zooms", "tiles", "transp.", "seconds", "tiles/s",
           "opaque t/s", "CPU s", "peak MiB", "mapgen x", "mapgen x opaque")
    lines = []
    for r in rows:
        s = r["seconds"]
        n, t = r["tiles"], r["transparent"]
        tps = n / s if s else 0.0
        ops = (n - t) / s if s else 0.0
        r["tps"], r["ops"] = tps, ops
        ref = mg
        if r["tool"] == "map2img":
            z = r["zooms"].split("-")[0]
            ref = load(d, "mapgen-z" + z) if use_mg else None
        ratio = ratio_o = "-"
        if r["tool"].startswith("mapgen"):
            ref = None
        if ref and ref["seconds"] and ref.get("exit", 0) == 0:
            mtps = ref["tiles"] / ref["seconds"]
            ratio = "%.1f" % (mtps / tps) if tps else "-"
            ratio_o = "%.1f" % (mtps / ops) if ops else "-"
        lines.append((r["tool"], r["zooms"], str(n), str(t), "%.2f" % s,
                      "%.1f" % tps, "%.1f" % ops,
                      cpu(r),
                      "%.0f" % (r["peak_kib"] / 1024),
                      ratio, ratio_o))
    w = [max(len(x[i]) for x in [hdr] + lines) for i in range(len(hdr))]
    fmt = lambda row: "  ".join(c.rjust(w[i]) if i > 1 else c.ljust(w[i])
                                for i, c in enumerate(row))
    print(fmt(hdr))
    print("  ".join("-" * x for x in w))
    for l in lines:
        print(fmt(l))
    for r in rows:
        extra = []
        if r.get("exit"):
            extra.append("EXIT %d" % r["exit"])
        if r.get("missing"):
            extra.append("%d tiles of the set missing" % r["missing"])
        if r.get("extra"):
            allt = r["tiles"] + r["extra"]
            extra.append("%d more tiles written outside the set by metatiling, not counted"
                         " (with them: %.1f tiles/s)" % (r["extra"], allt / r["seconds"]))
        if r.get("runs", 1) > 1:
            extra.append("fastest of %d runs: %s s" % (
                r["runs"], ", ".join("%.2f" % x for x in r["all_seconds"])))
        if "busy_before" in r:
            extra.append("CPU busy before: %.0f%%" % (100 * r["busy_before"]))
        print("  %s: %s%s" % (r["tool"], r.get("note", ""),
                              ("; " + "; ".join(extra)) if extra else ""))
    allst = load(d, "mapgen-all") if use_mg else None
    if allst and allst.get("seconds") and allst.get("exit", 0) == 0:
        peers = [r for r in rows if not r["tool"].startswith("mapgen")
                 and r["tool"] != "map2img" and r.get("ops")]
        for r in peers:
            print("  mapgen-all (every store) x %s opaque: %.1f" % (
                r["tool"], allst["tiles"] / allst["seconds"] / r["ops"]))
    print("  tiles/s = tiles / wall seconds; opaque t/s counts only tiles that are not"
          " fully transparent; mapgen x = mapgen tiles/s / peer tiles/s;"
          " CPU s = user+system CPU seconds of all processes (servers included; in"
          " brackets the system part, without MapCache's mapserv server);"
          " peak = summed PSS of all processes (servers included)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
