/* Helpers shared inside geodata; not part of its public API. */
#ifndef MG_GEODATA_INTERNAL_H
#define MG_GEODATA_INTERNAL_H

#include "geodata/geodata.h"

#include <gdal.h>
#include <jansson.h>
#include <ogr_srs_api.h>

/* An open OGR layer with the dataset that owns it. */
typedef struct vec_source {
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRFeatureDefnH defn;
    const char *path;
} vec_source;

/* Opens path (any OGR source) and its layer (NULL: the first).  Fails with
 * MG_ERR_INPUT naming the file and, for a missing layer, the layers there. */
int vec_open(vec_source *v, const char *path, const char *layer,
             mg_error *err);
void vec_close(vec_source *v);

/* Index of field name in the layer; a missing field fails with MG_ERR_INPUT
 * naming the JSON key and listing the fields the layer has. */
int vec_field(const vec_source *v, const char *name, const char *what,
              int *index, mg_error *err);

/* A transformation from the layer's CRS (or crs_override, any string PROJ
 * or GDAL understands) to WGS 84 lon/lat.  *out is NULL when the source is
 * already WGS 84 lon/lat.  A layer without a CRS and no override is an
 * error, since guessing would put every figure in the wrong place. */
int vec_to_wgs84(const vec_source *v, const char *crs_override,
                 const char *what, OGRCoordinateTransformationH *out,
                 mg_error *err);

/* The text of GDAL's last error, or "unknown reason". */
const char *gdal_reason(void);

/* A copy of the field's value, NULL when null, unset or blank. */
char *field_text(OGRFeatureH f, int index);

/* Writes one CSV cell (RFC 4180), quoted when it holds a separator, a
 * quote or a line break; NULL writes nothing. */
void csv_put(FILE *f, const char *s);

/* Adds a report row with a formatted value; returns MG_OK or MG_ERR_NOMEM. */
int report_addf(mg_report *r, const char *file, long row, const char *field,
                const char *problem, const char *action, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Area in km² of a WKB (multi)polygon in WGS 84, computed in the
 * Lambert cylindrical equal-area projection EPSG:6933. */
int wkb_area_km2(const unsigned char *wkb, size_t size,
                 OGRCoordinateTransformationH to_equal_area, double *km2);

/* WGS 84 lon/lat to EPSG:6933 for wkb_area_km2(); NULL when PROJ fails.
 * The caller destroys it with OCTDestroyCoordinateTransformation(). */
OGRCoordinateTransformationH equal_area_transform(void);

/* Project-file sections (spec.c).  spec_check_keys() rejects a key of obj
 * not in allowed (NULL-terminated), so a typo stops the run instead of
 * falling back to a default.  spec_get_str() reads obj[key] as a non-empty
 * string copy into *out (NULL when absent or null, an error if required).
 * Both return MG_OK or fill err (file, JSON path) and return MG_ERR_PROJECT
 * or MG_ERR_NOMEM. */
int spec_check_keys(const char *file, mg_error *err, json_t *obj,
                    const char *jpath, const char *const *allowed);
int spec_get_str(const char *file, mg_error *err, json_t *obj,
                 const char *jpath, const char *key, int required, char **out);

/* Point-in-polygon over a level (locate.c): an STRtree of envelopes and
 * prepared polygons made on first use, with a GEOS context of its own.
 * region_locator_new() returns MG_OK, MG_ERR_NOMEM or MG_ERR_DEPENDENCY and
 * always sets *out (free it with region_locator_free(), which accepts
 * NULL).  region_locator_find() returns the index of the region holding
 * (lon, lat) -- on a shared border the one first in the level, whatever
 * the tree's order -- or -1 when none does. */
typedef struct region_locator region_locator;
int region_locator_new(const mg_level *l, region_locator **out);
long region_locator_find(region_locator *x, double lon, double lat);
void region_locator_free(region_locator *x);

/* Reads the boundary levels of the project into d->levels. */
int read_levels(mg_dataset *d, mg_error *err);
/* Reads the providers into d->providers. */
int read_providers(mg_dataset *d, mg_error *err);
/* Reads the recipient table into d->recipients. */
int read_recipients(mg_dataset *d, mg_error *err);

/* Allocates the per-region arrays of the model for n_groups/n_categories. */
int region_alloc_figures(mg_region *r, size_t n_groups, size_t n_categories);
void region_clear(mg_region *r);

/* The per-category figures of the regions layer, in column order:
 * "need_", "supply_", "gap_", "coverage_", "providers_", "need_per10k_",
 * "supply_per10k_", "gap_per10k_", each followed by a category or "total". */
enum { N_REGION_FIGURES = 8 };
extern const char *const region_figure_prefix[N_REGION_FIGURES];

/* A field name from a prefix and a model name: lower case, [a-z0-9_]. */
void field_name(char *out, size_t n, const char *prefix, const char *name);

/* Frees the extra columns of a level. */
void level_clear_columns(mg_level *l);

#endif
