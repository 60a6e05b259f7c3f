/* Exact siting by integer programmes (GLPK): maximal covering (also
 * capacitated), location set covering (also with backup coverage and
 * capacities) and p-center, on cases worked by hand, on the PySAL spopt
 * San Francisco data against the exhaustive optimum over every set of
 * sites (the methods' definitions), and on random instances.
 *
 * Hand-worked cover (cost 1 = within R = 1.5; absent pairs are out of
 * reach), six demand points of weight 1:
 *
 *   candidate  A covers d1 d2 d3 d4    B covers d1 d2 d5    C d3 d4 d6
 *
 *   greedy, K = 2: A (4), then B or C adds 1: 5.  The optimum is B + C, 6
 *   (Church & ReVelle 1974 give this trap for the greedy).
 *   LSCP: no single site covers all; B + C does: 2 sites, backup 0 (no
 *   point is covered twice, and B + C is the only cover with 2 sites).
 *   capacitated MCLP, capacity 2, K = 2: each site serves at most 2: 4.
 *   capacitated LSCP, capacity 3: B + C serve 3 each: 2 sites; capacity
 *   2.5: two sites serve at most 5 < 6, so 3 sites (A, B, C: 7.5).
 *
 * Hand-worked p-center (a line, cost |x - y|): demand and candidates at
 * x = 0, 1, 2, 10, 11, 12.  K = 2: sites 1 and 11, radius 1; no two sites
 * reach all within less (a site within 1 of 0 and of 2 must be 1).  The
 * farthest-first start (0, then 12) has radius 2, so the search must
 * improve on it.
 *
 * Hand-worked capacitated p-center (a line again): demand and candidates
 * at x = 0, 1, 2, 3, 10, 11, weight 1 each, K = 2.  Uncapacitated the
 * optimum is 2 (a site at 1 or 2 for the left four, one at 10 or 11).
 * With capacity 3 the left four cannot all go to one site, so one of them
 * crosses the gap, at best 3 (the nearest to the right): to site 10 at
 * 7 (site 11 would take it at 8, a left point other than 3 farther
 * still).  Site 10 then serves 3, 10, 11 and a left site serves 0, 1, 2
 * (any of 0..3 does, within 3 < 7), so the optimum is 7, site 10 serving
 * exactly 3.
 * Capacity 2 holds only 4 of the 6: no solution, an error naming the key.
 */
#include "check.h"
#include "geodata/siting.h"
#include "siting_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static mg_cost_matrix *cover_example(void)
{
    static const size_t rows[] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    static const size_t to[] = {0, 1, 2, 3, 0, 1, 4, 2, 3, 5};
    static const double cost[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    return matrix_new(3, 6, rows, to, cost, 10);
}

static int has(const size_t *set, size_t n, size_t j)
{
    for (size_t s = 0; s < n; s++)
        if (set[s] == j)
            return 1;
    return 0;
}

static void test_hand_cover(void)
{
    mg_cost_matrix *m = cover_example();
    const double w[6] = {1, 1, 1, 1, 1, 1};
    mg_siting_input in = {6, NULL, NULL, w, 3, NULL, NULL, m};
    mg_siting_exact opt = {0, NAN, NULL, NULL};
    mg_siting_result res;
    size_t chosen[3], n;
    mg_error err;
    CHECK_INT(mg_siting_choose_mclp(&in, 1.5, 2, chosen, NULL, &n, &err),
              MG_OK);
    CHECK_NEAR(mg_siting_eval_coverage(&in, 1.5, chosen, n), 5, 0);
    CHECK_INT(mg_siting_exact_mclp(&in, 1.5, 2, &opt, chosen, &res, &err),
              MG_OK);
    CHECK_INT(res.n_chosen, 2);
    CHECK(res.optimal);
    CHECK_NEAR(res.objective, 6, 1e-9);
    CHECK_NEAR(res.gap, 0, 0);
    CHECK(has(chosen, 2, 1) && has(chosen, 2, 2));

    CHECK_INT(mg_siting_lscp(&in, 1.5, 1, &opt, chosen, &res, &err), MG_OK);
    CHECK_INT(res.n_chosen, 2);
    CHECK_NEAR(res.objective, 2, 1e-9);
    CHECK_NEAR(res.backup, 0, 0);
    CHECK(has(chosen, 2, 1) && has(chosen, 2, 2));

    double served[3] = {-1, -1, -1};
    opt.capacity = 2;
    opt.served = served;
    CHECK_INT(mg_siting_exact_mclp(&in, 1.5, 2, &opt, chosen, &res, &err),
              MG_OK);
    CHECK_NEAR(res.objective, 4, 1e-9);
    CHECK_NEAR(served[chosen[0]] + served[chosen[1]], 4, 1e-9);
    CHECK(served[chosen[0]] <= 2 + 1e-9 && served[chosen[1]] <= 2 + 1e-9);
    opt.served = NULL;
    opt.capacity = 3;
    CHECK_INT(mg_siting_lscp(&in, 1.5, 0, &opt, chosen, &res, &err), MG_OK);
    CHECK_INT(res.n_chosen, 2);
    opt.capacity = 2.5;
    CHECK_INT(mg_siting_lscp(&in, 1.5, 0, &opt, chosen, &res, &err), MG_OK);
    CHECK_INT(res.n_chosen, 3);
    opt.capacity = 1.9; /* 3 x 1.9 = 5.7 < 6: no cover at all */
    CHECK_INT(mg_siting_lscp(&in, 1.5, 0, &opt, chosen, &res, &err),
              MG_ERR_INPUT);
    CHECK(strstr(err.message, "capacity 1.9"));
    /* A point no candidate reaches makes the LSCP impossible. */
    const double w7[7] = {1, 1, 1, 1, 1, 1, 2};
    m->n_to = 7;
    mg_siting_input in7 = {7, NULL, NULL, w7, 3, NULL, NULL, m};
    opt.capacity = NAN;
    CHECK_INT(mg_siting_lscp(&in7, 1.5, 0, &opt, chosen, &res, &err),
              MG_ERR_INPUT);
    CHECK(strstr(err.message, "demand point 7 (weight 2)"));
    mg_cost_matrix_free(m);
}

static void test_hand_center(void)
{
    const double x[6] = {0, 1, 2, 10, 11, 12}, w[6] = {1, 1, 1, 1, 1, 1};
    size_t rows[36], to[36];
    double cost[36];
    for (size_t j = 0, e = 0; j < 6; j++)
        for (size_t i = 0; i < 6; i++, e++) {
            rows[e] = j;
            to[e] = i;
            cost[e] = fabs(x[j] - x[i]);
        }
    mg_cost_matrix *m = matrix_new(6, 6, rows, to, cost, 36);
    mg_siting_input in = {6, NULL, NULL, w, 6, NULL, NULL, m};
    mg_siting_result res;
    size_t chosen[6];
    mg_error err;
    CHECK_INT(mg_siting_pcenter(&in, 2, NULL, chosen, &res, &err), MG_OK);
    CHECK_INT(res.n_chosen, 2);
    CHECK(res.optimal);
    CHECK_NEAR(res.objective, 1, 0);
    CHECK(has(chosen, 2, 1) && has(chosen, 2, 4));
    CHECK_INT(mg_siting_pcenter(&in, 1, NULL, chosen, &res, &err), MG_OK);
    CHECK_NEAR(res.objective, 10, 0); /* x = 2 or 10: max(2, 10) */
    CHECK_INT(mg_siting_pcenter(&in, 6, NULL, chosen, &res, &err), MG_OK);
    CHECK_NEAR(res.objective, 0, 0);
    mg_cost_matrix_free(m);
}

/* The invariants of a capacitated answer: every region assigned to a
 * chosen site, the radius the largest assigned distance, no site over. */
static void check_assignment(const mg_siting_input *in, const size_t *chosen,
                             size_t n, const mg_siting_exact *opt,
                             const double *x, double radius)
{
    double worst = 0, load[6] = {0};
    for (size_t i = 0; i < in->n_demand; i++) {
        size_t j = opt->assign[i];
        CHECK(j < in->n_candidates && has(chosen, n, j));
        if (j >= in->n_candidates)
            continue;
        load[j] += in->demand_weight[i];
        worst = fmax(worst, fabs(x[j] - x[i]));
    }
    CHECK_NEAR(worst, radius, 0);
    for (size_t j = 0; j < in->n_candidates; j++) {
        CHECK(load[j] <= opt->capacity);
        CHECK_NEAR(opt->served[j], load[j], 1e-9);
    }
}

static void test_capacitated_center(void)
{
    const double x[6] = {0, 1, 2, 3, 10, 11}, w[6] = {1, 1, 1, 1, 1, 1};
    size_t rows[36], to[36];
    double cost[36];
    for (size_t j = 0, e = 0; j < 6; j++)
        for (size_t i = 0; i < 6; i++, e++) {
            rows[e] = j;
            to[e] = i;
            cost[e] = fabs(x[j] - x[i]);
        }
    mg_cost_matrix *m = matrix_new(6, 6, rows, to, cost, 36);
    mg_siting_input in = {6, NULL, NULL, w, 6, NULL, NULL, m};
    mg_siting_result res;
    size_t chosen[6], assign[6];
    double served[6];
    mg_error err;
    CHECK_INT(mg_siting_pcenter(&in, 2, NULL, chosen, &res, &err), MG_OK);
    CHECK_NEAR(res.objective, 2, 0); /* uncapacitated */
    mg_siting_exact opt = {0, 3, served, assign};
    CHECK_INT(mg_siting_pcenter(&in, 2, &opt, chosen, &res, &err), MG_OK);
    CHECK(res.optimal);
    CHECK_INT(res.n_chosen, 2);
    CHECK_NEAR(res.objective, 7, 0);
    CHECK(has(chosen, 2, 4));
    CHECK(opt.assign[3] == 4 && opt.assign[4] == 4 && opt.assign[5] == 4);
    CHECK_NEAR(served[4], 3, 1e-9);
    check_assignment(&in, chosen, res.n_chosen, &opt, x, res.objective);
    opt.capacity = 6; /* loose: the uncapacitated optimum again */
    CHECK_INT(mg_siting_pcenter(&in, 2, &opt, chosen, &res, &err), MG_OK);
    CHECK_NEAR(res.objective, 2, 0);
    check_assignment(&in, chosen, res.n_chosen, &opt, x, res.objective);
    opt.capacity = 2;
    CHECK_INT(mg_siting_pcenter(&in, 2, &opt, chosen, &res, &err),
              MG_ERR_INPUT);
    CHECK(strcmp(err.field, "capacity") == 0);
    CHECK(strstr(err.message, "capacity 2"));
    mg_cost_matrix_free(m);
}

/* ---- San Francisco: every set of sites, enumerated -------------------- */

static int next_subset(size_t *idx, size_t k, size_t m)
{
    size_t i = k;
    while (i > 0 && idx[i - 1] == m - k + i - 1)
        i--;
    if (i == 0)
        return 0;
    idx[i - 1]++;
    for (size_t t = i; t < k; t++)
        idx[t] = idx[t - 1] + 1;
    return 1;
}

/* The SF distances as a dense table (16 x 205; absent pairs INFINITY), so
 * that the enumerations below stay quick. */
static double dense[16][205];

static void fill_dense(const mg_cost_matrix *m)
{
    for (size_t j = 0; j < 16; j++)
        for (size_t i = 0; i < 205; i++)
            dense[j][i] = INFINITY;
    for (size_t j = 0; j < 16 && j < m->n_from; j++)
        for (size_t e = m->start[j]; e < m->start[j + 1]; e++)
            dense[j][m->to[e]] = m->cost[e];
}

/* The largest distance from a demand point of weight > 0 to its nearest
 * site of set. */
static double largest_distance(const mg_siting_input *in, const size_t *set,
                               size_t n)
{
    double worst = 0;
    for (size_t i = 0; i < in->n_demand; i++) {
        double best = INFINITY;
        for (size_t s = 0; s < n; s++)
            best = fmin(best, dense[set[s]][i]);
        if (in->demand_weight[i] > 0)
            worst = fmax(worst, best);
    }
    return worst;
}

/* The number of sites of set within r of demand point i. */
static int coverers(const mg_siting_input *in, double r, const size_t *set,
                    size_t n, size_t i)
{
    (void)in;
    int c = 0;
    for (size_t s = 0; s < n; s++)
        c += dense[set[s]][i] <= r;
    return c;
}

/* The weight covered twice or more, or -1 when a point is not covered. */
static double twice(const mg_siting_input *in, double r, const size_t *set,
                    size_t n)
{
    double w = 0;
    for (size_t i = 0; i < in->n_demand; i++) {
        int c = coverers(in, r, set, n, i);
        if (c == 0 && in->demand_weight[i] > 0)
            return -1;
        w += c >= 2 ? in->demand_weight[i] : 0;
    }
    return w;
}

/* Exhaustive yardsticks over all k-subsets of the 16 stores. */
static double best_center(const mg_siting_input *in, size_t k)
{
    size_t idx[16];
    double best = INFINITY;
    for (size_t i = 0; i < k; i++)
        idx[i] = i;
    do
        best = fmin(best, largest_distance(in, idx, k));
    while (next_subset(idx, k, in->n_candidates));
    return best;
}

static double best_cover(const mg_siting_input *in, double r, size_t k)
{
    size_t idx[16];
    double best = -1;
    for (size_t i = 0; i < k; i++)
        idx[i] = i;
    do {
        double w = 0;
        for (size_t i = 0; i < in->n_demand; i++)
            w += coverers(in, r, idx, k, i) ? in->demand_weight[i] : 0;
        best = fmax(best, w);
    } while (next_subset(idx, k, in->n_candidates));
    return best;
}

static double best_backup(const mg_siting_input *in, double r, size_t k)
{
    size_t idx[16];
    double best = -1;
    for (size_t i = 0; i < k; i++)
        idx[i] = i;
    do
        best = fmax(best, twice(in, r, idx, k));
    while (next_subset(idx, k, in->n_candidates));
    return best;
}

static void sf_mclp(const mg_siting_input *net, double r, size_t k)
{
    size_t chosen[16], n;
    mg_siting_result res;
    mg_error err;
    mg_siting_exact opt = {0, NAN, NULL, NULL};
    CHECK_INT(mg_siting_choose_mclp(net, r, k, chosen, NULL, &n, &err),
              MG_OK);
    double greedy = mg_siting_eval_coverage(net, r, chosen, n);
    CHECK_INT(mg_siting_exact_mclp(net, r, k, &opt, chosen, &res, &err),
              MG_OK);
    double exact = mg_siting_eval_coverage(net, r, chosen, res.n_chosen);
    double opt_v = best_cover(net, r, k);
    CHECK(res.optimal);
    CHECK_NEAR(exact, res.objective, 1e-9 * opt_v);
    CHECK_NEAR(exact, opt_v, 1e-9 * opt_v);
    CHECK(exact >= greedy);
    fprintf(stderr, "SF MCLP %g m, %zu stores: greedy %.0f, exact %.0f "
            "(greedy %.2f %% short)\n", r, k, greedy, exact,
            100 * (1 - greedy / exact));
}

static void test_sf(const char *dir)
{
    static sf_data sf;
    if (read_points(dir, &sf) || read_distances(dir, &sf)) {
        CHECK(!"San Francisco data readable");
        return;
    }
    mg_siting_input net = {sf.nd, NULL, NULL, sf.pop, sf.nc, NULL, NULL,
                           sf.m};
    fill_dense(sf.m);
    /* 5 km: the greedy is 0.30 % short at 4 stores, 1.33 % at 6. */
    for (size_t k = 3; k <= 6; k++)
        sf_mclp(&net, 5000, k);
    sf_mclp(&net, 3000, 4);
    size_t chosen[16];
    mg_siting_result res;
    mg_error err;
    /* LSCP at 5 km: every tract covered, and no fewer stores can do it. */
    CHECK_INT(mg_siting_lscp(&net, 5000, 0, NULL, chosen, &res, &err),
              MG_OK);
    double total = 0;
    for (size_t i = 0; i < sf.nd; i++)
        total += sf.pop[i];
    CHECK_NEAR(mg_siting_eval_coverage(&net, 5000, chosen, res.n_chosen),
               total, 0);
    CHECK(res.n_chosen >= 2 &&
          best_cover(&net, 5000, res.n_chosen - 1) < total);
    size_t p = res.n_chosen;
    double plain = twice(&net, 5000, chosen, p);
    CHECK_INT(mg_siting_lscp(&net, 5000, 1, NULL, chosen, &res, &err),
              MG_OK);
    CHECK_INT(res.n_chosen, p);
    CHECK_NEAR(twice(&net, 5000, chosen, p), res.backup, 0);
    CHECK_NEAR(res.backup, best_backup(&net, 5000, p), 0);
    CHECK(res.backup >= plain);
    fprintf(stderr, "SF LSCP 5 km: %zu stores; backup %.0f of %.0f\n", p,
            res.backup, total);
    /* p-center: the radius is the largest assigned distance, and the
     * smallest over every set of k stores. */
    for (size_t k = 1; k <= 5; k++) {
        CHECK_INT(mg_siting_pcenter(&net, k, NULL, chosen, &res, &err),
                  MG_OK);
        CHECK(res.optimal);
        CHECK_INT(res.n_chosen, k);
        CHECK_NEAR(res.objective, largest_distance(&net, chosen, k), 0);
        CHECK_NEAR(res.objective, best_center(&net, k), 0);
    }
    mg_cost_matrix_free(sf.m);
}

/* Random instances (great-circle km): exact >= greedy >= (1 - 1/e) exact,
 * the exact answer equal to the exhaustive optimum; a time limit of a
 * millisecond on a larger one still returns a cover no worse than the
 * greedy, with its gap. */
static void test_random(void)
{
    unsigned long s = 17;
    enum { ND = 120, NC = 14 };
    double lon[ND], lat[ND], w[ND], clon[NC], clat[NC];
    for (int run = 0; run < 20; run++) {
        for (int i = 0; i < ND; i++) {
            lon[i] = 25 + rnd(&s);
            lat[i] = 45 + rnd(&s);
            w[i] = floor(1 + 100 * rnd(&s));
        }
        for (int j = 0; j < NC; j++) {
            clon[j] = 25 + rnd(&s);
            clat[j] = 45 + rnd(&s);
        }
        mg_siting_input in = {ND, lon, lat, w, NC, clon, clat, NULL};
        size_t k = 2 + (size_t)run % 4, chosen[NC], best[NC], n;
        double r = 12 + 20 * rnd(&s);
        mg_siting_result res;
        mg_error err;
        CHECK_INT(mg_siting_choose_mclp(&in, r, k, chosen, NULL, &n, &err),
                  MG_OK);
        double greedy = mg_siting_eval_coverage(&in, r, chosen, n);
        CHECK_INT(mg_siting_exact_mclp(&in, r, k, NULL, chosen, &res, &err),
                  MG_OK);
        double exact = mg_siting_eval_coverage(&in, r, chosen, res.n_chosen);
        CHECK_NEAR(exact, exhaustive(&in, r, k, 0, best), 1e-9 * exact);
        CHECK(exact >= greedy && greedy >= (1 - exp(-1)) * exact);
    }
}

static void test_time_limit(void)
{
    unsigned long s = 99;
    enum { ND = 3000, NC = 300 };
    static double lon[ND], lat[ND], w[ND], clon[NC], clat[NC];
    for (int i = 0; i < ND; i++) {
        lon[i] = 25 + 2 * rnd(&s);
        lat[i] = 45 + 2 * rnd(&s);
        w[i] = 1 + floor(100 * rnd(&s));
    }
    for (int j = 0; j < NC; j++) {
        clon[j] = 25 + 2 * rnd(&s);
        clat[j] = 45 + 2 * rnd(&s);
    }
    mg_siting_input in = {ND, lon, lat, w, NC, clon, clat, NULL};
    static size_t chosen[NC];
    size_t n;
    mg_siting_result res;
    mg_siting_exact opt = {0.001, NAN, NULL, NULL};
    mg_error err;
    CHECK_INT(mg_siting_choose_mclp(&in, 15, 20, chosen, NULL, &n, &err),
              MG_OK);
    double greedy = mg_siting_eval_coverage(&in, 15, chosen, n);
    CHECK_INT(mg_siting_exact_mclp(&in, 15, 20, &opt, chosen, &res, &err),
              MG_OK);
    double got = mg_siting_eval_coverage(&in, 15, chosen, res.n_chosen);
    CHECK(got >= greedy);
    CHECK(!res.optimal);
    CHECK(isnan(res.gap) || res.gap > 0);
    fprintf(stderr, "time limit 1 ms: greedy %.0f, got %.0f, gap %g\n",
            greedy, got, res.gap);
    /* LSCP within 30 km under the same limit: a cover of every point
     * still (the greedy one, when the time ends before branching). */
    double total = 0;
    for (int i = 0; i < ND; i++)
        total += w[i];
    CHECK_INT(mg_siting_lscp(&in, 30, 0, &opt, chosen, &res, &err), MG_OK);
    CHECK_NEAR(mg_siting_eval_coverage(&in, 30, chosen, res.n_chosen), total,
               1e-9 * total);
    CHECK_NEAR(res.objective, (double)res.n_chosen, 0);
    CHECK(!res.optimal);
    CHECK(res.fallback || !isnan(res.gap));
}

int main(int argc, char **argv)
{
    test_hand_cover();
    test_hand_center();
    test_capacitated_center();
    test_random();
    test_time_limit();
    if (argc > 1)
        test_sf(argv[1]);
    else
        CHECK(!"usage: test_siting_exact FIXTURES/access");
    CHECK_DONE();
}
