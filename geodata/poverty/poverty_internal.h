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

/* The records kept for the standard errors of the AF figures (records
 * with sampling weights only; poverty_se.c). */
typedef struct af_record {
    size_t region;  /* in the poverty level */
    double w;       /* sampling weight */
    double poor;    /* 1 or 0 */
    double score;   /* c_i when poor, else 0 (censored score) */
    char *stratum;  /* NULL: the one stratum */
    char *psu;      /* NULL: the record is its own PSU */
} af_record;

typedef struct af_store {
    af_record *rec;
    unsigned char *g; /* n x nj: censored deprivation g_ij x poor */
    size_t n, cap, nj;
} af_store;

/* Appends a record (stratum and psu are taken over); MG_OK or NOMEM. */
int af_store_push(af_store *s, const af_record *r, const unsigned char *g);
void af_store_free(af_store *s);

/* af_h_se, af_a_se, af_m0_se, af_<j>_censored_h_se of level li + lv for
 * every lv < n_levels from the stored records. */
int af_put_se(mg_dataset *d, const mg_af_spec *a, size_t li, size_t n_levels,
              const af_store *s);

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
