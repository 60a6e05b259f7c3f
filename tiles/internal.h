/* Helpers shared inside tiles; not part of its public API. */
#ifndef MG_TILES_INTERNAL_H
#define MG_TILES_INTERNAL_H

#include "tiles/tiles.h"

struct mg_raster {
    int width, height;
    int stride;              /* width + 2: edges clamped to x = width write
                              * the cells width and width + 1 */

    /* Signed area/cover accumulation (docs/tiles.md).  Every cell is zero
     * between drawing calls; the sweep clears what it reads. */
    float *acc;
    int *lo, *hi;            /* per row: cells [lo, hi] touched; lo > hi
                              * when none */
    uint64_t *bits;          /* per row, bits_stride words: the cells
                              * touched, so the sweep can skip the runs in
                              * between (whose prefix sum is constant) */
    int bits_stride;
    int ymin, ymax;          /* rows touched, ymin > ymax if none */

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
    double *line;            /* de-duplicated stroke input */
    size_t cap_line;
    int failed;
};

/* Adds the closed ring xy[0..n-1] (n points) to the accumulation, each edge
 * weighted by sign (+1 or -1).  Coordinates are finite (coord_ok() or
 * derived from such within a few widths). */
void raster_add_ring(mg_raster *r, const double *xy, size_t n, double sign);

/* Resolves the accumulation with rule into r's mask, fills *out and leaves
 * the accumulation zero. */
void raster_sweep(mg_raster *r, mg_fill_rule rule, mg_mask *out);

/* Drops whatever has been accumulated (after a late validation failure). */
void raster_discard(mg_raster *r);

/* Scratch rings: start empty, append points, close rings, then add them all
 * with raster_add_scratch().  Appending never fails outright; r->failed
 * records an allocation failure instead. */
void scratch_reset(mg_raster *r);
void scratch_point(mg_raster *r, double x, double y);
void scratch_close_ring(mg_raster *r);
void raster_add_scratch(mg_raster *r);

/* Adds the outline of a stroke (as mg_tiles_stroke_line() builds it) to
 * the accumulation without resolving it, so several strokes become one
 * mask under the non-zero rule.  Arguments are checked by the caller.
 * Returns MG_OK or MG_ERR_NOMEM (then nothing was added). */
int raster_stroke_add(mg_raster *r, const double *xy, size_t n, int closed,
                      const mg_stroke *style);

/* 1 when v is finite and within MG_TILES_MAX_COORD. */
int coord_ok(double v);

#endif
