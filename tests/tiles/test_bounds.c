/* Every loop over geometry bounded (docs/errors.md, "Bounded loops"): the
 * rasteriser, the stroker and the tile index fed pathological coordinates
 * (+-1e30, NaN, +-inf, a spike to 1e15 px, a million vertices inside one
 * pixel, zero-length edges) return promptly with an error or a finite,
 * bounded result.  The ctest TIMEOUT is what "promptly" means; the
 * sanitizers catch the undefined float-to-int conversions. */
#include "check.h"
#include "render_internal.h"
#include "tiles/raster.h"

#include <math.h>
#include <stdlib.h>

enum { W = 64 };

/* 1 when the mask is made of bytes within its own spans and canvas. */
static int mask_sane(const mg_mask *m)
{
    if (m->y0 < 0 || m->y1 > m->height || m->y0 > m->y1)
        return 0;
    for (int y = m->y0; y < m->y1; y++)
        if (m->x0[y] < 0 || m->x1[y] > m->width || m->x0[y] > m->x1[y])
            return 0;
    return 1;
}

static const double bad[] = {1e30, -1e30, NAN, INFINITY, -INFINITY, 1e300};

static void test_fill(mg_raster *r)
{
    mg_mask m;
    for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
        for (int k = 0; k < 6; k++) {
            double xy[8] = {1, 1, 60, 1, 60, 60, 1, 60};
            xy[k] = bad[b];
            mg_ring ring = {xy, 4};
            mg_polygon poly = {&ring, 1};
            CHECK_INT(mg_tiles_fill_polygons(r, &poly, 1, MG_FILL_NONZERO, &m),
                      MG_ERR_INPUT);
            /* The lower-level call skips such edges, draws within the
             * canvas and leaves the accumulation clean. */
            mg_raster_add_ring(r, xy, 4, 1.0);
            mg_raster_sweep(r, MG_FILL_NONZERO, &m);
            CHECK(mask_sane(&m));
        }
    }
    /* A spike to 1e15 px (MG_TILES_MAX_COORD, still accepted): clipped. */
    double spike[] = {10, 10, 20, 10, 15, 1e15, -1e15, 30};
    mg_ring ring = {spike, 4};
    mg_polygon poly = {&ring, 1};
    CHECK_INT(mg_tiles_fill_polygons(r, &poly, 1, MG_FILL_EVENODD, &m), MG_OK);
    CHECK(mask_sane(&m));
    /* Zero-length edges only, then repeated points in a triangle. */
    double dot[] = {5, 5, 5, 5, 5, 5, 5, 5};
    ring = (mg_ring){dot, 4};
    CHECK_INT(mg_tiles_fill_polygons(r, &poly, 1, MG_FILL_NONZERO, &m), MG_OK);
    CHECK(m.y0 == m.y1 || mask_sane(&m));
    /* A million vertices inside one pixel. */
    size_t n = 1000000;
    double *many = malloc(2 * n * sizeof *many);
    CHECK(many != NULL);
    if (!many)
        return;
    for (size_t i = 0; i < n; i++) {
        double a = 2.0 * 3.14159265358979 * (double)i / (double)n;
        many[2 * i] = 30.5 + 0.4 * cos(a * 7.0);
        many[2 * i + 1] = 30.5 + 0.4 * sin(a * 13.0);
    }
    ring = (mg_ring){many, n};
    CHECK_INT(mg_tiles_fill_polygons(r, &poly, 1, MG_FILL_EVENODD, &m), MG_OK);
    CHECK(mask_sane(&m));
    CHECK(m.y1 - m.y0 <= 2);
    mg_stroke st = {1.5, MG_JOIN_ROUND, MG_CAP_ROUND, 4.0};
    CHECK_INT(mg_tiles_stroke_line(r, many, n, 1, &st, &m), MG_OK);
    CHECK(mask_sane(&m));
    free(many);
}

static void test_stroke(mg_raster *r)
{
    mg_mask m;
    const mg_stroke styles[] = {{2.0, MG_JOIN_ROUND, MG_CAP_ROUND, 4.0},
                                {2.0, MG_JOIN_MITER, MG_CAP_SQUARE, 10.0},
                                {1e15, MG_JOIN_ROUND, MG_CAP_ROUND, 4.0}};
    for (size_t s = 0; s < sizeof styles / sizeof *styles; s++) {
        for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
            for (int k = 0; k < 6; k++) {
                double xy[6] = {1, 1, 40, 20, 10, 60};
                xy[k] = bad[b];
                CHECK_INT(mg_tiles_stroke_line(r, xy, 3, k & 1, &styles[s], &m),
                          MG_ERR_INPUT);
                CHECK_INT(mg_raster_add_stroke(r, xy, 3, 0, &styles[s]),
                          MG_ERR_INPUT);
                mg_raster_sweep(r, MG_FILL_NONZERO, &m);
                CHECK(mask_sane(&m));
            }
        }
        /* A spike to 1e15 px, zero-length segments, a U-turn. */
        double spike[] = {10, 10, 10, 10, 20, 30, 20, 1e15, 20, 30, 5, 5};
        CHECK_INT(mg_tiles_stroke_line(r, spike, 6, 0, &styles[s], &m), MG_OK);
        CHECK(mask_sane(&m));
        CHECK_INT(mg_tiles_stroke_line(r, spike, 6, 1, &styles[s], &m), MG_OK);
        CHECK(mask_sane(&m));
    }
    CHECK_INT(mg_tiles_fill_circle(r, 1e15, 10, 1e15, &m), MG_OK);
    CHECK(mask_sane(&m));
    CHECK_INT(mg_tiles_fill_circle(r, NAN, 10, 5, &m), MG_ERR_INPUT);
    CHECK_INT(mg_tiles_stroke_circle(r, 10, 10, INFINITY, 2, &m),
              MG_ERR_INPUT);
}

/* ---- tile index --------------------------------------------------------- */

static unsigned char *square_wkb(double x0, double y0, double x1, double y1,
                                 size_t *size)
{
    double pts[10] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
    unsigned char *p = malloc(9 + 4 + sizeof pts), *q = p;
    uint32_t type = 3, rings = 1, n = 5;
    *q++ = 1;
    memcpy(q, &type, 4);
    memcpy(q + 4, &rings, 4);
    memcpy(q + 8, &n, 4);
    memcpy(q + 12, pts, sizeof pts);
    *size = 9 + 4 + sizeof pts;
    return p;
}

/* Builds the index of one square at zoom z after bending point `at` of the
 * zoom geometry to v (NaN, inf, 1e30 px: values the readers never let
 * through), and checks every tile found lies in the grid. */
static void index_one(double v, size_t at)
{
    size_t size;
    unsigned char *w = square_wkb(-10, -10, 10, 10, &size);
    const unsigned char *wp = w;
    mg_shapes *s = NULL;
    mg_error err;
    CHECK_INT(mg_shapes_new_polygons(&wp, &size, 1, &s, &err), MG_OK);
    free(w);
    if (!s)
        return;
    int z = 4;
    /* The bands simplify from the projected arcs: bend those. */
    if (at < s->arc0[s->n_arcs] * 2)
        s->pts[at] = v;
    zgeom g;
    zgeom_init(&g, s, z, 256, 2.0);
    zcache c;
    CHECK_INT(zcache_init(&c, &g), MG_OK);
    band b = {0};
    index_scratch sc = {0};
    tile_window win = {0, (1u << z) - 1, 0, (1u << z) - 1};
    CHECK_INT(band_build(&b, &sc, &c, &g, 1, z, 0, 1u << z, &win), MG_OK);
    CHECK(b.n_tiles <= (1u << z) * (1u << z));
    for (size_t i = 0; i < b.n_tiles; i++)
        CHECK(b.tiles[i].x < (1u << z) && b.tiles[i].y < (1u << z));
    band_clear(&b);
    index_scratch_clear(&sc);
    zcache_clear(&c);
    zgeom_clear(&g);
    mg_shapes_free(s);
}

static void test_index(void)
{
    const double vals[] = {NAN, INFINITY, -INFINITY, 1e30, -1e30, 1e15};
    for (size_t k = 0; k < sizeof vals / sizeof *vals; k++)
        for (size_t at = 0; at < 4; at++)
            index_one(vals[k], at);
    /* Longitudes the readers would stop (1e30, NaN) reaching the shapes. */
    size_t size;
    unsigned char *w = square_wkb(-1e30, -10, 1e30, 1e30, &size);
    const unsigned char *wp = w;
    mg_shapes *s = NULL;
    mg_error err;
    int rc = mg_shapes_new_polygons(&wp, &size, 1, &s, &err);
    if (rc == MG_OK) {
        zgeom g;
        zgeom_init(&g, s, 3, 256, 2.0);
        zcache c;
        CHECK_INT(zcache_init(&c, &g), MG_OK);
        band b = {0};
        index_scratch sc = {0};
        tile_window win = {0, 7, 0, 7};
        CHECK_INT(band_build(&b, &sc, &c, &g, 1, 3, 0, 8, &win), MG_OK);
        CHECK(b.n_tiles <= 64);
        band_clear(&b);
        index_scratch_clear(&sc);
        zcache_clear(&c);
        zgeom_clear(&g);
    }
    mg_shapes_free(s);
    free(w);
    w = square_wkb(NAN, -10, 10, 10, &size);
    wp = w;
    s = NULL;
    CHECK_INT(mg_shapes_new_polygons(&wp, &size, 1, &s, &err), MG_ERR_INPUT);
    mg_shapes_free(s);
    free(w);
}

int main(void)
{
    mg_raster *r = mg_raster_new(W, W);
    CHECK(r != NULL);
    if (r) {
        test_fill(r);
        test_stroke(r);
    }
    mg_raster_free(r);
    test_index();
    return check_failures != 0;
}
