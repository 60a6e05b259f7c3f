/* Standard errors of the Alkire-Foster figures from weighted records, by
 * Taylor linearisation of a ratio of weighted totals with the ultimate
 * cluster approximation (PSUs drawn with replacement within strata):
 *
 *   R = sum w y / sum w x,   z_i = w_i (y_i - R x_i) / sum w x
 *   var(R) = sum_h n_h / (n_h - 1) sum_k (z_hk - mean_h z)^2
 *
 * with z_hk the sum of z_i over PSU k of stratum h and n_h the PSUs of h
 * (Wolter, Introduction to Variance Estimation, ch. 6; as Stata's svy and
 * R's survey).  H = sum w p / sum w (y = p, x = 1), M0 with y = c p,
 * h_j with y = g_j p, A = sum w c p / sum w p (x = p).  Each region is
 * its own sample: its PSUs are those of its records (PSUs nest in
 * regions).  A stratum with one PSU adds nothing. */
#include "poverty_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int af_store_push(af_store *s, const af_record *r, const unsigned char *g)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        af_record *rec = realloc(s->rec, cap * sizeof *rec);
        if (rec)
            s->rec = rec;
        unsigned char *gg = rec ? realloc(s->g, cap * (s->nj + 1)) : NULL;
        if (!rec || !gg)
            return MG_ERR_NOMEM;
        s->g = gg;
        s->cap = cap;
    }
    s->rec[s->n] = *r;
    memcpy(s->g + s->n * s->nj, g, s->nj);
    s->n++;
    return MG_OK;
}

void af_store_free(af_store *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->rec[i].stratum);
        free(s->rec[i].psu);
    }
    free(s->rec);
    free(s->g);
    memset(s, 0, sizeof *s);
}

/* A record in sort order: region at the level, stratum, PSU. */
typedef struct se_key {
    long region;
    const char *stratum, *psu;
    size_t i;
} se_key;

static int cmp_text(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) : (a != NULL) - (b != NULL);
}

static int by_design(const void *pa, const void *pb)
{
    const se_key *a = pa, *b = pb;
    if (a->region != b->region)
        return a->region < b->region ? -1 : 1;
    int c = cmp_text(a->stratum, b->stratum);
    if (!c)
        c = cmp_text(a->psu, b->psu);
    /* Without a PSU field each record is its own PSU. */
    if (!c && !a->psu)
        c = a->i < b->i ? -1 : a->i > b->i;
    return c;
}

/* y and x of estimate e for record i: 0 H, 1 M0, 2 A, 3 + j h_j. */
static void yx(const af_store *s, size_t i, int e, double *y, double *x)
{
    const af_record *r = &s->rec[i];
    *x = e == 2 ? r->poor : 1;
    *y = e == 0 ? r->poor
         : e <= 2 ? r->score
                  : (double)s->g[i * s->nj + (size_t)(e - 3)];
}

/* The SE of estimate e over the sorted records k[a..b) of one region. */
static double region_se(const af_store *s, const se_key *k, size_t a,
                        size_t b, int e)
{
    double ty = 0, tx = 0, y, x;
    for (size_t q = a; q < b; q++) {
        yx(s, k[q].i, e, &y, &x);
        ty += s->rec[k[q].i].w * y;
        tx += s->rec[k[q].i].w * x;
    }
    if (!(tx > 0))
        return NAN;
    double ratio = ty / tx, var = 0;
    for (size_t h0 = a; h0 < b;) {
        size_t h1 = h0;
        while (h1 < b && !cmp_text(k[h1].stratum, k[h0].stratum))
            h1++;
        /* PSU totals of stratum [h0, h1): two passes, sum then spread. */
        double sum = 0, sum2 = 0;
        size_t n_psu = 0;
        for (size_t p0 = h0; p0 < h1;) {
            size_t p1 = p0 + 1;
            while (p1 < h1 && k[p0].psu && !cmp_text(k[p1].psu, k[p0].psu))
                p1++;
            double z = 0;
            for (size_t q = p0; q < p1; q++) {
                yx(s, k[q].i, e, &y, &x);
                z += s->rec[k[q].i].w * (y - ratio * x) / tx;
            }
            sum += z;
            sum2 += z * z;
            n_psu++;
            p0 = p1;
        }
        if (n_psu > 1)
            var += (double)n_psu / (double)(n_psu - 1) *
                   (sum2 - sum * sum / (double)n_psu);
        h0 = h1;
    }
    return sqrt(fmax(var, 0));
}

static int level_se(mg_dataset *d, const mg_af_spec *a, size_t li,
                    size_t lv, const af_store *s, se_key *k)
{
    mg_level *l = &d->levels[li + lv];
    size_t ne = 3 + a->n_indicators;
    for (size_t i = 0; i < s->n; i++) {
        long r = (long)s->rec[i].region;
        for (size_t up = 0; up < lv && r >= 0; up++)
            r = d->levels[li + up].regions[r].parent;
        k[i] = (se_key){r, s->rec[i].stratum, s->rec[i].psu, i};
    }
    qsort(k, s->n, sizeof *k, by_design);
    int rc = MG_OK;
    for (size_t e = 0; !rc && e < ne; e++) {
        char field[MG_POVERTY_FIELD_MAX];
        static const char *const base[3] = {"af_h_se", "af_m0_se",
                                            "af_a_se"};
        if (e < 3)
            snprintf(field, sizeof field, "%s", base[e]);
        else
            poverty_field(field, "af_", a->indicators[e - 3].name,
                          "_censored_h_se");
        double *col;
        rc = mg_level_add_column(l, field, 0, &col);
        for (size_t q = 0; !rc && q < s->n;) {
            size_t q1 = q;
            while (q1 < s->n && k[q1].region == k[q].region)
                q1++;
            if (k[q].region >= 0)
                col[k[q].region] = region_se(s, k, q, q1, (int)e);
            q = q1;
        }
    }
    return rc;
}

int af_put_se(mg_dataset *d, const mg_af_spec *a, size_t li, size_t n_levels,
              const af_store *s)
{
    se_key *k = malloc((s->n ? s->n : 1) * sizeof *k);
    int rc = k ? MG_OK : MG_ERR_NOMEM;
    for (size_t lv = 0; !rc && lv < n_levels; lv++)
        rc = level_se(d, a, li, lv, s, k);
    free(k);
    return rc;
}
