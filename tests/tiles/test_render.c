/*
 * The pyramid renderer (tiles/render*.c): shared arcs, borders without
 * cracks after simplification, only touched tiles enumerated (checked
 * against a brute-force test of every tile of the bounding box), output
 * independent of the number of threads, empty tiles not written,
 * duplicates counted, resume and cancellation.
 */
#include "check.h"
#include "tiles/store.h"
#include "render_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- WKB built by hand -------------------------------------------------- */

typedef struct wkb {
    unsigned char *p;
    size_t n, cap;
} wkb;

static void put(wkb *w, const void *v, size_t n)
{
    if (w->n + n > w->cap) {
        w->cap = 2 * (w->n + n) + 64;
        w->p = realloc(w->p, w->cap);
    }
    memcpy(w->p + w->n, v, n);
    w->n += n;
}

static void put_u32(wkb *w, uint32_t v)
{
    put(w, &v, 4); /* the tests run little-endian, as the byte order says */
}

/* A polygon of rings given as lon lat pairs (not closed: closed here). */
static void polygon(wkb *w, const double *const *rings, const size_t *n,
                    size_t n_rings)
{
    unsigned char le = 1;
    put(w, &le, 1);
    put_u32(w, 3);
    put_u32(w, (uint32_t)n_rings);
    for (size_t r = 0; r < n_rings; r++) {
        put_u32(w, (uint32_t)n[r] + 1);
        put(w, rings[r], 16 * n[r]);
        put(w, rings[r], 16);
    }
}

static mg_shapes *shapes_of(wkb *w, size_t n)
{
    const unsigned char **p = calloc(n, sizeof *p);
    size_t *s = calloc(n, sizeof *s);
    for (size_t i = 0; i < n; i++) {
        p[i] = w[i].p;
        s[i] = w[i].n;
    }
    mg_shapes *sh = NULL;
    mg_error err;
    int rc = mg_shapes_new_polygons(p, s, n, &sh, &err);
    CHECK_INT(rc, MG_OK);
    free(p);
    free(s);
    return sh;
}

/* ---- sinks -------------------------------------------------------------- */

typedef struct rec {
    int z;
    uint32_t x, y;
    unsigned char *png;
    size_t size;
} rec;

typedef struct mem_sink {
    rec *r;
    size_t n;
    int has_until;           /* has_tile says yes to the first k tiles asked */
    int asked;
} mem_sink;

static int mem_put(void *u, int z, uint32_t x, uint32_t y,
                   const unsigned char *png, size_t size, mg_error *err)
{
    (void)err;
    mem_sink *m = u;
    m->r = realloc(m->r, (m->n + 1) * sizeof *m->r);
    m->r[m->n].z = z;
    m->r[m->n].x = x;
    m->r[m->n].y = y;
    m->r[m->n].png = malloc(size);
    memcpy(m->r[m->n].png, png, size);
    m->r[m->n].size = size;
    m->n++;
    return MG_OK;
}

static int mem_has(void *u, int z, uint32_t x, uint32_t y)
{
    (void)z;
    (void)x;
    (void)y;
    mem_sink *m = u;
    return m->asked++ < m->has_until;
}

static void mem_clear(mem_sink *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->r[i].png);
    free(m->r);
    memset(m, 0, sizeof *m);
}

static int same_output(const mem_sink *a, const mem_sink *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->r[i].z != b->r[i].z || a->r[i].x != b->r[i].x ||
            a->r[i].y != b->r[i].y || a->r[i].size != b->r[i].size ||
            memcmp(a->r[i].png, b->r[i].png, a->r[i].size) != 0)
            return 0;
    return 1;
}

static mg_render_options options(int z0, int z1, int threads)
{
    mg_render_options o;
    memset(&o, 0, sizeof o);
    o.minzoom = z0;
    o.maxzoom = z1;
    o.tile_size = 256;
    o.threads = threads;
    o.png_level = 6;
    return o;
}

/* ---- fixtures ----------------------------------------------------------- */

/* The clean fixture's six 0.1 degree squares (tests/fixtures/README.md). */
static mg_shapes *six_squares(void)
{
    static const double xs[4] = {25.0, 25.1, 25.2, 25.3};
    static const double ys[3] = {45.2, 45.1, 45.0};
    wkb w[6];
    memset(w, 0, sizeof w);
    for (int j = 0; j < 2; j++)
        for (int i = 0; i < 3; i++) {
            double ring[8] = {xs[i], ys[j + 1], xs[i + 1], ys[j + 1],
                              xs[i + 1], ys[j], xs[i], ys[j]};
            const double *rings[1] = {ring};
            size_t n[1] = {4};
            polygon(&w[3 * j + i], rings, n, 1);
        }
    mg_shapes *s = shapes_of(w, 6);
    for (int i = 0; i < 6; i++)
        free(w[i].p);
    return s;
}

/* Two regions sharing a jagged border of many small steps, so that
 * simplification at low zooms changes the border a lot. */
static mg_shapes *jagged_pair(void)
{
    enum { STEPS = 400 };
    double *border = malloc(2 * (STEPS + 1) * sizeof *border);
    for (int k = 0; k <= STEPS; k++) {
        border[2 * k] = 10.0 + 0.02 * sin(k * 0.7) + 0.01 * cos(k * 3.1);
        border[2 * k + 1] = 40.0 + 4.0 * k / STEPS;
    }
    /* west: from the border's top down the border, then the west edge */
    double *west = malloc(2 * (STEPS + 3) * sizeof *west);
    double *east = malloc(2 * (STEPS + 3) * sizeof *east);
    size_t nw = 0, ne = 0;
    for (int k = 0; k <= STEPS; k++) {
        west[2 * nw] = border[2 * k];
        west[2 * nw++ + 1] = border[2 * k + 1];
    }
    west[2 * nw] = 6.0;
    west[2 * nw++ + 1] = 44.0;
    west[2 * nw] = 6.0;
    west[2 * nw++ + 1] = 40.0;
    for (int k = STEPS; k >= 0; k--) {
        east[2 * ne] = border[2 * k];
        east[2 * ne++ + 1] = border[2 * k + 1];
    }
    east[2 * ne] = 14.0;
    east[2 * ne++ + 1] = 40.0;
    east[2 * ne] = 14.0;
    east[2 * ne++ + 1] = 44.0;
    wkb w[2];
    memset(w, 0, sizeof w);
    const double *r0[1] = {west}, *r1[1] = {east};
    polygon(&w[0], r0, &nw, 1);
    polygon(&w[1], r1, &ne, 1);
    mg_shapes *s = shapes_of(w, 2);
    free(w[0].p);
    free(w[1].p);
    free(border);
    free(west);
    free(east);
    return s;
}

/* ---- tests -------------------------------------------------------------- */

static void test_arcs(void)
{
    mg_shapes *s = six_squares();
    /* 17 grid edges, of which the 4 pairs meeting at the outer corners are
     * one arc each: 13 arcs; each ring of 4 or 3 arcs. */
    CHECK_INT(s->n_arcs, 13);
    CHECK_INT(s->n_refs, 20);
    /* Every arc is used once or twice (a border between two squares). */
    int uses[13] = {0}, twice = 0;
    for (size_t i = 0; i < s->n_refs; i++) {
        int32_t r = s->refs[i];
        uses[r < 0 ? ~r : r]++;
    }
    for (int a = 0; a < 13; a++) {
        CHECK(uses[a] == 1 || uses[a] == 2);
        twice += uses[a] == 2;
    }
    CHECK_INT(twice, 7);
    mg_tile_bounds b;
    CHECK(mg_shapes_get_bounds(s, &b));
    CHECK_NEAR(b.west, 25.0, 1e-9);
    CHECK_NEAR(b.north, 45.2, 1e-9);
    CHECK_INT(mg_shapes_suggest_maxzoom(s, 64.0, 256, 12), 10);
    mg_shapes_free(s);
}

/* Two regions of one colour, and of two colours, at zooms where the
 * border is simplified hard: every pixel well inside the union is opaque,
 * so no crack opened between them. */
static void test_no_cracks(void)
{
    mg_shapes *s = jagged_pair();
    CHECK_INT(s->n_arcs, 3);
    mg_rgba one[2] = {{200, 0, 0, 255}, {200, 0, 0, 255}};
    mg_rgba two[2] = {{200, 0, 0, 255}, {0, 0, 200, 255}};
    mg_canvas *c = mg_canvas_new(256, 256);
    for (int pass = 0; pass < 2; pass++) {
        mg_render_layer l = {s, 0, 30, pass ? two : one, {0, 0, 0, 0}, 0.0,
                             0.0};
        for (int z = 4; z <= 8; z++) {
            /* the tiles around lon 10, lat 42 */
            uint32_t tx, ty;
            mg_tiles_locate_tile(10.0, 42.0, z, &tx, &ty);
            mg_error err;
            CHECK_INT(mg_render_tile(&l, 1, z, tx, ty, 256, c, &err), MG_OK);
            mg_tile_transform t;
            mg_tiles_get_transform(z, tx, ty, 256, &t);
            long holes = 0, inside = 0;
            for (int y = 0; y < 256; y++)
                for (int x = 0; x < 256; x++) {
                    double mx = t.origin_x + (x + 0.5) / t.scale;
                    double my = t.origin_y - (y + 0.5) / t.scale;
                    double lon, lat;
                    mg_tiles_unproject_metres(mx, my, &lon, &lat);
                    /* well inside the union (6..14 E, 40..44 N) */
                    double m = 2.0 * 360.0 / (256.0 * ldexp(1.0, z));
                    if (lon < 6 + m || lon > 14 - m || lat < 40 + m ||
                        lat > 44 - m)
                        continue;
                    inside++;
                    holes += c->rgba[(size_t)y * c->stride + 4 * x + 3] != 255;
                }
            CHECK(inside > 1000);
            CHECK_INT(holes, 0);
        }
    }
    mg_canvas_free(c);
    mg_shapes_free(s);
}

/* Brute force: does segment a-b meet the box [x0, x1] x [y0, y1]?
 * (Liang-Barsky clipping.) */
static int segment_meets_box(const double *a, const double *b, double x0,
                             double y0, double x1, double y1)
{
    double t0 = 0.0, t1 = 1.0, dx = b[0] - a[0], dy = b[1] - a[1];
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {a[0] - x0, x1 - a[0], a[1] - y0, y1 - a[1]};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0)
                return 0;
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0.0 && r > t0)
            t0 = r;
        if (p[i] > 0.0 && r < t1)
            t1 = r;
        if (t0 > t1)
            return 0;
    }
    return 1;
}

static int point_in_rings(double x, double y, double *const *rings,
                          const size_t *n, size_t n_rings)
{
    int in = 0;
    for (size_t r = 0; r < n_rings; r++)
        for (size_t i = 0, j = n[r] - 1; i < n[r]; j = i++) {
            const double *p = rings[r] + 2 * i, *q = rings[r] + 2 * j;
            if ((p[1] > y) != (q[1] > y) &&
                x < (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]) + p[0])
                in = !in;
        }
    return in;
}

/* The number of tiles of the bounding box at zoom z whose square grown by
 * b meets the polygon (rings in lon/lat), by testing every one. */
static long brute_force(const double *const *ll, const size_t *n,
                        size_t n_rings, int z, double b, long *bbox_tiles)
{
    double *px[4];
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t r = 0; r < n_rings; r++) {
        px[r] = malloc(2 * n[r] * sizeof *px[r]);
        for (size_t i = 0; i < n[r]; i++) {
            mg_tiles_locate_pixel(ll[r][2 * i], ll[r][2 * i + 1], z, 256,
                                  &px[r][2 * i], &px[r][2 * i + 1]);
            x0 = fmin(x0, px[r][2 * i]);
            x1 = fmax(x1, px[r][2 * i]);
            y0 = fmin(y0, px[r][2 * i + 1]);
            y1 = fmax(y1, px[r][2 * i + 1]);
        }
    }
    long c0 = (long)floor((x0 - b) / 256), c1 = (long)floor((x1 + b) / 256);
    long r0 = (long)floor((y0 - b) / 256), r1 = (long)floor((y1 + b) / 256);
    long count = 0;
    for (long r = r0; r <= r1; r++)
        for (long c = c0; c <= c1; c++) {
            double bx0 = c * 256.0 - b, by0 = r * 256.0 - b;
            double bx1 = (c + 1) * 256.0 + b, by1 = (r + 1) * 256.0 + b;
            int hit = point_in_rings((c + 0.5) * 256.0, (r + 0.5) * 256.0,
                                     px, n, n_rings);
            for (size_t k = 0; k < n_rings && !hit; k++)
                for (size_t i = 0; i < n[k] && !hit; i++)
                    hit = segment_meets_box(px[k] + 2 * i,
                                            px[k] + 2 * ((i + 1) % n[k]),
                                            bx0, by0, bx1, by1);
            count += hit;
        }
    *bbox_tiles = (c1 - c0 + 1) * (r1 - r0 + 1);
    for (size_t r = 0; r < n_rings; r++)
        free(px[r]);
    return count;
}

static void check_touched(const double *const *ll, const size_t *n,
                          size_t n_rings, int z, double outline)
{
    wkb w = {0};
    polygon(&w, ll, n, n_rings);
    mg_shapes *s = shapes_of(&w, 1);
    mg_rgba fill[1] = {{10, 120, 200, 255}};
    mg_render_layer l = {s, 0, 30, fill, {0, 0, 0, 255}, outline, 0.0};
    mg_render_options o = options(z, z, 2);
    mem_sink m = {0};
    mg_render_sink sink = {NULL, mem_put, &m};
    mg_render_stats st;
    mg_error err;
    CHECK_INT(mg_render_pyramid(&l, 1, &o, &sink, 1, &st, &err), MG_OK);
    long bbox;
    long expect = brute_force(ll, n, n_rings, z,
                              mg_render_get_buffer(&l, 256), &bbox);
    CHECK_INT(st.zoom[z].tiles, expect);
    CHECK_INT(st.zoom[z].written + st.zoom[z].empty, st.zoom[z].tiles);
    CHECK_INT((long)m.n, st.zoom[z].written);
    fprintf(stderr, "  z%d: %ld tiles touched of %ld in the bounding box\n",
            z, st.zoom[z].tiles, bbox);
    mem_clear(&m);
    mg_shapes_free(s);
    free(w.p);
}

/* A long thin diagonal: the tiles visited are exactly those it touches,
 * far fewer than its bounding box holds. */
static void test_touched_tiles(void)
{
    double thin[8] = {20.0, 40.0, 20.004, 40.0, 30.004, 48.0, 30.0, 48.0};
    const double *r1[1] = {thin};
    size_t n1[1] = {4};
    check_touched(r1, n1, 1, 12, 1.0);
    long bbox;
    long touched = brute_force(r1, n1, 1, 12, 0.55, &bbox);
    CHECK(touched * 20 < bbox);
    /* A frame: a square with a square hole; tiles inside the hole are not
     * visited, tiles inside the frame are (as interior tiles). */
    double outer[8] = {0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0};
    double hole[8] = {0.2, 0.2, 0.2, 0.8, 0.8, 0.8, 0.8, 0.2};
    const double *r2[2] = {outer, hole};
    size_t n2[2] = {4, 4};
    check_touched(r2, n2, 2, 10, 0.0);
    check_touched(r2, n2, 2, 11, 3.0);
}

static mg_render_layer services_like(mg_shapes *sq, mg_shapes *pts,
                                     mg_rgba *fill, mg_rgba *dots,
                                     mg_render_layer *l)
{
    l[0] = (mg_render_layer){sq, 0, 30, fill, {255, 255, 255, 255}, 0.5, 0};
    l[1] = (mg_render_layer){sq, 7, 30, NULL, {60, 60, 60, 255}, 1.0, 0};
    l[2] = (mg_render_layer){pts, 8, 30, dots, {255, 255, 255, 255}, 0.8, 3};
    return l[0];
}

/* -j 1, -j 2 and -j 3 hand the same bytes to the sinks in the same order. */
static void test_threads(void)
{
    mg_shapes *sq = six_squares();
    double ll[8] = {25.05, 45.15, 25.15, 45.05, 25.27, 45.12, NAN, NAN};
    mg_shapes *pts;
    mg_error err;
    CHECK_INT(mg_shapes_new_points(ll, 4, &pts, &err), MG_OK);
    mg_rgba fill[6] = {{255, 255, 178, 255}, {254, 204, 92, 255},
                       {253, 141, 60, 255}, {240, 59, 32, 255},
                       {189, 0, 38, 255}, {0, 0, 0, 0}};
    mg_rgba dots[4] = {{27, 158, 119, 255}, {217, 95, 2, 255},
                       {117, 112, 179, 255}, {0, 0, 0, 255}};
    mg_render_layer l[3];
    services_like(sq, pts, fill, dots, l);
    mem_sink out[3];
    memset(out, 0, sizeof out);
    for (int t = 0; t < 3; t++) {
        mg_render_options o = options(5, 12, t + 1);
        mg_render_sink sink = {NULL, mem_put, &out[t]};
        CHECK_INT(mg_render_pyramid(l, 3, &o, &sink, 1, NULL, &err), MG_OK);
    }
    CHECK(out[0].n > 20);
    CHECK(same_output(&out[0], &out[1]));
    CHECK(same_output(&out[0], &out[2]));
    /* (z, y, x) order */
    for (size_t i = 1; i < out[0].n; i++) {
        const rec *a = &out[0].r[i - 1], *b = &out[0].r[i];
        CHECK(a->z < b->z || (a->z == b->z && (a->y < b->y ||
                                                (a->y == b->y && a->x < b->x))));
    }
    /* mg_render_tile() draws what the pyramid wrote. */
    mg_canvas *c = mg_canvas_new(256, 256), *d = NULL;
    const rec *r = &out[0].r[out[0].n / 2];
    CHECK_INT(mg_render_tile(l, 3, r->z, r->x, r->y, 256, c, &err), MG_OK);
    CHECK_INT(mg_tiles_decode_png(r->png, r->size, &d, &err), MG_OK);
    CHECK(d && memcmp(c->rgba, d->rgba, 256 * 256 * 4) == 0);
    mg_canvas_free(c);
    mg_canvas_free(d);
    for (int t = 0; t < 3; t++)
        mem_clear(&out[t]);
    mg_shapes_free(pts);
    mg_shapes_free(sq);
}

/* Transparent tiles are not written; identical tiles are counted. */
static void test_empty_and_duplicates(void)
{
    mg_shapes *sq = six_squares();
    mg_rgba clear[6] = {{0, 0, 0, 0}};
    mg_rgba same[6] = {{90, 90, 90, 255}, {90, 90, 90, 255},
                       {90, 90, 90, 255}, {90, 90, 90, 255},
                       {90, 90, 90, 255}, {90, 90, 90, 255}};
    mg_render_layer l = {sq, 0, 30, clear, {0, 0, 0, 0}, 0.0, 0.0};
    mg_render_options o = options(6, 14, 2);
    mem_sink m = {0};
    mg_render_sink sink = {NULL, mem_put, &m};
    mg_render_stats st;
    mg_error err;
    CHECK_INT(mg_render_pyramid(&l, 1, &o, &sink, 1, &st, &err), MG_OK);
    long tiles = 0, empty = 0;
    for (int z = 6; z <= 14; z++) {
        tiles += st.zoom[z].tiles;
        empty += st.zoom[z].empty;
    }
    CHECK(tiles > 100);
    CHECK_INT(empty, tiles);
    CHECK_INT((long)m.n, 0);
    /* One grey block: at zoom 14 most tiles lie inside and are equal. */
    l.fill = same;
    CHECK_INT(mg_render_pyramid(&l, 1, &o, &sink, 1, &st, &err), MG_OK);
    long written = 0, dup = 0;
    for (int z = 6; z <= 14; z++) {
        written += st.zoom[z].written;
        dup += st.zoom[z].duplicates;
    }
    CHECK_INT((long)m.n, written);
    /* distinct PNGs among those written */
    long distinct = 0;
    for (size_t i = 0; i < m.n; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = m.r[k].size == m.r[i].size &&
                   !memcmp(m.r[k].png, m.r[i].png, m.r[i].size);
        distinct += !seen;
    }
    CHECK_INT(dup, written - distinct);
    CHECK(dup > written / 2);
    mem_clear(&m);
    mg_shapes_free(sq);
}

/* A tile inside one region is painted without clearing the canvas first
 * (render.c); the tiles after it on the same worker must not show what it
 * left.  One thread, so one canvas draws every tile in turn: each tile
 * must decode to exactly what mg_render_tile() draws on a fresh canvas. */
static void test_no_clear(void)
{
    mg_shapes *sq = six_squares();
    mg_rgba fill[6] = {{200, 0, 0, 255},   {0, 0, 0, 0},
                       {0, 90, 200, 128},  {10, 200, 10, 255},
                       {250, 250, 0, 255}, {0, 0, 0, 0}};
    mg_render_layer l = {sq, 0, 30, fill, {0, 0, 0, 0}, 0.0, 0.0};
    mg_render_options o = options(8, 13, 1);
    mem_sink m = {0};
    mg_render_sink sink = {NULL, mem_put, &m};
    mg_render_stats st;
    mg_error err;
    CHECK_INT(mg_render_pyramid(&l, 1, &o, &sink, 1, &st, &err), MG_OK);
    mg_canvas *c = mg_canvas_new(256, 256);
    long bad = 0, solid = 0;
    for (size_t i = 0; i < m.n && c; i++) {
        mg_canvas *got = NULL;
        CHECK_INT(mg_tiles_decode_png(m.r[i].png, m.r[i].size, &got, &err),
                  MG_OK);
        memset(c->rgba, 0x5a, c->stride * 256); /* anything but clear */
        CHECK_INT(mg_render_tile(&l, 1, m.r[i].z, m.r[i].x, m.r[i].y, 256,
                                 c, &err), MG_OK);
        bad += !got || memcmp(got->rgba, c->rgba, c->stride * 256) != 0;
        solid += got && memcmp(got->rgba, got->rgba + 4, 4 * 255) == 0 &&
                 memcmp(got->rgba, got->rgba + 255 * got->stride, 4) == 0;
        mg_canvas_free(got);
    }
    CHECK_INT(bad, 0);
    /* the case in question happened, among others */
    CHECK(solid > 10 && solid < (long)m.n);
    mg_canvas_free(c);
    mem_clear(&m);
    mg_shapes_free(sq);
}

static int cancel_after(const mg_render_progress *p, void *user)
{
    (void)user;
    return p->done < 5;
}

/* Resuming: tiles a sink holds are neither rendered nor written again.
 * Cancelling from the progress callback stops with MG_ERR_INTERRUPTED. */
static void test_resume_and_cancel(void)
{
    mg_shapes *sq = six_squares();
    mg_rgba fill[6] = {{255, 255, 178, 255}, {254, 204, 92, 255},
                       {253, 141, 60, 255}, {240, 59, 32, 255},
                       {189, 0, 38, 255}, {1, 2, 3, 255}};
    mg_render_layer l = {sq, 0, 30, fill, {255, 255, 255, 255}, 0.5, 0};
    mg_render_options o = options(8, 12, 2);
    mem_sink all = {0}, rest = {0};
    mg_render_sink s1 = {NULL, mem_put, &all};
    mg_render_stats st;
    mg_error err;
    CHECK_INT(mg_render_pyramid(&l, 1, &o, &s1, 1, &st, &err), MG_OK);
    rest.has_until = 7;
    o.resume = 1;
    mg_render_sink s2 = {mem_has, mem_put, &rest};
    CHECK_INT(mg_render_pyramid(&l, 1, &o, &s2, 1, &st, &err), MG_OK);
    long before = 0;
    for (int z = 8; z <= 12; z++)
        before += st.zoom[z].done_before;
    CHECK_INT(before, 7);
    CHECK_INT((long)rest.n, (long)all.n - 7);
    for (size_t i = 0; i < rest.n && i + 7 < all.n; i++)
        CHECK(rest.r[i].size == all.r[i + 7].size &&
              !memcmp(rest.r[i].png, all.r[i + 7].png, rest.r[i].size));
    o.resume = 0;
    o.progress = cancel_after;
    mem_sink part = {0};
    mg_render_sink s3 = {NULL, mem_put, &part};
    CHECK_INT(mg_render_pyramid(&l, 1, &o, &s3, 1, &st, &err),
              MG_ERR_INTERRUPTED);
    CHECK(part.n <= 5);
    mem_clear(&all);
    mem_clear(&rest);
    mem_clear(&part);
    mg_shapes_free(sq);
}

/* The first and the last progress report of a run. */
typedef struct reports {
    long n, first_total, last_done, last_total;
    long stop_after; /* 0: never cancel */
} reports;

static int record(const mg_render_progress *p, void *user)
{
    reports *r = user;
    if (r->n++ == 0)
        r->first_total = p->total;
    r->last_done = p->done;
    r->last_total = p->total;
    return r->n < r->stop_after || r->stop_after == 0;
}

/* A polygon of one ring whose corners are the north-west corners of the
 * given zoom-15 tiles, as shapes. */
static mg_shapes *corners15(const uint32_t (*c)[2], size_t n)
{
    double ring[16];
    for (size_t i = 0; i < n && i < 8; i++) {
        mg_tile_bounds b;
        mg_tiles_get_bounds(15, c[i][0], c[i][1], &b, NULL);
        ring[2 * i] = b.west;
        ring[2 * i + 1] = b.north;
    }
    const double *rings[1] = {ring};
    size_t np[1] = {n};
    wkb k = {0};
    polygon(&k, rings, np, 1);
    mg_shapes *s = shapes_of(&k, 1);
    free(k.p);
    return s;
}

/* The progress total without a counting pass: each zoom is estimated by
 * the tiles its features' boxes meet, the last report is exact.  The
 * shapes' corners lie a quarter of a zoom-13 tile inside tiles: x from
 * 4096.25 to 4235.75 and y from 2600.25 to 2739.75 in zoom-13 tiles (the
 * zoom-15 tiles 16385..16943 and 10401..10959), so their box meets 140 x
 * 140 = 19,600 tiles at zoom 13 and 70 x 70 = 4,900 at zoom 12 (2048.125
 * to 2117.875, 1300.125 to 1369.875): the first report of zooms 12-13
 * says 24,500.  The square fills its box, so that is its count too; the
 * triangle, half of it, touches fewer (its last report). */
static void test_progress_estimate(void)
{
    const uint32_t sq_c[4][2] = {
        {16385, 10959}, {16943, 10959}, {16943, 10401}, {16385, 10401}};
    const uint32_t tri_c[3][2] = {{16385, 10959}, {16943, 10959}, {16385, 10401}};
    mg_shapes *shapes[2] = {corners15(sq_c, 4), corners15(tri_c, 3)};
    for (int k = 0; k < 2; k++) {
        mg_rgba fill[1] = {{10, 20, 30, 255}};
        mg_render_layer l = {shapes[k], 0, 30, fill, {0, 0, 0, 0}, 0, 0};
        mg_render_options o = options(12, 13, 2);
        reports r = {0, 0, 0, 0, 0};
        o.progress = record;
        o.user = &r;
        mg_render_stats st;
        mg_error err;
        CHECK_INT(mg_render_pyramid(&l, 1, &o, NULL, 0, &st, &err), MG_OK);
        long tiles = st.zoom[12].tiles + st.zoom[13].tiles;
        CHECK_INT(r.first_total, 24500);
        CHECK_INT(r.last_total, tiles);
        CHECK_INT(r.last_done, tiles);
        if (k == 0) {
            CHECK_INT(st.zoom[12].tiles, 4900);
            CHECK_INT(st.zoom[13].tiles, 19600);
        } else {
            /* The hypotenuse runs from (2048.125, 1300.125) to (2117.875,
             * 1369.875) at zoom 12, y = x - 748: tile (2048 + d, 1300 + e)
             * meets the triangle when its corner (c, r + 1) lies on or
             * below the line, d <= e + 1 (on it: the corner touches, and
             * the buffer counts it).  For e = 0..68 that is e + 2 tiles,
             * for e = 69 all 70: 2 + ... + 70 + 70 = 2,554.  Zoom 13 the
             * same with 140: 2 + ... + 140 + 140 = 10,009. */
            CHECK_INT(st.zoom[12].tiles, 2554);
            CHECK_INT(st.zoom[13].tiles, 10009);
        }
        /* Zooms of the small end: the estimate is the count there. */
        o = options(8, 10, 2);
        o.progress = record;
        o.user = &r;
        r = (reports){0, 0, 0, 0, 0};
        CHECK_INT(mg_render_pyramid(&l, 1, &o, NULL, 0, &st, &err), MG_OK);
        tiles = st.zoom[8].tiles + st.zoom[9].tiles + st.zoom[10].tiles;
        CHECK(tiles > 0);
        if (k == 0)
            CHECK_INT(r.first_total, tiles);
        CHECK_INT(r.last_total, tiles);
        CHECK_INT(r.last_done, tiles);
        mg_shapes_free(shapes[k]);
    }
    /* A zoom whose boxes would mark more than 2^24 cells is taken as 4
     * times the zoom before: a square from 1001.25 to 5198.75 in zoom-13
     * tiles each way (zoom-15 tiles 4005 to 20795) spans tiles 500..2599
     * at zoom 12, 2,100 x 2,100 = 4,410,000, and 1001..5198 at zoom 13,
     * 4,198 x 4,198 = 17,623,204 > 16,777,216: estimated 4 x 4,410,000
     * instead, 22,050,000 in all (counted: 22,033,204).  Cancelled at the
     * first report. */
    const uint32_t big_c[4][2] = {
        {4005, 20795}, {20795, 20795}, {20795, 4005}, {4005, 4005}};
    mg_shapes *big = corners15(big_c, 4);
    mg_rgba fill[1] = {{10, 20, 30, 255}};
    mg_render_layer l = {big, 0, 30, fill, {0, 0, 0, 0}, 0, 0};
    mg_render_options o = options(12, 13, 2);
    reports r = {0, 0, 0, 0, 1};
    o.progress = record;
    o.user = &r;
    mg_render_stats st;
    mg_error err;
    CHECK_INT(mg_render_pyramid(&l, 1, &o, NULL, 0, &st, &err),
              MG_ERR_INTERRUPTED);
    CHECK_INT(r.first_total, 22050000);
    mg_shapes_free(big);
}

static void test_bad_input(void)
{
    unsigned char junk[5] = {1, 9, 0, 0, 0};
    const unsigned char *p[1] = {junk};
    size_t n[1] = {5};
    mg_shapes *s = NULL;
    mg_error err;
    CHECK_INT(mg_shapes_new_polygons(p, n, 1, &s, &err), MG_ERR_INPUT);
    CHECK(s == NULL);
    CHECK_INT(err.row, 0);
    mg_shapes *sq = six_squares();
    mg_render_layer l = {sq, 0, 30, NULL, {0, 0, 0, 255}, 1.0, 0};
    mg_render_options o = options(3, 2, 1);
    CHECK_INT(mg_render_pyramid(&l, 1, &o, NULL, 0, NULL, &err),
              MG_ERR_USAGE);
    o = options(0, 1, 0);
    CHECK_INT(mg_render_pyramid(&l, 1, &o, NULL, 0, NULL, &err),
              MG_ERR_USAGE);
    mg_shapes_free(sq);
}

/* Shards (docs/scale.md): the K ranges, rendered apart and put one after
 * another, are the whole pyramid, tile for tile and byte for byte, for
 * any K and thread count; with more tiles than shards none is empty. */
static void test_shards(void)
{
    mg_shapes *sq = six_squares();
    double ll[8] = {25.05, 45.15, 25.15, 45.05, 25.27, 45.12, NAN, NAN};
    mg_shapes *pts;
    mg_error err;
    CHECK_INT(mg_shapes_new_points(ll, 4, &pts, &err), MG_OK);
    mg_rgba fill[6] = {{255, 255, 178, 255}, {254, 204, 92, 255},
                       {253, 141, 60, 255}, {240, 59, 32, 255},
                       {189, 0, 38, 255}, {0, 0, 0, 0}};
    mg_rgba dots[4] = {{27, 158, 119, 255}, {217, 95, 2, 255},
                       {117, 112, 179, 255}, {0, 0, 0, 255}};
    mg_render_layer l[3];
    services_like(sq, pts, fill, dots, l);
    mem_sink whole = {0};
    mg_render_options o = options(5, 12, 2);
    mg_render_sink sink = {NULL, mem_put, &whole};
    CHECK_INT(mg_render_pyramid(l, 3, &o, &sink, 1, NULL, &err), MG_OK);
    CHECK(whole.n > 20);
    static const int ks[] = {1, 2, 3, 7};
    for (size_t ki = 0; ki < sizeof ks / sizeof *ks; ki++) {
        mem_sink parts = {0};
        for (int i = 0; i < ks[ki]; i++) {
            size_t before = parts.n;
            mg_render_options so = options(5, 12, i % 2 + 1);
            so.shard_index = i;
            so.shard_count = ks[ki];
            mg_render_sink ps = {NULL, mem_put, &parts};
            CHECK_INT(mg_render_pyramid(l, 3, &so, &ps, 1, NULL, &err),
                      MG_OK);
            CHECK(parts.n > before);
        }
        CHECK(same_output(&whole, &parts));
        mem_clear(&parts);
    }
    o.shard_count = 3;
    o.shard_index = 3;
    CHECK_INT(mg_render_pyramid(l, 3, &o, &sink, 1, NULL, &err),
              MG_ERR_USAGE);
    o.shard_index = -1;
    CHECK_INT(mg_render_pyramid(l, 3, &o, &sink, 1, NULL, &err),
              MG_ERR_USAGE);
    mem_clear(&whole);
    mg_shapes_free(pts);
    mg_shapes_free(sq);
}

int main(void)
{
    test_arcs();
    test_no_cracks();
    test_touched_tiles();
    test_threads();
    test_empty_and_duplicates();
    test_no_clear();
    test_resume_and_cancel();
    test_progress_estimate();
    test_bad_input();
    test_shards();
    CHECK_DONE();
}
