/* The demand–service arithmetic on a data set built by hand.
 *
 * Model: groups a, b; categories x, y; weights a: x=1, y=0.5; b: x=0, y=1.
 *
 * R1: a=10, b=4          need x = 10*1 + 4*0   = 10
 *                         need y = 10*0.5 + 4*1 = 9
 *     providers: x cap 6, y cap 12, and one outside the model (cap 100)
 *                         supply x = 6, y = 12
 *                         gap x = 4, y = 0; gap total = 4 (a surplus of y
 *                         does not meet a need for x)
 *                         coverage x = 0.6, y = 12/9, total = 18/19
 *                         population (no column: sum of groups) = 14
 *                         gap per 10k = 4 * 10000 / 14 = 2857.142857...
 * R2: a blank, b=2        need x = 0, y = 2; no providers
 *                         gap y = 2, total 2; coverage x undefined, y = 0
 * P (parent of both):     need x 10, y 11; supply x 6, y 12
 *                         gap = sum of the children's gaps: x 4, y 2, total 6
 *                         coverage total = 18/21; counts a = 10, b = 6
 */
#include "check.h"
#include "geodata/need.h"

#include <stdlib.h>
#include <string.h>

static const char project_json[] =
    "{\"boundaries\": [{\"path\": \"b\", \"code_field\": \"c\", "
    "\"parent_code_field\": \"p\"}, {\"level\": \"top\", \"code_field\": "
    "\"c\"}],"
    " \"providers\": {\"path\": \"p\", \"category_field\": \"k\", "
    "\"capacity_field\": \"cap\"},"
    " \"recipients\": {\"path\": \"r\", \"code_field\": \"c\"},"
    " \"model\": {\"groups\": [\"a\", \"b\"], \"categories\": [\"x\", \"y\"],"
    " \"weights\": {\"a\": {\"x\": 1, \"y\": 0.5}, \"b\": {\"y\": 1}}}}";

static void make_region(mg_region *r, const char *code, double a, double b)
{
    mg_region_alloc_figures(r, 2, 2);
    r->code = strdup(code);
    r->key = strdup(code);
    r->name = strdup(code);
    r->parent_code = strdup("P");
    r->has_recipients = 1;
    r->counts[0] = a;
    r->counts[1] = b;
}

static void add_provider(mg_dataset *d, int region, int category, double cap)
{
    mg_provider *v = &d->providers[d->n_providers++];
    memset(v, 0, sizeof *v);
    v->region = region;
    v->category = category;
    v->capacity = cap;
    v->lon = v->lat = NAN; /* no location: join keeps the region set here */
}

static mg_dataset *build(const mg_project *p)
{
    mg_dataset *d = calloc(1, sizeof *d);
    d->project = p;
    d->n_levels = 2;
    d->levels = calloc(2, sizeof *d->levels);
    d->level_paths = calloc(2, sizeof *d->level_paths);
    d->level_paths[0] = strdup("b");
    d->levels[0].level = strdup("regions");
    d->levels[1].level = strdup("top");
    d->levels[0].regions = calloc(2, sizeof(mg_region));
    d->levels[0].n = 2;
    make_region(&d->levels[0].regions[0], "R1", 10, 4);
    make_region(&d->levels[0].regions[1], "R2", NAN, 2);
    d->providers = calloc(4, sizeof *d->providers);
    add_provider(d, 0, 0, 6);
    add_provider(d, 0, 1, 12);
    add_provider(d, 0, -1, 100); /* category not in the model */
    add_provider(d, -1, 0, 50);  /* outside every region */
    return d;
}

int main(void)
{
    mg_project *p = NULL;
    mg_error err;
    mg_error_clear(&err);
    CHECK_INT(mg_project_parse(project_json, "t.json", ".", NULL, 0, &p, &err),
              MG_OK);
    if (!p)
        CHECK_DONE();
    mg_dataset *d = build(p);
    /* The parent level has no file: join builds it from the parent codes. */
    CHECK_INT(mg_dataset_join(d, NULL, NULL, &err), MG_OK);
    CHECK_INT(d->levels[1].n, 1);
    CHECK_INT(mg_model_compute(d, &err), MG_OK);
    CHECK_INT(mg_dataset_rollup(d, &err), MG_OK);

    const mg_region *r1 = &d->levels[0].regions[0];
    CHECK_NEAR(r1->need[0], 10, 1e-12);
    CHECK_NEAR(r1->need[1], 9, 1e-12);
    CHECK_NEAR(r1->need[2], 19, 1e-12);
    CHECK_NEAR(r1->supply[0], 6, 1e-12);
    CHECK_NEAR(r1->supply[1], 12, 1e-12);
    CHECK_NEAR(r1->gap[0], 4, 1e-12);
    CHECK_NEAR(r1->gap[1], 0, 1e-12);
    CHECK_NEAR(r1->gap[2], 4, 1e-12);
    CHECK_NEAR(r1->coverage[0], 0.6, 1e-12);
    CHECK_NEAR(r1->coverage[1], 12.0 / 9.0, 1e-12);
    CHECK_NEAR(r1->coverage[2], 18.0 / 19.0, 1e-12);
    CHECK_INT(r1->n_providers[0], 1);
    CHECK_INT(r1->n_providers[2], 2);
    CHECK_NEAR(r1->population, 14, 0);
    CHECK_NEAR(mg_per10k(r1->gap[2], r1->population), 40000.0 / 14, 1e-9);

    const mg_region *r2 = &d->levels[0].regions[1];
    CHECK_NEAR(r2->need[0], 0, 0);
    CHECK_NEAR(r2->need[1], 2, 1e-12);
    CHECK_NEAR(r2->gap[1], 2, 1e-12);
    CHECK(isnan(r2->coverage[0]));
    CHECK_NEAR(r2->coverage[1], 0, 0);

    const mg_region *top = &d->levels[1].regions[0];
    CHECK_STR(top->code, "P");
    CHECK_INT(r1->parent, 0);
    CHECK_NEAR(top->need[0], 10, 1e-12);
    CHECK_NEAR(top->need[1], 11, 1e-12);
    CHECK_NEAR(top->supply[2], 18, 1e-12);
    CHECK_NEAR(top->gap[0], 4, 1e-12);
    CHECK_NEAR(top->gap[1], 2, 1e-12);
    CHECK_NEAR(top->gap[2], 6, 1e-12);
    CHECK_NEAR(top->coverage[2], 18.0 / 21.0, 1e-12);
    CHECK_NEAR(top->counts[0], 10, 0);
    CHECK_NEAR(top->counts[1], 6, 0);
    CHECK_NEAR(top->population, 16, 0);
    CHECK_INT(top->n_providers[2], 2);

    /* Figures by field name, as styles ask for them. */
    double v[2];
    CHECK_INT(mg_level_get_values(&d->levels[0], &p->model, "gap_total", v),
              MG_OK);
    CHECK_NEAR(v[0], 4, 1e-12);
    CHECK_NEAR(v[1], 2, 1e-12);
    CHECK_INT(mg_level_get_values(&d->levels[0], &p->model, "gap_per10k_x",
                                  v), MG_OK);
    CHECK_NEAR(v[0], 40000.0 / 14, 1e-9);
    CHECK_INT(mg_level_get_values(&d->levels[0], &p->model, "providers_y",
                                  v), MG_OK);
    CHECK_NEAR(v[0], 1, 0);
    CHECK_INT(mg_level_get_values(&d->levels[0], &p->model, "a", v), MG_OK);
    CHECK(isnan(v[1]));
    CHECK_INT(mg_level_get_values(&d->levels[0], &p->model, "need_z", v),
              MG_ERR_PROJECT);
    double *col = NULL, *again = NULL;
    CHECK_INT(mg_level_add_column(&d->levels[0], "index", 0, &col), MG_OK);
    CHECK(col && isnan(col[0]));
    if (col)
        col[1] = 7.5;
    CHECK_INT(mg_level_add_column(&d->levels[0], "index", 0, &again), MG_OK);
    CHECK(again == col);
    CHECK_INT(mg_level_get_values(&d->levels[0], &p->model, "index", v),
              MG_OK);
    CHECK_NEAR(v[1], 7.5, 0);

    CHECK(isnan(mg_per10k(5, 0)));
    CHECK(isnan(mg_per10k(5, NAN)));
    mg_dataset_free(d);
    mg_project_free(p);
    CHECK_DONE();
}
