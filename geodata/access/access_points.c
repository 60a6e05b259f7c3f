/* Points of regions: code lookups, point-in-polygon, point-on-surface and
 * population-weighted centres. */
#include "access_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- codes -------------------------------------------------------------- */

/* ---- point on surface --------------------------------------------------- */

/* GEOS point-on-surface of every region of l (NAN where there is no
 * polygon): inside the polygon, unlike a centroid, so a crescent-shaped
 * region's demand point lies in the region. */
static int surface_points(const mg_level *l, double *lon, double *lat)
{
    mg_geom g;
    if (mg_geom_init(&g) != 0)
        return MG_ERR_DEPENDENCY;
    int rc = MG_OK;
    for (size_t i = 0; !rc && i < l->n; i++) {
        const mg_region *r = &l->regions[i];
        lon[i] = lat[i] = NAN;
        if (!r->wkb)
            continue;
        GEOSGeometry *geom = mg_geom_from_wkb(&g, r->wkb, r->wkb_size);
        GEOSGeometry *pt = geom ? GEOSPointOnSurface_r(g.h, geom) : NULL;
        if (!pt ||
            (!GEOSisEmpty_r(g.h, pt) && (!GEOSGeomGetX_r(g.h, pt, &lon[i]) ||
                                         !GEOSGeomGetY_r(g.h, pt, &lat[i]))))
            rc = MG_ERR_DEPENDENCY;
        if (pt)
            GEOSGeom_destroy_r(g.h, pt);
        if (geom)
            GEOSGeom_destroy_r(g.h, geom);
    }
    mg_geom_clear(&g);
    return rc;
}

int mg_access_region_points(const mg_level *l, double **lon, double **lat)
{
    *lon = malloc((l->n ? l->n : 1) * sizeof **lon);
    *lat = malloc((l->n ? l->n : 1) * sizeof **lat);
    if (!*lon || !*lat)
        return MG_ERR_NOMEM;
    return surface_points(l, *lon, *lat);
}

/* ---- population-weighted centres ---------------------------------------- */

/* Sums of population x unit vector per region: the centre is their
 * direction, which stays right across the antimeridian. */
typedef struct centre_sums {
    double *x, *y, *z, *w;
} centre_sums;

typedef struct demand_reader {
    mg_dataset *d;
    const mg_demand_spec *spec;
    char *path;
    mg_vec_source src;
    int f_pop, f_code;
    OGRCoordinateTransformationH to_wgs84;
    mg_area_of_use area; /* of the layer's CRS, when projected */
    mg_code_index codes;
    mg_locator *locator;
    centre_sums s;
} demand_reader;

static int demand_open(demand_reader *dr, mg_error *err)
{
    const mg_demand_spec *s = dr->spec;
    const mg_level *l = &dr->d->levels[0];
    dr->f_code = -1;
    int rc = mg_vec_open(&dr->src, dr->path, s->layer, err);
    if (!rc)
        rc = mg_vec_field(&dr->src, s->population_field,
                          "access.demand.population_field", &dr->f_pop, err);
    if (!rc && s->region_code_field)
        rc = mg_vec_field(&dr->src, s->region_code_field,
                          "access.demand.region_code_field", &dr->f_code, err);
    if (!rc)
        rc = mg_vec_to_wgs84(&dr->src, s->crs, "access.demand.crs",
                             &dr->to_wgs84, err);
    if (rc)
        return rc;
    mg_vec_area_of_use(&dr->src, s->crs, &dr->area);
    const char **codes = malloc((l->n ? l->n : 1) * sizeof *codes);
    for (size_t i = 0; codes && i < l->n; i++)
        codes[i] = l->regions[i].code;
    rc = codes ? mg_code_index_build(&dr->codes, codes, l->n) : MG_ERR_NOMEM;
    free(codes);
    if (!rc && !s->region_code_field)
        rc = mg_locator_new(l, &dr->locator);
    size_t n = l->n ? l->n : 1;
    dr->s.x = calloc(n, sizeof *dr->s.x);
    dr->s.y = calloc(n, sizeof *dr->s.y);
    dr->s.z = calloc(n, sizeof *dr->s.z);
    dr->s.w = calloc(n, sizeof *dr->s.w);
    if (!rc && (!dr->s.x || !dr->s.y || !dr->s.z || !dr->s.w))
        rc = MG_ERR_NOMEM;
    if (rc)
        mg_error_set(err, rc, dr->path, -1, NULL, "%s", mg_strerror(rc));
    return rc;
}

int mg_access_feature_point(OGRFeatureH f, OGRCoordinateTransformationH t,
                            double *x, double *y, const char **why)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!g || OGR_G_IsEmpty(g)) {
        *why = "no geometry";
        return -1;
    }
    if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint) {
        *x = OGR_G_GetX(g, 0);
        *y = OGR_G_GetY(g, 0);
    } else {
        OGRGeometryH p = OGR_G_PointOnSurface(g);
        if (!p || OGR_G_IsEmpty(p)) {
            if (p)
                OGR_G_DestroyGeometry(p);
            *why = "no point on the geometry's surface";
            return -1;
        }
        *x = OGR_G_GetX(p, 0);
        *y = OGR_G_GetY(p, 0);
        OGR_G_DestroyGeometry(p);
    }
    if ((t && !OCTTransform(t, 1, x, y, NULL)) ||
        !(fabs(*x) <= 180 && fabs(*y) <= 90)) {
        *why = "cannot be transformed to WGS 84";
        return -1;
    }
    return 0;
}

/* The region a demand feature belongs to, or -1 (reported). */
static int demand_region(demand_reader *dr, OGRFeatureH f, long fid, double x,
                         double y, long *region)
{
    mg_report *rep = &dr->d->report;
    if (dr->f_code < 0) {
        *region = mg_locator_find(dr->locator, x, y);
        return *region >= 0 ? MG_OK
                            : mg_report_addf(rep, dr->path, fid, "geometry",
                                             "point lies outside every region",
                                             "row ignored", "%.6f %.6f", x, y);
    }
    char *code = mg_field_text(f, dr->f_code);
    *region = mg_code_index_find(&dr->codes, code);
    int rc = *region >= 0 ? MG_OK
                          : mg_report_add(rep, dr->path, fid,
                                          dr->spec->region_code_field, code,
                                          code ? "region code not found in "
                                                 "the boundaries"
                                               : "blank region code",
                                          "row ignored");
    free(code);
    return rc;
}

static int demand_feature(demand_reader *dr, OGRFeatureH f)
{
    mg_report *rep = &dr->d->report;
    const char *pf = dr->spec->population_field;
    long fid = (long)OGR_F_GetFID(f);
    char *text = mg_field_text(f, dr->f_pop);
    double pop, x, y;
    const char *why = NULL;
    int kind = mg_number_parse(text, &pop);
    int rc = MG_OK;
    if (kind != MG_NUM_OK)
        rc = mg_report_add(rep, dr->path, fid, pf, text,
                           kind == MG_NUM_BLANK ? "blank population"
                           : kind == MG_NUM_NEGATIVE
                               ? "negative population"
                               : "population is not a number",
                           "row ignored");
    else if (mg_access_feature_point(f, dr->to_wgs84, &x, &y, &why) != 0)
        rc = mg_report_add(rep, dr->path, fid, "geometry", NULL, why,
                           "row ignored");
    free(text);
    long i = -1;
    if (rc || kind != MG_NUM_OK || why)
        return rc;
    int outside = 0;
    rc = mg_point_check_area(&dr->area, x, y, rep, dr->path, fid, "geometry",
                             "row ignored", &outside);
    if (rc || outside)
        return rc;
    rc = demand_region(dr, f, fid, x, y, &i);
    if (rc || i < 0)
        return rc;
    double p = y * M_PI / 180, l = x * M_PI / 180;
    dr->s.x[i] += pop * cos(p) * cos(l);
    dr->s.y[i] += pop * cos(p) * sin(l);
    dr->s.z[i] += pop * sin(p);
    dr->s.w[i] += pop;
    return MG_OK;
}

/* Regions without population in the layer keep their point-on-surface. */
static int demand_finish(demand_reader *dr, double *lon, double *lat)
{
    const mg_level *l = &dr->d->levels[0];
    for (size_t i = 0; i < l->n; i++) {
        double x = dr->s.x[i], y = dr->s.y[i], z = dr->s.z[i];
        double h = sqrt(x * x + y * y);
        if (dr->s.w[i] > 0 && (h > 0 || z != 0)) {
            lon[i] = atan2(y, x) * 180 / M_PI;
            lat[i] = atan2(z, h) * 180 / M_PI;
            continue;
        }
        int rc = mg_report_add(&dr->d->report, dr->path, -1,
                               dr->spec->population_field, l->regions[i].code,
                               "region has no population in the demand "
                               "layer",
                               "demand point at the region's "
                               "point-on-surface");
        if (rc)
            return rc;
    }
    return MG_OK;
}

static void demand_close(demand_reader *dr)
{
    if (dr->to_wgs84)
        OCTDestroyCoordinateTransformation(dr->to_wgs84);
    mg_vec_close(&dr->src);
    mg_code_index_free(&dr->codes);
    mg_locator_free(dr->locator);
    free(dr->s.x);
    free(dr->s.y);
    free(dr->s.z);
    free(dr->s.w);
    free(dr->path);
}

static int read_centres(mg_dataset *d, const mg_demand_spec *spec, double *lon,
                        double *lat, mg_error *err)
{
    demand_reader dr = {.d = d, .spec = spec};
    dr.path = mg_project_resolve(d->project, spec->path);
    int rc = dr.path ? demand_open(&dr, err)
                     : mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                                    "out of memory");
    OGRFeatureH f;
    if (!rc)
        OGR_L_ResetReading(dr.src.layer);
    for (size_t k = 0; !rc && (f = OGR_L_GetNextFeature(dr.src.layer)); k++) {
        rc = demand_feature(&dr, f);
        OGR_F_Destroy(f);
        if (!rc)
            rc = mg_access_poll(k, err);
    }
    if (!rc)
        rc = demand_finish(&dr, lon, lat);
    if (rc && err && !err->code)
        mg_error_set(err, rc, dr.path, -1, NULL, "%s", mg_strerror(rc));
    demand_close(&dr);
    return rc;
}

/* Regions without a polygon have no demand point: reported once here. */
static int report_unplaced(mg_dataset *d, const double *lon)
{
    const mg_level *l = &d->levels[0];
    for (size_t i = 0; i < l->n; i++) {
        if (!isnan(lon[i]))
            continue;
        int rc = mg_report_add(
            &d->report, d->level_paths[0], l->regions[i].fid, "geometry",
            l->regions[i].code, "region has no demand point (no polygon)",
            "left out of accessibility and siting; its "
            "need counts as unmet");
        if (rc)
            return rc;
    }
    return MG_OK;
}

int mg_access_demand_points(mg_dataset *d, const mg_demand_spec *demand,
                            double **lon, double **lat, mg_error *err)
{
    int rc = mg_access_region_points(&d->levels[0], lon, lat);
    if (rc)
        return mg_error_set(err, rc, d->level_paths[0], -1, "geometry",
                            "cannot compute the regions' points on "
                            "surface: %s",
                            mg_strerror(rc));
    if (demand && demand->path)
        rc = read_centres(d, demand, *lon, *lat, err);
    if (!rc && (rc = report_unplaced(d, *lon)))
        mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    return rc;
}
