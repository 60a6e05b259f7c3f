/* GEOS inside geodata: one context per caller, errors captured here. */
#ifndef MG_GEODATA_GEOM_H
#define MG_GEODATA_GEOM_H

#include <geos_c.h>
#include <stddef.h>

typedef struct geom_ctx {
    GEOSContextHandle_t h;
    GEOSWKBReader *reader;
    GEOSWKBWriter *writer;
    char message[512];       /* GEOS's last error text */
} geom_ctx;

/* Returns 0, or -1 when GEOS cannot be initialised. */
int geom_ctx_init(geom_ctx *g);
void geom_ctx_clear(geom_ctx *g);

/* Checks a WKB (multi)polygon; when invalid, repairs it with MakeValid,
 * keeps its polygonal part as a MultiPolygon and replaces *wkb (freed with
 * free()).  *repaired is set, and reason holds GEOS's explanation.
 * Returns 0, or -1 when the WKB cannot be read or the repair fails. */
int geom_validate(geom_ctx *g, unsigned char **wkb, size_t *size,
                  int *repaired, char *reason, size_t n);

/* Reads WKB into a GEOS geometry owned by the caller (NULL on failure). */
GEOSGeometry *geom_from_wkb(geom_ctx *g, const unsigned char *wkb, size_t n);

/* Writes a geometry as WKB (free()d by the caller), NULL on failure. */
unsigned char *geom_to_wkb(geom_ctx *g, const GEOSGeometry *geom, size_t *n);

#endif
