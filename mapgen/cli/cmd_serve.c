/* `mapgen serve`: the command line. */
#include "cli.h"
#include "mapgen/serve.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char serve_usage[] =
    "Usage: mapgen serve [OUT_DIR ...] [options]\n"
    "\n"
    "Serves the output folders of `mapgen run` over HTTP (docs/viewer.md):\n"
    "  /                        the viewer page\n"
    "  /catalog, /health        the maps with their TileJSON URLs; status\n"
    "  /{map}.json              TileJSON 3.0.0 with absolute tile URLs\n"
    "  /{map}/{z}/{x}/{y}.png   tiles (@2x.png for 512-px maps) from the\n"
    "                           map's MBTiles file, tile folder or\n"
    "                           GeoPackage tile table\n"
    "  /<file>                  the folder's files (GeoPackage, reports,\n"
    "                           legends), with Range\n"
    "A store that `mapgen run --force` replaces is served at once, without\n"
    "a restart.  Several folders: files and maps are looked up in the order\n"
    "given.  Ctrl-C (or SIGTERM) stops the server.\n"
    "\n"
    "Arguments:\n"
    "  OUT_DIR             a folder `mapgen run` wrote (default: out)\n"
    "Options:\n"
    "  -p, --port N        TCP port (default 8080; 0: any free port)\n"
    "  -b, --bind ADDR     numeric address to listen on (default 127.0.0.1;\n"
    "                      0.0.0.0 or :: for every interface)\n"
    "      --public-url URL  the URL clients reach the server at, for the\n"
    "                      TileJSON, e.g. https://maps.example.org/tiles\n"
    "                      (behind a proxy); default: the Host header when\n"
    "                      it names this server\n"
    "      --allow-host H  a further Host the TileJSON may use (repeatable),\n"
    "                      e.g. --allow-host maps.lan:8080\n"
    "      --max-age S     Cache-Control max-age of tiles, seconds (default\n"
    "                      3600; URLs carrying the store's ?v= are immutable)\n"
    "      --store KIND    the store that answers tiles: mbtiles, dir, gpkg\n"
    "                      (default: mbtiles, else dir, else gpkg)\n"
    "      --blank         answer a transparent PNG for a tile inside the\n"
    "                      pyramid that was not written (default: 404)\n"
    "      --cors ORIGIN   Access-Control-Allow-Origin (default '*'; 'none')\n"
    "  -j, --jobs N        worker threads (default: the number of cores)\n"
    "      --timeout S     close connections idle for S seconds (default 15)\n"
    "      --max-conns N   connections in all (default 512)\n"
    "      --max-per-ip N  connections from one address (default 64; 0: no\n"
    "                      limit)\n"
    "      --cache-mb N    MiB of MBTiles and GeoPackage tiles kept in memory\n"
    "                      (default 64; 0: none)\n"
    "      --log FILE      access log, one line per request ('-': stderr)\n"
    "  -q, --quiet         print errors only\n"
    "  -h, --help          this text\n"
    "\n"
    "Examples:\n"
    "  mapgen serve out\n"
    "      then open http://127.0.0.1:8080/\n"
    "  mapgen serve /srv/maps/county --bind 0.0.0.0 --port 8080 \\\n"
    "      --public-url https://maps.example.org --log /var/log/mapgen.log\n";

enum {
    OPT_PUBLIC_URL = 1000, OPT_ALLOW_HOST, OPT_MAX_AGE, OPT_STORE,
    OPT_BLANK, OPT_CORS, OPT_TIMEOUT, OPT_MAX_CONNS, OPT_MAX_PER_IP, OPT_LOG,
    OPT_CACHE_MB
};

static int parse_int(const char *opt, const char *arg, int lo, int hi,
                     int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*arg == '\0' || *end || v < lo || v > hi) {
        fprintf(stderr, "mapgen serve: %s: '%s' is not a number from %d to "
                "%d\n", opt, arg, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int parse_store(const char *arg, mg_serve_store *out)
{
    static const struct { const char *name; mg_serve_store kind; } k[] = {
        {"best", MG_SERVE_STORE_BEST}, {"dir", MG_SERVE_STORE_DIR},
        {"mbtiles", MG_SERVE_STORE_MBTILES}, {"gpkg", MG_SERVE_STORE_GPKG}};
    for (size_t i = 0; i < sizeof k / sizeof *k; i++)
        if (!strcmp(arg, k[i].name)) {
            *out = k[i].kind;
            return 0;
        }
    fprintf(stderr, "mapgen serve: --store: '%s': one of mbtiles, dir, gpkg "
            "or best\n", arg);
    return -1;
}

static int parse_option(int c, mg_serve_options *o, const char **hosts,
                        size_t *n_hosts)
{
    switch (c) {
    case 'p': return parse_int("--port", optarg, 0, 65535, &o->port);
    case 'b': o->bind = optarg; return 0;
    case 'j': return parse_int("--jobs", optarg, 1, 256, &o->threads);
    case 'q': o->quiet = 1; return 0;
    case OPT_PUBLIC_URL: o->public_url = optarg; return 0;
    case OPT_ALLOW_HOST:
        if (*n_hosts >= 32) {
            fprintf(stderr, "mapgen serve: --allow-host: 32 at most\n");
            return -1;
        }
        hosts[(*n_hosts)++] = optarg;
        return 0;
    case OPT_MAX_AGE:
        return parse_int("--max-age", optarg, 0, INT_MAX, &o->max_age);
    case OPT_STORE: return parse_store(optarg, &o->store);
    case OPT_BLANK: o->blank = 1; return 0;
    case OPT_CORS: o->cors = strcmp(optarg, "none") ? optarg : NULL; return 0;
    case OPT_TIMEOUT:
        return parse_int("--timeout", optarg, 1, 3600, &o->timeout);
    case OPT_MAX_CONNS:
        return parse_int("--max-conns", optarg, 1, 100000, &o->max_conns);
    case OPT_MAX_PER_IP:
        return parse_int("--max-per-ip", optarg, 0, 100000, &o->max_per_ip);
    case OPT_LOG: o->log_path = optarg; return 0;
    case OPT_CACHE_MB:
        return parse_int("--cache-mb", optarg, 0, 65536, &o->cache_mb);
    default: return -1;
    }
}

int cli_serve_command(int argc, char **argv)
{
    static const struct option longs[] = {
        {"port", required_argument, NULL, 'p'},
        {"bind", required_argument, NULL, 'b'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
        {"allow-host", required_argument, NULL, OPT_ALLOW_HOST},
        {"max-age", required_argument, NULL, OPT_MAX_AGE},
        {"store", required_argument, NULL, OPT_STORE},
        {"blank", no_argument, NULL, OPT_BLANK},
        {"cors", required_argument, NULL, OPT_CORS},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"max-conns", required_argument, NULL, OPT_MAX_CONNS},
        {"max-per-ip", required_argument, NULL, OPT_MAX_PER_IP},
        {"log", required_argument, NULL, OPT_LOG},
        {"cache-mb", required_argument, NULL, OPT_CACHE_MB},
        {NULL, 0, NULL, 0}};
    static const char *const default_dirs[] = {"out"};
    const char *hosts[32];
    size_t n_hosts = 0;
    mg_serve_options o;
    mg_serve_options_default(&o);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:b:j:qh", longs, NULL)) != -1) {
        if (c == 'h') {
            fputs(serve_usage, stdout);
            return 0;
        }
        if (parse_option(c, &o, hosts, &n_hosts)) {
            fprintf(stderr, "\n%s", serve_usage);
            return MG_ERR_USAGE;
        }
    }
    o.allow_hosts = hosts;
    o.n_allow_hosts = n_hosts;
    o.dirs = optind < argc ? (const char *const *)argv + optind : default_dirs;
    o.n_dirs = optind < argc ? (size_t)(argc - optind) : 1;
    mg_error err;
    int rc = mg_serve_run(&o, &err);
    if (rc)
        mg_error_print(&err, stderr);
    return mg_exit_code(rc);
}
