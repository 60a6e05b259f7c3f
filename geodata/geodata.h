/*
 * geodata — read, validate and join mapgen's inputs, and compute the
 * demand–service model.
 *
 * The pipeline through this header:
 *
 *   mg_project_load()      project file (JSON)        -> mg_project
 *   mg_dataset_read()      boundaries, providers,
 *                          recipients (any OGR source) -> mg_dataset
 *   mg_dataset_join()      codes matched, providers placed in regions
 *   mg_model_compute()     need, supply, gap, coverage per region/category
 *   mg_dataset_rollup()    the same figures for each parent level
 *   mg_write_gpkg(), mg_write_ranking(), mg_report_write_csv()
 *
 * Every problem found in the inputs is a row of the mg_report carried by the
 * dataset; nothing is dropped without a row there.  Fatal problems come back
 * as a non-zero status with the detail in an mg_error.
 *
 * Threads: a dataset and a project belong to one thread at a time.  No
 * function here keeps global mutable state.
 */
#ifndef MG_GEODATA_H
#define MG_GEODATA_H

#include <stddef.h>
#include <stdio.h>
#include <signal.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes and errors ------------------------------------------ */

/* Status codes returned by every fallible function.  Each class maps to one
 * process exit code (mg_exit_code()), documented in docs/errors.md. */
enum {
    MG_OK = 0,
    MG_ERR_USAGE = 2,       /* bad command line */
    MG_ERR_PROJECT = 3,     /* project file unreadable, malformed or invalid */
    MG_ERR_INPUT = 4,       /* input file missing/unreadable, field missing, CRS unusable */
    MG_ERR_OUTPUT = 5,      /* an output could not be written */
    MG_ERR_DEPENDENCY = 6,  /* GDAL, PROJ, GEOS or SQLite failed unexpectedly */
    MG_ERR_NOMEM = 7,       /* out of memory */
    MG_ERR_INTERRUPTED = 130 /* SIGINT or SIGTERM */
};

/* Where and what went wrong.  Empty strings and row < 0 mean "not known". */
typedef struct mg_error {
    int code;           /* one of the MG_ERR_* values, MG_OK when clear */
    char file[1024];
    long row;           /* row or feature id in `file`, -1 if none */
    char field[256];    /* field, column or JSON path, "" if none */
    char message[1024];
} mg_error;

/* Clears err (code MG_OK, empty strings). */
void mg_error_clear(mg_error *err);

/* Fills err and returns code, so callers can write `return mg_error_set(...)`.
 * file and field may be NULL. */
int mg_error_set(mg_error *err, int code, const char *file, long row,
                 const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The same with a va_list, for wrappers in other modules. */
int mg_error_setv(mg_error *err, int code, const char *file, long row,
                  const char *field, const char *fmt, va_list ap);

/* Prints "mapgen: error: FILE: row R: field F: MESSAGE" on one line. */
void mg_error_print(const mg_error *err, FILE *out);

/* A short English name of a status code ("input data", "output", ...). */
const char *mg_strerror(int code);

/* The process exit code for a status (identity for the MG_ERR_* values). */
int mg_exit_code(int code);

/* Set by the CLI's signal handler; long loops poll it and return
 * MG_ERR_INTERRUPTED through their normal cleanup. */
extern volatile sig_atomic_t mg_interrupted;

/* ---- code and name normalisation --------------------------------------- */

/* Normalises an administrative code for matching: trims white space, upper-
 * cases ASCII letters and, when the code is all digits, removes leading
 * zeros ("007" and "7" are the same code; "0" stays "0").  Also accepts a
 * number that was stored as a real ("1001.0" -> "1001").
 * Writes at most n bytes including the NUL; returns the length written, or
 * -1 when in is NULL or blank. */
int mg_code_normalise(const char *in, char *out, size_t n);

/* Normalises a place name for comparison: folds the diacritics of Latin
 * letters (ș->s, ă->a, ...), lower-cases and drops everything that is not a
 * letter or digit ("Bistrița-Năsăud" and "Bistrita Nasaud" compare equal).
 * Same return convention as mg_code_normalise(). */
int mg_name_normalise(const char *in, char *out, size_t n);

/* Parses a count or capacity.  Returns
 *   MG_NUM_OK       a plain number,
 *   MG_NUM_BLANK    NULL, empty or white space,
 *   MG_NUM_TEXT     a number followed by free text ("25 /zi"): *value is the
 *                   leading number,
 *   MG_NUM_INVALID  no leading number at all,
 * and MG_NUM_NEGATIVE when the (leading) number is below zero. */
enum { MG_NUM_OK, MG_NUM_BLANK, MG_NUM_TEXT, MG_NUM_INVALID, MG_NUM_NEGATIVE };
int mg_number_parse(const char *text, double *value);

/* ---- project file ------------------------------------------------------- */

/* One boundary level.  levels[0] is the finest (where the join happens);
 * levels[i+1] is the parent of levels[i], linked through
 * levels[i].parent_code_field.  A level with path NULL takes its polygons
 * from the union of its children. */
typedef struct mg_level_spec {
    char *level;             /* layer-name suffix: "uat", "county" */
    char *path;              /* may be NULL for levels > 0 */
    char *layer;             /* NULL: the first layer */
    char *crs;               /* NULL: the layer's own CRS */
    char *code_field;
    char *name_field;        /* NULL: the code is the name */
    char *parent_code_field; /* NULL: no parent level */
    char **fields;           /* numeric input fields kept as columns */
    size_t n_fields;
} mg_level_spec;

typedef struct mg_provider_spec {
    char *path;              /* NULL: the project has no providers */
    char *layer;
    char *crs;               /* CRS of lon/lat columns or override */
    char *lon_field;         /* both set: points come from these columns */
    char *lat_field;
    char *category_field;
    char *capacity_field;
    char *name_field;        /* may be NULL */
    char *region_code_field; /* may be NULL: place by location */
    char *parent_name_field; /* may be NULL: check the parent region's name */
    char **map_from;         /* category_map: source value -> model category */
    char **map_to;
    size_t n_map;            /* 0: values are the category names themselves */
    double missing_capacity; /* capacity used when blank/unreadable */
} mg_provider_spec;

typedef struct mg_recipient_spec {
    char *path;              /* NULL: the project has no recipient table */
    char *layer;
    char *code_field;
    char *population_field;  /* may be NULL: the sum of the groups */
    char **group_fields;     /* one column per model group, same order */
} mg_recipient_spec;

typedef struct mg_model_spec {
    char **groups;
    size_t n_groups;
    char **categories;
    size_t n_categories;
    double *weights;         /* n_groups x n_categories, row-major */
} mg_model_spec;

typedef struct mg_project {
    char *path;              /* the project file, NULL for built-ins */
    char *base_dir;          /* relative input paths resolve from here */
    char *name;              /* output base name: out/<name>.gpkg */
    char *title;
    char *output;            /* output directory */
    char **meta_keys;        /* "metadata": written into the GeoPackage */
    char **meta_values;
    size_t n_meta;
    mg_level_spec *levels;
    size_t n_levels;
    mg_provider_spec providers;
    mg_recipient_spec recipients;
    mg_model_spec model;
    struct mg_poverty_spec *poverty; /* geodata/poverty.h; NULL: none */
    struct mg_access_spec *access;   /* geodata/access.h; NULL: none */
    struct mg_siting_spec *siting;   /* geodata/access.h; NULL: none */
} mg_project;

/* Reads and validates a project file.  Syntax errors carry the line and
 * column; schema errors carry the JSON path of the offending key (e.g.
 * "boundaries[0].code_field").  Returns MG_OK and sets *out (free with
 * mg_project_free()), or MG_ERR_PROJECT with err filled. */
int mg_project_load(const char *path, mg_project **out, mg_error *err);

/* The same from a JSON text; base_dir resolves relative paths. */
int mg_project_parse(const char *json, const char *path, const char *base_dir,
                     mg_project **out, mg_error *err);

/* Fills spec with the default model of BRIEF.md: groups family_poverty,
 * self_dilemma, guardianship; categories consultation, economic_aid,
 * rehabilitation, promotion; key 1.0, complementary 0.5, consultation 1.0.
 * Returns MG_OK or MG_ERR_NOMEM.  Free with mg_model_spec_clear(). */
int mg_model_spec_default(mg_model_spec *spec);
void mg_model_spec_clear(mg_model_spec *spec);

/* Resolves a path of the project against its base_dir.  Caller frees. */
char *mg_project_resolve(const mg_project *p, const char *path);

void mg_project_free(mg_project *p);

/* ---- join report -------------------------------------------------------- */

typedef struct mg_report_row {
    char *file;
    long row;                /* feature id or 1-based data row, -1 if none */
    char *field;
    char *value;
    char *problem;
    char *action;
} mg_report_row;

typedef struct mg_report {
    mg_report_row *rows;
    size_t n, cap;
} mg_report;

/* Appends a row; strings are copied (any may be NULL).  Returns MG_OK or
 * MG_ERR_NOMEM. */
int mg_report_add(mg_report *r, const char *file, long row, const char *field,
                  const char *value, const char *problem, const char *action);

/* Writes the report as CSV (header file,row,field,value,problem,action) with
 * RFC 4180 quoting.  Returns MG_OK or MG_ERR_OUTPUT. */
int mg_report_write_csv(const mg_report *r, const char *path, mg_error *err);

/* Prints one line per distinct problem with its count, most frequent first. */
void mg_report_summarise(const mg_report *r, FILE *out);

void mg_report_clear(mg_report *r);

/* ---- the joined data set ------------------------------------------------ */

/* A region of one level.  Geometry is WKB in WGS 84 lon/lat (EPSG:4326),
 * already valid (repaired with GEOS MakeValid where needed). */
typedef struct mg_region {
    long fid;                /* feature id in the source, -1 if dissolved */
    char *code;              /* as written in the source */
    char *key;               /* normalised code */
    char *name;
    char *parent_code;       /* as written, NULL if none */
    int parent;              /* index in the parent level, -1 if none */
    unsigned char *wkb;
    size_t wkb_size;
    double area_km2;         /* in an equal-area projection; NAN if no geometry */
    double *inputs;          /* the level's kept "fields"; NAN when blank */

    /* inputs from the recipient table (finest level) or summed (parents) */
    double *counts;          /* n_groups; NAN when blank or invalid */
    double population;       /* target population; NAN if unknown */
    int has_recipients;      /* a recipient row matched this region */

    /* model results: index n_categories is the total */
    double *need;
    double *supply;
    double *gap;
    double *coverage;        /* NAN where need is 0 */
    int *n_providers;
} mg_region;

/* A figure that a later stage (poverty index, accessibility, ...) adds to
 * every region of a level; written after the model's fields. */
typedef struct mg_column {
    char *name;              /* field name, [a-z0-9_] */
    int is_integer;          /* written as an integer field */
    double *values;          /* one per region; NAN is NULL */
} mg_column;

typedef struct mg_level {
    char *level;
    mg_region *regions;
    size_t n;
    char *const *inputs;     /* names of the kept input fields (the
                                project's, not owned), n_inputs of them */
    size_t n_inputs;
    mg_column *columns;      /* extra figures, in the order added */
    size_t n_columns;
} mg_level;

/* Adds a column to a level, or returns the existing one of that name, with
 * every value NAN.  *values points at the level's n values (owned by the
 * level).  Returns MG_OK or MG_ERR_NOMEM. */
int mg_level_add_column(mg_level *l, const char *name, int is_integer,
                        double **values);

/* Copies the values of a numeric field of the level into out (l->n values):
 * any field of the regions layer (docs/outputs.md) — "area_km2",
 * "population", a group, "need_total", "gap_per10k_rehabilitation", ... —
 * or an added column.  Returns MG_OK, or MG_ERR_PROJECT when the level has
 * no such field. */
int mg_level_get_values(const mg_level *l, const mg_model_spec *m,
                        const char *name, double *out);

typedef struct mg_provider {
    long fid;
    char *name;
    char *category_raw;      /* the source value */
    int category;            /* index in the model, -1 if not in the model */
    char *capacity_raw;
    double capacity;         /* after parsing (missing_capacity if unreadable) */
    char *region_code_raw;   /* from region_code_field, NULL if none */
    char *parent_name;       /* from parent_name_field, NULL if none */
    double lon, lat;         /* NAN when there is no usable location */
    int region;              /* index in levels[0], -1 if in none */
    const char *placement;   /* "code", "location", "none" */
} mg_provider;

/* A row of the recipient table, before it is matched to a region. */
typedef struct mg_recipient_row {
    long fid;
    char *code;
    char *key;               /* normalised code */
    double *counts;          /* n_groups; NAN when blank or invalid */
    double population;       /* NAN when blank or invalid */
} mg_recipient_row;

typedef struct mg_dataset {
    const mg_project *project; /* not owned */
    char *recipients_path;   /* resolved paths, for messages */
    char *providers_path;
    char **level_paths;      /* n_levels; NULL for dissolved levels */
    mg_recipient_row *recipients;
    size_t n_recipients;
    mg_level *levels;        /* project->n_levels entries */
    size_t n_levels;
    mg_provider *providers;
    size_t n_providers;
    mg_report report;
    size_t n_repaired;       /* geometries repaired with MakeValid */
} mg_dataset;

/* Progress callback in GDAL's style: complete in [0, 1]; returns 0 to cancel. */
typedef int (*mg_progress_fn)(double complete, const char *message, void *user);

/* Reads every input the project names: boundaries of every level (any OGR
 * source, transformed to EPSG:4326, invalid geometries repaired and
 * reported, area computed), providers and recipients.  Data problems go to
 * the report; missing files, layers or fields, and unusable CRSs are fatal.
 * Returns MG_OK and sets *out (free with mg_dataset_free()), or an
 * MG_ERR_* code with err filled. */
int mg_dataset_read(const mg_project *p, mg_dataset **out,
                    mg_progress_fn progress, void *user, mg_error *err);

/* Links each level to its parent, matches recipient rows to regions of the
 * finest level and places every provider in a region (by its code when the
 * project gives a code field, else by point-in-polygon through a GEOS STRtree
 * of prepared polygons).  Reports every unmatched, duplicated or misplaced
 * record.  Returns MG_OK or an MG_ERR_* code. */
int mg_dataset_join(mg_dataset *d, mg_progress_fn progress, void *user,
                    mg_error *err);

void mg_dataset_free(mg_dataset *d);

/* ---- the demand–service model ------------------------------------------ */

/* Computes need, supply, gap, coverage and provider counts for every region
 * of the finest level:
 *   need[c]   = sum over groups g of counts[g] * weight[g][c]
 *   supply[c] = capacity of the providers of category c placed in the region
 *   gap[c]    = max(need[c] - supply[c], 0)
 *   coverage  = supply / need (NAN where need is 0)
 * and the totals at index n_categories.  Missing counts count as 0 (they are
 * in the report already).  Returns MG_OK or MG_ERR_NOMEM. */
int mg_model_compute(mg_dataset *d, mg_error *err);

/* Sums the figures of each level into its parent level.  The gap of a parent
 * is the sum of its children's gaps: in the in-region model the surplus of
 * one region does not serve another.  Regions of a parent level that have no
 * polygon of their own get the union of their children's.  Returns MG_OK or
 * an MG_ERR_* code. */
int mg_dataset_rollup(mg_dataset *d, mg_error *err);

/* A rate per 10,000 of the region's target population (NAN when unknown or 0). */
double mg_per10k(double value, double population);

/* ---- outputs ------------------------------------------------------------ */

/* Writes the GeoPackage at path through GDAL's GPKG driver: layer
 * "regions" (finest level), "regions_<level>" for each parent level, and
 * "providers"; project metadata as dataset metadata.  Field names are in
 * docs/outputs.md.  The caller passes a temporary name and renames it.
 * Returns MG_OK or MG_ERR_OUTPUT/MG_ERR_DEPENDENCY. */
int mg_write_gpkg(const mg_dataset *d, const char *path, mg_error *err);

/* Writes the ranking CSV: for each level, the regions ranked by gap (total
 * and each category; competition ranking, ties share a rank).  Returns MG_OK
 * or MG_ERR_OUTPUT. */
int mg_write_ranking(const mg_dataset *d, const char *path, mg_error *err);

/* A set of output files written under temporary names and renamed into
 * place together by mg_outset_commit().  mg_outset_free() without a commit
 * removes every temporary file, so a failed run leaves nothing behind. */
typedef struct mg_outset mg_outset;

mg_outset *mg_outset_new(void);

/* Registers final_path; returns the temporary path to write instead (owned
 * by the set; it lies in the same directory, which is created when
 * missing), or NULL with err filled. */
const char *mg_outset_add(mg_outset *s, const char *final_path, mg_error *err);

/* Renames every temporary file to its final path.  Returns MG_OK or
 * MG_ERR_OUTPUT (then the files not yet renamed are removed). */
int mg_outset_commit(mg_outset *s, mg_error *err);

void mg_outset_free(mg_outset *s);

#ifdef __cplusplus
}
#endif

#include "geodata/poverty.h" /* the poverty index and Alkire-Foster stage */
#include "geodata/access.h"  /* accessibility (2SFCA) and siting */
#endif
