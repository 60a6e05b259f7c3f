"""regions_check.py DIR: every regions/*.json file of DIR is compact JSON
written as jansson writes it with JSON_REAL_PRECISION(7) (mapgen writes
the outlines and figures as text itself, mapgen/pipeline/regions.c): the
file re-serialised from its parsed values has the same bytes."""
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
    print("regions_check: %d files ok" % len(names))


main()
