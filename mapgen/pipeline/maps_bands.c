/*
 * Levels by zoom (docs/rendering.md): a map draws each boundary level over
 * the zooms where its regions are big enough to see, the coarsest at the
 * lowest zooms, with the parent level's outlines over it.  Besides being
 * the readable map, this keeps sub-pixel villages out of low-zoom tiles:
 * a zoom builds and simplifies only the levels its bands draw.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nomem(mg_error *err)
{
    return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
}

/* The layer whose field the map shows: the first polygons layer of the
 * map's regions with a field, or NULL. */
static const mg_style_layer *thematic_layer(const map_item *x)
{
    for (size_t k = 0; k < x->style->n_layers; k++) {
        const mg_style_layer *sl = &x->style->layers[k];
        if (sl->kind == MG_STYLE_POLYGONS && sl->field &&
            !strcmp(sl->source, "regions"))
            return sl;
    }
    return NULL;
}

/* 1 when level li has some value of the map's field (or the map shows no
 * field): a level without one is left out of the default bands, so a map
 * of a figure only the finest level has stays on that level. */
static int level_has_field(mg_maps *m, const map_item *x, size_t li)
{
    const mg_style_layer *sl = thematic_layer(x);
    if (!sl)
        return 1;
    const mg_level *l = &m->d->levels[li];
    double *v = malloc((l->n + 1) * sizeof *v);
    if (!v)
        return -1;
    int rc = mg_level_get_values(l, &m->p->model, sl->field, v);
    int any = 0;
    for (size_t i = 0; !rc && i < l->n && !any; i++)
        any = !isnan(v[i]);
    free(v);
    return any;
}

/* Bands from the median region size: level li draws from the zoom where
 * its median region is MAPS_LEVEL_PX wide up to where the next finer
 * level's does; the coarsest drawn level goes down to zoom 0.  A parent
 * level whose regions are no bigger (in pixels) than its children's, or
 * that has no geometry or no value of the map's field, is skipped. */
static int default_bands(mg_maps *m, map_item *x, mg_error *err)
{
    int start = MG_TILES_MAX_ZOOM + 1;
    for (size_t li = x->level_index; li < m->d->n_levels; li++) {
        const mg_shapes *s;
        mg_tile_bounds b;
        int rc = maps_level_shapes(m, li, &s, err);
        if (rc)
            return rc;
        int has = li == x->level_index ? 1 : level_has_field(m, x, li);
        if (has < 0)
            return nomem(err);
        if (!has || !mg_shapes_get_bounds(s, &b))
            continue;
        int z = mg_shapes_suggest_maxzoom(s, MAPS_LEVEL_PX, 256,
                                          MG_TILES_MAX_ZOOM);
        if (x->n_bands > 0 && z >= start)
            continue;
        x->bands[x->n_bands++] = (map_band){li, z, start - 1};
        start = z;
    }
    if (x->n_bands > 0)
        x->bands[x->n_bands - 1].z0 = 0;
    return MG_OK;
}

static int by_level(const void *a, const void *b)
{
    const map_band *x = a, *y = b;
    return (x->level > y->level) - (x->level < y->level);
}

/* The map entry's "levels", each level looked up in the data; finest
 * first, as the default's. */
static int listed_bands(mg_maps *m, map_item *x, mg_error *err)
{
    for (size_t k = 0; k < x->n_band_spec; k++) {
        const mg_map_band_spec *b = &x->band_spec[k];
        long li = maps_find_level(m->d, b->level);
        if (li < 0) {
            char path[160];
            snprintf(path, sizeof path, "%s.levels[%zu].level",
                     x->json_path ? x->json_path : "maps", k);
            return mg_error_set(err, MG_ERR_PROJECT, m->p->path, -1, path,
                                "the boundaries have no level '%s'",
                                b->level);
        }
        x->bands[x->n_bands++] = (map_band){(size_t)li, b->minzoom,
                                            b->maxzoom};
    }
    qsort(x->bands, x->n_bands, sizeof *x->bands, by_level);
    return MG_OK;
}

/* "map needs: levels by zoom: county 0-6, uat 7+" on stderr, coarsest
 * first, when the map draws more than one level. */
static void say_bands(mg_maps *m, const map_item *x)
{
    char text[512] = "";
    size_t len = 0;
    for (size_t k = x->n_bands; k-- > 0 && len < sizeof text;) {
        const map_band *b = &x->bands[k];
        const char *name = m->d->levels[b->level].level;
        len += (size_t)(b->z1 >= MG_TILES_MAX_ZOOM
                            ? snprintf(text + len, sizeof text - len,
                                       "%s%s %d+", len ? ", " : "", name,
                                       b->z0)
                            : snprintf(text + len, sizeof text - len,
                                       "%s%s %d-%d", len ? ", " : "", name,
                                       b->z0, b->z1));
    }
    if (x->n_bands > 1 && !x->is_base)
        mg_progress_say(m->progress, "map %s: levels by zoom: %s", x->name,
                        text);
}

int maps_prepare_bands(mg_maps *m, map_item *x, mg_error *err)
{
    size_t n = x->n_band_spec ? x->n_band_spec : m->d->n_levels;
    x->bands = calloc(n + 1, sizeof *x->bands);
    if (!x->bands)
        return nomem(err);
    x->n_bands = 0;
    int rc = x->n_band_spec ? listed_bands(m, x, err)
                            : default_bands(m, x, err);
    if (!rc)
        say_bands(m, x);
    return rc;
}

int maps_layer_banded(const map_item *x, const mg_style_layer *sl)
{
    if (sl->kind != MG_STYLE_POLYGONS || x->n_bands == 0)
        return 0;
    return !strcmp(sl->source, "regions") ||
           (!strcmp(sl->source, "parent_regions") && !sl->field);
}

/* The colours of level li: the map's own level's (thematic, classified
 * once) or the same breaks applied to li's values. */
static int band_fill(mg_maps *m, map_item *x, const mg_style_layer *sl,
                     size_t li, const mg_breaks *br, mg_rgba **out,
                     mg_error *err)
{
    *out = NULL;
    if (li == x->level_index)
        return MG_OK; /* own: registered already */
    const mg_level *l = &m->d->levels[li];
    double *v = malloc((l->n + 1) * sizeof *v);
    mg_rgba *fill = calloc(l->n + 1, sizeof *fill);
    int rc = v && fill ? MG_OK : nomem(err);
    if (!rc && mg_level_get_values(l, &m->p->model, sl->field, v)) {
        char path[300];
        snprintf(path, sizeof path, "%s.field", sl->json_path);
        rc = mg_error_set(err, MG_ERR_PROJECT, x->style->path, -1, path,
                          "no field '%s' in level '%s', which the map "
                          "draws at zooms of its \"levels\"",
                          sl->field, l->level);
    }
    if (!rc)
        rc = mg_style_colour_with_breaks(x->style, sl, br, v, l->n, fill,
                                         err);
    free(v);
    if (rc) {
        free(fill);
        return rc;
    }
    *out = fill;
    return MG_OK;
}

/* One render layer of sl for band bd, or none when the band's zooms miss
 * the layer's or (parent outlines) the band's level is the top. */
static int band_layer(mg_maps *m, map_item *x, const mg_style_layer *sl,
                      const map_band *bd, const mg_breaks *br, mg_rgba *own,
                      mg_error *err)
{
    int parent = !strcmp(sl->source, "parent_regions");
    size_t li = bd->level + (parent ? 1 : 0);
    int z0 = sl->minzoom > bd->z0 ? sl->minzoom : bd->z0;
    int z1 = sl->maxzoom < bd->z1 ? sl->maxzoom : bd->z1;
    if (li >= m->d->n_levels || z0 > z1)
        return MG_OK;
    mg_render_layer *rl = &x->layers[x->n_layers];
    mg_rgba *fill = NULL;
    int rc = maps_level_shapes(m, li, &rl->shapes, err);
    if (!rc && sl->field)
        rc = band_fill(m, x, sl, li, br, &fill, err);
    else if (!rc && sl->fill.a > 0)
        rc = maps_colour_polygons(m, x, sl, li, &fill, NULL, err);
    if (fill)
        x->fills[x->n_fills++] = fill;
    if (rc)
        return rc;
    rl->fill = sl->field && li == x->level_index ? own : fill;
    rl->outline = sl->outline;
    rl->outline_width = sl->outline_width;
    rl->radius = sl->radius;
    rl->minzoom = z0;
    rl->maxzoom = z1;
    x->n_layers++;
    return MG_OK;
}

int maps_band_layers(mg_maps *m, map_item *x, const mg_style_layer *sl,
                     mg_error *err)
{
    mg_breaks br = {0};
    mg_rgba *own = NULL;
    if (sl->field) {
        /* The legend and the classes are those of the map's own level. */
        int rc = maps_colour_polygons(m, x, sl, x->level_index, &own, &br,
                                      err);
        if (own)
            x->fills[x->n_fills++] = own;
        if (rc)
            return rc;
    }
    for (size_t b = 0; b < x->n_bands; b++) {
        int rc = band_layer(m, x, sl, &x->bands[b], &br, own, err);
        if (rc)
            return rc;
    }
    return MG_OK;
}
