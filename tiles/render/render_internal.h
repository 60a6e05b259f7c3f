/* The pyramid renderer's pieces, shared by tiles/shapes.c, zoomgeo.c,
 * tileindex.c, render.c and pyramid.c; not part of the public API.
 * docs/rendering.md describes the design. */
#ifndef MG_TILES_RENDER_INTERNAL_H
#define MG_TILES_RENDER_INTERNAL_H

#include "tiles/render.h"

#include <stdint.h>

/* Greatest distance, in pixels, a simplified line may stray from the
 * original (Douglas-Peucker tolerance): under half a pixel, so what is
 * drawn differs from the full geometry by less than anti-aliasing shows. */
#define RENDER_SIMPLIFY_PX 0.25
/* Added to every buffer: the chords of round joins and dots lie up to
 * 0.01 px outside the true arc, and float rounding a hair more. */
#define RENDER_BUFFER_EPS 0.05
/* Segments per chunk: a chunk's bounding box lets a tile skip the parts of
 * a long ring or line that lie wholly to one side of it. */
enum { RENDER_CHUNK = 16 };

/* A ring of a polygon feature: refs[ref0 .. ref0 + n_refs) are its arcs in
 * order (an arc id, or ~id when walked backwards). */
typedef struct shp_ring {
    uint32_t ref0, n_refs;
    double sign; /* +1 / -1: makes outer rings wind one way and
                                holes the other in pixel space */
} shp_ring;

struct mg_shapes {
    int is_points;
    size_t n; /* features */
    /* polygons: feature i has rings [ring0[i], ring0[i + 1]) */
    uint32_t *ring0;
    shp_ring *rings;
    size_t n_rings;
    int32_t *refs;
    size_t n_refs;
    /* arcs: arc a has points [arc0[a], arc0[a + 1]) of pts (EPSG:3857
     * metres, x y pairs); a closed arc repeats its first point last */
    uint32_t *arc0;
    double *pts;
    size_t n_arcs, n_pts;
    /* per polygon feature: the length of its rings (EPSG:3857 metres),
     * which the shard cost takes as the work of drawing it */
    double *perim;
    /* per feature: EPSG:3857 bounds (west > east: no geometry) */
    mg_tile_bounds *box;
    /* points: x y in EPSG:3857 metres, NaN when the feature has none */
    double *xy;
    mg_tile_bounds lonlat; /* bounds of all geometry, degrees */
    int has_bounds;
    double median_size; /* metres, see mg_shapes_suggest_maxzoom() */
};

/* Grows the array *p of *cap elements of size bytes to hold at least
 * need, doubling from 64.  Returns 0, or -1 when out of memory (*p and
 * *cap are then as they were). */
int render_grow(void **p, size_t *cap, size_t need, size_t size);

/* A chunk of a simplified arc: points [p0, p1] of zgeom.pts and their
 * bounding box in global pixels. */
typedef struct zchunk {
    uint32_t p0, p1;
    double x0, y0, x1, y1;
} zchunk;

/* Where an arc lies in a zgeom: points [p0, p1) of pts, chunks [c0, c1). */
typedef struct zspan {
    uint32_t p0, p1, c0, c1;
} zspan;

/* One shape set at one zoom, for one band of tile rows: the arcs of the
 * features that may draw in the band, simplified in global pixel
 * coordinates ((0, 0) the world's north-west corner, 2^z * tile_size the
 * south-east).  An arc that lies wholly above or below the band (by more
 * than any stroke, buffer or chunk test can reach) is kept as the segment
 * between its ends, which draws and indexes exactly as its simplified form
 * would there: nothing. */
typedef struct zgeom {
    const mg_shapes *s;
    int z, tile_size;
    double scale;  /* pixels per metre */
    double buffer; /* px: how far outside a tile a feature still
                               draws into it (strokes, dots) */
    double *pts;   /* simplified arcs, x y pairs */
    size_t n_pts, cap_pts;
    zchunk *chunks;
    size_t n_chunks, cap_chunks;
    uint32_t *slot; /* per arc of the set: 1 + its index in span, 0 when
                       the band has no use for it */
    zspan *span;
    size_t n_span, cap_span;
} zgeom;

/* Sets g to an empty zgeom of shape set s at zoom z (no arcs yet). */
void zgeom_init(zgeom *g, const mg_shapes *s, int z, int tile_size,
                double buffer);
void zgeom_clear(zgeom *g);

/* Arc a of g; it must have been added (zgeom_add_feature()). */
static inline const zspan *zgeom_arc(const zgeom *g, uint32_t a)
{
    return &g->span[g->slot[a] - 1];
}

/* The simplified arcs of one shape set at one zoom, kept from band to
 * band while the bands still reach them; the calling thread's own. */
typedef struct zarc zarc;
typedef struct zcache {
    zarc **arc;    /* per arc of the set: its simplified form, or NULL */
    float *arc_y;  /* per arc: its least and greatest pixel y, rounded
                      outwards, which say which bands it reaches */
    uint32_t *live; /* the arcs held */
    size_t n_live, cap_live;
    double *tmp;   /* an arc in pixels */
    uint8_t *keep; /* Douglas-Peucker's marks */
    size_t cap_tmp;
    size_t *stack;
    size_t cap_stack;
    unsigned long long work; /* points simplified so far */
} zcache;

/* Sets c up for g's shape set.  Returns MG_OK or MG_ERR_NOMEM; free with
 * zcache_clear() either way (NULL-safe). */
int zcache_init(zcache *c, const zgeom *g);
void zcache_clear(zcache *c);

/* Adds to band geometry g the arcs of polygon feature f not in it yet:
 * simplified (from c, or into it) when they come within reach of the
 * pixel rows [y0, y1], else as the segment between their ends.  Returns
 * MG_OK or MG_ERR_NOMEM. */
int zgeom_add_feature(zgeom *g, zcache *c, uint32_t f, double y0, double y1);

/* Gives back the room g's arrays have grown beyond its arcs. */
void zgeom_trim(zgeom *g);

/* Frees the arcs of c that lie wholly above pixel row y less g's reach:
 * no later band of the zoom needs them. */
void zcache_retire(zcache *c, const zgeom *g, double y);

/* How far outside a band's pixel rows an arc must lie to be kept as its
 * ends: beyond the buffer (the index), the reach of strokes (half the
 * outline plus a pixel, no more than the buffer plus one) and float
 * rounding. */
static inline double zgeom_margin(const zgeom *g)
{
    return g->buffer + 2.0;
}

/* Global pixel coordinates of an EPSG:3857 point at g's zoom. */
static inline void zgeom_project(const zgeom *g, double mx, double my,
                                 double *px, double *py)
{
    *px = (mx + MG_TILES_HALF_WORLD) * g->scale;
    *py = (MG_TILES_HALF_WORLD - my) * g->scale;
}

/* ---- tile index (tileindex.c) ------------------------------------------- */

/* A feature that touches a tile: set is the index of its zgeom in the
 * zoom's list, interior = 1 when no edge of it comes within the buffer of
 * the tile, which then lies wholly inside it. */
typedef struct tpair {
    uint32_t row, col;
    uint32_t set;
    uint32_t feature;
    uint32_t interior;
} tpair;

/* A tile of a band: pairs [p0, p1) of the band, sorted by set, then
 * feature; need = bit i set when sink i lacks it. */
typedef struct btile {
    uint32_t x, y;
    uint32_t p0, p1;
    uint32_t need;
} btile;

/* The tiles of the rows [row0, row1) of one zoom that some feature touches,
 * in row-major order, each with its features. */
typedef struct band {
    int z;
    uint32_t row0, row1;
    zgeom *geo; /* per shape set of the zoom: the band's geometry */
    size_t n_geo;
    /* what building it took: points simplified, features looked at */
    unsigned long long work_pts, work_feats;
    tpair *pairs;
    size_t n_pairs, cap_pairs;
    btile *tiles;
    size_t n_tiles, cap_tiles;
} band;

/* Scratch space for building bands, reused from band to band. */
typedef struct index_scratch {
    tpair *tmp; /* one feature's (row, col, edge) cells */
    size_t n_tmp, cap_tmp;
    double *cross; /* row-centre crossings: row, x pairs */
    size_t n_cross, cap_cross;
    double *ring; /* a ring's points */
    size_t cap_ring;
} index_scratch;

/* fmin() and fmax() as a compare, which the compiler inlines (the library
 * calls were 1 % of a run in the index and chunk loops).  As there, a NaN
 * b gives a; a itself (an accumulator, a coordinate checked when read) is
 * never NaN. */
static inline double dmin(double a, double b)
{
    return b < a ? b : a;
}

static inline double dmax(double a, double b)
{
    return b > a ? b : a;
}

/* The tile range [col0, col1] x [row0, row1] a bbox filter allows. */
typedef struct tile_window {
    uint32_t col0, col1, row0, row1;
} tile_window;

/* Fills b with the tiles of rows [row0, row1) at zoom z that the features
 * of the n_sets shape sets touch (within each one's buffer), limited to
 * window, and with the geometry they draw (b->geo, from the zoom's
 * caches, one per set, which then drop what later bands no longer reach).
 * sets are the zoom's, without arcs (zgeom_init()).  Returns MG_OK or
 * MG_ERR_NOMEM. */
int band_build(band *b, index_scratch *sc, zcache *caches, const zgeom *sets,
               size_t n_sets, int z, uint32_t row0, uint32_t row1,
               const tile_window *win);
void band_clear(band *b);

/* load[r] (r from 0 to the window's rows - 1, the array one longer) is
 * the number of the sets' features that may touch tile row win->row0 + r
 * (their box, grown by the buffer, within the window): what a band of
 * those rows must simplify, so the bands of a dense zoom can be cut to
 * a bounded geometry. */
void band_row_load(const zgeom *sets, size_t n_sets, const tile_window *win,
                   uint32_t *load);
/* The tiles of the window that some feature's box (grown by the buffer,
 * as band_row_load() takes it) meets: a bound on the tiles the features
 * touch, every one of which it counts, found without building their
 * geometry.  -1 when the window has more than max_cells tiles or the
 * boxes more than max_cells cells between them (then too costly to
 * count), or when out of memory. */
long band_box_tiles(const zgeom *sets, size_t n_sets, const tile_window *win,
                    unsigned long long max_cells);
void index_scratch_clear(index_scratch *sc);

/* Appends the points of ring `ring` of feature set g, in global pixels,
 * to *buf (grown as needed); returns the number of points or SIZE_MAX when
 * out of memory.  The closing point is not repeated. */
size_t zgeom_ring_points(const zgeom *g, const shp_ring *ring, double **buf,
                         size_t *cap);

#endif
