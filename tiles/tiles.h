/*
 * tiles — the tile grid, an anti-aliased rasteriser and PNG encoding: the
 * rendering core that turns styled polygons into web-map tiles.
 *
 * The pipeline through this header:
 *
 *   mg_tiles_get_transform()    tile z/x/y + size          -> metres to pixels
 *   mg_tiles_transform_points() lon/lat metres             -> tile pixels
 *   mg_tiles_fill_polygons()    rings in pixels + fill rule -> mg_mask
 *   mg_tiles_stroke_line()      polyline + mg_stroke       -> mg_mask
 *   mg_tiles_composite_mask()   mask + colour, source-over -> mg_canvas
 *   mg_tiles_encode_png()       mg_canvas                  -> PNG bytes
 *
 * Grid (docs/tiles.md): EPSG:3857 spherical mercator on a sphere of radius
 * 6378137 m, XYZ numbering (x from the antimeridian eastwards, y from the
 * north edge southwards, both 0..2^z-1), latitudes clamped to
 * +-MG_TILES_MAX_LAT.  TMS numbering (MBTiles, GeoPackage tile matrices
 * count rows from the south) is one call away: mg_tiles_flip_row().
 *
 * Pixels: x to the right, y down, (0, 0) the top-left corner of the top-left
 * pixel; pixel (i, j) is the unit square [i, i+1] x [j, j+1], so its centre
 * is (i + 0.5, j + 0.5).
 *
 * Coverage: the rasteriser computes for each pixel the area of the pixel
 * inside the shape (exactly, for the cases docs/tiles.md lists) and stores
 * it as round(255 * area) in an 8-bit mask.
 *
 * Colours: an mg_canvas holds straight (not premultiplied) RGBA8, the layout
 * PNG stores, so encoding needs no conversion.  Colours are styles' mg_rgba.
 *
 * Errors: fallible functions return MG_OK or an MG_ERR_* code from
 * geodata/geodata.h: MG_ERR_USAGE for a NULL pointer, a size, zoom or enum
 * out of range; MG_ERR_INPUT for unusable coordinates or a malformed PNG;
 * MG_ERR_NOMEM; MG_ERR_DEPENDENCY when libpng fails.  The PNG functions also
 * fill an mg_error when given one.  A failed call leaves its context usable.
 *
 * Threads: no function here keeps global state.  An mg_raster and an
 * mg_canvas belong to one thread at a time; give each worker its own.
 */
#ifndef MG_TILES_H
#define MG_TILES_H

#include <stddef.h>
#include <stdint.h>

#include "geodata/geodata.h"
#include "styles/styles.h"

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
/* Canvas, mask and tile sizes are 1..MG_TILES_MAX_SIZE pixels a side. */
enum { MG_TILES_MAX_SIZE = 16384 };
/* Pixel coordinates given to the rasteriser must lie within +-this: far
 * past any tile (the world at zoom 30 in 512 px tiles is 2^39 px wide) and
 * small enough that their differences and products stay finite. */
#define MG_TILES_MAX_COORD 1e15

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
void mg_tiles_unproject_metres(double mx, double my, double *lon,
                               double *lat);

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

/* ---- rasteriser --------------------------------------------------------- */

/* A reusable rasteriser for one canvas size: it owns the accumulation
 * buffer, the mask it hands out and scratch space for strokes, so drawing
 * allocates nothing once these have grown.  One per thread. */
typedef struct mg_raster mg_raster;

/* A new rasteriser for width x height pixels (1..MG_TILES_MAX_SIZE each),
 * or NULL when out of memory or a size is out of range.  Free with
 * mg_raster_free(). */
mg_raster *mg_raster_new(int width, int height);
void mg_raster_free(mg_raster *r);

/* Fill rules.  Even-odd is the rule of OGC/GeoJSON polygons; non-zero is
 * the rule strokes are drawn with. */
typedef enum mg_fill_rule {
    MG_FILL_NONZERO,
    MG_FILL_EVENODD
} mg_fill_rule;

/* A ring: n points x0 y0 x1 y1 ... in pixels, implicitly closed (a last
 * point equal to the first is allowed and harmless).  Not owned. */
typedef struct mg_ring {
    const double *xy;
    size_t n;
} mg_ring;

/* A polygon: rings[0] is its outer ring, the others its holes.  A
 * multipolygon is an array of these. */
typedef struct mg_polygon {
    const mg_ring *rings;
    size_t n_rings;
} mg_polygon;

/* Per-pixel coverage, 0 (outside) to 255 (inside), width x height bytes
 * row by row.  Only rows [y0, y1) and, in row y, columns [x0[y], x1[y]) may
 * be non-zero; the rest of cover is zero.  A mask belongs to the raster
 * that made it and stays valid until that raster's next drawing call. */
typedef struct mg_mask {
    const uint8_t *cover;
    int width, height;
    int y0, y1;
    const int *x0, *x1;      /* indexed by row y, valid for y0 <= y < y1 */
} mg_mask;

/* Rasterises a (multi)polygon into r's mask.  Parts may extend past the
 * canvas (they are clipped) and rings of fewer than 3 points draw nothing.
 * With MG_FILL_EVENODD outer rings and holes are reoriented internally
 * (outer positive, holes negative), which leaves the even-odd result as it
 * is and makes the coverage of valid polygons exact whatever the input's
 * ring orientation.  With MG_FILL_NONZERO rings are taken as given, so the
 * caller's orientation decides what a hole is.  Returns MG_OK and fills
 * *out, MG_ERR_USAGE (NULL pointers, a ring with xy NULL and n > 0, a bad
 * rule) or MG_ERR_INPUT (a coordinate that is NaN, infinite or beyond
 * +-MG_TILES_MAX_COORD; nothing is drawn). */
int mg_tiles_fill_polygons(mg_raster *r, const mg_polygon *polygons,
                           size_t n_polygons, mg_fill_rule rule,
                           mg_mask *out);

typedef enum mg_line_join {
    MG_JOIN_MITER,           /* sharp corners, bevelled past miter_limit */
    MG_JOIN_ROUND,           /* a circular arc about the vertex */
    MG_JOIN_BEVEL            /* the outer corners joined by a straight cut */
} mg_line_join;

typedef enum mg_line_cap {
    MG_CAP_BUTT,             /* the line ends at its end points */
    MG_CAP_ROUND,            /* a half disc past each end */
    MG_CAP_SQUARE            /* half a width past each end */
} mg_line_cap;

typedef struct mg_stroke {
    double width;            /* pixels, > 0 */
    mg_line_join join;
    mg_line_cap cap;         /* ignored for closed lines */
    double miter_limit;      /* SVG's: miter length / width, >= 1; used by
                              * MG_JOIN_MITER only */
} mg_stroke;

/* Rasterises the stroke of a polyline of n points (xy as in mg_ring) into
 * r's mask.  The stroke is turned into polygons (docs/tiles.md) filled with
 * the non-zero rule.  closed joins the last point to the first and draws
 * joins everywhere and no caps (a closed line of fewer than 3 distinct
 * points is drawn as an open one).  Repeated points are skipped; a line
 * that is a single point draws a dot with round caps, a square with square
 * caps and nothing with butt caps.  Returns as mg_tiles_fill_polygons(), also
 * MG_ERR_USAGE for a width that is not positive and finite, an unknown join
 * or cap or a miter limit below 1, and MG_ERR_NOMEM. */
int mg_tiles_stroke_line(mg_raster *r, const double *xy, size_t n, int closed,
                         const mg_stroke *style, mg_mask *out);

/* Rasterises a disc of the given radius (pixels, > 0) into r's mask.  The
 * circle is a polygon whose chords stray at most 1/100 pixel from it and
 * whose area equals the disc's.  Returns as mg_tiles_fill_polygons(), also
 * MG_ERR_NOMEM. */
int mg_tiles_fill_circle(mg_raster *r, double cx, double cy, double radius,
                         mg_mask *out);

/* Rasterises a ring of the given width centred on the circle of the given
 * radius (the outline of a dot) into r's mask.  A width of 2 * radius or
 * more draws the full disc of radius + width / 2.  Returns as
 * mg_tiles_fill_circle(), also MG_ERR_USAGE for a width that is not
 * positive and finite. */
int mg_tiles_stroke_circle(mg_raster *r, double cx, double cy, double radius,
                           double width, mg_mask *out);

/* ---- canvas and compositing --------------------------------------------- */

/* An image of straight (not premultiplied) RGBA8 pixels, row by row:
 * pixel (x, y) is rgba[y * stride + 4 * x .. + 3]. */
typedef struct mg_canvas {
    uint8_t *rgba;
    int width, height;
    size_t stride;           /* bytes per row, 4 * width for our canvases */
} mg_canvas;

/* A new canvas of width x height pixels (1..MG_TILES_MAX_SIZE), fully
 * transparent (every byte 0), or NULL.  Free with mg_canvas_free(). */
mg_canvas *mg_canvas_new(int width, int height);
void mg_canvas_free(mg_canvas *c);

/* Sets every pixel of c to colour. */
void mg_tiles_clear_canvas(mg_canvas *c, mg_rgba colour);

/* Draws colour through mask onto c with source-over: each pixel gets the
 * colour at alpha colour.a * cover / 255 composited over it, in integer
 * arithmetic rounded to nearest (so results are the same on every
 * platform).  Returns MG_OK or MG_ERR_USAGE when the sizes differ or a
 * pointer is NULL. */
int mg_tiles_composite_mask(mg_canvas *c, const mg_mask *mask,
                            mg_rgba colour);

/* mg_tiles_fill_polygons() then mg_tiles_composite_mask(); r must match
 * c's size. */
int mg_tiles_draw_polygons(mg_canvas *c, mg_raster *r,
                           const mg_polygon *polygons, size_t n_polygons,
                           mg_fill_rule rule, mg_rgba colour);

/* mg_tiles_stroke_line() then mg_tiles_composite_mask(). */
int mg_tiles_draw_line(mg_canvas *c, mg_raster *r, const double *xy,
                       size_t n, int closed, const mg_stroke *style,
                       mg_rgba colour);

/* A dot (a provider, say): a disc of radius filled with fill, then an
 * outline of outline_width centred on its edge in outline (skipped when
 * outline_width is 0).  Returns as the functions it calls. */
int mg_tiles_draw_dot(mg_canvas *c, mg_raster *r, double cx, double cy,
                      double radius, mg_rgba fill, double outline_width,
                      mg_rgba outline);

/* 1 when every pixel of c has alpha 0 (an empty tile, which stores skip),
 * else 0 (also for NULL). */
int mg_tiles_is_transparent(const mg_canvas *c);

/* ---- PNG ---------------------------------------------------------------- */

/* Encodes c as a PNG in memory.  A canvas of at most 256 distinct RGBA
 * values becomes a palette PNG (bit depth 1, 2, 4 or 8 by the palette size)
 * with a tRNS chunk when any colour is translucent; the palette lists the
 * translucent colours first, then the opaque ones, each group by first
 * occurrence in raster order, so tRNS stays short and the bytes are a
 * function of the pixels alone.  Other canvases become 8-bit RGB when
 * every pixel is opaque, else 8-bit RGBA (both unfiltered).  level
 * is the zlib level, 0 (store) to 9 (smallest).  No time or text chunks are
 * written: equal canvases give equal bytes.  Returns MG_OK with *png
 * (free() it) and *size set, MG_ERR_USAGE, MG_ERR_NOMEM or
 * MG_ERR_DEPENDENCY (libpng's message in err). */
int mg_tiles_encode_png(const mg_canvas *c, int level, unsigned char **png,
                        size_t *size, mg_error *err);

/* Decodes any PNG (palette, grey, RGB, with or without alpha, 1 to 16 bits,
 * interlaced or not) to a new straight-RGBA8 canvas; 16-bit samples are
 * reduced to 8.  Returns MG_OK with *out (free with mg_canvas_free()),
 * MG_ERR_INPUT for data that is not a readable PNG or is larger than
 * MG_TILES_MAX_SIZE a side, MG_ERR_USAGE or MG_ERR_NOMEM. */
int mg_tiles_decode_png(const void *png, size_t size, mg_canvas **out,
                        mg_error *err);

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
    const char *name;        /* map name, [a-z0-9_-]: "needs" */
    const char *title;       /* human title */
    const char *description;
    const char *attribution;
    const char *legend_json; /* JSON array of {"label", "color"}, or NULL */
    int minzoom, maxzoom;
    double west, south, east, north; /* lon/lat bounds of the data */
    int tile_size;           /* 256 or 512 */
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
 * frees it.  Returns MG_OK or MG_ERR_OUTPUT (the store is freed either
 * way; its temporary form is kept for --resume). */
int mg_store_close(mg_store *s, mg_error *err);

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
                           const size_t *wkb_size, size_t n,
                           mg_shapes **out, mg_error *err);

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

/* One layer of a map, drawn over the layers before it.  Sizes are in CSS
 * pixels (tiles of 256 px); 512 px tiles draw them twice as large. */
typedef struct mg_render_layer {
    const mg_shapes *shapes;
    int minzoom, maxzoom;    /* drawn at these zooms only */
    const mg_rgba *fill;     /* one colour per feature (alpha 0: not
                                filled), or NULL: no fill */
    mg_rgba outline;         /* polygons: the borders, each drawn once;
                                points: the dots' outline */
    double outline_width;    /* 0: none */
    double radius;           /* points: the dots' radius (> 0) */
} mg_render_layer;

/* Where rendered tiles go: usually an mg_store (mg_render_store_sink()). */
typedef struct mg_render_sink {
    /* 1 when the sink holds tile z/x/y already (asked only when resuming);
     * may be NULL */
    int (*has_tile)(void *user, int z, uint32_t x, uint32_t y);
    /* stores one PNG tile; MG_OK or an MG_ERR_* code with err filled */
    int (*put_tile)(void *user, int z, uint32_t x, uint32_t y,
                    const unsigned char *png, size_t size, mg_error *err);
    void *user;
} mg_render_sink;

/* A sink that writes to store. */
mg_render_sink mg_render_store_sink(mg_store *store);

/* Progress: tiles handled so far (written, empty or found done) of all
 * tiles of the pyramid. */
typedef struct mg_render_progress {
    int zoom;                /* the zoom being written */
    long done, total;
    double seconds;          /* since the start */
} mg_render_progress;

/* Called after each tile; returns 0 to cancel (MG_ERR_INTERRUPTED). */
typedef int (*mg_render_progress_fn)(const mg_render_progress *p,
                                     void *user);

typedef struct mg_render_options {
    int minzoom, maxzoom;    /* 0 <= minzoom <= maxzoom <= 30 */
    int tile_size;           /* 256, or 512 for @2x tiles */
    int has_bbox;            /* 1: only tiles that overlap bbox */
    mg_tile_bounds bbox;     /* lon/lat */
    int threads;             /* rendering threads, >= 1 */
    int png_level;           /* zlib level 0..9 */
    int resume;              /* ask the sinks which tiles they hold */
    mg_render_progress_fn progress; /* may be NULL */
    void *user;
} mg_render_options;

typedef struct mg_render_zoom_stats {
    long tiles;              /* tiles some feature touches (in bbox) */
    long done_before;        /* every sink held them already (resume) */
    long written;            /* handed to the sinks */
    long empty;              /* fully transparent: not written */
    long duplicates;         /* written, and equal to an earlier tile */
    long long bytes;         /* PNG bytes written */
    double seconds;          /* wall time of the zoom as written */
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

/* ---- legends ------------------------------------------------------------ */

/* Draws legend as a PNG: its title, then each group's title and items (a
 * swatch, a dot or a line in the item's colours, and the label), on an
 * opaque white card; scale 2 draws it at twice the size.  Text is set in
 * DejaVu Sans through FreeType (font: the MG_FONT_PATH given at build
 * time).  Returns MG_OK with *png (free()) and *size, MG_ERR_DEPENDENCY
 * when the font cannot be loaded (err names it), MG_ERR_NOMEM. */
int mg_tiles_draw_legend(const mg_legend *legend, int scale, int png_level,
                         unsigned char **png, size_t *size, mg_error *err);

#ifdef __cplusplus
}
#endif
#endif
