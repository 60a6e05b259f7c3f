/* Shared by the poverty tests: run the pipeline on tests/fixtures/poverty
 * with a project made of a fixed head and a "poverty" section, and look up
 * figures and join-report rows. */
#ifndef MG_TESTS_POVERTY_UTIL_H
#define MG_TESTS_POVERTY_UTIL_H

#include "check.h"
#include "mapgen/pipeline.h"

#include <gdal.h>
#include <stdlib.h>
#include <string.h>

/* Five 0.1-degree cells A..E (parents P1 = A, B, C and P2 = D, E, a level
 * built from the parent codes) and one provider of 10 places in each of
 * B..E (tests/fixtures/poverty/README.md). */
#define POVERTY_HEAD                                                      \
    "{\"name\": \"pov\",\n"                                               \
    " \"boundaries\": [{\"level\": \"cell\", \"path\": \"regions.geojson\"," \
    " \"code_field\": \"code\", \"name_field\": \"name\","                \
    " \"parent_code_field\": \"parent\"}],\n"                             \
    " \"providers\": {\"path\": \"providers.csv\", \"lon_field\": \"lon\"," \
    " \"lat_field\": \"lat\", \"category_field\": \"category\","          \
    " \"capacity_field\": \"capacity\", \"name_field\": \"name\"},\n"

static const char *fixture_dir = ".";

/* Parses HEAD + poverty + "}" and runs read, join, model, roll-up and the
 * poverty stage.  Returns the stage's status; *d is the data set (NULL when
 * an earlier step failed), *p the project. */
static int run_poverty(const char *poverty, mg_project **p, mg_dataset **d,
                       mg_error *err)
{
    size_t n = strlen(POVERTY_HEAD) + strlen(poverty) + 16;
    char *json = malloc(n);
    snprintf(json, n, "%s \"poverty\": %s}", POVERTY_HEAD, poverty);
    *p = NULL;
    *d = NULL;
    mg_error_clear(err);
    int rc =
        mg_project_parse(json, "pov.json", fixture_dir, mg_pipeline_sections,
                         mg_pipeline_n_sections, p, err);
    free(json);
    if (!rc) rc = mg_dataset_read(*p, d, NULL, NULL, err);
    if (!rc) rc = mg_dataset_join(*d, NULL, NULL, err);
    if (!rc) rc = mg_model_compute(*d, err);
    if (!rc) rc = mg_dataset_rollup(*d, err);
    if (!rc) rc = mg_pipeline_compute_poverty(*d, err);
    return rc;
}

static void done(mg_project *p, mg_dataset *d)
{
    mg_dataset_free(d);
    mg_project_free(p);
}

/* The value of field in the region with code of level li (NAN = NULL);
 * -999 when there is no such field or region. */
static double fig(const mg_dataset *d, size_t li, const char *field,
                  const char *code)
{
    const mg_level *l = &d->levels[li];
    double *v = malloc((l->n ? l->n : 1) * sizeof *v), out = -999;
    if (mg_level_get_values(l, &d->project->model, field, v) == MG_OK)
        for (size_t i = 0; i < l->n; i++)
            if (strcmp(l->regions[i].code, code) == 0)
                out = v[i];
    free(v);
    return out;
}

#define CHECK_FIG(d, li, field, code, expected)                           \
    CHECK_NEAR(fig(d, li, field, code), expected, 1e-9)
#define CHECK_NULL(d, li, field, code) CHECK(isnan(fig(d, li, field, code)))

/* Whether the join report has a row whose file ends with file (NULL: any),
 * with this row (-2: any), field and problem. */
static int has_report(const mg_dataset *d, const char *file, long row,
                      const char *field, const char *problem)
{
    for (size_t i = 0; i < d->report.n; i++) {
        const mg_report_row *r = &d->report.rows[i];
        size_t fl = r->file ? strlen(r->file) : 0;
        if (file && (!r->file || fl < strlen(file) ||
                     strcmp(r->file + fl - strlen(file), file) != 0))
            continue;
        if ((row == -2 || r->row == row) && r->field && r->problem &&
            strcmp(r->field, field) == 0 && strcmp(r->problem, problem) == 0)
            return 1;
    }
    fprintf(stderr, "no report row %s,%ld,%s,%s\n", file ? file : "*", row,
            field, problem);
    return 0;
}

static int init_fixtures(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s tests/fixtures/poverty\n", argv[0]);
        return 1;
    }
    fixture_dir = argv[1];
    GDALAllRegister();
    return 0;
}

#endif
