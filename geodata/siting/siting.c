/* Maximal covering location: greedy with lazy evaluation (CELF). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double siting_weight(const mg_siting_input *in, size_t i)
{
    double w = in->demand_weight[i];
    return w > 0 ? w : 0; /* NAN and negatives count 0 */
}


static int cover_push(cover_lists *cl, size_t i)
{
    if (cl->n == cl->cap) {
        size_t cap = cl->cap ? cl->cap * 2 : 1024;
        size_t *v = realloc(cl->idx, cap * sizeof *v);
        if (!v)
            return MG_ERR_NOMEM;
        cl->idx = v;
        cl->cap = cap;
    }
    cl->idx[cl->n++] = i;
    return MG_OK;
}

int siting_cover_build(const mg_siting_input *in, double radius,
                       cover_lists *cl, mg_error *err)
{
    mg_pair_source src;
    mg_geo_hits hits = {0};
    memset(cl, 0, sizeof *cl);
    cl->start = calloc(in->n_candidates + 1, sizeof *cl->start);
    int rc = cl->start
                 ? mg_pair_source_init(&src, in->costs, in->demand_lon,
                                       in->demand_lat, in->n_demand,
                                       in->cand_lon, in->cand_lat, radius)
                 : MG_ERR_NOMEM;
    if (rc)
        return mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    for (size_t j = 0; !rc && j < in->n_candidates; j++) {
        rc = mg_access_poll(j, err);
        if (!rc && mg_pair_source_get(&src, j, radius, &hits))
            rc = MG_ERR_NOMEM;
        for (size_t h = 0; !rc && h < hits.n; h++)
            if (siting_weight(in, hits.idx[h]) > 0)
                rc = cover_push(cl, hits.idx[h]);
        cl->start[j + 1] = cl->n;
    }
    if (rc == MG_ERR_NOMEM)
        mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    mg_geo_hits_free(&hits);
    mg_pair_source_free(&src);
    return rc;
}

void siting_cover_free(cover_lists *cl)
{
    free(cl->start);
    free(cl->idx);
}

/* A max-heap of candidates by their last known gain (an upper bound of
 * the true one, since coverage is submodular), lower index first on ties
 * so the greedy answer does not depend on the heap's shape. */
typedef struct heap_entry {
    double gain;
    size_t j;
    size_t round; /* the round the gain was computed in */
} heap_entry;

static int before(const heap_entry *a, const heap_entry *b)
{
    return a->gain > b->gain || (a->gain == b->gain && a->j < b->j);
}

static void sift_down(heap_entry *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && before(&h[l], &h[m]))
            m = l;
        if (r < n && before(&h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        heap_entry t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static double fresh_gain(const mg_siting_input *in, const cover_lists *cl,
                         const unsigned char *covered, size_t j)
{
    double g = 0;
    for (size_t k = cl->start[j]; k < cl->start[j + 1]; k++)
        if (!covered[cl->idx[k]])
            g += siting_weight(in, cl->idx[k]);
    return g;
}

static void greedy(const mg_siting_input *in, const cover_lists *cl,
                   heap_entry *h, size_t n, unsigned char *covered, size_t k,
                   size_t *chosen, double *gain, size_t *n_chosen)
{
    size_t r = 0;
    for (; r < k && n > 0; r++) {
        /* Re-evaluate the top until it is fresh: then no other candidate,
         * whose bound is lower, can beat it. */
        while (h[0].round != r) {
            h[0].gain = fresh_gain(in, cl, covered, h[0].j);
            h[0].round = r;
            sift_down(h, n, 0);
        }
        if (!(h[0].gain > 0))
            break;
        size_t j = h[0].j;
        chosen[r] = j;
        if (gain)
            gain[r] = h[0].gain;
        for (size_t e = cl->start[j]; e < cl->start[j + 1]; e++)
            covered[cl->idx[e]] = 1;
        h[0] = h[--n];
        sift_down(h, n, 0);
    }
    *n_chosen = r;
}

int siting_mclp_greedy(const mg_siting_input *in, const cover_lists *cl,
                       size_t k, size_t *chosen, double *gain,
                       size_t *n_chosen, mg_error *err)
{
    size_t m = in->n_candidates;
    heap_entry *h = malloc((m ? m : 1) * sizeof *h);
    unsigned char *covered = calloc(in->n_demand + 1, 1);
    int rc = h && covered ? MG_OK
                          : mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                                         "out of memory");
    for (size_t j = 0; !rc && j < m; j++)
        h[j] = (heap_entry){fresh_gain(in, cl, covered, j), j, 0};
    for (size_t j = m / 2; !rc && j-- > 0;)
        sift_down(h, m, j);
    if (!rc)
        greedy(in, cl, h, m, covered, k, chosen, gain, n_chosen);
    free(covered);
    free(h);
    return rc;
}

int mg_siting_choose_mclp(const mg_siting_input *in, double radius, size_t k,
                          size_t *chosen, double *gain, size_t *n_chosen,
                          mg_error *err)
{
    cover_lists cl;
    *n_chosen = 0;
    int rc = siting_cover_build(in, radius, &cl, err);
    if (!rc)
        rc = siting_mclp_greedy(in, &cl, k, chosen, gain, n_chosen, err);
    siting_cover_free(&cl);
    return rc;
}

/* The cost between candidate j and demand i: the matrix's (INFINITY when
 * the pair is absent) or the great-circle distance. */
double siting_pair_cost(const mg_siting_input *in, size_t j, size_t i)
{
    if (!in->costs) {
        double d = mg_access_distance_km(in->cand_lon[j], in->cand_lat[j],
                                         in->demand_lon[i], in->demand_lat[i]);
        return isnan(d) ? INFINITY : d;
    }
    const mg_cost_matrix *m = in->costs;
    for (size_t e = m->start[j]; e < m->start[j + 1]; e++)
        if (m->to[e] == i)
            return m->cost[e];
    return INFINITY;
}

double mg_siting_eval_coverage(const mg_siting_input *in, double radius,
                               const size_t *set, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < in->n_demand; i++) {
        int hit = 0;
        for (size_t s = 0; s < n && !hit; s++)
            hit = siting_pair_cost(in, set[s], i) <= radius;
        total += hit ? siting_weight(in, i) : 0;
    }
    return total;
}

void mg_siting_eval_median(const mg_siting_input *in, const size_t *set,
                           size_t n, double *unreached, double *cost)
{
    *unreached = *cost = 0;
    for (size_t i = 0; i < in->n_demand; i++) {
        double w = siting_weight(in, i), best = INFINITY;
        if (!(w > 0))
            continue;
        for (size_t s = 0; s < n; s++)
            best = fmin(best, siting_pair_cost(in, set[s], i));
        if (isinf(best))
            *unreached += w;
        else
            *cost += w * best;
    }
}
