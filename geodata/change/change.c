/* Change figures between periods: regions matched by code, the four
 * measures of each figure (docs/change.md). */
#include "change_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mg_change_figure(double x1, double x2, double dt, int rank_like,
                      int higher_is_better, mg_change_row *r)
{
    r->x1 = x1;
    r->x2 = x2;
    r->abs = r->rel = r->abs_pa = r->rel_pa = NAN;
    r->better = 0;
    if (isnan(x1) || isnan(x2))
        return;
    r->abs = x2 - x1;
    r->better = r->abs == 0 ? 0 : (r->abs > 0) == (higher_is_better != 0) ? 1
                                                                          : -1;
    if (rank_like)
        return;
    r->abs_pa = dt > 0 ? r->abs / dt : NAN;
    if (x1 != 0)
        r->rel = r->abs / x1 * 100;
    /* OPHI's annualised relative change: a compound rate, defined only
     * while the ratio x2 / x1 is not negative. */
    if (x1 > 0 && x2 >= 0 && dt > 0)
        r->rel_pa = (pow(x2 / x1, 1 / dt) - 1) * 100;
}

int change_push(mg_change *c, const mg_change_row *r)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        mg_change_row *rows = realloc(c->rows, cap * sizeof *rows);
        if (!rows)
            return MG_ERR_NOMEM;
        c->rows = rows;
        c->cap = cap;
    }
    c->rows[c->n++] = *r;
    return MG_OK;
}

void mg_change_clear(mg_change *c)
{
    free(c->rows);
    mg_free_list(c->figures, c->n_figures);
    memset(c, 0, sizeof *c);
}

mg_change_family change_family_of(const char *f)
{
    if (!strncmp(f, "af_", 3))
        return MG_CHANGE_AF;
    if (!strncmp(f, "poverty_", 8) || !strncmp(f, "dim_", 4))
        return MG_CHANGE_COMPOSITE;
    return MG_CHANGE_MODEL;
}

int change_higher_is_better(const char *f)
{
    size_t n = strlen(f);
    return !strncmp(f, "supply_", 7) || !strncmp(f, "coverage_", 9) ||
           (n > 5 && !strcmp(f + n - 5, "_rank"));
}

int change_rank_like(const char *f)
{
    size_t n = strlen(f);
    return (n > 5 && !strcmp(f + n - 5, "_rank")) ||
           (n > 6 && !strcmp(f + n - 6, "_grade"));
}

static int add_name(mg_change *c, const char *prefix, const char *name,
                    const char *suffix)
{
    char field[160], full[200];
    mg_field_name(field, sizeof field, prefix, name);
    snprintf(full, sizeof full, "%s%s", field, suffix);
    char **f = realloc(c->figures, (c->n_figures + 1) * sizeof *f);
    if (!f)
        return MG_ERR_NOMEM;
    c->figures = f;
    if (!(f[c->n_figures] = strdup(full)))
        return MG_ERR_NOMEM;
    c->n_figures++;
    return MG_OK;
}

int change_list_figures(mg_change *c, const mg_dataset *last)
{
    static const char *const model[] = {"need_", "supply_", "gap_",
                                        "coverage_"};
    const mg_model_spec *m = &last->project->model;
    const mg_poverty_spec *s = last->project->poverty;
    int rc = MG_OK;
    for (size_t k = 0; !rc && k < 4; k++)
        for (size_t j = 0; !rc && j <= m->n_categories; j++)
            rc = add_name(c, model[k],
                          j < m->n_categories ? m->categories[j] : "total",
                          "");
    static const char *const comp[] = {"poverty_index", "poverty_grade",
                                       "poverty_rank"};
    for (size_t k = 0; !rc && s && s->n_indicators && k < 3; k++)
        rc = add_name(c, "", comp[k], "");
    for (size_t k = 0; !rc && s && s->n_indicators && k < s->n_dimensions;
         k++)
        rc = add_name(c, "dim_", s->dimensions[k].name, "_score");
    static const char *const af[] = {"af_h", "af_a", "af_m0"};
    for (size_t k = 0; !rc && s && s->af && k < 3; k++)
        rc = add_name(c, "", af[k], "");
    for (size_t j = 0; !rc && s && s->af && j < s->af->n_indicators; j++)
        rc = add_name(c, "af_", s->af->indicators[j].name, "_censored_h");
    return rc;
}
