/* The composite poverty index, worked by hand on the five-region fixture
 * tests/fixtures/poverty (cells A..E; parents P1 = A, B, C, P2 = D, E).
 *
 * indicators.csv, and the service places from the model's supply:
 *
 *   code income unemployment  pop  dist_km  supply_total  places/10k
 *   A      100      20        1000    50        0             0
 *   B      200      10        2000    30       10            50
 *   C      300       5        1000    10       10           100
 *   D      200      10        2000    30       10            50
 *   E      500       0         500     0       10           200
 *
 * Project (BASE below): economy 0.5 = income (higher is better, min-max)
 * 0.5 + unemployment (higher is worse, goalposts [0, 20]) 0.5; society 0.25
 * = places = supply_total / pop x 10000 (better, goalposts [0, 100]);
 * environment 0.25 = dist_km (worse, min-max).
 *
 * Normalised, 1 = poorest:
 *   income   1 - (x - 100) / 400:  A 1     B 0.75  C 0.5   D 0.75  E 0
 *   unemp    x / 20:               A 1     B 0.5   C 0.25  D 0.5   E 0
 *   places   1 - min(x / 100, 1):  A 1     B 0.5   C 0     D 0.5   E 0
 *            (E's 200 lies beyond the goalpost: as good as 100)
 *   dist     x / 50:               A 1     B 0.6   C 0.2   D 0.6   E 0
 * Dimension scores x 100:
 *   economy  (inc + unemp) / 2:    A 100   B 62.5  C 37.5  D 62.5  E 0
 *   society  places:               A 100   B 50    C 0     D 50    E 0
 *   environ. dist:                 A 100   B 60    C 20    D 60    E 0
 * Index = 0.5 econ + 0.25 soc + 0.25 env:
 *   A 100; B 31.25 + 12.5 + 15 = 58.75; C 18.75 + 0 + 5 = 23.75;
 *   D 58.75 (B's tie); E 0.
 * Ranks (1 = poorest, ties share, the next skips): A 1, B 2, D 2, C 4, E 5.
 * Within the parent: P1: A 1, B 2, C 3; P2: D 1, E 2.
 * Society ranks: A 1, B 2, D 2, C 4, E 4 (C and E tie at 0).
 * Grades, default fixed breaks 20 40 60 80 (a value on a break is in the
 * lower class): A 100 -> 5, B and D 58.75 -> 3, C 23.75 -> 2, E 0 -> 1.
 * Society grades: 100 -> 5, 50 -> 3, 0 -> 1.
 */
#include "poverty_util.h"

#define IND_INCOME                                                        \
    "{\"column\": \"income\", \"dimension\": \"economy\","                \
    " \"direction\": \"higher_is_better\", \"normalisation\": \"minmax\"}"
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
#define INDICATORS                                                        \
    "\"indicators\": [" IND_INCOME ", " IND_UNEMP ", " IND_PLACES ", "    \
    IND_DIST "]"

static void test_hand_worked(void)
{
    mg_project *p;
    mg_dataset *d;
    mg_error err;
    CHECK_INT(run_poverty("{\"table\": {\"path\": \"indicators.csv\", "
                          "\"code_field\": \"code\"}, \"missing\": "
                          "\"renormalise\", " DIMS ", " INDICATORS "}",
                          &p, &d, &err), MG_OK);
    if (!d) {
        mg_error_print(&err, stderr);
        done(p, d);
        return;
    }
    static const char *const codes[5] = {"A", "B", "C", "D", "E"};
    static const double income[5] = {1, 0.75, 0.5, 0.75, 0};
    static const double unemp[5] = {1, 0.5, 0.25, 0.5, 0};
    static const double places[5] = {1, 0.5, 0, 0.5, 0};
    static const double places_value[5] = {0, 50, 100, 50, 200};
    static const double dist[5] = {1, 0.6, 0.2, 0.6, 0};
    static const double econ[5] = {100, 62.5, 37.5, 62.5, 0};
    static const double index[5] = {100, 58.75, 23.75, 58.75, 0};
    static const double rank[5] = {1, 2, 4, 2, 5};
    static const double in_parent[5] = {1, 2, 3, 1, 2};
    static const double soc_rank[5] = {1, 2, 4, 2, 4};
    static const double grade[5] = {5, 3, 2, 3, 1};
    static const double soc_grade[5] = {5, 3, 1, 3, 1};
    for (int i = 0; i < 5; i++) {
        const char *c = codes[i];
        CHECK_FIG(d, 0, "ind_income_norm", c, income[i]);
        CHECK_FIG(d, 0, "ind_unemp_norm", c, unemp[i]);
        CHECK_FIG(d, 0, "ind_places_norm", c, places[i]);
        CHECK_FIG(d, 0, "ind_places_value", c, places_value[i]);
        CHECK_FIG(d, 0, "ind_dist_norm", c, dist[i]);
        CHECK_FIG(d, 0, "dim_economy_score", c, econ[i]);
        CHECK_FIG(d, 0, "dim_society_score", c, 100 * places[i]);
        CHECK_FIG(d, 0, "dim_environment_score", c, 100 * dist[i]);
        CHECK_FIG(d, 0, "poverty_index", c, index[i]);
        CHECK_FIG(d, 0, "poverty_rank", c, rank[i]);
        CHECK_FIG(d, 0, "poverty_rank_in_parent", c, in_parent[i]);
        CHECK_FIG(d, 0, "dim_economy_rank", c, rank[i]);
        CHECK_FIG(d, 0, "dim_society_rank", c, soc_rank[i]);
        CHECK_FIG(d, 0, "poverty_grade", c, grade[i]);
        CHECK_FIG(d, 0, "dim_society_grade", c, soc_grade[i]);
        CHECK_FIG(d, 0, "poverty_indicators", c, 4);
    }
    /* Nothing is missing: the join report has no poverty row. */
    CHECK_INT(d->report.n, 0);
    CHECK_INT(p->poverty->maps_per_dimension, 0);
    done(p, d);
}

/* z-scores (population standard deviation) of income, higher is better:
 * mean 260, sd = sqrt((160^2 + 60^2 + 40^2 + 60^2 + 240^2) / 5)
 * = sqrt(18400); norm = (260 - x) / sd.  An index with z-scores in it is
 * rescaled min-max to 0..100: (500 - x) / 400 x 100 = A 100, B 75, C 50,
 * D 75, E 0.  Quantile grades with 2 classes (type-1 quantile: the break
 * is the 3rd smallest of 0 50 75 75 100, i.e. 75, and a value on the
 * break is in the lower class): A 2, every other region 1. */
static void test_zscore_quantile(void)
{
    mg_project *p;
    mg_dataset *d;
    mg_error err;
    CHECK_INT(run_poverty(
                  "{\"table\": {\"path\": \"indicators.csv\", "
                  "\"code_field\": \"code\"}, \"missing\": \"exclude\", "
                  "\"grades\": {\"method\": \"quantile\", \"classes\": 2}, "
                  "\"maps_per_dimension\": true, \"indicators\": ["
                  "{\"column\": \"income\", \"dimension\": \"economy\", "
                  "\"direction\": \"higher_is_better\", "
                  "\"normalisation\": \"zscore\"}]}", &p, &d, &err),
              MG_OK);
    if (!d) {
        done(p, d);
        return;
    }
    double sd = sqrt(18400);
    CHECK_FIG(d, 0, "ind_income_norm", "A", 160 / sd);
    CHECK_FIG(d, 0, "ind_income_norm", "B", 60 / sd);
    CHECK_FIG(d, 0, "ind_income_norm", "C", -40 / sd);
    CHECK_FIG(d, 0, "ind_income_norm", "E", -240 / sd);
    CHECK_FIG(d, 0, "poverty_index", "A", 100);
    CHECK_FIG(d, 0, "poverty_index", "B", 75);
    CHECK_FIG(d, 0, "poverty_index", "C", 50);
    CHECK_FIG(d, 0, "poverty_index", "E", 0);
    CHECK_FIG(d, 0, "poverty_grade", "A", 2);
    CHECK_FIG(d, 0, "poverty_grade", "B", 1);
    CHECK_FIG(d, 0, "poverty_grade", "D", 1);
    CHECK_INT(p->poverty->maps_per_dimension, 1);
    CHECK_STR(p->poverty->dimensions[0].name, "economy");
    done(p, d);
}

/* indicators-bad.csv: row 3 (C) has a blank dist_km, row 4 (D) income
 * "n/a", row 5 a code Z no region has, row 6 repeats A (ignored), and E
 * has no row.  With "missing": "renormalise":
 *   income over A B C = 100 200 300: A 1, B 0.5, C 0
 *   unemp (goalposts): A 1, B 0.5, C 0.25, D 0.5; E none
 *   places: A 1, B 0.5, C 0, D 0.5; E none (no pop)
 *   dist over A B D = 50 30 30: A 1, B 0, D 0
 *   economy: A 1; B 0.5; C (0 + 0.25) / 2 = 0.125; D unemp alone 0.5
 *   index: A 100; B 50 x 0.5 + 50 x 0.25 + 0 = 37.5;
 *          C (12.5 x 0.5 + 0 x 0.25) / 0.75 = 8.3333...; D 37.5; E none.
 * With "missing": "exclude": A 100, B 37.5, C, D and E unscored; C's
 * economy (complete) is 12.5, its environment NULL. */
static void test_missing(void)
{
    static const char *const modes[2] = {"renormalise", "exclude"};
    for (int m = 0; m < 2; m++) {
        char json[2048];
        snprintf(json, sizeof json, "{\"table\": {\"path\": "
                 "\"indicators-bad.csv\", \"code_field\": \"code\"}, "
                 "\"missing\": \"%s\", " DIMS ", " INDICATORS "}", modes[m]);
        mg_project *p;
        mg_dataset *d;
        mg_error err;
        CHECK_INT(run_poverty(json, &p, &d, &err), MG_OK);
        if (!d) {
            done(p, d);
            continue;
        }
        CHECK_FIG(d, 0, "poverty_index", "A", 100);
        CHECK_FIG(d, 0, "poverty_index", "B", 37.5);
        CHECK_FIG(d, 0, "ind_dist_norm", "B", 0);
        CHECK_FIG(d, 0, "dim_economy_score", "C", 12.5);
        CHECK_NULL(d, 0, "dim_environment_score", "C");
        CHECK_NULL(d, 0, "poverty_index", "E");
        CHECK_NULL(d, 0, "poverty_grade", "E");
        CHECK_NULL(d, 0, "poverty_rank", "E");
        if (m == 0) {
            CHECK_FIG(d, 0, "poverty_index", "C", 12.5 * 0.5 / 0.75);
            CHECK_FIG(d, 0, "poverty_index", "D", 37.5);
            CHECK_FIG(d, 0, "poverty_indicators", "C", 3);
            CHECK_FIG(d, 0, "poverty_rank", "D", 2);
            CHECK_FIG(d, 0, "poverty_rank", "C", 4);
        } else {
            CHECK_NULL(d, 0, "poverty_index", "C");
            CHECK_NULL(d, 0, "poverty_index", "D");
            CHECK_NULL(d, 0, "poverty_indicators", "D");
            CHECK_FIG(d, 0, "dim_society_score", "D", 50);
            CHECK_FIG(d, 0, "poverty_rank", "B", 2);
            CHECK(has_report(d, "regions.geojson", 3, "poverty_index",
                             "region has no poverty score"));
        }
        const char *f = "indicators-bad.csv";
        CHECK(has_report(d, f, 3, "dist_km", "blank indicator value"));
        CHECK(has_report(d, f, 4, "income", "indicator value is not a "
                         "number"));
        CHECK(has_report(d, f, 5, "code", "no region with this code in the "
                         "poverty level"));
        CHECK(has_report(d, f, 6, "code", "duplicate code in the poverty "
                         "indicator table"));
        CHECK(has_report(d, f, -1, "code", "region has no row in the poverty "
                         "indicator table"));
        CHECK(has_report(d, "regions.geojson", 5, "poverty_index",
                         "region has no poverty score"));
        done(p, d);
    }
}

int main(int argc, char **argv)
{
    if (init_fixtures(argc, argv))
        return 1;
    test_hand_worked();
    test_zscore_quantile();
    test_missing();
    CHECK_DONE();
}
