/* `mapgen run`: the options and the help text; the work is mg_run(). */
#include "cli.h"

#include <cpl_error.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_CSV = 2000 };

/* --csv=plain|spreadsheet[:LOCALE] */
static int parse_csv(const char *arg, mg_csv_format *out)
{
    if (!strcmp(arg, "plain")) {
        *out = mg_csv_plain;
        return MG_OK;
    }
    const char *loc = NULL;
    if (!strcmp(arg, "spreadsheet"))
        loc = "";
    else if (!strncmp(arg, "spreadsheet:", 12) && arg[12])
        loc = arg + 12;
    if (!loc) {
        return cli_usage_error("mapgen run: --csv '%s': expected plain, "
                               "spreadsheet or spreadsheet:LOCALE, e.g. "
                               "--csv=spreadsheet",
                               arg);
    }
    mg_error err;
    mg_error_clear(&err);
    if (mg_csv_spreadsheet_locale(loc, out, &err))
        return cli_usage_error("mapgen run: %s", err.message);
    return MG_OK;
}

#ifndef MG_SAMPLE_PROJECT
#define MG_SAMPLE_PROJECT "geodata/sample/romania.json"
#endif

static const char run_usage[] =
    "Usage: mapgen run [PROJECT.json] [options]\n"
    "\n"
    "Joins the inputs a project file names and writes, under the output\n"
    "directory:\n"
    "  <name>.gpkg               layers regions, regions_<level> (one per\n"
    "                            parent level) and providers, with every\n"
    "                            input and computed figure\n"
    "  reports/ranking.csv       regions ranked by unmet need, in total and\n"
    "                            per service category, for every level\n"
    "  reports/join-report.csv   every record that did not match or was\n"
    "                            repaired: file, row, field, value,\n"
    "                            problem, action taken\n"
    "  reports/sites.csv         with \"siting\" in the project: the\n"
    "                            recommended sites (also layer sites, and\n"
    "                            dots on the needs map); \"access\" adds\n"
    "                            access_* fields to the regions\n"
    "                            (docs/access.md)\n"
    "  tiles/<map>/, <map>.mbtiles, a tile table <map> in <name>.gpkg,\n"
    "  legends/<map>.png, maps.json\n"
    "                            the maps (services, needs, poverty and the\n"
    "                            base of outlines) as PNG tiles; view them\n"
    "                            with `mapgen serve out`\n"
    "  index.html, report.html, regions/\n"
    "                            the viewer (identify, search, labels,\n"
    "                            print), a report per county, and the\n"
    "                            per-region data they read\n"
    "Outputs are written under temporary names and appear only when all\n"
    "are complete; a failed or interrupted run leaves none behind.\n"
    "\n"
    "Arguments:\n"
    "  PROJECT.json        the project file (docs/project-file.md); without\n"
    "                      it, the bundled Romanian sample:\n"
    "                      " MG_SAMPLE_PROJECT "\n"
    "Options:\n"
    "  -o, --output DIR    write into DIR instead of the project's "
    "\"output\"\n"
    "                      (default \"out\", relative to the current "
    "directory)\n"
    "  -f, --force         replace outputs that already exist\n"
    "  -q, --quiet         print errors only\n"
    "      --csv=MODE      the ranking, poverty ranking, sites and change\n"
    "                      reports: plain (default; RFC 4180, ',' and '.')\n"
    "                      or spreadsheet (a UTF-8 byte order mark and the\n"
    "                      locale's decimal sign, with ';' between cells\n"
    "                      where it is ','); spreadsheet:LOC names the\n"
    "                      locale, e.g. --csv=spreadsheet:ro_RO.UTF-8\n"
    "      --debug         libraries' messages in full (the SQL of a\n"
    "                      failing GeoPackage statement, say)\n"
    "  -h, --help          this text\n"
    "      --shard I/K     render only shard I (0..K-1) of K: the I-th of K\n"
    "                      ranges of every map's tiles in (zoom, row,\n"
    "                      column) order, balanced by estimated cost, into\n"
    "                      OUT/shard-I-of-K.mgshard and nothing else;\n"
    "                      `mapgen merge` makes the outputs from all K\n"
    "                      (docs/scale.md), e.g. --shard 0/4\n"
    "\n" MG_MAPS_USAGE "\n"
    "Examples:\n"
    "  mapgen run --force\n"
    "      the sample; maps and tables in ./out\n"
    "  mapgen run county.json -o /srv/maps/county --force\n"
    "      your project, replacing last run's outputs\n"
    "  mapgen run --force -z 0-8 -j 2 --progress=plain\n"
    "      the sample's maps at zooms 0-8 with two threads\n"
    "  mapgen run --resume\n"
    "      finish the run that was interrupted\n";

enum { OPT_SHARD = 2001 };

/* --shard I/K: 0 <= I < K <= 100000. */
static int parse_shard(const char *arg, mg_run_options *opt)
{
    int i, k, end = 0;
    if (sscanf(arg, "%d/%d%n", &i, &k, &end) != 2 || arg[end] != '\0' ||
        k < 1 || k > 100000 || i < 0 || i >= k) {
        return cli_usage_error("mapgen run: --shard: '%s' is not I/K with "
                               "0 <= I < K <= 100000, e.g. --shard 0/4",
                               arg);
    }
    opt->shard_index = i;
    opt->shard_count = k;
    return MG_OK;
}

/* GDAL's messages outside mapgen's boundary (its default handler prints
 * "Warning 1: ..."), as JSON lines under --progress=json. */
static void gdal_json(CPLErr level, CPLErrorNum num, const char *msg)
{
    json_t *o = json_pack("{s{sssiss}}", "gdal", "level",
                          level >= CE_Failure ? "error"
                          : level == CE_Warning ? "warning"
                                                : "debug",
                          "number", (int)num, "message", msg ? msg : "");
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (line)
        fprintf(stderr, "%s\n", line);
    free(line);
    json_decref(o);
}

/* The run, once its options are parsed. */
static int run_parsed(cli_run *r)
{
    mg_run_options *opt = &r->run;
    if (opt->maps.resume)
        opt->force = 1; /* --resume replaces what the run it finishes would */
    if (r->progress == MG_PROGRESS_JSON)
        CPLSetErrorHandler(gdal_json);
    opt->progress =
        mg_progress_new(r->quiet ? MG_PROGRESS_NONE : r->progress, stderr);
    if (!opt->progress)
        return MG_ERR_NOMEM;
    mg_error err;
    int rc = mg_run(opt, &err);
    if (rc)
        mg_progress_error(opt->progress, &err);
    mg_progress_free(opt->progress);
    return mg_exit_code(rc);
}

int cli_run_command(int argc, char **argv)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"csv", required_argument, NULL, OPT_CSV},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"debug", no_argument, NULL, 'D'},
        MG_MAPS_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    cli_run r = {.progress = MG_PROGRESS_AUTO};
    mg_run_options *opt = &r.run;
    mg_map_options_default(&opt->maps);
    int c;
    optind = 1;
    cli_json_errors = cli_json_wanted(argc, argv);
    opterr = !cli_json_errors; /* getopt's own messages are plain text */
    while ((c = getopt_long(argc, argv, "o:fqhz:j:", longs, NULL)) != -1) {
        switch (c) {
        case 'o':
            opt->output = optarg;
            break;
        case 'f':
            opt->force = 1;
            break;
        case 'q':
            r.quiet = 1;
            break;
        case 'h':
            fputs(run_usage, stdout);
            return 0;
        case OPT_CSV:
            if (parse_csv(optarg, &opt->csv))
                return MG_ERR_USAGE;
            break;
        case OPT_SHARD:
            if (parse_shard(optarg, opt))
                return MG_ERR_USAGE;
            break;
        case 'D': /* long only: 'D' is not in the short options */
            mg_debug = 1;
            break;
        case 'z':
        case 'j':
        case MG_OPT_BBOX:
        case MG_OPT_TILE_SIZE:
        case MG_OPT_RETINA:
        case MG_OPT_PNG_LEVEL:
        case MG_OPT_PROGRESS:
        case MG_OPT_RESUME:
        case MG_OPT_MAPS:
        case MG_OPT_NO_TILES:
        case MG_OPT_STORES:
        case MG_OPT_PUBLIC_URL:
        case MG_OPT_MAX_TILES:
        case MG_OPT_CLASSIFY:
            if (cli_map_option(c, optarg, &r))
                return MG_ERR_USAGE;
            break;
        default:
            if (cli_json_errors)
                return cli_usage_error("mapgen run: unknown option or "
                                       "missing argument: %s",
                                       argv[optind - 1]);
            fputs("\n", stderr);
            fputs(run_usage, stderr);
            return MG_ERR_USAGE;
        }
    }
    if (argc - optind > 1 && cli_json_errors)
        return cli_usage_error("mapgen run: one project file at most (got %d)",
                               argc - optind);
    if (argc - optind > 1) {
        fprintf(stderr, "mapgen run: one project file at most (got %d)\n\n%s",
                argc - optind, run_usage);
        return MG_ERR_USAGE;
    }
    opt->project = optind < argc ? argv[optind] : NULL;
    if (opt->shard_count && (opt->maps.resume || opt->no_tiles))
        return cli_usage_error("mapgen run: --shard renders tiles afresh: "
                               "not with %s (rerun a failed shard alone)",
                               opt->maps.resume ? "--resume" : "--no-tiles");
    if (opt->no_tiles && opt->maps.n_classify)
        return cli_usage_error("mapgen run: --classify changes the maps: "
                               "not with --no-tiles");
    return run_parsed(&r);
}
