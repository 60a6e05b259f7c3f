/*
 * Shapes: geometry read once, projected to EPSG:3857 once, and for
 * polygons cut into arcs as TopoJSON does it.  A point where the rings
 * through it disagree about their neighbours is a junction; rings are cut
 * at junctions into arcs, and an arc that two rings share (a common
 * border) is stored once.  Simplifying an arc then moves both borders
 * alike, so neighbours never crack apart, and drawing each arc once strokes
 * a shared border once.  Points are matched by their exact coordinates:
 * neighbours digitised apart keep their own arcs, which is only a little
 * less tidy.
 */
#include "render_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- growing arrays ----------------------------------------------------- */

int render_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return -1;
        c *= 2;
    }
    if (size && c > SIZE_MAX / size)
        return -1;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* ---- WKB ---------------------------------------------------------------- */

/* Rings as read: points (metres), per ring its first point, feature and
 * whether it is a hole. */
typedef struct raw {
    double *pts;
    size_t n_pts, cap_pts;
    uint32_t *ring_pt0; /* n_rings + 1 */
    uint32_t *ring_feat;
    uint8_t *ring_hole;
    size_t n_rings, cap_rings, cap_hole, cap_pt0;
} raw;

typedef struct wkb_in {
    const unsigned char *p, *end;
    int le;
} wkb_in;

static int rd_u32(wkb_in *w, uint32_t *v)
{
    if (w->end - w->p < 4)
        return -1;
    const unsigned char *b = w->p;
    *v = w->le ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                     (uint32_t)b[3] << 24
               : (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 |
                     (uint32_t)b[0] << 24;
    w->p += 4;
    return 0;
}

static int rd_f64(wkb_in *w, double *v)
{
    if (w->end - w->p < 8)
        return -1;
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = w->le ? w->p[i] : w->p[7 - i];
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = u << 8 | b[i];
    memcpy(v, &u, 8);
    w->p += 8;
    return 0;
}

/* Reads a geometry header: byte order, type (ISO and EWKB flags), SRID.
 * Sets *base (1..7) and *dims (2..4). */
static int rd_header(wkb_in *w, uint32_t *base, int *dims)
{
    if (w->p >= w->end)
        return -1;
    w->le = *w->p++ == 1;
    uint32_t t;
    if (rd_u32(w, &t))
        return -1;
    int z = 0, m = 0;
    if (t & 0x80000000u)
        z = 1;
    if (t & 0x40000000u)
        m = 1;
    if (t & 0x20000000u) {
        uint32_t srid;
        if (rd_u32(w, &srid))
            return -1;
    }
    t &= 0x0fffffffu;
    uint32_t iso = t / 1000;
    if (iso == 1 || iso == 3)
        z = 1;
    if (iso == 2 || iso == 3)
        m = 1;
    *base = t % 1000;
    *dims = 2 + z + m;
    return *base >= 1 && *base <= 7 ? 0 : -1;
}

static int add_ring_start(raw *r, uint32_t feature, int hole)
{
    if (render_grow((void **)&r->ring_feat, &r->cap_rings, r->n_rings + 1,
             sizeof *r->ring_feat) ||
        render_grow((void **)&r->ring_hole, &r->cap_hole, r->n_rings + 1, 1))
        return -2;
    if (render_grow((void **)&r->ring_pt0, &r->cap_pt0, r->n_rings + 2,
             sizeof *r->ring_pt0))
        return -2;
    r->ring_feat[r->n_rings] = feature;
    r->ring_hole[r->n_rings] = (uint8_t)hole;
    r->ring_pt0[r->n_rings] = (uint32_t)r->n_pts;
    return 0;
}

/* Reads one ring, projected, without consecutive repeats or the closing
 * point; rings of fewer than 3 points are dropped. */
static int rd_ring(wkb_in *w, int dims, raw *r, uint32_t feature, int hole)
{
    uint32_t n;
    if (rd_u32(w, &n) || (size_t)(w->end - w->p) / (8u * (unsigned)dims) < n)
        return -1;
    if (add_ring_start(r, feature, hole) ||
        render_grow((void **)&r->pts, &r->cap_pts, 2 * (r->n_pts + n),
             sizeof *r->pts))
        return -2;
    size_t start = r->n_pts;
    for (uint32_t i = 0; i < n; i++) {
        double lon, lat, extra;
        if (rd_f64(w, &lon) || rd_f64(w, &lat))
            return -1;
        for (int d = 2; d < dims; d++)
            if (rd_f64(w, &extra))
                return -1;
        if (!isfinite(lon) || !isfinite(lat))
            return -1;
        double x, y;
        mg_tiles_project_lonlat(lon, lat, &x, &y);
        if (r->n_pts > start && r->pts[2 * r->n_pts - 2] == x &&
            r->pts[2 * r->n_pts - 1] == y)
            continue;
        r->pts[2 * r->n_pts] = x;
        r->pts[2 * r->n_pts + 1] = y;
        r->n_pts++;
    }
    while (r->n_pts - start > 1 &&
           r->pts[2 * start] == r->pts[2 * r->n_pts - 2] &&
           r->pts[2 * start + 1] == r->pts[2 * r->n_pts - 1])
        r->n_pts--;
    if (r->n_pts - start < 3) {
        r->n_pts = start; /* no area: dropped */
        return 0;
    }
    r->n_rings++;
    r->ring_pt0[r->n_rings] = (uint32_t)r->n_pts;
    return 0;
}

/* Skips a geometry of another kind (points, lines) inside a collection. */
static int skip_geom(wkb_in *w, uint32_t base, int dims)
{
    uint32_t n, k;
    switch (base) {
    case 1:
        if ((size_t)(w->end - w->p) < 8u * (unsigned)dims)
            return -1;
        w->p += 8 * dims;
        return 0;
    case 2:
        if (rd_u32(w, &n) ||
            (size_t)(w->end - w->p) / (8u * (unsigned)dims) < n)
            return -1;
        w->p += (size_t)n * 8 * (size_t)dims;
        return 0;
    case 4:
    case 5:
        if (rd_u32(w, &n))
            return -1;
        for (k = 0; k < n; k++) {
            uint32_t b;
            int d;
            if (rd_header(w, &b, &d) || skip_geom(w, b, d))
                return -1;
        }
        return 0;
    default:
        return -1;
    }
}

static int rd_geom(wkb_in *w, raw *r, uint32_t feature, int depth)
{
    uint32_t base, n;
    int dims;
    if (depth > 8 || rd_header(w, &base, &dims))
        return -1;
    if (base == 3) {
        if (rd_u32(w, &n))
            return -1;
        for (uint32_t k = 0; k < n; k++) {
            int rc = rd_ring(w, dims, r, feature, k > 0);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (base == 6 || base == 7) {
        if (rd_u32(w, &n))
            return -1;
        for (uint32_t k = 0; k < n; k++) {
            int rc = rd_geom(w, r, feature, depth + 1);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (depth == 0)
        return -1; /* a feature must be polygonal */
    return skip_geom(w, base, dims);
}

static void raw_clear(raw *r)
{
    free(r->pts);
    free(r->ring_pt0);
    free(r->ring_feat);
    free(r->ring_hole);
}

/* ---- point ids ---------------------------------------------------------- */

static uint64_t bits(double v)
{
    uint64_t u;
    v += 0.0; /* -0.0 and 0.0 are one point */
    memcpy(&u, &v, 8);
    return u;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

/* Numbers the distinct points of r in order of first appearance: vid[i] is
 * the id of point i.  Returns the count, or SIZE_MAX when out of memory. */
static size_t number_points(const raw *r, uint32_t *vid)
{
    size_t cap = 16;
    while (cap < 2 * r->n_pts + 16)
        cap *= 2;
    uint32_t *slot = malloc(cap * sizeof *slot);
    if (!slot)
        return SIZE_MAX;
    memset(slot, 0xff, cap * sizeof *slot);
    size_t n_ids = 0;
    uint32_t *first = malloc((r->n_pts + 1) * sizeof *first);
    if (!first) {
        free(slot);
        return SIZE_MAX;
    }
    for (size_t i = 0; i < r->n_pts; i++) {
        uint64_t bx = bits(r->pts[2 * i]), by = bits(r->pts[2 * i + 1]);
        size_t h = (size_t)(mix(bx * 31 + mix(by)) & (cap - 1));
        for (;;) {
            uint32_t s = slot[h];
            if (s == UINT32_MAX) {
                slot[h] = (uint32_t)n_ids;
                first[n_ids] = (uint32_t)i;
                vid[i] = (uint32_t)n_ids++;
                break;
            }
            size_t j = first[s];
            if (bits(r->pts[2 * j]) == bx && bits(r->pts[2 * j + 1]) == by) {
                vid[i] = s;
                break;
            }
            h = (h + 1) & (cap - 1);
        }
    }
    free(slot);
    free(first);
    return n_ids;
}

/* ---- junctions and arcs ------------------------------------------------- */

/* Marks junction[id] for every point whose rings disagree about its
 * neighbours (TopoJSON's rule). */
static int find_junctions(const raw *r, const uint32_t *vid, size_t n_ids,
                          uint8_t *junction)
{
    uint32_t *prev = malloc(n_ids * sizeof *prev);
    uint32_t *next = malloc(n_ids * sizeof *next);
    if (!prev || !next) {
        free(prev);
        free(next);
        return -1;
    }
    memset(prev, 0xff, n_ids * sizeof *prev);
    for (size_t k = 0; k < r->n_rings; k++) {
        size_t a = r->ring_pt0[k], n = r->ring_pt0[k + 1] - a;
        for (size_t i = 0; i < n; i++) {
            uint32_t id = vid[a + i];
            uint32_t p = vid[a + (i + n - 1) % n], q = vid[a + (i + 1) % n];
            if (prev[id] == UINT32_MAX) {
                prev[id] = p;
                next[id] = q;
            } else if (!((prev[id] == p && next[id] == q) ||
                         (prev[id] == q && next[id] == p))) {
                junction[id] = 1;
            }
        }
    }
    free(prev);
    free(next);
    return 0;
}

/* The arcs found so far: point ids in canonical direction, hashed. */
typedef struct arcset {
    uint32_t *ids; /* concatenated */
    size_t n_ids, cap_ids;
    uint32_t *start; /* n + 1 */
    size_t n, cap_start;
    uint32_t *slot; /* hash table of arc numbers */
    uint64_t *hash; /* per arc */
    size_t cap_slot, cap_hash;
} arcset;

/* 1 when the sequence a[0..m-1] reads smaller backwards than forwards at
 * its first difference (then it is stored reversed). */
static int backwards(const uint32_t *a, size_t m)
{
    for (size_t i = 0, j = m - 1; i < j; i++, j--) {
        if (a[i] != a[j])
            return a[j] < a[i];
    }
    return 0;
}

static uint64_t hash_seq(const uint32_t *a, size_t m, int rev)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ m;
    for (size_t i = 0; i < m; i++)
        h = mix(h ^ a[rev ? m - 1 - i : i]);
    return h;
}

static int same_seq(const uint32_t *stored, const uint32_t *a, size_t m,
                    int rev)
{
    for (size_t i = 0; i < m; i++)
        if (stored[i] != a[rev ? m - 1 - i : i])
            return 0;
    return 1;
}

static int arcset_rehash(arcset *s)
{
    size_t cap = s->cap_slot ? 2 * s->cap_slot : 1024;
    uint32_t *slot = malloc(cap * sizeof *slot);
    if (!slot)
        return -1;
    memset(slot, 0xff, cap * sizeof *slot);
    for (size_t a = 0; a < s->n; a++) {
        size_t h = (size_t)(s->hash[a] & (cap - 1));
        while (slot[h] != UINT32_MAX)
            h = (h + 1) & (cap - 1);
        slot[h] = (uint32_t)a;
    }
    free(s->slot);
    s->slot = slot;
    s->cap_slot = cap;
    return 0;
}

/* Finds or adds the arc a[0..m-1]; returns its reference (id, or ~id when a
 * runs against the stored direction), or INT32_MIN when out of memory. */
static int32_t arcset_add(arcset *s, const uint32_t *a, size_t m)
{
    int rev = backwards(a, m);
    uint64_t h = hash_seq(a, m, rev);
    if (2 * (s->n + 1) > s->cap_slot && arcset_rehash(s))
        return INT32_MIN;
    size_t i = (size_t)(h & (s->cap_slot - 1));
    for (; s->slot[i] != UINT32_MAX; i = (i + 1) & (s->cap_slot - 1)) {
        uint32_t k = s->slot[i];
        if (s->hash[k] == h && s->start[k + 1] - s->start[k] == m &&
            same_seq(s->ids + s->start[k], a, m, rev))
            return rev ? ~(int32_t)k : (int32_t)k;
    }
    if (s->n >= (size_t)INT32_MAX - 1 ||
        render_grow((void **)&s->ids, &s->cap_ids, s->n_ids + m, sizeof *s->ids) ||
        render_grow((void **)&s->start, &s->cap_start, s->n + 2, sizeof *s->start) ||
        render_grow((void **)&s->hash, &s->cap_hash, s->n + 1, sizeof *s->hash))
        return INT32_MIN;
    if (s->n == 0)
        s->start[0] = 0;
    for (size_t k = 0; k < m; k++)
        s->ids[s->n_ids + k] = a[rev ? m - 1 - k : k];
    s->n_ids += m;
    s->hash[s->n] = h;
    s->start[s->n + 1] = (uint32_t)s->n_ids;
    s->slot[i] = (uint32_t)s->n;
    s->n++;
    return rev ? ~(int32_t)(s->n - 1) : (int32_t)(s->n - 1);
}

static void arcset_clear(arcset *s)
{
    free(s->ids);
    free(s->start);
    free(s->slot);
    free(s->hash);
}

/* Twice the signed area of ring k (metres), relative to its first point. */
static double ring_area(const raw *r, size_t k)
{
    size_t a = r->ring_pt0[k], n = r->ring_pt0[k + 1] - a;
    const double *p = r->pts + 2 * a;
    double sum = 0.0;
    for (size_t i = 1; i + 1 < n; i++)
        sum += (p[2 * i] - p[0]) * (p[2 * i + 3] - p[1]) -
               (p[2 * i + 2] - p[0]) * (p[2 * i + 1] - p[1]);
    return sum;
}

/* Cuts ring k into arcs (at its junctions; a ring without any is one
 * closed arc starting at its smallest point id) and appends its refs. */
static int cut_ring(mg_shapes *s, arcset *as, const raw *r, size_t k,
                    const uint32_t *vid, const uint8_t *junction,
                    uint32_t **seq, size_t *cap_seq, size_t *cap_refs)
{
    size_t a = r->ring_pt0[k], n = r->ring_pt0[k + 1] - a;
    const uint32_t *v = vid + a;
    size_t j0 = n;
    for (size_t i = 0; i < n && j0 == n; i++)
        if (junction[v[i]])
            j0 = i;
    if (render_grow((void **)seq, cap_seq, n + 1, sizeof **seq))
        return -1;
    if (j0 == n) {
        size_t lo = 0;
        for (size_t i = 1; i < n; i++)
            if (v[i] < v[lo])
                lo = i;
        for (size_t i = 0; i <= n; i++)
            (*seq)[i] = v[(lo + i) % n];
        int32_t ref = arcset_add(as, *seq, n + 1);
        if (ref == INT32_MIN ||
            render_grow((void **)&s->refs, cap_refs, s->n_refs + 1, sizeof *s->refs))
            return -1;
        s->refs[s->n_refs++] = ref;
        return 0;
    }
    size_t m = 0;
    for (size_t step = 0; step <= n; step++) {
        uint32_t id = v[(j0 + step) % n];
        (*seq)[m++] = id;
        if (step > 0 && junction[id]) {
            int32_t ref = arcset_add(as, *seq, m);
            if (ref == INT32_MIN || render_grow((void **)&s->refs, cap_refs,
                                         s->n_refs + 1, sizeof *s->refs))
                return -1;
            s->refs[s->n_refs++] = ref;
            (*seq)[0] = id;
            m = 1;
        }
    }
    return 0;
}

/* Builds rings, refs and arcs of s from the raw rings. */
/* Fills s->perim from the arcs; -1 when out of memory. */
static int perimeters(mg_shapes *s)
{
    double *len = malloc((s->n_arcs + 1) * sizeof *len);
    s->perim = calloc(s->n + 1, sizeof *s->perim);
    if (!len || !s->perim) {
        free(len);
        return -1;
    }
    for (size_t a = 0; a < s->n_arcs; a++) {
        len[a] = 0.0;
        for (uint32_t i = s->arc0[a]; i + 1 < s->arc0[a + 1]; i++)
            len[a] += hypot(s->pts[2 * i + 2] - s->pts[2 * i],
                            s->pts[2 * i + 3] - s->pts[2 * i + 1]);
    }
    for (size_t f = 0; f < s->n; f++)
        for (uint32_t k = s->ring0[f]; k < s->ring0[f + 1]; k++)
            for (uint32_t j = 0; j < s->rings[k].n_refs; j++) {
                int32_t ref = s->refs[s->rings[k].ref0 + j];
                s->perim[f] += len[ref < 0 ? ~ref : ref];
            }
    free(len);
    return 0;
}

static int build_topology(mg_shapes *s, const raw *r)
{
    int rc = -1;
    arcset as = {0};
    uint32_t *seq = NULL;
    size_t cap_seq = 0, cap_refs = 0;
    uint32_t *vid = malloc((r->n_pts + 1) * sizeof *vid);
    uint8_t *junction = NULL;
    size_t n_ids = vid ? number_points(r, vid) : SIZE_MAX;
    if (n_ids == SIZE_MAX || !(junction = calloc(n_ids + 1, 1)) ||
        find_junctions(r, vid, n_ids, junction))
        goto done;
    s->rings = malloc((r->n_rings + 1) * sizeof *s->rings);
    s->ring0 = calloc(s->n + 1, sizeof *s->ring0);
    if (!s->rings || !s->ring0)
        goto done;
    for (size_t k = 0; k < r->n_rings; k++) {
        s->ring0[r->ring_feat[k] + 1]++;
        shp_ring *ring = &s->rings[k];
        ring->ref0 = (uint32_t)s->n_refs;
        if (cut_ring(s, &as, r, k, vid, junction, &seq, &cap_seq, &cap_refs))
            goto done;
        ring->n_refs = (uint32_t)(s->n_refs - ring->ref0);
        /* Pixel y grows downwards, so a ring positive in metres is
         * negative in pixels: outer rings get the sign that makes them
         * positive in pixels, holes the other. */
        int negative_px = ring_area(r, k) > 0.0;
        ring->sign = negative_px == !r->ring_hole[k] ? -1.0 : 1.0;
    }
    s->n_rings = r->n_rings;
    for (size_t i = 0; i < s->n; i++)
        s->ring0[i + 1] += s->ring0[i];
    /* The arcs' coordinates, from the first occurrence of each id. */
    double *ux = malloc((n_ids + 1) * 2 * sizeof *ux);
    if (!ux)
        goto done;
    for (size_t i = r->n_pts; i-- > 0;) {
        ux[2 * vid[i]] = r->pts[2 * i];
        ux[2 * vid[i] + 1] = r->pts[2 * i + 1];
    }
    s->n_arcs = as.n;
    s->n_pts = as.n_ids;
    s->arc0 = malloc((as.n + 1) * sizeof *s->arc0);
    s->pts = malloc((as.n_ids + 1) * 2 * sizeof *s->pts);
    if (s->arc0 && s->pts) {
        for (size_t a = 0; a <= as.n; a++)
            s->arc0[a] = as.n ? as.start[a] : 0;
        for (size_t i = 0; i < as.n_ids; i++) {
            s->pts[2 * i] = ux[2 * as.ids[i]];
            s->pts[2 * i + 1] = ux[2 * as.ids[i] + 1];
        }
        rc = perimeters(s);
    }
    free(ux);
done:
    free(vid);
    free(junction);
    free(seq);
    arcset_clear(&as);
    return rc;
}

/* ---- bounds ------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Feature boxes, overall lon/lat bounds and the median feature size. */
static int finish_bounds(mg_shapes *s, const double *pts, size_t n_pts,
                         const uint32_t *feat_of_pt)
{
    mg_tile_bounds all = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < s->n; i++)
        s->box[i] = (mg_tile_bounds){INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < n_pts; i++) {
        double x = pts[2 * i], y = pts[2 * i + 1];
        if (isnan(x))
            continue;
        mg_tile_bounds *b = &s->box[feat_of_pt ? feat_of_pt[i] : i];
        b->west = fmin(b->west, x);
        b->east = fmax(b->east, x);
        b->south = fmin(b->south, y);
        b->north = fmax(b->north, y);
    }
    double *size = malloc((s->n + 1) * sizeof *size);
    if (!size)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        const mg_tile_bounds *b = &s->box[i];
        if (b->west > b->east)
            continue;
        all.west = fmin(all.west, b->west);
        all.east = fmax(all.east, b->east);
        all.south = fmin(all.south, b->south);
        all.north = fmax(all.north, b->north);
        size[m++] = sqrt((b->east - b->west) * (b->north - b->south));
    }
    if (m > 0) {
        qsort(size, m, sizeof *size, cmp_double);
        s->median_size = size[m / 2];
        s->has_bounds = 1;
        mg_tiles_unproject_metres(all.west, all.south, &s->lonlat.west,
                                  &s->lonlat.south);
        mg_tiles_unproject_metres(all.east, all.north, &s->lonlat.east,
                                  &s->lonlat.north);
    }
    free(size);
    return 0;
}

/* ---- public ------------------------------------------------------------- */

int mg_shapes_new_polygons(const unsigned char *const *wkb,
                           const size_t *wkb_size, size_t n, mg_shapes **out,
                           mg_error *err)
{
    *out = NULL;
    if ((n > 0 && (!wkb || !wkb_size)) || n >= UINT32_MAX)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                            "mg_shapes_new_polygons: bad arguments");
    raw r = {0};
    mg_shapes *s = calloc(1, sizeof *s);
    uint32_t *feat_of_pt = NULL;
    int rc = s ? MG_OK : MG_ERR_NOMEM;
    if (s)
        s->n = n;
    for (size_t i = 0; i < n && !rc; i++) {
        if (!wkb[i])
            continue;
        wkb_in w = {wkb[i], wkb[i] + wkb_size[i], 1};
        int e = rd_geom(&w, &r, (uint32_t)i, 0);
        if (e == -2)
            rc = MG_ERR_NOMEM;
        else if (e)
            rc =
                mg_error_set(err, MG_ERR_INPUT, NULL, (long)i, "geometry",
                             "feature %zu: malformed or non-polygonal WKB", i);
    }
    if (!rc && (r.n_pts >= UINT32_MAX / 2 ||
                !(s->box = malloc((n + 1) * sizeof *s->box)) ||
                !(feat_of_pt = malloc((r.n_pts + 1) * sizeof *feat_of_pt))))
        rc = MG_ERR_NOMEM;
    if (!rc) {
        for (size_t k = 0; k < r.n_rings; k++)
            for (size_t i = r.ring_pt0[k]; i < r.ring_pt0[k + 1]; i++)
                feat_of_pt[i] = r.ring_feat[k];
        if (finish_bounds(s, r.pts, r.n_pts, feat_of_pt) ||
            build_topology(s, &r))
            rc = MG_ERR_NOMEM;
    }
    free(feat_of_pt);
    raw_clear(&r);
    if (rc == MG_ERR_NOMEM)
        mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    if (rc) {
        mg_shapes_free(s);
        return rc;
    }
    *out = s;
    return MG_OK;
}

int mg_shapes_new_points(const double *lonlat, size_t n, mg_shapes **out,
                         mg_error *err)
{
    *out = NULL;
    mg_shapes *s = calloc(1, sizeof *s);
    if (s) {
        s->is_points = 1;
        s->n = n;
        s->xy = malloc((2 * n + 1) * sizeof *s->xy);
        s->box = malloc((n + 1) * sizeof *s->box);
    }
    if (!s || !s->xy || !s->box) {
        mg_shapes_free(s);
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        double lon = lonlat[2 * i], lat = lonlat[2 * i + 1];
        if (isfinite(lon) && isfinite(lat)) {
            mg_tiles_project_lonlat(lon, lat, &s->xy[2 * i],
                                    &s->xy[2 * i + 1]);
        } else {
            s->xy[2 * i] = s->xy[2 * i + 1] = NAN;
        }
    }
    if (finish_bounds(s, s->xy, n, NULL)) {
        mg_shapes_free(s);
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    }
    *out = s;
    return MG_OK;
}

void mg_shapes_free(mg_shapes *s)
{
    if (!s)
        return;
    free(s->ring0);
    free(s->rings);
    free(s->refs);
    free(s->arc0);
    free(s->pts);
    free(s->perim);
    free(s->box);
    free(s->xy);
    free(s);
}

size_t mg_shapes_count(const mg_shapes *s)
{
    return s ? s->n : 0;
}

int mg_shapes_get_bounds(const mg_shapes *s, mg_tile_bounds *lonlat)
{
    if (!s || !s->has_bounds)
        return 0;
    *lonlat = s->lonlat;
    return 1;
}

int mg_shapes_suggest_maxzoom(const mg_shapes *s, double px, int tile_size,
                              int cap)
{
    if (!s || s->is_points || !s->has_bounds || !(s->median_size > 0.0))
        return 0;
    int z = 0;
    while (z < cap && s->median_size * tile_size * ldexp(1.0, z) /
                              (2.0 * MG_TILES_HALF_WORLD) <
                          px)
        z++;
    return z;
}
