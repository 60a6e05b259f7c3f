/*
 * pipeline — the one driver of mapgen's stages (docs/architecture.md):
 *
 *   mg_pipeline_load_project()  the project file, read once, with every
 *                               module's section (input, poverty, access,
 *                               siting, maps)
 *   mg_run()                    read, join, need, access, siting, poverty,
 *                               maps; then every output, renamed into place
 *                               together
 *   mg_access_job_run()         `mapgen access` / `mapgen site` on the
 *                               GeoPackage of a finished run
 *   mg_viewer_install()         the viewer page
 *
 * The command line (mapgen/cli/) parses arguments into the options below
 * and calls these; nothing here parses argv.
 */
#ifndef MG_MAPGEN_PIPELINE_H
#define MG_MAPGEN_PIPELINE_H

#include "geodata/poverty.h"
#include "geodata/siting.h"
#include "mapgen/progress.h"
#include "styles/styles.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the project -------------------------------------------------------- */

/* The sections of the project file that modules above geodata/input read,
 * in the order they are parsed: poverty, access, siting, maps. */
extern const mg_project_section mg_pipeline_sections[];
extern const size_t mg_pipeline_n_sections;

/* Changes the JSON of a project file after it is read and before it is
 * parsed (the commands whose options set keys of a section); MG_OK or an
 * MG_ERR_* code with err filled. */
typedef int (*mg_project_edit)(json_t *root, void *user, mg_error *err);

/* Reads the project file at path once, with every section, through edit
 * (NULL: none).  Returns MG_OK and *out (mg_project_free()), or an
 * MG_ERR_* code with err filled. */
int mg_pipeline_load_project(const char *path, mg_project_edit edit,
                             void *user, mg_project **out, mg_error *err);

/* ---- mapgen run --------------------------------------------------------- */

/* The tile stores of --stores (docs/rendering.md). */
enum {
    MG_MAPS_STORE_DIR = 1,     /* tiles/<map>/{z}/{x}/{y}.png + TileJSON */
    MG_MAPS_STORE_MBTILES = 2, /* <map>.mbtiles */
    MG_MAPS_STORE_GPKG = 4,    /* tile table <map> in <name>.gpkg */
    MG_MAPS_STORE_ALL = 7
};

/* The rendering options of `mapgen run`. */
/* --classify MAP=METHOD[:K]: the classification of map MAP's thematic
 * layer (its first polygon layer with a field) replaced. */
typedef struct mg_map_classify {
    char map[64];
    mg_class_method method;
    int k; /* classes; 0: the style's */
} mg_map_classify;

/* The most --classify options a run takes. */
enum { MG_MAPS_CLASSIFY_MAX = 16 };

typedef struct mg_map_options {
    int minzoom, maxzoom; /* -1: from the data (docs/rendering.md) */
    int has_bbox;
    double bbox[4]; /* west, south, east, north (degrees) */
    int threads;    /* 0: the number of cores */
    int tile_size;  /* 256 or 512 */
    int png_level;  /* 0..9 */
    int resume;
    int force;
    const char *only; /* "needs,poverty": a subset of the maps, or
                                NULL for all */
    unsigned stores;  /* MG_MAPS_STORE_* bits: where tiles go */
    const char *public_url; /* where out/ is served ("https://h/maps", no
                               trailing '/'): TileJSON's tiles URLs are
                               absolute under it; NULL: relative */
    double max_tiles; /* --max-tiles; 0: MG_MAX_TILES */
    const mg_map_classify *classify; /* n_classify overrides (not owned);
                                        a map named that does not exist
                                        fails mg_maps_load() (usage) */
    size_t n_classify;
} mg_map_options;

/* The most tiles a run renders unless --max-tiles allows more. */
#define MG_MAX_TILES 50e6

/* Sets o to the defaults: zooms from the data, all cores, 256 px tiles,
 * PNG level 3, every store. */
void mg_map_options_default(mg_map_options *o);

/* Options of `mapgen run`. */
typedef struct mg_run_options {
    const char *project;   /* NULL: the bundled sample */
    const char *output;    /* NULL: the project's "output" */
    int force;             /* replace existing outputs */
    int no_tiles;          /* no maps: vectors and reports only */
    mg_map_options maps;   /* rendering */
    mg_progress *progress; /* where messages go (not owned) */
    mg_csv_format csv;     /* CSV reports; all zero: plain RFC 4180 */
    /* --shard I/K (docs/scale.md): shard_count 0 for a whole run; else
     * only the tiles of shard shard_index into
     * OUT/shard-<I>-of-<K>.mgshard, and no other output */
    int shard_index, shard_count;
    /* mg_merge(): the tiles come from these shard files, in order,
     * instead of being rendered (n_replay 0: rendered) */
    const char *const *replay;
    size_t n_replay;
} mg_run_options;

/* Runs the whole pipeline; returns MG_OK or an MG_ERR_* code with err
 * filled.  Outputs appear only when every one of them is complete. */
int mg_run(const mg_run_options *opt, mg_error *err);

/* ---- mapgen merge (docs/scale.md) --------------------------------------- */

typedef struct mg_merge_options {
    const char *const *shards; /* the shard files, in any order */
    size_t n_shards;
    const char *output; /* NULL: the project's "output" */
    int force;
    int threads; /* 0: the number of cores (the bytes do not depend on it) */
    mg_progress *progress; /* not owned */
} mg_merge_options;

/* Checks that the shards are every one of 0..K-1 of one run (same
 * manifest: inputs unchanged since, options, mapgen version), then runs
 * that run with their tiles instead of rendering: every output the same
 * bytes as the run without shards.  Returns MG_OK, MG_ERR_INPUT naming a
 * missing, duplicate, mismatched or incomplete shard, or what mg_run()
 * returns. */
int mg_merge(const mg_merge_options *opt, mg_error *err);

/* ---- the poverty stage -------------------------------------------------- */

/* Runs mg_poverty_compute() and fills poverty_grade and every
 * dim_<d>_grade: grade = class + 1 of the score under the project's
 * "grades" (method, classes, breaks), so the highest grade is the poorest;
 * NULL where there is no score.  Nothing happens without a poverty
 * section.  Returns MG_OK or an MG_ERR_* code with err filled; a
 * classification that the data cannot support (quantile or Jenks with
 * fewer distinct scores than classes) is MG_ERR_INPUT naming
 * "poverty.grades". */
int mg_pipeline_compute_poverty(mg_dataset *d, mg_error *err);

/* ---- mapgen access / mapgen site ---------------------------------------- */

/* One run of `mapgen access` (site 0) or `mapgen site` (site 1). */
typedef struct mg_access_job {
    int site;
    const char *gpkg;    /* the GeoPackage of a finished run */
    const char *project; /* NULL: the model from the GeoPackage */
    const char *output;  /* NULL: update gpkg in place */
    const char *csv;     /* site: NULL for reports/sites.csv beside */
    const char *report;  /* NULL: no data-problem report */
    int force;
    json_t *spec;          /* the options as the project's "access" or
                                "siting" object, merged over the
                                project's (not owned) */
    mg_progress *progress; /* not owned */
} mg_access_job;

/* Runs the job: the project (or the GeoPackage's model), the regions and
 * providers read back, accessibility or siting, and the GeoPackage (and
 * CSVs) written through a copy renamed into place.  Returns MG_OK or an
 * MG_ERR_* code with err filled. */
int mg_access_job_run(const mg_access_job *job, mg_error *err);

/* ---- the viewer page ---------------------------------------------------- */

/* Copies the viewer page into out_dir: index.html, viewer.js, viewer.css
 * and Leaflet under lib/leaflet/ (docs/viewer.md).  The page reads
 * out_dir/maps.json, which the caller writes.  Each file is written under
 * a temporary name and all are renamed into place together.  An existing
 * file is replaced only with force.  Returns MG_OK; MG_ERR_DEPENDENCY when
 * a source is missing (err names it and, for Leaflet, says to run
 * `make deps`); MG_ERR_OUTPUT (an output exists without force, or cannot
 * be written; temporary files are removed); MG_ERR_NOMEM;
 * MG_ERR_INTERRUPTED. */
int mg_viewer_install(const char *out_dir, int force, mg_error *err);

/* The same as part of a larger set of outputs: copies the viewer to
 * temporary names registered in set, which the caller commits with its
 * other outputs (mg_outset_commit()) or drops (mg_outset_free()).  Returns
 * as mg_viewer_install(), also MG_ERR_USAGE when set or out_dir is NULL;
 * on failure the files staged so far stay in set, to be dropped with it. */
int mg_viewer_stage(mg_outset *set, const char *out_dir, int force,
                    mg_error *err);

/* MG_OK when the viewer's sources (and Leaflet) are where
 * mg_viewer_install() takes them from, else MG_ERR_DEPENDENCY naming the
 * missing one: checked before a run's long work. */
int mg_viewer_check(mg_error *err);

/* mg_viewer_install() from other source directories: viewer_dir holds
 * index.html, viewer.js and viewer.css, leaflet_dir is the npm package's
 * root (node_modules/leaflet).  NULL for either means the one of the source
 * tree this binary was built from.  MG_ERR_USAGE when out_dir is NULL. */
int mg_viewer_install_from(const char *out_dir, const char *viewer_dir,
                           const char *leaflet_dir, int force, mg_error *err);

#ifdef __cplusplus
}
#endif
#endif
