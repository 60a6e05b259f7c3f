/* `mapgen run`: the pipeline from the project file to the outputs. */
#include "mapgen/mapgen.h"

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
    "Examples:\n"
    "  mapgen run --force\n"
    "      the sample; maps and tables in ./out\n"
    "  mapgen run county.json -o /srv/maps/county --force\n"
    "      your project, replacing last run's outputs\n";

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
                         const char *dir, mg_error *err)
{
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
    for (int i = 0; !rc && i < 3; i++)
        if (!(tmp[i] = mg_outset_add(set, final[i], err)))
            rc = err->code;
    if (!rc) rc = mg_write_gpkg(d, tmp[0], err);
    if (!rc) rc = mg_write_ranking(d, tmp[1], err);
    if (!rc) rc = mg_report_write_csv(&d->report, tmp[2], err);
    if (!rc && mg_interrupted)
        rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                          "interrupted");
    if (!rc) rc = mg_outset_commit(set, err);
    if (!rc) {
        say(opt, "mapgen: outputs written:\n  %s\n", final[0]);
        say(opt, "  %s\n", final[1]);
        say(opt, "  %s\n", final[2]);
    }
    mg_outset_free(set);
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
    if (!rc) rc = mg_dataset_read(p, &d, on_progress, &ps, err);
    if (!rc) {
        say(opt, "mapgen: %s\n", "joining");
        rc = mg_dataset_join(d, on_progress, &ps, err);
    }
    if (!rc) rc = mg_model_compute(d, err);
    if (!rc) rc = mg_dataset_rollup(d, err);
    if (!rc && !opt->quiet)
        print_summary(d, stderr);
    if (!rc)
        rc = write_outputs(opt, d, opt->output ? opt->output : p->output,
                           err);
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
        {NULL, 0, NULL, 0}};
    mg_run_options opt = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:fqh", longs, NULL)) != -1) {
        switch (c) {
        case 'o': opt.output = optarg; break;
        case 'f': opt.force = 1; break;
        case 'q': opt.quiet = 1; break;
        case 'h': fputs(run_usage, stdout); return 0;
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
    mg_error err;
    int rc = mg_run(&opt, &err);
    if (rc)
        mg_error_print(&err, stderr);
    return mg_exit_code(rc);
}
