/* Helpers shared by geodata/poverty*.c; not part of the public API. */
#ifndef MG_GEODATA_POVERTY_INTERNAL_H
#define MG_GEODATA_POVERTY_INTERNAL_H

#include "geodata/poverty.h"

#include <jansson.h>

/* Weight-sum tolerance: a vector within this of 1 is taken as summing to 1,
 * so 0.2 + 0.2 + 0.2 + 0.4 does not warn for its rounding. */
#define POVERTY_WEIGHT_TOLERANCE 1e-6

/* Raw indicator values of the poverty level: raw[i][r] for indicator i and
 * region r, NAN where missing (every such case is in the report). */
int poverty_read_indicators(mg_dataset *d, const mg_poverty_spec *s, size_t li,
                            double **raw, mg_error *err);

/* Reads the AF records and adds the af_* columns to level li and every
 * level above it. */
int poverty_compute_af(mg_dataset *d, const mg_af_spec *s, size_t li,
                       mg_error *err);

/* Regions of a level by normalised code: the index of the first region
 * with key, or -1.  Built with poverty_keys_build(), freed with free(). */
typedef struct poverty_key {
    const char *key;
    size_t index;
} poverty_key;
int poverty_keys_build(const mg_level *l, poverty_key **out);
long poverty_keys_find(const poverty_key *keys, size_t n, const char *key);

/* Competition ranks ("1224") of v[0..n-1], largest first, into rank
 * (NAN where v is NAN).  group (may be NULL) restricts each comparison to
 * entries of the same group value; entries with group < 0 get NAN.  Values
 * within 1e-9 of the first of a run share its rank.  Returns MG_OK or
 * MG_ERR_NOMEM. */
int poverty_rank(const double *v, const int *group, size_t n, double *rank);

/* Parses text as one number and nothing else (blanks around it allowed).
 * Returns 1 and sets *v, 0 for NULL or blank, -1 for anything else (*v is
 * then NAN). */
int poverty_parse_number(const char *text, double *v);

/* "prefix" name "suffix" as a field name. */
void poverty_field(char *out, const char *prefix, const char *name,
                   const char *suffix);

#endif
