/* Candidate sites: the regions' own points, or a file of points. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int candidates_alloc(siting_candidates *c, size_t n)
{
    memset(c, 0, sizeof *c);
    size_t m = n ? n : 1;
    c->lon = malloc(m * sizeof *c->lon);
    c->lat = malloc(m * sizeof *c->lat);
    c->id = calloc(m, sizeof *c->id);
    c->name = calloc(m, sizeof *c->name);
    c->region = malloc(m * sizeof *c->region);
    return c->lon && c->lat && c->id && c->name && c->region ? MG_OK
                                                             : MG_ERR_NOMEM;
}

void siting_candidates_free(siting_candidates *c)
{
    for (size_t i = 0; c->id && i < c->n; i++) {
        free(c->id[i]);
        free(c->name[i]);
    }
    free(c->lon);
    free(c->lat);
    free(c->id);
    free(c->name);
    free(c->region);
    memset(c, 0, sizeof *c);
}

/* Every region with a polygon is a candidate at its point-on-surface. */
static int region_candidates(mg_dataset *d, siting_candidates *c)
{
    const mg_level *l = &d->levels[0];
    double *lon = NULL, *lat = NULL;
    int rc = candidates_alloc(c, l->n);
    if (!rc)
        rc = mg_access_region_points(l, &lon, &lat);
    for (size_t i = 0; !rc && i < l->n; i++) {
        if (isnan(lon[i]))
            continue; /* reported with the demand points */
        size_t k = c->n++;
        c->lon[k] = lon[i];
        c->lat[k] = lat[i];
        c->region[k] = (long)i;
        c->id[k] = strdup(l->regions[i].code);
        c->name[k] = strdup(l->regions[i].name);
        if (!c->id[k] || !c->name[k])
            rc = MG_ERR_NOMEM;
    }
    free(lon);
    free(lat);
    return rc;
}

typedef struct cand_reader {
    mg_dataset *d;
    const mg_candidate_spec *spec;
    char *path;
    mg_vec_source src;
    int f_lon, f_lat, f_id, f_name;
    OGRCoordinateTransformationH to_wgs84;
    mg_area_of_use area; /* of the declared CRS, when projected */
    mg_locator *locator;
} cand_reader;

static int cand_open(cand_reader *cr, mg_error *err)
{
    const mg_candidate_spec *s = cr->spec;
    struct {
        const char *name, *key;
        int *index;
    } fields[] = {
        {s->lon_field, "siting.candidates.lon_field", &cr->f_lon},
        {s->lat_field, "siting.candidates.lat_field", &cr->f_lat},
        {s->id_field, "siting.candidates.id_field", &cr->f_id},
        {s->name_field, "siting.candidates.name_field", &cr->f_name},
    };
    int rc = mg_vec_open(&cr->src, cr->path, s->layer, err);
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        *fields[i].index = -1;
        if (!rc && fields[i].name)
            rc = mg_vec_field(&cr->src, fields[i].name, fields[i].key,
                              fields[i].index, err);
    }
    if (!rc && cr->f_lon < 0)
        rc = mg_vec_to_wgs84(&cr->src, s->crs, "siting.candidates.crs",
                             &cr->to_wgs84, err);
    /* Lon/lat columns are WGS 84 unless the project says otherwise. */
    mg_vec_source none = {.path = cr->path};
    if (!rc && cr->f_lon >= 0)
        rc = mg_vec_to_wgs84(&none, s->crs ? s->crs : "EPSG:4326",
                             "siting.candidates.crs", &cr->to_wgs84, err);
    if (!rc)
        mg_vec_area_of_use(cr->f_lon < 0 ? &cr->src : &none, s->crs,
                           &cr->area);
    if (!rc && (rc = mg_locator_new(&cr->d->levels[0], &cr->locator)))
        mg_error_set(err, rc, cr->path, -1, NULL,
                     "cannot index the regions: %s", mg_strerror(rc));
    return rc;
}

static int cand_location(cand_reader *cr, OGRFeatureH f, double *x, double *y,
                         const char **why)
{
    if (cr->f_lon < 0)
        return mg_access_feature_point(f, cr->to_wgs84, x, y, why);
    char *sx = mg_field_text(f, cr->f_lon), *sy = mg_field_text(f, cr->f_lat);
    int kx = mg_number_parse(sx, x), ky = mg_number_parse(sy, y);
    free(sx);
    free(sy);
    *why = "blank or non-numeric coordinates";
    if (!((kx == MG_NUM_OK || kx == MG_NUM_NEGATIVE) &&
          (ky == MG_NUM_OK || ky == MG_NUM_NEGATIVE)))
        return -1;
    *why = "cannot be transformed to WGS 84";
    if (cr->to_wgs84 && !OCTTransform(cr->to_wgs84, 1, x, y, NULL))
        return -1;
    *why = "coordinates outside -180..180, -90..90";
    return fabs(*x) <= 180 && fabs(*y) <= 90 ? 0 : -1;
}

static int cand_feature(cand_reader *cr, OGRFeatureH f, siting_candidates *c)
{
    long fid = (long)OGR_F_GetFID(f);
    double x, y;
    const char *why = NULL;
    const char *field = cr->f_lon >= 0 ? cr->spec->lon_field : "geometry";
    if (cand_location(cr, f, &x, &y, &why) != 0)
        return mg_report_add(&cr->d->report, cr->path, fid, field, NULL, why,
                             "candidate left out");
    int outside = 0;
    int rc = mg_point_check_area(&cr->area, x, y, &cr->d->report, cr->path,
                                 fid, field, "candidate left out", &outside);
    if (rc || outside)
        return rc;
    size_t k = c->n;
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", fid);
    c->id[k] = cr->f_id >= 0 ? mg_field_text(f, cr->f_id) : strdup(buf);
    if (!c->id[k])
        return mg_report_add(&cr->d->report, cr->path, fid, cr->spec->id_field,
                             NULL, "blank candidate id", "candidate left out");
    c->name[k] = mg_field_text(f, cr->f_name);
    c->lon[k] = x;
    c->lat[k] = y;
    c->region[k] = mg_locator_find(cr->locator, x, y);
    c->n++;
    return MG_OK;
}

static int file_candidates(mg_dataset *d, const mg_candidate_spec *spec,
                           siting_candidates *c, mg_error *err)
{
    cand_reader cr = {.d = d, .spec = spec};
    cr.path = mg_project_resolve(d->project, spec->path);
    int rc = cr.path ? cand_open(&cr, err) : MG_ERR_NOMEM;
    GIntBig total = rc ? 0 : OGR_L_GetFeatureCount(cr.src.layer, 1);
    if (!rc)
        rc = candidates_alloc(c, total > 0 ? (size_t)total : 0);
    OGRFeatureH f;
    if (!rc)
        OGR_L_ResetReading(cr.src.layer);
    for (size_t k = 0;
         !rc && k < (size_t)total && (f = OGR_L_GetNextFeature(cr.src.layer));
         k++) {
        rc = cand_feature(&cr, f, c);
        OGR_F_Destroy(f);
        if (!rc)
            rc = mg_access_poll(k, err);
    }
    if (rc && err && !err->code)
        mg_error_set(err, rc, cr.path, -1, NULL, "%s", mg_strerror(rc));
    if (cr.to_wgs84)
        OCTDestroyCoordinateTransformation(cr.to_wgs84);
    mg_locator_free(cr.locator);
    mg_vec_close(&cr.src);
    free(cr.path);
    return rc;
}

int siting_candidates_read(mg_dataset *d, const mg_siting_run *run,
                           siting_candidates *c, mg_error *err)
{
    memset(c, 0, sizeof *c);
    if (run->candidates.path)
        return file_candidates(d, &run->candidates, c, err);
    int rc = region_candidates(d, c);
    if (rc)
        mg_error_set(err, rc, d->level_paths[0], -1, "geometry",
                     "cannot make the candidate sites: %s", mg_strerror(rc));
    return rc;
}
