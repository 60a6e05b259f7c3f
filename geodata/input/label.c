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
} outline;

/* No region needs more: a cell budget that stops a degenerate outline
 * (a sliver across a wide box, refined to a millionth of it) from running
 * away; the best centre found so far is kept. */
#define LABEL_MAX_CELLS 200000

static double signed_distance(const outline *o, double px, double py)
{
    int inside = 0;
    double best = INFINITY;
    for (size_t i = 0; i < o->n; i++) {
        const seg *s = &o->seg[i];
        double ex = px - s->ax, ey = py - s->ay;
        /* even-odd crossing of the ray to +x: holes and separate parts
         * alike, as the polygons of a valid (multi)polygon never overlap */
        if ((s->ay > py) != (s->ay + s->dy > py) && ex < s->kx * ey)
            inside = !inside;
        double t = (ex * s->dx + ey * s->dy) * s->il2;
        t = t <= 0 ? 0 : t >= 1 ? 1 : t;
        ex -= t * s->dx;
        ey -= t * s->dy;
        double d2 = ex * ex + ey * ey;
        if (d2 < best)
            best = d2;
    }
    double d = sqrt(best);
    return inside ? d : -d;
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
    if (search(o, tol, &best))
        goto done;
    *x = best.x;
    *y = best.y;
    *r = fmax(best.d, 0);
    rc = 0;
done:
    free(o->seg);
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
