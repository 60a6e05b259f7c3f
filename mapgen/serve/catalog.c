/* mapgen serve: the catalog of the maps found in the served folders, and
 * reading their tiles. */
#include "serve_internal.h"
#include "tiles/render.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FNV_START 14695981039346656037ULL

static const char sql_mbtiles[] =
    "SELECT i.hash, i.tile_data FROM map AS m JOIN images AS i "
    "ON i.tile_id = m.tile_id WHERE m.zoom_level = ?1 AND "
    "m.tile_column = ?2 AND m.tile_row = ?3";

uint64_t serve_fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

/* The identity of a file's content as `mapgen run` publishes it: a new
 * file (a new inode) or a new modification time means new content. */
static uint64_t file_ident(const struct stat *st)
{
    uint64_t v[5] = {(uint64_t)st->st_dev, (uint64_t)st->st_ino,
                     (uint64_t)st->st_size, (uint64_t)st->st_mtim.tv_sec,
                     (uint64_t)st->st_mtim.tv_nsec};
    return serve_fnv(FNV_START, v, sizeof v);
}

/* A map found in a folder, before its store is opened. */
typedef struct candidate {
    char name[MG_SERVE_NAME_MAX + 1];
    unsigned available;
    char gpkg[256];           /* the GeoPackage holding its tile table */
} candidate;

typedef struct scan {
    candidate *c;
    size_t n;
} scan;

static candidate *candidate_get(scan *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->c[i].name) == len && !memcmp(s->c[i].name, name, len))
            return &s->c[i];
    candidate *grown = realloc(s->c, (s->n + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    s->c = grown;
    candidate *c = &s->c[s->n++];
    memset(c, 0, sizeof *c);
    memcpy(c->name, name, len);
    return c;
}

static int ends_with(const char *s, const char *suffix, size_t *stem)
{
    size_t n = strlen(s), k = strlen(suffix);
    *stem = n > k ? n - k : 0;
    return n > k && !strcmp(s + n - k, suffix);
}

static int is_regular_at(int dirfd, const char *name)
{
    struct stat st;
    return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISREG(st.st_mode);
}

/* Lists a directory through a duplicate of fd (closedir closes it). */
static DIR *open_listing(int fd)
{
    int d = dup(fd);
    DIR *dir = d >= 0 ? fdopendir(d) : NULL;
    if (d >= 0 && !dir)
        close(d);
    if (dir)
        rewinddir(dir);
    return dir;
}

/* Tile directories: tiles/<map>/ with a tilejson.json (a finished one). */
static void scan_dirs(int root, scan *s)
{
    int tiles = openat(root, "tiles", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                       O_CLOEXEC);
    DIR *d = tiles >= 0 ? open_listing(tiles) : NULL;
    struct dirent *e;
    char rel[300];  /* a map name (64 bytes at most) and the file */
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (!mg_serve_is_map_name(e->d_name, n))
            continue;
        snprintf(rel, sizeof rel, "%s/tilejson.json", e->d_name);
        candidate *c = is_regular_at(tiles, rel)
                           ? candidate_get(s, e->d_name, n) : NULL;
        if (c)
            c->available |= MG_SERVE_STORE_DIR;
    }
    if (d)
        closedir(d);
    if (tiles >= 0)
        close(tiles);
}

static void scan_gpkg(const char *dir, int root, const char *file, scan *s)
{
    char path[4096];
    char **names = NULL;
    size_t n = 0;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = openat(root, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    serve_pool *p = fd >= 0 ? serve_pool_open(path, fd, 0, NULL, 1) : NULL;
    if (p)
        serve_gpkg_list_tables(p, &names, &n);
    for (size_t i = 0; i < n; i++) {
        candidate *c = candidate_get(s, names[i], strlen(names[i]));
        if (c && !(c->available & MG_SERVE_STORE_GPKG)) {
            c->available |= MG_SERVE_STORE_GPKG;
            snprintf(c->gpkg, sizeof c->gpkg, "%s", file);
        }
        free(names[i]);
    }
    free(names);
    serve_pool_close(p);
    if (fd >= 0)
        close(fd);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const candidate *)a)->name, ((const candidate *)b)->name);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* MBTiles files and GeoPackages at the folder's top; hidden names (the
 * partial stores) are never looked at.  GeoPackages are read in name
 * order, so the first holding a table wins whatever readdir's order. */
static void scan_files(const char *dir, int root, scan *s)
{
    DIR *d = open_listing(root);
    struct dirent *e;
    char **gpkgs = NULL;
    size_t n_gpkgs = 0, stem;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !is_regular_at(root, e->d_name))
            continue;
        if (ends_with(e->d_name, ".mbtiles", &stem) &&
            mg_serve_is_map_name(e->d_name, stem)) {
            candidate *c = candidate_get(s, e->d_name, stem);
            if (c)
                c->available |= MG_SERVE_STORE_MBTILES;
        } else if (ends_with(e->d_name, ".gpkg", &stem)) {
            char **grown = realloc(gpkgs, (n_gpkgs + 1) * sizeof *grown);
            if (grown && (grown[n_gpkgs] = strdup(e->d_name)))
                n_gpkgs++;
            if (grown)
                gpkgs = grown;
        }
    }
    if (d)
        closedir(d);
    if (n_gpkgs)
        qsort(gpkgs, n_gpkgs, sizeof *gpkgs, by_string);
    for (size_t i = 0; i < n_gpkgs; i++) {
        scan_gpkg(dir, root, gpkgs[i], s);
        free(gpkgs[i]);
    }
    free(gpkgs);
}

/* a, b and c joined into out (room bytes), cut short if need be: these
 * are labels for people. */
static void join3(char *out, size_t room, const char *a, const char *b,
                  const char *c)
{
    size_t o = 0;
    const char *parts[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        for (const char *p = parts[i]; *p && o + 1 < room; p++)
            out[o++] = *p;
    out[o] = '\0';
}

static void set_version(serve_map *m, const struct stat *st)
{
    snprintf(m->version, sizeof m->version, "%016" PRIx64, file_ident(st));
}

static int open_dir_store(int root, serve_map *m, mg_error *err)
{
    char rel[MG_SERVE_NAME_MAX + 8];
    struct stat st;
    snprintf(rel, sizeof rel, "tiles/%s", m->name);
    m->fd = openat(root, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                   O_CLOEXEC);
    int tfd = m->fd >= 0 ? openat(m->fd, "tilejson.json", O_RDONLY |
                                  O_NOFOLLOW | O_CLOEXEC) : -1;
    m->tilejson = tfd >= 0 && fstat(tfd, &st) == 0
                      ? json_loadfd(tfd, 0, NULL) : NULL;
    if (tfd >= 0)
        close(tfd);
    json_t *tiles = json_array_get(json_object_get(m->tilejson, "tiles"), 0);
    json_t *minz = json_object_get(m->tilejson, "minzoom");
    json_t *maxz = json_object_get(m->tilejson, "maxzoom");
    if (!json_is_string(tiles) || !json_is_integer(minz) ||
        !json_is_integer(maxz))
        return mg_error_set(err, MG_ERR_INPUT, NULL, -1, "tilejson.json",
                            "unreadable, or without tiles, minzoom and "
                            "maxzoom");
    m->tile_size = strstr(json_string_value(tiles), "@2x") ? 512 : 256;
    m->minzoom = (int)json_integer_value(minz);
    m->maxzoom = (int)json_integer_value(maxz);
    json_object_del(m->tilejson, "tiles");
    set_version(m, &st);
    if (m->minzoom < 0 || m->maxzoom < m->minzoom || m->maxzoom > 30)
        return mg_error_set(err, MG_ERR_INPUT, NULL, -1, "tilejson.json",
                            "zooms outside 0..30");
    return MG_OK;
}

static int open_sql_store(const char *dir, int root, const candidate *c,
                          int threads, serve_map *m, mg_error *err)
{
    char file[320], path[4096], sql[256];
    struct stat st;
    int gpkg = m->kind == MG_SERVE_STORE_GPKG;
    if (gpkg)
        snprintf(file, sizeof file, "%s", c->gpkg);
    else
        snprintf(file, sizeof file, "%s.mbtiles", m->name);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    snprintf(sql, sizeof sql, "SELECT id, tile_data FROM \"%s\" WHERE "
             "zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
             m->name);
    m->fd = openat(root, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (m->fd < 0 || fstat(m->fd, &st))
        return mg_error_set(err, MG_ERR_INPUT, path, -1, NULL, "%s",
                            strerror(errno));
    m->pool = serve_pool_open(path, m->fd, !gpkg,
                              gpkg ? sql : sql_mbtiles, threads);
    if (!m->pool)
        return mg_error_set(err, MG_ERR_INPUT, path, -1, NULL,
                            errno == ESTALE ? "replaced while opened"
                                            : "cannot be read by SQLite");
    set_version(m, &st);
    m->ident = file_ident(&st);
    join3(m->label, sizeof m->label, path, gpkg ? ", table " : "",
          gpkg ? m->name : "");
    int rc = gpkg ? serve_gpkg_describe(m->pool, m->name, m, err)
                  : serve_mbtiles_describe(m->pool, m, err);
    if (rc)
        join3(err->file, sizeof err->file, path, "", "");
    return rc;
}

static void map_clear(serve_map *m)
{
    json_decref(m->tilejson);
    serve_pool_close(m->pool);
    if (m->fd >= 0)
        close(m->fd);
    m->tilejson = NULL;
    m->pool = NULL;
    m->fd = -1;
}

static const char *kind_name(mg_serve_store k)
{
    return k == MG_SERVE_STORE_DIR ? "directory"
         : k == MG_SERVE_STORE_MBTILES ? "MBTiles" : "GeoPackage";
}

/* Opens the store the options ask for, else the best that opens. */
static int open_map(const mg_serve_options *o, size_t folder, int root,
                    const candidate *c, int threads, FILE *warn,
                    serve_map *m)
{
    static const mg_serve_store best[3] = {
        MG_SERVE_STORE_MBTILES, MG_SERVE_STORE_DIR, MG_SERVE_STORE_GPKG};
    mg_serve_store order[4] = {o->store, best[0], best[1], best[2]};
    mg_error err;
    for (int i = o->store ? 0 : 1; i < 4; i++) {
        if (!(c->available & order[i]) || (i > 0 && order[i] == o->store))
            continue;
        memset(m, 0, sizeof *m);
        m->fd = -1;
        snprintf(m->name, sizeof m->name, "%s", c->name);
        m->kind = order[i];
        m->available = c->available;
        m->folder = folder;
        mg_error_clear(&err);
        int rc = m->kind == MG_SERVE_STORE_DIR
                     ? open_dir_store(root, m, &err)
                     : open_sql_store(o->dirs[folder], root, c, threads, m,
                                      &err);
        if (m->kind == MG_SERVE_STORE_DIR)
            snprintf(m->label, sizeof m->label, "%s/tiles/%s/",
                     o->dirs[folder], m->name);
        if (rc == MG_OK)
            return 1;
        if (warn)
            fprintf(warn, "mapgen serve: map %s: %s store left out: %s%s%s\n",
                    c->name, kind_name(m->kind), err.file,
                    *err.file ? ": " : "", err.message);
        map_clear(m);
    }
    return 0;
}

static int add_folder_maps(const mg_serve_options *o, size_t folder,
                           int threads, FILE *warn, serve_catalog *cat)
{
    scan s = {NULL, 0};
    int root = cat->folders[folder].fd;
    scan_dirs(root, &s);
    scan_files(o->dirs[folder], root, &s);
    if (s.n)
        qsort(s.c, s.n, sizeof *s.c, by_name);
    serve_map *grown = realloc(cat->maps, (cat->n_maps + s.n + 1) *
                                              sizeof *grown);
    if (!grown) {
        free(s.c);
        return MG_ERR_NOMEM;
    }
    cat->maps = grown;
    for (size_t i = 0; i < s.n; i++) {
        if (serve_catalog_find(cat, s.c[i].name)) {
            if (warn)
                fprintf(warn, "mapgen serve: map %s of %s is hidden by the "
                        "one of an earlier folder\n", s.c[i].name,
                        o->dirs[folder]);
            continue;
        }
        if (open_map(o, folder, root, &s.c[i], threads, warn,
                     &cat->maps[cat->n_maps]))
            cat->n_maps++;
    }
    free(s.c);
    return MG_OK;
}

int serve_catalog_load(const mg_serve_options *o, int threads, FILE *warn,
                       serve_catalog **out, mg_error *err)
{
    serve_catalog *c = calloc(1, sizeof *c);
    int rc = MG_OK;
    *out = NULL;
    if (!c || !(c->folders = calloc(o->n_dirs, sizeof *c->folders))) {
        free(c);
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    }
    atomic_init(&c->refs, 1);
    /* Slots: enough for the budget in tiles of ~4 KB, the sample's
     * median. */
    size_t budget = (size_t)o->cache_mb << 20;
    c->cache = budget ? serve_cache_new(budget / 4096 + 1, budget) : NULL;
    for (size_t i = 0; i < o->n_dirs; i++)
        c->folders[i].fd = -1;
    c->n_folders = o->n_dirs;
    for (size_t i = 0; !rc && i < o->n_dirs; i++) {
        struct stat st;
        serve_folder *f = &c->folders[i];
        f->fd = open(o->dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (f->fd < 0 || fstat(f->fd, &st)) {
            rc = mg_error_set(err, MG_ERR_INPUT, o->dirs[i], -1, NULL,
                              "cannot open the folder to serve: %s",
                              strerror(errno));
            break;
        }
        f->dev = st.st_dev;
        f->ino = st.st_ino;
        rc = add_folder_maps(o, i, threads, warn, c);
        if (rc)
            mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    }
    if (rc) {
        serve_catalog_unref(c);
        return rc;
    }
    *out = c;
    return MG_OK;
}

void serve_catalog_unref(serve_catalog *c)
{
    if (!c || atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    for (size_t i = 0; i < c->n_maps; i++)
        map_clear(&c->maps[i]);
    for (size_t i = 0; i < c->n_folders; i++)
        if (c->folders[i].fd >= 0)
            close(c->folders[i].fd);
    serve_cache_free(c->cache);
    free(c->maps);
    free(c->folders);
    free(c);
}

const serve_map *serve_catalog_find(const serve_catalog *c, const char *name)
{
    for (size_t i = 0; i < c->n_maps; i++)
        if (!strcmp(c->maps[i].name, name))
            return &c->maps[i];
    return NULL;
}

/* ---- tiles ------------------------------------------------------------ */

/* MBTiles: the image's 63-bit FNV-1a hash, which the store keeps for
 * deduplication, and the size.  Equal bytes give an equal ETag across
 * re-renders; a hash collision (different images, same hash; the store
 * tells them apart byte by byte) would also need an equal size. */
static void mbtiles_etag(const serve_map *m, int64_t hash, size_t size,
                         char etag[64])
{
    (void)m;
    snprintf(etag, 64, "\"m%016" PRIx64 "-%zx\"", (uint64_t)hash, size);
}

/* GeoPackage tile rows keep no hash: the file's identity and the row id
 * name the bytes as long as the file is the same. */
static void gpkg_etag(const serve_map *m, int64_t id, size_t size,
                      char etag[64])
{
    snprintf(etag, 64, "\"g%016" PRIx64 "-%" PRIx64 "-%zx\"", m->ident,
             (uint64_t)id, size);
}

/* Reads a tile file into a blob, for the cache; a file that cannot be
 * read whole leaves b->fd set instead, to be sent as it is. */
static void slurp(int fd, serve_body *b)
{
    serve_blob *blob = b->size <= (1u << 20) ? serve_blob_new(b->size) : NULL;
    size_t got = 0;
    while (blob && got < b->size) {
        ssize_t n = pread(fd, blob->data + got, b->size - got, (off_t)got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (blob && got == b->size) {
        memcpy(blob->etag, b->etag, sizeof blob->etag);
        b->blob = blob;
        close(fd);
    } else {
        serve_blob_unref(blob);
        b->fd = fd;
    }
}

static int read_dir_tile(const serve_map *m, int z, uint32_t x, uint32_t y,
                         int cached, serve_body *b)
{
    char rel[64];
    struct stat st;
    snprintf(rel, sizeof rel, "%d/%u/%u%s.png", z, x, y,
             m->tile_size == 512 ? "@2x" : "");
    int fd = openat(m->fd, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
                    O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return 0;
    }
    /* A tile file is written once, in the partial directory, and never
     * rewritten: inode, size and mtime name its bytes. */
    snprintf(b->etag, sizeof b->etag, "\"d%" PRIx64 "-%" PRIx64 "-%" PRIx64
             "\"", (uint64_t)st.st_ino, (uint64_t)st.st_size,
             (uint64_t)st.st_mtim.tv_sec * 1000000000u +
                 (uint64_t)st.st_mtim.tv_nsec);
    b->size = (uint64_t)st.st_size;
    if (cached)
        slurp(fd, b);
    else
        b->fd = fd;
    return 1;
}

/* Finds a tile in the store; b->blob or b->fd is set on 1. */
static int fetch_tile(const serve_catalog *c, const serve_map *m, int z,
                      uint32_t x, uint32_t y, serve_body *b)
{
    switch (m->kind) {
    case MG_SERVE_STORE_DIR:
        return read_dir_tile(m, z, x, y, c->cache != NULL, b);
    case MG_SERVE_STORE_MBTILES:
        return serve_pool_query(m->pool, z, x, mg_tiles_flip_row(z, y), m,
                                mbtiles_etag, b);
    case MG_SERVE_STORE_GPKG:
        return serve_pool_query(m->pool, z, x, y, m, gpkg_etag, b);
    default:
        return -1;
    }
}

int serve_map_read_tile(const serve_catalog *c, const serve_map *m, int z,
                        uint32_t x, uint32_t y, const char *inm,
                        serve_body *b)
{
    b->fd = -1;
    b->blob = NULL;
    b->size = 0;
    b->not_modified = 0;
    size_t key = (size_t)(m - c->maps);
    int got = 1;
    if ((b->blob = serve_cache_get(c->cache, key, z, x, y))) {
        b->size = b->blob->size;
        memcpy(b->etag, b->blob->etag, sizeof b->etag);
    } else if ((got = fetch_tile(c, m, z, x, y, b)) == 1 && b->blob) {
        serve_cache_put(c->cache, key, z, x, y, b->blob);
    }
    if (got != 1)
        return got;
    b->not_modified = mg_serve_etag_match(inm, b->etag);
    if (b->not_modified) {
        serve_blob_unref(b->blob);
        if (b->fd >= 0)
            close(b->fd);
        b->blob = NULL;
        b->fd = -1;
    }
    return 1;
}
