/* Tile stores: opening, checking the arguments, and what the three kinds
 * share (hidden partial names, publishing, the default view). */
#include "store_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

static int name_ok(const char *name)
{
    if (!name || !*name || strlen(name) > 200)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return 0;
    return 1;
}

const char *store_info_problem(const mg_tileset_info *in)
{
    if (!name_ok(in->name))
        return "map name must be 1-200 characters of [a-z0-9_-]";
    if (in->minzoom < 0 || in->minzoom > in->maxzoom ||
        in->maxzoom > MG_TILES_MAX_ZOOM)
        return "zooms must satisfy 0 <= minzoom <= maxzoom <= 30";
    if (in->tile_size != 256 && in->tile_size != 512)
        return "tile size must be 256 or 512";
    if (!(in->west >= -180 && in->west <= in->east && in->east <= 180 &&
          in->south >= -90 && in->south <= in->north && in->north <= 90))
        return "bounds must be west <= east within +-180, south <= north "
               "within +-90";
    if (in->legend_json) {
        json_t *j = json_loads(in->legend_json, JSON_DECODE_ANY, NULL);
        int ok = json_is_array(j);
        json_decref(j);
        if (!ok)
            return "legend must be a JSON array";
    }
    if (in->classes_json) {
        json_t *j = json_loads(in->classes_json, JSON_DECODE_ANY, NULL);
        int ok = json_is_object(j);
        json_decref(j);
        if (!ok)
            return "classification must be a JSON object";
    }
    if (in->tiles_url && strncmp(in->tiles_url, "http://", 7) &&
        strncmp(in->tiles_url, "https://", 8))
        return "tiles URL must begin with http:// or https://";
    return NULL;
}

static int copy_info(mg_tileset_info *to, const mg_tileset_info *in)
{
    *to = *in;
    to->name = strdup(in->name);
    to->title = dup_or_empty(in->title && *in->title ? in->title : in->name);
    to->description = dup_or_empty(in->description);
    to->attribution = dup_or_empty(in->attribution);
    to->legend_json = in->legend_json ? strdup(in->legend_json) : NULL;
    to->classes_json = in->classes_json ? strdup(in->classes_json) : NULL;
    to->tiles_url = in->tiles_url ? strdup(in->tiles_url) : NULL;
    return to->name && to->title && to->description && to->attribution &&
           (to->legend_json || !in->legend_json) &&
           (to->classes_json || !in->classes_json) &&
           (to->tiles_url || !in->tiles_url);
}

static void store_destroy(mg_store *s)
{
    if (!s)
        return;
    free((char *)s->info.name);
    free((char *)s->info.title);
    free((char *)s->info.description);
    free((char *)s->info.attribution);
    free((char *)s->info.legend_json);
    free((char *)s->info.classes_json);
    free((char *)s->info.tiles_url);
    free(s->final_path);
    free(s->partial_path);
    free(s->file);
    free(s);
}

/* The kinds, indexed by mg_store_kind. */
static const mg_store_methods *const kinds[] = {
    [MG_STORE_DIR] = &store_dir_methods,
    [MG_STORE_MBTILES] = &store_mbtiles_methods,
    [MG_STORE_GPKG] = &store_gpkg_methods,
};
enum { N_KINDS = sizeof kinds / sizeof kinds[0] };

/* A new store with its info and paths; no file touched yet. */
static int store_new(mg_store **out, mg_store_kind kind, const char *path,
                     const mg_tileset_info *info, mg_error *err)
{
    mg_store *s = calloc(1, sizeof *s);
    if (!s)
        return mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL,
                            "out of memory");
    s->m = kinds[kind];
    int ok = copy_info(&s->info, info);
    s->final_path = strdup(path);
    size_t n = s->final_path ? strlen(s->final_path) : 0;
    while (s->m->is_dir && n > 1 && s->final_path[n - 1] == '/')
        s->final_path[--n] = '\0';
    if (ok && s->final_path) {
        char suffix[256];
        snprintf(suffix, sizeof suffix, s->m->partial_suffix, info->name);
        s->partial_path = store_hidden_name(s->final_path, suffix);
    }
    if (!ok || !s->partial_path) {
        store_destroy(s);
        return mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL,
                            "out of memory");
    }
    *out = s;
    return MG_OK;
}

int store_path_exists(mg_store *s, int *exists, mg_error *err)
{
    (void)err;
    *exists = store_exists(s->final_path);
    return MG_OK;
}

int mg_store_open(mg_store **out, mg_store_kind kind, const char *path,
                  const mg_tileset_info *info, int force, int resume,
                  mg_error *err)
{
    if (!out || !path || !*path || !info || (unsigned)kind >= N_KINDS ||
        !kinds[kind])
        return mg_error_set(err, MG_ERR_USAGE, path, -1, NULL,
                            "mg_store_open: missing or bad argument");
    *out = NULL;
    const char *why = store_info_problem(info);
    if (why)
        return mg_error_set(err, MG_ERR_USAGE, path, -1, NULL, "%s", why);
    mg_store *s = NULL;
    int exists = 0, rc = store_new(&s, kind, path, info, err);
    if (!rc)
        rc = s->m->exists(s, &exists, err);
    if (!rc && exists && !force && !resume)
        rc = mg_error_set(err, MG_ERR_OUTPUT, path, -1,
                          kind == MG_STORE_GPKG ? info->name : NULL,
                          "the output exists already; use --force to "
                          "replace it");
    if (rc)
        goto fail;
    int partial = store_exists(s->partial_path);
    s->replace = force || resume;
    if (resume && !partial && exists) {
        /* A finished run: every tile is there, nothing is to be written
         * and close leaves the final store as it is. */
        s->complete = 1;
        *out = s;
        return MG_OK;
    }
    /* A partial store that we were not asked to resume is a leftover of
     * an interrupted run: start afresh. */
    if (!resume && partial && mg_remove_tree(s->partial_path) != 0) {
        rc = mg_error_errno(err, MG_ERR_OUTPUT, s->partial_path,
                            "cannot remove the unfinished output of an "
                            "earlier run");
        goto fail;
    }
    rc = s->m->open(s, resume && partial, err);
    if (rc)
        goto fail;
    *out = s;
    return MG_OK;
fail:
    if (s)
        s->failed = 1; /* roll back whatever was begun */
    mg_store_free(s);
    return rc;
}

static int tile_ok(const mg_store *s, int z, uint32_t x, uint32_t y)
{
    return z >= s->info.minzoom && z <= s->info.maxzoom &&
           (uint64_t)x < ((uint64_t)1 << z) &&
           (uint64_t)y < ((uint64_t)1 << z);
}

int mg_store_has_tile(mg_store *s, int z, uint32_t x, uint32_t y)
{
    if (!s || !tile_ok(s, z, x, y))
        return 0;
    if (s->complete)
        return 1;
    if (s->failed)
        return 0;
    return s->m->has(s, z, x, y);
}

int mg_store_put_tile(mg_store *s, int z, uint32_t x, uint32_t y,
                      const unsigned char *png, size_t size, mg_error *err)
{
    static const unsigned char sig[8] = {0x89, 'P',  'N',  'G',
                                         '\r', '\n', 0x1a, '\n'};
    if (!s || !png || size < 8 || memcmp(png, sig, 8) != 0)
        return mg_error_set(err, MG_ERR_USAGE, s ? s->final_path : NULL, -1,
                            NULL, "mg_store_put_tile: not a PNG");
    if (!tile_ok(s, z, x, y))
        return mg_error_set(err, MG_ERR_USAGE, s->final_path, -1, NULL,
                            "tile %d/%lu/%lu is outside zooms %d-%d or the "
                            "grid",
                            z, (unsigned long)x, (unsigned long)y,
                            s->info.minzoom, s->info.maxzoom);
    if (s->complete)
        return mg_error_set(err, MG_ERR_OUTPUT, s->final_path, -1, NULL,
                            "the output is complete already (found on "
                            "resume); use --force to rebuild it");
    if (s->failed)
        return mg_error_set(err, MG_ERR_OUTPUT, s->final_path, -1, NULL,
                            "an earlier write to this output failed");
    int rc = s->m->put(s, z, x, y, png, size, err);
    if (rc)
        s->failed = 1;
    return rc;
}

int mg_store_close(mg_store *s, mg_outset *set, mg_error *err)
{
    if (!s)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                            "mg_store_close: no store");
    int rc = MG_OK;
    if (s->failed)
        rc = mg_error_set(err, MG_ERR_OUTPUT, s->final_path, -1, NULL,
                          "an earlier write to this output failed; "
                          "its unfinished form is kept for --resume");
    else if (s->complete)
        rc = MG_OK;
    else
        rc = s->m->finish(s, err);
    if (!rc && !s->failed && !s->complete && s->m->publish)
        rc = set ? mg_outset_adopt(set, s->partial_path, s->final_path, err)
                 : store_publish(s, s->partial_path, s->final_path, err);
    mg_store_free(s);
    return rc;
}

const char *mg_store_get_tiles_path(const mg_store *s)
{
    return s->complete || !s->m->publish ? s->final_path : s->partial_path;
}

void mg_store_free(mg_store *s)
{
    if (!s)
        return;
    if (s->m->release)
        s->m->release(s);
    store_destroy(s);
}

/* ---- shared helpers ----------------------------------------------------- */

int store_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

char *store_hidden_name(const char *path, const char *suffix)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    int dir_len = (int)(base - path);
    /* mg_outset_add() names temporaries ".tmp-<pid>-<name>". */
    if (strncmp(base, ".tmp-", 5) == 0) {
        const char *p = base + 5;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p > base + 5 && *p == '-')
            base = p + 1;
    }
    size_t n = strlen(path) + strlen(suffix) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%.*s.%s%s", dir_len, path, base, suffix);
    return out;
}

int store_make_parent(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int rc = 0;
    for (char *p = copy + 1; *p && !rc; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST)
            rc = -1;
        *p = '/';
    }
    free(copy);
    return rc;
}

void store_bounds(const mg_tileset_info *info, double b[4])
{
    b[0] = info->west;
    b[1] = mg_tiles_clamp_lat(info->south);
    b[2] = info->east;
    b[3] = mg_tiles_clamp_lat(info->north);
}

void store_center(const mg_tileset_info *info, double *lon, double *lat,
                  int *zoom)
{
    double b[4], x0, y0, x1, y1;
    store_bounds(info, b);
    mg_tiles_project_lonlat(b[0], b[1], &x0, &y0);
    mg_tiles_project_lonlat(b[2], b[3], &x1, &y1);
    /* The middle in mercator is the middle of what a viewer shows. */
    mg_tiles_unproject_metres((x0 + x1) / 2, (y0 + y1) / 2, lon, lat);
    double span = fmax(x1 - x0, y1 - y0) / (2 * MG_TILES_HALF_WORLD);
    int z = info->minzoom;
    while (z < info->maxzoom && span * 256.0 * ldexp(1.0, z + 1) <= 1024.0)
        z++;
    *zoom = z;
}

int store_publish(mg_store *s, const char *partial, const char *final,
                  mg_error *err)
{
    if (store_exists(final) && !s->replace)
        return mg_error_set(err, MG_ERR_OUTPUT, final, -1, NULL,
                            "the output exists already; use --force to "
                            "replace it");
    return mg_publish(partial, final, err);
}

/* ---- sinks over stores -------------------------------------------------- */

static int store_has(void *user, int z, uint32_t x, uint32_t y)
{
    return mg_store_has_tile(user, z, x, y);
}

static int store_put(void *user, int z, uint32_t x, uint32_t y,
                     const unsigned char *png, size_t size, mg_error *err)
{
    return mg_store_put_tile(user, z, x, y, png, size, err);
}

mg_render_sink mg_store_sink(mg_store *store)
{
    mg_render_sink s = {store_has, store_put, store};
    return s;
}

/* ---- the legend and classification in TileJSON and MBTiles ------------- */

char *store_legend_text(const mg_tileset_info *in)
{
    json_t *legend = in->legend_json
                         ? json_loads(in->legend_json, JSON_DECODE_ANY, NULL)
                         : NULL;
    size_t cap = strlen(in->title) + 2, len = 0, i;
    json_t *e;
    json_array_foreach(legend, i, e)
    {
        const char *g = json_string_value(json_object_get(e, "group"));
        const char *l = json_string_value(json_object_get(e, "label"));
        cap += (g ? strlen(g) : 0) + (l ? strlen(l) : 0) + 16;
    }
    char *out = malloc(cap);
    if (out)
        len = (size_t)snprintf(out, cap, "%s", in->title);
    const char *group = NULL;
    json_array_foreach(legend, i, e)
    {
        if (!out)
            break;
        const char *g = json_string_value(json_object_get(e, "group"));
        const char *l = json_string_value(json_object_get(e, "label"));
        const char *c = json_string_value(json_object_get(e, "color"));
        /* A group's title once, as a line of its own. */
        if (g && (!group || strcmp(g, group)))
            len += (size_t)snprintf(out + len, cap - len, "\n%s:", g);
        group = g;
        len += (size_t)snprintf(out + len, cap - len, "\n%s %s",
                                c ? c : "", l ? l : "");
    }
    json_decref(legend);
    return out;
}

json_t *store_mapgen_object(const mg_tileset_info *in)
{
    json_t *o = json_object();
    json_t *legend =
        in->legend_json ? json_loads(in->legend_json, JSON_DECODE_ANY, NULL)
                        : NULL;
    int ok = o && (legend || !in->legend_json);
    if (ok && legend)
        ok = json_object_set(o, "legend", legend) == 0;
    json_decref(legend);
    if (ok && in->classes_json)
        ok = json_object_set_new(o, "classification",
                                 json_string(MG_JSON_RAW_MARK)) == 0;
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

char *store_dump_exact(json_t *o, size_t flags, const mg_tileset_info *in)
{
    char *text = o ? json_dumps(o, flags) : NULL;
    if (!text || !in->classes_json)
        return text;
    char *out = mg_json_splice(text, in->classes_json);
    free(text);
    return out;
}
