#!/bin/sh
# --classify MAP=METHOD[:K] (docs/classification.md): the needs map of the
# clean fixture reclassified from the command line.  maps.json's
# "classification" must give the method, k and the breaks worked by hand
# from the values the run wrote to the GeoPackage; a bad method, a bad map
# and --no-tiles are usage errors (exit 2) naming the option.
#
# The needs values (gap_per10k_total, clean.sh): 0, 700, 875, 1525, 2200,
# 3166.67 (95 / 300 * 1e4).
#   quantile:3   b[i] the smallest value with F >= i / 3: 700, 1525.
#   head_tail:3  the mean of all, 8466.67 / 6 = 1411.11; then the mean of
#                the head above it, (1525 + 2200 + 3166.67) / 3 = 2297.22.
set -eu
. "$(dirname "$0")/lib.sh"

src=$FIXTURES/clean
out=$T/out
case=${1:-quantile}

check() { # METHOD K: maps.json against the breaks from the GeoPackage
    "$PY" - "$out" "$1" "$2" <<'PYEOF' || fail "--classify $1:$2 is wrong"
import json, sqlite3, sys
out, method, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
v = sorted(r[0] for r in sqlite3.connect(out + "/clean.gpkg").execute(
    "SELECT gap_per10k_total FROM regions"))
assert len(v) == 6 and v[0] == 0 and v[1] == 700 and v[4] == 2200, v
if method == "quantile":   # 2 values a class: the 2nd and 4th value
    inner = [v[1], v[3]]
    assert inner == [700, 1525], inner
else:                      # nested means
    m1 = sum(v) / 6
    head = [x for x in v if x > m1]
    inner = [m1, sum(head) / len(head)]
    assert abs(m1 - 1411.11) < 0.01 and abs(inner[1] - 2297.22) < 0.01
c = {m["name"]: m for m in json.load(open(out + "/maps.json"))["maps"]}
c = c["needs"]["classification"]
assert c["method"] == method and c["classes"] == k, c
b = c["breaks"]
assert len(b) == k + 1 and b[0] == v[0] and b[-1] == v[-1], b
assert all(abs(x - y) < 1e-9 * max(1, abs(y)) for x, y in
           zip(b[1:-1], inner)), (b, inner)
assert c["counts"] == ([2, 2, 2] if method == "quantile" else [3, 2, 1]), c
PYEOF
}

case $case in
quantile)
    run run "$src/clean.json" -o "$out" --force -q -z 6-6 --stores dir \
        --classify needs=quantile:3
    expect_rc 0
    check quantile 3
    ;;
head_tail)
    run run "$src/clean.json" -o "$out" --force -q -z 6-6 --stores dir \
        --classify needs=head_tail:3 --classify services=equal_interval
    expect_rc 0
    check head_tail 3
    ;;
bad)
    run run "$src/clean.json" -o "$out" --force -q -z 6-6 \
        --classify needs=bogus:3
    expect_rc 2
    expect_err "--classify 'needs=bogus:3'" "unknown classification method" \
        "quantile" "head_tail" "jenks_caspall"
    [ ! -e "$out/maps.json" ] || fail "a usage error wrote outputs"
    run run "$src/clean.json" -o "$out" --force -q -z 6-6 \
        --classify nope=jenks
    expect_rc 2
    expect_err "--classify" "no map named 'nope'" "needs"
    run run "$src/clean.json" -o "$out" --force -q -z 6-6 \
        --classify needs=quantile:99
    expect_rc 2
    expect_err "--classify 'needs=quantile:99'" "1 to 32"
    run run "$src/clean.json" -o "$out" --force -q --no-tiles \
        --classify needs=quantile
    expect_rc 2
    expect_err "--classify" "--no-tiles"
    ;;
*)
    fail "unknown case $case"
    ;;
esac
