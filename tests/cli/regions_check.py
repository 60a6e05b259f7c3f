"""regions_check.py DIR: every regions/*.json file of DIR is compact JSON
written as jansson writes it with JSON_REAL_PRECISION(7) (mapgen writes
the outlines and figures as text itself, mapgen/pipeline/regions.c): the
file re-serialised from its parsed values has the same bytes.  And every
region's outline is polygons of closed rings of three corners or more
(the simplification never collapses one) inside its bbox, with its label
point inside the outline as the page tests it (regions.js, inRegion())."""
import json
import os
import sys


def real(v):
    # jansson's jsonp_dtostr(): "%.7g", ".0" when neither '.' nor 'e', the
    # exponent without '+' and leading zeros.
    s = "%.7g" % v
    if "." not in s and "e" not in s:
        s += ".0"
    if "e" in s:
        m, e = s.split("e")
        sign = "-" if e.startswith("-") else ""
        s = m + "e" + sign + e.lstrip("+-").lstrip("0")
    return s


def dump(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return real(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(dump(x) for x in v) + "]"
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + dump(x)
                          for k, x in v.items()) + "}"


def in_ring(ring, x, y):
    inside = False
    j = len(ring) - 2
    for i in range(0, len(ring), 2):
        xi, yi, xj, yj = ring[i], ring[i + 1], ring[j], ring[j + 1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def check_outlines(f, doc):
    n = labelled = 0
    for r in doc.get("regions", []):
        if "outline" not in r:
            continue
        n += 1
        x0, y0, x1, y1 = r["bbox"]
        for poly in r["outline"]:
            assert poly, (f, r["code"])
            for ring in poly:
                assert len(ring) >= 8 and len(ring) % 2 == 0, (f, r["code"])
                assert ring[:2] == ring[-2:], (f, r["code"], "not closed")
                assert len({(ring[i], ring[i + 1])
                            for i in range(0, len(ring), 2)}) >= 3, r["code"]
                for i in range(0, len(ring), 2):
                    assert x0 - 1e-4 <= ring[i] <= x1 + 1e-4, (f, r["code"])
                    assert y0 - 1e-4 <= ring[i + 1] <= y1 + 1e-4, r["code"]
        lx, ly, lr = r["label"]
        assert lr >= 0, (f, r["code"], r["label"])
        # inside as the page decides: in a shell and in none of its holes
        # (a point within 1e-4 degree of the outline may round outside)
        if lr > 2e-4:
            assert any(in_ring(p[0], lx, ly) and
                       not any(in_ring(h, lx, ly) for h in p[1:])
                       for p in r["outline"]), (f, r["code"], r["label"])
            labelled += 1
    return n, labelled


def main():
    d = sys.argv[1]
    names = sorted(f for f in os.listdir(d) if f.endswith(".json"))
    assert "index.json" in names and len(names) >= 3, names
    for f in names:
        with open(os.path.join(d, f), encoding="utf-8") as fh:
            text = fh.read()
        assert text.endswith("\n"), f
        again = dump(json.loads(text)) + "\n"
        if again != text:
            at = next(i for i, (a, b) in enumerate(zip(text, again)) if a != b)
            sys.exit("%s: byte %d: %r, re-serialised %r"
                     % (f, at, text[at - 40:at + 40], again[at - 40:at + 40]))
        n, labelled = check_outlines(f, json.loads(text))
        if n:
            print("regions_check: %s: %d outlines, %d labels inside them"
                  % (f, n, labelled))
    print("regions_check: %d files ok" % len(names))


main()
