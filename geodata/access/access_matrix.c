/* Distances or travel costs from a file (e.g. a routing engine's table):
 * one row per pair; only the pairs within reach are kept. */
#include "access_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct triplet {
    size_t from, to;
    double cost;
    long fid;
} triplet;

typedef struct matrix_reader {
    mg_dataset *d;
    const mg_matrix_spec *spec;
    const char *what; /* "access.distances", "siting.distances" */
    const char *noun; /* "provider fid", "candidate id" */
    char *path;
    mg_vec_source src;
    int f_region, f_other, f_cost;
    triplet *t;
    size_t n, cap;
} matrix_reader;

static int by_pair(const void *a, const void *b)
{
    const triplet *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return (x->fid > y->fid) - (x->fid < y->fid);
}

static int matrix_open(matrix_reader *mr, mg_error *err)
{
    char k1[96], k2[96], k3[96];
    snprintf(k1, sizeof k1, "%s.region_field", mr->what);
    snprintf(k2, sizeof k2, "%s.%s", mr->what,
             strstr(mr->what, "siting") ? "candidate_field"
                                        : "provider_field");
    snprintf(k3, sizeof k3, "%s.cost_field", mr->what);
    int rc = mg_vec_open(&mr->src, mr->path, mr->spec->layer, err);
    if (!rc)
        rc = mg_vec_field(&mr->src, mr->spec->region_field, k1, &mr->f_region,
                          err);
    if (!rc)
        rc = mg_vec_field(&mr->src, mr->spec->other_field, k2, &mr->f_other,
                          err);
    if (!rc)
        rc =
            mg_vec_field(&mr->src, mr->spec->cost_field, k3, &mr->f_cost, err);
    return rc;
}

static int push(matrix_reader *mr, triplet t)
{
    if (mr->n == mr->cap) {
        size_t cap = mr->cap ? mr->cap * 2 : 1024;
        triplet *v = realloc(mr->t, cap * sizeof *v);
        if (!v)
            return MG_ERR_NOMEM;
        mr->t = v;
        mr->cap = cap;
    }
    mr->t[mr->n++] = t;
    return MG_OK;
}

/* A cell's id, or a report row when it matches nothing. */
static int lookup(matrix_reader *mr, OGRFeatureH f, long fid, int field,
                  const char *name, const mg_code_index *ci, const char *noun,
                  const char *where, long *index)
{
    char *text = mg_field_text(f, field);
    char problem[160];
    *index = mg_code_index_find(ci, text);
    if (text)
        snprintf(problem, sizeof problem, "%s not found in the %s", noun,
                 where);
    else
        snprintf(problem, sizeof problem, "blank %s", noun);
    int rc = *index >= 0 ? MG_OK
                         : mg_report_add(&mr->d->report, mr->path, fid, name,
                                         text, problem, "row ignored");
    free(text);
    return rc;
}

static int matrix_row(matrix_reader *mr, OGRFeatureH f,
                      const mg_code_index *regions,
                      const mg_code_index *others, double max_cost)
{
    const mg_matrix_spec *s = mr->spec;
    long fid = (long)OGR_F_GetFID(f), i = -1, j = -1;
    int rc = lookup(mr, f, fid, mr->f_region, s->region_field, regions,
                    "region code", "boundaries", &i);
    if (!rc && i >= 0)
        rc = lookup(mr, f, fid, mr->f_other, s->other_field, others, mr->noun,
                    strstr(mr->noun, "provider") ? "providers" : "candidates",
                    &j);
    if (rc || i < 0 || j < 0)
        return rc;
    char *text = mg_field_text(f, mr->f_cost);
    double cost;
    int kind = mg_number_parse(text, &cost);
    if (kind != MG_NUM_OK)
        rc = mg_report_add(&mr->d->report, mr->path, fid, s->cost_field, text,
                           kind == MG_NUM_BLANK      ? "blank cost"
                           : kind == MG_NUM_NEGATIVE ? "negative cost"
                                                     : "cost is not a number",
                           "row ignored");
    else if (cost <= max_cost)
        rc = push(mr, (triplet){(size_t)j, (size_t)i, cost, fid});
    free(text);
    return rc;
}

/* Sorted pairs into rows per from-point; a repeated pair keeps the first
 * row of the file and reports the others. */
static int build_rows(matrix_reader *mr, size_t n_from, size_t n_to,
                      mg_cost_matrix **out)
{
    qsort(mr->t, mr->n, sizeof *mr->t, by_pair);
    mg_cost_matrix *m = calloc(1, sizeof *m);
    int rc = m ? MG_OK : MG_ERR_NOMEM;
    if (!rc) {
        m->n_from = n_from;
        m->n_to = n_to;
        m->start = calloc(n_from + 1, sizeof *m->start);
        m->to = malloc((mr->n ? mr->n : 1) * sizeof *m->to);
        m->cost = malloc((mr->n ? mr->n : 1) * sizeof *m->cost);
        rc = m->start && m->to && m->cost ? MG_OK : MG_ERR_NOMEM;
    }
    size_t k = 0;
    for (size_t e = 0; !rc && e < mr->n; e++) {
        const triplet *t = &mr->t[e];
        if (e > 0 && t->from == t[-1].from && t->to == t[-1].to) {
            char action[96];
            snprintf(action, sizeof action, "row ignored; row %ld is kept",
                     mr->t[e - 1].fid);
            rc = mg_report_addf(&mr->d->report, mr->path, t->fid,
                                mr->spec->cost_field,
                                "duplicate pair of region and provider or "
                                "candidate",
                                action, "%g", t->cost);
            continue;
        }
        m->start[t->from + 1]++;
        m->to[k] = t->to;
        m->cost[k++] = t->cost;
    }
    for (size_t j = 0; !rc && j < n_from; j++)
        m->start[j + 1] += m->start[j];
    if (rc)
        mg_cost_matrix_free(m);
    else
        *out = m;
    return rc;
}

int mg_access_matrix_read(mg_dataset *d, const mg_matrix_spec *spec,
                          const char *what, const mg_code_index *regions,
                          const mg_code_index *others, size_t n_others,
                          double max_cost, mg_cost_matrix **out, mg_error *err)
{
    matrix_reader mr = {.d = d,
                        .spec = spec,
                        .what = what,
                        .noun = strstr(what, "siting") ? "candidate id"
                                                       : "provider fid"};
    *out = NULL;
    mr.path = mg_project_resolve(d->project, spec->path);
    int rc = mr.path ? matrix_open(&mr, err) : MG_ERR_NOMEM;
    OGRFeatureH f;
    if (!rc)
        OGR_L_ResetReading(mr.src.layer);
    for (size_t k = 0; !rc && (f = OGR_L_GetNextFeature(mr.src.layer)); k++) {
        rc = matrix_row(&mr, f, regions, others, max_cost);
        OGR_F_Destroy(f);
        if (!rc)
            rc = mg_access_poll(k, err);
    }
    if (!rc)
        rc = build_rows(&mr, n_others, d->levels[0].n, out);
    if (rc && err && !err->code)
        mg_error_set(err, rc, mr.path, -1, NULL, "%s", mg_strerror(rc));
    mg_vec_close(&mr.src);
    free(mr.t);
    free(mr.path);
    return rc;
}
