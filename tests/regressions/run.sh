#!/bin/sh
# Runs one regression case: tests/regressions/CASE/case.sh, sourced with
# tests/cli/lib.sh's helpers ($MAPGEN, $FIXTURES, $T, run, expect_*).
# Every fixed bug gets a folder here whose case.sh fails on the old code.
set -eu
. "$(dirname "$0")/../cli/lib.sh"
C=$FIXTURES/clean
case_dir=$(cd "$(dirname "$0")" && pwd)/${1:?usage: run.sh CASE}
[ -f "$case_dir/case.sh" ] || fail "no $case_dir/case.sh"
. "$case_dir/case.sh"
echo "ok: regression $1"
