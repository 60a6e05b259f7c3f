/* GEOS calls of geodata, with its errors and notices captured in one
 * place: the one factory of GEOS contexts. */
#include "geodata/input.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_geos_message(const char *msg, void *user)
{
    mg_geom *g = user;
    snprintf(g->message, sizeof g->message, "%s", msg);
}

int mg_geom_init(mg_geom *g)
{
    memset(g, 0, sizeof *g);
    g->h = GEOS_init_r();
    if (!g->h)
        return -1;
    GEOSContext_setErrorMessageHandler_r(g->h, on_geos_message, g);
    GEOSContext_setNoticeMessageHandler_r(g->h, on_geos_message, g);
    g->reader = GEOSWKBReader_create_r(g->h);
    g->writer = GEOSWKBWriter_create_r(g->h);
    if (!g->reader || !g->writer) {
        mg_geom_clear(g);
        return -1;
    }
    return 0;
}

void mg_geom_clear(mg_geom *g)
{
    if (!g || !g->h)
        return;
    if (g->reader)
        GEOSWKBReader_destroy_r(g->h, g->reader);
    if (g->writer)
        GEOSWKBWriter_destroy_r(g->h, g->writer);
    GEOS_finish_r(g->h);
    memset(g, 0, sizeof *g);
}

GEOSGeometry *mg_geom_from_wkb(mg_geom *g, const unsigned char *wkb, size_t n)
{
    return GEOSWKBReader_read_r(g->h, g->reader, wkb, n);
}

unsigned char *mg_geom_to_wkb(mg_geom *g, const GEOSGeometry *geom, size_t *n)
{
    unsigned char *buf = GEOSWKBWriter_write_r(g->h, g->writer, geom, n);
    if (!buf)
        return NULL;
    /* GEOS owns its buffer's allocator; hand the caller a malloc()ed copy. */
    unsigned char *copy = malloc(*n);
    if (copy)
        memcpy(copy, buf, *n);
    GEOSFree_r(g->h, buf);
    return copy;
}

/* Adds the polygons of geom (recursing into collections) to polys, or only
 * counts them when polys is NULL. */
static unsigned collect_polygons(mg_geom *g, const GEOSGeometry *geom,
                                 GEOSGeometry **polys, unsigned np)
{
    int type = GEOSGeomTypeId_r(g->h, geom);
    if (type == GEOS_POLYGON) {
        if (polys)
            polys[np] = GEOSGeom_clone_r(g->h, geom);
        return np + 1;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION)
        for (int i = 0; i < GEOSGetNumGeometries_r(g->h, geom); i++)
            np = collect_polygons(g, GEOSGetGeometryN_r(g->h, geom, i), polys,
                                  np);
    return np;
}

/* The polygons of geom (a repair may add lines or points) as a new
 * MultiPolygon. */
static GEOSGeometry *polygonal_part(mg_geom *g, const GEOSGeometry *geom)
{
    unsigned n = collect_polygons(g, geom, NULL, 0);
    GEOSGeometry **polys = calloc(n ? n : 1, sizeof *polys);
    if (!polys)
        return NULL;
    collect_polygons(g, geom, polys, 0);
    GEOSGeometry *out =
        GEOSGeom_createCollection_r(g->h, GEOS_MULTIPOLYGON, polys, n);
    free(polys);
    return out;
}

int mg_geom_validate(mg_geom *g, unsigned char **wkb, size_t *size,
                     int *repaired, char *reason, size_t n)
{
    *repaired = 0;
    reason[0] = '\0';
    GEOSGeometry *geom = mg_geom_from_wkb(g, *wkb, *size);
    if (!geom) {
        snprintf(reason, n, "unreadable geometry: %s", g->message);
        return -1;
    }
    if (GEOSisValid_r(g->h, geom) == 1) {
        GEOSGeom_destroy_r(g->h, geom);
        return 0;
    }
    char *why = GEOSisValidReason_r(g->h, geom);
    snprintf(reason, n, "%s", why ? why : "invalid");
    if (why)
        GEOSFree_r(g->h, why);
    GEOSGeometry *fixed = GEOSMakeValid_r(g->h, geom);
    GEOSGeom_destroy_r(g->h, geom);
    GEOSGeometry *poly = fixed ? polygonal_part(g, fixed) : NULL;
    if (fixed)
        GEOSGeom_destroy_r(g->h, fixed);
    size_t out_n = 0;
    unsigned char *out = poly ? mg_geom_to_wkb(g, poly, &out_n) : NULL;
    if (poly)
        GEOSGeom_destroy_r(g->h, poly);
    if (!out)
        return -1;
    free(*wkb);
    *wkb = out;
    *size = out_n;
    *repaired = 1;
    return 0;
}
