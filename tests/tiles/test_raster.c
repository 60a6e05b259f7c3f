/*
 * The rasteriser against references:
 *   - GDAL's rasteriser on a 16x supersampled MEM raster, averaged down to
 *     the tile: every pixel within 0.5 + EDGE_TOL per edge through it
 *     (docs/tiles.md says why);
 *   - the exact area of each pixel inside the polygon, by clipping: every
 *     pixel of a valid polygon within rounding of it;
 * and the compositing arithmetic against its definition.
 */
#include "check.h"
#include "reference.h"
#include "tiles/store.h"

#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { W = 256, H = 256 };

/* Largest |ours - GDAL| per pixel, in 1/255 units of coverage, is
 * 0.5 + EDGE_TOL * (edges of the shape passing through the pixel).  The
 * reference samples a pixel at 16 x 16 points: on each of its 16 sample
 * rows an edge shifts the count by up to half a sample from the exact
 * covered length, 8 of 256 when the 16 errors line up (edges near
 * vertical or horizontal); the sample rows an edge only partly crosses
 * add at most half a sample more.  0.5 is our own rounding to 8 bits.
 * A pixel no edge passes through must match to 0.5.  See docs/tiles.md. */
static const double EDGE_TOL = 8.5;

/* Largest |ours - 255 * exact area| for valid polygons: our rounding to
 * 8 bits (0.5) plus float accumulation (well below 0.01). */
static const double EXACT_TOL = 0.51;

static const double pi = 3.14159265358979323846;

typedef struct diff_stats {
    double max, mean, bias;
    int x, y;
    long n;
    double max1;             /* max |diff| where at most one edge passes */
    long over;               /* pixels past their tolerance */
} diff_stats;

/* ---- helpers ------------------------------------------------------------ */

/* 1 when every byte of the mask outside its spans is zero. */
static int spans_ok(const mg_mask *m)
{
    for (int y = 0; y < m->height; y++) {
        int x0 = 0, x1 = 0;
        if (y >= m->y0 && y < m->y1) {
            x0 = m->x0[y];
            x1 = m->x1[y];
        }
        for (int x = 0; x < m->width; x++)
            if ((x < x0 || x >= x1) && m->cover[(size_t)y * m->width + x])
                return 0;
    }
    return 1;
}

/* ours against ref255; with edges, also each pixel against its tolerance. */
static diff_stats compare(const uint8_t *ours, const double *ref255,
                          const int *edges, const uint8_t *skip)
{
    diff_stats s = {0};
    for (int i = 0; i < W * H; i++) {
        if (skip && skip[i])
            continue;
        double d = ours[i] - ref255[i];
        if (edges && fabs(d) > 0.5 + EDGE_TOL * edges[i])
            s.over++;
        if (edges && edges[i] <= 1 && fabs(d) > s.max1)
            s.max1 = fabs(d);
        s.bias += d;
        s.mean += fabs(d);
        s.n++;
        if (fabs(d) > s.max) {
            s.max = fabs(d);
            s.x = i % W;
            s.y = i / W;
        }
    }
    if (s.n) {
        s.mean /= (double)s.n;
        s.bias /= (double)s.n;
    }
    return s;
}

static void report(const char *name, const char *what, diff_stats s)
{
    printf("%-26s %-5s max |diff| %6.3f/255 at (%3d,%3d)", name, what, s.max,
           s.x, s.y);
    if (strcmp(what, "GDAL") == 0)
        printf(", %6.3f where one edge", s.max1);
    printf("; mean %.4f bias %+.4f\n", s.mean, s.bias);
}

/* The worst differences from GDAL over all cases. */
typedef struct worst_diff {
    double any, one_edge;
} worst_diff;

static void note(worst_diff *w, diff_stats s)
{
    w->any = fmax(w->any, s.max);
    w->one_edge = fmax(w->one_edge, s.max1);
}

/* GDAL's coverage of wkt in 1/255 units, and the edges through each pixel. */
static int gdal_cover(const char *wkt, double *ref255, int *edges)
{
    static int counts[W * H];
    if (ref_gdal_counts(wkt, W, H, counts, edges) != 0)
        return -1;
    for (int i = 0; i < W * H; i++)
        ref255[i] = counts[i] * 255.0 / (REF_SS * REF_SS);
    return 0;
}

/* Where segments a0-a1 and b0-b1 cross: 1 and (*x, *y), or 0. */
static int crossing(const double *a0, const double *a1, const double *b0,
                    const double *b1, double *x, double *y)
{
    double dx = a1[0] - a0[0], dy = a1[1] - a0[1];
    double ex = b1[0] - b0[0], ey = b1[1] - b0[1];
    double den = dx * ey - dy * ex;
    if (den == 0.0)
        return 0;
    double fx = b0[0] - a0[0], fy = b0[1] - a0[1];
    double t = (fx * ey - fy * ex) / den, u = (fx * dy - fy * dx) / den;
    if (t < 0 || t > 1 || u < 0 || u > 1)
        return 0;
    *x = a0[0] + t * dx;
    *y = a0[1] + t * dy;
    return 1;
}

/* Marks the pixels holding a crossing of two non-adjacent edges of a ring
 * (self-intersections): the pixels where the accumulation is documented as
 * approximate.  Returns how many crossings there are. */
static int mark_crossings(const mg_polygon *p, size_t n, uint8_t *mark)
{
    int count = 0;
    memset(mark, 0, W * H);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < p[i].n_rings; k++) {
            const double *a = p[i].rings[k].xy;
            size_t m = p[i].rings[k].n;
            for (size_t e = 0; e < m; e++) {
                for (size_t f = e + 2; f < m; f++) {
                    double x, y;
                    if ((e == 0 && f == m - 1) ||
                        !crossing(a + 2 * e, a + 2 * ((e + 1) % m), a + 2 * f,
                                  a + 2 * ((f + 1) % m), &x, &y))
                        continue;
                    if (x >= 0 && x < W && y >= 0 && y < H) {
                        mark[(int)y * W + (int)x] = 1;
                        count++;
                    }
                }
            }
        }
    }
    return count;
}

/* ---- polygons against GDAL and exact areas ------------------------------ */

typedef struct poly_case {
    const char *name;
    const mg_polygon *p;
    size_t n;
    mg_fill_rule rule;
    const char *ref_wkt;     /* NULL: the polygons themselves (even-odd) */
    int valid;               /* also compare with exact areas */
} poly_case;

static void check_case(mg_raster *r, const poly_case *c, worst_diff *w)
{
    static uint8_t ours[W * H], mark[W * H];
    static double ref[W * H];
    static int edges[W * H];
    mg_mask m;
    CHECK_INT(mg_tiles_fill_polygons(r, c->p, c->n, c->rule, &m), MG_OK);
    CHECK(spans_ok(&m));
    memcpy(ours, m.cover, sizeof ours);

    char *wkt = c->ref_wkt ? NULL : ref_wkt_polygons(c->p, c->n);
    CHECK(gdal_cover(c->ref_wkt ? c->ref_wkt : wkt, ref, edges) == 0);
    free(wkt);
    int n_cross = c->valid ? 0 : mark_crossings(c->p, c->n, mark);
    diff_stats s = compare(ours, ref, edges, n_cross ? mark : NULL);
    report(c->name, "GDAL", s);
    CHECK_INT(s.over, 0);
    CHECK(fabs(s.bias) < 0.05);
    note(w, s);
    if (n_cross) {
        /* The pixels holding a self-intersection are where accumulation is
         * documented as approximate (docs/tiles.md): reported, not held to
         * the tolerance. */
        for (int i = 0; i < W * H; i++)
            mark[i] = !mark[i];
        diff_stats x = compare(ours, ref, NULL, mark);
        printf("%-26s GDAL  %d crossing pixel(s), approximated: max |diff| "
               "%.3f/255\n", c->name, n_cross, x.max);
    }
    if (c->valid) {
        ref_exact_cover(c->p, c->n, W, H, ref);
        for (int i = 0; i < W * H; i++)
            ref[i] *= 255.0;
        diff_stats e = compare(ours, ref, NULL, NULL);
        report(c->name, "exact", e);
        CHECK(e.max <= EXACT_TOL);
    }
}

/* A star-shaped ring of n points about (cx, cy), radius from f. */
static double *star_ring(size_t n, double cx, double cy,
                         double (*f)(double t, size_t k))
{
    double *xy = malloc(2 * n * sizeof *xy);
    for (size_t k = 0; k < n; k++) {
        double t = 2.0 * pi * (double)k / (double)n, rr = f(t, k);
        xy[2 * k] = cx + rr * cos(t);
        xy[2 * k + 1] = cy + rr * sin(t);
    }
    return xy;
}

static double blob_radius(double t, size_t k)
{
    (void)k;
    return 90.0 + 25.0 * sin(5.0 * t) + 7.0 * cos(13.0 * t);
}

/* A jagged "coastline": radius from a fixed linear congruential sequence. */
static double coast_radius(double t, size_t k)
{
    (void)t;
    unsigned long long s = 88172645463325252ull ^ (k * 2654435761ull);
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return 85.0 + 25.0 * (double)(s % 10000) / 10000.0;
}

static void test_polygons(mg_raster *r, worst_diff *worst)
{
    /* Outer ring clockwise on screen; the first hole the same way round,
     * the second the other, so the even-odd reorientation matters. */
    static const double shell[] = {20.3, 30.7, 200.9, 18.2, 235.4, 120.6,
                                   190.1, 230.8, 60.6, 215.3, 12.2, 140.1};
    static const double hole1[] = {80.5, 80.25, 140.75, 70.1, 110.3, 150.9};
    static const double hole2[] = {30.0, 130.2, 29.2, 158.8, 44.1, 160.4,
                                   45.6, 128.9};
    const mg_ring holes_r[] = {{shell, 6}, {hole1, 3}, {hole2, 4}};
    const mg_polygon holes = {holes_r, 3};

    /* Three parts: two 0.3 px apart along a slanted edge, one with a hole. */
    static const double pa[] = {40.25, 40.5, 120.75, 38.1, 118.2, 110.6,
                                42.9, 112.3};
    static const double pb[] = {121.05, 38.1, 200.5, 45.5, 190.3, 120.2,
                                118.5, 110.6};
    static const double pc[] = {60.5, 150.5, 230.2, 140.8, 150.1, 250.3};
    static const double pch[] = {120.2, 170.4, 160.7, 168.2, 140.3, 200.6};
    /* The hole wound against its outer ring, as non-zero needs. */
    static const double pchr[] = {140.3, 200.6, 160.7, 168.2, 120.2, 170.4};
    const mg_ring ra[] = {{pa, 4}}, rb[] = {{pb, 4}};
    const mg_ring rc[] = {{pc, 3}, {pch, 3}};
    const mg_ring rcr[] = {{pc, 3}, {pchr, 3}};
    const mg_polygon multi[] = {{ra, 1}, {rb, 1}, {rc, 2}};
    const mg_polygon multi_nz[] = {{ra, 1}, {rb, 1}, {rcr, 2}};

    /* Slivers: a triangle 0.15 px wide at its base, a strip 0.15 px high. */
    static const double s1[] = {5.3, 250.1, 250.7, 8.4, 250.9, 8.55};
    static const double s2[] = {10.2, 20.3, 245.6, 60.9, 245.6, 61.05,
                                10.2, 20.45};
    const mg_ring s1r[] = {{s1, 3}}, s2r[] = {{s2, 4}};
    const mg_polygon sliver1 = {s1r, 1}, sliver2 = {s2r, 1};

    /* Past every tile edge, with holes across the top and left edges and
     * vertices on the edges. */
    static const double big[] = {-40.5, -30.2, 300.3, -20.7, 256.0, 128.0,
                                 280.6, 290.4, 128.0, 256.0, -25.1, 270.8,
                                 0.0, 128.0};
    static const double bh1[] = {100.2, -10.5, 160.8, -12.3, 150.4, 30.6,
                                 110.9, 25.2};
    static const double bh2[] = {-10.3, 100.2, 30.6, 110.5, -5.2, 160.1};
    const mg_ring bigr[] = {{big, 7}, {bh1, 4}, {bh2, 3}};
    const mg_polygon edge = {bigr, 3};

    double *blob = star_ring(720, 129.7, 126.1, blob_radius);
    double *coast = star_ring(3000, 128.4, 127.9, coast_radius);
    const mg_ring blobr[] = {{blob, 720}}, coastr[] = {{coast, 3000}};
    const mg_polygon blobp = {blobr, 1}, coastp = {coastr, 1};

    const poly_case cases[] = {
        {"holes evenodd", &holes, 1, MG_FILL_EVENODD, NULL, 1},
        {"multipolygon evenodd", multi, 3, MG_FILL_EVENODD, NULL, 1},
        {"multipolygon nonzero", multi_nz, 3, MG_FILL_NONZERO, NULL, 1},
        {"sliver triangle", &sliver1, 1, MG_FILL_EVENODD, NULL, 1},
        {"sliver strip", &sliver2, 1, MG_FILL_NONZERO, NULL, 1},
        {"across tile edges", &edge, 1, MG_FILL_EVENODD, NULL, 1},
        {"smooth blob", &blobp, 1, MG_FILL_NONZERO, NULL, 1},
        {"coastline 3000 pts", &coastp, 1, MG_FILL_EVENODD, NULL, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(r, &cases[i], worst);
    free(blob);
    free(coast);
}

/* Self-intersecting rings: the bow-tie fills both lobes under both rules
 * (its lobes wind +1 and -1); the pentagram's centre winds twice, so it is
 * empty under even-odd and filled under non-zero. */
static void test_self_intersecting(mg_raster *r, worst_diff *worst)
{
    static const double bow[] = {30.3, 40.6, 220.7, 210.2, 220.1, 40.9,
                                 30.8, 209.7};
    const mg_ring bowr[] = {{bow, 4}};
    const mg_polygon bowp = {bowr, 1};

    double star[10], outline[20], cx = 128.3, cy = 127.6, R = 110.4;
    /* Inner radius of a {5/2} star: R cos 72 / cos 36. */
    double ri = R * cos(2.0 * pi / 5.0) / cos(pi / 5.0);
    for (int k = 0; k < 5; k++) {
        double t = -pi / 2.0 + k * 4.0 * pi / 5.0;
        star[2 * k] = cx + R * cos(t);
        star[2 * k + 1] = cy + R * sin(t);
    }
    for (int k = 0; k < 10; k++) {
        double t = -pi / 2.0 + k * pi / 5.0, rr = k % 2 ? ri : R;
        outline[2 * k] = cx + rr * cos(t);
        outline[2 * k + 1] = cy + rr * sin(t);
    }
    const mg_ring starr[] = {{star, 5}}, outr[] = {{outline, 10}};
    const mg_polygon starp = {starr, 1}, outp = {outr, 1};
    char *nonzero_ref = ref_wkt_polygons(&outp, 1);

    const poly_case cases[] = {
        {"bow-tie evenodd", &bowp, 1, MG_FILL_EVENODD, NULL, 0},
        {"bow-tie nonzero", &bowp, 1, MG_FILL_NONZERO, NULL, 0},
        {"pentagram evenodd", &starp, 1, MG_FILL_EVENODD, NULL, 0},
        {"pentagram nonzero", &starp, 1, MG_FILL_NONZERO, nonzero_ref, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(r, &cases[i], worst);
    free(nonzero_ref);

    /* The centre pixel decides the rule. */
    mg_mask m;
    CHECK_INT(mg_tiles_fill_polygons(r, &starp, 1, MG_FILL_EVENODD, &m), MG_OK);
    CHECK_INT(m.cover[127 * W + 128], 0);
    CHECK_INT(mg_tiles_fill_polygons(r, &starp, 1, MG_FILL_NONZERO, &m), MG_OK);
    CHECK_INT(m.cover[127 * W + 128], 255);
}

/* ---- strokes and circles against GEOS buffers rasterised by GDAL -------- */

typedef struct stroke_case {
    const char *name;
    const double *xy;
    size_t n;
    int closed;
    mg_stroke style;
    int geos_cap, geos_join;
} stroke_case;

static void check_stroke(mg_raster *r, const stroke_case *c, worst_diff *w)
{
    static uint8_t ours[W * H];
    static double ref[W * H];
    static int edges[W * H];
    mg_mask m;
    CHECK_INT(mg_tiles_stroke_line(r, c->xy, c->n, c->closed, &c->style, &m),
              MG_OK);
    CHECK(spans_ok(&m));
    memcpy(ours, m.cover, sizeof ours);
    char *line = ref_wkt_line(c->xy, c->n, c->closed);
    if (c->closed)
        memcpy(line, "LINEARRING", 10); /* "LINESTRING" is as long */
    char *buf = ref_geos_buffer(line, 0.5 * c->style.width, c->geos_cap,
                                c->geos_join, c->style.miter_limit);
    CHECK(buf != NULL);
    if (buf && gdal_cover(buf, ref, edges) == 0) {
        diff_stats s = compare(ours, ref, edges, NULL);
        report(c->name, "GDAL", s);
        CHECK_INT(s.over, 0);
        CHECK(fabs(s.bias) < 0.05);
        note(w, s);
    }
    free(buf);
    free(line);
}

static void test_strokes(mg_raster *r, worst_diff *worst)
{
    static const double zig[] = {20.3, 30.2, 120.7, 60.4, 90.2, 180.6,
                                 230.5, 200.1};
    static const double hexagon[] = {60.2, 40.3, 180.7, 45.1, 225.6, 130.4,
                                     170.3, 215.8, 70.9, 210.2, 30.1, 120.6};
    /* Runs off the tile on both sides. */
    static const double across[] = {-30.5, 100.2, 128.3, 20.7, 300.2, 240.6};
    /* Segments shorter than the width and a near U-turn: inner corners
     * fall back to the outline through the vertex (docs/tiles.md). */
    double saw[2 * 40];
    for (int i = 0; i < 40; i++) {
        saw[2 * i] = 20.3 + i * 5.1;
        saw[2 * i + 1] = 100.2 + (i % 2 ? 4.3 : -4.1);
    }
    static const double uturn[] = {30.3, 50.2, 200.7, 50.9, 30.1, 58.3};
    const stroke_case cases[] = {
        {"zigzag w6.5 round/round", zig, 4, 0,
         {6.5, MG_JOIN_ROUND, MG_CAP_ROUND, 4.0}, GEOSBUF_CAP_ROUND,
         GEOSBUF_JOIN_ROUND},
        {"zigzag w6.5 miter/square", zig, 4, 0,
         {6.5, MG_JOIN_MITER, MG_CAP_SQUARE, 4.0}, GEOSBUF_CAP_SQUARE,
         GEOSBUF_JOIN_MITRE},
        {"zigzag w12 bevel/butt", zig, 4, 0,
         {12.0, MG_JOIN_BEVEL, MG_CAP_BUTT, 4.0}, GEOSBUF_CAP_FLAT,
         GEOSBUF_JOIN_BEVEL},
        {"zigzag w1 round/butt", zig, 4, 0,
         {1.0, MG_JOIN_ROUND, MG_CAP_BUTT, 4.0}, GEOSBUF_CAP_FLAT,
         GEOSBUF_JOIN_ROUND},
        {"zigzag w0.4 miter/butt", zig, 4, 0,
         {0.4, MG_JOIN_MITER, MG_CAP_BUTT, 10.0}, GEOSBUF_CAP_FLAT,
         GEOSBUF_JOIN_MITRE},
        {"hexagon w4 closed miter", hexagon, 6, 1,
         {4.0, MG_JOIN_MITER, MG_CAP_BUTT, 4.0}, GEOSBUF_CAP_FLAT,
         GEOSBUF_JOIN_MITRE},
        {"hexagon w9 closed round", hexagon, 6, 1,
         {9.0, MG_JOIN_ROUND, MG_CAP_BUTT, 4.0}, GEOSBUF_CAP_FLAT,
         GEOSBUF_JOIN_ROUND},
        {"across edges w5 round", across, 3, 0,
         {5.0, MG_JOIN_ROUND, MG_CAP_ROUND, 4.0}, GEOSBUF_CAP_ROUND,
         GEOSBUF_JOIN_ROUND},
        {"short saw w10 round", saw, 40, 0,
         {10.0, MG_JOIN_ROUND, MG_CAP_ROUND, 4.0}, GEOSBUF_CAP_ROUND,
         GEOSBUF_JOIN_ROUND},
        {"short saw w1.5 bevel", saw, 40, 0,
         {1.5, MG_JOIN_BEVEL, MG_CAP_SQUARE, 4.0}, GEOSBUF_CAP_SQUARE,
         GEOSBUF_JOIN_BEVEL},
        {"near U-turn w4 round", uturn, 3, 0,
         {4.0, MG_JOIN_ROUND, MG_CAP_BUTT, 4.0}, GEOSBUF_CAP_FLAT,
         GEOSBUF_JOIN_ROUND},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_stroke(r, &cases[i], worst);
}

static void test_circles(mg_raster *r, worst_diff *worst)
{
    static uint8_t ours[W * H];
    static double outer[W * H], inner[W * H];
    static int edges[W * H], edges_in[W * H];
    mg_mask m;
    char *disc = ref_geos_buffer("POINT(100.3 90.7)", 20.5, GEOSBUF_CAP_ROUND,
                                 GEOSBUF_JOIN_ROUND, 1.0);
    CHECK_INT(mg_tiles_fill_circle(r, 100.3, 90.7, 20.5, &m), MG_OK);
    memcpy(ours, m.cover, sizeof ours);
    CHECK(disc && gdal_cover(disc, outer, edges) == 0);
    diff_stats s = compare(ours, outer, edges, NULL);
    report("disc r20.5", "GDAL", s);
    CHECK_INT(s.over, 0);
    note(worst, s);

    /* The outline ring: samples in the outer disc and not the inner. */
    char *in = ref_geos_buffer("POINT(100.3 90.7)", 20.5 - 1.5,
                               GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_ROUND, 1.0);
    char *out = ref_geos_buffer("POINT(100.3 90.7)", 20.5 + 1.5,
                                GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_ROUND, 1.0);
    CHECK_INT(mg_tiles_stroke_circle(r, 100.3, 90.7, 20.5, 3.0, &m), MG_OK);
    memcpy(ours, m.cover, sizeof ours);
    CHECK(in && out && gdal_cover(in, inner, edges_in) == 0 &&
          gdal_cover(out, outer, edges) == 0);
    for (int i = 0; i < W * H; i++) {
        outer[i] -= inner[i];
        edges[i] += edges_in[i];
    }
    s = compare(ours, outer, edges, NULL);
    report("circle outline w3", "GDAL", s);
    CHECK_INT(s.over, 0);
    note(worst, s);
    free(disc);
    free(in);
    free(out);

    /* Total area: pi r^2 within the rounding of the edge pixels. */
    CHECK_INT(mg_tiles_fill_circle(r, 128.0, 128.0, 50.0, &m), MG_OK);
    double sum = 0.0;
    for (int i = 0; i < W * H; i++)
        sum += m.cover[i] / 255.0;
    CHECK_NEAR(sum, pi * 2500.0, 0.5);
}

/* ---- exact values by hand ----------------------------------------------- */

static void test_by_hand(mg_raster *r)
{
    mg_mask m;
    /* [10.25, 20.75] x [5.5, 9]: full inside, 3/4 and 1/2 on the edges. */
    static const double rect[] = {10.25, 5.5, 20.75, 5.5,
                                  20.75, 9.0, 10.25, 9.0};
    const mg_ring rr[] = {{rect, 4}};
    const mg_polygon rp = {rr, 1};
    CHECK_INT(mg_tiles_fill_polygons(r, &rp, 1, MG_FILL_NONZERO, &m), MG_OK);
    CHECK_INT(m.cover[6 * W + 15], 255);
    CHECK_INT(m.cover[6 * W + 10], 191);          /* 0.75 */
    CHECK_INT(m.cover[6 * W + 20], 191);
    CHECK_INT(m.cover[5 * W + 15], 128);          /* 0.5 */
    CHECK_INT(m.cover[5 * W + 10], 96);           /* 0.375 */
    CHECK_INT(m.cover[9 * W + 15], 0);
    CHECK_INT(m.cover[6 * W + 9], 0);
    CHECK_INT(m.cover[6 * W + 21], 0);
    CHECK(m.y0 <= 5 && m.y1 >= 9);

    /* A unit triangle with its right angle at a pixel corner: half. */
    static const double tri[] = {3.0, 3.0, 4.0, 3.0, 3.0, 4.0};
    const mg_ring tr[] = {{tri, 3}};
    const mg_polygon tp = {tr, 1};
    CHECK_INT(mg_tiles_fill_polygons(r, &tp, 1, MG_FILL_EVENODD, &m), MG_OK);
    CHECK_INT(m.cover[3 * W + 3], 128);
    CHECK(spans_ok(&m));

    /* Two overlapping squares wound the same way: union under non-zero,
     * their difference under even-odd. */
    static const double a[] = {10, 10, 30, 10, 30, 30, 10, 30};
    static const double b[] = {20, 20, 40, 20, 40, 40, 20, 40};
    const mg_ring ab[] = {{a, 4}, {b, 4}};
    const mg_polygon two[] = {{ab, 1}, {ab + 1, 1}};
    CHECK_INT(mg_tiles_fill_polygons(r, two, 2, MG_FILL_NONZERO, &m), MG_OK);
    CHECK_INT(m.cover[25 * W + 25], 255);
    CHECK_INT(mg_tiles_fill_polygons(r, two, 2, MG_FILL_EVENODD, &m), MG_OK);
    CHECK_INT(m.cover[25 * W + 25], 0);
    CHECK_INT(m.cover[15 * W + 15], 255);

    /* A hole wound like its outer ring: a hole under even-odd whatever the
     * orientation; under non-zero orientation decides, so it is filled. */
    static const double hole[] = {15, 15, 25, 15, 25, 25, 15, 25};
    const mg_ring with_hole[] = {{a, 4}, {hole, 4}};
    const mg_polygon wh = {with_hole, 2};
    CHECK_INT(mg_tiles_fill_polygons(r, &wh, 1, MG_FILL_EVENODD, &m), MG_OK);
    CHECK_INT(m.cover[20 * W + 20], 0);
    CHECK_INT(m.cover[12 * W + 12], 255);
    CHECK_INT(mg_tiles_fill_polygons(r, &wh, 1, MG_FILL_NONZERO, &m), MG_OK);
    CHECK_INT(m.cover[20 * W + 20], 255);
}

static void test_strokes_by_hand(mg_raster *r)
{
    mg_mask m;
    /* A 2 px horizontal line with butt caps from x 10.5 to 50.5. */
    static const double line[] = {10.5, 20.0, 50.5, 20.0};
    mg_stroke st = {2.0, MG_JOIN_MITER, MG_CAP_BUTT, 4.0};
    CHECK_INT(mg_tiles_stroke_line(r, line, 2, 0, &st, &m), MG_OK);
    CHECK_INT(m.cover[19 * W + 30], 255);
    CHECK_INT(m.cover[20 * W + 30], 255);
    CHECK_INT(m.cover[21 * W + 30], 0);
    CHECK_INT(m.cover[19 * W + 10], 128);
    CHECK_INT(m.cover[20 * W + 50], 128);
    CHECK_INT(m.cover[20 * W + 51], 0);
    /* Square caps add a half width at each end. */
    st.cap = MG_CAP_SQUARE;
    CHECK_INT(mg_tiles_stroke_line(r, line, 2, 0, &st, &m), MG_OK);
    CHECK_INT(m.cover[19 * W + 9], 128);
    CHECK_INT(m.cover[20 * W + 51], 128);
    /* Round caps: area L w + pi (w/2)^2. */
    st.cap = MG_CAP_ROUND;
    CHECK_INT(mg_tiles_stroke_line(r, line, 2, 0, &st, &m), MG_OK);
    double sum = 0.0;
    for (int i = 0; i < W * H; i++)
        sum += m.cover[i] / 255.0;
    CHECK_NEAR(sum, 40.0 * 2.0 + pi, 0.1);

    /* A point with round caps is a dot; with butt caps it is nothing. */
    static const double pt[] = {100.5, 100.5, 100.5, 100.5};
    CHECK_INT(mg_tiles_stroke_line(r, pt, 2, 0, &st, &m), MG_OK);
    CHECK_INT(m.cover[100 * W + 100], 255);
    st.cap = MG_CAP_BUTT;
    CHECK_INT(mg_tiles_stroke_line(r, pt, 2, 0, &st, &m), MG_OK);
    CHECK_INT(m.y1 - m.y0, 0);
    CHECK(spans_ok(&m));
}

/* Moving a shape by whole pixels moves its coverage and nothing else, also
 * when part of it leaves the canvas (clipping is exact). */
static void test_translation(mg_raster *r)
{
    static uint8_t a[W * H];
    double xy[2 * 720], moved[2 * 720];
    double *blob = star_ring(720, 129.7, 126.1, blob_radius);
    memcpy(xy, blob, sizeof xy);
    free(blob);
    mg_ring ring = {xy, 720};
    mg_polygon p = {&ring, 1};
    mg_mask m;
    CHECK_INT(mg_tiles_fill_polygons(r, &p, 1, MG_FILL_EVENODD, &m), MG_OK);
    memcpy(a, m.cover, sizeof a);
    const int shifts[][2] = {{-100, -50}, {90, 70}, {-200, 180}, {37, -151}};
    for (size_t s = 0; s < 4; s++) {
        int dx = shifts[s][0], dy = shifts[s][1], bad = 0;
        for (int i = 0; i < 720; i++) {
            moved[2 * i] = xy[2 * i] + dx;
            moved[2 * i + 1] = xy[2 * i + 1] + dy;
        }
        ring.xy = moved;
        CHECK_INT(mg_tiles_fill_polygons(r, &p, 1, MG_FILL_EVENODD, &m),
                  MG_OK);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int sx = x - dx, sy = y - dy;
                int inside = sx >= 0 && sx < W && sy >= 0 && sy < H;
                int want = inside ? a[sy * W + sx] : 0;
                if (abs(m.cover[y * W + x] - want) > 1)
                    bad++;
            }
        }
        CHECK_INT(bad, 0);
        ring.xy = xy;
    }
}

static void test_errors(mg_raster *r)
{
    mg_mask m;
    static const double sq[] = {1, 1, 5, 1, 5, 5, 1, 5};
    double bad[] = {1, 1, 5, 1, NAN, 5};
    mg_ring rings[] = {{sq, 4}, {bad, 3}};
    mg_polygon good = {rings, 1}, both = {rings, 2};
    CHECK_INT(mg_tiles_fill_polygons(r, &both, 1, MG_FILL_EVENODD, &m),
              MG_ERR_INPUT);
    CHECK_INT(mg_tiles_fill_polygons(r, &good, 1, (mg_fill_rule)7, &m),
              MG_ERR_USAGE);
    CHECK_INT(mg_tiles_fill_polygons(NULL, &good, 1, MG_FILL_EVENODD, &m),
              MG_ERR_USAGE);
    bad[4] = 1e300;
    CHECK_INT(mg_tiles_fill_polygons(r, &both, 1, MG_FILL_EVENODD, &m),
              MG_ERR_INPUT);
    /* A refused call leaves nothing behind: the next one is clean. */
    CHECK_INT(mg_tiles_fill_polygons(r, &good, 1, MG_FILL_EVENODD, &m), MG_OK);
    CHECK_INT(m.cover[2 * W + 2], 255);
    CHECK_INT(m.cover[2 * W + 6], 0);
    CHECK(spans_ok(&m));
    int sum = 0;
    for (int i = 0; i < W * H; i++)
        sum += m.cover[i];
    CHECK_INT(sum, 16 * 255);

    mg_stroke st = {0.0, MG_JOIN_ROUND, MG_CAP_ROUND, 4.0};
    CHECK_INT(mg_tiles_stroke_line(r, sq, 4, 0, &st, &m), MG_ERR_USAGE);
    st.width = 2.0;
    st.join = MG_JOIN_MITER;
    st.miter_limit = 0.5;
    CHECK_INT(mg_tiles_stroke_line(r, sq, 4, 0, &st, &m), MG_ERR_USAGE);
    st.miter_limit = 4.0;
    CHECK_INT(mg_tiles_stroke_line(r, bad, 3, 0, &st, &m), MG_ERR_INPUT);
    CHECK_INT(mg_tiles_fill_circle(r, 1.0, 1.0, -1.0, &m), MG_ERR_INPUT);
    CHECK(mg_raster_new(0, 10) == NULL);
    CHECK(mg_raster_new(10, MG_TILES_MAX_SIZE + 1) == NULL);
    mg_raster_free(NULL);
    mg_canvas_free(NULL);
}

/* ---- compositing -------------------------------------------------------- */

/* The documented arithmetic, in exact rationals: alpha
 * A = round(a * cover / 255), then straight-alpha source-over
 *   out.a = A + d.a (255 - A) / 255,
 *   out.c = (c A 255 + d.c d.a (255 - A)) / (A 255 + d.a (255 - A)),
 * each rounded to nearest with ties up.  (Doubles would misround the exact
 * ties, e.g. 99 * 17850 / 56100 = 31.5.) */
static long long round_div(long long num, long long den)
{
    return (2 * num + den) / (2 * den);
}

static void expected_over(const uint8_t d[4], mg_rgba c, int cover,
                          uint8_t out[4])
{
    long long a = round_div((long long)c.a * cover, 255), da = d[3];
    long long den = a * 255 + da * (255 - a);
    const long long src[3] = {c.r, c.g, c.b};
    memcpy(out, d, 4);
    if (a == 0)
        return;
    for (int i = 0; i < 3; i++)
        out[i] = (uint8_t)round_div(src[i] * a * 255 + d[i] * da * (255 - a),
                                    den);
    out[3] = (uint8_t)round_div(den, 255);
}

static void test_composite(void)
{
    mg_canvas *c = mg_canvas_new(64, 64);
    static uint8_t cover[64 * 64];
    int x0[64], x1[64], bad = 0;
    unsigned long long s = 12345;
    CHECK(c != NULL && mg_tiles_is_transparent(c));
    for (int i = 0; i < 64 * 64; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        cover[i] = (uint8_t)(s >> 56);
        for (int k = 0; k < 4; k++)
            c->rgba[4 * i + k] = (uint8_t)(s >> (8 * k + 8));
        if (i % 7 == 0)
            c->rgba[4 * i + 3] = 255;
        if (i % 11 == 0)
            c->rgba[4 * i + 3] = 0;
    }
    for (int y = 0; y < 64; y++) {
        x0[y] = 0;
        x1[y] = 64;
    }
    mg_mask m = {cover, 64, 64, 0, 64, x0, x1};
    const mg_rgba colours[] = {{200, 30, 90, 255}, {10, 250, 120, 77},
                               {255, 255, 255, 1}, {0, 0, 0, 254}};
    for (size_t k = 0; k < 4; k++) {
        uint8_t *before = malloc(64 * 64 * 4);
        memcpy(before, c->rgba, 64 * 64 * 4);
        CHECK_INT(mg_tiles_composite_mask(c, &m, colours[k]), MG_OK);
        for (int i = 0; i < 64 * 64; i++) {
            uint8_t want[4];
            expected_over(before + 4 * i, colours[k], cover[i], want);
            if (memcmp(want, c->rgba + 4 * i, 4) != 0)
                bad++;
        }
        free(before);
    }
    CHECK_INT(bad, 0);
    m.width = 63;
    CHECK_INT(mg_tiles_composite_mask(c, &m, colours[0]), MG_ERR_USAGE);
    mg_tiles_clear_canvas(c, (mg_rgba){1, 2, 3, 0});
    CHECK(mg_tiles_is_transparent(c));
    CHECK_INT(c->rgba[4 * 100], 1);
    mg_canvas_free(c);
}

/* A provider dot: fill inside, outline on the edge, nothing outside. */
static void test_dot(void)
{
    mg_canvas *c = mg_canvas_new(W, H);
    mg_raster *r = mg_raster_new(W, H);
    const mg_rgba fill = {230, 80, 20, 255}, line = {255, 255, 255, 255};
    CHECK_INT(mg_tiles_draw_dot(c, r, 60.5, 70.5, 8.0, fill, 2.0, line), MG_OK);
    const uint8_t *centre = c->rgba + (70 * W + 60) * 4;
    CHECK(centre[0] == 230 && centre[1] == 80 && centre[3] == 255);
    const uint8_t *edge = c->rgba + (70 * W + 68) * 4; /* radius 7.5..8.5 */
    CHECK(edge[0] == 255 && edge[1] == 255 && edge[3] == 255);
    CHECK_INT(c->rgba[(70 * W + 75) * 4 + 3], 0);
    CHECK(!mg_tiles_is_transparent(c));

    mg_raster *small = mg_raster_new(8, 8);
    CHECK_INT(mg_tiles_draw_dot(c, small, 1, 1, 1, fill, 0, line),
              MG_ERR_USAGE);
    mg_raster_free(small);
    mg_raster_free(r);
    mg_canvas_free(c);
}

int main(void)
{
    ref_init();
    mg_raster *r = mg_raster_new(W, H);
    CHECK(r != NULL);
    worst_diff w = {0.0, 0.0};
    test_by_hand(r);
    test_strokes_by_hand(r);
    test_polygons(r, &w);
    test_self_intersecting(r, &w);
    test_strokes(r, &w);
    test_circles(r, &w);
    test_translation(r);
    test_errors(r);
    test_composite();
    test_dot();
    printf("largest difference from GDAL (16x16 supersampled): %.3f/255 in "
           "pixels one edge passes through (tolerance %.1f), %.3f/255 in "
           "any pixel but self-intersections (tolerance %.1f per edge + 0.5)\n",
           w.one_edge, 0.5 + EDGE_TOL, w.any, EDGE_TOL);
    mg_raster_free(r);
    ref_finish();
    CHECK_DONE();
}
