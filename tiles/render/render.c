/*
 * Drawing one tile of a map: the layers in order, each from the features
 * the tile index gave the tile.
 *
 * Fills: the features of one colour are accumulated together and resolved
 * once, so the borders between them cancel exactly.  On a transparent
 * canvas (the first layer drawn) the colours are then added rather than
 * laid over each other: for regions that tile the plane, the two coverages
 * of a pixel on a border add up to the whole pixel, and no background
 * shows through the seam (the "conflation" artefact of drawing each
 * polygon over the last).  Later fill layers are composited source-over.
 * Outlines: every arc (shared border) of the tile's features is stroked
 * once, all of them into one mask.  Parts of a ring or line that lie wholly
 * to one side of the tile are replaced by a straight segment (fills; exact,
 * see below) or left out (strokes), chunk by chunk.
 */
#include "render_internal.h"
#include "render_priv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rworker_init(rworker *w, int tile_size)
{
    memset(w, 0, sizeof *w);
    w->r = mg_raster_new(tile_size, tile_size);
    w->c = mg_canvas_new(tile_size, tile_size);
    return w->r && w->c ? MG_OK : MG_ERR_NOMEM;
}

void rworker_clear(rworker *w)
{
    mg_raster_free(w->r);
    mg_canvas_free(w->c);
    free(w->buf);
    free(w->stamp);
    free(w->groups);
    for (size_t i = 0; i < w->n_cache; i++)
        free(w->cache[i].png);
    mg_png_encoder_free(w->enc);
    memset(w, 0, sizeof *w);
}

static int reserve(rworker *w, size_t n)
{
    if (n <= w->cap)
        return 0;
    size_t c = w->cap ? w->cap : 1024;
    while (c < n)
        c *= 2;
    double *b = realloc(w->buf, 2 * c * sizeof *b);
    if (!b)
        return -1;
    w->buf = b;
    w->cap = c;
    return 0;
}

static unsigned div255(unsigned v)
{
    v += 128;
    return (v + (v >> 8)) >> 8;
}

/* One pixel of composite_add(): coverage k of colour col added to d. */
static void add_pixel(uint8_t *d, unsigned k, mg_rgba col)
{
    if (k == 0)
        return;
    unsigned a = col.a == 255 ? k : div255(col.a * k);
    if (a == 0)
        return;
    unsigned da = d[3];
    if (da == 0) {
        d[0] = col.r;
        d[1] = col.g;
        d[2] = col.b;
        d[3] = (uint8_t)a;
        return;
    }
    unsigned s = da + a;
    d[0] = (uint8_t)((d[0] * da + col.r * a + s / 2) / s);
    d[1] = (uint8_t)((d[1] * da + col.g * a + s / 2) / s);
    d[2] = (uint8_t)((d[2] * da + col.b * a + s / 2) / s);
    d[3] = (uint8_t)(s > 255 ? 255 : s);
}

/* Adds colour through m to a canvas that holds only this layer's other
 * colours: alphas add (clamped), colours mix in proportion.  Masks are
 * mostly runs of 0 (outside) and 255 (inside), taken 8 pixels at a time. */
static void composite_add(mg_canvas *c, const mg_mask *m, mg_rgba col)
{
    uint32_t px;
    const uint8_t bytes[4] = {col.r, col.g, col.b, col.a};
    memcpy(&px, bytes, 4);
    /* two pixels per word: their alpha bytes, and the colour twice */
    static const uint8_t alpha_bytes[8] = {0, 0, 0, 255, 0, 0, 0, 255};
    uint64_t alpha, px2 = (uint64_t)px << 32 | px;
    memcpy(&alpha, alpha_bytes, 8);
    for (int y = m->y0; y < m->y1; y++) {
        const uint8_t *cover = m->cover + (size_t)y * (size_t)m->width;
        uint8_t *row = c->rgba + (size_t)y * c->stride;
        int x = m->x0[y], end = m->x1[y];
        while (x < end) {
            if (x + 8 <= end) {
                uint64_t c8;
                memcpy(&c8, cover + x, 8);
                if (c8 == 0) {
                    x += 8;
                    continue;
                }
                if (c8 == ~0ull && col.a == 255) {
                    uint8_t *d = row + 4 * x;
                    uint64_t w[4];
                    memcpy(w, d, sizeof w);
                    if (((w[0] | w[1] | w[2] | w[3]) & alpha) == 0) {
                        for (int k = 0; k < 4; k++)
                            memcpy(d + 8 * k, &px2, 8);
                        x += 8;
                        continue;
                    }
                }
            }
            add_pixel(row + 4 * x, cover[x], col);
            x++;
        }
    }
}

/* 1 when chunk ch lies wholly outside the box [x0, x1] x [y0, y1]. */
static int chunk_outside(const zchunk *ch, double x0, double y0, double x1,
                         double y1)
{
    return ch->x1 < x0 || ch->x0 > x1 || ch->y1 < y0 || ch->y0 > y1;
}

/*
 * Ring `ring` in tile pixels into w->buf.  A chunk wholly left, right,
 * above or below the tile becomes the straight segment between its ends,
 * which lies on the same side: above or below, both draw nothing; right,
 * both only reach the spare cells past the last column; left, the
 * rasteriser moves both onto x = 0, where only their net height in each
 * row counts, and that is the same.  So the result is exact.
 */
static size_t ring_pixels(rworker *w, const zgeom *g, const shp_ring *ring,
                          double ox, double oy, double t)
{
    const mg_shapes *s = g->s;
    size_t n = 0;
    for (uint32_t k = 0; k < ring->n_refs; k++) {
        int32_t ref = s->refs[ring->ref0 + k];
        int rev = ref < 0;
        uint32_t a = rev ? (uint32_t)~ref : (uint32_t)ref;
        const zspan *sp = zgeom_arc(g, a);
        uint32_t c0 = sp->c0, c1 = sp->c1;
        if (reserve(w, n + sp->p1 - sp->p0 + 1))
            return SIZE_MAX;
        for (uint32_t i = 0; i < c1 - c0; i++) {
            const zchunk *ch = &g->chunks[rev ? c1 - 1 - i : c0 + i];
            uint32_t from = rev ? ch->p1 : ch->p0, to = rev ? ch->p0 : ch->p1;
            if (n == 0) {
                w->buf[0] = g->pts[2 * from] - ox;
                w->buf[1] = g->pts[2 * from + 1] - oy;
                n = 1;
            }
            if (chunk_outside(ch, ox, oy, ox + t, oy + t)) {
                w->buf[2 * n] = g->pts[2 * to] - ox;
                w->buf[2 * n + 1] = g->pts[2 * to + 1] - oy;
                n++;
                continue;
            }
            int step = rev ? -1 : 1;
            for (uint32_t j = from; j != to;) {
                j = (uint32_t)((int64_t)j + step);
                w->buf[2 * n] = g->pts[2 * j] - ox;
                w->buf[2 * n + 1] = g->pts[2 * j + 1] - oy;
                n++;
            }
        }
    }
    if (n > 1 && w->buf[0] == w->buf[2 * n - 2] &&
        w->buf[1] == w->buf[2 * n - 1])
        n--;
    return n;
}

/* The pairs [*a, *b) of tile t that belong to set. */
static int set_range(const band *b, const btile *t, uint32_t set, uint32_t *lo,
                     uint32_t *hi)
{
    uint32_t i = t->p0;
    while (i < t->p1 && b->pairs[i].set < set)
        i++;
    uint32_t j = i;
    while (j < t->p1 && b->pairs[j].set == set)
        j++;
    *lo = i;
    *hi = j;
    return i < j;
}

static int same_colour(mg_rgba a, mg_rgba b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

/* Adds feature f (every ring, or the whole tile when it is interior) to
 * the accumulation. */
static int add_feature(rworker *w, const zgeom *g, const tpair *p, double ox,
                       double oy, double t)
{
    if (p->interior) {
        double sq[8] = {-1, -1, t + 1, -1, t + 1, t + 1, -1, t + 1};
        mg_raster_add_ring(w->r, sq, 4, 1.0);
        return 0;
    }
    const mg_shapes *s = g->s;
    for (uint32_t k = s->ring0[p->feature]; k < s->ring0[p->feature + 1];
         k++) {
        size_t n = ring_pixels(w, g, &s->rings[k], ox, oy, t);
        if (n == SIZE_MAX)
            return -1;
        mg_raster_add_ring(w->r, w->buf, n, s->rings[k].sign);
    }
    return 0;
}

static int fill_layer(rworker *w, const rlayer *L, const zgeom *g,
                      const band *b, uint32_t lo, uint32_t hi, double ox,
                      double oy, int first)
{
    const mg_rgba *fill = L->l->fill;
    double t = g->tile_size;
    size_t n_groups = 0;
    /* A tile wholly inside one region (common at high zooms) is that
     * region's colour: no need to rasterise the square. */
    if (first && hi - lo == 1 && b->pairs[lo].interior) {
        mg_rgba c = fill[b->pairs[lo].feature];
        if (c.a > 0)
            mg_tiles_clear_canvas(w->c, c);
        return MG_OK;
    }
    if (hi - lo > w->cap_groups) {
        mg_rgba *gr = realloc(w->groups, (hi - lo) * sizeof *gr);
        if (!gr)
            return MG_ERR_NOMEM;
        w->groups = gr;
        w->cap_groups = hi - lo;
    }
    for (uint32_t i = lo; i < hi; i++) {
        mg_rgba c = fill[b->pairs[i].feature];
        if (c.a == 0)
            continue;
        size_t k = 0;
        while (k < n_groups && !same_colour(w->groups[k], c))
            k++;
        if (k == n_groups)
            w->groups[n_groups++] = c;
    }
    for (size_t k = 0; k < n_groups; k++) {
        mg_rgba c = w->groups[k];
        for (uint32_t i = lo; i < hi; i++) {
            if (!same_colour(fill[b->pairs[i].feature], c))
                continue;
            if (add_feature(w, g, &b->pairs[i], ox, oy, t)) {
                mg_raster_discard(w->r);
                return MG_ERR_NOMEM;
            }
        }
        mg_mask m;
        mg_raster_sweep(w->r, MG_FILL_NONZERO, &m);
        if (first)
            composite_add(w->c, &m, c);
        else
            mg_tiles_composite_mask(w->c, &m, c);
    }
    return MG_OK;
}

/* 1 when x lies on the antimeridian (global pixel 0 or the world's width):
 * within a thousandth of a pixel, what projecting ±180° may round to. */
static int on_antimeridian(const zgeom *g, double x)
{
    double w = g->tile_size * ldexp(1.0, g->z);
    return fabs(x) < 1e-3 || fabs(x - w) < 1e-3;
}

/* Adds one stroke; -1 only when out of memory.  A stroke the rasteriser
 * refuses (a coordinate past MG_TILES_MAX_COORD, which the readers stop
 * before it gets here) draws nothing. */
static int add_stroke(rworker *w, size_t m, int closed, const mg_stroke *st)
{
    return mg_raster_add_stroke(w->r, w->buf, m, closed, st) == MG_ERR_NOMEM
               ? -1
               : 0;
}

/* Strokes points [p0, p1] of g (closed: as a ring), minus every segment
 * that runs along the antimeridian: there a polygon was cut in two (Fiji,
 * Chukotka in Natural Earth), and the cut is no border to draw. */
static int stroke_run(rworker *w, const zgeom *g, uint32_t p0, uint32_t p1,
                      int closed, double ox, double oy, const mg_stroke *st)
{
    size_t n = p1 - p0 + 1, m = 0;
    int cut = 0;
    if (reserve(w, n))
        return -1;
    const double *p = g->pts + 2 * (size_t)p0;
    for (size_t j = 0; j < n; j++) {
        if (j > 0 && on_antimeridian(g, p[2 * j - 2]) &&
            on_antimeridian(g, p[2 * j])) {
            if (m > 1 && add_stroke(w, m, 0, st))
                return -1;
            closed = 0;
            cut = 1;
            m = 0;
        }
        w->buf[2 * m] = p[2 * j] - ox;
        w->buf[2 * m + 1] = p[2 * j + 1] - oy;
        m++;
    }
    if (closed)
        return add_stroke(w, m - 1, 1, st);
    /* A ring cut once or more: its pieces are open lines.  A piece of one
     * point is a cut's end, not a dot; an uncut run strokes as before. */
    if (cut && m < 2)
        return 0;
    return add_stroke(w, m, 0, st);
}

/* Strokes the parts of arc a that come within reach of the tile. */
static int stroke_arc(rworker *w, const zgeom *g, uint32_t a, double ox,
                      double oy, double reach, const mg_stroke *st)
{
    double t = g->tile_size;
    const zspan *sp = zgeom_arc(g, a);
    uint32_t c0 = sp->c0, c1 = sp->c1;
    uint32_t first = sp->p0, last = sp->p1 - 1;
    int closed = g->pts[2 * first] == g->pts[2 * last] &&
                 g->pts[2 * first + 1] == g->pts[2 * last + 1];
    uint32_t run0 = UINT32_MAX, run1 = 0;
    for (uint32_t i = c0; i <= c1; i++) {
        int visible =
            i < c1 && !chunk_outside(&g->chunks[i], ox - reach, oy - reach,
                                     ox + t + reach, oy + t + reach);
        if (visible) {
            if (run0 == UINT32_MAX)
                run0 = g->chunks[i].p0;
            run1 = g->chunks[i].p1;
            continue;
        }
        if (run0 == UINT32_MAX)
            continue;
        int whole = closed && run0 == first && run1 == last;
        if (stroke_run(w, g, run0, run1, whole, ox, oy, st))
            return -1;
        run0 = UINT32_MAX;
    }
    return 0;
}

static int stroke_layer(rworker *w, const rlayer *L, const zgeom *g,
                        const band *b, uint32_t lo, uint32_t hi, double ox,
                        double oy)
{
    const mg_shapes *s = g->s;
    if (s->n_arcs > w->cap_stamp) {
        uint32_t *st = realloc(w->stamp, s->n_arcs * sizeof *st);
        if (!st)
            return MG_ERR_NOMEM;
        memset(st + w->cap_stamp, 0, (s->n_arcs - w->cap_stamp) * sizeof *st);
        w->stamp = st;
        w->cap_stamp = s->n_arcs;
    }
    if (++w->now == 0) {
        memset(w->stamp, 0, w->cap_stamp * sizeof *w->stamp);
        w->now = 1;
    }
    mg_stroke st = {L->outline_width, MG_JOIN_ROUND, MG_CAP_ROUND, 4.0};
    double reach = 0.5 * L->outline_width + 1.0;
    for (uint32_t i = lo; i < hi; i++) {
        const tpair *p = &b->pairs[i];
        if (p->interior)
            continue;
        for (uint32_t k = s->ring0[p->feature]; k < s->ring0[p->feature + 1];
             k++) {
            const shp_ring *ring = &s->rings[k];
            for (uint32_t r = 0; r < ring->n_refs; r++) {
                int32_t ref = s->refs[ring->ref0 + r];
                uint32_t a = ref < 0 ? (uint32_t)~ref : (uint32_t)ref;
                if (w->stamp[a] == w->now)
                    continue;
                w->stamp[a] = w->now;
                if (stroke_arc(w, g, a, ox, oy, reach, &st)) {
                    mg_raster_discard(w->r);
                    return MG_ERR_NOMEM;
                }
            }
        }
    }
    mg_mask m;
    mg_raster_sweep(w->r, MG_FILL_NONZERO, &m);
    mg_tiles_composite_mask(w->c, &m, L->l->outline);
    return MG_OK;
}

static int dots_layer(rworker *w, const rlayer *L, const zgeom *g,
                      const band *b, uint32_t lo, uint32_t hi, double ox,
                      double oy)
{
    const mg_shapes *s = g->s;
    mg_rgba none = {0, 0, 0, 0};
    for (uint32_t i = lo; i < hi; i++) {
        uint32_t f = b->pairs[i].feature;
        mg_rgba fill = L->l->fill ? L->l->fill[f] : none;
        double ow = L->outline_width > 0.0 && L->l->outline.a > 0
                        ? L->outline_width
                        : 0.0;
        if (fill.a == 0 && ow == 0.0)
            continue;
        double x, y;
        zgeom_project(g, s->xy[2 * f], s->xy[2 * f + 1], &x, &y);
        int rc = mg_tiles_draw_dot(w->c, w->r, x - ox, y - oy, L->radius, fill,
                                   ow, L->l->outline);
        if (rc)
            return rc;
    }
    return MG_OK;
}

/* 1 when the first layer drawn on t fills all of it with one visible
 * colour (fill_layer()'s shortcut for a tile inside one region), which
 * then sets every pixel: clearing the canvas first would be wasted. */
static int painted_whole(const rzoom *zm, const band *b, const btile *t)
{
    for (size_t li = 0; li < zm->n_layers; li++) {
        const rlayer *L = &zm->layers[li];
        uint32_t lo, hi;
        if (!set_range(b, t, (uint32_t)L->set, &lo, &hi))
            continue;
        return !zm->sets[L->set].s->is_points && L->l->fill &&
               hi - lo == 1 && b->pairs[lo].interior &&
               L->l->fill[b->pairs[lo].feature].a > 0;
    }
    return 0;
}

int render_tile(rworker *w, const rzoom *zm, const band *b, const btile *t)
{
    mg_canvas *c = w->c;
    if (!painted_whole(zm, b, t))
        memset(c->rgba, 0, c->stride * (size_t)c->height);
    double size = zm->tile_size;
    double ox = t->x * size, oy = t->y * size;
    int first = 1;
    for (size_t li = 0; li < zm->n_layers; li++) {
        const rlayer *L = &zm->layers[li];
        uint32_t lo, hi;
        if (!set_range(b, t, (uint32_t)L->set, &lo, &hi))
            continue;
        const zgeom *g = &b->geo[L->set];
        int rc = MG_OK;
        if (g->s->is_points) {
            rc = dots_layer(w, L, g, b, lo, hi, ox, oy);
        } else {
            if (L->l->fill)
                rc = fill_layer(w, L, g, b, lo, hi, ox, oy, first);
            if (!rc && L->outline_width > 0.0 && L->l->outline.a > 0)
                rc = stroke_layer(w, L, g, b, lo, hi, ox, oy);
        }
        if (rc)
            return rc;
        first = 0;
    }
    return MG_OK;
}

double mg_render_get_buffer(const mg_render_layer *layer, int tile_size)
{
    if (!layer || !layer->shapes)
        return RENDER_BUFFER_EPS;
    double k = tile_size / 256.0, b = 0.0;
    if (layer->outline_width > 0.0 && layer->outline.a > 0)
        b = 0.5 * layer->outline_width * k;
    if (layer->shapes->is_points)
        b += layer->radius * k;
    return b + RENDER_BUFFER_EPS;
}

/* ---- zooms -------------------------------------------------------------- */

void rzoom_clear(rzoom *zm)
{
    if (!zm)
        return;
    for (size_t i = 0; i < zm->n_sets; i++)
        zgeom_clear(&zm->sets[i]);
    free(zm->sets);
    free(zm->layers);
    memset(zm, 0, sizeof *zm);
}

int rzoom_build(rzoom *zm, const mg_render_layer *layers, size_t n_layers,
                int z, int tile_size)
{
    memset(zm, 0, sizeof *zm);
    zm->z = z;
    zm->tile_size = tile_size;
    zm->layers = calloc(n_layers + 1, sizeof *zm->layers);
    zm->sets = calloc(n_layers + 1, sizeof *zm->sets);
    double *buffer = calloc(n_layers + 1, sizeof *buffer);
    const mg_shapes **shapes = calloc(n_layers + 1, sizeof *shapes);
    int rc = zm->layers && zm->sets && buffer && shapes ? MG_OK : MG_ERR_NOMEM;
    size_t n_sets = 0;
    double k = tile_size / 256.0;
    for (size_t i = 0; i < n_layers && !rc; i++) {
        const mg_render_layer *l = &layers[i];
        if (z < l->minzoom || z > l->maxzoom)
            continue;
        size_t s = 0;
        while (s < n_sets && shapes[s] != l->shapes)
            s++;
        if (s == n_sets) {
            shapes[n_sets++] = l->shapes;
            buffer[s] = 0.0;
        }
        double bf = mg_render_get_buffer(l, tile_size);
        buffer[s] = bf > buffer[s] ? bf : buffer[s];
        rlayer *L = &zm->layers[zm->n_layers++];
        L->l = l;
        L->set = s;
        L->outline_width = l->outline_width * k;
        L->radius = l->radius * k;
    }
    for (size_t s = 0; s < n_sets && !rc; s++)
        zgeom_init(&zm->sets[s], shapes[s], z, tile_size, buffer[s]);
    zm->n_sets = rc ? 0 : n_sets;
    free(buffer);
    free(shapes);
    return rc;
}
