/* Classification: fixed, equal-interval and quantile breaks, the dispatch to
 * Fisher-Jenks (jenks.c) and to mapclassify's other methods
 * (classify_more.c), and the class of a value. */
#include "internal.h"

#include <math.h>
#include <string.h>
#include <strings.h>

/* A classification method: its breaks b[1..k-1] for data that passed
 * check_data() (b[0] and b[k] hold the data's extremes already; fixed
 * breaks may widen them).  Returns MG_OK or an MG_ERR_* code. */
typedef int (*breaks_fn)(const mg_class_spec *spec, const styles_sorted *s,
                         double *b, mg_error *err);

static int breaks_fixed(const mg_class_spec *, const styles_sorted *, double *,
                        mg_error *);
static int breaks_equal_interval(const mg_class_spec *, const styles_sorted *,
                                 double *, mg_error *);
static int breaks_quantile(const mg_class_spec *, const styles_sorted *,
                           double *, mg_error *);
static int breaks_jenks(const mg_class_spec *, const styles_sorted *, double *,
                        mg_error *);
static int breaks_symmetric(const mg_class_spec *, const styles_sorted *,
                            double *, mg_error *);

/* The methods of classify_more.c, behind the same signature. */
#define MORE(fn)                                                             \
    static int more_##fn(const mg_class_spec *spec, const styles_sorted *s,  \
                         double *b, mg_error *err)                           \
    {                                                                        \
        return styles_breaks_##fn(s, spec->k, b, err);                       \
    }
MORE(quantile_interp)
MORE(percentiles)
MORE(box_plot)
MORE(std_mean)
MORE(max_breaks)
MORE(head_tail)
MORE(jenks_caspall)
#undef MORE

/* The methods, one row each (docs/classification.md): a new method is its
 * function, a value of mg_class_method and a row here.  distinct: the data
 * need k distinct values for k classes; only_k: the method makes exactly
 * that many classes (0: any k). */
static const struct class_method {
    mg_class_method id;
    const char *name; /* canonical: the first row of an id */
    int distinct;
    int only_k;
    breaks_fn breaks;
} methods[] = {
    {MG_CLASS_FIXED, "fixed", 0, 0, breaks_fixed},
    {MG_CLASS_EQUAL_INTERVAL, "equal_interval", 0, 0, breaks_equal_interval},
    {MG_CLASS_QUANTILE, "quantile", 1, 0, breaks_quantile},
    {MG_CLASS_JENKS, "jenks", 1, 0, breaks_jenks},
    {MG_CLASS_QUANTILE_INTERP, "interpolated_quantile", 1, 0,
     more_quantile_interp},
    {MG_CLASS_PERCENTILES, "percentiles", 1, 6, more_percentiles},
    {MG_CLASS_BOX_PLOT, "box_plot", 0, 6, more_box_plot},
    {MG_CLASS_STD_MEAN, "std_mean", 0, 0, more_std_mean},
    {MG_CLASS_MAX_BREAKS, "maximum_breaks", 1, 0, more_max_breaks},
    {MG_CLASS_HEAD_TAIL, "head_tail", 1, 0, more_head_tail},
    {MG_CLASS_JENKS_CASPALL, "jenks_caspall", 1, 0, more_jenks_caspall},
    {MG_CLASS_SYMMETRIC, "symmetric", 0, 0, breaks_symmetric},
};
enum { N_METHODS = sizeof methods / sizeof methods[0] };

/* Other names users write for the same methods. */
static const struct {
    const char *name;
    mg_class_method id;
} aliases[] = {
    {"natural_breaks", MG_CLASS_JENKS},
    {"fisher_jenks", MG_CLASS_JENKS},
    {"quantile_interpolated", MG_CLASS_QUANTILE_INTERP},
    {"boxplot", MG_CLASS_BOX_PLOT},
    {"standard_deviation", MG_CLASS_STD_MEAN},
    {"max_breaks", MG_CLASS_MAX_BREAKS},
    {"head_tail_breaks", MG_CLASS_HEAD_TAIL},
};

static const struct class_method *find_method(mg_class_method id)
{
    for (size_t i = 0; i < N_METHODS; i++)
        if (methods[i].id == id)
            return &methods[i];
    return NULL;
}

int mg_styles_parse_method(const char *name, mg_class_method *out,
                           mg_error *err)
{
    if (!out)
        return styles_fail(err, MG_ERR_USAGE, "method", "no output given");
    for (size_t i = 0; name && i < N_METHODS; i++)
        if (strcasecmp(name, methods[i].name) == 0) {
            *out = methods[i].id;
            return MG_OK;
        }
    for (size_t i = 0; name && i < sizeof aliases / sizeof *aliases; i++)
        if (strcasecmp(name, aliases[i].name) == 0) {
            *out = aliases[i].id;
            return MG_OK;
        }
    char list[512] = "";
    for (size_t i = 0; i < N_METHODS; i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, methods[i].name, sizeof list - strlen(list) - 1);
    }
    return styles_fail(err, MG_ERR_PROJECT, "method",
                       "unknown classification method '%s' (expected one "
                       "of: %s)",
                       name ? name : "(null)", list);
}

const char *mg_styles_get_method_name(mg_class_method method)
{
    const struct class_method *m = find_method(method);
    return m ? m->name : "unknown";
}

int mg_styles_find_class(const mg_breaks *breaks, double v)
{
    if (!breaks || breaks->k < 1 || isnan(v))
        return -1;
    /* The class is the number of inner breaks strictly below v. */
    int lo = 0, hi = breaks->k - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (breaks->b[mid + 1] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Checks what the request alone can get wrong, before looking at data. */
static int check_spec(const mg_class_spec *spec, mg_error *err)
{
    if (spec->k < 1 || spec->k > MG_CLASSES_MAX)
        return styles_fail(err, MG_ERR_PROJECT, "classes",
                           "%d classes asked for; the number of classes must "
                           "be between 1 and %d", spec->k, MG_CLASSES_MAX);
    const struct class_method *m = find_method(spec->method);
    if (!m)
        return styles_fail(err, MG_ERR_PROJECT, "method",
                           "unknown classification method %d",
                           (int)spec->method);
    if (m->only_k && spec->k != m->only_k)
        return styles_fail(err, MG_ERR_PROJECT, "classes",
                           "%s makes exactly %d classes; %d asked for",
                           m->name, m->only_k, spec->k);
    if (spec->method != MG_CLASS_FIXED)
        return MG_OK;
    if (spec->k > 1 && !spec->fixed)
        return styles_fail(err, MG_ERR_PROJECT, "breaks",
                           "fixed classes need %d breaks; none given",
                           spec->k - 1);
    for (int i = 0; i < spec->k - 1; i++) {
        if (!isfinite(spec->fixed[i]))
            return styles_fail(err, MG_ERR_PROJECT, "breaks",
                               "break %d is not a finite number", i + 1);
        if (i > 0 && !(spec->fixed[i] > spec->fixed[i - 1]))
            return styles_fail(err, MG_ERR_PROJECT, "breaks",
                               "breaks must increase strictly: break %d "
                               "(%g) is not above break %d (%g)",
                               i + 1, spec->fixed[i], i, spec->fixed[i - 1]);
    }
    return MG_OK;
}

/* Checks that the data can be split as asked. */
static int check_data(const mg_class_spec *spec, const styles_sorted *s,
                      mg_error *err)
{
    int k = spec->k;
    const char *name = mg_styles_get_method_name(spec->method);
    if (s->n == 0 && s->n_nan == 0)
        return styles_fail(err, MG_ERR_INPUT, "values",
                           "no values to classify");
    if (s->n == 0)
        return styles_fail(err, MG_ERR_INPUT, "values",
                           "no values to classify: all %zu are NaN (no data)",
                           s->n_nan);
    /* Symmetric breaks come from the largest magnitude alone: any values,
     * even one, make them (a change map of a few regions). */
    if (spec->method == MG_CLASS_FIXED || spec->method == MG_CLASS_SYMMETRIC ||
        k == 1)
        return MG_OK;
    if (s->n < (size_t)k)
        return styles_fail(err, MG_ERR_INPUT, "values",
                           "%zu value%s cannot make %d %s classes", s->n,
                           s->n == 1 ? "" : "s", k, name);
    if (s->m == 1)
        return styles_fail(err, MG_ERR_INPUT, "values",
                           "all %zu values are equal (%g); they cannot make "
                           "%d %s classes", s->n, s->v[0], k, name);
    if (find_method(spec->method)->distinct && s->m < (size_t)k)
        return styles_fail(err, MG_ERR_INPUT, "values",
                           "only %zu distinct values among %zu; they cannot "
                           "make %d %s classes", s->m, s->n, k, name);
    return MG_OK;
}

static int breaks_fixed(const mg_class_spec *spec, const styles_sorted *s,
                        double *b, mg_error *err)
{
    (void)s;
    (void)err;
    int k = spec->k;
    for (int i = 1; i < k; i++)
        b[i] = spec->fixed[i - 1];
    /* b[0] and b[k] hold the data's extremes (fill_breaks); widen them so
     * that b never decreases when the data lie inside the fixed breaks. */
    if (k > 1 && b[1] < b[0])
        b[0] = b[1];
    if (k > 1 && b[k - 1] > b[k])
        b[k] = b[k - 1];
    return MG_OK;
}

static int breaks_equal_interval(const mg_class_spec *spec,
                                 const styles_sorted *s, double *b,
                                 mg_error *err)
{
    (void)err;
    int k = spec->k;
    double min = s->v[0], max = s->v[s->m - 1];
    double range = max - min;
    for (int i = 1; i < k; i++) {
        if (isfinite(range))
            b[i] = min + range * i / k;
        else /* the range overflows: scale each end first */
            b[i] = min + (max / k - min / k) * i;
    }
    return MG_OK;
}

/* The smallest j with cum[j] * k >= n * i: the index of the type-1 quantile
 * of probability i/k among the distinct values.  Integer arithmetic, so
 * "at least i/k of the values" is decided without rounding. */
static size_t quantile_index(const styles_sorted *s, int k, int i)
{
    size_t lo = 0, hi = s->m - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->cum[mid] * (size_t)k >= s->n * (size_t)i)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int breaks_quantile(const mg_class_spec *spec, const styles_sorted *s,
                           double *b, mg_error *err)
{
    (void)err;
    int k = spec->k;
    size_t prev = 0;
    for (int i = 1; i < k; i++) {
        size_t j = quantile_index(s, k, i);
        /* A tie with the previous break would leave class i-1 empty: take
         * the next distinct value.  Break i must also leave k-i distinct
         * values above it for the classes still to come. */
        if (i > 1 && j <= prev)
            j = prev + 1;
        if (j > s->m - 1 - (size_t)(k - i))
            j = s->m - 1 - (size_t)(k - i);
        b[i] = s->v[j];
        prev = j;
    }
    return MG_OK;
}

static int breaks_jenks(const mg_class_spec *spec, const styles_sorted *s,
                        double *b, mg_error *err)
{
    return styles_jenks(s, spec->k, b, err);
}

/* Equal widths on [-m, m] with m the largest magnitude, so zero sits at
 * the centre: the middle class straddles it (odd k) or it is the middle
 * break (even k), and a diverging palette's neutral colour means "no
 * change".  No change anywhere (m = 0) takes m = 1. */
static int breaks_symmetric(const mg_class_spec *spec, const styles_sorted *s,
                            double *b, mg_error *err)
{
    (void)err;
    int k = spec->k;
    double m = fmax(fabs(s->v[0]), fabs(s->v[s->m - 1]));
    if (!(m > 0))
        m = 1;
    b[0] = -m;
    b[k] = m;
    for (int i = 1; i < k; i++)
        b[i] = 2 * i == k ? 0 : -m + 2 * m * i / k;
    return MG_OK;
}

/* Counts the values of each class, walking the sorted distinct values. */
static void count_classes(const styles_sorted *s, mg_breaks *out)
{
    memset(out->counts, 0, sizeof out->counts);
    for (size_t j = 0; j < s->m; j++) {
        size_t before = j ? s->cum[j - 1] : 0;
        out->counts[mg_styles_find_class(out, s->v[j])] += s->cum[j] - before;
    }
}

/* Fills b[0..k] for data that passed check_data(). */
static int fill_breaks(const mg_class_spec *spec, const styles_sorted *s,
                       double *b, mg_error *err)
{
    b[0] = s->v[0];
    b[spec->k] = s->v[s->m - 1];
    if (spec->k == 1 && spec->method != MG_CLASS_FIXED &&
        spec->method != MG_CLASS_SYMMETRIC)
        return MG_OK;
    return find_method(spec->method)->breaks(spec, s, b, err);
}

int mg_styles_compute_breaks(const mg_class_spec *spec, const double *values,
                             size_t n, mg_breaks *out, mg_error *err)
{
    if (!spec || !out || (n > 0 && !values))
        return styles_fail(err, MG_ERR_USAGE, "values",
                           "mg_styles_compute_breaks: NULL argument");
    int rc = check_spec(spec, err);
    if (rc != MG_OK)
        return rc;
    styles_sorted s;
    rc = styles_sorted_make(values, n, &s, err);
    if (rc == MG_OK)
        rc = check_data(spec, &s, err);
    if (rc == MG_OK) {
        memset(out, 0, sizeof *out);
        out->method = spec->method;
        out->k = spec->k;
        out->n_values = s.n;
        out->n_missing = s.n_nan;
        rc = fill_breaks(spec, &s, out->b, err);
    }
    if (rc == MG_OK)
        count_classes(&s, out);
    styles_sorted_clear(&s);
    return rc;
}
