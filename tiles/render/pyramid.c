/*
 * mg_render_pyramid(): the tiles of every zoom, rendered by a pool of
 * threads and written by the calling thread in a fixed order.
 *
 * The calling thread enumerates tiles band by band (tileindex.c) and
 * publishes them with consecutive sequence numbers; workers take the next
 * number, render and encode the tile with their own raster and canvas, and
 * leave the PNG in slot seq % WINDOW.  The calling thread hands slot after
 * slot to the sinks in sequence order.  A worker does not start a tile
 * more than WINDOW ahead of the writer, which bounds memory.  Nothing a
 * worker computes depends on which worker it is or on timing, so the bytes
 * written do not depend on the number of threads.
 */
#include "render_priv.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- checks ------------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int check_args(const mg_render_layer *layers, size_t n_layers,
                      const mg_render_options *o, size_t n_sinks,
                      mg_error *err)
{
    const char *why = NULL;
    if (!o || (!layers && n_layers))
        why = "missing options or layers";
    else if (o->minzoom < 0 || o->minzoom > o->maxzoom ||
             o->maxzoom > MG_TILES_MAX_ZOOM)
        why = "zooms must satisfy 0 <= min <= max <= 30";
    else if (o->tile_size != 256 && o->tile_size != 512)
        why = "the tile size must be 256 or 512";
    else if (o->threads < 1 || o->threads > 1024)
        why = "threads must be 1..1024";
    else if (o->png_level < 0 || o->png_level > 9)
        why = "the PNG level must be 0..9";
    else if (n_sinks > 32)
        why = "at most 32 sinks";
    else if (o->shard_count < 0 || o->shard_count > 100000 ||
             (o->shard_count > 0 &&
              (o->shard_index < 0 || o->shard_index >= o->shard_count)))
        why = "the shard must satisfy 0 <= index < count <= 100000";
    else if (o->has_bbox &&
             !(o->bbox.west < o->bbox.east && o->bbox.south < o->bbox.north))
        why = "the bbox must have west < east and south < north";
    for (size_t i = 0; !why && i < n_layers; i++) {
        const mg_render_layer *l = &layers[i];
        if (!l->shapes)
            why = "a layer without shapes";
        else if (!(l->outline_width >= 0.0 && l->outline_width < 1000.0))
            why = "an outline width outside 0..1000";
        else if (l->shapes->is_points &&
                 !(l->radius > 0.0 && l->radius < 1000.0))
            why = "a dot radius outside (0, 1000)";
    }
    if (why)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                            "mg_render_pyramid: %s", why);
    return MG_OK;
}

/* ---- enumeration -------------------------------------------------------- */

/* What a band cost, as the first counting pass of a shard found it: its
 * zoom, tiles, the cost of building it and its whole cost (that and its
 * tiles').  Later passes skip a band outside the shard with it. */
typedef struct bandcost {
    int z;
    long tiles;
    long long geo, total;
} bandcost;

typedef struct bandlog {
    bandcost *b;
    size_t n, cap;
    size_t next; /* the band the enumeration is at (replaying) */
    int replay;  /* 0: recording */
} bandlog;

/* A band in flight, with the zoom it belongs to. */
typedef struct bandrec {
    band b;
    rzoom *zm;
    uint64_t seq0;    /* sequence number of b.tiles[0] */
    int last_of_zoom; /* the writer frees zm after this band */
} bandrec;

typedef struct enumr {
    const mg_render_layer *layers;
    size_t n_layers;
    const mg_render_options *o;
    const mg_render_sink *sinks;
    size_t n_sinks;
    int check_sinks;
    int z; /* zoom in progress; maxzoom + 1 when done */
    rzoom *zm;
    uint32_t row, row_end, band_rows;
    tile_window win;
    index_scratch sc;
    mg_render_stats *stats;
    /* sharding: the cost of the tiles enumerated so far and of them all
     * (0: not known yet, every tile taken) */
    long long cost_seen, cost_total;
    const long long *zcost; /* each zoom's cost, to skip a zoom outside
                               the shard; NULL: none skipped */
    zcache *cache; /* per shape set of zm: arcs simplified for its bands */
    size_t n_cache;
    bandlog *log; /* shards: each band's cost; NULL otherwise */
    uint32_t *row_load; /* per row of the zoom's window: its features
                           (band_row_load()), to bound a band's geometry */
    size_t cap_row_load;
} enumr;

/*
 * The estimated cost of a tile, in twentieths of a microsecond of one core
 * (fitted to the render and encode time of every tile of the sample and
 * of 40,000 villages at zooms 0-11, docs/performance.md):
 *   - a tile no edge crosses (inside all its features: one colour, whose
 *     PNG each worker encodes once, or empty): 20 us;
 *   - any other: 30 us, plus 3 us per feature (or dot) with an edge in
 *     it, plus 0.05 us per pixel of those features' outlines, each taken
 *     at most twice the tile's side (what of a long border can lie in
 *     one tile): the rasteriser's work grows with the length drawn, so a
 *     tile of zoom 7 with 300 regions' borders costs several of zoom 11.
 * Building a band's geometry and index costs 0.1 us per point simplified
 * and per feature looked at (band_cost()).
 */
enum { COST_FLAT = 400, COST_TILE = 600, COST_EDGE = 60, COST_GEO = 2 };

static long long tile_cost(const rzoom *zm, const band *b, const btile *t)
{
    long long edges = 0;
    double px = 0.0, cap = 2.0 * zm->tile_size;
    for (uint32_t p = t->p0; p < t->p1; p++) {
        const tpair *pr = &b->pairs[p];
        if (pr->interior)
            continue;
        edges++;
        const zgeom *g = &zm->sets[pr->set];
        if (!g->s->is_points) {
            double len = g->s->perim[pr->feature] * g->scale;
            px += len < cap ? len : cap;
        }
    }
    return edges ? COST_TILE + COST_EDGE * edges + (long long)px : COST_FLAT;
}

/* The cost of building band b (its tiles aside). */
static long long band_cost(const band *b)
{
    return COST_GEO * (long long)(b->work_pts + b->work_feats);
}

/* 1 when tile t (of band b) belongs to the shard of the options: the cost
 * of the tiles before it lies in [i * total / k, (i + 1) * total / k). */
static int in_shard(enumr *e, const band *b, const btile *t)
{
    long long before = e->cost_seen;
    e->cost_seen += tile_cost(e->zm, b, t);
    if (e->o->shard_count <= 0 || e->cost_total <= 0)
        return 1;
    __int128 owner = (__int128)before * e->o->shard_count / e->cost_total;
    return owner == e->o->shard_index;
}

/* The tile range of the bbox at zoom z (tiles overlapping it with
 * positive area) and of the data grown by the buffers. */
static int zoom_window(enumr *e, const rzoom *zm, tile_window *w)
{
    double n = ldexp(1.0, zm->z), t = zm->tile_size, world = n * t;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t s = 0; s < zm->n_sets; s++) {
        const zgeom *g = &zm->sets[s];
        mg_tile_bounds ll;
        if (!mg_shapes_get_bounds(g->s, &ll))
            continue;
        double ax, ay, bx, by;
        mg_tiles_locate_pixel(ll.west, ll.north, zm->z, zm->tile_size, &ax,
                              &ay);
        mg_tiles_locate_pixel(ll.east, ll.south, zm->z, zm->tile_size, &bx,
                              &by);
        x0 = fmin(x0, ax - g->buffer - 1.0);
        y0 = fmin(y0, ay - g->buffer - 1.0);
        x1 = fmax(x1, bx + g->buffer + 1.0);
        y1 = fmax(y1, by + g->buffer + 1.0);
    }
    if (!(x0 <= x1))
        return 0;
    if (e->o->has_bbox) {
        double bx0, by0, bx1, by1;
        mg_tiles_locate_pixel(e->o->bbox.west, e->o->bbox.north, zm->z,
                              zm->tile_size, &bx0, &by0);
        mg_tiles_locate_pixel(e->o->bbox.east, e->o->bbox.south, zm->z,
                              zm->tile_size, &bx1, &by1);
        /* Tiles that overlap the box with positive area. */
        x0 = fmax(x0, floor(bx0 / t) * t);
        y0 = fmax(y0, floor(by0 / t) * t);
        x1 = fmin(x1, (ceil(bx1 / t) - 1.0) * t + t - 1e-9);
        y1 = fmin(y1, (ceil(by1 / t) - 1.0) * t + t - 1e-9);
    }
    x0 = fmax(x0, 0.0);
    y0 = fmax(y0, 0.0);
    x1 = fmin(x1, world - 1e-9);
    y1 = fmin(y1, world - 1e-9);
    if (!(x0 <= x1 && y0 <= y1))
        return 0;
    w->col0 = (uint32_t)(x0 / t);
    w->col1 = (uint32_t)(x1 / t);
    w->row0 = (uint32_t)(y0 / t);
    w->row1 = (uint32_t)(y1 / t);
    return w->col0 <= w->col1 && w->row0 <= w->row1;
}

static void free_zoom(rzoom *zm)
{
    rzoom_clear(zm);
    free(zm);
}

static void free_caches(enumr *e)
{
    for (size_t i = 0; i < e->n_cache; i++)
        zcache_clear(&e->cache[i]);
    free(e->cache);
    e->cache = NULL;
    e->n_cache = 0;
}

/* One cache per shape set of zm, for the zoom's bands. */
static int new_caches(enumr *e, const rzoom *zm)
{
    e->cache = calloc(zm->n_sets + 1, sizeof *e->cache);
    if (!e->cache)
        return MG_ERR_NOMEM;
    e->n_cache = zm->n_sets;
    int rc = MG_OK;
    for (size_t i = 0; i < zm->n_sets && !rc; i++)
        rc = zcache_init(&e->cache[i], &zm->sets[i]);
    return rc;
}

/* 1 when no tile whose costs before it lie in [z0, z1) can be in the
 * shard: that range misses the shard's [ceil(i C / k), ceil((i + 1) C /
 * k)), so the tiles' geometry need not be built. */
static int outside_costs(const enumr *e, long long z0, long long z1)
{
    if (e->o->shard_count <= 0 || e->cost_total <= 0)
        return 0;
    __int128 k = e->o->shard_count, c = e->cost_total, i = e->o->shard_index;
    long long lo = (long long)((i * c + k - 1) / k);
    long long hi = (long long)(((i + 1) * c + k - 1) / k);
    return !(z0 < hi && z1 > lo);
}

/* 1 when no tile of zoom z can be in the shard (zcost[z] its cost). */
static int outside_shard(const enumr *e, int z)
{
    return e->zcost &&
           outside_costs(e, e->cost_seen, e->cost_seen + e->zcost[z]);
}

/* Moves a replayed log past zoom z's bands (a zoom skipped whole). */
static void log_skip_zoom(enumr *e, int z)
{
    bandlog *lg = e->log;
    while (lg && lg->replay && lg->next < lg->n && lg->b[lg->next].z == z)
        lg->next++;
}

/* Starts the next zoom that has a tile window; 0 when there is none. */
static int start_zoom(enumr *e, int *rc)
{
    for (; e->z <= e->o->maxzoom; e->z++) {
        if (outside_shard(e, e->z)) {
            e->cost_seen += e->zcost[e->z];
            log_skip_zoom(e, e->z);
            continue;
        }
        rzoom *zm = malloc(sizeof *zm);
        if (!zm ||
            rzoom_build(zm, e->layers, e->n_layers, e->z, e->o->tile_size)) {
            if (zm)
                free_zoom(zm);
            *rc = MG_ERR_NOMEM;
            return 0;
        }
        if (zm->n_layers > 0 && zoom_window(e, zm, &e->win)) {
            if (new_caches(e, zm)) {
                free_caches(e);
                free_zoom(zm);
                *rc = MG_ERR_NOMEM;
                return 0;
            }
            e->zm = zm;
            e->row = e->win.row0;
            e->row_end = e->win.row1 + 1;
            uint32_t cols = e->win.col1 - e->win.col0 + 1;
            e->band_rows = cols >= 2048 ? 1 : 2048 / cols;
            if (e->band_rows > 256)
                e->band_rows = 256;
            size_t rows = (size_t)(e->row_end - e->row) + 1;
            if (rows > e->cap_row_load) {
                uint32_t *l = realloc(e->row_load, rows * sizeof *l);
                if (!l) {
                    free_caches(e);
                    free_zoom(zm);
                    e->zm = NULL;
                    *rc = MG_ERR_NOMEM;
                    return 0;
                }
                e->row_load = l;
                e->cap_row_load = rows;
            }
            band_row_load(zm->sets, zm->n_sets, &e->win, e->row_load);
            return 1;
        }
        free_zoom(zm);
    }
    return 0;
}

/* A band holds at most BAND_TILES tiles (and 256 rows) and, unless it is
 * one row, the geometry of at most BAND_FEATURES features (counted per
 * row they may touch): the villages of a country at zoom 9, a third of
 * them in a band of 2,048 tiles, held some 60 MB of simplified arcs in a
 * band before this bound. */
enum { BAND_FEATURES = 32768 };

/* The end (exclusive) of the band that begins at row r0. */
static uint32_t band_end(const enumr *e, uint32_t r0)
{
    uint32_t r1 = r0 + 1;
    unsigned long long feats = e->row_load[r0 - e->win.row0];
    while (r1 < e->row_end && r1 - r0 < e->band_rows) {
        feats += e->row_load[r1 - e->win.row0];
        if (feats > BAND_FEATURES)
            break;
        r1++;
    }
    return r1;
}

/* Ends the zoom when its last row is done: br is its last band. */
static void end_band(enumr *e, bandrec *br)
{
    if (e->row < e->row_end)
        return;
    br->last_of_zoom = 1;
    free_caches(e);
    e->zm = NULL;
    e->z++;
}

/* Replaying a shard's log: 1 when the next band (rows up to r1) holds no
 * tile of the shard, which is then passed over as if enumerated, without
 * building it; *br is then an empty band when it ended the zoom.  *geo is
 * the band's logged building cost otherwise. */
static int skip_band(enumr *e, uint32_t r1, bandrec **br, long long *geo,
                     int *rc)
{
    bandlog *lg = e->log;
    *br = NULL;
    *geo = -1;
    if (!lg || !lg->replay || lg->next >= lg->n || lg->b[lg->next].z != e->z)
        return 0; /* (not a shard's later pass, or a log out of step) */
    const bandcost *bc = &lg->b[lg->next++];
    *geo = bc->geo;
    if (!outside_costs(e, e->cost_seen, e->cost_seen + bc->total))
        return 0;
    e->cost_seen += bc->total;
    e->stats->zoom[e->z].tiles += bc->tiles;
    e->row = r1;
    if (e->row >= e->row_end) {
        if (!(*br = calloc(1, sizeof **br))) {
            *rc = MG_ERR_NOMEM;
            return 1;
        }
        (*br)->b.z = e->z;
        (*br)->zm = e->zm;
        end_band(e, *br);
    }
    return 1;
}

/* Logs a band of zoom z with n tiles (recording), built at cost geo,
 * whose costs began at cost_seen0. */
static int log_band(enumr *e, int z, size_t n, long long geo,
                    long long cost_seen0)
{
    bandlog *lg = e->log;
    if (!lg || lg->replay)
        return MG_OK;
    if (lg->n == lg->cap) {
        size_t cap = lg->cap ? 2 * lg->cap : 64;
        bandcost *nb = realloc(lg->b, cap * sizeof *nb);
        if (!nb)
            return MG_ERR_NOMEM;
        lg->b = nb;
        lg->cap = cap;
    }
    lg->b[lg->n++] = (bandcost){z, (long)n, geo, e->cost_seen - cost_seen0};
    return MG_OK;
}

/* Keeps the tiles of br that are in the shard and that some sink lacks
 * (resume); the others are counted. */
static size_t keep_tiles(enumr *e, bandrec *br)
{
    mg_render_zoom_stats *zs = &e->stats->zoom[e->z];
    size_t kept = 0;
    for (size_t i = 0; i < br->b.n_tiles; i++) {
        btile t = br->b.tiles[i];
        if (!in_shard(e, &br->b, &t))
            continue;
        t.need = 0;
        for (size_t k = 0; k < e->n_sinks; k++) {
            const mg_render_sink *s = &e->sinks[k];
            if (!e->check_sinks || !s->has_tile ||
                !s->has_tile(s->user, e->z, t.x, t.y))
                t.need |= 1u << k;
        }
        if (e->n_sinks > 0 && t.need == 0) {
            zs->done_before++;
            continue;
        }
        br->b.tiles[kept++] = t;
    }
    return kept;
}

/* The next band with tiles to render, or NULL (*rc MG_OK when every zoom
 * is done).  Tiles every sink holds already (resume) are dropped here, and
 * a shard passes over the bands outside it (skip_band()). */
static bandrec *next_band(enumr *e, int *rc)
{
    *rc = MG_OK;
    for (;;) {
        if (!e->zm && !start_zoom(e, rc))
            return NULL;
        uint32_t r0 = e->row, r1 = band_end(e, r0);
        bandrec *br;
        long long geo, seen0 = e->cost_seen;
        if (skip_band(e, r1, &br, &geo, rc)) {
            if (br || *rc)
                return br;
            continue;
        }
        br = calloc(1, sizeof *br);
        if (!br || band_build(&br->b, &e->sc, e->cache, e->zm->sets,
                              e->zm->n_sets, e->z, r0, r1, &e->win)) {
            if (br)
                band_clear(&br->b);
            free(br);
            *rc = MG_ERR_NOMEM;
            return NULL;
        }
        br->zm = e->zm;
        e->row = r1;
        e->stats->zoom[e->z].tiles += (long)br->b.n_tiles;
        if (geo < 0)
            geo = band_cost(&br->b);
        e->cost_seen += geo;
        size_t all = br->b.n_tiles, kept = keep_tiles(e, br);
        br->b.n_tiles = kept;
        if (log_band(e, e->z, all, geo, seen0)) {
            band_clear(&br->b);
            free(br);
            *rc = MG_ERR_NOMEM;
            return NULL;
        }
        end_band(e, br);
        if (kept > 0 || br->last_of_zoom)
            return br;
        band_clear(&br->b);
        free(br);
    }
}

static void enumr_clear(enumr *e)
{
    if (e->zm)
        free_zoom(e->zm);
    e->zm = NULL;
    free_caches(e);
    index_scratch_clear(&e->sc);
    free(e->row_load);
    e->row_load = NULL;
    e->cap_row_load = 0;
}

/* ---- the pool ----------------------------------------------------------- */

enum { WINDOW_PER_THREAD = 16, SLOT_EMPTY = 0, SLOT_BUSY, SLOT_READY };
/* Tiles the writer waits for at once (at most the window of one thread). */
enum { WRITE_BATCH = 8 };

typedef struct slot {
    int state;
    int rc;
    int empty;          /* fully transparent */
    unsigned char *png; /* owned unless borrowed (a worker's cache) */
    size_t size;
    int borrowed;
    uint64_t hash; /* of the PNG bytes, for counting duplicates */
    char message[256];
} slot;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    bandrec **bands; /* in flight, in sequence order */
    size_t n_bands, cap_bands;
    uint64_t published, next, written;
    uint64_t wake_at; /* the writer sleeps until this slot is ready */
    slot *slots;
    size_t window;
    int stop;
    int png_level;
    int tile_size;
} pool;

typedef struct wctx {
    pool *p;
    rworker w;
    pthread_t thread;
    int started;
} wctx;

static const bandrec *find_band(const pool *p, uint64_t seq)
{
    for (size_t i = 0; i < p->n_bands; i++) {
        const bandrec *br = p->bands[i];
        if (seq >= br->seq0 && seq < br->seq0 + br->b.n_tiles)
            return br;
    }
    return NULL;
}

/* 1 when every pixel of c equals the first. */
static int uniform(const mg_canvas *c)
{
    /* Every pixel equal to the one before it, the canvas against itself
     * shifted by a pixel: libc's vector compare, not a loop per pixel (a
     * one-colour tile reads all 65,536 of them).  Rows are contiguous
     * (stride 4 x width, as the canvas is made). */
    size_t n = (size_t)c->width * (size_t)c->height;
    if (c->stride != 4 * (size_t)c->width) {
        for (int y = 0; y < c->height; y++)
            for (int x = 0; x < c->width; x++)
                if (memcmp(c->rgba + (size_t)y * c->stride + 4 * (size_t)x,
                           c->rgba, 4) != 0)
                    return 0;
        return 1;
    }
    return n < 2 || memcmp(c->rgba, c->rgba + 4, 4 * (n - 1)) == 0;
}

/* Encodes the worker's canvas into s; a one-colour tile comes from (or
 * goes to) the worker's cache. */
static void encode_png(wctx *wc, slot *s)
{
    rworker *w = &wc->w;
    mg_error err;
    s->empty = 0;
    s->borrowed = 0;
    int one_colour = uniform(w->c);
    if (one_colour) {
        const uint8_t *px = w->c->rgba;
        if (px[3] == 0) {
            s->empty = 1;
            return;
        }
        for (size_t i = 0; i < w->n_cache; i++)
            if (memcmp(w->cache[i].rgba, px, 4) == 0) {
                s->png = w->cache[i].png;
                s->size = w->cache[i].size;
                s->borrowed = 1;
                return;
            }
    }
    if (!w->enc)
        w->enc = mg_png_encoder_new(wc->p->png_level);
    s->rc = w->enc ? mg_png_encode(w->enc, w->c, &s->png, &s->size, &err)
                   : MG_ERR_NOMEM;
    if (s->rc == MG_ERR_NOMEM && !w->enc)
        snprintf(s->message, sizeof s->message, "encode PNG: out of memory");
    else if (s->rc) {
        snprintf(s->message, sizeof s->message, "%.255s", err.message);
        return;
    }
    if (one_colour && w->n_cache < RENDER_PNG_CACHE) {
        png_cache_entry *ce = &w->cache[w->n_cache++];
        memcpy(ce->rgba, w->c->rgba, 4);
        ce->png = s->png;
        ce->size = s->size;
        s->borrowed = 1;
    }
}

/* A 64-bit hash of n bytes, never 0, taken 8 bytes at a time (it only
 * counts duplicate tiles within a run, so the byte order of the machine
 * may change it). */
static uint64_t hash_bytes(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h ? h : 1;
}

/* encode_png(), and the hash of the PNG: the worker makes it, so the
 * writer thread only looks it up. */
static void encode(wctx *wc, slot *s)
{
    encode_png(wc, s);
    if (!s->rc && !s->empty)
        s->hash = hash_bytes(s->png, s->size);
}

static void *worker_main(void *arg)
{
    wctx *wc = arg;
    pool *p = wc->p;
    int init = rworker_init(&wc->w, p->tile_size);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop &&
               !(p->next < p->published && p->next < p->written + p->window))
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        uint64_t seq = p->next++;
        const bandrec *br = find_band(p, seq);
        slot *s = &p->slots[seq % p->window];
        s->state = SLOT_BUSY;
        pthread_mutex_unlock(&p->mu);

        s->rc = init;
        s->png = NULL;
        s->message[0] = '\0';
        if (!s->rc && mg_interrupted)
            s->rc = MG_ERR_INTERRUPTED;
        if (!s->rc)
            s->rc = render_tile(&wc->w, br->zm, &br->b,
                                &br->b.tiles[seq - br->seq0]);
        if (!s->rc)
            encode(wc, s);

        pthread_mutex_lock(&p->mu);
        s->state = SLOT_READY;
        if (seq == p->wake_at)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- duplicates --------------------------------------------------------- */

typedef struct hashset {
    uint64_t *keys;
    size_t n, cap;
} hashset;

/* Adds key; returns 1 when it was there, 0 when added, -1 out of memory.
 * The table grows at three quarters full: a national pyramid has millions
 * of distinct tiles (2.25 million for 600,000 villages to zoom 14), whose
 * table is then 32 MB rather than 64 (and 48 MB while it grows, not 96). */
static int hashset_add(hashset *hs, uint64_t key)
{
    if (4 * (hs->n + 1) > 3 * hs->cap) {
        size_t cap = hs->cap ? 2 * hs->cap : 1024;
        uint64_t *k = calloc(cap, sizeof *k);
        if (!k)
            return -1;
        for (size_t i = 0; i < hs->cap; i++) {
            if (!hs->keys[i])
                continue;
            size_t h = (size_t)(hs->keys[i] & (cap - 1));
            while (k[h])
                h = (h + 1) & (cap - 1);
            k[h] = hs->keys[i];
        }
        free(hs->keys);
        hs->keys = k;
        hs->cap = cap;
    }
    size_t h = (size_t)(key & (hs->cap - 1));
    for (; hs->keys[h]; h = (h + 1) & (hs->cap - 1))
        if (hs->keys[h] == key)
            return 1;
    hs->keys[h] = key;
    hs->n++;
    return 0;
}

/* ---- the writer --------------------------------------------------------- */

typedef struct writer {
    pool *p;
    enumr *e;
    const mg_render_options *o;
    const mg_render_sink *sinks;
    size_t n_sinks;
    mg_render_stats *stats;
    hashset seen;
    long total, done; /* total: estimated until every zoom is built */
    long est[MG_TILES_MAX_ZOOM + 1];
    int known[MG_TILES_MAX_ZOOM + 1]; /* counted, or estimated by boxes */
    double start, zoom_start;
    int zoom;
    int enum_done;
} writer;

/* ---- the total, estimated ------------------------------------------------
 *
 * Progress needs a total before the tiles are known.  Counting them first
 * would build every zoom's simplified geometry and index twice (a few
 * seconds at zoom 10 of 600,000 villages; a tenth of a run of US counties
 * at zooms 0-8, before the first tile).  Instead each zoom is estimated
 * from the features' boxes: the tiles of its window that some feature's
 * box, grown by the buffer, meets (band_box_tiles()), a bound that counts
 * every tile drawn, exact where the features fill their boxes and never
 * far above at the small zooms, where a box spans few tiles.  A zoom whose
 * boxes would mark more than BOX_CELLS cells is taken as 4 times the one
 * before (a zoom has 4 times the tiles of an area).  Each zoom's estimate
 * is replaced by its count once its bands are built (update_estimate()),
 * so the last progress report has the exact total. */

enum { BOX_CELLS = 1 << 24 };

/* Zoom z's estimate, or -1 (then 4 times the one before). */
static int box_zoom(const mg_render_layer *layers, size_t n_layers,
                    const mg_render_options *o, int z, long *n)
{
    enumr e;
    memset(&e, 0, sizeof e);
    e.o = o;
    rzoom zm;
    tile_window win;
    int rc = rzoom_build(&zm, layers, n_layers, z, o->tile_size);
    *n = 0;
    if (!rc && zm.n_layers > 0 && zoom_window(&e, &zm, &win))
        *n = band_box_tiles(zm.sets, zm.n_sets, &win, BOX_CELLS);
    rzoom_clear(&zm);
    return rc;
}

static long sum_estimate(const writer *wr)
{
    long t = 0;
    for (int z = wr->o->minzoom; z <= wr->o->maxzoom; z++)
        t += wr->est[z];
    return t;
}

static int estimate_tiles(const mg_render_layer *layers, size_t n_layers,
                          writer *wr)
{
    const mg_render_options *o = wr->o;
    long prev = 0;
    for (int z = o->minzoom; z <= o->maxzoom; z++) {
        int rc = box_zoom(layers, n_layers, o, z, &wr->est[z]);
        if (rc)
            return rc;
        wr->known[z] = wr->est[z] >= 0;
        if (!wr->known[z])
            wr->est[z] = 4 * prev;
        prev = wr->est[z];
    }
    wr->total = sum_estimate(wr);
    return MG_OK;
}

/* Zoom z's bands are all built: the zooms up to it are counted, those
 * after it without a box estimate taken again from it. */
static void update_estimate(writer *wr, int z)
{
    if (wr->o->shard_count > 0) /* counted exactly before the first tile */
        return;
    for (int k = wr->o->minzoom; k <= z; k++) {
        wr->est[k] = wr->stats->zoom[k].tiles;
        wr->known[k] = 1;
    }
    for (int k = z + 1; k <= wr->o->maxzoom; k++)
        if (!wr->known[k])
            wr->est[k] = 4 * wr->est[k - 1];
    wr->total = sum_estimate(wr);
}

static int report(writer *wr, int z)
{
    wr->done++;
    if (!wr->o->progress)
        return MG_OK;
    mg_render_progress pr = {z, wr->done,
                             wr->total > wr->done ? wr->total : wr->done,
                             now_seconds() - wr->start};
    return wr->o->progress(&pr, wr->o->user) ? MG_OK : MG_ERR_INTERRUPTED;
}

/* Publishes bands until enough tiles are waiting for the workers. */
static int feed(writer *wr, mg_error *err)
{
    pool *p = wr->p;
    while (!wr->enum_done && p->published - p->written < 4 * p->window) {
        int rc;
        long before = 0;
        for (int z = 0; z <= MG_TILES_MAX_ZOOM; z++)
            before += wr->stats->zoom[z].done_before;
        bandrec *br = next_band(wr->e, &rc);
        long after = 0;
        for (int z = 0; z <= MG_TILES_MAX_ZOOM; z++)
            after += wr->stats->zoom[z].done_before;
        for (long k = before; k < after; k++) {
            int r = report(wr, wr->e->z <= wr->o->maxzoom ? wr->e->z
                                                          : wr->o->maxzoom);
            if (r)
                return mg_error_set(err, r, NULL, -1, NULL, "interrupted");
        }
        if (rc)
            return mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
        if (!br) {
            wr->enum_done = 1;
            update_estimate(wr, wr->o->maxzoom);
            break;
        }
        if (br->last_of_zoom)
            update_estimate(wr, br->b.z);
        pthread_mutex_lock(&p->mu);
        if (p->n_bands == p->cap_bands) {
            size_t cap = p->cap_bands ? 2 * p->cap_bands : 8;
            bandrec **b = realloc(p->bands, cap * sizeof *b);
            if (!b) {
                pthread_mutex_unlock(&p->mu);
                band_clear(&br->b);
                if (br->last_of_zoom)
                    free_zoom(br->zm);
                free(br);
                return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                                    "out of memory");
            }
            p->bands = b;
            p->cap_bands = cap;
        }
        br->seq0 = p->published;
        p->bands[p->n_bands++] = br;
        p->published += br->b.n_tiles;
        pthread_cond_broadcast(&p->work);
        pthread_mutex_unlock(&p->mu);
    }
    return MG_OK;
}

/* Frees the bands (and zooms) the writer has passed.  Called locked. */
static void retire_bands(pool *p)
{
    size_t k = 0;
    while (k < p->n_bands &&
           p->bands[k]->seq0 + p->bands[k]->b.n_tiles <= p->written) {
        bandrec *br = p->bands[k];
        band_clear(&br->b);
        if (br->last_of_zoom)
            free_zoom(br->zm);
        free(br);
        k++;
    }
    if (k) /* (p->bands is NULL while no band was ever published) */
        memmove(p->bands, p->bands + k, (p->n_bands - k) * sizeof *p->bands);
    p->n_bands -= k;
}

static int put_all(writer *wr, int z, const btile *t, const slot *s,
                   mg_error *err)
{
    mg_render_zoom_stats *zs = &wr->stats->zoom[z];
    if (s->empty) {
        zs->empty++;
        return MG_OK;
    }
    for (size_t k = 0; k < wr->n_sinks; k++) {
        if (!(t->need & (1u << k)))
            continue;
        int rc = wr->sinks[k].put_tile(wr->sinks[k].user, z, t->x, t->y,
                                       s->png, s->size, err);
        if (rc)
            return rc;
    }
    zs->written++;
    zs->bytes += (long long)s->size;
    int dup = hashset_add(&wr->seen, s->hash);
    if (dup < 0)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    zs->duplicates += dup;
    return MG_OK;
}

/* Writes the next slot; *finished when every tile is written. */
static int write_next(writer *wr, int *finished, mg_error *err)
{
    pool *p = wr->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (wr->enum_done && p->written == p->published) {
            pthread_mutex_unlock(&p->mu);
            *finished = 1;
            return MG_OK;
        }
        if (p->written < p->published &&
            p->slots[p->written % p->window].state == SLOT_READY)
            break;
        if (p->written == p->published) {
            pthread_mutex_unlock(&p->mu);
            return MG_OK; /* feed() must publish more first */
        }
        /* The next slot is not ready: sleep until a batch of slots is (the
         * last of them, or the next one if that is all that is missing),
         * so the writer wakes once a batch rather than once a tile.  The
         * batch lies within the window, so workers reach its end. */
        uint64_t n = p->published - p->written;
        uint64_t last = p->written + (n < WRITE_BATCH ? n : WRITE_BATCH) - 1;
        p->wake_at =
            p->slots[last % p->window].state == SLOT_READY ? p->written : last;
        /* workers held back by the window (see below) go on now */
        pthread_cond_broadcast(&p->work);
        pthread_cond_wait(&p->done, &p->mu);
    }
    uint64_t seq = p->written;
    slot *s = &p->slots[seq % p->window];
    const bandrec *br = find_band(p, seq);
    pthread_mutex_unlock(&p->mu);

    const btile *t = &br->b.tiles[seq - br->seq0];
    int z = br->b.z, rc = s->rc;
    if (rc)
        mg_error_set(err, rc, NULL, -1, NULL, "tile %d/%u/%u: %s", z, t->x,
                     t->y,
                     s->message[0]              ? s->message
                     : rc == MG_ERR_INTERRUPTED ? "interrupted"
                                                : mg_strerror(rc));
    if (!rc) {
        if (z != wr->zoom) {
            double tnow = now_seconds();
            if (wr->zoom >= 0)
                wr->stats->zoom[wr->zoom].seconds += tnow - wr->zoom_start;
            wr->zoom = z;
            wr->zoom_start = tnow;
        }
        rc = put_all(wr, z, t, s, err);
    }
    if (!s->borrowed)
        free(s->png);
    s->png = NULL;
    pthread_mutex_lock(&p->mu);
    s->state = SLOT_EMPTY;
    p->written++;
    retire_bands(p);
    /* A worker that waits for room in the window is woken once a batch of
     * slots is free, not once a slot: a stream of quick tiles (one colour)
     * otherwise costs two context switches a tile.  The writer wakes them
     * too before it sleeps itself, so none waits for room that is there. */
    if (p->written + p->window >= p->next + WRITE_BATCH ||
        p->written >= p->next)
        pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    if (!rc && (rc = report(wr, z)) != 0)
        mg_error_set(err, rc, NULL, -1, NULL, "interrupted");
    if (!rc && mg_interrupted)
        rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                          "interrupted");
    return rc;
}

/* ---- counting ----------------------------------------------------------- */

/* Counts the tiles of every zoom (without rendering) for a shard: with
 * cost_total 0, of every tile, and each zoom's cost into zcost (the cost
 * shards divide); else of the shard of o, whose zooms outside it zcost
 * lets the count skip.  A whole run estimates its total instead
 * (estimate_tiles()). */
static int count_tiles(const mg_render_layer *layers, size_t n_layers,
                       const mg_render_options *o, long long cost_total,
                       long long *zcost, bandlog *log, long *total)
{
    mg_render_stats st;
    memset(&st, 0, sizeof st);
    enumr e = {layers, n_layers, o, NULL,         0,   0,   o->minzoom, NULL,
               0,      0,        0, {0, 0, 0, 0}, {0}, &st, 0,          0,
               NULL,   NULL,     0,  NULL, NULL, 0};
    e.cost_total = cost_total;
    e.zcost = cost_total > 0 ? zcost : NULL;
    e.log = log;
    log->replay = cost_total > 0;
    log->next = 0;
    int rc;
    *total = 0;
    for (;;) {
        long long before = e.cost_seen;
        bandrec *br = next_band(&e, &rc);
        if (!br)
            break;
        if (!cost_total)
            zcost[br->b.z] += e.cost_seen - before;
        *total += (long)br->b.n_tiles;
        band_clear(&br->b);
        if (br->last_of_zoom)
            free_zoom(br->zm);
        free(br);
        if (mg_interrupted) {
            rc = MG_ERR_INTERRUPTED;
            break;
        }
    }
    enumr_clear(&e);
    return rc;
}

/* ---- the whole run ------------------------------------------------------ */

static int run_pool(writer *wr, wctx *ws, int n_threads, mg_error *err)
{
    pool *p = wr->p;
    int rc = MG_OK, finished = 0;
    for (int i = 0; i < n_threads; i++) {
        ws[i].p = p;
        if (pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]) != 0) {
            rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                              "cannot start a rendering thread");
            break;
        }
        ws[i].started = 1;
    }
    while (!rc && !finished) {
        rc = feed(wr, err);
        if (!rc)
            rc = write_next(wr, &finished, err);
    }
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < n_threads; i++)
        if (ws[i].started)
            pthread_join(ws[i].thread, NULL);
    /* Slots a worker filled but the writer never took. */
    for (size_t i = 0; i < p->window; i++)
        if (p->slots[i].state == SLOT_READY && !p->slots[i].borrowed)
            free(p->slots[i].png);
    if (!rc && wr->zoom >= 0)
        wr->stats->zoom[wr->zoom].seconds += now_seconds() - wr->zoom_start;
    return rc;
}

int mg_render_pyramid(const mg_render_layer *layers, size_t n_layers,
                      const mg_render_options *opt,
                      const mg_render_sink *sinks, size_t n_sinks,
                      mg_render_stats *stats, mg_error *err)
{
    mg_render_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    int rc = check_args(layers, n_layers, opt, n_sinks, err);
    if (rc)
        return rc;
    double t0 = now_seconds();
    /* A shard needs the cost of the whole pyramid before its first tile,
     * to know where its range begins: counted. */
    long shard_total = 0;
    long long zcost[MG_TILES_MAX_ZOOM + 1] = {0}, cost = 0;
    bandlog log = {NULL, 0, 0, 0, 0};
    if (opt->shard_count > 0) {
        rc = count_tiles(layers, n_layers, opt, 0, zcost, &log, &shard_total);
        for (int z = 0; z <= MG_TILES_MAX_ZOOM; z++)
            cost += zcost[z];
        if (!rc)
            rc = count_tiles(layers, n_layers, opt, cost, zcost, &log,
                             &shard_total);
        if (rc) {
            free(log.b);
            return mg_error_set(err, rc, NULL, -1, NULL, "%s",
                                rc == MG_ERR_INTERRUPTED ? "interrupted"
                                                         : "out of memory");
        }
        log.replay = 1;
        log.next = 0;
    }
    pool p;
    memset(&p, 0, sizeof p);
    p.window = (size_t)opt->threads * WINDOW_PER_THREAD;
    p.png_level = opt->png_level;
    p.tile_size = opt->tile_size;
    p.slots = calloc(p.window, sizeof *p.slots);
    wctx *ws = calloc((size_t)opt->threads, sizeof *ws);
    enumr e = {layers,      n_layers,     opt,  sinks, n_sinks,
               opt->resume, opt->minzoom, NULL, 0,     0,
               0,           {0, 0, 0, 0}, {0},  stats,
               0,           cost,         zcost, NULL,  0,
               opt->shard_count > 0 ? &log : NULL, NULL, 0};
    writer wr = {&p, &e, opt, sinks, n_sinks, stats, {0}, 0, 0,
                 {0}, {0}, t0, 0, -1, 0};
    if (p.slots && ws)
        rc = estimate_tiles(layers, n_layers, &wr);
    /* A shard's own count is its total (the estimate is the pyramid's). */
    if (!rc && opt->shard_count > 0)
        wr.total = shard_total;
    if (rc) {
        rc = mg_error_set(err, rc, NULL, -1, NULL, "%s",
                          rc == MG_ERR_INTERRUPTED ? "interrupted"
                                                   : "out of memory");
    } else if (!p.slots || !ws) {
        rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
    } else {
        pthread_mutex_init(&p.mu, NULL);
        pthread_cond_init(&p.work, NULL);
        pthread_cond_init(&p.done, NULL);
        rc = run_pool(&wr, ws, opt->threads, err);
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.work);
        pthread_cond_destroy(&p.done);
    }
    p.written = UINT64_MAX;
    retire_bands(&p);
    for (int i = 0; ws && i < opt->threads; i++)
        rworker_clear(&ws[i].w);
    free(ws);
    free(p.slots);
    free(p.bands);
    free(wr.seen.keys);
    enumr_clear(&e);
    free(log.b);
    stats->seconds = now_seconds() - t0;
    return rc;
}

/* ---- one tile ----------------------------------------------------------- */

int mg_render_tile(const mg_render_layer *layers, size_t n_layers, int z,
                   uint32_t x, uint32_t y, int tile_size, mg_canvas *c,
                   mg_error *err)
{
    mg_render_options o = {z, z, tile_size, 0,    {0, 0, 0, 0},
                           1, 6, 0,         NULL, NULL, 0, 0};
    int rc = check_args(layers, n_layers, &o, 0, err);
    if (rc)
        return rc;
    if (!c || c->width != tile_size || c->height != tile_size ||
        (uint64_t)x >= ((uint64_t)1 << z) || (uint64_t)y >= ((uint64_t)1 << z))
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                            "mg_render_tile: bad tile or canvas");
    rzoom zm;
    rworker w;
    band b = {0};
    index_scratch sc = {0};
    tile_window win = {x, x, y, y};
    memset(&w, 0, sizeof w);
    enumr e;
    memset(&e, 0, sizeof e);
    rc = rzoom_build(&zm, layers, n_layers, z, tile_size);
    if (!rc)
        rc = new_caches(&e, &zm);
    if (!rc)
        rc = band_build(&b, &sc, e.cache, zm.sets, zm.n_sets, z, y, y + 1,
                        &win);
    if (!rc) {
        w.r = mg_raster_new(tile_size, tile_size);
        w.c = c;
        rc = w.r ? MG_OK : MG_ERR_NOMEM;
    }
    if (!rc) {
        memset(c->rgba, 0, c->stride * (size_t)c->height);
        if (b.n_tiles == 1)
            rc = render_tile(&w, &zm, &b, &b.tiles[0]);
    }
    w.c = NULL;
    rworker_clear(&w);
    band_clear(&b);
    index_scratch_clear(&sc);
    free_caches(&e);
    rzoom_clear(&zm);
    if (rc)
        mg_error_set(err, rc, NULL, -1, NULL, "%s", mg_strerror(rc));
    return rc;
}
