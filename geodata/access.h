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

#include "geodata/geodata.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- distance decay ----------------------------------------------------- */

typedef enum mg_access_method {
    MG_ACCESS_2SFCA,     /* binary catchment: weight 1 up to d0, 0 beyond */
    MG_ACCESS_E2SFCA,    /* enhanced 2SFCA: a weight per distance band */
    MG_ACCESS_GAUSSIAN   /* Gaussian 2SFCA: weight falls from 1 to 0 at d0 */
} mg_access_method;

/* How a provider's pull falls with distance.  Distances and the catchment
 * are in km for great-circle distances, in the cost unit of the matrix
 * (minutes, metres, ...) when a matrix file is used. */
typedef struct mg_access_decay {
    mg_access_method method;
    double catchment;        /* d0 > 0; for E2SFCA the last band's bound */
    double *band_upper;      /* E2SFCA: n_bands increasing upper bounds */
    double *band_weight;     /* E2SFCA: the weight of each band, >= 0 */
    size_t n_bands;
} mg_access_decay;

/* The weight of distance d (>= 0) under k:
 *   2SFCA     1 for d <= d0
 *   E2SFCA    band_weight[r] for band_upper[r-1] < d <= band_upper[r]
 *             (band 0 is 0 <= d <= band_upper[0])
 *   Gaussian  (exp(-(d/d0)^2 / 2) - exp(-1/2)) / (1 - exp(-1/2)) for d <= d0
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
    size_t *start;           /* n_from + 1 offsets */
    size_t *to;              /* demand index of each pair */
    double *cost;            /* cost of each pair, >= 0 */
} mg_cost_matrix;

/* Frees the arrays and the matrix itself (NULL is fine). */
void mg_cost_matrix_free(mg_cost_matrix *m);

/* ---- accessibility on plain arrays -------------------------------------- */

/* Demand points (one per region) and supply points (one per provider).
 * A point with a NAN coordinate takes no part; weights that are NAN or
 * below 0 count as 0. */
typedef struct mg_access_input {
    size_t n_demand;
    const double *demand_lon, *demand_lat;  /* may be NULL with costs */
    const double *demand_weight;            /* need */
    size_t n_supply;
    const double *supply_lon, *supply_lat;  /* may be NULL with costs */
    const double *supply_weight;            /* capacity */
    const mg_cost_matrix *costs;            /* from = supply, to = demand;
                                               NULL: great-circle km */
} mg_access_input;

/* What mg_access_compute() fills; the caller allocates the arrays. */
typedef struct mg_access_output {
    double *access;          /* n_demand: A_i, capacity per unit of need
                                within reach; NAN for a point without a
                                location */
    double *accessible;      /* n_demand: A_i x need_i, the supply that
                                reaches region i; NAN likewise */
    double *ratio;           /* n_supply or NULL: R_j = capacity / weighted
                                need within the catchment; NAN when the
                                catchment holds no need */
    size_t n_pairs;          /* demand-supply pairs with weight > 0 */
    size_t n_lost;           /* supply points whose catchment holds no need */
} mg_access_output;

/* The two steps of the floating catchment:
 *   R_j = S_j / sum_i D_i W(d_ij)      for every supply point j
 *   A_i = sum_j R_j W(d_ij)            for every demand point i
 * so that sum_i A_i D_i = the capacity of every provider whose catchment
 * holds some need.  Returns MG_OK, MG_ERR_NOMEM or MG_ERR_INTERRUPTED. */
int mg_access_compute(const mg_access_input *in, const mg_access_decay *k,
                      mg_access_output *out, mg_error *err);

/* ---- siting on plain arrays --------------------------------------------- */

typedef struct mg_siting_input {
    size_t n_demand;
    const double *demand_lon, *demand_lat;  /* may be NULL with costs */
    const double *demand_weight;            /* unmet need; NAN/<0 count 0 */
    size_t n_candidates;
    const double *cand_lon, *cand_lat;      /* may be NULL with costs */
    const mg_cost_matrix *costs;            /* from = candidate, to = demand;
                                               NULL: great-circle km */
} mg_siting_input;

/* Maximal covering location, greedy with lazy evaluation (CELF): picks up
 * to k candidates, each the one that covers the most weight not yet
 * covered within radius (ties: the lower index).  Stops early when no
 * candidate covers any more weight.  chosen[] and gain[] (k entries each,
 * gain may be NULL) receive the picks in order and the weight each newly
 * covers; *n_chosen how many.  The result is within a factor 1 - 1/e of
 * the optimum (the coverage is monotone submodular).  Returns MG_OK,
 * MG_ERR_NOMEM or MG_ERR_INTERRUPTED. */
int mg_siting_choose_mclp(const mg_siting_input *in, double radius,
                          size_t k, size_t *chosen, double *gain,
                          size_t *n_chosen, mg_error *err);

/* The weight covered within radius by the candidates set[0..n-1]. */
double mg_siting_eval_coverage(const mg_siting_input *in, double radius,
                               const size_t *set, size_t n);

/* The p-median objective of a set: the weight no candidate of the set
 * reaches (*unreached; only with a cost matrix, where absent pairs are out
 * of reach) and the weighted distance from every other demand point to its
 * nearest candidate of the set (*cost). */
void mg_siting_eval_median(const mg_siting_input *in, const size_t *set,
                           size_t n, double *unreached, double *cost);

/* p-median: k candidates that minimise first the weight left out of
 * reach, then the weight x distance to the nearest chosen one.  Greedy
 * addition, then vertex substitution (the best swap per pass, Teitz and
 * Bart with Whitaker's fast evaluation) until no swap improves, at most
 * 10 k + 50 passes.  Only demand points with weight > 0 count.  chosen[]
 * (k entries) receives min(k, n_candidates) indices, *n_chosen how many.
 * Distances are held as a dense candidates x weighted-demand table of
 * floats, refused (MG_ERR_INPUT) beyond MG_SITING_MEDIAN_MAX cells.
 * Returns MG_OK, MG_ERR_INPUT, MG_ERR_NOMEM or MG_ERR_INTERRUPTED. */
#define MG_SITING_MEDIAN_MAX 64000000
int mg_siting_choose_median(const mg_siting_input *in, size_t k,
                            size_t *chosen, size_t *n_chosen,
                            mg_error *err);

/* ---- the project file's "access" and "siting" --------------------------- */

/* A table of distances or travel costs: one row per pair. */
typedef struct mg_matrix_spec {
    char *path;              /* NULL: great-circle distances */
    char *layer;
    char *region_field;      /* the region's code */
    char *other_field;       /* provider fid / candidate id */
    char *cost_field;
} mg_matrix_spec;

/* A finer layer whose population places each region's demand point at
 * its population-weighted centre. */
typedef struct mg_demand_spec {
    char *path;              /* NULL: GEOS point-on-surface of the region */
    char *layer;
    char *crs;
    char *population_field;
    char *region_code_field; /* NULL: placed by point-in-polygon */
} mg_demand_spec;

typedef struct mg_access_spec {
    size_t n_categories;     /* the model's */
    int *enabled;            /* n_categories: compute this category */
    mg_access_decay *decay;  /* n_categories */
    mg_demand_spec demand;
    mg_matrix_spec distances; /* other_field: the provider's source fid */
} mg_access_spec;

enum { MG_SITING_MCLP = 1, MG_SITING_MEDIAN = 2 };
enum { MG_SITING_NEED_AUTO, MG_SITING_NEED_GAP, MG_SITING_NEED_ACCESS_GAP };

/* Candidate sites from a file: CSV with lon/lat columns or OGR points. */
typedef struct mg_candidate_spec {
    char *path;              /* NULL: each region's point-on-surface */
    char *layer;
    char *crs;
    char *lon_field, *lat_field;
    char *id_field;          /* NULL: the feature id */
    char *name_field;
} mg_candidate_spec;

typedef struct mg_siting_run {
    int category;            /* index in the model */
    size_t count;            /* K */
    double capacity;         /* of each new site; NAN when not given */
    double radius;           /* R; NAN when not given (p-median only) */
    int methods;             /* MG_SITING_MCLP | MG_SITING_MEDIAN */
    int need;                /* MG_SITING_NEED_* */
    mg_candidate_spec candidates;
    mg_matrix_spec distances; /* other_field: the candidate's id */
} mg_siting_run;

typedef struct mg_siting_spec {
    mg_siting_run *runs;
    size_t n;
} mg_siting_spec;

/* Parses the "access" object of a project (JSON text), for commands that
 * build it from their options.  categories are the model's.  Returns
 * MG_OK and sets *out (free with mg_access_spec_free()), or
 * MG_ERR_PROJECT with err naming file and JSON path. */
int mg_access_spec_parse(const char *json, const char *file,
                         const mg_model_spec *m, mg_access_spec **out,
                         mg_error *err);

/* The same for "siting" (an object or an array of objects). */
int mg_siting_spec_parse(const char *json, const char *file,
                         const mg_model_spec *m, mg_siting_spec **out,
                         mg_error *err);

void mg_access_spec_free(mg_access_spec *s);
void mg_siting_spec_free(mg_siting_spec *s);

/* ---- the pipeline stage ------------------------------------------------- */

/* One recommended site. */
typedef struct mg_site {
    const char *method;      /* "mclp" or "pmedian" (static) */
    const char *category;    /* the model's (owned by the project) */
    const char *need;        /* "access_gap" or "gap": the unmet need
                                the sites cover (static) */
    int rank;                /* 1.. within its method and category */
    char *candidate;         /* candidate id: region code or id_field */
    char *name;              /* candidate name, NULL if none */
    char *region_code;       /* region the site lies in, NULL if none */
    char *region_name;
    double lon, lat;
    double capacity;         /* NAN when not given */
    double radius;           /* NAN when not given */
    double need_covered;     /* unmet need of the regions it serves that
                                lie within the radius */
    double cumulative;       /* need_covered of ranks 1..rank */
    size_t regions_served;
    char *served_codes;      /* codes of those regions, comma-separated */
    double mean_distance;    /* need-weighted, to the regions it serves */
} mg_site;

typedef struct mg_sites {
    mg_site *v;
    size_t n;
} mg_sites;

void mg_sites_free(mg_sites *s);

/* Which parts of the stage to run. */
enum { MG_STAGE_ACCESS = 1, MG_STAGE_SITING = 2 };

/* Runs the project's "access" (when stages has MG_STAGE_ACCESS and
 * p->access) and "siting" (MG_STAGE_SITING and p->siting) on a joined,
 * computed and rolled-up dataset.  Access adds to every level, for each
 * category computed, the columns access_<c>, accessible_supply_<c>,
 * access_gap_<c>, access_gap_per10k_<c> and the same for "total"
 * (docs/access.md); siting covers the accessible gap when those columns
 * are there.  Data problems go to d->report.  *sites is set (free with
 * mg_sites_free()) when siting runs, else NULL.  Progress messages go
 * through progress.  Returns MG_OK or an MG_ERR_* code with err filled. */
int mg_access_stage_run(mg_dataset *d, int stages, mg_sites **sites,
                        mg_progress_fn progress, void *user, mg_error *err);

/* Adds the layer "sites" (points, EPSG:4326) to the GeoPackage at path,
 * replacing one of that name.  Returns MG_OK or MG_ERR_OUTPUT. */
int mg_sites_write_gpkg(const mg_sites *s, const char *path, mg_error *err);

/* Writes the sites as CSV (docs/access.md).  Returns MG_OK or
 * MG_ERR_OUTPUT. */
int mg_sites_write_csv(const mg_sites *s, const char *path, mg_error *err);

/* ---- an existing GeoPackage --------------------------------------------- */

/* Reads the layers "regions" (code, name, parent_code, geometry,
 * need_<c>, gap_<c>, population, and any access_* column already there),
 * the parent levels "regions_<level>" in the file's layer order, and
 * "providers" (source_fid, category, capacity, point) of a GeoPackage that
 * `mapgen run` wrote.  p gives the model (see mg_access_list_categories()
 * for a project built without a file).  Region fids are the GeoPackage's.
 * Returns MG_OK and sets *out (free with mg_dataset_free(); it points at
 * p, which must outlive it), or MG_ERR_INPUT naming file, layer and
 * field. */
int mg_access_read_gpkg(const char *path, const mg_project *p,
                        mg_dataset **out, mg_error *err);

/* The category names the need_<c> fields of the layer "regions" name, in
 * field order (need_total and need_per10k_* excluded).  *out is a
 * NULL-terminated array the caller frees (each string and the array). */
int mg_access_list_categories(const char *path, char ***out, size_t *n,
                              mg_error *err);

/* Writes every extra column of every level (creating the fields that are
 * missing, matching features by fid) and, when sites is not NULL, the
 * layer "sites", into the GeoPackage at path in one transaction.  Meant
 * for a temporary copy that the caller renames into place.  Returns MG_OK
 * or MG_ERR_OUTPUT. */
int mg_access_update_gpkg(const mg_dataset *d, const mg_sites *sites,
                          const char *path, mg_error *err);

#ifdef __cplusplus
}
#endif
#endif
