/* p-center: the smallest radius within which k sites reach every demand
 * point.  The optimum is one of the pair distances; a covering programme
 * at a radius r says whether k sites suffice (Minieka 1970), and the
 * search bisects over the distances between the largest radius proven
 * too short (lo) and the best one found (hi). */
#include "internal.h"

#include <math.h>
#include <stdint.h>
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

/* What every step of the search shares. */
typedef struct pc_ctx {
    const mg_siting_input *in;
    size_t k;
    double tl;         /* seconds of the whole search, 0: none */
    double cap;        /* of every site; NAN: uncapacitated */
    size_t *set, *tmp; /* n_candidates, n_demand */
    size_t *assign;    /* capacitated: n_demand, set's assignment */
    double *served;    /* capacitated: n_candidates, weight set serves */
    double radius;     /* capacitated: set's largest assigned distance */
} pc_ctx;

/* With a capacity the nearest site may be full, so the radius is the
 * largest distance of an assignment the programme made (z_e binary: each
 * region goes whole to one site), not of the nearest site. */
static void read_assignment(const siting_ip *ip, const cover_lists *cl,
                            pc_ctx *c)
{
    size_t m = c->in->n_candidates;
    c->radius = 0;
    for (size_t i = 0; i < c->in->n_demand; i++)
        c->assign[i] = SIZE_MAX;
    for (size_t j = 0; j < m; j++) {
        c->served[j] = 0;
        for (size_t e = cl->start[j]; e < cl->start[j + 1]; e++) {
            if (siting_ip_value(ip, m + e) < 0.5)
                continue;
            c->assign[cl->idx[e]] = j;
            c->served[j] += siting_weight(c->in, cl->idx[e]);
            c->radius = fmax(c->radius, siting_pair_cost(c->in, j,
                                                         cl->idx[e]));
        }
    }
}

/* The covering programme at r with at most k sites; with a capacity the
 * capacitated LSCP's rows, every region assigned whole. */
static int build_step(siting_ip **ipp, const cover_lists *cl, pc_ctx *c)
{
    size_t m = c->in->n_candidates;
    int capd = !isnan(c->cap);
    siting_ip *ip = siting_ip_new(0, m + (capd ? cl->n : 0));
    *ipp = ip;
    if (!ip || siting_build_lscp(ip, c->in, cl, c->cap, c->tmp))
        return MG_ERR_NOMEM;
    for (size_t e = 0; capd && e < cl->n; e++)
        siting_ip_col(ip, m + e, 1, 0, 1, 0);
    size_t kr = siting_ip_row(ip, -INFINITY, (double)c->k);
    int rc = MG_OK;
    for (size_t j = 0; !rc && j < m; j++)
        rc = siting_ip_add(ip, kr, j, 1);
    return rc;
}

/* Whether k sites put every demand point within r (and, with a capacity,
 * serve it): *ans 1 (c->set[0..*n) filled), 0 (no) or -1 (out of time). */
static int feasible(pc_ctx *c, double r, double tl, size_t *n, int *ans,
                    mg_error *err)
{
    const mg_siting_input *in = c->in;
    cover_lists cl;
    siting_ip *ip = NULL;
    *ans = 0;
    int rc = siting_cover_build(in, r, &cl, err);
    memset(c->tmp, 0, (in->n_demand + 1) * sizeof *c->tmp);
    for (size_t e = 0; !rc && e < cl.n; e++)
        c->tmp[cl.idx[e]] = 1;
    int all = 1;
    for (size_t i = 0; i < in->n_demand; i++)
        all &= !(siting_weight(in, i) > 0) || c->tmp[i];
    if (!rc && all && build_step(&ip, &cl, c))
        rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
    if (!rc && ip) {
        siting_ip_result res = {0};
        siting_ip_opts o = {tl, NULL, 1};
        rc = siting_ip_solve(ip, &o, &res, err);
        *ans = res.feasible ? 1 : res.infeasible ? 0 : -1;
        *n = 0;
        for (size_t j = 0; !rc && res.feasible && j < in->n_candidates; j++)
            if (siting_ip_value(ip, j) > 0.5 && *n < c->k)
                c->set[(*n)++] = j;
        if (!rc && res.feasible && !isnan(c->cap))
            read_assignment(ip, &cl, c);
    }
    siting_ip_free(ip);
    siting_cover_free(&cl);
    return rc;
}

/* Keeps the step's sites (and with a capacity its assignment) as the best
 * so far; returns their radius. */
static double accept(pc_ctx *c, size_t n, size_t *chosen,
                     mg_siting_result *res, const mg_siting_exact *opt,
                     size_t *assign)
{
    memcpy(chosen, c->set, n * sizeof *c->set);
    res->n_chosen = n;
    if (isnan(c->cap))
        return radius_of(c->in, c->set, n);
    if (opt->served)
        memcpy(opt->served, c->served,
               c->in->n_candidates * sizeof *c->served);
    if (assign)
        memcpy(assign, c->assign, c->in->n_demand * sizeof *assign);
    return c->radius;
}

/* The bisection from hi (the start's radius, chosen[0..*n) its sites). */
static int bisect(pc_ctx *c, const mg_siting_exact *opt, size_t *chosen,
                  mg_siting_result *res, double *near, mg_error *err)
{
    const mg_siting_input *in = c->in;
    double t0 = now_s(), lo = -INFINITY, hi = res->objective, lower, r;
    int rc = scan_pairs(in, lo, hi, &lower, &r, near, err), ans = 1;
    if (!rc && lower >= hi)
        r = NAN; /* no radius below the start's covers every point */
    else if (!rc)
        r = lower; /* below it no radius can work: try it first */
    while (!rc && !isnan(r) && ans >= 0) {
        double left = c->tl > 0 ? c->tl - (now_s() - t0) : 0;
        if (c->tl > 0 && left <= 0)
            ans = -1;
        size_t n = 0;
        if (ans >= 0)
            rc = feasible(c, r, c->tl > 0 ? left : 0, &n, &ans, err);
        if (!rc && ans == 1)
            hi = accept(c, n, chosen, res, opt, opt ? opt->assign : NULL);
        else if (!rc && ans == 0)
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

/* With a capacity the farthest-first start may overfill a site: the start
 * is the programme at the largest pair distance (every pair allowed),
 * which also tells when no k sites can hold the weight at all. */
static int capacitated_start(pc_ctx *c, const mg_siting_exact *opt,
                             size_t *chosen, mg_siting_result *res,
                             mg_error *err)
{
    const mg_siting_input *in = c->in;
    double top = 0;
    for (size_t j = 0; j < in->n_candidates; j++)
        for (size_t i = 0; i < in->n_demand; i++)
            if (siting_weight(in, i) > 0)
                top = fmax(top, siting_pair_cost(in, j, i));
    size_t n = 0;
    int ans = 0, rc = feasible(c, top, c->tl, &n, &ans, err);
    if (!rc && ans == 0)
        rc = mg_error_set(err, MG_ERR_INPUT, NULL, -1, "capacity",
                          "no %zu site(s) of capacity %g serve all the "
                          "weight (capacitated p-center); raise 'capacity' "
                          "or 'count'", c->k, c->cap);
    else if (!rc && ans < 0)
        rc = mg_error_set(err, MG_ERR_INPUT, NULL, -1, "time_limit",
                          "the time limit ended the capacitated p-center "
                          "before it found a solution; raise it");
    if (!rc)
        res->objective =
            accept(c, n, chosen, res, opt, opt ? opt->assign : NULL);
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
    pc_ctx c = {in, k, opt ? opt->time_limit : 0,
                opt ? opt->capacity : NAN, NULL, NULL, NULL, NULL, 0};
    double *near = malloc((nd + 1) * sizeof *near);
    unsigned char *used = calloc(m + 1, 1);
    c.set = malloc((m + 1) * sizeof *c.set);
    c.tmp = malloc((nd + 1) * sizeof *c.tmp);
    c.assign = malloc((nd + 1) * sizeof *c.assign);
    c.served = malloc((m + 1) * sizeof *c.served);
    int rc = near && used && c.set && c.tmp && c.assign && c.served
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
    if (!rc && !isnan(c.cap))
        rc = capacitated_start(&c, opt, chosen, res, err);
    if (!rc && res->objective > 0)
        rc = bisect(&c, opt, chosen, res, near, err);
    else if (!rc)
        res->optimal = 1;
    free(near);
    free(used);
    free(c.set);
    free(c.tmp);
    free(c.assign);
    free(c.served);
    return rc;
}
