/* `mapgen run`: the pipeline from the project file to the outputs. */
#include "internal.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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

/* A stage line on stderr (bench/scale.sh times the stages by them). */
static void stage(mg_progress *pg, const char *name)
{
    if (pg)
        mg_progress_stage(0.0, name, pg);
}

/* ---- the GeoPackage and the reports, beside the tiles ------------------- */

/* The ranking, the join report and the regions' GeoPackage do not depend
 * on the tiles: `mapgen run` writes them on a thread of its own while the
 * maps render (GDAL's error state is per thread; their temporary names
 * are registered before the thread starts, so the output set is not
 * touched there; the output folder was found writable by the checks
 * before the run).  The sites go into the GeoPackage after it, and the
 * maps' tile tables after them, on the calling thread, as before.
 * Without maps they are written inline. */
typedef struct side_job {
    const mg_dataset *d;
    const char *tmp[3]; /* GeoPackage, ranking, join report */
    mg_outset *set;     /* for the sites, written after the join */
    const mg_sites *sites;
    const char *dir;
    int force;
    char **sites_csv;
    const mg_maps *maps;      /* for the GeoPackage's QGIS styles */
    const mg_csv_format *csv; /* of the CSV reports */
    const mg_periods_run *periods; /* their layers, after the sites */
    char **change_csv;
    int begun, threaded, joined, qgis_done, sites_done, periods_done;
    int rc;
    mg_error err;
    double seconds; /* wall time of the thread's part; 0 when inline */
    pthread_t thread;
} side_job;

static double wall_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The ranking and the join report (600,000 villages: some 11 s). */
static int write_reports(const side_job *j, mg_error *err)
{
    int rc = mg_write_ranking(j->d, j->tmp[1], j->csv, err);
    if (!rc)
        rc = mg_report_write_csv(&j->d->report, j->tmp[2], err);
    return rc;
}

static void *side_main(void *arg)
{
    side_job *j = arg;
    double t0 = wall_seconds();
    j->rc = write_reports(j, &j->err);
    if (!j->rc)
        j->rc = mg_write_gpkg(j->d, j->tmp[0], &j->err);
    /* QGIS's styles too: they read only what mg_maps_prepare() set (the
     * classes, colours and styles, which the rendering leaves alone), so
     * they need not wait for the last tile on the calling thread. */
    if (!j->rc && j->maps) {
        j->qgis_done = 1;
        j->rc = mg_gpkg_write_qgis(j->maps, j->d, j->tmp[0], &j->err);
    }
    j->seconds = wall_seconds() - t0;
    /* GDAL's and SQLite's buffers of the 600,000 features are free now,
     * but in this thread's malloc arena: hand their pages back while the
     * tiles render (about 60 MB of a village-level run). */
    malloc_trim(0);
    return NULL;
}

/* Creates the reports' files (empty) on the calling thread, so that a
 * folder that cannot take them stops the run before any tile is drawn. */
static int create_reports(const side_job *j, mg_error *err)
{
    static const char *const what[3] = {NULL, "the ranking",
                                        "the join report"};
    for (int i = 1; i < 3; i++) {
        errno = 0;
        FILE *f = fopen(j->tmp[i], "w");
        if (!f || fclose(f) != 0)
            return mg_error_set(err, MG_ERR_OUTPUT, j->tmp[i], -1, NULL,
                                "cannot create %s: %s", what[i],
                                errno ? strerror(errno) : "write error");
    }
    return MG_OK;
}

/* Starts the reports and the GeoPackage beside the tiles, or writes them
 * here (no maps, or no thread to be had). */
static int start_side_job(side_job *j, int beside_tiles, mg_progress *pg,
                          mg_error *err)
{
    if (beside_tiles) {
        int rc = create_reports(j, err);
        if (rc)
            return rc;
        stage(pg, "reports, geopackage (beside the tiles)");
    }
    j->begun = 1;
    if (beside_tiles && pthread_create(&j->thread, NULL, side_main, j) == 0) {
        j->threaded = 1;
        return MG_OK;
    }
    if (!beside_tiles)
        stage(pg, "reports");
    j->rc = write_reports(j, &j->err);
    if (!j->rc) {
        stage(pg, "geopackage");
        j->rc = mg_write_gpkg(j->d, j->tmp[0], &j->err);
    }
    if (j->rc)
        *err = j->err;
    return j->rc;
}

/* Waits for the side job (once), then writes the sites into its
 * GeoPackage (once).  mg_maps_write() calls it before the maps' tile
 * tables are copied there; write_outputs() again after, for a run whose
 * rendering failed or that has no maps.  Returns the job's first error. */
static int finish_side_job(void *user, mg_error *err)
{
    side_job *j = user;
    if (!j->begun)
        return MG_OK;
    if (j->threaded && !j->joined) {
        pthread_join(j->thread, NULL);
        j->joined = 1;
    }
    /* QGIS's styles read the maps' classes, once the GeoPackage's layers
     * are there: here when the job ran on this thread (side_main() writes
     * them otherwise). */
    if (!j->rc && !j->qgis_done) {
        j->qgis_done = 1;
        j->rc = mg_gpkg_write_qgis(j->maps, j->d, j->tmp[0], &j->err);
    }
    if (!j->rc && !j->sites_done) {
        j->sites_done = 1;
        if (j->sites)
            j->rc = mg_pipeline_write_sites(j->set, j->sites, j->tmp[0],
                                            j->dir, j->force, j->csv,
                                            j->sites_csv, &j->err);
    }
    if (!j->rc && !j->periods_done) {
        j->periods_done = 1;
        if (j->periods)
            j->rc = mg_pipeline_write_periods(j->set, j->periods, j->tmp[0],
                                              j->dir, j->force, j->csv,
                                              j->change_csv, &j->err);
    }
    if (j->rc)
        *err = j->err;
    return j->rc;
}

/* path relative to dir when it lies below it, else path itself. */
static const char *below(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

/* The viewer's per-region files are worked out beside the maps and tiles
 * when the run has threads to spare and the data are small enough that
 * holding their text (about 500 bytes a region) while the tiles render
 * costs little; a national data set (600,000 villages: some 300 MB) has
 * them worked out after the tiles, on the run's threads, as its memory
 * is then the tiles' no more. */
enum { REGIONS_BESIDE_MAX = 100000 };

static int regions_beside(const mg_run_options *opt, const mg_dataset *d)
{
    size_t n = 0;
    for (size_t li = 0; li < d->n_levels; li++)
        n += d->levels[li].n;
    return mg_map_threads(&opt->maps) > 1 && n <= REGIONS_BESIDE_MAX;
}

/* The viewer's per-region files, with the run's downloads (relative to
 * dir): the GeoPackage, the CSV reports and the MBTiles files. */
static int stage_regions(mg_outset *set, mg_regions_job *rj,
                         const mg_maps *maps, const char *dir,
                         char *const *final, const mg_poverty_outputs *pov,
                         const char *sites_csv, int force, mg_error *err)
{
    const char *dl[64];
    char mbt[32][96];
    size_t n = 0, nm = 0;
    for (int i = 0; i < 3; i++)
        dl[n++] = below(final[i], dir);
    for (size_t i = 0; i < pov->n; i++)
        dl[n++] = below(pov->final[i], dir);
    if (sites_csv)
        dl[n++] = below(sites_csv, dir);
    for (size_t i = 0; (maps->opt.stores & MG_MAPS_STORE_MBTILES) &&
                       i < maps->n && nm < 32 && n < 64;
         i++)
        if (!maps->items[i].skip && !maps->items[i].is_base) {
            snprintf(mbt[nm], sizeof mbt[nm], "%s.mbtiles",
                     maps->items[i].name);
            dl[n++] = mbt[nm++];
        }
    return mg_regions_finish(rj, set, dir, dl, n, force, err);
}

/* What the run wrote, and how to view its maps. */
static void say_outputs(const mg_run_options *opt, const mg_maps *maps,
                        const char *dir, char *const *final,
                        const mg_poverty_outputs *pov, const char *sites_csv,
                        const char *change_csv)
{
    int viewer = maps && (mg_maps_stores(maps) & MG_MAPS_STORE_DIR);
    char list[8192];
    size_t n = (size_t)snprintf(list, sizeof list, "%s\n  %s\n  %s",
                                final[0], final[1], final[2]);
    for (size_t i = 0; i < pov->n && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "\n  %s",
                              pov->final[i]);
    if (sites_csv && n < sizeof list)
        n += (size_t)snprintf(list + n, sizeof list - n, "\n  %s",
                              sites_csv);
    if (change_csv && n < sizeof list)
        snprintf(list + n, sizeof list - n, "\n  %s", change_csv);
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

/* Waits for the side job after the maps (a failed render leaves it
 * running) and keeps the first error. */
static int join_side_job(side_job *j, int rc, mg_progress *pg, mg_error *err)
{
    mg_error side_err;
    int side_rc = finish_side_job(j, &side_err);
    if (!rc && side_rc) {
        rc = side_rc;
        *err = side_err;
    }
    if (!rc && j->seconds > 0)
        mg_progress_say(pg,
                        "reports and GeoPackage written in %.1f s beside "
                        "the tiles",
                        j->seconds);
    return rc;
}

/* Writes the three outputs under temporary names, then renames them.
 * preflight() has refused outputs that exist without --force (mg_run()
 * is its only caller: `mapgen merge` comes through mg_run() too). */
static int write_outputs(const mg_run_options *opt, const mg_dataset *d,
                         const mg_sites *sites, const mg_periods_run *pr,
                         mg_maps *maps, mg_regions_job *rj, const char *dir,
                         mg_error *err)
{
    char *sites_csv = NULL, *change_csv = NULL;
    const mg_csv_format *csv = opt->csv.sep ? &opt->csv : &mg_csv_plain;
    char gpkg_name[512];
    snprintf(gpkg_name, sizeof gpkg_name, "%s.gpkg", d->project->name);
    char *final[3] = {path_join(dir, gpkg_name, NULL),
                      path_join(dir, "reports/ranking.csv", NULL),
                      path_join(dir, "reports/join-report.csv", NULL)};
    mg_outset *set = mg_outset_new();
    int rc = set && final[0] && final[1] && final[2] ? MG_OK : MG_ERR_NOMEM;
    if (rc)
        mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    const char *tmp[3] = {NULL, NULL, NULL};
    mg_poverty_outputs pov = {{NULL, NULL}, 0};
    for (int i = 0; !rc && i < 3; i++)
        if (!(tmp[i] = mg_outset_add(set, final[i], err)))
            rc = err->code;
    side_job job = {.d = d,
                    .tmp = {tmp[0], tmp[1], tmp[2]},
                    .set = set,
                    .sites = sites,
                    .dir = dir,
                    .force = opt->force,
                    .sites_csv = &sites_csv,
                    .maps = maps,
                    .csv = csv,
                    .periods = pr,
                    .change_csv = &change_csv};
    if (!rc)
        rc = start_side_job(&job, maps != NULL, opt->progress, err);
    if (!rc)
        rc = mg_pipeline_write_poverty(set, d, dir, opt->force, csv, &pov,
                                       err);
    /* The viewer's per-region files (their work started in mg_run()):
     * the colours and figures once the maps are prepared; written after
     * the viewer page, as before. */
    int viewer = rj != NULL;
    if (!rc && viewer)
        rc = mg_regions_set_maps(rj, maps, err);
    if (!rc && maps) {
        mg_maps_set_before_finish(maps, finish_side_job, &job);
        rc = mg_maps_write(maps, dir, set, tmp[0], err);
    }
    rc = join_side_job(&job, rc, opt->progress, err);
    /* The viewer page shows the tile folders: without them, no page. */
    if (!rc && viewer)
        rc = mg_viewer_stage(set, dir, opt->force, err);
    if (!rc && viewer && !regions_beside(opt, d))
        stage(opt->progress, "regions");
    if (!rc && viewer)
        rc = stage_regions(set, rj, maps, dir, final, &pov, sites_csv,
                           opt->force, err);
    /* Every table of the GeoPackage written: one time for all of them. */
    char iso[32];
    if (!rc)
        rc = mg_pipeline_run_time(d, iso, err);
    if (!rc)
        rc = mg_gpkg_pin_time(tmp[0], iso, err);
    if (!rc && mg_interrupted)
        rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                          "interrupted");
    if (!rc)
        rc = mg_outset_commit(set, err);
    if (!rc)
        say_outputs(opt, maps, dir, final, &pov, sites_csv, change_csv);
    free(sites_csv);
    free(change_csv);
    mg_outset_free(set);
    mg_pipeline_clear_poverty_outputs(&pov);
    for (int i = 0; i < 3; i++)
        free(final[i]);
    return rc;
}

/* --shard I/K: the tiles of shard I of every map into
 * dir/shard-<I>-of-<K>.mgshard, and nothing else (docs/scale.md). */
static int write_shard(const mg_run_options *opt, const mg_dataset *d,
                       mg_maps *maps, const char *dir, mg_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "shard-%d-of-%d.mgshard", opt->shard_index,
             opt->shard_count);
    char *path = path_join(dir, name, NULL);
    if (!path)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    int rc = MG_OK;
    if (path_exists(path) && !opt->force)
        rc = mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                          "already exists; pass --force to replace it");
    char *manifest = rc ? NULL : mg_shard_manifest(opt, d, maps, err);
    mg_shard *s = NULL;
    if (!rc)
        rc = manifest ? mg_shard_create(&s, path, manifest, err) : err->code;
    if (!rc)
        rc = mg_maps_write_shard(maps, s, err);
    if (!rc) {
        rc = mg_shard_close(s, err);
        s = NULL;
    }
    mg_shard_free(s);
    if (!rc)
        mg_progress_say(opt->progress, "shard %d/%d written: %s",
                        opt->shard_index, opt->shard_count, path);
    free(manifest);
    free(path);
    return rc;
}

/* Before reading any input: the three outputs every run writes must not
 * exist without --force (a later output is checked where it is written;
 * a shard writes none of them), and an existing output folder must take
 * files. */
static int preflight(const mg_run_options *opt, const mg_project *p,
                     const char *dir, mg_error *err)
{
    const char *rel[3] = {NULL, "reports/ranking.csv",
                          "reports/join-report.csv"};
    char gpkg_name[512];
    snprintf(gpkg_name, sizeof gpkg_name, "%s.gpkg", p->name);
    rel[0] = gpkg_name;
    int rc = MG_OK;
    for (int i = 0; !rc && !opt->force && !opt->shard_count && i < 3; i++) {
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
    mg_periods_run pr = {0};
    mg_map_options mopt = opt->maps;
    mopt.force = opt->force;
    mg_error_clear(err);
    mg_progress_say(opt->progress, "project %s", path);
    char iso[32];
    int rc = mg_pipeline_run_time(NULL, iso, err);
    if (!rc)
        rc = mg_pipeline_load_project(path, NULL, NULL, &p, err);
    const char *dir = rc ? NULL : opt->output ? opt->output : p->output;
    if (!rc)
        rc = preflight(opt, p, dir, err);
    /* The viewer's files are checked before the long work, not after. */
    if (!rc && !opt->no_tiles && (mopt.stores & MG_MAPS_STORE_DIR))
        rc = mg_viewer_check(err);
    if (!rc && !opt->no_tiles)
        rc = mg_maps_load(p, &mopt, opt->progress, &maps, err);
    if (!rc && maps) {
        maps->shard_index = opt->shard_index;
        maps->shard_count = opt->shard_count;
        maps->replay = opt->replay;
        maps->n_replay = opt->n_replay;
    }
    if (!rc && p->periods) {
        /* The last period's data set is the run's: its maps and layers. */
        rc = mg_pipeline_run_periods(p, &pr, &sites, opt->progress, err);
        if (!rc) {
            mg_progress_print(opt->progress, print_summary,
                              pr.d[pr.n - 1]);
        }
    } else if (!rc) {
        rc = mg_dataset_read(p, &d, mg_progress_stage, opt->progress, err);
        if (!rc)
            rc = compute(d, &sites, opt->progress, err);
    }
    mg_dataset *main = p && p->periods && pr.d ? pr.d[pr.n - 1] : d;
    /* The viewer's per-region files need only the joined regions: with
     * more than one thread and up to REGIONS_BESIDE_MAX regions their work
     * starts now, beside the maps' preparation and the tiles
     * (docs/viewer.md, "Per-region data"). */
    mg_regions_job *rj = NULL;
    if (!rc && maps && !opt->shard_count &&
        (mg_maps_stores(maps) & MG_MAPS_STORE_DIR)) {
        int beside = regions_beside(opt, main);
        if (beside)
            stage(opt->progress, "regions (beside the maps)");
        rc = mg_regions_start(&rj, main, mg_map_threads(&opt->maps), beside, err);
    }
    if (!rc && maps) {
        stage(opt->progress, "maps prepared");
        rc = mg_maps_prepare(maps, main, sites, err);
    }
    if (!rc && maps)
        rc = mg_maps_add_class_columns(maps, main, err);
    if (!rc && maps)
        rc = mg_maps_check_size(maps, dir, err);
    if (!rc && opt->shard_count > 0)
        rc = maps ? write_shard(opt, main, maps, dir, err)
                  : mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                                 "--shard needs maps to render");
    else if (!rc)
        rc = write_outputs(opt, main, sites, pr.d ? &pr : NULL, maps, rj,
                           dir, err);
    mg_regions_job_free(rj); /* before the maps and data it reads */
    mg_maps_free(maps);
    mg_sites_free(sites);
    mg_dataset_free(d);
    mg_periods_run_clear(&pr);
    mg_project_free(p);
    return rc;
}
