/* Fisher-Jenks natural breaks: the exact optimum, by dynamic programming.
 *
 * With the distinct values v[0..m-1] (weights = their counts), let
 * D[c][i] be the least within-class sum of squared deviations (SSQ) of
 * v[0..i] cut into c+1 classes.  Then
 *
 *   D[0][i] = ssq(0, i)
 *   D[c][i] = min over j in [c, i] of D[c-1][j-1] + ssq(j, i)
 *
 * and D[k-1][m-1] is the optimum; the argmins give the breaks back.
 *
 * Working on distinct values, not on the raw ones, is what guarantees that
 * equal values share a class: a break is always a data value with every copy
 * of it below the break, which is what the (b[i], b[i+1]] classes need.  (An
 * optimum never splits equal values anyway; this makes it hold under
 * rounding too, and makes many ties cheap.)
 *
 * Up to QUADRATIC_MAX distinct values every row is computed by trying every
 * j: O(k m^2), the textbook algorithm.  Above that, rows are computed by
 * divide and conquer on the argmin, O(k m log m).  That is still exact, not
 * an approximation: the SSQ cost satisfies the quadrangle inequality
 * ssq(a,c) + ssq(b,d) <= ssq(a,d) + ssq(b,c) for a <= b <= c <= d, so the
 * leftmost argmin of D[c][i] never decreases with i (Wang & Song 2011,
 * "Ckmeans.1d.dp"; Gronlund et al. 2017, "Fast exact k-means, k-medians and
 * Bregman divergence clustering in 1D").  tests/styles checks both paths
 * against an independent quadratic DP.
 */
#include "internal.h"

#include <stdlib.h>

/* Below this many distinct values the plain O(k m^2) rows are fast enough
 * (a few tens of millions of steps at k = 9) and the simplest to trust. */
enum { QUADRATIC_MAX = 2048 };

typedef struct jenks {
    size_t m;
    int k;
    /* Prefix sums of weight, weight*y and weight*y^2 with y = v - mean:
     * centring and long double keep the subtraction in ssq() accurate. */
    long double *p0, *p1, *p2;
    double *prev, *cur;      /* D[c-1][.] and D[c][.] */
    uint32_t *cut;           /* cut[c*m + i]: first value of the last class */
} jenks;

/* The SSQ of distinct values a..b inclusive. */
static double ssq(const jenks *J, size_t a, size_t b)
{
    long double w = J->p0[b + 1] - J->p0[a];
    long double s1 = J->p1[b + 1] - J->p1[a];
    long double d = (J->p2[b + 1] - J->p2[a]) - s1 * s1 / w;
    return d > 0 ? (double)d : 0.0;
}

static void jenks_free(jenks *J)
{
    free(J->p0);
    free(J->p1);
    free(J->p2);
    free(J->prev);
    free(J->cur);
    free(J->cut);
}

static int jenks_init(jenks *J, const styles_sorted *s, int k)
{
    size_t m = s->m;
    *J = (jenks){.m = m, .k = k};
    if (m > UINT32_MAX || (size_t)k > SIZE_MAX / sizeof *J->cut / m)
        return MG_ERR_NOMEM;
    J->p0 = malloc((m + 1) * sizeof *J->p0);
    J->p1 = malloc((m + 1) * sizeof *J->p1);
    J->p2 = malloc((m + 1) * sizeof *J->p2);
    J->prev = malloc(m * sizeof *J->prev);
    J->cur = malloc(m * sizeof *J->cur);
    J->cut = malloc((size_t)k * m * sizeof *J->cut);
    if (!J->p0 || !J->p1 || !J->p2 || !J->prev || !J->cur || !J->cut)
        return MG_ERR_NOMEM;

    long double total = 0;
    for (size_t j = 0; j < m; j++)
        total += (long double)s->v[j] * (s->cum[j] - (j ? s->cum[j - 1] : 0));
    long double mean = total / s->n;
    J->p0[0] = J->p1[0] = J->p2[0] = 0;
    for (size_t j = 0; j < m; j++) {
        long double w = s->cum[j] - (j ? s->cum[j - 1] : 0);
        long double y = s->v[j] - mean;
        J->p0[j + 1] = J->p0[j] + w;
        J->p1[j + 1] = J->p1[j] + w * y;
        J->p2[j + 1] = J->p2[j] + w * y * y;
    }
    return MG_OK;
}

/* D[c][i] for i in [ilo, ihi], trying every j. */
static void row_quadratic(jenks *J, int c, size_t ilo, size_t ihi)
{
    for (size_t i = ilo; i <= ihi; i++) {
        size_t best_j = (size_t)c;
        double best = J->prev[c - 1] + ssq(J, (size_t)c, i);
        for (size_t j = (size_t)c + 1; j <= i; j++) {
            double d = J->prev[j - 1] + ssq(J, j, i);
            if (d < best) {
                best = d;
                best_j = j;
            }
        }
        J->cur[i] = best;
        J->cut[(size_t)c * J->m + i] = (uint32_t)best_j;
    }
}

/* D[c][i] for i in [ilo, ihi], knowing that the leftmost argmin of each lies
 * in [jlo, jhi]: solve the middle row, then each half in its narrowed range.
 * Recursion depth is log2(m). */
static void row_divide(jenks *J, int c, size_t ilo, size_t ihi, size_t jlo,
                       size_t jhi)
{
    size_t mid = ilo + (ihi - ilo) / 2;
    size_t last = jhi < mid ? jhi : mid;
    size_t best_j = jlo;
    double best = J->prev[jlo - 1] + ssq(J, jlo, mid);
    for (size_t j = jlo + 1; j <= last; j++) {
        double d = J->prev[j - 1] + ssq(J, j, mid);
        if (d < best) {
            best = d;
            best_j = j;
        }
    }
    J->cur[mid] = best;
    J->cut[(size_t)c * J->m + mid] = (uint32_t)best_j;
    if (mid > ilo)
        row_divide(J, c, ilo, mid - 1, jlo, best_j);
    if (mid < ihi)
        row_divide(J, c, mid + 1, ihi, best_j, jhi);
}

int styles_jenks(const styles_sorted *s, int k, double *b, mg_error *err)
{
    jenks J;
    if (jenks_init(&J, s, k) != MG_OK) {
        jenks_free(&J);
        return styles_fail(err, MG_ERR_NOMEM, "values",
                           "out of memory for natural breaks of %zu distinct "
                           "values in %d classes", s->m, k);
    }
    size_t m = s->m;
    /* Row c only needs i up to m-(k-c): the classes after c need one value
     * each.  The last row only needs i = m-1. */
    for (size_t i = 0; i <= m - (size_t)k; i++)
        J.prev[i] = ssq(&J, 0, i);
    for (int c = 1; c < k; c++) {
        size_t ihi = m - (size_t)(k - c);
        size_t ilo = c == k - 1 ? ihi : (size_t)c;
        if (m <= QUADRATIC_MAX)
            row_quadratic(&J, c, ilo, ihi);
        else
            row_divide(&J, c, ilo, ihi, (size_t)c, ihi);
        double *t = J.prev;
        J.prev = J.cur;
        J.cur = t;
    }
    size_t i = m - 1;
    for (int c = k - 1; c >= 1; c--) {
        size_t j = J.cut[(size_t)c * m + i];
        b[c] = s->v[j - 1];
        i = j - 1;
    }
    b[0] = s->v[0];
    b[k] = s->v[m - 1];
    jenks_free(&J);
    return MG_OK;
}
