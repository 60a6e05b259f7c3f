/* Exact maximal covering and location set covering as integer programmes
 * (siting_ip.c solves them); docs/access.md gives the formulations. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int nomem(mg_error *err)
{
    return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
}

static double time_limit(const mg_siting_exact *o)
{
    return o ? o->time_limit : 0;
}

static int capacitated(const mg_siting_exact *o)
{
    return o && !isnan(o->capacity);
}

/* Orders the chosen sites by marginal gain: each next the one that adds
 * the most weight not yet covered (lower index on a tie). */
static void order_by_gain(const mg_siting_input *in, const cover_lists *cl,
                          size_t *set, size_t n, unsigned char *covered)
{
    memset(covered, 0, in->n_demand + 1);
    for (size_t r = 0; r < n; r++) {
        size_t best = r;
        double best_g = -1;
        for (size_t s = r; s < n; s++) {
            double g = 0;
            for (size_t e = cl->start[set[s]]; e < cl->start[set[s] + 1]; e++)
                g += covered[cl->idx[e]] ? 0 : siting_weight(in, cl->idx[e]);
            if (g > best_g || (g == best_g && set[s] < set[best])) {
                best = s;
                best_g = g;
            }
        }
        size_t t = set[r];
        set[r] = set[best];
        set[best] = t;
        for (size_t e = cl->start[set[r]]; e < cl->start[set[r] + 1]; e++)
            covered[cl->idx[e]] = 1;
    }
}

/* The columns: x_j (binary) for the m candidates first, then y_i per
 * demand point (uncapacitated: covered or not) or z_e per covering pair e
 * (capacitated: the share of the demand point that site serves). */
static int build_mclp(siting_ip *ip, const mg_siting_input *in,
                      const cover_lists *cl, size_t k, double cap)
{
    size_t m = in->n_candidates, nd = in->n_demand;
    size_t kr = siting_ip_row(ip, -INFINITY, (double)k);
    int rc = MG_OK;
    for (size_t j = 0; !rc && j < m; j++) {
        siting_ip_col(ip, j, 1, 0, 1, 0);
        rc = siting_ip_add(ip, kr, j, 1);
    }
    size_t first = siting_ip_row(ip, -INFINITY, isnan(cap) ? 0 : 1);
    for (size_t i = 1; i < nd; i++)
        siting_ip_row(ip, -INFINITY, isnan(cap) ? 0 : 1);
    if (isnan(cap)) { /* y_i - sum_j x_j <= 0 */
        for (size_t i = 0; i < nd; i++) {
            siting_ip_col(ip, m + i, 0, 0, 1, siting_weight(in, i));
            rc = rc ? rc : siting_ip_add(ip, first + i, m + i, 1);
        }
        for (size_t j = 0; !rc && j < m; j++)
            for (size_t e = cl->start[j]; !rc && e < cl->start[j + 1]; e++)
                rc = siting_ip_add(ip, first + cl->idx[e], j, -1);
        return rc;
    }
    /* sum_e z_e <= 1 per demand point; sum_e w_i z_e <= cap x_j per site */
    for (size_t j = 0; !rc && j < m; j++) {
        size_t row = siting_ip_row(ip, -INFINITY, 0);
        rc = siting_ip_add(ip, row, j, -cap);
        for (size_t e = cl->start[j]; !rc && e < cl->start[j + 1]; e++) {
            double w = siting_weight(in, cl->idx[e]);
            siting_ip_col(ip, m + e, 0, 0, 1, w);
            rc = siting_ip_add(ip, first + cl->idx[e], m + e, 1);
            rc = rc ? rc : siting_ip_add(ip, row, m + e, w);
        }
    }
    return rc;
}

/* The greedy picks as column values: y covered, or z filled site by site
 * in rank order up to the capacity. */
static double mclp_start(const mg_siting_input *in, const cover_lists *cl,
                         const size_t *set, size_t n, double cap, double *x,
                         double *left)
{
    size_t m = in->n_candidates;
    double value = 0;
    for (size_t i = 0; i < in->n_demand; i++)
        left[i] = 1;
    for (size_t r = 0; r < n; r++) {
        size_t j = set[r];
        double room = cap;
        x[j] = 1;
        for (size_t e = cl->start[j]; e < cl->start[j + 1]; e++) {
            size_t i = cl->idx[e];
            double w = siting_weight(in, i), share = left[i];
            if (!isnan(cap))
                share = w > 0 ? fmin(share, fmax(room, 0) / w) : 0;
            if (isnan(cap)) {
                value += x[m + i] ? 0 : w;
                x[m + i] = 1;
            } else {
                x[m + e] = share;
                room -= share * w;
                value += share * w;
                left[i] -= share;
            }
        }
    }
    return value;
}

static void read_chosen(const siting_ip *ip, size_t m, size_t *chosen,
                        size_t max, size_t *n)
{
    *n = 0;
    for (size_t j = 0; j < m && *n < max; j++)
        if (siting_ip_value(ip, j) > 0.5)
            chosen[(*n)++] = j;
}

/* With a capacity: the weight each candidate serves, sum_e w_i z_e. */
static void read_served(const siting_ip *ip, const mg_siting_input *in,
                        const cover_lists *cl, const mg_siting_exact *opt)
{
    if (!capacitated(opt) || !opt->served)
        return;
    size_t m = in->n_candidates;
    for (size_t j = 0; j < m; j++) {
        opt->served[j] = 0;
        for (size_t e = cl->start[j]; e < cl->start[j + 1]; e++)
            opt->served[j] +=
                siting_weight(in, cl->idx[e]) * siting_ip_value(ip, m + e);
    }
}

static void fill_result(const siting_ip_result *r, mg_siting_result *res)
{
    res->objective = r->objective;
    res->bound = r->bound;
    res->gap = r->gap;
    res->optimal = r->optimal;
}

/* Solves the MCLP with the greedy picks as the start and reads the sites;
 * when the time runs out before branching, the greedy picks stand. */
static int solve_mclp(const mg_siting_input *in, const cover_lists *cl,
                      size_t k, const mg_siting_exact *opt, size_t *chosen,
                      mg_siting_result *res, mg_error *err)
{
    size_t m = in->n_candidates, nd = in->n_demand, n_greedy = 0;
    double cap = capacitated(opt) ? opt->capacity : NAN;
    size_t n_cols = m + (isnan(cap) ? nd : cl->n);
    siting_ip *ip = siting_ip_new(1, n_cols);
    double *x = calloc(n_cols + 1, sizeof *x);
    double *left = malloc((nd + 1) * sizeof *left);
    int rc = ip && x && left ? MG_OK : nomem(err);
    if (!rc && build_mclp(ip, in, cl, k, cap))
        rc = nomem(err);
    if (!rc)
        rc = siting_mclp_greedy(in, cl, k, chosen, NULL, &n_greedy, err);
    siting_ip_result r = {0};
    double start = 0;
    if (!rc) {
        start = mclp_start(in, cl, chosen, n_greedy, cap, x, left);
        siting_ip_opts o = {time_limit(opt), x, 0};
        rc = siting_ip_solve(ip, &o, &r, err);
    }
    if (!rc && r.feasible) {
        fill_result(&r, res);
        read_chosen(ip, m, chosen, k, &res->n_chosen);
        read_served(ip, in, cl, opt);
    } else if (!rc) {
        res->n_chosen = n_greedy;
        for (size_t j = 0; capacitated(opt) && opt->served && j < m; j++)
            opt->served[j] = 0;
        for (size_t r2 = 0; capacitated(opt) && opt->served && r2 < n_greedy;
             r2++)
            for (size_t e = cl->start[chosen[r2]];
                 e < cl->start[chosen[r2] + 1]; e++)
                opt->served[chosen[r2]] +=
                    siting_weight(in, cl->idx[e]) * x[m + e];
        res->fallback = 1;
        res->objective = start;
        res->bound = res->gap = NAN;
    }
    siting_ip_free(ip);
    free(x);
    free(left);
    return rc;
}

int mg_siting_exact_mclp(const mg_siting_input *in, double radius, size_t k,
                         const mg_siting_exact *opt, size_t *chosen,
                         mg_siting_result *res, mg_error *err)
{
    cover_lists cl;
    memset(res, 0, sizeof *res);
    if (k > in->n_candidates)
        k = in->n_candidates;
    int rc = siting_cover_build(in, radius, &cl, err);
    unsigned char *covered = rc ? NULL : malloc(in->n_demand + 1);
    if (!rc && !covered)
        rc = nomem(err);
    if (!rc)
        rc = solve_mclp(in, &cl, k, opt, chosen, res, err);
    if (!rc)
        order_by_gain(in, &cl, chosen, res->n_chosen, covered);
    free(covered);
    siting_cover_free(&cl);
    return rc;
}

/* How many candidates cover each demand point; a point of weight > 0 that
 * none covers makes the covering impossible. */
static int count_cover(const mg_siting_input *in, const cover_lists *cl,
                       double radius, size_t *cnt, mg_error *err)
{
    memset(cnt, 0, (in->n_demand + 1) * sizeof *cnt);
    for (size_t e = 0; e < cl->n; e++)
        cnt[cl->idx[e]]++;
    for (size_t i = 0; i < in->n_demand; i++)
        if (siting_weight(in, i) > 0 && cnt[i] == 0)
            return mg_error_set(err, MG_ERR_INPUT, NULL, (long)i + 1, NULL,
                                "demand point %zu (weight %g) is farther "
                                "than %g from every candidate: no set of "
                                "sites covers every region", i + 1,
                                siting_weight(in, i), radius);
    return MG_OK;
}

/* min sum x_j: every demand point covered (sum_j x_j >= 1), or with a
 * capacity served in full (sum_e z_e = 1, sum_e w_i z_e <= cap x_j). */
int siting_build_lscp(siting_ip *ip, const mg_siting_input *in,
                      const cover_lists *cl, double cap, size_t *row_of)
{
    size_t m = in->n_candidates;
    int rc = MG_OK;
    for (size_t i = 0; i < in->n_demand; i++)
        if (siting_weight(in, i) > 0)
            row_of[i] = siting_ip_row(ip, 1, isnan(cap) ? INFINITY : 1);
    for (size_t j = 0; !rc && j < m; j++) {
        siting_ip_col(ip, j, 1, 0, 1, 1);
        size_t row = isnan(cap) ? 0 : siting_ip_row(ip, -INFINITY, 0);
        rc = isnan(cap) ? MG_OK : siting_ip_add(ip, row, j, -cap);
        for (size_t e = cl->start[j]; !rc && e < cl->start[j + 1]; e++) {
            size_t i = cl->idx[e];
            if (isnan(cap)) {
                rc = siting_ip_add(ip, row_of[i], j, 1);
                continue;
            }
            siting_ip_col(ip, m + e, 0, 0, 1, 0);
            rc = siting_ip_add(ip, row_of[i], m + e, 1);
            rc = rc ? rc : siting_ip_add(ip, row, m + e, siting_weight(in, i));
        }
    }
    return rc;
}

/* The backup stage: p sites (the LSCP's optimum), every point covered,
 * the most weight covered twice: max sum w_i u_i, sum_j x_j - u_i >= 1. */
static int solve_backup(const mg_siting_input *in, const cover_lists *cl,
                        size_t p, const mg_siting_exact *opt, size_t *chosen,
                        mg_siting_result *res, mg_error *err)
{
    size_t m = in->n_candidates, nd = in->n_demand;
    siting_ip *ip = siting_ip_new(1, m + nd);
    double *x = calloc(m + nd + 1, sizeof *x);
    size_t *row_of = calloc(nd + 1, sizeof *row_of);
    int rc = ip && x && row_of ? MG_OK : nomem(err);
    size_t pr = rc ? 0 : siting_ip_row(ip, (double)p, (double)p);
    for (size_t i = 0; !rc && i < nd; i++) {
        double w = siting_weight(in, i);
        siting_ip_col(ip, m + i, 0, 0, w > 0 ? 1 : 0, w);
        if (w > 0) {
            row_of[i] = siting_ip_row(ip, 1, INFINITY);
            rc = siting_ip_add(ip, row_of[i], m + i, -1);
        }
    }
    for (size_t j = 0; !rc && j < m; j++) {
        siting_ip_col(ip, j, 1, 0, 1, 0);
        rc = siting_ip_add(ip, pr, j, 1);
        for (size_t e = cl->start[j]; !rc && e < cl->start[j + 1]; e++)
            rc = siting_ip_add(ip, row_of[cl->idx[e]], j, 1);
    }
    for (size_t s = 0; !rc && s < res->n_chosen; s++) {
        x[chosen[s]] = 1;
        for (size_t e = cl->start[chosen[s]]; e < cl->start[chosen[s] + 1];
             e++)
            x[m + cl->idx[e]] += 1; /* coverers; below: u = min(1, c - 1) */
    }
    for (size_t i = 0; !rc && i < nd; i++)
        x[m + i] = siting_weight(in, i) > 0 && x[m + i] >= 2 ? 1 : 0;
    if (rc == MG_ERR_NOMEM)
        rc = nomem(err);
    siting_ip_result r = {0};
    siting_ip_opts o = {time_limit(opt), x, 0};
    if (!rc)
        rc = siting_ip_solve(ip, &o, &r, err);
    if (!rc && r.feasible) {
        res->backup = r.objective;
        res->optimal = res->optimal && r.optimal;
        read_chosen(ip, m, chosen, m, &res->n_chosen);
    }
    siting_ip_free(ip);
    free(x);
    free(row_of);
    return rc;
}

/* The weight the set covers twice or more. */
static double backup_weight(const mg_siting_input *in, const cover_lists *cl,
                            const size_t *set, size_t n, size_t *cnt)
{
    double w = 0;
    memset(cnt, 0, (in->n_demand + 1) * sizeof *cnt);
    for (size_t s = 0; s < n; s++)
        for (size_t e = cl->start[set[s]]; e < cl->start[set[s] + 1]; e++)
            if (++cnt[cl->idx[e]] == 2)
                w += siting_weight(in, cl->idx[e]);
    return w;
}

/* The greedy cover (uncapacitated) as the start: the greedy MCLP with
 * every candidate allowed stops when all weight is covered. */
static int lscp_start(const mg_siting_input *in, const cover_lists *cl,
                      double *x, size_t *tmp, mg_error *err)
{
    size_t n = 0;
    int rc = siting_mclp_greedy(in, cl, in->n_candidates, tmp, NULL, &n, err);
    for (size_t s = 0; !rc && s < n; s++)
        x[tmp[s]] = 1;
    return rc;
}

static int solve_lscp(const mg_siting_input *in, const cover_lists *cl,
                      const mg_siting_exact *opt, size_t *chosen,
                      mg_siting_result *res, size_t *tmp, mg_error *err)
{
    size_t m = in->n_candidates;
    double cap = capacitated(opt) ? opt->capacity : NAN;
    size_t n_cols = m + (isnan(cap) ? 0 : cl->n);
    siting_ip *ip = siting_ip_new(0, n_cols);
    double *x = calloc(n_cols + 1, sizeof *x);
    int rc = ip && x ? MG_OK : nomem(err);
    if (!rc && siting_build_lscp(ip, in, cl, cap, tmp))
        rc = nomem(err);
    if (!rc && isnan(cap))
        rc = lscp_start(in, cl, x, tmp, err);
    siting_ip_result r = {0};
    siting_ip_opts o = {time_limit(opt), isnan(cap) ? x : NULL, 0};
    if (!rc)
        rc = siting_ip_solve(ip, &o, &r, err);
    if (!rc && r.infeasible)
        rc = mg_error_set(err, MG_ERR_INPUT, NULL, -1, "capacity",
                          "no set of sites of capacity %g serves all the "
                          "weight within the radius", cap);
    else if (!rc && !r.feasible && !isnan(cap))
        rc = mg_error_set(err, MG_ERR_INPUT, NULL, -1, NULL,
                          "the time limit ended the covering programme "
                          "before it found a solution; raise it");
    if (!rc && r.feasible) {
        fill_result(&r, res);
        read_chosen(ip, m, chosen, m, &res->n_chosen);
        read_served(ip, in, cl, opt);
    } else if (!rc) { /* out of time before branching: the greedy cover */
        res->n_chosen = 0;
        for (size_t j = 0; j < m; j++)
            if (x[j] > 0.5)
                chosen[res->n_chosen++] = j;
        res->objective = (double)res->n_chosen;
        res->fallback = 1;
        res->bound = res->gap = NAN;
    }
    siting_ip_free(ip);
    free(x);
    return rc;
}

int mg_siting_lscp(const mg_siting_input *in, double radius, int backup,
                   const mg_siting_exact *opt, size_t *chosen,
                   mg_siting_result *res, mg_error *err)
{
    cover_lists cl;
    memset(res, 0, sizeof *res);
    int rc = siting_cover_build(in, radius, &cl, err);
    size_t *cnt = rc ? NULL : malloc((in->n_demand + in->n_candidates + 1) *
                                     sizeof *cnt);
    unsigned char *covered = rc ? NULL : malloc(in->n_demand + 1);
    if (!rc && (!cnt || !covered))
        rc = nomem(err);
    if (!rc)
        rc = count_cover(in, &cl, radius, cnt, err);
    if (!rc)
        rc = solve_lscp(in, &cl, opt, chosen, res, cnt, err);
    if (!rc)
        res->backup = backup_weight(in, &cl, chosen, res->n_chosen, cnt);
    if (!rc && backup && !capacitated(opt))
        rc = solve_backup(in, &cl, res->n_chosen, opt, chosen, res, err);
    if (!rc)
        order_by_gain(in, &cl, chosen, res->n_chosen, covered);
    free(cnt);
    free(covered);
    siting_cover_free(&cl);
    return rc;
}
