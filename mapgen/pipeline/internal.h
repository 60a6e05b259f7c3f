/* What the files of mapgen/pipeline share; not a public API.
 *
 *   maps_spec.c   the project's "maps" section
 *   maps.c        the map list and the styles applied to the data
 *   maps_out.c    tiles, legends, maps.json
 *   poverty.c     the poverty stage's grades and reports
 *   access.c      `mapgen access` / `mapgen site`, and the sites outputs
 *   project.c     the project file with every module's section
 *   run.c         mg_run()
 */
#ifndef MG_MAPGEN_PIPELINE_INTERNAL_H
#define MG_MAPGEN_PIPELINE_INTERNAL_H

#include "mapgen/pipeline.h"
#include "styles/styles.h"
#include "tiles/store.h"

/* ---- paths (files.c) ------------------------------------------------------ */

/* dir + "/" + a + b (b may be NULL); NULL when out of memory; caller
 * frees. */
char *path_join(const char *dir, const char *a, const char *b);

/* 1 when path names a file, directory or link (dangling too). */
int path_exists(const char *path);

/* ---- the "maps" section (maps_spec.c) ----------------------------------- */

/* One map of the project's "maps" array, as written there. */
typedef struct mg_map_entry {
    char *name, *style, *level, *title, *legend_title, *field;
    char *json_path;      /* "maps[1]" */
    int minzoom, maxzoom; /* -1: default */
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

/* The MG_MAPS_STORE_* bits of the options (MG_MAPS_STORE_DIR: the viewer
 * page has tiles to show). */
unsigned mg_maps_stores(const mg_maps *m);

/* The number of maps prepared (the base included). */
size_t mg_maps_count(const mg_maps *m);

void mg_maps_free(mg_maps *m);

/* The size, in pixels, the median region reaches at the default largest
 * zoom, and the largest default (docs/rendering.md). */
#define MAPS_MEDIAN_PX 64.0
enum { MAPS_DEFAULT_MAXZOOM_CAP = 12 };

typedef struct map_item {
    /* from the project's "maps" section or the defaults */
    char *name;
    char *style_path;
    char *level; /* NULL: the finest level */
    char *title, *legend_title;
    char *field;          /* overrides the thematic layer's field */
    char *json_path;      /* "maps[1]", or NULL for shipped maps */
    int minzoom, maxzoom; /* -1: default */
    int is_default;       /* shipped: left out when its field is absent */
    int is_base;
    int poverty_grades; /* a poverty map: classes follow the spec */
    mg_style *style;

    /* prepared */
    int skip;
    size_t level_index;
    mg_render_layer *layers;
    size_t n_layers;
    mg_rgba **fills; /* one array per layer with colours */
    size_t n_fills;
    mg_legend legend;
    char *legend_json;
    int z0, z1;
    mg_tile_bounds bounds; /* lon/lat */
} map_item;

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
};

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
 * MG_OK or an MG_ERR_* code with err filled. */
int mg_pipeline_write_poverty(mg_outset *set, const mg_dataset *d,
                              const char *dir, int force,
                              mg_poverty_outputs *out, mg_error *err);

void mg_pipeline_clear_poverty_outputs(mg_poverty_outputs *out);

/* ---- sites (access.c) --------------------------------------------------- */

/* For `mapgen run`: adds the layer "sites" to the temporary GeoPackage
 * gpkg_tmp, and registers in set and writes dir/reports/sites.csv (an
 * existing one is MG_ERR_OUTPUT unless force).  *csv_final receives its
 * final path, for the caller to list after the commit and free().
 * Returns MG_OK or an MG_ERR_* code with err filled. */
int mg_pipeline_write_sites(mg_outset *set, const mg_sites *sites,
                            const char *gpkg_tmp, const char *dir, int force,
                            char **csv_final, mg_error *err);

/* Computes the demand points once and runs accessibility (when access is
 * set and the project has it) and siting (likewise), as `mapgen run` and
 * the commands do.  *sites is NULL unless siting ran. */
int mg_pipeline_access(mg_dataset *d, int access, int siting, mg_sites **sites,
                       mg_progress *progress, mg_error *err);

#endif
