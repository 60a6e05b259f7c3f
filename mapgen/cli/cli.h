/* What the files of mapgen/cli share: the commands and the options of
 * `mapgen run` that render maps.  Not a public API: the command line is
 * the program itself. */
#ifndef MG_MAPGEN_CLI_H
#define MG_MAPGEN_CLI_H

#include <getopt.h>

#include "mapgen/pipeline.h"

/* The commands: argv[0] is the command's name; each returns the process
 * exit code. */
int cli_run_command(int argc, char **argv);
int cli_access_command(int argc, char **argv);
int cli_site_command(int argc, char **argv);
int cli_serve_command(int argc, char **argv);
int cli_merge_command(int argc, char **argv);
int cli_slurm_command(int argc, char **argv);

/* `mapgen run`'s rendering options, for its getopt_long() table (the
 * short ones are -z and -j: "z:j:"). */
enum {
    MG_OPT_BBOX = 1000,
    MG_OPT_TILE_SIZE,
    MG_OPT_RETINA,
    MG_OPT_PNG_LEVEL,
    MG_OPT_PROGRESS,
    MG_OPT_RESUME,
    MG_OPT_MAPS,
    MG_OPT_NO_TILES,
    MG_OPT_STORES,
    MG_OPT_PUBLIC_URL,
    MG_OPT_MAX_TILES,
    MG_OPT_CLASSIFY
};
#define MG_MAPS_LONG_OPTIONS                                                  \
    {"zoom", required_argument, NULL, 'z'},                                   \
        {"jobs", required_argument, NULL, 'j'},                               \
        {"bbox", required_argument, NULL, MG_OPT_BBOX},                       \
        {"tile-size", required_argument, NULL, MG_OPT_TILE_SIZE},             \
        {"retina", no_argument, NULL, MG_OPT_RETINA},                         \
        {"png-level", required_argument, NULL, MG_OPT_PNG_LEVEL},             \
        {"progress", required_argument, NULL, MG_OPT_PROGRESS},               \
        {"resume", no_argument, NULL, MG_OPT_RESUME},                         \
        {"maps", required_argument, NULL, MG_OPT_MAPS},                       \
        {"no-tiles", no_argument, NULL, MG_OPT_NO_TILES},                     \
        {"public-url", required_argument, NULL, MG_OPT_PUBLIC_URL},           \
        {"max-tiles", required_argument, NULL, MG_OPT_MAX_TILES},             \
        {"classify", required_argument, NULL, MG_OPT_CLASSIFY},               \
    {                                                                         \
        "stores", required_argument, NULL, MG_OPT_STORES                      \
    }

/* The options of `mapgen run`, as parsed. */
typedef struct cli_run {
    mg_run_options run;
    mg_progress_mode progress;
    int quiet;
    mg_map_classify classify[MG_MAPS_CLASSIFY_MAX]; /* run.maps.classify */
} cli_run;

/* --progress=json among the arguments: usage errors are then JSON objects
 * too ({"error": {"code": 2, "class": ..., "message": ...}}), so that
 * every line on stderr is one (docs/rendering.md). */
extern int cli_json_errors;
int cli_json_wanted(int argc, char **argv);
/* Prints a usage error (plain, or JSON with cli_json_errors); returns
 * MG_ERR_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Handles option c (one of the above) with its argument: fills o.
 * Returns MG_OK, or MG_ERR_USAGE after printing what is wrong
 * ("mapgen run: --zoom: ...") on stderr. */
int cli_map_option(int c, const char *arg, cli_run *o);

/* The help text of these options, for `mapgen run --help`. */
#define MG_MAPS_USAGE                                                         \
    "Maps (docs/rendering.md, docs/styles.md):\n"                             \
    "  -z, --zoom MIN-MAX  zooms to render, e.g. -z 0-10 (or -z 8 for "       \
    "one);\n"                                                                 \
    "                      default 0 to where the median region is 64 px\n"   \
    "                      wide, at most 12\n"                                \
    "      --bbox W,S,E,N  only tiles that overlap this box (degrees), "      \
    "e.g.\n"                                                                  \
    "                      --bbox 20.2,43.6,29.7,48.3; default: the data\n"   \
    "  -j, --jobs N        rendering threads, e.g. -j 2; default: the\n"      \
    "                      number of cores; the tiles do not depend on it\n"  \
    "      --tile-size N   256 (default) or 512 (\"@2x\" tiles, lines and\n"  \
    "                      dots twice as wide), e.g. --tile-size 512\n"       \
    "      --retina        the same as --tile-size 512\n"                     \
    "      --png-level N   deflate level of the tiles, 0 (stored) to 9\n"  \
    "                      (small); 1, the default, is mapgen's own fast\n"  \
    "                      encoder for flat tiles, 2-9 libdeflate's\n"       \
    "                      levels, e.g. --png-level 6\n"                     \
    "      --progress=MODE auto (GDAL's 0...10...100 on a terminal, plain\n"  \
    "                      lines otherwise), plain, json or none, e.g.\n"     \
    "                      --progress=json\n"                                 \
    "      --resume        finish an interrupted run: tiles already "         \
    "written\n"                                                               \
    "                      are kept, the rest rendered; replaces outputs "    \
    "as\n"                                                                    \
    "                      --force does\n"                                    \
    "      --maps A,B      render only these maps (and the base), e.g.\n"     \
    "                      --maps needs,poverty\n"                            \
    "      --stores LIST   where the tiles go, any of dir (tiles/<map>/,\n"   \
    "                      which the viewer page needs), mbtiles and gpkg,\n" \
    "                      e.g. --stores dir,mbtiles; default all three\n"    \
    "      --no-tiles      no maps: the GeoPackage and reports only\n"        \
    "      --public-url URL where out/ will be served, e.g.\n"              \
    "                      --public-url https://example.org/maps: the\n"    \
    "                      TileJSON files name their tiles by absolute URL\n" \
    "      --max-tiles N   render up to N tiles (the estimate is printed);\n" \
    "                      default 50000000, e.g. --max-tiles 200000000\n" \
    "      --classify MAP=METHOD[:K]  classify map MAP's theme by METHOD\n"  \
    "                      (docs/classification.md) into K classes (default\n" \
    "                      the style's), e.g. --classify needs=quantile:3;\n" \
    "                      repeatable, one map each\n"

#endif
