/* The XYZ tile grid on EPSG:3857 (spherical mercator). */
#include "tiles/render.h"

#include <math.h>

static const double pi = 3.14159265358979323846;

static int zoom_ok(int z)
{
    return z >= 0 && z <= MG_TILES_MAX_ZOOM;
}

static int size_ok(int size)
{
    return size >= 1 && size <= MG_TILES_MAX_SIZE;
}

double mg_tiles_clamp_lat(double lat)
{
    if (lat > MG_TILES_MAX_LAT)
        return MG_TILES_MAX_LAT;
    if (lat < -MG_TILES_MAX_LAT)
        return -MG_TILES_MAX_LAT;
    return lat;
}

/* y/R = ln(tan(pi/4 + phi/2)), written as atanh(sin(phi)): the same value
 * without tan()'s blow-up near the poles. */
static double mercator_y(double lat)
{
    return atanh(sin(mg_tiles_clamp_lat(lat) * pi / 180.0));
}

void mg_tiles_project_lonlat(double lon, double lat, double *mx, double *my)
{
    if (mx)
        *mx = lon * (MG_TILES_HALF_WORLD / 180.0);
    if (my)
        *my = MG_TILES_RADIUS * mercator_y(lat);
}

void mg_tiles_unproject_metres(double mx, double my, double *lon, double *lat)
{
    if (lon)
        *lon = mx * (180.0 / MG_TILES_HALF_WORLD);
    if (lat)
        *lat = atan(sinh(my / MG_TILES_RADIUS)) * 180.0 / pi;
}

/* Lon/lat as fractions of the world's width and height from its north-west
 * corner: the zoom-free form both pixel and tile lookups scale. */
static void world_fraction(double lon, double lat, double *u, double *v)
{
    *u = (lon + 180.0) / 360.0;
    *v = 0.5 - mercator_y(lat) / (2.0 * pi);
}

int mg_tiles_locate_pixel(double lon, double lat, int z, int tile_size,
                          double *px, double *py)
{
    if (!zoom_ok(z) || !size_ok(tile_size) || !px || !py)
        return MG_ERR_USAGE;
    double u, v, n = ldexp((double)tile_size, z);
    world_fraction(lon, lat, &u, &v);
    *px = u * n;
    *py = v * n;
    return MG_OK;
}

/* floor(f * 2^z) limited to the grid; f is finite. */
static uint32_t tile_index(double f, int z)
{
    double t = floor(ldexp(f, z)), last = ldexp(1.0, z) - 1.0;
    if (t < 0.0)
        t = 0.0;
    if (t > last)
        t = last;
    return (uint32_t)t;
}

int mg_tiles_locate_tile(double lon, double lat, int z, uint32_t *x,
                         uint32_t *y)
{
    if (!zoom_ok(z) || !x || !y)
        return MG_ERR_USAGE;
    if (!isfinite(lon) || !isfinite(lat))
        return MG_ERR_INPUT;
    double u, v;
    world_fraction(lon, lat, &u, &v);
    *x = tile_index(u, z);
    *y = tile_index(v, z);
    return MG_OK;
}

static int tile_ok(int z, uint32_t x, uint32_t y)
{
    if (!zoom_ok(z))
        return 0;
    uint64_t n = (uint64_t)1 << z;
    return x < n && y < n;
}

/* Latitude of the grid line y tiles down from the north edge at zoom z. */
static double row_lat(double y, int z)
{
    return atan(sinh(pi * (1.0 - ldexp(2.0 * y, -z)))) * 180.0 / pi;
}

int mg_tiles_get_bounds(int z, uint32_t x, uint32_t y, mg_tile_bounds *lonlat,
                        mg_tile_bounds *metres)
{
    if (!tile_ok(z, x, y))
        return MG_ERR_USAGE;
    if (lonlat) {
        lonlat->west = ldexp((double)x, -z) * 360.0 - 180.0;
        lonlat->east = ldexp((double)x + 1.0, -z) * 360.0 - 180.0;
        lonlat->north = row_lat((double)y, z);
        lonlat->south = row_lat((double)y + 1.0, z);
    }
    if (metres) {
        /* The world is 2 * HALF_WORLD wide; a tile is 2^-z of it. */
        double side = ldexp(2.0 * MG_TILES_HALF_WORLD, -z);
        metres->west = -MG_TILES_HALF_WORLD + x * side;
        metres->east = -MG_TILES_HALF_WORLD + (x + 1.0) * side;
        metres->north = MG_TILES_HALF_WORLD - y * side;
        metres->south = MG_TILES_HALF_WORLD - (y + 1.0) * side;
    }
    return MG_OK;
}

uint32_t mg_tiles_flip_row(int z, uint32_t y)
{
    if (!tile_ok(z, 0, y))
        return UINT32_MAX;
    return (uint32_t)((((uint64_t)1 << z) - 1) - y);
}

int mg_tiles_get_transform(int z, uint32_t x, uint32_t y, int tile_size,
                           mg_tile_transform *t)
{
    mg_tile_bounds m;
    if (!t || !size_ok(tile_size) || mg_tiles_get_bounds(z, x, y, NULL, &m))
        return MG_ERR_USAGE;
    t->origin_x = m.west;
    t->origin_y = m.north;
    t->scale = tile_size / (m.east - m.west);
    return MG_OK;
}

void mg_tiles_transform_points(const mg_tile_transform *t, const double *in,
                               double *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double mx = in[2 * i], my = in[2 * i + 1];
        out[2 * i] = (mx - t->origin_x) * t->scale;
        out[2 * i + 1] = (t->origin_y - my) * t->scale;
    }
}
