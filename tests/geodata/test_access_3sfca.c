/* Accessibility beyond 2SFCA: the gravity and kernel decays, and the
 * three-step floating catchment (3SFCA, Wan, Zou & Sternberg 2012), on
 * cases worked by hand and on the supply-conservation invariant.
 *
 * Hand-worked 3SFCA (binary decay, cost matrix): providers P1 (S = 10)
 * reaching d1, d2 and P2 (S = 30) reaching d2, d3; need 100 each.
 *   selection weights: d1 only P1 (G = 1), d2 both (G = 1/2 each), d3 P2
 *   R1 = 10 / (100 + 100 / 2) = 1/15        R2 = 30 / 150 = 1/5
 *   A1 = 1/15, A2 = (1/15 + 1/5) / 2 = 2/15, A3 = 1/5
 *   sum A D = 100 (1 + 2 + 3) / 15 = 40 = S1 + S2
 * 2SFCA on the same: R1 = 10/200 = 0.05, R2 = 0.15; A = 0.05, 0.2, 0.15.
 */
#include "check.h"
#include "geodata/access.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void test_weights(void)
{
    mg_access_decay k = {MG_ACCESS_POWER, 30, NULL, NULL, 0, 2, 1, 2};
    CHECK_NEAR(mg_access_weight(&k, 0), 1, 0);
    CHECK_NEAR(mg_access_weight(&k, 0.5), 1, 0);
    CHECK_NEAR(mg_access_weight(&k, 2), 0.25, 1e-15);
    CHECK_NEAR(mg_access_weight(&k, 4), 1.0 / 16, 1e-15);
    CHECK_NEAR(mg_access_weight(&k, 31), 0, 0); /* beyond the catchment */
    k.min_distance = 2; /* (max(d, 2) / 2)^-2: 1 up to 2, 1/4 at 4 */
    CHECK_NEAR(mg_access_weight(&k, 4), 0.25, 1e-15);
    k = (mg_access_decay){MG_ACCESS_EXPONENTIAL, 30, NULL, NULL, 0, 0.1, 0,
                          2};
    CHECK_NEAR(mg_access_weight(&k, 10), exp(-1), 1e-15);
    CHECK_NEAR(mg_access_weight(&k, 0), 1, 0);
    k.method = MG_ACCESS_TRIANGULAR;
    CHECK_NEAR(mg_access_weight(&k, 15), 0.5, 1e-15);
    k.method = MG_ACCESS_EPANECHNIKOV;
    CHECK_NEAR(mg_access_weight(&k, 15), 0.75, 1e-15);
    k.method = MG_ACCESS_QUARTIC;
    CHECK_NEAR(mg_access_weight(&k, 15), 0.5625, 1e-15);
    CHECK_NEAR(mg_access_weight(&k, 30), 0, 0);
    CHECK_STR(mg_access_methods[MG_ACCESS_QUARTIC].key, "quartic");
    CHECK(mg_access_methods[MG_ACCESS_POWER].beta);
}

static mg_cost_matrix *two_providers(void)
{
    mg_cost_matrix *m = calloc(1, sizeof *m);
    static size_t start[] = {0, 2, 4}, to[] = {0, 1, 1, 2};
    static double cost[] = {1, 1, 1, 1};
    m->n_from = 2;
    m->n_to = 3;
    m->start = malloc(sizeof start);
    m->to = malloc(sizeof to);
    m->cost = malloc(sizeof cost);
    memcpy(m->start, start, sizeof start);
    memcpy(m->to, to, sizeof to);
    memcpy(m->cost, cost, sizeof cost);
    return m;
}

static void test_3sfca_hand(void)
{
    mg_cost_matrix *m = two_providers();
    const double need[3] = {100, 100, 100}, cap[2] = {10, 30};
    double a[3], acc[3], r[2];
    mg_access_input in = {3, NULL, NULL, need, 2, NULL, NULL, cap, m};
    mg_access_output out = {a, acc, r, 0, 0};
    mg_access_decay k = {MG_ACCESS_2SFCA, 5, NULL, NULL, 0, 0, 0, 3};
    mg_error err;
    CHECK_INT(mg_access_compute(&in, &k, &out, &err), MG_OK);
    CHECK_NEAR(r[0], 1.0 / 15, 1e-15);
    CHECK_NEAR(r[1], 1.0 / 5, 1e-15);
    CHECK_NEAR(a[0], 1.0 / 15, 1e-15);
    CHECK_NEAR(a[1], 2.0 / 15, 1e-15);
    CHECK_NEAR(a[2], 1.0 / 5, 1e-15);
    CHECK_NEAR(acc[0] + acc[1] + acc[2], 40, 1e-12);
    k.steps = 2;
    CHECK_INT(mg_access_compute(&in, &k, &out, &err), MG_OK);
    CHECK_NEAR(r[0], 0.05, 1e-15);
    CHECK_NEAR(a[1], 0.2, 1e-15);
    CHECK_NEAR(a[2], 0.15, 1e-15);
    mg_cost_matrix_free(m);
}

static double rnd(unsigned long *s)
{
    *s = *s * 6364136223846793005UL + 1442695040888963407UL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

/* Every method, 2 and 3 steps, random great-circle instances: the supply
 * of every provider that reaches some need is accessible supply, to 1e-9
 * (sum_i A_i D_i = sum_j S_j over providers with R_j defined). */
static void test_conservation(void)
{
    enum { ND = 300, NS = 40 };
    static double dlon[ND], dlat[ND], dw[ND], slon[NS], slat[NS], sw[NS];
    static double a[ND], acc[ND], r[NS];
    unsigned long s = 5;
    for (int i = 0; i < ND; i++) {
        dlon[i] = 25 + rnd(&s);
        dlat[i] = 45 + rnd(&s);
        dw[i] = 1 + 100 * rnd(&s);
    }
    for (int j = 0; j < NS; j++) {
        slon[j] = 25 + rnd(&s);
        slat[j] = 45 + rnd(&s);
        sw[j] = 5 + 50 * rnd(&s);
    }
    mg_access_input in = {ND, dlon, dlat, dw, NS, slon, slat, sw, NULL};
    for (int m = 0; m < MG_ACCESS_N_METHODS; m++) {
        if (m == MG_ACCESS_E2SFCA)
            continue;
        for (int steps = 2; steps <= 3; steps++) {
            mg_access_decay k = {(mg_access_method)m, 25, NULL, NULL, 0,
                                 0.08, 1, steps};
            mg_access_output out = {a, acc, r, 0, 0};
            mg_error err;
            CHECK_INT(mg_access_compute(&in, &k, &out, &err), MG_OK);
            double got = 0, want = 0;
            for (int i = 0; i < ND; i++)
                got += acc[i];
            for (int j = 0; j < NS; j++)
                want += isnan(r[j]) ? 0 : sw[j];
            CHECK_NEAR(got, want, 1e-9 * want);
        }
    }
}

int main(void)
{
    test_weights();
    test_3sfca_hand();
    test_conservation();
    CHECK_DONE();
}
