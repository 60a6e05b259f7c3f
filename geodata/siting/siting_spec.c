/* The project file's "siting" object (or array of runs), checked key by
 * key with the same rules as the rest of the project file: unknown keys are
 * errors and every error names its JSON path. */
#include "internal.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct spec_ctx {
    mg_spec sp;
    const mg_model_spec *model;
} spec_ctx;

static int parse_candidates(spec_ctx *c, json_t *run, const char *jpath,
                            mg_candidate_spec *s)
{
    static const char *const keys[] = {"path",       "layer",     "crs",
                                       "lon_field",  "lat_field", "id_field",
                                       "name_field", NULL};
    char jp[256];
    int rc;
    json_t *o = mg_spec_get_obj(&c->sp, run, jpath, "candidates", 0, &rc);
    if (rc || !o)
        return rc;
    mg_spec_key_path(jp, sizeof jp, jpath, "candidates");
#define C(key, req)                                                           \
    {                                                                         \
#key, req, offsetof(mg_candidate_spec, key)                           \
    }
    static const mg_spec_str strs[] = {
        C(path, 1),      C(layer, 0),    C(crs, 0),       C(lon_field, 0),
        C(lat_field, 0), C(id_field, 0), C(name_field, 0)};
#undef C
    rc = mg_spec_check_keys(&c->sp, o, jp, keys);
    if (!rc)
        rc = mg_spec_get_strs(&c->sp, o, jp, strs, sizeof strs / sizeof *strs,
                              s);
    if (!rc && !s->lon_field != !s->lat_field)
        rc = mg_spec_fail(&c->sp, jp,
                          "'lon_field' and 'lat_field' go together: give "
                          "both or neither");
    return rc;
}

static int method_bit(const json_t *v)
{
    static const struct {
        const char *name;
        int bit;
    } names[] = {{"mclp", MG_SITING_MCLP},
                 {"pmedian", MG_SITING_MEDIAN},
                 {"lscp", MG_SITING_LSCP},
                 {"pcenter", MG_SITING_CENTER}};
    for (size_t i = 0; json_is_string(v) && i < sizeof names / sizeof *names;
         i++)
        if (strcmp(json_string_value(v), names[i].name) == 0)
            return names[i].bit;
    return 0;
}

/* "method": "mclp", "pmedian", "lscp", "pcenter" or an array of them. */
static int parse_methods(spec_ctx *c, json_t *run, const char *jpath,
                         mg_siting_run *r)
{
    char jp[256];
    mg_spec_key_path(jp, sizeof jp, jpath, "method");
    json_t *v = json_object_get(run, "method");
    r->methods = MG_SITING_MCLP;
    if (!v || json_is_null(v))
        return MG_OK;
    r->methods = method_bit(v);
    for (size_t i = 0; json_is_array(v) && i < json_array_size(v); i++) {
        int bit = method_bit(json_array_get(v, i));
        r->methods |= bit ? bit : 16;
    }
    if (r->methods == 0 || r->methods >= 16)
        return mg_spec_fail(&c->sp, jp,
                            "'method' must be \"mclp\", \"pmedian\", "
                            "\"lscp\", \"pcenter\" or an array of them");
    return MG_OK;
}

static int parse_run_numbers(spec_ctx *c, json_t *o, const char *jp,
                             mg_siting_run *r)
{
    char path[256];
    json_t *k = json_object_get(o, "count");
    mg_spec_key_path(path, sizeof path, jp, "count");
    r->count = 0; /* LSCP alone finds the count */
    if ((!k || json_is_null(k)) && r->methods != MG_SITING_LSCP)
        return mg_spec_fail(&c->sp, path, "required key 'count' is missing");
    int given = k && !json_is_null(k);
    if (given && (!json_is_integer(k) || json_integer_value(k) < 1 ||
                  json_integer_value(k) > 100000))
        return mg_spec_fail(&c->sp, path,
                            "'count' must be a whole number from 1 to "
                            "100000");
    if (given)
        r->count = (size_t)json_integer_value(k);
    r->capacity = r->radius = NAN;
    int rc = mg_spec_get_num(&c->sp, o, jp, "capacity", 0, 0, 0, INFINITY,
                             &r->capacity);
    if (!rc)
        rc = mg_spec_get_num(&c->sp, o, jp, "radius", 0, MG_SPEC_ABOVE, 0,
                             INFINITY, &r->radius);
    if (!rc && (r->methods & (MG_SITING_MCLP | MG_SITING_LSCP)) &&
        isnan(r->radius))
        rc = mg_spec_fail(&c->sp, jp, "method '%s' needs 'radius'",
                          r->methods & MG_SITING_MCLP ? "mclp" : "lscp");
    return rc;
}

/* "solver", "time_limit", "backup" and "capacitated" (docs/access.md). */
static int parse_solver(spec_ctx *c, json_t *o, const char *jp,
                        mg_siting_run *r)
{
    static const char *const solvers[] = {"auto", "greedy", "exact", NULL};
    r->time_limit = 60;
    r->solver = MG_SITING_SOLVER_AUTO; /* the order of solvers[] */
    int rc = mg_spec_get_enum(&c->sp, o, jp, "solver", solvers, 0,
                              &r->solver);
    if (!rc)
        rc = mg_spec_get_num(&c->sp, o, jp, "time_limit", 0, MG_SPEC_ABOVE, 0,
                             INFINITY, &r->time_limit);
    if (!rc)
        rc = mg_spec_get_bool(&c->sp, o, jp, "backup", &r->backup);
    if (!rc)
        rc = mg_spec_get_bool(&c->sp, o, jp, "capacitated", &r->capacitated);
    if (!rc && r->capacitated && isnan(r->capacity))
        rc = mg_spec_fail(&c->sp, jp, "'capacitated' needs 'capacity'");
    /* The p-median heuristic has no capacities: say so rather than give
     * uncapacitated sites to a run that asked for capacities. */
    if (!rc && r->capacitated && (r->methods & MG_SITING_MEDIAN)) {
        char path[256];
        mg_spec_key_path(path, sizeof path, jp, "capacitated");
        rc = mg_spec_fail(&c->sp, path,
                          "'capacitated' works with mclp, lscp and pcenter, "
                          "not pmedian");
    }
    return rc;
}

static int parse_need(spec_ctx *c, json_t *o, const char *jp, mg_siting_run *r)
{
    char path[256];
    mg_spec_key_path(path, sizeof path, jp, "need");
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
        return mg_spec_fail(&c->sp, path,
                            "'need' must be \"gap\" or \"access_gap\"");
    return MG_OK;
}

static int parse_run(spec_ctx *c, json_t *o, const char *jp, mg_siting_run *r)
{
    static const char *const keys[] = {
        "category",   "count",     "capacity", "radius",     "method",
        "need",       "candidates", "distances", "solver",    "time_limit",
        "backup",     "capacitated", NULL};
    char *cat = NULL;
    if (!json_is_object(o))
        return mg_spec_fail(&c->sp, jp, "each siting run must be an object");
    int rc = mg_spec_check_keys(&c->sp, o, jp, keys);
    if (!rc)
        rc = mg_spec_get_str(&c->sp, o, jp, "category", 1, &cat);
    if (!rc && (r->category = mg_model_category(c->model, cat)) < 0) {
        char path[256];
        mg_spec_key_path(path, sizeof path, jp, "category");
        rc = mg_spec_fail(&c->sp, path, "'%s' is not one of model.categories",
                          cat);
    }
    free(cat);
    if (!rc)
        rc = parse_methods(c, o, jp, r);
    if (!rc)
        rc = parse_run_numbers(c, o, jp, r);
    if (!rc)
        rc = parse_need(c, o, jp, r);
    if (!rc)
        rc = parse_solver(c, o, jp, r);
    if (!rc)
        rc = parse_candidates(c, o, jp, &r->candidates);
    if (!rc)
        rc = mg_matrix_spec_parse(&c->sp, o, jp, "candidate_field",
                                  &r->distances);
    return rc;
}

static int parse_siting(spec_ctx *c, json_t *v, mg_siting_spec **out)
{
    if (!json_is_object(v) && !(json_is_array(v) && json_array_size(v)))
        return mg_spec_fail(&c->sp, "siting",
                            "'siting' must be an object or a non-empty "
                            "array of objects");
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    mg_siting_spec *s = calloc(1, sizeof *s);
    int rc = s && (s->runs = calloc(n, sizeof *s->runs))
                 ? MG_OK
                 : mg_spec_nomem(&c->sp);
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
        snprintf(jp, sizeof jp,
                 p->siting->n > 1 ? "siting[%zu].need" : "siting.need", i);
        return mg_spec_fail(&c->sp, jp,
                            "\"access_gap\" needs an 'access' section that "
                            "computes '%s'",
                            p->model.categories[r->category]);
    }
    return MG_OK;
}

int mg_siting_spec_read(mg_spec *sp, json_t *v, const mg_model_spec *m,
                        mg_siting_spec **out)
{
    spec_ctx c = {*sp, m};
    *out = NULL;
    return parse_siting(&c, v, out);
}

int mg_siting_section_parse(mg_spec *sp, json_t *v, mg_project *p)
{
    spec_ctx c = {*sp, &p->model};
    p->siting = NULL;
    int rc = v ? parse_siting(&c, v, &p->siting) : MG_OK;
    return rc ? rc : check_siting_need(&c, p);
}

void mg_siting_section_clear(mg_project *p)
{
    mg_siting_spec_free(p->siting);
    p->siting = NULL;
}

void mg_siting_spec_free(mg_siting_spec *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->runs && i < s->n; i++) {
        mg_candidate_spec *c = &s->runs[i].candidates;
        free(c->path);
        free(c->layer);
        free(c->crs);
        free(c->lon_field);
        free(c->lat_field);
        free(c->id_field);
        free(c->name_field);
        mg_matrix_spec_clear(&s->runs[i].distances);
    }
    free(s->runs);
    free(s);
}
