/* GeoPackage tile tables beside vector layers: validate_gpkg.py passes,
 * GDAL opens the tile table with the right size and zooms, rows are
 * top-left, the store's sidecar resumes, --force, and copying a finished
 * MBTiles into a GeoPackage. */
#include "check.h"
#include "test_store_util.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>

/* As mg_outset_add() names the GeoPackage while the pipeline writes it. */
#define GPKG "out/.tmp-4242-romania.gpkg"
#define SIDECAR "out/.romania.gpkg.needs.tiles.partial"
#define VALIDATE                                                             \
    "/usr/bin/python3 "                                                      \
    "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py "

/* A GeoPackage with one polygon layer, written through GDAL as
 * mg_write_gpkg() does. */
static void make_vector_gpkg(const char *path)
{
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    GDALDatasetH ds = drv ? GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL)
                          : NULL;
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 4326);
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayerH l = ds ? GDALDatasetCreateLayer(ds, "regions", srs, wkbPolygon,
                                              NULL)
                     : NULL;
    CHECK(l != NULL);
    if (l) {
        OGRFieldDefnH fd = OGR_Fld_Create("code", OFTString);
        OGR_L_CreateField(l, fd, 1);
        OGR_Fld_Destroy(fd);
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
        OGRGeometryH g = NULL;
        char *wkt = "POLYGON ((-122.5 37.7,-122.2 37.7,-122.2 37.8,"
                    "-122.5 37.7))";
        OGR_G_CreateFromWkt(&wkt, srs, &g);
        OGR_F_SetFieldString(f, 0, "SF");
        OGR_F_SetGeometryDirectly(f, g);
        CHECK_INT(OGR_L_CreateFeature(l, f), OGRERR_NONE);
        OGR_F_Destroy(f);
    }
    OSRDestroySpatialReference(srs);
    GDALClose(ds);
}

/* Puts the 8 tiles of the test set. */
static void put_all(mg_store *s, unsigned salt)
{
    for (int z = 9; z <= 11; z++) {
        uint32_t x0, x1, y0, y1;
        store_test_range(z, &x0, &x1, &y0, &y1);
        for (uint32_t x = x0; x <= x1; x++)
            for (uint32_t y = y0; y <= y1; y++) {
                size_t n;
                unsigned char *png =
                    store_test_png(salt + (unsigned)(z * 4 + (x & 1) * 2 +
                                                     (y & 1)), 256, &n);
                CHECK_INT(mg_store_put_tile(s, z, x, y, png, n, NULL),
                          MG_OK);
                free(png);
            }
    }
}

static int validate(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, VALIDATE "'%s'", path);
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "validate_gpkg.py %s: exit status %d\n", path, rc);
    return rc;
}

/* GDAL opens the tile table: zoom 11 is full resolution, 10 and 9 its
 * overviews; the extent is the tile set's bounds. */
static void check_gdal_table(const char *path, const char *table)
{
    char name[512];
    snprintf(name, sizeof name, "GPKG:%s:%s", path, table);
    GDALDatasetH ds = GDALOpenEx(name, GDAL_OF_RASTER | GDAL_OF_READONLY,
                                 NULL, NULL, NULL);
    CHECK(ds != NULL);
    if (!ds)
        return;
    mg_tileset_info info = store_test_info();
    double x0, y0, x1, y1, gt[6];
    mg_tiles_project_lonlat(info.west, info.south, &x0, &y0);
    mg_tiles_project_lonlat(info.east, info.north, &x1, &y1);
    CHECK_INT(GDALGetRasterXSize(ds), 512);
    CHECK_INT(GDALGetRasterYSize(ds), 512);
    CHECK_INT(GDALGetGeoTransform(ds, gt), CE_None);
    CHECK_NEAR(gt[0], x0, 1e-3);
    CHECK_NEAR(gt[3], y1, 1e-3);
    CHECK_NEAR(gt[1], 2 * MG_TILES_HALF_WORLD / (2048.0 * 256), 1e-9);
    CHECK_INT(GDALGetOverviewCount(GDALGetRasterBand(ds, 1)), 2);
    CHECK_STR(GDALGetMetadataItem(ds, "ZOOM_LEVEL", NULL), "11");
    GDALClose(ds);
}

static void check_vector_kept(const char *path)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                 NULL, NULL, NULL);
    OGRLayerH l = ds ? GDALDatasetGetLayerByName(ds, "regions") : NULL;
    CHECK(l != NULL);
    if (l)
        CHECK_INT(OGR_L_GetFeatureCount(l, 1), 1);
    GDALClose(ds);
}

static mg_store *open_gpkg(const char *path, int force, int resume,
                           mg_error *err)
{
    mg_tileset_info info = store_test_info();
    mg_store *s = NULL;
    int rc = mg_store_open(&s, MG_STORE_GPKG, path, &info, force, resume,
                           err);
    if (rc)
        fprintf(stderr, "%s: %s\n", err->file, err->message);
    CHECK_INT(rc, MG_OK);
    return s;
}

static long long sql(const char *q)
{
    return store_test_sql_int(GPKG, q);
}

/* Interrupted: no table until close; resumed from the sidecar. */
static void test_store_resume(void)
{
    mg_error err;
    mg_store *s = open_gpkg(GPKG, 0, 0, &err);
    CHECK(store_test_exists(SIDECAR));
    put_all(s, 100);
    mg_store_free(s);
    CHECK_INT(sql("SELECT count(*) FROM gpkg_contents WHERE "
                  "table_name = 'needs'"), 0);
    CHECK_INT(sql("SELECT count(*) FROM sqlite_master WHERE name = 'needs'"),
              0);
    s = open_gpkg(GPKG, 0, 1, &err);
    CHECK(mg_store_has_tile(s, 11, 327, 791));
    CHECK(mg_store_has_tile(s, 9, 81, 197));
    CHECK_INT(mg_store_close(s, NULL, &err), MG_OK);
    CHECK(!store_test_exists(SIDECAR));
    CHECK_INT(sql("SELECT count(*) FROM needs"), 8);
    /* GeoPackage rows count from the top, as XYZ does */
    CHECK_INT(sql("SELECT count(*) FROM needs WHERE zoom_level = 11 AND "
                  "tile_column = 327 AND tile_row = 791"), 1);
    CHECK_INT(sql("SELECT count(*) FROM needs WHERE tile_row > 1000"), 0);
    CHECK_INT(sql("SELECT count(*) FROM gpkg_contents WHERE "
                  "table_name = 'needs' AND data_type = 'tiles' AND "
                  "srs_id = 3857"), 1);
    CHECK_INT(sql("SELECT count(*) FROM gpkg_spatial_ref_sys WHERE "
                  "srs_id = 3857 AND organization = 'EPSG'"), 1);
    CHECK_INT(sql("SELECT count(*) FROM gpkg_tile_matrix_set WHERE "
                  "table_name = 'needs' AND min_x = -20037508.342789244 AND "
                  "max_y = 20037508.342789244"), 1);
    CHECK_INT(sql("SELECT count(*) FROM gpkg_tile_matrix WHERE table_name = "
                  "'needs' AND matrix_width = 1 << zoom_level AND "
                  "matrix_height = matrix_width AND tile_width = 256"), 3);
    CHECK_INT(validate(GPKG), 0);
    check_gdal_table(GPKG, "needs");
    check_vector_kept(GPKG);
}

static void test_store_force(void)
{
    mg_tileset_info info = store_test_info();
    mg_store *s = NULL;
    mg_error err;
    CHECK_INT(mg_store_open(&s, MG_STORE_GPKG, GPKG, &info, 0, 0, &err),
              MG_ERR_OUTPUT);
    CHECK_STR(err.file, GPKG);
    CHECK_STR(err.field, "needs");
    /* resume of a finished table: nothing to do */
    s = open_gpkg(GPKG, 0, 1, &err);
    CHECK(mg_store_has_tile(s, 10, 164, 395));
    CHECK_INT(mg_store_close(s, NULL, &err), MG_OK);
    /* --force replaces the table */
    s = open_gpkg(GPKG, 1, 0, &err);
    put_all(s, 200);
    CHECK_INT(mg_store_close(s, NULL, &err), MG_OK);
    CHECK_INT(sql("SELECT count(*) FROM needs"), 8);
    CHECK_INT(sql("SELECT count(*) FROM gpkg_tile_matrix WHERE "
                  "table_name = 'needs'"), 3);
    CHECK_INT(sql("SELECT count(*) FROM gpkg_contents"), 2);
    CHECK_INT(validate(GPKG), 0);
    /* a vector layer is never replaced */
    info.name = "regions";
    CHECK_INT(mg_store_open(&s, MG_STORE_GPKG, GPKG, &info, 1, 0, &err),
              MG_ERR_OUTPUT);
    CHECK_STR(err.field, "regions");
}

/* The renderer's path: a finished MBTiles copied into the GeoPackage. */
static void test_copy(void)
{
    mg_tileset_info info = store_test_info();
    mg_store *s = NULL;
    mg_error err;
    CHECK_INT(mg_store_open(&s, MG_STORE_MBTILES, "out/needs.mbtiles", &info,
                            0, 0, &err), MG_OK);
    put_all(s, 100);
    CHECK_INT(mg_store_close(s, NULL, &err), MG_OK);
    info.name = "needs_copy";
    info.title = "Unmet need";    /* the same identifier as "needs" */
    CHECK_INT(mg_store_copy_to_gpkg("out/needs.mbtiles", GPKG, &info, 0,
                                    &err), MG_OK);
    CHECK_INT(sql("SELECT count(*) FROM needs_copy"), 8);
    CHECK_INT(sql("SELECT count(*) FROM needs_copy c JOIN needs n USING "
                  "(zoom_level, tile_column, tile_row)"), 8);
    CHECK_INT(sql("SELECT count(*) FROM gpkg_contents WHERE "
                  "identifier = 'needs_copy'"), 1);
    CHECK_INT(mg_store_copy_to_gpkg("out/needs.mbtiles", GPKG, &info, 0,
                                    &err), MG_ERR_OUTPUT);
    CHECK_INT(mg_store_copy_to_gpkg("out/needs.mbtiles", GPKG, &info, 1,
                                    &err), MG_OK);
    CHECK_INT(mg_store_copy_to_gpkg("out/none.mbtiles", GPKG, &info, 1,
                                    &err), MG_ERR_INPUT);
    FILE *f = fopen("out/other.db", "w"); /* an empty SQLite database */
    if (f)
        fclose(f);
    CHECK_INT(mg_store_copy_to_gpkg("out/other.db", GPKG, &info, 1, &err),
              MG_ERR_INPUT);
    CHECK_INT(mg_store_copy_to_gpkg("out/needs.mbtiles", "out/needs.mbtiles",
                                    &info, 1, &err), MG_ERR_OUTPUT);
    CHECK(strstr(err.message, "not a GeoPackage") != NULL);
    CHECK_INT(validate(GPKG), 0);
    check_gdal_table(GPKG, "needs_copy");
    check_vector_kept(GPKG);
}

/* A GeoPackage without EPSG:3857 gets it; 512 px tiles. */
static void test_fresh_srs(void)
{
    make_vector_gpkg("out/big.gpkg");
    mg_tileset_info info = store_test_info();
    info.tile_size = 512;
    mg_store *s = NULL;
    mg_error err;
    CHECK_INT(store_test_sql_int("out/big.gpkg", "SELECT count(*) FROM "
                                 "gpkg_spatial_ref_sys WHERE srs_id = 3857"),
              0);
    CHECK_INT(mg_store_open(&s, MG_STORE_GPKG, "out/big.gpkg", &info, 0, 0,
                            &err), MG_OK);
    size_t n;
    unsigned char *png = store_test_png(9, 512, &n);
    CHECK_INT(mg_store_put_tile(s, 11, 327, 791, png, n, NULL), MG_OK);
    free(png);
    CHECK_INT(mg_store_close(s, NULL, &err), MG_OK);
    CHECK_INT(store_test_sql_int("out/big.gpkg", "SELECT count(*) FROM "
                                 "gpkg_spatial_ref_sys WHERE srs_id = 3857"),
              1);
    CHECK_INT(store_test_sql_int("out/big.gpkg", "SELECT pixel_x_size * "
                                 "1e6 FROM gpkg_tile_matrix WHERE "
                                 "zoom_level = 11"),
              (long long)(2 * MG_TILES_HALF_WORLD / (2048.0 * 512) * 1e6));
    CHECK_INT(validate("out/big.gpkg"), 0);
}

int main(void)
{
    GDALAllRegister();
    store_test_enter("store-gpkg-test");
    CHECK_INT(system("mkdir -p out"), 0);
    make_vector_gpkg(GPKG);
    CHECK_INT(validate(GPKG), 0);
    test_store_resume();
    test_store_force();
    test_copy();
    test_fresh_srs();
    store_test_leave();
    GDALDestroyDriverManager();
    CHECK_DONE();
}
