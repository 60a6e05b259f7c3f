"""The cases of the bad-input corpus (tests/bad/README.md).

Each case starts from a copy of tests/fixtures/clean in ctx.dir and breaks
one thing.  Rows of the fixture: communes.geojson features have ids 1..6
(codes 007..012), counties 1..2; as Shapefile the fids are 0..5, as
GeoPackage 1..6.
"""
import csv
import io
import json
import os
import subprocess

NO_TILES = ["run", "clean.json", "-o", "{out}", "--force", "--no-tiles"]


class Ctx:
    def __init__(self, path):
        self.dir = path

    def p(self, name):
        return os.path.join(self.dir, name)

    def load(self, name):
        with open(self.p(name)) as f:
            return json.load(f)

    def save(self, name, data):
        with open(self.p(name), "w") as f:
            json.dump(data, f)

    def write(self, name, text):
        with open(self.p(name), "w") as f:
            f.write(text)

    def read(self, name):
        with open(self.p(name)) as f:
            return f.read()

    def project(self, change):
        """change(dict) edits the project file."""
        d = self.load("clean.json")
        change(d)
        self.save("clean.json", d)

    def boundary(self, i, **keys):
        def change(d):
            for k, v in keys.items():
                if v is None:
                    d["boundaries"][i].pop(k, None)
                else:
                    d["boundaries"][i][k] = v
        self.project(change)

    def section(self, name, **keys):
        def change(d):
            for k, v in keys.items():
                if v is None:
                    d[name].pop(k, None)
                else:
                    d[name][k] = v
        self.project(change)

    def ogr(self, *args):
        subprocess.run(["ogr2ogr"] + list(args), cwd=self.dir, check=True,
                       capture_output=True)

    def convert_communes(self, fmt):
        """communes.geojson as fmt ("geojson", "shp", "gpkg", "topojson");
        returns the new file name, the project updated."""
        if fmt == "geojson":
            return "communes.geojson"
        name = "communes." + fmt
        if fmt == "topojson":
            self.save(name, to_topojson(self.load("communes.geojson")))
            self.boundary(0, path=name, crs="EPSG:4326")  # TopoJSON has none
        else:
            self.ogr(name, "communes.geojson")
            self.boundary(0, path=name)
        return name

    def csv_edit(self, name, row, field, value):
        """Sets one cell (row counts data rows from 1)."""
        rows = list(csv.reader(io.StringIO(self.read(name))))
        rows[row][rows[0].index(field)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        self.write(name, out.getvalue())


def to_topojson(fc):
    """A FeatureCollection of polygons as TopoJSON without shared arcs
    (each ring one arc, absolute coordinates, no transform)."""
    arcs, geoms = [], []
    for f in fc["features"]:
        rings = []
        for ring in f["geometry"]["coordinates"]:
            rings.append([len(arcs)])
            arcs.append(ring)
        geoms.append({"type": "Polygon", "arcs": rings, "id": f["id"],
                      "properties": f["properties"]})
    return {"type": "Topology", "arcs": arcs,
            "objects": {"communes": {"type": "GeometryCollection",
                                     "geometries": geoms}}}


def fid(fmt, n):
    """The feature id GDAL gives the fixture's n-th commune (1-based)."""
    return str(n - 1) if fmt in ("shp", "topojson") else str(n)


def check_report(out, want):
    path = os.path.join(out, "reports", "join-report.csv")
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        return ["no join report: %s" % e]
    problems = []
    for file, row, field, problem in want:
        if not any(r["file"].endswith(file) and
                   (row is None or r["row"] == row) and
                   r["field"] == field and r["problem"] == problem
                   for r in rows):
            problems.append("join report lacks %s,%s,%s,%s" %
                            (file, row, field, problem))
    return problems


class Case:
    def __init__(self, name, setup, kind="fail", rc=4, texts=(), report=(),
                 args=NO_TILES, extra=None, timeout=300, json_progress=False):
        self.name, self.setup, self.kind, self.rc = name, setup, kind, rc
        self.texts, self.report, self.args = list(texts), list(report), args
        self.extra, self.timeout = extra, timeout
        self.json_progress = json_progress


# ---- coordinates and CRS -------------------------------------------------

def set_vertex(x, y, feature=2, vertex=1):
    def edit(ctx):
        d = ctx.load("communes.geojson")
        d["features"][feature - 1]["geometry"]["coordinates"][0][vertex] = \
            [x, y]
        ctx.save("communes.geojson", d)
    return edit


def coordinate_cases():
    out = []
    bad = [("huge_x", 1e300, 45.1, "coordinates outside -180..180, -90..90"),
           ("lat_95", 25.2, 95.0, "coordinates outside -180..180, -90..90"),
           ("lon_200", 200.0, 45.1, "coordinates outside -180..180, -90..90"),
           ("lat_minus_91", 25.2, -91.0,
            "coordinates outside -180..180, -90..90"),
           ("lon_hair", 180.00000001, 45.1,
            "coordinates just beyond -180..180, -90..90")]
    for fmt in ("geojson", "shp", "gpkg", "topojson"):
        for label, x, y, problem in bad:
            def setup(ctx, x=x, y=y, fmt=fmt):
                set_vertex(x, y)(ctx)
                ctx.convert_communes(fmt)
            out.append(Case("coords_%s_%s" % (label, fmt), setup,
                            kind="report", rc=0,
                            report=[("communes." + fmt, fid(fmt, 2),
                                     "geometry", problem)]))
    # Shapefile and GeoJSON cannot hold a NaN; a GeoPackage can.
    for fmt in ("gpkg",):
        def setup(ctx, fmt=fmt):
            ctx.convert_communes(fmt)
            nan_vertex(ctx, "communes." + fmt)
        out.append(Case("coords_nan_%s" % fmt, setup, kind="report", rc=0,
                        report=[("communes." + fmt, fid(fmt, 2), "geometry",
                                 "coordinates not finite")]))
    return out


def nan_vertex(ctx, name):
    """A NaN x in the second feature, written through GDAL's bindings."""
    code = """
import sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1], 1)
lyr = ds.GetLayer(0)
for f in lyr:
    if f.GetFID() == int(sys.argv[2]):
        g = f.GetGeometryRef()
        g.GetGeometryRef(0).SetPoint_2D(1, float('nan'), 45.1)
        f.SetGeometry(g)
        lyr.SetFeature(f)
ds = None
"""
    subprocess.run(["/usr/bin/python3", "-c", code, ctx.p(name),
                    fid(name.split(".")[-1], 2)], check=True)


def metres_as_degrees(fmt):
    def setup(ctx):
        ctx.ogr("-t_srs", "EPSG:3844", "-lco", "RFC7946=NO", "m.geojson",
                "communes.geojson")
        d = ctx.load("m.geojson")
        d.pop("crs", None)
        ctx.save("communes.geojson", d)
        os.remove(ctx.p("m.geojson"))
        if fmt != "geojson":
            name = "communes." + fmt
            ctx.ogr("-a_srs", "EPSG:4326", name, "communes.geojson")
            ctx.boundary(0, path=name)
    return setup


def crs_cases():
    out = []
    for fmt in ("geojson", "shp", "gpkg"):
        out.append(Case("crs_metres_as_degrees_%s" % fmt,
                        metres_as_degrees(fmt), rc=4,
                        texts=["communes." + fmt, "field 'crs'",
                               "in metres, not degrees", "EPSG:4326",
                               "likely EPSG:3844"]))

    def declared(ctx):
        metres_as_degrees("geojson")(ctx)
        ctx.boundary(0, crs="EPSG:4326")
    out.append(Case("crs_metres_declared_4326", declared, rc=4,
                    texts=["communes.geojson", "field 'crs'",
                           "in metres, not degrees"]))

    def fixed(ctx):
        metres_as_degrees("geojson")(ctx)
        ctx.boundary(0, crs="EPSG:3844")
    out.append(Case("crs_metres_declared_right", fixed, kind="ok", rc=0))
    return out


def all_cases():
    return coordinate_cases() + crs_cases()
