/* Helpers shared inside geodata/siting; not part of its public API. */
#ifndef MG_GEODATA_SITING_INTERNAL_H
#define MG_GEODATA_SITING_INTERNAL_H

#include "geodata/siting.h"

/* Candidate sites: each region's point-on-surface (ids are the codes), or
 * the points of the run's candidate file.  Fills arrays of n entries the
 * caller frees with siting_candidates_free(). */
typedef struct siting_candidates {
    size_t n;
    double *lon, *lat;
    char **id;    /* candidate id */
    char **name;  /* may hold NULLs */
    long *region; /* region of level 0 it lies in, -1 if none */
} siting_candidates;

int siting_candidates_read(mg_dataset *d, const mg_siting_run *run,
                           siting_candidates *c, mg_error *err);
void siting_candidates_free(siting_candidates *c);

/* The cost between candidate j and demand point i: the matrix's
 * (INFINITY when absent) or the great-circle distance. */
double siting_pair_cost(const mg_siting_input *in, size_t j, size_t i);

/* The weight of demand point i: NAN and negatives count 0. */
double siting_weight(const mg_siting_input *in, size_t i);

/* The demand points each candidate covers within radius (weight > 0 only),
 * as rows: idx[start[j] .. start[j+1]).  Free with siting_cover_free(). */
typedef struct cover_lists {
    size_t *start; /* n_candidates + 1 */
    size_t *idx;
    size_t n, cap;
} cover_lists;

int siting_cover_build(const mg_siting_input *in, double radius,
                       cover_lists *cl, mg_error *err);
void siting_cover_free(cover_lists *cl);

/* The greedy MCLP (CELF) on cover lists: mg_siting_choose_mclp()'s. */
int siting_mclp_greedy(const mg_siting_input *in, const cover_lists *cl,
                       size_t k, size_t *chosen, double *gain,
                       size_t *n_chosen, mg_error *err);

/* An integer programme for GLPK (siting_ip.c): columns made first, rows
 * and coefficients added, 0-based indices. */
typedef struct siting_ip siting_ip;

typedef struct siting_ip_opts {
    double time_limit;   /* seconds (wall clock), <= 0 or NAN: none */
    const double *start; /* a feasible value of every column, or NULL */
    int stop_at_first;   /* stop at the first integer solution */
} siting_ip_opts;

typedef struct siting_ip_result {
    int optimal, feasible, infeasible, timed_out;
    double objective; /* of the incumbent; NAN without one */
    double bound;     /* the best bound proven; NAN when unknown */
    double gap;       /* |bound - objective| / |objective|, 0 optimal */
} siting_ip_result;

siting_ip *siting_ip_new(int maximise, size_t n_cols);
void siting_ip_free(siting_ip *p);
void siting_ip_col(siting_ip *p, size_t c, int binary, double lo, double hi,
                   double obj);
size_t siting_ip_row(siting_ip *p, double lo, double hi);
int siting_ip_add(siting_ip *p, size_t row, size_t col, double v);
/* MG_OK with *res filled (also when infeasible or out of time), or
 * MG_ERR_INTERRUPTED / MG_ERR_INPUT (the solver failed). */
int siting_ip_solve(siting_ip *p, const siting_ip_opts *o,
                    siting_ip_result *res, mg_error *err);
double siting_ip_value(const siting_ip *p, size_t c);

/* The LSCP's columns and rows (siting_exact.c): x_j the first m columns,
 * then with a capacity (not NAN) z_e per pair of cl.  row_of: n_demand. */
int siting_build_lscp(siting_ip *ip, const mg_siting_input *in,
                      const cover_lists *cl, double cap, size_t *row_of);

#endif
