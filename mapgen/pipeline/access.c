/* `mapgen access` and `mapgen site` (mg_access_job_run()): the
 * accessibility and siting stages alone, on a GeoPackage that `mapgen run`
 * wrote, and the stage as `mapgen run` runs it.  The command's options are
 * the project file's "access" / "siting" object (merged over the project's
 * section when there is a project), so they are checked by the same parser
 * and mean the same as there.  The GeoPackage is updated crash-safely: a
 * copy under a temporary name is updated and renamed over it when
 * complete. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the stage ---------------------------------------------------------- */

int mg_pipeline_access(mg_dataset *d, int access, int siting, mg_sites **sites,
                       mg_progress *progress, mg_error *err)
{
    const mg_project *p = d->project;
    double *lon = NULL, *lat = NULL;
    access = access && p->access;
    siting = siting && p->siting;
    *sites = NULL;
    if (!access && !siting)
        return MG_OK;
    /* Siting covers the need of the same demand points access used. */
    int rc = mg_access_demand_points(d, p->access ? &p->access->demand : NULL,
                                     &lon, &lat, err);
    if (!rc && access)
        rc =
            mg_access_stage_run(d, lon, lat, mg_progress_stage, progress, err);
    if (!rc && siting)
        rc = mg_siting_stage_run(d, lon, lat, sites, mg_progress_stage,
                                 progress, err);
    free(lon);
    free(lat);
    return rc;
}

/* ---- the project -------------------------------------------------------- */

/* Without a project file: the categories the GeoPackage's fields name. */
static int project_from_gpkg(const char *gpkg, mg_project **out, mg_error *err)
{
    mg_project *p = calloc(1, sizeof *p);
    if (p) {
        p->sections = mg_pipeline_sections;
        p->n_sections = mg_pipeline_n_sections;
    }
    if (!p || !(p->base_dir = strdup(".")) || !(p->name = strdup("mapgen"))) {
        mg_project_free(p);
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    }
    int rc = mg_gpkg_list_categories(gpkg, &p->model.categories,
                                     &p->model.n_categories, err);
    if (rc) {
        mg_project_free(p);
        return rc;
    }
    *out = p;
    return MG_OK;
}

/* Fills the keys options leave out with the commands' defaults. */
static void fill_defaults(const mg_access_job *o, json_t *spec)
{
    json_t *d = json_object_get(spec, "distances");
    const char *other = o->site ? "candidate_field" : "provider_field";
    if (json_is_object(d)) {
        if (!json_object_get(d, "region_field"))
            json_object_set_new(d, "region_field", json_string("region"));
        if (!json_object_get(d, other))
            json_object_set_new(
                d, other, json_string(o->site ? "candidate" : "provider"));
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

/* The project's section with the options merged over it (a section that
 * is an array of one run is that run; one of several runs cannot take one
 * set of options), the commands' defaults filled in: mg_project_edit. */
static int merge_options(json_t *root, void *user, mg_error *err)
{
    const mg_access_job *o = user;
    const char *key = o->site ? "siting" : "access";
    json_t *base = json_object_get(root, key);
    if (base && !json_is_null(base) && json_object_size(o->spec) == 0)
        return MG_OK; /* the project's section as it is */
    if (json_is_array(base) && json_array_size(base) > 1)
        return mg_error_set(err, MG_ERR_USAGE, o->project, -1, key,
                            "the project has several siting runs; "
                            "options can change only one");
    if (json_is_array(base))
        base = json_array_get(base, 0);
    base = json_is_object(base) ? json_incref(base) : json_object();
    if (!base || json_object_set_new(root, key, base) ||
        json_object_update_recursive(base, o->spec))
        return mg_error_nomem(err, o->project);
    fill_defaults(o, base);
    return MG_OK;
}

/* The project: the file's with the options, or built from the GeoPackage
 * and the options alone. */
static int job_project(const mg_access_job *o, mg_project **out, mg_error *err)
{
    if (o->project)
        return mg_pipeline_load_project(o->project, merge_options, (void *)o,
                                        out, err);
    int rc = project_from_gpkg(o->gpkg, out, err);
    json_t *spec = rc ? NULL : json_deep_copy(o->spec);
    if (!rc && !spec)
        rc = mg_error_nomem(err, NULL);
    mg_spec sp = {"(options)", err};
    if (!rc) {
        fill_defaults(o, spec);
        rc = o->site ? mg_siting_spec_read(&sp, spec, &(*out)->model,
                                           &(*out)->siting)
                     : mg_access_section_parse(&sp, spec, *out);
    }
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

static int check_new(const mg_access_job *o, const char *path, mg_error *err)
{
    if (path && path_exists(path) && !o->force)
        return mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                            "already exists; pass --force to replace it");
    return MG_OK;
}

static int write_back(const mg_access_job *o, const mg_dataset *d,
                      const mg_sites *sites, mg_error *err)
{
    const char *target = o->output ? o->output : o->gpkg;
    char *csv = !o->site ? NULL
                : o->csv ? strdup(o->csv)
                         : beside(target, "reports/sites.csv");
    mg_outset *set = mg_outset_new();
    const char *tmp = NULL, *tcsv = NULL, *trep = NULL;
    int rc =
        set && (csv || !o->site)
            ? MG_OK
            : mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
    if (!rc && o->output)
        rc = check_new(o, o->output, err);
    if (!rc)
        rc = check_new(o, csv, err);
    if (!rc)
        rc = check_new(o, o->report, err);
    if (!rc && !(tmp = mg_outset_add(set, target, err)))
        rc = err->code;
    if (!rc && csv && !(tcsv = mg_outset_add(set, csv, err)))
        rc = err->code;
    if (!rc && o->report && !(trep = mg_outset_add(set, o->report, err)))
        rc = err->code;
    if (!rc)
        rc = copy_file(o->gpkg, tmp, err);
    if (!rc)
        rc = mg_gpkg_update(d, tmp, sites ? mg_sites_write_layer : NULL,
                            (void *)sites, err);
    if (!rc && tcsv)
        rc = mg_sites_write_csv(sites, tcsv, &mg_csv_plain, err);
    if (!rc && trep)
        rc = mg_report_write_csv(&d->report, trep, err);
    if (!rc && mg_interrupted)
        rc = mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                          "interrupted");
    if (!rc)
        rc = mg_outset_commit(set, err);
    if (!rc)
        mg_progress_say(o->progress, "outputs written:\n  %s%s%s%s%s", target,
                        csv ? "\n  " : "", csv ? csv : "",
                        o->report ? "\n  " : "", o->report ? o->report : "");
    mg_outset_free(set);
    free(csv);
    return rc;
}

int mg_pipeline_write_sites(mg_outset *set, const mg_sites *sites,
                            const char *gpkg_tmp, const char *dir, int force,
                            const mg_csv_format *csv, char **csv_final,
                            mg_error *err)
{
    mg_access_job o = {.force = force};
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
    if (!rc)
        rc = mg_sites_write_gpkg(sites, gpkg_tmp, err);
    if (!rc)
        rc = mg_sites_write_csv(sites, tmp, csv, err);
    return rc;
}

/* ---- the commands ------------------------------------------------------- */

static void print_sites(FILE *out, void *user)
{
    const mg_sites *sites = user;
    for (size_t k = 0; sites && k < sites->n; k++) {
        const mg_site *s = &sites->v[k];
        fprintf(out,
                "mapgen: %s %s #%d: %s (%s), covers %.1f of the "
                "unmet need (%s) in %zu region(s)\n",
                s->method, s->category, s->rank,
                s->name ? s->name : s->candidate,
                s->region_code ? s->region_code : "-", s->need_covered,
                s->need, s->regions_served);
    }
}

static void print_report(FILE *out, void *user)
{
    mg_report_summarise(user, out);
}

static void summarise(const mg_access_job *o, const mg_dataset *d,
                      const mg_sites *sites)
{
    mg_progress_print(o->progress, print_sites, (void *)sites);
    mg_progress_print(o->progress, print_report, (void *)&d->report);
}

int mg_access_job_run(const mg_access_job *o, mg_error *err)
{
    mg_project *p = NULL;
    mg_dataset *d = NULL;
    mg_sites *sites = NULL;
    mg_error_clear(err);
    int rc = job_project(o, &p, err);
    if (!rc)
        rc = mg_gpkg_read(o->gpkg, p, &d, err);
    if (!rc)
        rc =
            mg_pipeline_access(d, !o->site, o->site, &sites, o->progress, err);
    if (!rc)
        rc = write_back(o, d, sites, err);
    if (!rc)
        summarise(o, d, sites);
    mg_sites_free(sites);
    mg_dataset_free(d);
    mg_project_free(p);
    return rc;
}
