/*
 * Which maps a run draws and how: the project's "maps" section (maps_spec.c)
 * or the shipped maps whose fields the data has, each with its style file
 * applied to the data.
 */
#include "internal.h"

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MG_STYLES_DIR
#define MG_STYLES_DIR "styles"
#endif

void mg_map_options_default(mg_map_options *o)
{
    memset(o, 0, sizeof *o);
    o->minzoom = o->maxzoom = -1;
    o->tile_size = 256;
    o->png_level = 1;
    o->stores = MG_MAPS_STORE_ALL;
    o->max_tiles = MG_MAX_TILES;
}

static int nomem(mg_error *err)
{
    return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
}

/* A shipped style ("needs") or a file, relative to the project file. */
static char *resolve_style(const mg_project *p, const char *style)
{
    size_t n = strlen(style);
    if (!strchr(style, '/') && !(n > 5 && !strcmp(style + n - 5, ".json"))) {
        size_t len = strlen(MG_STYLES_DIR) + n + 8;
        char *path = malloc(len);
        if (path)
            snprintf(path, len, "%s/%s.json", MG_STYLES_DIR, style);
        return path;
    }
    return p->base_dir ? mg_project_resolve(p, style) : strdup(style);
}

static map_item *add_item(mg_maps *m, const char *name, const char *style)
{
    map_item *it = realloc(m->items, (m->n + 1) * sizeof *m->items);
    if (!it)
        return NULL;
    m->items = it;
    map_item *x = &it[m->n];
    memset(x, 0, sizeof *x);
    x->minzoom = x->maxzoom = -1;
    x->name = strdup(name);
    x->style_path = resolve_style(m->p, style);
    if (!x->name || !x->style_path) {
        free(x->name);
        free(x->style_path);
        return NULL;
    }
    m->n++;
    return x;
}

map_item *maps_add_item(mg_maps *m, const char *name, const char *style)
{
    return add_item(m, name, style);
}

/* ---- the project's "maps" section --------------------------------------- */

static int copy_opt(const char *from, char **to)
{
    return !from || (*to = strdup(from)) ? MG_OK : MG_ERR_NOMEM;
}

/* The maps of the project's "maps" section (maps_spec.c read them). */
static int add_listed(mg_maps *m, const mg_maps_spec *spec, mg_error *err)
{
    for (size_t i = 0; i < spec->n; i++) {
        const mg_map_entry *e = &spec->v[i];
        map_item *x = add_item(m, e->name, e->style);
        if (!x)
            return nomem(err);
        x->is_base = !strcmp(x->name, "base");
        x->minzoom = e->minzoom;
        x->maxzoom = e->maxzoom;
        x->band_spec = e->bands;
        x->n_band_spec = e->n_bands;
        if (copy_opt(e->json_path, &x->json_path) ||
            copy_opt(e->level, &x->level) || copy_opt(e->title, &x->title) ||
            copy_opt(e->legend_title, &x->legend_title) ||
            copy_opt(e->field, &x->field))
            return nomem(err);
    }
    return MG_OK;
}

/* ---- the shipped maps --------------------------------------------------- */

static int add_defaults(mg_maps *m, mg_error *err)
{
    const mg_project *p = m->p;
    map_item *x;
    if (!(x = add_item(m, "base", "base")))
        return nomem(err);
    x->is_default = x->is_base = 1;
    if (p->providers.path) {
        if (!(x = add_item(m, "services", "services")))
            return nomem(err);
        x->is_default = 1;
    }
    if (!(x = add_item(m, "needs", "needs")))
        return nomem(err);
    x->is_default = 1;
    const mg_poverty_spec *pov = p->poverty;
    if (!(x = add_item(m, "poverty", "poverty")))
        return nomem(err);
    x->is_default = 1;
    x->poverty_grades = pov != NULL;
    if (pov && !(x->level = strdup(pov->level)))
        return nomem(err);
    for (size_t i = 0; pov && pov->maps_per_dimension && i < pov->n_dimensions;
         i++) {
        const char *dim = pov->dimensions[i].name;
        char name[96], text[160];
        snprintf(name, sizeof name, "poverty-%s", dim);
        for (char *c = name; *c; c++)
            if (*c == '_')
                *c = '-';
        if (!(x = add_item(m, name, "poverty")))
            return nomem(err);
        x->is_default = 1;
        x->poverty_grades = 1;
        snprintf(text, sizeof text, "dim_%s_grade", dim);
        x->field = strdup(text);
        snprintf(text, sizeof text, "Poverty: the %s dimension", dim);
        x->title = strdup(text);
        snprintf(text, sizeof text, "Grade of the %s dimension", dim);
        x->legend_title = strdup(text);
        x->level = strdup(pov->level);
        if (!x->field || !x->title || !x->legend_title || !x->level)
            return nomem(err);
    }
    return maps_add_period_items(m) ? nomem(err) : MG_OK;
}

/* ---- --maps ------------------------------------------------------------- */

static int in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *s = list; *s;) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == n && !strncmp(s, name, n))
            return 1;
        s += len + (e != NULL);
    }
    return 0;
}

/* Keeps the maps --maps names (and the base); an unknown name is a usage
 * error that lists the maps there are. */
static int select_maps(mg_maps *m, mg_error *err)
{
    const char *list = m->opt.only;
    for (const char *s = list; *s;) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        int found = len == 0;
        for (size_t i = 0; i < m->n && !found; i++)
            found = strlen(m->items[i].name) == len &&
                    !strncmp(m->items[i].name, s, len);
        if (!found) {
            char names[512] = "";
            for (size_t i = 0; i < m->n; i++) {
                strncat(names, i ? ", " : "",
                        sizeof names - strlen(names) - 1);
                strncat(names, m->items[i].name,
                        sizeof names - strlen(names) - 1);
            }
            return mg_error_set(err, MG_ERR_USAGE, NULL, -1, "--maps",
                                "no map named '%.*s'; the maps are: %s",
                                (int)len, s, names);
        }
        s += len + (e != NULL);
    }
    for (size_t i = 0; i < m->n; i++)
        m->items[i].skip =
            !m->items[i].is_base && !in_list(list, m->items[i].name);
    return MG_OK;
}

/* ---- --classify --------------------------------------------------------- */

/* Puts override c on map x's thematic layer, the first polygon layer with
 * a field (the one maps.json's "classification" reports).  A new k must
 * still fit the layer's colours and labels, or the legend would lie. */
static int classify_one(map_item *x, const mg_map_classify *c, mg_error *err)
{
    mg_style_layer *l = NULL;
    for (size_t i = 0; !l && i < x->style->n_layers; i++)
        if (x->style->layers[i].kind == MG_STYLE_POLYGONS &&
            x->style->layers[i].field)
            l = &x->style->layers[i];
    if (!l)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, "--classify",
                            "map '%s' (style %s) classifies no field",
                            x->name, x->style->path);
    int k = c->k ? c->k : l->classes;
    mg_palette pal;
    mg_error e;
    if (k != l->classes &&
        ((l->n_colours && l->n_colours != k) ||
         (l->n_labels && l->n_labels != k) ||
         (l->palette && mg_styles_find_palette(l->palette, k < 3 ? 3 : k,
                                               &pal, &e))))
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, "--classify",
                            "map '%s': %d classes do not fit the colours or "
                            "labels of %s (%s)", x->name, k, x->style->path,
                            l->json_path);
    l->method = c->method;
    l->classes = k;
    return MG_OK;
}

/* Applies --classify to the maps loaded; an unknown map is a usage error
 * that lists the maps there are (a map --maps leaves out is ignored). */
static int apply_classify(mg_maps *m, mg_error *err)
{
    for (size_t c = 0; c < m->opt.n_classify; c++) {
        const mg_map_classify *o = &m->opt.classify[c];
        map_item *x = NULL;
        for (size_t i = 0; !x && i < m->n; i++)
            if (!strcmp(m->items[i].name, o->map))
                x = &m->items[i];
        if (!x) {
            char names[512] = "";
            for (size_t i = 0; i < m->n; i++) {
                strncat(names, i ? ", " : "",
                        sizeof names - strlen(names) - 1);
                strncat(names, m->items[i].name,
                        sizeof names - strlen(names) - 1);
            }
            return mg_error_set(err, MG_ERR_USAGE, NULL, -1, "--classify",
                                "no map named '%s'; the maps are: %s",
                                o->map, names);
        }
        int rc = x->skip ? MG_OK : classify_one(x, o, err);
        if (rc)
            return rc;
    }
    return MG_OK;
}

/* ---- loading ------------------------------------------------------------ */

int mg_maps_load(const mg_project *p, const mg_map_options *opt,
                 mg_progress *progress, mg_maps **out, mg_error *err)
{
    *out = NULL;
    mg_maps *m = calloc(1, sizeof *m);
    if (!m)
        return nomem(err);
    m->p = p;
    m->opt = *opt;
    m->progress = progress;
    for (size_t i = 0; i < p->n_meta; i++)
        if (!strcmp(p->meta_keys[i], "attribution"))
            m->attribution = p->meta_values[i];
    int rc = p->maps ? add_listed(m, p->maps, err) : add_defaults(m, err);
    if (!rc && opt->only)
        rc = select_maps(m, err);
    for (size_t i = 0; !rc && i < m->n; i++)
        if (!m->items[i].skip)
            rc =
                mg_style_load(m->items[i].style_path, &m->items[i].style, err);
    if (!rc)
        rc = apply_classify(m, err);
    if (rc) {
        mg_maps_free(m);
        return rc;
    }
    *out = m;
    return MG_OK;
}

size_t mg_maps_count(const mg_maps *m)
{
    size_t n = 0;
    for (size_t i = 0; m && i < m->n; i++)
        n += !m->items[i].skip;
    return n;
}

static void item_clear(map_item *x)
{
    free(x->name);
    free(x->style_path);
    free(x->level);
    free(x->title);
    free(x->legend_title);
    free(x->field);
    mg_free_list(x->pool, x->n_pool);
    json_decref(x->extra);
    free(x->tilejson_extra);
    free(x->json_path);
    mg_style_free(x->style);
    free(x->layers);
    free(x->bands);
    for (size_t i = 0; i < x->n_fills; i++)
        free(x->fills[i]);
    free(x->fills);
    mg_legend_clear(&x->legend);
    free(x->legend_json);
    free(x->class_values);
    free(x->classes_json);
    maps_dots_clear(&x->providers);
    maps_dots_clear(&x->sites);
}

void mg_maps_free(mg_maps *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        item_clear(&m->items[i]);
    free(m->items);
    if (m->level_shapes && m->d)
        for (size_t i = 0; i < m->d->n_levels; i++)
            mg_shapes_free(m->level_shapes[i]);
    free(m->level_shapes);
    mg_shapes_free(m->providers);
    mg_shapes_free(m->site_shapes);
    free(m);
}

/* ---- shapes ------------------------------------------------------------- */

int maps_level_shapes(mg_maps *m, size_t li, const mg_shapes **out,
                      mg_error *err)
{
    if (!m->level_shapes[li]) {
        const mg_level *l = &m->d->levels[li];
        const unsigned char **wkb = calloc(l->n + 1, sizeof *wkb);
        size_t *size = calloc(l->n + 1, sizeof *size);
        int rc = wkb && size ? MG_OK : nomem(err);
        for (size_t i = 0; !rc && i < l->n; i++) {
            wkb[i] = l->regions[i].wkb;
            size[i] = l->regions[i].wkb_size;
        }
        if (!rc)
            rc = mg_shapes_new_polygons(wkb, size, l->n, &m->level_shapes[li],
                                        err);
        free(wkb);
        free(size);
        if (rc)
            return rc;
    }
    *out = m->level_shapes[li];
    return MG_OK;
}

/* Point shapes of n rows of row_size bytes, each with its longitude and
 * latitude (doubles) at byte offsets lon_at and lat_at, made into *cache
 * when first needed. */
static int point_shapes(const void *rows, size_t n, size_t row_size,
                        size_t lon_at, size_t lat_at, mg_shapes **cache,
                        const mg_shapes **out, mg_error *err)
{
    if (!*cache) {
        double *ll = malloc((2 * n + 1) * sizeof *ll);
        if (!ll)
            return nomem(err);
        for (size_t i = 0; i < n; i++) {
            const char *row = (const char *)rows + i * row_size;
            memcpy(&ll[2 * i], row + lon_at, sizeof *ll);
            memcpy(&ll[2 * i + 1], row + lat_at, sizeof *ll);
        }
        int rc = mg_shapes_new_points(ll, n, cache, err);
        free(ll);
        if (rc)
            return rc;
    }
    *out = *cache;
    return MG_OK;
}

static int provider_shapes(mg_maps *m, const mg_shapes **out, mg_error *err)
{
    return point_shapes(m->d->providers, m->d->n_providers,
                        sizeof *m->d->providers, offsetof(mg_provider, lon),
                        offsetof(mg_provider, lat), &m->providers, out, err);
}

static int site_shapes(mg_maps *m, const mg_shapes **out, mg_error *err)
{
    return point_shapes(m->sites->v, m->sites->n, sizeof *m->sites->v,
                        offsetof(mg_site, lon), offsetof(mg_site, lat),
                        &m->site_shapes, out, err);
}

/* ---- styles applied ----------------------------------------------------- */

long maps_find_level(const mg_dataset *d, const char *name)
{
    for (size_t i = 0; i < d->n_levels; i++)
        if (!strcmp(d->levels[i].level, name))
            return (long)i;
    return -1;
}

/* The level a style layer draws, or -1 when it has none to draw
 * ("parent_regions" at the top level). */
static int layer_level(mg_maps *m, map_item *x, const mg_style_layer *sl,
                       long *out, mg_error *err)
{
    *out = (long)x->level_index;
    if (!strcmp(sl->source, "regions"))
        return MG_OK;
    if (!strcmp(sl->source, "parent_regions")) {
        *out = x->level_index + 1 < m->d->n_levels ? (long)x->level_index + 1
                                                   : -1;
        return MG_OK;
    }
    *out = maps_find_level(m->d, sl->source + 8);
    if (*out < 0) {
        char path[300];
        snprintf(path, sizeof path, "%s.layer", sl->json_path);
        return mg_error_set(err, MG_ERR_PROJECT, x->style->path, -1, path,
                            "the data has no level '%s'", sl->source + 8);
    }
    return MG_OK;
}

/* A poverty map: grades 1..k of the project's spec (default 5), named. */
static void set_grades(mg_maps *m, mg_style_layer *sl)
{
    const mg_poverty_spec *pov = m->p->poverty;
    int k = pov && pov->grade_classes > 0 ? pov->grade_classes : 5;
    if (k == sl->classes && sl->method == MG_CLASS_FIXED)
        return;
    for (int i = 0; i < sl->n_labels; i++)
        free(sl->labels[i]);
    sl->n_labels = 0;
    sl->n_colours = 0;
    sl->method = MG_CLASS_FIXED;
    sl->classes = k;
    for (int i = 0; i + 1 < k; i++)
        sl->breaks[i] = i + 1;
}

int maps_colour_polygons(mg_maps *m, map_item *x, const mg_style_layer *sl,
                         size_t li, mg_rgba **fill, mg_breaks *breaks,
                         mg_error *err)
{
    const mg_level *l = &m->d->levels[li];
    *fill = calloc(l->n + 1, sizeof **fill);
    if (!*fill)
        return nomem(err);
    if (!sl->field) {
        for (size_t i = 0; i < l->n; i++)
            (*fill)[i] = sl->fill;
        return MG_OK;
    }
    double *v = malloc((l->n + 1) * sizeof *v);
    if (!v)
        return nomem(err);
    int rc = mg_level_get_values(l, &m->p->model, sl->field, v);
    if (rc) {
        char path[300];
        snprintf(path, sizeof path, "%s.field", sl->json_path);
        free(v);
        return mg_error_set(err, MG_ERR_PROJECT, x->style->path, -1, path,
                            "no field '%s' in level '%s' (layer '%s'); "
                            "docs/outputs.md lists the fields",
                            sl->field, l->level, sl->source);
    }
    char note[256];
    mg_breaks own, *b = breaks ? breaks : &own;
    rc = mg_style_colour_values(x->style, sl, v, l->n, *fill, b, &x->legend,
                                note, sizeof note, err);
    /* The first classified layer is the map's theme. */
    if (!rc && !x->has_classes &&
        maps_record_classes(m->d, x, sl, li, v, b) != MG_OK)
        rc = nomem(err);
    free(v);
    if (!rc && note[0])
        mg_progress_say(m->progress, "map %s: %s", x->name, note);
    return rc;
}

static int colour_points(mg_maps *m, map_item *x, const mg_style_layer *sl,
                         mg_rgba **fill, mg_error *err)
{
    const mg_dataset *d = m->d;
    const mg_model_spec *model = &m->p->model;
    *fill = calloc(d->n_providers + 1, sizeof **fill);
    const char **vals = calloc(d->n_providers + 1, sizeof *vals);
    if (!*fill || !vals) {
        free(vals);
        return nomem(err);
    }
    int raw = sl->field && !strcmp(sl->field, "category_source");
    if (sl->field && !raw && strcmp(sl->field, "category") != 0) {
        char path[300];
        snprintf(path, sizeof path, "%s.field", sl->json_path);
        free(vals);
        return mg_error_set(err, MG_ERR_PROJECT, x->style->path, -1, path,
                            "providers are coloured by \"category\" or "
                            "\"category_source\" (got '%s')",
                            sl->field);
    }
    for (size_t i = 0; i < d->n_providers; i++) {
        const mg_provider *pr = &d->providers[i];
        vals[i] = raw                 ? pr->category_raw
                  : pr->category >= 0 ? model->categories[pr->category]
                                      : NULL;
    }
    int rc = mg_style_colour_categories(x->style, sl, vals, d->n_providers,
                                        (const char *const *)model->categories,
                                        model->n_categories, *fill, &x->legend,
                                        err);
    if (!rc && maps_record_dots(&x->providers, sl, vals, *fill,
                                d->n_providers))
        rc = nomem(err);
    free(vals);
    return rc;
}

/* A sites layer's "field" is checked whether or not the run has sites, so
 * that a style's mistake shows on the first run, not the first with
 * siting. */
static int check_site_field(const map_item *x, const mg_style_layer *sl,
                            mg_error *err)
{
    if (!sl->field || !strcmp(sl->field, "category") ||
        !strcmp(sl->field, "method"))
        return MG_OK;
    char path[300];
    snprintf(path, sizeof path, "%s.field", sl->json_path);
    return mg_error_set(err, MG_ERR_PROJECT, x->style->path, -1, path,
                        "sites are coloured by \"category\" or \"method\" "
                        "(got '%s'); leave 'field' out for one colour",
                        sl->field);
}

/* The recommended sites, one dot per row of the layer "sites" (the rows
 * of every method the project ran): by category, by method or, without a
 * field, in one colour with the legend entry "Recommended site". */
static int colour_sites(mg_maps *m, map_item *x, const mg_style_layer *sl,
                        mg_rgba **fill, mg_error *err)
{
    static const char *const methods[] = {"mclp", "pmedian"};
    const mg_sites *s = m->sites;
    const mg_model_spec *model = &m->p->model;
    int by_method = sl->field && !strcmp(sl->field, "method");
    *fill = calloc(s->n + 1, sizeof **fill);
    const char **vals = calloc(s->n + 1, sizeof *vals);
    if (!*fill || !vals) {
        free(vals);
        return nomem(err);
    }
    for (size_t i = 0; i < s->n; i++)
        vals[i] = by_method ? s->v[i].method : s->v[i].category;
    const char *const *known =
        by_method ? methods : (const char *const *)model->categories;
    size_t n_known = by_method ? 2 : model->n_categories;
    int rc =
        mg_style_colour_categories(x->style, sl, vals, s->n, known, n_known,
                                   *fill, sl->field ? &x->legend : NULL, err);
    if (!rc && maps_record_dots(&x->sites, sl, vals, *fill, s->n))
        rc = nomem(err);
    free(vals);
    if (rc || sl->field || !sl->in_legend)
        return rc;
    mg_rgba edge =
        sl->outline_width > 0.0 ? sl->outline : (mg_rgba){0, 0, 0, 0};
    if (mg_legend_add_group(&x->legend, sl->legend_title) ||
        mg_legend_add_item(&x->legend, "Recommended site", sl->fill, edge,
                           MG_LEGEND_DOT))
        return nomem(err);
    return MG_OK;
}

/* 1 when the thematic field of a shipped map is missing from the data. */
static int default_missing(mg_maps *m, map_item *x)
{
    for (size_t k = 0; k < x->style->n_layers; k++) {
        const mg_style_layer *sl = &x->style->layers[k];
        if (sl->kind != MG_STYLE_POLYGONS || !sl->field)
            continue;
        const mg_level *l = &m->d->levels[x->level_index];
        double *v = malloc((l->n + 1) * sizeof *v);
        if (!v)
            return 0;
        int rc = mg_level_get_values(l, &m->p->model, sl->field, v);
        int any = 0;
        for (size_t i = 0; !rc && i < l->n && !any; i++)
            any = !isnan(v[i]);
        free(v);
        if (rc || !any)
            return 1;
    }
    return 0;
}

static int prepare_layers(mg_maps *m, map_item *x, mg_error *err)
{
    /* A layer of the map's regions or their parents becomes one render
     * layer per band (maps_bands.c). */
    size_t n = x->style->n_layers, per = x->n_bands + 1;
    x->layers = calloc(n * per + 1, sizeof *x->layers);
    x->fills = calloc(n * per + 2, sizeof *x->fills);
    if (!x->layers || !x->fills)
        return nomem(err);
    for (size_t k = 0; k < n; k++) {
        const mg_style_layer *sl = &x->style->layers[k];
        mg_render_layer *rl = &x->layers[x->n_layers];
        mg_rgba *fill = NULL;
        int rc;
        if (maps_layer_banded(x, sl)) {
            rc = maps_band_layers(m, x, sl, err);
            if (rc)
                return rc;
            continue;
        }
        if (sl->kind == MG_STYLE_POINTS && !strcmp(sl->source, "sites")) {
            rc = check_site_field(x, sl, err);
            if (!rc && (!m->sites || m->sites->n == 0))
                continue;
            if (!rc)
                rc = site_shapes(m, &rl->shapes, err);
            if (!rc)
                rc = colour_sites(m, x, sl, &fill, err);
        } else if (sl->kind == MG_STYLE_POINTS) {
            if (m->d->n_providers == 0)
                continue;
            rc = provider_shapes(m, &rl->shapes, err);
            if (!rc)
                rc = colour_points(m, x, sl, &fill, err);
        } else {
            long li;
            rc = layer_level(m, x, sl, &li, err);
            if (!rc && li < 0)
                continue;
            if (!rc)
                rc = maps_level_shapes(m, (size_t)li, &rl->shapes, err);
            if (!rc && (sl->field || sl->fill.a > 0))
                rc = maps_colour_polygons(m, x, sl, (size_t)li, &fill, NULL,
                                          err);
        }
        if (fill)
            x->fills[x->n_fills++] = fill;
        if (rc)
            return rc;
        rl->fill = fill;
        rl->outline = sl->outline;
        rl->outline_width = sl->outline_width;
        rl->radius = sl->radius;
        rl->minzoom = sl->minzoom;
        rl->maxzoom = sl->maxzoom;
        x->n_layers++;
    }
    return MG_OK;
}

/* Zooms: -z, else the map's own, else 0 to where the median region of the
 * finest level is MAPS_MEDIAN_PX wide (at most MAPS_DEFAULT_MAXZOOM_CAP). */
static int prepare_zooms(mg_maps *m, map_item *x, mg_error *err)
{
    const mg_shapes *finest;
    int rc = maps_level_shapes(m, 0, &finest, err);
    if (rc)
        return rc;
    int dz = mg_shapes_suggest_maxzoom(finest, MAPS_MEDIAN_PX, 256,
                                       MAPS_DEFAULT_MAXZOOM_CAP);
    x->z0 = m->opt.minzoom >= 0 ? m->opt.minzoom
            : x->minzoom >= 0   ? x->minzoom
                                : 0;
    x->z1 = m->opt.maxzoom >= 0 ? m->opt.maxzoom
            : x->maxzoom >= 0   ? x->maxzoom
                                : dz;
    if (x->z1 < x->z0)
        x->z1 = x->z0;
    /* Bounds: every layer's data, cut to --bbox. */
    int any = 0;
    for (size_t k = 0; k < x->n_layers; k++) {
        mg_tile_bounds b;
        if (!mg_shapes_get_bounds(x->layers[k].shapes, &b))
            continue;
        if (!any)
            x->bounds = b;
        x->bounds.west = fmin(x->bounds.west, b.west);
        x->bounds.south = fmin(x->bounds.south, b.south);
        x->bounds.east = fmax(x->bounds.east, b.east);
        x->bounds.north = fmax(x->bounds.north, b.north);
        any = 1;
    }
    if (!any)
        x->bounds = (mg_tile_bounds){-180, -85, 180, 85};
    if (m->opt.has_bbox) {
        x->bounds.west = fmax(x->bounds.west, m->opt.bbox[0]);
        x->bounds.south = fmax(x->bounds.south, m->opt.bbox[1]);
        x->bounds.east = fmin(x->bounds.east, m->opt.bbox[2]);
        x->bounds.north = fmin(x->bounds.north, m->opt.bbox[3]);
        if (!(x->bounds.west <= x->bounds.east &&
              x->bounds.south <= x->bounds.north)) {
            x->bounds = (mg_tile_bounds){m->opt.bbox[0], m->opt.bbox[1],
                                         m->opt.bbox[2], m->opt.bbox[3]};
            mg_progress_say(m->progress,
                            "warning: map %s: --bbox %g,%g,%g,%g does not "
                            "overlap the data: its tiles will be empty",
                            x->name, m->opt.bbox[0], m->opt.bbox[1],
                            m->opt.bbox[2], m->opt.bbox[3]);
        }
    }
    x->bounds.west = fmax(x->bounds.west, -180.0);
    x->bounds.east = fmin(x->bounds.east, 180.0);
    x->bounds.south = fmax(x->bounds.south, -MG_TILES_MAX_LAT);
    x->bounds.north = fmin(x->bounds.north, MG_TILES_MAX_LAT);
    return MG_OK;
}

static int prepare_item(mg_maps *m, map_item *x, mg_error *err)
{
    long li = x->level ? maps_find_level(m->d, x->level) : 0;
    if (li < 0) {
        char path[128];
        snprintf(path, sizeof path, "%s.level",
                 x->json_path ? x->json_path : "maps");
        return mg_error_set(err, MG_ERR_PROJECT, m->p->path, -1, path,
                            "the boundaries have no level '%s'", x->level);
    }
    x->level_index = (size_t)li;
    /* The thematic layer: the first polygons layer with a field. */
    for (size_t k = 0; k < x->style->n_layers; k++) {
        mg_style_layer *sl = &x->style->layers[k];
        if (sl->kind != MG_STYLE_POLYGONS || !sl->field)
            continue;
        if (x->field) {
            free(sl->field);
            if (!(sl->field = strdup(x->field)))
                return nomem(err);
        }
        if (x->poverty_grades)
            set_grades(m, sl);
        if ((x->extra || x->pool) && !(x->is_default && default_missing(m, x))) {
            int rc = maps_prepare_period_item(m, x, sl, err);
            if (rc)
                return rc;
        }
        break;
    }
    if (x->is_default && default_missing(m, x)) {
        x->skip = 1;
        if (!x->is_base)
            mg_progress_say(m->progress,
                            "map %s left out: the data has no "
                            "values for its field",
                            x->name);
        return MG_OK;
    }
    const char *title = x->title ? x->title : x->style->title;
    const char *lt = x->legend_title          ? x->legend_title
                     : x->style->legend_title ? x->style->legend_title
                                              : title;
    int rc = mg_legend_set_title(&x->legend, lt) ? nomem(err) : MG_OK;
    if (!rc)
        rc = maps_prepare_bands(m, x, err);
    if (!rc)
        rc = prepare_layers(m, x, err);
    if (!rc)
        rc = prepare_zooms(m, x, err);
    if (!rc && !(x->legend_json = mg_legend_to_json(&x->legend)))
        rc = nomem(err);
    if (!rc && maps_period_tilejson(m, x))
        rc = nomem(err);
    return rc;
}

int mg_maps_prepare(mg_maps *m, const mg_dataset *d, const mg_sites *sites,
                    mg_error *err)
{
    m->d = d;
    m->sites = sites;
    m->level_shapes = calloc(d->n_levels + 1, sizeof *m->level_shapes);
    if (!m->level_shapes)
        return nomem(err);
    for (size_t i = 0; i < m->n; i++) {
        if (m->items[i].skip)
            continue;
        int rc = prepare_item(m, &m->items[i], err);
        if (rc)
            return rc;
    }
    return MG_OK;
}
