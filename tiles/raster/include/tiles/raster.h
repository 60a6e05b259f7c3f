/*
 * tiles/raster — an anti-aliased rasteriser, compositing and PNG encoding:
 * the drawing core that turns shapes in pixels into images (tiles and
 * legends).  The tile grid and pyramids are tiles/render.h; stores
 * tiles/store.h.
 *
 * The pipeline through this header:
 *
 *   mg_tiles_fill_polygons()    rings in pixels + fill rule -> mg_mask
 *   mg_tiles_stroke_line()      polyline + mg_stroke       -> mg_mask
 *   mg_tiles_composite_mask()   mask + colour, source-over -> mg_canvas
 *   mg_tiles_encode_png()       mg_canvas                  -> PNG bytes
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
 * geodata/core.h: MG_ERR_USAGE for a NULL pointer, a size, zoom or enum
 * out of range; MG_ERR_INPUT for unusable coordinates or a malformed PNG;
 * MG_ERR_NOMEM; MG_ERR_DEPENDENCY when libpng or libdeflate fails.  The
 * PNG functions also fill an mg_error when given one.  A failed call leaves its context usable.
 *
 * Threads: no function here keeps global state.  An mg_raster and an
 * mg_canvas belong to one thread at a time; give each worker its own.
 */
#ifndef MG_TILES_RASTER_H
#define MG_TILES_RASTER_H

#include <stddef.h>
#include <stdint.h>

#include "geodata/core.h"
#include "styles/styles.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits ------------------------------------------------------------- */

/* Canvas, mask and tile sizes are 1..MG_TILES_MAX_SIZE pixels a side. */
enum { MG_TILES_MAX_SIZE = 16384 };
/* Pixel coordinates given to the rasteriser must lie within +-this: far
 * past any tile (the world at zoom 30 in 512 px tiles is 2^39 px wide) and
 * small enough that their differences and products stay finite. */
#define MG_TILES_MAX_COORD 1e15

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
typedef enum mg_fill_rule { MG_FILL_NONZERO, MG_FILL_EVENODD } mg_fill_rule;

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
    const int *x0, *x1; /* indexed by row y, valid for y0 <= y < y1 */
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
                           size_t n_polygons, mg_fill_rule rule, mg_mask *out);

typedef enum mg_line_join {
    MG_JOIN_MITER, /* sharp corners, bevelled past miter_limit */
    MG_JOIN_ROUND, /* a circular arc about the vertex */
    MG_JOIN_BEVEL  /* the outer corners joined by a straight cut */
} mg_line_join;

typedef enum mg_line_cap {
    MG_CAP_BUTT,  /* the line ends at its end points */
    MG_CAP_ROUND, /* a half disc past each end */
    MG_CAP_SQUARE /* half a width past each end */
} mg_line_cap;

typedef struct mg_stroke {
    double width; /* pixels, > 0 */
    mg_line_join join;
    mg_line_cap cap;    /* ignored for closed lines */
    double miter_limit; /* SVG's: miter length / width, >= 1; used by
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

/* ---- building a mask from many parts --------------------------------------
 * For renderers that draw many rings or strokes as one shape (the tile
 * renderer draws every polygon of a colour, or every border, at once):
 * parts accumulate in r and one sweep resolves them into r's mask.  The
 * caller checks the arguments (finite coordinates within
 * MG_TILES_MAX_COORD, a valid stroke). */

/* Adds the closed ring xy[0..n-1] (n points) to the accumulation, each edge
 * weighted by sign (+1 or -1).  Edges with an end that is not finite or
 * past +-MG_TILES_MAX_COORD are skipped. */
void mg_raster_add_ring(mg_raster *r, const double *xy, size_t n, double sign);

/* Adds the outline of a stroke (as mg_tiles_stroke_line() builds it) to
 * the accumulation without resolving it, so several strokes become one
 * mask under the non-zero rule.  Returns MG_OK, MG_ERR_INPUT (a coordinate
 * not finite or past +-MG_TILES_MAX_COORD) or MG_ERR_NOMEM (then nothing
 * was added). */
int mg_raster_add_stroke(mg_raster *r, const double *xy, size_t n, int closed,
                         const mg_stroke *style);

/* Resolves the accumulation with rule into r's mask, fills *out and leaves
 * the accumulation zero. */
void mg_raster_sweep(mg_raster *r, mg_fill_rule rule, mg_mask *out);

/* Drops whatever has been accumulated (after a late validation failure). */
void mg_raster_discard(mg_raster *r);

/* ---- canvas and compositing --------------------------------------------- */

/* An image of straight (not premultiplied) RGBA8 pixels, row by row:
 * pixel (x, y) is rgba[y * stride + 4 * x .. + 3]. */
typedef struct mg_canvas {
    uint8_t *rgba;
    int width, height;
    size_t stride; /* bytes per row, 4 * width for our canvases */
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
int mg_tiles_composite_mask(mg_canvas *c, const mg_mask *mask, mg_rgba colour);

/* mg_tiles_fill_polygons() then mg_tiles_composite_mask(); r must match
 * c's size. */
int mg_tiles_draw_polygons(mg_canvas *c, mg_raster *r,
                           const mg_polygon *polygons, size_t n_polygons,
                           mg_fill_rule rule, mg_rgba colour);

/* mg_tiles_stroke_line() then mg_tiles_composite_mask(). */
int mg_tiles_draw_line(mg_canvas *c, mg_raster *r, const double *xy, size_t n,
                       int closed, const mg_stroke *style, mg_rgba colour);

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
 * every pixel is opaque, else 8-bit RGBA (all rows unfiltered).  level
 * is the deflate level, 0 (store) to 9 (smallest): 1 is mapgen's own
 * encoder for flat tiles (matches one row up or one pixel back, fixed
 * Huffman codes: the fastest, files a fifth larger than level 2's), 0 and
 * 2..9 libdeflate's levels (its scale, like zlib's).  Only IHDR, PLTE, tRNS, IDAT and IEND are written: equal
 * canvases give equal bytes.  Returns MG_OK with *png (free() it) and
 * *size set, MG_ERR_USAGE, MG_ERR_NOMEM or MG_ERR_DEPENDENCY. */
int mg_tiles_encode_png(const mg_canvas *c, int level, unsigned char **png,
                        size_t *size, mg_error *err);

/* The same encoding with scratch kept between calls (the compressor and
 * the row buffers), for a thread that encodes many tiles: one per thread.
 * mg_png_encoder_new() returns NULL for a level outside 0..9 or when out
 * of memory. */
typedef struct mg_png_encoder mg_png_encoder;
mg_png_encoder *mg_png_encoder_new(int level);
void mg_png_encoder_free(mg_png_encoder *e);
int mg_png_encode(mg_png_encoder *e, const mg_canvas *c, unsigned char **png,
                  size_t *size, mg_error *err);

/* Decodes any PNG (palette, grey, RGB, with or without alpha, 1 to 16 bits,
 * interlaced or not) to a new straight-RGBA8 canvas; 16-bit samples are
 * reduced to 8.  Returns MG_OK with *out (free with mg_canvas_free()),
 * MG_ERR_INPUT for data that is not a readable PNG or is larger than
 * MG_TILES_MAX_SIZE a side, MG_ERR_USAGE or MG_ERR_NOMEM. */
int mg_tiles_decode_png(const void *png, size_t size, mg_canvas **out,
                        mg_error *err);

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
