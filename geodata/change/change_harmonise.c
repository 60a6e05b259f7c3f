/* Harmonisation: the same definitions in both periods, or no change
 * figure (OPHI publishes MPI changes only from harmonised indicators); and
 * the composite index's min-max pooled over every period. */
#include "change_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const norm_names[] = {"minmax", "goalposts", "zscore"};

static int same_str(const char *x, const char *y)
{
    return (!x && !y) || (x && y && !strcmp(x, y));
}

static int model_same(const mg_project *a, const mg_project *b,
                      const char *la, const char *lb, char *why, size_t n)
{
    const mg_provider_spec *x = &a->providers, *y = &b->providers;
    int same = x->n_map == y->n_map &&
               (x->missing_capacity == y->missing_capacity ||
                (isnan(x->missing_capacity) && isnan(y->missing_capacity)));
    for (size_t i = 0; same && i < x->n_map; i++)
        same = !strcmp(x->map_from[i], y->map_from[i]) &&
               !strcmp(x->map_to[i], y->map_to[i]);
    if (!same)
        snprintf(why, n,
                 "providers.category_map or missing_capacity differ "
                 "between %s and %s",
                 la, lb);
    return same;
}

/* One indicator of the composite index: its definition, not its source
 * column (a period may read its own table). */
static int indicator_same(const mg_poverty_indicator *x,
                          const mg_poverty_indicator *y, size_t i,
                          const char *la, const char *lb, char *why, size_t n)
{
    const char *what = NULL;
    if (strcmp(x->name, y->name))
        what = "name";
    else if (!same_str(x->field, y->field) ||
             !same_str(x->denominator_field, y->denominator_field) ||
             (x->denominator_column == NULL) != (y->denominator_column == NULL))
        what = "definition (field or denominator)";
    else if (x->scale != y->scale)
        what = "scale";
    else if (x->dimension != y->dimension)
        what = "dimension";
    else if (x->direction != y->direction)
        what = "direction";
    else if (x->normalisation != y->normalisation)
        what = "normalisation";
    else if (x->normalisation == MG_POVERTY_GOALPOSTS &&
             (x->goalpost_low != y->goalpost_low ||
              x->goalpost_high != y->goalpost_high))
        what = "goalposts";
    else if (fabs(x->weight - y->weight) > 1e-12)
        what = "weight";
    if (what)
        snprintf(why, n, "poverty.indicators[%zu] (%s): %s not the same in "
                 "%s and %s", i, x->name, what, la, lb);
    return what == NULL;
}

/* Scores on each period's own scale cannot be compared. */
static int comparable_scale(const mg_poverty_spec *s, const char *la,
                            char *why, size_t n)
{
    for (size_t i = 0; i < s->n_indicators; i++) {
        const mg_poverty_indicator *x = &s->indicators[i];
        if (x->normalisation == MG_POVERTY_GOALPOSTS)
            continue;
        snprintf(why, n,
                 "poverty.indicators[%zu] (%s) in %s is normalised by %s "
                 "over that period's own regions; use goalposts, or minmax "
                 "with \"periods\": {\"normalisation\": \"pooled\"}",
                 i, x->name, la, norm_names[x->normalisation]);
        return 0;
    }
    return 1;
}

static int composite_same(const mg_poverty_spec *x, const mg_poverty_spec *y,
                          const char *la, const char *lb, char *why, size_t n)
{
    if (!x || !y || !x->n_indicators || !y->n_indicators) {
        snprintf(why, n, "the composite index is in one period only");
        return (!x || !x->n_indicators) && (!y || !y->n_indicators);
    }
    if (strcmp(x->level, y->level) || x->missing != y->missing ||
        x->n_dimensions != y->n_dimensions ||
        x->n_indicators != y->n_indicators) {
        snprintf(why, n, "poverty: the level, missing, dimensions or number "
                 "of indicators differ between %s and %s", la, lb);
        return 0;
    }
    for (size_t k = 0; k < x->n_dimensions; k++)
        if (strcmp(x->dimensions[k].name, y->dimensions[k].name) ||
            fabs(x->dimensions[k].weight - y->dimensions[k].weight) > 1e-12) {
            snprintf(why, n, "poverty.dimensions (%s): name or weight "
                     "differs between %s and %s", x->dimensions[k].name, la,
                     lb);
            return 0;
        }
    for (size_t i = 0; i < x->n_indicators; i++)
        if (!indicator_same(&x->indicators[i], &y->indicators[i], i, la, lb,
                            why, n))
            return 0;
    int grades = !strcmp(x->grade_method, y->grade_method) &&
                 x->grade_classes == y->grade_classes;
    for (int k = 0; grades && x->grade_breaks && k + 1 < x->grade_classes;
         k++)
        grades = y->grade_breaks && x->grade_breaks[k] == y->grade_breaks[k];
    if (!grades)
        snprintf(why, n, "poverty.grades differ between %s and %s", la, lb);
    return grades && comparable_scale(x, la, why, n);
}

static int af_same(const mg_af_spec *x, const mg_af_spec *y, const char *la,
                   const char *lb, char *why, size_t n)
{
    if (!x || !y) {
        snprintf(why, n, "poverty.alkire_foster is in one period only");
        return !x && !y;
    }
    if (x->k != y->k || x->n_indicators != y->n_indicators ||
        (x->weight_field == NULL) != (y->weight_field == NULL)) {
        snprintf(why, n, "poverty.alkire_foster: k (%g in %s, %g in %s), the "
                 "indicators or the use of weights differ", x->k, la, y->k,
                 lb);
        return 0;
    }
    for (size_t j = 0; j < x->n_indicators; j++) {
        const mg_af_indicator *p = &x->indicators[j], *q = &y->indicators[j];
        if (!strcmp(p->name, q->name) && p->cutoff == q->cutoff &&
            p->deprived_if == q->deprived_if &&
            fabs(p->weight - q->weight) <= 1e-12)
            continue;
        snprintf(why, n, "poverty.alkire_foster.indicators[%zu] (%s): the "
                 "name, cutoff (%g in %s, %g in %s), test or weight differs",
                 j, p->name, p->cutoff, la, q->cutoff, lb);
        return 0;
    }
    return 1;
}

int mg_change_harmonised(const mg_project *a, const mg_project *b,
                         const char *la, const char *lb, mg_change_family f,
                         char *why, size_t n)
{
    why[0] = '\0';
    switch (f) {
    case MG_CHANGE_MODEL:
        return model_same(a, b, la, lb, why, n);
    case MG_CHANGE_COMPOSITE:
        return composite_same(a->poverty, b->poverty, la, lb, why, n);
    default:
        return af_same(a->poverty ? a->poverty->af : NULL,
                       b->poverty ? b->poverty->af : NULL, la, lb, why, n);
    }
}

/* Lowest and highest value of one indicator over every period. */
static int pool_range(mg_dataset *const *d, size_t n, size_t i, double *lo,
                      double *hi)
{
    char field[MG_POVERTY_FIELD_MAX];
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t p = 0; p < n; p++) {
        const mg_poverty_spec *s = d[p]->project->poverty;
        long li = mg_poverty_find_level(d[p]);
        if (li < 0)
            continue;
        const mg_level *l = &d[p]->levels[li];
        double *v = malloc((l->n ? l->n : 1) * sizeof *v);
        if (!v)
            return MG_ERR_NOMEM;
        snprintf(field, sizeof field, "ind_%s_value", s->indicators[i].name);
        if (mg_level_get_values(l, &d[p]->project->model, field, v) == MG_OK)
            for (size_t r = 0; r < l->n; r++)
                if (!isnan(v[r])) {
                    *lo = fmin(*lo, v[r]);
                    *hi = fmax(*hi, v[r]);
                }
        free(v);
    }
    return MG_OK;
}

/* Indicator i is "minmax" in every period (else harmonisation refuses). */
static int all_minmax(mg_dataset *const *d, size_t n, size_t i)
{
    for (size_t p = 0; p < n; p++) {
        const mg_poverty_spec *s = d[p]->project->poverty;
        if (!s || i >= s->n_indicators ||
            s->indicators[i].normalisation != MG_POVERTY_MINMAX ||
            strcmp(s->indicators[i].name, d[0]->project->poverty
                                              ->indicators[i].name))
            return 0;
    }
    return 1;
}

int mg_change_pool(mg_dataset *const *d, size_t n, mg_error *err)
{
    const mg_poverty_spec *s0 = d[0]->project->poverty;
    for (size_t i = 0; s0 && i < s0->n_indicators; i++) {
        double lo, hi;
        if (!all_minmax(d, n, i))
            continue;
        if (pool_range(d, n, i, &lo, &hi))
            return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, "periods",
                                "out of memory");
        if (!(hi > lo))
            continue; /* flat everywhere: min-max says 0, as before */
        for (size_t p = 0; p < n; p++) {
            /* The period's own copy of the spec (its project is its own). */
            mg_poverty_indicator *x =
                &((mg_poverty_spec *)d[p]->project->poverty)->indicators[i];
            x->normalisation = MG_POVERTY_GOALPOSTS;
            x->goalpost_low = lo;
            x->goalpost_high = hi;
        }
    }
    return MG_OK;
}
