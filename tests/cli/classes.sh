#!/bin/sh
# Each map's classification as data (tests/fixtures/clean, figures worked by
# hand in clean.sh): maps.json "classification" with the breaks at full
# precision, the same under "mapgen" in tiles/<map>/tilejson.json and in
# the MBTiles json row, TileJSON "legend" a string (TileJSON 3.0.0), a
# class_<map> column per map in the GeoPackage that agrees with the breaks,
# and absolute tiles URLs with --public-url.
set -eu
. "$(dirname "$0")/lib.sh"

src=$FIXTURES/clean
out=$T/out
run run "$src/clean.json" -o "$out" --force -q -z 6-6 --stores dir,mbtiles \
    --public-url https://example.org/maps
expect_rc 0
"$PY" - "$out" <<'PYEOF' || fail "classification outputs are wrong"
import json, sqlite3, sys
out = sys.argv[1]
doc = json.load(open(out + "/maps.json"))
maps = {m["name"]: m for m in doc["maps"]}
c = maps["needs"]["classification"]
# gap per 10,000 of the communes (clean.sh): Alfa 305/2000e-4 = 1525,
# Bravo 2200, Charlie 700, Delta 95/300*1e4, Echo 875, Foxtrot 0; Jenks
# with 5 classes over 6 values puts 700 and 875 together.
gaps = {"007": 1525, "008": 2200, "009": 700, "010": 95 / 300 * 1e4,
        "011": 875, "012": 0}
assert c["field"] == "gap_per10k_total" and c["method"] == "jenks", c
assert c["layer"] == "regions" and c["column"] == "class_needs", c
assert c["breaks"] == [0, 0, 875, 1525, 2200, 95 / 300 * 1e4], c["breaks"]
# full precision, not the label's 3167
raw = open(out + "/maps.json").read()
assert "3166.6666666666665" in raw, "breaks rounded in maps.json"
assert c["labels"][-1] == "2200 – 3167", c["labels"]
assert c["counts"] == [1, 2, 1, 1, 1] and c["no_data"] == 0, c

def klass(v, b):
    # class i+1 holds (b[i], b[i+1]]; the first also b[0] itself
    for i in range(1, len(b) - 1):
        if v <= b[i]:
            return i
    return len(b) - 1

db = sqlite3.connect(out + "/clean.gpkg")
rows = dict(db.execute("SELECT code, class_needs FROM regions"))
assert rows == {k: klass(v, c["breaks"]) for k, v in gaps.items()}, rows
for name, m in maps.items():
    col = m["classification"]["column"]
    n = db.execute("SELECT count(%s) FROM regions" % col).fetchone()[0]
    assert n == 6, (name, n)

for name, m in maps.items():
    tj = json.load(open("%s/tiles/%s/tilejson.json" % (out, name)))
    assert isinstance(tj["legend"], str), tj["legend"]
    assert tj["legend"].splitlines()[0] == tj["name"], tj["legend"]
    labels = [e["label"] for e in m["legend"]]
    for e in m["legend"]:
        assert "%s %s" % (e["color"], e["label"]) in tj["legend"], e
    assert tj["mapgen"]["legend"] == m["legend"], name
    assert tj["mapgen"]["classification"] == m["classification"], name
    assert tj["tiles"] == ["https://example.org/maps/tiles/%s/{z}/{x}/{y}.png"
                           % name], tj["tiles"]
    mb = sqlite3.connect("%s/%s.mbtiles" % (out, name))
    row = json.loads(mb.execute(
        "SELECT value FROM metadata WHERE name = 'json'").fetchone()[0])
    assert row["classification"] == m["classification"], name
    assert row["legend_text"] == tj["legend"], name
PYEOF

# Without --public-url the tiles stay relative to the TileJSON.
run run "$src/clean.json" -o "$T/rel" --force -q -z 6-6 --stores dir
expect_rc 0
"$PY" - "$T/rel/tiles/needs/tilejson.json" <<'PYEOF' || fail "tiles not relative"
import json, sys
assert json.load(open(sys.argv[1]))["tiles"] == ["{z}/{x}/{y}.png"]
PYEOF
for bad in example.org/maps https://example.org/maps/ "https://a b"; do
    run run "$src/clean.json" -o "$T/bad" --force -q --public-url "$bad"
    expect_rc 2
    expect_err "mapgen run: --public-url '$bad': expected an http://"
done
echo "ok"
