/* `mapgen access` and `mapgen site`: the accessibility and siting stages
 * alone, on a GeoPackage that `mapgen run` wrote.  Options become the
 * project file's "access" / "siting" object (merged over the project's
 * when -p names one), so they are checked by the same parser and mean the
 * same as there.  The GeoPackage is updated crash-safely: a copy under a
 * temporary name is updated and renamed over it when complete. */
#include "mapgen/cmd_access.h"

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
    "E2SFCA or Gaussian 2SFCA) on a GeoPackage that `mapgen run` wrote, and\n"
    "writes into its layers regions and regions_<level> the fields\n"
    "access_<c>, accessible_supply_<c>, access_gap_<c> and\n"
    "access_gap_per10k_<c> (and _total); docs/access.md.  The GeoPackage is\n"
    "updated through a copy renamed over it when complete.\n"
    "\n"
    "Options (each one sets the key of the project's \"access\" object):\n"
    "  -p, --project FILE      take \"access\" and the model from FILE; the\n"
    "                          options below override its keys\n"
    "  -m, --method M          2sfca, e2sfca or gaussian (default 2sfca)\n"
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
    "most unmet need within a radius (maximal covering location, greedy\n"
    "with lazy evaluation) or to bring it nearest (p-median), on a\n"
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
    "  -m, --method M          mclp (default), pmedian or both\n"
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
    int site;                /* mapgen site */
    const char *gpkg, *project, *output, *csv, *report;
    int force, quiet;
    json_t *spec;            /* the options as the project's object */
} cmd_opts;

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

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
        json_array_append_new(a, json_pack("{s:f,s:f}", "to", to, "weight",
                                           w));
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
    for (char *save = NULL, *t = copy ? strtok_r(copy, ",", &save) : NULL;
         t; t = strtok_r(NULL, ",", &save))
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

enum { K_STR, K_PATH, K_NUM, K_INT, K_BANDS, K_LIST, K_METHODS };

/* An option that sets a key of the "access" / "siting" object (of its
 * sub-object obj when not NULL). */
typedef struct opt_key {
    int code;
    const char *obj, *key;
    int kind;
} opt_key;

enum { O_REGION = 256, O_PROVIDER, O_COST, O_DEMAND, O_POP, O_DCODE,
       O_CAPACITY, O_NEED, O_CAND, O_LON, O_LAT, O_ID, O_NAME, O_CANDF,
       O_CSV };

static const opt_key access_keys[] = {
    {'m', NULL, "method", K_STR}, {'c', NULL, "catchment", K_NUM},
    {'b', NULL, "bands", K_BANDS}, {'C', NULL, "categories", K_LIST},
    {'d', "distances", "path", K_PATH},
    {O_REGION, "distances", "region_field", K_STR},
    {O_PROVIDER, "distances", "provider_field", K_STR},
    {O_COST, "distances", "cost_field", K_STR},
    {O_DEMAND, "demand", "path", K_PATH},
    {O_POP, "demand", "population_field", K_STR},
    {O_DCODE, "demand", "region_code_field", K_STR},
    {0, NULL, NULL, 0}};

static const opt_key site_keys[] = {
    {'C', NULL, "category", K_STR}, {'k', NULL, "count", K_INT},
    {'R', NULL, "radius", K_NUM}, {O_CAPACITY, NULL, "capacity", K_NUM},
    {'m', NULL, "method", K_METHODS}, {O_NEED, NULL, "need", K_STR},
    {O_CAND, "candidates", "path", K_PATH},
    {O_LON, "candidates", "lon_field", K_STR},
    {O_LAT, "candidates", "lat_field", K_STR},
    {O_ID, "candidates", "id_field", K_STR},
    {O_NAME, "candidates", "name_field", K_STR},
    {'d', "distances", "path", K_PATH},
    {O_REGION, "distances", "region_field", K_STR},
    {O_CANDF, "distances", "candidate_field", K_STR},
    {O_COST, "distances", "cost_field", K_STR},
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
    {"report", required_argument, NULL, 'r'},
    {"force", no_argument, NULL, 'f'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

static json_t *option_value(int kind, const char *arg)
{
    switch (kind) {
    case K_PATH: return path_value(arg);
    case K_NUM: return number_value(arg, 0);
    case K_INT: return number_value(arg, 1);
    case K_BANDS: return bands_value(arg);
    case K_LIST: return list_value(arg);
    case K_METHODS:
        return strcmp(arg, "both") == 0
                   ? json_pack("[ss]", "mclp", "pmedian") : json_string(arg);
    default: return json_string(arg);
    }
}

/* Sets the key of an option; 0, or -1 when its value is malformed. */
static int apply_option(cmd_opts *o, int code, const char *arg)
{
    const opt_key *keys = o->site ? site_keys : access_keys;
    for (size_t i = 0; keys[i].key; i++) {
        if (keys[i].code != code)
            continue;
        json_t *v = option_value(keys[i].kind, arg);
        if (!v)
            return -1;
        json_t *at = keys[i].obj ? sub_object(o->spec, keys[i].obj) : o->spec;
        json_object_set_new(at, keys[i].key, v);
        return 0;
    }
    return -1;
}

static int usage_error(const cmd_opts *o, const char *fmt, const char *arg)
{
    fprintf(stderr, "mapgen %s: ", o->site ? "site" : "access");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", o->site ? site_usage : access_usage);
    return MG_ERR_USAGE;
}

/* Returns MG_OK, MG_ERR_USAGE (printed) or -1 for --help (printed). */
static int parse_options(cmd_opts *o, int argc, char **argv)
{
    int c;
    optind = 1;
    const char *shorts = o->site ? "p:C:k:R:m:d:o:r:fqh"
                                 : "p:m:c:b:C:d:o:r:fqh";
    const struct option *longs = o->site ? site_longs : access_longs;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        switch (c) {
        case 'p': o->project = optarg; break;
        case 'o': o->output = optarg; break;
        case 'r': o->report = optarg; break;
        case O_CSV: o->csv = optarg; break;
        case 'f': o->force = 1; break;
        case 'q': o->quiet = 1; break;
        case 'h':
            fputs(o->site ? site_usage : access_usage, stdout);
            return -1;
        case '?':
            fputs("\n", stderr);
            fputs(o->site ? site_usage : access_usage, stderr);
            return MG_ERR_USAGE;
        default:
            if (apply_option(o, c, optarg) != 0)
                return usage_error(o, "malformed value '%s'", optarg);
        }
    }
    if (argc - optind != 1)
        return usage_error(o, "%s", argc - optind ? "one GeoPackage at most"
                                                  : "which GeoPackage?");
    o->gpkg = argv[optind];
    return MG_OK;
}

/* ---- the project -------------------------------------------------------- */

/* Without a project file: the categories the GeoPackage's fields name. */
static int project_from_gpkg(const char *gpkg, mg_project **out,
                             mg_error *err)
{
    mg_project *p = calloc(1, sizeof *p);
    if (!p || !(p->base_dir = strdup(".")) || !(p->name = strdup("mapgen"))) {
        mg_project_free(p);
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    }
    int rc = mg_access_list_categories(gpkg, &p->model.categories,
                                       &p->model.n_categories, err);
    if (rc) {
        mg_project_free(p);
        return rc;
    }
    *out = p;
    return MG_OK;
}

/* Fills the keys options leave out with the commands' defaults. */
static void fill_defaults(const cmd_opts *o, json_t *spec)
{
    json_t *d = json_object_get(spec, "distances");
    const char *other = o->site ? "candidate_field" : "provider_field";
    if (json_is_object(d)) {
        if (!json_object_get(d, "region_field"))
            json_object_set_new(d, "region_field", json_string("region"));
        if (!json_object_get(d, other))
            json_object_set_new(d, other, json_string(o->site ? "candidate"
                                                              : "provider"));
        if (!json_object_get(d, "cost_field"))
            json_object_set_new(d, "cost_field", json_string("cost"));
    }
    json_t *c = json_object_get(spec, "candidates");
    const char *path = json_string_value(json_object_get(c, "path"));
    size_t n = path ? strlen(path) : 0;
    /* A CSV has no geometry: its coordinates are in lon/lat columns. */
    if (n > 4 && strcmp(path + n - 4, ".csv") == 0 &&
        !json_object_get(c, "lon_field")) {
        json_object_set_new(c, "lon_field", json_string("lon"));
        json_object_set_new(c, "lat_field", json_string("lat"));
    }
}

/* The "access"/"siting" object: the project's, with the options over it. */
static int merged_spec(const cmd_opts *o, json_t **out, mg_error *err)
{
    const char *key = o->site ? "siting" : "access";
    json_t *base = NULL;
    if (o->project) {
        json_error_t jerr;
        json_t *root = json_load_file(o->project, 0, &jerr);
        json_t *v = root ? json_object_get(root, key) : NULL;
        if (json_is_array(v) && json_array_size(v) == 1)
            v = json_array_get(v, 0);
        if (json_is_array(v)) {
            json_decref(root);
            return mg_error_set(err, MG_ERR_USAGE, o->project, -1, key,
                                "the project has several siting runs; "
                                "options can change only one");
        }
        base = json_is_object(v) ? json_deep_copy(v) : NULL;
        json_decref(root);
    }
    if (!base)
        base = json_object();
    json_object_update_recursive(base, o->spec);
    fill_defaults(o, base);
    *out = base;
    return MG_OK;
}

static int apply_spec(const cmd_opts *o, mg_project *p, mg_error *err)
{
    int keep = o->project && json_object_size(o->spec) == 0 &&
               (o->site ? p->siting != NULL : p->access != NULL);
    if (keep)
        return MG_OK; /* the project's section as it is */
    json_t *spec = NULL;
    int rc = merged_spec(o, &spec, err);
    char *text = rc ? NULL : json_dumps(spec, JSON_COMPACT);
    const char *file = o->project ? o->project : "(options)";
    if (!rc && !text)
        rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
    if (!rc && o->site) {
        mg_siting_spec_free(p->siting);
        p->siting = NULL;
        rc = mg_siting_spec_parse(text, file, &p->model, &p->siting, err);
    } else if (!rc) {
        mg_access_spec_free(p->access);
        p->access = NULL;
        rc = mg_access_spec_parse(text, file, &p->model, &p->access, err);
    }
    free(text);
    json_decref(spec);
    return rc;
}

/* ---- writing ------------------------------------------------------------ */

static int copy_file(const char *from, const char *to, mg_error *err)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[1 << 16];
    size_t n;
    int bad = !in || !out;
    while (!bad && (n = fread(buf, 1, sizeof buf, in)) > 0)
        bad = fwrite(buf, 1, n, out) != n;
    bad |= in && ferror(in);
    if (out && fclose(out) != 0)
        bad = 1;
    if (in)
        fclose(in);
    if (bad)
        return mg_error_set(err, in ? MG_ERR_OUTPUT : MG_ERR_INPUT,
                            in ? to : from, -1, NULL, "cannot copy: %s",
                            strerror(errno));
    return MG_OK;
}

/* dir_of("out/x.gpkg", "reports/sites.csv") = "out/reports/sites.csv" */
static char *beside(const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    size_t d = slash ? (size_t)(slash - path) + 1 : 0;
    char *out = malloc(d + strlen(name) + 1);
    if (out) {
        memcpy(out, path, d);
        strcpy(out + d, name);
    }
    return out;
}

static int check_new(const cmd_opts *o, const char *path, mg_error *err)
{
    if (path && exists(path) && !o->force)
        return mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                            "already exists; pass --force to replace it");
    return MG_OK;
}

static int write_back(const cmd_opts *o, const mg_dataset *d,
                      const mg_sites *sites, mg_error *err)
{
    const char *target = o->output ? o->output : o->gpkg;
    char *csv = !o->site ? NULL : o->csv ? strdup(o->csv)
                                         : beside(target, "reports/sites.csv");
    mg_outset *set = mg_outset_new();
    const char *tmp = NULL, *tcsv = NULL, *trep = NULL;
    int rc = set && (csv || !o->site)
                 ? MG_OK
                 : mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                                "out of memory");
    if (!rc && o->output) rc = check_new(o, o->output, err);
    if (!rc) rc = check_new(o, csv, err);
    if (!rc) rc = check_new(o, o->report, err);
    if (!rc && !(tmp = mg_outset_add(set, target, err))) rc = err->code;
    if (!rc && csv && !(tcsv = mg_outset_add(set, csv, err))) rc = err->code;
    if (!rc && o->report && !(trep = mg_outset_add(set, o->report, err)))
        rc = err->code;
    if (!rc) rc = copy_file(o->gpkg, tmp, err);
    if (!rc) rc = mg_access_update_gpkg(d, sites, tmp, err);
    if (!rc && tcsv) rc = mg_sites_write_csv(sites, tcsv, err);
    if (!rc && trep) rc = mg_report_write_csv(&d->report, trep, err);
    if (!rc && mg_interrupted)
        rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                          "interrupted");
    if (!rc) rc = mg_outset_commit(set, err);
    if (!rc && !o->quiet) {
        fprintf(stderr, "mapgen: outputs written:\n  %s\n", target);
        if (csv)
            fprintf(stderr, "  %s\n", csv);
        if (o->report)
            fprintf(stderr, "  %s\n", o->report);
    }
    mg_outset_free(set);
    free(csv);
    return rc;
}

int mg_pipeline_write_sites(mg_outset *set, const mg_sites *sites,
                            const char *gpkg_tmp, const char *dir, int force,
                            char **csv_final, mg_error *err)
{
    cmd_opts o = {.force = force};
    const char *tmp = NULL;
    size_t n = strlen(dir) + 32;
    *csv_final = malloc(n);
    if (!*csv_final)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    snprintf(*csv_final, n, "%s/reports/sites.csv", dir);
    int rc = check_new(&o, *csv_final, err);
    if (!rc && !(tmp = mg_outset_add(set, *csv_final, err)))
        rc = err->code;
    if (!rc) rc = mg_sites_write_gpkg(sites, gpkg_tmp, err);
    if (!rc) rc = mg_sites_write_csv(sites, tmp, err);
    return rc;
}

/* ---- the commands ------------------------------------------------------- */

static int on_progress(double done, const char *what, void *user)
{
    const cmd_opts *o = user;
    if (!o->quiet && done == 0.0)
        fprintf(stderr, "mapgen: %s...\n", what);
    return !mg_interrupted;
}

static void summarise(const cmd_opts *o, const mg_dataset *d,
                      const mg_sites *sites)
{
    if (o->quiet)
        return;
    for (size_t k = 0; sites && k < sites->n; k++) {
        const mg_site *s = &sites->v[k];
        fprintf(stderr, "mapgen: %s %s #%d: %s (%s), covers %.1f of the "
                "unmet need (%s) in %zu region(s)\n", s->method, s->category,
                s->rank, s->name ? s->name : s->candidate,
                s->region_code ? s->region_code : "-", s->need_covered,
                s->need, s->regions_served);
    }
    mg_report_summarise(&d->report, stderr);
}

static int run_command(cmd_opts *o, mg_error *err)
{
    mg_project *p = NULL;
    mg_dataset *d = NULL;
    mg_sites *sites = NULL;
    mg_error_clear(err);
    int rc = o->project ? mg_project_load(o->project, &p, err)
                        : project_from_gpkg(o->gpkg, &p, err);
    if (!rc) rc = apply_spec(o, p, err);
    if (!rc) rc = mg_access_read_gpkg(o->gpkg, p, &d, err);
    if (!rc)
        rc = mg_access_stage_run(d, o->site ? MG_STAGE_SITING
                                            : MG_STAGE_ACCESS,
                                 &sites, on_progress, o, err);
    if (!rc) rc = write_back(o, d, sites, err);
    if (!rc)
        summarise(o, d, sites);
    mg_sites_free(sites);
    mg_dataset_free(d);
    mg_project_free(p);
    return rc;
}

static int command(int argc, char **argv, int site)
{
    cmd_opts o = {.site = site, .spec = json_object()};
    mg_error err;
    int rc = o.spec ? parse_options(&o, argc, argv) : MG_ERR_NOMEM;
    if (rc == MG_OK) {
        rc = run_command(&o, &err);
        if (rc)
            mg_error_print(&err, stderr);
    }
    json_decref(o.spec);
    return rc < 0 ? 0 : mg_exit_code(rc);
}

int mg_cmd_access(int argc, char **argv)
{
    return command(argc, argv, 0);
}

int mg_cmd_site(int argc, char **argv)
{
    return command(argc, argv, 1);
}
