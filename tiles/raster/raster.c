/*
 * The anti-aliased scanline rasteriser: exact-area coverage by signed
 * area/cover accumulation, as font rasterisers do it (docs/tiles.md).
 *
 * Every edge adds, to the cells it crosses in each pixel row, the
 * difference it makes to "how much of this cell lies right of the edge,
 * times the edge's signed height".  A prefix sum along the row then gives,
 * for each pixel, the integral over the pixel of the winding number; the
 * fill rule turns that into a coverage.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

mg_raster *mg_raster_new(int width, int height)
{
    if (width < 1 || width > MG_TILES_MAX_SIZE || height < 1 ||
        height > MG_TILES_MAX_SIZE)
        return NULL;
    mg_raster *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->width = width;
    r->height = height;
    r->stride = width + 2;
    r->acc = calloc((size_t)r->stride * (size_t)height, sizeof *r->acc);
    r->lo = malloc((size_t)height * sizeof *r->lo);
    r->hi = malloc((size_t)height * sizeof *r->hi);
    r->cover = calloc((size_t)width * (size_t)height, 1);
    r->span0 = calloc((size_t)height, sizeof *r->span0);
    r->span1 = calloc((size_t)height, sizeof *r->span1);
    r->bits_stride = (r->stride + 63) / 64;
    r->bits = calloc((size_t)r->bits_stride * (size_t)height, sizeof *r->bits);
    if (!r->acc || !r->lo || !r->hi || !r->cover || !r->span0 || !r->span1 ||
        !r->bits) {
        mg_raster_free(r);
        return NULL;
    }
    for (int y = 0; y < height; y++) {
        r->lo[y] = INT32_MAX;
        r->hi[y] = -1;
    }
    r->ymin = height;
    r->ymax = -1;
    return r;
}

void mg_raster_free(mg_raster *r)
{
    if (!r)
        return;
    free(r->acc);
    free(r->lo);
    free(r->hi);
    free(r->cover);
    free(r->span0);
    free(r->span1);
    free(r->bits);
    free(r->pts);
    free(r->ends);
    free(r->line);
    free(r);
}

int coord_ok(double v)
{
    return isfinite(v) && fabs(v) <= MG_TILES_MAX_COORD;
}

/* Sets bits a..b of a row's bitmap. */
static void set_bits(uint64_t *w, int a, int b)
{
    int wa = a >> 6, wb = b >> 6;
    uint64_t ma = ~0ull << (a & 63), mb = ~0ull >> (63 - (b & 63));
    if (wa == wb) {
        w[wa] |= ma & mb;
        return;
    }
    w[wa] |= ma;
    for (int k = wa + 1; k < wb; k++)
        w[k] = ~0ull;
    w[wb] |= mb;
}

/* Marks cells a..b of a row as touched (its bitmap and span).  The rows
 * an edge reaches go into ymin/ymax once per edge (add_clipped()). */
static inline __attribute__((always_inline)) void touch(mg_raster *r, int row,
                                                        int a, int b)
{
    uint64_t *w = r->bits + (size_t)row * (size_t)r->bits_stride;
    if ((a >> 6) == (b >> 6))
        w[a >> 6] |= (~0ull << (a & 63)) & (~0ull >> (63 - (b & 63)));
    else
        set_bits(w, a, b);
    if (a < r->lo[row])
        r->lo[row] = a;
    if (b > r->hi[row])
        r->hi[row] = b;
}

/*
 * One edge piece inside pixel row `row`, running linearly from x = xa to
 * x = xb (0 <= both <= width) over a signed height d.  With C(i) the
 * integral over the piece of "part of cell i right of the edge", cell i
 * gets C(i) - C(i-1), and the cell after the last gets d - C(last), so the
 * row's prefix sum is C(i) inside the piece's span and d past it.  Since x
 * is uniform in y along the piece, C(i) is an integral of a clamped ramp
 * over [xa, xb]: quadratic in the end cells, linear in between.
 */
static void add_piece(mg_raster *r, int row, double xa, double xb, double d)
{
    float *acc = r->acc + (size_t)row * (size_t)r->stride;
    if (xa > xb) {
        double t = xa;
        xa = xb;
        xb = t;
    }
    int i0 = (int)xa, i1 = (int)xb;
    if (i0 == i1 || xb - xa < 1e-9) {
        /* Within one cell the area right of the edge is set by its mean x;
         * an edge a hair wide that straddles a cell line is treated so too,
         * to keep 1 / (xb - xa) finite, at an error below 1e-9 pixel. */
        double xm = 0.5 * (xa + xb);
        int i = (int)xm;
        double c = d * (i + 1.0 - xm);
        acc[i] += (float)c;
        acc[i + 1] += (float)(d - c);
        touch(r, row, i, i + 1);
        return;
    }
    double k = d / (xb - xa); /* d per unit of x: C's slope mid-span */
    double f = i0 + 1.0 - xa; /* the span's width inside cell i0 */
    double prev = 0.5 * k * f * f;
    acc[i0] += (float)prev;
    if (i1 > i0 + 1) {
        double c = k * (f + 0.5);
        acc[i0 + 1] += (float)(c - prev);
        float kf = (float)k;
        for (int i = i0 + 2; i < i1; i++)
            acc[i] += kf;
        prev = c + k * (i1 - i0 - 2);
    }
    double g = i1 + 1.0 - xb; /* the part of cell i1 past the span */
    double last = k * ((i1 + 0.5 - xa) - 0.5 * g * g);
    acc[i1] += (float)(last - prev);
    acc[i1 + 1] += (float)(d - last);
    touch(r, row, i0, i1 + 1);
}

/* x limited to [0, w]; written so that a NaN (from an edge so flat that
 * its slope overflowed) becomes 0 rather than reaching an int conversion. */
static double clamp_x(double x, double w)
{
    return x > 0.0 ? (x < w ? x : w) : 0.0;
}

/* An edge with 0 <= ya < yb <= height and x already in [0, width], walked
 * down row by row. */
static void add_clipped(mg_raster *r, double xa, double ya, double xb,
                        double yb, double sign)
{
    double w = r->width, dxdy = (xb - xa) / (yb - ya);
    int row = (int)ya;
    double x = xa, y = ya;
    /* the rows it reaches: row to the one holding yb (yb may end on a
     * row's top line, which then gets no piece: one row more at worst) */
    int last = (int)yb < r->height ? (int)yb : r->height - 1;
    if (row < r->ymin)
        r->ymin = row;
    if (last > r->ymax)
        r->ymax = last;
    while (y < yb) {
        double ynext = row + 1.0, xnext;
        if (ynext >= yb) {
            ynext = yb;
            xnext = xb;
        } else {
            xnext = clamp_x(xa + (ynext - ya) * dxdy, w);
        }
        add_piece(r, row, x, xnext, sign * (ynext - y));
        x = xnext;
        y = ynext;
        row++;
    }
}

/*
 * Clips an edge to the canvas.  Rows above and below are cut off: they draw
 * nothing.  Parts left of x = 0 or right of x = width move onto those lines
 * (same rows, x clamped): a part left of the canvas still covers every
 * pixel to its right, which a vertical edge at x = 0 does exactly, and a
 * part right of it only reaches the cells past the last pixel.
 */
static void add_edge(mg_raster *r, double x0, double y0, double x1, double y1,
                     double sign)
{
    if (y0 == y1)
        return;
    if (y0 > y1) {
        double t = x0;
        x0 = x1;
        x1 = t;
        t = y0;
        y0 = y1;
        y1 = t;
        sign = -sign;
    }
    double h = r->height, w = r->width;
    if (y1 <= 0.0 || y0 >= h)
        return;
    double dxdy = (x1 - x0) / (y1 - y0);
    if (!isfinite(dxdy))
        return; /* dy below 1e-290: the edge covers no area worth a bit */
    if (y0 < 0.0) {
        x0 += (0.0 - y0) * dxdy;
        y0 = 0.0;
    }
    if (y1 > h) {
        x1 += (h - y1) * dxdy;
        y1 = h;
    }
    if (!(y0 < y1))
        return;

    /* Split where the edge crosses x = 0 and x = w; t in (0, 1). */
    double ts[4];
    int n = 0;
    ts[n++] = 0.0;
    if ((x0 < 0.0) != (x1 < 0.0))
        ts[n++] = (0.0 - x0) / (x1 - x0);
    if ((x0 > w) != (x1 > w))
        ts[n++] = (w - x0) / (x1 - x0);
    if (n == 3 && ts[2] < ts[1]) {
        double t = ts[1];
        ts[1] = ts[2];
        ts[2] = t;
    }
    ts[n++] = 1.0;
    double xa = clamp_x(x0, w), ya = y0;
    for (int i = 1; i < n; i++) {
        double xb, yb;
        if (i == n - 1) {
            xb = clamp_x(x1, w);
            yb = y1;
        } else {
            xb = clamp_x(x0 + ts[i] * (x1 - x0), w);
            yb = y0 + ts[i] * (y1 - y0);
        }
        if (yb > ya)
            add_clipped(r, xa, ya, xb, yb, sign);
        xa = xb;
        ya = yb;
    }
}

void mg_raster_add_ring(mg_raster *r, const double *xy, size_t n, double sign)
{
    if (n < 3)
        return;
    double px = xy[2 * n - 2], py = xy[2 * n - 1];
    int pok = coord_ok(px) && coord_ok(py);
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        /* The caller is meant to check coordinates; an edge from one that
         * is not finite or past MG_TILES_MAX_COORD is dropped rather than
         * trusted (the walk below is bounded by the canvas either way). */
        int ok = coord_ok(x) && coord_ok(y);
        if (pok && ok)
            add_edge(r, px, py, x, y, sign);
        px = x;
        py = y;
        pok = ok;
    }
}

/* Zeroes the bytes of the mask handed out last, so a new mask starts
 * clean at the cost of its predecessor's spans, not of the canvas. */
static void clear_spans(mg_raster *r)
{
    for (int y = r->span_y0; y < r->span_y1; y++) {
        if (r->span1[y] > r->span0[y])
            memset(r->cover + (size_t)y * (size_t)r->width + r->span0[y], 0,
                   (size_t)(r->span1[y] - r->span0[y]));
    }
    r->span_y0 = r->span_y1 = 0;
}

static uint8_t to_byte(float v)
{
    return (uint8_t)(v * 255.0f + 0.5f);
}

/* The first set bit of w at or after x, or end when there is none before
 * end. */
static int next_bit(const uint64_t *w, int x, int end)
{
    int k = x >> 6;
    uint64_t v = w[k] & (~0ull << (x & 63));
    while (!v) {
        if (++k > (end - 1) >> 6)
            return end;
        v = w[k];
    }
    int b = (k << 6) + __builtin_ctzll(v);
    return b < end ? b : end;
}

static uint8_t rule_byte(float s, mg_fill_rule rule)
{
    float v = fabsf(s);
    if (rule == MG_FILL_NONZERO)
        return v >= 1.0f ? 255 : to_byte(v);
    if (v > 2.0f)
        v = fmodf(v, 2.0f);
    if (v > 1.0f)
        v = 2.0f - v;
    return to_byte(v);
}

/* The row's prefix sum from cell lo to the last pixel, written as coverage.
 * Only touched cells change the sum, so a run of untouched cells gets the
 * coverage of the cell before it in one memset (a zero run is left alone:
 * the mask is zero there already); the result is the same as summing cell
 * by cell.  Touched cells are zeroed as they are read. */
static void sweep_row(float *acc, uint8_t *cover, const uint64_t *bits, int lo,
                      int end, mg_fill_rule rule)
{
    float s = 0.0f;
    uint8_t run = 0;
    int x = lo;
    while (x <= end) {
        int next = next_bit(bits, x, end + 1);
        if (next > x) {
            if (run)
                memset(cover + x, run, (size_t)(next - x));
            x = next;
            if (x > end)
                break;
        }
        s += acc[x];
        acc[x] = 0.0f;
        run = rule_byte(s, rule);
        cover[x] = run;
        x++;
    }
}

void mg_raster_sweep(mg_raster *r, mg_fill_rule rule, mg_mask *out)
{
    clear_spans(r);
    int w = r->width;
    for (int y = r->ymin; y <= r->ymax; y++) {
        int lo = r->lo[y], hi = r->hi[y];
        r->span0[y] = r->span1[y] = 0;
        if (lo > hi)
            continue;
        float *acc = r->acc + (size_t)y * (size_t)r->stride;
        int end = hi < w ? hi : w - 1;
        uint64_t *bits = r->bits + (size_t)y * (size_t)r->bits_stride;
        if (lo <= end) {
            sweep_row(acc, r->cover + (size_t)y * (size_t)w, bits, lo, end,
                      rule);
            r->span0[y] = lo;
            r->span1[y] = end + 1;
        }
        for (int x = (lo > end + 1 ? lo : end + 1); x <= hi; x++)
            acc[x] = 0.0f;
        memset(bits + (lo >> 6), 0,
               (size_t)((hi >> 6) - (lo >> 6) + 1) * sizeof *bits);
        r->lo[y] = INT32_MAX;
        r->hi[y] = -1;
    }
    if (r->ymin <= r->ymax) {
        r->span_y0 = r->ymin;
        r->span_y1 = r->ymax + 1;
    }
    r->ymin = r->height;
    r->ymax = -1;
    out->cover = r->cover;
    out->width = w;
    out->height = r->height;
    out->y0 = r->span_y0;
    out->y1 = r->span_y1;
    out->x0 = r->span0;
    out->x1 = r->span1;
}

void mg_raster_discard(mg_raster *r)
{
    for (int y = r->ymin; y <= r->ymax; y++) {
        if (r->lo[y] <= r->hi[y]) {
            memset(r->acc + (size_t)y * (size_t)r->stride + r->lo[y], 0,
                   (size_t)(r->hi[y] - r->lo[y] + 1) * sizeof *r->acc);
            memset(r->bits + (size_t)y * (size_t)r->bits_stride +
                       (r->lo[y] >> 6),
                   0,
                   (size_t)((r->hi[y] >> 6) - (r->lo[y] >> 6) + 1) *
                       sizeof *r->bits);
        }
        r->lo[y] = INT32_MAX;
        r->hi[y] = -1;
    }
    r->ymin = r->height;
    r->ymax = -1;
}

/* ---- polygons ----------------------------------------------------------- */

/* Checks a ring's coordinates and finds its signed area (shoelace, relative
 * to the first point to keep precision far from the origin) and whether it
 * can touch the canvas at all.  Returns MG_OK or MG_ERR_INPUT. */
static int scan_ring(const mg_raster *r, const mg_ring *ring, double *area,
                     int *visible)
{
    const double *p = ring->xy;
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY,
           ymax = -INFINITY;
    double sum = 0.0;
    for (size_t i = 0; i < ring->n; i++) {
        double x = p[2 * i], y = p[2 * i + 1];
        if (!coord_ok(x) || !coord_ok(y))
            return MG_ERR_INPUT;
        xmin = x < xmin ? x : xmin;
        xmax = x > xmax ? x : xmax;
        ymin = y < ymin ? y : ymin;
        ymax = y > ymax ? y : ymax;
        if (i > 0) {
            size_t j = (i + 1) % ring->n;
            sum += (x - p[0]) * (p[2 * j + 1] - p[1]) -
                   (p[2 * j] - p[0]) * (y - p[1]);
        }
    }
    *area = 0.5 * sum;
    /* A closed ring wholly left of the canvas adds, in every row, edges of
     * net zero height at x = 0: nothing. */
    *visible = ring->n >= 3 && xmax > 0.0 && xmin < r->width && ymax > 0.0 &&
               ymin < r->height;
    return MG_OK;
}

static int polygons_ok(const mg_polygon *polygons, size_t n_polygons)
{
    if (!polygons && n_polygons > 0)
        return 0;
    for (size_t i = 0; i < n_polygons; i++) {
        if (!polygons[i].rings && polygons[i].n_rings > 0)
            return 0;
        for (size_t k = 0; k < polygons[i].n_rings; k++)
            if (!polygons[i].rings[k].xy && polygons[i].rings[k].n > 0)
                return 0;
    }
    return 1;
}

int mg_tiles_fill_polygons(mg_raster *r, const mg_polygon *polygons,
                           size_t n_polygons, mg_fill_rule rule, mg_mask *out)
{
    if (!r || !out || !polygons_ok(polygons, n_polygons) ||
        (rule != MG_FILL_NONZERO && rule != MG_FILL_EVENODD))
        return MG_ERR_USAGE;
    for (size_t i = 0; i < n_polygons; i++) {
        for (size_t k = 0; k < polygons[i].n_rings; k++) {
            const mg_ring *ring = &polygons[i].rings[k];
            double area, sign = 1.0;
            int visible;
            if (scan_ring(r, ring, &area, &visible) != MG_OK) {
                mg_raster_discard(r);
                return MG_ERR_INPUT;
            }
            if (!visible)
                continue;
            /* Even-odd ignores orientation, so orient outer rings one way
             * and holes the other: a valid polygon then has winding 0 or 1
             * everywhere, where accumulation is exact (docs/tiles.md). */
            if (rule == MG_FILL_EVENODD)
                sign = ((area < 0.0) == (k == 0)) ? -1.0 : 1.0;
            mg_raster_add_ring(r, ring->xy, ring->n, sign);
        }
    }
    mg_raster_sweep(r, rule, out);
    return MG_OK;
}

/* ---- scratch rings ------------------------------------------------------ */

void scratch_reset(mg_raster *r)
{
    r->n_pts = 0;
    r->n_rings = 0;
    r->failed = 0;
}

void scratch_point(mg_raster *r, double x, double y)
{
    if (r->failed)
        return;
    if (r->n_pts == r->cap_pts) {
        size_t cap = r->cap_pts ? 2 * r->cap_pts : 256;
        double *p = realloc(r->pts, 2 * cap * sizeof *p);
        if (!p) {
            r->failed = 1;
            return;
        }
        r->pts = p;
        r->cap_pts = cap;
    }
    r->pts[2 * r->n_pts] = x;
    r->pts[2 * r->n_pts + 1] = y;
    r->n_pts++;
}

void scratch_close_ring(mg_raster *r)
{
    if (r->failed)
        return;
    if (r->n_rings == r->cap_rings) {
        size_t cap = r->cap_rings ? 2 * r->cap_rings : 8;
        size_t *e = realloc(r->ends, cap * sizeof *e);
        if (!e) {
            r->failed = 1;
            return;
        }
        r->ends = e;
        r->cap_rings = cap;
    }
    r->ends[r->n_rings++] = r->n_pts;
}

void raster_add_scratch(mg_raster *r)
{
    size_t start = 0;
    for (size_t i = 0; i < r->n_rings; i++) {
        mg_raster_add_ring(r, r->pts + 2 * start, r->ends[i] - start, 1.0);
        start = r->ends[i];
    }
}
