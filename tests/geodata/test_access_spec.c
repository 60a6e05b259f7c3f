/* The project file's "access" and "siting": what is read, and every
 * mistake named by its JSON path. */
#include "check.h"
#include "mapgen/pipeline.h"

#include <stdio.h>
#include <stdlib.h>

#define HEAD "{\"boundaries\": {\"path\": \"b.shp\", \"code_field\": \"c\"}, "

static mg_project *parse_ok(const char *json)
{
    mg_project *p = NULL;
    mg_error err;
    mg_error_clear(&err);
    int rc = mg_project_parse(json, "t.json", ".", mg_pipeline_sections,
                              mg_pipeline_n_sections, &p, &err);
    if (rc)
        mg_error_print(&err, stderr);
    CHECK_INT(rc, MG_OK);
    return p;
}

/* Parsing fails with MG_ERR_PROJECT at this JSON path. */
static void parse_bad(const char *json, const char *field, const char *why)
{
    mg_project *p = NULL;
    mg_error err;
    mg_error_clear(&err);
    int rc = mg_project_parse(json, "t.json", ".", mg_pipeline_sections,
                              mg_pipeline_n_sections, &p, &err);
    CHECK_INT(rc, MG_ERR_PROJECT);
    CHECK_STR(err.field, field);
    if (!strstr(err.message, why)) {
        fprintf(stderr, "message \"%s\" lacks \"%s\"\n", err.message, why);
        check_failures++;
    }
    mg_project_free(p);
}

static void test_good(void)
{
    mg_project *p = parse_ok(HEAD
        "\"access\": {\"method\": \"gaussian\", \"catchment\": 30,"
        " \"categories\": [\"rehabilitation\", \"consultation\"],"
        " \"by_category\": {\"rehabilitation\": {\"method\": \"e2sfca\","
        "   \"bands\": [{\"to\": 10, \"weight\": 1}, {\"to\": 25,"
        "   \"weight\": 0.4}]}},"
        " \"distances\": {\"path\": \"t.csv\", \"region_field\": \"o\","
        "   \"provider_field\": \"d\", \"cost_field\": \"min\"}},"
        "\"siting\": [{\"category\": \"rehabilitation\", \"count\": 10,"
        "  \"capacity\": 30, \"radius\": 20},"
        " {\"category\": \"promotion\", \"count\": 2,"
        "  \"method\": [\"mclp\", \"pmedian\"], \"radius\": 5,"
        "  \"need\": \"gap\", \"candidates\": {\"path\": \"c.csv\","
        "  \"lon_field\": \"x\", \"lat_field\": \"y\","
        "  \"id_field\": \"id\"}}]}");
    if (!p)
        return;
    const mg_access_spec *a = p->access;
    CHECK(a != NULL);
    /* Default model: consultation, economic_aid, rehabilitation, promotion */
    CHECK_INT(a->enabled[0], 1);
    CHECK_INT(a->enabled[1], 0);
    CHECK_INT(a->enabled[2], 1);
    CHECK_INT(a->enabled[3], 0);
    CHECK_INT(a->decay[0].method, MG_ACCESS_GAUSSIAN);
    CHECK_NEAR(a->decay[0].catchment, 30, 0);
    CHECK_INT(a->decay[2].method, MG_ACCESS_E2SFCA);
    CHECK_INT(a->decay[2].n_bands, 2);
    CHECK_NEAR(a->decay[2].catchment, 25, 0); /* the last band's bound */
    CHECK_NEAR(a->decay[2].band_weight[1], 0.4, 0);
    CHECK_STR(a->distances.other_field, "d");
    CHECK(a->demand.path == NULL);
    const mg_siting_spec *s = p->siting;
    CHECK_INT(s->n, 2);
    CHECK_INT(s->runs[0].category, 2);
    CHECK_INT(s->runs[0].count, 10);
    CHECK_INT(s->runs[0].methods, MG_SITING_MCLP);
    CHECK_INT(s->runs[0].need, MG_SITING_NEED_AUTO);
    CHECK_NEAR(s->runs[0].capacity, 30, 0);
    CHECK_INT(s->runs[1].methods, MG_SITING_MCLP | MG_SITING_MEDIAN);
    CHECK_INT(s->runs[1].need, MG_SITING_NEED_GAP);
    CHECK(isnan(s->runs[1].capacity));
    CHECK_STR(s->runs[1].candidates.id_field, "id");
    mg_project_free(p);

    /* p-median alone needs no radius. */
    p = parse_ok(HEAD "\"siting\": {\"category\": \"promotion\", \"count\": 1,"
                 " \"method\": \"pmedian\"}}");
    CHECK(p && isnan(p->siting->runs[0].radius));
    mg_project_free(p);
}

static void test_bad_access(void)
{
    parse_bad(HEAD "\"access\": {\"catchment\": 30, \"decay\": 1}}",
              "access.decay", "unknown key 'decay'");
    parse_bad(HEAD "\"access\": {\"method\": \"2sfca\"}}", "access",
              "'catchment' is missing");
    parse_bad(HEAD "\"access\": {\"method\": \"cumulative\", \"catchment\":"
              " 3}}", "access.method", "must be one of");
    parse_bad(HEAD "\"access\": {\"catchment\": -3}}", "access.catchment",
              "must be a number > 0");
    parse_bad(HEAD "\"access\": {\"catchment\": 30, \"bands\": [{\"to\": 30,"
              " \"weight\": 1}]}}", "access", "'bands' go with method");
    parse_bad(HEAD "\"access\": {\"method\": \"e2sfca\", \"catchment\": 30}}",
              "access", "needs 'bands'");
    parse_bad(HEAD "\"access\": {\"method\": \"e2sfca\", \"catchment\": 20,"
              " \"bands\": [{\"to\": 30, \"weight\": 1}]}}", "access",
              "must equal the last band");
    parse_bad(HEAD "\"access\": {\"method\": \"e2sfca\", \"bands\": [{\"to\":"
              " 30, \"weight\": 1}, {\"to\": 20, \"weight\": 0.5}]}}",
              "access.bands[1]", "must increase");
    parse_bad(HEAD "\"access\": {\"catchment\": 9, \"categories\": "
              "[\"daycare\"]}}", "access.categories",
              "'daycare' is not one of model.categories");
    parse_bad(HEAD "\"access\": {\"catchment\": 9, \"categories\": "
              "[\"promotion\"], \"by_category\": {\"consultation\": {}}}}",
              "access.by_category.consultation", "not a category that");
    parse_bad(HEAD "\"access\": {\"catchment\": 9, \"distances\": {\"path\":"
              " \"t.csv\", \"region_field\": \"o\", \"provider_field\":"
              " \"d\"}}}", "access.distances.cost_field", "is missing");
    parse_bad(HEAD "\"access\": {\"catchment\": 9, \"demand\": {\"path\":"
              " \"blocks.gpkg\"}}}", "access.demand.population_field",
              "is missing");
}

static void test_bad_siting(void)
{
    parse_bad(HEAD "\"siting\": {\"category\": \"promotion\", \"count\": 3}}",
              "siting", "method 'mclp' needs 'radius'");
    parse_bad(HEAD "\"siting\": {\"category\": \"promotion\", \"count\": 0,"
              " \"radius\": 5}}", "siting.count", "whole number");
    parse_bad(HEAD "\"siting\": [{\"category\": \"promotion\", \"count\": 1,"
              " \"radius\": 5}, {\"category\": \"daycare\", \"count\": 1,"
              " \"radius\": 5}]}", "siting[1].category",
              "'daycare' is not one of model.categories");
    parse_bad(HEAD "\"siting\": {\"category\": \"promotion\", \"count\": 1,"
              " \"radius\": 5, \"method\": \"kmeans\"}}", "siting.method",
              "must be \"mclp\", \"pmedian\"");
    parse_bad(HEAD "\"siting\": {\"category\": \"promotion\", \"count\": 1,"
              " \"radius\": 5, \"need\": \"access_gap\"}}", "siting.need",
              "needs an 'access' section");
    parse_bad(HEAD "\"siting\": {\"category\": \"promotion\", \"count\": 1,"
              " \"radius\": 5, \"candidates\": {\"path\": \"c.csv\","
              " \"lon_field\": \"x\"}}}", "siting.candidates",
              "go together");
    parse_bad(HEAD "\"siting\": []}", "siting", "non-empty array");
}

/* The commands build the objects from their options. */
static void test_direct(void)
{
    mg_project p = {0};
    CHECK_INT(mg_model_spec_default(&p.model), MG_OK);
    mg_error err;
    mg_error_clear(&err);
    mg_spec sp = {"options", &err};
    json_t *a =
        json_loads("{\"method\": \"2sfca\", \"catchment\": 12.5}", 0, NULL);
    CHECK_INT(mg_access_section_parse(&sp, a, &p), MG_OK);
    CHECK(p.access && p.access->enabled[3] &&
          p.access->decay[3].catchment == 12.5);
    mg_access_section_clear(&p);
    json_t *s = json_loads("{\"category\": \"x\", \"count\": 1}", 0, NULL);
    CHECK_INT(mg_siting_section_parse(&sp, s, &p), MG_ERR_PROJECT);
    CHECK_STR(err.field, "siting.category");
    mg_siting_section_clear(&p);
    CHECK(p.siting == NULL);
    json_decref(a);
    json_decref(s);
    mg_model_spec_clear(&p.model);
}

int main(void)
{
    test_good();
    test_bad_access();
    test_bad_siting();
    test_direct();
    CHECK_DONE();
}
