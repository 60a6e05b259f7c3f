/* Error filling and the sorted, tie-merged view of an input. */
#include "internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int styles_fail(mg_error *err, int code, const char *field, const char *fmt,
                ...)
{
    va_list ap;
    va_start(ap, fmt);
    mg_error_setv(err, code, NULL, -1, field, fmt, ap);
    va_end(ap);
    return code;
}

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

void styles_sorted_clear(styles_sorted *s)
{
    if (!s)
        return;
    free(s->v);
    free(s->cum);
    memset(s, 0, sizeof *s);
}

/* Merges runs of equal values in the sorted v[0..n-1] in place. */
static void merge_ties(styles_sorted *s)
{
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (m > 0 && s->v[i] == s->v[m - 1]) {
            s->cum[m - 1] = i + 1;
            continue;
        }
        s->v[m] = s->v[i];
        s->cum[m] = i + 1;
        m++;
    }
    s->m = m;
}

int styles_sorted_make(const double *values, size_t n, styles_sorted *s,
                       mg_error *err)
{
    memset(s, 0, sizeof *s);
    if (n == 0)
        return MG_OK;
    s->v = malloc(n * sizeof *s->v);
    s->cum = malloc(n * sizeof *s->cum);
    if (!s->v || !s->cum)
        return styles_fail(err, MG_ERR_NOMEM, "values",
                           "out of memory sorting %zu values", n);
    for (size_t i = 0; i < n; i++) {
        if (isnan(values[i])) {
            s->n_nan++;
            continue;
        }
        if (isinf(values[i]))
            return styles_fail(err, MG_ERR_INPUT, "values",
                               "value %zu of %zu is infinite", i + 1, n);
        /* + 0.0 turns -0.0 into 0.0, so a legend never shows "-0". */
        s->v[s->n++] = values[i] + 0.0;
    }
    qsort(s->v, s->n, sizeof *s->v, compare_doubles);
    merge_ties(s);
    return MG_OK;
}
