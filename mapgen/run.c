/* `mapgen run`: the pipeline from the project file to the outputs. */
#include "mapgen/mapgen.h"
#include "mapgen/poverty_stage.h"
#include "mapgen/cmd_access.h"
#include "mapgen/maps.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
    "Outputs are written under temporary names and appear only when all\n"
    "are complete; a failed or interrupted run leaves none behind.\n"
    "\n"
    "Arguments:\n"
    "  PROJECT.json        the project file (docs/project-file.md); without\n"
    "                      it, the bundled Romanian sample:\n"
    "                      " MG_SAMPLE_PROJECT "\n"
    "Options:\n"
    "  -o, --output DIR    write into DIR instead of the project's \"output\"\n"
    "                      (default \"out\", relative to the current directory)\n"
    "  -f, --force         replace outputs that already exist\n"
    "  -q, --quiet         print errors only\n"
    "  -h, --help          this text\n"
    "\n"
    MG_MAPS_USAGE
    "\n"
    "Examples:\n"
    "  mapgen run --force\n"
    "      the sample; maps and tables in ./out\n"
    "  mapgen run county.json -o /srv/maps/county --force\n"
    "      your project, replacing last run's outputs\n"
    "  mapgen run --force -z 0-8 -j 2 --progress=plain\n"
    "      the sample's maps at zooms 0-8 with two threads\n"
    "  mapgen run --resume\n"
    "      finish the run that was interrupted\n";

typedef struct progress_state {
    int quiet;
    time_t start;
} progress_state;

static int on_progress(double done, const char *what, void *user)
{
    progress_state *s = user;
    if (!s->quiet && done == 0.0)
        fprintf(stderr, "mapgen: %s...\n", what);
    return !mg_interrupted;
}

static void say(const mg_run_options *opt, const char *fmt, const char *a)
{
    if (!opt->quiet)
        fprintf(stderr, fmt, a);
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void print_summary(const mg_dataset *d, FILE *out)
{
    const mg_model_spec *m = &d->project->model;
    size_t placed = 0, counted = 0;
    for (size_t k = 0; k < d->n_providers; k++) {
        placed += d->providers[k].region >= 0;
        counted += d->providers[k].region >= 0 &&
                   d->providers[k].category >= 0;
    }
    for (size_t li = 0; li < d->n_levels; li++)
        fprintf(out, "mapgen: level '%s': %zu regions\n",
                d->levels[li].level, d->levels[li].n);
    fprintf(out, "mapgen: providers: %zu read, %zu placed in a region, %zu "
            "counted in supply; %zu geometries repaired\n",
            d->n_providers, placed, counted, d->n_repaired);
    double need = 0, supply = 0, gap = 0;
    const mg_level *l = &d->levels[0];
    for (size_t i = 0; i < l->n; i++) {
        need += l->regions[i].need[m->n_categories];
        supply += l->regions[i].supply[m->n_categories];
        gap += l->regions[i].gap[m->n_categories];
    }
    fprintf(out, "mapgen: total need %.0f, supply %.0f, unmet need %.0f\n",
            need, supply, gap);
    mg_report_summarise(&d->report, out);
}

/* Writes the three outputs under temporary names, then renames them. */
static int write_outputs(const mg_run_options *opt, const mg_dataset *d,
                         const mg_sites *sites, mg_maps *maps,
                         const char *dir, mg_error *err)
{
    char *sites_csv = NULL;
    char gpkg_name[512];
    snprintf(gpkg_name, sizeof gpkg_name, "%s.gpkg", d->project->name);
    char *final[3] = {join_path(dir, gpkg_name),
                      join_path(dir, "reports/ranking.csv"),
                      join_path(dir, "reports/join-report.csv")};
    mg_outset *set = mg_outset_new();
    int rc = set && final[0] && final[1] && final[2] ? MG_OK : MG_ERR_NOMEM;
    if (rc)
        mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    for (int i = 0; !rc && i < 3; i++)
        if (exists(final[i]) && !opt->force)
            rc = mg_error_set(err, MG_ERR_OUTPUT, final[i], -1, NULL,
                              "already exists; pass --force to replace it");
    const char *tmp[3] = {NULL, NULL, NULL};
    mg_poverty_outputs pov = {{NULL, NULL}, 0};
    for (int i = 0; !rc && i < 3; i++)
        if (!(tmp[i] = mg_outset_add(set, final[i], err)))
            rc = err->code;
    if (!rc) rc = mg_write_gpkg(d, tmp[0], err);
    if (!rc) rc = mg_write_ranking(d, tmp[1], err);
    if (!rc) rc = mg_report_write_csv(&d->report, tmp[2], err);
    if (!rc) rc = mg_pipeline_write_poverty(set, d, dir, opt->force, &pov,
                                            err);
    if (!rc && sites)
        rc = mg_pipeline_write_sites(set, sites, tmp[0], dir, opt->force,
                                     &sites_csv, err);
    if (!rc && maps)
        rc = mg_maps_write(maps, dir, set, tmp[0], err);
    /* The viewer page shows the tile folders: without them, no page. */
    int viewer = maps && (mg_maps_stores(maps) & MG_MAPS_STORE_DIR);
    if (!rc && viewer)
        rc = mg_viewer_stage(set, dir, opt->force, err);
    if (!rc && mg_interrupted)
        rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                          "interrupted");
    if (!rc) rc = mg_outset_commit(set, err);
    if (!rc) {
        say(opt, "mapgen: outputs written:\n  %s\n", final[0]);
        say(opt, "  %s\n", final[1]);
        say(opt, "  %s\n", final[2]);
        for (size_t i = 0; i < pov.n; i++)
            say(opt, "  %s\n", pov.final[i]);
        if (sites_csv)
            say(opt, "  %s\n", sites_csv);
        if (viewer && !opt->quiet)
            fprintf(stderr, "mapgen: maps in %s/ (index.html, tiles/, "
                    "legends/%s); view them with\n"
                    "  mapgen serve %s\n"
                    "then open http://127.0.0.1:8080/\n", dir,
                    mg_maps_stores(maps) & MG_MAPS_STORE_MBTILES
                        ? ", *.mbtiles" : "", dir);
        else if (maps && !opt->quiet)
            fprintf(stderr, "mapgen: maps in %s/ (legends/, maps.json and "
                    "the --stores chosen); no viewer page without the "
                    "tile folders (--stores dir)\n", dir);
    }
    free(sites_csv);
    mg_outset_free(set);
    mg_pipeline_clear_poverty_outputs(&pov);
    for (int i = 0; i < 3; i++)
        free(final[i]);
    return rc;
}

int mg_run(const mg_run_options *opt, mg_error *err)
{
    const char *path = opt->project ? opt->project : MG_SAMPLE_PROJECT;
    mg_project *p = NULL;
    mg_dataset *d = NULL;
    progress_state ps = {opt->quiet, time(NULL)};
    mg_error_clear(err);
    say(opt, "mapgen: project %s\n", path);
    int rc = mg_project_load(path, &p, err);
    mg_maps *maps = NULL;
    mg_map_options mopt;
    mg_map_options_default(&mopt);
    if (opt->maps)
        mopt = *opt->maps;
    mopt.force = opt->force;
    mopt.quiet = opt->quiet;
    if (!rc && !opt->no_tiles)
        rc = mg_maps_load(p, &mopt, &maps, err);
    if (!rc) rc = mg_dataset_read(p, &d, on_progress, &ps, err);
    if (!rc) {
        say(opt, "mapgen: %s\n", "joining");
        rc = mg_dataset_join(d, on_progress, &ps, err);
    }
    if (!rc) rc = mg_model_compute(d, err);
    if (!rc) rc = mg_dataset_rollup(d, err);
    mg_sites *sites = NULL;
    if (!rc && (p->access || p->siting))
        rc = mg_access_stage_run(d, MG_STAGE_ACCESS | MG_STAGE_SITING,
                                 &sites, on_progress, &ps, err);
    if (!rc && p->poverty) {
        say(opt, "mapgen: %s\n", "poverty index");
        rc = mg_pipeline_compute_poverty(d, err);
    }
    if (!rc && !opt->quiet)
        print_summary(d, stderr);
    if (!rc && maps)
        rc = mg_maps_prepare(maps, d, sites, err);
    if (!rc)
        rc = write_outputs(opt, d, sites, maps,
                           opt->output ? opt->output : p->output, err);
    mg_maps_free(maps);
    mg_sites_free(sites);
    mg_dataset_free(d);
    mg_project_free(p);
    return rc;
}

int mg_cmd_run(int argc, char **argv)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        MG_MAPS_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    mg_run_options opt = {0};
    mg_map_options mopt;
    mg_map_options_default(&mopt);
    opt.maps = &mopt;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:fqhz:j:", longs, NULL)) != -1) {
        switch (c) {
        case 'o': opt.output = optarg; break;
        case 'f': opt.force = 1; break;
        case 'q': opt.quiet = 1; break;
        case 'h': fputs(run_usage, stdout); return 0;
        case 'z': case 'j': case MG_OPT_BBOX: case MG_OPT_TILE_SIZE:
        case MG_OPT_RETINA: case MG_OPT_PNG_LEVEL: case MG_OPT_PROGRESS:
        case MG_OPT_RESUME: case MG_OPT_MAPS: case MG_OPT_NO_TILES:
        case MG_OPT_STORES:
            if (mg_maps_parse_arg(c, optarg, &mopt, &opt.no_tiles))
                return MG_ERR_USAGE;
            break;
        default:
            fputs("\n", stderr);
            fputs(run_usage, stderr);
            return MG_ERR_USAGE;
        }
    }
    if (argc - optind > 1) {
        fprintf(stderr, "mapgen run: one project file at most (got %d)\n\n%s",
                argc - optind, run_usage);
        return MG_ERR_USAGE;
    }
    opt.project = optind < argc ? argv[optind] : NULL;
    if (mopt.resume)
        opt.force = 1; /* --resume replaces what the run it finishes would */
    mg_error err;
    int rc = mg_run(&opt, &err);
    if (rc)
        mg_error_print(&err, stderr);
    return mg_exit_code(rc);
}
