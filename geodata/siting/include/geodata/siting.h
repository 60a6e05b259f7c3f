/*
 * siting — where new services would help most (docs/access.md, "Siting"):
 * maximal covering location (MCLP) and p-median over candidate sites, on
 * the unmet need of the regions (the gap, or the accessible gap when
 * accessibility ran).
 *
 *   mg_siting_stage_run()   the project's runs -> mg_sites, ranked
 *   mg_sites_write_gpkg()   layer "sites" added to a GeoPackage
 *   mg_sites_write_csv()    reports/sites.csv
 *
 * The methods are public on plain arrays too, so that they can be tested
 * and reused: mg_siting_choose_mclp(), mg_siting_choose_median().
 * Distances and pairs within reach come from geodata/access.h.
 *
 * Threads: nothing here keeps global state.  Every fallible function
 * returns MG_OK or an MG_ERR_* code with err filled (when err is not NULL).
 */
#ifndef MG_GEODATA_SITING_H
#define MG_GEODATA_SITING_H

#include "geodata/access.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- siting on plain arrays --------------------------------------------- */

typedef struct mg_siting_input {
    size_t n_demand;
    const double *demand_lon, *demand_lat; /* may be NULL with costs */
    const double *demand_weight;           /* unmet need; NAN/<0 count 0 */
    size_t n_candidates;
    const double *cand_lon, *cand_lat; /* may be NULL with costs */
    const mg_cost_matrix *costs;       /* from = candidate, to = demand;
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
int mg_siting_choose_mclp(const mg_siting_input *in, double radius, size_t k,
                          size_t *chosen, double *gain, size_t *n_chosen,
                          mg_error *err);

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
                            size_t *chosen, size_t *n_chosen, mg_error *err);

/* ---- exact siting: integer programmes solved by GLPK (siting_exact.c) --- */

typedef struct mg_siting_exact {
    double time_limit; /* seconds (wall clock); <= 0 or NAN: none */
    double capacity;   /* of every site; NAN: uncapacitated */
    double *served;    /* out, or NULL: with a capacity, n_candidates
                          entries, the weight each candidate serves */
    size_t *assign;    /* out, or NULL: capacitated p-center, n_demand
                          entries, the candidate each demand point is
                          assigned to (SIZE_MAX: weight 0) */
} mg_siting_exact;

typedef struct mg_siting_result {
    size_t n_chosen;
    double objective; /* MCLP: weight covered; LSCP: sites; p-center: the
                         largest distance from a demand point to its site */
    double bound;     /* the proven bound on the optimum: upper for MCLP,
                         lower for LSCP and p-center; NAN when unknown */
    double gap;       /* |bound - objective| / objective; 0 when optimal */
    int optimal;      /* proven optimal (no time limit stopped it) */
    int fallback;     /* the time ran out in the LP relaxation: the
                         greedy answer is returned */
    double backup;    /* LSCP with backup: weight covered twice or more */
} mg_siting_result;

/* Maximal covering (Church & ReVelle 1974) as an integer programme: at
 * most k sites, the most weight within radius of a site.  With a capacity
 * each site serves at most that much weight (shares of a demand point may
 * go to several sites).  The greedy answer is the first incumbent, so the
 * result is never worse than mg_siting_choose_mclp(); chosen[] (k entries)
 * is ordered by marginal gain.  Returns MG_OK, MG_ERR_NOMEM,
 * MG_ERR_INTERRUPTED or MG_ERR_INPUT (the solver failed). */
int mg_siting_exact_mclp(const mg_siting_input *in, double radius, size_t k,
                         const mg_siting_exact *opt, size_t *chosen,
                         mg_siting_result *res, mg_error *err);

/* Location set covering (Toregas et al. 1971): the fewest sites that put
 * every demand point of weight > 0 within radius of one (with a capacity:
 * and serve all its weight).  backup: then, among solutions with that
 * many sites, the one that covers the most weight twice (Hogan & ReVelle
 * 1986).  chosen[] has n_candidates entries.  A demand point no candidate
 * reaches is MG_ERR_INPUT naming it.  When the time limit ends the LP
 * relaxation, the greedy cover stands (gap NAN). */
int mg_siting_lscp(const mg_siting_input *in, double radius, int backup,
                   const mg_siting_exact *opt, size_t *chosen,
                   mg_siting_result *res, mg_error *err);

/* p-center (Hakimi 1965): k sites that minimise the largest distance from
 * a demand point of weight > 0 to its nearest site; exact by bisection
 * over the pair distances with a covering programme at each (Minieka
 * 1970).  A time limit ends the search with the best radius found and the
 * largest radius proven too short as the bound.  With a capacity
 * (capacitated p-center) each step is the capacitated assignment instead:
 * every demand point assigned whole to one chosen site within the radius,
 * no site serving more weight than the capacity; the radius is then the
 * largest assigned distance, opt->served and opt->assign are filled, and
 * no k sites holding the weight is MG_ERR_INPUT naming "capacity". */
int mg_siting_pcenter(const mg_siting_input *in, size_t k,
                      const mg_siting_exact *opt, size_t *chosen,
                      mg_siting_result *res, mg_error *err);

/* ---- the project file's "siting" ---------------------------------------- */
enum {
    MG_SITING_MCLP = 1,
    MG_SITING_MEDIAN = 2,
    MG_SITING_LSCP = 4,  /* location set covering (exact) */
    MG_SITING_CENTER = 8 /* p-center (exact) */
};
/* "solver" of maximal covering: the greedy, the integer programme, or the
 * programme when candidates x demand points <= MG_SITING_EXACT_AUTO. */
enum { MG_SITING_SOLVER_AUTO, MG_SITING_SOLVER_GREEDY, MG_SITING_SOLVER_EXACT };
#define MG_SITING_EXACT_AUTO 2000000
enum { MG_SITING_NEED_AUTO, MG_SITING_NEED_GAP, MG_SITING_NEED_ACCESS_GAP };

/* Candidate sites from a file: CSV with lon/lat columns or OGR points. */
typedef struct mg_candidate_spec {
    char *path; /* NULL: each region's point-on-surface */
    char *layer;
    char *crs;
    char *lon_field, *lat_field;
    char *id_field; /* NULL: the feature id */
    char *name_field;
} mg_candidate_spec;

typedef struct mg_siting_run {
    int category;    /* index in the model */
    size_t count;    /* K */
    double capacity; /* of each new site; NAN when not given */
    double radius;   /* R; NAN when not given (p-median only) */
    int methods;     /* MG_SITING_MCLP | MG_SITING_MEDIAN | ... */
    int need;        /* MG_SITING_NEED_* */
    int solver;      /* MG_SITING_SOLVER_* (maximal covering) */
    double time_limit; /* seconds per programme; default 60 */
    int backup;      /* LSCP: then the most need covered twice */
    int capacitated; /* MCLP, LSCP: each site serves at most capacity */
    mg_candidate_spec candidates;
    mg_matrix_spec distances; /* other_field: the candidate's id */
} mg_siting_run;

typedef struct mg_siting_spec {
    mg_siting_run *runs;
    size_t n;
} mg_siting_spec;

void mg_siting_spec_free(mg_siting_spec *s);

/* ---- the stage and its outputs ------------------------------------------ */

/* One recommended site. */
typedef struct mg_site {
    const char *method;   /* "mclp", "pmedian", "lscp" or "pcenter" */
    const char *solver;   /* "greedy", "exact" or "heuristic" (p-median) */
    double gap;           /* the solver's optimality gap: 0 proven optimal,
                             NAN for the greedy and heuristics */
    const char *category; /* the model's (owned by the project) */
    const char *need;     /* "access_gap" or "gap": the unmet need
                                the sites cover (static) */
    int rank;             /* 1.. within its method and category */
    char *candidate;      /* candidate id: region code or id_field */
    char *name;           /* candidate name, NULL if none */
    char *region_code;    /* region the site lies in, NULL if none */
    char *region_name;
    double lon, lat;
    double capacity;     /* NAN when not given */
    double radius;       /* NAN when not given */
    double need_covered; /* unmet need of the regions it serves that
                                lie within the radius */
    double cumulative;   /* need_covered of ranks 1..rank */
    size_t regions_served;
    char *served_codes;   /* codes of those regions, comma-separated */
    double mean_distance; /* need-weighted, to the regions it serves */
} mg_site;

typedef struct mg_sites {
    mg_site *v;
    size_t n;
} mg_sites;

void mg_sites_free(mg_sites *s);

/* Reads the project's "siting" section (v; NULL when absent) into
 * p->siting, after p->model and p->access (a run whose need is the
 * accessible gap needs accessibility of its category); the
 * mg_project_section parse() of mg_project_load().  Errors are
 * MG_ERR_PROJECT with the JSON path. */
int mg_siting_section_parse(mg_spec *s, json_t *v, mg_project *p);
/* The same object read alone (for commands that build it from their
 * options), without the check against the project's "access": *out (free
 * with mg_siting_spec_free()) or an error. */
int mg_siting_spec_read(mg_spec *s, json_t *v, const mg_model_spec *m,
                        mg_siting_spec **out);

/* Frees p->siting (the section's clear()). */
void mg_siting_section_clear(mg_project *p);

/* Runs every run of the project's siting (d->project->siting, which must
 * be set) on level 0 of d (joined, computed, rolled up and,
 * when the runs cover the accessible gap, with accessibility's columns),
 * with the demand points of mg_access_demand_points().  Sets *sites (free
 * with mg_sites_free()).  Data problems go to d->report; progress messages
 * through progress.  Returns MG_OK or an MG_ERR_* code with err filled. */
int mg_siting_stage_run(mg_dataset *d, const double *lon, const double *lat,
                        mg_sites **sites, mg_progress_fn progress, void *user,
                        mg_error *err);

/* Adds the layer "sites" (points, EPSG:4326) to the GeoPackage at path,
 * replacing one of that name.  Returns MG_OK or MG_ERR_OUTPUT. */
int mg_sites_write_gpkg(const mg_sites *s, const char *path, mg_error *err);

/* Writes the sites as CSV (docs/outputs.md) in fmt (&mg_csv_plain: RFC
 * 4180; `mapgen run --csv`).  Returns MG_OK or MG_ERR_OUTPUT. */
int mg_sites_write_csv(const mg_sites *s, const char *path,
                       const mg_csv_format *fmt, mg_error *err);

/* Writes the layer "sites" into a GeoPackage open for update through
 * GDAL, replacing one of that name: the hook of mg_gpkg_update() for
 * `mapgen site`.  user is the mg_sites.  Returns 0 or -1 (GDAL's error is
 * set). */
int mg_sites_write_layer(GDALDatasetH ds, void *user);

#ifdef __cplusplus
}
#endif
#endif
