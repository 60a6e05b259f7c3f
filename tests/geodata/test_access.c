/* Accessibility: the two-step floating catchment by hand, its invariants,
 * and the grid index against brute force.
 *
 * The hand-worked case: three providers S1..S3, four regions D1..D4,
 * costs from a matrix (absent pairs are out of reach), catchment d0 = 30.
 *
 *            need     S1 (cap 30)   S2 (cap 60)   S3 (cap 20)
 *   D1        100         0              -            50
 *   D2         50        10             20             -
 *   D3        200        40             10            30
 *   D4         50         -             40            10
 *
 * 2SFCA (weight 1 for d <= 30):
 *   R1 = 30 / (100 + 50)        = 0.2
 *   R2 = 60 / (50 + 200)        = 0.24
 *   R3 = 20 / (200 + 50)        = 0.08    (D3 at exactly d0 is inside)
 *   A  = D1 0.2, D2 0.2 + 0.24 = 0.44, D3 0.24 + 0.08 = 0.32, D4 0.08
 *   accessible = A x need = 20, 22, 64, 4 (sum 110 = 30 + 60 + 20)
 *   access gap = 80, 28, 136, 46
 *
 * E2SFCA, bands [0, 10] 1.0, (10, 20] 0.5, (20, 30] 0.25:
 *   R1 = 30 / (100 x 1 + 50 x 1)       = 0.2
 *   R2 = 60 / (50 x 0.5 + 200 x 1)     = 60 / 225 = 4/15
 *   R3 = 20 / (200 x 0.25 + 50 x 1)    = 0.2
 *   A  = D1 0.2, D2 0.2 + 4/15 x 0.5 = 1/3, D3 4/15 + 0.2 x 0.25 = 19/60,
 *        D4 0.2
 *   accessible = 20, 50/3, 190/3, 10 (sum 110)
 *
 * Gaussian 2SFCA, G(d) = (exp(-(d/30)^2/2) - exp(-1/2)) / (1 - exp(-1/2)):
 *   G(0) = 1, G(10) = 0.8626563100093985, G(20) = 0.4935752886421534,
 *   G(30) = 0 (so S3 does not reach D3 at all)
 *   R1 = 30 / (100 + 50 G10)             = 0.20959554170092817
 *   R2 = 60 / (50 G20 + 200 G10)         = 0.3042441659024064
 *   R3 = 20 / (50 G10)                   = 0.46368408294102903
 *   A  = D1 R1                           = 0.20959554170092817
 *        D2 R1 G10 + R2 G20              = 0.3309763186011151
 *        D3 R2 G10                       = 0.26245814949925717
 *        D4 R3 G10                       = 0.4 (D4 gets all of S3)
 *   accessible = 20.95955417009282, 16.548815930055756, 52.49162989985143,
 *                20 (sum 110)
 */
#include "check.h"
#include "geodata/siting.h"

#include <stdlib.h>
#include <string.h>

static const double need4[4] = {100, 50, 200, 50};
static const double cap3[3] = {30, 60, 20};

/* The matrix of the table above, rows per provider. */
static mg_cost_matrix *hand_matrix(void)
{
    static size_t start[4] = {0, 3, 6, 9};
    static size_t to[9] = {0, 1, 2, 1, 2, 3, 0, 2, 3};
    static double cost[9] = {0, 10, 40, 20, 10, 40, 50, 30, 10};
    mg_cost_matrix *m = calloc(1, sizeof *m);
    m->n_from = 3;
    m->n_to = 4;
    m->start = malloc(sizeof start);
    m->to = malloc(sizeof to);
    m->cost = malloc(sizeof cost);
    memcpy(m->start, start, sizeof start);
    memcpy(m->to, to, sizeof to);
    memcpy(m->cost, cost, sizeof cost);
    return m;
}

static void run_hand(const mg_access_decay *k, const double *want_a,
                     const double *want_r, const mg_cost_matrix *m)
{
    double a[4], acc[4], r[3];
    mg_error err;
    mg_error_clear(&err);
    mg_access_input in = {4, NULL, NULL, need4, 3, NULL, NULL, cap3, m};
    mg_access_output out = {a, acc, r, 0, 0};
    CHECK_INT(mg_access_compute(&in, k, &out, &err), MG_OK);
    double sum = 0;
    for (int i = 0; i < 4; i++) {
        CHECK_NEAR(a[i], want_a[i], 1e-12);
        CHECK_NEAR(acc[i], want_a[i] * need4[i], 1e-9);
        sum += acc[i];
    }
    for (int j = 0; j < 3; j++)
        CHECK_NEAR(r[j], want_r[j], 1e-12);
    CHECK_NEAR(sum, 110, 1e-9);
    CHECK_INT(out.n_lost, 0);
}

static void test_hand(void)
{
    mg_cost_matrix *m = hand_matrix();
    mg_access_decay bin = {MG_ACCESS_2SFCA, 30, NULL, NULL, 0, 0, 0, 2};
    const double a2[4] = {0.2, 0.44, 0.32, 0.08};
    const double r2[3] = {0.2, 0.24, 0.08};
    run_hand(&bin, a2, r2, m);

    double up[3] = {10, 20, 30}, w[3] = {1.0, 0.5, 0.25};
    mg_access_decay e2 = {MG_ACCESS_E2SFCA, 30, up, w, 3, 0, 0, 2};
    const double ae[4] = {0.2, 1.0 / 3, 19.0 / 60, 0.2};
    const double re[3] = {0.2, 4.0 / 15, 0.2};
    run_hand(&e2, ae, re, m);

    mg_access_decay g = {MG_ACCESS_GAUSSIAN, 30, NULL, NULL, 0, 0, 0, 2};
    const double ag[4] = {0.20959554170092817, 0.3309763186011151,
                          0.26245814949925717, 0.4};
    const double rg[3] = {0.20959554170092817, 0.3042441659024064,
                          0.46368408294102903};
    run_hand(&g, ag, rg, m);
    CHECK_NEAR(mg_access_weight(&g, 10), 0.8626563100093985, 1e-15);
    CHECK_NEAR(mg_access_weight(&g, 20), 0.4935752886421534, 1e-15);
    CHECK_NEAR(mg_access_weight(&g, 30), 0, 1e-15);
    CHECK_NEAR(mg_access_weight(&g, 30.0001), 0, 0);
    /* Band bounds belong to the nearer band. */
    CHECK_NEAR(mg_access_weight(&e2, 10), 1.0, 0);
    CHECK_NEAR(mg_access_weight(&e2, 10.0001), 0.5, 0);
    CHECK_NEAR(mg_access_weight(&e2, 30.0001), 0, 0);
    CHECK_NEAR(mg_access_weight(&bin, NAN), 0, 0);
    mg_cost_matrix_free(m);
}

static void test_distance(void)
{
    /* One degree of a great circle on a sphere of 6371.0088 km. */
    CHECK_NEAR(mg_access_distance_km(0, 0, 1, 0), 111.19508023353292, 1e-9);
    CHECK_NEAR(mg_access_distance_km(10, 45, 10, 46), 111.19508023353292,
               1e-9);
    CHECK_NEAR(mg_access_distance_km(179.5, 0, -179.5, 0),
               111.19508023353292, 1e-9);
    CHECK_NEAR(mg_access_distance_km(0, 90, 123, 90), 0, 1e-9);
    CHECK_NEAR(mg_access_distance_km(0, 0, 180, 0), 20015.114442035923,
               1e-6);
}

/* A deterministic generator, so failures reproduce. */
static double rnd(unsigned long *s)
{
    *s = *s * 6364136223846793005UL + 1442695040888963407UL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

/* The same two steps by brute force over every pair. */
static void brute(const mg_access_input *in, const mg_access_decay *k,
                  double *a, size_t *pairs)
{
    double *r = calloc(in->n_supply, sizeof *r);
    *pairs = 0;
    for (size_t j = 0; j < in->n_supply; j++) {
        double den = 0;
        for (size_t i = 0; i < in->n_demand; i++) {
            double w = mg_access_weight(k, mg_access_distance_km(
                in->supply_lon[j], in->supply_lat[j], in->demand_lon[i],
                in->demand_lat[i]));
            den += w * in->demand_weight[i];
            *pairs += w > 0;
        }
        r[j] = den > 0 ? in->supply_weight[j] / den : 0;
    }
    for (size_t i = 0; i < in->n_demand; i++) {
        a[i] = 0;
        for (size_t j = 0; j < in->n_supply; j++)
            a[i] += r[j] * mg_access_weight(k, mg_access_distance_km(
                in->supply_lon[j], in->supply_lat[j], in->demand_lon[i],
                in->demand_lat[i]));
    }
    free(r);
}

/* Points spread over a box, or around a pole or the antimeridian, where a
 * grid over degrees is easiest to get wrong. */
static void fill(unsigned long *s, double *lon, double *lat, size_t n,
                 int where)
{
    for (size_t i = 0; i < n; i++) {
        double u = rnd(s), v = rnd(s);
        if (where == 0) {
            lon[i] = 20 + 5 * u;
            lat[i] = 44 + 4 * v;
        } else if (where == 1) {
            lon[i] = -180 + 360 * u;
            lat[i] = 86 + 3.99 * v;
        } else {
            lon[i] = u < 0.5 ? 178 + 2 * v : -180 + 2 * v;
            lat[i] = -10 + 20 * rnd(s);
        }
    }
}

static void test_grid_vs_brute(void)
{
    enum { ND = 300, NS = 120 };
    static double dlon[ND], dlat[ND], dw[ND], slon[NS], slat[NS], sw[NS];
    static double a[ND], acc[ND], b[ND];
    unsigned long s = 42;
    double radius[3] = {60, 250, 400};
    for (int where = 0; where < 3; where++) {
        fill(&s, dlon, dlat, ND, where);
        fill(&s, slon, slat, NS, where);
        for (int i = 0; i < ND; i++)
            dw[i] = 1 + 100 * rnd(&s);
        for (int j = 0; j < NS; j++)
            sw[j] = 5 + 50 * rnd(&s);
        mg_access_decay k = {MG_ACCESS_GAUSSIAN, radius[where], NULL, NULL,
                             0, 0, 0, 2};


        mg_access_input in = {ND, dlon, dlat, dw, NS, slon, slat, sw, NULL};
        mg_access_output out = {a, acc, NULL, 0, 0};
        mg_error err;
        mg_error_clear(&err);
        size_t pairs;
        CHECK_INT(mg_access_compute(&in, &k, &out, &err), MG_OK);
        brute(&in, &k, b, &pairs);
        CHECK_INT(out.n_pairs, pairs);
        CHECK(pairs > 100);
        for (int i = 0; i < ND; i++)
            CHECK_NEAR(a[i], b[i], 1e-12 * (1 + b[i]));
    }
}

static double sum(const double *v, size_t n)
{
    double t = 0;
    for (size_t i = 0; i < n; i++)
        t += isnan(v[i]) ? 0 : v[i];
    return t;
}

/* Total accessible supply = total capacity when every provider reaches
 * some need; the scores scale linearly with capacity; a provider that
 * reaches nobody is counted lost and its capacity is in no region. */
static void test_invariants(void)
{
    enum { ND = 200, NS = 60 };
    static double dlon[ND], dlat[ND], dw[ND], slon[NS + 1], slat[NS + 1];
    static double sw[NS + 1], sw3[NS + 1], a[ND], acc[ND], a3[ND], acc3[ND];
    unsigned long s = 7;
    fill(&s, dlon, dlat, ND, 0);
    fill(&s, slon, slat, NS, 0);
    double cap = 0;
    for (int i = 0; i < ND; i++)
        dw[i] = rnd(&s) < 0.1 ? 0 : 50 * rnd(&s);
    for (int j = 0; j < NS; j++) {
        sw[j] = 1 + 30 * rnd(&s);
        sw3[j] = 3 * sw[j];
        cap += sw[j];
    }
    double up[2] = {40, 80}, w[2] = {1, 0.4};
    mg_access_decay kinds[3] = {{MG_ACCESS_2SFCA, 80, NULL, NULL, 0, 0, 0, 2},
                                {MG_ACCESS_E2SFCA, 80, up, w, 2, 0, 0, 2},
                                {MG_ACCESS_GAUSSIAN, 80, NULL, NULL, 0, 0, 0, 2}};
    mg_error err;
    mg_error_clear(&err);
    for (int k = 0; k < 3; k++) {
        mg_access_input in = {ND, dlon, dlat, dw, NS, slon, slat, sw, NULL};
        mg_access_output out = {a, acc, NULL, 0, 0};
        CHECK_INT(mg_access_compute(&in, &kinds[k], &out, &err), MG_OK);
        CHECK_INT(out.n_lost, 0);
        CHECK_NEAR(sum(acc, ND), cap, 1e-9 * cap);
        in.supply_weight = sw3;
        mg_access_output out3 = {a3, acc3, NULL, 0, 0};
        CHECK_INT(mg_access_compute(&in, &kinds[k], &out3, &err), MG_OK);
        for (int i = 0; i < ND; i++)
            CHECK_NEAR(a3[i], 3 * a[i], 1e-12 * (1 + a3[i]));
        /* One more provider, far out at sea: lost, the rest unchanged. */
        slon[NS] = -30;
        slat[NS] = 0;
        sw[NS] = 1000;
        in.n_supply = NS + 1;
        in.supply_weight = sw;
        double r[NS + 1];
        mg_access_output lost = {a3, acc3, r, 0, 0};
        CHECK_INT(mg_access_compute(&in, &kinds[k], &lost, &err), MG_OK);
        CHECK_INT(lost.n_lost, 1);
        CHECK(isnan(r[NS]));
        CHECK_NEAR(sum(acc3, ND), cap, 1e-9 * cap);
    }
}

/* A region without a location takes no part and gets NAN. */
static void test_unlocated(void)
{
    double dlon[3] = {25.0, NAN, 25.1}, dlat[3] = {45.0, NAN, 45.0};
    double dw[3] = {10, 10, 30}, slon[1] = {25.05}, slat[1] = {45.0};
    double sw[1] = {8}, a[3], acc[3];
    mg_access_decay k = {MG_ACCESS_2SFCA, 10, NULL, NULL, 0, 0, 0, 2};
    mg_access_input in = {3, dlon, dlat, dw, 1, slon, slat, sw, NULL};
    mg_access_output out = {a, acc, NULL, 0, 0};
    mg_error err;
    mg_error_clear(&err);
    CHECK_INT(mg_access_compute(&in, &k, &out, &err), MG_OK);
    CHECK_NEAR(a[0], 0.2, 1e-12);   /* 8 / (10 + 30) */
    CHECK(isnan(a[1]) && isnan(acc[1]));
    CHECK_NEAR(acc[2], 6, 1e-12);
}

int main(void)
{
    test_hand();
    test_distance();
    test_grid_vs_brute();
    test_invariants();
    test_unlocated();
    CHECK_DONE();
}
