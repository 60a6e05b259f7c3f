#!/bin/sh
# Re-blesses a golden case from the current build: only after an intended
# change of the drawing or the reports, and look at the new tiles before
# committing them (tests/golden/README.md).
# usage: MAPGEN=build/mapgen/mapgen bless.sh CASE [VARIANT]
set -eu
: "${MAPGEN:?MAPGEN must name the mapgen binary}"
dir=$(cd "$(dirname "$0")" && pwd)/${1:?usage: bless.sh CASE [VARIANT]}
sfx=${2:+-$2}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# shellcheck disable=SC2046
"$MAPGEN" run "$dir/project.json" -o "$out/o" -q $(cat "$dir/args$sfx")
keep_reports=
[ -d "$dir/expected$sfx/reports" ] && keep_reports=1
rm -rf "$dir/expected$sfx"
cp -R "$out/o/tiles" "$dir/expected$sfx"
find "$dir/expected$sfx" -name tilejson.json -delete
if [ -n "$keep_reports" ]; then
    mkdir -p "$dir/expected$sfx/reports"
    cp "$out/o/reports/"*.csv "$dir/expected$sfx/reports/"
fi
echo "blessed $dir/expected$sfx; look at the tiles before you commit them"
