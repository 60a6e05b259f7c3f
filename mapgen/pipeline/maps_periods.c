/* The maps of several periods (docs/change.md): a change map per figure
 * of periods.change_maps (diverging, symmetric about zero) and the small
 * multiples, one map of the figure per period on one set of breaks. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A map name from parts: lower case, '-' for anything else. */
static void map_name(char *out, size_t n, const char *a, const char *b)
{
    snprintf(out, n, "%s%s%s", a, b ? "-" : "", b ? b : "");
    for (char *c = out; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
            *c = (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : '-';
}

/* The composite index and AF live on the poverty level only. */
static int set_level(map_item *x, const mg_project *p, const char *figure)
{
    int pov = !strncmp(figure, "poverty_", 8) || !strncmp(figure, "dim_", 4) ||
              !strncmp(figure, "af_", 3) || !strncmp(figure, "ind_", 4);
    if (!pov || !p->poverty)
        return MG_OK;
    return (x->level = strdup(p->poverty->level)) ? MG_OK : MG_ERR_NOMEM;
}

static int lower_is_better(const char *f)
{
    size_t n = strlen(f);
    return !(!strncmp(f, "supply_", 7) || !strncmp(f, "coverage_", 9) ||
             (n > 5 && !strcmp(f + n - 5, "_rank")));
}

static int add_change_map(mg_maps *m, const char *figure)
{
    const mg_periods_spec *ps = m->p->periods;
    const mg_period *a = &ps->items[0], *b = &ps->items[ps->n - 1];
    char name[128], text[256];
    map_name(name, sizeof name, "change", figure);
    map_item *x = maps_add_item(m, name, "change");
    if (!x)
        return MG_ERR_NOMEM;
    x->is_default = 1;
    x->change_reverse = lower_is_better(figure) ? 1 : 0;
    snprintf(text, sizeof text, "chg_%s_abs", figure);
    x->field = strdup(text);
    char title[160];
    maps_field_title(figure, title, sizeof title);
    snprintf(text, sizeof text, "%s: change %s to %s", title, a->label,
             b->label);
    x->title = strdup(text);
    snprintf(text, sizeof text, "%s: change %s to %s (blue = better)",
             title, a->label, b->label);
    x->legend_title = strdup(text);
    x->extra = json_pack("{s:{s:s, s:s, s:s, s:f}}", "change", "from",
                         a->label, "to", b->label, "figure", figure, "years",
                         b->year - a->year);
    if (!x->field || !x->title || !x->legend_title || !x->extra)
        return MG_ERR_NOMEM;
    return set_level(x, m->p, figure);
}

/* The fields of every period of figure: the pool of its breaks. */
static int pool_fields(const mg_periods_spec *ps, const char *figure,
                       map_item *x)
{
    if (!(x->pool = calloc(ps->n, sizeof *x->pool)))
        return MG_ERR_NOMEM;
    for (size_t i = 0; i < ps->n; i++) {
        char label[64], field[MG_POVERTY_FIELD_MAX];
        mg_field_name(label, sizeof label, "", ps->items[i].label);
        snprintf(field, sizeof field, "per_%s_%s", label, figure);
        if (!(x->pool[i] = strdup(field)))
            return MG_ERR_NOMEM;
        x->n_pool = i + 1;
    }
    return MG_OK;
}

static int add_period_map(mg_maps *m, const char *figure, size_t i)
{
    const mg_periods_spec *ps = m->p->periods;
    char name[128], text[256];
    map_name(name, sizeof name, figure, ps->items[i].label);
    map_item *x = maps_add_item(m, name, "period");
    if (!x)
        return MG_ERR_NOMEM;
    x->is_default = 1;
    int rc = pool_fields(ps, figure, x);
    if (!rc && !(x->field = strdup(x->pool[i])))
        rc = MG_ERR_NOMEM;
    char title[160];
    maps_field_title(figure, title, sizeof title);
    snprintf(text, sizeof text, "%s in %s", title, ps->items[i].label);
    if (!rc && !(x->title = strdup(text)))
        rc = MG_ERR_NOMEM;
    snprintf(text, sizeof text, "%s in %s (same breaks in every period)",
             title, ps->items[i].label);
    if (!rc && !(x->legend_title = strdup(text)))
        rc = MG_ERR_NOMEM;
    if (!rc && !(x->extra = json_pack("{s:{s:s, s:f, s:s}}", "period",
                                      "label", ps->items[i].label, "year",
                                      ps->items[i].year, "figure", figure)))
        rc = MG_ERR_NOMEM;
    return rc ? rc : set_level(x, m->p, figure);
}

int maps_add_period_items(mg_maps *m)
{
    const mg_periods_spec *ps = m->p->periods;
    int rc = MG_OK;
    for (size_t k = 0; !rc && ps && k < ps->n_maps; k++)
        rc = add_change_map(m, ps->maps[k]);
    for (size_t k = 0; !rc && ps && k < ps->n_maps; k++)
        for (size_t i = 0; !rc && i < ps->n; i++)
            rc = add_period_map(m, ps->maps[k], i);
    return rc;
}

/* The small multiples' breaks: the style's method over the values of
 * every period's field, then fixed for each map of the set. */
static int pooled_breaks(mg_maps *m, map_item *x, mg_style_layer *sl,
                         mg_error *err)
{
    const mg_level *l = &m->d->levels[x->level_index];
    size_t n = l->n * x->n_pool;
    double *v = malloc((n + 1) * sizeof *v);
    if (!v)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    for (size_t i = 0; i < x->n_pool; i++)
        if (mg_level_get_values(l, &m->p->model, x->pool[i], v + i * l->n))
            for (size_t r = 0; r < l->n; r++)
                v[i * l->n + r] = NAN;
    mg_class_spec cs = {sl->method, sl->classes, sl->breaks};
    mg_breaks b;
    int rc = mg_styles_compute_breaks(&cs, v, n, &b, err);
    free(v);
    if (rc)
        return rc;
    sl->method = MG_CLASS_FIXED;
    for (int i = 1; i < b.k; i++)
        sl->breaks[i - 1] = b.b[i];
    return MG_OK;
}

int maps_prepare_period_item(mg_maps *m, map_item *x, mg_style_layer *sl,
                             mg_error *err)
{
    if (x->change_reverse >= 0 && x->extra &&
        json_object_get(x->extra, "change")) {
        free(sl->palette);
        if (!(sl->palette = strdup(m->p->periods->palette)))
            return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                                "out of memory");
        sl->reverse = x->change_reverse;
    }
    return x->pool ? pooled_breaks(m, x, sl, err) : MG_OK;
}

json_t *maps_periods_json(const mg_periods_spec *ps)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < ps->n; i++)
        if (json_array_append_new(a, json_pack("{s:s, s:f}", "label",
                                               ps->items[i].label, "year",
                                               ps->items[i].year))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

int maps_period_tilejson(const mg_maps *m, map_item *x)
{
    const mg_periods_spec *ps = m->p->periods;
    if (!ps)
        return MG_OK;
    json_t *o = x->extra ? json_deep_copy(x->extra) : json_object();
    json_t *a = maps_periods_json(ps);
    int bad = !o || !a || json_object_set_new(o, "periods", a);
    if (!bad)
        bad = !(x->tilejson_extra = json_dumps(o, JSON_COMPACT |
                                                      JSON_PRESERVE_ORDER |
                                                      JSON_REAL_PRECISION(10)));
    if (!o)
        json_decref(a);
    json_decref(o);
    return bad ? MG_ERR_NOMEM : MG_OK;
}
