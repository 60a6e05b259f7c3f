/*
 * The viewer's per-region files (docs/viewer.md, "Per-region data"):
 * regions/index.json (levels, categories, downloads) and
 * regions/<level>.json, one entry per region with its code, name, parent,
 * a label point, a simplified outline in lon/lat and its figures.  The
 * page reads them lazily to identify, highlight, search and label regions;
 * any static server can serve them.  Deterministic: regions in the data's
 * order, coordinates rounded to 1e-4 degree (about 10 m).
 */
#include "internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nomem(mg_error *err)
{
    return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
}

/* 1e-4 degree: finer than a pixel at the zooms the page shows outlines. */
static double round4(double v)
{
    return round(v * 1e4) / 1e4;
}

/* A number, or null for NAN (unknown); whole numbers without ".0". */
static json_t *num(double v)
{
    if (!isfinite(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 1e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

/* ---- figures ------------------------------------------------------------ */

/* The names of a level's figures, in the order of each region's "values":
 * population and area, need/supply/gap/coverage/providers per category and
 * total, the rate of the gap, then the columns later stages added. */
static json_t *figure_names(const mg_level *l, const mg_model_spec *m)
{
    static const char *const per_cat[] = {"need_", "supply_", "gap_",
                                          "coverage_", "providers_",
                                          "gap_per10k_"};
    json_t *names = json_pack("[s,s]", "population", "area_km2");
    char field[160];
    for (size_t k = 0; names && k < sizeof per_cat / sizeof *per_cat; k++)
        for (size_t c = 0; c <= m->n_categories; c++) {
            mg_field_name(field, sizeof field, per_cat[k],
                          c < m->n_categories ? m->categories[c] : "total");
            json_array_append_new(names, json_string(field));
        }
    for (size_t i = 0; names && i < l->n_columns; i++)
        json_array_append_new(names, json_string(l->columns[i].name));
    return names;
}

/* Adds the thematic field of each map of level li that names lacks (a
 * rate such as supply_per10k_total), so the panel can show it first. */
static void add_map_fields(json_t *names, const mg_maps *maps, size_t li)
{
    for (size_t i = 0; names && maps && i < maps->n; i++) {
        const map_item *x = &maps->items[i];
        if (x->skip || x->is_base || x->level_index != li)
            continue;
        for (size_t k = 0; k < x->style->n_layers; k++) {
            const mg_style_layer *sl = &x->style->layers[k];
            if (sl->kind != MG_STYLE_POLYGONS || !sl->field)
                continue;
            size_t j = 0, n = json_array_size(names);
            while (j < n && strcmp(json_string_value(json_array_get(names, j)),
                                   sl->field) != 0)
                j++;
            if (j == n)
                json_array_append_new(names, json_string(sl->field));
            break;
        }
    }
}

/* values[f * l->n + i]: figure f of region i, through mg_level_get_values()
 * so the figures are those of the GeoPackage. */
static double *figure_values(const mg_level *l, const mg_model_spec *m,
                             json_t *names)
{
    size_t nf = json_array_size(names);
    double *v = malloc((nf * l->n + 1) * sizeof *v);
    for (size_t f = 0; v && f < nf; f++) {
        const char *name = json_string_value(json_array_get(names, f));
        if (mg_level_get_values(l, m, name, v + f * l->n) != MG_OK)
            for (size_t i = 0; i < l->n; i++)
                v[f * l->n + i] = NAN;
    }
    return v;
}

/* ---- outlines ----------------------------------------------------------- */

/* A ring as a flat [x0, y0, x1, y1, ...] array. */
static json_t *ring_json(GEOSContextHandle_t h, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    json_t *a = json_array();
    if (!cs || !a || !GEOSCoordSeq_getSize_r(h, cs, &n)) {
        json_decref(a);
        return NULL;
    }
    for (unsigned int i = 0; i < n; i++) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(h, cs, i, &x, &y);
        json_array_append_new(a, json_real(round4(x)));
        json_array_append_new(a, json_real(round4(y)));
    }
    return a;
}

/* A (multi)polygon as [[outer, hole, ...], ...] of flat rings. */
static json_t *outline_json(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    json_t *polys = json_array();
    int np = GEOSGetNumGeometries_r(h, g);
    for (int p = 0; polys && p < np; p++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, g, p);
        if (GEOSGeomTypeId_r(h, poly) != GEOS_POLYGON)
            continue;
        json_t *rings = json_array();
        json_array_append_new(rings,
                              ring_json(h, GEOSGetExteriorRing_r(h, poly)));
        int nh = GEOSGetNumInteriorRings_r(h, poly);
        for (int k = 0; k < nh; k++)
            json_array_append_new(
                rings, ring_json(h, GEOSGetInteriorRingN_r(h, poly, k)));
        json_array_append_new(polys, rings);
    }
    return polys;
}

/* The label point: the centre of the largest circle inside the region
 * (a point well inside even a crescent-shaped one), and that circle's
 * radius in degrees, which tells the page from which zoom a name fits. */
static void label_point(GEOSContextHandle_t h, const GEOSGeometry *g,
                        double tol, double *x, double *y, double *r)
{
    *x = *y = *r = NAN;
    GEOSGeometry *line = GEOSMaximumInscribedCircle_r(h, g, tol);
    const GEOSCoordSequence *cs =
        line ? GEOSGeom_getCoordSeq_r(h, line) : NULL;
    double x1 = 0, y1 = 0;
    if (cs && GEOSCoordSeq_getXY_r(h, cs, 0, x, y) &&
        GEOSCoordSeq_getXY_r(h, cs, 1, &x1, &y1))
        *r = hypot(x1 - *x, y1 - *y);
    if (line)
        GEOSGeom_destroy_r(h, line);
}

/* 1 when a region's box is finite and within lon/lat range (with a degree
 * to spare): the readers check this (geodata/input/coords.c), but GEOS's
 * simplification and inscribed-circle search loop in proportion to the
 * extent, so a box they did not stop is not trusted here. */
static int lonlat_box_ok(double x0, double y0, double x1, double y1)
{
    return isfinite(x0) && isfinite(y0) && isfinite(x1) && isfinite(y1) &&
           x0 >= -181.0 && x1 <= 181.0 && y0 >= -91.0 && y1 <= 91.0;
}

/* The geometry keys of one region's entry: bbox, label, outline. */
static void add_geometry(mg_geom *gm, const mg_region *r, double tol,
                         json_t *o)
{
    GEOSContextHandle_t h = gm->h;
    GEOSGeometry *g =
        r->wkb ? mg_geom_from_wkb(gm, r->wkb, r->wkb_size) : NULL;
    GEOSGeometry *s = g ? GEOSTopologyPreserveSimplify_r(h, g, tol) : NULL;
    double x0, y0, x1, y1, lx, ly, lr;
    if (s && !GEOSisEmpty_r(h, s) && GEOSGeom_getXMin_r(h, g, &x0) &&
        GEOSGeom_getYMin_r(h, g, &y0) && GEOSGeom_getXMax_r(h, g, &x1) &&
        GEOSGeom_getYMax_r(h, g, &y1) && lonlat_box_ok(x0, y0, x1, y1)) {
        /* GEOS's inscribed-circle search refines cells down to tol: a tol
         * far below the region's size (one huge region in a level of small
         * ones) is floored at a millionth of it, so the search stays
         * bounded. */
        double span = fmax(x1 - x0, y1 - y0);
        if (!(tol >= span * 1e-6))
            tol = span * 1e-6;
        json_object_set_new(o, "bbox",
                            json_pack("[f,f,f,f]", round4(x0), round4(y0),
                                      round4(x1), round4(y1)));
        /* On the outline the page draws: a tenth of the vertices, so
         * GEOS's distance sweeps cost a tenth (a third of a small run's
         * time was spent here), and the circle lies inside what is seen. */
        label_point(h, s, tol, &lx, &ly, &lr);
        if (isfinite(lx) && isfinite(ly))
            json_object_set_new(o, "label",
                                json_pack("[f,f,f]", round4(lx), round4(ly),
                                          round4(lr)));
        json_object_set_new(o, "outline", outline_json(h, s));
    }
    if (s)
        GEOSGeom_destroy_r(h, s);
    if (g)
        GEOSGeom_destroy_r(h, g);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The simplification tolerance of a level: a 50th of the median region's
 * size (the square root of its area in degrees), so small communes keep
 * their shape and the file stays small. */
static double level_tolerance(const mg_level *l)
{
    double *s = malloc((l->n + 1) * sizeof *s);
    if (!s)
        return NAN; /* out of memory */
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (isfinite(l->regions[i].area_km2) && l->regions[i].area_km2 > 0)
            s[n++] = sqrt(l->regions[i].area_km2) / 111.0; /* km -> deg */
    double tol = 1e-3;
    if (n > 0) {
        qsort(s, n, sizeof *s, cmp_double);
        tol = s[n / 2] / 50.0;
    }
    free(s);
    return tol;
}

/* ---- the colours of the maps ------------------------------------------------ */

/* For each map drawn on level li: the fill of each region as an index into
 * a palette of "#rrggbb" colours, {"<map>": {"palette": [...], "index":
 * [...]}}, so the page can highlight the regions of a legend class (its
 * entry has the same colour).  The fill is that of the map's first
 * coloured layer of this level's shapes. */
static json_t *map_colours(const mg_maps *m, size_t li)
{
    json_t *out = json_object();
    const mg_level *l = &m->d->levels[li];
    for (size_t i = 0; out && i < m->n; i++) {
        const map_item *x = &m->items[i];
        const mg_rgba *fill = NULL;
        for (size_t k = 0; !x->skip && !x->is_base && !fill &&
                           k < x->n_layers;
             k++)
            if (x->layers[k].fill && m->level_shapes &&
                x->layers[k].shapes == m->level_shapes[li])
                fill = x->layers[k].fill;
        if (!fill)
            continue;
        json_t *palette = json_array(), *index = json_array();
        for (size_t r = 0; palette && index && r < l->n; r++) {
            char hex[8];
            snprintf(hex, sizeof hex, "#%02x%02x%02x", fill[r].r, fill[r].g,
                     fill[r].b);
            size_t at = 0, np = json_array_size(palette);
            while (at < np && strcmp(json_string_value(
                                         json_array_get(palette, at)),
                                     hex) != 0)
                at++;
            if (at == np)
                json_array_append_new(palette, json_string(hex));
            json_array_append_new(index, json_integer((json_int_t)at));
        }
        json_object_set_new(out, x->name,
                            json_pack("{s:o, s:o}", "palette", palette,
                                      "index", index));
    }
    return out;
}

/* ---- the files ---------------------------------------------------------- */

/* One region's entry of regions/<level>.json. */
static json_t *region_json(mg_geom *gm, const mg_dataset *d, size_t li,
                           size_t i, double tol)
{
    const mg_level *l = &d->levels[li];
    const mg_region *r = &l->regions[i];
    const mg_region *pr = r->parent >= 0 && li + 1 < d->n_levels
                              ? &d->levels[li + 1].regions[r->parent]
                              : NULL;
    json_t *o = json_pack("{s:s, s:s}", "code", r->code ? r->code : "",
                          "name", r->name ? r->name : "");
    if (!o)
        return NULL;
    /* As the GeoPackage's parent_code: as the source writes it. */
    if (r->parent_code || pr)
        json_object_set_new(o, "parent_code",
                            json_string(r->parent_code ? r->parent_code
                                                       : pr->code));
    if (pr && pr->name)
        json_object_set_new(o, "parent_name", json_string(pr->name));
    /* The parent's place in regions/<parent level>.json: codes as written
     * may differ ("01" here, 1 there), the index does not. */
    if (pr)
        json_object_set_new(o, "parent", json_integer(r->parent));
    add_geometry(gm, r, tol, o);
    return o;
}

/* regions/<level>-figures.json: {"level", "fields", "values": [[one
 * per field] per region]}, read when a region is first identified. */
static json_t *figures_json(const mg_dataset *d, const mg_maps *maps,
                            size_t li)
{
    const mg_level *l = &d->levels[li];
    json_t *names = figure_names(l, &d->project->model);
    add_map_fields(names, maps, li);
    double *values = names ? figure_values(l, &d->project->model, names)
                           : NULL;
    size_t nf = json_array_size(names);
    json_t *all = json_array();
    for (size_t i = 0; all && values && i < l->n; i++) {
        json_t *v = json_array();
        for (size_t f = 0; v && f < nf; f++)
            json_array_append_new(v, num(values[f * l->n + i]));
        json_array_append_new(all, v);
    }
    int ok = values && all;
    free(values);
    json_t *doc = ok ? json_pack("{s:s, s:O, s:O}", "level",
                                 l->level, "fields", names, "values", all)
                       : NULL;
    json_decref(names);
    json_decref(all);
    return doc;
}

/* regions/<level>.json: names, label points, outlines, map colours. */
static json_t *level_json(mg_geom *gm, const mg_dataset *d,
                          const mg_maps *maps, size_t li)
{
    const mg_level *l = &d->levels[li];
    double tol = level_tolerance(l);
    if (isnan(tol))
        return NULL;
    json_t *regions = json_array();
    json_t *doc = json_pack("{s:s, s:s?, s:f}", "level", l->level,
                            "parent_level",
                            li + 1 < d->n_levels ? d->levels[li + 1].level
                                                 : NULL,
                            "tolerance", tol);
    int ok = doc && regions;
    for (size_t i = 0; ok && i < l->n; i++) {
        json_t *o = region_json(gm, d, li, i, tol);
        ok = o && json_array_append_new(regions, o) == 0;
    }
    if (ok && maps)
        ok = json_object_set_new(doc, "colors", map_colours(maps, li)) == 0;
    if (ok && json_object_set_new(doc, "regions", regions) == 0)
        regions = NULL;
    else
        ok = 0;
    json_decref(regions);
    if (!ok)
        json_decref(doc);
    return ok ? doc : NULL;
}

/* Stages dir/name in set (refusing an existing one without force) and
 * writes doc there, compact, with a final newline. */
static int stage_json(mg_outset *set, const char *dir, const char *name,
                      json_t *doc, int force, mg_error *err)
{
    char *final = path_join(dir, name, NULL);
    /* 7 significant digits: 1e-4 degree in coordinates, and more than the
     * page shows of any figure (the GeoPackage keeps them all). */
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                           JSON_REAL_PRECISION(7))
                     : NULL;
    int rc = final && text ? MG_OK : nomem(err);
    const char *tmp = NULL;
    if (!rc && !force && path_exists(final))
        rc = mg_error_set(err, MG_ERR_OUTPUT, final, -1, NULL,
                          "already exists; pass --force to replace it");
    if (!rc && !(tmp = mg_outset_add(set, final, err)))
        rc = err->code;
    if (!rc) {
        FILE *f = fopen(tmp, "wb");
        int ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF;
        if (f && fclose(f) != 0)
            ok = 0;
        if (!ok)
            rc = mg_error_errno(err, MG_ERR_OUTPUT, tmp, "cannot write");
    }
    free(text);
    free(final);
    return rc;
}

/* The recommended sites, for the county report page. */
static json_t *sites_json(const mg_sites *sites)
{
    json_t *a = json_array();
    for (size_t i = 0; a && sites && i < sites->n; i++) {
        const mg_site *t = &sites->v[i];
        json_t *o = json_pack(
            "{s:s, s:s, s:i, s:s?, s:s?, s:s?, s:s?, s:f, s:f, s:o, s:I}",
            "method", t->method, "category", t->category, "rank", t->rank,
            "candidate", t->candidate, "name", t->name, "region_code",
            t->region_code, "region_name", t->region_name, "lon",
            round4(t->lon), "lat", round4(t->lat), "need_covered",
            num(t->need_covered), "regions_served",
            (json_int_t)t->regions_served);
        json_array_append_new(a, o);
    }
    return a;
}

/* regions/index.json: what the page loads first. */
static json_t *index_json(const mg_dataset *d, const mg_sites *sites,
                          const char *const *downloads, size_t n_downloads)
{
    const mg_model_spec *m = &d->project->model;
    json_t *cats = json_array();
    for (size_t c = 0; cats && c < m->n_categories; c++) {
        char field[160];
        mg_field_name(field, sizeof field, "", m->categories[c]);
        json_array_append_new(cats, json_pack("{s:s, s:s}", "name", field,
                                              "title", m->categories[c]));
    }
    json_t *levels = json_array();
    for (size_t li = 0; levels && li < d->n_levels; li++) {
        char file[160], figures[160];
        snprintf(file, sizeof file, "regions/%s.json", d->levels[li].level);
        snprintf(figures, sizeof figures, "regions/%s-figures.json",
                 d->levels[li].level);
        json_array_append_new(
            levels, json_pack("{s:s, s:s?, s:s, s:s, s:I}", "level",
                              d->levels[li].level, "parent_level",
                              li + 1 < d->n_levels ? d->levels[li + 1].level
                                                   : NULL,
                              "file", file, "figures", figures, "regions",
                              (json_int_t)d->levels[li].n));
    }
    json_t *dl = json_array();
    for (size_t k = 0; dl && k < n_downloads; k++)
        json_array_append_new(dl, json_string(downloads[k]));
    return json_pack("{s:s, s:o, s:o, s:o, s:o}", "format",
                     "mapgen-regions 1", "categories", cats, "levels", levels,
                     "downloads", dl, "sites", sites_json(sites));
}

int mg_regions_stage(mg_outset *set, const mg_dataset *d,
                     const mg_maps *maps, const char *dir,
                     const char *const *downloads, size_t n_downloads,
                     int force, mg_error *err)
{
    mg_geom gm;
    memset(&gm, 0, sizeof gm);
    if (mg_geom_init(&gm) != 0)
        return nomem(err);
    json_t *index =
        index_json(d, maps ? maps->sites : NULL, downloads, n_downloads);
    int rc = stage_json(set, dir, "regions/index.json", index, force, err);
    json_decref(index);
    for (size_t li = 0; !rc && li < d->n_levels; li++) {
        char name[160];
        snprintf(name, sizeof name, "regions/%s.json", d->levels[li].level);
        json_t *doc = level_json(&gm, d, maps, li);
        rc = stage_json(set, dir, name, doc, force, err);
        json_decref(doc);
        snprintf(name, sizeof name, "regions/%s-figures.json",
                 d->levels[li].level);
        doc = rc ? NULL : figures_json(d, maps, li);
        if (!rc)
            rc = stage_json(set, dir, name, doc, force, err);
        json_decref(doc);
    }
    mg_geom_clear(&gm);
    return rc;
}
