/*
 * Which features touch which tiles, one band of tile rows at a time.
 *
 * A feature touches a tile when its simplified geometry meets the tile's
 * square grown by the buffer b on every side.  For a polygon that is
 * decided exactly without visiting tiles it does not touch:
 *   - edges: a segment clipped to the grown row [rT - b, (r+1)T + b] is a
 *     segment whose x range, grown by b, gives exactly the columns of that
 *     row whose grown squares it meets;
 *   - interior: a tile no edge comes near lies wholly inside or outside;
 *     it is inside when its centre is, which the crossings of the rings
 *     with the row's centre line decide (even-odd).
 * Cells reached only through the interior are flagged: the tile is then
 * filled wholly by the feature and nothing of its outline shows there.
 */
#include "render_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rows and columns a feature may touch in this band. */
typedef struct range {
    long r0, r1, c0, c1; /* inclusive */
} range;

/* A row or column number as a long, clamped to [-1, 2^31 - 1] (past every
 * grid) before the conversion, which is undefined for NaN and huge values;
 * NaN gives -1.  Coordinates are checked when read (geodata/input), but
 * the loops over rows and columns must not depend on that. */
static long to_cell(double q)
{
    return !(q > -1.0) ? -1 : q > 2147483647.0 ? 2147483647 : (long)q;
}

static long floor_div(double v, double t)
{
    return to_cell(floor(v / t));
}

static int push_cells(index_scratch *sc, long row, long c0, long c1,
                      int interior, const range *rg, uint32_t feature)
{
    if (c0 < rg->c0)
        c0 = rg->c0;
    if (c1 > rg->c1)
        c1 = rg->c1;
    if (c0 > c1 || row < rg->r0 || row > rg->r1)
        return 0;
    /* Consecutive segments mostly land in the cells just pushed. */
    if (sc->n_tmp > 0) {
        tpair *last = &sc->tmp[sc->n_tmp - 1];
        if (last->row == (uint32_t)row &&
            last->interior == (uint32_t)interior && (long)last->col == c0 &&
            c0 == c1)
            return 0;
    }
    if (render_grow((void **)&sc->tmp, &sc->cap_tmp,
             sc->n_tmp + (size_t)(c1 - c0 + 1), sizeof *sc->tmp))
        return -1;
    for (long c = c0; c <= c1; c++)
        sc->tmp[sc->n_tmp++] = (tpair){(uint32_t)row, (uint32_t)c, 0, feature,
                                       (uint32_t)interior};
    return 0;
}

/* The cells of the grown rows that segment p-q meets. */
static int edge_cells(index_scratch *sc, const double *p, const double *q,
                      double t, double b, const range *rg, uint32_t feature)
{
    double ylo = dmin(p[1], q[1]), yhi = dmax(p[1], q[1]);
    long r0 = floor_div(ylo - b, t), r1 = floor_div(yhi + b, t);
    if (r0 < rg->r0)
        r0 = rg->r0;
    if (r1 > rg->r1)
        r1 = rg->r1;
    double dy = q[1] - p[1];
    for (long r = r0; r <= r1; r++) {
        double xa, xb;
        if (dy == 0.0) {
            xa = p[0];
            xb = q[0];
        } else {
            double ya = dmax(r * t - b, ylo), yb = dmin((r + 1) * t + b, yhi);
            if (ya > yb)
                continue;
            xa = p[0] + (ya - p[1]) * (q[0] - p[0]) / dy;
            xb = p[0] + (yb - p[1]) * (q[0] - p[0]) / dy;
        }
        long c0 = floor_div(dmin(xa, xb) - b, t);
        long c1 = floor_div(dmax(xa, xb) + b, t);
        if (push_cells(sc, r, c0, c1, 0, rg, feature))
            return -1;
    }
    return 0;
}

/* Where p-q crosses the centre lines of the rows of rg (half-open in y,
 * so a vertex on a centre line counts once). */
static int crossings(index_scratch *sc, const double *p, const double *q,
                     double t, const range *rg)
{
    double ylo = dmin(p[1], q[1]), yhi = dmax(p[1], q[1]);
    if (ylo == yhi)
        return 0;
    long r0 = to_cell(ceil(ylo / t - 0.5)),
         r1 = to_cell(ceil(yhi / t - 0.5)) - 1;
    if (r0 < rg->r0)
        r0 = rg->r0;
    if (r1 > rg->r1)
        r1 = rg->r1;
    if (r0 > r1)
        return 0;
    if (render_grow((void **)&sc->cross, &sc->cap_cross,
             2 * (sc->n_cross + (size_t)(r1 - r0 + 1)), sizeof *sc->cross))
        return -1;
    for (long r = r0; r <= r1; r++) {
        double yc = (r + 0.5) * t;
        sc->cross[2 * sc->n_cross] = (double)r;
        sc->cross[2 * sc->n_cross + 1] =
            p[0] + (yc - p[1]) * (q[0] - p[0]) / (q[1] - p[1]);
        sc->n_cross++;
    }
    return 0;
}

static int cmp_cross(const void *a, const void *b)
{
    const double *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

static int cmp_cell(const void *a, const void *b)
{
    const tpair *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return (x->interior > y->interior) - (x->interior < y->interior);
}

static int cmp_pair(const void *a, const void *b)
{
    const tpair *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    if (x->set != y->set)
        return x->set < y->set ? -1 : 1;
    return (x->feature > y->feature) - (x->feature < y->feature);
}

/* Appends to sc->tmp the cells of polygon feature f (possibly repeated). */
static int polygon_cells(index_scratch *sc, const zgeom *g, uint32_t f,
                         const range *rg)
{
    const mg_shapes *s = g->s;
    double t = g->tile_size, b = g->buffer;
    sc->n_cross = 0;
    for (uint32_t k = s->ring0[f]; k < s->ring0[f + 1]; k++) {
        size_t n =
            zgeom_ring_points(g, &s->rings[k], &sc->ring, &sc->cap_ring);
        if (n == SIZE_MAX)
            return -1;
        if (n < 2)
            continue;
        for (size_t i = 0; i < n; i++) {
            const double *p = sc->ring + 2 * i;
            const double *q = sc->ring + 2 * ((i + 1) % n);
            if (!isfinite(p[0]) || !isfinite(p[1]) || !isfinite(q[0]) ||
                !isfinite(q[1]))
                continue; /* no cells: never trusted to reach a loop */
            if (edge_cells(sc, p, q, t, b, rg, f) ||
                crossings(sc, p, q, t, rg))
                return -1;
        }
    }
    if (sc->n_cross > 1)
        qsort(sc->cross, sc->n_cross, 2 * sizeof *sc->cross, cmp_cross);
    for (size_t i = 0; i + 1 < sc->n_cross; i += 2) {
        double *a = sc->cross + 2 * i, *z = a + 2;
        if (a[0] != z[0]) { /* an odd count on a row: a degenerate ring */
            i--;
            continue;
        }
        long c0 = to_cell(ceil(a[1] / t - 0.5)),
             c1 = to_cell(floor(z[1] / t - 0.5));
        if (push_cells(sc, (long)a[0], c0, c1, 1, rg, f))
            return -1;
    }
    return 0;
}

/* Moves feature f's distinct cells from sc->tmp to the band's pairs. */
static int flush_cells(band *bd, index_scratch *sc, uint32_t set)
{
    if (sc->n_tmp > 1)
        qsort(sc->tmp, sc->n_tmp, sizeof *sc->tmp, cmp_cell);
    if (render_grow((void **)&bd->pairs, &bd->cap_pairs, bd->n_pairs + sc->n_tmp,
             sizeof *bd->pairs))
        return -1;
    for (size_t i = 0; i < sc->n_tmp; i++) {
        const tpair *c = &sc->tmp[i];
        if (i > 0 && c->row == sc->tmp[i - 1].row &&
            c->col == sc->tmp[i - 1].col)
            continue; /* an edge cell sorts before an interior one */
        tpair p = *c;
        p.set = set;
        bd->pairs[bd->n_pairs++] = p;
    }
    sc->n_tmp = 0;
    return 0;
}

/* The rows and columns feature f of g may touch within the band and
 * window; 0 when none. */
static int feature_range(const zgeom *g, uint32_t f, uint32_t row0,
                         uint32_t row1, const tile_window *win, range *rg,
                         double *xy)
{
    const mg_shapes *s = g->s;
    double t = g->tile_size, b = g->buffer, x0, y0, x1, y1;
    if (s->is_points) {
        if (isnan(s->xy[2 * f]))
            return 0;
        zgeom_project(g, s->xy[2 * f], s->xy[2 * f + 1], &x0, &y0);
        x1 = x0;
        y1 = y0;
        xy[0] = x0;
        xy[1] = y0;
    } else {
        const mg_tile_bounds *m = &s->box[f];
        if (!(m->west <= m->east) || s->ring0[f] == s->ring0[f + 1])
            return 0;
        zgeom_project(g, m->west, m->north, &x0, &y0);
        zgeom_project(g, m->east, m->south, &x1, &y1);
    }
    rg->r0 = floor_div(y0 - b, t);
    rg->r1 = floor_div(y1 + b, t);
    rg->c0 = floor_div(x0 - b, t);
    rg->c1 = floor_div(x1 + b, t);
    rg->r0 = rg->r0 > (long)row0 ? rg->r0 : (long)row0;
    rg->r0 = rg->r0 > (long)win->row0 ? rg->r0 : (long)win->row0;
    rg->r1 = rg->r1 < (long)row1 - 1 ? rg->r1 : (long)row1 - 1;
    rg->r1 = rg->r1 < (long)win->row1 ? rg->r1 : (long)win->row1;
    rg->c0 = rg->c0 > (long)win->col0 ? rg->c0 : (long)win->col0;
    rg->c1 = rg->c1 < (long)win->col1 ? rg->c1 : (long)win->col1;
    return rg->r0 <= rg->r1 && rg->c0 <= rg->c1;
}

void band_row_load(const zgeom *sets, size_t n_sets, const tile_window *win,
                   uint32_t *load)
{
    uint32_t rows = win->row1 - win->row0 + 1;
    memset(load, 0, ((size_t)rows + 1) * sizeof *load);
    for (size_t si = 0; si < n_sets; si++) {
        const zgeom *g = &sets[si];
        for (size_t f = 0; f < g->s->n; f++) {
            range rg;
            double xy[2];
            if (!feature_range(g, (uint32_t)f, win->row0, win->row1 + 1, win,
                               &rg, xy))
                continue;
            load[rg.r0 - (long)win->row0]++;
            load[rg.r1 + 1 - (long)win->row0]--; /* wraps; undone below */
        }
    }
    uint32_t run = 0;
    for (uint32_t r = 0; r < rows; r++) {
        run += load[r];
        load[r] = run;
    }
}

long band_box_tiles(const zgeom *sets, size_t n_sets, const tile_window *win,
                    unsigned long long max_cells)
{
    unsigned long long rows = (unsigned long long)win->row1 - win->row0 + 1,
                       cols = (unsigned long long)win->col1 - win->col0 + 1;
    if (rows * cols > max_cells)
        return -1;
    size_t words = (size_t)((cols + 63) / 64);
    uint64_t *bits = calloc((size_t)rows * words, sizeof *bits);
    if (!bits)
        return -1;
    unsigned long long cells = 0;
    for (size_t si = 0; si < n_sets; si++) {
        const zgeom *g = &sets[si];
        for (size_t f = 0; f < g->s->n; f++) {
            range rg;
            double xy[2];
            if (!feature_range(g, (uint32_t)f, win->row0, win->row1 + 1, win,
                               &rg, xy))
                continue;
            cells += (unsigned long long)(rg.r1 - rg.r0 + 1) *
                     (unsigned long long)(rg.c1 - rg.c0 + 1);
            if (cells > max_cells) {
                free(bits);
                return -1;
            }
            long a = rg.c0 - (long)win->col0, b = rg.c1 - (long)win->col0;
            for (long r = rg.r0; r <= rg.r1; r++) {
                uint64_t *w = bits + (size_t)(r - (long)win->row0) * words;
                for (long c = a; c <= b;) {
                    /* whole words at once where the run covers them */
                    if ((c & 63) == 0 && c + 63 <= b) {
                        w[c >> 6] = ~0ull;
                        c += 64;
                    } else {
                        w[c >> 6] |= 1ull << (c & 63);
                        c++;
                    }
                }
            }
        }
    }
    long n = 0;
    for (size_t i = 0; i < (size_t)rows * words; i++)
        n += __builtin_popcountll(bits[i]);
    free(bits);
    return n;
}

/* The cells of set si's features in the band, its geometry built on the
 * way into bd->geo[si]. */
static int set_cells(band *bd, index_scratch *sc, zcache *c, uint32_t si,
                     const tile_window *win)
{
    zgeom *g = &bd->geo[si];
    double t = g->tile_size, b = g->buffer;
    double y0 = bd->row0 * t, y1 = bd->row1 * t;
    for (size_t f = 0; f < g->s->n; f++) {
        range rg;
        double xy[2] = {0.0, 0.0};
        if (!feature_range(g, (uint32_t)f, bd->row0, bd->row1, win, &rg, xy))
            continue;
        int rc = 0;
        if (g->s->is_points) {
            /* A dot touches the tiles its grown square meets. */
            for (long r = rg.r0; r <= rg.r1 && !rc; r++)
                rc = push_cells(sc, r, floor_div(xy[0] - b, t),
                                floor_div(xy[0] + b, t), 0, &rg, (uint32_t)f);
        } else {
            rc = zgeom_add_feature(g, c, (uint32_t)f, y0, y1) ||
                 polygon_cells(sc, g, (uint32_t)f, &rg);
        }
        if (rc || flush_cells(bd, sc, si))
            return MG_ERR_NOMEM;
    }
    if (!g->s->is_points)
        zcache_retire(c, g, y1);
    zgeom_trim(g);
    return MG_OK;
}

int band_build(band *bd, index_scratch *sc, zcache *caches, const zgeom *sets,
               size_t n_sets, int z, uint32_t row0, uint32_t row1,
               const tile_window *win)
{
    for (size_t i = 0; i < bd->n_geo; i++)
        zgeom_clear(&bd->geo[i]);
    free(bd->geo);
    bd->z = z;
    bd->row0 = row0;
    bd->row1 = row1;
    bd->n_pairs = bd->n_tiles = 0;
    bd->n_geo = 0;
    sc->n_tmp = 0;
    bd->work_pts = bd->work_feats = 0;
    bd->geo = calloc(n_sets + 1, sizeof *bd->geo);
    if (!bd->geo)
        return MG_ERR_NOMEM;
    bd->n_geo = n_sets;
    for (size_t si = 0; si < n_sets; si++) {
        const zgeom *zs = &sets[si];
        unsigned long long before = caches[si].work;
        zgeom_init(&bd->geo[si], zs->s, zs->z, zs->tile_size, zs->buffer);
        if (set_cells(bd, sc, &caches[si], (uint32_t)si, win))
            return MG_ERR_NOMEM;
        bd->work_pts += caches[si].work - before;
        bd->work_feats += zs->s->n;
    }
    if (bd->n_pairs > 1)
        qsort(bd->pairs, bd->n_pairs, sizeof *bd->pairs, cmp_pair);
    for (size_t i = 0; i < bd->n_pairs;) {
        size_t j = i + 1;
        while (j < bd->n_pairs && bd->pairs[j].row == bd->pairs[i].row &&
               bd->pairs[j].col == bd->pairs[i].col)
            j++;
        if (render_grow((void **)&bd->tiles, &bd->cap_tiles, bd->n_tiles + 1,
                 sizeof *bd->tiles))
            return MG_ERR_NOMEM;
        bd->tiles[bd->n_tiles++] =
            (btile){bd->pairs[i].col, bd->pairs[i].row, (uint32_t)i,
                    (uint32_t)j, UINT32_MAX};
        i = j;
    }
    return MG_OK;
}

void band_clear(band *b)
{
    for (size_t i = 0; i < b->n_geo; i++)
        zgeom_clear(&b->geo[i]);
    free(b->geo);
    free(b->pairs);
    free(b->tiles);
    memset(b, 0, sizeof *b);
}

void index_scratch_clear(index_scratch *sc)
{
    free(sc->tmp);
    free(sc->cross);
    free(sc->ring);
    memset(sc, 0, sizeof *sc);
}
