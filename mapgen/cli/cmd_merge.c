/* `mapgen merge`: the outputs of a sharded run from its shard files; the
 * work is mg_merge(). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

static const char merge_usage[] =
    "Usage: mapgen merge SHARD.mgshard... [-o OUT] [options]\n"
    "\n"
    "Makes every output of a run split with `mapgen run --shard I/K`\n"
    "from its K shard files: the GeoPackage, reports, legends, maps.json,\n"
    "the viewer and the tile stores, byte for byte what the same run\n"
    "without --shard writes.  The project is read again (its path and the\n"
    "run's options are in the shards' manifest); the tiles are taken from\n"
    "the shards instead of rendered (docs/scale.md).  Refuses, naming the\n"
    "file, a missing or duplicate shard, an incomplete one, shards of\n"
    "other inputs, options or mapgen version, and inputs changed since.\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR    write into DIR instead of the project's "
    "\"output\"\n"
    "  -f, --force         replace outputs that already exist\n"
    "  -j, --jobs N        threads (the bytes do not depend on it)\n"
    "  -q, --quiet         print errors only\n"
    "      --progress=MODE auto, plain, json or none\n"
    "  -h, --help          this text\n"
    "\n"
    "Example:\n"
    "  for i in 0 1 2; do mapgen run p.json --shard $i/3 -o shards; done\n"
    "  mapgen merge shards/shard-*-of-3.mgshard -o out\n";

int cli_merge_command(int argc, char **argv)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"progress", required_argument, NULL, MG_OPT_PROGRESS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_run r = {.progress = MG_PROGRESS_AUTO};
    mg_merge_options mo = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:fj:qh", longs, NULL)) != -1) {
        switch (c) {
        case 'o':
            mo.output = optarg;
            break;
        case 'f':
            mo.force = 1;
            break;
        case 'q':
            r.quiet = 1;
            break;
        case 'h':
            fputs(merge_usage, stdout);
            return 0;
        case 'j':
        case MG_OPT_PROGRESS:
            if (cli_map_option(c, optarg, &r))
                return MG_ERR_USAGE;
            break;
        default:
            fputs("\n", stderr);
            fputs(merge_usage, stderr);
            return MG_ERR_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "mapgen merge: no shard files given\n\n%s",
                merge_usage);
        return MG_ERR_USAGE;
    }
    mo.shards = (const char *const *)(argv + optind);
    mo.n_shards = (size_t)(argc - optind);
    mo.threads = r.run.maps.threads;
    mo.progress =
        mg_progress_new(r.quiet ? MG_PROGRESS_NONE : r.progress, stderr);
    if (!mo.progress)
        return MG_ERR_NOMEM;
    mg_error err;
    int rc = mg_merge(&mo, &err);
    if (rc)
        mg_progress_error(mo.progress, &err);
    mg_progress_free(mo.progress);
    return mg_exit_code(rc);
}
