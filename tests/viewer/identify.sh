# The viewer on a real run, in headless Chromium; POSIX sh.
#
#   1. the clean fixture (tests/fixtures/clean) is copied with two communes
#      renamed "Bistrița" (007, with ț, comma below) and "北京" (011), and
#      `mapgen run` makes its outputs: GeoPackage, reports, tiles, the
#      viewer and its per-region files (regions/)
#   2. the figures of the GeoPackage's layers are read with sqlite3 into
#      expected.json, for the browser test to compare the panel with
#   3. `mapgen serve` serves the output (--port 0) and identify.mjs drives
#      /usr/bin/chromium through playwright-core (see its header)
#
# Environment (tests/viewer/CMakeLists.txt): MAPGEN, SOURCE_DIR,
# TEST_TMPDIR, ARTIFACTS, CHROMIUM (default /usr/bin/chromium); the
# helpers, $T and the server's stop at exit are tests/serve/lib.sh's.
set -eu
. "$(dirname "$0")/../serve/lib.sh"
: "${ARTIFACTS:?ARTIFACTS must name a directory for screenshots}"
need_browser
mkdir -p "$ARTIFACTS"

cp -R "$SOURCE_DIR/tests/fixtures/clean" "$T/in"
python3 - "$T/in/communes.geojson" <<'PYEOF'
import json, sys
path = sys.argv[1]
doc = json.load(open(path, encoding="utf-8"))
names = {"007": "Bistri\u021ba", "011": "\u5317\u4eac"}
for f in doc["features"]:
    code = f["properties"]["code"].strip()
    if code in names:
        f["properties"]["name"] = names[code]
json.dump(doc, open(path, "w", encoding="utf-8"), ensure_ascii=False)
PYEOF
# Sources for the page and the print layout to show.
python3 - "$T/in/clean.json" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
doc["metadata"]["attribution"] = "Test attribution: SYNTHETIC fixture"
# Two recommended sites, for the county report page.
doc["siting"] = {"category": "rehabilitation", "count": 2, "radius": 8}
json.dump(doc, open(sys.argv[1], "w", encoding="utf-8"))
PYEOF

"$MAPGEN" run "$T/in/clean.json" -o "$T/out" -q >"$T/run.log" 2>&1 ||
    { cat "$T/run.log" >&2; fail "mapgen run failed"; }
[ -f "$T/out/regions/index.json" ] || fail "the run wrote no regions/index.json"

# The per-region files are the same bytes for any -j.
"$MAPGEN" run "$T/in/clean.json" -o "$T/out-j1" -q -j 1 >"$T/run-j1.log" 2>&1 ||
    { cat "$T/run-j1.log" >&2; fail "mapgen run -j 1 failed"; }
for f in "$T"/out/regions/*.json; do
    cmp -s "$f" "$T/out-j1/regions/${f##*/}" ||
        fail "regions/${f##*/} differs between -j 1 and the default"
done

# Worked by hand: commune 007 is the cell 25.0-25.1 E, 45.1-45.2 N, so its
# bounding box is that, its outline the square (nothing to simplify), and
# its largest inscribed circle is centred at 25.05 45.15 with radius 0.05;
# its parent is county 1 (Nordia), the first of regions/county.json.
python3 - "$T/out/regions" <<'PYEOF' || fail "regions/*.json differ from the hand-worked values"
import json, sys
d = sys.argv[1]
ix = json.load(open(f"{d}/index.json", encoding="utf-8"))
assert ix["format"] == "mapgen-regions 1", ix["format"]
assert [l["level"] for l in ix["levels"]] == ["commune", "county"], ix["levels"]
assert [l["regions"] for l in ix["levels"]] == [6, 2], ix["levels"]
assert len(ix["sites"]) == 2, ix["sites"]
c = json.load(open(f"{d}/commune.json", encoding="utf-8"))
r = c["regions"][0]
assert r["code"] == "007" and r["name"] == "Bistrița", r
assert r["bbox"] == [25.0, 45.1, 25.1, 45.2], r["bbox"]
assert r["label"] == [25.05, 45.15, 0.05], r["label"]
ring = r["outline"][0][0]
pts = {(ring[i], ring[i + 1]) for i in range(0, len(ring), 2)}
assert pts == {(25.0, 45.1), (25.1, 45.1), (25.1, 45.2), (25.0, 45.2)}, ring
assert r["parent"] == 0 and r["parent_code"] == "01", r
assert r["parent_name"] == "Nordia", r
f = json.load(open(f"{d}/commune-figures.json", encoding="utf-8"))
v = dict(zip(f["fields"], f["values"][0]))
# tests/cli/clean.sh works these out: 2,000 children; need 590, supply 310.
assert (v["population"], v["need_total"], v["supply_total"]) == (2000, 590, 310), v
PYEOF

# The poverty fixture (one level, the poverty index and Alkire-Foster),
# into a folder below the first: the same server serves it at /pov/.
"$MAPGEN" run "$SOURCE_DIR/tests/fixtures/poverty/poverty.json" \
    -o "$T/out/pov" -q >"$T/run-pov.log" 2>&1 ||
    { cat "$T/run-pov.log" >&2; fail "mapgen run of the poverty fixture failed"; }

# The figures as the GeoPackage holds them: every column but the geometry.
python3 - "$T/out/clean.gpkg" "$T/out/pov/pov.gpkg" >"$T/expected.json" <<'PYEOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
out = {}
pov = sqlite3.connect(sys.argv[2])
cur = pov.execute("SELECT * FROM regions")
cols = [c[0] for c in cur.description]
out["cell"] = {str(row[cols.index("code")]): {c: v for c, v in zip(cols, row)
               if not isinstance(v, bytes)} for row in cur}
for table, level in (("regions", "commune"), ("regions_county", "county")):
    cur = db.execute(f"SELECT * FROM {table}")
    cols = [c[0] for c in cur.description]
    out[level] = {}
    for row in cur:
        r = {c: v for c, v in zip(cols, row) if not isinstance(v, bytes)}
        out[level][str(r["code"])] = r
out["sites"] = [dict(zip(("method", "rank", "region_code"), row)) for row in
                db.execute("SELECT method, rank, region_code FROM sites")]
json.dump(out, sys.stdout, ensure_ascii=False)
PYEOF

start_server server "$T/out" --log -
status=0
node "$SOURCE_DIR/tests/viewer/identify.mjs" "$URL/" \
    "$T/out" "$T/expected.json" "$T/profile" "$ARTIFACTS" "$CHROMIUM" ||
    status=$?
if [ "$status" != 0 ]; then
    tail -n 40 "$T/server.err" >&2
    fail "identify.mjs failed (exit $status); screenshots in $ARTIFACTS"
fi
stop_server server
for log in "$T/run.log" "$T/run-j1.log" "$T/run-pov.log"; do
    no_sanitizer_report "$log"
done
echo "viewer_identify: passed"
