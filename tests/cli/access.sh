#!/bin/sh
# Accessibility and siting end to end (access.sh CASE):
#   run          `mapgen run` on tests/fixtures/access/matrix.json: the
#                clean fixture, 2SFCA over a table of travel times, sites by
#                maximal covering and p-median; figures worked out by hand
#   commands     `mapgen access` and `mapgen site` on that GeoPackage: the
#                same figures as the run; great-circle Gaussian 2SFCA
#                checked against an independent Python implementation; a
#                candidate file
#   demand       population-weighted demand points from a finer layer
#   failures     bad options and inputs: exit status, message, and the
#                GeoPackage left exactly as it was
#   exact        `mapgen site` with the integer programmes (GLPK): exact
#                maximal covering, set covering with backup, p-center and
#                a capacitated covering and p-center, figures worked out
#                by hand
#   gravity      `mapgen access` with 3SFCA and gravity/kernel decays: the
#                one rehabilitation provider's 30 places all accessible;
#                access_norm's need-weighted mean is 1
#   sample       the bundled sample's access and siting figures, then
#                SIGINT/SIGTERM during `mapgen access` on its GeoPackage:
#                unchanged, no temporary file left
set -eu
. "$(dirname "$0")/lib.sh"

case=${1:?usage: access.sh CASE}
acc=$FIXTURES/access
out=$T/out
cd "$T"

# The run of the fixture project, for the cases that start from its output.
run_fixture() {
    run run "$acc/matrix.json" -o "$out" --force -q --no-tiles
    expect_rc 0
    gpkg=$out/access.gpkg
}

checksum() {
    sha256sum "$1" | cut -d' ' -f1
}

# no_temporaries DIR: no .tmp-* file left anywhere under DIR.
no_temporaries() {
    left=$(find "$1" -name '.tmp-*')
    [ -z "$left" ] || fail "temporary files left: $left"
}

case $case in
run)
    run_fixture
    "$PY" /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py \
        "$gpkg" || fail "validate_gpkg.py rejects $gpkg"
    expect_eq "vector layers" "$(sql "$gpkg" "SELECT group_concat(table_name,
        ',') FROM (SELECT table_name FROM gpkg_contents WHERE data_type =
        'features' ORDER BY table_name)")" \
        "providers,regions,regions_county,sites"
    # ---- 2SFCA of consultation, catchment 30 minutes (times.csv) --------
    # need (clean.sh): 007 190, 008 100, 009 10, 010 30, 011 10, 012 0
    # pairs within 30 minutes:
    #   provider 1 (cap 50): 007 at 5, 008 at 20, 010 at 25
    #   provider 2 (cap 30): 007 at 10 (written "7"); 008 at 35 is beyond
    #   provider 7 (cap 5):  012 at 0, 011 at 15, 009 at 20
    # R1 = 50 / (190 + 100 + 30) = 0.15625; R2 = 30 / 190; R7 = 5 / 20
    # access: 007 R1 + R2, 008 and 010 R1, 009, 011 and 012 R7
    # accessible = access x need: 59.6875, 15.625, 2.5, 4.6875, 2.5, 0
    #   (sum 85 = 50 + 30 + 5: every provider reaches some need)
    # access gap = need - accessible: 130.3125, 84.375, 7.5, 25.3125, 7.5, 0
    expect_row "$gpkg" regions "code = '007'" \
        "access_consultation=0.15625 + 30.0/190" \
        accessible_supply_consultation=59.6875 \
        access_gap_consultation=130.3125 \
        "access_gap_per10k_consultation=130.3125 * 10000 / 2000" \
        gap_consultation=110 accessible_supply_total=59.6875 \
        access_gap_total=130.3125
    expect_row "$gpkg" regions "code = '008'" access_consultation=0.15625 \
        accessible_supply_consultation=15.625 access_gap_consultation=84.375
    expect_row "$gpkg" regions "code = '009'" access_consultation=0.25 \
        accessible_supply_consultation=2.5 access_gap_consultation=7.5
    expect_row "$gpkg" regions "code = '010'" \
        accessible_supply_consultation=4.6875 access_gap_consultation=25.3125
    expect_row "$gpkg" regions "code = '012'" access_consultation=0.25 \
        accessible_supply_consultation=0 access_gap_consultation=0 \
        access_total=NULL
    # R_j on the providers layer: R1 = 0.15625, R2 = 30 / 190, R7 = 0.25.
    expect_row "$gpkg" providers "source_fid = 1" access_ratio=0.15625
    expect_row "$gpkg" providers "source_fid = 2" "access_ratio=30.0 / 190"
    expect_row "$gpkg" providers "source_fid = 7" access_ratio=0.25
    # Only consultation was asked for.
    expect_eq "rehabilitation columns" "$(sql "$gpkg" "SELECT count(*) FROM
        pragma_table_info('regions') WHERE name LIKE '%rehabilitation%'
        AND name LIKE 'access%'")" 0
    # County 1 (007, 008, 009): sums, and access from the sums.
    expect_row "$gpkg" regions_county "code = '1'" \
        accessible_supply_consultation=77.8125 \
        access_gap_consultation=222.1875 \
        "access_consultation=77.8125 / 300"
    r=$out/reports/join-report.csv
    expect_report "$r" times.csv 9 region \
        "region code not found in the boundaries" 013
    expect_report "$r" times.csv 10 provider \
        "provider fid not found in the providers" 99
    expect_report "$r" times.csv 11 minutes "cost is not a number" abc
    expect_report "$r" times.csv 12 minutes \
        "duplicate pair of region and provider or candidate" 6
    expect_eq "join report rows" "$(report_rows "$r")" 4
    # ---- sites: 2 consultation sites, radius 10 km, great-circle --------
    # Demand points are the cells' points on surface, their centres: 0.1
    # degree apart, 7.85 km east-west at 45.15 N, 11.12 km north-south.
    # Within 10 km a site covers its own cell and its east/west neighbours:
    #   007: 007 008 = 214.6875      008: 007 008 009 = 222.1875
    #   009: 008 009 = 91.875        010: 010 011 = 32.8125
    #   011: 010 011 012 = 32.8125   012: 011 012 = 7.5
    # Greedy: 008 (222.1875), then 010 and 011 tie at 32.8125: the lower
    # index, 010.  Total 255.
    expect_row "$gpkg" sites "method = 'mclp' AND rank = 1" \
        candidate="'008'" need_covered=222.1875 regions_served=3 \
        served_codes="'007,008,009'" capacity=25 radius=10 \
        need="'access_gap'" region_code="'008'"
    expect_row "$gpkg" sites "method = 'mclp' AND rank = 2" \
        candidate="'010'" need_covered=32.8125 \
        cumulative_need_covered=255 served_codes="'010,011'"
    # p-median: checked against every pair of candidates below.
    expect_eq "p-median sites" "$(sql "$gpkg" "SELECT group_concat(candidate,
        ',') FROM (SELECT candidate FROM sites WHERE method = 'pmedian'
        ORDER BY candidate)")" "007,008"
    "$PY" - "$gpkg" <<'EOF' || fail "p-median is not the optimum"
import itertools, math, sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1])
pts, need = {}, {}
for f in ds.GetLayerByName("regions"):
    p = f.GetGeometryRef().PointOnSurface()
    pts[f["code"]] = (p.GetX(), p.GetY())
    need[f["code"]] = f["access_gap_consultation"]
def km(a, b):
    (x1, y1), (x2, y2) = a, b
    p1, p2 = math.radians(y1), math.radians(y2)
    h = (math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) *
         math.sin(math.radians(x2 - x1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(h))
def cost(s):
    return sum(w * min(km(pts[c], pts[r]) for c in s)
               for r, w in need.items() if w > 0)
best = min(itertools.combinations(sorted(pts), 2), key=cost)
assert best == ("007", "008"), best
EOF
    s=$out/reports/sites.csv
    expect_eq "sites.csv header" "$(head -n 1 "$s")" \
        "method,category,rank,candidate,name,region_code,region_name,lon,lat,capacity,radius,need,need_covered,cumulative_need_covered,regions_served,mean_distance,served_codes,solver,gap"
    expect_eq "sites.csv rows" "$(($(wc -l <"$s") - 1))" 4
    ;;
commands)
    run_fixture
    cp "$gpkg" "$T/copy.gpkg"
    # The stages alone, with the project's settings: the run's figures.
    run access "$T/copy.gpkg" -p "$acc/matrix.json" -q
    expect_rc 0
    expect_row "$T/copy.gpkg" regions "code = '007'" \
        accessible_supply_consultation=59.6875 access_gap_consultation=130.3125
    expect_row "$T/copy.gpkg" regions_county "code = '1'" \
        access_gap_consultation=222.1875
    mkdir -p "$T/site"
    run site "$T/copy.gpkg" -p "$acc/matrix.json" --csv "$T/site/sites.csv" -q
    expect_rc 0
    diff -u "$out/reports/sites.csv" "$T/site/sites.csv" ||
        fail "mapgen site differs from the run's sites"
    "$PY" /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py \
        "$T/copy.gpkg" || fail "validate_gpkg.py rejects the updated copy"
    # Great-circle Gaussian 2SFCA of rehabilitation from the options alone
    # (no project: the categories come from the need_* fields).  The one
    # rehabilitation provider (30 places) reaches every region with need:
    # all 30 places are accessible supply somewhere.
    run access "$T/copy.gpkg" -m gaussian -c 20 -C rehabilitation
    expect_rc 0
    expect_err "accessibility of rehabilitation (Gaussian 2SFCA, catchment 20 km)"
    expect_eq "accessible rehabilitation" "$(sql "$T/copy.gpkg" "SELECT
        round(sum(accessible_supply_rehabilitation), 9) FROM regions")" 30.0
    # ... and the consultation figures of the first call are still there.
    expect_row "$T/copy.gpkg" regions "code = '008'" \
        accessible_supply_consultation=15.625
    "$PY" - "$T/copy.gpkg" <<'EOF' || fail "Gaussian 2SFCA differs from Python"
import math, sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1])
reg = [(f["code"], f.GetGeometryRef().PointOnSurface(), f["need_rehabilitation"],
        f["access_rehabilitation"]) for f in ds.GetLayerByName("regions")]
sup = [(f.GetGeometryRef().Clone(), f["capacity"]) for f in ds.GetLayerByName("providers")
       if f["category"] == "rehabilitation"]
def km(a, b):
    p1, p2 = math.radians(a.GetY()), math.radians(b.GetY())
    h = (math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) *
         math.sin(math.radians(b.GetX() - a.GetX()) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(h))
def g(d, d0=20.0):
    e = math.exp(-0.5)
    return (math.exp(-0.5 * (d / d0) ** 2) - e) / (1 - e) if d <= d0 else 0.0
ratio = [cap / sum(n * g(km(p, pt)) for _, pt, n, _ in reg) for p, cap in sup]
for code, pt, n, got in reg:
    want = sum(r * g(km(p, pt)) for (p, _), r in zip(sup, ratio))
    assert abs(got - want) <= 1e-9 * (1 + want), (code, got, want)
EOF
    # Candidates from a file: A lies at 008's centre, B at 010's, C far
    # off, D has no longitude (reported, left out).
    run site "$T/copy.gpkg" -C consultation -k 2 -R 10 --capacity 12 \
        --candidates "$acc/candidates.csv" --id-field id --name-field name \
        -r "$T/problems.csv" --csv "$T/site/file-sites.csv"
    expect_rc 0
    expect_row "$T/copy.gpkg" sites "rank = 1" candidate="'A'" \
        name="'Bravo hall'" region_code="'008'" capacity=12 \
        served_codes="'007,008,009'"
    expect_row "$T/copy.gpkg" sites "rank = 2" candidate="'B'" \
        region_code="'010'"
    expect_eq "sites" "$(count "$T/copy.gpkg" sites)" 2
    expect_report "$T/problems.csv" candidates.csv 4 lon \
        "blank or non-numeric coordinates"
    ;;
demand)
    run_fixture
    cp "$gpkg" "$T/copy.gpkg"
    # Provider 4 (rehabilitation, 30 places) stands at 25.02 45.18; 007's
    # point on surface (25.05 45.15) is 4.1 km away, beyond a 1 km
    # catchment.  blocks.geojson puts all of 007's population at 25.02
    # 45.18: its demand point moves there and 007 gets all 30 places.
    run access "$T/copy.gpkg" -c 1 -C rehabilitation -q
    expect_rc 0
    expect_row "$T/copy.gpkg" regions "code = '007'" \
        accessible_supply_rehabilitation=0
    run access "$T/copy.gpkg" -c 1 -C rehabilitation \
        --demand "$acc/blocks.geojson" --population-field pop \
        -r "$T/problems.csv"
    expect_rc 0
    expect_row "$T/copy.gpkg" regions "code = '007'" \
        accessible_supply_rehabilitation=30 access_rehabilitation=30.0/130 \
        access_gap_rehabilitation=100
    # Feature ids of the GeoJSON start at 0.
    expect_report "$T/problems.csv" blocks.geojson 6 pop "negative population"
    expect_report "$T/problems.csv" blocks.geojson 7 geometry \
        "point lies outside every region"
    expect_report "$T/problems.csv" blocks.geojson "" pop \
        "region has no population in the demand layer" 012
    n=$(report_rows "$T/problems.csv" \
        "region has no population in the demand layer")
    expect_eq "regions without population" "$n" 1
    ;;
exact)
    run_fixture
    cp "$gpkg" "$T/copy.gpkg"
    # The accessible gaps (from the run's figures above): 007 130.3125,
    # 008 84.375, 009 7.5, 010 25.3125, 011 7.5, 012 0.  Rows of cells:
    # 007 008 009 and 010 011 012; within 10 km a site covers its row
    # neighbours.  Exact MCLP, K = 2: 008 + 010 (or 011) = 255, as the
    # greedy (no pair does better: 008 is in every best pair).  LSCP: 008
    # covers the first row, 010 or 011 the rest of the second: 2 sites, no
    # point covered twice.  p-center, K = 2: 008 and one of 010/011, radius
    # one cell east-west, 7.85 km.
    run site "$T/copy.gpkg" -C consultation -k 2 -R 10 --need access_gap \
        -m mclp,lscp,pcenter --solver exact --backup --csv "$T/s.csv" -q
    expect_rc 0
    expect_row "$T/copy.gpkg" sites "method = 'mclp' AND rank = 2" \
        cumulative_need_covered=255 solver="'exact'" gap=0
    expect_eq "lscp sites" "$(sql "$T/copy.gpkg" "SELECT count(*) FROM sites
        WHERE method = 'lscp' AND solver = 'exact' AND gap = 0")" 2
    expect_row "$T/copy.gpkg" sites "method = 'lscp' AND rank = 1" \
        candidate="'008'" need_covered=222.1875
    expect_eq "p-center radius" "$(sql "$T/copy.gpkg" "SELECT count(*) FROM
        sites WHERE method = 'pcenter' AND radius BETWEEN 7.8 AND 7.9
        AND gap = 0 AND candidate IN ('008', '010', '011')")" 2
    # Capacitated covering, capacity 100: 008's row holds 222.1875, so one
    # site there serves 100 and two are needed: 008 can serve 100 of
    # 007 + 008 + 009, 007 another 100 of 007 + 008; with 22.1875 left in
    # the first row a third site of the first row is needed, and one of the
    # second row: 4 sites.
    run site "$T/copy.gpkg" -C consultation -R 10 --need access_gap \
        -m lscp --capacity 100 --capacitated --csv "$T/c.csv" -q
    expect_rc 0
    expect_eq "capacitated lscp sites" "$(sql "$T/copy.gpkg" "SELECT count(*)
        FROM sites WHERE method = 'lscp' AND need_covered <= 100")" 4
    expect_eq "capacitated need served" "$(sql "$T/copy.gpkg" "SELECT
        round(sum(need_covered), 4) FROM sites WHERE method = 'lscp'")" \
        255.0
    # Capacitated p-center, K = 2, capacity 200: the first row holds
    # 222.1875 > 200, so one of its regions must go to the second row's
    # site, one cell north-south (0.1 degree of latitude, 11.12 km) instead
    # of the uncapacitated 7.85 km; the two sites serve all 255, neither
    # more than 200.  Capacity 100 holds only 200 of 255: an error naming
    # the key.
    run site "$T/copy.gpkg" -C consultation -k 2 --need access_gap \
        -m pcenter --capacity 200 --capacitated --csv "$T/pc.csv" -q
    expect_rc 0
    expect_eq "capacitated p-center" "$(sql "$T/copy.gpkg" "SELECT count(*),
        round(sum(need_covered), 4), max(need_covered) <= 200,
        min(round(radius, 2)), max(gap) FROM sites
        WHERE method = 'pcenter'")" "2|255.0|1|11.12|0.0"
    run site "$T/copy.gpkg" -C consultation -k 2 --need access_gap \
        -m pcenter --capacity 100 --capacitated --csv "$T/pc.csv" --force -q
    expect_rc 4
    expect_err "capacity" "no 2 site(s) of capacity 100"
    # p-median has no capacitated form: refused, naming the key.
    run site "$T/copy.gpkg" -C consultation -k 2 --need access_gap \
        -m pmedian --capacity 200 --capacitated --csv "$T/pc.csv" --force -q
    expect_rc 3
    expect_err "siting.capacitated" "not pmedian"
    # Candidates A (centre of 008) and B (centre of 010) only: within 1 km
    # no candidate reaches 007, so no set covers every region: the error
    # names the region.
    run site "$T/copy.gpkg" -C consultation -R 1 --need access_gap -m lscp \
        --candidates "$acc/candidates.csv" --id-field id --name-field name \
        --csv "$T/l.csv" --force -q
    expect_rc 4
    expect_err "region 007" "farther than 1 from every candidate"
    # A bad solver is an error naming the key.
    run site "$T/copy.gpkg" -C consultation -k 2 -R 10 --solver best -q
    expect_rc 3
    expect_err "siting.solver"
    ;;
gravity)
    run_fixture
    cp "$gpkg" "$T/copy.gpkg"
    for m in "power --beta 1.5" "exponential --beta 0.1" triangular \
        epanechnikov quartic; do
        # shellcheck disable=SC2086
        run access "$T/copy.gpkg" -m $m -c 20 -C rehabilitation --steps 3 \
            --normalise -q
        expect_rc 0
        expect_eq "accessible rehabilitation ($m)" "$(sql "$T/copy.gpkg" \
            "SELECT round(sum(accessible_supply_rehabilitation), 9)
             FROM regions")" 30.0
        expect_eq "normalised mean ($m)" "$(sql "$T/copy.gpkg" "SELECT
            round(sum(need_rehabilitation * access_norm_rehabilitation) /
            sum(need_rehabilitation), 9) FROM regions
            WHERE access_norm_rehabilitation IS NOT NULL
            AND need_rehabilitation > 0")" 1.0
    done
    run access "$T/copy.gpkg" -m power -c 20 -q
    expect_rc 3
    expect_err "method 'power' needs 'beta'"
    run access "$T/copy.gpkg" -c 20 --steps 4 -q
    expect_rc 3
    expect_err "'steps' must be 2 (2SFCA) or 3 (3SFCA)"
    ;;
failures)
    run_fixture
    cp "$gpkg" "$T/copy.gpkg"
    before=$(checksum "$T/copy.gpkg")
    unchanged() {
        expect_eq "checksum of the GeoPackage" "$(checksum "$T/copy.gpkg")" \
            "$before"
        no_temporaries "$T"
    }
    run access
    expect_rc 2
    expect_err "which GeoPackage?"
    run access "$T/copy.gpkg" -c abc
    expect_rc 2
    expect_err "malformed value 'abc'"
    run access "$T/copy.gpkg" -m cumulative -c 5
    expect_rc 3
    expect_err "field 'access.method'" 'must be one of "2sfca", "e2sfca", "gaussian"'
    unchanged
    run access "$T/copy.gpkg"
    expect_rc 3
    expect_err "'catchment' is missing"
    run access "$T/nowhere.gpkg" -c 5
    expect_rc 4
    expect_err "nowhere.gpkg"
    run access "$T/copy.gpkg" -c 5 -d "$T/nowhere.csv"
    expect_rc 4
    expect_err "nowhere.csv" "No such file or directory"
    unchanged
    run access "$T/copy.gpkg" -c 5 -d "$acc/times.csv" --cost-field hours
    expect_rc 4
    expect_err "field 'access.distances.cost_field'" "no field 'hours'" \
        "region, provider, minutes"
    unchanged
    run site "$T/copy.gpkg" -C consultation -k 1
    expect_rc 3
    expect_err "method 'mclp' needs 'radius'"
    run site "$T/copy.gpkg" -C promotion -k 1 -R 5 --need access_gap
    expect_rc 4
    expect_err "access_gap_promotion" "run the access stage first"
    unchanged
    # An output that exists is replaced only with --force.
    cp "$T/copy.gpkg" "$T/other.gpkg"
    run access "$T/copy.gpkg" -c 5 -o "$T/other.gpkg"
    expect_rc 5
    expect_err "already exists; pass --force"
    unchanged
    # A project with a mistake in "access" stops `mapgen run` before any
    # output is written.
    sed 's/"catchment": 30/"catchment": 30, "decay": "linear"/' \
        "$acc/matrix.json" >"$T/bad.json"
    run run "$T/bad.json" -o "$T/bad-out" --no-tiles
    expect_rc 3
    expect_err "field 'access.decay'" "unknown key 'decay'"
    expect_no_outputs "$T/bad-out"
    ;;
sample)
    run run -q -o "$out" --force --no-tiles
    expect_rc 0
    gpkg=$out/romania.gpkg
    # Gaussian 2SFCA, 30 km, every category; 10 rehabilitation sites by
    # each method (geodata/sample/romania.json).
    for c in consultation economic_aid rehabilitation promotion total; do
        expect_eq "regions without access_gap_$c" "$(sql "$gpkg" "SELECT
            count(*) FROM regions WHERE access_gap_$c IS NULL")" 0
    done
    expect_eq "sites" "$(sql "$gpkg" "SELECT count(*) FROM sites WHERE
        category = 'rehabilitation' AND need = 'access_gap'")" 20
    expect_eq "sites.csv rows" "$(($(wc -l <"$out/reports/sites.csv") - 1))" 20
    # Accessible supply is the capacity of the providers that reach some
    # need: all located providers' capacity but what the report lists,
    # provider by provider; the counties hold the same total.
    "$PY" - "$gpkg" "$out/reports/join-report.csv" <<'EOF' ||
import csv, sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1])
lost = {r["row"] for r in csv.DictReader(open(sys.argv[2]))
        if r["problem"] == "no region with need within the provider's catchment"}
for c in ("consultation", "economic_aid", "rehabilitation", "promotion"):
    acc = sum(f["accessible_supply_" + c] for f in ds.GetLayerByName("regions"))
    cap = sum(f["capacity"] for f in ds.GetLayerByName("providers")
              if f["category"] == c and f.GetGeometryRef() is not None
              and str(f["source_fid"]) not in lost)
    assert abs(acc - cap) <= 1e-6 * cap, (c, acc, cap)
    county = sum(f["accessible_supply_" + c]
                 for f in ds.GetLayerByName("regions_county"))
    assert abs(county - acc) <= 1e-6 * acc, (c, county, acc)
EOF
        fail "accessible supply does not add up to the capacity"
    # Each MCLP site adds no more than the one before it.
    expect_eq "MCLP order" "$(sql "$gpkg" "SELECT count(*) FROM sites a JOIN
        sites b ON a.method = 'mclp' AND b.method = 'mclp' AND
        b.rank = a.rank + 1 AND b.need_covered > a.need_covered")" 0
    before=$(checksum "$gpkg")
    stopped=0
    # A Release build runs this in about 0.25 s, one with sanitizers in
    # several: early signals for the one, late for the other.
    for s in INT:0.08 INT:0.14 INT:0.2 TERM:0.6 INT:1.0 INT:1.5; do
        "$MAPGEN" access "$gpkg" -q -m gaussian -c 50 2>"$T/stderr" &
        pid=$!
        sleep "${s#*:}"
        kill -"${s%:*}" "$pid" 2>/dev/null || true
        set +e
        wait "$pid"
        RC=$?
        set -e
        no_sanitizer_report "mapgen access, SIG$s"
        no_temporaries "$out"
        case $RC in
        130)
            stopped=$((stopped + 1))
            expect_eq "GeoPackage after SIG$s" "$(checksum "$gpkg")" "$before"
            ;;
        0)
            before=$(checksum "$gpkg") # done before the signal: complete
            "$PY" /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py \
                "$gpkg" || fail "invalid GeoPackage after SIG$s"
            ;;
        *)
            cat "$T/stderr" >&2
            fail "SIG$s: exit $RC"
            ;;
        esac
    done
    [ "$stopped" -gt 0 ] || fail "no run was interrupted"
    ;;
*)
    fail "unknown case '$case'"
    ;;
esac
echo "ok ($case)"
