# Helpers for the tests of `mapgen serve` and of the viewer page
# (tests/viewer/*.sh); source after `set -eu`; POSIX sh.
#
# Environment (set by tests/serve/CMakeLists.txt, tests/viewer/CMakeLists.txt):
#   MAPGEN       the mapgen binary
#   SOURCE_DIR   the source tree (tests/golden/clean is the project served)
#   TEST_TMPDIR  where each test makes its own directory, $T (named after
#                the script)
#   CHROMIUM     the browser of need_browser, /usr/bin/chromium unless set
#
# Servers listen on 127.0.0.1 on a port the kernel picks (--port 0; the
# server prints it), and are stopped by their PID on exit.

: "${MAPGEN:?MAPGEN must name the mapgen binary}"
: "${SOURCE_DIR:?SOURCE_DIR must name the source tree}"
PY=/usr/bin/python3
PROJECT=$SOURCE_DIR/tests/golden/clean/project.json
mkdir -p "${TEST_TMPDIR:-/tmp}"
script=${0##*/}
T=$(mktemp -d "${TEST_TMPDIR:-/tmp}/${script%.sh}.XXXXXX")
SERVERS=
cleanup() {
    for pid in $SERVERS; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

command -v curl >/dev/null 2>&1 ||
    fail "curl not found ('make test' installs it: TEST_DEBS)"

# need_browser: Debian's chromium, node and playwright-core from
# node_modules, or the test fails (`make test` installs them all, so a
# missing one is a broken set-up that must show, never a skip).
need_browser() {
    CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
    [ -x "$CHROMIUM" ] ||
        fail "$CHROMIUM not found: the browser tests need Debian's" \
             "chromium package ('make test' installs it; or apt-get install chromium)"
    command -v node >/dev/null 2>&1 ||
        fail "node not found: run 'make deps' (Debian's nodejs and npm)"
    [ -f "$SOURCE_DIR/node_modules/playwright-core/package.json" ] ||
        fail "playwright-core is not in $SOURCE_DIR/node_modules: run" \
             "'make deps' (or 'npm ci' in $SOURCE_DIR)"
}

# no_sanitizer_report FILE: fails the test when FILE has one.
no_sanitizer_report() {
    if grep -q -E 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$1"; then
        cat "$1" >&2
        fail "sanitizer report in $1"
    fi
}

# make_out DIR [mapgen run options...]: the clean golden project's maps
# (zooms 6-10: 10 tiles per map, in all three stores) written into DIR.
make_out() {
    dir=$1
    shift
    "$MAPGEN" run "$PROJECT" -o "$dir" -z 6-10 -q --force "$@" \
        >"$T/run.log" 2>&1 || { cat "$T/run.log" >&2; fail "mapgen run failed"; }
    no_sanitizer_report "$T/run.log"
}

# start_server NAME ARGS...: runs `mapgen serve ARGS --port 0` in the
# background; sets PORT and URL, and NAME_PID.  Output in $T/NAME.out,
# $T/NAME.err (made before the server starts: its redirections happen in
# the child, which may not have run when the loop first reads them).
start_server() {
    name=$1
    shift
    : >"$T/$name.out"
    : >"$T/$name.err"
    "$MAPGEN" serve "$@" --port 0 >"$T/$name.out" 2>"$T/$name.err" &
    pid=$!
    SERVERS="$SERVERS $pid"
    eval "${name}_PID=$pid"
    PORT=
    i=0
    while [ -z "$PORT" ]; do
        PORT=$(sed -n 's|^mapgen serve: http://[^ ]*:\([0-9][0-9]*\)/ .*|\1|p' \
               "$T/$name.out")
        [ -n "$PORT" ] && break
        kill -0 "$pid" 2>/dev/null ||
            { cat "$T/$name.err" >&2; fail "mapgen serve ($name) did not start"; }
        i=$((i + 1))
        [ "$i" -lt 300 ] || fail "mapgen serve ($name) did not say its port in 30 s"
        sleep 0.1
    done
    URL=http://127.0.0.1:$PORT
}

# stop_server NAME: SIGTERM, then the exit status must be 0 and stderr
# free of sanitizer reports.
stop_server() {
    eval "pid=\$${1}_PID"
    kill -TERM "$pid"
    rc=0
    wait "$pid" || rc=$?
    SERVERS=$(echo "$SERVERS" | sed "s/ $pid\$//; s/ $pid / /")
    no_sanitizer_report "$T/$1.err"
    [ "$rc" = 0 ] || { cat "$T/$1.err" >&2; fail "mapgen serve ($1) exited $rc on SIGTERM"; }
}

# get ARGS... URL: curl; the status in $STATUS, headers in $T/h, body in
# $T/b.
get() {
    rm -f "$T/b"   # curl makes no file for an empty body
    STATUS=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$@") || STATUS=000
    [ -f "$T/b" ] || : >"$T/b"
}

# header NAME: the value of header NAME of the last answer ("" if none).
header() {
    tr -d '\r' <"$T/h" | sed -n "s/^$1: //Ip" | tail -n 1
}

expect_status() {
    [ "$STATUS" = "$1" ] || { cat "$T/h" >&2; fail "$2: status $STATUS, expected $1"; }
}

expect_header() {
    hv=$(header "$1")
    [ "$hv" = "$2" ] || fail "$3: header $1 is '$hv', expected '$2'"
}

expect_eq() {
    [ "$2" = "$3" ] || fail "$1: '$2', expected '$3'"
}
