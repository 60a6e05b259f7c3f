# Helpers for the CLI tests.  Source after `set -eu`; POSIX sh.
#
# Environment (set by tests/cli/CMakeLists.txt):
#   MAPGEN       the mapgen binary
#   FIXTURES     tests/fixtures in the source tree
#   TEST_TMPDIR  where each test makes its own temporary directory
#
# Every test gets $T, a fresh directory removed on exit.

: "${MAPGEN:?MAPGEN must name the mapgen binary}"
: "${FIXTURES:?FIXTURES must name tests/fixtures}"
PY=/usr/bin/python3   # the python3 with GDAL's osgeo bindings
mkdir -p "${TEST_TMPDIR:-/tmp}"
T=$(mktemp -d "${TEST_TMPDIR:-/tmp}/cli.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# run ARGS...: runs mapgen; sets RC, keeps stdout/stderr in $T/stdout,
# $T/stderr.  Any sanitizer report fails the test with the report shown.
# no_sanitizer_report WHAT: fails (showing $T/stderr) when a sanitizer
# reported anything there: ASan, LSan, UBSan, TSan, a runtime error.
no_sanitizer_report() {
    if grep -q -E 'Sanitizer|runtime error:' "$T/stderr"; then
        cat "$T/stderr" >&2
        fail "sanitizer report from: $1"
    fi
}

run() {
    set +e
    "$MAPGEN" "$@" >"$T/stdout" 2>"$T/stderr"
    RC=$?
    set -e
    no_sanitizer_report "mapgen $*"
    return 0
}

# expect_rc N: the last run exited with N.
expect_rc() {
    if [ "$RC" != "$1" ]; then
        echo "--- stderr:" >&2
        cat "$T/stderr" >&2
        fail "exit status $RC, expected $1"
    fi
}

# expect_err TEXT...: every TEXT occurs (as a fixed string) in stderr.
expect_err() {
    for text in "$@"; do
        grep -q -F -- "$text" "$T/stderr" ||
            { cat "$T/stderr" >&2; fail "stderr lacks: $text"; }
    done
}

# expect_out TEXT...: every TEXT occurs in stdout.
expect_out() {
    for text in "$@"; do
        grep -q -F -- "$text" "$T/stdout" ||
            { cat "$T/stdout" >&2; fail "stdout lacks: $text"; }
    done
}

# expect_no_outputs DIR: no file at all under DIR (no .gpkg, no reports,
# no .tmp-* left over); DIR itself may be missing.
expect_no_outputs() {
    if [ -e "$1" ]; then
        left=$(find "$1" -type f)
        [ -z "$left" ] || fail "files left in $1: $left"
    fi
}

# sql DB QUERY: prints the result of a query.
sql() {
    sqlite3 -batch -bail "$1" "$2"
}

# count DB LAYER: number of features of a layer.
count() {
    sql "$1" "SELECT count(*) FROM \"$2\""
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# expect_row DB LAYER WHERE FIELD=EXPECTED...: the one feature of LAYER
# matching WHERE has these values.  EXPECTED is NULL, a quoted SQL string
# ('007'), or an SQL number expression compared within 1e-9 (relative),
# or EXPR~TOL for an absolute tolerance.  Write fractions with a decimal
# point (80.0/190): SQLite divides integers as integers.
expect_row() {
    db=$1 layer=$2 where=$3
    shift 3
    n=$(sql "$db" "SELECT count(*) FROM \"$layer\" WHERE $where")
    [ "$n" = 1 ] || fail "$layer WHERE $where: $n features, expected 1"
    cols=""
    for kv in "$@"; do
        f=${kv%%=*} e=${kv#*=}
        case $e in
        NULL) t="$f IS NULL" ;;
        \'*) t="$f = $e" ;;
        *~*) t="abs($f - (${e%~*})) <= ${e#*~}" ;;
        *) t="abs($f - ($e)) <= 1e-9 * max(1.0, abs($e))" ;;
        esac
        cols="$cols${cols:+ || '|' || }CASE WHEN $t THEN 'ok' ELSE '$f: got ' || quote($f) || ', expected $(echo "$e" | sed "s/'/''/g")' END"
    done
    got=$(sql "$db" "SELECT $cols FROM \"$layer\" WHERE $where")
    bad=$(echo "$got" | tr '|' '\n' | grep -v '^ok$' || true)
    [ -z "$bad" ] || fail "$layer WHERE $where:
$bad"
}

# expect_report CSV FILE ROW FIELD PROBLEM [VALUE]: the join report has a
# row whose file ends with FILE and with this row, field and problem (and
# value, when given).
expect_report() {
    "$PY" - "$@" <<'EOF' || fail "join report lacks: $*"
import csv, sys
path, file, row, field, problem = sys.argv[1:6]
value = sys.argv[6] if len(sys.argv) > 6 else None
with open(path, newline="") as f:
    for r in csv.DictReader(f):
        if (r["file"].endswith(file) and r["row"] == row and
                r["field"] == field and r["problem"] == problem and
                (value is None or r["value"] == value)):
            sys.exit(0)
sys.exit(1)
EOF
}

# report_rows CSV [PROBLEM]: number of join-report rows (with PROBLEM).
report_rows() {
    "$PY" - "$@" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="") as f:
    rows = list(csv.DictReader(f))
if len(sys.argv) > 2:
    rows = [r for r in rows if r["problem"] == sys.argv[2]]
print(len(rows))
EOF
}

# same_tree A B: every file of A and B has the same bytes, and both hold
# the same files.
same_tree() {
    (cd "$1" && find . -type f | LC_ALL=C sort) >"$T/files.a"
    (cd "$2" && find . -type f | LC_ALL=C sort) >"$T/files.b"
    cmp -s "$T/files.a" "$T/files.b" ||
        { diff "$T/files.a" "$T/files.b" >&2; fail "$1 and $2 hold other files"; }
    [ -s "$T/files.a" ] || fail "$1 is empty"
    while read -r f; do
        cmp -s "$1/$f" "$2/$f" || fail "$f differs between $1 and $2"
    done <"$T/files.a"
}
