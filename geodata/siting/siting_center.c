/* p-center: the smallest radius within which k sites reach every demand
 * point.  The optimum is one of the pair distances; a covering programme
 * at a radius r says whether k sites suffice (Minieka 1970), and the
 * search bisects over the distances between the largest radius proven
 * too short (lo) and the best one found (hi). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The largest distance from a demand point of weight > 0 to its nearest
 * site of set[0..n-1]. */
static double radius_of(const mg_siting_input *in, const size_t *set,
                        size_t n)
{
    double worst = 0;
    for (size_t i = 0; i < in->n_demand; i++) {
        if (!(siting_weight(in, i) > 0))
            continue;
        double best = INFINITY;
        for (size_t s = 0; s < n; s++)
            best = fmin(best, siting_pair_cost(in, set[s], i));
        worst = fmax(worst, best);
    }
    return worst;
}

/* Gonzalez's farthest-first start: the site nearest the demand point
 * farthest from the sites so far, k times (dist: n_demand, used: m). */
static void farthest_first(const mg_siting_input *in, size_t k, size_t *set,
                           size_t *n, double *dist, unsigned char *used)
{
    size_t m = in->n_candidates;
    for (size_t i = 0; i < in->n_demand; i++)
        dist[i] = siting_weight(in, i) > 0 ? INFINITY : -1;
    for (*n = 0; *n < k && *n < m;) {
        size_t far = 0;
        for (size_t i = 1; i < in->n_demand; i++)
            far = dist[i] > dist[far] ? i : far;
        if (!(dist[far] > 0))
            break; /* every point sits on a site */
        size_t best = m;
        double bd = INFINITY;
        for (size_t j = 0; j < m; j++) {
            double d = used[j] ? INFINITY : siting_pair_cost(in, j, far);
            if (!used[j] && (best == m || d < bd)) {
                best = j;
                bd = d;
            }
        }
        if (best == m)
            break;
        used[best] = 1;
        set[(*n)++] = best;
        for (size_t i = 0; i < in->n_demand; i++)
            if (dist[i] >= 0)
                dist[i] = fmin(dist[i], siting_pair_cost(in, best, i));
    }
}

/* Over the pairs within hi (to demand of weight > 0): *lower the largest
 * nearest-site distance (no radius below it covers every point), *pick a
 * distance in (lo, hi) near the middle (NAN when there is none). */
static int scan_pairs(const mg_siting_input *in, double lo, double hi,
                      double *lower, double *pick, double *near,
                      mg_error *err)
{
    mg_pair_source src;
    mg_geo_hits hits = {0};
    double mid = isinf(lo) ? hi / 2 : (lo + hi) / 2, above = INFINITY;
    double below = -INFINITY;
    int rc = mg_pair_source_init(&src, in->costs, in->demand_lon,
                                 in->demand_lat, in->n_demand, in->cand_lon,
                                 in->cand_lat, hi);
    for (size_t i = 0; i < in->n_demand; i++)
        near[i] = INFINITY;
    for (size_t j = 0; !rc && j < in->n_candidates; j++) {
        rc = mg_pair_source_get(&src, j, hi, &hits);
        for (size_t h = 0; !rc && h < hits.n; h++) {
            double d = hits.dist[h];
            if (!(siting_weight(in, hits.idx[h]) > 0))
                continue;
            near[hits.idx[h]] = fmin(near[hits.idx[h]], d);
            if (d > lo && d < hi && d >= mid)
                above = fmin(above, d);
            if (d > lo && d < hi && d < mid)
                below = fmax(below, d);
        }
    }
    mg_geo_hits_free(&hits);
    mg_pair_source_free(&src);
    if (rc)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
    *lower = 0;
    for (size_t i = 0; i < in->n_demand; i++)
        if (siting_weight(in, i) > 0)
            *lower = fmax(*lower, near[i]);
    *pick = isfinite(above) ? above : isfinite(below) ? below : NAN;
    return MG_OK;
}

/* Whether k sites put every demand point within r: *ans 1 (set[0..*n)
 * filled), 0 (no) or -1 (the time ran out first). */
static int feasible(const mg_siting_input *in, double r, size_t k, double tl,
                    size_t *set, size_t *n, size_t *tmp, int *ans,
                    mg_error *err)
{
    cover_lists cl;
    siting_ip *ip = NULL;
    *ans = 0;
    int rc = siting_cover_build(in, r, &cl, err);
    memset(tmp, 0, (in->n_demand + 1) * sizeof *tmp);
    for (size_t e = 0; !rc && e < cl.n; e++)
        tmp[cl.idx[e]] = 1;
    int all = 1;
    for (size_t i = 0; i < in->n_demand; i++)
        all &= !(siting_weight(in, i) > 0) || tmp[i];
    if (!rc && all) {
        ip = siting_ip_new(0, in->n_candidates);
        if (!ip || siting_build_lscp(ip, in, &cl, NAN, tmp))
            rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                              "out of memory");
    }
    if (!rc && ip) {
        size_t kr = siting_ip_row(ip, -INFINITY, (double)k);
        for (size_t j = 0; !rc && j < in->n_candidates; j++)
            rc = siting_ip_add(ip, kr, j, 1);
        siting_ip_result res = {0};
        siting_ip_opts o = {tl, NULL, 1};
        rc = rc ? mg_error_set(err, rc, NULL, -1, NULL, "out of memory")
                : siting_ip_solve(ip, &o, &res, err);
        *ans = res.feasible ? 1 : res.infeasible ? 0 : -1;
        *n = 0;
        for (size_t j = 0; !rc && res.feasible && j < in->n_candidates; j++)
            if (siting_ip_value(ip, j) > 0.5 && *n < k)
                set[(*n)++] = j;
    }
    siting_ip_free(ip);
    siting_cover_free(&cl);
    return rc;
}

/* The bisection from hi (the start's radius, chosen[0..*n) its sites). */
static int bisect(const mg_siting_input *in, size_t k, double tl,
                  size_t *chosen, mg_siting_result *res, size_t *set,
                  double *near, size_t *tmp, mg_error *err)
{
    double t0 = now_s(), lo = -INFINITY, hi = res->objective, lower, r;
    int rc = scan_pairs(in, lo, hi, &lower, &r, near, err), ans = 1;
    if (!rc && lower >= hi)
        r = NAN; /* no radius below the start's covers every point */
    else if (!rc)
        r = lower; /* below it no radius can work: try it first */
    while (!rc && !isnan(r) && ans >= 0) {
        double left = tl > 0 ? tl - (now_s() - t0) : 0;
        if (tl > 0 && left <= 0)
            ans = -1;
        size_t n = 0;
        if (ans >= 0)
            rc = feasible(in, r, k, tl > 0 ? left : 0, set, &n, tmp, &ans,
                          err);
        if (!rc && ans == 1) {
            hi = radius_of(in, set, n);
            memcpy(chosen, set, n * sizeof *set);
            res->n_chosen = n;
        } else if (!rc && ans == 0)
            lo = r;
        if (!rc && ans >= 0)
            rc = scan_pairs(in, lo, hi, &lower, &r, near, err);
    }
    res->objective = hi;
    res->optimal = !rc && ans >= 0;
    res->bound = res->optimal ? hi : isinf(lo) ? 0 : lo;
    res->gap = hi > 0 ? (hi - res->bound) / hi : 0;
    return rc;
}

int mg_siting_pcenter(const mg_siting_input *in, size_t k,
                      const mg_siting_exact *opt, size_t *chosen,
                      mg_siting_result *res, mg_error *err)
{
    size_t m = in->n_candidates, nd = in->n_demand, n = 0;
    memset(res, 0, sizeof *res);
    if (k > m)
        k = m;
    double *near = malloc((nd + 1) * sizeof *near);
    unsigned char *used = calloc(m + 1, 1);
    size_t *set = malloc((m + 1) * sizeof *set);
    size_t *tmp = malloc((nd + 1) * sizeof *tmp);
    int rc = near && used && set && tmp
                 ? MG_OK
                 : mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                                "out of memory");
    if (!rc)
        farthest_first(in, k, chosen, &n, near, used);
    res->n_chosen = n;
    res->objective = rc ? NAN : radius_of(in, chosen, n);
    if (!rc && isinf(res->objective))
        rc = mg_error_set(err, MG_ERR_INPUT, NULL, -1, NULL,
                          "%zu site(s) cannot reach every demand point: "
                          "some pairs have no distance", k);
    if (!rc && res->objective > 0)
        rc = bisect(in, k, opt ? opt->time_limit : 0, chosen, res, set, near,
                    tmp, err);
    else if (!rc)
        res->optimal = 1;
    free(near);
    free(used);
    free(set);
    free(tmp);
    return rc;
}
