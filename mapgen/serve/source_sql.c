/* mapgen serve: the MBTiles and GeoPackage stores, read through pools of
 * read-only SQLite connections (the one place SQLite is called). */
#include "serve_internal.h"
#include "tiles/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct pool_conn {
    sqlite3 *db;
    sqlite3_stmt *st;
} pool_conn;

struct serve_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    pool_conn *conns;      /* conns[0..n_free) are free */
    int n, n_free;
};

static int open_conn(const char *path, int immutable, const char *sql,
                     pool_conn *c)
{
    char uri[4200];
    /* immutable=1: published MBTiles files are never written in place
     * (`mapgen run` replaces them by rename), so SQLite may skip locking
     * and change detection; the mapping makes reads copies from the page
     * cache of the kernel.  A GeoPackage may be edited in place (QGIS),
     * so it gets ordinary locking and no mapping (a file truncated under
     * a mapping would raise SIGBUS). */
    if (snprintf(uri, sizeof uri, "file:%s?mode=ro%s", path,
                 immutable ? "&immutable=1" : "") >= (int)sizeof uri)
        return -1;
    int rc = sqlite3_open_v2(uri, &c->db, SQLITE_OPEN_READONLY |
                             SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK && immutable)
        rc = sqlite3_exec(c->db, "PRAGMA mmap_size = 268435456", NULL,
                          NULL, NULL);
    if (rc == SQLITE_OK && sql)
        rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &c->st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(c->st);
        sqlite3_close(c->db);
        c->db = NULL;
        c->st = NULL;
        return -1;
    }
    return 0;
}

/* path with % escaped as SQLite's URI filenames need ('?' and '#' too). */
static int uri_path(const char *path, char *out, size_t room)
{
    size_t o = 0;
    for (const char *p = path; *p; p++) {
        int esc = *p == '%' || *p == '?' || *p == '#';
        if (o + 4 >= room)
            return -1;
        o += (size_t)(esc ? snprintf(out + o, 4, "%%%02X", (unsigned char)*p)
                          : (out[o] = *p, 1));
    }
    out[o] = '\0';
    return 0;
}

serve_pool *serve_pool_open(const char *path, int fd, int immutable,
                            const char *sql, int capacity)
{
    char up[4096];
    struct stat a, b;
    serve_pool *p = calloc(1, sizeof *p);
    if (!p || uri_path(path, up, sizeof up) || fstat(fd, &a))
        goto fail;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    if (!(p->conns = calloc((size_t)capacity, sizeof *p->conns)))
        goto fail;
    /* All connections are opened now, by path, and must be to the file
     * the caller holds open: a file replaced meanwhile fails the pool
     * (errno ESTALE) and the caller tries again later. */
    for (; p->n < capacity; p->n++)
        if (open_conn(up, immutable, sql, &p->conns[p->n]))
            goto fail;
    if (stat(path, &b) || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
        errno = ESTALE;
        goto fail;
    }
    p->n_free = p->n;
    return p;
fail:
    serve_pool_close(p);
    return NULL;
}

void serve_pool_close(serve_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++) {
        sqlite3_finalize(p->conns[i].st);
        sqlite3_close(p->conns[i].db);
    }
    if (p->conns) {
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->freed);
    }
    free(p->conns);
    free(p);
}

sqlite3 *serve_pool_db(serve_pool *p)
{
    return p->n ? p->conns[0].db : NULL;
}

/* Each request thread holds at most one connection of a pool at a time
 * and the pool has one per thread, so the wait is only a safeguard. */
static pool_conn acquire(serve_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->n_free == 0)
        pthread_cond_wait(&p->freed, &p->lock);
    pool_conn c = p->conns[--p->n_free];
    pthread_mutex_unlock(&p->lock);
    return c;
}

static void release(serve_pool *p, pool_conn c)
{
    pthread_mutex_lock(&p->lock);
    p->conns[p->n_free++] = c;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

int serve_pool_query(serve_pool *p, int z, uint32_t x, uint32_t row,
                     const serve_map *m, serve_etag_fn etag_of,
                     serve_body *b)
{
    pool_conn c = acquire(p);
    int found = -1;
    sqlite3_bind_int(c.st, 1, z);
    sqlite3_bind_int64(c.st, 2, x);
    sqlite3_bind_int64(c.st, 3, row);
    int rc = sqlite3_step(c.st);
    if (rc == SQLITE_DONE) {
        found = 0;
    } else if (rc == SQLITE_ROW) {
        const void *data = sqlite3_column_blob(c.st, 1);
        size_t n = (size_t)sqlite3_column_bytes(c.st, 1);
        etag_of(m, sqlite3_column_int64(c.st, 0), n, b->etag);
        b->size = n;
        if (data && (b->blob = serve_blob_new(n))) {
            memcpy(b->blob->data, data, n);
            memcpy(b->blob->etag, b->etag, sizeof b->etag);
            found = 1;
        }
    }
    sqlite3_reset(c.st);
    release(p, c);
    return found;
}

/* ---- what the stores say about themselves ---------------------------- */

static int count_rows(sqlite3 *db, const char *sql, const char *arg)
{
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (arg)
            sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

/* The width of a PNG from its IHDR chunk, or 0. */
static int png_width(const unsigned char *d, size_t n)
{
    static const unsigned char sig[8] = {137, 'P', 'N', 'G', 13, 10, 26, 10};
    if (!d || n < 24 || memcmp(d, sig, 8) || memcmp(d + 12, "IHDR", 4))
        return 0;
    return (int)((uint32_t)d[16] << 24 | (uint32_t)d[17] << 16 |
                 (uint32_t)d[18] << 8 | d[19]);
}

static int parse_numbers(const char *s, double *v, int n)
{
    for (int i = 0; i < n; i++) {
        char *end;
        v[i] = strtod(s, &end);
        if (end == s || (i + 1 < n && *end != ','))
            return 0;
        s = end + 1;
    }
    return 1;
}

/* Adds a metadata row (name, value) of an MBTiles file to the TileJSON. */
static void add_metadata(json_t *tj, serve_map *m, const char *k,
                         const char *v)
{
    double num[4];
    if (!strcmp(k, "name") || !strcmp(k, "description") ||
        (!strcmp(k, "attribution") && *v)) {
        json_object_set_new(tj, k, json_string(v));
    } else if (!strcmp(k, "minzoom") || !strcmp(k, "maxzoom")) {
        int z = atoi(v);
        json_object_set_new(tj, k, json_integer(z));
        *(k[1] == 'i' ? &m->minzoom : &m->maxzoom) = z;
    } else if (!strcmp(k, "bounds") && parse_numbers(v, num, 4)) {
        json_object_set_new(tj, k, json_pack("[ffff]", num[0], num[1],
                                             num[2], num[3]));
    } else if (!strcmp(k, "center") && parse_numbers(v, num, 3)) {
        json_object_set_new(tj, k, json_pack("[ffi]", num[0], num[1],
                                             (int)num[2]));
    } else if (!strcmp(k, "json")) {
        /* The row mapgen wrote: the legend as TileJSON's text, the
         * structured legend and the classification under "mapgen", the
         * periods at the top, as in the tile folder's tilejson.json. */
        json_t *j = json_loads(v, 0, NULL);
        json_t *legend = json_object_get(j, "legend");
        json_t *text = json_object_get(j, "legend_text");
        json_t *classes = json_object_get(j, "classification");
        json_t *own = json_object();
        if (json_is_string(text))
            json_object_set(tj, "legend", text);
        if (own && json_is_array(legend))
            json_object_set(own, "legend", legend);
        if (own && json_is_object(classes))
            json_object_set(own, "classification", classes);
        if (own && json_object_size(own))
            json_object_set(tj, "mapgen", own);
        json_decref(own);
        /* A map of several periods: its periods, and its change or period
         * (docs/change.md), at the top as in tilejson.json. */
        static const char *const top[] = {"periods", "change", "period"};
        for (size_t i = 0; i < sizeof top / sizeof *top; i++)
            if (json_object_get(j, top[i]))
                json_object_set(tj, top[i], json_object_get(j, top[i]));
        json_decref(j);
    }
}

int serve_mbtiles_describe(serve_pool *p, serve_map *m, mg_error *err)
{
    sqlite3 *db = serve_pool_db(p);
    sqlite3_stmt *st = NULL;
    if (count_rows(db, "SELECT count(*) FROM sqlite_master WHERE name IN "
                   "('map', 'images', 'metadata')", NULL) != 3)
        return mg_error_set(err, MG_ERR_INPUT, NULL, -1, NULL,
                            "not an MBTiles file of mapgen (no tables map, "
                            "images and metadata)");
    json_t *tj = json_pack("{ss ss ss}", "tilejson", "3.0.0", "version",
                           "1.0.0", "scheme", "xyz");
    m->minzoom = m->maxzoom = -1;
    if (sqlite3_prepare_v2(db, "SELECT name, value FROM metadata", -1, &st,
                           NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *k = (const char *)sqlite3_column_text(st, 0);
            const char *v = (const char *)sqlite3_column_text(st, 1);
            if (k && v)
                add_metadata(tj, m, k, v);
        }
    sqlite3_finalize(st);
    m->tile_size = 256;
    if (sqlite3_prepare_v2(db, "SELECT tile_data FROM images LIMIT 1", -1,
                           &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        m->tile_size = png_width(sqlite3_column_blob(st, 0),
                                 (size_t)sqlite3_column_bytes(st, 0)) == 512
                           ? 512 : 256;
    sqlite3_finalize(st);
    m->tilejson = tj;
    if (m->minzoom < 0 || m->maxzoom < m->minzoom || m->maxzoom > 30)
        return mg_error_set(err, MG_ERR_INPUT, NULL, -1, "metadata",
                            "no minzoom and maxzoom (not a finished store)");
    return MG_OK;
}

int serve_gpkg_list_tables(serve_pool *p, char ***names, size_t *n)
{
    sqlite3_stmt *st = NULL;
    *names = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(serve_pool_db(p), "SELECT table_name FROM "
                           "gpkg_contents WHERE data_type = 'tiles' ORDER "
                           "BY table_name", -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        char **grown = realloc(*names, (*n + 1) * sizeof *grown);
        if (!grown)
            break;
        *names = grown;
        if (t && mg_serve_is_map_name(t, strlen(t)) &&
            ((*names)[*n] = strdup(t)))
            (*n)++;
    }
    sqlite3_finalize(st);
    return 0;
}

int serve_gpkg_describe(serve_pool *p, const char *table, serve_map *m,
                        mg_error *err)
{
    sqlite3 *db = serve_pool_db(p);
    sqlite3_stmt *st = NULL;
    int ok = 0;
    json_t *tj = json_pack("{ss ss ss}", "tilejson", "3.0.0", "version",
                           "1.0.0", "scheme", "xyz");
    if (sqlite3_prepare_v2(db, "SELECT c.identifier, c.description, "
            "c.min_x, c.min_y, c.max_x, c.max_y, min(t.zoom_level), "
            "max(t.zoom_level), max(t.tile_width) FROM gpkg_contents c JOIN "
            "gpkg_tile_matrix t ON t.table_name = c.table_name WHERE "
            "c.table_name = ?1", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 6) != SQLITE_NULL) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *desc = (const char *)sqlite3_column_text(st, 1);
        double w, s, e, n;
        mg_tiles_unproject_metres(sqlite3_column_double(st, 2),
                                  sqlite3_column_double(st, 3), &w, &s);
        mg_tiles_unproject_metres(sqlite3_column_double(st, 4),
                                  sqlite3_column_double(st, 5), &e, &n);
        json_object_set_new(tj, "name", json_string(id ? id : table));
        json_object_set_new(tj, "description", json_string(desc ? desc : ""));
        json_object_set_new(tj, "bounds", json_pack("[ffff]", w, s, e, n));
        m->minzoom = sqlite3_column_int(st, 6);
        m->maxzoom = sqlite3_column_int(st, 7);
        m->tile_size = sqlite3_column_int(st, 8) == 512 ? 512 : 256;
        json_object_set_new(tj, "minzoom", json_integer(m->minzoom));
        json_object_set_new(tj, "maxzoom", json_integer(m->maxzoom));
        ok = m->minzoom >= 0 && m->maxzoom >= m->minzoom && m->maxzoom <= 30;
    }
    sqlite3_finalize(st);
    m->tilejson = tj;
    return ok ? MG_OK
              : mg_error_set(err, MG_ERR_INPUT, NULL, -1, table,
                             "no tile matrix for this tile table");
}
