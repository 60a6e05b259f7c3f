/* Tile stores, MBTiles and directory: layout, TMS rows, deduplication,
 * metadata and TileJSON, GDAL reading the MBTiles, --force and --resume,
 * a run killed with SIGKILL and resumed, failure paths. */
#include "check.h"
#include "test_store_util.h"

#include <errno.h>
#include <gdal.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MBT "out/needs.mbtiles"
#define MBT_PARTIAL "out/.needs.mbtiles.partial"
#define DIR "out/tiles/needs"
#define DIR_PARTIAL "out/tiles/.needs.partial"

/* The seed of tile z/x/y's colour; 11/327/790 and 11/328/790 share one so
 * the MBTiles holds one image for both. */
static unsigned tile_seed(int z, uint32_t x, uint32_t y)
{
    if (z == 11 && y == 790)
        return 7;
    return (unsigned)(z * 100000 + x * 1000 + y % 1000) & 0xffffffu;
}

/* Puts every tile of the test set (12 tiles, 11 distinct images). */
static int put_all(mg_store *s)
{
    int n = 0;
    for (int z = 9; z <= 11; z++) {
        uint32_t x0, x1, y0, y1;
        store_test_range(z, &x0, &x1, &y0, &y1);
        for (uint32_t x = x0; x <= x1; x++)
            for (uint32_t y = y0; y <= y1; y++) {
                size_t size;
                unsigned char *png = store_test_png(tile_seed(z, x, y), 256,
                                                    &size);
                mg_error err;
                int rc = mg_store_put_tile(s, z, x, y, png, size, &err);
                if (rc)
                    fprintf(stderr, "put %d/%u/%u: %s\n", z, x, y,
                            err.message);
                CHECK_INT(rc, MG_OK);
                free(png);
                n++;
            }
    }
    return n;
}

static mg_store *open_store(mg_store_kind kind, int force, int resume)
{
    mg_tileset_info info = store_test_info();
    mg_store *s = NULL;
    mg_error err;
    int rc = mg_store_open(&s, kind, kind == MG_STORE_DIR ? DIR : MBT, &info,
                           force, resume, &err);
    if (rc)
        fprintf(stderr, "open: %s: %s\n", err.file, err.message);
    CHECK_INT(rc, MG_OK);
    return s;
}

static void check_metadata(void)
{
    static const char *const keys[] = {
        "name", "format", "bounds", "center", "minzoom", "maxzoom",
        "attribution", "description", "type", "version", "json"};
    char sql[160];
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM metadata WHERE name = '%s'", keys[i]);
        CHECK_INT(store_test_sql_int(MBT, sql), 1);
    }
    CHECK_INT(store_test_sql_int(MBT, "SELECT count(*) FROM metadata WHERE "
                                 "name = 'format' AND value = 'png'"), 1);
    CHECK_INT(store_test_sql_int(MBT, "SELECT value FROM metadata WHERE "
                                 "name = 'minzoom'"), 9);
    CHECK_INT(store_test_sql_int(MBT, "SELECT value FROM metadata WHERE "
                                 "name = 'maxzoom'"), 11);
    CHECK_INT(store_test_sql_int(MBT, "SELECT count(*) FROM metadata WHERE "
                                 "name = 'json' AND json_extract(value, "
                                 "'$.legend[1].color') = '#a50f15'"), 1);
    CHECK_INT(store_test_sql_int(MBT, "PRAGMA application_id"), 0x4d504258);
}

/* GDAL's MBTiles driver: extent, zooms as overviews, metadata. */
static void check_gdal_mbtiles(void)
{
    mg_tileset_info info = store_test_info();
    double x0, y0, x1, y1, gt[6];
    mg_tiles_project_lonlat(info.west, info.south, &x0, &y0);
    mg_tiles_project_lonlat(info.east, info.north, &x1, &y1);
    GDALDatasetH ds = GDALOpenEx(MBT, GDAL_OF_RASTER | GDAL_OF_READONLY,
                                 NULL, NULL, NULL);
    CHECK(ds != NULL);
    if (!ds)
        return;
    CHECK_STR(GDALGetDriverShortName(GDALGetDatasetDriver(ds)), "MBTiles");
    CHECK_INT(GDALGetGeoTransform(ds, gt), CE_None);
    CHECK_INT(GDALGetRasterXSize(ds), 512);  /* two tiles at zoom 11 */
    CHECK_INT(GDALGetRasterYSize(ds), 512);
    CHECK_NEAR(gt[0], x0, 1e-3);
    CHECK_NEAR(gt[3], y1, 1e-3);
    CHECK_NEAR(gt[0] + 512 * gt[1], x1, 1e-3);
    CHECK_NEAR(gt[3] + 512 * gt[5], y0, 1e-3);
    CHECK_NEAR(gt[1], 2 * MG_TILES_HALF_WORLD / (2048.0 * 256), 1e-9);
    /* zooms 10 and 9 are its overviews */
    CHECK_INT(GDALGetOverviewCount(GDALGetRasterBand(ds, 1)), 2);
    CHECK_STR(GDALGetMetadataItem(ds, "minzoom", NULL), "9");
    CHECK_STR(GDALGetMetadataItem(ds, "maxzoom", NULL), "11");
    CHECK_STR(GDALGetMetadataItem(ds, "name", NULL), "Unmet need");
    /* a pixel of 11/327/791 (bottom-left tile) reads back its colour */
    unsigned seed = tile_seed(11, 327, 791);
    GByte px = 0;
    CHECK_INT(GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Read, 10, 300, 1, 1,
                           &px, 1, 1, GDT_Byte, 0, 0), CE_None);
    CHECK_INT(px, seed & 0xff);
    GDALClose(ds);
}

static void test_mbtiles(void)
{
    mg_store *s = open_store(MG_STORE_MBTILES, 0, 0);
    if (!s)
        return;
    CHECK(store_test_exists(MBT_PARTIAL));
    CHECK(!store_test_exists(MBT));
    int n = put_all(s);
    CHECK(mg_store_has_tile(s, 11, 327, 791));
    CHECK(!mg_store_has_tile(s, 11, 329, 791));
    mg_error err;
    CHECK_INT(mg_store_close(s, NULL, &err), MG_OK);
    CHECK(store_test_exists(MBT));
    CHECK(!store_test_exists(MBT_PARTIAL));
    CHECK(!store_test_exists(MBT_PARTIAL "-journal"));
    /* the MBTiles spec's example: XYZ 11/327/791 is stored as row 1256 */
    CHECK_INT(store_test_sql_int(MBT, "SELECT count(*) FROM tiles WHERE "
                                 "zoom_level = 11 AND tile_column = 327 AND "
                                 "tile_row = 1256"), 1);
    CHECK_INT(store_test_sql_int(MBT, "SELECT count(*) FROM tiles WHERE "
                                 "tile_row IN (790, 791)"), 0);
    CHECK_INT(store_test_sql_int(MBT, "SELECT count(*) FROM tiles"), n);
    /* two identical PNGs, one image */
    CHECK_INT(store_test_sql_int(MBT, "SELECT count(*) FROM images"), n - 1);
    CHECK_INT(store_test_sql_int(MBT, "SELECT count(DISTINCT tile_id) FROM "
                                 "map WHERE zoom_level = 11 AND tile_row = "
                                 "1257"), 1);
    CHECK_INT(store_test_sql_int(MBT, "SELECT count(*) FROM "
                                 "pragma_integrity_check WHERE "
                                 "integrity_check = 'ok'"), 1);
    check_metadata();
    check_gdal_mbtiles();
}

/* A tile put twice keeps the second image; the first is not left over. */
static void test_mbtiles_put_twice(void)
{
    mg_store *s = open_store(MG_STORE_MBTILES, 1, 0);
    size_t n1, n2;
    unsigned char *a = store_test_png(1, 256, &n1);
    unsigned char *b = store_test_png(2, 256, &n2);
    CHECK_INT(mg_store_put_tile(s, 9, 81, 197, a, n1, NULL), MG_OK);
    CHECK_INT(mg_store_put_tile(s, 9, 81, 197, b, n2, NULL), MG_OK);
    CHECK_INT(mg_store_close(s, NULL, NULL), MG_OK);
    CHECK_INT(store_test_sql_int(MBT, "SELECT count(*) FROM images"), 1);
    CHECK_INT(store_test_sql_int(MBT, "SELECT length(tile_data) FROM tiles"),
              (long long)n2);
    free(a);
    free(b);
}

static void check_tilejson(void)
{
    json_error_t jerr;
    json_t *j = json_load_file(DIR "/tilejson.json", 0, &jerr);
    CHECK(j != NULL);
    if (!j) {
        fprintf(stderr, "tilejson.json: %s\n", jerr.text);
        return;
    }
    static const char *const keys[] = {
        "tilejson", "tiles", "name", "description", "attribution", "bounds",
        "center", "minzoom", "maxzoom", "legend"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        CHECK(json_object_get(j, keys[i]) != NULL);
    CHECK_STR(json_string_value(json_object_get(j, "tilejson")), "3.0.0");
    CHECK_STR(json_string_value(json_array_get(json_object_get(j, "tiles"),
                                               0)), "{z}/{x}/{y}.png");
    CHECK_STR(json_string_value(json_object_get(j, "name")), "Unmet need");
    CHECK_INT(json_integer_value(json_object_get(j, "minzoom")), 9);
    CHECK_INT(json_integer_value(json_object_get(j, "maxzoom")), 11);
    mg_tileset_info info = store_test_info();
    json_t *b = json_object_get(j, "bounds"), *c = json_object_get(j, "center");
    CHECK_INT(json_array_size(b), 4);
    CHECK_NEAR(json_number_value(json_array_get(b, 0)), info.west, 1e-9);
    CHECK_NEAR(json_number_value(json_array_get(b, 3)), info.north, 1e-9);
    CHECK_INT(json_array_size(c), 3);
    CHECK(json_is_integer(json_array_get(c, 2)));
    long long cz = json_integer_value(json_array_get(c, 2));
    CHECK(cz >= 9 && cz <= 11);
    double clon = json_number_value(json_array_get(c, 0));
    CHECK(clon > info.west && clon < info.east);
    /* TileJSON 3.0.0: "legend" is a string; the array is under "mapgen". */
    CHECK_STR(json_string_value(json_object_get(j, "legend")),
              "Unmet need\n#fee5d9 0-10\n#a50f15 10+");
    json_t *legend = json_object_get(json_object_get(j, "mapgen"), "legend");
    CHECK(json_is_array(legend) && json_array_size(legend) == 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(legend, 0),
                                                "label")), "0-10");
    json_decref(j);
}

static void test_dir(void)
{
    mg_store *s = open_store(MG_STORE_DIR, 0, 0);
    if (!s)
        return;
    CHECK(store_test_exists(DIR_PARTIAL));
    put_all(s);
    CHECK(mg_store_has_tile(s, 11, 327, 791));
    CHECK(!mg_store_has_tile(s, 11, 329, 791));
    CHECK_INT(mg_store_close(s, NULL, NULL), MG_OK);
    CHECK(!store_test_exists(DIR_PARTIAL));
    CHECK(store_test_exists(DIR "/11/327/791.png"));
    CHECK(store_test_exists(DIR "/9/81/197.png"));
    CHECK(!store_test_exists(DIR "/11/327/1256.png"));
    /* the file holds the bytes put */
    size_t n;
    unsigned char *png = store_test_png(tile_seed(10, 164, 395), 256, &n);
    FILE *f = fopen(DIR "/10/164/395.png", "rb");
    unsigned char *back = malloc(n + 1);
    CHECK(f && back && fread(back, 1, n + 1, f) == n &&
          memcmp(back, png, n) == 0);
    if (f)
        fclose(f);
    free(back);
    free(png);
    check_tilejson();
    /* 11/327/790 and 11/328/790 have the same bytes: one inode, two
     * links; a tile of its own has one. */
    struct stat a, b, c;
    CHECK(stat(DIR "/11/327/790.png", &a) == 0 &&
          stat(DIR "/11/328/790.png", &b) == 0 &&
          stat(DIR "/10/164/395.png", &c) == 0);
    CHECK(a.st_ino == b.st_ino && a.st_nlink == 2);
    CHECK(c.st_ino != a.st_ino && c.st_nlink == 1);
}

/* A byte-for-byte copy of file path, or NULL; *n its size. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = malloc(1 << 16);
    *n = f && buf ? fread(buf, 1, 1 << 16, f) : 0;
    if (f)
        fclose(f);
    return buf;
}

/* Hard-linked tiles stay independent: a tile put again with other bytes
 * gets a file of its own and its twin keeps the old ones.  Large PNGs are
 * written as files of their own. */
static void test_dir_links(void)
{
    mg_store *s = open_store(MG_STORE_DIR, 1, 0);
    if (!s)
        return;
    size_t n1, n2, big_n = 8192, got;
    unsigned char *one = store_test_png(1, 256, &n1);
    unsigned char *two = store_test_png(2, 256, &n2);
    unsigned char *big = calloc(1, big_n);
    memcpy(big, one, n1 < big_n ? n1 : big_n);
    CHECK_INT(mg_store_put_tile(s, 9, 81, 197, one, n1, NULL), MG_OK);
    CHECK_INT(mg_store_put_tile(s, 9, 82, 197, one, n1, NULL), MG_OK);
    CHECK_INT(mg_store_put_tile(s, 9, 81, 197, two, n2, NULL), MG_OK);
    CHECK_INT(mg_store_put_tile(s, 10, 164, 395, big, big_n, NULL), MG_OK);
    CHECK_INT(mg_store_put_tile(s, 10, 164, 396, big, big_n, NULL), MG_OK);
    CHECK_INT(mg_store_close(s, NULL, NULL), MG_OK);
    unsigned char *back = slurp(DIR "/9/82/197.png", &got);
    CHECK(got == n1 && memcmp(back, one, n1) == 0);
    free(back);
    back = slurp(DIR "/9/81/197.png", &got);
    CHECK(got == n2 && memcmp(back, two, n2) == 0);
    free(back);
    struct stat a, b;
    CHECK(stat(DIR "/9/81/197.png", &a) == 0 && a.st_nlink == 1);
    CHECK(stat(DIR "/9/82/197.png", &b) == 0 && b.st_nlink == 1);
    CHECK(stat(DIR "/10/164/395.png", &a) == 0 && a.st_nlink == 1);
    CHECK(stat(DIR "/10/164/396.png", &b) == 0 && b.st_nlink == 1);
    free(one);
    free(two);
    free(big);
}

/* Interrupted (freed without close), resumed, completed; then --force and
 * a resume that finds the store finished. */
static void test_lifecycle(mg_store_kind kind, const char *final,
                           const char *partial)
{
    size_t n;
    unsigned char *png = store_test_png(42, 256, &n);
    mg_store *s = open_store(kind, 1, 0);
    CHECK_INT(mg_store_put_tile(s, 11, 327, 791, png, n, NULL), MG_OK);
    CHECK_INT(mg_store_put_tile(s, 10, 163, 395, png, n, NULL), MG_OK);
    mg_store_free(s);
    CHECK(store_test_exists(partial));
    CHECK(store_test_exists(final));    /* the earlier, complete one */

    s = open_store(kind, 0, 1);
    CHECK(mg_store_has_tile(s, 11, 327, 791));
    CHECK(mg_store_has_tile(s, 10, 163, 395));
    CHECK(!mg_store_has_tile(s, 9, 81, 197));
    CHECK_INT(mg_store_put_tile(s, 9, 81, 197, png, n, NULL), MG_OK);
    CHECK_INT(mg_store_close(s, NULL, NULL), MG_OK);
    CHECK(!store_test_exists(partial));
    if (kind == MG_STORE_MBTILES)
        CHECK_INT(store_test_sql_int(final, "SELECT count(*) FROM tiles"), 3);
    else
        CHECK(store_test_exists(DIR "/9/81/197.png") &&
              !store_test_exists(DIR "/11/328/791.png"));

    /* no --force: refused, naming the output */
    mg_tileset_info info = store_test_info();
    mg_error err;
    CHECK_INT(mg_store_open(&s, kind, final, &info, 0, 0, &err),
              MG_ERR_OUTPUT);
    CHECK_STR(err.file, final);
    CHECK(strstr(err.message, "--force") != NULL);
    CHECK(s == NULL);

    /* resume of a finished run: nothing to do, nothing changed */
    s = open_store(kind, 0, 1);
    CHECK(mg_store_has_tile(s, 11, 328, 790));
    CHECK_INT(mg_store_put_tile(s, 9, 81, 197, png, n, &err), MG_ERR_OUTPUT);
    CHECK_INT(mg_store_close(s, NULL, NULL), MG_OK);
    CHECK(!store_test_exists(partial));

    /* a leftover partial store is dropped when not resuming */
    s = open_store(kind, 1, 0);
    CHECK_INT(mg_store_put_tile(s, 9, 81, 197, png, n, NULL), MG_OK);
    mg_store_free(s);
    s = open_store(kind, 1, 0);
    CHECK(!mg_store_has_tile(s, 9, 81, 197));
    CHECK_INT(mg_store_put_tile(s, 9, 82, 197, png, n, NULL), MG_OK);
    CHECK_INT(mg_store_close(s, NULL, NULL), MG_OK);
    if (kind == MG_STORE_MBTILES)
        CHECK_INT(store_test_sql_int(final, "SELECT count(*) FROM tiles"), 1);
    else
        CHECK(store_test_exists(DIR "/9/82/197.png") &&
              !store_test_exists(DIR "/9/81/197.png") &&
              store_test_exists(DIR "/tilejson.json"));
    free(png);
}

/* What an OS crash can leave: a torn MBTiles file (resume starts over) and
 * a truncated tile file (resume redoes it). */
static void test_torn(void)
{
    size_t n;
    unsigned char *png = store_test_png(5, 256, &n);
    mg_store *s = open_store(MG_STORE_MBTILES, 1, 0);
    CHECK_INT(mg_store_put_tile(s, 11, 327, 791, png, n, NULL), MG_OK);
    mg_store_free(s);
    FILE *f = fopen(MBT_PARTIAL, "r+b");
    CHECK(f && fwrite("torn by a crash, not a database", 1, 31, f) == 31);
    if (f)
        fclose(f);
    s = open_store(MG_STORE_MBTILES, 0, 1);
    CHECK(!mg_store_has_tile(s, 11, 327, 791));
    CHECK_INT(mg_store_put_tile(s, 11, 328, 791, png, n, NULL), MG_OK);
    CHECK_INT(mg_store_close(s, NULL, NULL), MG_OK);
    CHECK_INT(store_test_sql_int(MBT, "SELECT count(*) FROM tiles"), 1);

    /* 328/791 is a hard link to 327/791 (the same bytes), so the crash
     * tears both and resume redoes both; 327/790 is a file of its own. */
    size_t n2;
    unsigned char *other = store_test_png(6, 256, &n2);
    s = open_store(MG_STORE_DIR, 1, 0);
    CHECK_INT(mg_store_put_tile(s, 11, 327, 791, png, n, NULL), MG_OK);
    CHECK_INT(mg_store_put_tile(s, 11, 328, 791, png, n, NULL), MG_OK);
    CHECK_INT(mg_store_put_tile(s, 11, 327, 790, other, n2, NULL), MG_OK);
    mg_store_free(s);
    CHECK_INT(truncate(DIR_PARTIAL "/11/327/791.png", (off_t)n / 2), 0);
    s = open_store(MG_STORE_DIR, 0, 1);
    CHECK(!mg_store_has_tile(s, 11, 327, 791));
    CHECK(!mg_store_has_tile(s, 11, 328, 791));
    CHECK(mg_store_has_tile(s, 11, 327, 790));
    CHECK_INT(mg_store_put_tile(s, 11, 327, 791, png, n, NULL), MG_OK);
    CHECK_INT(mg_store_put_tile(s, 11, 328, 791, png, n, NULL), MG_OK);
    CHECK_INT(mg_store_close(s, NULL, NULL), MG_OK);
    struct stat a;
    CHECK(stat(DIR "/11/328/791.png", &a) == 0 && a.st_size == (off_t)n);
    free(other);
    free(png);
}

/* ---- a run killed with SIGKILL part way, then resumed ---- */

enum { KILL_ZOOM = 12, KILL_POOL = 3000 };

/* Tile i: a few columns of 4096 rows, as a renderer would go. */
static void kill_tile(long i, uint32_t *x, uint32_t *y)
{
    *x = (uint32_t)(i / 4096);
    *y = (uint32_t)(i % 4096);
}

static mg_store *open_kill_store(mg_store_kind kind, const char *path,
                                 int resume)
{
    mg_tileset_info info = store_test_info();
    info.minzoom = info.maxzoom = KILL_ZOOM;
    mg_store *s = NULL;
    mg_error err;
    if (mg_store_open(&s, kind, path, &info, 1, resume, &err) != MG_OK)
        fprintf(stderr, "%s: %s\n", err.file, err.message);
    return s;
}

/* The child: writes n tiles, telling the parent after `signal_at`, and
 * never closes (it is killed long before). */
static void kill_child(mg_store_kind kind, const char *path,
                       unsigned char **pool, size_t *sizes, long n,
                       long signal_at, int fd)
{
    mg_store *s = open_kill_store(kind, path, 0);
    if (!s)
        _exit(3);
    for (long i = 0; i < n; i++) {
        uint32_t x, y;
        kill_tile(i, &x, &y);
        if (mg_store_put_tile(s, KILL_ZOOM, x, y, pool[i % KILL_POOL],
                              sizes[i % KILL_POOL], NULL) != MG_OK)
            _exit(4);
        if (i == signal_at && write(fd, "k", 1) != 1)
            _exit(5);
    }
    pause();
    _exit(0);
}

static void test_kill(mg_store_kind kind, const char *final,
                      const char *partial, long n, long signal_at,
                      long at_least)
{
    unsigned char *pool[KILL_POOL];
    size_t sizes[KILL_POOL];
    for (int i = 0; i < KILL_POOL; i++)
        pool[i] = store_test_png((unsigned)i * 7919u, 8, &sizes[i]);
    int fds[2];
    char c;
    CHECK_INT(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0)
        kill_child(kind, final, pool, sizes, n, signal_at, fds[1]);
    CHECK_INT(read(fds[0], &c, 1), 1);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(fds[0]);
    close(fds[1]);
    CHECK(!store_test_exists(final));
    CHECK(store_test_exists(partial));

    mg_store *s = open_kill_store(kind, final, 1);
    CHECK(s != NULL);
    long done = 0;
    for (long i = 0; s && i < n; i++) {
        uint32_t x, y;
        kill_tile(i, &x, &y);
        if (mg_store_has_tile(s, KILL_ZOOM, x, y))
            done++;
        else
            CHECK_INT(mg_store_put_tile(s, KILL_ZOOM, x, y,
                                        pool[i % KILL_POOL],
                                        sizes[i % KILL_POOL], NULL), MG_OK);
    }
    fprintf(stderr, "killed run: %ld of %ld tiles were done\n", done, n);
    CHECK(done >= at_least && done < n);
    CHECK_INT(mg_store_close(s, NULL, NULL), MG_OK);
    CHECK(store_test_exists(final));
    CHECK(!store_test_exists(partial));
    if (kind == MG_STORE_MBTILES) {
        CHECK_INT(store_test_sql_int(final, "SELECT count(*) FROM tiles"), n);
        CHECK_INT(store_test_sql_int(final, "SELECT count(*) FROM images"),
                  KILL_POOL);
        CHECK_INT(store_test_sql_int(final, "SELECT count(*) FROM "
                                     "metadata"), 11);
    }
    for (int i = 0; i < KILL_POOL; i++)
        free(pool[i]);
}

/* ---- failures ---- */

static void test_failures(void)
{
    mg_tileset_info info = store_test_info();
    mg_store *s = NULL;
    mg_error err;
    FILE *f = fopen("blocker", "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    /* "blocker" is a file, so nothing can be made under it (even root) */
    CHECK_INT(mg_store_open(&s, MG_STORE_MBTILES, "blocker/out/x.mbtiles",
                            &info, 0, 0, &err), MG_ERR_OUTPUT);
    CHECK(strstr(err.file, "blocker/out") != NULL);
    CHECK_INT(mg_store_open(&s, MG_STORE_DIR, "blocker/tiles/x", &info, 0, 0,
                            &err), MG_ERR_OUTPUT);
    CHECK(strstr(err.file, "blocker/tiles") != NULL);
    CHECK_INT(mg_store_open(&s, MG_STORE_GPKG, "nowhere.gpkg", &info, 0, 0,
                            &err), MG_ERR_OUTPUT);
    CHECK_STR(err.file, "nowhere.gpkg");
    CHECK(s == NULL);

    mg_tileset_info bad = info;
    bad.name = "Needs Map";
    CHECK_INT(mg_store_open(&s, MG_STORE_DIR, "out/tiles/y", &bad, 0, 0,
                            &err), MG_ERR_USAGE);
    bad = info;
    bad.legend_json = "{\"not\": \"an array\"}";
    CHECK_INT(mg_store_open(&s, MG_STORE_DIR, "out/tiles/y", &bad, 0, 0,
                            &err), MG_ERR_USAGE);
    bad = info;
    bad.classes_json = "[1, 2]";
    CHECK_INT(mg_store_open(&s, MG_STORE_DIR, "out/tiles/y", &bad, 0, 0,
                            &err), MG_ERR_USAGE);
    bad = info;
    bad.tiles_url = "example.org/tiles/y";
    CHECK_INT(mg_store_open(&s, MG_STORE_DIR, "out/tiles/y", &bad, 0, 0,
                            &err), MG_ERR_USAGE);
    bad = info;
    bad.tile_size = 300;
    CHECK_INT(mg_store_open(&s, MG_STORE_DIR, "out/tiles/y", &bad, 0, 0,
                            &err), MG_ERR_USAGE);

    /* bad tiles, and a second run on a locked MBTiles */
    s = open_store(MG_STORE_MBTILES, 1, 0);
    size_t n;
    unsigned char *png = store_test_png(3, 256, &n);
    const unsigned char gif[8] = "GIF89a.";
    CHECK_INT(mg_store_put_tile(s, 11, 327, 791, gif, 8, &err),
              MG_ERR_USAGE);
    CHECK_INT(mg_store_put_tile(s, 12, 327, 791, png, n, &err), MG_ERR_USAGE);
    CHECK_INT(mg_store_put_tile(s, 11, 2048, 791, png, n, &err),
              MG_ERR_USAGE);
    CHECK_INT(mg_store_put_tile(s, 11, 327, 791, png, n, &err), MG_OK);
    mg_store *other = NULL;
    CHECK_INT(mg_store_open(&other, MG_STORE_MBTILES, MBT, &info, 1, 1, &err),
              MG_ERR_OUTPUT);
    CHECK(strstr(err.message, "in use") != NULL);
    CHECK_INT(mg_store_close(s, NULL, NULL), MG_OK);
    free(png);
    mg_store_free(NULL);
}

/* The classification is spliced in at full precision (the rest of the
 * document keeps 15 digits) and the tiles URL is absolute when given. */
static void test_dir_classification(void)
{
    mg_tileset_info info = store_test_info();
    info.classes_json = "{\"breaks\": [0, 0.1, 3166.6666666666665]}";
    info.tiles_url = "https://example.org/maps/tiles/needs";
    mg_store *s = NULL;
    mg_error err;
    CHECK_INT(mg_store_open(&s, MG_STORE_DIR, "cls/tiles/needs", &info, 1, 0,
                            &err), MG_OK);
    if (!s)
        return;
    CHECK_INT(mg_store_close(s, NULL, &err), MG_OK);
    json_error_t je;
    json_t *j = json_load_file("cls/tiles/needs/tilejson.json", 0, &je);
    CHECK(j != NULL);
    CHECK_STR(json_string_value(json_array_get(json_object_get(j, "tiles"),
                                               0)),
              "https://example.org/maps/tiles/needs/{z}/{x}/{y}.png");
    json_t *b = json_object_get(
        json_object_get(json_object_get(j, "mapgen"), "classification"),
        "breaks");
    CHECK_INT(json_array_size(b), 3);
    /* 10000 * 95 / 300, the last bit included */
    CHECK(json_real_value(json_array_get(b, 2)) == 10000.0 * 95 / 300);
    CHECK(json_real_value(json_array_get(b, 1)) == 0.1);
    json_decref(j);
}

int main(void)
{
    GDALAllRegister();
    store_test_enter("store-test");
    test_mbtiles();
    test_mbtiles_put_twice();
    test_dir();
    test_dir_links();
    test_dir_classification();
    test_lifecycle(MG_STORE_MBTILES, MBT, MBT_PARTIAL);
    test_lifecycle(MG_STORE_DIR, DIR, DIR_PARTIAL);
    test_torn();
    /* MBTiles commits every 20000 tiles, so at least that many survive */
    test_kill(MG_STORE_MBTILES, "kill/k.mbtiles", "kill/.k.mbtiles.partial",
              60000, 45000, 40000);
    test_kill(MG_STORE_DIR, "kill/tiles/k", "kill/tiles/.k.partial", 6000,
              3000, 3000);
    test_failures();
    store_test_leave();
    GDALDestroyDriverManager();
    CHECK_DONE();
}
