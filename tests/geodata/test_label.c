/* The label circle (geodata/input/label.c): shapes worked by hand, bad
 * input, and agreement with GEOS's MaximumInscribedCircle on every UAT of
 * the bundled Romanian sample (argv[1]), simplified as the viewer's files
 * simplify them. */
#include "check.h"
#include "geodata/input.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static mg_geom g;

static GEOSGeometry *wkt(const char *s)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(g.h);
    GEOSGeometry *out = GEOSWKTReader_read_r(g.h, r, s);
    GEOSWKTReader_destroy_r(g.h, r);
    return out;
}

/* The circle of a WKT shape, checked against the centre and radius worked
 * by hand, each to within tol. */
static void shape(const char *text, double tol, double x, double y, double r)
{
    GEOSGeometry *p = wkt(text);
    CHECK(p != NULL);
    double cx, cy, cr;
    CHECK_INT(mg_geom_label_circle(&g, p, tol, &cx, &cy, &cr), 0);
    CHECK_NEAR(cr, r, tol);
    if (!isnan(x)) {
        CHECK_NEAR(cx, x, tol);
        CHECK_NEAR(cy, y, tol);
    }
    GEOSGeom_destroy_r(g.h, p);
}

static void by_hand(void)
{
    /* A square: its centre, half its side (found by the first cell). */
    shape("POLYGON((25 45.1,25.1 45.1,25.1 45.2,25 45.2,25 45.1))", 1e-9,
          25.05, 45.15, 0.05);
    /* An L of arms 1 wide: the circle sits in the corner square, pushed
     * along the diagonal towards the inner corner (1, 1) until it touches
     * it: a = sqrt(2) (1 - a), so a = r = 2 - sqrt(2). */
    shape("POLYGON((0 0,2 0,2 1,1 1,1 2,0 2,0 0))", 1e-6, 2 - sqrt(2),
          2 - sqrt(2), 2 - sqrt(2));
    /* A frame 1 wide around a hole: each corner of it is such an L, so
     * the same radius, in one of the four corners. */
    shape("POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,3 1,3 3,1 3,1 1))", 1e-6, NAN,
          NAN, 2 - sqrt(2));
    /* Two parts: the circle of the larger. */
    shape("MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)),((5 0,7 0,7 2,5 2,5 0)))",
          1e-6, 6, 1, 1);
    /* A 6 x 2 rectangle: radius 1, on the middle line. */
    shape("POLYGON((0 0,6 0,6 2,0 2,0 0))", 1e-6, NAN, 1, 1);
    /* A 1 x 1000 strip at a millionth of its length: the search ends at
     * its cell budget, with the centre it found first (the box's). */
    shape("POLYGON((0 0,1000 0,1000 1,0 1,0 0))", 1e-3, 500, 0.5, 0.5);
}

/* The same search over flat rings, as the viewer's files call it. */
static void rings(void)
{
    double x, y, r;
    /* the L, open (closed by the search) */
    const double l[] = {0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2};
    size_t l_end[] = {6};
    CHECK_INT(mg_label_circle_rings(l, l_end, 1, 1e-6, &x, &y, &r), 0);
    CHECK_NEAR(r, 2 - sqrt(2), 1e-6);
    CHECK_NEAR(x, 2 - sqrt(2), 1e-6);
    /* the frame: a shell and its hole, both closed */
    const double f[] = {0, 0, 4, 0, 4, 4, 0, 4, 0, 0,
                        1, 1, 3, 1, 3, 3, 1, 3, 1, 1};
    size_t f_end[] = {5, 10};
    CHECK_INT(mg_label_circle_rings(f, f_end, 2, 1e-6, &x, &y, &r), 0);
    CHECK_NEAR(r, 2 - sqrt(2), 1e-6);
    /* nothing, a non-finite point, ends that go back */
    CHECK_INT(mg_label_circle_rings(f, f_end, 0, 1e-6, &x, &y, &r), -1);
    CHECK(isnan(x) && isnan(y) && isnan(r));
    const double inf[] = {0, 0, INFINITY, 0, 1, 1};
    size_t inf_end[] = {3};
    CHECK_INT(mg_label_circle_rings(inf, inf_end, 1, 1e-6, &x, &y, &r), -1);
    size_t back[] = {5, 3};
    CHECK_INT(mg_label_circle_rings(f, back, 2, 1e-6, &x, &y, &r), -1);
}

static void bad(void)
{
    double x, y, r;
    const char *no[] = {"POINT(1 2)", "LINESTRING(0 0,1 1)",
                        "POLYGON EMPTY", "GEOMETRYCOLLECTION EMPTY"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        GEOSGeometry *p = wkt(no[i]);
        CHECK(p != NULL);
        CHECK_INT(mg_geom_label_circle(&g, p, 1e-3, &x, &y, &r), -1);
        CHECK(isnan(x) && isnan(y) && isnan(r));
        GEOSGeom_destroy_r(g.h, p);
    }
}

/* Every UAT, simplified at the viewer's tolerance for it (a 50th of the
 * median UAT's size: about 0.0035 degree), searched as the viewer's files
 * search it (to half that) against GEOS's MaximumInscribedCircle at the
 * whole tolerance: GEOS's radius is at most tol below the largest and
 * ours at most tol / 2, so ours lies in [GEOS's - tol / 2, GEOS's + tol];
 * ours is the true distance of its centre to the outline, and that centre
 * is inside. */
static void against_geos(const char *path)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    CHECK(ds != NULL);
    if (!ds)
        return;
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureH f;
    const double tol = 0.0035;
    int n = 0, checked = 0;
    double worst = 0;
    while ((f = OGR_L_GetNextFeature(layer))) {
        OGRGeometryH og = OGR_F_GetGeometryRef(f);
        size_t size = og ? (size_t)OGR_G_WkbSize(og) : 0;
        unsigned char wkb[1 << 20];
        GEOSGeometry *a = NULL, *s = NULL;
        if (size > 0 && size <= sizeof wkb &&
            OGR_G_ExportToWkb(og, wkbNDR, wkb) == OGRERR_NONE)
            a = mg_geom_from_wkb(&g, wkb, size);
        if (a && GEOSisValid_r(g.h, a) == 1)
            s = GEOSTopologyPreserveSimplify_r(g.h, a, tol);
        n++;
        if (s && !GEOSisEmpty_r(g.h, s)) {
            double x, y, r, gx, gy, gr = NAN;
            CHECK_INT(mg_geom_label_circle(&g, s, tol / 2, &x, &y, &r), 0);
            GEOSGeometry *line = GEOSMaximumInscribedCircle_r(g.h, s, tol);
            const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(g.h, line);
            double x1, y1;
            if (GEOSCoordSeq_getXY_r(g.h, cs, 0, &gx, &gy) &&
                GEOSCoordSeq_getXY_r(g.h, cs, 1, &x1, &y1))
                gr = hypot(x1 - gx, y1 - gy);
            GEOSGeom_destroy_r(g.h, line);
            CHECK(r >= gr - tol / 2 && r <= gr + tol);
            worst = fmax(worst, gr - r);
            GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g.h, x, y);
            GEOSGeometry *edge = GEOSBoundary_r(g.h, s);
            double d = -1;
            CHECK(GEOSDistance_r(g.h, pt, edge, &d) == 1);
            CHECK_NEAR(d, r, 1e-9);
            CHECK(GEOSIntersects_r(g.h, pt, s) == 1);
            GEOSGeom_destroy_r(g.h, edge);
            GEOSGeom_destroy_r(g.h, pt);
            checked++;
        }
        if (s)
            GEOSGeom_destroy_r(g.h, s);
        if (a)
            GEOSGeom_destroy_r(g.h, a);
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    printf("label: %d of %d UATs checked against GEOS; radius at most "
           "%.2g degree below GEOS's (search to %.2g)\n",
           checked, n, worst, tol / 2);
    CHECK(n > 3000 && checked > n - 20);
}

int main(int argc, char **argv)
{
    GDALAllRegister();
    CHECK_INT(mg_geom_init(&g), 0);
    by_hand();
    rings();
    bad();
    if (argc > 1)
        against_geos(argv[1]);
    mg_geom_clear(&g);
    CHECK_DONE();
}
