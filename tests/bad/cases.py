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
                 args=NO_TILES, extra=None, timeout=300, error_line=True):
        self.name, self.setup, self.kind, self.rc = name, setup, kind, rc
        self.texts, self.report, self.args = list(texts), list(report), args
        self.extra, self.timeout = extra, timeout
        # fail cases: a "mapgen: error:" line (not for usage errors of
        # the options, nor under --progress=json)
        self.error_line = error_line


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

    # One commune of a Stereo 70 layer 3,000 km east (a digit too many):
    # far outside EPSG:3844's area of use (Romania), so dropped.
    for fmt in ("geojson", "gpkg"):
        def far(ctx, fmt=fmt):
            ctx.ogr("-t_srs", "EPSG:3844", "-lco", "RFC7946=NO", "m.geojson",
                    "communes.geojson")
            d = ctx.load("m.geojson")
            ring = d["features"][1]["geometry"]["coordinates"][0]
            for pt in ring:
                pt[0] += 3e6
            ctx.save("m.geojson", d)
            os.remove(ctx.p("communes.geojson"))
            ctx.ogr("communes." + fmt, "m.geojson")
            os.remove(ctx.p("m.geojson"))
            ctx.boundary(0, path="communes." + fmt)
        out.append(Case("crs_outside_area_of_use_%s" % fmt, far,
                        kind="report", rc=0,
                        report=[("communes." + fmt, "2", "geometry",
                                 "more than 5 degrees outside the area of "
                                 "use of EPSG:3844 (Romania - onshore and "
                                 "offshore.)")]))
    return out


def point_area_cases():
    """Providers in Stereo 70 (lon/lat columns, or point geometries), the
    second 3,000 km east: far outside the area of use, so unplaced.  (After
    the other tables, so that json_variants() keeps picking the same.)"""
    out = []
    for fmt in ("csv", "geojson"):
        out.append(Case("crs_providers_outside_area_of_use_%s" % fmt,
                        stereo70_providers(fmt, 3e6), kind="report", rc=0,
                        report=[("providers." + fmt,
                                 "2" if fmt == "csv" else "1",
                                 "lon" if fmt == "csv" else "geometry",
                                 AREA_3844)]))
        out.append(Case("crs_providers_stereo70_%s" % fmt,
                        stereo70_providers(fmt, 0), kind="ok", rc=0,
                        extra=no_area_rows))
    return out


AREA_3844 = ("more than 5 degrees outside the area of use of EPSG:3844 "
             "(Romania - onshore and offshore.)")


def stereo70_providers(fmt, shift):
    """providers.csv in EPSG:3844 (x, y in the lon/lat columns, or a
    GeoJSON of points), the second provider moved shift metres east."""
    def setup(ctx):
        rows = list(csv.reader(io.StringIO(ctx.read("providers.csv"))))
        ix, iy = rows[0].index("lon"), rows[0].index("lat")
        pts = "".join("%s %s\n" % (r[ix], r[iy]) for r in rows[1:])
        p = subprocess.run(["gdaltransform", "-s_srs", "EPSG:4326",
                            "-t_srs", "EPSG:3844"], input=pts, check=True,
                           capture_output=True, text=True)
        for r, line in zip(rows[1:], p.stdout.splitlines()):
            x, y = line.split()[:2]
            r[ix], r[iy] = "%.2f" % float(x), "%.2f" % float(y)
        rows[2][ix] = "%.2f" % (float(rows[2][ix]) + shift)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        ctx.write("providers.csv", out.getvalue())
        if fmt == "csv":
            ctx.section("providers", crs="EPSG:3844")
            return
        ctx.ogr("-a_srs", "EPSG:3844", "-lco", "RFC7946=NO",
                "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat",
                "providers.geojson", "providers.csv")
        ctx.section("providers", path="providers.geojson", lon_field=None,
                    lat_field=None)
    return setup


def no_area_rows(_p, out):
    path = os.path.join(out, "reports", "join-report.csv")
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if "area of use" in r["problem"]]
    return ["unexpected row %r" % r for r in rows]


# ---- number formats and types ---------------------------------------------

def column(name, field, values, fmt=None, limit=None):
    """Rewrites one column of a CSV of the fixture; sets its table's
    number_format / max_unreadable when given."""
    def setup(ctx):
        for i, v in enumerate(values):
            ctx.csv_edit(name, i + 1, field, v)
        sec = {"recipients.csv": "recipients",
               "providers.csv": "providers"}[name]
        if fmt is not None:
            ctx.section(sec, number_format=fmt)
        if limit is not None:
            ctx.section(sec, max_unreadable=limit)
    return setup


def same_ranking(_p, out):
    """The figures are those of the clean fixture (worked by hand in
    tests/cli/clean.sh): a number format read right changes nothing."""
    fix = os.path.join(os.environ["FIXTURES"], "clean", "expected-ranking.csv")
    with open(fix) as a, open(os.path.join(out, "reports",
                                           "ranking.csv")) as b:
        return [] if a.read() == b.read() else ["ranking differs from "
                                                "expected-ranking.csv"]


CHILDREN = ["2000", "1000", "500", "300", "400", "250"]
POVERTY = ["120", "60", "0", "10", "0", "0"]
UNREADABLE = "column partly unreadable as numbers"


def number_cases():
    rec = "recipients.csv"
    out = [
        # Thousands separators in a plain table: a third of the column is
        # lost; summarised, below the 50 % limit, so the run goes on.
        Case("numbers_thousands_plain_summary",
             column(rec, "children", ["2,000", "1,000"] + CHILDREN[2:]),
             kind="report", rc=0,
             report=[(rec, "", "children", UNREADABLE),
                     (rec, "1", "children", "count is not a number")]),
        Case("numbers_thousands_declared",
             column(rec, "children", ["2,000", "1,000"] + CHILDREN[2:],
                    fmt="1,234.5"), kind="ok", rc=0, extra=same_ranking),
        Case("numbers_dot_groups_declared",
             column(rec, "children", ["2.000", "1.000"] + CHILDREN[2:],
                    fmt="1.234,5"), kind="ok", rc=0, extra=same_ranking),
        # Decimal commas throughout a plain table: every value is lost,
        # above the limit: the run stops naming file and column.
        Case("numbers_decimal_comma_plain_stops",
             column(rec, "family_poverty", [v + ",0" for v in POVERTY]),
             rc=4, texts=[rec, "recipients.group_fields",
                          "column 'family_poverty'", "6 of 6 values",
                          "max_unreadable"]),
        Case("numbers_decimal_comma_declared",
             column(rec, "family_poverty", [v + ",0" for v in POVERTY],
                    fmt="1.234,5"), kind="ok", rc=0, extra=same_ranking),
        Case("numbers_decimal_comma_allowed",
             column(rec, "family_poverty", [v + ",0" for v in POVERTY],
                    limit=1), kind="report", rc=0,
             report=[(rec, "", "family_poverty", UNREADABLE)]),
        Case("numbers_population_stops",
             column(rec, "children", [v[:1] + " " + v[1:] for v in CHILDREN]),
             rc=4, texts=[rec, "recipients.population_field",
                          "column 'children'"]),
        Case("numbers_limit_zero",
             column(rec, "children", ["2,000"] + CHILDREN[1:], limit=0),
             rc=4, texts=[rec, "column 'children'", "1 of 6 values"]),
        # One unreadable value in six is a summary, with the row too.
        Case("numbers_one_bad_row",
             column(rec, "children", ["n/a"] + CHILDREN[1:]), kind="report",
             rc=0, report=[(rec, "1", "children", "count is not a number"),
                           (rec, "", "children", UNREADABLE)]),
        Case("numbers_unknown_format",
             column(rec, "children", CHILDREN, fmt="1 234,5"), rc=3,
             texts=["clean.json", "recipients.number_format", "plain",
                    "1,234.5", "1.234,5"]),
        Case("numbers_format_not_string",
             column(rec, "children", CHILDREN, fmt=3), rc=3,
             texts=["clean.json", "recipients.number_format"]),
        Case("numbers_limit_above_one",
             column(rec, "children", CHILDREN, limit=1.5), rc=3,
             texts=["clean.json", "recipients.max_unreadable"]),
        Case("numbers_limit_negative",
             column(rec, "children", CHILDREN, limit=-0.1), rc=3,
             texts=["clean.json", "recipients.max_unreadable"]),
        Case("numbers_limit_string",
             column(rec, "children", CHILDREN, limit="half"), rc=3,
             texts=["clean.json", "recipients.max_unreadable"]),
        Case("numbers_capacity_decimal_comma",
             column("providers.csv", "capacity",
                    ["50,0", "30,0", "200,0", "30,0", "100,0", "15,0",
                     "10,0"], fmt="1.234,5"), kind="ok", rc=0),
        Case("numbers_providers_unknown_format",
             column("providers.csv", "capacity", [], fmt="european"), rc=3,
             texts=["clean.json", "providers.number_format"]),
    ]
    out += level_field_cases()
    out += type_cases()
    return out


def level_fields(values, fmt=None, limit=None, fmt_value=None):
    def setup(ctx):
        d = ctx.load("communes.geojson")
        for f, v in zip(d["features"], values):
            f["properties"]["pop"] = v
        ctx.save("communes.geojson", d)
        ctx.boundary(0, fields=["pop"], number_format=fmt,
                     max_unreadable=limit)
    return setup


def gpkg_value(layer, field, code, want):
    def extra(_p, out):
        code_ = """
import sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1])
lyr = ds.GetLayer(sys.argv[2])
lyr.SetAttributeFilter("code = '%s'" % sys.argv[4])
f = lyr.GetNextFeature()
print(repr(f.GetField(sys.argv[3])))
"""
        p = subprocess.run(["/usr/bin/python3", "-c", code_,
                            os.path.join(out, "clean.gpkg"), layer, field,
                            code], capture_output=True, text=True)
        got = p.stdout.strip()
        return [] if got == want else ["%s.%s of %s: got %s, expected %s" %
                                       (layer, field, code, got, want)]
    return extra


def level_field_cases():
    comm = "communes.geojson"
    return [
        Case("fields_decimal_comma_stops",
             level_fields(["1,5", "2,5", "3,5", "4,5", "5,5", "6,5"]), rc=4,
             texts=[comm, "field 'fields'", "column 'pop'"]),
        Case("fields_decimal_comma_declared",
             level_fields(["1,5", "2,5", "3,5", "4,5", "5,5", "6,5"],
                          fmt="1.234,5"), kind="ok", rc=0,
             extra=gpkg_value("regions", "pop", "007", "1.5")),
        Case("fields_thousands_declared",
             level_fields(["1,234.5", "2", "3", "4", "5", "6"],
                          fmt="1,234.5"), kind="ok", rc=0,
             extra=gpkg_value("regions", "pop", "007", "1234.5")),
        Case("fields_text_value_reported",
             level_fields(["many", 2, 3, 4, 5, 6], limit=0.9), kind="report",
             rc=0, report=[(comm, "1", "pop", "value is not a number"),
                           (comm, "", "pop", UNREADABLE)]),
        # A typed GeoJSON number keeps all 17 digits (through text it
        # would keep 15: 1234567.89123457).
        Case("fields_typed_precision",
             level_fields([1234567.8912345678, 2, 3, 4, 5, 6]), kind="ok",
             rc=0, extra=gpkg_value("regions", "pop", "007",
                                    "1234567.8912345679")),
        Case("fields_bad_format",
             level_fields([1, 2, 3, 4, 5, 6], fmt="1'234.5"), rc=3,
             texts=["clean.json", "boundaries[0].number_format"]),
    ]


def json_code(where):
    """A nested object as the code of one commune: GDAL makes the whole
    field String(JSON)."""
    def setup(ctx):
        d = ctx.load("communes.geojson")
        d["features"][0]["properties"][where] = {"siruta": "007"}
        ctx.save("communes.geojson", d)
    return setup


def type_cases():
    comm = "communes.geojson"
    out = [
        Case("types_code_json_object", json_code("code"), rc=4,
             texts=[comm, "field 'code_field'", "nested JSON"]),
        Case("types_parent_code_json", json_code("county"), rc=4,
             texts=[comm, "field 'parent_code_field'", "nested JSON"]),
    ]

    def code_list(ctx):
        d = ctx.load("communes.geojson")
        for f in d["features"]:
            f["properties"]["code"] = [f["properties"]["code"]]
        ctx.save("communes.geojson", d)
    out.append(Case("types_code_list", code_list, rc=4,
                    texts=[comm, "field 'code_field'", "not codes"]))

    def recipients_json(ctx):
        rows = [{"type": "Feature", "properties": {
            "code": {"v": c}, "family_poverty": 1, "self_dilemma": 1,
            "guardianship": 1, "children": 10}, "geometry": None}
            for c in ("7", "8")]
        ctx.save("recipients.geojson", {"type": "FeatureCollection",
                                        "features": rows})
        ctx.section("recipients", path="recipients.geojson")
    def provider_code_list(ctx):
        fc = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {
                "category": "consultation", "capacity": 5,
                "region": ["007", "008"]},
             "geometry": {"type": "Point", "coordinates": [25.05, 45.15]}}]}
        ctx.save("providers.geojson", fc)
        ctx.section("providers", path="providers.geojson", lon_field=None,
                    lat_field=None, name_field=None, parent_name_field=None,
                    region_code_field="region")
    out.append(Case("types_provider_region_code_list", provider_code_list,
                    rc=4, texts=["providers.geojson",
                                 "providers.region_code_field", "not codes"]))
    out.append(Case("types_recipient_code_json", recipients_json, rc=4,
                    texts=["recipients.geojson", "recipients.code_field",
                           "nested JSON"]))
    return out


# ---- small bugs of the issue ----------------------------------------------

def small_bug_cases():
    out = []

    def built_parent(ctx):
        ctx.boundary(1, path=None, code_field=None, name_field=None)
    out.append(Case("parent_built_without_code_field", built_parent,
                    kind="ok", rc=0))

    def parent_file_no_code(ctx):
        ctx.boundary(1, code_field=None)
    out.append(Case("parent_file_needs_code_field", parent_file_no_code,
                    rc=3, texts=["clean.json", "boundaries[1].code_field",
                                 "required key 'code_field' is missing"]))
    out.append(Case("first_level_needs_code_field",
                    lambda ctx: ctx.boundary(0, code_field=None), rc=3,
                    texts=["clean.json", "boundaries[0].code_field"]))
    out.append(Case("overflow_need_blames_input",
                    column("recipients.csv", "family_poverty",
                           ["1e308"]), rc=4,
                    texts=["recipients.csv", "region 007", "overflows",
                           "recipients.group_fields"],
                    extra=lambda p, out: ["blamed on a style"]
                    if "styles/" in p.stderr else []))
    out.append(Case("overflow_capacity_blames_input",
                    column("providers.csv", "capacity", ["1e308", "1e308"]),
                    rc=4, texts=["providers.csv", "region 007", "overflows",
                                 "providers.capacity_field"]))

    def shp_no_dbf(ctx):
        ctx.convert_communes("shp")
        os.remove(ctx.p("communes.dbf"))
    out.append(Case("shapefile_without_dbf", shp_no_dbf, rc=4,
                    texts=["communes.shp", "field 'code_field'",
                           "no fields at all", ".dbf"]))

    def empty_geojson(ctx):
        ctx.save("communes.geojson", {"type": "FeatureCollection",
                                      "features": []})
    out.append(Case("empty_geojson_layer", empty_geojson, rc=4,
                    texts=["communes.geojson", "no fields at all",
                           "the layer is empty"]))

    def empty_gpkg(ctx):
        ctx.ogr("-where", "code = 'none'", "communes.gpkg",
                "communes.geojson")
        ctx.boundary(0, path="communes.gpkg")
    out.append(Case("empty_gpkg_layer", empty_gpkg, rc=4,
                    texts=["communes.gpkg", "field 'path'", "is empty"]))

    def empty_topojson(ctx):
        ctx.save("communes.topojson", {"type": "Topology", "arcs": [],
                                       "objects": {}})
        ctx.boundary(0, path="communes.topojson", crs="EPSG:4326")
    out.append(Case("empty_topojson", empty_topojson, rc=4,
                    texts=["communes.topojson"]))
    return out


# ---- preconditions before the long work -----------------------------------

def no_setup(_ctx):
    pass


def run_args(*extra):
    return ["run", "clean.json", "-o", "{out}", "--force"] + list(extra)


def quick(_p, _out):
    return []


def precondition_cases():
    out = [
        # Refused before any input is read: nothing of the boundaries said.
        Case("zoom_0_25_refused", no_setup, rc=2,
             args=run_args("-z", "0-25"),
             texts=["tiles to render", "above the limit of 50000000",
                    "--max-tiles"],
             extra=lambda p, o: ["took the tiles' time"]
             if "tiles/s" in p.stderr else []),
        Case("max_tiles_lowered", no_setup, rc=2,
             args=run_args("-z", "0-6", "--max-tiles", "10"),
             texts=["above the limit of 10"]),
        Case("max_tiles_bad", no_setup, rc=2,
             args=run_args("--max-tiles", "many"),
             texts=["--max-tiles", "expected a number of tiles"],
             error_line=False),
        Case("max_tiles_raised", no_setup, kind="ok", rc=0,
             args=run_args("-z", "0-3", "--max-tiles", "1e9", "--stores",
                           "mbtiles")),
        Case("bbox_misses_data_warns", no_setup, kind="ok", rc=0,
             args=run_args("-z", "3-4", "--bbox", "0,0,1,1", "--stores",
                           "mbtiles"),
             texts=["warning: map needs: --bbox 0,0,1,1 does not overlap "
                    "the data"]),
    ]

    def existing(ctx):
        os.makedirs(ctx.p("../out/reports"))
        ctx.write("../out/reports/ranking.csv", "old\n")
    out.append(Case("output_exists_before_reading", existing, kind="exists",
                    rc=5, args=["run", "clean.json", "-o", "{out}"],
                    texts=["reports/ranking.csv", "already exists",
                           "--force"],
                    extra=lambda p, o: ["inputs read before the check"]
                    if "boundaries" in p.stderr else []))
    return out


# ---- project files ----------------------------------------------------------

def raw_project(text):
    def setup(ctx):
        ctx.write("clean.json", text)
    return setup


def edit_project(change):
    def setup(ctx):
        ctx.project(change)
    return setup


def setkey(path, value):
    """Sets d[a][b]... (path "a.b" or "boundaries.0.code_field")."""
    def change(d):
        keys = path.split(".")
        for k in keys[:-1]:
            d = d[int(k)] if k.isdigit() else d[k]
        last = keys[-1]
        if value is DELETE:
            del d[int(last) if last.isdigit() else last]
        else:
            d[int(last) if last.isdigit() else last] = value
    return change


DELETE = object()


def project_cases():
    p = "clean.json"
    rows = [
        ("syntax_trailing_comma", raw_project('{"name": "clean",}'),
         [p, "line 1, column"]),
        ("not_an_object", raw_project("[1, 2]"), [p, "JSON object"]),
        ("empty_file", raw_project(""), [p]),
        ("binary_garbage", raw_project("\x00\x01\xff\xfe"), [p]),
        ("unknown_top_key", edit_project(setkey("boundary", 1)),
         [p, "unknown key 'boundary'"]),
        ("unknown_provider_key",
         edit_project(setkey("providers.capacity_feild", "x")),
         [p, "providers.capacity_feild"]),
        ("unknown_recipient_key",
         edit_project(setkey("recipients.popullation_field", "x")),
         [p, "recipients.popullation_field"]),
        ("boundaries_number", edit_project(setkey("boundaries", 5)),
         [p, "boundaries"]),
        ("boundaries_empty", edit_project(setkey("boundaries", [])),
         [p, "'boundaries' is empty"]),
        ("boundaries_missing", edit_project(setkey("boundaries", DELETE)),
         [p, "required key 'boundaries' is missing"]),
        ("code_field_number", edit_project(setkey("boundaries.0.code_field",
                                                  7)),
         [p, "boundaries[0].code_field"]),
        ("level_not_object", edit_project(setkey("boundaries.1", "county")),
         [p, "boundaries[1]", "must be an object"]),
        ("category_field_missing",
         edit_project(setkey("providers.category_field", DELETE)),
         [p, "providers.category_field"]),
        ("lon_without_lat", edit_project(setkey("providers.lat_field",
                                                DELETE)),
         [p, "'lon_field' and 'lat_field' go together"]),
        ("missing_capacity_negative",
         edit_project(setkey("providers.missing_capacity", -1)),
         [p, "providers.missing_capacity"]),
        ("group_fields_unknown_group",
         edit_project(setkey("recipients.group_fields", {"orphans": "x"})),
         [p, "recipients.group_fields", "'orphans' is not one of"]),
        ("group_fields_number",
         edit_project(setkey("recipients.group_fields",
                             {"family_poverty": 3})),
         [p, "recipients.group_fields", "must be a string"]),
        ("name_with_slash", edit_project(setkey("name", "../escape")),
         [p, "field 'name'", "names the output files"]),
        ("recipients_path_missing",
         edit_project(setkey("recipients.path", DELETE)),
         [p, "recipients.path"]),
        ("maps_not_array", edit_project(setkey("maps", "needs")),
         [p, "maps"]),
        ("maps_unknown_key",
         edit_project(setkey("maps", [{"name": "m", "style": "needs",
                                       "colour": "red"}])),
         [p, "maps[0]", "colour"]),
        ("fields_not_array",
         edit_project(setkey("boundaries.0.fields", "pop")),
         [p, "boundaries[0].fields"]),
    ]
    return [Case("project_" + n, s, rc=3, texts=t,
                 args=NO_TILES if "maps" not in n else
                 run_args("-z", "0-1", "--stores", "mbtiles"))
            for n, s, t in rows]


# ---- style files ----------------------------------------------------------

def styled(change, text=None):
    """A project map "m" with style my.json: the shipped needs style
    changed by change(dict), or the raw text."""
    def setup(ctx):
        src = os.path.join(os.environ["FIXTURES"], "..", "..", "styles",
                           "needs.json")
        with open(src) as f:
            d = json.load(f)
        if text is not None:
            ctx.write("my.json", text)
        else:
            change(d)
            ctx.save("my.json", d)
        ctx.project(setkey("maps", [{"name": "m", "style": "my.json"}]))
    return setup


def style_cases():
    s = "my.json"
    rows = [
        ("not_json", styled(None, "{layers: }"), [s, "line 1"]),
        ("unknown_key", styled(setkey("colour", "red")),
         [s, "unknown key 'colour'"]),
        ("layer_unknown_key", styled(setkey("layers.0.fil", "#fff")),
         [s, "layers[0].fil"]),
        ("unknown_palette", styled(setkey("layers.0.palette", "Rainbow")),
         [s, "layers[0].palette", "Rainbow"]),
        ("unknown_method",
         styled(setkey("layers.0.classification.method", "magic")),
         [s, "layers[0].classification.method"]),
        ("classes_zero",
         styled(setkey("layers.0.classification.classes", 0)),
         [s, "layers[0].classification.classes"]),
        ("classes_huge",
         styled(setkey("layers.0.classification.classes", 1000)),
         [s, "layers[0].classification.classes"]),
        ("field_missing", styled(setkey("layers.0.field", "no_such_field")),
         [s, "layers[0].field", "no_such_field"]),
        ("opacity_two", styled(setkey("opacity", 2)), [s, "opacity"]),
        ("bad_colour", styled(setkey("layers.0.no_data", "#ggg")),
         [s, "layers[0].no_data"]),
        ("layer_type_unknown", styled(setkey("layers.0.type", "raster")),
         [s, "layers[0].type"]),
        ("layers_missing", styled(setkey("layers", DELETE)),
         [s, "layers"]),
        ("outline_width_negative",
         styled(setkey("layers.1.outline.width", -1)),
         [s, "layers[1].outline.width"]),
    ]
    return [Case("style_" + n, st, rc=3, texts=t,
                 args=run_args("-z", "0-1", "--stores", "mbtiles"))
            for n, st, t in rows]


# ---- CSV tables ---------------------------------------------------------------

def csv_cases():
    rec, prov = "recipients.csv", "providers.csv"
    out = [
        Case("csv_recipients_code_column_missing",
             lambda ctx: ctx.section("recipients", code_field="siruta"),
             rc=4, texts=[rec, "field 'recipients.code_field'",
                          "no field 'siruta'", "family_poverty"]),
        Case("csv_recipients_file_missing",
             lambda ctx: os.remove(ctx.p(rec)), rc=4,
             texts=[rec, "No such file"]),
        Case("csv_providers_category_missing",
             lambda ctx: ctx.section("providers", category_field="kind"),
             rc=4, texts=[prov, "no field 'kind'"]),
        Case("csv_providers_lon_text", column(prov, "lon", ["east"]),
             kind="report", rc=0,
             report=[(prov, "1", "lon", "blank or non-numeric coordinates")]),
        Case("csv_providers_lon_200", column(prov, "lon", ["200"]),
             kind="report", rc=0,
             report=[(prov, "1", "lon",
                      "coordinates outside -180..180, -90..90")]),
        Case("csv_recipients_code_blank", column(rec, "code", [""]),
             kind="report", rc=0,
             report=[(rec, "1", "code", "blank region code")]),
        Case("csv_recipients_code_unknown", column(rec, "code", ["999"]),
             kind="report", rc=0,
             report=[(rec, "1", "code",
                      "no region with this code in the boundaries")]),
        Case("csv_recipients_code_duplicate", column(rec, "code",
                                                     ["7", "7"]),
             kind="report", rc=0,
             report=[(rec, "2", "code",
                      "duplicate code in the recipient table")]),
        Case("csv_recipients_negative", column(rec, "children", ["-5"]),
             kind="report", rc=0,
             report=[(rec, "1", "children", "negative count")]),
        Case("csv_providers_category_blank", column(prov, "category", [""]),
             kind="report", rc=0,
             report=[(prov, "1", "category", "blank category")]),
        Case("csv_providers_capacity_text", column(prov, "capacity",
                                                   ["25 /zi"]),
             kind="report", rc=0,
             report=[(prov, "1", "capacity",
                      "capacity written as free text")]),
    ]

    def bom(ctx):
        ctx.write(rec, "\ufeff" + ctx.read(rec))
    out.append(Case("csv_bom_header", bom, kind="ok", rc=0,
                    extra=same_ranking))

    def semicolons(ctx):
        ctx.write(rec, ctx.read(rec).replace(",", ";"))
    out.append(Case("csv_semicolons", semicolons, kind="ok", rc=0,
                    extra=same_ranking))

    def header_only(ctx):
        ctx.write(rec, ctx.read(rec).splitlines()[0] + "\n")
    out.append(Case("csv_recipients_header_only", header_only,
                    kind="report", rc=0,
                    report=[("communes.geojson", "1", "code",
                             "region has no row in the recipient table")]))
    return out


# ---- --progress=json: every stderr line one JSON object -------------------

def json_lines(case):
    def extra(p, out):
        problems, errors = [], []
        for i, line in enumerate(p.stderr.splitlines(), 1):
            try:
                o = json.loads(line)
            except ValueError:
                problems.append("stderr line %d is not JSON: %r" %
                                (i, line[:120]))
                continue
            if not isinstance(o, dict):
                problems.append("stderr line %d is not an object" % i)
            elif "error" in o:
                errors.append(o["error"])
        if case.kind == "fail":
            if len(errors) != 1:
                problems.append("%d error objects, expected 1" % len(errors))
            elif not errors[0].get("message") or (
                    case.error_line and case.rc != 2 and
                    not errors[0].get("file")):
                # (a usage error, such as too many tiles, names no file)
                problems.append("error object without file or message: %r"
                                % errors[0])
            elif errors[0].get("code") != case.rc:
                problems.append("error code %r, expected %d" %
                                (errors[0].get("code"), case.rc))
        return problems + (case.extra(p, out) if case.extra else [])
    return extra


def json_variants(cases):
    """The same cases under --progress=json (every third one, so that each
    class and format is there), with messages checked as JSON strings."""
    out = []
    for c in cases[::3]:
        # "field 'crs'" of the plain line is the error object's "field".
        texts = ['"field":"%s"' % t[7:-1]
                 if t.startswith("field '") and t.endswith("'")
                 else json.dumps(t)[1:-1] for t in c.texts]
        out.append(Case(c.name + "_json", c.setup, kind=c.kind, rc=c.rc,
                        texts=texts, report=c.report,
                        args=c.args + ["--progress=json"], extra=None,
                        error_line=False))
        out[-1].extra = json_lines(c)
    return out


def all_cases():
    base = (coordinate_cases() + crs_cases() + number_cases() +
            small_bug_cases() + precondition_cases() + project_cases() +
            style_cases() + csv_cases() + point_area_cases())
    return base + json_variants(base)
