/* The classification methods of PySAL's mapclassify beyond Fisher-Jenks:
 * interpolated quantiles, percentiles, box plot, standard deviation about
 * the mean, maximum breaks, head/tail breaks and Jenks-Caspall
 * (docs/classification.md gives each formula and its source). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The i-th smallest of the n values (0-based), ties counted. */
static double value_at(const styles_sorted *s, size_t i)
{
    size_t lo = 0, hi = s->m - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->cum[mid] > i)
            hi = mid;
        else
            lo = mid + 1;
    }
    return s->v[lo];
}

/* The p-th percentile (0..100) by linear interpolation between order
 * statistics, h = (n - 1) p / 100: Hyndman & Fan (1996) type 7, NumPy's
 * percentile() default, which mapclassify uses. */
double styles_percentile(const styles_sorted *s, double p)
{
    double h = (double)(s->n - 1) * p / 100.0;
    size_t lo = (size_t)floor(h);
    if (lo >= s->n - 1)
        return s->v[s->m - 1];
    double a = value_at(s, lo), b = value_at(s, lo + 1), t = h - (double)lo;
    /* NumPy's lerp: from the nearer end, so t = 1 gives b exactly. */
    return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1.0 - t);
}

/* Inner breaks that must increase strictly, or a class would be empty. */
static int check_increasing(const char *name, const double *b, int k,
                            mg_error *err)
{
    for (int i = 2; i < k; i++)
        if (!(b[i] > b[i - 1]))
            return styles_fail(err, MG_ERR_INPUT, "values",
                               "%s breaks %d and %d are equal (%g): ties "
                               "in the data leave a class empty; use fewer "
                               "classes", name, i - 1, i, b[i]);
    return MG_OK;
}

/* Breaks outside the data (a fence below the minimum, mean - 2 sd below
 * zero): widen b[0] and b[k] so that b never decreases; the end classes
 * are then empty, as in mapclassify. */
static void widen_ends(double *b, int k)
{
    if (b[1] < b[0])
        b[0] = b[1];
    if (b[k - 1] > b[k])
        b[k] = b[k - 1];
}

int styles_breaks_quantile_interp(const styles_sorted *s, int k, double *b,
                                  mg_error *err)
{
    for (int i = 1; i < k; i++)
        b[i] = styles_percentile(s, 100.0 * i / k);
    return check_increasing("interpolated quantile", b, k, err);
}

int styles_breaks_percentiles(const styles_sorted *s, int k, double *b,
                              mg_error *err)
{
    static const double pct[] = {1, 10, 50, 90, 99};
    (void)k;
    for (int i = 1; i < 6; i++)
        b[i] = styles_percentile(s, pct[i - 1]);
    return check_increasing("percentile", b, 6, err);
}

int styles_breaks_box_plot(const styles_sorted *s, int k, double *b,
                           mg_error *err)
{
    (void)k;
    double q1 = styles_percentile(s, 25), q2 = styles_percentile(s, 50);
    double q3 = styles_percentile(s, 75), iqr = q3 - q1;
    b[1] = q1 - 1.5 * iqr;
    b[2] = q1;
    b[3] = q2;
    b[4] = q3;
    b[5] = q3 + 1.5 * iqr;
    widen_ends(b, 6);
    return check_increasing("box plot", b, 6, err);
}

/* Mean and sample standard deviation (divisor n - 1, as mapclassify's
 * StdMean: y.std(ddof=1)), two-pass; n >= 2 here. */
static void mean_sd(const styles_sorted *s, double *mean, double *sd)
{
    double sum = 0, ss = 0;
    for (size_t j = 0; j < s->m; j++)
        sum += s->v[j] * (double)(s->cum[j] - (j ? s->cum[j - 1] : 0));
    *mean = sum / (double)s->n;
    for (size_t j = 0; j < s->m; j++) {
        double d = s->v[j] - *mean;
        ss += d * d * (double)(s->cum[j] - (j ? s->cum[j - 1] : 0));
    }
    *sd = sqrt(ss / (double)(s->n - 1));
}

/* k odd: mean +- 1, 2, ... sd (5 classes: -2, -1, +1, +2, mapclassify's
 * default multiples); k even: mean + (i - k/2) sd, the mean a break. */
int styles_breaks_std_mean(const styles_sorted *s, int k, double *b,
                           mg_error *err)
{
    (void)err;
    double mean, sd;
    mean_sd(s, &mean, &sd);
    for (int i = 1; i < k; i++) {
        double m = i - k / 2.0;
        if (k % 2)
            m = m < 0 ? floor(m) : ceil(m);
        b[i] = mean + m * sd;
    }
    widen_ends(b, k);
    return MG_OK;
}

/* Index of the gap after distinct value j, ordered by size then place. */
static const styles_sorted *gap_data;
static int compare_gaps(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    double ga = gap_data->v[a + 1] - gap_data->v[a];
    double gb = gap_data->v[b + 1] - gap_data->v[b];
    if (ga != gb)
        return ga > gb ? -1 : 1;
    return (a > b) - (a < b);
}

static int compare_size(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return (a > b) - (a < b);
}

/* The midpoints of the k - 1 widest gaps between consecutive distinct
 * values (mapclassify's MaximumBreaks); equal gaps: the lower first. */
int styles_breaks_max_breaks(const styles_sorted *s, int k, double *b,
                             mg_error *err)
{
    size_t *gap = malloc((s->m - 1) * sizeof *gap);
    if (!gap)
        return styles_fail(err, MG_ERR_NOMEM, "values", "out of memory");
    for (size_t j = 0; j + 1 < s->m; j++)
        gap[j] = j;
    gap_data = s; /* styles runs on one thread per classification call */
    qsort(gap, s->m - 1, sizeof *gap, compare_gaps);
    qsort(gap, (size_t)k - 1, sizeof *gap, compare_size);
    for (int i = 1; i < k; i++)
        b[i] = (s->v[gap[i - 1]] + s->v[gap[i - 1] + 1]) / 2.0;
    free(gap);
    return MG_OK;
}

/* Jiang (2013): break i is the mean of the values above break i - 1 (the
 * first, the mean of all); the head must keep two distinct values. */
int styles_breaks_head_tail(const styles_sorted *s, int k, double *b,
                            mg_error *err)
{
    size_t from = 0; /* first distinct value of the head */
    for (int i = 1; i < k; i++) {
        if (from >= s->m - 1)
            return styles_fail(err, MG_ERR_INPUT, "values",
                               "head/tail breaks end after %d classes: the "
                               "head above %g is a single value; ask for "
                               "%d classes", i, b[i - 1], i);
        double sum = 0;
        size_t cnt = s->n - (from ? s->cum[from - 1] : 0);
        for (size_t j = from; j < s->m; j++)
            sum += s->v[j] * (double)(s->cum[j] - (j ? s->cum[j - 1] : 0));
        b[i] = sum / (double)cnt;
        while (from < s->m && s->v[from] <= b[i])
            from++;
    }
    return MG_OK;
}

/* The median of the sorted x[a..b). */
static double median_of(const double *x, size_t a, size_t b)
{
    size_t n = b - a;
    return n % 2 ? x[a + n / 2] : (x[a + n / 2 - 1] + x[a + n / 2]) / 2.0;
}

/* One pass of Jenks-Caspall: each value to the nearest class median (the
 * first on a tie, as NumPy's argmin).  Medians increase, so classes stay
 * runs of the sorted x; start[c] is where class c begins.  Returns whether
 * any value moved. */
static int jc_reassign(const double *x, size_t n, int k, const double *med,
                       size_t *start)
{
    size_t next[MG_CLASSES_MAX + 1];
    int c = 0;
    next[0] = 0;
    for (size_t i = 0; i < n; i++) {
        while (c + 1 < k && fabs(x[i] - med[c + 1]) < fabs(x[i] - med[c]))
            next[++c] = i;
    }
    while (c + 1 <= k)
        next[++c] = n;
    int moved = memcmp(next, start, (size_t)(k + 1) * sizeof *next) != 0;
    memcpy(start, next, (size_t)(k + 1) * sizeof *next);
    return moved;
}

/* Jenks & Caspall (1971) as mapclassify's JenksCaspall: start from the
 * interpolated quantile classes, then move every value to the class whose
 * median is nearest until none moves; breaks are the class maxima. */
int styles_breaks_jenks_caspall(const styles_sorted *s, int k, double *b,
                                mg_error *err)
{
    int rc = styles_breaks_quantile_interp(s, k, b, err);
    double *x = rc == MG_OK ? malloc(s->n * sizeof *x) : NULL;
    if (rc == MG_OK && !x)
        rc = styles_fail(err, MG_ERR_NOMEM, "values", "out of memory");
    if (rc != MG_OK)
        return rc;
    for (size_t i = 0; i < s->n; i++)
        x[i] = value_at(s, i);
    size_t start[MG_CLASSES_MAX + 1];
    start[0] = 0;
    for (int c = 1, i = 0; c <= k; c++) {
        while ((size_t)i < s->n && (c == k || x[i] <= b[c]))
            i++;
        start[c] = (size_t)i;
    }
    double med[MG_CLASSES_MAX];
    int moved = 1;
    for (int it = 0; moved && rc == MG_OK; it++) {
        for (int c = 0; c < k; c++) {
            if (start[c] == start[c + 1] || it > 10000)
                rc = styles_fail(err, MG_ERR_INPUT, "values",
                                 "jenks_caspall left class %d empty; use "
                                 "fewer classes", c + 1);
            else
                med[c] = median_of(x, start[c], start[c + 1]);
        }
        if (rc == MG_OK)
            moved = jc_reassign(x, s->n, k, med, start);
    }
    for (int c = 1; rc == MG_OK && c < k; c++)
        b[c] = x[start[c] - 1];
    free(x);
    return rc;
}
