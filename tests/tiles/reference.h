/* Reference coverages for the rasteriser tests: GDAL's rasteriser on a
 * supersampled grid, and an exact per-pixel area by polygon clipping. */
#ifndef MG_TESTS_TILES_REFERENCE_H
#define MG_TESTS_TILES_REFERENCE_H

#include "tiles/store.h"

/* Supersampling factor of the GDAL reference: 16 x 16 samples a pixel. */
enum { REF_SS = 16 };

/* Sets up GDAL (drivers, quiet error handler) and GEOS.  Call once. */
void ref_init(void);
void ref_finish(void);

/* WKT of a multipolygon holding the polygons' rings as given.  free() it. */
char *ref_wkt_polygons(const mg_polygon *p, size_t n);

/* WKT of a linestring through n points.  free() it. */
char *ref_wkt_line(const double *xy, size_t n, int closed);

/* GDAL's coverage of the geometry in wkt (pixel coordinates): the number,
 * 0..REF_SS^2, of sample points (centres of the sub-pixels of a REF_SS
 * times finer MEM raster) that GDALRasterizeGeometries() burns in each of
 * w x h pixels.  GDAL fills polygons with the even-odd rule.  When edges
 * is not NULL it gets, per pixel, the number of the geometry's edges that
 * pass through the pixel (what the sampling error scales with).  Returns
 * 0, or -1 with a message on stderr. */
int ref_gdal_counts(const char *wkt, int w, int h, int *counts, int *edges);

/* GEOS's buffer of the WKT line by half_width with the given end cap and
 * join (GEOSBUF_* values; quadsegs 64 per quarter circle), as WKT.  free()
 * it; NULL on failure. */
char *ref_geos_buffer(const char *wkt, double half_width, int cap, int join,
                      double mitre_limit);

/* The exact area of each pixel inside the valid polygons p (outer ring
 * minus holes, parts disjoint), by clipping every ring to every pixel. */
void ref_exact_cover(const mg_polygon *p, size_t n, int w, int h,
                     double *cover);

#endif
