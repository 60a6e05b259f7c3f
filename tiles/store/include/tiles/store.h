/*
 * tiles/store — where the tiles of a map go: a directory of XYZ PNGs, an
 * MBTiles file or a tile table of the run's GeoPackage (docs/stores.md).
 * Each kind is one file behind one table of functions (store_internal.h,
 * mg_store_methods, in the manner of SQLite's sqlite3_io_methods), so a new
 * kind is one file and one entry in the table of kinds.
 *
 * Threads: one thread uses a store at a time.
 */
#ifndef MG_TILES_STORE_H
#define MG_TILES_STORE_H

#include "tiles/render.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- tile stores ---------------------------------------------------------
 *
 * A store receives the PNG tiles of one map (one pyramid) and makes them
 * visible to readers only when whole.  One thread uses a store at a time:
 * renderer threads hand their PNGs to one writer.
 *
 *   MG_STORE_DIR      path = out/tiles/<map>: {z}/{x}/{y}.png (512 px tiles:
 *                     {y}@2x.png) and tilejson.json (TileJSON 3.0.0).
 *   MG_STORE_MBTILES  path = out/<map>.mbtiles (MBTiles 1.3; rows in TMS
 *                     order through mg_tiles_flip_row(); identical images
 *                     stored once behind a `tiles` view).
 *   MG_STORE_GPKG     path = an existing GeoPackage (the vector one); a
 *                     tile table named after the map in EPSG:3857 (OGC
 *                     GeoPackage tiles, GoogleMapsCompatible matrix set).
 *
 * Crash safety: while open, a store writes under a temporary name that a
 * reader never takes as complete; mg_store_close() makes it whole and moves
 * it into place.  With resume, mg_store_open() reopens the temporary store
 * of an interrupted run and mg_store_has_tile() tells what is done. */
typedef enum mg_store_kind {
    MG_STORE_DIR,
    MG_STORE_MBTILES,
    MG_STORE_GPKG
} mg_store_kind;

/* What a store records about its tile set (copied at open). */
typedef struct mg_tileset_info {
    const char *name;  /* map name, [a-z0-9_-]: "needs" */
    const char *title; /* human title */
    const char *description;
    const char *attribution;
    const char *legend_json; /* JSON array of {"label", "color"}, or NULL */
    const char *classes_json; /* JSON object: the map's classification with
                                 its breaks at full precision, or NULL */
    const char *tiles_url;    /* absolute URL of the tile set's folder
                                 (TileJSON "tiles" under it), or NULL:
                                 relative to the TileJSON */
    const char *extra_json;  /* JSON object whose keys the TileJSON carries
                                too ("periods", "change"), or NULL */
    int minzoom, maxzoom;
    double west, south, east, north; /* lon/lat bounds of the data */
    int tile_size;                   /* 256 or 512 */
} mg_tileset_info;

typedef struct mg_store mg_store;

/* Opens a store for writing.  Fails with MG_ERR_OUTPUT when the final
 * store exists and force is 0 (unless resume), naming the path.  Returns
 * MG_OK and *out (finish with mg_store_close(), or drop with
 * mg_store_free()), or an MG_ERR_* code with err filled. */
int mg_store_open(mg_store **out, mg_store_kind kind, const char *path,
                  const mg_tileset_info *info, int force, int resume,
                  mg_error *err);

/* 1 when the store already holds tile z/x/y (XYZ numbering), else 0. */
int mg_store_has_tile(mg_store *s, int z, uint32_t x, uint32_t y);

/* Stores one PNG tile (XYZ numbering).  Returns MG_OK or MG_ERR_OUTPUT. */
int mg_store_put_tile(mg_store *s, int z, uint32_t x, uint32_t y,
                      const unsigned char *png, size_t size, mg_error *err);

/* Writes the metadata, makes the store whole and moves it into place, then
 * frees it.  With set, the move waits for mg_outset_commit() of set, so the
 * store appears together with the run's other outputs or not at all (the
 * finished temporary form stays for --resume when the set is dropped).
 * Returns MG_OK or MG_ERR_OUTPUT (the store is freed either way; its
 * temporary form is kept for --resume). */
int mg_store_close(mg_store *s, mg_outset *set, mg_error *err);

/* Where the tiles will be once the store is closed and until a set it was
 * closed into commits: its temporary form, or the final store when resume
 * found it whole.  Owned by the store. */
const char *mg_store_get_tiles_path(const mg_store *s);

/* Frees an open store without completing it; its temporary form is kept
 * so a later run can resume.  Accepts NULL. */
void mg_store_free(mg_store *s);

/* Details of the functions above (docs/stores.md has the design):
 *  - Temporary forms: out/tiles/.<map>.partial/, out/.<map>.mbtiles.partial
 *    and, for the GeoPackage kind, a sidecar MBTiles database
 *    .<gpkg>.<map>.tiles.partial beside the GeoPackage (a ".tmp-<pid>-"
 *    prefix of the GeoPackage's name is dropped, so a resumed run finds it).
 *    A GeoPackage store copies the sidecar into the GeoPackage at close
 *    with mg_store_copy_to_gpkg().
 *  - resume with no temporary form but a final store: the earlier run had
 *    finished; has_tile is 1 for every tile, put fails and close keeps the
 *    final store as it is.  Without resume a temporary form is removed.
 *  - An existing final store is replaced (at close, never before) when
 *    force or resume is given.
 *  - put also returns MG_ERR_USAGE for data that is not a PNG or a tile
 *    outside minzoom..maxzoom; after a failed put the store refuses
 *    further tiles.  open returns MG_ERR_USAGE for a bad info (name not
 *    [a-z0-9_-], zooms, tile size, bounds, legend not a JSON array).
 *  - MBTiles/GeoPackage files that are locked by another run fail with
 *    MG_ERR_OUTPUT. */

/* Copies the tiles of a finished MBTiles file (closed by mg_store_close())
 * into a tile table named info->name of the existing GeoPackage gpkg, in
 * one transaction, so readers see the table whole or not at all: EPSG:3857
 * added to gpkg_spatial_ref_sys when missing, a gpkg_contents row
 * (data_type 'tiles', the bounds of info in metres), gpkg_tile_matrix_set
 * (the whole web-mercator square), a gpkg_tile_matrix row per zoom
 * minzoom..maxzoom (2^z x 2^z tiles of info->tile_size px), and the tiles
 * with their rows flipped back to GeoPackage's top-left numbering.  An
 * existing tile table of that name is replaced only when force; a table of
 * another kind is never replaced.  Polls mg_interrupted.  Returns MG_OK,
 * MG_ERR_USAGE (bad info), MG_ERR_INPUT (mbtiles missing or not MBTiles),
 * MG_ERR_OUTPUT (gpkg missing, not a GeoPackage, unwritable, table exists),
 * MG_ERR_INTERRUPTED (the GeoPackage is left unchanged), MG_ERR_NOMEM or
 * MG_ERR_DEPENDENCY, with err filled. */
int mg_store_copy_to_gpkg(const char *mbtiles, const char *gpkg,
                          const mg_tileset_info *info, int force,
                          mg_error *err);

/* A render sink (tiles/render.h) that writes to store. */
mg_render_sink mg_store_sink(mg_store *store);

/* ---- shard files ----------------------------------------------------------
 *
 * What `mapgen run --shard I/K` writes and `mapgen merge` reads
 * (docs/scale.md): the tiles a shard rendered, per map in the order the
 * renderer handed them over, and a manifest (JSON text the caller makes).
 * A shard is written under "<path>.partial" and renamed to path by
 * mg_shard_close(), so a shard file under its final name is whole. */
typedef struct mg_shard mg_shard;

/* Starts the shard file path (its directory made if missing) with the
 * manifest.  Returns MG_OK and *out, or MG_ERR_OUTPUT / MG_ERR_NOMEM. */
int mg_shard_create(mg_shard **out, const char *path, const char *manifest,
                    mg_error *err);

/* The tiles put from now on belong to map (numbered from 0 again). */
void mg_shard_set_map(mg_shard *s, const char *map);

/* A render sink that writes to s. */
mg_render_sink mg_shard_sink(mg_shard *s);

/* Commits, closes and renames the shard into place; frees s either way
 * (on failure nothing is left under either name).  MG_OK or
 * MG_ERR_OUTPUT. */
int mg_shard_close(mg_shard *s, mg_error *err);

/* Drops an unfinished shard, its temporary file removed.  Accepts NULL. */
void mg_shard_free(mg_shard *s);

/* The manifest of the shard file at path (caller frees).  MG_ERR_INPUT
 * naming path when it is missing, not a shard file or incomplete. */
int mg_shard_read_manifest(const char *path, char **manifest, mg_error *err);

/* Called after each tile replayed, with its zoom and size; non-zero
 * stops the replay with that code. */
typedef int (*mg_shard_replay_fn)(void *user, int z, size_t size,
                                  mg_error *err);

/* Hands every tile of map in the shard file path to each sink, in the
 * order they were written; each (may be NULL) after each tile.  Returns
 * MG_OK, MG_ERR_INPUT, or what a sink or each returned. */
int mg_shard_replay(const char *path, const char *map,
                    const mg_render_sink *sinks, size_t n_sinks,
                    mg_shard_replay_fn each, void *user, mg_error *err);

#ifdef __cplusplus
}
#endif
#endif
