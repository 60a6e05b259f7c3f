/*
 * Strokes and circles, turned into polygons for the rasteriser.
 *
 * A stroke's outline is built as one ring per side chain (docs/tiles.md):
 * an open line is "left side forward, end cap, left side of the reversed
 * line, start cap"; a closed line is two loops, its left side forward and
 * the left side of its reverse.  Both are filled with the non-zero rule.
 * Outer corners get the join asked for.  Inner corners are cut at the
 * point where the two offset lines meet when both segments are long enough
 * for that point to lie on them; then the outline does not overlap itself
 * there and the coverage is exact.  Otherwise the outline runs through the
 * vertex, the classic construction whose loops are covered twice: still
 * the right shape under non-zero, approximated only in pixels where a loop
 * touches the stroke's edge.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

static const double pi = 3.14159265358979323846;

/* Greatest distance, in pixels, a chord of an arc or circle may stray from
 * it.  A pixel's coverage then moves by at most 0.01 x the chord's length
 * inside it (2.6/255 for a whole pixel at the chord's middle, much less
 * elsewhere), below what anti-aliasing lets an eye see, while a radius of
 * 100 px still needs only 223 chords for a full circle. */
static const double arc_tolerance = 0.01;

/* Arc steps are limited so a huge radius cannot exhaust memory. */
enum { MAX_ARC_STEPS = 4096 };

typedef struct stroker {
    mg_raster *r;
    const double *p; /* de-duplicated points */
    size_t n;
    double hw;   /* half width */
    double step; /* arc_step(hw), worked out once per stroke */
    const mg_stroke *style;
} stroker;

/* The largest angle a chord of a circle of this radius may span. */
static double arc_step(double radius)
{
    return radius > arc_tolerance ? 2.0 * acos(1.0 - arc_tolerance / radius)
                                  : pi;
}

static size_t arc_steps(double step, double angle)
{
    double n = ceil(fabs(angle) / step);
    /* NaN (a direction from an overflowed length) must not reach the
     * conversion: (size_t)NaN is undefined. */
    if (!(n >= 1.0))
        n = 1.0;
    return n > MAX_ARC_STEPS ? MAX_ARC_STEPS : (size_t)n;
}

/* The points strictly inside the arc about (cx, cy) that starts at
 * (cx, cy) + radius * (ux, uy) and turns by angle (radians, positive
 * counter-clockwise in a y-up frame), in chords of at most step. */
static void push_arc(mg_raster *r, double cx, double cy, double ux, double uy,
                     double radius, double angle, double step)
{
    size_t n = arc_steps(step, angle);
    double c = cos(angle / (double)n), s = sin(angle / (double)n);
    for (size_t k = 1; k < n; k++) {
        double t = ux * c - uy * s;
        uy = ux * s + uy * c;
        ux = t;
        scratch_point(r, cx + radius * ux, cy + radius * uy);
    }
}

/* Point i of the line walked forwards, or backwards when rev. */
static void point(const stroker *st, int rev, size_t i, double *x, double *y)
{
    size_t k = rev ? st->n - 1 - i : i;
    *x = st->p[2 * k];
    *y = st->p[2 * k + 1];
}

/* Unit direction and length of the segment from point i to point i + 1
 * (indices modulo n, for closed lines). */
static void segment(const stroker *st, int rev, size_t i, double *dx,
                    double *dy, double *len)
{
    double x0, y0, x1, y1;
    point(st, rev, i % st->n, &x0, &y0);
    point(st, rev, (i + 1) % st->n, &x1, &y1);
    *len = sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
    *dx = (x1 - x0) / *len;
    *dy = (y1 - y0) / *len;
}

/* The left offset's points at vertex (vx, vy) between the incoming segment
 * a and the outgoing one b, each {unit dx, unit dy, length}.  "Left" is
 * the side of the normal (-dy, dx).  rev breaks the tie of an exact U-turn
 * so that one side takes it as an inner corner and the other as an outer
 * one. */
static void push_join(const stroker *st, int rev, double vx, double vy,
                      const double a[3], const double b[3])
{
    mg_raster *r = st->r;
    double hw = st->hw;
    double nax = -a[1], nay = a[0], nbx = -b[1], nby = b[0];
    double cross = a[0] * b[1] - a[1] * b[0], dot = a[0] * b[0] + a[1] * b[1];
    if (fabs(cross) < 1e-12 && dot > 0.0) {
        scratch_point(r, vx + hw * nax, vy + hw * nay);
        return;
    }
    int inner = rev ? cross > 0.0 : cross >= 0.0;
    if (inner) {
        /* The offsets meet hw * tan(turn / 2) before the vertex. */
        double t =
            dot > -1.0 + 1e-9 ? hw * fabs(cross) / (1.0 + dot) : INFINITY;
        if (t <= 0.5 * fmin(a[2], b[2])) {
            double k = hw / (1.0 + dot);
            scratch_point(r, vx + k * (nax + nbx), vy + k * (nay + nby));
        } else {
            scratch_point(r, vx + hw * nax, vy + hw * nay);
            scratch_point(r, vx, vy);
            scratch_point(r, vx + hw * nbx, vy + hw * nby);
        }
        return;
    }
    /* Outer corner: the line turns away from the left side, so the offset
     * turns clockwise by the turning angle. */
    scratch_point(r, vx + hw * nax, vy + hw * nay);
    if (st->style->join == MG_JOIN_ROUND) {
        push_arc(r, vx, vy, nax, nay, hw, -atan2(fabs(cross), dot), st->step);
    } else if (st->style->join == MG_JOIN_MITER &&
               st->style->miter_limit * sqrt(0.5 * (1.0 + dot)) >= 1.0) {
        /* miter length / width = 1 / cos(turn / 2) within the limit */
        double k = hw / (1.0 + dot);
        scratch_point(r, vx + k * (nax + nbx), vy + k * (nay + nby));
    }
    scratch_point(r, vx + hw * nbx, vy + hw * nby);
}

/* A hairline's round cap (half width HAIR_MIN..HAIR_MAX px, the maps'
 * region outlines) is three chords, its two inner corners on a circle
 * HAIR_CAP_SCALE times the half width so that the polygon has the half
 * disc's area: (1/2) sin 60 deg (2k + k^2) = pi / 2, k = sqrt(1 + pi /
 * sin 60 deg) - 1.  Its corners stray at most 0.04 px from the circle
 * (0.15 x 0.25), and the coverage it adds is the half disc's; with the
 * arc_tolerance above it took six chords, a third of a stroke's edges on
 * the short arcs of a map's borders. */
#define HAIR_MIN 0.05
#define HAIR_MAX 0.5
static const double hair_cap_scale = 1.1511854240089199;

/* The cap past end point (ex, ey) of a segment of direction (dx, dy): the
 * points between the left offset and the right one. */
static void push_cap(const stroker *st, double ex, double ey, double dx,
                     double dy)
{
    double hw = st->hw, nx = -dy, ny = dx;
    if (st->style->cap == MG_CAP_SQUARE) {
        scratch_point(st->r, ex + hw * (nx + dx), ey + hw * (ny + dy));
        scratch_point(st->r, ex + hw * (dx - nx), ey + hw * (dy - ny));
    } else if (st->style->cap == MG_CAP_ROUND && hw >= HAIR_MIN &&
               hw <= HAIR_MAX) {
        double k = hw * hair_cap_scale;
        /* at -60 and -120 degrees from the left normal (clockwise) */
        double c = 0.5, sn = -0.86602540378443865;
        scratch_point(st->r, ex + k * (nx * c - ny * sn),
                      ey + k * (nx * sn + ny * c));
        c = -0.5;
        scratch_point(st->r, ex + k * (nx * c - ny * sn),
                      ey + k * (nx * sn + ny * c));
    } else if (st->style->cap == MG_CAP_ROUND) {
        push_arc(st->r, ex, ey, nx, ny, hw, -pi, st->step);
    }
}

/* One side of an open line, forward or reversed, and the cap at its end. */
static void push_open_side(const stroker *st, int rev)
{
    double a[3], b[3], x, y;
    segment(st, rev, 0, &a[0], &a[1], &a[2]);
    point(st, rev, 0, &x, &y);
    scratch_point(st->r, x - st->hw * a[1], y + st->hw * a[0]);
    for (size_t i = 1; i + 1 < st->n; i++) {
        segment(st, rev, i, &b[0], &b[1], &b[2]);
        point(st, rev, i, &x, &y);
        push_join(st, rev, x, y, a, b);
        a[0] = b[0];
        a[1] = b[1];
        a[2] = b[2];
    }
    point(st, rev, st->n - 1, &x, &y);
    scratch_point(st->r, x - st->hw * a[1], y + st->hw * a[0]);
    push_cap(st, x, y, a[0], a[1]);
}

/* One side of a closed line as a loop of its own. */
static void push_closed_side(const stroker *st, int rev)
{
    double a[3], b[3], x, y;
    segment(st, rev, st->n - 1, &a[0], &a[1], &a[2]);
    for (size_t i = 0; i < st->n; i++) {
        segment(st, rev, i, &b[0], &b[1], &b[2]);
        point(st, rev, i, &x, &y);
        push_join(st, rev, x, y, a, b);
        a[0] = b[0];
        a[1] = b[1];
        a[2] = b[2];
    }
    scratch_close_ring(st->r);
}

/* A circle as a polygon of equal area: n vertices on a radius slightly
 * larger than the circle's, so the chords cross it instead of lying
 * inside.  ccw picks the orientation. */
static void push_circle(mg_raster *r, double cx, double cy, double radius,
                        int ccw)
{
    size_t n = arc_steps(arc_step(radius), 2.0 * pi);
    if (n < 8)
        n = 8;
    double step = 2.0 * pi / (double)n;
    double rv = radius * sqrt(step / sin(step));
    for (size_t k = 0; k < n; k++) {
        double t = (ccw ? 1.0 : -1.0) * step * (double)k;
        scratch_point(r, cx + rv * cos(t), cy + rv * sin(t));
    }
    scratch_close_ring(r);
}

/* 1 when (x, y) is within 1e-9 pixel of p: the same point for drawing,
 * and too close to give a segment a direction. */
static int near(double x, double y, const double *p)
{
    return (x - p[0]) * (x - p[0]) + (y - p[1]) * (y - p[1]) < 1e-18;
}

/* Copies xy without consecutive repeats (and, for closed lines, without a
 * last point equal to the first) into r->line.  Returns the number of
 * points kept, or SIZE_MAX when out of memory. */
static size_t dedupe(mg_raster *r, const double *xy, size_t n, int closed)
{
    if (n > r->cap_line) {
        double *p = realloc(r->line, 2 * n * sizeof *p);
        if (!p)
            return SIZE_MAX;
        r->line = p;
        r->cap_line = n;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (m > 0 && near(x, y, r->line + 2 * m - 2))
            continue;
        r->line[2 * m] = x;
        r->line[2 * m + 1] = y;
        m++;
    }
    while (closed && m > 1 &&
           near(r->line[0], r->line[1], r->line + 2 * m - 2))
        m--;
    return m;
}

static int stroke_ok(const mg_stroke *s)
{
    return s && isfinite(s->width) && s->width > 0.0 &&
           s->width <= MG_TILES_MAX_COORD &&
           (s->join == MG_JOIN_MITER || s->join == MG_JOIN_ROUND ||
            s->join == MG_JOIN_BEVEL) &&
           (s->cap == MG_CAP_BUTT || s->cap == MG_CAP_ROUND ||
            s->cap == MG_CAP_SQUARE) &&
           (s->join != MG_JOIN_MITER || s->miter_limit >= 1.0);
}

/* A line reduced to one point: the caps meet. */
static void push_dot(const stroker *st)
{
    double x = st->p[0], y = st->p[1], hw = st->hw;
    if (st->style->cap == MG_CAP_ROUND) {
        push_circle(st->r, x, y, hw, 1);
    } else if (st->style->cap == MG_CAP_SQUARE) {
        scratch_point(st->r, x - hw, y - hw);
        scratch_point(st->r, x + hw, y - hw);
        scratch_point(st->r, x + hw, y + hw);
        scratch_point(st->r, x - hw, y + hw);
        scratch_close_ring(st->r);
    }
}

int mg_raster_add_stroke(mg_raster *r, const double *xy, size_t n, int closed,
                         const mg_stroke *style)
{
    /* Callers are meant to check, but an outline built from a coordinate
     * past MG_TILES_MAX_COORD has overflowing lengths and NaN directions:
     * refuse it here rather than trust them. */
    for (size_t i = 0; i < 2 * n; i++)
        if (!coord_ok(xy[i]))
            return MG_ERR_INPUT;
    size_t m = dedupe(r, xy, n, closed);
    if (m == SIZE_MAX)
        return MG_ERR_NOMEM;
    double hw = 0.5 * style->width;
    stroker st = {r, r->line, m, hw, arc_step(hw), style};
    scratch_reset(r);
    if (m == 1) {
        push_dot(&st);
    } else if (m >= 3 && closed) {
        push_closed_side(&st, 0);
        push_closed_side(&st, 1);
    } else if (m >= 2) {
        push_open_side(&st, 0);
        push_open_side(&st, 1);
        scratch_close_ring(r);
    }
    if (r->failed)
        return MG_ERR_NOMEM;
    raster_add_scratch(r);
    return MG_OK;
}

int mg_tiles_stroke_line(mg_raster *r, const double *xy, size_t n, int closed,
                         const mg_stroke *style, mg_mask *out)
{
    if (!r || !out || (!xy && n > 0) || !stroke_ok(style))
        return MG_ERR_USAGE;
    for (size_t i = 0; i < 2 * n; i++)
        if (!coord_ok(xy[i]))
            return MG_ERR_INPUT;
    int rc = mg_raster_add_stroke(r, xy, n, closed, style);
    if (rc)
        return rc;
    mg_raster_sweep(r, MG_FILL_NONZERO, out);
    return MG_OK;
}

static int circle_args_ok(double cx, double cy, double radius)
{
    return coord_ok(cx) && coord_ok(cy) && coord_ok(radius) && radius > 0.0;
}

int mg_tiles_fill_circle(mg_raster *r, double cx, double cy, double radius,
                         mg_mask *out)
{
    if (!r || !out)
        return MG_ERR_USAGE;
    if (!circle_args_ok(cx, cy, radius))
        return MG_ERR_INPUT;
    scratch_reset(r);
    push_circle(r, cx, cy, radius, 1);
    if (r->failed)
        return MG_ERR_NOMEM;
    raster_add_scratch(r);
    mg_raster_sweep(r, MG_FILL_NONZERO, out);
    return MG_OK;
}

int mg_tiles_stroke_circle(mg_raster *r, double cx, double cy, double radius,
                           double width, mg_mask *out)
{
    if (!r || !out || !(width > 0.0) || !coord_ok(width))
        return MG_ERR_USAGE;
    if (!circle_args_ok(cx, cy, radius))
        return MG_ERR_INPUT;
    scratch_reset(r);
    push_circle(r, cx, cy, radius + 0.5 * width, 1);
    if (radius - 0.5 * width > 0.0)
        push_circle(r, cx, cy, radius - 0.5 * width, 0);
    if (r->failed)
        return MG_ERR_NOMEM;
    raster_add_scratch(r);
    mg_raster_sweep(r, MG_FILL_NONZERO, out);
    return MG_OK;
}
