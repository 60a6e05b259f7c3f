/* Coordinates checked where they are read: a boundary vertex that is not
 * finite or lies off the globe is caught here, named in the join report,
 * instead of overflowing the tile projection much later; a boundary or a
 * point (provider, demand point, candidate site) well outside the area of
 * use of its projected CRS is reported the same way; and a layer whose
 * coordinates are plainly metres under a geographic CRS is refused before
 * the join. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Rounding in a transformation may put a vertex a hair beyond ±180/±90;
 * that much is moved back onto the edge, more is an error of the data. */
static const double clamp_tolerance = 1e-7;

typedef struct coord_walk {
    int verdict;
    double bad_x, bad_y; /* the first vertex that set the verdict */
} coord_walk;

static void note(coord_walk *w, int verdict, double x, double y)
{
    if (verdict <= w->verdict)
        return;
    w->verdict = verdict;
    w->bad_x = x;
    w->bad_y = y;
}

static double clamp_to(double v, double lim)
{
    return v > lim ? lim : (v < -lim ? -lim : v);
}

static void check_point(coord_walk *w, OGRGeometryH g, int i)
{
    double x = OGR_G_GetX(g, i), y = OGR_G_GetY(g, i);
    if (!isfinite(x) || !isfinite(y)) {
        note(w, MG_COORDS_NONFINITE, x, y);
        return;
    }
    double ax = fabs(x), ay = fabs(y);
    if (ax <= 180.0 && ay <= 90.0)
        return;
    if (ax > 180.0 + clamp_tolerance || ay > 90.0 + clamp_tolerance) {
        note(w, MG_COORDS_OUTSIDE, x, y);
        return;
    }
    note(w, MG_COORDS_CLAMPED, x, y);
    OGR_G_SetPoint_2D(g, i, clamp_to(x, 180.0), clamp_to(y, 90.0));
}

/* Depth is bounded by the geometry's own nesting, which OGR limits. */
static void walk(coord_walk *w, OGRGeometryH g)
{
    int parts = OGR_G_GetGeometryCount(g);
    for (int k = 0; k < parts; k++)
        walk(w, OGR_G_GetGeometryRef(g, k));
    int n = parts ? 0 : OGR_G_GetPointCount(g);
    for (int i = 0; i < n; i++)
        check_point(w, g, i);
}

int mg_coords_check(OGRGeometryH g, char *value, size_t size)
{
    coord_walk w = {MG_COORDS_OK, 0.0, 0.0};
    walk(&w, g);
    if (value && size)
        snprintf(value, size, "%.12g %.12g", w.bad_x, w.bad_y);
    return w.verdict;
}

int mg_vec_area_of_use(const mg_vec_source *v, const char *crs_override,
                       mg_area_of_use *a)
{
    OGRSpatialReferenceH s = NULL;
    a->has_area = 0;
    if (crs_override) {
        s = OSRNewSpatialReference(NULL);
        if (OSRSetFromUserInput(s, crs_override) != OGRERR_NONE) {
            OSRDestroySpatialReference(s);
            return 0;
        }
    } else if (v->layer && OGR_L_GetSpatialRef(v->layer)) {
        s = OSRClone(OGR_L_GetSpatialRef(v->layer));
    } else {
        return 0;
    }
    const char *name = NULL;
    double *box = a->box;
    /* A geographic CRS's area of use is the globe, checked anyway. */
    int ok = !OSRIsGeographic(s) &&
             OSRGetAreaOfUse(s, &box[0], &box[1], &box[2], &box[3], &name) &&
             box[0] < box[2]; /* one crossing 180° is not checked */
    const char *auth = OSRGetAuthorityName(s, NULL);
    const char *code = OSRGetAuthorityCode(s, NULL);
    if (ok)
        snprintf(a->label, sizeof a->label, "%s%s%s (%s)",
                 auth ? auth : OSRGetName(s), auth && code ? ":" : "",
                 auth && code ? code : "", name ? name : "no name");
    OSRDestroySpatialReference(s);
    return a->has_area = ok;
}

/* Well away (area_margin degrees) from where the source CRS is meant to be
 * used, a feature is a typo or a wrong CRS, and its projection is
 * meaningless there. */
static const double area_margin = 5.0;

int mg_area_outside(const mg_area_of_use *a, const double env[4])
{
    const double *box = a->box;
    return a->has_area &&
           (env[2] < box[0] - area_margin || env[0] > box[2] + area_margin ||
            env[3] < box[1] - area_margin || env[1] > box[3] + area_margin);
}

int mg_area_check(const mg_area_of_use *a, const double env[4],
                  const char *value, mg_report *rep, const char *file,
                  long row, const char *field, const char *action,
                  int *outside)
{
    *outside = mg_area_outside(a, env);
    if (!*outside)
        return MG_OK;
    char problem[256];
    snprintf(problem, sizeof problem,
             "more than %.0f degrees outside the area of use of %s",
             area_margin, a->label);
    return mg_report_addf(rep, file, row, field, problem, action,
                          "%s%s%.6g %.6g %.6g %.6g", value ? value : "",
                          value ? " not in " : "", a->box[0], a->box[1],
                          a->box[2], a->box[3]);
}

int mg_coords_check_area(const mg_area_of_use *a, OGRGeometryH g,
                         mg_report *rep, const char *file, long row,
                         const char *action, int *outside)
{
    OGREnvelope e;
    OGR_G_GetEnvelope(g, &e);
    double env[4] = {e.MinX, e.MinY, e.MaxX, e.MaxY};
    return mg_area_check(a, env, NULL, rep, file, row, "geometry", action,
                         outside);
}

int mg_point_check_area(const mg_area_of_use *a, double lon, double lat,
                        mg_report *rep, const char *file, long row,
                        const char *field, const char *action, int *outside)
{
    double env[4] = {lon, lat, lon, lat};
    char value[64];
    snprintf(value, sizeof value, "%.8g %.8g", lon, lat);
    return mg_area_check(a, env, value, rep, file, row, field, action,
                         outside);
}

/* A projected CRS the extent's centre may be in: the first of these whose
 * area of use holds the centre once read in that CRS.  Ordered from the
 * narrowest (the sample's national grid) to the widest. */
static const char *const likely_crs[] = {
    "EPSG:3844", "EPSG:3035", "EPSG:32634", "EPSG:32635", "EPSG:3857",
};

static int centre_in_area_of_use(const char *code, double x, double y)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
    int ok = 0;
    double w, so, e, n;
    const char *name = NULL;
    if (OSRSetFromUserInput(s, code) == OGRERR_NONE &&
        OSRSetFromUserInput(wgs, "EPSG:4326") == OGRERR_NONE &&
        OSRGetAreaOfUse(s, &w, &so, &e, &n, &name)) {
        OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        OGRCoordinateTransformationH t =
            OCTNewCoordinateTransformation(s, wgs);
        if (t && OCTTransform(t, 1, &x, &y, NULL))
            ok = x >= w && x <= e && y >= so && y <= n;
        if (t)
            OCTDestroyCoordinateTransformation(t);
    }
    OSRDestroySpatialReference(s);
    OSRDestroySpatialReference(wgs);
    return ok;
}

static const char *guess_crs(double x, double y)
{
    size_t n = sizeof likely_crs / sizeof *likely_crs;
    mg_gdal_enter();
    const char *found = NULL;
    for (size_t i = 0; !found && i < n; i++)
        if (centre_in_area_of_use(likely_crs[i], x, y))
            found = likely_crs[i];
    mg_gdal_leave(0, MG_OK, NULL, NULL, NULL);
    return found;
}

/* How many features of the first few lie wholly beyond any degree value:
 * one wild vertex is a row's problem (reported), most features out there
 * is the layer's CRS. */
enum { SAMPLE_FEATURES = 64 };
static const double metre_scale = 1000.0;

static int envelope_in_metres(const OGREnvelope *e)
{
    return fmax(fabs(e->MinX), fabs(e->MaxX)) > metre_scale ||
           fmax(fabs(e->MinY), fabs(e->MaxY)) > metre_scale;
}

int mg_vec_check_degrees(const mg_vec_source *v, const char *what,
                         const char *crs_name, mg_error *err)
{
    int seen = 0, metres = 0;
    OGREnvelope first = {0};
    OGRFeatureH f;
    mg_gdal_enter();
    OGR_L_ResetReading(v->layer);
    while (seen < SAMPLE_FEATURES &&
           (f = OGR_L_GetNextFeature(v->layer)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        OGREnvelope e;
        if (g && !OGR_G_IsEmpty(g)) {
            OGR_G_GetEnvelope(g, &e);
            seen++;
            if (envelope_in_metres(&e) && isfinite(e.MinX) &&
                isfinite(e.MaxY) && metres++ == 0)
                first = e;
        }
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(v->layer);
    mg_gdal_leave(0, MG_OK, NULL, NULL, NULL);
    if (seen == 0 || 2 * metres <= seen)
        return MG_OK;
    double cx = 0.5 * (first.MinX + first.MaxX),
           cy = 0.5 * (first.MinY + first.MaxY);
    const char *guess = guess_crs(cx, cy);
    return mg_error_set(
        err, MG_ERR_INPUT, v->path, -1, what,
        "%d of the first %d features have coordinates in metres, not "
        "degrees (e.g. %.0f %.0f), but the coordinate reference system is "
        "geographic (%s); %s%s%sname the right one with \"crs\" in the "
        "project file",
        metres, seen, cx, cy, crs_name ? crs_name : "degrees",
        guess ? "it is likely " : "", guess ? guess : "", guess ? ": " : "");
}
