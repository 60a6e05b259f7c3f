/* The composite index's other methods on the five-region fixture
 * (tests/fixtures/poverty; the normalised values are worked out at the top
 * of test_poverty.c): geometric aggregation, entropy weights and a log
 * transform.
 *
 * Geometric (as the HDI's geometric mean, of the complements 1 - dim):
 *   index = 1 - (1 - econ)^0.5 (1 - soc)^0.25 (1 - env)^0.25
 *   A: econ = soc = env = 1 -> 1 - 0 = 100;  E: all 0 -> 0;
 *   B: 1 - 0.375^0.5 0.5^0.25 0.4^0.25 = 0.5905...;  C: 1 - 0.625^0.5 x
 *   1 x 0.8^0.25 = 0.2524....  The arithmetic index of B is 58.75: the
 *   geometric one is higher (the geometric mean of the complements is at
 *   most their arithmetic mean): imbalance between dimensions counts as
 *   more deprivation, the HDI's point.
 * Log transform of income (higher is better, min-max): 1 - ln(x/100)/ln 5:
 *   A 1, B 1 - ln 2 / ln 5 = 0.5693..., C 1 - ln 3 / ln 5, E 0; with
 *   goalposts [100, 1000] (logged with the values): B 1 - ln 2 / ln 10.
 * Entropy weights in the economy dimension: the normalised income values
 *   (1, .75, .5, .75, 0) and unemployment (1, .5, .25, .5, 0) give shares
 *   p = n / sum n, E = -sum p ln p / ln 5, weights (1 - E) / sum (1 - E);
 *   computed here from those definitions and compared with the dimension
 *   score of B.
 */
#include "poverty_util.h"

#define TABLE "\"table\": {\"path\": \"indicators.csv\", \"code_field\": " \
              "\"code\"}, \"missing\": \"renormalise\", "
#define IND_INCOME(extra)                                                 \
    "{\"column\": \"income\", \"dimension\": \"economy\","                \
    " \"direction\": \"higher_is_better\"" extra "}"
#define IND_UNEMP                                                         \
    "{\"name\": \"unemp\", \"column\": \"unemployment\","                 \
    " \"dimension\": \"economy\", \"direction\": \"higher_is_worse\","    \
    " \"normalisation\": \"goalposts\", \"goalposts\": [0, 20]}"
#define IND_PLACES                                                        \
    "{\"name\": \"places\", \"field\": \"supply_total\","                 \
    " \"denominator_column\": \"pop\", \"scale\": 10000,"                 \
    " \"dimension\": \"society\", \"direction\": \"higher_is_better\","   \
    " \"normalisation\": \"goalposts\", \"goalposts\": [0, 100]}"
#define IND_DIST                                                          \
    "{\"name\": \"dist\", \"column\": \"dist_km\","                       \
    " \"dimension\": \"environment\", \"direction\": \"higher_is_worse\"}"
#define DIMS                                                              \
    "\"dimensions\": {\"economy\": 0.5, \"society\": 0.25,"               \
    " \"environment\": 0.25}"
#define ALL                                                               \
    "\"indicators\": [" IND_INCOME("") ", " IND_UNEMP ", " IND_PLACES     \
    ", " IND_DIST "]"

static void test_geometric(void)
{
    mg_project *p;
    mg_dataset *d;
    mg_error err;
    CHECK_INT(run_poverty("{" TABLE DIMS ", \"aggregation\": \"geometric\", "
                          ALL "}", &p, &d, &err), MG_OK);
    if (d) {
        CHECK_NEAR(fig(d, 0, "poverty_index", "A"), 100, 1e-9);
        CHECK_NEAR(fig(d, 0, "poverty_index", "E"), 0, 1e-9);
        double b = 1 - pow(0.375, 0.5) * pow(0.5, 0.25) * pow(0.4, 0.25);
        double c = 1 - pow(0.625, 0.5) * pow(0.8, 0.25);
        CHECK_NEAR(fig(d, 0, "poverty_index", "B"), 100 * b, 1e-8);
        CHECK_NEAR(fig(d, 0, "poverty_index", "C"), 100 * c, 1e-8);
        CHECK(fig(d, 0, "poverty_index", "B") > 58.75);
        /* Dimension scores are those of the arithmetic index. */
        CHECK_FIG(d, 0, "dim_economy_score", "B", 62.5);
    }
    done(p, d);
    /* z-scores have no [0, 1] range for the product: refused. */
    CHECK_INT(run_poverty("{" TABLE "\"aggregation\": \"geometric\", "
                          "\"indicators\": [" IND_INCOME(
                              ", \"normalisation\": \"zscore\"") "]}",
                          &p, &d, &err), MG_ERR_PROJECT);
    CHECK(strstr(err.message, "indicator 'income' is a zscore"));
    done(p, d);
}

static void test_log(void)
{
    mg_project *p;
    mg_dataset *d;
    mg_error err;
    CHECK_INT(run_poverty("{" TABLE "\"indicators\": [" IND_INCOME(
                              ", \"transform\": \"log\"") "]}",
                          &p, &d, &err), MG_OK);
    if (d) {
        CHECK_FIG(d, 0, "ind_income_norm", "A", 1);
        CHECK_FIG(d, 0, "ind_income_norm", "B", 1 - log(2) / log(5));
        CHECK_FIG(d, 0, "ind_income_norm", "C", 1 - log(3) / log(5));
        CHECK_FIG(d, 0, "ind_income_norm", "E", 0);
        CHECK_FIG(d, 0, "ind_income_value", "B", 200); /* as read */
    }
    done(p, d);
    CHECK_INT(run_poverty("{" TABLE "\"indicators\": [" IND_INCOME(
                              ", \"transform\": \"log\", \"normalisation\":"
                              " \"goalposts\", \"goalposts\": [100, 1000]")
                              "]}",
                          &p, &d, &err), MG_OK);
    if (d)
        CHECK_FIG(d, 0, "ind_income_norm", "B", 1 - log(2) / log(10));
    done(p, d);
    /* E's unemployment is 0: no logarithm; missing and reported. */
    CHECK_INT(run_poverty("{" TABLE "\"indicators\": [{\"name\": \"unemp\", "
                          "\"column\": \"unemployment\", \"dimension\": "
                          "\"economy\", \"direction\": \"higher_is_worse\","
                          " \"transform\": \"log\"}]}",
                          &p, &d, &err), MG_OK);
    if (d) {
        CHECK_NULL(d, 0, "ind_unemp_norm", "E");
        CHECK(has_report(d, NULL, -2, "unemp",
                         "a value <= 0 has no logarithm"));
        /* ln 20, ln 10, ln 5: min-max over the three with a value */
        CHECK_FIG(d, 0, "ind_unemp_norm", "B", log(2) / log(4));
    }
    done(p, d);
}

static double entropy_d(const double *n, int m)
{
    double sum = 0, e = 0;
    for (int r = 0; r < m; r++)
        sum += n[r];
    for (int r = 0; r < m; r++)
        e -= n[r] > 0 ? n[r] / sum * log(n[r] / sum) : 0;
    return 1 - e / log(m);
}

static void test_entropy(void)
{
    mg_project *p;
    mg_dataset *d;
    mg_error err;
    CHECK_INT(run_poverty("{" TABLE DIMS ", \"weights\": \"entropy\", " ALL
                          "}", &p, &d, &err), MG_OK);
    const double inc[5] = {1, .75, .5, .75, 0}, un[5] = {1, .5, .25, .5, 0};
    double di = entropy_d(inc, 5), du = entropy_d(un, 5);
    double wi = di / (di + du), wu = du / (di + du);
    CHECK(wu > wi); /* unemployment is the more unequal: more weight */
    if (d) {
        CHECK_NEAR(fig(d, 0, "dim_economy_score", "B"),
                   100 * (wi * 0.75 + wu * 0.5), 1e-8);
        CHECK_NEAR(fig(d, 0, "dim_economy_score", "C"),
                   100 * (wi * 0.5 + wu * 0.25), 1e-8);
        /* One indicator alone in its dimension keeps weight 1. */
        CHECK_FIG(d, 0, "dim_society_score", "B", 50);
    }
    done(p, d);
}

int main(int argc, char **argv)
{
    if (init_fixtures(argc, argv))
        return 1;
    test_geometric();
    test_log();
    test_entropy();
    CHECK_DONE();
}
