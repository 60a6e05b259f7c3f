/* The two-step floating catchment area on plain arrays. */
#include "access_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double clean_weight(const double *w, size_t i)
{
    return w && w[i] > 0 ? w[i] : 0; /* NAN and negatives count 0 */
}

static int demand_located(const mg_access_input *in, size_t i)
{
    return in->costs || !in->demand_lon ||
           (!isnan(in->demand_lon[i]) && !isnan(in->demand_lat[i]));
}

/* 3SFCA's selection weight G_ij = W_ij / T_i, T_i = sum_k W_ik; NULL
 * total: 2SFCA, G = 1. */
static double select_w(const double *total, size_t i, double w)
{
    return total ? (total[i] > 0 ? w / total[i] : 0) : 1;
}

/* 3SFCA's step 0: T_i, the decay weights of all providers reaching i. */
static int step_zero(const mg_access_input *in, const mg_access_decay *k,
                     const mg_pair_source *src, mg_geo_hits *hits,
                     double *total, mg_error *err)
{
    memset(total, 0, (in->n_demand ? in->n_demand : 1) * sizeof *total);
    for (size_t j = 0; j < in->n_supply; j++) {
        int rc = mg_access_poll(j, err);
        if (!rc && mg_pair_source_get(src, j, k->catchment, hits))
            rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                              "out of memory");
        if (rc)
            return rc;
        for (size_t h = 0; h < hits->n; h++)
            total[hits->idx[h]] += mg_access_weight(k, hits->dist[h]);
    }
    return MG_OK;
}

/* Step 1: the need each provider's catchment holds, weighted by decay. */
static int step_one(const mg_access_input *in, const mg_access_decay *k,
                    const mg_pair_source *src, mg_geo_hits *hits,
                    const double *total, double *ratio, mg_access_output *out,
                    mg_error *err)
{
    for (size_t j = 0; j < in->n_supply; j++) {
        int rc = mg_access_poll(j, err);
        if (!rc && mg_pair_source_get(src, j, k->catchment, hits))
            rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                              "out of memory");
        if (rc)
            return rc;
        double denom = 0;
        for (size_t h = 0; h < hits->n; h++) {
            double w = mg_access_weight(k, hits->dist[h]);
            out->n_pairs += w > 0;
            w *= select_w(total, hits->idx[h], w);
            denom += w * clean_weight(in->demand_weight, hits->idx[h]);
        }
        ratio[j] =
            denom > 0 ? clean_weight(in->supply_weight, j) / denom : NAN;
        /* A provider whose catchment holds no need serves no one here:
         * its capacity is in nobody's accessible supply. */
        out->n_lost += denom > 0 ? 0 : 1;
    }
    return MG_OK;
}

/* Step 2: each region sums the ratios of the providers that reach it. */
static int step_two(const mg_access_input *in, const mg_access_decay *k,
                    const mg_pair_source *src, mg_geo_hits *hits,
                    const double *total, const double *ratio,
                    mg_access_output *out, mg_error *err)
{
    for (size_t i = 0; i < in->n_demand; i++)
        out->access[i] = demand_located(in, i) ? 0 : NAN;
    for (size_t j = 0; j < in->n_supply; j++) {
        if (!(ratio[j] > 0))
            continue;
        int rc = mg_access_poll(j, err);
        if (!rc && mg_pair_source_get(src, j, k->catchment, hits))
            rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                              "out of memory");
        if (rc)
            return rc;
        for (size_t h = 0; h < hits->n; h++) {
            double w = mg_access_weight(k, hits->dist[h]);
            out->access[hits->idx[h]] +=
                ratio[j] * w * select_w(total, hits->idx[h], w);
        }
    }
    for (size_t i = 0; i < in->n_demand; i++)
        out->accessible[i] =
            out->access[i] * clean_weight(in->demand_weight, i);
    return MG_OK;
}

int mg_access_compute(const mg_access_input *in, const mg_access_decay *k,
                      mg_access_output *out, mg_error *err)
{
    mg_pair_source src;
    mg_geo_hits hits = {0};
    out->n_pairs = out->n_lost = 0;
    double *ratio =
        out->ratio ? out->ratio
                   : malloc((in->n_supply ? in->n_supply : 1) * sizeof *ratio);
    int rc = ratio ? mg_pair_source_init(&src, in->costs, in->demand_lon,
                                         in->demand_lat, in->n_demand,
                                         in->supply_lon, in->supply_lat,
                                         k->catchment)
                   : MG_ERR_NOMEM;
    if (rc) {
        if (ratio != out->ratio)
            free(ratio);
        return mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    }
    /* Supply points are filtered by the pair source: without a location a
     * grid query finds nothing, so R_j stays NAN. */
    double *total = NULL;
    if (k->steps == 3 &&
        !(total = malloc((in->n_demand ? in->n_demand : 1) * sizeof *total)))
        rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
    if (!rc && total)
        rc = step_zero(in, k, &src, &hits, total, err);
    if (!rc)
        rc = step_one(in, k, &src, &hits, total, ratio, out, err);
    if (!rc)
        rc = step_two(in, k, &src, &hits, total, ratio, out, err);
    free(total);
    mg_geo_hits_free(&hits);
    mg_pair_source_free(&src);
    if (ratio != out->ratio)
        free(ratio);
    return rc;
}
