/* mapgen's entry point: dispatches to the commands. */
#include "cli.h"

#include <gdal.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "mapgen — maps of social-service need, provision and the gap between\n"
    "\n"
    "Usage:\n"
    "  mapgen run [PROJECT.json] [options]\n"
    "      Read the boundaries, the register of service providers and the\n"
    "      counts of people in need that the project file names; join them\n"
    "      (reporting every record that does not match); compute need,\n"
    "      supply, gap and coverage per region and service category; write\n"
    "      OUT/<name>.gpkg, OUT/reports/ranking.csv and\n"
    "      OUT/reports/join-report.csv, and draw the maps as PNG tiles\n"
    "      (OUT/tiles/, OUT/*.mbtiles, OUT/maps.json, OUT/legends/; view\n"
    "      with `mapgen serve OUT`; docs/rendering.md).\n"
    "      Without PROJECT.json it runs the\n"
    "      bundled Romanian sample.  `mapgen run --help` lists the options.\n"
    "  mapgen access REGIONS.gpkg [options]\n"
    "      Accessibility across region borders (2SFCA, E2SFCA, Gaussian\n"
    "      2SFCA, gravity decays and kernels, 3SFCA) on a GeoPackage that\n"
    "      `mapgen run` wrote: access_<c>, accessible_supply_<c> and\n"
    "      access_gap_<c> per region\n"
    "      (docs/access.md).  `mapgen access --help` lists the options.\n"
    "  mapgen site REGIONS.gpkg [options]\n"
    "      Where K new services should go to cover the most unmet need\n"
    "      (maximal covering location, greedy or exact; p-median; set\n"
    "      covering; p-center): layer sites and reports/sites.csv.\n"
    "      `mapgen site --help` lists the options.\n"
    "  mapgen serve [OUT_DIR ...] [options]\n"
    "      Serve the outputs over HTTP: the viewer page, TileJSON, tiles\n"
    "      from the MBTiles, tile folders or GeoPackage, the downloads\n"
    "      (docs/viewer.md).  `mapgen serve --help` lists the options.\n"
    "  mapgen merge SHARD... [-o OUT]\n"
    "      The outputs of a run split with `mapgen run --shard I/K`, from\n"
    "      its shard files, byte for byte those of the run without shards\n"
    "      (docs/scale.md).  `mapgen merge --help` lists the options.\n"
    "  mapgen slurm PROJECT.json --tasks K -o OUT [options]\n"
    "      The same run on a Slurm cluster: a job array of K shard tasks\n"
    "      and a merge job after them (docs/scale.md).  `mapgen slurm\n"
    "      --help` lists the options.\n"
    "  mapgen --help       this text\n"
    "  mapgen --version    the version\n"
    "\n"
    "Examples:\n"
    "  mapgen run --force                    # the bundled sample, into "
    "./out\n"
    "  mapgen run my-province.json -o maps   # your project, into ./maps\n"
    "  mapgen serve out                      # view them: http://127.0.0.1:8080/\n"
    "\n"
    "Exit codes: 0 success, 2 usage, 3 project file, 4 input data, 5 output,\n"
    "6 GDAL/PROJ/GEOS/SQLite failure, 7 out of memory, 130 interrupted.\n"
    "The project file format is in docs/project-file.md.\n";

static void on_signal(int sig)
{
    (void)sig;
    mg_interrupted = 1;
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    if (argc < 2) {
        fputs(usage, stderr);
        return MG_ERR_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("mapgen %s (GDAL %s)\n", MG_VERSION,
               GDALVersionInfo("RELEASE_NAME"));
        return 0;
    }
    GDALAllRegister();
    int rc;
    if (!strcmp(argv[1], "run")) {
        rc = cli_run_command(argc - 1, argv + 1);
    } else if (!strcmp(argv[1], "access")) {
        rc = cli_access_command(argc - 1, argv + 1);
    } else if (!strcmp(argv[1], "site")) {
        rc = cli_site_command(argc - 1, argv + 1);
    } else if (!strcmp(argv[1], "serve")) {
        rc = cli_serve_command(argc - 1, argv + 1);
    } else if (!strcmp(argv[1], "merge")) {
        rc = cli_merge_command(argc - 1, argv + 1);
    } else if (!strcmp(argv[1], "slurm")) {
        rc = cli_slurm_command(argc - 1, argv + 1);
    } else {
        fprintf(stderr, "mapgen: unknown command '%s'\n\n%s", argv[1], usage);
        rc = MG_ERR_USAGE;
    }
    GDALDestroy();
    return rc;
}
