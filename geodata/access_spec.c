/* The project file's "access" and "siting" objects, checked key by key
 * with the same rules as the rest of the project file: unknown keys are
 * errors and every error names its JSON path. */
#include "geodata/access_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct spec_ctx {
    const char *file;
    mg_error *err;
    const mg_model_spec *model;
} spec_ctx;

static int fail(spec_ctx *c, const char *jpath, const char *fmt,
                const char *a)
{
    char msg[768];
    snprintf(msg, sizeof msg, fmt, a ? a : "");
    return mg_error_set(c->err, MG_ERR_PROJECT, c->file, -1, jpath, "%s",
                        msg);
}

static int nomem(spec_ctx *c)
{
    return mg_error_set(c->err, MG_ERR_NOMEM, c->file, -1, NULL,
                        "out of memory");
}

static int check_keys(spec_ctx *c, json_t *obj, const char *jpath,
                      const char *const *allowed)
{
    return spec_check_keys(c->file, c->err, obj, jpath, allowed);
}

static void sub_path(char *out, size_t n, const char *jpath, const char *key)
{
    snprintf(out, n, "%s%s%s", jpath, *jpath ? "." : "", key);
}

static int get_str(spec_ctx *c, json_t *obj, const char *jpath,
                   const char *key, int required, char **out)
{
    return spec_get_str(c->file, c->err, obj, jpath, key, required, out);
}

/* obj[key] as a number > 0 (or >= 0 with zero_ok); NAN when absent. */
static int get_num(spec_ctx *c, json_t *obj, const char *jpath,
                   const char *key, int zero_ok, double *out)
{
    char path[256];
    sub_path(path, sizeof path, jpath, key);
    json_t *v = json_object_get(obj, key);
    *out = NAN;
    if (!v || json_is_null(v))
        return MG_OK;
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    if (!(zero_ok ? x >= 0 : x > 0) || !isfinite(x))
        return fail(c, path, zero_ok ? "'%s' must be a number >= 0"
                                     : "'%s' must be a number > 0", key);
    *out = x;
    return MG_OK;
}

static json_t *get_obj(spec_ctx *c, json_t *obj, const char *jpath,
                       const char *key, int *rc)
{
    char path[256];
    sub_path(path, sizeof path, jpath, key);
    json_t *v = json_object_get(obj, key);
    *rc = MG_OK;
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_object(v)) {
        *rc = fail(c, path, "'%s' must be an object", key);
        return NULL;
    }
    return v;
}

static int category_index(const mg_model_spec *m, const char *name)
{
    for (size_t i = 0; i < m->n_categories; i++)
        if (strcmp(m->categories[i], name) == 0)
            return (int)i;
    return -1;
}

/* ---- decay -------------------------------------------------------------- */

static int copy_decay(mg_access_decay *to, const mg_access_decay *from)
{
    *to = *from;
    to->band_upper = to->band_weight = NULL;
    if (!from->n_bands)
        return MG_OK;
    to->band_upper = malloc(from->n_bands * sizeof *to->band_upper);
    to->band_weight = malloc(from->n_bands * sizeof *to->band_weight);
    if (!to->band_upper || !to->band_weight)
        return MG_ERR_NOMEM;
    memcpy(to->band_upper, from->band_upper,
           from->n_bands * sizeof *to->band_upper);
    memcpy(to->band_weight, from->band_weight,
           from->n_bands * sizeof *to->band_weight);
    return MG_OK;
}

static void clear_decay(mg_access_decay *k)
{
    free(k->band_upper);
    free(k->band_weight);
    k->band_upper = k->band_weight = NULL;
    k->n_bands = 0;
}

static int parse_method(spec_ctx *c, json_t *o, const char *jpath,
                        mg_access_decay *k)
{
    static const char *const names[] = {"2sfca", "e2sfca", "gaussian"};
    char path[256];
    sub_path(path, sizeof path, jpath, "method");
    json_t *v = json_object_get(o, "method");
    if (!v || json_is_null(v))
        return MG_OK;
    for (int i = 0; json_is_string(v) && i < 3; i++)
        if (strcmp(json_string_value(v), names[i]) == 0) {
            k->method = (mg_access_method)i;
            return MG_OK;
        }
    return fail(c, path, "'method' must be one of: 2sfca, e2sfca, "
                "gaussian", NULL);
}

/* "bands": [{"to": 10, "weight": 1}, ...], bounds increasing. */
static int parse_bands(spec_ctx *c, json_t *b, const char *jpath,
                       mg_access_decay *k)
{
    static const char *const keys[] = {"to", "weight", NULL};
    char path[256], item[288];
    sub_path(path, sizeof path, jpath, "bands");
    if (!json_is_array(b) || json_array_size(b) == 0)
        return fail(c, path, "'bands' must be a non-empty array of "
                    "{\"to\": distance, \"weight\": w}", NULL);
    clear_decay(k);
    size_t n = json_array_size(b);
    k->band_upper = calloc(n, sizeof *k->band_upper);
    k->band_weight = calloc(n, sizeof *k->band_weight);
    if (!k->band_upper || !k->band_weight)
        return nomem(c);
    for (size_t r = 0; r < n; r++) {
        json_t *o = json_array_get(b, r);
        snprintf(item, sizeof item, "%s[%zu]", path, r);
        if (!json_is_object(o))
            return fail(c, item, "each band must be an object", NULL);
        int rc = check_keys(c, o, item, keys);
        if (!rc) rc = get_num(c, o, item, "to", 0, &k->band_upper[r]);
        if (!rc) rc = get_num(c, o, item, "weight", 1, &k->band_weight[r]);
        if (rc)
            return rc;
        if (isnan(k->band_upper[r]) || isnan(k->band_weight[r]))
            return fail(c, item, "a band needs 'to' and 'weight'", NULL);
        if (r > 0 && !(k->band_upper[r] > k->band_upper[r - 1]))
            return fail(c, item, "band bounds must increase", NULL);
        k->n_bands = r + 1;
    }
    return MG_OK;
}

/* Applies the decay keys of o over k (inherited from the level above). */
static int parse_decay(spec_ctx *c, json_t *o, const char *jpath,
                       mg_access_decay *k)
{
    double catchment;
    int rc = parse_method(c, o, jpath, k);
    if (!rc) rc = get_num(c, o, jpath, "catchment", 0, &catchment);
    if (rc)
        return rc;
    /* Bands inherited from the access object do not outlive a change of
     * method in by_category. */
    if (json_object_get(o, "method") && !json_object_get(o, "bands") &&
        k->method != MG_ACCESS_E2SFCA)
        clear_decay(k);
    if (!isnan(catchment))
        k->catchment = catchment;
    json_t *b = json_object_get(o, "bands");
    if (b && !json_is_null(b))
        rc = parse_bands(c, b, jpath, k);
    if (rc || k->method != MG_ACCESS_E2SFCA)
        return rc;
    if (k->n_bands == 0)
        return fail(c, jpath, "method 'e2sfca' needs 'bands'", NULL);
    /* The bands define the catchment; a different one is a mistake. */
    if (!isnan(catchment) && catchment != k->band_upper[k->n_bands - 1])
        return fail(c, jpath, "'catchment' must equal the last band's 'to' "
                    "(or be left out)", NULL);
    k->catchment = k->band_upper[k->n_bands - 1];
    return MG_OK;
}

static int check_decay(spec_ctx *c, const mg_access_decay *k,
                       const char *jpath)
{
    if (k->method != MG_ACCESS_E2SFCA && k->n_bands)
        return fail(c, jpath, "'bands' go with method 'e2sfca' only",
                    NULL);
    if (!(k->catchment > 0))
        return fail(c, jpath, "required key 'catchment' is missing", NULL);
    return MG_OK;
}

/* ---- access ------------------------------------------------------------- */

static int parse_demand(spec_ctx *c, json_t *a, mg_demand_spec *s)
{
    static const char *const keys[] = {"path", "layer", "crs",
        "population_field", "region_code_field", NULL};
    const char *jp = "access.demand";
    int rc;
    json_t *o = get_obj(c, a, "access", "demand", &rc);
    if (rc || !o)
        return rc;
    rc = check_keys(c, o, jp, keys);
    if (!rc) rc = get_str(c, o, jp, "path", 1, &s->path);
    if (!rc) rc = get_str(c, o, jp, "layer", 0, &s->layer);
    if (!rc) rc = get_str(c, o, jp, "crs", 0, &s->crs);
    if (!rc) rc = get_str(c, o, jp, "population_field", 1,
                          &s->population_field);
    if (!rc) rc = get_str(c, o, jp, "region_code_field", 0,
                          &s->region_code_field);
    return rc;
}

/* "distances": a table with a region column, another id and a cost. */
static int parse_matrix(spec_ctx *c, json_t *parent, const char *jpath,
                        const char *other_key, mg_matrix_spec *s)
{
    const char *const keys[] = {"path", "layer", "region_field", other_key,
                                "cost_field", NULL};
    char jp[256];
    int rc;
    json_t *o = get_obj(c, parent, jpath, "distances", &rc);
    if (rc || !o)
        return rc;
    sub_path(jp, sizeof jp, jpath, "distances");
    rc = check_keys(c, o, jp, keys);
    if (!rc) rc = get_str(c, o, jp, "path", 1, &s->path);
    if (!rc) rc = get_str(c, o, jp, "layer", 0, &s->layer);
    if (!rc) rc = get_str(c, o, jp, "region_field", 1, &s->region_field);
    if (!rc) rc = get_str(c, o, jp, other_key, 1, &s->other_field);
    if (!rc) rc = get_str(c, o, jp, "cost_field", 1, &s->cost_field);
    return rc;
}

/* "categories": which to compute (default all). */
static int parse_enabled(spec_ctx *c, json_t *a, mg_access_spec *s)
{
    json_t *list = json_object_get(a, "categories");
    const char *jp = "access.categories";
    for (size_t i = 0; i < s->n_categories; i++)
        s->enabled[i] = !list || json_is_null(list);
    if (!list || json_is_null(list))
        return MG_OK;
    if (!json_is_array(list) || json_array_size(list) == 0)
        return fail(c, jp, "must be a non-empty array of model "
                    "categories", NULL);
    for (size_t k = 0; k < json_array_size(list); k++) {
        json_t *v = json_array_get(list, k);
        int ci = json_is_string(v)
                     ? category_index(c->model, json_string_value(v)) : -1;
        if (ci < 0)
            return fail(c, jp, "'%s' is not one of model.categories",
                        json_is_string(v) ? json_string_value(v) : "?");
        s->enabled[ci] = 1;
    }
    return MG_OK;
}

/* The decay of each category: the access object's, then by_category. */
static int parse_category_decays(spec_ctx *c, json_t *a,
                                 const mg_access_decay *base,
                                 mg_access_spec *s)
{
    int rc;
    json_t *by = get_obj(c, a, "access", "by_category", &rc);
    const char *name;
    json_t *o;
    if (!rc && by)
        json_object_foreach(by, name, o) {
            char jp[256];
            snprintf(jp, sizeof jp, "access.by_category.%s", name);
            int ci = category_index(c->model, name);
            if (ci < 0 || !s->enabled[ci])
                return fail(c, jp, "'%s' is not a category that access "
                            "computes", name);
            if (!json_is_object(o))
                return fail(c, jp, "must be an object", NULL);
        }
    for (size_t i = 0; !rc && i < s->n_categories; i++) {
        if (copy_decay(&s->decay[i], base))
            return nomem(c);
        if (!s->enabled[i])
            continue;
        o = by ? json_object_get(by, c->model->categories[i]) : NULL;
        char jp[256];
        snprintf(jp, sizeof jp, o ? "access.by_category.%s" : "access",
                 c->model->categories[i]);
        static const char *const keys[] = {"method", "catchment", "bands",
                                           NULL};
        if (o) rc = check_keys(c, o, jp, keys);
        if (!rc && o) rc = parse_decay(c, o, jp, &s->decay[i]);
        if (!rc) rc = check_decay(c, &s->decay[i], jp);
    }
    return rc;
}

static int parse_access(spec_ctx *c, json_t *a, mg_access_spec **out)
{
    static const char *const keys[] = {"method", "catchment", "bands",
        "categories", "by_category", "demand", "distances", NULL};
    if (!json_is_object(a))
        return fail(c, "access", "'access' must be an object", NULL);
    mg_access_spec *s = calloc(1, sizeof *s);
    mg_access_decay base = {MG_ACCESS_2SFCA, NAN, NULL, NULL, 0};
    size_t n = c->model->n_categories;
    int rc = s ? MG_OK : nomem(c);
    if (!rc) {
        s->n_categories = n;
        s->enabled = calloc(n ? n : 1, sizeof *s->enabled);
        s->decay = calloc(n ? n : 1, sizeof *s->decay);
        if (!s->enabled || !s->decay)
            rc = nomem(c);
    }
    if (!rc) rc = check_keys(c, a, "access", keys);
    if (!rc) rc = parse_decay(c, a, "access", &base);
    if (!rc) rc = parse_enabled(c, a, s);
    if (!rc) rc = parse_category_decays(c, a, &base, s);
    if (!rc) rc = parse_demand(c, a, &s->demand);
    if (!rc) rc = parse_matrix(c, a, "access", "provider_field",
                               &s->distances);
    clear_decay(&base);
    if (rc) {
        mg_access_spec_free(s);
        return rc;
    }
    *out = s;
    return MG_OK;
}

/* ---- siting ------------------------------------------------------------- */

static int parse_candidates(spec_ctx *c, json_t *run, const char *jpath,
                            mg_candidate_spec *s)
{
    static const char *const keys[] = {"path", "layer", "crs", "lon_field",
        "lat_field", "id_field", "name_field", NULL};
    char jp[256];
    int rc;
    json_t *o = get_obj(c, run, jpath, "candidates", &rc);
    if (rc || !o)
        return rc;
    sub_path(jp, sizeof jp, jpath, "candidates");
    rc = check_keys(c, o, jp, keys);
    if (!rc) rc = get_str(c, o, jp, "path", 1, &s->path);
    if (!rc) rc = get_str(c, o, jp, "layer", 0, &s->layer);
    if (!rc) rc = get_str(c, o, jp, "crs", 0, &s->crs);
    if (!rc) rc = get_str(c, o, jp, "lon_field", 0, &s->lon_field);
    if (!rc) rc = get_str(c, o, jp, "lat_field", 0, &s->lat_field);
    if (!rc) rc = get_str(c, o, jp, "id_field", 0, &s->id_field);
    if (!rc) rc = get_str(c, o, jp, "name_field", 0, &s->name_field);
    if (!rc && !s->lon_field != !s->lat_field)
        rc = fail(c, jp, "'lon_field' and 'lat_field' go together: give "
                  "both or neither", NULL);
    return rc;
}

static int method_bit(const json_t *v)
{
    if (!json_is_string(v))
        return 0;
    if (strcmp(json_string_value(v), "mclp") == 0)
        return MG_SITING_MCLP;
    return strcmp(json_string_value(v), "pmedian") == 0 ? MG_SITING_MEDIAN
                                                         : 0;
}

/* "method": "mclp", "pmedian" or an array of them. */
static int parse_methods(spec_ctx *c, json_t *run, const char *jpath,
                         mg_siting_run *r)
{
    char jp[256];
    sub_path(jp, sizeof jp, jpath, "method");
    json_t *v = json_object_get(run, "method");
    r->methods = MG_SITING_MCLP;
    if (!v || json_is_null(v))
        return MG_OK;
    r->methods = method_bit(v);
    for (size_t i = 0; json_is_array(v) && i < json_array_size(v); i++) {
        int bit = method_bit(json_array_get(v, i));
        r->methods |= bit ? bit : 4;
    }
    if (r->methods == 0 || r->methods > 3)
        return fail(c, jp, "'method' must be \"mclp\", \"pmedian\" or an "
                    "array of them", NULL);
    return MG_OK;
}

static int parse_run_numbers(spec_ctx *c, json_t *o, const char *jp,
                             mg_siting_run *r)
{
    char path[256];
    json_t *k = json_object_get(o, "count");
    sub_path(path, sizeof path, jp, "count");
    if (!k || json_is_null(k))
        return fail(c, path, "required key 'count' is missing", NULL);
    if (!json_is_integer(k) || json_integer_value(k) < 1 ||
        json_integer_value(k) > 100000)
        return fail(c, path, "'count' must be a whole number from 1 to "
                    "100000", NULL);
    r->count = (size_t)json_integer_value(k);
    int rc = get_num(c, o, jp, "capacity", 1, &r->capacity);
    if (!rc) rc = get_num(c, o, jp, "radius", 0, &r->radius);
    if (!rc && (r->methods & MG_SITING_MCLP) && isnan(r->radius))
        rc = fail(c, jp, "method 'mclp' needs 'radius'", NULL);
    return rc;
}

static int parse_need(spec_ctx *c, json_t *o, const char *jp,
                      mg_siting_run *r)
{
    char path[256];
    sub_path(path, sizeof path, jp, "need");
    json_t *v = json_object_get(o, "need");
    r->need = MG_SITING_NEED_AUTO;
    if (!v || json_is_null(v))
        return MG_OK;
    if (json_is_string(v) && strcmp(json_string_value(v), "gap") == 0)
        r->need = MG_SITING_NEED_GAP;
    else if (json_is_string(v) &&
             strcmp(json_string_value(v), "access_gap") == 0)
        r->need = MG_SITING_NEED_ACCESS_GAP;
    else
        return fail(c, path, "'need' must be \"gap\" or \"access_gap\"",
                    NULL);
    return MG_OK;
}

static int parse_run(spec_ctx *c, json_t *o, const char *jp,
                     mg_siting_run *r)
{
    static const char *const keys[] = {"category", "count", "capacity",
        "radius", "method", "need", "candidates", "distances", NULL};
    char *cat = NULL;
    if (!json_is_object(o))
        return fail(c, jp, "each siting run must be an object", NULL);
    int rc = check_keys(c, o, jp, keys);
    if (!rc) rc = get_str(c, o, jp, "category", 1, &cat);
    if (!rc && (r->category = category_index(c->model, cat)) < 0) {
        char path[256];
        sub_path(path, sizeof path, jp, "category");
        rc = fail(c, path, "'%s' is not one of model.categories", cat);
    }
    free(cat);
    if (!rc) rc = parse_methods(c, o, jp, r);
    if (!rc) rc = parse_run_numbers(c, o, jp, r);
    if (!rc) rc = parse_need(c, o, jp, r);
    if (!rc) rc = parse_candidates(c, o, jp, &r->candidates);
    if (!rc) rc = parse_matrix(c, o, jp, "candidate_field", &r->distances);
    return rc;
}

static int parse_siting(spec_ctx *c, json_t *v, mg_siting_spec **out)
{
    if (!json_is_object(v) && !(json_is_array(v) && json_array_size(v)))
        return fail(c, "siting", "'siting' must be an object or a non-empty "
                    "array of objects", NULL);
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    mg_siting_spec *s = calloc(1, sizeof *s);
    int rc = s && (s->runs = calloc(n, sizeof *s->runs)) ? MG_OK : nomem(c);
    for (size_t i = 0; !rc && i < n; i++) {
        char jp[64];
        snprintf(jp, sizeof jp, json_is_array(v) ? "siting[%zu]" : "siting",
                 i);
        s->n = i + 1;
        rc = parse_run(c, json_is_array(v) ? json_array_get(v, i) : v, jp,
                       &s->runs[i]);
    }
    if (rc) {
        mg_siting_spec_free(s);
        return rc;
    }
    *out = s;
    return MG_OK;
}

/* "need": "access_gap" needs the access stage to compute that category. */
static int check_siting_need(spec_ctx *c, const mg_project *p)
{
    for (size_t i = 0; p->siting && i < p->siting->n; i++) {
        const mg_siting_run *r = &p->siting->runs[i];
        if (r->need != MG_SITING_NEED_ACCESS_GAP ||
            (p->access && p->access->enabled[r->category]))
            continue;
        char jp[64];
        snprintf(jp, sizeof jp, p->siting->n > 1 ? "siting[%zu].need"
                                                 : "siting.need", i);
        return fail(c, jp, "\"access_gap\" needs an 'access' section that "
                    "computes '%s'", p->model.categories[r->category]);
    }
    return MG_OK;
}

int access_project_parse(json_t *root, const char *file, mg_project *p,
                         mg_error *err)
{
    spec_ctx c = {file, err, &p->model};
    json_t *a = json_object_get(root, "access");
    json_t *s = json_object_get(root, "siting");
    int rc = MG_OK;
    if (a && !json_is_null(a))
        rc = parse_access(&c, a, &p->access);
    if (!rc && s && !json_is_null(s))
        rc = parse_siting(&c, s, &p->siting);
    if (!rc)
        rc = check_siting_need(&c, p);
    return rc;
}

static json_t *load_text(const char *json, const char *file, mg_error *err)
{
    json_error_t jerr;
    json_t *v = json_loads(json, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                           &jerr);
    if (!v)
        mg_error_set(err, MG_ERR_PROJECT, file, -1, NULL,
                     "line %d, column %d: %s", jerr.line, jerr.column,
                     jerr.text);
    return v;
}

int mg_access_spec_parse(const char *json, const char *file,
                         const mg_model_spec *m, mg_access_spec **out,
                         mg_error *err)
{
    spec_ctx c = {file ? file : "(access)", err, m};
    *out = NULL;
    json_t *v = load_text(json, c.file, err);
    if (!v)
        return MG_ERR_PROJECT;
    int rc = parse_access(&c, v, out);
    json_decref(v);
    return rc;
}

int mg_siting_spec_parse(const char *json, const char *file,
                         const mg_model_spec *m, mg_siting_spec **out,
                         mg_error *err)
{
    spec_ctx c = {file ? file : "(siting)", err, m};
    *out = NULL;
    json_t *v = load_text(json, c.file, err);
    if (!v)
        return MG_ERR_PROJECT;
    int rc = parse_siting(&c, v, out);
    json_decref(v);
    return rc;
}

static void matrix_spec_clear(mg_matrix_spec *s)
{
    free(s->path); free(s->layer); free(s->region_field);
    free(s->other_field); free(s->cost_field);
}

void mg_access_spec_free(mg_access_spec *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->decay && i < s->n_categories; i++)
        clear_decay(&s->decay[i]);
    free(s->decay);
    free(s->enabled);
    mg_demand_spec *d = &s->demand;
    free(d->path); free(d->layer); free(d->crs); free(d->population_field);
    free(d->region_code_field);
    matrix_spec_clear(&s->distances);
    free(s);
}

void mg_siting_spec_free(mg_siting_spec *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->runs && i < s->n; i++) {
        mg_candidate_spec *c = &s->runs[i].candidates;
        free(c->path); free(c->layer); free(c->crs); free(c->lon_field);
        free(c->lat_field); free(c->id_field); free(c->name_field);
        matrix_spec_clear(&s->runs[i].distances);
    }
    free(s->runs);
    free(s);
}
