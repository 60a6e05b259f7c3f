/* The tile renderer's per-zoom and per-thread state (tiles/render.c), used
 * by tiles/pyramid.c; not part of the public API. */
#ifndef MG_TILES_RENDER_PRIV_H
#define MG_TILES_RENDER_PRIV_H

#include "render_internal.h"

/* A layer as drawn at one zoom. */
typedef struct rlayer {
    const mg_render_layer *l;
    size_t set;           /* index of its shapes in rzoom.sets */
    double outline_width; /* pixels of this tile size */
    double radius;
} rlayer;

/* What every tile of one zoom needs: the layers drawn there and their
 * shape sets at the zoom (scale and buffer; each band has its own
 * simplified geometry, band.geo).  Read-only while tiles render. */
typedef struct rzoom {
    int z, tile_size;
    zgeom *sets;
    size_t n_sets;
    rlayer *layers; /* the layers active at z, in drawing order */
    size_t n_layers;
} rzoom;

/* Builds zm for zoom z.  Returns MG_OK or MG_ERR_NOMEM; clear with
 * rzoom_clear() either way. */
int rzoom_build(rzoom *zm, const mg_render_layer *layers, size_t n_layers,
                int z, int tile_size);
void rzoom_clear(rzoom *zm);

/* A PNG of a tile of one colour, kept for the next tile like it. */
typedef struct png_cache_entry {
    uint8_t rgba[4];
    unsigned char *png;
    size_t size;
} png_cache_entry;

enum { RENDER_PNG_CACHE = 32 };

/* One rendering thread's own buffers. */
typedef struct rworker {
    mg_raster *r;
    mg_canvas *c;
    double *buf;     /* ring or line in tile pixels */
    size_t cap;      /* points */
    uint32_t *stamp; /* per arc: the stroke pass that drew it */
    size_t cap_stamp;
    uint32_t now;
    mg_rgba *groups;
    size_t cap_groups;
    png_cache_entry cache[RENDER_PNG_CACHE];
    size_t n_cache;
    mg_png_encoder *enc; /* made by the first tile encoded */
} rworker;

int rworker_init(rworker *w, int tile_size);
void rworker_clear(rworker *w);

/* Draws tile t of band b into w->c.  Returns MG_OK or an MG_ERR_* code. */
int render_tile(rworker *w, const rzoom *zm, const band *b, const btile *t);

#endif
