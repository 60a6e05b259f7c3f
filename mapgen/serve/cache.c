/* mapgen serve: tiles read from SQLite stores, kept in memory.
 *
 * A tile of an MBTiles file or a GeoPackage costs a query and two copies
 * of its bytes (SQLite's, then ours); a tile asked again (the tiles of
 * the first view, of a region everyone looks at) is answered from here
 * with neither.  Direct-mapped: a tile takes the slot its key hashes to,
 * and pushes out the one that was there; the cache belongs to one
 * catalog and dies with it, so a replaced store is never answered from
 * here.  The bytes are reference-counted: a response still being sent
 * keeps them after they left the cache. */
#include "serve_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
    size_t map;
    int z;
    uint32_t x, y;
    serve_blob *blob;
} slot;

struct serve_cache {
    pthread_mutex_t lock;
    slot *slots;
    size_t n, used, budget;
};

serve_blob *serve_blob_new(size_t size)
{
    serve_blob *b = malloc(sizeof *b + (size ? size : 1));
    if (b) {
        atomic_init(&b->refs, 1);
        b->size = size;
        b->etag[0] = '\0';
    }
    return b;
}

void serve_blob_unref(void *blob)
{
    serve_blob *b = blob;
    if (b && atomic_fetch_sub(&b->refs, 1) == 1)
        free(b);
}

serve_cache *serve_cache_new(size_t slots, size_t budget)
{
    serve_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (slots && !(c->slots = calloc(slots, sizeof *c->slots))) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    c->n = c->slots ? slots : 0;
    c->budget = budget;
    return c;
}

void serve_cache_free(serve_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        serve_blob_unref(c->slots[i].blob);
    pthread_mutex_destroy(&c->lock);
    free(c->slots);
    free(c);
}

static slot *slot_of(serve_cache *c, size_t map, int z, uint32_t x,
                     uint32_t y)
{
    uint64_t k[4] = {map, (uint64_t)z, x, y};
    return &c->slots[serve_fnv(14695981039346656037ULL, k, sizeof k) % c->n];
}

serve_blob *serve_cache_get(serve_cache *c, size_t map, int z, uint32_t x,
                            uint32_t y)
{
    serve_blob *b = NULL;
    if (!c || !c->n)
        return NULL;
    pthread_mutex_lock(&c->lock);
    slot *s = slot_of(c, map, z, x, y);
    if (s->blob && s->map == map && s->z == z && s->x == x && s->y == y) {
        b = s->blob;
        atomic_fetch_add(&b->refs, 1);
    }
    pthread_mutex_unlock(&c->lock);
    return b;
}

void serve_cache_put(serve_cache *c, size_t map, int z, uint32_t x,
                     uint32_t y, serve_blob *b)
{
    serve_blob *old = NULL;
    if (!c || !c->n)
        return;
    pthread_mutex_lock(&c->lock);
    slot *s = slot_of(c, map, z, x, y);
    size_t freed = s->blob ? s->blob->size : 0;
    if (c->used - freed + b->size <= c->budget) {
        old = s->blob;
        c->used = c->used - freed + b->size;
        *s = (slot){map, z, x, y, b};
        atomic_fetch_add(&b->refs, 1);
    }
    pthread_mutex_unlock(&c->lock);
    serve_blob_unref(old);
}
