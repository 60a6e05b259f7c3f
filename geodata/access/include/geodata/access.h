/*
 * geodata/access — catchment-based accessibility across region borders
 * (2SFCA and its distance-decay variants) and the siting of new services
 * (maximal covering location, p-median).  docs/access.md is the long form.
 *
 * The pipeline through this header:
 *
 *   mg_access_stage_run()   after mg_dataset_rollup(): per region and
 *                           category access_<c>, accessible_supply_<c>,
 *                           access_gap_<c> columns (mg_level_add_column),
 *                           then the sites the project asks for -> mg_sites
 *   mg_sites_write_gpkg()   layer "sites" added to a GeoPackage
 *   mg_sites_write_csv()    reports/sites.csv
 *
 * and for `mapgen access` / `mapgen site` on an existing GeoPackage:
 *
 *   mg_access_read_gpkg()   regions, parent levels and providers back into
 *                           an mg_dataset
 *   mg_access_update_gpkg() the columns and the sites written into a copy
 *
 * The building blocks are public too, on plain arrays, so that they can be
 * tested and reused: mg_access_distance_km(), mg_access_weight(),
 * mg_access_compute(), mg_siting_choose_mclp(), mg_siting_choose_median().
 *
 * Distances are great-circle on a sphere of the mean Earth radius,
 * 6371.0088 km (the haversine distance, computed through the chord between
 * unit vectors), unless a cost matrix from a file is given.  Pairs farther
 * apart than the catchment are never materialised: a grid index over the
 * demand points (docs/access.md) finds the pairs within reach, so the work
 * grows with the number of pairs within reach, not with demand x supply.
 *
 * Threads: nothing here keeps global state; a dataset, a spec and a result
 * belong to one thread at a time.  Every fallible function returns MG_OK or
 * an MG_ERR_* code with err filled (when err is not NULL).
 */
#ifndef MG_GEODATA_ACCESS_H
#define MG_GEODATA_ACCESS_H

#include "geodata/need.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- distance decay ----------------------------------------------------- */

/* The decay functions; a new one is a value here, its weight function
 * and a row of mg_access_methods (access_geo.c). */
typedef enum mg_access_method {
    MG_ACCESS_2SFCA,    /* binary catchment: weight 1 up to d0, 0 beyond */
    MG_ACCESS_E2SFCA,   /* enhanced 2SFCA: a weight per distance band */
    MG_ACCESS_GAUSSIAN, /* Gaussian 2SFCA: weight falls from 1 to 0 at d0 */
    MG_ACCESS_POWER,    /* gravity: (max(d, d_min) / d_min)^-beta */
    MG_ACCESS_EXPONENTIAL, /* exp(-beta d) */
    MG_ACCESS_TRIANGULAR,  /* kernel 1 - d/d0 */
    MG_ACCESS_EPANECHNIKOV, /* kernel 1 - (d/d0)^2 */
    MG_ACCESS_QUARTIC,     /* kernel (1 - (d/d0)^2)^2 */
    MG_ACCESS_N_METHODS
} mg_access_method;

/* How a provider's pull falls with distance.  Distances and the catchment
 * are in km for great-circle distances, in the cost unit of the matrix
 * (minutes, metres, ...) when a matrix file is used. */
typedef struct mg_access_decay {
    mg_access_method method;
    double catchment;    /* d0 > 0; for E2SFCA the last band's bound */
    double *band_upper;  /* E2SFCA: n_bands increasing upper bounds */
    double *band_weight; /* E2SFCA: the weight of each band, >= 0 */
    size_t n_bands;
    double beta;         /* power and exponential: the decay, > 0 */
    double min_distance; /* power: d_min > 0 (0: 1 unit) */
    int steps;           /* 3: 3SFCA's selection weights; else 2SFCA */
} mg_access_decay;

struct mg_access_decay;

/* A row of the table of decay functions. */
typedef struct mg_access_method_info {
    const char *key;   /* the project file's "method" */
    const char *label; /* for people: "Gaussian 2SFCA" */
    int bands;         /* takes "bands" (E2SFCA) */
    int beta;          /* needs "beta" (power, exponential) */
    /* the weight of d, 0 <= d <= the catchment */
    double (*weight)(const struct mg_access_decay *k, double d);
} mg_access_method_info;

extern const mg_access_method_info mg_access_methods[MG_ACCESS_N_METHODS];

/* The weight of distance d (>= 0) under k:
 *   2SFCA     1 for d <= d0
 *   E2SFCA    band_weight[r] for band_upper[r-1] < d <= band_upper[r]
 *             (band 0 is 0 <= d <= band_upper[0])
 *   Gaussian  (exp(-(d/d0)^2 / 2) - exp(-1/2)) / (1 - exp(-1/2)) for d <= d0
 *   power     (max(d, d_min) / d_min)^-beta      exponential  exp(-beta d)
 *   triangular 1 - d/d0   Epanechnikov 1 - (d/d0)^2   quartic (1 - (d/d0)^2)^2
 * and 0 for d > d0 or d NAN. */
double mg_access_weight(const mg_access_decay *k, double d);

/* Great-circle distance in km between two lon/lat points in degrees on a
 * sphere of radius 6371.0088 km: 2R asin(|p - q| / 2) for the unit
 * vectors p, q, which equals the haversine formula. */
double mg_access_distance_km(double lon1, double lat1, double lon2,
                             double lat2);

/* ---- cost matrix -------------------------------------------------------- */

/* Costs between "from" points (providers, candidate sites) and "to" points
 * (regions' demand points) read from a file: only the pairs within reach,
 * as rows per from-point (compressed sparse rows).  A pair that is absent
 * is out of reach.  Build one by hand for tests: start has n_from + 1
 * offsets into to[] and cost[]. */
typedef struct mg_cost_matrix {
    size_t n_from, n_to;
    size_t *start; /* n_from + 1 offsets */
    size_t *to;    /* demand index of each pair */
    double *cost;  /* cost of each pair, >= 0 */
} mg_cost_matrix;

/* Frees the arrays and the matrix itself (NULL is fine). */
void mg_cost_matrix_free(mg_cost_matrix *m);

/* ---- accessibility on plain arrays -------------------------------------- */

/* Demand points (one per region) and supply points (one per provider).
 * A point with a NAN coordinate takes no part; weights that are NAN or
 * below 0 count as 0. */
typedef struct mg_access_input {
    size_t n_demand;
    const double *demand_lon, *demand_lat; /* may be NULL with costs */
    const double *demand_weight;           /* need */
    size_t n_supply;
    const double *supply_lon, *supply_lat; /* may be NULL with costs */
    const double *supply_weight;           /* capacity */
    const mg_cost_matrix *costs;           /* from = supply, to = demand;
                                               NULL: great-circle km */
} mg_access_input;

/* What mg_access_compute() fills; the caller allocates the arrays. */
typedef struct mg_access_output {
    double *access;     /* n_demand: A_i, capacity per unit of need
                                within reach; NAN for a point without a
                                location */
    double *accessible; /* n_demand: A_i x need_i, the supply that
                                reaches region i; NAN likewise */
    double *ratio;      /* n_supply or NULL: R_j = capacity / weighted
                                need within the catchment; NAN when the
                                catchment holds no need */
    size_t n_pairs;     /* demand-supply pairs with weight > 0 */
    size_t n_lost;      /* supply points whose catchment holds no need */
} mg_access_output;

/* The two steps of the floating catchment:
 *   R_j = S_j / sum_i D_i W(d_ij)      for every supply point j
 *   A_i = sum_j R_j W(d_ij)            for every demand point i
 * so that sum_i A_i D_i = the capacity of every provider whose catchment
 * holds some need.  With k->steps == 3 (3SFCA, Wan, Zou & Sternberg 2012)
 * every W(d_ij) is weighted by the selection weight
 * G_ij = W(d_ij) / sum_k W(d_ik) over the providers k that reach i.  Returns MG_OK, MG_ERR_NOMEM or MG_ERR_INTERRUPTED. */
int mg_access_compute(const mg_access_input *in, const mg_access_decay *k,
                      mg_access_output *out, mg_error *err);

/* ---- the project file's "access" ---------------------------------------- */

/* A table of distances or travel costs: one row per pair. */
typedef struct mg_matrix_spec {
    char *path; /* NULL: great-circle distances */
    char *layer;
    char *region_field; /* the region's code */
    char *other_field;  /* provider fid / candidate id */
    char *cost_field;
} mg_matrix_spec;

/* A finer layer whose population places each region's demand point at
 * its population-weighted centre. */
typedef struct mg_demand_spec {
    char *path; /* NULL: GEOS point-on-surface of the region */
    char *layer;
    char *crs;
    char *population_field;
    char *region_code_field; /* NULL: placed by point-in-polygon */
} mg_demand_spec;

typedef struct mg_access_spec {
    size_t n_categories;    /* the model's */
    int *enabled;           /* n_categories: compute this category */
    mg_access_decay *decay; /* n_categories */
    mg_demand_spec demand;
    mg_matrix_spec distances; /* other_field: the provider's source fid */
    int normalise; /* also access_norm_<c>: A_i over its need-weighted mean */
} mg_access_spec;

/* Reads parent["distances"] (absent: s untouched) into s: keys path,
 * layer, region_field, other_key (the provider's or candidate's id) and
 * cost_field; jpath is the parent's path.  mg_matrix_spec_clear() frees
 * what it holds. */
int mg_matrix_spec_parse(mg_spec *sp, json_t *parent, const char *jpath,
                         const char *other_key, mg_matrix_spec *s);
void mg_matrix_spec_clear(mg_matrix_spec *s);

void mg_access_spec_free(mg_access_spec *s);

/* ---- building blocks that siting shares --------------------------------
 * The grid index, the pairs within reach, region codes, demand points and
 * cost matrices: siting (geodata/siting.h) walks the same pairs of the
 * same points as accessibility does. */

/* ---- grid index of points  ---------------------------------------------- */

/* Points in lon/lat bucketed into cells of a regular degree grid over
 * their bounding box.  A query for the points within r km of a point
 * visits the cells of the bounding box of that spherical cap (exact, so
 * no point within reach is missed) and keeps those whose great-circle
 * distance is <= r. */
typedef struct mg_geo_grid {
    const double *lon, *lat; /* not owned */
    double x0, y0, cell;     /* origin and cell size in degrees */
    size_t nx, ny;
    size_t *start; /* nx * ny + 1 offsets into items */
    size_t *items; /* point indices, by cell */
    double *xyz;   /* unit vector of each point (3 per point) */
} mg_geo_grid;

/* Points found by a query, reused from query to query. */
typedef struct mg_geo_hits {
    size_t *idx;
    double *dist;
    size_t n, cap;
} mg_geo_hits;

/* Indexes the n points (NAN coordinates are left out) for queries of
 * about radius_km.  Returns MG_OK or MG_ERR_NOMEM. */
int mg_geo_grid_build(mg_geo_grid *g, const double *lon, const double *lat,
                      size_t n, double radius_km);
void mg_geo_grid_free(mg_geo_grid *g);

/* The points within radius_km of (lon, lat), in index order, with their
 * distances.  Returns MG_OK or MG_ERR_NOMEM. */
int mg_geo_grid_query(const mg_geo_grid *g, double lon, double lat,
                      double radius_km, mg_geo_hits *out);
void mg_geo_hits_free(mg_geo_hits *h);

/* The unit vector of a lon/lat point, and the great-circle distance in km
 * between two such vectors: mg_access_distance_km() in two halves, so a
 * loop over many pairs computes each point's vector once. */
void mg_access_unit_vector(double lon, double lat, double v[3]);
double mg_access_vector_km(const double a[3], const double b[3]);

/* The pairs of "from" point j within max_cost: from the matrix when there
 * is one, else from the grid of the "to" points.  The one way both
 * accessibility and siting walk the pairs. */
typedef struct mg_pair_source {
    const mg_cost_matrix *costs;
    mg_geo_grid grid;
    const double *from_lon, *from_lat;
} mg_pair_source;

int mg_pair_source_init(mg_pair_source *s, const mg_cost_matrix *costs,
                        const double *to_lon, const double *to_lat,
                        size_t n_to, const double *from_lon,
                        const double *from_lat, double max_cost);
int mg_pair_source_get(const mg_pair_source *s, size_t j, double max_cost,
                       mg_geo_hits *out);
void mg_pair_source_free(mg_pair_source *s);

/* ---- codes  ------------------------------------------------------------- */

/* ---- points of regions  ------------------------------------------------- */

/* GEOS point-on-surface of every region of l (NAN without a polygon);
 * *lon and *lat are malloc()ed.  Returns MG_OK or an MG_ERR_* code. */
int mg_access_region_points(const mg_level *l, double **lon, double **lat);

/* A feature's location in WGS 84: its point, or the point-on-surface of
 * a polygon.  Returns 0, or -1 with *why set to the problem. */
int mg_access_feature_point(OGRFeatureH f, OGRCoordinateTransformationH t,
                            double *x, double *y, const char **why);

/* One point per region of level 0: its GEOS point-on-surface, or (when
 * the access spec names a demand layer) its population-weighted centre.
 * Regions without a polygon (or a centre) get NAN and a report row.
 * *lon and *lat are malloc()ed, n = levels[0].n.  Returns MG_OK or an
 * MG_ERR_* code with err filled. */
int mg_access_demand_points(mg_dataset *d, const mg_demand_spec *demand,
                            double **lon, double **lat, mg_error *err);

/* ---- cost matrix  ------------------------------------------------------- */

/* Reads a matrix file: rows whose region code is in regions and whose
 * other id is in others, with a cost <= max_cost, become pairs (from =
 * other, to = region).  Problems go to d->report.  what names the JSON
 * key for messages ("access.distances").  Returns MG_OK and sets *out. */
int mg_access_matrix_read(mg_dataset *d, const mg_matrix_spec *spec,
                          const char *what, const mg_code_index *regions,
                          const mg_code_index *others, size_t n_others,
                          double max_cost, mg_cost_matrix **out,
                          mg_error *err);

/* Polls the interrupt flag every 1024 steps; MG_ERR_INTERRUPTED with err
 * filled when set. */
int mg_access_poll(size_t step, mg_error *err);

/* ---- the project file's "access" and the stage -------------------------- */

/* Reads the project's "access" section (v; NULL when absent) into
 * p->access, after p->model; the mg_project_section parse() of
 * mg_project_load().  Errors are MG_ERR_PROJECT with the JSON path. */
int mg_access_section_parse(mg_spec *s, json_t *v, mg_project *p);
/* Frees p->access (the section's clear()). */
void mg_access_section_clear(mg_project *p);

/* Runs the project's accessibility (d->project->access, which must be set)
 * on a joined, computed and rolled-up data set, with the demand points of
 * mg_access_demand_points() (lon, lat: one per region of level 0).  Adds to
 * every level, for each category computed, the columns access_<c>,
 * accessible_supply_<c>, access_gap_<c>, access_gap_per10k_<c> and the same
 * for "total" (docs/access.md).  Data problems go to d->report; progress
 * messages through progress.  Returns MG_OK or an MG_ERR_* code with err
 * filled. */
int mg_access_stage_run(mg_dataset *d, const double *lon, const double *lat,
                        mg_progress_fn progress, void *user, mg_error *err);

#ifdef __cplusplus
}
#endif
#endif
