/* Reading the inputs: boundary levels, providers, recipients. */
#include "internal.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mg_region_alloc_figures(mg_region *r, size_t n_groups, size_t n_categories)
{
    size_t k = n_categories + 1;
    r->counts = malloc((n_groups ? n_groups : 1) * sizeof *r->counts);
    r->need = calloc(k, sizeof *r->need);
    r->supply = calloc(k, sizeof *r->supply);
    r->gap = calloc(k, sizeof *r->gap);
    r->coverage = calloc(k, sizeof *r->coverage);
    r->n_providers = calloc(k, sizeof *r->n_providers);
    if (!r->counts || !r->need || !r->supply || !r->gap || !r->coverage ||
        !r->n_providers)
        return MG_ERR_NOMEM;
    for (size_t g = 0; g < n_groups; g++)
        r->counts[g] = NAN;
    r->population = NAN;
    r->area_km2 = NAN;
    r->parent = -1;
    return MG_OK;
}

void region_clear(mg_region *r)
{
    free(r->code);
    free(r->key);
    free(r->name);
    free(r->parent_code);
    free(r->parent_name);
    free(r->wkb);
    free(r->inputs);
    free(r->counts);
    free(r->need);
    free(r->supply);
    free(r->gap);
    free(r->coverage);
    free(r->n_providers);
    memset(r, 0, sizeof *r);
}

/* What one boundary feature needs besides the level's fields. */
typedef struct level_reader {
    mg_dataset *d;
    size_t li; /* d->levels[li] is read */
    const mg_level_spec *spec;
    const char *path;
    mg_vec_source src;
    int f_code, f_name, f_parent, f_parent_name;
    int *f_inputs; /* indices of the spec's "fields" */
    size_t *n_bad; /* per field, values that are not numbers */
    OGRCoordinateTransformationH to_wgs84;
    mg_area_of_use area; /* of the source CRS, when projected */
} level_reader;

/* Not a status: check_coords() dropped the geometry and reported it. */
enum { MG_COORDS_DROPPED = -1 };

/* The geometry's coordinates in WGS 84, checked before anything projects
 * them: a vertex a rounding error off the globe is moved onto its edge, a
 * non-finite or far-off one costs the region its polygon; both reported. */
static int check_coords(level_reader *lr, OGRGeometryH g, long fid)
{
    char value[96];
    int v = mg_coords_check(g, value, sizeof value);
    if (v == MG_COORDS_OK)
        return MG_OK;
    mg_report *rep = &lr->d->report;
    if (v == MG_COORDS_CLAMPED)
        return mg_report_add(rep, lr->path, fid, "geometry", value,
                             "coordinates just beyond -180..180, -90..90",
                             "moved onto the edge");
    int rc = mg_report_add(rep, lr->path, fid, "geometry", value,
                           v == MG_COORDS_NONFINITE
                               ? "coordinates not finite"
                               : "coordinates outside -180..180, -90..90",
                           "region kept without a polygon");
    return rc ? rc : MG_COORDS_DROPPED;
}

static int check_area(level_reader *lr, OGRGeometryH g, long fid)
{
    int outside = 0;
    int rc = mg_coords_check_area(&lr->area, g, &lr->d->report, lr->path, fid,
                                  "region kept without a polygon", &outside);
    return rc ? rc : outside ? MG_COORDS_DROPPED : MG_OK;
}

/* The feature's geometry as valid WKB in WGS 84, or NULL (reported). */
static int read_region_geometry(level_reader *lr, OGRFeatureH f, long fid,
                                mg_region *r)
{
    mg_report *rep = &lr->d->report;
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!g || OGR_G_IsEmpty(g))
        return mg_report_add(rep, lr->path, fid, "geometry", NULL,
                             "no geometry", "region kept without a polygon");
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t != wkbPolygon && t != wkbMultiPolygon && t != wkbCurvePolygon &&
        t != wkbMultiSurface)
        return mg_report_add(rep, lr->path, fid, "geometry",
                             OGR_G_GetGeometryName(g), "not a polygon",
                             "region kept without a polygon");
    g = OGR_G_ForceToMultiPolygon(OGR_G_Clone(g));
    OGR_G_FlattenTo2D(g);
    if (lr->to_wgs84 && OGR_G_Transform(g, lr->to_wgs84) != OGRERR_NONE) {
        OGR_G_DestroyGeometry(g);
        return mg_report_add(rep, lr->path, fid, "geometry", NULL,
                             "cannot be transformed to WGS 84",
                             "region kept without a polygon");
    }
    int rc = check_coords(lr, g, fid);
    if (rc == MG_OK)
        rc = check_area(lr, g, fid);
    if (rc != MG_OK) {
        OGR_G_DestroyGeometry(g);
        return rc == MG_COORDS_DROPPED ? MG_OK : rc;
    }
    size_t n = (size_t)OGR_G_WkbSize(g);
    unsigned char *wkb = malloc(n);
    if (!wkb) {
        OGR_G_DestroyGeometry(g);
        return MG_ERR_NOMEM;
    }
    OGR_G_ExportToWkb(g, wkbNDR, wkb);
    OGR_G_DestroyGeometry(g);
    /* validated, and its area measured, once the level is read
     * (check_polygons()) */
    r->wkb = wkb;
    r->wkb_size = n;
    return MG_OK;
}

/* ---- the checks of each polygon, on threads ---------------------------- */

/* GEOS's validation (and repair) and the equal-area area of each polygon
 * need no other region: after the level is read they run on every core,
 * each thread with its own GEOS context and PROJ transformation, a chunk
 * of regions at a time.  Their report rows are then put back where the
 * one-by-one reading wrote them (each after its feature's other rows), so
 * the report is the same whatever the number of cores. */
enum { GEOM_OK, GEOM_REPAIRED, GEOM_UNREPAIRABLE };

typedef struct geom_check {
    size_t mark;  /* the report's length once the feature's rows were in */
    char *reason; /* GEOS's, when not GEOM_OK */
    int status;
} geom_check;

typedef struct geom_pass {
    mg_level *level;
    geom_check *chk;
    atomic_size_t next; /* the next chunk's first region */
    atomic_int failed;  /* the first failure's MG_ERR_*, or MG_OK */
} geom_pass;

enum { GEOM_CHUNK = 32, GEOM_MAX_THREADS = 8 };

static int check_polygon(mg_geom *g, OGRCoordinateTransformationH to_area,
                         mg_region *r, geom_check *c)
{
    if (!r->wkb)
        return MG_OK;
    int repaired = 0;
    char reason[256];
    if (mg_geom_validate(g, &r->wkb, &r->wkb_size, &repaired, reason,
                         sizeof reason)) {
        free(r->wkb);
        r->wkb = NULL;
        r->wkb_size = 0;
        c->status = GEOM_UNREPAIRABLE;
    } else if (repaired) {
        c->status = GEOM_REPAIRED;
    }
    if (c->status != GEOM_OK && !(c->reason = strdup(reason)))
        return MG_ERR_NOMEM;
    if (r->wkb)
        mg_wkb_area_km2(r->wkb, r->wkb_size, to_area, &r->area_km2);
    return MG_OK;
}

/* One thread of the pass; the calling thread lends its transformation,
 * the others make their own. */
typedef struct geom_worker {
    geom_pass *p;
    OGRCoordinateTransformationH lent;
} geom_worker;

static void *geom_thread(void *arg)
{
    const geom_worker *w = arg;
    geom_pass *p = w->p;
    mg_geom g;
    OGRCoordinateTransformationH to_area = w->lent;
    int rc = mg_geom_init(&g) ? MG_ERR_DEPENDENCY : MG_OK;
    if (!rc && !to_area && !(to_area = mg_equal_area_transform()))
        rc = MG_ERR_DEPENDENCY;
    const size_t n = p->level->n;
    while (!rc && atomic_load(&p->failed) == MG_OK) {
        size_t i0 = atomic_fetch_add(&p->next, GEOM_CHUNK);
        if (i0 >= n)
            break;
        for (size_t i = i0; !rc && i < n && i < i0 + GEOM_CHUNK; i++)
            rc = mg_interrupted ? MG_ERR_INTERRUPTED
                                : check_polygon(&g, to_area,
                                                &p->level->regions[i],
                                                &p->chk[i]);
    }
    if (rc) {
        int ok = MG_OK;
        atomic_compare_exchange_strong(&p->failed, &ok, rc);
    }
    if (to_area && to_area != w->lent)
        OCTDestroyCoordinateTransformation(to_area);
    mg_geom_clear(&g);
    return NULL;
}

/* The validation's rows into the report, each after its feature's. */
static int put_back_rows(level_reader *lr, const geom_check *chk, size_t n)
{
    mg_report *rep = &lr->d->report, add = {0};
    const mg_level *level = &lr->d->levels[lr->li];
    int rc = MG_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        if (chk[i].status == GEOM_OK)
            continue;
        int fixed = chk[i].status == GEOM_REPAIRED;
        lr->d->n_repaired += (size_t)fixed;
        rc = mg_report_add(
            &add, lr->path, level->regions[i].fid, "geometry", chk[i].reason,
            fixed ? "invalid geometry"
                  : "invalid geometry that GEOS could not repair",
            fixed ? "repaired with GEOS MakeValid"
                  : "region kept without a polygon");
    }
    mg_report_row *rows =
        !rc && add.n ? malloc((rep->n + add.n) * sizeof *rows) : NULL;
    if (!rc && add.n && !rows)
        rc = MG_ERR_NOMEM;
    if (rc || !add.n) {
        mg_report_clear(&add);
        return rc;
    }
    size_t from = 0, out = 0, a = 0;
    for (size_t i = 0; i < n; i++) {
        if (chk[i].status == GEOM_OK)
            continue;
        while (from < chk[i].mark)
            rows[out++] = rep->rows[from++];
        rows[out++] = add.rows[a++];
    }
    while (from < rep->n)
        rows[out++] = rep->rows[from++];
    free(rep->rows);
    free(add.rows); /* its strings now belong to rows */
    rep->rows = rows;
    rep->n = rep->cap = out;
    return MG_OK;
}

/* Validates and measures every polygon of the level read, with the
 * caller's transformation to EPSG:6933 on its own thread. */
static int check_polygons(level_reader *lr, geom_check *chk,
                          OGRCoordinateTransformationH to_area)
{
    mg_level *level = &lr->d->levels[lr->li];
    geom_pass p = {.level = level, .chk = chk};
    atomic_init(&p.next, 0);
    atomic_init(&p.failed, MG_OK);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t want = (level->n + GEOM_CHUNK - 1) / GEOM_CHUNK;
    if (cores > GEOM_MAX_THREADS)
        cores = GEOM_MAX_THREADS;
    if (cores < 1)
        cores = 1;
    if (want > (size_t)cores)
        want = (size_t)cores;
    pthread_t t[GEOM_MAX_THREADS];
    geom_worker own = {&p, to_area}, other = {&p, NULL};
    size_t started = 0;
    /* the calling thread is one of them */
    while (started + 1 < want &&
           pthread_create(&t[started], NULL, geom_thread, &other) == 0)
        started++;
    geom_thread(&own);
    for (size_t k = 0; k < started; k++)
        pthread_join(t[k], NULL);
    int rc = atomic_load(&p.failed);
    return rc ? rc : put_back_rows(lr, chk, level->n);
}

/* The numeric input fields the project keeps; problems are reported. */
static int read_inputs(level_reader *lr, OGRFeatureH f, long fid, mg_region *r)
{
    size_t n = lr->spec->n_fields;
    if (n == 0)
        return MG_OK;
    if (!(r->inputs = malloc(n * sizeof *r->inputs)))
        return MG_ERR_NOMEM;
    int rc = MG_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        int kind = mg_field_number(f, lr->f_inputs[i],
                                   lr->spec->numbers.format, &r->inputs[i]);
        if (kind == MG_NUM_TEXT || kind == MG_NUM_INVALID) {
            char *text = mg_field_text(f, lr->f_inputs[i]);
            lr->n_bad[i]++;
            rc = mg_report_add(&lr->d->report, lr->path, fid,
                               lr->spec->fields[i], text,
                               "value is not a number", "kept as NULL");
            free(text);
        }
        if (kind != MG_NUM_OK && kind != MG_NUM_NEGATIVE)
            r->inputs[i] = NAN;
    }
    return rc;
}

static int read_region(level_reader *lr, OGRFeatureH f, mg_region *r,
                       int *keep)
{
    const mg_project *p = lr->d->project;
    long fid = (long)OGR_F_GetFID(f);
    char key[256];
    *keep = 0;
    int rc =
        mg_region_alloc_figures(r, p->model.n_groups, p->model.n_categories);
    if (rc)
        return rc;
    r->fid = fid;
    r->code = mg_field_text(f, lr->f_code);
    if (mg_code_normalise(r->code, key, sizeof key) < 0)
        return mg_report_add(&lr->d->report, lr->path, fid,
                             lr->spec->code_field, NULL, "blank region code",
                             "feature ignored: a region needs a code");
    r->key = strdup(key);
    r->name = mg_field_text(f, lr->f_name);
    if (!r->name)
        r->name = strdup(r->code);
    r->parent_code = mg_field_text(f, lr->f_parent);
    r->parent_name = mg_field_text(f, lr->f_parent_name);
    if (!r->key || !r->name)
        return MG_ERR_NOMEM;
    if (lr->f_parent >= 0 && !r->parent_code)
        rc = mg_report_add(
            &lr->d->report, lr->path, fid, lr->spec->parent_code_field, NULL,
            "blank parent code", "region not rolled up to the parent level");
    if (!rc)
        rc = read_inputs(lr, f, fid, r);
    if (!rc)
        rc = read_region_geometry(lr, f, fid, r);
    *keep = rc == MG_OK;
    return rc;
}

static int open_level(level_reader *lr, mg_error *err)
{
    const mg_level_spec *s = lr->spec;
    int rc = mg_vec_open(&lr->src, lr->path, s->layer, err);
    lr->f_name = lr->f_parent = lr->f_parent_name = -1;
    if (!rc)
        rc = mg_vec_code_field(&lr->src, s->code_field, "code_field",
                               &lr->f_code, err);
    if (!rc && s->name_field)
        rc = mg_vec_field(&lr->src, s->name_field, "name_field", &lr->f_name,
                          err);
    if (!rc && s->parent_code_field)
        rc = mg_vec_code_field(&lr->src, s->parent_code_field,
                               "parent_code_field", &lr->f_parent, err);
    if (!rc && s->parent_name_field)
        rc = mg_vec_field(&lr->src, s->parent_name_field, "parent_name_field",
                          &lr->f_parent_name, err);
    if (!rc && s->n_fields &&
        (!(lr->f_inputs = calloc(s->n_fields, sizeof *lr->f_inputs)) ||
         !(lr->n_bad = calloc(s->n_fields, sizeof *lr->n_bad))))
        rc = mg_error_set(err, MG_ERR_NOMEM, lr->path, -1, NULL,
                          "out of memory");
    for (size_t i = 0; !rc && i < s->n_fields; i++)
        rc = mg_vec_field(&lr->src, s->fields[i], "fields", &lr->f_inputs[i],
                          err);
    if (!rc)
        rc = mg_vec_to_wgs84(&lr->src, s->crs, "crs", &lr->to_wgs84, err);
    if (!rc)
        mg_vec_area_of_use(&lr->src, s->crs, &lr->area);
    return rc;
}

static int read_level(mg_dataset *d, size_t li, mg_error *err)
{
    level_reader lr = {.d = d,
                       .li = li,
                       .spec = &d->project->levels[li],
                       .path = d->level_paths[li]};
    mg_level *level = &d->levels[li];
    geom_check *chk = NULL;
    int rc = open_level(&lr, err);
    OGRCoordinateTransformationH to_area =
        rc ? NULL : mg_equal_area_transform();
    if (!rc && !to_area)
        rc =
            mg_error_set(err, MG_ERR_DEPENDENCY, lr.path, -1, NULL,
                         "PROJ cannot set up EPSG:6933: %s", mg_gdal_reason());
    GIntBig total = rc ? 0 : OGR_L_GetFeatureCount(lr.src.layer, 1);
    if (!rc && total <= 0)
        rc = mg_error_set(err, MG_ERR_INPUT, lr.path, -1, "path",
                          "layer '%s' is empty: a boundary level needs at "
                          "least one feature",
                          OGR_L_GetName(lr.src.layer));
    if (!rc && total > 0) {
        level->regions = calloc((size_t)total, sizeof *level->regions);
        chk = calloc((size_t)total, sizeof *chk);
        if (!level->regions || !chk)
            rc = mg_error_set(err, MG_ERR_NOMEM, lr.path, -1, NULL,
                              "out of memory");
    }
    OGRFeatureH f;
    if (!rc)
        OGR_L_ResetReading(lr.src.layer);
    while (!rc && level->n < (size_t)total &&
           (f = OGR_L_GetNextFeature(lr.src.layer)) != NULL) {
        int keep = 0;
        mg_region *r = &level->regions[level->n];
        rc = read_region(&lr, f, r, &keep);
        OGR_F_Destroy(f);
        if (keep)
            chk[level->n++].mark = d->report.n;
        else
            region_clear(r);
        if (!rc && mg_interrupted)
            rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                              "interrupted");
    }
    if (!rc) {
        rc = check_polygons(&lr, chk, to_area);
        if (rc == MG_ERR_INTERRUPTED)
            mg_error_set(err, rc, NULL, -1, NULL, "interrupted");
        else if (rc == MG_ERR_DEPENDENCY)
            mg_error_set(err, rc, lr.path, -1, NULL,
                         "cannot initialise GEOS or PROJ's EPSG:6933 on a "
                         "thread: %s",
                         mg_gdal_reason());
    }
    for (size_t i = 0; !rc && i < lr.spec->n_fields; i++)
        rc = mg_column_check(&d->report, lr.path, lr.spec->fields[i], "fields",
                             &lr.spec->numbers, level->n, lr.n_bad[i], err);
    if (rc == MG_ERR_NOMEM)
        mg_error_set(err, rc, lr.path, -1, NULL, "out of memory");
    if (lr.to_wgs84)
        OCTDestroyCoordinateTransformation(lr.to_wgs84);
    if (to_area)
        OCTDestroyCoordinateTransformation(to_area);
    for (size_t i = 0; chk && i < level->n; i++)
        free(chk[i].reason);
    free(chk);
    free(lr.f_inputs);
    free(lr.n_bad);
    mg_vec_close(&lr.src);
    return rc;
}

int read_levels(mg_dataset *d, mg_error *err)
{
    const mg_project *p = d->project;
    for (size_t i = 0; i < p->n_levels; i++) {
        d->levels[i].level = strdup(p->levels[i].level);
        if (!d->levels[i].level)
            return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                                "out of memory");
        /* A level without a file of its own is built from its children's
         * parent codes when they are joined. */
        d->levels[i].inputs = p->levels[i].fields;
        d->levels[i].n_inputs = p->levels[i].n_fields;
        if (!p->levels[i].path)
            continue;
        int rc = read_level(d, i, err);
        if (rc)
            return rc;
    }
    return MG_OK;
}
