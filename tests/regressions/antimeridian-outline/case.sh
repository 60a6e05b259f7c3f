# Bug: a polygon cut at the antimeridian (Fiji, Chukotka, Antarctica in
# Natural Earth are stored as two parts meeting at ±180°) got its outline
# drawn along 180°, a border that is not there.  One region of two parts,
# 175°E..180° and 180°..175°W, 20°S..15°S, on the base map at zoom 3
# (2048 px wide): the last pixel column of tile x=7 and the first of tile
# x=0 must be the plain fill, while the column of the real border at
# 175°E (global x = 355/360 * 2048 = 2019.6, column 227 of tile 7) shows
# the outline.  Pixels are read back with GDAL.
"$PY" - "$T/fiji.geojson" <<'PY'
import json, sys
a = [[175, -20], [180, -20], [180, -15], [175, -15], [175, -20]]
b = [[-180, -20], [-175, -20], [-175, -15], [-180, -15], [-180, -20]]
json.dump({"type": "FeatureCollection", "features": [{
    "type": "Feature", "id": 1, "properties": {"code": "FJ"},
    "geometry": {"type": "MultiPolygon", "coordinates": [[a], [b]]}}]},
    open(sys.argv[1], "w"))
PY
cat >"$T/p.json" <<JSON
{"name": "p", "boundaries": {"path": "fiji.geojson", "code_field": "code"}}
JSON
run run -q "$T/p.json" -o "$T/out" -z 3 --stores dir
expect_rc 0
"$PY" - "$T/out/tiles/base/3" <<'PY' || fail "antimeridian outline pixels"
import math, sys
from osgeo import gdal
d = sys.argv[1]
# The tile row and pixel row of 17.5°S at zoom 3.
lat = math.radians(-17.5)
gy = (1 - math.log(math.tan(lat) + 1 / math.cos(lat)) / math.pi) / 2 * 2048
ty, py = int(gy // 256), int(gy % 256)
def px(tx, col):
    ds = gdal.Open("%s/%d/%d.png" % (d, tx, ty))
    v = [int(ds.GetRasterBand(b + 1).ReadAsArray(col, py, 1, 1)[0][0])
         for b in range(ds.RasterCount)]
    ct = ds.GetRasterBand(1).GetColorTable()
    if ct is not None:  # a palette PNG
        return tuple(ct.GetColorEntry(v[0]))
    return tuple(v) + ((255,) if len(v) == 3 else ())
fill = (0xf4, 0xf3, 0xef, 255)
bad = []
for tx, col in ((7, 255), (0, 0), (7, 250), (0, 5)):
    if px(tx, col) != fill:
        bad.append("tile %d column %d: %s, expected the fill %s"
                   % (tx, col, px(tx, col), fill))
if px(7, 227) == fill:
    bad.append("no outline at 175°E (tile 7 column 227): the control")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
