/*
 * input — read, validate and join mapgen's inputs: the project file, the
 * boundaries of every level, the providers and the recipient table, the
 * join report; and the boundaries to GDAL/OGR, GEOS and PROJ that the
 * models above read their own files through.
 *
 * The pipeline through this header:
 *
 *   mg_project_load()      project file (JSON)        -> mg_project
 *   mg_dataset_read()      boundaries, providers,
 *                          recipients (any OGR source) -> mg_dataset
 *   mg_dataset_join()      codes matched, providers placed in regions
 *   mg_report_write_csv()  reports/join-report.csv
 *
 * The models fill the data set next: geodata/need.h (need, supply, gap),
 * geodata/access.h, geodata/siting.h, geodata/poverty.h.
 *
 * Every problem found in the inputs is a row of the mg_report carried by the
 * dataset; nothing is dropped without a row there.  Fatal problems come back
 * as a non-zero status with the detail in an mg_error.
 *
 * Threads: a dataset and a project belong to one thread at a time.  No
 * function here keeps global mutable state.
 */
#ifndef MG_GEODATA_INPUT_H
#define MG_GEODATA_INPUT_H

#include <stddef.h>
#include <stdio.h>

#include <gdal.h>
#include <geos_c.h>
#include <ogr_srs_api.h>

#include "geodata/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- code and name normalisation ---------------------------------------- */

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

/* Normalised codes sorted for lookups: region codes, provider fids,
 * candidate ids. */
typedef struct mg_code_index {
    char **keys;
    size_t *index;
    size_t n;
} mg_code_index;

/* Adds codes[i] (normalised) for i < n; NULL or blank codes are left out. */
int mg_code_index_build(mg_code_index *ci, const char *const *codes, size_t n);
/* The index of the first entry with this (raw) code, or -1. */
long mg_code_index_find(const mg_code_index *ci, const char *raw);
void mg_code_index_free(mg_code_index *ci);

/* Parses a count or capacity.  Returns
 *   MG_NUM_OK       a plain number,
 *   MG_NUM_BLANK    NULL, empty or white space,
 *   MG_NUM_TEXT     a number followed by free text ("25 /zi"): *value is the
 *                   leading number,
 *   MG_NUM_INVALID  no leading number at all,
 * and MG_NUM_NEGATIVE when the (leading) number is below zero. */
enum { MG_NUM_OK, MG_NUM_BLANK, MG_NUM_TEXT, MG_NUM_INVALID, MG_NUM_NEGATIVE };
int mg_number_parse(const char *text, double *value);

/* How a table writes its numbers: the project's "number_format" (names in
 * mg_number_format_names, NULL-terminated) and the share of a numeric
 * column that may be unreadable before the run stops ("max_unreadable",
 * 0..1, default 0.5). */
enum { MG_NUMFMT_PLAIN, MG_NUMFMT_COMMA_GROUPS, MG_NUMFMT_DOT_GROUPS };
extern const char *const mg_number_format_names[];
typedef struct mg_number_rules {
    int format;
    double max_unreadable;
} mg_number_rules;

/* mg_number_parse() of text written in format: "6,242" is 6242 under
 * "1,234.5", "1.234,5" is 1234.5 under "1.234,5". */
int mg_number_parse_as(const char *text, int format, double *value);

/* A field's number: integer and real fields as numbers (no text round
 * trip), others parsed with mg_number_parse_as(); the same kinds. */
int mg_field_number(OGRFeatureH f, int index, int format, double *value);

/* After reading a numeric column: n_bad of n_values not numbers.  Above a
 * few percent, a summary row in the report; above rules->max_unreadable,
 * an MG_ERR_INPUT naming the file, column and JSON key jkey. */
typedef struct mg_report mg_report;
int mg_column_check(mg_report *rep, const char *path, const char *field,
                    const char *jkey, const mg_number_rules *rules,
                    size_t n_values, size_t n_bad, mg_error *err);

/* ---- project file ------------------------------------------------------- */

/* One boundary level.  levels[0] is the finest (where the join happens);
 * levels[i+1] is the parent of levels[i], linked through
 * levels[i].parent_code_field.  A level with path NULL takes its polygons
 * from the union of its children. */
typedef struct mg_level_spec {
    char *level; /* layer-name suffix: "uat", "county" */
    char *path;  /* may be NULL for levels > 0 */
    char *layer; /* NULL: the first layer */
    char *crs;   /* NULL: the layer's own CRS */
    char *code_field;
    char *name_field;        /* NULL: the code is the name */
    char *parent_code_field; /* NULL: no parent level */
    char *parent_name_field; /* the parent's name, for a parent level built
                                by dissolving (no "path"); NULL: its code */
    char **fields;           /* numeric input fields kept as columns */
    size_t n_fields;
    mg_number_rules numbers; /* how "fields" are written */
} mg_level_spec;

typedef struct mg_provider_spec {
    char *path; /* NULL: the project has no providers */
    char *layer;
    char *crs;       /* CRS of lon/lat columns or override */
    char *lon_field; /* both set: points come from these columns */
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
    mg_number_rules numbers; /* how capacities are written */
} mg_provider_spec;

typedef struct mg_recipient_spec {
    char *path; /* NULL: the project has no recipient table */
    char *layer;
    char *code_field;
    char *population_field; /* may be NULL: the sum of the groups */
    char **group_fields;    /* one column per model group, same order */
    mg_number_rules numbers; /* how the counts are written */
} mg_recipient_spec;

typedef struct mg_model_spec {
    char **groups;
    size_t n_groups;
    char **categories;
    size_t n_categories;
    double *weights; /* n_groups x n_categories, row-major */
} mg_model_spec;

typedef struct mg_project mg_project;

/* A section of the project file that a module above input reads (the
 * "poverty", "access", "siting" and "maps" objects): the pipeline hands
 * mg_project_load() a table of them, so the file is read once and the
 * whole project lives in one mg_project, while input knows none of their
 * contents.  parse() gets the section's value (NULL when the key is
 * absent or null), after every section of input and those before it in
 * the table; it fills its slot of p and returns MG_OK or an MG_ERR_* code
 * with s->err filled.  clear() frees that slot (it may be empty). */
typedef struct mg_project_section {
    const char *key;
    int (*parse)(mg_spec *s, json_t *value, mg_project *p);
    void (*clear)(mg_project *p);
} mg_project_section;

struct mg_project {
    char *path;     /* the project file, NULL for built-ins */
    char *base_dir; /* relative input paths resolve from here */
    char *name;     /* output base name: out/<name>.gpkg */
    char *title;
    char *output;     /* output directory */
    char **meta_keys; /* "metadata": written into the GeoPackage */
    char **meta_values;
    size_t n_meta;
    mg_level_spec *levels;
    size_t n_levels;
    mg_provider_spec providers;
    mg_recipient_spec recipients;
    mg_model_spec model;

    /* The sections of the modules above, filled by their parse() (NULL:
     * the project has none, or the table did not name it). */
    struct mg_poverty_spec *poverty;    /* geodata/poverty.h */
    struct mg_access_spec *access;      /* geodata/access.h */
    struct mg_siting_spec *siting;      /* geodata/siting.h */
    struct mg_maps_spec *maps;          /* mapgen/pipeline.h */
    struct mg_periods_spec *periods;    /* geodata/change.h */
    const mg_project_section *sections; /* the table it was read with */
    size_t n_sections;
};

/* Reads and validates a project file, with the extra sections of the
 * table (not copied: it must outlive the project; NULL with n 0 for none,
 * and then a key of theirs is an unknown key).  Syntax errors carry the
 * line and column; schema errors carry the JSON path of the offending key
 * (e.g. "boundaries[0].code_field").  Returns MG_OK and sets *out (free
 * with mg_project_free()), or MG_ERR_PROJECT (or MG_ERR_NOMEM) with err
 * filled. */
int mg_project_load(const char *path, const mg_project_section *sections,
                    size_t n, mg_project **out, mg_error *err);

/* The same from a parsed file (root, not changed) read from path, whose
 * relative paths resolve from base_dir (NULL: the directory of path). */
int mg_project_from_json(json_t *root, const char *path, const char *base_dir,
                         const mg_project_section *sections, size_t n,
                         mg_project **out, mg_error *err);

/* The same from a JSON text; base_dir resolves relative paths. */
int mg_project_parse(const char *json, const char *path, const char *base_dir,
                     const mg_project_section *sections, size_t n,
                     mg_project **out, mg_error *err);

/* Fills spec with the default model of BRIEF.md: groups family_poverty,
 * self_dilemma, guardianship; categories consultation, economic_aid,
 * rehabilitation, promotion; key 1.0, complementary 0.5, consultation 1.0.
 * Returns MG_OK or MG_ERR_NOMEM.  Free with mg_model_spec_clear(). */
int mg_model_spec_default(mg_model_spec *spec);
void mg_model_spec_clear(mg_model_spec *spec);

/* The index of category name in the model, or -1. */
int mg_model_category(const mg_model_spec *m, const char *name);

/* Resolves a path of the project against its base_dir.  Caller frees. */
char *mg_project_resolve(const mg_project *p, const char *path);

/* Frees p and, through their clear(), its sections; NULL is fine. */
void mg_project_free(mg_project *p);

/* ---- join report -------------------------------------------------------- */

typedef struct mg_report_row {
    char *file;
    long row; /* feature id or 1-based data row, -1 if none */
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
    long fid;   /* feature id in the source, -1 if dissolved */
    char *code; /* as written in the source */
    char *key;  /* normalised code */
    char *name;
    char *parent_code; /* as written, NULL if none */
    char *parent_name; /* parent_name_field's value, NULL if none */
    int parent;        /* index in the parent level, -1 if none */
    unsigned char *wkb;
    size_t wkb_size;
    double area_km2; /* in an equal-area projection; NAN if no geometry */
    double *inputs;  /* the level's kept "fields"; NAN when blank */

    /* inputs from the recipient table (finest level) or summed (parents) */
    double *counts;     /* n_groups; NAN when blank or invalid */
    double population;  /* target population; NAN if unknown */
    int has_recipients; /* a recipient row matched this region */

    /* model results: index n_categories is the total */
    double *need;
    double *supply;
    double *gap;
    double *coverage; /* NAN where need is 0 */
    int *n_providers;
} mg_region;

/* A figure that a later stage (poverty index, accessibility, ...) adds to
 * every region of a level; written after the model's fields. */
typedef struct mg_column {
    char *name;     /* field name, [a-z0-9_] */
    int is_integer; /* written as an integer field */
    double *values; /* one per region; NAN is NULL */
} mg_column;

typedef struct mg_level {
    char *level;
    mg_region *regions;
    size_t n;
    char *const *inputs; /* names of the kept input fields (the
                                project's, not owned), n_inputs of them */
    size_t n_inputs;
    mg_column *columns; /* extra figures, in the order added */
    size_t n_columns;
} mg_level;

/* Adds a column to a level, or returns the existing one of that name, with
 * every value NAN.  *values points at the level's n values (owned by the
 * level).  Returns MG_OK or MG_ERR_NOMEM. */
int mg_level_add_column(mg_level *l, const char *name, int is_integer,
                        double **values);

typedef struct mg_provider {
    long fid;
    char *name;
    char *category_raw; /* the source value */
    int category;       /* index in the model, -1 if not in the model */
    char *capacity_raw;
    double capacity;       /* after parsing (missing_capacity if unreadable) */
    char *region_code_raw; /* from region_code_field, NULL if none */
    char *parent_name;     /* from parent_name_field, NULL if none */
    double lon, lat;       /* NAN when there is no usable location */
    int region;            /* index in levels[0], -1 if in none */
    const char *placement; /* "code", "location", "none" */
    double access_ratio;   /* R_j of the access stage (its category's
                              supply-to-demand ratio), NAN when none */
} mg_provider;

/* A row of the recipient table, before it is matched to a region. */
typedef struct mg_recipient_row {
    long fid;
    char *code;
    char *key;         /* normalised code */
    double *counts;    /* n_groups; NAN when blank or invalid */
    double population; /* NAN when blank or invalid */
} mg_recipient_row;

typedef struct mg_dataset {
    const mg_project *project; /* not owned */
    char *recipients_path;     /* resolved paths, for messages */
    char *providers_path;
    char **level_paths; /* n_levels; NULL for dissolved levels */
    mg_recipient_row *recipients;
    size_t n_recipients;
    mg_level *levels; /* project->n_levels entries */
    size_t n_levels;
    mg_provider *providers;
    size_t n_providers;
    mg_report report;
    size_t n_repaired; /* geometries repaired with MakeValid */
} mg_dataset;

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

/* ---- for the modules above: GDAL/OGR, GEOS, locating points ------------
 * The models read files of their own (indicator tables, cost matrices,
 * candidate sites) and work on geometry; they do it through these, so that
 * each dependency's errors are captured in one place (docs/architecture.md,
 * "Dependencies"). */

/* GDAL's errors: between mg_gdal_enter() and mg_gdal_leave() GDAL prints
 * nothing and keeps its last error for us.  mg_gdal_leave() returns MG_OK
 * when failed is 0, else code (MG_ERR_NOMEM when GDAL ran out of memory)
 * with err naming file and "doing: GDAL's reason".  mg_gdal_failed() is 1
 * when GDAL reported a failure since mg_gdal_enter() (some calls report one
 * and still return a result).  All on the calling thread (GDAL's handler
 * stack is per thread); every enter needs its leave. */
void mg_gdal_enter(void);
int mg_gdal_failed(void);
int mg_gdal_leave(int failed, int code, const char *file, const char *doing,
                  mg_error *err);

/* The text of GDAL's last error on this thread, or "unknown reason". */
const char *mg_gdal_reason(void);

/* An open OGR layer with the dataset that owns it. */
typedef struct mg_vec_source {
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRFeatureDefnH defn;
    const char *path;
} mg_vec_source;

/* Opens path (any OGR source) and its layer (NULL: the first).  Fails with
 * MG_ERR_INPUT naming the file and, for a missing layer, the layers there.
 * Close with mg_vec_close() (also after a failure). */
int mg_vec_open(mg_vec_source *v, const char *path, const char *layer,
                mg_error *err);
void mg_vec_close(mg_vec_source *v);

/* Index of field name in the layer; a missing field fails with MG_ERR_INPUT
 * naming the JSON key and listing the fields the layer has. */
int mg_vec_field(const mg_vec_source *v, const char *name, const char *what,
                 int *index, mg_error *err);

/* mg_vec_field() for a field of codes: a list, a date or binary field, or
 * one of nested JSON (GDAL's String(JSON)) is refused with MG_ERR_INPUT. */
int mg_vec_code_field(const mg_vec_source *v, const char *name,
                      const char *what, int *index, mg_error *err);

/* A transformation from the layer's CRS (or crs_override, any string PROJ
 * or GDAL understands) to WGS 84 lon/lat.  *out is NULL when the source is
 * already WGS 84 lon/lat.  A layer without a CRS and no override is an
 * error, since guessing would put every figure in the wrong place. */
int mg_vec_to_wgs84(const mg_vec_source *v, const char *crs_override,
                    const char *what, OGRCoordinateTransformationH *out,
                    mg_error *err);

/* Checks a geometry in WGS 84 lon/lat: MG_COORDS_OK; MG_COORDS_CLAMPED when
 * vertices a rounding error beyond ±180/±90 were moved onto the edge;
 * MG_COORDS_NONFINITE (NaN, infinity) or MG_COORDS_OUTSIDE (off the globe)
 * when it cannot be used.  value gets the worst vertex, "x y". */
enum { MG_COORDS_OK, MG_COORDS_CLAMPED, MG_COORDS_OUTSIDE, MG_COORDS_NONFINITE };
int mg_coords_check(OGRGeometryH g, char *value, size_t size);

/* The area of use of a projected CRS, to check coordinates against once
 * they are in WGS 84. */
typedef struct mg_area_of_use {
    int has_area;    /* 0: nothing to check (geographic, unknown, across 180°) */
    double box[4];   /* west, south, east, north in degrees */
    char label[160]; /* "EPSG:3844 (Romania)" */
} mg_area_of_use;

/* Fills *a from a layer's CRS (or crs_override, any string GDAL
 * understands); returns a->has_area. */
int mg_vec_area_of_use(const mg_vec_source *v, const char *crs_override,
                       mg_area_of_use *a);
/* 1 when the box env (WGS 84: min x, min y, max x, max y; a point has
 * min = max) lies wholly more than 5 degrees outside a's area of use. */
int mg_area_outside(const mg_area_of_use *a, const double env[4]);
/* mg_area_outside() with its join-report row: when env is outside, a row
 * (file, row, field; value: "VALUE not in W S E N", or the area W S E N
 * alone when value is NULL; problem naming the margin and the CRS; action)
 * and *outside = 1.  Returns MG_OK or MG_ERR_NOMEM. */
int mg_area_check(const mg_area_of_use *a, const double env[4],
                  const char *value, mg_report *rep, const char *file,
                  long row, const char *field, const char *action,
                  int *outside);
/* mg_area_check() of a point (lon, lat in WGS 84); value "lon lat". */
int mg_point_check_area(const mg_area_of_use *a, double lon, double lat,
                        mg_report *rep, const char *file, long row,
                        const char *field, const char *action, int *outside);
/* mg_area_check() of a geometry's envelope (field "geometry"). */
int mg_coords_check_area(const mg_area_of_use *a, OGRGeometryH g,
                         mg_report *rep, const char *file, long row,
                         const char *action, int *outside);

/* For a layer under a geographic CRS (crs_name): an MG_ERR_INPUT naming the
 * file, the JSON key what and a likely projected CRS when most of its first
 * features lie beyond any value in degrees (a layer in metres mislabelled). */
int mg_vec_check_degrees(const mg_vec_source *v, const char *what,
                         const char *crs_name, mg_error *err);

/* A copy of the field's value (the caller frees), NULL when null, unset or
 * blank. */
char *mg_field_text(OGRFeatureH f, int index);

/* Adds a report row with a formatted value; returns MG_OK or MG_ERR_NOMEM. */
int mg_report_addf(mg_report *r, const char *file, long row, const char *field,
                   const char *problem, const char *action, const char *fmt,
                   ...) __attribute__((format(printf, 7, 8)));

/* Area in km² of a WKB (multi)polygon in WGS 84, computed in the
 * Lambert cylindrical equal-area projection EPSG:6933. */
int mg_wkb_area_km2(const unsigned char *wkb, size_t size,
                    OGRCoordinateTransformationH to_equal_area, double *km2);

/* WGS 84 lon/lat to EPSG:6933 for mg_wkb_area_km2(); NULL when PROJ fails.
 * The caller destroys it with OCTDestroyCoordinateTransformation(). */
OGRCoordinateTransformationH mg_equal_area_transform(void);

/* A field name from a prefix and a model name: lower case, [a-z0-9_]. */
void mg_field_name(char *out, size_t n, const char *prefix, const char *name);

/* GEOS: the one factory of contexts, with notice and error handlers that
 * keep GEOS's last message here instead of printing it.  One per thread. */
typedef struct mg_geom {
    GEOSContextHandle_t h;
    GEOSWKBReader *reader;
    GEOSWKBWriter *writer;
    char message[512]; /* GEOS's last error or notice text */
} mg_geom;

/* Returns 0, or -1 when GEOS cannot be initialised (out of memory). */
int mg_geom_init(mg_geom *g);
/* Frees the context; a zeroed or cleared one is fine. */
void mg_geom_clear(mg_geom *g);

/* Checks a WKB (multi)polygon; when invalid, repairs it with MakeValid,
 * keeps its polygonal part as a MultiPolygon and replaces *wkb (freed with
 * free()).  *repaired is set, and reason holds GEOS's explanation.
 * Returns 0, or -1 when the WKB cannot be read or the repair fails. */
int mg_geom_validate(mg_geom *g, unsigned char **wkb, size_t *size,
                     int *repaired, char *reason, size_t n);

/* Reads WKB into a GEOS geometry owned by the caller (NULL on failure). */
GEOSGeometry *mg_geom_from_wkb(mg_geom *g, const unsigned char *wkb, size_t n);

/* Writes a geometry as WKB (free()d by the caller), NULL on failure. */
unsigned char *mg_geom_to_wkb(mg_geom *g, const GEOSGeometry *geom, size_t *n);

/* The label circle of a Polygon or MultiPolygon: the centre (*x, *y) of
 * the largest circle inside it and that circle's radius *r, within tol
 * (in the geometry's units; <= 0: a millionth of its box) of the largest
 * one (geodata/input/label.c).  Returns 0, or -1 on another type, a
 * non-finite coordinate or out of memory, with *x, *y, *r NAN. */
int mg_geom_label_circle(mg_geom *g, const GEOSGeometry *poly, double tol,
                         double *x, double *y, double *r);
/* The same over rings given as points: ring k is the points
 * xy[2 * ring_end[k - 1]] .. xy[2 * ring_end[k] - 1] (from 0 for k = 0),
 * closed or not, shells and holes of every polygon alike.  Returns 0, or
 * -1 without a segment, on a non-finite coordinate or out of memory. */
int mg_label_circle_rings(const double *xy, const size_t *ring_end,
                          size_t n_rings, double tol, double *x, double *y,
                          double *r);

/* Point-in-polygon over a level: an STRtree of envelopes and prepared
 * polygons made on first use, with a GEOS context of its own.
 * mg_locator_new() returns MG_OK, MG_ERR_NOMEM or MG_ERR_DEPENDENCY and
 * always sets *out (free it with mg_locator_free(), which accepts NULL).
 * mg_locator_find() returns the index of the region holding (lon, lat) --
 * on a shared border the one first in the level, whatever the tree's
 * order -- or -1 when none does. */
typedef struct mg_locator mg_locator;
int mg_locator_new(const mg_level *l, mg_locator **out);
long mg_locator_find(mg_locator *x, double lon, double lat);
void mg_locator_free(mg_locator *x);

/* Allocates the per-region arrays of the model for n_groups/n_categories
 * (freed with the data set).  Returns MG_OK or MG_ERR_NOMEM. */
int mg_region_alloc_figures(mg_region *r, size_t n_groups,
                            size_t n_categories);

#ifdef __cplusplus
}
#endif
#endif
