#!/bin/sh
# Runs one golden case and compares it with what it expects.
# usage: run.sh CASE [VARIANT]   (tests/golden/README.md)
#
# A case is a folder tests/golden/CASE/ holding project.json (and what it
# reads), args (the options after `mapgen run project.json`), and
# expected/: the expected output, as `mapgen run` lays it out below the
# output folder's tiles/ (PNG tiles, compared pixel for pixel) plus
# optionally expected/reports/*.csv (compared byte for byte).  VARIANT V
# reads args-V and expected-V/ instead.
set -eu
. "$(dirname "$0")/../cli/lib.sh"
dir=$(cd "$(dirname "$0")" && pwd)/${1:?usage: run.sh CASE [VARIANT]}
sfx=${2:+-$2}
[ -f "$dir/args$sfx" ] || fail "no $dir/args$sfx"
expected=$dir/expected$sfx
# shellcheck disable=SC2046 # args holds options, split on purpose
run run "$dir/project.json" -o "$T/out" -q $(cat "$dir/args$sfx")
expect_rc 0
if [ -d "$expected/reports" ]; then
    for f in "$expected"/reports/*; do
        cmp -s "$f" "$T/out/reports/$(basename "$f")" ||
            fail "reports/$(basename "$f") differs from $f"
    done
fi
# Tiles: every PNG below expected/ except reports/ (compare.py wants the
# same set of tiles on both sides).
mkdir -p "$T/want"
for m in "$expected"/*; do
    [ "$(basename "$m")" = reports ] || cp -R "$m" "$T/want/"
done
$PY "$dir/../compare.py" "$T/want" "$T/out/tiles" ||
    fail "tiles differ from $expected"
echo "ok: golden $1${2:+ $2}"
