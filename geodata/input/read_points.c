/* Reading the providers register and the recipient table. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct provider_reader {
    mg_dataset *d;
    const mg_provider_spec *spec;
    const char *path;
    mg_vec_source src;
    int f_lon, f_lat, f_cat, f_cap, f_name, f_code, f_parent;
    OGRCoordinateTransformationH to_wgs84;
    mg_area_of_use area; /* of the declared CRS, when projected */
} provider_reader;

static int category_index(const mg_project *p, const char *raw)
{
    const mg_provider_spec *s = &p->providers;
    const char *name = raw;
    if (s->n_map) {
        name = NULL;
        for (size_t i = 0; i < s->n_map && !name; i++)
            if (strcmp(s->map_from[i], raw) == 0)
                name = s->map_to[i];
    }
    for (size_t c = 0; name && c < p->model.n_categories; c++)
        if (strcmp(p->model.categories[c], name) == 0)
            return (int)c;
    return -1;
}

static int read_category(provider_reader *pr, mg_provider *v)
{
    v->category = -1;
    if (!v->category_raw)
        return mg_report_add(&pr->d->report, pr->path, v->fid,
                             pr->spec->category_field, NULL, "blank category",
                             "provider kept, excluded from supply");
    v->category = category_index(pr->d->project, v->category_raw);
    if (v->category >= 0)
        return MG_OK;
    return mg_report_add(&pr->d->report, pr->path, v->fid,
                         pr->spec->category_field, v->category_raw,
                         "category not in the model",
                         "provider kept, excluded from supply");
}

static int read_capacity(provider_reader *pr, mg_provider *v)
{
    const mg_provider_spec *s = pr->spec;
    if (pr->f_cap < 0) {
        v->capacity = 1; /* no capacity field: each provider counts once */
        return MG_OK;
    }
    double x;
    int kind = mg_number_parse_as(v->capacity_raw, s->numbers.format, &x);
    char action[128];
    snprintf(action, sizeof action, "counted with capacity %g",
             s->missing_capacity);
    v->capacity = s->missing_capacity;
    switch (kind) {
    case MG_NUM_OK:
        v->capacity = x;
        return MG_OK;
    case MG_NUM_TEXT:
        v->capacity = x;
        return mg_report_add(&pr->d->report, pr->path, v->fid,
                             s->capacity_field, v->capacity_raw,
                             "capacity written as free text",
                             "read as its leading number");
    case MG_NUM_BLANK:
        return mg_report_add(&pr->d->report, pr->path, v->fid,
                             s->capacity_field, NULL, "blank capacity",
                             action);
    case MG_NUM_NEGATIVE:
        return mg_report_add(&pr->d->report, pr->path, v->fid,
                             s->capacity_field, v->capacity_raw,
                             "negative capacity", action);
    default:
        return mg_report_add(&pr->d->report, pr->path, v->fid,
                             s->capacity_field, v->capacity_raw,
                             "capacity is not a number", action);
    }
}

/* Location from lon/lat columns or from the point geometry. */
static int read_location(provider_reader *pr, OGRFeatureH f, mg_provider *v)
{
    mg_report *rep = &pr->d->report;
    const char *field = pr->f_lon >= 0 ? pr->spec->lon_field : "geometry";
    double x = NAN, y = NAN;
    if (pr->f_lon >= 0) {
        char *sx = mg_field_text(f, pr->f_lon),
             *sy = mg_field_text(f, pr->f_lat);
        int fmt = pr->spec->numbers.format;
        int kx = mg_field_number(f, pr->f_lon, fmt, &x),
            ky = mg_field_number(f, pr->f_lat, fmt, &y);
        int bad = !((kx == MG_NUM_OK || kx == MG_NUM_NEGATIVE) &&
                    (ky == MG_NUM_OK || ky == MG_NUM_NEGATIVE));
        int rc = bad ? mg_report_addf(rep, pr->path, v->fid, field,
                                      "blank or non-numeric coordinates",
                                      "provider kept without a location",
                                      "%s %s", sx ? sx : "", sy ? sy : "")
                     : MG_OK;
        free(sx);
        free(sy);
        if (bad)
            return rc;
    } else {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (!g || OGR_G_IsEmpty(g))
            return mg_report_add(rep, pr->path, v->fid, field, NULL,
                                 "no geometry",
                                 "provider kept without a location");
        if (wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint) {
            OGRGeometryH c = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_Centroid(g, c);
            x = OGR_G_GetX(c, 0);
            y = OGR_G_GetY(c, 0);
            OGR_G_DestroyGeometry(c);
            int rc = mg_report_add(rep, pr->path, v->fid, field,
                                   OGR_G_GetGeometryName(g), "not a point",
                                   "placed at its centroid");
            if (rc)
                return rc;
        } else {
            x = OGR_G_GetX(g, 0);
            y = OGR_G_GetY(g, 0);
        }
    }
    if (pr->to_wgs84 && !OCTTransform(pr->to_wgs84, 1, &x, &y, NULL))
        return mg_report_addf(
            rep, pr->path, v->fid, field, "cannot be transformed to WGS 84",
            "provider kept without a location", "%.8g %.8g", x, y);
    if (!(fabs(x) <= 180 && fabs(y) <= 90))
        return mg_report_addf(rep, pr->path, v->fid, field,
                              "coordinates outside -180..180, -90..90",
                              "provider kept without a location", "%.8g %.8g",
                              x, y);
    int outside = 0;
    int rc = mg_point_check_area(&pr->area, x, y, rep, pr->path, v->fid, field,
                                 "provider kept without a location", &outside);
    if (rc || outside)
        return rc;
    v->lon = x;
    v->lat = y;
    return MG_OK;
}

static int read_provider(provider_reader *pr, OGRFeatureH f, mg_provider *v)
{
    v->fid = (long)OGR_F_GetFID(f);
    v->lon = v->lat = NAN;
    v->access_ratio = NAN;
    v->region = -1;
    v->placement = "none";
    v->name = mg_field_text(f, pr->f_name);
    v->category_raw = mg_field_text(f, pr->f_cat);
    v->capacity_raw = mg_field_text(f, pr->f_cap);
    v->region_code_raw = mg_field_text(f, pr->f_code);
    v->parent_name = mg_field_text(f, pr->f_parent);
    int rc = read_category(pr, v);
    if (!rc)
        rc = read_capacity(pr, v);
    if (!rc)
        rc = read_location(pr, f, v);
    return rc;
}

static int open_providers(provider_reader *pr, mg_error *err)
{
    const mg_provider_spec *s = pr->spec;
    struct {
        const char *name, *key;
        int *index;
    } fields[] = {
        {s->lon_field, "lon_field", &pr->f_lon},
        {s->lat_field, "lat_field", &pr->f_lat},
        {s->category_field, "category_field", &pr->f_cat},
        {s->capacity_field, "capacity_field", &pr->f_cap},
        {s->name_field, "name_field", &pr->f_name},
        {s->region_code_field, "region_code_field", &pr->f_code},
        {s->parent_name_field, "parent_name_field", &pr->f_parent},
    };
    int rc = mg_vec_open(&pr->src, pr->path, s->layer, err);
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        *fields[i].index = -1;
        char key[64];
        snprintf(key, sizeof key, "providers.%s", fields[i].key);
        /* The region code, like every code, must be a scalar. */
        int code = fields[i].index == &pr->f_code;
        if (!rc && fields[i].name)
            rc = (code ? mg_vec_code_field : mg_vec_field)(
                &pr->src, fields[i].name, key, fields[i].index, err);
    }
    if (rc)
        return rc;
    /* Lon/lat columns are WGS 84 unless the project says otherwise. */
    mg_vec_source none = {.path = pr->path};
    const mg_vec_source *from = pr->f_lon < 0 && !s->crs ? &pr->src : &none;
    const char *crs = from == &none && !s->crs ? "EPSG:4326" : s->crs;
    rc = mg_vec_to_wgs84(from, crs, "providers.crs", &pr->to_wgs84, err);
    if (!rc)
        mg_vec_area_of_use(from, crs, &pr->area);
    return rc;
}

int read_providers(mg_dataset *d, mg_error *err)
{
    provider_reader pr = {
        .d = d, .spec = &d->project->providers, .path = d->providers_path};
    int rc = open_providers(&pr, err);
    GIntBig total = rc ? 0 : OGR_L_GetFeatureCount(pr.src.layer, 1);
    if (!rc && total > 0 &&
        !(d->providers = calloc((size_t)total, sizeof *d->providers)))
        rc = MG_ERR_NOMEM;
    OGRFeatureH f;
    if (!rc)
        OGR_L_ResetReading(pr.src.layer);
    while (!rc && d->n_providers < (size_t)total &&
           (f = OGR_L_GetNextFeature(pr.src.layer)) != NULL) {
        rc = read_provider(&pr, f, &d->providers[d->n_providers++]);
        OGR_F_Destroy(f);
        if (!rc && mg_interrupted)
            rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                              "interrupted");
    }
    if (rc == MG_ERR_NOMEM)
        mg_error_set(err, rc, pr.path, -1, NULL, "out of memory");
    if (pr.to_wgs84)
        OCTDestroyCoordinateTransformation(pr.to_wgs84);
    mg_vec_close(&pr.src);
    return rc;
}

/* Parses one count; problems are reported and leave NAN.  *bad counts
 * the values that are there but are not numbers. */
static int read_count(mg_dataset *d, OGRFeatureH f, int index,
                      const char *field, long fid, double *out, size_t *bad)
{
    int kind =
        mg_field_number(f, index, d->project->recipients.numbers.format, out);
    if (kind == MG_NUM_OK)
        return MG_OK;
    *out = NAN;
    if (kind == MG_NUM_BLANK)
        return mg_report_add(&d->report, d->recipients_path, fid, field, NULL,
                             "blank count", "counted as 0");
    char *text = mg_field_text(f, index);
    int rc;
    if (kind == MG_NUM_NEGATIVE) {
        rc = mg_report_add(&d->report, d->recipients_path, fid, field, text,
                           "negative count", "counted as 0");
    } else {
        (*bad)++;
        rc = mg_report_add(&d->report, d->recipients_path, fid, field, text,
                           "count is not a number", "counted as 0");
    }
    free(text);
    return rc;
}

/* bad[g] for group g, bad[n_groups] for the population column. */
static int read_recipient_row(mg_dataset *d, OGRFeatureH f, const int *fi,
                              int f_code, int f_pop, mg_recipient_row *row,
                              size_t *bad)
{
    const mg_project *p = d->project;
    const mg_recipient_spec *s = &p->recipients;
    char key[256];
    row->fid = (long)OGR_F_GetFID(f);
    row->population = NAN;
    row->code = mg_field_text(f, f_code);
    if (mg_code_normalise(row->code, key, sizeof key) < 0)
        return mg_report_add(&d->report, d->recipients_path, row->fid,
                             s->code_field, NULL, "blank region code",
                             "row ignored");
    row->key = strdup(key);
    row->counts = malloc(p->model.n_groups * sizeof *row->counts);
    if (!row->key || !row->counts)
        return MG_ERR_NOMEM;
    int rc = MG_OK;
    for (size_t g = 0; !rc && g < p->model.n_groups; g++)
        rc = read_count(d, f, fi[g], s->group_fields[g], row->fid,
                        &row->counts[g], &bad[g]);
    if (!rc && f_pop >= 0)
        rc = read_count(d, f, f_pop, s->population_field, row->fid,
                        &row->population, &bad[p->model.n_groups]);
    return rc;
}

/* The summary (and the stop) of columns that mostly cannot be read. */
static int check_count_columns(mg_dataset *d, const size_t *bad, mg_error *err)
{
    const mg_project *p = d->project;
    const mg_recipient_spec *s = &p->recipients;
    size_t n = d->n_recipients;
    int rc = MG_OK;
    for (size_t g = 0; !rc && g <= p->model.n_groups; g++) {
        const char *field =
            g < p->model.n_groups ? s->group_fields[g] : s->population_field;
        if (field)
            rc = mg_column_check(&d->report, d->recipients_path, field,
                                 g < p->model.n_groups
                                     ? "recipients.group_fields"
                                     : "recipients.population_field",
                                 &s->numbers, n, bad[g], err);
    }
    if (rc == MG_ERR_NOMEM)
        mg_error_set(err, rc, d->recipients_path, -1, NULL, "out of memory");
    return rc;
}

int read_recipients(mg_dataset *d, mg_error *err)
{
    const mg_project *p = d->project;
    const mg_recipient_spec *s = &p->recipients;
    mg_vec_source src = {0};
    int f_code = -1, f_pop = -1;
    int *fi = calloc(p->model.n_groups, sizeof *fi);
    size_t *bad = calloc(p->model.n_groups + 1, sizeof *bad);
    int rc = fi && bad ? mg_vec_open(&src, d->recipients_path, s->layer, err)
                       : MG_ERR_NOMEM;
    if (!rc)
        rc = mg_vec_code_field(&src, s->code_field, "recipients.code_field",
                               &f_code, err);
    if (!rc && s->population_field)
        rc = mg_vec_field(&src, s->population_field,
                          "recipients.population_field", &f_pop, err);
    for (size_t g = 0; !rc && g < p->model.n_groups; g++)
        rc = mg_vec_field(&src, s->group_fields[g], "recipients.group_fields",
                          &fi[g], err);
    GIntBig total = rc ? 0 : OGR_L_GetFeatureCount(src.layer, 1);
    if (!rc && total > 0 &&
        !(d->recipients = calloc((size_t)total, sizeof *d->recipients)))
        rc = MG_ERR_NOMEM;
    OGRFeatureH f;
    while (!rc && d->n_recipients < (size_t)total &&
           (f = OGR_L_GetNextFeature(src.layer)) != NULL) {
        rc = read_recipient_row(d, f, fi, f_code, f_pop,
                                &d->recipients[d->n_recipients++], bad);
        OGR_F_Destroy(f);
    }
    if (rc == MG_ERR_NOMEM)
        mg_error_set(err, rc, d->recipients_path, -1, NULL, "out of memory");
    else if (!rc)
        rc = check_count_columns(d, bad, err);
    mg_vec_close(&src);
    free(fi);
    free(bad);
    return rc;
}
