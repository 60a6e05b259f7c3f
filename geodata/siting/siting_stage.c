/* The siting stage: for each run of the project, the unmet need of each
 * region, the candidates, the chosen sites and what each one serves. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int has_column(const mg_level *l, const char *name)
{
    for (size_t i = 0; i < l->n_columns; i++)
        if (strcmp(l->columns[i].name, name) == 0)
            return 1;
    return 0;
}

/* The unmet need the sites should cover: the accessible gap when access
 * computed it (or "need" asks for it), else the in-region gap.  Regions
 * without a demand point take no part. */
static int need_values(mg_dataset *d, const mg_siting_run *run,
                       const double *lon, double *w, const char **used,
                       mg_error *err)
{
    const mg_model_spec *m = &d->project->model;
    const mg_level *l = &d->levels[0];
    const char *cat = m->categories[run->category];
    char acc[160], gap[160];
    mg_field_name(acc, sizeof acc, "access_gap_", cat);
    mg_field_name(gap, sizeof gap, "gap_", cat);
    int has = has_column(l, acc);
    if (run->need == MG_SITING_NEED_ACCESS_GAP && !has)
        return mg_error_set(err, MG_ERR_INPUT, d->level_paths[0], -1, acc,
                            "siting asks for the accessible gap of '%s', "
                            "which is not computed: run the access stage "
                            "first (mapgen access) or set \"need\": \"gap\"",
                            cat);
    int use_acc = run->need == MG_SITING_NEED_ACCESS_GAP ||
                  (run->need == MG_SITING_NEED_AUTO && has);
    *used = use_acc ? "access_gap" : "gap";
    if (mg_level_get_values(l, m, use_acc ? acc : gap, w) != MG_OK)
        return mg_error_set(err, MG_ERR_INPUT, d->level_paths[0], -1,
                            use_acc ? acc : gap, "no such field");
    for (size_t i = 0; i < l->n; i++)
        if (isnan(lon[i]) || !(w[i] > 0))
            w[i] = 0;
    return MG_OK;
}

static int read_siting_matrix(mg_dataset *d, const mg_siting_run *run,
                              const siting_candidates *cand,
                              mg_cost_matrix **out, mg_error *err)
{
    const mg_level *l = &d->levels[0];
    mg_code_index regions = {0}, ids = {0};
    const char **codes = malloc((l->n ? l->n : 1) * sizeof *codes);
    int rc = codes ? MG_OK : MG_ERR_NOMEM;
    for (size_t i = 0; !rc && i < l->n; i++)
        codes[i] = l->regions[i].code;
    if (!rc)
        rc = mg_code_index_build(&regions, codes, l->n);
    if (!rc)
        rc = mg_code_index_build(&ids, (const char *const *)cand->id, cand->n);
    /* p-median and p-center need every pair there is; covering only those
     * in R. */
    double max_cost = run->methods & (MG_SITING_MEDIAN | MG_SITING_CENTER)
                          ? INFINITY
                          : run->radius;
    if (rc)
        mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    else
        rc =
            mg_access_matrix_read(d, &run->distances, "siting.distances",
                                  &regions, &ids, cand->n, max_cost, out, err);
    free(codes);
    mg_code_index_free(&regions);
    mg_code_index_free(&ids);
    return rc;
}

/* What the chosen sites serve: MCLP gives each region to the first-ranked
 * site that covers it (so the sites' figures add up to the need covered),
 * p-median to the nearest one. */
typedef struct service {
    long *site;   /* per region: position in chosen, -1 */
    double *dist; /* per region: distance to it */
} service;

/* Offers region i at distance dd to the site at position r. */
static void offer(service *sv, const mg_siting_input *in, size_t i, long r,
                  double dd, int mclp, double radius)
{
    if (!(in->demand_weight[i] > 0))
        return;
    if (mclp ? sv->site[i] < 0 && dd <= radius : dd < sv->dist[i]) {
        sv->site[i] = r;
        sv->dist[i] = dd;
    }
}

/* One pass per chosen site, in rank order, over its matrix row or every
 * region: the first covering site wins for MCLP, the nearest for
 * p-median (the earlier on a tie). */
static void assign(const mg_siting_input *in, const size_t *chosen, size_t n,
                   int mclp, double radius, service *sv)
{
    const mg_cost_matrix *m = in->costs;
    for (size_t i = 0; i < in->n_demand; i++) {
        sv->site[i] = -1;
        sv->dist[i] = INFINITY;
    }
    for (size_t r = 0; r < n; r++) {
        size_t j = chosen[r];
        if (m)
            for (size_t e = m->start[j]; e < m->start[j + 1]; e++)
                offer(sv, in, m->to[e], (long)r, m->cost[e], mclp, radius);
        else
            for (size_t i = 0; i < in->n_demand; i++)
                offer(sv, in, i, (long)r, siting_pair_cost(in, j, i), mclp,
                      radius);
    }
}

/* The codes of the regions a site serves, comma-separated. */
static char *served_codes(const mg_level *l, const service *sv, long r)
{
    size_t len = 1;
    for (size_t i = 0; i < l->n; i++)
        if (sv->site[i] == r)
            len += strlen(l->regions[i].code) + 1;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    *s = '\0';
    for (size_t i = 0; i < l->n; i++)
        if (sv->site[i] == r)
            p += sprintf(p, "%s%s", p == s ? "" : ",", l->regions[i].code);
    return s;
}

static int fill_site(mg_dataset *d, const mg_siting_run *run,
                     const siting_candidates *cand, size_t j,
                     const service *sv, long r, const double *w,
                     double radius, mg_site *site)
{
    const mg_level *l = &d->levels[0];
    double sum = 0, covered = 0, wd = 0;
    site->category = d->project->model.categories[run->category];
    site->capacity = run->capacity;
    site->radius = radius;
    site->lon = cand->lon[j];
    site->lat = cand->lat[j];
    for (size_t i = 0; i < l->n; i++) {
        if (sv->site[i] != r)
            continue;
        site->regions_served++;
        sum += w[i];
        wd += w[i] * sv->dist[i];
        covered += isnan(radius) || sv->dist[i] <= radius ? w[i] : 0;
    }
    site->need_covered = covered;
    site->mean_distance = sum > 0 ? wd / sum : NAN;
    long reg = cand->region[j];
    site->candidate = strdup(cand->id[j]);
    site->name = cand->name[j] ? strdup(cand->name[j]) : NULL;
    site->region_code = reg >= 0 ? strdup(l->regions[reg].code) : NULL;
    site->region_name = reg >= 0 ? strdup(l->regions[reg].name) : NULL;
    site->served_codes = served_codes(l, sv, r);
    if (!site->candidate || (cand->name[j] && !site->name) ||
        (reg >= 0 && (!site->region_code || !site->region_name)) ||
        !site->served_codes)
        return MG_ERR_NOMEM;
    return MG_OK;
}

/* p-median sites rank by the need they serve, most first. */
static void rank_order(const mg_site *v, size_t n, size_t *order)
{
    for (size_t a = 0; a < n; a++)
        order[a] = a;
    for (size_t a = 1; a < n; a++)
        for (size_t b = a;
             b > 0 && v[order[b]].need_covered > v[order[b - 1]].need_covered;
             b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
}

static int append_sites(mg_sites *out, mg_site *v, size_t n, int mclp)
{
    mg_site *grown = realloc(out->v, (out->n + n + 1) * sizeof *grown);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (grown)
        out->v = grown;
    if (!grown || !order) {
        free(order);
        return MG_ERR_NOMEM;
    }
    if (mclp)
        for (size_t a = 0; a < n; a++)
            order[a] = a;
    else
        rank_order(v, n, order);
    double cum = 0;
    for (size_t a = 0; a < n; a++) {
        mg_site *s = &out->v[out->n++];
        *s = v[order[a]];
        s->rank = (int)a + 1;
        cum += s->need_covered;
        s->cumulative = cum;
    }
    free(order);
    return MG_OK;
}

static void sites_clear(mg_site *v, size_t n)
{
    for (size_t a = 0; v && a < n; a++) {
        free(v[a].candidate);
        free(v[a].name);
        free(v[a].region_code);
        free(v[a].region_name);
        free(v[a].served_codes);
    }
}

/* How a method's sites were found, for make_sites(). */
typedef struct method_out {
    const char *method, *solver;
    int cover;       /* regions to the first covering site, by rank */
    double radius;   /* reported and used for coverage */
    double gap;      /* the solver's, NAN for heuristics */
    const double *served; /* capacitated: need served per candidate */
} method_out;

static int make_sites(mg_dataset *d, const mg_siting_run *run,
                      const mg_siting_input *in, const siting_candidates *cand,
                      const size_t *chosen, size_t n, const method_out *mo,
                      mg_sites *out)
{
    size_t nr = d->levels[0].n ? d->levels[0].n : 1;
    service sv = {malloc(nr * sizeof(long)), malloc(nr * sizeof(double))};
    mg_site *v = calloc(n ? n : 1, sizeof *v);
    int rc = sv.site && sv.dist && v ? MG_OK : MG_ERR_NOMEM;
    if (!rc)
        assign(in, chosen, n, mo->cover, mo->radius, &sv);
    for (size_t r = 0; !rc && r < n; r++) {
        v[r].method = mo->method;
        v[r].solver = mo->solver;
        v[r].gap = mo->gap;
        rc = fill_site(d, run, cand, chosen[r], &sv, (long)r,
                       in->demand_weight, mo->radius, &v[r]);
        if (!rc && mo->served)
            v[r].need_covered = mo->served[chosen[r]];
    }
    if (!rc)
        rc = append_sites(out, v, n, mo->cover);
    if (rc)
        sites_clear(v, n);
    free(v);
    free(sv.site);
    free(sv.dist);
    return rc;
}

/* Maximal covering by the greedy or the programme ("solver", and "auto"
 * by the size of the instance). */
static int run_mclp(const mg_siting_run *run, const mg_siting_input *in,
                    const mg_siting_exact *ex, size_t *chosen, size_t *n,
                    method_out *mo, mg_error *err)
{
    int exact = run->solver == MG_SITING_SOLVER_EXACT || run->capacitated ||
                (run->solver == MG_SITING_SOLVER_AUTO &&
                 (double)in->n_candidates * (double)in->n_demand <=
                     MG_SITING_EXACT_AUTO);
    *mo = (method_out){"mclp", exact ? "exact" : "greedy", 1, run->radius,
                       NAN, run->capacitated ? ex->served : NULL};
    if (!exact)
        return mg_siting_choose_mclp(in, run->radius, run->count, chosen,
                                     NULL, n, err);
    mg_siting_result res;
    int rc = mg_siting_exact_mclp(in, run->radius, run->count, ex, chosen,
                                  &res, err);
    *n = res.n_chosen;
    mo->gap = res.gap;
    mo->solver = res.fallback ? "greedy" : "exact";
    return rc;
}

static int run_method(mg_dataset *d, const mg_siting_run *run,
                      const mg_siting_input *in, const siting_candidates *cand,
                      int bit, size_t *chosen, mg_siting_exact *ex,
                      mg_sites *out, mg_error *err)
{
    method_out mo = {"pmedian", "heuristic", 0, run->radius, NAN, NULL};
    mg_siting_result res = {0};
    size_t n = 0;
    int rc = MG_OK;
    if (bit == MG_SITING_MCLP)
        rc = run_mclp(run, in, ex, chosen, &n, &mo, err);
    else if (bit == MG_SITING_MEDIAN)
        rc = mg_siting_choose_median(in, run->count, chosen, &n, err);
    else if (bit == MG_SITING_LSCP) {
        rc = mg_siting_lscp(in, run->radius, run->backup, ex, chosen, &res,
                            err);
        mo = (method_out){"lscp", res.fallback ? "greedy" : "exact", 1,
                          run->radius, res.gap,
                          run->capacitated ? ex->served : NULL};
        n = res.n_chosen;
    } else {
        rc = mg_siting_pcenter(in, run->count, ex, chosen, &res, err);
        mo = (method_out){"pcenter", "exact", 0, res.objective, res.gap,
                          run->capacitated ? ex->served : NULL};
        n = res.n_chosen;
    }
    if (rc == MG_ERR_INPUT && bit == MG_SITING_LSCP && err && err->row > 0 &&
        (size_t)err->row <= d->levels[0].n) {
        /* The programme names a demand point by index: name the region. */
        const mg_region *g = &d->levels[0].regions[err->row - 1];
        rc = mg_error_set(err, MG_ERR_INPUT, d->level_paths[0], -1,
                          "siting.radius",
                          "region %s (%s, unmet need %g) is farther than %g "
                          "from every candidate: no set of sites covers "
                          "every region; raise 'radius' or add candidates",
                          g->code, g->name ? g->name : "",
                          in->demand_weight[err->row - 1], run->radius);
    }
    if (!rc && (rc = make_sites(d, run, in, cand, chosen, n, &mo, out)))
        mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    return rc;
}

static int choose(mg_dataset *d, const mg_siting_run *run,
                  const mg_siting_input *in, const siting_candidates *cand,
                  mg_sites *out, mg_error *err)
{
    size_t n = run->count > in->n_candidates ? run->count : in->n_candidates;
    size_t *chosen = malloc((n + 1) * sizeof *chosen);
    double *served = malloc((in->n_candidates + 1) * sizeof *served);
    mg_siting_exact ex = {run->time_limit,
                          run->capacitated ? run->capacity : NAN, served, NULL};
    int rc = chosen && served ? MG_OK
                              : mg_error_set(err, MG_ERR_NOMEM, NULL, -1,
                                             NULL, "out of memory");
    for (int bit = 1; !rc && bit <= MG_SITING_CENTER; bit <<= 1)
        if (run->methods & bit)
            rc = run_method(d, run, in, cand, bit, chosen, &ex, out, err);
    free(chosen);
    free(served);
    return rc;
}

static int siting_one(mg_dataset *d, const mg_siting_run *run,
                      const double *lon, const double *lat, mg_sites *out,
                      mg_error *err)
{
    const mg_level *l = &d->levels[0];
    siting_candidates cand = {0};
    mg_cost_matrix *m = NULL;
    const char *used = NULL;
    double *w = malloc((l->n ? l->n : 1) * sizeof *w);
    int rc =
        w ? need_values(d, run, lon, w, &used, err)
          : mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
    if (!rc)
        rc = siting_candidates_read(d, run, &cand, err);
    if (!rc && run->distances.path)
        rc = read_siting_matrix(d, run, &cand, &m, err);
    if (!rc) {
        mg_siting_input in = {l->n,   m ? NULL : lon, m ? NULL : lat, w,
                              cand.n, cand.lon,       cand.lat,       m};
        size_t first = out->n;
        rc = choose(d, run, &in, &cand, out, err);
        for (size_t k = first; !rc && k < out->n; k++)
            out->v[k].need = used;
    }
    mg_cost_matrix_free(m);
    siting_candidates_free(&cand);
    free(w);
    return rc;
}

/* "siting 3 consultation site(s) (maximal covering, p-median)". */
static void run_message(const mg_siting_run *run, const char *cat, char *msg,
                        size_t size)
{
    static const char *const names[] = {"maximal covering", "p-median",
                                        "set covering", "p-center"};
    size_t len = run->count ? (size_t)snprintf(msg, size, "siting %zu %s "
                                               "site(s) (", run->count, cat)
                            : (size_t)snprintf(msg, size, "siting %s sites (",
                                               cat);
    for (int b = 0, first = 1; b < 4 && len < size; b++)
        if (run->methods & (1 << b)) {
            len += (size_t)snprintf(msg + len, size - len, "%s%s",
                                    first ? "" : ", ", names[b]);
            first = 0;
        }
    if (len < size)
        snprintf(msg + len, size - len, ")");
}

int mg_siting_stage_run(mg_dataset *d, const double *lon, const double *lat,
                        mg_sites **out, mg_progress_fn progress, void *user,
                        mg_error *err)
{
    const mg_project *p = d->project;
    mg_sites *sites = calloc(1, sizeof *sites);
    int rc = sites ? MG_OK : mg_error_nomem(err, NULL);
    *out = NULL;
    for (size_t k = 0; !rc && k < p->siting->n; k++) {
        const mg_siting_run *run = &p->siting->runs[k];
        char msg[256];
        run_message(run, p->model.categories[run->category], msg, sizeof msg);
        if (progress && !progress(0.0, msg, user))
            rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                              "cancelled");
        if (!rc)
            rc = siting_one(d, run, lon, lat, sites, err);
    }
    if (rc)
        mg_sites_free(sites);
    else
        *out = sites;
    return rc;
}

void mg_sites_free(mg_sites *s)
{
    if (!s)
        return;
    sites_clear(s->v, s->n);
    free(s->v);
    free(s);
}
