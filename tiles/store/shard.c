/*
 * Shard files (docs/scale.md): the tiles one `mapgen run --shard I/K`
 * rendered, in the order the renderer handed them over, and a manifest
 * (JSON text: what was run, by which mapgen, shard I of K) that
 * `mapgen merge` checks before it replays the tiles of every shard, in
 * shard order, into the stores.  An SQLite database:
 *
 *   manifest(key TEXT PRIMARY KEY, value TEXT)  'manifest', 'complete'
 *   tiles(map TEXT, seq INTEGER, z, x, y, data BLOB,
 *         PRIMARY KEY (map, seq))
 *
 * Written under "<path>.partial" and renamed into place when complete, so
 * a shard file under its final name is whole.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char shard_schema[] =
    "PRAGMA journal_mode = OFF;"
    "PRAGMA synchronous = OFF;"
    "CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE tiles (map TEXT NOT NULL, seq INTEGER NOT NULL,"
    " z INTEGER NOT NULL, x INTEGER NOT NULL, y INTEGER NOT NULL,"
    " data BLOB NOT NULL, PRIMARY KEY (map, seq));"
    "BEGIN;";

struct mg_shard {
    char *path, *partial;
    sqlite3 *db;
    sqlite3_stmt *put;
    char map[96];
    long long seq;
};

void mg_shard_free(mg_shard *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->put);
    sqlite3_close(s->db);
    if (s->partial)
        unlink(s->partial);
    free(s->path);
    free(s->partial);
    free(s);
}

static int set_manifest(mg_shard *s, const char *key, const char *value,
                        mg_error *err)
{
    sqlite3_stmt *st = NULL;
    int e = sqlite3_prepare_v2(s->db,
                               "INSERT OR REPLACE INTO manifest VALUES "
                               "(?1, ?2)",
                               -1, &st, NULL);
    if (e == SQLITE_OK)
        e = sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (e == SQLITE_OK)
        e = sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    if (e == SQLITE_OK && (e = sqlite3_step(st)) == SQLITE_DONE)
        e = SQLITE_OK;
    sqlite3_finalize(st);
    return e == SQLITE_OK ? MG_OK
                          : mg_sqlite_error(s->db, e, s->partial,
                                            "cannot write the shard", err);
}

int mg_shard_create(mg_shard **out, const char *path, const char *manifest,
                    mg_error *err)
{
    *out = NULL;
    mg_shard *s = calloc(1, sizeof *s);
    size_t n = strlen(path) + 16;
    if (s && (s->path = strdup(path)) != NULL && (s->partial = malloc(n)))
        snprintf(s->partial, n, "%s.partial", path);
    if (!s || !s->partial) {
        mg_shard_free(s);
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    }
    unlink(s->partial);
    if (store_make_parent(path) != 0) {
        int rc = mg_error_errno(err, MG_ERR_OUTPUT, path,
                                "cannot make the shard's directory");
        mg_shard_free(s);
        return rc;
    }
    int rc = mg_sqlite_open(s->partial,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &s->db,
                            err);
    if (!rc)
        rc = mg_sqlite_exec(s->db, shard_schema, s->partial,
                            "cannot write the shard", err);
    if (!rc)
        rc = set_manifest(s, "manifest", manifest, err);
    if (!rc) {
        int e = sqlite3_prepare_v2(s->db,
                                   "INSERT INTO tiles VALUES (?1, ?2, ?3, "
                                   "?4, ?5, ?6)",
                                   -1, &s->put, NULL);
        if (e != SQLITE_OK)
            rc = mg_sqlite_error(s->db, e, s->partial,
                                 "cannot write the shard", err);
    }
    if (rc) {
        mg_shard_free(s);
        return rc;
    }
    *out = s;
    return MG_OK;
}

void mg_shard_set_map(mg_shard *s, const char *map)
{
    snprintf(s->map, sizeof s->map, "%s", map);
    s->seq = 0;
}

static int shard_put(void *user, int z, uint32_t x, uint32_t y,
                     const unsigned char *png, size_t size, mg_error *err)
{
    mg_shard *s = user;
    sqlite3_stmt *st = s->put;
    sqlite3_reset(st);
    int e = sqlite3_bind_text(st, 1, s->map, -1, SQLITE_STATIC);
    if (e == SQLITE_OK)
        e = sqlite3_bind_int64(st, 2, s->seq++);
    if (e == SQLITE_OK)
        e = sqlite3_bind_int(st, 3, z);
    if (e == SQLITE_OK)
        e = sqlite3_bind_int64(st, 4, x);
    if (e == SQLITE_OK)
        e = sqlite3_bind_int64(st, 5, y);
    if (e == SQLITE_OK)
        e = sqlite3_bind_blob64(st, 6, png, size, SQLITE_STATIC);
    if (e == SQLITE_OK && (e = sqlite3_step(st)) == SQLITE_DONE)
        e = SQLITE_OK;
    return e == SQLITE_OK ? MG_OK
                          : mg_sqlite_error(s->db, e, s->partial,
                                            "cannot write a tile", err);
}

mg_render_sink mg_shard_sink(mg_shard *s)
{
    mg_render_sink k = {NULL, shard_put, s};
    return k;
}

int mg_shard_close(mg_shard *s, mg_error *err)
{
    int rc = set_manifest(s, "complete", "1", err);
    if (!rc)
        rc = mg_sqlite_exec(s->db, "COMMIT", s->partial,
                            "cannot write the shard", err);
    sqlite3_finalize(s->put);
    s->put = NULL;
    if (sqlite3_close(s->db) != SQLITE_OK && !rc)
        rc = mg_error_set(err, MG_ERR_OUTPUT, s->partial, -1, NULL,
                          "cannot close the shard");
    s->db = NULL;
    if (!rc && rename(s->partial, s->path) != 0)
        rc = mg_error_errno(err, MG_ERR_OUTPUT, s->path,
                            "cannot move the shard into place");
    if (!rc) {
        free(s->partial);
        s->partial = NULL;
    }
    mg_shard_free(s);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

static int open_shard(const char *path, sqlite3 **db, mg_error *err)
{
    if (access(path, R_OK) != 0)
        return mg_error_errno(err, MG_ERR_INPUT, path,
                              "cannot read the shard file");
    int rc = mg_sqlite_open(path, SQLITE_OPEN_READONLY, db, err);
    if (rc)
        mg_error_set(err, MG_ERR_INPUT, path, -1, NULL,
                     "not a shard file of mapgen run --shard");
    return rc;
}

int mg_shard_read_manifest(const char *path, char **manifest, mg_error *err)
{
    *manifest = NULL;
    sqlite3 *db = NULL;
    int rc = open_shard(path, &db, err);
    sqlite3_stmt *st = NULL;
    int complete = 0;
    if (!rc && sqlite3_prepare_v2(db,
                                  "SELECT key, value FROM manifest WHERE key "
                                  "IN ('manifest', 'complete')",
                                  -1, &st, NULL) != SQLITE_OK)
        rc = mg_error_set(err, MG_ERR_INPUT, path, -1, NULL,
                          "not a shard file of mapgen run --shard");
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (k && v && !strcmp(k, "complete"))
            complete = !strcmp(v, "1");
        else if (k && v && !*manifest && !(*manifest = strdup(v)))
            rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                              "out of memory");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (!rc && (!*manifest || !complete))
        rc = mg_error_set(err, MG_ERR_INPUT, path, -1, NULL,
                          "the shard file is incomplete (its run did not "
                          "finish); rerun that shard");
    if (rc) {
        free(*manifest);
        *manifest = NULL;
    }
    return rc;
}

int mg_shard_replay(const char *path, const char *map,
                    const mg_render_sink *sinks, size_t n_sinks,
                    mg_shard_replay_fn each, void *user, mg_error *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = open_shard(path, &db, err);
    if (!rc && (sqlite3_prepare_v2(db,
                                   "SELECT z, x, y, data FROM tiles WHERE "
                                   "map = ?1 ORDER BY seq",
                                   -1, &st, NULL) != SQLITE_OK ||
                sqlite3_bind_text(st, 1, map, -1, SQLITE_STATIC) !=
                    SQLITE_OK))
        rc = mg_sqlite_error(db, sqlite3_errcode(db), path,
                             "cannot read the shard", err);
    int e = SQLITE_ROW;
    while (!rc && (e = sqlite3_step(st)) == SQLITE_ROW) {
        int z = sqlite3_column_int(st, 0);
        uint32_t x = (uint32_t)sqlite3_column_int64(st, 1);
        uint32_t y = (uint32_t)sqlite3_column_int64(st, 2);
        const unsigned char *png = sqlite3_column_blob(st, 3);
        size_t size = (size_t)sqlite3_column_bytes(st, 3);
        for (size_t k = 0; !rc && k < n_sinks; k++)
            rc = sinks[k].put_tile(sinks[k].user, z, x, y, png, size, err);
        if (!rc && each)
            rc = each(user, z, size, err);
    }
    if (!rc && e != SQLITE_DONE)
        rc = mg_sqlite_error(db, e, path, "cannot read the shard", err);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
