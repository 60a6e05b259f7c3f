/*
 * tiles/render — the tile grid (EPSG:3857, XYZ numbering), geometry
 * prepared for rendering (mg_shapes: projected once, borders shared and
 * simplified per zoom), and the pyramid renderer that draws the layers of
 * a map into every tile some feature touches and hands the PNGs to sinks
 * in a fixed order (docs/rendering.md, docs/tiles.md).
 *
 * Grid (docs/tiles.md): EPSG:3857 spherical mercator on a sphere of radius
 * 6378137 m, XYZ numbering (x from the antimeridian eastwards, y from the
 * north edge southwards, both 0..2^z-1), latitudes clamped to
 * +-MG_TILES_MAX_LAT.  TMS numbering (MBTiles, GeoPackage tile matrices
 * count rows from the south) is one call away: mg_tiles_flip_row().
 *
 * Errors: MG_OK or an MG_ERR_* code of geodata/core.h; MG_ERR_USAGE for a
 * NULL pointer or a zoom, size or option out of range.
 *
 * Threads: no function here keeps global state; mg_render_pyramid() runs
 * its own worker threads.
 */
#ifndef MG_TILES_RENDER_H
#define MG_TILES_RENDER_H

#include "tiles/raster.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- tile grid ---------------------------------------------------------- */

/* atan(sinh(pi)) in degrees: the latitude where the mercator square ends. */
#define MG_TILES_MAX_LAT 85.0511287798066
/* Sphere radius of EPSG:3857, metres. */
#define MG_TILES_RADIUS 6378137.0
/* Half the width of the world in EPSG:3857 (pi * radius), metres. */
#define MG_TILES_HALF_WORLD 20037508.342789244
/* Zoom levels 0..MG_TILES_MAX_ZOOM are valid (2^30 tiles fit a uint32_t). */
enum { MG_TILES_MAX_ZOOM = 30 };

/* A rectangle: degrees (lon/lat) or metres (EPSG:3857), depending on use. */
typedef struct mg_tile_bounds {
    double west, south, east, north;
} mg_tile_bounds;

/* Maps EPSG:3857 metres to the pixels of one tile:
 *   px = (mx - origin_x) * scale,  py = (origin_y - my) * scale. */
typedef struct mg_tile_transform {
    double origin_x, origin_y; /* the tile's north-west corner, metres */
    double scale;              /* pixels per metre */
} mg_tile_transform;

/* lat clamped to [-MG_TILES_MAX_LAT, MG_TILES_MAX_LAT]; NaN stays NaN. */
double mg_tiles_clamp_lat(double lat);

/* Lon/lat (degrees, WGS 84) to EPSG:3857 metres.  lat is clamped first;
 * lon is not wrapped (lon 190 gives x beyond the world's east edge). */
void mg_tiles_project_lonlat(double lon, double lat, double *mx, double *my);

/* EPSG:3857 metres to lon/lat degrees: the inverse of
 * mg_tiles_project_lonlat() inside the clamped square. */
void mg_tiles_unproject_metres(double mx, double my, double *lon, double *lat);

/* Lon/lat to global pixel coordinates at zoom z for tiles of tile_size
 * pixels: (0, 0) is the world's north-west corner, (2^z * tile_size) its
 * south-east one.  lat is clamped, lon is not wrapped.  Returns MG_OK, or
 * MG_ERR_USAGE for z outside 0..MG_TILES_MAX_ZOOM, tile_size outside
 * 1..MG_TILES_MAX_SIZE or a NULL output. */
int mg_tiles_locate_pixel(double lon, double lat, int z, int tile_size,
                          double *px, double *py);

/* The XYZ tile holding lon/lat at zoom z.  A point on a tile boundary
 * belongs to the tile east/south of it; lon 180 and the clamped south edge
 * belong to the last column/row.  Returns MG_OK, MG_ERR_USAGE (bad z, NULL
 * output) or MG_ERR_INPUT (non-finite lon/lat). */
int mg_tiles_locate_tile(double lon, double lat, int z, uint32_t *x,
                         uint32_t *y);

/* Bounds of XYZ tile z/x/y in degrees and in metres; either output may be
 * NULL.  Returns MG_OK, or MG_ERR_USAGE when z is out of range or x or y
 * is not below 2^z. */
int mg_tiles_get_bounds(int z, uint32_t x, uint32_t y, mg_tile_bounds *lonlat,
                        mg_tile_bounds *metres);

/* Converts a row between XYZ and TMS numbering: 2^z - 1 - y (the flip is
 * its own inverse).  Returns UINT32_MAX when z is out of range or
 * y >= 2^z. */
uint32_t mg_tiles_flip_row(int z, uint32_t y);

/* The metres-to-pixels transform of tile z/x/y drawn at tile_size pixels.
 * Returns MG_OK or MG_ERR_USAGE (as mg_tiles_get_bounds(), or a bad
 * tile_size). */
int mg_tiles_get_transform(int z, uint32_t x, uint32_t y, int tile_size,
                           mg_tile_transform *t);

/* Applies t to n points: in and out hold x0 y0 x1 y1 ... and may be the
 * same array. */
void mg_tiles_transform_points(const mg_tile_transform *t, const double *in,
                               double *out, size_t n);

/* ---- rendering pyramids --------------------------------------------------
 *
 * docs/rendering.md describes the design.
 *
 *   mg_shapes_new_polygons()  WKB (lon/lat) per feature -> mg_shapes:
 *                             projected to EPSG:3857 once and cut into
 *                             arcs, each border shared by two regions
 *                             stored (and so simplified and drawn) once
 *   mg_shapes_new_points()    lon/lat per feature       -> mg_shapes
 *   mg_render_pyramid()       layers over shapes, zooms -> PNG tiles handed
 *                             to sinks (tile stores) in a fixed order
 *
 * Per zoom, arcs are simplified (Douglas-Peucker in pixels, tolerance
 * 0.25 px), each feature is assigned to the tiles it touches (never the
 * whole bounding box) with a buffer for its outline or dot, tiles are
 * rendered by a pool of threads, each with its own raster and canvas, and
 * handed to the sinks by the calling thread in (z, y, x) order.  The bytes
 * written do not depend on the number of threads.
 *
 * Threads: mg_shapes are read-only once built and may be shared by any
 * number of renderers.  Sinks are called from the calling thread only. */

/* Geometry prepared for rendering: polygons or points.  Read-only once
 * built. */
typedef struct mg_shapes mg_shapes;

/* Builds polygon shapes from n WKB geometries in lon/lat (Polygon,
 * MultiPolygon or a GeometryCollection of them, any byte order, Z/M
 * ignored); wkb[i] may be NULL (a feature without geometry).  Latitudes
 * are clamped to the mercator square.  Returns MG_OK and *out (free with
 * mg_shapes_free()), MG_ERR_INPUT for malformed WKB (err names the
 * feature as its row), or MG_ERR_NOMEM. */
int mg_shapes_new_polygons(const unsigned char *const *wkb,
                           const size_t *wkb_size, size_t n, mg_shapes **out,
                           mg_error *err);

/* Builds point shapes from n lon/lat pairs (lonlat[2i], lonlat[2i+1]; NaN
 * for a feature without a location).  Returns MG_OK and *out or
 * MG_ERR_NOMEM. */
int mg_shapes_new_points(const double *lonlat, size_t n, mg_shapes **out,
                         mg_error *err);

void mg_shapes_free(mg_shapes *s);

/* The number of features. */
size_t mg_shapes_count(const mg_shapes *s);

/* The lon/lat bounds of every feature's geometry.  Returns 1, or 0 when no
 * feature has any (lonlat untouched). */
int mg_shapes_get_bounds(const mg_shapes *s, mg_tile_bounds *lonlat);

/* The smallest zoom at which the median feature (its size being the square
 * root of its bounding box's area in EPSG:3857) is at least px pixels wide
 * in tiles of tile_size px, at most cap; 0 for points or no geometry. */
int mg_shapes_suggest_maxzoom(const mg_shapes *s, double px, int tile_size,
                              int cap);

/* Douglas-Peucker over a line of n >= 1 points p (x y pairs), to within
 * sqrt(tol2) in p's units: keep[i] is set to 1 for each point that stays,
 * 0 for the others; the first and last always stay.  A closed line (first
 * point = last) also keeps the point farthest from its start and, when
 * nothing else would, the one farthest from that chord, so a ring of 4
 * points or more never falls below a triangle.  *stack and *cap are the
 * caller's scratch (grown with realloc(); free *stack).  Returns 0, or -1
 * when out of memory.  The maps' arcs (per zoom, in pixels) and the
 * viewer's outlines (mapgen/pipeline/regions.c, in degrees) use it. */
int mg_render_simplify_line(const double *p, size_t n, double tol2,
                            uint8_t *keep, size_t **stack, size_t *cap);

/* One layer of a map, drawn over the layers before it.  Sizes are in CSS
 * pixels (tiles of 256 px); 512 px tiles draw them twice as large. */
typedef struct mg_render_layer {
    const mg_shapes *shapes;
    int minzoom, maxzoom; /* drawn at these zooms only */
    const mg_rgba *fill;  /* one colour per feature (alpha 0: not
                                filled), or NULL: no fill */
    mg_rgba outline;      /* polygons: the borders, each drawn once;
                                points: the dots' outline */
    double outline_width; /* 0: none */
    double radius;        /* points: the dots' radius (> 0) */
} mg_render_layer;

/* Where rendered tiles go: usually a tile store (tiles/store.h,
 * mg_store_sink()). */
typedef struct mg_render_sink {
    /* 1 when the sink holds tile z/x/y already (asked only when resuming);
     * may be NULL */
    int (*has_tile)(void *user, int z, uint32_t x, uint32_t y);
    /* stores one PNG tile; MG_OK or an MG_ERR_* code with err filled */
    int (*put_tile)(void *user, int z, uint32_t x, uint32_t y,
                    const unsigned char *png, size_t size, mg_error *err);
    void *user;
} mg_render_sink;

/* Progress: tiles handled so far (written, empty or found done) of all
 * tiles of the pyramid. */
typedef struct mg_render_progress {
    int zoom; /* the zoom being written */
    long done, total;
    double seconds; /* since the start */
} mg_render_progress;

/* Called after each tile; returns 0 to cancel (MG_ERR_INTERRUPTED). */
typedef int (*mg_render_progress_fn)(const mg_render_progress *p, void *user);

typedef struct mg_render_options {
    int minzoom, maxzoom;           /* 0 <= minzoom <= maxzoom <= 30 */
    int tile_size;                  /* 256, or 512 for @2x tiles */
    int has_bbox;                   /* 1: only tiles that overlap bbox */
    mg_tile_bounds bbox;            /* lon/lat */
    int threads;                    /* rendering threads, >= 1 */
    int png_level;                  /* mg_tiles_encode_png()'s 0..9 */
    int resume;                     /* ask the sinks which tiles they hold */
    mg_render_progress_fn progress; /* may be NULL */
    void *user;
    /* shard_count 0: every tile.  Else only the tiles of the
     * shard_index-th (0-based) of shard_count contiguous ranges of the
     * pyramid's order (z, y, x), cut where the estimated cost reaches
     * i/shard_count of the whole (mg_render_tile_cost()), so the ranges
     * cover every tile once and cost about the same. */
    int shard_index, shard_count;
} mg_render_options;

typedef struct mg_render_zoom_stats {
    long tiles;       /* tiles some feature touches (in bbox) */
    long done_before; /* every sink held them already (resume) */
    long written;     /* handed to the sinks */
    long empty;       /* fully transparent: not written */
    long duplicates;  /* written, and equal to an earlier tile */
    long long bytes;  /* PNG bytes written */
    double seconds;   /* wall time of the zoom as written */
} mg_render_zoom_stats;

typedef struct mg_render_stats {
    mg_render_zoom_stats zoom[MG_TILES_MAX_ZOOM + 1];
    double seconds;
} mg_render_stats;

/* Renders layers[0..n_layers-1] at zooms opt->minzoom..maxzoom and hands
 * every tile that is not fully transparent to each sink (when resuming,
 * to each sink that lacks it; a tile every sink holds is not rendered).
 * Tiles arrive in order of z, then y, then x.  Polls mg_interrupted.
 * Returns MG_OK; MG_ERR_USAGE for bad options or layers; MG_ERR_NOMEM;
 * MG_ERR_INTERRUPTED (when mg_interrupted is set or progress returns 0);
 * or what a sink returned.  stats (may be NULL) is filled either way. */
int mg_render_pyramid(const mg_render_layer *layers, size_t n_layers,
                      const mg_render_options *opt,
                      const mg_render_sink *sinks, size_t n_sinks,
                      mg_render_stats *stats, mg_error *err);

/* Renders tile z/x/y of layers into c (tile_size x tile_size, overwritten)
 * exactly as mg_render_pyramid() does.  Returns MG_OK, MG_ERR_USAGE or
 * MG_ERR_NOMEM. */
int mg_render_tile(const mg_render_layer *layers, size_t n_layers, int z,
                   uint32_t x, uint32_t y, int tile_size, mg_canvas *c,
                   mg_error *err);

/* The buffer, in pixels of a tile_size tile, within which a feature of
 * layer still draws into a tile: half the outline width, or the dot's
 * radius plus half its outline, plus 0.05 px; scaled for 512 px tiles.
 * A tile is touched by a feature when the feature's simplified geometry
 * meets the tile's square grown by this on every side. */
double mg_render_get_buffer(const mg_render_layer *layer, int tile_size);

#ifdef __cplusplus
}
#endif
#endif
