/*
 * One shape set at one zoom: the arcs in global pixels, simplified by
 * Douglas-Peucker with a tolerance of RENDER_SIMPLIFY_PX, and cut into
 * chunks with bounding boxes.  The ends of an arc (junctions, where three
 * regions meet or a shared border ends) are always kept, so two regions
 * that share an arc share its simplified form too: no cracks.
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

/* Douglas-Peucker over one arc of n points.  A closed arc (first point =
 * last) keeps the point farthest from its start and the one farthest from
 * that chord, so even an island below the tolerance stays a triangle. */
static int simplify_arc(const double *p, size_t n, double tol2, uint8_t *keep,
                        size_t **stack, size_t *cap)
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

static void add_chunks(zgeom *g, size_t *n_chunks, uint32_t first,
                       uint32_t last)
{
    for (uint32_t p0 = first; p0 < last; p0 += RENDER_CHUNK) {
        uint32_t p1 = p0 + RENDER_CHUNK < last ? p0 + RENDER_CHUNK : last;
        zchunk *c = &g->chunks[(*n_chunks)++];
        c->p0 = p0;
        c->p1 = p1;
        c->x0 = c->y0 = INFINITY;
        c->x1 = c->y1 = -INFINITY;
        for (uint32_t i = p0; i <= p1; i++) {
            double x = g->pts[2 * i], y = g->pts[2 * i + 1];
            c->x0 = fmin(c->x0, x);
            c->x1 = fmax(c->x1, x);
            c->y0 = fmin(c->y0, y);
            c->y1 = fmax(c->y1, y);
        }
    }
}

int zgeom_build(zgeom *g, const mg_shapes *s, int z, int tile_size,
                double buffer)
{
    memset(g, 0, sizeof *g);
    g->s = s;
    g->z = z;
    g->tile_size = tile_size;
    g->scale = tile_size * ldexp(1.0, z) / (2.0 * MG_TILES_HALF_WORLD);
    g->buffer = buffer;
    if (s->is_points)
        return MG_OK;
    size_t longest = 2;
    for (size_t a = 0; a < s->n_arcs; a++)
        if (s->arc0[a + 1] - s->arc0[a] > longest)
            longest = s->arc0[a + 1] - s->arc0[a];
    double *tmp = malloc(2 * longest * sizeof *tmp);
    uint8_t *keep = malloc(longest);
    size_t *stack = NULL, cap = 0;
    g->pts = malloc((2 * s->n_pts + 2) * sizeof *g->pts);
    g->arc0 = malloc((s->n_arcs + 1) * sizeof *g->arc0);
    g->chunk0 = malloc((s->n_arcs + 1) * sizeof *g->chunk0);
    /* An arc of m points has at most ceil((m - 1) / CHUNK) chunks. */
    g->chunks =
        malloc((s->n_pts / RENDER_CHUNK + s->n_arcs + 1) * sizeof *g->chunks);
    int rc = tmp && keep && g->pts && g->arc0 && g->chunk0 && g->chunks
                 ? MG_OK
                 : MG_ERR_NOMEM;
    double tol2 = RENDER_SIMPLIFY_PX * RENDER_SIMPLIFY_PX;
    size_t n_out = 0, n_chunks = 0;
    for (size_t a = 0; a < s->n_arcs && !rc; a++) {
        size_t p0 = s->arc0[a], n = s->arc0[a + 1] - p0;
        for (size_t i = 0; i < n; i++)
            zgeom_project(g, s->pts[2 * (p0 + i)], s->pts[2 * (p0 + i) + 1],
                          &tmp[2 * i], &tmp[2 * i + 1]);
        if (simplify_arc(tmp, n, tol2, keep, &stack, &cap)) {
            rc = MG_ERR_NOMEM;
            break;
        }
        g->arc0[a] = (uint32_t)n_out;
        g->chunk0[a] = (uint32_t)n_chunks;
        for (size_t i = 0; i < n; i++) {
            if (!keep[i])
                continue;
            g->pts[2 * n_out] = tmp[2 * i];
            g->pts[2 * n_out + 1] = tmp[2 * i + 1];
            n_out++;
        }
        add_chunks(g, &n_chunks, g->arc0[a], (uint32_t)n_out - 1);
    }
    if (!rc) {
        g->arc0[s->n_arcs] = (uint32_t)n_out;
        g->chunk0[s->n_arcs] = (uint32_t)n_chunks;
    }
    free(tmp);
    free(keep);
    free(stack);
    return rc;
}

void zgeom_clear(zgeom *g)
{
    free(g->pts);
    free(g->arc0);
    free(g->chunks);
    free(g->chunk0);
    memset(g, 0, sizeof *g);
}

size_t zgeom_ring_points(const zgeom *g, const shp_ring *ring, double **buf,
                         size_t *cap)
{
    const mg_shapes *s = g->s;
    size_t n = 0;
    for (uint32_t k = 0; k < ring->n_refs; k++) {
        int32_t ref = s->refs[ring->ref0 + k];
        uint32_t a = ref < 0 ? (uint32_t)~ref : (uint32_t)ref;
        uint32_t p0 = g->arc0[a], p1 = g->arc0[a + 1];
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
