/* Point-in-polygon over a level: an STRtree of the regions' envelopes and
 * prepared polygons made on first use.  The tree keeps only envelopes
 * (GEOS 3.10 and later copy them into its nodes), so each region's GEOS
 * geometry is dropped once inserted and made again from its WKB when a
 * point first falls in its envelope: at 600,000 villages, holding them all
 * cost about 440 MiB of the run's peak (docs/performance.md).  The join places providers with it,
 * the accessibility stage demand and candidate points. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct mg_locator {
    mg_geom g;
    const mg_level *l;
    GEOSSTRtree *tree;
    GEOSGeometry **geoms;
    const GEOSPreparedGeometry **prepared;
    size_t *items;
    size_t n;
    size_t *hits;
    size_t n_hits, cap_hits;
};

int mg_locator_new(const mg_level *l, mg_locator **out)
{
    mg_locator *x = calloc(1, sizeof *x);
    *out = x;
    if (!x)
        return MG_ERR_NOMEM;
    if (mg_geom_init(&x->g) != 0)
        return MG_ERR_DEPENDENCY;
    x->n = l->n;
    x->l = l;
    x->geoms = calloc(l->n ? l->n : 1, sizeof *x->geoms);
    x->prepared = calloc(l->n ? l->n : 1, sizeof *x->prepared);
    x->items = malloc((l->n ? l->n : 1) * sizeof *x->items);
    x->tree = GEOSSTRtree_create_r(x->g.h, 10);
    if (!x->geoms || !x->prepared || !x->items || !x->tree)
        return MG_ERR_NOMEM;
    for (size_t i = 0; i < l->n; i++) {
        x->items[i] = i;
        const mg_region *r = &l->regions[i];
        if (!r->wkb)
            continue;
        GEOSGeometry *geom = mg_geom_from_wkb(&x->g, r->wkb, r->wkb_size);
        if (!geom)
            return MG_ERR_DEPENDENCY;
        GEOSSTRtree_insert_r(x->g.h, x->tree, geom, &x->items[i]);
        GEOSGeom_destroy_r(x->g.h, geom);
    }
    return MG_OK;
}

static void collect_hit(void *item, void *user)
{
    mg_locator *x = user;
    if (x->n_hits == x->cap_hits) {
        size_t cap = x->cap_hits ? x->cap_hits * 2 : 16;
        size_t *h = realloc(x->hits, cap * sizeof *h);
        if (!h)
            return; /* the candidate is lost; the point may go unplaced */
        x->hits = h;
        x->cap_hits = cap;
    }
    x->hits[x->n_hits++] = *(size_t *)item;
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

long mg_locator_find(mg_locator *x, double lon, double lat)
{
    GEOSContextHandle_t h = x->g.h;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, lon, lat);
    if (!pt)
        return -1;
    x->n_hits = 0;
    GEOSSTRtree_query_r(h, x->tree, pt, collect_hit, x);
    /* The order of the tree is not the order of the file: sort, so a
     * point on a shared border goes to the region first in the file. */
    if (x->n_hits > 1)
        qsort(x->hits, x->n_hits, sizeof *x->hits, by_size);
    long found = -1;
    for (size_t k = 0; k < x->n_hits && found < 0; k++) {
        size_t i = x->hits[k];
        const mg_region *r = &x->l->regions[i];
        if (!x->geoms[i])
            x->geoms[i] = mg_geom_from_wkb(&x->g, r->wkb, r->wkb_size);
        if (!x->prepared[i] && x->geoms[i])
            x->prepared[i] = GEOSPrepare_r(h, x->geoms[i]);
        if (x->prepared[i] &&
            GEOSPreparedIntersects_r(h, x->prepared[i], pt) == 1)
            found = (long)i;
    }
    GEOSGeom_destroy_r(h, pt);
    return found;
}

void mg_locator_free(mg_locator *x)
{
    if (!x)
        return;
    GEOSContextHandle_t h = x->g.h;
    if (x->tree)
        GEOSSTRtree_destroy_r(h, x->tree);
    for (size_t i = 0; i < x->n; i++) {
        if (x->prepared && x->prepared[i])
            GEOSPreparedGeom_destroy_r(h, x->prepared[i]);
        if (x->geoms && x->geoms[i])
            GEOSGeom_destroy_r(h, x->geoms[i]);
    }
    free(x->geoms);
    free(x->prepared);
    free(x->items);
    free(x->hits);
    mg_geom_clear(&x->g);
    free(x);
}
