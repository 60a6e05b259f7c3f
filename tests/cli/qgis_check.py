"""The GeoPackage opened in QGIS (PyQGIS 3.22, offscreen): each layer gets
its default style from layer_styles, the colours of the tiles, and its
fields' aliases from gpkg_data_columns.  Run by tests/cli/qgis.sh:
    qgis_check.py OUT_DIR GPKG_NAME
"""
import json
import math
import os
import sqlite3
import sys
import xml.etree.ElementTree as ET

from PIL import Image
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem,
                       QgsMapRendererParallelJob, QgsMapSettings,
                       QgsRectangle, QgsRenderContext, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

out, name = sys.argv[1], sys.argv[2]
gpkg = "%s/%s" % (out, name)
doc = json.load(open(out + "/maps.json"))
maps = {m["name"]: m for m in doc["maps"]}
app = QgsApplication([], False)
app.initQgis()
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def layer(table):
    lyr = QgsVectorLayer("%s|layername=%s" % (gpkg, table), table, "ogr")
    check(lyr.isValid(), "%s: not valid" % table)
    return lyr


def colour_of(lyr, feat):
    ctx = QgsRenderContext()
    r = lyr.renderer().clone()
    r.startRender(ctx, lyr.fields())
    sym = r.symbolForFeature(feat, ctx)
    r.stopRender(ctx)
    return sym.color().name() if sym else None


# regions: the needs map, class by class, with the legend's colours
regions = layer("regions")
r = regions.renderer()
check(r.type() == "categorizedSymbol", "regions: renderer %s" % r.type())
check(r.classAttribute() == "class_needs", "regions: attr %s" % r.classAttribute())
legend = [e for e in maps["needs"]["legend"] if e["shape"] == "box"]
for f in regions.getFeatures():
    k = f["class_needs"]
    want = legend[k - 1]["color"]
    got = colour_of(regions, f)
    check(got == want, "region %s class %s: QGIS %s, legend %s"
          % (f["code"], k, got, want))
alias = {regions.fields()[i].name(): regions.fields()[i].alias()
         for i in range(len(regions.fields()))}
check(alias.get("gap_per10k_total") == "Unmet need per 10,000: total",
      "alias gap_per10k_total: %r" % alias.get("gap_per10k_total"))
check(alias.get("class_needs") == "Class on map needs", "alias class_needs")

# the county layer: the base map's parent outline over no fill
county = layer("regions_county")
sym = county.renderer().symbol() if county.renderer().type() == "singleSymbol" else None
check(sym is not None, "regions_county: renderer %s" % county.renderer().type())
if sym:
    base = json.load(open(os.path.join(os.path.dirname(__file__),
                                       "../../styles/base.json")))
    edge = [l for l in base["layers"] if l["layer"] == "parent_regions"][0]
    sl = sym.symbolLayer(0)
    check(sl.strokeColor().name() == edge["outline"]["color"],
          "county outline %s" % sl.strokeColor().name())
    check(sl.color().alpha() == 0, "county fill not transparent")

# providers by category, as the services map's dots
providers = layer("providers")
dots = {e["label"]: e["color"] for e in maps["services"]["legend"]
        if e["shape"] == "dot"}
n = 0
for f in providers.getFeatures():
    if f["category"] in dots:
        n += 1
        check(colour_of(providers, f) == dots[f["category"]],
              "provider %s: %s" % (f["name"], colour_of(providers, f)))
check(n > 0, "no provider in a category")

# QGIS's own drawing of the tile z/x/y next to the tile: same colour at
# each region's point on surface
z = 10
TILE = 256
HALF = 20037508.342789244


def to_merc(lon, lat):
    return (lon * HALF / 180,
            math.log(math.tan((90 + lat) * math.pi / 360)) * HALF / math.pi)


ms = QgsMapSettings()
ms.setLayers([regions])
ms.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
ms.setOutputSize(QSize(TILE, TILE))
ms.setBackgroundColor(QColor(255, 255, 255, 0))
compared = 0
images = {}
for f in regions.getFeatures():
    p = f.geometry().pointOnSurface().asPoint()
    mx, my = to_merc(p.x(), p.y())
    span = 2 * HALF / 2 ** z
    tx, ty = int((mx + HALF) // span), int((HALF - my) // span)
    px = int((mx + HALF - tx * span) / span * TILE)
    py = int((HALF - my - ty * span) / span * TILE)
    tile = Image.open("%s/tiles/needs/%d/%d/%d.png" % (out, z, tx, ty)).convert("RGBA")
    if (tx, ty) not in images:
        x0 = -HALF + tx * span
        y1 = HALF - ty * span
        ms.setExtent(QgsRectangle(x0, y1 - span, x0 + span, y1))
        job = QgsMapRendererParallelJob(ms)
        job.start()
        job.waitForFinished()
        images[(tx, ty)] = job.renderedImage()
    q = QColor(images[(tx, ty)].pixel(px, py))
    t = tile.getpixel((px, py))
    check(abs(q.red() - t[0]) <= 2 and abs(q.green() - t[1]) <= 2
          and abs(q.blue() - t[2]) <= 2,
          "region %s at tile %d/%d/%d px %d,%d: QGIS %s, tile %s"
          % (f["code"], z, tx, ty, px, py, q.name(), t))
    compared += 1
check(compared == 6, "compared %d regions" % compared)

# the SLD of every style parses and has a rule per class (+ no data)
db = sqlite3.connect(gpkg)
ns = {"se": "http://www.opengis.net/se"}
for table, style, sld in db.execute(
        "SELECT f_table_name, styleName, styleSLD FROM layer_styles"):
    rules = ET.fromstring(sld).findall(".//se:Rule", ns)
    if style == "needs":
        fills = [r.find(".//se:SvgParameter[@name='fill']", ns).text
                 for r in rules]
        check(fills[:-1] == [e["color"] for e in legend],
              "needs SLD fills %s" % fills)
    check(len(rules) > 0, "%s/%s: no SLD rule" % (table, style))
    lyr = QgsVectorLayer("%s|layername=%s" % (gpkg, table), table, "ogr")
    path = "%s/%s-%s.sld" % (out, table, style)
    open(path, "w").write(sld)
    msg, ok = lyr.loadSldStyle(path)
    check(ok, "%s/%s: QGIS rejects the SLD: %s" % (table, style, msg))

# os._exit: PyQGIS 3.22 may crash while tearing down layers at exit, after
# every check has run; the verdict is the checks'.
print("\n".join(failures) if failures else "qgis ok", flush=True)
sys.stderr.flush()
os._exit(1 if failures else 0)
