/*
 * The maps' outputs: each map's tiles into its three stores, its legend
 * image, and maps.json for the viewer; progress on stderr while tiles
 * render and a summary per zoom after each map.
 */
#include "internal.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int nomem(mg_error *err)
{
    return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
}

/* ---- files -------------------------------------------------------------- */

static int write_file(const char *path, const void *data, size_t n,
                      mg_error *err)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        return mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                            "cannot write the file");
    return MG_OK;
}

/* Stages a file in set under final dir/name and writes data to it. */
static int stage_file(mg_outset *set, const char *dir, const char *name,
                      const void *data, size_t n, mg_error *err)
{
    char *final = path_join(dir, name, NULL);
    if (!final)
        return nomem(err);
    const char *tmp = mg_outset_add(set, final, err);
    free(final);
    return tmp ? write_file(tmp, data, n, err) : err->code;
}

/* Refuses to start when an output of the maps exists and neither --force
 * nor --resume allows replacing it. */
static int check_outputs(const mg_maps *m, const char *dir, mg_error *err)
{
    if (m->opt.force || m->opt.resume)
        return MG_OK;
    for (size_t i = 0; i <= m->n; i++) {
        char *paths[3] = {NULL, NULL, NULL};
        if (i == m->n) {
            paths[0] = path_join(dir, "maps.json", NULL);
        } else if (!m->items[i].skip) {
            const char *nm = m->items[i].name;
            if (m->opt.stores & MG_MAPS_STORE_DIR)
                paths[0] = path_join(dir, "tiles/", nm);
            if (m->opt.stores & MG_MAPS_STORE_MBTILES)
                paths[1] = path_join(dir, nm, ".mbtiles");
            char leg[96];
            snprintf(leg, sizeof leg, "legends/%s.png", nm);
            if (!m->items[i].is_base)
                paths[2] = path_join(dir, leg, NULL);
        } else {
            continue;
        }
        int rc = MG_OK;
        for (int k = 0; k < 3 && !rc; k++)
            if (paths[k] && path_exists(paths[k]))
                rc = mg_error_set(err, MG_ERR_OUTPUT, paths[k], -1, NULL,
                                  "already exists; pass --force to replace "
                                  "it");
        for (int k = 0; k < 3; k++)
            free(paths[k]);
        if (rc)
            return rc;
    }
    return MG_OK;
}

/* ---- rendering ---------------------------------------------------------- */

static void tileset_info(const mg_maps *m, const map_item *x,
                         mg_tileset_info *info, char *url, size_t url_size)
{
    memset(info, 0, sizeof *info);
    if (m->opt.public_url) {
        snprintf(url, url_size, "%s/tiles/%s", m->opt.public_url, x->name);
        info->tiles_url = url;
    }
    info->name = x->name;
    info->title = x->title ? x->title : x->style->title;
    info->description = x->style->description;
    info->attribution = m->attribution;
    info->legend_json = x->legend_json;
    info->classes_json = x->classes_json;
    info->extra_json = x->tilejson_extra;
    info->minzoom = x->z0;
    info->maxzoom = x->z1;
    info->west = x->bounds.west;
    info->south = x->bounds.south;
    info->east = x->bounds.east;
    info->north = x->bounds.north;
    info->tile_size = m->opt.tile_size;
}

/* The MBTiles file of map x: out_dir/<map>.mbtiles, or with the
 * GeoPackage store but not the MBTiles one, the intermediate the tile
 * table is copied from. */
static char *mbtiles_path(const mg_maps *m, const map_item *x, const char *dir)
{
    if (m->opt.stores & MG_MAPS_STORE_MBTILES)
        return path_join(dir, x->name, ".mbtiles");
    char name[96];
    snprintf(name, sizeof name, ".%s.gpkg-tiles.mbtiles", x->name);
    return path_join(dir, name, NULL);
}

/* 1 when map x has an MBTiles file to render (a store or the
 * intermediate of the GeoPackage table). */
static int wants_mbtiles(const mg_maps *m, const char *gpkg_tmp)
{
    return (m->opt.stores & MG_MAPS_STORE_MBTILES) ||
           ((m->opt.stores & MG_MAPS_STORE_GPKG) && gpkg_tmp);
}

static int draw_map(mg_maps *m, map_item *x, const mg_render_sink *sinks,
                    size_t n_sinks, mg_error *err);

/* Renders map x into its tile folder and MBTiles file (stores[0], [1]);
 * the GeoPackage tile table is copied from the finished MBTiles file
 * afterwards (finish_map), so no tile is encoded or written twice. */
static int render_map(mg_maps *m, map_item *x, const char *dir,
                      const char *gpkg_tmp, mg_store **stores, mg_error *err)
{
    mg_tileset_info info;
    char url[1300];
    tileset_info(m, x, &info, url, sizeof url);
    int want_dir = (m->opt.stores & MG_MAPS_STORE_DIR) != 0;
    int want_mbt = wants_mbtiles(m, gpkg_tmp);
    /* The intermediate MBTiles file is this run's own: always replaced. */
    int own_mbt = !(m->opt.stores & MG_MAPS_STORE_MBTILES);
    char *tdir = want_dir ? path_join(dir, "tiles/", x->name) : NULL;
    char *mbt = want_mbt ? mbtiles_path(m, x, dir) : NULL;
    int rc = (tdir || !want_dir) && (mbt || !want_mbt) ? MG_OK : nomem(err);
    int force = m->opt.force, resume = m->opt.resume;
    if (!rc && want_dir)
        rc = mg_store_open(&stores[0], MG_STORE_DIR, tdir, &info, force,
                           resume, err);
    if (!rc && want_mbt)
        rc = mg_store_open(&stores[1], MG_STORE_MBTILES, mbt, &info,
                           force || own_mbt, resume, err);
    free(tdir);
    free(mbt);
    if (rc)
        return rc;
    mg_render_sink sinks[2];
    size_t n_sinks = 0;
    for (int k = 0; k < 2; k++)
        if (stores[k])
            sinks[n_sinks++] = mg_store_sink(stores[k]);
    return draw_map(m, x, sinks, n_sinks, err);
}

/* Counts a replayed tile in the zoom's stats. */
static int count_replayed(void *user, int z, size_t size, mg_error *err)
{
    (void)err;
    mg_render_stats *st = user;
    st->zoom[z].tiles++;
    st->zoom[z].written++;
    st->zoom[z].bytes += (long long)size;
    return mg_interrupted ? mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1,
                                         NULL, "interrupted")
                          : MG_OK;
}

int mg_map_threads(const mg_map_options *o)
{
    long n = o->threads > 0 ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* The tiles of map x into sinks: rendered (of the shard, if any), or
 * replayed from the shard files of a merge in shard order, which is the
 * order the renderer hands them over. */
static int draw_map(mg_maps *m, map_item *x, const mg_render_sink *sinks,
                    size_t n_sinks, mg_error *err)
{
    mg_render_options o = {
        x->z0,
        x->z1,
        m->opt.tile_size,
        m->opt.has_bbox,
        {m->opt.bbox[0], m->opt.bbox[1], m->opt.bbox[2], m->opt.bbox[3]},
        mg_map_threads(&m->opt),
        m->opt.png_level,
        m->opt.resume,
        mg_progress_tiles,
        m->progress,
        m->shard_index,
        m->shard_count};
    mg_progress_tiles_begin(m->progress, x->name, x->z0, x->z1, o.threads);
    mg_render_stats st;
    memset(&st, 0, sizeof st);
    int rc = MG_OK;
    if (!m->n_replay)
        rc = mg_render_pyramid(x->layers, x->n_layers, &o, sinks, n_sinks,
                               &st, err);
    for (size_t i = 0; !rc && i < m->n_replay; i++)
        rc = mg_shard_replay(m->replay[i], x->name, sinks, n_sinks,
                             count_replayed, &st, err);
    mg_progress_tiles_end(m->progress, rc ? NULL : &st);
    return rc;
}

int mg_maps_write_shard(mg_maps *m, mg_shard *s, mg_error *err)
{
    mg_render_sink sink = mg_shard_sink(s);
    int rc = MG_OK;
    for (size_t i = 0; !rc && i < m->n; i++) {
        if (m->items[i].skip)
            continue;
        mg_shard_set_map(s, m->items[i].name);
        rc = draw_map(m, &m->items[i], &sink, 1, err);
    }
    return rc;
}

static int write_legend(mg_maps *m, map_item *x, const char *dir,
                        mg_outset *set, mg_error *err)
{
    unsigned char *png = NULL;
    size_t size = 0;
    int rc = mg_tiles_draw_legend(&x->legend, m->opt.tile_size == 512 ? 2 : 1,
                                  9, &png, &size, err);
    char name[96];
    snprintf(name, sizeof name, "legends/%s.png", x->name);
    if (!rc)
        rc = stage_file(set, dir, name, png, size, err);
    free(png);
    return rc;
}

/* ---- maps.json ---------------------------------------------------------- */

static json_t *map_entry(const mg_maps *m, const map_item *x)
{
    char tiles[160], tilejson[160], legend[128];
    snprintf(tiles, sizeof tiles, "tiles/%s/{z}/{x}/{y}%s.png", x->name,
             m->opt.tile_size == 512 ? "@2x" : "");
    snprintf(tilejson, sizeof tilejson, "tiles/%s/tilejson.json", x->name);
    snprintf(legend, sizeof legend, "legends/%s.png", x->name);
    const char *title = x->title          ? x->title
                        : x->style->title ? x->style->title
                                          : x->name;
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:f}", "name", x->name,
                  "title", title, "tiles", tiles, "tilejson", tilejson,
                  "minzoom", x->z0, "maxzoom", x->z1, "tile_size",
                  m->opt.tile_size, "opacity", x->style->opacity);
    if (!o || x->is_base)
        return o;
    /* The level whose regions/<level>.json the viewer identifies in. */
    if (m->d && x->level_index < m->d->n_levels)
        json_object_set_new(o, "level",
                            json_string(m->d->levels[x->level_index].level));
    /* Its thematic field (the first polygons layer with one), which the
     * panel puts first. */
    for (size_t k = 0; k < x->style->n_layers; k++)
        if (x->style->layers[k].kind == MG_STYLE_POLYGONS &&
            x->style->layers[k].field) {
            json_object_set_new(o, "field",
                                json_string(x->style->layers[k].field));
            break;
        }
    if (x->extra)
        json_object_update(o, x->extra);
    json_t *lj = json_loads(x->legend_json, 0, NULL);
    json_object_set_new(o, "legend_image", json_string(legend));
    if (x->legend.title)
        json_object_set_new(o, "legend_title", json_string(x->legend.title));
    json_object_set_new(o, "legend", lj ? lj : json_array());
    /* The breaks at full precision: spliced in by write_maps_json(). */
    if (x->classes_json)
        json_object_set_new(o, "classification", json_string(MG_JSON_RAW_MARK));
    return o;
}

/* text with each map's classification spliced in, in the order of the
 * maps (each mark is the first one left).  Frees text; NULL: NOMEM. */
static char *splice_classes(const mg_maps *m, char *text)
{
    for (size_t i = 0; text && i < m->n; i++) {
        const map_item *x = &m->items[i];
        if (x->skip || x->is_base || !x->classes_json)
            continue;
        char *next = mg_json_splice(text, x->classes_json);
        free(text);
        text = next;
    }
    return text;
}

static int write_maps_json(mg_maps *m, const char *dir, mg_outset *set,
                           mg_error *err)
{
    mg_tile_bounds b = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    int zmax = 0;
    for (size_t i = 0; i < m->n; i++) {
        const map_item *x = &m->items[i];
        if (x->skip)
            continue;
        b.west = fmin(b.west, x->bounds.west);
        b.south = fmin(b.south, x->bounds.south);
        b.east = fmax(b.east, x->bounds.east);
        b.north = fmax(b.north, x->bounds.north);
        zmax = x->z1 > zmax ? x->z1 : zmax;
    }
    if (!(b.west <= b.east))
        b = (mg_tile_bounds){-180, -85, 180, 85};
    double x0, y0, x1, y1, clon, clat;
    mg_tiles_project_lonlat(b.west, b.south, &x0, &y0);
    mg_tiles_project_lonlat(b.east, b.north, &x1, &y1);
    mg_tiles_unproject_metres((x0 + x1) / 2, (y0 + y1) / 2, &clon, &clat);
    double span = fmax(x1 - x0, y1 - y0) / (2 * MG_TILES_HALF_WORLD);
    int cz = 0;
    while (cz < zmax && span * 256.0 * ldexp(1.0, cz + 1) <= 1024.0)
        cz++;
    const mg_project *p = m->p;
    json_t *doc =
        json_pack("{s:s, s:s, s:[f,f,f,f], s:[f,f,i]}", "title",
                  p->title ? p->title : p->name, "attribution",
                  m->attribution ? m->attribution : "", "bounds", b.west,
                  b.south, b.east, b.north, "center", clon, clat, cz);
    json_t *maps = json_array();
    int ok = doc && maps;
    for (size_t i = 0; ok && i < m->n; i++) {
        const map_item *x = &m->items[i];
        if (x->skip)
            continue;
        json_t *e = map_entry(m, x);
        ok = e != NULL;
        if (ok && x->is_base)
            json_object_set_new(doc, "base", e);
        else if (ok)
            json_array_append_new(maps, e);
    }
    /* The periods, in time order, for the viewer's period switcher. */
    const mg_periods_spec *ps = p->periods;
    json_t *periods = ps && ok ? maps_periods_json(ps) : NULL;
    ok = ok && (!ps || periods);
    if (periods)
        json_object_set_new(doc, "periods", periods);
    char *text = NULL;
    if (ok) {
        json_object_set_new(doc, "maps", maps);
        maps = NULL;
        text = splice_classes(m, json_dumps(doc, JSON_INDENT(1) |
                                                     JSON_REAL_PRECISION(10) |
                                                     JSON_PRESERVE_ORDER));
    }
    json_decref(maps);
    json_decref(doc);
    if (!text)
        return nomem(err);
    size_t n = strlen(text);
    text[n] = '\n';
    int rc = stage_file(set, dir, "maps.json", text, n + 1, err);
    free(text);
    return rc;
}

/* ---- the whole ---------------------------------------------------------- */

/* Makes the stores of map x whole: the tile folder, the MBTiles file, and
 * then the tile table of the GeoPackage being written (gpkg_tmp, NULL for
 * none) copied from that MBTiles file in one transaction. */
static int finish_map(mg_maps *m, map_item *x, const char *dir,
                      const char *gpkg_tmp, mg_outset *set, mg_store **stores,
                      mg_error *err)
{
    int rc = MG_OK;
    /* The MBTiles file, once closed, waits under its temporary name for
     * the set's commit; the GeoPackage's copy is made from there.  The
     * intermediate one (no mbtiles store asked for) is hidden and goes
     * right after the copy. */
    int keep_mbt = (m->opt.stores & MG_MAPS_STORE_MBTILES) != 0;
    char *mbt = !stores[1] ? NULL
                : keep_mbt ? strdup(mg_store_get_tiles_path(stores[1]))
                           : mbtiles_path(m, x, dir);
    if (stores[1] && !mbt)
        rc = nomem(err);
    for (int k = 0; k < 2; k++) {
        if (!rc && stores[k])
            rc = mg_store_close(stores[k], k == 0 || keep_mbt ? set : NULL,
                                err);
        else
            mg_store_free(stores[k]);
        stores[k] = NULL;
    }
    if (!rc && gpkg_tmp && (m->opt.stores & MG_MAPS_STORE_GPKG)) {
        mg_tileset_info info;
        char url[1300];
        tileset_info(m, x, &info, url, sizeof url);
        /* gpkg_tmp is this run's own new file: replacing is safe. */
        rc = mg_store_copy_to_gpkg(mbt, gpkg_tmp, &info, 1, err);
        if (!rc && !keep_mbt && unlink(mbt) != 0)
            rc = mg_error_errno(err, MG_ERR_OUTPUT, mbt,
                                "cannot remove this intermediate file");
    }
    free(mbt);
    return rc;
}

int mg_maps_write(mg_maps *m, const char *out_dir, mg_outset *set,
                  const char *gpkg_tmp, mg_error *err)
{
    int rc = check_outputs(m, out_dir, err);
    mg_store **stores = calloc(2 * m->n + 1, sizeof *stores);
    if (!rc && !stores)
        rc = nomem(err);
    for (size_t i = 0; !rc && i < m->n; i++) {
        map_item *x = &m->items[i];
        if (x->skip)
            continue;
        if (!x->is_base)
            rc = write_legend(m, x, out_dir, set, err);
        if (!rc)
            rc = render_map(m, x, out_dir, gpkg_tmp, stores + 2 * i, err);
    }
    if (!rc)
        rc = write_maps_json(m, out_dir, set, err);
    if (!rc && m->before_finish)
        rc = m->before_finish(m->before_user, err);
    /* Every map rendered: make the stores whole.  A store that fails to
     * close keeps its partial form for --resume; the rest are dropped
     * (also kept for --resume). */
    for (size_t i = 0; stores && i < m->n; i++) {
        if (!stores[2 * i] && !stores[2 * i + 1])
            continue;
        if (!rc)
            rc = finish_map(m, &m->items[i], out_dir, gpkg_tmp, set,
                            stores + 2 * i,
                            err);
        for (int k = 0; k < 2; k++) {
            mg_store_free(stores[2 * i + k]);
            stores[2 * i + k] = NULL;
        }
    }
    free(stores);
    return rc;
}

void mg_maps_set_before_finish(mg_maps *m, int (*fn)(void *, mg_error *),
                               void *user)
{
    m->before_finish = fn;
    m->before_user = user;
}

unsigned mg_maps_stores(const mg_maps *m)
{
    return m->opt.stores;
}
