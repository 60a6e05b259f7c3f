/* The project file's "access" object, checked key by key
 * with the same rules as the rest of the project file: unknown keys are
 * errors and every error names its JSON path. */
#include "access_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct spec_ctx {
    mg_spec sp;
    const mg_model_spec *model;
} spec_ctx;

/* obj[key] as a number > 0 (or >= 0 with zero_ok); NAN when absent. */
static int get_num(spec_ctx *c, json_t *obj, const char *jpath,
                   const char *key, int zero_ok, double *out)
{
    *out = NAN;
    return mg_spec_get_num(&c->sp, obj, jpath, key, 0,
                           zero_ok ? 0 : MG_SPEC_ABOVE, 0, INFINITY, out);
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
    const char *names[MG_ACCESS_N_METHODS + 1] = {NULL};
    for (int i = 0; i < MG_ACCESS_N_METHODS; i++)
        names[i] = mg_access_methods[i].key;
    int m = (int)k->method;
    int rc = mg_spec_get_enum(&c->sp, o, jpath, "method", names, 0, &m);
    k->method = (mg_access_method)m;
    return rc;
}

/* "bands": [{"to": 10, "weight": 1}, ...], bounds increasing. */
static int parse_bands(spec_ctx *c, json_t *b, const char *jpath,
                       mg_access_decay *k)
{
    static const char *const keys[] = {"to", "weight", NULL};
    char path[256], item[288];
    mg_spec_key_path(path, sizeof path, jpath, "bands");
    if (!json_is_array(b) || json_array_size(b) == 0)
        return mg_spec_fail(&c->sp, path,
                            "'bands' must be a non-empty array of "
                            "{\"to\": distance, \"weight\": w}");
    clear_decay(k);
    size_t n = json_array_size(b);
    k->band_upper = calloc(n, sizeof *k->band_upper);
    k->band_weight = calloc(n, sizeof *k->band_weight);
    if (!k->band_upper || !k->band_weight)
        return mg_spec_nomem(&c->sp);
    for (size_t r = 0; r < n; r++) {
        json_t *o = json_array_get(b, r);
        snprintf(item, sizeof item, "%s[%zu]", path, r);
        if (!json_is_object(o))
            return mg_spec_fail(&c->sp, item, "each band must be an object");
        int rc = mg_spec_check_keys(&c->sp, o, item, keys);
        if (!rc)
            rc = get_num(c, o, item, "to", 0, &k->band_upper[r]);
        if (!rc)
            rc = get_num(c, o, item, "weight", 1, &k->band_weight[r]);
        if (rc)
            return rc;
        if (isnan(k->band_upper[r]) || isnan(k->band_weight[r]))
            return mg_spec_fail(&c->sp, item,
                                "a band needs 'to' and 'weight'");
        if (r > 0 && !(k->band_upper[r] > k->band_upper[r - 1]))
            return mg_spec_fail(&c->sp, item, "band bounds must increase");
        k->n_bands = r + 1;
    }
    return MG_OK;
}

/* "beta", "min_distance" and "steps" over k (docs/access.md). */
static int parse_gravity(spec_ctx *c, json_t *o, const char *jpath,
                         mg_access_decay *k)
{
    double beta, dmin;
    int rc = get_num(c, o, jpath, "beta", 0, &beta);
    if (!rc)
        rc = get_num(c, o, jpath, "min_distance", 0, &dmin);
    if (!rc && !isnan(beta))
        k->beta = beta;
    if (!rc && !isnan(dmin))
        k->min_distance = dmin;
    json_t *s = json_object_get(o, "steps");
    if (rc || !s || json_is_null(s))
        return rc;
    if (!json_is_integer(s) ||
        (json_integer_value(s) != 2 && json_integer_value(s) != 3)) {
        char path[256];
        mg_spec_key_path(path, sizeof path, jpath, "steps");
        return mg_spec_fail(&c->sp, path,
                            "'steps' must be 2 (2SFCA) or 3 (3SFCA)");
    }
    k->steps = (int)json_integer_value(s);
    return MG_OK;
}

/* Applies the decay keys of o over k (inherited from the level above). */
static int parse_decay(spec_ctx *c, json_t *o, const char *jpath,
                       mg_access_decay *k)
{
    double catchment;
    int rc = parse_method(c, o, jpath, k);
    if (!rc)
        rc = get_num(c, o, jpath, "catchment", 0, &catchment);
    if (!rc)
        rc = parse_gravity(c, o, jpath, k);
    if (rc)
        return rc;
    /* Bands inherited from the access object do not outlive a change of
     * method in by_category. */
    if (json_object_get(o, "method") && !json_object_get(o, "bands") &&
        !mg_access_methods[k->method].bands)
        clear_decay(k);
    if (!isnan(catchment))
        k->catchment = catchment;
    json_t *b = json_object_get(o, "bands");
    if (b && !json_is_null(b))
        rc = parse_bands(c, b, jpath, k);
    if (rc || !mg_access_methods[k->method].bands)
        return rc;
    if (k->n_bands == 0)
        return mg_spec_fail(&c->sp, jpath, "method 'e2sfca' needs 'bands'");
    /* The bands define the catchment; a different one is a mistake. */
    if (!isnan(catchment) && catchment != k->band_upper[k->n_bands - 1])
        return mg_spec_fail(&c->sp, jpath,
                            "'catchment' must equal the last band's 'to' "
                            "(or be left out)");
    k->catchment = k->band_upper[k->n_bands - 1];
    return MG_OK;
}

static int check_decay(spec_ctx *c, const mg_access_decay *k,
                       const char *jpath)
{
    if (!mg_access_methods[k->method].bands && k->n_bands)
        return mg_spec_fail(&c->sp, jpath,
                            "'bands' go with method 'e2sfca' only");
    if (!(k->catchment > 0))
        return mg_spec_fail(&c->sp, jpath,
                            "required key 'catchment' is missing");
    if (mg_access_methods[k->method].beta && !(k->beta > 0))
        return mg_spec_fail(&c->sp, jpath, "method '%s' needs 'beta'",
                            mg_access_methods[k->method].key);
    return MG_OK;
}

/* ---- access ------------------------------------------------------------- */

static int parse_demand(spec_ctx *c, json_t *a, mg_demand_spec *s)
{
    static const char *const keys[] = {
        "path", "layer", "crs", "population_field", "region_code_field", NULL};
    const char *jp = "access.demand";
    int rc;
    json_t *o = mg_spec_get_obj(&c->sp, a, "access", "demand", 0, &rc);
    if (rc || !o)
        return rc;
#define D(key, req)                                                           \
    {                                                                         \
#key, req, offsetof(mg_demand_spec, key)                              \
    }
    static const mg_spec_str strs[] = {D(path, 1), D(layer, 0), D(crs, 0),
                                       D(population_field, 1),
                                       D(region_code_field, 0)};
#undef D
    rc = mg_spec_check_keys(&c->sp, o, jp, keys);
    if (!rc)
        rc = mg_spec_get_strs(&c->sp, o, jp, strs, sizeof strs / sizeof *strs,
                              s);
    return rc;
}

int mg_matrix_spec_parse(mg_spec *sp, json_t *parent, const char *jpath,
                         const char *other_key, mg_matrix_spec *s)
{
    const char *const keys[] = {"path",    "layer",      "region_field",
                                other_key, "cost_field", NULL};
    char jp[256];
    int rc;
    json_t *o = mg_spec_get_obj(sp, parent, jpath, "distances", 0, &rc);
    if (rc || !o)
        return rc;
    mg_spec_key_path(jp, sizeof jp, jpath, "distances");
#define M(key)                                                                \
    {                                                                         \
#key, 1, offsetof(mg_matrix_spec, key)                                \
    }
    const mg_spec_str strs[] = {
        M(path),
        {"layer", 0, offsetof(mg_matrix_spec, layer)},
        M(region_field),
        {other_key, 1, offsetof(mg_matrix_spec, other_field)},
        M(cost_field)};
#undef M
    rc = mg_spec_check_keys(sp, o, jp, keys);
    if (!rc)
        rc = mg_spec_get_strs(sp, o, jp, strs, sizeof strs / sizeof *strs, s);
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
        return mg_spec_fail(&c->sp, jp,
                            "must be a non-empty array of model "
                            "categories");
    for (size_t k = 0; k < json_array_size(list); k++) {
        json_t *v = json_array_get(list, k);
        int ci = json_is_string(v)
                     ? mg_model_category(c->model, json_string_value(v))
                     : -1;
        if (ci < 0)
            return mg_spec_fail(
                &c->sp, jp, "'%s' is not one of model.categories",
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
    json_t *by = mg_spec_get_obj(&c->sp, a, "access", "by_category", 0, &rc);
    const char *name;
    json_t *o;
    if (!rc && by)
        json_object_foreach (by, name, o) {
            char jp[256];
            snprintf(jp, sizeof jp, "access.by_category.%s", name);
            int ci = mg_model_category(c->model, name);
            if (ci < 0 || !s->enabled[ci])
                return mg_spec_fail(&c->sp, jp,
                                    "'%s' is not a category that access "
                                    "computes",
                                    name);
            if (!json_is_object(o))
                return mg_spec_fail(&c->sp, jp, "must be an object");
        }
    for (size_t i = 0; !rc && i < s->n_categories; i++) {
        if (copy_decay(&s->decay[i], base))
            return mg_spec_nomem(&c->sp);
        if (!s->enabled[i])
            continue;
        o = by ? json_object_get(by, c->model->categories[i]) : NULL;
        char jp[256];
        snprintf(jp, sizeof jp, o ? "access.by_category.%s" : "access",
                 c->model->categories[i]);
        static const char *const keys[] = {"method", "catchment", "bands",
                                           "beta",   "min_distance",
                                           "steps",  NULL};
        if (o)
            rc = mg_spec_check_keys(&c->sp, o, jp, keys);
        if (!rc && o)
            rc = parse_decay(c, o, jp, &s->decay[i]);
        if (!rc)
            rc = check_decay(c, &s->decay[i], jp);
    }
    return rc;
}

static int parse_access(spec_ctx *c, json_t *a, mg_access_spec **out)
{
    static const char *const keys[] = {
        "method",    "catchment", "bands",        "categories", "by_category",
        "demand",    "distances", "beta",         "min_distance", "steps",
        "normalise", NULL};
    if (!json_is_object(a))
        return mg_spec_fail(&c->sp, "access", "'access' must be an object");
    mg_access_spec *s = calloc(1, sizeof *s);
    mg_access_decay base = {MG_ACCESS_2SFCA, NAN, NULL, NULL, 0, NAN, NAN, 2};
    size_t n = c->model->n_categories;
    int rc = s ? MG_OK : mg_spec_nomem(&c->sp);
    if (!rc) {
        s->n_categories = n;
        s->enabled = calloc(n ? n : 1, sizeof *s->enabled);
        s->decay = calloc(n ? n : 1, sizeof *s->decay);
        if (!s->enabled || !s->decay)
            rc = mg_spec_nomem(&c->sp);
    }
    if (!rc)
        rc = mg_spec_check_keys(&c->sp, a, "access", keys);
    if (!rc)
        rc = parse_decay(c, a, "access", &base);
    if (!rc)
        rc = parse_enabled(c, a, s);
    if (!rc)
        rc = parse_category_decays(c, a, &base, s);
    if (!rc)
        rc = parse_demand(c, a, &s->demand);
    if (!rc)
        rc = mg_spec_get_bool(&c->sp, a, "access", "normalise", &s->normalise);
    if (!rc)
        rc = mg_matrix_spec_parse(&c->sp, a, "access", "provider_field",
                                  &s->distances);
    clear_decay(&base);
    if (rc) {
        mg_access_spec_free(s);
        return rc;
    }
    *out = s;
    return MG_OK;
}

int mg_access_section_parse(mg_spec *sp, json_t *v, mg_project *p)
{
    spec_ctx c = {*sp, &p->model};
    p->access = NULL;
    return v ? parse_access(&c, v, &p->access) : MG_OK;
}

void mg_access_section_clear(mg_project *p)
{
    mg_access_spec_free(p->access);
    p->access = NULL;
}

void mg_matrix_spec_clear(mg_matrix_spec *s)
{
    free(s->path);
    free(s->layer);
    free(s->region_field);
    free(s->other_field);
    free(s->cost_field);
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
    free(d->path);
    free(d->layer);
    free(d->crs);
    free(d->population_field);
    free(d->region_code_field);
    mg_matrix_spec_clear(&s->distances);
    free(s);
}
