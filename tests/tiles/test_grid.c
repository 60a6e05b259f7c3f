/* The tile grid against values worked out independently (by hand from the
 * definitions, with the other textbook form of each formula). */
#include "check.h"
#include "tiles/store.h"

#include <math.h>

static const double pi = 3.14159265358979323846;

/* Latitude of grid row y at zoom z, as 2 atan(e^t) - pi/2: the other form
 * of the inverse Gudermannian from the one the library uses. */
static double row_lat(double y, int z)
{
    double t = pi * (1.0 - 2.0 * y / ldexp(1.0, z));
    return (2.0 * atan(exp(t)) - pi / 2.0) * 180.0 / pi;
}

static void test_flip(void)
{
    /* The MBTiles spec's example: XYZ 11/327/791 is TMS row 1256. */
    CHECK_INT(mg_tiles_flip_row(11, 791), 1256);
    CHECK_INT(mg_tiles_flip_row(11, 1256), 791);
    CHECK_INT(mg_tiles_flip_row(0, 0), 0);
    CHECK_INT(mg_tiles_flip_row(1, 0), 1);
    CHECK_INT(mg_tiles_flip_row(30, 0), (1u << 30) - 1);
    for (uint32_t y = 0; y < 64; y++)
        CHECK_INT(mg_tiles_flip_row(6, mg_tiles_flip_row(6, y)), y);
    CHECK_INT(mg_tiles_flip_row(11, 2048), UINT32_MAX);
    CHECK_INT(mg_tiles_flip_row(-1, 0), UINT32_MAX);
    CHECK_INT(mg_tiles_flip_row(31, 0), UINT32_MAX);
}

static void test_locate(void)
{
    double px, py;
    uint32_t x, y;
    /* (0, 0) is the corner shared by the four tiles of zoom 1, so it is the
     * north-west corner of tile (1, 1). */
    CHECK_INT(mg_tiles_locate_pixel(0.0, 0.0, 1, 256, &px, &py), MG_OK);
    CHECK_NEAR(px, 256.0, 1e-9);
    CHECK_NEAR(py, 256.0, 1e-9);
    CHECK_INT(mg_tiles_locate_pixel(0.0, 0.0, 1, 512, &px, &py), MG_OK);
    CHECK_NEAR(px, 512.0, 1e-9);
    CHECK_NEAR(py, 512.0, 1e-9);
    CHECK_INT(mg_tiles_locate_tile(0.0, 0.0, 1, &x, &y), MG_OK);
    CHECK_INT(x, 1);
    CHECK_INT(y, 1);

    /* Bucharest (26.1025 E, 44.4268 N) at z10: x = (lon + 180) / 360 * 1024
     * = 586.2471..., y = (1 - ln(tan + sec) / pi) / 2 * 1024 = 370.6528... */
    CHECK_INT(mg_tiles_locate_pixel(26.1025, 44.4268, 10, 1, &px, &py), MG_OK);
    CHECK_NEAR(px, 586.247111111111, 1e-9);
    CHECK_NEAR(py, 370.65280242184093, 1e-9);
    CHECK_INT(mg_tiles_locate_tile(26.1025, 44.4268, 10, &x, &y), MG_OK);
    CHECK_INT(x, 586);
    CHECK_INT(y, 370);

    /* Edges: lon 180 and the poles land in the last column / row. */
    CHECK_INT(mg_tiles_locate_tile(180.0, 90.0, 3, &x, &y), MG_OK);
    CHECK_INT(x, 7);
    CHECK_INT(y, 0);
    CHECK_INT(mg_tiles_locate_tile(-180.0, -90.0, 3, &x, &y), MG_OK);
    CHECK_INT(x, 0);
    CHECK_INT(y, 7);
    CHECK_INT(mg_tiles_locate_pixel(0.0, 90.0, 0, 256, &px, &py), MG_OK);
    CHECK_NEAR(py, 0.0, 1e-6);

    CHECK_INT(mg_tiles_locate_tile(NAN, 0.0, 3, &x, &y), MG_ERR_INPUT);
    CHECK_INT(mg_tiles_locate_tile(0.0, 0.0, 31, &x, &y), MG_ERR_USAGE);
    CHECK_INT(mg_tiles_locate_pixel(0.0, 0.0, 3, 0, &px, &py), MG_ERR_USAGE);
    CHECK_INT(mg_tiles_locate_pixel(0.0, 0.0, -1, 256, &px, &py),
              MG_ERR_USAGE);
}

static void test_bounds(void)
{
    mg_tile_bounds g, m;
    CHECK_INT(mg_tiles_get_bounds(0, 0, 0, &g, &m), MG_OK);
    CHECK_NEAR(g.west, -180.0, 1e-12);
    CHECK_NEAR(g.east, 180.0, 1e-12);
    CHECK_NEAR(g.north, 85.0511287798066, 1e-10);
    CHECK_NEAR(g.south, -85.0511287798066, 1e-10);
    CHECK_NEAR(m.west, -20037508.342789244, 1e-6);
    CHECK_NEAR(m.north, 20037508.342789244, 1e-6);

    /* Tile 10/511/340, the one west of the meridian above London: a tile
     * is 360 / 1024 degrees wide, so west = -0.3515625; its north edge is
     * row 340 of 1024 (51.6180165 N), its south edge row 341 (51.3992057 N);
     * a tile is 2 pi R / 1024 = 39135.758482 m a side. */
    CHECK_INT(mg_tiles_get_bounds(10, 511, 340, &g, &m), MG_OK);
    CHECK_NEAR(g.west, -0.3515625, 1e-12);
    CHECK_NEAR(g.east, 0.0, 1e-12);
    CHECK_NEAR(g.north, 51.6180165487737, 1e-10);
    CHECK_NEAR(g.south, 51.39920565355378, 1e-10);
    CHECK_NEAR(g.north, row_lat(340, 10), 1e-10);
    CHECK_NEAR(m.west, -39135.75848200917, 1e-6);
    CHECK_NEAR(m.east, 0.0, 1e-6);
    CHECK_NEAR(m.north, 6731350.458905762, 1e-6);
    CHECK_NEAR(m.south, 6692214.700423751, 1e-6);

    /* The metre bounds are the projected degree bounds. */
    double x, y;
    mg_tiles_project_lonlat(g.west, g.south, &x, &y);
    CHECK_NEAR(x, m.west, 1e-6);
    CHECK_NEAR(y, m.south, 1e-6);

    /* Every row edge of zoom 5 against the other formula. */
    for (uint32_t r = 0; r < 32; r++) {
        CHECK_INT(mg_tiles_get_bounds(5, 0, r, &g, NULL), MG_OK);
        CHECK_NEAR(g.north, row_lat(r, 5), 1e-10);
        CHECK_NEAR(g.south, row_lat(r + 1, 5), 1e-10);
    }
    CHECK_INT(mg_tiles_get_bounds(2, 4, 0, &g, &m), MG_ERR_USAGE);
    CHECK_INT(mg_tiles_get_bounds(2, 0, 4, &g, &m), MG_ERR_USAGE);
    CHECK_INT(mg_tiles_get_bounds(31, 0, 0, &g, &m), MG_ERR_USAGE);
    CHECK_INT(mg_tiles_get_bounds(30, (1u << 30) - 1, 0, &g, NULL), MG_OK);
    CHECK_NEAR(g.east, 180.0, 1e-9);
}

static void test_projection(void)
{
    double x, y, lon, lat;
    /* Paris, 2.3522 E 48.8566 N: x = R lon, y = R ln tan(pi/4 + lat/2). */
    mg_tiles_project_lonlat(2.3522, 48.8566, &x, &y);
    CHECK_NEAR(x, 261845.70624393807, 1e-6);
    CHECK_NEAR(y, 6250564.349543127, 1e-6);
    mg_tiles_unproject_metres(x, y, &lon, &lat);
    CHECK_NEAR(lon, 2.3522, 1e-12);
    CHECK_NEAR(lat, 48.8566, 1e-12);

    /* The clamp: the pole projects onto the square's top edge. */
    mg_tiles_project_lonlat(180.0, 90.0, &x, &y);
    CHECK_NEAR(x, MG_TILES_HALF_WORLD, 1e-6);
    CHECK_NEAR(y, MG_TILES_HALF_WORLD, 1e-4);
    mg_tiles_project_lonlat(-180.0, -89.9, &x, &y);
    CHECK_NEAR(y, -MG_TILES_HALF_WORLD, 1e-4);
    CHECK_NEAR(mg_tiles_clamp_lat(90.0), MG_TILES_MAX_LAT, 0.0);
    CHECK_NEAR(mg_tiles_clamp_lat(-91.0), -MG_TILES_MAX_LAT, 0.0);
    CHECK_NEAR(mg_tiles_clamp_lat(12.5), 12.5, 0.0);
    CHECK(isnan(mg_tiles_clamp_lat(NAN)));

    for (double la = -85.0; la <= 85.0; la += 8.5) {
        mg_tiles_project_lonlat(la * 2.0, la, &x, &y);
        mg_tiles_unproject_metres(x, y, &lon, &lat);
        CHECK_NEAR(lon, la * 2.0, 1e-9);
        CHECK_NEAR(lat, la, 1e-9);
    }
}

static void test_transform(void)
{
    /* A point's pixel in its tile is its global pixel minus the tile's
     * offset, whichever way it was computed. */
    mg_tile_transform t;
    double lon = 26.1025, lat = 44.4268, gx, gy, xy[2];
    CHECK_INT(mg_tiles_get_transform(10, 586, 370, 512, &t), MG_OK);
    CHECK_INT(mg_tiles_locate_pixel(lon, lat, 10, 512, &gx, &gy), MG_OK);
    mg_tiles_project_lonlat(lon, lat, &xy[0], &xy[1]);
    mg_tiles_transform_points(&t, xy, xy, 1);
    CHECK_NEAR(xy[0], gx - 586.0 * 512, 1e-6);
    CHECK_NEAR(xy[1], gy - 370.0 * 512, 1e-6);
    CHECK(xy[0] >= 0.0 && xy[0] < 512.0 && xy[1] >= 0.0 && xy[1] < 512.0);

    /* The tile's corners map to the canvas corners. */
    mg_tile_bounds m;
    CHECK_INT(mg_tiles_get_bounds(10, 586, 370, NULL, &m), MG_OK);
    double c[4] = {m.west, m.north, m.east, m.south};
    mg_tiles_transform_points(&t, c, c, 2);
    CHECK_NEAR(c[0], 0.0, 1e-6);
    CHECK_NEAR(c[1], 0.0, 1e-6);
    CHECK_NEAR(c[2], 512.0, 1e-6);
    CHECK_NEAR(c[3], 512.0, 1e-6);
    CHECK_INT(mg_tiles_get_transform(10, 586, 370, 0, &t), MG_ERR_USAGE);
    CHECK_INT(mg_tiles_get_transform(10, 1024, 370, 256, &t), MG_ERR_USAGE);
}

int main(void)
{
    test_flip();
    test_locate();
    test_bounds();
    test_projection();
    test_transform();
    CHECK_DONE();
}
