/*
 * The label circle of a region: the largest circle inside its polygons,
 * whose centre is the point farthest from the outline (the "pole of
 * inaccessibility").  The search is the one GEOS's MaximumInscribedCircle
 * and Mapbox's polylabel make -- square cells over the region's box,
 * refined best first, each bounded above by its centre's distance to the
 * outline plus its half-diagonal -- but over one flat array of the rings'
 * segments: no index, no allocation per query.  On the simplified
 * outlines of the viewer's files (tens to hundreds of segments) that is
 * several times faster than GEOS's indexed facet distance, whose set-up
 * per call outweighs what it saves (docs/performance.md, issue 13).
 */
#include "geodata/input.h"

#include <math.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

/* A cell: its centre, half its side, the centre's signed distance to the
 * outline (negative outside) and the most any point of the cell can
 * reach, d + h * sqrt(2). */
typedef struct cell {
    double x, y, h, d, max;
} cell;

/* A segment from (ax, ay) by (dx, dy), with 1 / its squared length (0
 * for a point) and dx / dy (0 for a horizontal one) worked out once:
 * every cell of the search measures every segment. */
typedef struct seg {
    double ax, ay, dx, dy, il2, kx;
} seg;

typedef struct outline {
    seg *seg;
    size_t n, cap;
    double x0, y0, x1, y1; /* the box of every vertex */
    /* the segments again as one array per field (soa()), for the
     * distance loop: the compiler runs it on vectors of doubles */
    double *ax, *ay, *ey, *dx, *dy, *il2, *kx; /* ey: ay + dy */
} outline;

/* No region needs more: a cell budget that stops a degenerate outline
 * (a sliver across a wide box, refined to a millionth of it) from running
 * away; the best centre found so far is kept. */
#define LABEL_MAX_CELLS 200000

/* Fills the per-field arrays from the segments; -1 when out of memory. */
static int soa(outline *o)
{
    size_t n = o->n;
    double *b = malloc(7 * (n ? n : 1) * sizeof *b);
    if (!b)
        return -1;
    o->ax = b;
    o->ay = b + n;
    o->ey = b + 2 * n;
    o->dx = b + 3 * n;
    o->dy = b + 4 * n;
    o->il2 = b + 5 * n;
    o->kx = b + 6 * n;
    for (size_t i = 0; i < n; i++) {
        const seg *s = &o->seg[i];
        o->ax[i] = s->ax;
        o->ay[i] = s->ay;
        o->ey[i] = s->ay + s->dy;
        o->dx[i] = s->dx;
        o->dy[i] = s->dy;
        o->il2[i] = s->il2;
        o->kx[i] = s->kx;
    }
    return 0;
}

/* The distance from (px, py) to the nearest segment, negative outside.
 * With SSE2 (every x86-64) two segments a step: the lanes compute what the
 * scalar loop does, operation for operation, the minimum is exact in any
 * order and the crossings are whole counts, so both give the same bits. */
static double signed_distance(const outline *o, double px, double py)
{
    const double *ax = o->ax, *ay = o->ay, *ey = o->ey, *dx = o->dx,
                 *dy = o->dy, *il2 = o->il2, *kx = o->kx;
    int64_t cross = 0;
    double best = INFINITY;
    size_t i = 0;
#ifdef __SSE2__
    __m128d vpx = _mm_set1_pd(px), vpy = _mm_set1_pd(py);
    __m128d zero = _mm_setzero_pd(), one = _mm_set1_pd(1.0);
    __m128d vbest = _mm_set1_pd(INFINITY);
    __m128i vcross = _mm_setzero_si128();
    for (; i + 2 <= o->n; i += 2) {
        __m128d vay = _mm_loadu_pd(ay + i);
        __m128d ex = _mm_sub_pd(vpx, _mm_loadu_pd(ax + i));
        __m128d ey0 = _mm_sub_pd(vpy, vay);
        __m128d up = _mm_cmpgt_pd(vay, vpy);
        __m128d up2 = _mm_cmpgt_pd(_mm_loadu_pd(ey + i), vpy);
        __m128d left = _mm_cmplt_pd(ex, _mm_mul_pd(_mm_loadu_pd(kx + i), ey0));
        __m128d c = _mm_and_pd(_mm_xor_pd(up, up2), left);
        vcross = _mm_sub_epi64(vcross, _mm_castpd_si128(c)); /* -1 each */
        __m128d vdx = _mm_loadu_pd(dx + i), vdy = _mm_loadu_pd(dy + i);
        __m128d t = _mm_mul_pd(
            _mm_add_pd(_mm_mul_pd(ex, vdx), _mm_mul_pd(ey0, vdy)),
            _mm_loadu_pd(il2 + i));
        /* t > 0 ? t : 0, then t < 1 ? t : 1, as maxpd/minpd take them */
        t = _mm_min_pd(_mm_max_pd(t, zero), one);
        __m128d fx = _mm_sub_pd(ex, _mm_mul_pd(t, vdx));
        __m128d fy = _mm_sub_pd(ey0, _mm_mul_pd(t, vdy));
        __m128d d2 = _mm_add_pd(_mm_mul_pd(fx, fx), _mm_mul_pd(fy, fy));
        vbest = _mm_min_pd(d2, vbest);
    }
    double lanes[2];
    _mm_storeu_pd(lanes, vbest);
    best = lanes[0] < lanes[1] ? lanes[0] : lanes[1];
    int64_t counts[2];
    _mm_storeu_si128((__m128i *)counts, vcross);
    cross = counts[0] + counts[1];
#endif
    for (; i < o->n; i++) {
        double ex = px - ax[i], ey0 = py - ay[i];
        /* even-odd crossing of the ray to +x: holes and separate parts
         * alike, as the polygons of a valid (multi)polygon never overlap */
        if ((ay[i] > py) != (ey[i] > py) && ex < kx[i] * ey0)
            cross++;
        double t = (ex * dx[i] + ey0 * dy[i]) * il2[i];
        t = t > 0 ? t : 0;
        t = t < 1 ? t : 1;
        ex -= t * dx[i];
        double fy = ey0 - t * dy[i];
        double d2 = ex * ex + fy * fy;
        best = d2 < best ? d2 : best;
    }
    double d = sqrt(best);
    return cross & 1 ? d : -d;
}

static cell make_cell(const outline *o, double x, double y, double h)
{
    cell c = {x, y, h, signed_distance(o, x, y), 0};
    c.max = c.d + h * 1.4142135623730951; /* sqrt(2) */
    return c;
}

/* ---- the outline's segments ---------------------------------------------- */

/* The segments of one ring of n points (closed or not: an open one is
 * closed here). */
static int add_points(outline *o, const double *xy, size_t n)
{
    if (n < 2)
        return 0;
    int closed = xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1];
    size_t add = closed ? n - 1 : n;
    if (o->n + add > o->cap) {
        size_t cap = o->cap ? o->cap : 64;
        while (cap < o->n + add)
            cap *= 2;
        seg *p = realloc(o->seg, cap * sizeof *p);
        if (!p)
            return -1;
        o->seg = p;
        o->cap = cap;
    }
    for (size_t i = 0; i < add; i++) {
        size_t j = i + 1 < n ? i + 1 : 0;
        seg *s = &o->seg[o->n + i];
        s->ax = xy[2 * i];
        s->ay = xy[2 * i + 1];
        s->dx = xy[2 * j] - s->ax;
        s->dy = xy[2 * j + 1] - s->ay;
        double l2 = s->dx * s->dx + s->dy * s->dy;
        s->il2 = l2 > 0 ? 1 / l2 : 0;
        s->kx = s->dy != 0 ? s->dx / s->dy : 0;
        o->x0 = fmin(o->x0, s->ax);
        o->y0 = fmin(o->y0, s->ay);
        o->x1 = fmax(o->x1, s->ax);
        o->y1 = fmax(o->y1, s->ay);
    }
    o->n += add;
    return 0;
}

static int add_ring(outline *o, GEOSContextHandle_t h, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n))
        return -1;
    if (n < 2)
        return 0;
    double *xy = malloc(2 * (size_t)n * sizeof *xy);
    int rc = xy && GEOSCoordSeq_copyToBuffer_r(h, cs, xy, 0, 0)
                 ? add_points(o, xy, n)
                 : -1;
    free(xy);
    return rc;
}

/* Every ring of a Polygon or MultiPolygon; -1 on another type or when
 * out of memory. */
static int read_outline(outline *o, GEOSContextHandle_t h, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
        return -1;
    int np = GEOSGetNumGeometries_r(h, g);
    for (int p = 0; p < np; p++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, g, p);
        int nh = GEOSGetNumInteriorRings_r(h, poly);
        if (GEOSGeomTypeId_r(h, poly) != GEOS_POLYGON || nh < 0)
            return -1;
        for (int k = -1; k < nh; k++) {
            const GEOSGeometry *ring = k < 0
                                           ? GEOSGetExteriorRing_r(h, poly)
                                           : GEOSGetInteriorRingN_r(h, poly, k);
            if (!ring || add_ring(o, h, ring))
                return -1;
        }
    }
    return 0;
}

/* ---- the best-first search ------------------------------------------------ */

typedef struct heap {
    cell *c;
    size_t n, cap;
} heap;

static int heap_push(heap *q, cell c)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 256;
        cell *p = realloc(q->c, cap * sizeof *p);
        if (!p)
            return -1;
        q->c = p;
        q->cap = cap;
    }
    size_t i = q->n++;
    while (i > 0 && q->c[(i - 1) / 2].max < c.max) {
        q->c[i] = q->c[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    q->c[i] = c;
    return 0;
}

static cell heap_pop(heap *q)
{
    cell top = q->c[0], last = q->c[--q->n];
    size_t i = 0;
    for (;;) {
        size_t k = 2 * i + 1;
        if (k >= q->n)
            break;
        if (k + 1 < q->n && q->c[k + 1].max > q->c[k].max)
            k++;
        if (q->c[k].max <= last.max)
            break;
        q->c[i] = q->c[k];
        i = k;
    }
    if (q->n > 0)
        q->c[i] = last;
    return top;
}

/* The search proper: the best cell to within tol.  The root is the one
 * square over the box; the first guess, the box's centre.  A cell is split
 * only while it could beat the best by more than tol; the heap pops the
 * most promising first, so the first cell that cannot ends the search. */
static int search(const outline *o, double tol, cell *best)
{
    double w = o->x1 - o->x0, hh = o->y1 - o->y0;
    double half = fmax(w, hh) / 2;
    cell root = make_cell(o, o->x0 + w / 2, o->y0 + hh / 2, half);
    *best = root;
    if (!(half > 0))
        return 0;
    heap q = {0};
    if (heap_push(&q, root))
        return -1;
    size_t cells = 1;
    while (q.n > 0) {
        cell c = heap_pop(&q);
        if (c.max - best->d <= tol || cells >= LABEL_MAX_CELLS)
            break;
        double h = c.h / 2;
        for (int k = 0; k < 4; k++) {
            cell s = make_cell(o, c.x + (k & 1 ? h : -h),
                               c.y + (k & 2 ? h : -h), h);
            cells++;
            if (s.d > best->d)
                *best = s;
            if (s.max - best->d > tol && heap_push(&q, s)) {
                free(q.c);
                return -1;
            }
        }
    }
    free(q.c);
    return 0;
}

/* The search over an outline read, and the outline freed. */
static int label(outline *o, double tol, double *x, double *y, double *r)
{
    int rc = -1;
    cell best;
    if (o->n == 0 || !isfinite(o->x0) || !isfinite(o->x1) ||
        !isfinite(o->y0) || !isfinite(o->y1))
        goto done;
    if (!(tol > 0))
        tol = fmax(o->x1 - o->x0, o->y1 - o->y0) * 1e-6;
    if (soa(o) || search(o, tol, &best))
        goto done;
    *x = best.x;
    *y = best.y;
    *r = fmax(best.d, 0);
    rc = 0;
done:
    free(o->seg);
    free(o->ax);
    return rc;
}

#define EMPTY_OUTLINE                                                        \
    {                                                                        \
        .x0 = INFINITY, .y0 = INFINITY, .x1 = -INFINITY, .y1 = -INFINITY     \
    }

int mg_geom_label_circle(mg_geom *g, const GEOSGeometry *poly, double tol,
                         double *x, double *y, double *r)
{
    *x = *y = *r = NAN;
    outline o = EMPTY_OUTLINE;
    if (read_outline(&o, g->h, poly)) {
        free(o.seg);
        return -1;
    }
    return label(&o, tol, x, y, r);
}

int mg_label_circle_rings(const double *xy, const size_t *ring_end,
                          size_t n_rings, double tol, double *x, double *y,
                          double *r)
{
    *x = *y = *r = NAN;
    outline o = EMPTY_OUTLINE;
    for (size_t k = 0, at = 0; k < n_rings; at = ring_end[k++])
        if (ring_end[k] < at || add_points(&o, xy + 2 * at, ring_end[k] - at)) {
            free(o.seg);
            return -1;
        }
    return label(&o, tol, x, y, r);
}
