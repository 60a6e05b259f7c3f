/*
 * One shape set at one zoom, band by band: the arcs in global pixels,
 * simplified by Douglas-Peucker with a tolerance of RENDER_SIMPLIFY_PX, and
 * cut into chunks with bounding boxes.  The ends of an arc (junctions,
 * where three regions meet or a shared border ends) are always kept, so two
 * regions that share an arc share its simplified form too: no cracks.
 *
 * A band of tile rows gets the arcs of the features that may draw in it.
 * Douglas-Peucker runs on the whole arc, so an arc's simplified form is the
 * same whichever band asks; the zoom's cache (zcache) keeps it from the
 * first band that reaches it to the last, so a long border crossing many
 * bands is simplified once per zoom, as before.  Each band copies what it
 * needs (workers read it while the cache moves on) and frees it when its
 * tiles are written.  An arc of such a feature that lies wholly above or
 * below the band is kept as the segment between its ends: every edge of
 * either lies outside every tile row of the band, where the rasteriser, the
 * strokes' chunk test and the index all ignore it, so the tiles are the
 * same bytes.
 */
#include "render_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Squared distance from (px, py) to the segment a-b. */
static double dist2(double px, double py, const double *a, const double *b)
{
    double dx = b[0] - a[0], dy = b[1] - a[1];
    double l2 = dx * dx + dy * dy;
    double t = l2 > 0.0 ? ((px - a[0]) * dx + (py - a[1]) * dy) / l2 : 0.0;
    t = t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
    double ex = a[0] + t * dx - px, ey = a[1] + t * dy - py;
    return ex * ex + ey * ey;
}

/* The index in (a, b) farthest from segment a-b and its squared distance. */
static size_t farthest(const double *p, size_t a, size_t b, double *d2)
{
    size_t best = a;
    double bd = -1.0;
    for (size_t i = a + 1; i < b; i++) {
        double d = dist2(p[2 * i], p[2 * i + 1], p + 2 * a, p + 2 * b);
        if (d > bd) {
            bd = d;
            best = i;
        }
    }
    *d2 = bd;
    return best;
}

/* Marks in keep the points Douglas-Peucker keeps between a and b. */
static int simplify_span(const double *p, size_t a, size_t b, double tol2,
                         uint8_t *keep, size_t **stack, size_t *cap)
{
    size_t top = 0;
    if (*cap < 2) {
        size_t *s = realloc(*stack, 64 * sizeof *s);
        if (!s)
            return -1;
        *stack = s;
        *cap = 64;
    }
    (*stack)[top++] = a;
    (*stack)[top++] = b;
    while (top > 0) {
        size_t j = (*stack)[--top], i = (*stack)[--top];
        if (j <= i + 1)
            continue;
        double d2;
        size_t f = farthest(p, i, j, &d2);
        if (d2 <= tol2)
            continue;
        keep[f] = 1;
        if (top + 4 > *cap) {
            size_t *s = realloc(*stack, 2 * *cap * sizeof *s);
            if (!s)
                return -1;
            *stack = s;
            *cap *= 2;
        }
        (*stack)[top++] = i;
        (*stack)[top++] = f;
        (*stack)[top++] = f;
        (*stack)[top++] = j;
    }
    return 0;
}

/* Douglas-Peucker over one arc of n points (render.h).  A closed arc
 * (first point = last) keeps the point farthest from its start and the
 * one farthest from that chord, so even an island below the tolerance
 * stays a triangle. */
int mg_render_simplify_line(const double *p, size_t n, double tol2,
                            uint8_t *keep, size_t **stack, size_t *cap)
{
    memset(keep, 0, n);
    keep[0] = keep[n - 1] = 1;
    if (n <= 2)
        return 0;
    int closed = p[0] == p[2 * n - 2] && p[1] == p[2 * n - 1];
    if (!closed)
        return simplify_span(p, 0, n - 1, tol2, keep, stack, cap);
    double d2;
    size_t f = farthest(p, 0, n - 1, &d2);
    keep[f] = 1;
    if (simplify_span(p, 0, f, tol2, keep, stack, cap) ||
        simplify_span(p, f, n - 1, tol2, keep, stack, cap))
        return -1;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        kept += keep[i];
    if (kept < 4 && n >= 4) {
        size_t best = 0;
        double bd = -1.0;
        for (size_t i = 1; i + 1 < n; i++) {
            if (i == f)
                continue;
            double d = dist2(p[2 * i], p[2 * i + 1], p, p + 2 * f);
            if (d > bd) {
                bd = d;
                best = i;
            }
        }
        if (best > 0)
            keep[best] = 1;
    }
    return 0;
}

/* A simplified arc in the cache: n_pts points (x y pairs) then n_chunks
 * chunks whose p0, p1 count from the arc's first point. */
struct zarc {
    uint32_t n_pts, n_chunks;
    double ymax; /* px: the arc's lowest point */
};

static double *zarc_pts(zarc *z)
{
    return (double *)(z + 1);
}

static zchunk *zarc_chunks(zarc *z)
{
    return (zchunk *)(zarc_pts(z) + 2 * (size_t)z->n_pts);
}

/* Chunks of points [first, last] of pts into out; returns their number. */
static uint32_t fill_chunks(const double *pts, uint32_t first, uint32_t last,
                            zchunk *out)
{
    uint32_t n = 0;
    for (uint32_t p0 = first; p0 < last; p0 += RENDER_CHUNK) {
        uint32_t p1 = p0 + RENDER_CHUNK < last ? p0 + RENDER_CHUNK : last;
        zchunk *c = &out[n++];
        c->p0 = p0;
        c->p1 = p1;
        c->x0 = c->y0 = INFINITY;
        c->x1 = c->y1 = -INFINITY;
        for (uint32_t i = p0; i <= p1; i++) {
            double x = pts[2 * i], y = pts[2 * i + 1];
            c->x0 = dmin(c->x0, x);
            c->x1 = dmax(c->x1, x);
            c->y0 = dmin(c->y0, y);
            c->y1 = dmax(c->y1, y);
        }
    }
    return n;
}

void zgeom_init(zgeom *g, const mg_shapes *s, int z, int tile_size,
                double buffer)
{
    memset(g, 0, sizeof *g);
    g->s = s;
    g->z = z;
    g->tile_size = tile_size;
    g->scale = tile_size * ldexp(1.0, z) / (2.0 * MG_TILES_HALF_WORLD);
    g->buffer = buffer;
}

void zgeom_clear(zgeom *g)
{
    free(g->pts);
    free(g->chunks);
    free(g->slot);
    free(g->span);
    memset(g, 0, sizeof *g);
}

/* Each arc's pixel y range at g's zoom into c->arc_y: floats, half the
 * size of doubles, rounded outwards, so a range only ever grows (an arc
 * is then simplified where it could have been two points, never the
 * reverse), whatever the zoom. */
static void arc_extents(zcache *c, const zgeom *g)
{
    const mg_shapes *s = g->s;
    for (size_t a = 0; a < s->n_arcs; a++) {
        double lo = INFINITY, hi = -INFINITY;
        for (uint32_t i = s->arc0[a]; i < s->arc0[a + 1]; i++) {
            lo = dmin(lo, s->pts[2 * i + 1]);
            hi = dmax(hi, s->pts[2 * i + 1]);
        }
        /* metres grow northwards, pixels southwards */
        float y0 = (float)((MG_TILES_HALF_WORLD - hi) * g->scale);
        float y1 = (float)((MG_TILES_HALF_WORLD - lo) * g->scale);
        c->arc_y[2 * a] = nextafterf(y0, -INFINITY);
        c->arc_y[2 * a + 1] = nextafterf(y1, INFINITY);
    }
}

int zcache_init(zcache *c, const zgeom *g)
{
    const mg_shapes *s = g->s;
    memset(c, 0, sizeof *c);
    if (s->is_points)
        return MG_OK;
    size_t longest = 2;
    for (size_t a = 0; a < s->n_arcs; a++)
        if (s->arc0[a + 1] - s->arc0[a] > longest)
            longest = s->arc0[a + 1] - s->arc0[a];
    c->arc = calloc(s->n_arcs + 1, sizeof *c->arc);
    c->arc_y = malloc((2 * s->n_arcs + 1) * sizeof *c->arc_y);
    c->tmp = malloc(2 * longest * sizeof *c->tmp);
    c->keep = malloc(longest);
    c->cap_tmp = longest;
    if (!c->arc || !c->arc_y || !c->tmp || !c->keep)
        return MG_ERR_NOMEM;
    arc_extents(c, g);
    return MG_OK;
}

void zcache_clear(zcache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_live; i++)
        free(c->arc[c->live[i]]);
    free(c->arc);
    free(c->arc_y);
    free(c->live);
    free(c->tmp);
    free(c->keep);
    free(c->stack);
    memset(c, 0, sizeof *c);
}

void zcache_retire(zcache *c, const zgeom *g, double y)
{
    double lim = y - zgeom_margin(g);
    size_t k = 0;
    for (size_t i = 0; i < c->n_live; i++) {
        uint32_t a = c->live[i];
        if (c->arc[a]->ymax < lim) {
            free(c->arc[a]);
            c->arc[a] = NULL;
        } else {
            c->live[k++] = a;
        }
    }
    c->n_live = k;
}

/* Douglas-Peucker over arc a of g's set at g's zoom, into c->tmp and
 * c->keep; returns the number of points kept, SIZE_MAX when out of
 * memory. */
static size_t simplify(zcache *c, const zgeom *g, uint32_t a)
{
    const mg_shapes *s = g->s;
    size_t p0 = s->arc0[a], n = s->arc0[a + 1] - p0;
    c->work += n;
    for (size_t i = 0; i < n; i++)
        zgeom_project(g, s->pts[2 * (p0 + i)], s->pts[2 * (p0 + i) + 1],
                      &c->tmp[2 * i], &c->tmp[2 * i + 1]);
    double tol2 = RENDER_SIMPLIFY_PX * RENDER_SIMPLIFY_PX;
    if (n > 0 &&
        mg_render_simplify_line(c->tmp, n, tol2, c->keep, &c->stack, &c->cap_stack))
        return SIZE_MAX;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        kept += c->keep[i];
    return kept;
}

/* The chunks of an arc of n points. */
static size_t count_chunks(size_t n)
{
    return n >= 2 ? (n - 2) / RENDER_CHUNK + 1 : 0;
}

/* The points simplify() kept for arc a, into out. */
static void copy_kept(const zcache *c, const zgeom *g, uint32_t a,
                      double *out)
{
    size_t n = g->s->arc0[a + 1] - g->s->arc0[a];
    for (size_t i = 0, k = 0; i < n; i++) {
        if (!c->keep[i])
            continue;
        out[2 * k] = c->tmp[2 * i];
        out[2 * k + 1] = c->tmp[2 * i + 1];
        k++;
    }
}

/* Arc a simplified into the cache; -1 when out of memory. */
static int cache_arc(zcache *c, const zgeom *g, uint32_t a)
{
    size_t kept = simplify(c, g, a);
    if (kept == SIZE_MAX)
        return -1;
    size_t n_chunks = count_chunks(kept);
    zarc *z = malloc(sizeof *z + 2 * kept * sizeof(double) +
                     n_chunks * sizeof(zchunk));
    if (!z)
        return -1;
    z->n_pts = (uint32_t)kept;
    copy_kept(c, g, a, zarc_pts(z));
    z->n_chunks = kept ? fill_chunks(zarc_pts(z), 0, (uint32_t)kept - 1,
                                     zarc_chunks(z))
                       : 0;
    z->ymax = c->arc_y[2 * a + 1];
    c->arc[a] = z;
    c->live[c->n_live++] = a;
    return 0;
}

/* Room for arc a of n points and m chunks at the end of g: its span, or
 * NULL when out of memory. */
static zspan *put_arc(zgeom *g, uint32_t a, size_t n, size_t m)
{
    if ((!g->slot && !(g->slot = calloc(g->s->n_arcs + 1, sizeof *g->slot))) ||
        render_grow((void **)&g->span, &g->cap_span, g->n_span + 1,
             sizeof *g->span) ||
        render_grow((void **)&g->pts, &g->cap_pts, 2 * (g->n_pts + n),
             sizeof *g->pts) ||
        render_grow((void **)&g->chunks, &g->cap_chunks, g->n_chunks + m,
             sizeof *g->chunks))
        return NULL;
    zspan *sp = &g->span[g->n_span++];
    g->slot[a] = (uint32_t)g->n_span;
    sp->p0 = (uint32_t)g->n_pts;
    sp->p1 = (uint32_t)(g->n_pts + n);
    sp->c0 = (uint32_t)g->n_chunks;
    sp->c1 = (uint32_t)(g->n_chunks + m);
    g->n_pts += n;
    g->n_chunks += m;
    return sp;
}

/* Copies cached arc z as arc a of g. */
static int copy_arc(zgeom *g, uint32_t a, zarc *z)
{
    zspan *sp = put_arc(g, a, z->n_pts, z->n_chunks);
    if (!sp)
        return -1;
    memcpy(g->pts + 2 * (size_t)sp->p0, zarc_pts(z),
           2 * (size_t)z->n_pts * sizeof *g->pts);
    const zchunk *from = zarc_chunks(z);
    for (uint32_t i = 0; i < z->n_chunks; i++) {
        zchunk ch = from[i];
        ch.p0 += sp->p0;
        ch.p1 += sp->p0;
        g->chunks[sp->c0 + i] = ch;
    }
    return 0;
}

/* Arc a of g as the segment between its ends (which Douglas-Peucker
 * keeps, projected alike). */
static int stub_arc(zgeom *g, uint32_t a)
{
    const mg_shapes *s = g->s;
    zspan *sp = put_arc(g, a, 2, 1);
    if (!sp)
        return -1;
    uint32_t first = s->arc0[a], last = s->arc0[a + 1] - 1;
    double *p = g->pts + 2 * (size_t)sp->p0;
    zgeom_project(g, s->pts[2 * first], s->pts[2 * first + 1], &p[0], &p[1]);
    zgeom_project(g, s->pts[2 * last], s->pts[2 * last + 1], &p[2], &p[3]);
    fill_chunks(g->pts, sp->p0, sp->p0 + 1, &g->chunks[sp->c0]);
    return 0;
}

/* Arc a simplified straight into g (no later band needs it). */
static int direct_arc(zgeom *g, zcache *c, uint32_t a)
{
    size_t kept = simplify(c, g, a);
    zspan *sp = kept == SIZE_MAX ? NULL
                                 : put_arc(g, a, kept, count_chunks(kept));
    if (!sp)
        return -1;
    copy_kept(c, g, a, g->pts + 2 * (size_t)sp->p0);
    if (kept)
        fill_chunks(g->pts, sp->p0, sp->p1 - 1, &g->chunks[sp->c0]);
    return 0;
}

/* Arc a into g: simplified when it comes within reach of rows [y0, y1],
 * through the cache when the next band reaches it too. */
static int add_arc(zgeom *g, zcache *c, uint32_t a, double y0, double y1)
{
    const mg_shapes *s = g->s;
    double m = zgeom_margin(g);
    double lo = c->arc_y[2 * a], hi = c->arc_y[2 * a + 1];
    if ((hi < y0 - m || lo > y1 + m) && s->arc0[a + 1] - s->arc0[a] >= 2)
        return stub_arc(g, a);
    if (!c->arc[a]) {
        if (hi < y1 - m) /* as zcache_retire() would drop it */
            return direct_arc(g, c, a);
        if (render_grow((void **)&c->live, &c->cap_live, c->n_live + 1,
                 sizeof *c->live) ||
            cache_arc(c, g, a))
            return -1;
    }
    return copy_arc(g, a, c->arc[a]);
}

/* Shrinks *p from *cap to n elements of size bytes (n > 0). */
static void shrink(void **p, size_t *cap, size_t n, size_t size)
{
    if (n == 0 || n >= *cap)
        return;
    void *q = realloc(*p, n * size);
    if (q) { /* else the larger block stays */
        *p = q;
        *cap = n;
    }
}

void zgeom_trim(zgeom *g)
{
    shrink((void **)&g->pts, &g->cap_pts, 2 * g->n_pts, sizeof *g->pts);
    shrink((void **)&g->chunks, &g->cap_chunks, g->n_chunks,
           sizeof *g->chunks);
    shrink((void **)&g->span, &g->cap_span, g->n_span, sizeof *g->span);
}

int zgeom_add_feature(zgeom *g, zcache *c, uint32_t f, double y0, double y1)
{
    const mg_shapes *s = g->s;
    for (uint32_t k = s->ring0[f]; k < s->ring0[f + 1]; k++) {
        const shp_ring *ring = &s->rings[k];
        for (uint32_t r = 0; r < ring->n_refs; r++) {
            int32_t ref = s->refs[ring->ref0 + r];
            uint32_t a = ref < 0 ? (uint32_t)~ref : (uint32_t)ref;
            if (g->slot && g->slot[a])
                continue;
            if (add_arc(g, c, a, y0, y1))
                return MG_ERR_NOMEM;
        }
    }
    return MG_OK;
}

size_t zgeom_ring_points(const zgeom *g, const shp_ring *ring, double **buf,
                         size_t *cap)
{
    const mg_shapes *s = g->s;
    size_t n = 0;
    for (uint32_t k = 0; k < ring->n_refs; k++) {
        int32_t ref = s->refs[ring->ref0 + k];
        uint32_t a = ref < 0 ? (uint32_t)~ref : (uint32_t)ref;
        const zspan *sp = zgeom_arc(g, a);
        uint32_t p0 = sp->p0, p1 = sp->p1;
        size_t m = p1 - p0;
        if (n + m > *cap) {
            size_t c = *cap ? *cap : 256;
            while (c < n + m)
                c *= 2;
            double *b = realloc(*buf, 2 * c * sizeof *b);
            if (!b)
                return SIZE_MAX;
            *buf = b;
            *cap = c;
        }
        /* Each arc starts where the one before it ended: skip that point. */
        for (size_t i = k > 0 ? 1 : 0; i < m; i++) {
            size_t j = ref < 0 ? p1 - 1 - i : p0 + i;
            (*buf)[2 * n] = g->pts[2 * j];
            (*buf)[2 * n + 1] = g->pts[2 * j + 1];
            n++;
        }
    }
    if (n > 1 && (*buf)[0] == (*buf)[2 * n - 2] &&
        (*buf)[1] == (*buf)[2 * n - 1])
        n--;
    return n;
}
