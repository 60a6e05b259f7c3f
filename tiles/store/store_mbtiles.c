/* The MBTiles 1.3 store (and the GeoPackage store's sidecar): images
 * stored once, addressed through a map table, behind a `tiles` view. */
#include "store_internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a failed statement was doing, for its one-line message. */
#define WRITE_MBTILES "cannot write the MBTiles file"

/* Tiles and bytes per transaction: large enough that commits cost nothing
 * next to the inserts, small enough that a killed run loses little. */
enum { BATCH_TILES = 2000 };
#define BATCH_BYTES ((size_t)8 << 20)

/* SQLite's registered magic number for MBTiles, "MPBX". */
#define MBTILES_APPLICATION_ID "1297105496"

static const char schema_sql[] =
    "PRAGMA application_id = " MBTILES_APPLICATION_ID ";"
    "CREATE TABLE metadata (name TEXT, value TEXT);"
    "CREATE UNIQUE INDEX name ON metadata (name);"
    "CREATE TABLE images (tile_id INTEGER PRIMARY KEY,"
    " hash INTEGER NOT NULL, tile_data BLOB NOT NULL);"
    "CREATE INDEX images_hash ON images (hash);"
    "CREATE TABLE map (zoom_level INTEGER NOT NULL,"
    " tile_column INTEGER NOT NULL, tile_row INTEGER NOT NULL,"
    " tile_id INTEGER NOT NULL,"
    " PRIMARY KEY (zoom_level, tile_column, tile_row)) WITHOUT ROWID;"
    "CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level,"
    " map.tile_column AS tile_column, map.tile_row AS tile_row,"
    " images.tile_data AS tile_data"
    " FROM map JOIN images ON images.tile_id = map.tile_id;";

/* The partial file is only made visible when complete, so durability is
 * bought once, at close (fsync before the rename), not per commit: with
 * synchronous OFF a killed process loses nothing SQLite handed to the
 * kernel, and the rollback journal keeps the file consistent when the kill
 * lands mid-commit.  Only an OS crash can corrupt the partial file, which
 * resume detects (quick_check) and starts over.  The exclusive lock keeps a
 * second run off the same file. */
static const char pragma_sql[] = "PRAGMA locking_mode = EXCLUSIVE;"
                                 "PRAGMA journal_mode = TRUNCATE;"
                                 "PRAGMA synchronous = OFF;"
                                 "PRAGMA cache_size = -65536;";

static void remove_journal(const char *path)
{
    size_t n = strlen(path) + 16;
    char *journal = malloc(n);
    if (journal) {
        snprintf(journal, n, "%s-journal", path);
        remove(journal);
    }
    free(journal);
}

static uint64_t fnv1a64(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3u;
    return h;
}

static int prepare(mg_store *s, const char *sql, sqlite3_stmt **st,
                   mg_error *err)
{
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
                                NULL);
    return rc == SQLITE_OK ? MG_OK
                           : mg_sqlite_error(s->db, rc, s->partial_path,
                                             "cannot prepare", err);
}

static int prepare_all(mg_store *s, mg_error *err)
{
    int rc = prepare(s,
                     "SELECT 1 FROM map WHERE zoom_level = ?1 AND "
                     "tile_column = ?2 AND tile_row = ?3",
                     &s->has, err);
    if (!rc)
        rc = prepare(s,
                     "SELECT tile_id, tile_data FROM images WHERE "
                     "hash = ?1",
                     &s->find_image, err);
    if (!rc)
        rc = prepare(s,
                     "INSERT INTO images (hash, tile_data) VALUES "
                     "(?1, ?2)",
                     &s->add_image, err);
    if (!rc)
        rc = prepare(s,
                     "INSERT INTO map (zoom_level, tile_column, tile_row,"
                     " tile_id) VALUES (?1, ?2, ?3, ?4)",
                     &s->add_map, err);
    if (!rc)
        rc = prepare(s,
                     "UPDATE map SET tile_id = ?4 WHERE zoom_level = ?1 "
                     "AND tile_column = ?2 AND tile_row = ?3",
                     &s->set_map, err);
    return rc;
}

/* Sets *ok to 1 when the partial database of an earlier run is whole and
 * ours, 0 when it must be started over.  Returns an MG_ERR_* code when it
 * cannot be read at all (locked by another run, say). */
static int check_resumable(mg_store *s, int *ok_out, mg_error *err)
{
    sqlite3_stmt *st = NULL;
    /* quick_check reads every page (seconds per GB), but only on resume,
     * and a file an OS crash corrupted must not be finished. */
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    int ok = rc == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    *ok_out = 0;
    if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
        return MG_OK;
    if (rc != SQLITE_ROW)
        return mg_sqlite_error(s->db, rc, s->partial_path,
                               "cannot check the unfinished output", err);
    if (!ok)
        return MG_OK;
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT count(*) FROM sqlite_master WHERE"
                            " name IN ('metadata', 'images', 'map', 'tiles')",
                            -1, &st, NULL);
    ok = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
         sqlite3_column_int(st, 0) == 4;
    sqlite3_finalize(st);
    *ok_out = ok;
    return MG_OK;
}

/* Opens the database; with check, first sets *ok to whether the partial
 * file of an earlier run can be resumed (before any pragma reads it). */
static int open_db(mg_store *s, int check, int *ok, mg_error *err)
{
    int rc = mg_sqlite_open(s->partial_path,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &s->db,
                            err);
    *ok = 1;
    if (!rc && check)
        rc = check_resumable(s, ok, err);
    if (!rc && *ok)
        rc = mg_sqlite_exec(s->db, pragma_sql, s->partial_path, WRITE_MBTILES,
                            err);
    return rc;
}

/* Opens (fresh or resumed) the MBTiles database s->partial_path: schema,
 * pragmas, prepared statements, a transaction.  resume keeps its tiles;
 * without it a rollback journal left by a crash goes first. */
int mbtiles_open(mg_store *s, int resume, mg_error *err)
{
    if (store_make_parent(s->partial_path) != 0)
        return mg_error_errno(err, MG_ERR_OUTPUT, s->partial_path,
                              "cannot create the output directory");
    if (!resume)
        mbtiles_remove(s->partial_path);
    int ok, rc = open_db(s, resume, &ok, err);
    if (!rc && !ok) { /* an OS crash broke it: start over */
        sqlite3_close(s->db);
        s->db = NULL;
        mbtiles_remove(s->partial_path);
        resume = 0;
        rc = open_db(s, 0, &ok, err);
    }
    if (!rc && !resume)
        rc = mg_sqlite_exec(s->db, schema_sql, s->partial_path, WRITE_MBTILES,
                            err);
    if (!rc)
        rc = prepare_all(s, err);
    if (!rc)
        rc = mg_sqlite_exec(s->db, "BEGIN IMMEDIATE", s->partial_path,
                            WRITE_MBTILES, err);
    return rc;
}

int mbtiles_has(mg_store *s, int z, uint32_t x, uint32_t y)
{
    sqlite3_stmt *st = s->has;
    sqlite3_bind_int(st, 1, z);
    sqlite3_bind_int64(st, 2, x);
    sqlite3_bind_int64(st, 3, mg_tiles_flip_row(z, y));
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

/* The id of the stored image equal to png, or 0 when there is none. */
static int find_image(mg_store *s, sqlite3_int64 hash,
                      const unsigned char *png, size_t size, sqlite3_int64 *id,
                      mg_error *err)
{
    sqlite3_stmt *st = s->find_image;
    int rc;
    *id = 0;
    sqlite3_bind_int64(st, 1, hash);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const void *data = sqlite3_column_blob(st, 1);
        size_t n = (size_t)sqlite3_column_bytes(st, 1);
        if (n == size && memcmp(data, png, size) == 0) {
            *id = sqlite3_column_int64(st, 0);
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MG_OK
                             : mg_sqlite_error(s->db, rc, s->partial_path,
                                               "cannot look up a tile", err);
}

static int add_image(mg_store *s, sqlite3_int64 hash, const unsigned char *png,
                     size_t size, sqlite3_int64 *id, mg_error *err)
{
    sqlite3_stmt *st = s->add_image;
    sqlite3_bind_int64(st, 1, hash);
    sqlite3_bind_blob64(st, 2, png, size, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return mg_sqlite_error(s->db, rc, s->partial_path,
                               "cannot write a tile", err);
    *id = sqlite3_last_insert_rowid(s->db);
    return MG_OK;
}

/* Points z/x/row at image id; a tile put twice (a re-rendered tile) is
 * updated, which may orphan its old image until close. */
static int set_tile(mg_store *s, int z, uint32_t x, uint32_t row,
                    sqlite3_int64 id, mg_error *err)
{
    sqlite3_stmt *st = s->add_map;
    for (int pass = 0; pass < 2; pass++) {
        sqlite3_bind_int(st, 1, z);
        sqlite3_bind_int64(st, 2, x);
        sqlite3_bind_int64(st, 3, row);
        sqlite3_bind_int64(st, 4, id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            return MG_OK;
        if ((rc & 0xff) != SQLITE_CONSTRAINT || pass == 1)
            return mg_sqlite_error(s->db, rc, s->partial_path,
                                   "cannot write a tile", err);
        s->replaced = 1;
        st = s->set_map;
    }
    return MG_OK;
}

int mbtiles_put(mg_store *s, int z, uint32_t x, uint32_t y,
                const unsigned char *png, size_t size, mg_error *err)
{
    /* 63 bits: SQLite integers are signed. */
    sqlite3_int64 hash = (sqlite3_int64)(fnv1a64(png, size) >> 1), id;
    int rc = find_image(s, hash, png, size, &id, err);
    if (!rc && !id)
        rc = add_image(s, hash, png, size, &id, err);
    if (!rc)
        rc = set_tile(s, z, x, mg_tiles_flip_row(z, y), id, err);
    if (rc)
        return rc;
    s->pending++;
    s->pending_bytes += size;
    if (s->pending >= BATCH_TILES || s->pending_bytes >= BATCH_BYTES) {
        rc = mg_sqlite_exec(s->db, "COMMIT; BEGIN IMMEDIATE", s->partial_path,
                            WRITE_MBTILES, err);
        s->pending = 0;
        s->pending_bytes = 0;
    }
    return rc;
}

/* Shortest text that reads back as v. */
static void format_number(char *out, size_t n, double v)
{
    snprintf(out, n, "%.15g", v);
    if (strtod(out, NULL) != v)
        snprintf(out, n, "%.17g", v);
}

/* The `json` row into *text: {"legend": [...], "classification": {...},
 * "legend_text": "...", "periods": ...} with what the map has, else NULL.  Caller frees.
 * Returns 0, or -1 when out of memory. */
static int metadata_json(const mg_tileset_info *info, char **text)
{
    *text = NULL;
    if (!info->legend_json && !info->classes_json && !info->extra_json)
        return 0;
    json_t *o = store_mapgen_object(info);
    char *legend = info->legend_json ? store_legend_text(info) : NULL;
    int ok = o && (legend || !info->legend_json);
    if (ok && legend)
        ok = json_object_set_new(o, "legend_text", json_string(legend)) == 0;
    free(legend);
    /* The keys the tile folder's TileJSON carries too ("periods", ...). */
    json_t *extra = ok && info->extra_json
                        ? json_loads(info->extra_json, 0, NULL)
                        : NULL;
    if (extra)
        ok = json_object_update_missing(o, extra) == 0;
    json_decref(extra);
    if (ok)
        *text = store_dump_exact(o, JSON_COMPACT | JSON_PRESERVE_ORDER, info);
    json_decref(o);
    return *text ? 0 : -1;
}

/* The formatted metadata values. */
typedef struct meta_text {
    char bounds[176], center[136], minzoom[16], maxzoom[16];
} meta_text;

static void format_metadata(const mg_tileset_info *in, meta_text *t)
{
    double b[4], lon, lat;
    int zoom;
    char num[4][40];
    store_bounds(in, b);
    store_center(in, &lon, &lat, &zoom);
    for (int i = 0; i < 4; i++)
        format_number(num[i], sizeof num[i], b[i]);
    snprintf(t->bounds, sizeof t->bounds, "%s,%s,%s,%s", num[0], num[1],
             num[2], num[3]);
    format_number(num[0], sizeof num[0], lon);
    format_number(num[1], sizeof num[1], lat);
    snprintf(t->center, sizeof t->center, "%s,%s,%d", num[0], num[1], zoom);
    snprintf(t->minzoom, sizeof t->minzoom, "%d", in->minzoom);
    snprintf(t->maxzoom, sizeof t->maxzoom, "%d", in->maxzoom);
}

static int insert_rows(mg_store *s, const char *const *names,
                       const char *const *values, size_t n, mg_error *err)
{
    sqlite3_stmt *st = NULL;
    int sq = sqlite3_prepare_v2(s->db,
                                "INSERT INTO metadata (name, value) "
                                "VALUES (?1, ?2)",
                                -1, &st, NULL);
    for (size_t i = 0; sq == SQLITE_OK && i < n; i++) {
        sqlite3_bind_text(st, 1, names[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, values[i], -1, SQLITE_STATIC);
        sq = sqlite3_step(st);
        sq = sq == SQLITE_DONE ? SQLITE_OK : sq;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return sq == SQLITE_OK ? MG_OK
                           : mg_sqlite_error(s->db, sq, s->partial_path,
                                             "cannot write the metadata", err);
}

/* MBTiles 1.3 metadata; `name` is the human title, `json` carries the
 * legend when there is one. */
static int write_metadata(mg_store *s, mg_error *err)
{
    const mg_tileset_info *in = &s->info;
    meta_text t;
    format_metadata(in, &t);
    char *json;
    if (metadata_json(in, &json))
        return mg_error_set(err, MG_ERR_NOMEM, s->partial_path, -1, NULL,
                            "out of memory");
    const char *names[] = {"name",    "format",  "bounds",      "center",
                           "minzoom", "maxzoom", "attribution", "description",
                           "type",    "version", "json"};
    const char *values[] = {
        in->title, "png",           t.bounds,        t.center,  t.minzoom,
        t.maxzoom, in->attribution, in->description, "overlay", "1",
        json};
    size_t n = sizeof names / sizeof *names - (json ? 0 : 1);
    int rc = mg_sqlite_exec(s->db, "DELETE FROM metadata", s->partial_path,
                            WRITE_MBTILES, err);
    if (!rc)
        rc = insert_rows(s, names, values, n, err);
    free(json);
    return rc;
}

static void finalize_all(mg_store *s)
{
    sqlite3_finalize(s->has);
    sqlite3_finalize(s->find_image);
    sqlite3_finalize(s->add_image);
    sqlite3_finalize(s->add_map);
    sqlite3_finalize(s->set_map);
    s->has = s->find_image = s->add_image = s->add_map = s->set_map = NULL;
}

int mbtiles_finish(mg_store *s, mg_error *err)
{
    int rc = write_metadata(s, err);
    if (!rc && s->replaced)
        rc = mg_sqlite_exec(s->db,
                            "DELETE FROM images WHERE tile_id NOT IN "
                            "(SELECT tile_id FROM map)",
                            s->partial_path, WRITE_MBTILES, err);
    if (!rc)
        rc = mg_sqlite_exec(s->db, "COMMIT", s->partial_path, WRITE_MBTILES,
                            err);
    if (rc)
        return rc;
    finalize_all(s);
    int sq = sqlite3_close(s->db);
    if (sq != SQLITE_OK)
        return mg_sqlite_error(s->db, sq, s->partial_path, "cannot close",
                               err);
    s->db = NULL;
    remove_journal(s->partial_path); /* TRUNCATE mode leaves it empty */
    if (mg_sync_path(s->partial_path, 0) != 0)
        return mg_error_errno(err, MG_ERR_OUTPUT, s->partial_path,
                              "cannot sync");
    return MG_OK;
}

void mbtiles_release(mg_store *s)
{
    if (!s->db)
        return;
    /* What was put is kept for --resume; after a failed write the open
     * transaction may be half done, so it goes. */
    sqlite3_exec(s->db, s->failed ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    finalize_all(s);
    sqlite3_close(s->db);
    s->db = NULL;
}

void mbtiles_remove(const char *path)
{
    remove(path);
    remove_journal(path);
}

const mg_store_methods store_mbtiles_methods = {
    .name = "mbtiles",
    .partial_suffix = ".partial",
    .exists = store_path_exists,
    .open = mbtiles_open,
    .has = mbtiles_has,
    .put = mbtiles_put,
    .finish = mbtiles_finish,
    .publish = 1,
    .release = mbtiles_release,
};
