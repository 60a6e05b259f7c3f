/* The changes of every figure for every pair of periods. */
#include "change_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The level of b named as level li of a, or -1. */
static long same_level(const mg_dataset *a, size_t li, const mg_dataset *b)
{
    for (size_t j = 0; j < b->n_levels; j++)
        if (!strcmp(a->levels[li].level, b->levels[j].level))
            return (long)j;
    return -1;
}

/* What one pair of levels needs: b's region for each of a's, and the
 * figure values of both. */
typedef struct pair_work {
    mg_change *c;
    const mg_dataset *a, *b;
    size_t from, to;
    const mg_level *la, *lb;
    long *match; /* la->n: index in lb, or -1 */
    double *va, *vb, *sa, *sb; /* values, and SEs of AF figures */
    const int *refused; /* per family */
} pair_work;

static int match_codes(pair_work *w)
{
    mg_code_index ci = {0};
    const char **codes = malloc((w->lb->n ? w->lb->n : 1) * sizeof *codes);
    int rc = codes ? MG_OK : MG_ERR_NOMEM;
    for (size_t i = 0; !rc && i < w->lb->n; i++)
        codes[i] = w->lb->regions[i].code;
    if (!rc)
        rc = mg_code_index_build(&ci, (const char *const *)codes, w->lb->n);
    for (size_t i = 0; !rc && i < w->la->n; i++)
        w->match[i] = mg_code_index_find(&ci, w->la->regions[i].code);
    mg_code_index_free(&ci);
    free(codes);
    return rc;
}

/* The rows of one figure; a figure the level lacks in either period is
 * not one of its figures (AF below its level, the index above). */
static int figure_rows(pair_work *w, size_t k)
{
    const char *f = w->c->figures[k];
    if (w->refused[change_family_of(f)] ||
        mg_level_get_values(w->la, &w->a->project->model, f, w->va) ||
        mg_level_get_values(w->lb, &w->b->project->model, f, w->vb))
        return MG_OK;
    char se[200];
    snprintf(se, sizeof se, "%s_se", f);
    /* The SEs of both periods, or none (records without weights). */
    int has_se = change_family_of(f) == MG_CHANGE_AF &&
                 !mg_level_get_values(w->la, &w->a->project->model, se,
                                      w->sa) &&
                 !mg_level_get_values(w->lb, &w->b->project->model, se, w->sb);
    double dt = w->c->ps->items[w->to].year - w->c->ps->items[w->from].year;
    int rank_like = change_rank_like(f), better = change_higher_is_better(f);
    int rc = MG_OK;
    for (size_t i = 0; !rc && i < w->la->n; i++) {
        /* Neither period has the figure: not a change, not a row. */
        if (w->match[i] < 0 || (isnan(w->va[i]) && isnan(w->vb[w->match[i]])))
            continue;
        const mg_region *g = &w->lb->regions[w->match[i]];
        mg_change_row r = {.from = w->from, .to = w->to,
                           .level = w->lb->level, .code = g->code,
                           .name = g->name, .figure = f,
                           .figure_index = k};
        mg_change_figure(w->va[i], w->vb[w->match[i]], dt, rank_like, better,
                         &r);
        r.has_se = has_se;
        r.se1 = has_se ? w->sa[i] : NAN;
        r.se2 = has_se ? w->sb[w->match[i]] : NAN;
        r.se_abs = sqrt(r.se1 * r.se1 + r.se2 * r.se2);
        rc = change_push(w->c, &r);
    }
    return rc;
}

static int level_pair(pair_work *w)
{
    size_t n = (w->la->n > w->lb->n ? w->la->n : w->lb->n) + 1;
    w->match = malloc(w->la->n ? w->la->n * sizeof *w->match : 1);
    w->va = malloc(n * sizeof *w->va);
    w->vb = malloc(n * sizeof *w->vb);
    w->sa = malloc(n * sizeof *w->sa);
    w->sb = malloc(n * sizeof *w->sb);
    int rc = w->match && w->va && w->vb && w->sa && w->sb ? match_codes(w)
                                                          : MG_ERR_NOMEM;
    for (size_t k = 0; !rc && k < w->c->n_figures; k++)
        rc = figure_rows(w, k);
    free(w->match);
    free(w->va);
    free(w->vb);
    free(w->sa);
    free(w->sb);
    return rc;
}

/* A family whose definitions differ is refused for the pair, with the
 * reason in the report of the last period. */
static int check_families(mg_change *c, size_t from, size_t to, int *refused)
{
    const mg_periods_spec *ps = c->ps;
    mg_dataset *last = c->d[ps->n - 1];
    static const char *const what[MG_CHANGE_N_FAMILIES] = {
        "need, supply, gap and coverage", "the composite poverty index",
        "the Alkire-Foster figures"};
    int rc = MG_OK;
    for (int f = 0; !rc && f < MG_CHANGE_N_FAMILIES; f++) {
        char why[512], value[160], problem[800];
        refused[f] = !mg_change_harmonised(
            c->d[from]->project, c->d[to]->project, ps->items[from].label,
            ps->items[to].label, (mg_change_family)f, why, sizeof why);
        if (!refused[f])
            continue;
        snprintf(value, sizeof value, "%s -> %s", ps->items[from].label,
                 ps->items[to].label);
        snprintf(problem, sizeof problem, "%s not harmonised: %s", what[f],
                 why);
        rc = mg_report_add(&last->report, last->project->path, -1, "periods",
                           value, problem,
                           "no change figures of these for this pair");
    }
    return rc;
}

static int one_pair(mg_change *c, size_t from, size_t to)
{
    int refused[MG_CHANGE_N_FAMILIES];
    const mg_dataset *a = c->d[from], *b = c->d[to];
    mg_dataset *last = c->d[c->ps->n - 1];
    int rc = check_families(c, from, to, refused);
    for (size_t li = 0; !rc && li < a->n_levels; li++) {
        long lj = same_level(a, li, b);
        if (lj < 0)
            continue;
        pair_work w = {.c = c, .a = a, .b = b, .from = from, .to = to,
                       .la = &a->levels[li], .lb = &b->levels[lj],
                       .refused = refused};
        rc = level_pair(&w);
        if (!rc)
            rc = change_report_unmatched(a, b, li, (size_t)lj,
                                         c->ps->items[from].label,
                                         c->ps->items[to].label,
                                         &last->report);
    }
    return rc;
}

/* per_<label>_<figure>: each period's value of the change_maps figures on
 * the last period's regions (matched by code), for the small multiples
 * (one map per period, one set of breaks). */
static int put_period_values(mg_change *c, size_t li, mg_level *l,
                             const mg_code_index *ci)
{
    const mg_periods_spec *ps = c->ps;
    int rc = MG_OK;
    for (size_t p = 0; !rc && p < ps->n; p++) {
        const mg_dataset *dp = c->d[p];
        long lj = same_level(c->d[ps->n - 1], li, dp);
        const mg_level *src = lj >= 0 ? &dp->levels[lj] : NULL;
        double *v = src ? malloc((src->n + 1) * sizeof *v) : NULL;
        if (src && !v)
            return MG_ERR_NOMEM;
        for (size_t m = 0; !rc && src && m < ps->n_maps; m++) {
            char label[64], name[MG_POVERTY_FIELD_MAX];
            double *col;
            mg_field_name(label, sizeof label, "", ps->items[p].label);
            snprintf(name, sizeof name, "per_%s_%s", label, ps->maps[m]);
            if (mg_level_get_values(src, &dp->project->model, ps->maps[m], v))
                continue; /* not a figure of this level */
            rc = mg_level_add_column(l, name, 0, &col);
            for (size_t r = 0; !rc && r < src->n; r++) {
                long i = mg_code_index_find(ci, src->regions[r].code);
                if (i >= 0)
                    col[i] = v[r];
            }
        }
        free(v);
    }
    return rc;
}

/* chg_<figure>_<measure> on the last period's levels, first -> last. */
static int put_columns(mg_change *c)
{
    static const char *const sfx[4] = {"_abs", "_rel", "_abs_pa", "_rel_pa"};
    mg_dataset *last = c->d[c->ps->n - 1];
    int rc = MG_OK;
    for (size_t li = 0; !rc && li < last->n_levels; li++) {
        mg_level *l = &last->levels[li];
        mg_code_index ci = {0};
        const char **codes = malloc((l->n ? l->n : 1) * sizeof *codes);
        rc = codes ? MG_OK : MG_ERR_NOMEM;
        for (size_t i = 0; !rc && i < l->n; i++)
            codes[i] = l->regions[i].code;
        if (!rc)
            rc = mg_code_index_build(&ci, (const char *const *)codes, l->n);
        for (size_t m = 0; !rc && m < c->ps->n_maps; m++) {
            double *col[4];
            for (int k = 0; !rc && k < 4; k++) {
                char name[MG_POVERTY_FIELD_MAX];
                snprintf(name, sizeof name, "chg_%s%s", c->ps->maps[m],
                         sfx[k]);
                rc = mg_level_add_column(l, name, 0, &col[k]);
            }
            for (size_t r = 0; !rc && r < c->n; r++) {
                const mg_change_row *x = &c->rows[r];
                long i;
                if (x->from != 0 || x->to != c->ps->n - 1 ||
                    strcmp(x->level, l->level) ||
                    strcmp(x->figure, c->ps->maps[m]) ||
                    (i = mg_code_index_find(&ci, x->code)) < 0)
                    continue;
                col[0][i] = x->abs;
                col[1][i] = x->rel;
                col[2][i] = x->abs_pa;
                col[3][i] = x->rel_pa;
            }
        }
        if (!rc)
            rc = put_period_values(c, li, l, &ci);
        mg_code_index_free(&ci);
        free(codes);
    }
    return rc;
}

int mg_change_compute(const mg_periods_spec *ps, mg_dataset *const *d,
                      mg_change *out, mg_error *err)
{
    memset(out, 0, sizeof *out);
    out->ps = ps;
    out->d = d;
    int rc = change_list_figures(out, d[ps->n - 1]);
    for (size_t i = 0; !rc && i + 1 < ps->n; i++)
        rc = one_pair(out, i, i + 1);
    if (!rc && ps->n > 2)
        rc = one_pair(out, 0, ps->n - 1);
    if (!rc)
        rc = put_columns(out);
    if (rc)
        mg_error_set(err, rc, NULL, -1, "periods", "out of memory");
    return rc;
}
