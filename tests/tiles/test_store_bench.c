/* Write speed of the tile stores: `tiles_store_bench [N]` puts N tiles
 * (default 5000, which CTest runs) into an MBTiles store twice (all
 * distinct small PNGs; half of them duplicates of larger ones), into a
 * directory store, and copies the MBTiles into a GeoPackage, printing
 * tiles per second.  docs/stores.md quotes its numbers for N = 100000 in a
 * Release build. */
#include "check.h"
#include "test_store_util.h"

#include <gdal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* n PNG-signed byte strings: distinct real 8 px PNGs (about 90 bytes)
 * when big is 0; else copies of one 256 px noise PNG (several KB) made
 * distinct in pairs by stamping i / 2 into bytes before IEND, which the
 * stores do not read. */
static unsigned char **make_tiles(long n, int big, size_t *sizes)
{
    unsigned char **t = calloc((size_t)n, sizeof *t);
    size_t bn = 0;
    unsigned char *noise = NULL;
    if (big) {
        mg_canvas *c = mg_canvas_new(256, 256);
        for (size_t i = 0; c && i < 4 * 256 * 256; i++)
            c->rgba[i] = (uint8_t)((i * 2654435761u) >> 13) | (i % 4 == 3 ?
                                                              0x80 : 0);
        mg_tiles_encode_png(c, 6, &noise, &bn, NULL);
        mg_canvas_free(c);
    }
    for (long i = 0; t && i < n; i++) {
        if (!big) {
            t[i] = store_test_png((unsigned)i, 8, &sizes[i]);
            continue;
        }
        t[i] = malloc(bn);
        memcpy(t[i], noise, bn);
        memcpy(t[i] + bn - 20, &(long){i / 2}, sizeof(long));
        sizes[i] = bn;
    }
    free(noise);
    return t;
}

static double put_all(mg_store_kind kind, const char *path, long n,
                      unsigned char **t, const size_t *sizes)
{
    mg_tileset_info info = store_test_info();
    info.minzoom = 0;
    info.maxzoom = 14;
    mg_store *s = NULL;
    double t0 = now();
    CHECK_INT(mg_store_open(&s, kind, path, &info, 1, 0, NULL), MG_OK);
    for (long i = 0; s && i < n; i++)
        CHECK_INT(mg_store_put_tile(s, 14, (uint32_t)(i / 16384),
                                    (uint32_t)(i % 16384), t[i], sizes[i],
                                    NULL), MG_OK);
    CHECK_INT(mg_store_close(s, NULL, NULL), MG_OK);
    return now() - t0;
}

static void report(const char *what, long n, double secs, size_t bytes)
{
    fprintf(stderr, "%-44s %8ld tiles %7.2f s %9.0f tiles/s %7.1f MB/s\n",
            what, n, secs, n / secs, bytes / secs / 1e6);
}

static size_t total(const size_t *sizes, long n)
{
    size_t sum = 0;
    for (long i = 0; i < n; i++)
        sum += sizes[i];
    return sum;
}

static void free_tiles(unsigned char **t, long n)
{
    for (long i = 0; t && i < n; i++)
        free(t[i]);
    free(t);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 5000;
    size_t *sizes = calloc((size_t)n, sizeof *sizes);
    unsigned char **small = make_tiles(n, 0, sizes);
    GDALAllRegister();
    store_test_enter("store-bench");
    double secs = put_all(MG_STORE_MBTILES, "out/small.mbtiles", n, small,
                          sizes);
    report("MBTiles, distinct ~90 B PNGs", n, secs, total(sizes, n));
    CHECK_INT(store_test_sql_int("out/small.mbtiles", "SELECT count(*) FROM "
                                 "images"), n);
    secs = put_all(MG_STORE_DIR, "out/tiles/small", n, small, sizes);
    report("directory, distinct ~90 B PNGs", n, secs, total(sizes, n));
    free_tiles(small, n);

    unsigned char **big = make_tiles(n, 1, sizes);
    secs = put_all(MG_STORE_MBTILES, "out/big.mbtiles", n, big, sizes);
    report("MBTiles, large tiles, each image twice", n, secs,
           total(sizes, n));
    CHECK_INT(store_test_sql_int("out/big.mbtiles", "SELECT count(*) FROM "
                                 "images"), (n + 1) / 2);
    free_tiles(big, n);

    GDALDriverH drv = GDALGetDriverByName("GPKG");
    GDALClose(GDALCreate(drv, "out/m.gpkg", 0, 0, 0, GDT_Unknown, NULL));
    mg_tileset_info info = store_test_info();
    info.minzoom = 0;
    info.maxzoom = 14;
    double t0 = now();
    CHECK_INT(mg_store_copy_to_gpkg("out/big.mbtiles", "out/m.gpkg", &info,
                                    0, NULL), MG_OK);
    report("MBTiles -> GeoPackage copy (large tiles)", n, now() - t0,
           total(sizes, n));
    CHECK_INT(store_test_sql_int("out/m.gpkg", "SELECT count(*) FROM needs"),
              n);
    store_test_leave();
    free(sizes);
    GDALDestroyDriverManager();
    CHECK_DONE();
}
