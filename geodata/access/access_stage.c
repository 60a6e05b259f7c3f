/* The accessibility stage of the pipeline: per category, the floating
 * catchment over the dataset's regions and providers, written as columns
 * of every level. */
#include "access_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The columns of one category (or the total) on one level. */
typedef struct access_cols {
    double *access, *accessible, *gap, *gap10k;
} access_cols;

static int get_cols(mg_level *l, const char *cat, access_cols *c)
{
    char name[160];
    mg_field_name(name, sizeof name, "access_", cat);
    int rc = mg_level_add_column(l, name, 0, &c->access);
    mg_field_name(name, sizeof name, "accessible_supply_", cat);
    if (!rc)
        rc = mg_level_add_column(l, name, 0, &c->accessible);
    mg_field_name(name, sizeof name, "access_gap_", cat);
    if (!rc)
        rc = mg_level_add_column(l, name, 0, &c->gap);
    mg_field_name(name, sizeof name, "access_gap_per10k_", cat);
    if (!rc)
        rc = mg_level_add_column(l, name, 0, &c->gap10k);
    return rc;
}

/* access_norm_<c> = A_i / (sum_i D_i A_i / sum_i D_i): accessibility
 * over its need-weighted mean, so 1 is the average (PySAL access's
 * normalised FCA ratios).  NAN where A_i is, or when no need is reached. */
static int add_normalised(mg_level *l, const char *cat, const double *need,
                          const double *access, mg_error *err)
{
    char name[160];
    double *v, sum = 0, wsum = 0;
    mg_field_name(name, sizeof name, "access_norm_", cat);
    if (mg_level_add_column(l, name, 0, &v))
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    for (size_t i = 0; i < l->n; i++)
        if (!isnan(access[i]) && need[i] > 0) {
            sum += need[i] * access[i];
            wsum += need[i];
        }
    double mean = wsum > 0 ? sum / wsum : NAN;
    for (size_t i = 0; i < l->n; i++)
        v[i] = mean > 0 ? access[i] / mean : NAN;
    return MG_OK;
}

/* Providers of one category with a location, and their rows of the
 * matrix when there is one. */
typedef struct supply_set {
    size_t n;
    size_t *provider; /* index in d->providers */
    double *lon, *lat, *cap;
    mg_cost_matrix sub; /* rows of these providers */
} supply_set;

static void supply_free(supply_set *s)
{
    free(s->provider);
    free(s->lon);
    free(s->lat);
    free(s->cap);
    free(s->sub.start);
    free(s->sub.to);
    free(s->sub.cost);
    memset(s, 0, sizeof *s);
}

/* Copies the matrix rows of the set's providers. */
static int supply_rows(supply_set *s, const mg_cost_matrix *m)
{
    size_t pairs = 0;
    for (size_t k = 0; k < s->n; k++)
        pairs += m->start[s->provider[k] + 1] - m->start[s->provider[k]];
    s->sub.n_from = s->n;
    s->sub.n_to = m->n_to;
    s->sub.start = calloc(s->n + 1, sizeof *s->sub.start);
    s->sub.to = malloc((pairs ? pairs : 1) * sizeof *s->sub.to);
    s->sub.cost = malloc((pairs ? pairs : 1) * sizeof *s->sub.cost);
    if (!s->sub.start || !s->sub.to || !s->sub.cost)
        return MG_ERR_NOMEM;
    size_t e = 0;
    for (size_t k = 0; k < s->n; k++) {
        size_t j = s->provider[k];
        size_t len = m->start[j + 1] - m->start[j];
        memcpy(&s->sub.to[e], &m->to[m->start[j]], len * sizeof *s->sub.to);
        memcpy(&s->sub.cost[e], &m->cost[m->start[j]],
               len * sizeof *s->sub.cost);
        e += len;
        s->sub.start[k + 1] = e;
    }
    return MG_OK;
}

static int supply_build(const mg_dataset *d, int c, const mg_cost_matrix *m,
                        supply_set *s)
{
    size_t n = d->n_providers ? d->n_providers : 1;
    memset(s, 0, sizeof *s);
    s->provider = malloc(n * sizeof *s->provider);
    s->lon = malloc(n * sizeof *s->lon);
    s->lat = malloc(n * sizeof *s->lat);
    s->cap = malloc(n * sizeof *s->cap);
    if (!s->provider || !s->lon || !s->lat || !s->cap)
        return MG_ERR_NOMEM;
    /* Providers without a location or a model category are in the report
     * already; they take no part here. */
    for (size_t j = 0; j < d->n_providers; j++) {
        const mg_provider *v = &d->providers[j];
        if (v->category != c || (!m && isnan(v->lon)))
            continue;
        s->provider[s->n] = j;
        s->lon[s->n] = v->lon;
        s->lat[s->n] = v->lat;
        s->cap[s->n++] = v->capacity;
    }
    return m ? supply_rows(s, m) : MG_OK;
}

/* The matrix of access.distances, rows per provider (by source fid). */
static int read_access_matrix(mg_dataset *d, double max_cost,
                              mg_cost_matrix **out, mg_error *err)
{
    const mg_level *l = &d->levels[0];
    size_t np = d->n_providers;
    mg_code_index regions = {0}, fids = {0};
    const char **codes = malloc((l->n ? l->n : 1) * sizeof *codes);
    char **ids = calloc(np ? np : 1, sizeof *ids);
    int rc = codes && ids ? MG_OK : MG_ERR_NOMEM;
    for (size_t i = 0; !rc && i < l->n; i++)
        codes[i] = l->regions[i].code;
    for (size_t j = 0; !rc && j < np; j++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%ld", d->providers[j].fid);
        rc = (ids[j] = strdup(buf)) ? MG_OK : MG_ERR_NOMEM;
    }
    if (!rc)
        rc = mg_code_index_build(&regions, codes, l->n);
    if (!rc)
        rc = mg_code_index_build(&fids, (const char *const *)ids, np);
    if (rc)
        mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    else
        rc = mg_access_matrix_read(d, &d->project->access->distances,
                                   "access.distances", &regions, &fids, np,
                                   max_cost, out, err);
    for (size_t j = 0; ids && j < np; j++)
        free(ids[j]);
    free(ids);
    free(codes);
    mg_code_index_free(&regions);
    mg_code_index_free(&fids);
    return rc;
}

/* A provider whose catchment holds no need: its capacity reaches no one,
 * which is worth knowing (a misplaced point, a catchment too small). */
static int report_lost(mg_dataset *d, const supply_set *s, const double *ratio)
{
    for (size_t k = 0; k < s->n; k++) {
        if (!isnan(ratio[k]))
            continue;
        const mg_provider *v = &d->providers[s->provider[k]];
        int rc = mg_report_add(&d->report, d->providers_path, v->fid,
                               d->project->providers.category_field,
                               v->category_raw,
                               "no region with need within the provider's "
                               "catchment",
                               "its capacity is in no region's accessible "
                               "supply");
        if (rc)
            return rc;
    }
    return MG_OK;
}

/* Writes one category's results into the finest level's columns. */
static void store_category(mg_level *l, size_t c, const access_cols *col,
                           const mg_access_output *out)
{
    for (size_t i = 0; i < l->n; i++) {
        const mg_region *r = &l->regions[i];
        double need = r->need[c];
        col->access[i] = out->access[i];
        col->accessible[i] = out->accessible[i];
        /* Without a demand point no supply can be shown to reach the
         * region: all its need counts as unmet. */
        col->gap[i] = isnan(out->accessible[i])
                          ? need
                          : fmax(need - out->accessible[i], 0);
        col->gap10k[i] = mg_per10k(col->gap[i], r->population);
    }
}

static int run_category(mg_dataset *d, size_t c, const double *lon,
                        const double *lat, const mg_cost_matrix *m,
                        mg_error *err)
{
    mg_level *l = &d->levels[0];
    const mg_access_decay *k = &d->project->access->decay[c];
    supply_set s = {0};
    access_cols col;
    double *need = malloc((l->n ? l->n : 1) * sizeof *need);
    double *ratio = NULL;
    int rc = need ? supply_build(d, (int)c, m, &s) : MG_ERR_NOMEM;
    if (!rc && !(ratio = malloc((s.n ? s.n : 1) * sizeof *ratio)))
        rc = MG_ERR_NOMEM;
    if (!rc)
        rc = get_cols(l, d->project->model.categories[c], &col);
    if (rc) {
        mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    } else {
        /* A region without a demand point takes no part, not even
         * through a matrix that has rows for it. */
        for (size_t i = 0; i < l->n; i++)
            need[i] = isnan(lon[i]) ? 0 : l->regions[i].need[c];
        mg_access_input in = {
            l->n,  m ? NULL : lon, m ? NULL : lat,   need, s.n, s.lon,
            s.lat, s.cap,          m ? &s.sub : NULL};
        mg_access_output out = {col.access, col.accessible, ratio, 0, 0};
        rc = mg_access_compute(&in, k, &out, err);
        if (!rc && m)
            for (size_t i = 0; i < l->n; i++)
                if (isnan(lon[i])) /* no point: no matrix row counts */
                    col.access[i] = col.accessible[i] = NAN;
        if (!rc)
            store_category(l, c, &col, &out);
        if (!rc && d->project->access->normalise)
            rc = add_normalised(l, d->project->model.categories[c], need,
                                col.access, err);
        for (size_t q = 0; !rc && q < s.n; q++)
            d->providers[s.provider[q]].access_ratio = ratio[q];
        if (!rc && (rc = report_lost(d, &s, ratio)))
            mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    }
    free(ratio);
    free(need);
    supply_free(&s);
    return rc;
}

static double or_zero(double x)
{
    return isnan(x) ? 0 : x;
}

/* The "total" columns of the finest level: sums over the computed
 * categories, and access = accessible supply / their need. */
static int level_totals(mg_level *l, const mg_project *p)
{
    size_t nc = p->model.n_categories;
    const int *on = p->access->enabled;
    access_cols t, *col = calloc(nc ? nc : 1, sizeof *col);
    int rc = col ? get_cols(l, "total", &t) : MG_ERR_NOMEM;
    for (size_t c = 0; !rc && c < nc; c++)
        if (on[c])
            rc = get_cols(l, p->model.categories[c], &col[c]);
    for (size_t i = 0; !rc && i < l->n; i++) {
        double need = 0, acc = 0, gap = 0;
        int known = 1;
        for (size_t c = 0; c < nc; c++) {
            if (!on[c])
                continue;
            need += l->regions[i].need[c];
            known &= !isnan(col[c].accessible[i]);
            acc += or_zero(col[c].accessible[i]);
            gap += or_zero(col[c].gap[i]);
        }
        t.accessible[i] = known ? acc : NAN;
        t.access[i] = known && need > 0 ? acc / need : NAN;
        t.gap[i] = gap;
        t.gap10k[i] = mg_per10k(gap, l->regions[i].population);
    }
    free(col);
    return rc;
}

/* A parent level: sums of its children; access from the sums. */
static int rollup_one(mg_level *child, mg_level *up, const char *cat, size_t c,
                      const mg_project *p)
{
    access_cols a, b;
    int rc = get_cols(child, cat, &a);
    if (!rc)
        rc = get_cols(up, cat, &b);
    if (rc)
        return rc;
    for (size_t j = 0; j < up->n; j++)
        b.accessible[j] = b.gap[j] = 0;
    for (size_t i = 0; i < child->n; i++) {
        int j = child->regions[i].parent;
        if (j < 0)
            continue;
        b.accessible[j] += or_zero(a.accessible[i]);
        b.gap[j] += or_zero(a.gap[i]);
    }
    for (size_t j = 0; j < up->n; j++) {
        const mg_region *r = &up->regions[j];
        double need = 0;
        if (c < p->model.n_categories)
            need = r->need[c];
        for (size_t k = 0; c == p->model.n_categories && k < c; k++)
            need += p->access->enabled[k] ? r->need[k] : 0;
        b.access[j] = need > 0 ? b.accessible[j] / need : NAN;
        b.gap10k[j] = mg_per10k(b.gap[j], r->population);
    }
    return MG_OK;
}

static int rollup(mg_dataset *d)
{
    const mg_project *p = d->project;
    size_t nc = p->model.n_categories;
    int rc = MG_OK;
    for (size_t li = 0; !rc && li + 1 < d->n_levels; li++)
        for (size_t c = 0; !rc && c <= nc; c++)
            if (c == nc || p->access->enabled[c])
                rc = rollup_one(&d->levels[li], &d->levels[li + 1],
                                c < nc ? p->model.categories[c] : "total", c,
                                p);
    return rc;
}

static double max_catchment(const mg_access_spec *a)
{
    double m = 0;
    for (size_t c = 0; c < a->n_categories; c++)
        if (a->enabled[c])
            m = fmax(m, a->decay[c].catchment);
    return m;
}

int mg_access_stage_run(mg_dataset *d, const double *lon, const double *lat,
                        mg_progress_fn progress, void *user, mg_error *err)
{
    const mg_project *p = d->project;
    const mg_access_spec *a = p->access;
    mg_cost_matrix *m = NULL;
    int rc = MG_OK;
    if (a->distances.path)
        rc = read_access_matrix(d, max_catchment(a), &m, err);
    for (size_t c = 0; !rc && c < p->model.n_categories; c++) {
        if (!a->enabled[c])
            continue;
        char msg[256];
        snprintf(msg, sizeof msg, "accessibility of %s (%s, catchment %g%s)",
                 p->model.categories[c],
                 mg_access_methods[a->decay[c].method].label,
                 a->decay[c].catchment, m ? "" : " km");
        if (progress && !progress(0.0, msg, user))
            rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                              "cancelled");
        if (!rc)
            rc = run_category(d, c, lon, lat, m, err);
    }
    if (!rc && (rc = level_totals(&d->levels[0], p)) == MG_OK)
        rc = rollup(d);
    if (rc && err && !err->code)
        mg_error_set(err, rc, NULL, -1, NULL, "%s", mg_strerror(rc));
    mg_cost_matrix_free(m);
    return rc;
}
