/* Figures of a level by name: the model's own and those later stages add;
 * the names of the model's figures. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const region_figure_prefix[N_REGION_FIGURES] = {
    "need_",      "supply_",      "gap_",           "coverage_",
    "providers_", "need_per10k_", "supply_per10k_", "gap_per10k_"};

/* The value of figure k (figure_prefix order) of category c of region r. */
static double figure(const mg_region *r, int k, size_t c)
{
    switch (k) {
    case 0:
        return r->need[c];
    case 1:
        return r->supply[c];
    case 2:
        return r->gap[c];
    case 3:
        return r->coverage[c];
    case 4:
        return r->n_providers[c];
    case 5:
        return mg_per10k(r->need[c], r->population);
    case 6:
        return mg_per10k(r->supply[c], r->population);
    default:
        return mg_per10k(r->gap[c], r->population);
    }
}

/* Finds which model figure a field name means: *k and *c, or -1. */
static int parse_figure(const mg_model_spec *m, const char *name, int *k,
                        size_t *c)
{
    char field[160];
    for (int f = N_REGION_FIGURES - 1; f >= 0; f--) {
        size_t len = strlen(region_figure_prefix[f]);
        if (strncmp(name, region_figure_prefix[f], len) != 0)
            continue;
        for (size_t j = 0; j <= m->n_categories; j++) {
            mg_field_name(field, sizeof field, region_figure_prefix[f],
                          j < m->n_categories ? m->categories[j] : "total");
            if (strcmp(field, name) == 0) {
                *k = f;
                *c = j;
                return 0;
            }
        }
    }
    return -1;
}

int mg_level_get_values(const mg_level *l, const mg_model_spec *m,
                        const char *name, double *out)
{
    char field[160];
    for (size_t i = 0; i < l->n_columns; i++)
        if (strcmp(l->columns[i].name, name) == 0) {
            memcpy(out, l->columns[i].values, l->n * sizeof *out);
            return MG_OK;
        }
    int k = 0;
    size_t c = 0;
    int by_figure = parse_figure(m, name, &k, &c) == 0;
    long group = -1;
    for (size_t g = 0; g < m->n_groups && group < 0; g++) {
        mg_field_name(field, sizeof field, "", m->groups[g]);
        if (strcmp(field, name) == 0)
            group = (long)g;
    }
    long input = -1;
    for (size_t j = 0; j < l->n_inputs && input < 0; j++) {
        mg_field_name(field, sizeof field, "", l->inputs[j]);
        if (strcmp(field, name) == 0)
            input = (long)j;
    }
    int area = strcmp(name, "area_km2") == 0;
    int pop = strcmp(name, "population") == 0;
    if (!by_figure && group < 0 && input < 0 && !area && !pop)
        return MG_ERR_PROJECT;
    for (size_t i = 0; i < l->n; i++) {
        const mg_region *r = &l->regions[i];
        out[i] = by_figure    ? figure(r, k, c)
                 : group >= 0 ? r->counts[group]
                 : input >= 0 ? (r->inputs ? r->inputs[input] : NAN)
                 : area       ? r->area_km2
                              : r->population;
    }
    return MG_OK;
}
