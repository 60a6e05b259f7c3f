#!/bin/sh
# `mapgen --help`, `mapgen run --help` and bad command lines.
set -eu
. "$(dirname "$0")/lib.sh"

run --help
expect_rc 0
expect_out "mapgen run [PROJECT.json] [options]" "--help" "--version" \
    "Exit codes"

run run --help
expect_rc 0
expect_out "Usage: mapgen run [PROJECT.json] [options]" \
    "-o, --output DIR" "-f, --force" "-q, --quiet" "-h, --help" \
    "ranking.csv" "join-report.csv"

run --version
expect_rc 0
expect_out "mapgen "

# Usage errors exit 2 and show the usage on stderr; nothing is written.
cd "$T"
run run --no-such-option
expect_rc 2
expect_err "Usage: mapgen run"
run run a.json b.json
expect_rc 2
expect_err "one project file at most"
run frobnicate
expect_rc 2
expect_err "unknown command 'frobnicate'"
run
expect_rc 2
expect_err "Usage:"
run run -o
expect_rc 2
expect_no_outputs "$T/out"
echo "ok"
