/* The composite poverty index: normalised indicators, dimension scores,
 * the index on 0..100 and its ranks (docs/poverty.md). */
#include "poverty_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Two values closer than this on the 0..100 scale share a rank: the same
 * inputs reached through different sums must not be told apart by their
 * last bit. */
#define RANK_TIE 1e-9

void poverty_field(char *out, const char *prefix, const char *name,
                   const char *suffix)
{
    snprintf(out, MG_POVERTY_FIELD_MAX, "%s%s%s", prefix, name, suffix);
}

long mg_poverty_find_level(const mg_dataset *d)
{
    const mg_poverty_spec *s = d->project ? d->project->poverty : NULL;
    for (size_t i = 0; s && i < d->n_levels; i++)
        if (d->levels[i].level && strcmp(d->levels[i].level, s->level) == 0)
            return (long)i;
    return -1;
}

typedef struct rank_item {
    double v;
    int group;
    size_t i;
} rank_item;

static int by_group_then_value(const void *a, const void *b)
{
    const rank_item *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->v != y->v)
        return x->v < y->v ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i);
}

int poverty_rank(const double *v, const int *group, size_t n, double *rank)
{
    rank_item *items = malloc((n ? n : 1) * sizeof *items);
    if (!items)
        return MG_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        rank[i] = NAN;
        if (!isnan(v[i]) && (!group || group[i] >= 0))
            items[m++] = (rank_item){v[i], group ? group[i] : 0, i};
    }
    qsort(items, m, sizeof *items, by_group_then_value);
    size_t first = 0; /* first item of the current group */
    size_t run = 0;   /* first item of the current run of ties */
    for (size_t j = 0; j < m; j++) {
        if (j == 0 || items[j].group != items[first].group)
            first = run = j;
        else if (fabs(items[j].v - items[run].v) > RANK_TIE)
            run = j;
        /* Competition ranking: ties share the rank of their run's first
         * place, and the next rank skips ("1224"). */
        rank[items[j].i] = (double)(run - first + 1);
    }
    free(items);
    return MG_OK;
}

/* Normalises raw[0..n-1] into norm, oriented so that 1 (or the highest
 * z-score) is the poorest.  *flat is set when the indicator does not tell
 * the regions apart (then every value is 0). */
static void normalise(const mg_poverty_indicator *x, const double *raw,
                      size_t n, double *norm, int *flat)
{
    double lo = INFINITY, hi = -INFINITY, sum = 0, ss = 0;
    size_t m = 0;
    for (size_t r = 0; r < n; r++)
        if (!isnan(raw[r])) {
            lo = fmin(lo, raw[r]);
            hi = fmax(hi, raw[r]);
            sum += raw[r];
            m++;
        }
    double mean = m ? sum / (double)m : NAN;
    for (size_t r = 0; r < n; r++)
        if (!isnan(raw[r]))
            ss += (raw[r] - mean) * (raw[r] - mean);
    double sd = m ? sqrt(ss / (double)m) : NAN;
    int better = x->direction == MG_POVERTY_HIGHER_IS_BETTER;
    *flat = x->normalisation == MG_POVERTY_MINMAX   ? m > 0 && !(hi > lo)
            : x->normalisation == MG_POVERTY_ZSCORE ? m > 0 && !(sd > 0)
                                                    : 0;
    for (size_t r = 0; r < n; r++) {
        double t = raw[r];
        if (isnan(t) || *flat) {
            norm[r] = isnan(t) ? NAN : 0;
            continue;
        }
        switch (x->normalisation) {
        case MG_POVERTY_MINMAX:
            t = (t - lo) / (hi - lo);
            break;
        case MG_POVERTY_GOALPOSTS:
            /* Beyond a goalpost is as good (or bad) as at it: that is what
             * a goalpost means (the HDI's caps). */
            t = (t - x->goalpost_low) / (x->goalpost_high - x->goalpost_low);
            t = fmin(1, fmax(0, t));
            break;
        case MG_POVERTY_ZSCORE:
            t = (t - mean) / sd;
            break;
        }
        norm[r] = !better                                 ? t
                  : x->normalisation == MG_POVERTY_ZSCORE ? -t
                                                          : 1 - t;
    }
}

/* The work of one run: [indicator][region] and [dimension][region]
 * arrays, and the columns they end in. */
typedef struct pov_work {
    mg_dataset *d;
    const mg_poverty_spec *s;
    size_t li;
    mg_level *l;
    double **raw, **norm, **dim;
    double *index;
    double *used;   /* indicators present per region */
    double *weight; /* per indicator: the given or the entropy weights */
} pov_work;

static void work_free(pov_work *w)
{
    /* Any of the arrays may be missing after a failed work_alloc(). */
    for (size_t i = 0; i < w->s->n_indicators; i++) {
        if (w->raw)
            free(w->raw[i]);
        if (w->norm)
            free(w->norm[i]);
    }
    for (size_t k = 0; w->dim && k < w->s->n_dimensions; k++)
        free(w->dim[k]);
    free(w->raw);
    free(w->norm);
    free(w->dim);
    free(w->index);
    free(w->used);
    free(w->weight);
}

static int work_alloc(pov_work *w)
{
    size_t ni = w->s->n_indicators, nd = w->s->n_dimensions;
    size_t n = w->l->n ? w->l->n : 1;
    w->raw = calloc(ni, sizeof *w->raw);
    w->norm = calloc(ni, sizeof *w->norm);
    w->dim = calloc(nd, sizeof *w->dim);
    w->index = malloc(n * sizeof *w->index);
    w->used = malloc(n * sizeof *w->used);
    w->weight = malloc((ni ? ni : 1) * sizeof *w->weight);
    if (!w->raw || !w->norm || !w->dim || !w->index || !w->used ||
        !w->weight)
        return MG_ERR_NOMEM;
    for (size_t i = 0; i < ni; i++)
        w->weight[i] = w->s->indicators[i].weight;
    for (size_t i = 0; i < ni; i++)
        if (!(w->raw[i] = malloc(n * sizeof **w->raw)) ||
            !(w->norm[i] = malloc(n * sizeof **w->norm)))
            return MG_ERR_NOMEM;
    for (size_t k = 0; k < nd; k++)
        if (!(w->dim[k] = malloc(n * sizeof **w->dim)))
            return MG_ERR_NOMEM;
    return MG_OK;
}

/* The score of dimension k of region r before scaling, NAN when the
 * missing-value rule leaves it without one. */
static double dimension_score(const pov_work *w, size_t k, size_t r)
{
    const mg_poverty_spec *s = w->s;
    double sum = 0, wsum = 0;
    int complete = 1;
    for (size_t i = 0; i < s->n_indicators; i++) {
        if (s->indicators[i].dimension != k)
            continue;
        if (isnan(w->norm[i][r])) {
            complete = 0;
            continue;
        }
        sum += w->weight[i] * w->norm[i][r];
        wsum += w->weight[i];
    }
    if (s->missing == MG_POVERTY_MISSING_EXCLUDE && !complete)
        return NAN;
    /* Renormalised: the weights of the indicators present, rescaled to
     * sum to 1 (when all are present wsum is 1 and nothing changes). */
    return wsum > 0 ? sum / wsum : NAN;
}

static void score_region(pov_work *w, size_t r)
{
    const mg_poverty_spec *s = w->s;
    double sum = 0, wsum = 0;
    int complete = 1;
    for (size_t k = 0; k < s->n_dimensions; k++) {
        w->dim[k][r] = dimension_score(w, k, r);
        if (isnan(w->dim[k][r])) {
            complete = 0;
            continue;
        }
        sum += s->dimensions[k].weight * w->dim[k][r];
        wsum += s->dimensions[k].weight;
    }
    int excluded = s->missing == MG_POVERTY_MISSING_EXCLUDE && !complete;
    w->index[r] = !excluded && wsum > 0 ? sum / wsum : NAN;
    if (s->geometric && !isnan(w->index[r])) {
        /* As the HDI's geometric mean, of the complements: the index is
         * the deprivation left after the weighted geometric mean of
         * well-being 1 - dim_d (dimension weights rescaled over those
         * present, as above). */
        double lsum = 0;
        for (size_t k = 0; k < s->n_dimensions; k++)
            if (!isnan(w->dim[k][r]))
                lsum += s->dimensions[k].weight / wsum * log(1 - w->dim[k][r]);
        w->index[r] = 1 - exp(lsum);
    }
    size_t used = 0;
    for (size_t i = 0; i < s->n_indicators; i++)
        used += !isnan(w->norm[i][r]);
    w->used[r] = isnan(w->index[r]) ? NAN : (double)used;
}

/* Brings v onto 0..100.  Bounded scores (every indicator min-max or
 * goalposts, so in [0, 1]) are multiplied by 100; scores with z-scores in
 * them have no natural bounds and are rescaled min-max over the regions
 * (the poorest 100, the least poor 0).  The result is rounded to 9
 * decimals: two regions whose sums differ in the last bit only must
 * neither fall apart in a tie nor on either side of a grade's break. */
static void scale_scores(double *v, size_t n, int bounded)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t r = 0; r < n; r++)
        if (!isnan(v[r])) {
            lo = fmin(lo, v[r]);
            hi = fmax(hi, v[r]);
        }
    for (size_t r = 0; r < n; r++)
        if (!isnan(v[r])) {
            double x = bounded   ? 100 * v[r]
                       : hi > lo ? 100 * (v[r] - lo) / (hi - lo)
                                 : 0;
            v[r] = round(x * 1e9) / 1e9;
        }
}

static int is_bounded(const mg_poverty_spec *s, long k)
{
    for (size_t i = 0; i < s->n_indicators; i++)
        if ((k < 0 || s->indicators[i].dimension == (size_t)k) &&
            s->indicators[i].normalisation == MG_POVERTY_ZSCORE)
            return 0;
    return 1;
}

/* "transform": "log": ln of each value into out (goalposts too, so that
 * they stay in the values' units); a value <= 0 is missing, reported. */
static int log_values(pov_work *w, const mg_poverty_indicator *x,
                      const double *raw, double *out,
                      mg_poverty_indicator *xl)
{
    int rc = MG_OK;
    *xl = *x;
    xl->goalpost_low = log(x->goalpost_low);
    xl->goalpost_high = log(x->goalpost_high);
    for (size_t r = 0; r < w->l->n; r++) {
        out[r] = raw[r] > 0 ? log(raw[r]) : NAN;
        if (!rc && !isnan(raw[r]) && !(raw[r] > 0)) {
            char v[64];
            snprintf(v, sizeof v, "%g", raw[r]);
            rc = mg_report_add(&w->d->report, w->d->project->path, -1,
                               x->name, v,
                               "a value <= 0 has no logarithm",
                               "left missing");
        }
    }
    return rc;
}

/* The entropy method (Shannon entropy of each indicator's shares, e.g.
 * Zou, Yun & Sun 2006): with p_r = n_r / sum n over the m regions with a
 * value, E = -sum p_r ln p_r / ln m, the indicator's weight within its
 * dimension is (1 - E) over the sum of (1 - E) of the dimension's
 * indicators (equal shares when that sum is 0). */
static void entropy_weights(pov_work *w)
{
    const mg_poverty_spec *s = w->s;
    for (size_t i = 0; i < s->n_indicators; i++) {
        double sum = 0, e = 0;
        size_t m = 0;
        for (size_t r = 0; r < w->l->n; r++)
            if (!isnan(w->norm[i][r])) {
                sum += w->norm[i][r];
                m++;
            }
        for (size_t r = 0; sum > 0 && r < w->l->n; r++) {
            double p = isnan(w->norm[i][r]) ? 0 : w->norm[i][r] / sum;
            e -= p > 0 ? p * log(p) : 0;
        }
        w->weight[i] = sum > 0 && m > 1 ? 1 - e / log((double)m) : 0;
    }
    for (size_t k = 0; k < s->n_dimensions; k++) {
        double tot = 0;
        size_t n = 0;
        for (size_t i = 0; i < s->n_indicators; i++)
            if (s->indicators[i].dimension == k) {
                tot += w->weight[i];
                n++;
            }
        for (size_t i = 0; i < s->n_indicators; i++)
            if (s->indicators[i].dimension == k)
                w->weight[i] = tot > 0 ? w->weight[i] / tot : 1.0 / (double)n;
    }
}

static int normalise_all(pov_work *w)
{
    int rc = MG_OK;
    double *tmp = malloc((w->l->n ? w->l->n : 1) * sizeof *tmp);
    if (!tmp)
        return MG_ERR_NOMEM;
    for (size_t i = 0; !rc && i < w->s->n_indicators; i++) {
        const mg_poverty_indicator *x = &w->s->indicators[i];
        const double *raw = w->raw[i];
        mg_poverty_indicator xl;
        int flat = 0;
        if (x->log_transform) {
            rc = log_values(w, x, raw, tmp, &xl);
            raw = tmp;
            x = &xl;
        }
        if (!rc)
            normalise(x, raw, w->l->n, w->norm[i], &flat);
        if (flat)
            rc = mg_report_add(&w->d->report, w->d->project->path, -1, x->name,
                               NULL,
                               "indicator has the same value "
                               "in every region (or a single value)",
                               "normalised to 0 everywhere: it does not tell "
                               "the regions apart");
    }
    free(tmp);
    if (!rc && w->s->entropy_weights)
        entropy_weights(w);
    return rc;
}

/* One column, filled from v (may be NULL: left NULL). */
static int put_column(mg_level *l, const char *prefix, const char *name,
                      const char *suffix, int is_integer, const double *v)
{
    char field[MG_POVERTY_FIELD_MAX];
    double *col;
    poverty_field(field, prefix, name, suffix);
    int rc = mg_level_add_column(l, field, is_integer, &col);
    if (!rc && v)
        memcpy(col, v, l->n * sizeof *col);
    return rc;
}

/* Ranks of v into a fresh column: national, or within the parent. */
static int put_rank(pov_work *w, const char *field, const double *v,
                    int in_parent)
{
    size_t n = w->l->n ? w->l->n : 1;
    double *rank = malloc(n * sizeof *rank);
    int *group = in_parent ? malloc(n * sizeof *group) : NULL;
    int rc = rank && (group || !in_parent) ? MG_OK : MG_ERR_NOMEM;
    /* Regions of the top level, or not linked to a parent, have no rank
     * within a parent (group -1: NULL). */
    for (size_t r = 0; !rc && group && r < w->l->n; r++)
        group[r] = w->li + 1 < w->d->n_levels ? w->l->regions[r].parent : -1;
    if (!rc)
        rc = poverty_rank(v, group, w->l->n, rank);
    if (!rc)
        rc = put_column(w->l, "", field, "", 1, rank);
    free(rank);
    free(group);
    return rc;
}

/* The columns, in the order docs/outputs.md lists them; the grades are
 * created empty for mapgen to fill. */
static int put_columns(pov_work *w)
{
    const mg_poverty_spec *s = w->s;
    mg_level *l = w->l;
    int rc = put_column(l, "", MG_POVERTY_FIELD_INDEX, "", 0, w->index);
    if (!rc)
        rc = put_column(l, "", MG_POVERTY_FIELD_GRADE, "", 1, NULL);
    if (!rc)
        rc = put_rank(w, MG_POVERTY_FIELD_RANK, w->index, 0);
    if (!rc)
        rc = put_rank(w, MG_POVERTY_FIELD_RANK_IN_PARENT, w->index, 1);
    if (!rc)
        rc = put_column(l, "", MG_POVERTY_FIELD_INDICATORS, "", 1, w->used);
    for (size_t k = 0; !rc && k < s->n_dimensions; k++) {
        char field[MG_POVERTY_FIELD_MAX];
        const char *name = s->dimensions[k].name;
        rc = put_column(l, "dim_", name, "_score", 0, w->dim[k]);
        if (!rc)
            rc = put_column(l, "dim_", name, "_grade", 1, NULL);
        poverty_field(field, "dim_", name, "_rank");
        if (!rc)
            rc = put_rank(w, field, w->dim[k], 0);
    }
    for (size_t i = 0; !rc && i < s->n_indicators; i++) {
        const char *name = s->indicators[i].name;
        rc = put_column(l, "ind_", name, "_value", 0, w->raw[i]);
        if (!rc)
            rc = put_column(l, "ind_", name, "_norm", 0, w->norm[i]);
    }
    return rc;
}

/* Every region left without a score is listed, with what it lacks. */
static int report_unscored(pov_work *w)
{
    const char *file = w->d->level_paths ? w->d->level_paths[w->li] : NULL;
    int rc = MG_OK;
    for (size_t r = 0; !rc && r < w->l->n; r++) {
        if (!isnan(w->index[r]))
            continue;
        char lacks[512] = "missing:";
        for (size_t i = 0; i < w->s->n_indicators; i++)
            if (isnan(w->norm[i][r])) {
                strncat(lacks, " ", sizeof lacks - strlen(lacks) - 1);
                strncat(lacks, w->s->indicators[i].name,
                        sizeof lacks - strlen(lacks) - 1);
            }
        const mg_region *g = &w->l->regions[r];
        rc = mg_report_add(&w->d->report, file, g->fid, MG_POVERTY_FIELD_INDEX,
                           g->code, "region has no poverty score", lacks);
    }
    return rc;
}

static int composite(mg_dataset *d, const mg_poverty_spec *s, size_t li,
                     mg_error *err)
{
    pov_work w = {.d = d, .s = s, .li = li, .l = &d->levels[li]};
    int rc = work_alloc(&w);
    if (rc) {
        work_free(&w);
        return rc;
    }
    rc = poverty_read_indicators(d, s, li, w.raw, err);
    if (!rc)
        rc = normalise_all(&w);
    for (size_t r = 0; !rc && r < w.l->n; r++)
        score_region(&w, r);
    for (size_t k = 0; !rc && k < s->n_dimensions; k++)
        scale_scores(w.dim[k], w.l->n, is_bounded(s, (long)k));
    if (!rc)
        scale_scores(w.index, w.l->n, is_bounded(s, -1));
    if (!rc)
        rc = put_columns(&w);
    if (!rc)
        rc = report_unscored(&w);
    work_free(&w);
    return rc;
}

/* Weight vectors renormalised at load time go to the join report, so the
 * warning travels with the outputs. */
static int report_notes(mg_dataset *d, const mg_poverty_spec *s)
{
    int rc = MG_OK;
    for (size_t i = 0; !rc && i < s->n_notes; i++) {
        char value[64], problem[256];
        snprintf(value, sizeof value, "%.10g", s->notes[i].sum);
        snprintf(problem, sizeof problem, "the weights of %s do not sum to 1",
                 s->notes[i].what);
        rc = mg_report_add(&d->report, d->project->path, -1, s->notes[i].field,
                           value, problem,
                           "renormalised to sum to 1 (poverty.weight_sum: "
                           "renormalise)");
    }
    return rc;
}

int mg_poverty_compute(mg_dataset *d, mg_error *err)
{
    const mg_poverty_spec *s = d->project->poverty;
    if (!s)
        return MG_OK;
    long li = mg_poverty_find_level(d);
    if (li < 0)
        return mg_error_set(err, MG_ERR_PROJECT, d->project->path, -1,
                            "poverty.level",
                            "the data set has no level "
                            "named '%s'",
                            s->level);
    int rc = report_notes(d, s);
    if (!rc && s->n_indicators)
        rc = composite(d, s, (size_t)li, err);
    if (!rc && s->af)
        rc = poverty_compute_af(d, s->af, (size_t)li, err);
    if (rc == MG_ERR_NOMEM)
        mg_error_set(err, rc, NULL, -1, "poverty", "out of memory");
    return rc;
}
