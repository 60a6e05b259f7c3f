/* Tile stores: what the directory, MBTiles and GeoPackage back ends share.
 * Not part of the public API; docs/stores.md describes the design. */
#ifndef MG_TILES_STORE_INTERNAL_H
#define MG_TILES_STORE_INTERNAL_H

#include "tiles/tiles.h"

#include <sqlite3.h>

struct mg_store {
    mg_store_kind kind;
    mg_tileset_info info;    /* every string a copy owned by the store;
                              * title, description and attribution never
                              * NULL */
    char *final_path;        /* what readers see: the .mbtiles, the tile
                              * directory or the GeoPackage */
    char *partial_path;      /* where tiles go until close: the hidden
                              * directory, the hidden .partial database or
                              * (GeoPackage) the hidden sidecar database */
    int replace;             /* close may replace an existing final store
                              * (force, or resuming a forced run) */
    int complete;            /* resume found the final store whole and no
                              * partial one: there is nothing to write */
    int failed;              /* a write failed: the store refuses further
                              * tiles and close keeps the partial form */

    /* directory: file = partial_path + "/z/x/y@2x.png", rebuilt per tile */
    char *file;
    size_t dir_len;          /* strlen(partial_path) */

    /* MBTiles, and the GeoPackage kind's sidecar (an MBTiles database) */
    sqlite3 *db;
    sqlite3_stmt *has, *find_image, *add_image, *add_map, *set_map;
    long pending;            /* tiles put since the last commit */
    size_t pending_bytes;
    int replaced;            /* a tile was put twice: images may be orphaned */
};

/* ---- store.c: shared helpers ---- */

/* Why an info is unusable (a sentence), or NULL when it is fine. */
const char *store_info_problem(const mg_tileset_info *info);

/* 1 when path names an existing file or directory. */
int store_exists(const char *path);

/* "<dir>/.<base><suffix>" for path "<dir>/<base>", with a leading
 * ".tmp-<pid>-" dropped from base (mg_outset_add()'s temporary names) so
 * that a resumed run, which has another pid, finds the same name.  NULL when
 * out of memory.  Caller frees. */
char *store_hidden_name(const char *path, const char *suffix);

/* mkdir -p of the directory holding path.  Returns 0 or -1 (errno set). */
int store_make_parent(const char *path);

/* Removes a file or a whole directory tree (not following symlinks).
 * Returns 0 (also when path does not exist) or -1 (errno set). */
int store_remove_tree(const char *path);

/* fsync()s path (a file, or the directory holding it when parent is 1).
 * Returns 0 or -1 (errno set). */
int store_sync(const char *path, int parent);

/* Moves partial into place as final, replacing an existing final only when
 * s->replace: a directory is swapped through a name beside it (rename()
 * cannot replace a non-empty directory), a file replaced atomically.
 * Returns MG_OK or MG_ERR_OUTPUT naming final. */
int store_publish(mg_store *s, const char *partial, const char *final,
                  int is_dir, mg_error *err);

/* The default view: centre of the bounds and a zoom at which they fill
 * about 1024 pixels, within minzoom..maxzoom. */
void store_center(const mg_tileset_info *info, double *lon, double *lat,
                  int *zoom);

/* Bounds with latitudes clamped to the mercator square. */
void store_bounds(const mg_tileset_info *info, double b[4]);

/* ---- store_sqlite.c: the SQLite boundary ---- */

/* Turns a failed SQLite call (rc, with db's message when db is not NULL)
 * into an mg_error naming path and what was being done; returns the code:
 * MG_ERR_NOMEM, MG_ERR_INTERRUPTED, MG_ERR_DEPENDENCY for SQL errors (our
 * bug or a library fault) and MG_ERR_OUTPUT for everything about the file
 * (I/O, disk full, permission, locked by another run, corrupt). */
int store_sql_error(sqlite3 *db, int rc, const char *path, const char *doing,
                    mg_error *err);

/* sqlite3_exec() of sql; failures go through store_sql_error(). */
int store_sql_exec(sqlite3 *db, const char *sql, const char *path,
                   mg_error *err);

/* Opens path with flags, busy timeout 0.  On failure closes the handle and
 * returns the error; *db is NULL then. */
int store_sql_open(const char *path, int flags, sqlite3 **db, mg_error *err);

/* Aborts long statements when mg_interrupted is set (SQLITE_INTERRUPT,
 * which store_sql_error() turns into MG_ERR_INTERRUPTED). */
void store_sql_watch_interrupt(sqlite3 *db);

/* ---- store_mbtiles.c ---- */

/* Opens (fresh or resumed) the MBTiles database s->partial_path: schema,
 * pragmas, prepared statements, a transaction.  resume keeps its tiles. */
int mbtiles_open(mg_store *s, int resume, mg_error *err);
int mbtiles_has(mg_store *s, int z, uint32_t x, uint32_t y);
int mbtiles_put(mg_store *s, int z, uint32_t x, uint32_t y,
                const unsigned char *png, size_t size, mg_error *err);
/* Writes the metadata, commits and closes the database (still under its
 * partial name). */
int mbtiles_finish(mg_store *s, mg_error *err);
/* Commits what was put (unless the store failed) and closes. */
void mbtiles_release(mg_store *s);
/* Removes an MBTiles database and its rollback journal. */
void mbtiles_remove(const char *path);

/* ---- store_dir.c ---- */

int dir_open(mg_store *s, int resume, mg_error *err);
int dir_has(mg_store *s, int z, uint32_t x, uint32_t y);
int dir_put(mg_store *s, int z, uint32_t x, uint32_t y,
            const unsigned char *png, size_t size, mg_error *err);
int dir_close(mg_store *s, mg_error *err);

/* ---- store_gpkg.c ---- */

/* Checks the GeoPackage and the tile table (exists: *exists = 1) before
 * a GeoPackage store opens its sidecar. */
int gpkg_probe(const char *gpkg, const char *table, int *exists,
               mg_error *err);

#endif
