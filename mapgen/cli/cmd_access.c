/* `mapgen access` and `mapgen site`: the options and help texts.  Options
 * become the project file's "access" / "siting" object, which
 * mg_access_job_run() merges over the project's section when -p names a
 * project, so they are checked by the same parser and mean the same as
 * there. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char access_usage[] =
    "Usage: mapgen access REGIONS.gpkg [options]\n"
    "\n"
    "Measures, per region and service category, the supply people reach\n"
    "across region borders (two-step floating catchment area: 2SFCA,\n"
    "E2SFCA, Gaussian 2SFCA, gravity decays or kernels; 3SFCA with\n"
    "--steps 3) on a GeoPackage that `mapgen run` wrote, and\n"
    "writes into its layers regions and regions_<level> the fields\n"
    "access_<c>, accessible_supply_<c>, access_gap_<c> and\n"
    "access_gap_per10k_<c> (and _total); docs/access.md.  The GeoPackage is\n"
    "updated through a copy renamed over it when complete.\n"
    "\n"
    "Options (each one sets the key of the project's \"access\" object):\n"
    "  -p, --project FILE      take \"access\" and the model from FILE; the\n"
    "                          options below override its keys\n"
    "  -m, --method M          2sfca, e2sfca, gaussian, power, exponential,\n"
    "                          triangular, epanechnikov or quartic (default\n"
    "                          2sfca); all are cut off at the catchment\n"
    "      --beta B            power and exponential: the decay, > 0\n"
    "      --min-distance D    power: weight 1 up to D (default 1)\n"
    "      --steps N           2 (default) or 3: three-step FCA, demand split\n"
    "                          among the providers that reach it\n"
    "      --normalise         also access_norm_<c>: access over its\n"
    "                          need-weighted mean (1 = average)\n"
    "  -c, --catchment D       catchment: km, or the distance table's unit\n"
    "  -b, --bands LIST        e2sfca bands as TO:WEIGHT,..., e.g.\n"
    "                          10:1,20:0.68,30:0.22\n"
    "  -C, --categories LIST   categories to compute, comma-separated\n"
    "                          (default all the need_<c> fields name)\n"
    "  -d, --distances FILE    a table of costs instead of great-circle km:\n"
    "                          one row per region and provider\n"
    "      --region-field F    its column of region codes (default region)\n"
    "      --provider-field F  its column of provider source_fid (provider)\n"
    "      --cost-field F      its column of costs (default cost)\n"
    "      --demand FILE       a finer layer whose population places each\n"
    "                          region's demand point (population-weighted)\n"
    "      --population-field F, --demand-code-field F   its columns\n"
    "  -o, --output FILE       write a new GeoPackage instead of updating\n"
    "  -r, --report FILE       write the data problems found as CSV\n"
    "  -f, --force             replace the -o and -r files when they exist\n"
    "  -q, --quiet             print errors only\n"
    "  -h, --help              this text\n"
    "\n"
    "Examples:\n"
    "  mapgen access out/romania.gpkg -m gaussian -c 30\n"
    "  mapgen access out/romania.gpkg -p geodata/sample/romania.json -c 50\n";

static const char site_usage[] =
    "Usage: mapgen site REGIONS.gpkg [options]\n"
    "\n"
    "Recommends where K new services of a category should go to cover the\n"
    "most unmet need within a radius (maximal covering location: greedy\n"
    "with lazy evaluation, or exact by integer programming), to bring it\n"
    "nearest (p-median), to cover every region with the fewest sites\n"
    "(location set covering) or within the smallest radius (p-center), on a\n"
    "GeoPackage that `mapgen run` wrote.  The unmet need is access_gap_<c>\n"
    "when `mapgen access` computed it, else gap_<c>.  Writes the layer\n"
    "sites into the GeoPackage (through a copy renamed over it) and\n"
    "reports/sites.csv beside it; docs/access.md.\n"
    "\n"
    "Options (each one sets the key of the project's \"siting\" object):\n"
    "  -p, --project FILE      take \"siting\" and the model from FILE; the\n"
    "                          options below override its keys\n"
    "  -C, --category C        the service category of the new sites\n"
    "  -k, --count K           how many sites\n"
    "  -R, --radius R          coverage radius: km, or the table's unit\n"
    "      --capacity N        capacity of each new site (reported)\n"
    "  -m, --method M          mclp (default), pmedian, lscp, pcenter, a\n"
    "                          comma-separated list of them, or both (mclp\n"
    "                          and pmedian)\n"
    "      --solver S          maximal covering: auto (default: exact up to\n"
    "                          2,000,000 candidate-region pairs), greedy or\n"
    "                          exact (GLPK)\n"
    "      --time-limit S      seconds for each integer programme (60); the\n"
    "                          gap column says how far from proven optimal\n"
    "      --backup            lscp: then cover the most need twice\n"
    "      --capacitated       mclp, lscp, pcenter: a site serves at most\n"
    "                          --capacity (not with pmedian)\n"
    "      --need N            gap or access_gap (default: access_gap when\n"
    "                          the GeoPackage has it)\n"
    "      --candidates FILE   candidate sites: CSV with lon/lat columns or\n"
    "                          OGR points (default: every region's point)\n"
    "      --lon-field F, --lat-field F, --id-field F, --name-field F\n"
    "  -d, --distances FILE    a table of costs from candidates to regions\n"
    "      --region-field F, --candidate-field F, --cost-field F\n"
    "  -o, --output FILE       write a new GeoPackage instead of updating\n"
    "      --csv FILE          the sites CSV (default: reports/sites.csv\n"
    "                          beside the output GeoPackage)\n"
    "  -r, --report FILE       write the data problems found as CSV\n"
    "  -f, --force             replace the -o, --csv and -r files\n"
    "  -q, --quiet             print errors only\n"
    "  -h, --help              this text\n"
    "\n"
    "Examples:\n"
    "  mapgen site out/romania.gpkg -C rehabilitation -k 10 -R 20 \\\n"
    "      --capacity 30\n"
    "  mapgen site out/romania.gpkg -p geodata/sample/romania.json --force\n";

typedef struct cmd_opts {
    mg_access_job job;
    int quiet;
} cmd_opts;

/* Relative paths of options resolve from the current directory, not from
 * the project file's: make them absolute before they join the project. */
static json_t *path_value(const char *path)
{
    char cwd[4096];
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        return json_string(path);
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *abs = malloc(n);
    if (!abs)
        return NULL;
    snprintf(abs, n, "%s/%s", cwd, path);
    json_t *v = json_string(abs);
    free(abs);
    return v;
}

static json_t *sub_object(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v) {
        v = json_object();
        json_object_set_new(o, key, v);
    }
    return v;
}

/* "10:1,20:0.68" -> [{"to": 10, "weight": 1}, {"to": 20, ...}] */
static json_t *bands_value(const char *text)
{
    json_t *a = json_array();
    const char *p = text;
    while (a && *p) {
        char *end;
        double to = strtod(p, &end);
        if (*end != ':')
            break;
        double w = strtod(end + 1, &end);
        if (end == p || (*end && *end != ','))
            break;
        json_array_append_new(a,
                              json_pack("{s:f,s:f}", "to", to, "weight", w));
        p = *end ? end + 1 : end;
    }
    if (a && *p) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* "a,b" -> ["a", "b"] */
static json_t *list_value(const char *text)
{
    json_t *a = json_array();
    char *copy = strdup(text);
    for (char *save = NULL, *t = copy ? strtok_r(copy, ",", &save) : NULL; t;
         t = strtok_r(NULL, ",", &save))
        json_array_append_new(a, json_string(t));
    free(copy);
    return a;
}

/* A number option, or NULL (a usage error) when it is not one. */
static json_t *number_value(const char *text, int integer)
{
    char *end;
    errno = 0;
    double x = strtod(text, &end);
    if (end == text || *end || errno)
        return NULL;
    if (integer)
        return x == (double)(long long)x ? json_integer((long long)x) : NULL;
    return json_real(x);
}

/* ---- options ------------------------------------------------------------ */

enum { K_STR, K_PATH, K_NUM, K_INT, K_BANDS, K_LIST, K_METHODS, K_TRUE };

/* An option that sets a key of the "access" / "siting" object (of its
 * sub-object obj when not NULL). */
typedef struct opt_key {
    int code;
    const char *obj, *key;
    int kind;
} opt_key;

enum {
    O_REGION = 256,
    O_PROVIDER,
    O_COST,
    O_DEMAND,
    O_POP,
    O_DCODE,
    O_CAPACITY,
    O_NEED,
    O_CAND,
    O_LON,
    O_LAT,
    O_ID,
    O_NAME,
    O_CANDF,
    O_CSV,
    O_SOLVER,
    O_TLIMIT,
    O_BACKUP,
    O_CAPACITATED,
    O_BETA,
    O_DMIN,
    O_STEPS,
    O_NORMALISE
};

static const opt_key access_keys[] = {
    {'m', NULL, "method", K_STR},
    {'c', NULL, "catchment", K_NUM},
    {'b', NULL, "bands", K_BANDS},
    {'C', NULL, "categories", K_LIST},
    {'d', "distances", "path", K_PATH},
    {O_REGION, "distances", "region_field", K_STR},
    {O_PROVIDER, "distances", "provider_field", K_STR},
    {O_COST, "distances", "cost_field", K_STR},
    {O_DEMAND, "demand", "path", K_PATH},
    {O_POP, "demand", "population_field", K_STR},
    {O_DCODE, "demand", "region_code_field", K_STR},
    {O_BETA, NULL, "beta", K_NUM},
    {O_DMIN, NULL, "min_distance", K_NUM},
    {O_STEPS, NULL, "steps", K_INT},
    {O_NORMALISE, NULL, "normalise", K_TRUE},
    {0, NULL, NULL, 0}};

static const opt_key site_keys[] = {
    {'C', NULL, "category", K_STR},
    {'k', NULL, "count", K_INT},
    {'R', NULL, "radius", K_NUM},
    {O_CAPACITY, NULL, "capacity", K_NUM},
    {'m', NULL, "method", K_METHODS},
    {O_NEED, NULL, "need", K_STR},
    {O_CAND, "candidates", "path", K_PATH},
    {O_LON, "candidates", "lon_field", K_STR},
    {O_LAT, "candidates", "lat_field", K_STR},
    {O_ID, "candidates", "id_field", K_STR},
    {O_NAME, "candidates", "name_field", K_STR},
    {'d', "distances", "path", K_PATH},
    {O_REGION, "distances", "region_field", K_STR},
    {O_CANDF, "distances", "candidate_field", K_STR},
    {O_COST, "distances", "cost_field", K_STR},
    {O_SOLVER, NULL, "solver", K_STR},
    {O_TLIMIT, NULL, "time_limit", K_NUM},
    {O_BACKUP, NULL, "backup", K_TRUE},
    {O_CAPACITATED, NULL, "capacitated", K_TRUE},
    {0, NULL, NULL, 0}};

static const struct option access_longs[] = {
    {"project", required_argument, NULL, 'p'},
    {"method", required_argument, NULL, 'm'},
    {"catchment", required_argument, NULL, 'c'},
    {"bands", required_argument, NULL, 'b'},
    {"categories", required_argument, NULL, 'C'},
    {"distances", required_argument, NULL, 'd'},
    {"region-field", required_argument, NULL, O_REGION},
    {"provider-field", required_argument, NULL, O_PROVIDER},
    {"cost-field", required_argument, NULL, O_COST},
    {"demand", required_argument, NULL, O_DEMAND},
    {"population-field", required_argument, NULL, O_POP},
    {"demand-code-field", required_argument, NULL, O_DCODE},
    {"beta", required_argument, NULL, O_BETA},
    {"min-distance", required_argument, NULL, O_DMIN},
    {"steps", required_argument, NULL, O_STEPS},
    {"normalise", no_argument, NULL, O_NORMALISE},
    {"output", required_argument, NULL, 'o'},
    {"report", required_argument, NULL, 'r'},
    {"force", no_argument, NULL, 'f'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

static const struct option site_longs[] = {
    {"project", required_argument, NULL, 'p'},
    {"category", required_argument, NULL, 'C'},
    {"count", required_argument, NULL, 'k'},
    {"radius", required_argument, NULL, 'R'},
    {"capacity", required_argument, NULL, O_CAPACITY},
    {"method", required_argument, NULL, 'm'},
    {"need", required_argument, NULL, O_NEED},
    {"candidates", required_argument, NULL, O_CAND},
    {"lon-field", required_argument, NULL, O_LON},
    {"lat-field", required_argument, NULL, O_LAT},
    {"id-field", required_argument, NULL, O_ID},
    {"name-field", required_argument, NULL, O_NAME},
    {"distances", required_argument, NULL, 'd'},
    {"region-field", required_argument, NULL, O_REGION},
    {"candidate-field", required_argument, NULL, O_CANDF},
    {"cost-field", required_argument, NULL, O_COST},
    {"output", required_argument, NULL, 'o'},
    {"csv", required_argument, NULL, O_CSV},
    {"solver", required_argument, NULL, O_SOLVER},
    {"time-limit", required_argument, NULL, O_TLIMIT},
    {"backup", no_argument, NULL, O_BACKUP},
    {"capacitated", no_argument, NULL, O_CAPACITATED},
    {"report", required_argument, NULL, 'r'},
    {"force", no_argument, NULL, 'f'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

static json_t *option_value(int kind, const char *arg)
{
    switch (kind) {
    case K_PATH:
        return path_value(arg);
    case K_NUM:
        return number_value(arg, 0);
    case K_INT:
        return number_value(arg, 1);
    case K_BANDS:
        return bands_value(arg);
    case K_LIST:
        return list_value(arg);
    case K_METHODS:
        return strcmp(arg, "both") == 0 ? json_pack("[ss]", "mclp", "pmedian")
               : strchr(arg, ',')       ? list_value(arg)
                                        : json_string(arg);
    case K_TRUE:
        return json_true();
    default:
        return json_string(arg);
    }
}

/* Sets the key of an option; 0, or -1 when its value is malformed. */
static int apply_option(cmd_opts *o, int code, const char *arg)
{
    const opt_key *keys = o->job.site ? site_keys : access_keys;
    for (size_t i = 0; keys[i].key; i++) {
        if (keys[i].code != code)
            continue;
        json_t *v = option_value(keys[i].kind, arg);
        if (!v)
            return -1;
        json_t *at =
            keys[i].obj ? sub_object(o->job.spec, keys[i].obj) : o->job.spec;
        json_object_set_new(at, keys[i].key, v);
        return 0;
    }
    return -1;
}

static int usage_error(const cmd_opts *o, const char *fmt, const char *arg)
{
    fprintf(stderr, "mapgen %s: ", o->job.site ? "site" : "access");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", o->job.site ? site_usage : access_usage);
    return MG_ERR_USAGE;
}

/* Returns MG_OK, MG_ERR_USAGE (printed) or -1 for --help (printed). */
static int parse_options(cmd_opts *o, int argc, char **argv)
{
    int c;
    optind = 1;
    const char *shorts =
        o->job.site ? "p:C:k:R:m:d:o:r:fqh" : "p:m:c:b:C:d:o:r:fqh";
    const struct option *longs = o->job.site ? site_longs : access_longs;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        switch (c) {
        case 'p':
            o->job.project = optarg;
            break;
        case 'o':
            o->job.output = optarg;
            break;
        case 'r':
            o->job.report = optarg;
            break;
        case O_CSV:
            o->job.csv = optarg;
            break;
        case 'f':
            o->job.force = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'h':
            fputs(o->job.site ? site_usage : access_usage, stdout);
            return -1;
        case '?':
            fputs("\n", stderr);
            fputs(o->job.site ? site_usage : access_usage, stderr);
            return MG_ERR_USAGE;
        default:
            if (apply_option(o, c, optarg) != 0)
                return usage_error(o, "malformed value '%s'", optarg);
        }
    }
    if (argc - optind != 1)
        return usage_error(o, "%s",
                           argc - optind ? "one GeoPackage at most"
                                         : "which GeoPackage?");
    o->job.gpkg = argv[optind];
    return MG_OK;
}

/* ---- the commands ------------------------------------------------------- */

static int command(int argc, char **argv, int site)
{
    cmd_opts o = {.job = {.site = site, .spec = json_object()}};
    mg_error err;
    int rc = o.job.spec ? parse_options(&o, argc, argv) : MG_ERR_NOMEM;
    if (rc == MG_OK) {
        o.job.progress = mg_progress_new(
            o.quiet ? MG_PROGRESS_NONE : MG_PROGRESS_PLAIN, stderr);
        rc = o.job.progress ? mg_access_job_run(&o.job, &err) : MG_ERR_NOMEM;
        if (rc && o.job.progress)
            mg_progress_error(o.job.progress, &err);
        mg_progress_free(o.job.progress);
    }
    json_decref(o.job.spec);
    return rc < 0 ? 0 : mg_exit_code(rc);
}

int cli_access_command(int argc, char **argv)
{
    return command(argc, argv, 0);
}

int cli_site_command(int argc, char **argv)
{
    return command(argc, argv, 1);
}
