/*
 * mapgen serve: an HTTP server for the output folders of `mapgen run`
 * (docs/viewer.md, "mapgen serve").  It answers GET and HEAD for
 *
 *   /                          the viewer page (index.html) and its files
 *   /catalog, /health          JSON: the maps and their TileJSON URLs; ok
 *   /{map}.json                TileJSON 3.0.0 with absolute tile URLs
 *   /{map}/{z}/{x}/{y}.png     a tile (".../{y}@2x.png" for 512-px maps)
 *                              from the map's directory, MBTiles file or
 *                              GeoPackage tile table
 *   /any/other/file            the folder's files (Range supported)
 *
 * on libmicrohttpd's thread pool, and follows `mapgen run --force`
 * replacing the stores under it (in-flight requests finish on the old
 * store).  Paths are resolved under the served folders only.
 */
#ifndef MG_SERVE_H
#define MG_SERVE_H

#include "geodata/core.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Which store answers a map's tiles (--store). */
typedef enum mg_serve_store {
    MG_SERVE_STORE_BEST = 0,  /* MBTiles, else the directory, else GPKG */
    MG_SERVE_STORE_DIR = 1,
    MG_SERVE_STORE_MBTILES = 2,
    MG_SERVE_STORE_GPKG = 4
} mg_serve_store;

/* Options of `mapgen serve`; mg_serve_options_default() fills them. */
typedef struct mg_serve_options {
    const char *const *dirs;  /* the output folders, in lookup order */
    size_t n_dirs;            /* >= 1 */
    const char *bind;         /* numeric IPv4 or IPv6 address */
    int port;                 /* 0: the kernel picks one (printed) */
    const char *public_url;   /* "https://maps.example.org/tiles" or NULL */
    const char *const *allow_hosts; /* further Host values for TileJSON */
    size_t n_allow_hosts;
    int max_age;              /* Cache-Control max-age of tiles, seconds */
    int threads;              /* worker threads; 0: the number of cores */
    const char *log_path;     /* access log, or NULL for none */
    mg_serve_store store;
    int blank;                /* absent tile inside the pyramid: a
                                 transparent PNG instead of 404 */
    const char *cors;         /* Access-Control-Allow-Origin; NULL: none */
    int timeout;              /* idle connection timeout, seconds */
    int max_conns;            /* connections in all */
    int max_per_ip;           /* connections from one address */
    size_t conn_memory;       /* bytes of request buffer per connection */
    int cache_mb;             /* MiB of MBTiles/GeoPackage tiles kept in
                                 memory; 0: none */
    int quiet;                /* print nothing but errors */
} mg_serve_options;

/* Fills o with the defaults: 127.0.0.1:8080, max-age 3600, one thread
 * per core, the best store, CORS "*", 404 for absent tiles, 15 s
 * timeout, 512 connections, 64 per address, 16 KiB per connection, a
 * 64 MiB tile cache. */
void mg_serve_options_default(mg_serve_options *o);

/* Serves until mg_interrupted is set (SIGINT, SIGTERM).  Prints the URL
 * to open and each map and store on stdout (unless quiet).  Returns
 * MG_OK after a clean stop; MG_ERR_USAGE (bad option values: err says
 * which), MG_ERR_INPUT (a folder is missing or holds no output of
 * `mapgen run`), MG_ERR_OUTPUT (the log cannot be opened, the address
 * cannot be bound), MG_ERR_DEPENDENCY or MG_ERR_NOMEM, with err filled. */
int mg_serve_run(const mg_serve_options *o, mg_error *err);

#ifdef __cplusplus
}
#endif
#endif
