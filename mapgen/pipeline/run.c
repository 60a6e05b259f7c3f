/* `mapgen run`: the pipeline from the project file to the outputs. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void print_summary(FILE *out, void *user)
{
    const mg_dataset *d = user;
    const mg_model_spec *m = &d->project->model;
    size_t placed = 0, counted = 0;
    for (size_t k = 0; k < d->n_providers; k++) {
        placed += d->providers[k].region >= 0;
        counted +=
            d->providers[k].region >= 0 && d->providers[k].category >= 0;
    }
    for (size_t li = 0; li < d->n_levels; li++)
        fprintf(out, "mapgen: level '%s': %zu regions\n", d->levels[li].level,
                d->levels[li].n);
    fprintf(out,
            "mapgen: providers: %zu read, %zu placed in a region, %zu "
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
                         const mg_sites *sites, mg_maps *maps, const char *dir,
                         mg_error *err)
{
    char *sites_csv = NULL;
    char gpkg_name[512];
    snprintf(gpkg_name, sizeof gpkg_name, "%s.gpkg", d->project->name);
    char *final[3] = {path_join(dir, gpkg_name, NULL),
                      path_join(dir, "reports/ranking.csv", NULL),
                      path_join(dir, "reports/join-report.csv", NULL)};
    mg_outset *set = mg_outset_new();
    int rc = set && final[0] && final[1] && final[2] ? MG_OK : MG_ERR_NOMEM;
    if (rc)
        mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    for (int i = 0; !rc && i < 3; i++)
        if (path_exists(final[i]) && !opt->force)
            rc = mg_error_set(err, MG_ERR_OUTPUT, final[i], -1, NULL,
                              "already exists; pass --force to replace it");
    const char *tmp[3] = {NULL, NULL, NULL};
    mg_poverty_outputs pov = {{NULL, NULL}, 0};
    for (int i = 0; !rc && i < 3; i++)
        if (!(tmp[i] = mg_outset_add(set, final[i], err)))
            rc = err->code;
    if (!rc)
        rc = mg_write_gpkg(d, tmp[0], err);
    if (!rc)
        rc = mg_write_ranking(d, tmp[1], err);
    if (!rc)
        rc = mg_report_write_csv(&d->report, tmp[2], err);
    if (!rc)
        rc = mg_pipeline_write_poverty(set, d, dir, opt->force, &pov, err);
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
    if (!rc)
        rc = mg_outset_commit(set, err);
    if (!rc) {
        char list[8192];
        size_t n = (size_t)snprintf(list, sizeof list, "%s\n  %s\n  %s",
                                    final[0], final[1], final[2]);
        for (size_t i = 0; i < pov.n && n < sizeof list; i++)
            n += (size_t)snprintf(list + n, sizeof list - n, "\n  %s",
                                  pov.final[i]);
        if (sites_csv && n < sizeof list)
            snprintf(list + n, sizeof list - n, "\n  %s", sites_csv);
        mg_progress_say(opt->progress, "outputs written:\n  %s", list);
        if (viewer)
            mg_progress_say(opt->progress,
                            "maps in %s/ (index.html, "
                            "tiles/, legends/%s); view them with\n"
                            "  mapgen serve %s\n"
                            "then open http://127.0.0.1:8080/",
                            dir,
                            mg_maps_stores(maps) & MG_MAPS_STORE_MBTILES
                                ? ", *.mbtiles"
                                : "",
                            dir);
        else if (maps)
            mg_progress_say(opt->progress,
                            "maps in %s/ (legends/, "
                            "maps.json and the --stores chosen); no viewer "
                            "page without the tile folders (--stores dir)",
                            dir);
    }
    free(sites_csv);
    mg_outset_free(set);
    mg_pipeline_clear_poverty_outputs(&pov);
    for (int i = 0; i < 3; i++)
        free(final[i]);
    return rc;
}

/* Before reading any input: the three outputs every run writes must not
 * exist without --force (a later output is checked where it is written),
 * and an existing output folder must take files. */
static int preflight(const mg_run_options *opt, const mg_project *p,
                     const char *dir, mg_error *err)
{
    const char *rel[3] = {NULL, "reports/ranking.csv",
                          "reports/join-report.csv"};
    char gpkg_name[512];
    snprintf(gpkg_name, sizeof gpkg_name, "%s.gpkg", p->name);
    rel[0] = gpkg_name;
    int rc = MG_OK;
    for (int i = 0; !rc && !opt->force && i < 3; i++) {
        char *f = path_join(dir, rel[i], NULL);
        if (!f)
            return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                                "out of memory");
        if (path_exists(f))
            rc = mg_error_set(err, MG_ERR_OUTPUT, f, -1, NULL,
                              "already exists; pass --force to replace it");
        free(f);
    }
    return rc ? rc : mg_output_dir_check(dir, err);
}

/* The stages from the joined data set to the figures of every model. */
static int compute(mg_dataset *d, mg_sites **sites, mg_progress *pg,
                   mg_error *err)
{
    mg_progress_say(pg, "joining");
    int rc = mg_dataset_join(d, mg_progress_stage, pg, err);
    if (!rc)
        rc = mg_model_compute(d, err);
    if (!rc)
        rc = mg_dataset_rollup(d, err);
    if (!rc)
        rc = mg_pipeline_access(d, 1, 1, sites, pg, err);
    if (!rc && d->project->poverty) {
        mg_progress_say(pg, "poverty index");
        rc = mg_pipeline_compute_poverty(d, err);
    }
    if (!rc)
        mg_progress_print(pg, print_summary, d);
    return rc;
}

int mg_run(const mg_run_options *opt, mg_error *err)
{
    const char *path = opt->project ? opt->project : MG_SAMPLE_PROJECT;
    mg_project *p = NULL;
    mg_dataset *d = NULL;
    mg_maps *maps = NULL;
    mg_sites *sites = NULL;
    mg_map_options mopt = opt->maps;
    mopt.force = opt->force;
    mg_error_clear(err);
    mg_progress_say(opt->progress, "project %s", path);
    int rc = mg_pipeline_load_project(path, NULL, NULL, &p, err);
    const char *dir = rc ? NULL : opt->output ? opt->output : p->output;
    if (!rc)
        rc = preflight(opt, p, dir, err);
    /* The viewer's files are checked before the long work, not after. */
    if (!rc && !opt->no_tiles && (mopt.stores & MG_MAPS_STORE_DIR))
        rc = mg_viewer_check(err);
    if (!rc && !opt->no_tiles)
        rc = mg_maps_load(p, &mopt, opt->progress, &maps, err);
    if (!rc)
        rc = mg_dataset_read(p, &d, mg_progress_stage, opt->progress, err);
    if (!rc)
        rc = compute(d, &sites, opt->progress, err);
    if (!rc && maps)
        rc = mg_maps_prepare(maps, d, sites, err);
    if (!rc && maps)
        rc = mg_maps_check_size(maps, dir, err);
    if (!rc)
        rc = write_outputs(opt, d, sites, maps, dir, err);
    mg_maps_free(maps);
    mg_sites_free(sites);
    mg_dataset_free(d);
    mg_project_free(p);
    return rc;
}
