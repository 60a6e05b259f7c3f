/* The poverty indicators: the indicator table and the regions' own fields,
 * matched to the regions of the poverty level. */
#include "poverty_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int by_key(const void *a, const void *b)
{
    const poverty_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

int poverty_keys_build(const mg_level *l, poverty_key **out)
{
    *out = malloc((l->n ? l->n : 1) * sizeof **out);
    if (!*out)
        return MG_ERR_NOMEM;
    for (size_t i = 0; i < l->n; i++)
        (*out)[i] = (poverty_key){l->regions[i].key, i};
    qsort(*out, l->n, sizeof **out, by_key);
    return MG_OK;
}

long poverty_keys_find(const poverty_key *keys, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(keys[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(keys[lo].key, key) == 0 ? (long)keys[lo].index
                                                    : -1;
}

/* Unlike counts, an indicator written "25 /zi" or "1,5" is not read as
 * its leading number: in an index a wrong value is worse than a missing
 * one. */
int poverty_parse_number(const char *text, double *v)
{
    *v = NAN;
    if (!text)
        return 0;
    while (*text == ' ' || *text == '\t')
        text++;
    if (!*text)
        return 0;
    char *end = NULL;
    errno = 0;
    double x = strtod(text, &end);
    while (end && (*end == ' ' || *end == '\t' || *end == '\r'))
        end++;
    if (end == text || *end || errno == ERANGE || !isfinite(x))
        return -1;
    *v = x;
    return 1;
}

static const char *missing_action(const mg_poverty_spec *s)
{
    return s->missing == MG_POVERTY_MISSING_EXCLUDE
               ? "region left without a poverty score (poverty.missing: "
                 "exclude)"
               : "indicator left out; region scored on the indicators it "
                 "has (poverty.missing: renormalise)";
}

/* The table's columns: per indicator, the numerator's and the
 * denominator's column index (-1 when that part is not from the table). */
typedef struct table_reader {
    mg_dataset *d;
    const mg_poverty_spec *s;
    const mg_level *l;
    char *path;
    mg_vec_source src;
    int f_code;
    int *f_num, *f_den;
    double **num, **den; /* caller's arrays, [indicator][region] */
    long *row_of;        /* per region: the table row used, or -1 */
} table_reader;

static int open_table(table_reader *t, mg_error *err)
{
    const mg_poverty_spec *s = t->s;
    int rc = mg_vec_open(&t->src, t->path, s->table_layer, err);
    if (!rc)
        rc = mg_vec_field(&t->src, s->table_code_field,
                          "poverty.table.code_field", &t->f_code, err);
    for (size_t i = 0; !rc && i < s->n_indicators; i++) {
        const mg_poverty_indicator *x = &s->indicators[i];
        char what[96];
        t->f_num[i] = t->f_den[i] = -1;
        snprintf(what, sizeof what, "poverty.indicators[%zu].column", i);
        if (x->column)
            rc = mg_vec_field(&t->src, x->column, what, &t->f_num[i], err);
        snprintf(what, sizeof what,
                 "poverty.indicators[%zu].denominator_column", i);
        if (!rc && x->denominator_column)
            rc = mg_vec_field(&t->src, x->denominator_column, what,
                              &t->f_den[i], err);
    }
    return rc;
}

/* One cell: a number, or NAN with a report row. */
static int read_cell(table_reader *t, OGRFeatureH f, long fid, int index,
                     double *out)
{
    if (index < 0)
        return MG_OK;
    char *text = mg_field_text(f, index);
    int kind = poverty_parse_number(text, out);
    int rc = MG_OK;
    const char *name =
        OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(t->src.defn, index));
    if (kind <= 0)
        rc = mg_report_add(&t->d->report, t->path, fid, name, text,
                           kind == 0 ? "blank indicator value"
                                     : "indicator value is not a number",
                           missing_action(t->s));
    free(text);
    return rc;
}

static int read_table_row(table_reader *t, const poverty_key *keys,
                          OGRFeatureH f)
{
    long fid = (long)OGR_F_GetFID(f);
    char *code = mg_field_text(f, t->f_code), key[256];
    const char *field = t->s->table_code_field;
    mg_report *rep = &t->d->report;
    int rc = MG_OK;
    long r = mg_code_normalise(code, key, sizeof key) < 0
                 ? -2
                 : poverty_keys_find(keys, t->l->n, key);
    if (r == -2)
        rc = mg_report_add(rep, t->path, fid, field, NULL,
                           "blank region "
                           "code",
                           "row ignored");
    else if (r < 0)
        rc = mg_report_add(rep, t->path, fid, field, code,
                           "no region with "
                           "this code in the poverty level",
                           "row ignored");
    else if (t->row_of[r] >= 0) {
        char action[128];
        snprintf(action, sizeof action,
                 "row ignored; the first row (%ld) "
                 "is kept",
                 t->row_of[r]);
        rc = mg_report_add(rep, t->path, fid, field, code,
                           "duplicate code "
                           "in the poverty indicator table",
                           action);
    } else {
        t->row_of[r] = fid;
        for (size_t i = 0; !rc && i < t->s->n_indicators; i++) {
            rc = read_cell(t, f, fid, t->f_num[i], &t->num[i][r]);
            if (!rc)
                rc = read_cell(t, f, fid, t->f_den[i], &t->den[i][r]);
        }
    }
    free(code);
    return rc;
}

static int read_table(table_reader *t, mg_error *err)
{
    size_t n = t->s->n_indicators;
    poverty_key *keys = NULL;
    t->f_num = calloc(n, sizeof *t->f_num);
    t->f_den = calloc(n, sizeof *t->f_den);
    t->row_of = malloc((t->l->n ? t->l->n : 1) * sizeof *t->row_of);
    int rc = t->f_num && t->f_den && t->row_of
                 ? poverty_keys_build(t->l, &keys)
                 : MG_ERR_NOMEM;
    for (size_t r = 0; !rc && r < t->l->n; r++)
        t->row_of[r] = -1;
    if (!rc)
        rc = open_table(t, err);
    OGRFeatureH f;
    while (!rc && (f = OGR_L_GetNextFeature(t->src.layer)) != NULL) {
        rc = read_table_row(t, keys, f);
        OGR_F_Destroy(f);
        if (!rc && mg_interrupted)
            rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                              "interrupted");
    }
    for (size_t r = 0; !rc && r < t->l->n; r++)
        if (t->row_of[r] < 0)
            rc = mg_report_add(&t->d->report, t->path, -1,
                               t->s->table_code_field, t->l->regions[r].code,
                               "region has no row in the poverty indicator "
                               "table",
                               missing_action(t->s));
    mg_vec_close(&t->src);
    free(keys);
    free(t->f_num);
    free(t->f_den);
    free(t->row_of);
    return rc;
}

/* A "field" or "denominator_field" of the regions into out[0..l->n-1]. */
static int read_field(mg_dataset *d, const mg_level *l, const char *name,
                      size_t i, const char *key, double *out, mg_error *err)
{
    if (mg_level_get_values(l, &d->project->model, name, out) == MG_OK)
        return MG_OK;
    char jp[96];
    snprintf(jp, sizeof jp, "poverty.indicators[%zu].%s", i, key);
    return mg_error_set(err, MG_ERR_PROJECT, d->project->path, -1, jp,
                        "the regions of level '%s' have no field '%s' (see "
                        "docs/outputs.md for the fields)",
                        l->level, name);
}

/* value = num / den * scale, with every missing value reported. */
static int combine(mg_dataset *d, const mg_poverty_spec *s, size_t i,
                   size_t li, const double *num, const double *den,
                   double *raw)
{
    const mg_poverty_indicator *x = &s->indicators[i];
    const mg_level *l = &d->levels[li];
    const char *file = d->level_paths ? d->level_paths[li] : NULL;
    int rc = MG_OK;
    for (size_t r = 0; !rc && r < l->n; r++) {
        const mg_region *g = &l->regions[r];
        raw[r] = NAN;
        char value[64];
        if (isnan(num[r])) {
            /* Table cells were reported as they were read. */
            if (x->field)
                rc = mg_report_add(&d->report, file, g->fid, x->field, g->code,
                                   "indicator field has no value",
                                   missing_action(s));
        } else if (den && (isnan(den[r]) || den[r] == 0)) {
            const char *dn = x->denominator_field ? x->denominator_field
                                                  : x->denominator_column;
            snprintf(value, sizeof value, "%s", isnan(den[r]) ? "" : "0");
            if (x->denominator_field || !isnan(den[r]))
                rc = mg_report_add(&d->report, file, g->fid, dn, value,
                                   "indicator denominator is 0 or has no "
                                   "value",
                                   missing_action(s));
        } else {
            raw[r] = num[r] / (den ? den[r] : 1) * x->scale;
        }
    }
    return rc;
}

int poverty_read_indicators(mg_dataset *d, const mg_poverty_spec *s, size_t li,
                            double **raw, mg_error *err)
{
    const mg_level *l = &d->levels[li];
    size_t n = s->n_indicators, nr = l->n ? l->n : 1;
    table_reader t = {.d = d, .s = s, .l = l};
    t.num = calloc(n, sizeof *t.num);
    t.den = calloc(n, sizeof *t.den);
    int rc = t.num && t.den ? MG_OK : MG_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        t.num[i] = malloc(nr * sizeof **t.num);
        t.den[i] = malloc(nr * sizeof **t.den);
        if (!t.num[i] || !t.den[i])
            rc = MG_ERR_NOMEM;
        for (size_t r = 0; !rc && r < l->n; r++)
            t.num[i][r] = t.den[i][r] = NAN;
    }
    if (!rc && s->table_path &&
        !(t.path = mg_project_resolve(d->project, s->table_path)))
        rc = MG_ERR_NOMEM;
    if (!rc && s->table_path)
        rc = read_table(&t, err);
    for (size_t i = 0; !rc && i < n; i++) {
        const mg_poverty_indicator *x = &s->indicators[i];
        if (x->field)
            rc = read_field(d, l, x->field, i, "field", t.num[i], err);
        if (!rc && x->denominator_field)
            rc = read_field(d, l, x->denominator_field, i, "denominator_field",
                            t.den[i], err);
        int has_den = x->denominator_field || x->denominator_column;
        if (!rc)
            rc = combine(d, s, i, li, t.num[i], has_den ? t.den[i] : NULL,
                         raw[i]);
    }
    if (rc == MG_ERR_NOMEM)
        mg_error_set(err, rc, t.path, -1, NULL, "out of memory");
    for (size_t i = 0; i < n && t.num && t.den; i++) {
        free(t.num[i]);
        free(t.den[i]);
    }
    free(t.num);
    free(t.den);
    free(t.path);
    return rc;
}
