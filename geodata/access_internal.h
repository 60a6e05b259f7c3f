/* Helpers of accessibility and siting shared inside geodata; not public. */
#ifndef MG_GEODATA_ACCESS_INTERNAL_H
#define MG_GEODATA_ACCESS_INTERNAL_H

#include "geodata/access.h"
#include "geodata/access_project.h"
#include "geodata/geom.h"
#include "geodata/internal.h"

#include <jansson.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif


/* ---- grid index of points (access_geo.c) -------------------------------- */

/* Points in lon/lat bucketed into cells of a regular degree grid over
 * their bounding box.  A query for the points within r km of a point
 * visits the cells of the bounding box of that spherical cap (exact, so
 * no point within reach is missed) and keeps those whose great-circle
 * distance is <= r. */
typedef struct geo_grid {
    const double *lon, *lat; /* not owned */
    double x0, y0, cell;     /* origin and cell size in degrees */
    size_t nx, ny;
    size_t *start;           /* nx * ny + 1 offsets into items */
    size_t *items;           /* point indices, by cell */
    double *xyz;             /* unit vector of each point (3 per point) */
} geo_grid;

/* Points found by a query, reused from query to query. */
typedef struct geo_hits {
    size_t *idx;
    double *dist;
    size_t n, cap;
} geo_hits;

/* Indexes the n points (NAN coordinates are left out) for queries of
 * about radius_km.  Returns MG_OK or MG_ERR_NOMEM. */
int geo_grid_build(geo_grid *g, const double *lon, const double *lat,
                   size_t n, double radius_km);
void geo_grid_free(geo_grid *g);

/* The points within radius_km of (lon, lat), in index order, with their
 * distances.  Returns MG_OK or MG_ERR_NOMEM. */
int geo_grid_query(const geo_grid *g, double lon, double lat,
                   double radius_km, geo_hits *out);
void geo_hits_free(geo_hits *h);

/* The unit vector of a lon/lat point, and the great-circle distance in km
 * between two such vectors: mg_access_distance_km() in two halves, so a
 * loop over many pairs computes each point's vector once. */
void access_unit_vector(double lon, double lat, double v[3]);
double access_vector_km(const double a[3], const double b[3]);

/* The pairs of "from" point j within max_cost: from the matrix when there
 * is one, else from the grid of the "to" points.  The one way both
 * accessibility and siting walk the pairs. */
typedef struct pair_source {
    const mg_cost_matrix *costs;
    geo_grid grid;
    const double *from_lon, *from_lat;
} pair_source;

int pair_source_init(pair_source *s, const mg_cost_matrix *costs,
                     const double *to_lon, const double *to_lat, size_t n_to,
                     const double *from_lon, const double *from_lat,
                     double max_cost);
int pair_source_get(const pair_source *s, size_t j, double max_cost,
                    geo_hits *out);
void pair_source_free(pair_source *s);

/* ---- codes (access_points.c) -------------------------------------------- */

/* Normalised codes sorted for lookups: region codes, provider fids,
 * candidate ids. */
typedef struct code_index {
    char **keys;
    size_t *index;
    size_t n;
} code_index;

/* Adds codes[i] (normalised) for i < n; NULL or blank codes are left out. */
int code_index_build(code_index *ci, const char *const *codes, size_t n);
/* The index of the first entry with this (raw) code, or -1. */
long code_index_find(const code_index *ci, const char *raw);
void code_index_free(code_index *ci);

/* ---- points of regions (access_points.c) -------------------------------- */

/* GEOS point-on-surface of every region of l (NAN without a polygon);
 * *lon and *lat are malloc()ed.  Returns MG_OK or an MG_ERR_* code. */
int access_region_points(const mg_level *l, double **lon, double **lat);

/* A feature's location in WGS 84: its point, or the point-on-surface of
 * a polygon.  Returns 0, or -1 with *why set to the problem. */
int access_feature_point(OGRFeatureH f, OGRCoordinateTransformationH t,
                         double *x, double *y, const char **why);

/* One point per region of level 0: its GEOS point-on-surface, or (when
 * the access spec names a demand layer) its population-weighted centre.
 * Regions without a polygon (or a centre) get NAN and a report row.
 * *lon and *lat are malloc()ed, n = levels[0].n.  Returns MG_OK or an
 * MG_ERR_* code with err filled. */
int access_demand_points(mg_dataset *d, const mg_demand_spec *demand,
                         double **lon, double **lat, mg_error *err);

/* Candidate sites: each region's point-on-surface (ids are the codes), or
 * the points of the run's candidate file.  Fills arrays of n entries the
 * caller frees with access_candidates_free(). */
typedef struct access_candidates {
    size_t n;
    double *lon, *lat;
    char **id;               /* candidate id */
    char **name;             /* may hold NULLs */
    long *region;            /* region of level 0 it lies in, -1 if none */
} access_candidates;

int access_candidates_read(mg_dataset *d, const mg_siting_run *run,
                           access_candidates *c, mg_error *err);
void access_candidates_free(access_candidates *c);

/* ---- cost matrix (access_matrix.c) -------------------------------------- */

/* Reads a matrix file: rows whose region code is in regions and whose
 * other id is in others, with a cost <= max_cost, become pairs (from =
 * other, to = region).  Problems go to d->report.  what names the JSON
 * key for messages ("access.distances").  Returns MG_OK and sets *out. */
int access_matrix_read(mg_dataset *d, const mg_matrix_spec *spec,
                       const char *what, const code_index *regions,
                       const code_index *others, size_t n_others,
                       double max_cost, mg_cost_matrix **out, mg_error *err);

/* ---- siting (siting_stage.c) -------------------------------------------- */

/* Runs every siting run of the project on level 0 of d, with the demand
 * points of access_demand_points().  Appends to *sites. */
int siting_stage_run(mg_dataset *d, const double *lon, const double *lat,
                     mg_sites *sites, mg_progress_fn progress, void *user,
                     mg_error *err);

/* The cost between candidate j and demand point i: the matrix's
 * (INFINITY when absent) or the great-circle distance. */
double siting_pair_cost(const mg_siting_input *in, size_t j, size_t i);

/* Writes the layer "sites" into an open GeoPackage (replacing one of that
 * name).  Returns 0 or -1 (GDAL's error is set). */
int access_gpkg_write_sites(GDALDatasetH ds, const mg_sites *s);

/* Polls the interrupt flag every 1024 steps; MG_ERR_INTERRUPTED with err
 * filled when set. */
int access_poll(size_t step, mg_error *err);

#endif
