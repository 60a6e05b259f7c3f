/* The Alkire–Foster index on a published worked example.
 *
 * Source: S. Alkire and J. Foster, "Counting and multidimensional poverty
 * measurement", Journal of Public Economics 95 (2011) 476-487 (also OPHI
 * Working Paper 32, 2009), its illustrative example: four persons, four
 * dimensions,
 *
 *       | 13.1  14  4  1 |                      | 0 0 0 0 |
 *   y = | 15.2   7  5  0 |  z = (13 12 3 1)  g0 = | 0 1 0 1 |  c = (0 2 4 1)
 *       | 12.5  10  1  0 |                      | 1 1 1 1 |
 *       | 20    11  3  1 |                      | 0 1 0 0 |
 *
 * (deprived when y_ij < z_j), equal weights, and the dual cutoff k = 2 of
 * 4 dimensions, which is k = 0.5 as a share of the weights: persons 2 and
 * 3 are poor, H = 1/2, A = 3/4 and M0 = H x A = 6/16 = 0.375.  The matrix
 * is tests/fixtures/poverty/households.csv, region A, columns y1..y4 in the
 * same order (region B adds two records of our own).  y, z and the strict
 * "<" were checked against an independent reproduction of the example (the
 * R package perlatex/easyuse); the figures follow from g0 and c by hand.
 *
 * Worked by hand from the same matrix:
 *   censored headcount ratios h = (1/4, 2/4, 1/4, 2/4);
 *   contributions w_j h_j / M0 = (0.0625, 0.125, 0.0625, 0.125) / 0.375
 *   = 16.666...%, 33.333...%, 16.666...%, 33.333...%: they sum to 100 %.
 *   k = 0.25 (union): persons 2, 3, 4 poor: H = 3/4, M0 = 7/16, A = 7/12.
 *   k = 1 (intersection): person 3 alone: H = 1/4, A = 1, M0 = 1/4.
 *
 * Weighted by sampling weights s = (1, 2, 3, 4) (column "weight"), k = 0.5:
 *   H = (2 + 3) / 10 = 0.5; A = (2 x 0.5 + 3 x 1) / 5 = 0.8; M0 = 0.4;
 *   h = (3, 5, 3, 5) / 10; contributions 0.25 h / 0.4 = 18.75 %, 31.25 %,
 *   18.75 %, 31.25 %.
 * Unequal indicator weights w = (0.4, 0.2, 0.2, 0.2), k = 0.4, unweighted:
 *   c = (0, 0.4, 1, 0.2): persons 2 and 3 poor; H = 0.5, A = 0.7,
 *   M0 = 0.35; h = (1/4, 2/4, 1/4, 2/4); contributions 0.1 / 0.35, 0.1 /
 *   0.35, 0.05 / 0.35, 0.1 / 0.35 = 28.571...%, 28.571...%, 14.285...%,
 *   28.571...%.
 *
 * Region B: (12 12 3 1) deprived in y1 only, c = 0.25, not poor at k = 0.5;
 * (10 5 1 0) deprived in all, poor.  B: H = 1/2, A = 1, M0 = 1/2.  Parent
 * P1 (A, B, C; C has no records) and the country, unweighted: 6 records,
 * poor 2, 3 and B's second: H = 3/6, M0 = (0.5 + 1 + 1) / 6 = 2.5/6,
 * A = 2.5/3.  P2 (D, E) has no records: NULL.
 */
#include "poverty_util.h"

#define AF_HEAD                                                           \
    "{\"alkire_foster\": {\"path\": \"households.csv\","                 \
    " \"code_field\": \"region\", "
#define AF_IND(col, cut)                                                  \
    "{\"column\": \"" col "\", \"cutoff\": " cut "}"
#define AF_INDS                                                           \
    "\"indicators\": [" AF_IND("y1", "13") ", " AF_IND("y2", "12") ", "  \
    AF_IND("y3", "3") ", " AF_IND("y4", "1") "]"

/* Runs AF with the middle of the "alkire_foster" object. */
static int run_af(const char *middle, mg_project **p, mg_dataset **d)
{
    char json[2048];
    mg_error err;
    snprintf(json, sizeof json, AF_HEAD "%s}}", middle);
    int rc = run_poverty(json, p, d, &err);
    if (rc)
        mg_error_print(&err, stderr);
    return rc;
}

/* The same on another records file. */
static int run_af_file(const char *file, const char *middle, mg_project **p,
                       mg_dataset **d)
{
    char json[2048];
    mg_error err;
    snprintf(json, sizeof json,
             "{\"alkire_foster\": {\"path\": \"%s\", \"code_field\": "
             "\"region\", %s}}",
             file, middle);
    int rc = run_poverty(json, p, d, &err);
    if (rc)
        mg_error_print(&err, stderr);
    return rc;
}

/* M0 = H x A, and the contributions sum to 100 %. */
static void check_identities(const mg_dataset *d, size_t li, const char *c)
{
    CHECK_NEAR(fig(d, li, "af_m0", c),
               fig(d, li, "af_h", c) * fig(d, li, "af_a", c), 1e-12);
    double sum = 0;
    static const char *const f[4] = {"af_y1_contrib", "af_y2_contrib",
                                     "af_y3_contrib", "af_y4_contrib"};
    for (int j = 0; j < 4; j++)
        sum += fig(d, li, f[j], c);
    CHECK_NEAR(sum, 100, 1e-9);
}

static void test_published(void)
{
    mg_project *p;
    mg_dataset *d;
    CHECK_INT(run_af("\"k\": 0.5, " AF_INDS, &p, &d), MG_OK);
    if (d) {
        CHECK_FIG(d, 0, "af_records", "A", 4);
        CHECK_FIG(d, 0, "af_h", "A", 0.5);
        CHECK_FIG(d, 0, "af_a", "A", 0.75);
        CHECK_FIG(d, 0, "af_m0", "A", 0.375);
        CHECK_FIG(d, 0, "af_y1_censored_h", "A", 0.25);
        CHECK_FIG(d, 0, "af_y2_censored_h", "A", 0.5);
        CHECK_FIG(d, 0, "af_y3_censored_h", "A", 0.25);
        CHECK_FIG(d, 0, "af_y4_censored_h", "A", 0.5);
        CHECK_FIG(d, 0, "af_y1_contrib", "A", 100.0 / 6);
        CHECK_FIG(d, 0, "af_y2_contrib", "A", 100.0 / 3);
        CHECK_FIG(d, 0, "af_y4_contrib", "A", 100.0 / 3);
        check_identities(d, 0, "A");
        CHECK_FIG(d, 0, "af_h", "B", 0.5);
        CHECK_FIG(d, 0, "af_a", "B", 1);
        check_identities(d, 0, "B");
        /* Vulnerable (20 % <= c < k) and severe (c >= 50 %): A's scores
         * are c = (0, 0.5, 1, 0.25): person 4 vulnerable, persons 2 and 3
         * severe; B's are 0.25 and 1; P1's six records: 2 and 3 of 6. */
        CHECK_FIG(d, 0, "af_vulnerable", "A", 0.25);
        CHECK_FIG(d, 0, "af_severe", "A", 0.5);
        CHECK_FIG(d, 0, "af_vulnerable", "B", 0.5);
        CHECK_FIG(d, 0, "af_severe", "B", 0.5);
        CHECK_FIG(d, 1, "af_vulnerable", "P1", 2.0 / 6);
        CHECK_FIG(d, 1, "af_severe", "P1", 3.0 / 6);
        /* Parents from the records of their children. */
        CHECK_FIG(d, 1, "af_records", "P1", 6);
        CHECK_FIG(d, 1, "af_h", "P1", 0.5);
        CHECK_FIG(d, 1, "af_m0", "P1", 2.5 / 6);
        CHECK_FIG(d, 1, "af_a", "P1", 2.5 / 3);
        check_identities(d, 1, "P1");
        CHECK_FIG(d, 1, "af_records", "P2", 0);
        CHECK_NULL(d, 1, "af_h", "P2");
        CHECK_NULL(d, 0, "af_m0", "C");
        CHECK(has_report(d, "households.csv", -1, "region",
                         "region has no Alkire-Foster records"));
        /* No composite index was asked for. */
        CHECK(fig(d, 0, "poverty_index", "A") == -999);
    }
    done(p, d);
}

static void test_cutoffs(void)
{
    mg_project *p;
    mg_dataset *d;
    CHECK_INT(run_af("\"k\": 0.25, " AF_INDS, &p, &d), MG_OK);
    if (d) {
        CHECK_FIG(d, 0, "af_h", "A", 0.75);
        CHECK_FIG(d, 0, "af_m0", "A", 7.0 / 16);
        CHECK_FIG(d, 0, "af_a", "A", 7.0 / 12);
        check_identities(d, 0, "A");
    }
    done(p, d);
    CHECK_INT(run_af("\"k\": 1, " AF_INDS, &p, &d), MG_OK);
    if (d) {
        CHECK_FIG(d, 0, "af_h", "A", 0.25);
        CHECK_FIG(d, 0, "af_a", "A", 1);
        CHECK_FIG(d, 0, "af_m0", "A", 0.25);
    }
    done(p, d);
}

static void test_weighted(void)
{
    mg_project *p;
    mg_dataset *d;
    CHECK_INT(run_af("\"weight_field\": \"weight\", \"k\": 0.5, " AF_INDS,
                     &p, &d), MG_OK);
    if (d) {
        CHECK_FIG(d, 0, "af_weight", "A", 10);
        CHECK_FIG(d, 0, "af_h", "A", 0.5);
        CHECK_FIG(d, 0, "af_a", "A", 0.8);
        CHECK_FIG(d, 0, "af_m0", "A", 0.4);
        CHECK_FIG(d, 0, "af_y1_censored_h", "A", 0.3);
        CHECK_FIG(d, 0, "af_y2_censored_h", "A", 0.5);
        CHECK_FIG(d, 0, "af_y1_contrib", "A", 18.75);
        CHECK_FIG(d, 0, "af_y4_contrib", "A", 31.25);
        check_identities(d, 0, "A");
    }
    done(p, d);
    CHECK_INT(run_af("\"k\": 0.4, \"indicators\": ["
                     "{\"column\": \"y1\", \"cutoff\": 13, \"weight\": 0.4,"
                     " \"dimension\": \"money\"}, "
                     "{\"column\": \"y2\", \"cutoff\": 12, \"weight\": 0.2,"
                     " \"dimension\": \"money\"}, "
                     "{\"column\": \"y3\", \"cutoff\": 3, \"weight\": 0.2,"
                     " \"dimension\": \"living\"}, "
                     "{\"column\": \"y4\", \"cutoff\": 1, \"weight\": 0.2,"
                     " \"dimension\": \"living\"}]",
                     &p, &d), MG_OK);
    if (d) {
        CHECK_FIG(d, 0, "af_h", "A", 0.5);
        CHECK_FIG(d, 0, "af_a", "A", 0.7);
        CHECK_FIG(d, 0, "af_m0", "A", 0.35);
        CHECK_FIG(d, 0, "af_y1_contrib", "A", 10 / 0.35);
        CHECK_FIG(d, 0, "af_y3_contrib", "A", 5 / 0.35);
        check_identities(d, 0, "A");
        /* Dimensions: money = y1 + y2 = (0.1 + 0.1) / 0.35, living = y3 +
         * y4 = (0.05 + 0.1) / 0.35: 57.14 % and 42.86 %, summing to 100. */
        CHECK_FIG(d, 0, "af_dim_money_contrib", "A", 20 / 0.35);
        CHECK_FIG(d, 0, "af_dim_living_contrib", "A", 15 / 0.35);
        CHECK_FIG(d, 1, "af_dim_money_contrib", "P1",
                  fig(d, 1, "af_y1_contrib", "P1") +
                      fig(d, 1, "af_y2_contrib", "P1"));
    }
    done(p, d);
}

/* households-bad.csv, weighted: row 1 is person 1 of the example, row 2 a
 * record deprived in everything; rows 3 (code Z), 4 (y1 "abc"), 5 (blank
 * weight), 6 (weight -2) and 7 (blank code) are reported and left out.  A
 * keeps rows 1 and 2: H = 1/2, A = 1, M0 = 1/2. */
static void test_bad_records(void)
{
    mg_project *p;
    mg_dataset *d;
    mg_error err;
    CHECK_INT(run_poverty("{\"alkire_foster\": {\"path\": "
                          "\"households-bad.csv\", \"code_field\": "
                          "\"region\", \"weight_field\": \"weight\", \"k\": "
                          "0.5, " AF_INDS "}}", &p, &d, &err), MG_OK);
    if (d) {
        const char *f = "households-bad.csv";
        CHECK_FIG(d, 0, "af_records", "A", 2);
        CHECK_FIG(d, 0, "af_h", "A", 0.5);
        CHECK_FIG(d, 0, "af_m0", "A", 0.5);
        CHECK(has_report(d, f, 3, "region", "no region with this code in "
                         "the poverty level"));
        CHECK(has_report(d, f, 4, "y1", "value is not a number"));
        CHECK(has_report(d, f, 5, "weight", "blank value"));
        CHECK(has_report(d, f, 6, "weight", "negative sampling weight"));
        CHECK(has_report(d, f, 7, "region", "blank region code"));
    }
    done(p, d);
}

/* Standard errors by linearisation (poverty_se.c), worked by hand for A
 * (weights w = 1 2 3 4, W = 10, poor p = 0 1 1 0, censored scores
 * c = 0 0.5 1 0, H = 0.5, M0 = 0.4, A = 0.8):
 *   H: z = w (p - H) / W = (-0.05, 0.1, 0.15, -0.2); each record its own
 *      PSU, one stratum, n = 4: var = 4/3 x sum z^2 = 4/3 x 0.075 = 0.1.
 *   M0: z = w (c - 0.4) / 10 = (-0.04, 0.02, 0.18, -0.16): sum z^2 = 0.06,
 *      var = 0.08.
 *   A: z = w (c - 0.8 p) / 5 = (0, -0.12, 0.12, 0): var = 4/3 x 0.0288 =
 *      0.0384.
 *   h_y1 (person 3 alone, 0.3): z = (-0.03, -0.06, 0.21, -0.12): sum z^2 =
 *      0.063, var = 0.084.
 *   H in strata S1 (1, 2) and S2 (3, 4): S1 z = (-0.05, 0.1), mean 0.025,
 *      2/1 x (0.075^2 + 0.075^2) = 0.0225; S2 z = (0.15, -0.2), mean
 *      -0.025, 2 x 2 x 0.175^2 = 0.1225: var = 0.145.
 *   H in clusters C1 (1, 2) and C2 (3, 4): totals 0.05 and -0.05, mean 0,
 *      2/1 x (0.05^2 + 0.05^2) = 0.01: SE 0.1.
 * Without weights: no SE columns at all ("no SE" in reports/change.csv). */
static void test_standard_errors(void)
{
    mg_project *p;
    mg_dataset *d;
    CHECK_INT(run_af("\"weight_field\": \"weight\", \"k\": 0.5, " AF_INDS,
                     &p, &d), MG_OK);
    if (d) {
        CHECK_FIG(d, 0, "af_h_se", "A", sqrt(0.1));
        CHECK_FIG(d, 0, "af_m0_se", "A", sqrt(0.08));
        CHECK_FIG(d, 0, "af_a_se", "A", sqrt(0.0384));
        CHECK_FIG(d, 0, "af_y1_censored_h_se", "A", sqrt(0.084));
        CHECK_NULL(d, 0, "af_h_se", "C"); /* no records */
    }
    done(p, d);
    CHECK_INT(run_af_file("households-design.csv",
                          "\"weight_field\": \"weight\", \"strata_field\": "
                          "\"stratum\", \"k\": 0.5, " AF_INDS,
                          &p, &d), MG_OK);
    if (d)
        CHECK_FIG(d, 0, "af_h_se", "A", sqrt(0.145));
    done(p, d);
    CHECK_INT(run_af_file("households-design.csv",
                          "\"weight_field\": \"weight\", \"psu_field\": "
                          "\"cluster\", \"k\": 0.5, " AF_INDS,
                          &p, &d), MG_OK);
    if (d) {
        CHECK_FIG(d, 0, "af_h_se", "A", 0.1);
        /* B: one PSU in one stratum: nothing to vary, SE 0. */
        CHECK_FIG(d, 0, "af_h_se", "B", 0);
    }
    done(p, d);
    CHECK_INT(run_af("\"k\": 0.5, " AF_INDS, &p, &d), MG_OK);
    if (d)
        CHECK_FIG(d, 0, "af_h_se", "A", -999);
    done(p, d);
}

int main(int argc, char **argv)
{
    if (init_fixtures(argc, argv))
        return 1;
    test_published();
    test_cutoffs();
    test_weighted();
    test_bad_records();
    test_standard_errors();
    CHECK_DONE();
}
