/* Tests of classification: every method on hand-worked cases, Fisher-Jenks
 * against exhaustive search and an independent DP, and the error paths.
 *
 * Usage: styles_classify PATH/TO/calemp.csv */
#include "styles/styles.h"

#include <stdint.h>
#include <stdlib.h>

#include "check.h"

#define COUNT(a) (sizeof(a) / sizeof *(a))

static mg_breaks classify(mg_class_method method, int k, const double *v,
                          size_t n)
{
    mg_class_spec spec = {method, k, NULL};
    mg_breaks b;
    mg_error err;
    memset(&b, 0, sizeof b);
    int rc = mg_styles_compute_breaks(&spec, v, n, &b, &err);
    if (rc != MG_OK)
        fprintf(stderr, "classify(%s, k=%d): %s\n",
                mg_styles_get_method_name(method), k, err.message);
    CHECK_INT(rc, MG_OK);
    return b;
}

static void check_breaks(const mg_breaks *b, const double *want, int k)
{
    CHECK_INT(b->k, k);
    for (int i = 0; i <= k && i <= b->k; i++)
        CHECK_NEAR(b->b[i], want[i], 1e-12 * (1 + fabs(want[i])));
}

static void check_counts(const mg_breaks *b, const size_t *want, int k)
{
    for (int i = 0; i < k; i++)
        CHECK_INT(b->counts[i], want[i]);
}

/* ---- an independent yardstick for Fisher-Jenks ------------------------- */

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static double *sorted_copy(const double *v, size_t n)
{
    double *s = malloc(n * sizeof *s);
    if (!s)
        abort();
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, compare_doubles);
    return s;
}

/* Two-pass sum of squared deviations of x[a..b). */
static double ssq_range(const double *x, size_t a, size_t b)
{
    double mean = 0, d = 0;
    for (size_t i = a; i < b; i++)
        mean += x[i];
    mean /= (double)(b - a);
    for (size_t i = a; i < b; i++)
        d += (x[i] - mean) * (x[i] - mean);
    return d;
}

/* The within-class SSQ of sorted x[0..n) under breaks, classes assigned here
 * by the (b[i], b[i+1]] rule rather than by mg_styles_find_class(). */
static double ssq_of_breaks(const double *x, size_t n, const mg_breaks *b)
{
    double total = 0;
    size_t start = 0;
    for (int c = 0; c < b->k; c++) {
        size_t end = start;
        while (end < n && (c == b->k - 1 || x[end] <= b->b[c + 1]))
            end++;
        if (end > start)
            total += ssq_range(x, start, end);
        start = end;
    }
    return total;
}

/* Exhaustive search over every way to cut sorted x[0..n) into k runs:
 * cuts[0..k-2] are the run starts.  Returns the least SSQ and leaves the
 * upper bounds of the best partition in best_b[1..k-1]. */
static double brute_force(const double *x, size_t n, int k, double *best_b)
{
    size_t cut[MG_CLASSES_MAX + 1];
    double best = INFINITY;
    for (int i = 0; i < k - 1; i++)
        cut[i] = (size_t)i + 1;
    for (;;) {
        double d = 0;
        for (int c = 0; c < k; c++) {
            size_t a = c ? cut[c - 1] : 0, e = c < k - 1 ? cut[c] : n;
            d += ssq_range(x, a, e);
        }
        if (d < best) {
            best = d;
            for (int c = 1; c < k; c++)
                best_b[c] = x[cut[c - 1] - 1];
        }
        /* Next combination of k-1 starts from {1..n-1}, in lexical order. */
        int i = k - 2;
        while (i >= 0 && cut[i] == n - (size_t)(k - 1 - i))
            i--;
        if (i < 0)
            break;
        cut[i]++;
        for (int j = i + 1; j < k - 1; j++)
            cut[j] = cut[j - 1] + 1;
    }
    return best;
}

/* Jenks's original formulation, written separately from styles/jenks.c:
 * O(k n^2) over sorted x[0..n), the SSQ of each candidate last class
 * accumulated backwards from its end.  Returns the least SSQ and fills
 * b[1..k-1]. */
static double reference_dp(const double *x, size_t n, int k, double *b)
{
    double *cost = malloc((size_t)k * n * sizeof *cost);
    size_t *from = malloc((size_t)k * n * sizeof *from);
    if (!cost || !from)
        abort();
    for (size_t i = 0; i < n; i++) {
        cost[i] = ssq_range(x, 0, i + 1);
        from[i] = 0;
    }
    for (int c = 1; c < k; c++) {
        for (size_t i = (size_t)c; i < n; i++) {
            double s1 = 0, s2 = 0, best = INFINITY;
            size_t best_j = 0;
            for (size_t j = i + 1; j-- > (size_t)c;) {
                s1 += x[j];
                s2 += x[j] * x[j];
                double w = (double)(i - j + 1);
                double d = cost[(size_t)(c - 1) * n + j - 1] + s2 - s1 * s1 / w;
                if (d <= best) {
                    best = d;
                    best_j = j;
                }
            }
            cost[(size_t)c * n + i] = best;
            from[(size_t)c * n + i] = best_j;
        }
    }
    size_t i = n - 1;
    for (int c = k - 1; c >= 1; c--) {
        size_t j = from[(size_t)c * n + i];
        b[c] = x[j - 1];
        i = j - 1;
    }
    double opt = cost[(size_t)(k - 1) * n + n - 1];
    free(cost);
    free(from);
    return opt;
}

/* ---- reading the calemp data --------------------------------------------- */

/* Splits one CSV line in place into at most max fields, honouring double
 * quotes (the county names hold commas).  Returns the field count. */
static int split_csv(char *line, char **field, int max)
{
    int n = 0;
    char *w = line;
    for (char *r = line; n < max;) {
        field[n++] = w;
        int quoted = 0;
        for (; *r && (quoted || (*r != ',' && *r != '\n' && *r != '\r'));
             r++) {
            if (*r == '"')
                quoted = !quoted;
            else
                *w++ = *r;
        }
        int more = *r == ',';
        *w++ = '\0';
        if (!more)
            break;
        r++;
    }
    return n;
}

/* Reads column `name` of the CSV at path; returns the value count. */
static size_t read_column(const char *path, const char *name, double *out,
                          size_t max)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return 0;
    }
    char line[1024], *field[16];
    int col = -1;
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        int nf = split_csv(line, field, 16);
        if (col < 0) {
            for (int i = 0; i < nf; i++)
                if (strcmp(field[i], name) == 0)
                    col = i;
            if (col < 0)
                break;
        } else if (col < nf && n < max) {
            out[n++] = strtod(field[col], NULL);
        }
    }
    fclose(f);
    return n;
}

/* ---- Fisher-Jenks -------------------------------------------------------- */

static void test_jenks_tiny(void)
{
    /* Three clumps; any other 3-partition puts two clumps together. */
    const double v[] = {20, 1, 11, 2, 12, 3, 10};
    mg_breaks b = classify(MG_CLASS_JENKS, 3, v, COUNT(v));
    check_breaks(&b, (const double[]){1, 3, 12, 20}, 3);
    check_counts(&b, (const size_t[]){3, 3, 1}, 3);
    CHECK_INT(mg_styles_find_class(&b, 3), 0);
    CHECK_INT(mg_styles_find_class(&b, 10), 1);
    CHECK_INT(mg_styles_find_class(&b, 12), 1);
    CHECK_INT(mg_styles_find_class(&b, 20), 2);
}

static void test_jenks_ties(void)
{
    /* Equal values share a class: {0 0 0} {5 5 5 5} {9 9}. */
    const double v[] = {5, 0, 9, 5, 0, 5, 9, 0, 5};
    mg_breaks b = classify(MG_CLASS_JENKS, 3, v, COUNT(v));
    check_breaks(&b, (const double[]){0, 0, 5, 9}, 3);
    check_counts(&b, (const size_t[]){3, 4, 2}, 3);
}

/* The 58 counties at k = 5.
 *
 * The expected breaks and SSQ were computed, before this code existed, by an
 * exhaustive search in Python over all C(57,4) = 395,010 ways to cut the
 * sorted values into 5 runs, in exact rational arithmetic (fractions.Fraction
 * of the decimal strings): a unique optimum, SSQ = 799643519/30000, class
 * sizes 49, 3, 4, 1, 1.  The upper bounds equal those PySAL mapclassify
 * publishes for FisherJenks(calemp, k=5): 75.29, 192.05, 370.5, 722.85,
 * 4111.45.  The test also repeats an exhaustive search here for k = 2..5 and
 * runs the separate DP above. */
static void test_jenks_calemp(const char *path)
{
    double v[64];
    size_t n = read_column(path, "emp_per_sqkm", v, COUNT(v));
    CHECK_INT(n, 58);
    if (n != 58)
        return;
    double *x = sorted_copy(v, n);

    mg_breaks b = classify(MG_CLASS_JENKS, 5, v, n);
    check_breaks(&b, (const double[]){0.13, 75.29, 192.05, 370.5, 722.85,
                                      4111.45}, 5);
    check_counts(&b, (const size_t[]){49, 3, 4, 1, 1}, 5);
    CHECK_NEAR(ssq_of_breaks(x, n, &b), 799643519.0 / 30000.0, 1e-6);

    for (int k = 2; k <= 5; k++) {
        double want[MG_CLASSES_MAX + 1];
        double best = brute_force(x, n, k, want);
        b = classify(MG_CLASS_JENKS, k, v, n);
        CHECK_NEAR(ssq_of_breaks(x, n, &b), best, 1e-9 * best);
        for (int c = 1; c < k; c++)
            CHECK_NEAR(b.b[c], want[c], 0);
    }
    for (int k = 2; k <= 9; k++) {
        double want[MG_CLASSES_MAX + 1];
        double best = reference_dp(x, n, k, want);
        b = classify(MG_CLASS_JENKS, k, v, n);
        CHECK_NEAR(ssq_of_breaks(x, n, &b), best, 1e-9 * best);
        for (int c = 1; c < k; c++)
            CHECK_NEAR(b.b[c], want[c], 0);
    }
    free(x);
}

/* A fixed pseudo-random sequence (xorshift64*), so runs are repeatable. */
static double next_random(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return (double)((*state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* Past 2,048 distinct values styles/jenks.c switches to its divide-and-
 * conquer rows; both paths must agree with the plain DP.  The last set is
 * rounded to hundredths, so it has many ties and still > 2,048 distinct
 * values. */
static void test_jenks_large(void)
{
    const size_t sizes[] = {300, 3000, 5000};
    uint64_t state = 0x9e3779b97f4a7c15ULL;
    for (size_t t = 0; t < COUNT(sizes); t++) {
        size_t n = sizes[t];
        double *v = malloc(n * sizeof *v);
        if (!v)
            abort();
        /* Skewed, like counts of need: a long right tail. */
        for (size_t i = 0; i < n; i++) {
            double u = next_random(&state);
            v[i] = exp(6 * u * u) + (i % 7 == 0 ? 400 * next_random(&state) : 0);
            if (t == 2)
                v[i] = round(v[i] * 100) / 100;
        }
        double *x = sorted_copy(v, n);
        size_t distinct = 1;
        for (size_t i = 1; i < n; i++)
            distinct += x[i] != x[i - 1];
        if (t == 2)
            CHECK(distinct > 2048 && distinct < n);
        const int ks[] = {2, 6};
        for (size_t q = 0; q < COUNT(ks); q++) {
            double want[MG_CLASSES_MAX + 1];
            double best = reference_dp(x, n, ks[q], want);
            mg_breaks b = classify(MG_CLASS_JENKS, ks[q], v, n);
            CHECK_NEAR(ssq_of_breaks(x, n, &b), best, 1e-9 * best);
            for (int c = 1; c < ks[q]; c++)
                CHECK_NEAR(b.b[c], want[c], 0);
        }
        free(x);
        free(v);
    }
}

/* ---- equal interval, quantile, fixed -------------------------------------- */

static void test_equal_interval(void)
{
    /* min 0, max 10, k 4: width 2.5, breaks 0 2.5 5 7.5 10.
     * 0, 1, 2.5 -> class 0 (2.5 is a break: lower class); 4 -> 1;
     * 7.5 -> 2; 10 -> 3.  The NaN is skipped. */
    const double v[] = {4, 10, NAN, 0, 7.5, 1, 2.5};
    mg_breaks b = classify(MG_CLASS_EQUAL_INTERVAL, 4, v, COUNT(v));
    check_breaks(&b, (const double[]){0, 2.5, 5, 7.5, 10}, 4);
    check_counts(&b, (const size_t[]){3, 1, 1, 1}, 4);
    CHECK_INT(b.n_values, 6);
    CHECK_INT(b.n_missing, 1);

    /* min -3, max 6, k 3: width 3, breaks -3 0 3 6; -3, -1, 0 -> 0;
     * 2 -> 1; 6 -> 2. */
    const double w[] = {6, -1, 2, -3, 0};
    b = classify(MG_CLASS_EQUAL_INTERVAL, 3, w, COUNT(w));
    check_breaks(&b, (const double[]){-3, 0, 3, 6}, 3);
    check_counts(&b, (const size_t[]){3, 1, 1}, 3);

    /* Fewer distinct values than classes is fine here (empty classes are
     * the method): {1 1 1 4}, k 3 -> 1 2 3 4, counts 3 0 1. */
    const double t[] = {1, 1, 4, 1};
    b = classify(MG_CLASS_EQUAL_INTERVAL, 3, t, COUNT(t));
    check_breaks(&b, (const double[]){1, 2, 3, 4}, 3);
    check_counts(&b, (const size_t[]){3, 0, 1}, 3);
}

static void test_quantile(void)
{
    /* 1..10, k 4: break i is the smallest x with F(x) >= i/4, i.e. the
     * ceil(10 i / 4)-th value: ranks 3, 5, 8 -> 3 5 8.  Classes {1 2 3}
     * {4 5} {6 7 8} {9 10}. */
    const double v[] = {7, 2, 10, 4, 1, 9, 3, 8, 6, 5};
    mg_breaks b = classify(MG_CLASS_QUANTILE, 4, v, COUNT(v));
    check_breaks(&b, (const double[]){1, 3, 5, 8, 10}, 4);
    check_counts(&b, (const size_t[]){3, 2, 3, 2}, 4);

    /* k 5: ranks 2 4 6 8 -> two values in each class. */
    b = classify(MG_CLASS_QUANTILE, 5, v, COUNT(v));
    check_breaks(&b, (const double[]){1, 2, 4, 6, 8, 10}, 5);
    check_counts(&b, (const size_t[]){2, 2, 2, 2, 2}, 5);

    /* Ties: six 1s, then 2 3 4 5; k 4.  Ranks 3, 5, 8 give 1, 1, 3: the
     * second break ties with the first, so it moves up to the next distinct
     * value, 2.  Classes {1 x6} {2} {3} {4 5}. */
    const double t[] = {1, 1, 1, 1, 1, 1, 2, 3, 4, 5};
    b = classify(MG_CLASS_QUANTILE, 4, t, COUNT(t));
    check_breaks(&b, (const double[]){1, 1, 2, 3, 5}, 4);
    check_counts(&b, (const size_t[]){6, 1, 1, 2}, 4);

    /* Ties at the top: 1 2 and six 3s; k 3.  Ranks 3 and 6 give 3 and 3,
     * which would leave the classes above empty: each break moves down to
     * leave one distinct value per class.  Classes {1} {2} {3 x6}. */
    const double u[] = {3, 3, 1, 3, 3, 2, 3, 3};
    b = classify(MG_CLASS_QUANTILE, 3, u, COUNT(u));
    check_breaks(&b, (const double[]){1, 1, 2, 3}, 3);
    check_counts(&b, (const size_t[]){1, 1, 6}, 3);
}

static void test_fixed(void)
{
    mg_breaks b;
    mg_error err;
    const double v[] = {5, 15, 25, 10, NAN, 20};
    mg_class_spec spec = {MG_CLASS_FIXED, 3, (const double[]){10, 20}};
    CHECK_INT(mg_styles_compute_breaks(&spec, v, COUNT(v), &b, &err), MG_OK);
    check_breaks(&b, (const double[]){5, 10, 20, 25}, 3);
    check_counts(&b, (const size_t[]){2, 2, 1}, 3);
    CHECK_INT(b.n_missing, 1);

    /* Data inside the breaks: the ends widen to the breaks. */
    const double w[] = {12, 13};
    CHECK_INT(mg_styles_compute_breaks(&spec, w, 2, &b, &err), MG_OK);
    check_breaks(&b, (const double[]){10, 10, 20, 20}, 3);
    check_counts(&b, (const size_t[]){0, 2, 0}, 3);

    /* One value, one class: no breaks needed. */
    spec = (mg_class_spec){MG_CLASS_FIXED, 1, NULL};
    CHECK_INT(mg_styles_compute_breaks(&spec, w, 1, &b, &err), MG_OK);
    check_breaks(&b, (const double[]){12, 12}, 1);

    spec = (mg_class_spec){MG_CLASS_FIXED, 3, (const double[]){20, 10}};
    CHECK_INT(mg_styles_compute_breaks(&spec, v, 6, &b, &err), MG_ERR_PROJECT);
    CHECK_STR(err.field, "breaks");
    spec.fixed = (const double[]){10, 10};
    CHECK_INT(mg_styles_compute_breaks(&spec, v, 6, &b, &err), MG_ERR_PROJECT);
    spec.fixed = (const double[]){10, NAN};
    CHECK_INT(mg_styles_compute_breaks(&spec, v, 6, &b, &err), MG_ERR_PROJECT);
    spec.fixed = NULL;
    CHECK_INT(mg_styles_compute_breaks(&spec, v, 6, &b, &err), MG_ERR_PROJECT);

    /* Fixed breaks still need some data to find the ends. */
    const double none[] = {NAN, NAN};
    spec.fixed = (const double[]){10, 20};
    CHECK_INT(mg_styles_compute_breaks(&spec, none, 2, &b, &err), MG_ERR_INPUT);
    CHECK_STR(err.field, "values");
}

static void test_find_class(void)
{
    const double v[] = {0, 10, 20, 30, 40};
    mg_breaks b = classify(MG_CLASS_EQUAL_INTERVAL, 4, v, COUNT(v));
    CHECK_INT(mg_styles_find_class(&b, 0), 0);
    CHECK_INT(mg_styles_find_class(&b, 10), 0);
    CHECK_INT(mg_styles_find_class(&b, 10.000001), 1);
    CHECK_INT(mg_styles_find_class(&b, 30), 2);
    CHECK_INT(mg_styles_find_class(&b, 40), 3);
    CHECK_INT(mg_styles_find_class(&b, -5), 0);
    CHECK_INT(mg_styles_find_class(&b, 1e9), 3);
    CHECK_INT(mg_styles_find_class(&b, INFINITY), 3);
    CHECK_INT(mg_styles_find_class(&b, NAN), -1);
    CHECK_INT(mg_styles_find_class(NULL, 1), -1);
    b = classify(MG_CLASS_JENKS, 1, v, COUNT(v));
    check_breaks(&b, (const double[]){0, 40}, 1);
    CHECK_INT(mg_styles_find_class(&b, 25), 0);
}

/* ---- errors ---------------------------------------------------------------- */

static int classify_error(mg_class_method method, int k, const double *v,
                          size_t n, const char *field)
{
    mg_class_spec spec = {method, k, NULL};
    mg_breaks b;
    mg_error err;
    memset(&err, 0, sizeof err);
    int rc = mg_styles_compute_breaks(&spec, v, n, &b, &err);
    CHECK_INT(err.code, rc);
    CHECK(rc == MG_OK || err.message[0] != '\0');
    if (field)
        CHECK_STR(err.field, field);
    return rc;
}

static void test_errors(void)
{
    const double v[] = {1, 2, 3, 4};
    const double nan4[] = {NAN, NAN, NAN, NAN};
    const double same[] = {7, 7, 7, NAN, 7};
    const double few[] = {1, 1, 2, 2, 1};
    const double inf[] = {1, INFINITY, 2};
    const mg_class_method data_methods[] = {
        MG_CLASS_EQUAL_INTERVAL, MG_CLASS_QUANTILE, MG_CLASS_JENKS};

    for (size_t i = 0; i < COUNT(data_methods); i++) {
        mg_class_method m = data_methods[i];
        CHECK_INT(classify_error(m, 0, v, 4, "classes"), MG_ERR_PROJECT);
        CHECK_INT(classify_error(m, -3, v, 4, "classes"), MG_ERR_PROJECT);
        CHECK_INT(classify_error(m, MG_CLASSES_MAX + 1, v, 4, "classes"),
                  MG_ERR_PROJECT);
        CHECK_INT(classify_error(m, 5, v, 4, "values"), MG_ERR_INPUT);
        CHECK_INT(classify_error(m, 2, nan4, 4, "values"), MG_ERR_INPUT);
        CHECK_INT(classify_error(m, 1, nan4, 4, "values"), MG_ERR_INPUT);
        CHECK_INT(classify_error(m, 2, NULL, 0, "values"), MG_ERR_INPUT);
        CHECK_INT(classify_error(m, 2, same, 5, "values"), MG_ERR_INPUT);
        CHECK_INT(classify_error(m, 1, same, 5, NULL), MG_OK);
        CHECK_INT(classify_error(m, 2, inf, 3, "values"), MG_ERR_INPUT);
        CHECK_INT(classify_error(m, 2, NULL, 3, NULL), MG_ERR_USAGE);
    }
    /* Two distinct values cannot make three non-empty classes. */
    CHECK_INT(classify_error(MG_CLASS_QUANTILE, 3, few, 5, "values"),
              MG_ERR_INPUT);
    CHECK_INT(classify_error(MG_CLASS_JENKS, 3, few, 5, "values"),
              MG_ERR_INPUT);
    CHECK_INT(classify_error(MG_CLASS_EQUAL_INTERVAL, 3, few, 5, NULL), MG_OK);
    CHECK_INT(classify_error(MG_CLASS_FIXED, 2, nan4, 4, NULL), MG_ERR_PROJECT);
    CHECK_INT(classify_error((mg_class_method)42, 2, v, 4, "method"),
              MG_ERR_PROJECT);

    mg_breaks b;
    CHECK_INT(mg_styles_compute_breaks(NULL, v, 4, &b, NULL), MG_ERR_USAGE);
    mg_class_spec spec = {MG_CLASS_JENKS, 0, NULL};
    CHECK_INT(mg_styles_compute_breaks(&spec, v, 4, &b, NULL), MG_ERR_PROJECT);
}

static void test_method_names(void)
{
    mg_class_method m = MG_CLASS_FIXED;
    mg_error err;
    CHECK_INT(mg_styles_parse_method("Quantile", &m, &err), MG_OK);
    CHECK_INT(m, MG_CLASS_QUANTILE);
    CHECK_INT(mg_styles_parse_method("natural_breaks", &m, &err), MG_OK);
    CHECK_INT(m, MG_CLASS_JENKS);
    CHECK_INT(mg_styles_parse_method("equal_interval", &m, &err), MG_OK);
    CHECK_INT(m, MG_CLASS_EQUAL_INTERVAL);
    CHECK_INT(mg_styles_parse_method("kmeans", &m, &err), MG_ERR_PROJECT);
    CHECK_STR(err.field, "method");
    CHECK_INT(mg_styles_parse_method(NULL, &m, NULL), MG_ERR_PROJECT);
    CHECK_STR(mg_styles_get_method_name(MG_CLASS_JENKS), "jenks");
    CHECK_STR(mg_styles_get_method_name(MG_CLASS_FIXED), "fixed");
    CHECK_STR(mg_styles_get_method_name((mg_class_method)42), "unknown");
}

/* ---- mapclassify's methods on calemp --------------------------------- */

/* Expected breaks: the bins that PySAL mapclassify's documentation and test
 * suite (mapclassify/classifiers.py docstrings, tests/test_mapclassify.py,
 * commit e8d0550) publish for the 58 calemp values; mapclassify's last bin
 * is the maximum, our b[k]. */
static void check_inner(mg_class_method m, int k, const double *v, size_t n,
                        const double *want)
{
    mg_breaks b = classify(m, k, v, n);
    CHECK_INT(b.k, k);
    for (int i = 1; i <= k; i++)
        CHECK_NEAR(b.b[i], want[i - 1], 1e-8 * (1 + fabs(want[i - 1])));
    if (check_failures)
        for (int i = 0; i <= k; i++)
            fprintf(stderr, "  %s b[%d] = %.12g\n",
                    mg_styles_get_method_name(m), i, b.b[i]);
}

static void test_mapclassify_calemp(const char *path)
{
    double v[64];
    size_t n = read_column(path, "emp_per_sqkm", v, COUNT(v));
    CHECK_INT(n, 58);
    if (n != 58)
        return;
    check_inner(MG_CLASS_QUANTILE_INTERP, 5, v, n,
                (const double[]){1.464, 5.798, 13.278, 54.616, 4111.45});
    check_inner(MG_CLASS_BOX_PLOT, 6, v, n,
                (const double[]){-52.87625, 2.5675, 9.365, 39.53, 94.97375,
                                 4111.45});
    check_inner(MG_CLASS_PERCENTILES, 6, v, n,
                (const double[]){0.1357, 0.553, 9.365, 213.914, 2179.948,
                                 4111.45});
    /* StdMean: mapclassify's two lower bins, mean - 2 s and mean - s (s with
     * divisor n - 1); the upper ones follow from them and the mean (head/
     * tail's first break): mean + s = 2 mean - (mean - s). */
    double mean = 125.92810345, sd = mean + 420.71712519;
    check_inner(MG_CLASS_STD_MEAN, 5, v, n,
                (const double[]){-967.36235382, -420.71712519, mean + sd,
                                 mean + 2 * sd, 4111.45});
    check_inner(MG_CLASS_MAX_BREAKS, 5, v, n,
                (const double[]){146.005, 228.49, 546.675, 2417.15,
                                 4111.45});
    check_inner(MG_CLASS_HEAD_TAIL, 3, v, n,
                (const double[]){125.92810345, 811.26, 4111.45});
    check_inner(MG_CLASS_JENKS_CASPALL, 5, v, n,
                (const double[]){1.81, 7.6, 29.82, 181.27, 4111.45});
}

/* Hand-worked: 1..10, type-7 quantiles h = 9 p: 2.25 -> 3.25, 4.5 -> 5.5,
 * 6.75 -> 7.75.  1, 2, 4, 8, 16: widest gaps 16-8 and 8-4 (midpoints 12, 6);
 * head/tail means 31/5 = 6.2 then (8 + 16)/2 = 12, and the head above 12 is
 * one value, so a fourth class is an error.  1..5: mean 3, s = sqrt(2.5). */
static void test_mapclassify_hand(void)
{
    double ten[10];
    for (int i = 0; i < 10; i++)
        ten[i] = i + 1;
    mg_breaks b = classify(MG_CLASS_QUANTILE_INTERP, 4, ten, 10);
    check_breaks(&b, (const double[]){1, 3.25, 5.5, 7.75, 10}, 4);
    check_counts(&b, (const size_t[]){3, 2, 2, 3}, 4);
    const double pow2[] = {16, 1, 8, 2, 4};
    b = classify(MG_CLASS_MAX_BREAKS, 3, pow2, 5);
    check_breaks(&b, (const double[]){1, 6, 12, 16}, 3);
    b = classify(MG_CLASS_HEAD_TAIL, 3, pow2, 5);
    check_breaks(&b, (const double[]){1, 6.2, 12, 16}, 3);
    mg_class_spec spec = {MG_CLASS_HEAD_TAIL, 4, NULL};
    mg_error err;
    CHECK_INT(mg_styles_compute_breaks(&spec, pow2, 5, &b, &err),
              MG_ERR_INPUT);
    CHECK(strstr(err.message, "head/tail breaks end after 3 classes"));
    double s = sqrt(2.5);
    b = classify(MG_CLASS_STD_MEAN, 4, ten, 5);
    check_breaks(&b, (const double[]){1, 3 - s, 3, 3 + s, 5}, 4);
    b = classify(MG_CLASS_STD_MEAN, 5, ten, 5);
    check_breaks(&b, (const double[]){3 - 2 * s, 3 - 2 * s, 3 - s, 3 + s,
                                      3 + 2 * s, 3 + 2 * s}, 5);
    check_counts(&b, (const size_t[]){0, 1, 3, 1, 0}, 5);
    spec = (mg_class_spec){MG_CLASS_BOX_PLOT, 5, NULL};
    CHECK_INT(mg_styles_compute_breaks(&spec, ten, 10, &b, &err),
              MG_ERR_PROJECT);
    CHECK(strstr(err.message, "box_plot makes exactly 6 classes"));
    mg_class_method m = MG_CLASS_FIXED;
    CHECK_INT(mg_styles_parse_method("Head_Tail_Breaks", &m, &err), MG_OK);
    CHECK_INT(m, MG_CLASS_HEAD_TAIL);
    CHECK_STR(mg_styles_get_method_name(MG_CLASS_JENKS_CASPALL),
              "jenks_caspall");
}

/* Change maps: breaks symmetric about zero from the largest magnitude. */
static void test_symmetric(void)
{
    /* m = |-10| = 10; 5 classes of width 4 on [-10, 10]: the middle one
     * (-2, 2] holds zero. */
    const double v[] = {-10, 1, 3, NAN};
    mg_breaks b = classify(MG_CLASS_SYMMETRIC, 5, v, COUNT(v));
    const double want5[] = {-10, -6, -2, 2, 6, 10};
    check_breaks(&b, want5, 5);
    CHECK_INT(mg_styles_find_class(&b, 0), 2);
    CHECK_INT(mg_styles_find_class(&b, -10), 0);
    CHECK_INT(mg_styles_find_class(&b, 3), 3);
    CHECK_INT(b.counts[0], 1);
    CHECK_INT(b.counts[2], 1);
    /* Even k: zero is the middle break; m from the positive side. */
    const double w[] = {-1, 8};
    b = classify(MG_CLASS_SYMMETRIC, 4, w, COUNT(w));
    const double want4[] = {-8, -4, 0, 4, 8};
    check_breaks(&b, want4, 4);
    /* One value, and no change at all: still classes (m = 1). */
    const double z[] = {0, 0};
    b = classify(MG_CLASS_SYMMETRIC, 3, z, COUNT(z));
    const double want3[] = {-1, -1.0 / 3, 1.0 / 3, 1};
    check_breaks(&b, want3, 3);
    CHECK_INT(mg_styles_find_class(&b, 0), 1);
    mg_class_method m;
    CHECK_INT(mg_styles_parse_method("symmetric", &m, NULL), MG_OK);
    CHECK_INT(m, MG_CLASS_SYMMETRIC);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s PATH/TO/calemp.csv\n", argv[0]);
        return 2;
    }
    test_jenks_tiny();
    test_jenks_ties();
    test_jenks_calemp(argv[1]);
    test_jenks_large();
    test_equal_interval();
    test_quantile();
    test_fixed();
    test_find_class();
    test_errors();
    test_method_names();
    test_mapclassify_calemp(argv[1]);
    test_mapclassify_hand();
    test_symmetric();
    CHECK_DONE();
}
