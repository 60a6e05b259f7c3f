/* p-median: greedy addition, then vertex substitution with Whitaker's
 * fast interchange.  The objective is a pair compared in order: the need
 * no chosen site reaches (only a cost matrix leaves pairs out of reach),
 * then the need-weighted distance. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct cost2 {
    double u; /* weight out of reach */
    double c; /* weight x distance */
} cost2;

/* w x value(d) - w x value(from): the change when a demand point of
 * weight w moves from distance `from` to distance d. */
static void add_move(cost2 *acc, double w, double from, double d)
{
    acc->u += w * ((isinf(d) ? 1 : 0) - (isinf(from) ? 1 : 0));
    acc->c += w * ((isinf(d) ? 0 : d) - (isinf(from) ? 0 : from));
}

/* a is better (smaller) than b by more than rounding. */
static int better(cost2 a, cost2 b, double scale)
{
    double eu = 1e-9 * scale, ec = 1e-10 * (fabs(a.c) + fabs(b.c) + 1);
    if (a.u < b.u - eu)
        return 1;
    return fabs(a.u - b.u) <= eu && a.c < b.c - ec;
}

typedef struct median {
    const mg_siting_input *in;
    size_t m, n;           /* candidates, weighted demand points */
    size_t *demand;        /* n: index in the input */
    double *w;             /* n */
    float *dist;           /* m x n */
    size_t *set;           /* k chosen candidates */
    unsigned char *in_set; /* m */
    size_t k;
    size_t *n1;      /* n: position in set of the nearest */
    double *d1, *d2; /* n: nearest and second nearest distance */
    double total_w;
    double *xyz; /* n unit vectors (great-circle only) */
} median;

static int median_init(median *md, const mg_siting_input *in, size_t k,
                       mg_error *err)
{
    memset(md, 0, sizeof *md);
    md->in = in;
    md->m = in->n_candidates;
    md->demand = malloc((in->n_demand ? in->n_demand : 1) * sizeof(size_t));
    md->w = malloc((in->n_demand ? in->n_demand : 1) * sizeof(double));
    if (!md->demand || !md->w)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    for (size_t i = 0; i < in->n_demand; i++)
        if (in->demand_weight[i] > 0) {
            md->demand[md->n] = i;
            md->w[md->n++] = in->demand_weight[i];
            md->total_w += in->demand_weight[i];
        }
    if ((double)md->m * (double)md->n > MG_SITING_MEDIAN_MAX)
        return mg_error_set(err, MG_ERR_INPUT, NULL, -1, "siting",
                            "p-median over %zu candidates x %zu regions "
                            "with need is more than %d pairs; give fewer "
                            "candidates (a candidate file)",
                            md->m, md->n, MG_SITING_MEDIAN_MAX);
    size_t cells = md->m * md->n;
    md->dist = malloc((cells ? cells : 1) * sizeof *md->dist);
    md->set = malloc((k ? k : 1) * sizeof *md->set);
    md->in_set = calloc(md->m ? md->m : 1, 1);
    md->n1 = malloc((md->n ? md->n : 1) * sizeof *md->n1);
    md->d1 = malloc((md->n ? md->n : 1) * sizeof *md->d1);
    md->d2 = malloc((md->n ? md->n : 1) * sizeof *md->d2);
    if (!md->dist || !md->set || !md->in_set || !md->n1 || !md->d1 || !md->d2)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    return MG_OK;
}

/* The position of demand point i among the weighted ones (sorted), or -1. */
static long find_demand(const median *md, size_t i)
{
    size_t lo = 0, hi = md->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (md->demand[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < md->n && md->demand[lo] == i ? (long)lo : -1;
}

static int median_fill(median *md, mg_error *err)
{
    const mg_siting_input *in = md->in;
    md->xyz = in->costs ? NULL : malloc((md->n + 1) * 3 * sizeof *md->xyz);
    if (!in->costs && !md->xyz)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    for (size_t a = 0; !in->costs && a < md->n; a++)
        mg_access_unit_vector(in->demand_lon[md->demand[a]],
                              in->demand_lat[md->demand[a]], &md->xyz[3 * a]);
    for (size_t j = 0; j < md->m; j++) {
        float *row = &md->dist[j * md->n];
        int rc = mg_access_poll(j, err);
        if (rc)
            return rc;
        if (!in->costs) {
            double c[3];
            mg_access_unit_vector(in->cand_lon[j], in->cand_lat[j], c);
            for (size_t a = 0; a < md->n; a++)
                row[a] = (float)mg_access_vector_km(c, &md->xyz[3 * a]);
            continue;
        }
        /* Pairs absent from the matrix are out of reach. */
        for (size_t a = 0; a < md->n; a++)
            row[a] = INFINITY;
        const mg_cost_matrix *mx = in->costs;
        for (size_t e = mx->start[j]; e < mx->start[j + 1]; e++) {
            long a = find_demand(md, mx->to[e]);
            if (a >= 0)
                row[a] = (float)fmin(row[a], mx->cost[e]);
        }
    }
    return MG_OK;
}

static void median_free(median *md)
{
    free(md->demand);
    free(md->w);
    free(md->dist);
    free(md->set);
    free(md->in_set);
    free(md->n1);
    free(md->d1);
    free(md->d2);
    free(md->xyz);
}

/* Nearest and second nearest chosen site of every demand point. */
static void median_assign(median *md)
{
    for (size_t a = 0; a < md->n; a++) {
        md->d1[a] = md->d2[a] = INFINITY;
        md->n1[a] = 0;
        for (size_t p = 0; p < md->k; p++) {
            double d = md->dist[md->set[p] * md->n + a];
            if (d < md->d1[a]) {
                md->d2[a] = md->d1[a];
                md->d1[a] = d;
                md->n1[a] = p;
            } else if (d < md->d2[a]) {
                md->d2[a] = d;
            }
        }
    }
}

/* Greedy: each step adds the candidate that lowers the objective most. */
static int median_greedy(median *md, size_t k, mg_error *err)
{
    for (size_t a = 0; a < md->n; a++)
        md->d1[a] = INFINITY;
    for (md->k = 0; md->k < k;) {
        cost2 best = {0, 0};
        long pick = -1;
        for (size_t j = 0; j < md->m; j++) {
            int rc = mg_access_poll(j, err);
            if (rc)
                return rc;
            if (md->in_set[j])
                continue;
            cost2 delta = {0, 0};
            const float *row = &md->dist[j * md->n];
            for (size_t a = 0; a < md->n; a++)
                if (row[a] < md->d1[a])
                    add_move(&delta, md->w[a], md->d1[a], row[a]);
            if (pick < 0 || better(delta, best, md->total_w))
                best = delta, pick = (long)j;
        }
        if (pick < 0)
            break;
        md->set[md->k++] = (size_t)pick;
        md->in_set[pick] = 1;
        const float *row = &md->dist[(size_t)pick * md->n];
        for (size_t a = 0; a < md->n; a++)
            md->d1[a] = fmin(md->d1[a], row[a]);
    }
    return MG_OK;
}

/* Whitaker: for candidate c, the change of swapping it for each chosen
 * site p at once.  Demand closer to c than to its nearest goes to c
 * whichever p leaves; the rest of p's demand goes to the nearer of c and
 * its second nearest site. */
static void swap_deltas(const median *md, size_t c, cost2 *loss, cost2 *gain)
{
    const float *row = &md->dist[c * md->n];
    *gain = (cost2){0, 0};
    for (size_t p = 0; p < md->k; p++)
        loss[p] = (cost2){0, 0};
    for (size_t a = 0; a < md->n; a++) {
        double d = row[a];
        if (d < md->d1[a])
            add_move(gain, md->w[a], md->d1[a], d);
        else
            add_move(&loss[md->n1[a]], md->w[a], md->d1[a],
                     fmin(d, md->d2[a]));
    }
}

/* One pass: the best swap of all; applied when it improves. */
static int median_swap_pass(median *md, cost2 *loss, int *improved,
                            mg_error *err)
{
    cost2 best = {0, 0};
    long best_c = -1;
    size_t best_p = 0;
    median_assign(md);
    for (size_t c = 0; c < md->m; c++) {
        int rc = mg_access_poll(c, err);
        if (rc)
            return rc;
        if (md->in_set[c])
            continue;
        cost2 gain;
        swap_deltas(md, c, loss, &gain);
        for (size_t p = 0; p < md->k; p++) {
            cost2 delta = {gain.u + loss[p].u, gain.c + loss[p].c};
            if (better(delta, best, md->total_w))
                best = delta, best_c = (long)c, best_p = p;
        }
    }
    *improved = best_c >= 0;
    if (*improved) {
        md->in_set[md->set[best_p]] = 0;
        md->set[best_p] = (size_t)best_c;
        md->in_set[best_c] = 1;
    }
    return MG_OK;
}

int mg_siting_choose_median(const mg_siting_input *in, size_t k,
                            size_t *chosen, size_t *n_chosen, mg_error *err)
{
    median md;
    *n_chosen = 0;
    int rc = median_init(&md, in, k, err);
    cost2 *loss = rc ? NULL : malloc((k ? k : 1) * sizeof *loss);
    if (!rc && !loss)
        rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
    if (!rc)
        rc = median_fill(&md, err);
    if (!rc)
        rc = median_greedy(&md, k, err);
    int improved = 1;
    for (size_t pass = 0; !rc && improved && pass < 10 * k + 50; pass++)
        rc = median_swap_pass(&md, loss, &improved, err);
    if (!rc) {
        memcpy(chosen, md.set, md.k * sizeof *chosen);
        *n_chosen = md.k;
    }
    free(loss);
    median_free(&md);
    return rc;
}
