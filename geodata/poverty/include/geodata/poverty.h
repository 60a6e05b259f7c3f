/*
 * geodata/poverty — a multidimensional poverty index per region, in the
 * manner of China's VSR poverty map, and the Alkire–Foster (AF) index of the
 * global MPI from household or person records.  docs/poverty.md is the
 * method; this header is the API.
 *
 * The stage through this header:
 *
 *   mg_project_load()        "poverty" of the project file -> mg_poverty_spec
 *                            (project->poverty, NULL when there is none)
 *   mg_poverty_compute()     after mg_dataset_rollup(): indicators read and
 *                            normalised, dimension scores, the index on
 *                            0..100 (100 = poorest), ranks; the AF figures
 *                            per region of the poverty level and of every
 *                            level above it.  All go to the levels as
 *                            columns (mg_level_add_column), so the
 *                            GeoPackage and styles see them by name.
 *   (mapgen)                 the grades: styles classifies poverty_index and
 *                            each dim_<d>_score into poverty_grade and
 *                            dim_<d>_grade (geodata may not call styles).
 *   mg_poverty_write_ranking()   reports/poverty-ranking.csv
 *   mg_poverty_write_af()        reports/poverty-af.csv (the AF figures,
 *                                national first)
 *
 * Fields written on the regions of the poverty level (docs/outputs.md):
 *
 *   poverty_index            0..100, 100 = poorest; NULL when not scored
 *   poverty_grade            1..k (k = grades.classes, 5 by default),
 *                            k = poorest; NULL when not scored
 *   poverty_rank             1 = poorest, competition ranking ("1224")
 *   poverty_rank_in_parent   the same among the regions of one parent
 *   poverty_indicators       how many indicators the score rests on
 *   dim_<d>_score, dim_<d>_grade, dim_<d>_rank   per dimension d
 *   ind_<i>_value, ind_<i>_norm                  per indicator i: the raw
 *                            value and its normalised value (1 = worst)
 * and on the poverty level and every level above it, when the project has
 * "alkire_foster":
 *   af_records, af_weight    records and the sum of their sampling weights
 *   af_h, af_a, af_m0        headcount ratio, intensity, M0 = H x A
 *   af_<j>_censored_h, af_<j>_contrib   per AF indicator j (contrib in %)
 * and, when the records carry sampling weights, the linearised standard
 * errors af_h_se, af_a_se, af_m0_se, af_<j>_censored_h_se (docs/poverty.md,
 * "Standard errors"; strata and PSUs when the spec names them).
 *
 * The tile renderer draws the poverty map from poverty_grade and, when
 * maps_per_dimension is set, one map per dimension from dim_<d>_grade
 * (named "poverty-<d>").
 *
 * Threads: as the rest of geodata, a dataset belongs to one thread at a time;
 * nothing here keeps global state.
 */
#ifndef MG_GEODATA_POVERTY_H
#define MG_GEODATA_POVERTY_H

#include <stddef.h>

#include "geodata/need.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Names of the overall fields (the per-dimension and per-indicator ones are
 * built from the names in the spec: "dim_" name "_score", ...). */
#define MG_POVERTY_FIELD_INDEX "poverty_index"
#define MG_POVERTY_FIELD_GRADE "poverty_grade"
#define MG_POVERTY_FIELD_RANK "poverty_rank"
#define MG_POVERTY_FIELD_RANK_IN_PARENT "poverty_rank_in_parent"
#define MG_POVERTY_FIELD_INDICATORS "poverty_indicators"

/* Longest name of an indicator or dimension, so every field name built
 * from it fits in MG_POVERTY_FIELD_MAX bytes. */
enum { MG_POVERTY_NAME_MAX = 48, MG_POVERTY_FIELD_MAX = 80 };

typedef enum mg_poverty_direction {
    MG_POVERTY_HIGHER_IS_WORSE, /* "higher_is_worse": e.g. distance */
    MG_POVERTY_HIGHER_IS_BETTER /* "higher_is_better": e.g. income */
} mg_poverty_direction;

typedef enum mg_poverty_normalisation {
    MG_POVERTY_MINMAX,    /* "minmax": over the regions with a value */
    MG_POVERTY_GOALPOSTS, /* "goalposts": against fixed [low, high] */
    MG_POVERTY_ZSCORE     /* "zscore": (x - mean) / population sd */
} mg_poverty_normalisation;

typedef enum mg_poverty_missing {
    MG_POVERTY_MISSING_RENORMALISE, /* "renormalise": scored on the
                                       indicators it has */
    MG_POVERTY_MISSING_EXCLUDE      /* "exclude": left without a score */
} mg_poverty_missing;

/* One indicator of the composite index.  Its value in a region is
 *   source / denominator * scale
 * where source is a column of the indicator table ("column") or a field of
 * the regions ("field", anything mg_level_get_values() knows), and the
 * denominator, when given, likewise. */
typedef struct mg_poverty_indicator {
    char *name;   /* [a-z0-9_]: ind_<name>_value, ind_<name>_norm */
    char *column; /* exactly one of column and field is set */
    char *field;
    char *denominator_column; /* at most one of the two; both NULL: none */
    char *denominator_field;
    double scale;     /* 1 unless given */
    size_t dimension; /* index in mg_poverty_spec.dimensions */
    mg_poverty_direction direction;
    mg_poverty_normalisation normalisation;
    double goalpost_low; /* MG_POVERTY_GOALPOSTS: low < high, raw units */
    double goalpost_high;
    double weight; /* within its dimension; they sum to 1 */
    int log_transform; /* "transform": "log": ln(value) first (the HDI's
                          income); values <= 0 are then missing */
} mg_poverty_indicator;

typedef struct mg_poverty_dimension {
    char *name;    /* [a-z0-9_]: dim_<name>_score, poverty-<name> */
    double weight; /* across dimensions; they sum to 1 */
} mg_poverty_dimension;

/* The deprivation test of an AF indicator: a record is deprived when its
 * value is below (the AF default, as in Alkire & Foster 2011), at most,
 * above or at least the cutoff. */
typedef enum mg_af_test {
    MG_AF_BELOW,
    MG_AF_AT_MOST,
    MG_AF_ABOVE,
    MG_AF_AT_LEAST
} mg_af_test;

typedef struct mg_af_indicator {
    char *name;    /* [a-z0-9_]: af_<name>_censored_h, ... */
    char *column;  /* column of the records table */
    double cutoff; /* the deprivation cutoff z_j */
    mg_af_test deprived_if;
    double weight; /* w_j; they sum to 1 */
    char *dimension; /* [a-z0-9_] or NULL: af_dim_<d>_contrib sums the
                        contributions of the dimension's indicators */
} mg_af_indicator;

typedef struct mg_af_spec {
    char *path;         /* the records: one row per household/person */
    char *layer;        /* NULL: the first layer */
    char *code_field;   /* the code of the record's region */
    char *weight_field; /* sampling weight; NULL: every record weighs 1 */
    char *strata_field; /* survey design (with weight_field only): the */
    char *psu_field;    /* stratum and primary sampling unit; NULL: one
                           stratum, each record its own PSU */
    double k;           /* poverty cutoff, in (0, 1] */
    mg_af_indicator *indicators;
    size_t n_indicators;
} mg_af_spec;

/* A weight vector that did not sum to 1 and was renormalised; copied into
 * the join report by mg_poverty_compute(). */
typedef struct mg_poverty_note {
    char *field; /* JSON path: "poverty.dimensions", ... */
    char *what;  /* whose weights: "dimension 'economy'", ... */
    double sum;  /* the sum as given */
} mg_poverty_note;

/* The "poverty" section of the project file (docs/project-file.md). */
typedef struct mg_poverty_spec {
    char *level;      /* the boundary level scored (its name) */
    char *table_path; /* indicator table; NULL when no indicator
                                names a "column" */
    char *table_layer;
    char *table_code_field;
    mg_poverty_missing missing;
    mg_poverty_dimension *dimensions; /* in order of first mention */
    size_t n_dimensions;
    mg_poverty_indicator *indicators; /* may be 0 when there is an AF part */
    size_t n_indicators;
    char *grade_method;     /* "fixed", "quantile", "jenks",
                                "equal_interval" (styles' names) */
    int grade_classes;      /* k, 1..32 */
    double *grade_breaks;   /* "fixed": the k - 1 inner breaks */
    int maps_per_dimension; /* the renderer draws poverty-<d> maps too */
    int geometric;          /* "aggregation": "geometric": the index is
                               1 - prod_d (1 - dim_d)^W_d (as the HDI) */
    int entropy_weights;    /* "weights": "entropy": indicator weights
                               within each dimension by the entropy
                               method, in place of the given ones */
    mg_af_spec *af;         /* NULL: no "alkire_foster" */
    mg_poverty_note *notes; /* renormalised weight vectors */
    size_t n_notes;
} mg_poverty_spec;

/* Frees a spec and everything in it; accepts NULL. */
void mg_poverty_spec_free(mg_poverty_spec *s);

/* Reads the project's "poverty" section (v; NULL when absent) into
 * p->poverty, after the boundaries (its level is checked); the
 * mg_project_section parse() of mg_project_load().  Errors are
 * MG_ERR_PROJECT with the JSON path. */
int mg_poverty_section_parse(mg_spec *s, json_t *v, mg_project *p);
/* Frees p->poverty (the section's clear()). */
void mg_poverty_section_clear(mg_project *p);

/* Runs the poverty stage on a joined, modelled and rolled-up data set
 * (nothing happens when d->project->poverty is NULL): reads the indicator
 * table and the AF records, adds the fields listed at the top of this file
 * (the grade fields too, all NULL, for mapgen to fill) and reports every
 * missing, unreadable or unmatched value in d->report.
 * Returns MG_OK; MG_ERR_INPUT for a missing file, layer or column (err
 * names the file and the JSON key); MG_ERR_PROJECT when a "field" is not a
 * field of the regions or the level is unknown; MG_ERR_NOMEM;
 * MG_ERR_INTERRUPTED. */
int mg_poverty_compute(mg_dataset *d, mg_error *err);

/* The index in d->levels of the level the index is computed on, or -1
 * when the project has no poverty section or no such level. */
long mg_poverty_find_level(const mg_dataset *d);

/* Writes reports/poverty-ranking.csv: the regions of the poverty level
 * from poorest to least poor (unscored ones last, by code), with the index,
 * grade, ranks and every dimension's score, grade and rank.  Columns:
 *   level,rank,code,name,parent_code,parent_name,poverty_index,
 *   poverty_grade,rank_in_parent,indicators, then dim_<d>_score,
 *   dim_<d>_grade,dim_<d>_rank for each dimension.  Index and scores to 2
 * decimals, grades and ranks whole; fmt NULL is plain RFC 4180.
 * Returns MG_OK or MG_ERR_OUTPUT. */
int mg_poverty_write_ranking(const mg_dataset *d, const char *path,
                             const mg_csv_format *fmt, mg_error *err);

/* Writes reports/poverty-af.csv: the AF figures of the whole country
 * (level "national") and of every region of every level that has them.
 * Columns: level,code,name,records,weight,h,a,m0, then
 * <j>_censored_h,<j>_contrib for each AF indicator, then
 * vulnerable,severe; figures unrounded (10 significant digits) in fmt's
 * separator and decimal sign (fmt NULL: plain RFC 4180).  The national
 * row is built from the regions by AF's subgroup decomposability (M0 is
 * the weight-share-weighted mean of the regions' M0).  Returns MG_OK or
 * MG_ERR_OUTPUT; writes nothing (MG_OK) without an AF part. */
int mg_poverty_write_af(const mg_dataset *d, const char *path,
                        const mg_csv_format *fmt, mg_error *err);

#ifdef __cplusplus
}
#endif
#endif
