#!/bin/sh
# The GeoPackage in QGIS (tests/cli/qgis_check.py, PyQGIS offscreen) and
# the tables it reads, with SQLite: layer_styles as QGIS lays it out (one
# default per layer, a fixed update_time), gpkg_data_columns and its
# extension; validate_gpkg.py still accepts the file.
set -eu
. "$(dirname "$0")/lib.sh"

src=$FIXTURES/clean
out=$T/out
run run "$src/clean.json" -o "$out" --force -q -z 10-10 --stores dir
expect_rc 0
g=$out/clean.gpkg
expect_eq "layer_styles columns" "$(sql "$g" "SELECT group_concat(name, ',')
    FROM pragma_table_info('layer_styles')")" \
    "id,f_table_catalog,f_table_schema,f_table_name,f_geometry_column,styleName,styleQML,styleSLD,useAsDefault,description,owner,ui,update_time"
expect_eq "styles" "$(sql "$g" "SELECT group_concat(f_table_name || '/' ||
    styleName || '/' || useAsDefault, ' ') FROM layer_styles")" \
    "regions/needs/1 regions/services/0 providers/services/1 regions_county/outlines/1"
expect_eq "update_time" "$(sql "$g" "SELECT DISTINCT update_time FROM layer_styles")" \
    "2000-01-01T00:00:00.000Z"
expect_eq "layer_styles in gpkg_contents" "$(sql "$g" "SELECT data_type FROM
    gpkg_contents WHERE table_name = 'layer_styles'")" attributes
expect_eq "schema extension" "$(sql "$g" "SELECT count(*) FROM gpkg_extensions
    WHERE extension_name = 'gpkg_schema'")" 2
expect_eq "gap_per10k_total" "$(sql "$g" "SELECT name || '|' || description
    FROM gpkg_data_columns WHERE table_name = 'regions' AND
    column_name = 'gap_per10k_total'")" \
    "Unmet need per 10,000: total|unmet need per 10,000 of the target population"
expect_eq "described columns" "$(sql "$g" "SELECT count(*) FROM
    gpkg_data_columns WHERE description IS NULL")" 0
"$PY" /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py \
    "$g" || fail "validate_gpkg.py rejects $g"
QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$T HOME=$T \
    "$PY" "$(dirname "$0")/qgis_check.py" "$out" clean.gpkg \
    >"$T/qgis.log" 2>&1 || { cat "$T/qgis.log" >&2; fail "QGIS check"; }
echo "ok"
