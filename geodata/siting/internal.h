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

#endif
