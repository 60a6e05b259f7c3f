/* reports/poverty-ranking.csv and reports/poverty-af.csv. */
#include "poverty_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One figure of the AF report, unrounded (NaN: an empty cell). */
static void put_num(FILE *f, const mg_csv_format *fmt, double v)
{
    mg_csv_num(f, fmt, v, MG_CSV_FULL);
}

/* A level's column by name into a fresh array (NULL on NOMEM or when the
 * level has no such column). */
static double *column(const mg_dataset *d, const mg_level *l,
                      const char *prefix, const char *name, const char *suffix)
{
    char field[MG_POVERTY_FIELD_MAX];
    poverty_field(field, prefix, name, suffix);
    double *v = malloc((l->n ? l->n : 1) * sizeof *v);
    if (v && mg_level_get_values(l, &d->project->model, field, v) != MG_OK) {
        free(v);
        v = NULL;
    }
    return v;
}

typedef struct order_item {
    double v;
    const char *code;
    size_t i;
} order_item;

/* Poorest first; regions without a score last, by code. */
static int by_index(const void *a, const void *b)
{
    const order_item *x = a, *y = b;
    if (isnan(x->v) != isnan(y->v))
        return isnan(x->v) ? 1 : -1;
    if (!isnan(x->v) && x->v != y->v)
        return x->v < y->v ? 1 : -1;
    return strcmp(x->code, y->code);
}

/* Per dimension: score, grade and rank arrays, 3 per dimension. */
static double **dimension_columns(const mg_dataset *d, const mg_level *l)
{
    const mg_poverty_spec *s = d->project->poverty;
    static const char *const suffix[3] = {"_score", "_grade", "_rank"};
    size_t n = 3 * s->n_dimensions;
    double **c = calloc(n ? n : 1, sizeof *c);
    for (size_t k = 0; c && k < n; k++)
        if (!(c[k] = column(d, l, "dim_", s->dimensions[k / 3].name,
                            suffix[k % 3]))) {
            for (size_t j = 0; j < k; j++)
                free(c[j]);
            free(c);
            c = NULL;
        }
    return c;
}

/* One row: index and scores to 2 decimals, grades and ranks whole (the
 * GeoPackage keeps the full precision); the parent's code and name. */
static void write_ranking_row(FILE *f, const mg_csv_format *fmt,
                              const mg_dataset *d, size_t li, size_t i,
                              double *const *main, double *const *dims)
{
    const mg_poverty_spec *s = d->project->poverty;
    const mg_level *l = &d->levels[li];
    const mg_region *r = &l->regions[i];
    const mg_region *up = li + 1 < d->n_levels && r->parent >= 0 &&
                                  (size_t)r->parent < d->levels[li + 1].n
                              ? &d->levels[li + 1].regions[r->parent]
                              : NULL;
    mg_csv_text(f, fmt, l->level, 1);
    mg_csv_num(f, fmt, main[2][i], 0);
    mg_csv_text(f, fmt, r->code, 0);
    mg_csv_text(f, fmt, r->name, 0);
    mg_csv_text(f, fmt, up ? up->code : r->parent_code, 0);
    mg_csv_text(f, fmt, up ? up->name : NULL, 0);
    mg_csv_num(f, fmt, main[0][i], 2);
    mg_csv_num(f, fmt, main[1][i], 0);
    mg_csv_num(f, fmt, main[3][i], 0);
    mg_csv_num(f, fmt, main[4][i], 0);
    for (size_t j = 0; j < 3 * s->n_dimensions; j++)
        mg_csv_num(f, fmt, dims[j][i], j % 3 == 0 ? 2 : 0);
    fputc('\n', f);
}

static int write_ranking_rows(FILE *f, const mg_csv_format *fmt,
                              const mg_dataset *d, size_t li,
                              double *const *main, double *const *dims)
{
    const mg_level *l = &d->levels[li];
    order_item *o = malloc((l->n ? l->n : 1) * sizeof *o);
    if (!o)
        return MG_ERR_NOMEM;
    for (size_t i = 0; i < l->n; i++)
        o[i] = (order_item){main[0][i], l->regions[i].code, i};
    qsort(o, l->n, sizeof *o, by_index);
    for (size_t k = 0; k < l->n; k++)
        write_ranking_row(f, fmt, d, li, o[k].i, main, dims);
    free(o);
    return MG_OK;
}

static void write_ranking_header(FILE *f, const mg_csv_format *fmt,
                                 const mg_poverty_spec *s)
{
    mg_csv_begin(f, fmt);
    fprintf(f,
            "level%crank%ccode%cname%cparent_code%cparent_name%c"
            "poverty_index%cpoverty_grade%crank_in_parent%cindicators",
            fmt->sep, fmt->sep, fmt->sep, fmt->sep, fmt->sep, fmt->sep,
            fmt->sep, fmt->sep, fmt->sep);
    for (size_t k = 0; k < s->n_dimensions; k++) {
        const char *n = s->dimensions[k].name;
        fprintf(f, "%cdim_%s_score%cdim_%s_grade%cdim_%s_rank", fmt->sep, n,
                fmt->sep, n, fmt->sep, n);
    }
    fputc('\n', f);
}

int mg_poverty_write_ranking(const mg_dataset *d, const char *path,
                             const mg_csv_format *fmt, mg_error *err)
{
    if (!fmt)
        fmt = &mg_csv_plain;
    static const char *const names[5] = {
        MG_POVERTY_FIELD_INDEX, MG_POVERTY_FIELD_GRADE, MG_POVERTY_FIELD_RANK,
        MG_POVERTY_FIELD_RANK_IN_PARENT, MG_POVERTY_FIELD_INDICATORS};
    const mg_poverty_spec *s = d->project->poverty;
    long li = mg_poverty_find_level(d);
    if (!s || li < 0 || !s->n_indicators)
        return MG_OK;
    const mg_level *l = &d->levels[li];
    double *main[5] = {NULL};
    double **dims = dimension_columns(d, l);
    int rc = dims ? MG_OK : MG_ERR_NOMEM;
    for (int k = 0; !rc && k < 5; k++)
        if (!(main[k] = column(d, l, "", names[k], "")))
            rc = MG_ERR_NOMEM;
    errno = 0;
    FILE *f = rc ? NULL : fopen(path, "w");
    if (!rc && !f)
        rc = MG_ERR_OUTPUT;
    if (f) {
        write_ranking_header(f, fmt, s);
        rc = write_ranking_rows(f, fmt, d, (size_t)li, main, dims);
        if (ferror(f) && !rc)
            rc = MG_ERR_OUTPUT;
        if (fclose(f) != 0 && !rc)
            rc = MG_ERR_OUTPUT;
    }
    for (int k = 0; k < 5; k++)
        free(main[k]);
    for (size_t j = 0; dims && j < 3 * s->n_dimensions; j++)
        free(dims[j]);
    free(dims);
    if (rc == MG_ERR_OUTPUT)
        return mg_error_set(err, rc, path, -1, NULL,
                            "cannot write the "
                            "poverty ranking: %s",
                            errno ? strerror(errno) : "write error");
    if (rc)
        return mg_error_set(err, rc, path, -1, NULL, "out of memory");
    return MG_OK;
}

/* The AF columns of one level: records, weight, h, a, m0, then
 * censored_h and contrib of each indicator, then vulnerable and severe. */
enum { AF_COLS = 7 };
typedef struct af_cols {
    double *v[AF_COLS];
    double **ch, **co;
} af_cols;

static void af_cols_free(af_cols *c, size_t nj)
{
    for (int k = 0; k < AF_COLS; k++)
        free(c->v[k]);
    for (size_t j = 0; j < nj; j++) {
        if (c->ch)
            free(c->ch[j]);
        if (c->co)
            free(c->co[j]);
    }
    free(c->ch);
    free(c->co);
}

static int af_cols_get(const mg_dataset *d, const mg_level *l, af_cols *c)
{
    static const char *const names[AF_COLS] = {
        "af_records", "af_weight",     "af_h",     "af_a",
        "af_m0",      "af_vulnerable", "af_severe"};
    const mg_af_spec *a = d->project->poverty->af;
    size_t nj = a->n_indicators;
    c->ch = calloc(nj, sizeof *c->ch);
    c->co = calloc(nj, sizeof *c->co);
    int ok = c->ch && c->co;
    for (int k = 0; ok && k < AF_COLS; k++)
        ok = (c->v[k] = column(d, l, "", names[k], "")) != NULL;
    for (size_t j = 0; ok && j < nj; j++)
        ok = (c->ch[j] =
                  column(d, l, "af_", a->indicators[j].name, "_censored_h")) &&
             (c->co[j] =
                  column(d, l, "af_", a->indicators[j].name, "_contrib"));
    return ok ? MG_OK : MG_ERR_NOMEM;
}

/* The country from the regions of the poverty level: AF is decomposable
 * by subgroups, so each figure is a weight-share-weighted sum of the
 * regions' (records outside every region are not in any). */
static void write_national(FILE *f, const mg_csv_format *fmt,
                           const mg_af_spec *a, const mg_level *l,
                           const af_cols *c)
{
    size_t nj = a->n_indicators;
    double rec = 0, w = 0, poor = 0, score = 0, vul = 0, sev = 0;
    for (size_t r = 0; r < l->n; r++) {
        rec += c->v[0][r];
        if (!(c->v[1][r] > 0))
            continue;
        w += c->v[1][r];
        poor += c->v[1][r] * c->v[2][r];
        score += c->v[1][r] * c->v[4][r];
        vul += c->v[1][r] * c->v[5][r];
        sev += c->v[1][r] * c->v[6][r];
    }
    mg_csv_text(f, fmt, "national", 1);
    mg_csv_text(f, fmt, NULL, 0);
    mg_csv_text(f, fmt, "national", 0);
    put_num(f, fmt, rec);
    put_num(f, fmt, w);
    put_num(f, fmt, w > 0 ? poor / w : NAN);
    put_num(f, fmt, poor > 0 ? score / poor : NAN);
    double m0 = w > 0 ? score / w : NAN;
    put_num(f, fmt, m0);
    for (size_t j = 0; j < nj; j++) {
        double h = 0;
        for (size_t r = 0; r < l->n; r++)
            if (c->v[1][r] > 0)
                h += c->v[1][r] * c->ch[j][r];
        h = w > 0 ? h / w : NAN;
        put_num(f, fmt, h);
        put_num(f, fmt, m0 > 0 ? 100 * a->indicators[j].weight * h / m0 : NAN);
    }
    put_num(f, fmt, w > 0 ? vul / w : NAN);
    put_num(f, fmt, w > 0 ? sev / w : NAN);
    fputc('\n', f);
}

static void write_af_rows(FILE *f, const mg_csv_format *fmt,
                          const mg_af_spec *a, const mg_level *l,
                          const af_cols *c)
{
    for (size_t r = 0; r < l->n; r++) {
        mg_csv_text(f, fmt, l->level, 1);
        mg_csv_text(f, fmt, l->regions[r].code, 0);
        mg_csv_text(f, fmt, l->regions[r].name, 0);
        for (int k = 0; k < 5; k++)
            put_num(f, fmt, c->v[k][r]);
        for (size_t j = 0; j < a->n_indicators; j++) {
            put_num(f, fmt, c->ch[j][r]);
            put_num(f, fmt, c->co[j][r]);
        }
        put_num(f, fmt, c->v[5][r]);
        put_num(f, fmt, c->v[6][r]);
        fputc('\n', f);
    }
}

static int write_af_file(FILE *f, const mg_csv_format *fmt,
                         const mg_dataset *d, size_t li)
{
    const mg_af_spec *a = d->project->poverty->af;
    char sep = fmt->sep;
    mg_csv_begin(f, fmt);
    fprintf(f, "level%ccode%cname%crecords%cweight%ch%ca%cm0", sep, sep, sep,
            sep, sep, sep, sep);
    for (size_t j = 0; j < a->n_indicators; j++)
        fprintf(f, "%c%s_censored_h%c%s_contrib", sep, a->indicators[j].name,
                sep, a->indicators[j].name);
    fprintf(f, "%cvulnerable%csevere\n", sep, sep);
    int rc = MG_OK;
    for (size_t lv = li; !rc && lv < d->n_levels; lv++) {
        af_cols c = {{NULL}, NULL, NULL};
        rc = af_cols_get(d, &d->levels[lv], &c);
        if (!rc && lv == li)
            write_national(f, fmt, a, &d->levels[lv], &c);
        if (!rc)
            write_af_rows(f, fmt, a, &d->levels[lv], &c);
        af_cols_free(&c, a->n_indicators);
    }
    return rc;
}

int mg_poverty_write_af(const mg_dataset *d, const char *path,
                        const mg_csv_format *fmt, mg_error *err)
{
    if (!fmt)
        fmt = &mg_csv_plain;
    const mg_poverty_spec *s = d->project->poverty;
    long li = mg_poverty_find_level(d);
    if (!s || !s->af || li < 0)
        return MG_OK;
    errno = 0;
    FILE *f = fopen(path, "w");
    if (!f)
        return mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                            "cannot "
                            "create the Alkire-Foster report: %s",
                            strerror(errno));
    int rc = write_af_file(f, fmt, d, (size_t)li);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        rc = rc ? rc : MG_ERR_OUTPUT;
    if (rc == MG_ERR_OUTPUT)
        return mg_error_set(err, rc, path, -1, NULL,
                            "write error in the "
                            "Alkire-Foster report");
    if (rc)
        return mg_error_set(err, rc, path, -1, NULL,
                            "out of memory, or the "
                            "AF figures were not computed");
    return MG_OK;
}
