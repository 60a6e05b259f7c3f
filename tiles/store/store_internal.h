/* Tile stores: what the directory, MBTiles and GeoPackage back ends share.
 * Not part of the public API; docs/stores.md describes the design. */
#ifndef MG_TILES_STORE_INTERNAL_H
#define MG_TILES_STORE_INTERNAL_H

#include "tiles/store.h"

#include <sqlite3.h>

/* What each kind of store does, in the manner of SQLite's
 * sqlite3_io_methods: a new kind is one file that defines one of these and
 * one entry in store.c's table of kinds.  Every function gets a store that
 * store.c has checked (arguments, zooms, the failed and complete states).
 *   partial_suffix  the temporary form's name: "<dir>/.<base><suffix>"
 *                   (%s is the map's name)
 *   exists          *exists = 1 when the final store is there
 *   open            create the temporary form, or reopen it (resume)
 *   has, put        one tile, XYZ numbering
 *   finish          make the temporary form whole (under its name still)
 *   publish         1: store.c then moves the temporary form to the final
 *                   path (at once, or at the commit of an output set)
 *   release         free what open made without completing it (the
 *                   temporary form stays for --resume); may be NULL */
typedef struct mg_store_methods {
    const char *name;
    const char *partial_suffix;
    int is_dir;
    int (*exists)(mg_store *s, int *exists, mg_error *err);
    int (*open)(mg_store *s, int resume, mg_error *err);
    int (*has)(mg_store *s, int z, uint32_t x, uint32_t y);
    int (*put)(mg_store *s, int z, uint32_t x, uint32_t y,
               const unsigned char *png, size_t size, mg_error *err);
    int (*finish)(mg_store *s, mg_error *err);
    int publish;
    void (*release)(mg_store *s);
} mg_store_methods;

extern const mg_store_methods store_dir_methods;
extern const mg_store_methods store_mbtiles_methods;
extern const mg_store_methods store_gpkg_methods;

struct mg_store {
    const mg_store_methods *m;
    mg_tileset_info info; /* every string a copy owned by the store;
                           * title, description and attribution never
                           * NULL */
    char *final_path;     /* what readers see: the .mbtiles, the tile
                           * directory or the GeoPackage */
    char *partial_path;   /* where tiles go until close: the hidden
                           * directory, the hidden .partial database or
                           * (GeoPackage) the hidden sidecar database */
    int replace;          /* close may replace an existing final store
                           * (force, or resuming a forced run) */
    int complete;         /* resume found the final store whole and no
                           * partial one: there is nothing to write */
    int failed;           /* a write failed: the store refuses further
                           * tiles and close keeps the partial form */

    /* directory: file = partial_path + "/z/x/y@2x.png", rebuilt per tile */
    char *file;
    size_t dir_len; /* strlen(partial_path) */
    struct dir_links *links; /* small PNGs written, for hard links */

    /* MBTiles, and the GeoPackage kind's sidecar (an MBTiles database) */
    sqlite3 *db;
    sqlite3_stmt *has, *find_image, *add_image, *add_map, *set_map;
    long pending; /* tiles put since the last commit */
    size_t pending_bytes;
    int replaced; /* a tile was put twice: images may be orphaned */
};

/* ---- store.c: shared helpers -------------------------------------------- */

/* Why an info is unusable (a sentence), or NULL when it is fine. */
const char *store_info_problem(const mg_tileset_info *info);

/* 1 when path names an existing file or directory. */
int store_exists(const char *path);

/* The exists method of the kinds whose final store is one path. */
int store_path_exists(mg_store *s, int *exists, mg_error *err);

/* "<dir>/.<base><suffix>" for path "<dir>/<base>", with a leading
 * ".tmp-<pid>-" dropped from base (mg_outset_add()'s temporary names) so
 * that a resumed run, which has another pid, finds the same name.  NULL when
 * out of memory.  Caller frees. */
char *store_hidden_name(const char *path, const char *suffix);

/* mkdir -p of the directory holding path.  Returns 0 or -1 (errno set). */
int store_make_parent(const char *path);

/* Moves partial into place as final (mg_publish()), replacing an existing
 * final only when s->replace.  Returns MG_OK or MG_ERR_OUTPUT naming
 * final. */
int store_publish(mg_store *s, const char *partial, const char *final,
                  mg_error *err);

/* The default view: centre of the bounds and a zoom at which they fill
 * about 1024 pixels, within minzoom..maxzoom. */
void store_center(const mg_tileset_info *info, double *lon, double *lat,
                  int *zoom);

/* Bounds with latitudes clamped to the mercator square. */
void store_bounds(const mg_tileset_info *info, double b[4]);

/* ---- store_mbtiles.c: shared with the GeoPackage kind's sidecar ---- */

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

/* TileJSON's "legend" (a string, as TileJSON 3.0.0 says): the title, then
 * a line "#rrggbb label" per entry, a group's title as a line "Group:"
 * before its entries.  Plain text, no markup.  To free(); NULL: NOMEM. */
char *store_legend_text(const mg_tileset_info *in);

/* {"legend": [the structured legend], "classification": MG_JSON_RAW_MARK}
 * (each when the info has it), the "mapgen" key of the TileJSON and the
 * MBTiles json row.  Caller decrefs; NULL: NOMEM. */
json_t *store_mapgen_object(const mg_tileset_info *in);

/* json_dumps(o, flags) with the classification spliced in at its mark, at
 * full precision.  To free(); NULL: NOMEM. */
char *store_dump_exact(json_t *o, size_t flags, const mg_tileset_info *in);

#endif
