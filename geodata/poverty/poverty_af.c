/* The Alkire–Foster index from household or person records: H, A, M0,
 * censored headcount ratios and contributions per region (docs/poverty.md).
 *
 * For record i with sampling weight s_i and indicator values x_ij:
 *   g_ij = 1 when x_ij is deprived against the cutoff z_j, else 0
 *   c_i  = sum_j w_j g_ij                  (deprivation score, w sums to 1)
 *   poor when c_i >= k
 * and for a set of records (a region, or the country):
 *   H    = sum of s_i over the poor / sum of s_i
 *   A    = sum of s_i c_i over the poor / sum of s_i over the poor
 *   M0   = sum of s_i c_i over the poor / sum of s_i   ( = H x A)
 *   h_j  = sum of s_i g_ij over the poor / sum of s_i  (censored headcount)
 *   contribution_j = w_j h_j / M0 x 100 %  (they sum to 100 %)
 *   vulnerable = sum of s_i over 20 % <= c_i < k / sum of s_i
 *   severe     = sum of s_i over c_i >= 50 % / sum of s_i
 * (the global MPI's "vulnerable to" and "in severe" poverty, Alkire,
 * Kanagaratnam & Suppa, OPHI MPI methodological notes).
 */
#include "poverty_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* c_i >= k is decided with this slack, so that k = 1/3 with weights of
 * 1/6 + 1/6 (the global MPI's) is met although the sum rounds below. */
#define AF_K_SLACK 1e-9

/* Sums for the regions of one level. */
typedef struct af_sums {
    double *records, *weight, *poor, *score; /* per region */
    double *vulnerable, *severe;             /* per region */
    double *censored;                        /* region * n_indicators + j */
} af_sums;

typedef struct af_reader {
    mg_dataset *d;
    const mg_af_spec *s;
    size_t li;
    char *path;
    mg_vec_source src;
    int f_code, f_weight;
    int *f_ind;
    double *x;     /* the current record's values */
    af_sums *sums; /* one per level from li up */
    size_t n_sums;
    int f_strata, f_psu; /* -1: none */
    af_store store;      /* the weighted records, for the SEs */
} af_reader;

static int sums_alloc(af_sums *a, size_t n, size_t nj)
{
    n = n ? n : 1;
    a->records = calloc(n, sizeof *a->records);
    a->weight = calloc(n, sizeof *a->weight);
    a->poor = calloc(n, sizeof *a->poor);
    a->score = calloc(n, sizeof *a->score);
    a->vulnerable = calloc(n, sizeof *a->vulnerable);
    a->severe = calloc(n, sizeof *a->severe);
    a->censored = calloc(n * nj, sizeof *a->censored);
    return a->records && a->weight && a->poor && a->score && a->censored &&
                   a->vulnerable && a->severe
               ? MG_OK
               : MG_ERR_NOMEM;
}

static void sums_free(af_sums *a)
{
    free(a->records);
    free(a->weight);
    free(a->poor);
    free(a->score);
    free(a->vulnerable);
    free(a->severe);
    free(a->censored);
}

static int deprived(const mg_af_indicator *x, double v)
{
    switch (x->deprived_if) {
    case MG_AF_BELOW:
        return v < x->cutoff;
    case MG_AF_AT_MOST:
        return v <= x->cutoff;
    case MG_AF_ABOVE:
        return v > x->cutoff;
    default:
        return v >= x->cutoff;
    }
}

/* The value of field index as a number, or a report row (*ok = 0). */
static int read_value(af_reader *t, OGRFeatureH f, long fid, int index,
                      int nonneg, double *v, int *ok)
{
    char *text = mg_field_text(f, index);
    int kind = poverty_parse_number(text, v);
    const char *name =
        OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(t->src.defn, index));
    const char *problem = kind == 0          ? "blank value"
                          : kind < 0         ? "value is not a number"
                          : nonneg && *v < 0 ? "negative sampling weight"
                                             : NULL;
    int rc = MG_OK;
    *ok = problem == NULL;
    if (problem)
        rc = mg_report_add(&t->d->report, t->path, fid, name, text, problem,
                           "record left out of the Alkire-Foster figures");
    free(text);
    return rc;
}

/* Adds one record to its region and to every region above it. */
static void accumulate(af_reader *t, size_t region, double s)
{
    const mg_af_spec *a = t->s;
    size_t nj = a->n_indicators;
    double c = 0;
    for (size_t j = 0; j < nj; j++)
        c += a->indicators[j].weight * deprived(&a->indicators[j], t->x[j]);
    int poor = c >= a->k - AF_K_SLACK;
    int vulnerable = !poor && c >= 0.2 - AF_K_SLACK;
    int severe = c >= 0.5 - AF_K_SLACK;
    long r = (long)region;
    for (size_t lv = 0; lv < t->n_sums && r >= 0; lv++) {
        af_sums *u = &t->sums[lv];
        u->records[r] += 1;
        u->weight[r] += s;
        u->vulnerable[r] += vulnerable ? s : 0;
        u->severe[r] += severe ? s : 0;
        if (poor) {
            u->poor[r] += s;
            u->score[r] += s * c;
            for (size_t j = 0; j < nj; j++)
                u->censored[(size_t)r * nj + j] +=
                    s * deprived(&a->indicators[j], t->x[j]);
        }
        r = t->d->levels[t->li + lv].regions[r].parent;
    }
}

/* Keeps a weighted record for the standard errors. */
static int store_record(af_reader *t, OGRFeatureH f, size_t region, double s)
{
    const mg_af_spec *a = t->s;
    size_t nj = a->n_indicators;
    unsigned char *g = malloc(nj + 1);
    double c = 0;
    if (!g)
        return MG_ERR_NOMEM;
    for (size_t j = 0; j < nj; j++)
        c += a->indicators[j].weight * deprived(&a->indicators[j], t->x[j]);
    int poor = c >= a->k - AF_K_SLACK;
    for (size_t j = 0; j < nj; j++)
        g[j] = (unsigned char)(poor && deprived(&a->indicators[j], t->x[j]));
    af_record r = {region, s, poor, poor ? c : 0,
                   t->f_strata >= 0 ? mg_field_text(f, t->f_strata) : NULL,
                   t->f_psu >= 0 ? mg_field_text(f, t->f_psu) : NULL};
    int rc = af_store_push(&t->store, &r, g);
    free(g);
    if (rc) {
        free(r.stratum);
        free(r.psu);
    }
    return rc;
}

static int read_record(af_reader *t, const poverty_key *keys, OGRFeatureH f)
{
    const mg_level *l = &t->d->levels[t->li];
    long fid = (long)OGR_F_GetFID(f);
    char *code = mg_field_text(f, t->f_code), key[256];
    const char *action = "record left out of the Alkire-Foster figures";
    int rc = MG_OK, ok = 1;
    double s = 1;
    long r = mg_code_normalise(code, key, sizeof key) < 0
                 ? -2
                 : poverty_keys_find(keys, l->n, key);
    if (r == -2)
        rc = mg_report_add(&t->d->report, t->path, fid, t->s->code_field, NULL,
                           "blank region code", action);
    else if (r < 0)
        rc = mg_report_add(&t->d->report, t->path, fid, t->s->code_field, code,
                           "no region with this code in the poverty "
                           "level",
                           action);
    if (!rc && r >= 0 && t->f_weight >= 0)
        rc = read_value(t, f, fid, t->f_weight, 1, &s, &ok);
    /* Every problem of the record is reported, not only the first. */
    int all = ok;
    for (size_t j = 0; !rc && r >= 0 && j < t->s->n_indicators; j++) {
        rc = read_value(t, f, fid, t->f_ind[j], 0, &t->x[j], &ok);
        all &= ok;
    }
    if (!rc && r >= 0 && all)
        accumulate(t, (size_t)r, s);
    if (!rc && r >= 0 && all && t->s->weight_field)
        rc = store_record(t, f, (size_t)r, s);
    free(code);
    return rc;
}

static int open_records(af_reader *t, mg_error *err)
{
    const mg_af_spec *a = t->s;
    int rc = mg_vec_open(&t->src, t->path, a->layer, err);
    t->f_weight = t->f_strata = t->f_psu = -1;
    t->store.nj = a->n_indicators;
    if (!rc)
        rc = mg_vec_field(&t->src, a->code_field,
                          "poverty.alkire_foster.code_field", &t->f_code, err);
    if (!rc && a->weight_field)
        rc = mg_vec_field(&t->src, a->weight_field,
                          "poverty.alkire_foster.weight_field", &t->f_weight,
                          err);
    if (!rc && a->strata_field)
        rc = mg_vec_field(&t->src, a->strata_field,
                          "poverty.alkire_foster.strata_field", &t->f_strata,
                          err);
    if (!rc && a->psu_field)
        rc = mg_vec_field(&t->src, a->psu_field,
                          "poverty.alkire_foster.psu_field", &t->f_psu, err);
    for (size_t j = 0; !rc && j < a->n_indicators; j++) {
        char what[96];
        snprintf(what, sizeof what,
                 "poverty.alkire_foster.indicators[%zu].column", j);
        rc = mg_vec_field(&t->src, a->indicators[j].column, what, &t->f_ind[j],
                          err);
    }
    return rc;
}

static int read_records(af_reader *t, mg_error *err)
{
    poverty_key *keys = NULL;
    int rc = poverty_keys_build(&t->d->levels[t->li], &keys);
    if (!rc)
        rc = open_records(t, err);
    OGRFeatureH f;
    while (!rc && (f = OGR_L_GetNextFeature(t->src.layer)) != NULL) {
        rc = read_record(t, keys, f);
        OGR_F_Destroy(f);
        if (!rc && mg_interrupted)
            rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                              "interrupted");
    }
    mg_vec_close(&t->src);
    free(keys);
    return rc;
}

/* The af_* columns of one level from its sums. */
static int put_af_columns(mg_level *l, const mg_af_spec *a, const af_sums *u)
{
    size_t nj = a->n_indicators;
    double *rec, *wt, *h, *av, *m0, *vul, *sev;
    int rc = mg_level_add_column(l, "af_records", 1, &rec);
    if (!rc)
        rc = mg_level_add_column(l, "af_vulnerable", 0, &vul);
    if (!rc)
        rc = mg_level_add_column(l, "af_severe", 0, &sev);
    if (!rc)
        rc = mg_level_add_column(l, "af_weight", 0, &wt);
    if (!rc)
        rc = mg_level_add_column(l, "af_h", 0, &h);
    if (!rc)
        rc = mg_level_add_column(l, "af_a", 0, &av);
    if (!rc)
        rc = mg_level_add_column(l, "af_m0", 0, &m0);
    for (size_t r = 0; !rc && r < l->n; r++) {
        double w = u->weight[r];
        rec[r] = u->records[r];
        wt[r] = u->records[r] > 0 ? w : NAN;
        h[r] = w > 0 ? u->poor[r] / w : NAN;
        /* A is the intensity among the poor: undefined without any. */
        av[r] = u->poor[r] > 0 ? u->score[r] / u->poor[r] : NAN;
        m0[r] = w > 0 ? u->score[r] / w : NAN;
        vul[r] = w > 0 ? u->vulnerable[r] / w : NAN;
        sev[r] = w > 0 ? u->severe[r] / w : NAN;
    }
    for (size_t j = 0; !rc && j < nj; j++) {
        char field[MG_POVERTY_FIELD_MAX];
        double *ch, *co;
        poverty_field(field, "af_", a->indicators[j].name, "_censored_h");
        rc = mg_level_add_column(l, field, 0, &ch);
        poverty_field(field, "af_", a->indicators[j].name, "_contrib");
        if (!rc)
            rc = mg_level_add_column(l, field, 0, &co);
        for (size_t r = 0; !rc && r < l->n; r++) {
            double w = u->weight[r];
            ch[r] = w > 0 ? u->censored[r * nj + j] / w : NAN;
            co[r] = m0[r] > 0 ? 100 * a->indicators[j].weight * ch[r] / m0[r]
                              : NAN;
        }
    }
    return rc;
}

/* af_dim_<d>_contrib: the contributions of the indicators of dimension d
 * summed, once per dimension (in order of first mention). */
static int put_dim_contrib(mg_level *l, const mg_af_spec *a, const af_sums *u)
{
    size_t nj = a->n_indicators;
    int rc = MG_OK;
    for (size_t j = 0; !rc && j < nj; j++) {
        const char *dim = a->indicators[j].dimension;
        int seen = 0;
        for (size_t q = 0; dim && q < j; q++)
            seen |= a->indicators[q].dimension &&
                    strcmp(a->indicators[q].dimension, dim) == 0;
        if (!dim || seen)
            continue;
        char field[MG_POVERTY_FIELD_MAX];
        double *co;
        poverty_field(field, "af_dim_", dim, "_contrib");
        rc = mg_level_add_column(l, field, 0, &co);
        for (size_t r = 0; !rc && r < l->n; r++) {
            double w = u->weight[r], m0 = w > 0 ? u->score[r] / w : NAN, s = 0;
            for (size_t q = j; q < nj; q++)
                if (a->indicators[q].dimension &&
                    strcmp(a->indicators[q].dimension, dim) == 0)
                    s += a->indicators[q].weight * u->censored[r * nj + q] / w;
            co[r] = m0 > 0 ? 100 * s / m0 : NAN;
        }
    }
    return rc;
}

/* Regions of the poverty level without a single usable record. */
static int report_empty(mg_dataset *d, size_t li, const af_sums *u,
                        const char *path)
{
    const mg_level *l = &d->levels[li];
    int rc = MG_OK;
    for (size_t r = 0; !rc && r < l->n; r++)
        if (!(u->weight[r] > 0))
            rc = mg_report_add(
                &d->report, path, -1, d->project->poverty->af->code_field,
                l->regions[r].code,
                u->records[r] > 0
                    ? "region's records all have sampling weight 0"
                    : "region has no Alkire-Foster records",
                "its AF figures are left NULL");
    return rc;
}

int poverty_compute_af(mg_dataset *d, const mg_af_spec *s, size_t li,
                       mg_error *err)
{
    af_reader t = {.d = d, .s = s, .li = li, .n_sums = d->n_levels - li};
    t.f_ind = calloc(s->n_indicators, sizeof *t.f_ind);
    t.x = calloc(s->n_indicators, sizeof *t.x);
    t.sums = calloc(t.n_sums, sizeof *t.sums);
    t.path = mg_project_resolve(d->project, s->path);
    int rc = t.f_ind && t.x && t.sums && t.path ? MG_OK : MG_ERR_NOMEM;
    for (size_t lv = 0; !rc && lv < t.n_sums; lv++)
        rc = sums_alloc(&t.sums[lv], d->levels[li + lv].n, s->n_indicators);
    if (!rc)
        rc = read_records(&t, err);
    if (!rc)
        rc = report_empty(d, li, &t.sums[0], t.path);
    for (size_t lv = 0; !rc && lv < t.n_sums; lv++)
        rc = put_af_columns(&d->levels[li + lv], s, &t.sums[lv]);
    for (size_t lv = 0; !rc && lv < t.n_sums; lv++)
        rc = put_dim_contrib(&d->levels[li + lv], s, &t.sums[lv]);
    if (!rc && s->weight_field)
        rc = af_put_se(d, s, li, t.n_sums, &t.store);
    af_store_free(&t.store);
    for (size_t lv = 0; t.sums && lv < t.n_sums; lv++)
        sums_free(&t.sums[lv]);
    free(t.sums);
    free(t.f_ind);
    free(t.x);
    free(t.path);
    return rc;
}
