/* Helpers shared by the tile-store tests. */
#include "test_store_util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

unsigned char *store_test_png(unsigned seed, int size, size_t *n)
{
    mg_canvas *c = mg_canvas_new(size, size);
    mg_rgba colour = {(uint8_t)seed, (uint8_t)(seed >> 8),
                      (uint8_t)(seed >> 16), 255};
    unsigned char *png = NULL;
    if (!c) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    mg_tiles_clear_canvas(c, colour);
    if (mg_tiles_encode_png(c, 6, &png, n, NULL) != MG_OK) {
        fprintf(stderr, "cannot encode a test PNG\n");
        exit(2);
    }
    mg_canvas_free(c);
    return png;
}

mg_tileset_info store_test_info(void)
{
    mg_tile_bounds nw, se;
    mg_tiles_get_bounds(11, 327, 790, &nw, NULL);
    mg_tiles_get_bounds(11, 328, 791, &se, NULL);
    mg_tileset_info info = {
        .name = "needs",
        .title = "Unmet need",
        .description = "Unmet need per 10,000 people",
        .attribution = "mapgen test data",
        .legend_json = "[{\"label\": \"0-10\", \"color\": \"#fee5d9\"}, "
                       "{\"label\": \"10+\", \"color\": \"#a50f15\"}]",
        .minzoom = 9,
        .maxzoom = 11,
        .west = nw.west,
        .south = se.south,
        .east = se.east,
        .north = nw.north,
        .tile_size = 256,
    };
    return info;
}

void store_test_range(int z, uint32_t *x0, uint32_t *x1, uint32_t *y0,
                      uint32_t *y1)
{
    int shift = 11 - z;
    *x0 = 327u >> shift;
    *x1 = 328u >> shift;
    *y0 = 790u >> shift;
    *y1 = 791u >> shift;
}

long long store_test_sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -2;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        int rc = sqlite3_step(st);
        v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0)
                             : rc == SQLITE_DONE ? -1 : -2;
    }
    if (v == -2)
        fprintf(stderr, "%s: %s: %s\n", path, sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static char scratch[4200];
static char home[4096];

const char *store_test_enter(const char *prefix)
{
    if (!getcwd(home, sizeof home)) {
        perror("getcwd");
        exit(2);
    }
    snprintf(scratch, sizeof scratch, "%s/%s-XXXXXX", home, prefix);
    if (!mkdtemp(scratch) || chdir(scratch) != 0) {
        perror(scratch);
        exit(2);
    }
    return scratch;
}

void store_test_leave(void)
{
    char cmd[4300];
    if (chdir(home) != 0)
        return;
    if (getenv("MG_KEEP_TEST_FILES"))
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", scratch);
}

int store_test_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}
