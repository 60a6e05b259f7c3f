/* The "poverty" section of the project file, checked key by key. */
#include "poverty_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct pctx {
    mg_spec sp;
    mg_poverty_spec *s;
    int reject_bad_sums; /* "weight_sum": "reject" */
} pctx;

/* An object whose keys are all known. */
static int pcheck_keys(pctx *c, json_t *o, const char *jpath,
                       const char *const *allowed)
{
    if (!json_is_object(o))
        return mg_spec_fail(&c->sp, jpath, "must be an object");
    return mg_spec_check_keys(&c->sp, o, jpath, allowed);
}

/* o[key] as a number; *given says whether it was there. */
static int pget_num(pctx *c, json_t *o, const char *jpath, const char *key,
                    double *out, int *given)
{
    double v = NAN;
    int rc =
        mg_spec_get_num(&c->sp, o, jpath, key, 0, 0, -INFINITY, INFINITY, &v);
    *given = !isnan(v);
    if (*given)
        *out = v;
    return rc;
}

/* o[key] as one of names; absent gives dflt, or an error when dflt < 0. */
static int pget_enum(pctx *c, json_t *o, const char *jpath, const char *key,
                     const char *const *names, int dflt, int *out)
{
    if (dflt >= 0)
        *out = dflt;
    return mg_spec_get_enum(&c->sp, o, jpath, key, names, dflt < 0, out);
}

/* Names become field and map names: keep them to [a-z0-9_]. */
static int check_name(pctx *c, const char *jpath, const char *name)
{
    size_t n = strlen(name);
    int ok = n > 0 && n <= MG_POVERTY_NAME_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = (name[i] >= 'a' && name[i] <= 'z') || name[i] == '_' ||
             (name[i] >= '0' && name[i] <= '9');
    if (!ok)
        return mg_spec_fail(&c->sp, jpath,
                            "'%s' must be 1 to 48 lower-case letters, "
                            "digits or '_' (it names fields and maps)",
                            name);
    return MG_OK;
}

/* Weights that do not sum to 1 are renormalised and noted for the join
 * report, or rejected when the project says "weight_sum": "reject".  what
 * says whose weights they are ("the dimensions", "dimension 'economy'"). */
static int settle_weights(pctx *c, const char *jpath, const char *what,
                          double *w, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    if (fabs(sum - 1) <= POVERTY_WEIGHT_TOLERANCE)
        return MG_OK;
    char msg[512];
    snprintf(msg, sizeof msg, "the weights of %s sum to %.10g, not 1", what,
             sum);
    if (c->reject_bad_sums)
        return mg_spec_fail(&c->sp, jpath, "%s (\"weight_sum\": \"reject\")",
                            msg);
    for (size_t i = 0; i < n; i++)
        w[i] /= sum;
    mg_poverty_spec *s = c->s;
    mg_poverty_note *t = realloc(s->notes, (s->n_notes + 1) * sizeof *t);
    if (!t)
        return MG_ERR_NOMEM;
    s->notes = t;
    t += s->n_notes;
    t->sum = sum;
    t->field = strdup(jpath);
    t->what = strdup(what);
    s->n_notes++;
    return t->field && t->what ? MG_OK : MG_ERR_NOMEM;
}

/* The index of dimension name, added when new; -1 on NOMEM. */
static long dimension_of(mg_poverty_spec *s, const char *name)
{
    for (size_t i = 0; i < s->n_dimensions; i++)
        if (strcmp(s->dimensions[i].name, name) == 0)
            return (long)i;
    mg_poverty_dimension *d =
        realloc(s->dimensions, (s->n_dimensions + 1) * sizeof *d);
    if (!d)
        return -1;
    s->dimensions = d;
    d[s->n_dimensions].weight = NAN;
    if (!(d[s->n_dimensions].name = strdup(name)))
        return -1;
    return (long)s->n_dimensions++;
}

static int parse_source(pctx *c, json_t *o, const char *jp,
                        mg_poverty_indicator *x)
{
    int rc = mg_spec_get_str(&c->sp, o, jp, "column", 0, &x->column);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "field", 0, &x->field);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "denominator_column", 0,
                             &x->denominator_column);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "denominator_field", 0,
                             &x->denominator_field);
    if (rc)
        return rc;
    if (!x->column == !x->field)
        return mg_spec_fail(&c->sp, jp,
                            "give exactly one of 'column' (of the indicator "
                            "table) and 'field' (of the regions)");
    if (x->denominator_column && x->denominator_field)
        return mg_spec_fail(&c->sp, jp,
                            "give at most one of 'denominator_column' and "
                            "'denominator_field'");
    int given;
    x->scale = 1;
    rc = pget_num(c, o, jp, "scale", &x->scale, &given);
    if (!rc && (x->scale == 0))
        return mg_spec_fail(&c->sp, jp, "'scale' must not be 0");
    if (!rc && !x->name) {
        char name[MG_POVERTY_FIELD_MAX];
        mg_field_name(name, sizeof name, "", x->column ? x->column : x->field);
        rc = (x->name = strdup(name)) ? MG_OK : MG_ERR_NOMEM;
    }
    return rc;
}

static int parse_goalposts(pctx *c, json_t *o, const char *jp,
                           mg_poverty_indicator *x)
{
    char path[256];
    mg_spec_key_path(path, sizeof path, jp, "goalposts");
    json_t *g = json_object_get(o, "goalposts");
    if (x->normalisation != MG_POVERTY_GOALPOSTS)
        return g ? mg_spec_fail(&c->sp, path,
                                "'goalposts' goes with \"normalisation\": "
                                "\"goalposts\" only")
                 : MG_OK;
    if (!g || !json_is_array(g) || json_array_size(g) != 2 ||
        !json_is_number(json_array_get(g, 0)) ||
        !json_is_number(json_array_get(g, 1)))
        return mg_spec_fail(&c->sp, path,
                            "'goalposts' must be [low, high], two numbers "
                            "in the indicator's units");
    x->goalpost_low = json_number_value(json_array_get(g, 0));
    x->goalpost_high = json_number_value(json_array_get(g, 1));
    if (!(x->goalpost_low < x->goalpost_high))
        return mg_spec_fail(&c->sp, path,
                            "the low goalpost must be below the high one");
    return MG_OK;
}

static int parse_indicator(pctx *c, json_t *o, const char *jp,
                           mg_poverty_indicator *x, int *has_weight)
{
    static const char *const keys[] = {"name",
                                       "column",
                                       "field",
                                       "denominator_column",
                                       "denominator_field",
                                       "scale",
                                       "dimension",
                                       "direction",
                                       "normalisation",
                                       "goalposts",
                                       "weight",
                                       "transform",
                                       NULL};
    static const char *const transforms[] = {"none", "log", NULL};
    static const char *const dirs[] = {"higher_is_worse", "higher_is_better",
                                       NULL};
    static const char *const norms[] = {"minmax", "goalposts", "zscore", NULL};
    char *dim = NULL, path[256];
    int d = 0, n = 0, rc = pcheck_keys(c, o, jp, keys);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "name", 0, &x->name);
    if (!rc)
        rc = parse_source(c, o, jp, x);
    mg_spec_key_path(path, sizeof path, jp, "name");
    if (!rc)
        rc = check_name(c, path, x->name);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "dimension", 1, &dim);
    mg_spec_key_path(path, sizeof path, jp, "dimension");
    if (!rc)
        rc = check_name(c, path, dim);
    if (!rc)
        rc = pget_enum(c, o, jp, "direction", dirs, -1, &d);
    if (!rc)
        rc = pget_enum(c, o, jp, "normalisation", norms, 0, &n);
    x->direction = (mg_poverty_direction)d;
    x->normalisation = (mg_poverty_normalisation)n;
    if (!rc)
        rc = pget_enum(c, o, jp, "transform", transforms, 0,
                       &x->log_transform);
    if (!rc)
        rc = parse_goalposts(c, o, jp, x);
    x->weight = NAN;
    if (!rc)
        rc = pget_num(c, o, jp, "weight", &x->weight, has_weight);
    mg_spec_key_path(path, sizeof path, jp, "weight");
    if (!rc && *has_weight && !(x->weight > 0))
        rc = mg_spec_fail(&c->sp, path, "'weight' must be above 0");
    long di = rc ? 0 : dimension_of(c->s, dim);
    if (!rc && di < 0)
        rc = MG_ERR_NOMEM;
    x->dimension = (size_t)di;
    free(dim);
    return rc;
}

/* Within each dimension the indicators give all their weights or none
 * (equal shares). */
static int settle_indicator_weights(pctx *c, const int *has_weight)
{
    mg_poverty_spec *s = c->s;
    for (size_t d = 0; d < s->n_dimensions; d++) {
        size_t n = 0, given = 0;
        for (size_t i = 0; i < s->n_indicators; i++)
            if (s->indicators[i].dimension == d) {
                n++;
                given += has_weight[i] != 0;
            }
        char what[128];
        snprintf(what, sizeof what, "dimension '%s'", s->dimensions[d].name);
        if (given && given != n)
            return mg_spec_fail(&c->sp, "poverty.indicators",
                                "give a 'weight' to every "
                                "indicator of %s or to none (equal weights)",
                                what);
        double *w = malloc(n * sizeof *w);
        if (!w)
            return MG_ERR_NOMEM;
        size_t k = 0;
        for (size_t i = 0; i < s->n_indicators; i++)
            if (s->indicators[i].dimension == d)
                w[k++] = given ? s->indicators[i].weight : 1.0 / (double)n;
        int rc = settle_weights(c, "poverty.indicators", what, w, n);
        k = 0;
        for (size_t i = 0; !rc && i < s->n_indicators; i++)
            if (s->indicators[i].dimension == d)
                s->indicators[i].weight = w[k++];
        free(w);
        if (rc)
            return rc;
    }
    return MG_OK;
}

static int parse_indicators(pctx *c, json_t *a)
{
    mg_poverty_spec *s = c->s;
    if (!json_is_array(a) || json_array_size(a) == 0)
        return mg_spec_fail(&c->sp, "poverty.indicators",
                            "'indicators' must be a "
                            "non-empty array of objects");
    size_t n = json_array_size(a);
    s->indicators = calloc(n, sizeof *s->indicators);
    int *has_weight = calloc(n, sizeof *has_weight);
    int rc = s->indicators && has_weight ? MG_OK : MG_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        char jp[64];
        snprintf(jp, sizeof jp, "poverty.indicators[%zu]", i);
        s->n_indicators = i + 1;
        rc = parse_indicator(c, json_array_get(a, i), jp, &s->indicators[i],
                             &has_weight[i]);
        for (size_t j = 0; !rc && j < i; j++)
            if (strcmp(s->indicators[j].name, s->indicators[i].name) == 0)
                rc = mg_spec_fail(&c->sp, jp,
                                  "two indicators are named '%s'; give "
                                  "each a distinct 'name'",
                                  s->indicators[i].name);
    }
    if (!rc)
        rc = settle_indicator_weights(c, has_weight);
    free(has_weight);
    return rc;
}

/* "dimensions": {name: weight}; without it, equal weights. */
static int parse_dimensions(pctx *c, json_t *o)
{
    mg_poverty_spec *s = c->s;
    const char *jp = "poverty.dimensions";
    if (o && !json_is_object(o))
        return mg_spec_fail(&c->sp, jp,
                            "'dimensions' must be an object of dimension -> "
                            "weight");
    const char *key;
    json_t *v;
    json_object_foreach (o, key, v) {
        size_t i = 0;
        while (i < s->n_dimensions && strcmp(s->dimensions[i].name, key))
            i++;
        if (i == s->n_dimensions)
            return mg_spec_fail(&c->sp, jp,
                                "no indicator has the dimension '%s'", key);
        if (!json_is_number(v) || !(json_number_value(v) > 0))
            return mg_spec_fail(&c->sp, jp,
                                "the weight of '%s' must be a number above 0",
                                key);
        s->dimensions[i].weight = json_number_value(v);
    }
    for (size_t i = 0; i < s->n_dimensions; i++) {
        if (o && isnan(s->dimensions[i].weight))
            return mg_spec_fail(&c->sp, jp, "no weight for the dimension '%s'",
                                s->dimensions[i].name);
        if (!o)
            s->dimensions[i].weight = 1.0 / (double)s->n_dimensions;
    }
    double *w = malloc(s->n_dimensions * sizeof *w);
    if (!w)
        return MG_ERR_NOMEM;
    for (size_t i = 0; i < s->n_dimensions; i++)
        w[i] = s->dimensions[i].weight;
    int rc = settle_weights(c, jp, "the dimensions", w, s->n_dimensions);
    for (size_t i = 0; i < s->n_dimensions; i++)
        s->dimensions[i].weight = w[i];
    free(w);
    return rc;
}

static int parse_breaks(pctx *c, json_t *b, int fixed)
{
    mg_poverty_spec *s = c->s;
    const char *jp = "poverty.grades.breaks";
    size_t k = (size_t)s->grade_classes;
    if (b && !fixed)
        return mg_spec_fail(&c->sp, jp,
                            "'breaks' goes with \"method\": \"fixed\" only");
    if (!fixed || k < 2)
        return MG_OK;
    if (!(s->grade_breaks = malloc((k - 1) * sizeof *s->grade_breaks)))
        return MG_ERR_NOMEM;
    if (!b) {
        /* Equal steps of the 0..100 scale: 20, 40, 60, 80 for 5 grades. */
        for (size_t i = 1; i < k; i++)
            s->grade_breaks[i - 1] = 100.0 * (double)i / (double)k;
        return MG_OK;
    }
    if (!json_is_array(b) || json_array_size(b) != k - 1)
        return mg_spec_fail(&c->sp, jp,
                            "'breaks' must be an array of classes - 1 "
                            "numbers");
    for (size_t i = 0; i + 1 < k; i++) {
        json_t *v = json_array_get(b, i);
        if (!json_is_number(v) ||
            (i > 0 && !(json_number_value(v) > s->grade_breaks[i - 1])))
            return mg_spec_fail(&c->sp, jp,
                                "'breaks' must be strictly increasing "
                                "numbers");
        s->grade_breaks[i] = json_number_value(v);
    }
    return MG_OK;
}

static int parse_grades(pctx *c, json_t *o)
{
    static const char *const keys[] = {"method", "classes", "breaks", NULL};
    /* styles' method names (styles/styles.h); checked here so a typo is
     * reported with the project file's JSON path. */
    static const char *const methods[] = {
        "fixed",          "equal_interval", "quantile", "jenks",
        "natural_breaks", "fisher_jenks",   NULL};
    mg_poverty_spec *s = c->s;
    const char *jp = "poverty.grades";
    int rc = o ? pcheck_keys(c, o, jp, keys) : MG_OK;
    if (!rc && o)
        rc = mg_spec_get_str(&c->sp, o, jp, "method", 0, &s->grade_method);
    if (!rc && !s->grade_method)
        rc = (s->grade_method = strdup("fixed")) ? MG_OK : MG_ERR_NOMEM;
    size_t m = 0;
    while (!rc && methods[m] && strcasecmp(methods[m], s->grade_method))
        m++;
    if (!rc && !methods[m])
        rc = mg_spec_fail(
            &c->sp, "poverty.grades.method",
            "'%s' is not a method; use "
            "\"fixed\", \"quantile\", \"jenks\" or \"equal_interval\"",
            s->grade_method);
    double k = 5;
    int given = 0;
    if (!rc && o)
        rc = pget_num(c, o, jp, "classes", &k, &given);
    if (!rc && (k != floor(k) || k < 1 || k > 32))
        rc = mg_spec_fail(&c->sp, "poverty.grades.classes",
                          "'classes' must be a whole "
                          "number from 1 to 32");
    s->grade_classes = (int)k;
    if (!rc)
        rc = parse_breaks(c, o ? json_object_get(o, "breaks") : NULL, m == 0);
    return rc;
}

static int parse_table(pctx *c, json_t *o)
{
    static const char *const keys[] = {"path", "layer", "code_field", NULL};
    mg_poverty_spec *s = c->s;
    const char *jp = "poverty.table";
    int rc = MG_OK;
    if (o) {
        rc = pcheck_keys(c, o, jp, keys);
        if (!rc)
            rc = mg_spec_get_str(&c->sp, o, jp, "path", 1, &s->table_path);
        if (!rc)
            rc = mg_spec_get_str(&c->sp, o, jp, "layer", 0, &s->table_layer);
        if (!rc)
            rc = mg_spec_get_str(&c->sp, o, jp, "code_field", 1,
                                 &s->table_code_field);
    }
    for (size_t i = 0; !rc && i < s->n_indicators; i++) {
        const mg_poverty_indicator *x = &s->indicators[i];
        if (!s->table_path && (x->column || x->denominator_column)) {
            char ip[64];
            snprintf(ip, sizeof ip, "poverty.indicators[%zu]", i);
            rc =
                mg_spec_fail(&c->sp, ip,
                             "indicator '%s' reads a column of the indicator "
                             "table, but there is no \"table\" in \"poverty\"",
                             x->name);
        }
    }
    return rc;
}

static int parse_af_indicator(pctx *c, json_t *o, const char *jp,
                              mg_af_indicator *x, int *has_weight)
{
    static const char *const keys[] = {"name",   "column",    "cutoff",
                                       "deprived_if", "weight", "dimension",
                                       NULL};
    static const char *const tests[] = {"below", "at_most", "above",
                                        "at_least", NULL};
    char path[256];
    int t = 0, given = 0;
    int rc = pcheck_keys(c, o, jp, keys);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "column", 1, &x->column);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "name", 0, &x->name);
    if (!rc && !x->name) {
        char name[MG_POVERTY_FIELD_MAX];
        mg_field_name(name, sizeof name, "", x->column);
        rc = (x->name = strdup(name)) ? MG_OK : MG_ERR_NOMEM;
    }
    mg_spec_key_path(path, sizeof path, jp, "name");
    if (!rc)
        rc = check_name(c, path, x->name);
    if (!rc)
        rc = pget_num(c, o, jp, "cutoff", &x->cutoff, &given);
    mg_spec_key_path(path, sizeof path, jp, "cutoff");
    if (!rc && !given)
        rc = mg_spec_fail(&c->sp, path, "required key 'cutoff' is missing");
    if (!rc)
        rc = pget_enum(c, o, jp, "deprived_if", tests, 0, &t);
    x->deprived_if = (mg_af_test)t;
    if (!rc)
        rc = pget_num(c, o, jp, "weight", &x->weight, has_weight);
    mg_spec_key_path(path, sizeof path, jp, "weight");
    if (!rc && *has_weight && !(x->weight > 0))
        rc = mg_spec_fail(&c->sp, path, "'weight' must be above 0");
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "dimension", 0, &x->dimension);
    mg_spec_key_path(path, sizeof path, jp, "dimension");
    if (!rc && x->dimension)
        rc = check_name(c, path, x->dimension);
    return rc;
}

static int parse_af_indicators(pctx *c, json_t *a, mg_af_spec *af)
{
    const char *jp = "poverty.alkire_foster.indicators";
    if (!a || !json_is_array(a) || json_array_size(a) == 0)
        return mg_spec_fail(&c->sp, jp,
                            "'indicators' must be a non-empty array of "
                            "objects");
    size_t n = json_array_size(a), given = 0;
    af->indicators = calloc(n, sizeof *af->indicators);
    double *w = calloc(n, sizeof *w);
    int rc = af->indicators && w ? MG_OK : MG_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        char ip[64];
        int has = 0;
        snprintf(ip, sizeof ip, "%s[%zu]", jp, i);
        af->n_indicators = i + 1;
        rc = parse_af_indicator(c, json_array_get(a, i), ip,
                                &af->indicators[i], &has);
        given += has != 0;
        w[i] = has ? af->indicators[i].weight : 1.0 / (double)n;
        for (size_t j = 0; !rc && j < i; j++)
            if (!strcmp(af->indicators[j].name, af->indicators[i].name))
                rc = mg_spec_fail(&c->sp, ip,
                                  "two indicators are named '%s'; give "
                                  "each a distinct 'name'",
                                  af->indicators[i].name);
    }
    if (!rc && given && given != n)
        rc = mg_spec_fail(&c->sp, jp,
                          "give a 'weight' to every indicator or to none "
                          "(equal weights)");
    if (!rc)
        rc = settle_weights(c, jp, "the Alkire-Foster indicators", w, n);
    for (size_t i = 0; !rc && i < n; i++)
        af->indicators[i].weight = w[i];
    free(w);
    return rc;
}

static int parse_af(pctx *c, json_t *o)
{
    static const char *const keys[] = {
        "path", "layer",      "code_field", "weight_field",
        "strata_field", "psu_field", "k", "indicators", NULL};
    const char *jp = "poverty.alkire_foster";
    if (!o || json_is_null(o))
        return MG_OK;
    mg_af_spec *af = c->s->af = calloc(1, sizeof *af);
    if (!af)
        return MG_ERR_NOMEM;
    int rc = pcheck_keys(c, o, jp, keys), given = 0;
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "path", 1, &af->path);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "layer", 0, &af->layer);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "code_field", 1, &af->code_field);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "weight_field", 0,
                             &af->weight_field);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "strata_field", 0,
                             &af->strata_field);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "psu_field", 0, &af->psu_field);
    /* A design without weights is not one the standard errors know. */
    if (!rc && (af->strata_field || af->psu_field) && !af->weight_field)
        rc = mg_spec_fail(&c->sp,
                          af->strata_field ? "poverty.alkire_foster.strata_field"
                                           : "poverty.alkire_foster.psu_field",
                          "strata and PSUs need \"weight_field\" (the "
                          "sampling weights) too");
    if (!rc)
        rc = pget_num(c, o, jp, "k", &af->k, &given);
    if (!rc && !given)
        rc = mg_spec_fail(&c->sp, "poverty.alkire_foster.k",
                          "required key 'k' (the "
                          "poverty cutoff, in (0, 1]) is missing");
    if (!rc && !(af->k > 0 && af->k <= 1)) {
        char v[64];
        snprintf(v, sizeof v, "%g", af->k);
        rc = mg_spec_fail(
            &c->sp, "poverty.alkire_foster.k",
            "k = %s is outside (0, 1]: "
            "it is the share of weighted deprivations that makes a "
            "person poor",
            v);
    }
    if (!rc)
        rc = parse_af_indicators(c, json_object_get(o, "indicators"), af);
    return rc;
}

/* The level must be one of the project's, or "parent" when the coarsest
 * level names parent codes (mg_dataset_read() adds that level). */
static int parse_level(pctx *c, json_t *o, const mg_project *p)
{
    mg_poverty_spec *s = c->s;
    int rc = mg_spec_get_str(&c->sp, o, "poverty", "level", 0, &s->level);
    if (rc)
        return rc;
    if (!s->level)
        return (s->level = strdup(p->levels[0].level)) ? MG_OK : MG_ERR_NOMEM;
    for (size_t i = 0; i < p->n_levels; i++)
        if (strcmp(p->levels[i].level, s->level) == 0)
            return MG_OK;
    if (p->levels[p->n_levels - 1].parent_code_field &&
        strcmp(s->level, "parent") == 0)
        return MG_OK;
    return mg_spec_fail(&c->sp, "poverty.level",
                        "'%s' is not the name of a boundary "
                        "level",
                        s->level);
}

static int parse_body(pctx *c, json_t *o, const mg_project *p)
{
    static const char *const keys[] = {
        "level",         "table",      "missing", "weight_sum",
        "dimensions",    "indicators", "grades",  "maps_per_dimension",
        "alkire_foster", "aggregation", "weights", NULL};
    static const char *const sums[] = {"renormalise", "reject", NULL};
    static const char *const aggs[] = {"arithmetic", "geometric", NULL};
    static const char *const wts[] = {"given", "entropy", NULL};
    static const char *const missing[] = {"renormalise", "exclude", NULL};
    mg_poverty_spec *s = c->s;
    json_t *ind = json_object_get(o, "indicators");
    int m = 0, rc = pcheck_keys(c, o, "poverty", keys);
    if (!rc)
        rc = pget_enum(c, o, "poverty", "weight_sum", sums, 0,
                       &c->reject_bad_sums);
    if (!rc)
        rc = parse_level(c, o, p);
    if (!rc && !ind && !json_object_get(o, "alkire_foster"))
        rc = mg_spec_fail(&c->sp, "poverty",
                          "give \"indicators\" (a composite index), "
                          "\"alkire_foster\" (household records) or both");
    if (!rc && ind)
        rc = parse_indicators(c, ind);
    if (!rc && !ind && json_object_get(o, "dimensions"))
        rc = mg_spec_fail(&c->sp, "poverty.dimensions",
                          "'dimensions' needs "
                          "\"indicators\"");
    if (!rc && ind)
        rc = parse_dimensions(c, json_object_get(o, "dimensions"));
    /* How missing values are handled changes the scores, so it is never
     * a silent default (docs/poverty.md). */
    if (!rc && ind)
        rc = pget_enum(c, o, "poverty", "missing", missing, -1, &m);
    s->missing = (mg_poverty_missing)m;
    if (!rc)
        rc = parse_table(c, json_object_get(o, "table"));
    if (!rc)
        rc = parse_grades(c, json_object_get(o, "grades"));
    json_t *mpd = json_object_get(o, "maps_per_dimension");
    if (!rc && mpd && !json_is_boolean(mpd))
        rc = mg_spec_fail(&c->sp, "poverty.maps_per_dimension",
                          "must be true or "
                          "false");
    s->maps_per_dimension = mpd && json_is_true(mpd);
    if (!rc)
        rc = pget_enum(c, o, "poverty", "aggregation", aggs, 0,
                       &s->geometric);
    if (!rc)
        rc = pget_enum(c, o, "poverty", "weights", wts, 0,
                       &s->entropy_weights);
    for (size_t i = 0; !rc && i < s->n_indicators; i++)
        if ((s->geometric || s->entropy_weights) &&
            s->indicators[i].normalisation == MG_POVERTY_ZSCORE)
            rc = mg_spec_fail(&c->sp, "poverty",
                              "%s needs values in [0, 1]: indicator '%s' is "
                              "a zscore; use minmax or goalposts",
                              s->geometric ? "\"aggregation\": "
                                             "\"geometric\""
                                           : "\"weights\": \"entropy\"",
                              s->indicators[i].name);
    if (!rc)
        rc = parse_af(c, json_object_get(o, "alkire_foster"));
    return rc;
}

int mg_poverty_section_parse(mg_spec *sp, json_t *v, mg_project *p)
{
    p->poverty = NULL;
    if (!v)
        return MG_OK;
    pctx c = {*sp, calloc(1, sizeof(mg_poverty_spec)), 0};
    if (!c.s)
        return mg_spec_nomem(sp);
    p->poverty = c.s;
    if (!json_is_object(v))
        return mg_spec_fail(&c.sp, "poverty", "'poverty' must be an object");
    return parse_body(&c, v, p);
}

void mg_poverty_section_clear(mg_project *p)
{
    mg_poverty_spec_free(p->poverty);
    p->poverty = NULL;
}

static void indicator_clear(mg_poverty_indicator *x)
{
    free(x->name);
    free(x->column);
    free(x->field);
    free(x->denominator_column);
    free(x->denominator_field);
}

void mg_poverty_spec_free(mg_poverty_spec *s)
{
    if (!s)
        return;
    free(s->level);
    free(s->table_path);
    free(s->table_layer);
    free(s->table_code_field);
    free(s->grade_method);
    free(s->grade_breaks);
    for (size_t i = 0; i < s->n_dimensions; i++)
        free(s->dimensions[i].name);
    free(s->dimensions);
    for (size_t i = 0; i < s->n_indicators; i++)
        indicator_clear(&s->indicators[i]);
    free(s->indicators);
    for (size_t i = 0; i < s->n_notes; i++) {
        free(s->notes[i].field);
        free(s->notes[i].what);
    }
    free(s->notes);
    if (s->af) {
        for (size_t i = 0; i < s->af->n_indicators; i++) {
            free(s->af->indicators[i].name);
            free(s->af->indicators[i].column);
            free(s->af->indicators[i].dimension);
        }
        free(s->af->indicators);
        free(s->af->path);
        free(s->af->layer);
        free(s->af->code_field);
        free(s->af->weight_field);
        free(s->af->strata_field);
        free(s->af->psu_field);
        free(s->af);
    }
    free(s);
}
