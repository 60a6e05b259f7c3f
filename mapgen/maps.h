/*
 * mapgen's maps: which maps a run draws (the project's "maps" section or
 * the shipped defaults), their styles applied to the data, and the tiles,
 * legends and maps.json they produce (docs/styles.md, docs/rendering.md).
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
#ifndef MG_MAPGEN_MAPS_H
#define MG_MAPGEN_MAPS_H

#include "geodata/geodata.h"

#include <getopt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How progress is shown on stderr while tiles render. */
typedef enum mg_progress_mode {
    MG_PROGRESS_AUTO,        /* GDAL's 0...10...100 on a terminal, else plain */
    MG_PROGRESS_PLAIN,       /* a line every few seconds: done/total, rate,
                                time left */
    MG_PROGRESS_JSON,        /* one JSON object per line */
    MG_PROGRESS_NONE
} mg_progress_mode;

/* The rendering options of `mapgen run`. */
typedef struct mg_map_options {
    int minzoom, maxzoom;    /* -1: from the data (docs/rendering.md) */
    int has_bbox;
    double bbox[4];          /* west, south, east, north (degrees) */
    int threads;             /* 0: the number of cores */
    int tile_size;           /* 256 or 512 */
    int png_level;           /* 0..9 */
    mg_progress_mode progress;
    int resume;
    int force;
    int quiet;
    const char *only;        /* "needs,poverty": a subset of the maps, or
                                NULL for all */
    unsigned stores;         /* MG_MAPS_STORE_* bits: where tiles go */
} mg_map_options;

/* The tile stores of --stores (docs/rendering.md). */
enum {
    MG_MAPS_STORE_DIR = 1,       /* tiles/<map>/{z}/{x}/{y}.png + TileJSON */
    MG_MAPS_STORE_MBTILES = 2,   /* <map>.mbtiles */
    MG_MAPS_STORE_GPKG = 4,      /* tile table <map> in <name>.gpkg */
    MG_MAPS_STORE_ALL = 7
};

/* Sets o to the defaults: zooms from the data, all cores, 256 px tiles,
 * PNG level 3, progress auto, every store. */
void mg_map_options_default(mg_map_options *o);

/* `mapgen run`'s rendering options, for its getopt_long() table (the
 * short ones are -z and -j: "z:j:"). */
enum {
    MG_OPT_BBOX = 1000, MG_OPT_TILE_SIZE, MG_OPT_RETINA, MG_OPT_PNG_LEVEL,
    MG_OPT_PROGRESS, MG_OPT_RESUME, MG_OPT_MAPS, MG_OPT_NO_TILES,
    MG_OPT_STORES
};
#define MG_MAPS_LONG_OPTIONS                                              \
    {"zoom", required_argument, NULL, 'z'},                               \
    {"jobs", required_argument, NULL, 'j'},                               \
    {"bbox", required_argument, NULL, MG_OPT_BBOX},                       \
    {"tile-size", required_argument, NULL, MG_OPT_TILE_SIZE},             \
    {"retina", no_argument, NULL, MG_OPT_RETINA},                         \
    {"png-level", required_argument, NULL, MG_OPT_PNG_LEVEL},             \
    {"progress", required_argument, NULL, MG_OPT_PROGRESS},               \
    {"resume", no_argument, NULL, MG_OPT_RESUME},                         \
    {"maps", required_argument, NULL, MG_OPT_MAPS},                       \
    {"no-tiles", no_argument, NULL, MG_OPT_NO_TILES},                     \
    {"stores", required_argument, NULL, MG_OPT_STORES}

/* Handles option c (one of the above) with its argument: fills o, or sets
 * *no_tiles.  Returns MG_OK, or MG_ERR_USAGE after printing what is wrong
 * ("mapgen run: --zoom: ...") on stderr. */
int mg_maps_parse_arg(int c, const char *arg, mg_map_options *o,
                      int *no_tiles);

/* The help text of these options, for `mapgen run --help`. */
#define MG_MAPS_USAGE                                                       \
    "Maps (docs/rendering.md, docs/styles.md):\n"                           \
    "  -z, --zoom MIN-MAX  zooms to render, e.g. -z 0-10 (or -z 8 for one);\n" \
    "                      default 0 to where the median region is 64 px\n" \
    "                      wide, at most 12\n"                              \
    "      --bbox W,S,E,N  only tiles that overlap this box (degrees), e.g.\n" \
    "                      --bbox 20.2,43.6,29.7,48.3; default: the data\n" \
    "  -j, --jobs N        rendering threads, e.g. -j 2; default: the\n"    \
    "                      number of cores; the tiles do not depend on it\n" \
    "      --tile-size N   256 (default) or 512 (\"@2x\" tiles, lines and\n" \
    "                      dots twice as wide), e.g. --tile-size 512\n"     \
    "      --retina        the same as --tile-size 512\n"                   \
    "      --png-level N   zlib level of the tiles, 0 (fast) to 9 (small),\n" \
    "                      e.g. --png-level 9; default 3\n"                 \
    "      --progress=MODE auto (GDAL's 0...10...100 on a terminal, plain\n" \
    "                      lines otherwise), plain, json or none, e.g.\n"   \
    "                      --progress=json\n"                               \
    "      --resume        finish an interrupted run: tiles already written\n" \
    "                      are kept, the rest rendered; replaces outputs as\n" \
    "                      --force does\n"                                  \
    "      --maps A,B      render only these maps (and the base), e.g.\n"  \
    "                      --maps needs,poverty\n"                          \
    "      --stores LIST   where the tiles go, any of dir (tiles/<map>/,\n" \
    "                      which the viewer page needs), mbtiles and gpkg,\n" \
    "                      e.g. --stores dir,mbtiles; default all three\n"  \
    "      --no-tiles      no maps: the GeoPackage and reports only\n"
extern const char mg_maps_usage[];

typedef struct mg_maps mg_maps;

/* Reads the project's "maps" section (or takes the shipped maps), and
 * reads and checks every style file.  Returns MG_OK and *out (free with
 * mg_maps_free()), MG_ERR_PROJECT (err names the project or style file and
 * the key), MG_ERR_USAGE (--maps names a map that is not there) or
 * MG_ERR_NOMEM. */
int mg_maps_load(const mg_project *p, const mg_map_options *opt,
                 mg_maps **out, mg_error *err);

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

#ifdef __cplusplus
}
#endif
#endif
