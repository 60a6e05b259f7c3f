/* Helpers shared inside tiles/raster; not part of its public API. */
#ifndef MG_TILES_INTERNAL_H
#define MG_TILES_INTERNAL_H

#include "tiles/raster.h"

struct mg_raster {
    int width, height;
    int stride; /* width + 2: edges clamped to x = width write
                 * the cells width and width + 1 */

    /* Signed area/cover accumulation (docs/tiles.md).  Every cell is zero
     * between drawing calls; the sweep clears what it reads. */
    float *acc;
    int *lo, *hi;   /* per row: cells [lo, hi] touched; lo > hi
                     * when none */
    uint64_t *bits; /* per row, bits_stride words: the cells
                     * touched, so the sweep can skip the runs in
                     * between (whose prefix sum is constant) */
    int bits_stride;
    int ymin, ymax; /* rows touched, ymin > ymax if none */

    /* The mask handed out last: zero outside its spans. */
    uint8_t *cover;
    int *span0, *span1;
    int span_y0, span_y1;

    /* Scratch rings built by strokes and circles: points, and the index one
     * past each ring's last point.  failed is set when growing fails, so the
     * builders check once at the end. */
    double *pts;
    size_t n_pts, cap_pts;
    size_t *ends;
    size_t n_rings, cap_rings;
    double *line; /* de-duplicated stroke input */
    size_t cap_line;
    int failed;
};

/* Scratch rings: start empty, append points, close rings, then add them all
 * with raster_add_scratch().  Appending never fails outright; r->failed
 * records an allocation failure instead. */
void scratch_reset(mg_raster *r);
void scratch_point(mg_raster *r, double x, double y);
void scratch_close_ring(mg_raster *r);
void raster_add_scratch(mg_raster *r);

/* deflate_flat.c: a zlib stream of the n bytes of in (rows of row bytes,
 * pixels of pixel bytes) into out, which has room for flat_zlib_bound(n)
 * bytes; returns the stream's length. */
size_t flat_zlib_bound(size_t n);
size_t flat_zlib(const uint8_t *in, size_t n, size_t row, size_t pixel,
                 uint8_t *out);

/* 1 when v is finite and within MG_TILES_MAX_COORD. */
int coord_ok(double v);

#endif
