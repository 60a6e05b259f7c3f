/* What the files of mapgen/pipeline share; not a public API.
 *
 *   maps_spec.c   the project's "maps" section
 *   maps.c        the map list and the styles applied to the data
 *   maps_bands.c  levels by zoom: which level a map draws at which zooms
 *   maps_out.c    tiles, legends, maps.json
 *   poverty.c     the poverty stage's grades and reports
 *   access.c      `mapgen access` / `mapgen site`, and the sites outputs
 *   project.c     the project file with every module's section
 *   run.c         mg_run(); the GeoPackage written beside the tiles
 *   regions.c     the viewer's per-region files
 */
#ifndef MG_MAPGEN_PIPELINE_INTERNAL_H
#define MG_MAPGEN_PIPELINE_INTERNAL_H

#include "geodata/change.h"
#include "mapgen/pipeline.h"
#include "styles/styles.h"
#include "tiles/store.h"

/* ---- paths (files.c) ------------------------------------------------------ */

/* dir + "/" + a + b (b may be NULL); NULL when out of memory; caller
 * frees. */
char *path_join(const char *dir, const char *a, const char *b);

/* 1 when path names a file, directory or link (dangling too). */
int path_exists(const char *path);

/* ---- the run's time and inputs (stamp.c) -------------------------------- */

/* The files d was read from (the project file first, then each level's
 * boundaries, providers, recipients), at most cap of them into out;
 * returns how many.  The pointers are d's. */
size_t mg_pipeline_inputs(const mg_dataset *d, const char **out, size_t cap);

/* The time every timestamp of the run's outputs carries, as ISO 8601 UTC
 * with milliseconds ("2020-01-02T03:04:05.000Z"): SOURCE_DATE_EPOCH, else
 * the newest mtime of the inputs.  MG_ERR_USAGE for a SOURCE_DATE_EPOCH
 * that is not a whole number of seconds.  d NULL: SOURCE_DATE_EPOCH is only
 * checked (before a run's long work). */
int mg_pipeline_run_time(const mg_dataset *d, char iso[32], mg_error *err);

/* ---- the "maps" section (maps_spec.c) ----------------------------------- */

/* One entry of a map's "levels": the boundary level drawn at these zooms
 * (docs/rendering.md, "Levels by zoom"). */
typedef struct mg_map_band_spec {
    char *level;
    int minzoom, maxzoom; /* 0 and MG_TILES_MAX_ZOOM when not given */
} mg_map_band_spec;

/* One map of the project's "maps" array, as written there. */
typedef struct mg_map_entry {
    char *name, *style, *level, *title, *legend_title, *field;
    char *json_path;      /* "maps[1]" */
    int minzoom, maxzoom; /* -1: default */
    mg_map_band_spec *bands; /* "levels"; n_bands 0: the default bands */
    size_t n_bands;
} mg_map_entry;

struct mg_maps_spec {
    mg_map_entry *v;
    size_t n;
};
typedef struct mg_maps_spec mg_maps_spec;

/* The mg_project_section of "maps": parse() fills p->maps (NULL when the
 * project has no "maps": the shipped maps are drawn). */
int mg_maps_section_parse(mg_spec *s, json_t *v, mg_project *p);
void mg_maps_section_clear(mg_project *p);

/* ---- maps (maps.c, maps_out.c) -------------------------------------------
 *
 *   mg_maps_load()     project + options      -> map list, styles read and
 *                                                checked (exit 3 on errors)
 *   mg_maps_prepare()  joined data set, sites -> colours per feature,
 *                                                legends, zooms, bounds
 *   mg_maps_write()    output dir + outset    -> tile stores (directory,
 *                                                MBTiles, GeoPackage table),
 *                                                legends/<map>.png,
 *                                                maps.json
 */

typedef struct mg_maps mg_maps;

/* The threads of a run: o->threads (-j), or every core when 0; 1 to
 * 256. */
int mg_map_threads(const mg_map_options *o);

/* Takes the maps of the project's "maps" section (p->maps) or the shipped
 * maps, and reads and checks every style file.  Returns MG_OK and *out (free
 * with mg_maps_free()), MG_ERR_PROJECT (err names the project or style file
 * and the key), MG_ERR_USAGE (--maps names a map that is not there) or
 * MG_ERR_NOMEM. */
int mg_maps_load(const mg_project *p, const mg_map_options *opt,
                 mg_progress *progress, mg_maps **out, mg_error *err);

/* Applies the styles to d and sites: field values, classes, colours and
 * legends; zoom ranges and bounds.  sites are the recommended sites of the
 * project's "siting" (mg_access_stage_run()), which style layers with
 * "layer": "sites" draw, one dot per site; NULL or no sites: those layers
 * draw nothing and add nothing to the legend.  m keeps pointers to d and
 * sites: both must outlive it.  A shipped (default) map whose field the
 * data lacks is left out with a note on stderr (unless quiet); a map the
 * project lists is an error then (MG_ERR_PROJECT naming the style file and
 * key).  Returns MG_OK or an MG_ERR_* code. */
int mg_maps_prepare(mg_maps *m, const mg_dataset *d, const mg_sites *sites,
                    mg_error *err);

/* Renders every map into out_dir/tiles/<map>/, out_dir/<map>.mbtiles and
 * a tile table of gpkg_tmp (the run's GeoPackage under its temporary
 * name, before the outset commits it), or the subset of these that the
 * options' stores name, and stages legends/<map>.png and maps.json in
 * set.  The GeoPackage table is copied from the MBTiles file; without the
 * mbtiles store that file is an intermediate, .<map>.gpkg-tiles.mbtiles,
 * removed once copied.  The stores are made whole at the end, after every
 * map rendered.  Returns MG_OK or an MG_ERR_* code (MG_ERR_OUTPUT when an
 * output exists and neither force nor resume is given;
 * MG_ERR_INTERRUPTED). */
int mg_maps_write(mg_maps *m, const char *out_dir, mg_outset *set,
                  const char *gpkg_tmp, mg_error *err);

/* fn(user, err) is called by mg_maps_write() on the calling thread once
 * every map is rendered, before the stores are made whole and the tile
 * tables copied into the GeoPackage: `mapgen run` waits there for the
 * GeoPackage written beside the tiles.  Its error stops mg_maps_write(). */
void mg_maps_set_before_finish(mg_maps *m, int (*fn)(void *, mg_error *),
                               void *user);

/* The MG_MAPS_STORE_* bits of the options (MG_MAPS_STORE_DIR: the viewer
 * page has tiles to show). */
unsigned mg_maps_stores(const mg_maps *m);

/* The number of maps prepared (the base included). */
size_t mg_maps_count(const mg_maps *m);

void mg_maps_free(mg_maps *m);

/* The size, in pixels, the median region reaches at the default largest
 * zoom, and the largest default (docs/rendering.md). */
#define MAPS_MEDIAN_PX 64.0
/* The size, in pixels, of a level's median region at the zoom from which
 * the default bands draw that level instead of its parent. */
#define MAPS_LEVEL_PX 8.0
enum { MAPS_DEFAULT_MAXZOOM_CAP = 12 };

/* A boundary level a map draws over a range of zooms; its parent's
 * outlines are drawn over it. */
typedef struct map_band {
    size_t level;
    int z0, z1;
} map_band;

/* A points layer's colours as QGIS draws them (maps_qgis.c). */
typedef struct maps_dots {
    int used;
    char *field;       /* "category", "method" ...; NULL: one colour */
    char **values;     /* the values that occur, in order of appearance */
    mg_rgba *colours;  /* their colours */
    size_t n;
    mg_rgba other;     /* NULL or an unlisted value; with no field: all */
    int has_other;     /* some feature had it */
    mg_rgba outline;
    double outline_width, radius;
} maps_dots;

typedef struct map_item {
    /* from the project's "maps" section or the defaults */
    char *name;
    char *style_path;
    char *level; /* NULL: the finest level */
    char *title, *legend_title;
    char *field;          /* overrides the thematic layer's field */
    char *json_path;      /* "maps[1]", or NULL for shipped maps */
    int minzoom, maxzoom; /* -1: default */
    const mg_map_band_spec *band_spec; /* the entry's "levels", or NULL */
    size_t n_band_spec;
    int is_default;       /* shipped: left out when its field is absent */
    int is_base;
    int poverty_grades; /* a poverty map: classes follow the spec */
    int change_reverse; /* a change map: palette reversed (less is better) */
    char **pool;        /* small multiples: the fields of every period,
                           whose values make the breaks of each */
    size_t n_pool;
    json_t *extra;      /* keys added to its maps.json entry ("change",
                           "period") */
    char *tilejson_extra; /* the same and "periods", for its TileJSON */
    mg_style *style;

    /* prepared */
    int skip;
    size_t level_index;
    map_band *bands; /* the levels by zoom, finest first */
    size_t n_bands;
    mg_render_layer *layers;
    size_t n_layers;
    mg_rgba **fills; /* one array per layer with colours */
    size_t n_fills;
    mg_legend legend;
    char *legend_json;
    int z0, z1;
    mg_tile_bounds bounds; /* lon/lat */
    /* the thematic layer's classification (maps_classes.c) */
    int has_classes;
    size_t class_level;   /* the level classified */
    double *class_values; /* per region of that level: class 1..k, NAN */
    char *classes_json;   /* JSON object, breaks at full precision */
    int n_classes;
    mg_rgba class_colours[MG_CLASSES_MAX];
    char class_labels[MG_CLASSES_MAX][64];
    mg_rgba class_no_data, class_outline;
    double class_outline_width;
    maps_dots providers, sites; /* for the QGIS styles */
} map_item;

/* ---- classifications (maps_classes.c) ---- */

/* "class_<map>" ('-' as '_'): the GeoPackage column of map x's classes. */
void maps_class_column(const map_item *x, char *buf, size_t size);

/* Keeps the classification of map x's thematic layer sl on level li
 * (values v, breaks b): the class of each region and the JSON text.
 * Returns MG_OK or MG_ERR_NOMEM. */
int maps_record_classes(const mg_dataset *d, map_item *x,
                        const mg_style_layer *sl, size_t li, const double *v,
                        const mg_breaks *b);

/* Keeps the colours of a points layer sl's n features (values vals, fill
 * colours fill) in *d, the first time only.  Returns MG_OK or
 * MG_ERR_NOMEM. */
int maps_record_dots(maps_dots *d, const mg_style_layer *sl,
                     const char *const *vals, const mg_rgba *fill, size_t n);

void maps_dots_clear(maps_dots *d);

/* Writes the QGIS styles (table layer_styles: QML and SLD of each
 * classified map on its regions layer, the providers by category and the
 * recommended sites, as the tiles draw them) and field titles and
 * descriptions (gpkg_data_columns, the schema extension) into the
 * GeoPackage at path.  m may be NULL (no maps: descriptions only).
 * Returns MG_OK or an MG_ERR_* code with err filled. */
int mg_gpkg_write_qgis(const mg_maps *m, const mg_dataset *d,
                       const char *path, mg_error *err);

/* Adds each prepared map's class_<map> column to its level, so that the
 * GeoPackage written afterwards carries it.  Returns MG_OK or
 * MG_ERR_NOMEM. */
int mg_maps_add_class_columns(const mg_maps *m, mg_dataset *d, mg_error *err);

/* ---- checks before the long work (preflight.c) ---------------------------- */

/* The most tiles the prepared maps may render (every zoom's tiles over
 * each map's bounds; empty and duplicate tiles included). */
double mg_maps_estimate_tiles(const mg_maps *m);
/* Prints the estimate; refuses more than --max-tiles (MG_ERR_USAGE) and a
 * disk where dir lies with clearly too little room (MG_ERR_OUTPUT). */
int mg_maps_check_size(const mg_maps *m, const char *dir, mg_error *err);
/* An existing output folder one cannot create a file in: MG_ERR_OUTPUT. */
int mg_output_dir_check(const char *dir, mg_error *err);

struct mg_maps {
    const mg_project *p;
    mg_map_options opt;
    mg_progress *progress; /* not owned */
    map_item *items;
    size_t n;
    const mg_dataset *d;
    mg_shapes **level_shapes; /* per level, built when first needed */
    mg_shapes *providers;
    const mg_sites *sites;   /* the run's recommended sites, or NULL */
    mg_shapes *site_shapes;  /* built when first needed */
    const char *attribution; /* the project's metadata "attribution" */
    int (*before_finish)(void *, mg_error *); /* may be NULL */
    void *before_user;
    /* docs/scale.md: render shard shard_index of shard_count (count 0:
     * every tile), or replay the tiles of these shard files instead */
    int shard_index, shard_count;
    const char *const *replay;
    size_t n_replay;
};

/* ---- what maps.c and maps_bands.c share ---------------------------------- */

/* The shapes of level li, built when first asked for. */
int maps_level_shapes(mg_maps *m, size_t li, const mg_shapes **out,
                      mg_error *err);

/* The index of the level named name, or -1. */
long maps_find_level(const mg_dataset *d, const char *name);

/* Colours the regions of level li by style layer sl (its field, else its
 * fill) into *fill (caller frees), adding the layer's group to x's legend;
 * breaks (may be NULL) receives the classes. */
int maps_colour_polygons(mg_maps *m, map_item *x, const mg_style_layer *sl,
                         size_t li, mg_rgba **fill, mg_breaks *breaks,
                         mg_error *err);

/* The levels by zoom of x (maps_bands.c): its "levels" when the project
 * gives them, else from the median region size of each level from the
 * map's level up (MAPS_LEVEL_PX).  Fills x->bands. */
int maps_prepare_bands(mg_maps *m, map_item *x, mg_error *err);

/* 1 when style layer sl draws the map's regions ("regions") or the
 * outlines of their parents ("parent_regions" without a field): such a
 * layer is drawn band by band. */
int maps_layer_banded(const map_item *x, const mg_style_layer *sl);

/* Appends to x->layers one render layer of sl per band of x, each at the
 * band's zooms (within the layer's own): "regions" draws the band's level,
 * "parent_regions" the level above it.  A field is classified once, on the
 * map's level, and every band coloured with those breaks. */
int maps_band_layers(mg_maps *m, map_item *x, const mg_style_layer *sl,
                     mg_error *err);

/* ---- the maps of several periods (maps_periods.c) ---------------------- */

/* The title of a field for people, as gpkg_data_columns gives it
 * ("Unmet need: total" for gap_total; the name itself when unknown). */
void maps_field_title(const char *field, char *title, size_t size);

/* A new item of m (maps.c); NULL when out of memory. */
map_item *maps_add_item(mg_maps *m, const char *name, const char *style);

/* The change maps and small multiples of p->periods, after the shipped
 * maps.  MG_OK or MG_ERR_NOMEM. */
int maps_add_period_items(mg_maps *m);

/* For one of those items in mg_maps_prepare(): the palette of a change
 * map, the pooled breaks of a small multiple, on its thematic layer sl. */
int maps_prepare_period_item(mg_maps *m, map_item *x, mg_style_layer *sl,
                             mg_error *err);

/* x->tilejson_extra of a multi-period project's map: its "change" or
 * "period" and the list of periods.  MG_OK or MG_ERR_NOMEM. */
int maps_period_tilejson(const mg_maps *m, map_item *x);

/* [{"label", "year"}, ...] of the periods, in time order; NULL: NOMEM. */
json_t *maps_periods_json(const mg_periods_spec *ps);

/* Renders shard m->shard_index of m->shard_count of every map into s.
 * Returns MG_OK or an MG_ERR_* code. */
int mg_maps_write_shard(mg_maps *m, mg_shard *s, mg_error *err);

/* ---- shards (shard.c) ----------------------------------------------------- */

/* The manifest of shard I of K of the run of opt on d and m: JSON text
 * (caller frees), NULL when out of memory or an input cannot be read (err
 * filled). */
char *mg_shard_manifest(const mg_run_options *opt, const mg_dataset *d,
                        const mg_maps *m, mg_error *err);

/* ---- the poverty stage (poverty.c) ----------------------------------------
 * geodata computes the figures (geodata/poverty.h), styles classifies them
 * into grades: the grading lives here because styles sits above geodata
 * and a lower module may not call a higher one. */

/* The poverty reports registered in an output set, for the caller to list
 * once the set is committed. */
typedef struct mg_poverty_outputs {
    char *final[2]; /* final paths, owned */
    size_t n;
} mg_poverty_outputs;

/* Registers in set and writes, under dir: reports/poverty-ranking.csv
 * (when the project has indicators) and reports/poverty-af.csv (when it
 * has an Alkire-Foster part).  An existing file is an error (MG_ERR_OUTPUT)
 * unless force.  Fills out (clear it with
 * mg_pipeline_clear_poverty_outputs(), also after a failure).  Returns
 * MG_OK or an MG_ERR_* code with err filled.  The ranking is in fmt. */
int mg_pipeline_write_poverty(mg_outset *set, const mg_dataset *d,
                              const char *dir, int force,
                              const mg_csv_format *fmt,
                              mg_poverty_outputs *out, mg_error *err);

void mg_pipeline_clear_poverty_outputs(mg_poverty_outputs *out);

/* ---- the viewer's per-region files (regions.c) ---------------------------- */

/* The files: dir/regions/index.json (the levels, the model's categories
 * and downloads, paths relative to dir) and dir/regions/<level>.json for
 * every level of d: each region's code, name, parent, bounding box, label
 * point, outline simplified for the page and figures, and with maps
 * (NULL: none) each map's fill colour per region (docs/viewer.md).  An
 * existing file is MG_ERR_OUTPUT unless force.
 *
 * They are made in three steps, so the work can run beside the maps and
 * the tiles: the expensive part (each region's label circle, outline and JSON
 * text) needs only the joined regions; the figures and colours need the
 * prepared maps; only the files need the downloads and the output set.
 *
 * mg_regions_start(), once d is joined and rolled up, starts with threads
 * >= 2 that many threads, each with its own GEOS context, which share the
 * regions in chunks and keep each one's text in its place: the bytes do
 * not depend on threads.  beside 0: the threads start in
 * mg_regions_finish() instead (after the tiles), so a big data set's text
 * is not held while the tiles render.  threads < 2 (or no thread to be
 * had): the work waits for mg_regions_finish(), on its caller's thread.  The regions of
 * d must not change until the job is freed (columns may be added to its
 * levels until mg_regions_set_maps()); nothing of the output set is
 * touched.  *out receives the job (free it with mg_regions_job_free(),
 * also on failure).  The threads poll mg_interrupted.  Returns MG_OK or
 * MG_ERR_NOMEM with err filled.
 *
 * mg_regions_set_maps(), on the thread that prepared maps (may be NULL),
 * once their class columns are added: reads the colours and the maps'
 * fields, and lets the threads write the figures.  maps must not change
 * until the job is freed.  MG_OK or MG_ERR_NOMEM.
 *
 * mg_regions_finish(), after mg_regions_set_maps(), waits for the threads
 * (or does the work), then registers in set and writes the files above,
 * on the calling thread: the job's first error
 * (MG_ERR_INTERRUPTED for mg_interrupted), else an existing file without
 * force, else a write error.
 *
 * mg_regions_job_free() stops the threads at their next region, waits for
 * them and frees everything; NULL is fine. */
typedef struct mg_regions_job mg_regions_job;
int mg_regions_start(mg_regions_job **out, const mg_dataset *d, int threads,
                     int beside, mg_error *err);
int mg_regions_set_maps(mg_regions_job *j, const mg_maps *maps,
                        mg_error *err);
int mg_regions_finish(mg_regions_job *j, mg_outset *set, const char *dir,
                      const char *const *downloads, size_t n_downloads,
                      int force, mg_error *err);
void mg_regions_job_free(mg_regions_job *j);

/* ---- sites (access.c) --------------------------------------------------- */

/* For `mapgen run`: adds the layer "sites" to the temporary GeoPackage
 * gpkg_tmp, and registers in set and writes dir/reports/sites.csv in csv
 * (an existing one is MG_ERR_OUTPUT unless force).  *csv_final receives
 * its final path, for the caller to list after the commit and free().
 * Returns MG_OK or an MG_ERR_* code with err filled. */
int mg_pipeline_write_sites(mg_outset *set, const mg_sites *sites,
                            const char *gpkg_tmp, const char *dir, int force,
                            const mg_csv_format *csv, char **csv_final,
                            mg_error *err);

/* Computes the demand points once and runs accessibility (when access is
 * set and the project has it) and siting (likewise), as `mapgen run` and
 * the commands do.  *sites is NULL unless siting ran. */
int mg_pipeline_access(mg_dataset *d, int access, int siting, mg_sites **sites,
                       mg_progress *progress, mg_error *err);

/* ---- periods (periods.c) ------------------------------------------------ */

/* Builds each period's project: the file's JSON (root) without "periods",
 * the period's overrides merged in (objects key by key, arrays replaced),
 * parsed with every section into p->periods->items[i].project.  An error
 * names the period.  Returns MG_OK or an MG_ERR_* code. */
int mg_pipeline_period_projects(json_t *root, mg_project *p, mg_error *err);

/* The data sets of every period of p, read, joined and modelled; the
 * poverty index pooled and graded on one set of breaks; the change
 * figures.  d[n - 1], the last period's, is the run's main data set
 * (accessibility and siting are computed on it, into *sites). */
typedef struct mg_periods_run {
    mg_dataset **d; /* p->periods->n */
    size_t n;
    mg_change change;
} mg_periods_run;

int mg_pipeline_run_periods(const mg_project *p, mg_periods_run *out,
                            mg_sites **sites, mg_progress *pg,
                            mg_error *err);
void mg_periods_run_clear(mg_periods_run *r);

/* The grades of poverty_index and every dim_<d>_score of the n data sets
 * on one set of breaks, computed from all their scores (for one data set,
 * its own). */
int mg_pipeline_grade_poverty(mg_dataset *const *d, size_t n, mg_error *err);

/* Writes reports/change.csv in fmt and, into the GeoPackage gpkg_tmp, the
 * layers of the periods; registers the CSV in set (final name in *csv). */
int mg_pipeline_write_periods(mg_outset *set, const mg_periods_run *r,
                              const char *gpkg_tmp, const char *dir,
                              int force, const mg_csv_format *fmt, char **csv,
                              mg_error *err);

#endif
