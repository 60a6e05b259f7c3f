/*
 * What the files of mapgen/serve/ share: the catalog of maps and their
 * stores (catalog.c, source_sql.c), the server (http.c, files.c) and its
 * reloading (reload.c).  Not part of the public API (serve.h).
 *
 * Threads: a catalog is built whole by one thread, then only read by the
 * request threads; each request holds a reference (serve_catalog_ref)
 * for as long as it uses it, so a reload can put a new catalog in place
 * while the old one finishes the requests it has.
 */
#ifndef MG_SERVE_INTERNAL_H
#define MG_SERVE_INTERNAL_H

#include "mapgen/route.h"
#include "mapgen/serve.h"

#include <jansson.h>
#include <sqlite3.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* A pool of read-only SQLite connections to one file, one statement
 * each (source_sql.c).  Thread-safe. */
typedef struct serve_pool serve_pool;

/* Tiles of the SQLite stores kept in memory (cache.c). */
typedef struct serve_cache serve_cache;

/* One map: the store that answers its tiles and what its TileJSON says. */
typedef struct serve_map {
    char name[MG_SERVE_NAME_MAX + 1];
    mg_serve_store kind;        /* the store chosen */
    unsigned available;         /* MG_SERVE_STORE_* bits found */
    size_t folder;              /* index into the folders */
    int minzoom, maxzoom, tile_size;
    char version[17];           /* ?v=: changes when the store is replaced */
    char label[1100];           /* where the tiles come from, for people */
    json_t *tilejson;           /* template: everything but "tiles" */
    int fd;                     /* DIR: the map's folder; else the file */
    uint64_t ident;             /* GPKG: the file's identity, for ETags */
    serve_pool *pool;           /* MBTILES, GPKG */
} serve_map;

/* One served folder. */
typedef struct serve_folder {
    int fd;                     /* O_DIRECTORY */
    dev_t dev;
    ino_t ino;
} serve_folder;

typedef struct serve_catalog {
    atomic_int refs;
    serve_map *maps;
    size_t n_maps;
    serve_folder *folders;
    size_t n_folders;
    serve_cache *cache;         /* tiles of the SQLite stores */
    unsigned long generation;
} serve_catalog;

/* Builds the catalog of the folders of o (every map in each, the first
 * folder holding a name wins).  threads bounds each pool.  Returns
 * MG_OK with *out (refs 1), or MG_ERR_INPUT naming a missing folder,
 * MG_ERR_DEPENDENCY (SQLite) or MG_ERR_NOMEM.  A store that cannot be
 * read is left out with a note in err->message only when nothing else
 * failed (warnings go to `warn` when not NULL). */
int serve_catalog_load(const mg_serve_options *o, int threads, FILE *warn,
                       serve_catalog **out, mg_error *err);

/* Drops a reference; the last one frees the catalog.  NULL is ignored. */
void serve_catalog_unref(serve_catalog *c);

/* The map named name, or NULL. */
const serve_map *serve_catalog_find(const serve_catalog *c,
                                    const char *name);

/* Bytes shared by the cache and the responses sending them (cache.c):
 * made with one reference, freed with the last. */
typedef struct serve_blob {
    atomic_int refs;
    size_t size;
    char etag[64];
    unsigned char data[];
} serve_blob;

serve_blob *serve_blob_new(size_t size);   /* NULL when out of memory */
void serve_blob_unref(void *blob);          /* NULL is ignored */

/* Tiles of SQLite stores by (map index, z, x, y), at most budget bytes
 * in slots slots (0: no cache).  Thread-safe. */
serve_cache *serve_cache_new(size_t slots, size_t budget);
void serve_cache_free(serve_cache *c);
/* The cached tile with a reference for the caller, or NULL. */
serve_blob *serve_cache_get(serve_cache *c, size_t map, int z, uint32_t x,
                            uint32_t y);
/* Keeps b (taking a reference of its own) unless over budget. */
void serve_cache_put(serve_cache *c, size_t map, int z, uint32_t x,
                     uint32_t y, serve_blob *b);

/* A tile as a response body: either an open file (fd >= 0, size bytes;
 * the receiver closes it) or shared bytes (blob, one reference for the
 * receiver). */
typedef struct serve_body {
    int fd;
    serve_blob *blob;
    uint64_t size;
    char etag[64];              /* quoted */
    int not_modified;           /* If-None-Match matched: no body */
} serve_body;

/* Reads tile z/x/y of m (inside its pyramid), from c's cache when it is
 * there.  inm is the If-None-Match
 * header or NULL.  Returns 1 with *b filled, 0 when the store has no such
 * tile, -1 on a read error (the store is broken or gone). */
int serve_map_read_tile(const serve_catalog *c, const serve_map *m, int z, uint32_t x, uint32_t y,
                        const char *inm, serve_body *b);

/* source_sql.c: MBTiles and GeoPackage stores.  A pool opens capacity
 * connections to path at once, and fails (NULL, errno ESTALE) unless
 * path is still the file fd holds open when they are all open. */
serve_pool *serve_pool_open(const char *path, int fd, int immutable,
                            const char *sql, int capacity);
void serve_pool_close(serve_pool *p);
/* The pool's first connection, for describing the store while the
 * catalog is built (before any request can use the pool). */
sqlite3 *serve_pool_db(serve_pool *p);

/* Makes the quoted ETag of a tile from its key (MBTiles: the image hash;
 * GeoPackage: the row id) and size. */
typedef void (*serve_etag_fn)(const serve_map *m, int64_t key, size_t size,
                              char etag[64]);

/* Runs the pool's statement with (z, x, row), which selects (key, PNG).
 * On a row returns 1 with b->etag and b->size set, and b->blob a copy
 * of the PNG (its etag set too); 0: no row; -1: error. */
int serve_pool_query(serve_pool *p, int z, uint32_t x, uint32_t row,
                     const serve_map *m, serve_etag_fn etag_of,
                     serve_body *b);

/* What an MBTiles file or a GeoPackage tile table says of itself: fills
 * m's minzoom, maxzoom, tile_size and tilejson (also on failure; the
 * caller frees it).  Returns MG_OK or MG_ERR_INPUT with err->message
 * saying why the store is left out. */
int serve_mbtiles_describe(serve_pool *p, serve_map *m, mg_error *err);
int serve_gpkg_describe(serve_pool *p, const char *table, serve_map *m,
                        mg_error *err);
/* The tile tables of a GeoPackage whose names are map names, as
 * strdup'd strings in *names (free each and the array); -1 when the
 * file is not a GeoPackage. */
int serve_gpkg_list_tables(serve_pool *p, char ***names, size_t *n);

/* ---- the server (server.c, http.c, files.c, reload.c) --------------- */

struct MHD_Daemon;
struct MHD_Connection;

typedef struct serve_server {
    mg_serve_options o;
    int threads;
    int port;                   /* the port bound */
    char public_url[1024];      /* "" when not given; no trailing '/' */
    char tile_cache[64];        /* Cache-Control of tiles */
    char **hosts;               /* Host values TileJSON URLs may use */
    size_t n_hosts;
    int openat2;                /* 1: openat2(RESOLVE_BENEATH) works here */
    unsigned char *blank[2];    /* transparent 256 and 512 px PNGs */
    size_t blank_size[2];
    FILE *log;
    struct MHD_Daemon *daemon;
    pthread_mutex_t lock;       /* guards cat (the pointer) */
    serve_catalog *cat;
    atomic_ulong generation;    /* catalogs loaded so far */
    atomic_int stop;            /* asks the reload thread to end */
    pthread_t watcher;
    void *watch_state;          /* reload.c's */
    int watching;
} serve_server;

/* The current catalog with a reference taken; give it back with
 * serve_catalog_unref().  Never NULL while the server runs. */
serve_catalog *serve_server_catalog(serve_server *s);

/* Puts c in place of the current catalog (whose reference is dropped:
 * requests still holding it finish on it). */
void serve_server_swap(serve_server *s, serve_catalog *c);

/* http.c: the request handler, for MHD_start_daemon(). */
int serve_http_start(serve_server *s, mg_error *err);

/* files.c: opens path (mg_serve_path_is_safe) below the folder root for
 * reading: with openat2(RESOLVE_BENEATH) when openat2 is set, so that a
 * symbolic link may point inside the folder but not out of it; else one
 * component at a time with O_NOFOLLOW, refusing every symbolic link.
 * Returns the descriptor, or -1 with errno (ENOENT: not there; EXDEV,
 * ELOOP: refused). */
int serve_open_beneath(int openat2, int root, const char *path);

/* 1 when openat2() is available (a kernel of 5.6 or later, and not
 * blocked by a seccomp filter). */
int serve_probe_openat2(int root);

/* The Content-Type of a file name, by its extension. */
const char *serve_content_type(const char *path);

/* reload.c: follows the folders (inotify, and a check every 2 s) and
 * swaps in a new catalog when a store is replaced. */
int serve_reload_start(serve_server *s, mg_error *err);
void serve_reload_stop(serve_server *s);

/* FNV-1a over n bytes, continuing from h (start: 14695981039346656037). */
uint64_t serve_fnv(uint64_t h, const void *p, size_t n);

#endif
