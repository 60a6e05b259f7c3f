/* The project file: defaults, and an error for each kind of mistake. */
#include "check.h"
#include "geodata/input.h"

#include <stdlib.h>
#include <string.h>

#define MINIMAL_HEAD                                                       \
    "{\"boundaries\": {\"path\": \"b.geojson\", \"code_field\": \"c\"},\n" \
    " \"providers\": {\"path\": \"p.csv\", \"lon_field\": \"x\", "        \
    "\"lat_field\": \"y\", \"category_field\": \"k\"},\n"                 \
    " \"recipients\": {\"path\": \"r.csv\", \"code_field\": \"c\"}"

static int parse(const char *json, mg_project **p, mg_error *err)
{
    mg_error_clear(err);
    return mg_project_parse(json, "t.json", "/data", NULL, 0, p, err);
}

/* Expects a project error naming jpath whose message contains text. */
static void expect_error(const char *json, const char *jpath, const char *text)
{
    mg_project *p = NULL;
    mg_error err;
    CHECK_INT(parse(json, &p, &err), MG_ERR_PROJECT);
    CHECK(p == NULL);
    CHECK_STR(err.file, "t.json");
    if (jpath)
        CHECK_STR(err.field, jpath);
    if (!strstr(err.message, text)) {
        fprintf(stderr, "message \"%s\" lacks \"%s\"\n", err.message, text);
        check_failures++;
    }
}

static void test_defaults(void)
{
    mg_project *p = NULL;
    mg_error err;
    CHECK_INT(parse(MINIMAL_HEAD "}", &p, &err), MG_OK);
    if (!p)
        return;
    CHECK_STR(p->name, "mapgen");
    CHECK_STR(p->output, "out");
    CHECK_INT(p->n_levels, 1);
    CHECK_STR(p->levels[0].level, "regions");
    /* The default model of BRIEF.md. */
    CHECK_INT(p->model.n_groups, 3);
    CHECK_INT(p->model.n_categories, 4);
    CHECK_STR(p->model.groups[2], "guardianship");
    CHECK_STR(p->model.categories[1], "economic_aid");
    CHECK_NEAR(p->model.weights[0 * 4 + 1], 1.0, 0); /* poverty: aid key */
    CHECK_NEAR(p->model.weights[0 * 4 + 2], 0.5, 0); /* rehab compl. */
    CHECK_NEAR(p->model.weights[2 * 4 + 1], 0.5, 0); /* guardianship aid */
    CHECK_NEAR(p->model.weights[1 * 4 + 0], 1.0, 0); /* consultation */
    CHECK_STR(p->recipients.group_fields[1], "self_dilemma");
    char *r = mg_project_resolve(p, "b.geojson");
    CHECK_STR(r, "/data/b.geojson");
    free(r);
    r = mg_project_resolve(p, "/abs/b.shp");
    CHECK_STR(r, "/abs/b.shp");
    free(r);
    r = mg_project_resolve(p, "PG:dbname=gis");
    CHECK_STR(r, "PG:dbname=gis");
    free(r);
    mg_project_free(p);
}

static void test_errors(void)
{
    /* Syntax: jansson's line and column. */
    expect_error("{\n  \"name\": \"x\",\n}", NULL, "line 3, column 1");
    expect_error(MINIMAL_HEAD ", \"name\": \"a\", \"name\": \"b\"}", NULL,
                 "duplicate");
    expect_error("[1, 2]", "", "must hold a JSON object");
    /* Schema: the JSON path of the offending key. */
    expect_error("{\"boundaries\": {\"path\": \"b\", \"code_feild\": \"c\"}}",
                 "boundaries.code_feild", "unknown key 'code_feild'");
    expect_error("{\"boundaries\": [{\"path\": \"b\"}]}",
                 "boundaries[0].code_field", "required key 'code_field'");
    expect_error(MINIMAL_HEAD ", \"name\": \"../evil\"}", "name",
                 "letters, digits");
    expect_error("{\"boundaries\": {\"path\": \"b.geojson\", \"code_field\": "
                 "\"c\"}, \"providers\": {\"path\": \"p\", \"lon_field\": "
                 "\"x\", \"category_field\": \"k\"}}",
                 "providers", "'lon_field' and 'lat_field' go together");
    expect_error(MINIMAL_HEAD ", \"model\": {\"groups\": [\"a\"], "
                 "\"categories\": [\"x\"], \"weights\": {\"a\": {\"x\": -1}}}}",
                 "model.weights.a", "must be a number >= 0");
    expect_error(MINIMAL_HEAD ", \"model\": {\"groups\": [\"a\", \"a\"], "
                              "\"categories\": [\"x\"], \"weights\": {}}}",
                 "model.groups[1]", "listed twice");
    expect_error(MINIMAL_HEAD ", \"model\": {\"groups\": [\"a\", \"b\"], "
                 "\"categories\": [\"x\"], \"weights\": {\"a\": {\"x\": 1}}}}",
                 "model.weights", "no weights for group 'b'");
    expect_error("{\"boundaries\": [{\"path\": \"b\", \"code_field\": \"c\"},"
                 " {\"path\": \"p\", \"code_field\": \"c\"}]}",
                 "boundaries[0]", "needs 'parent_code_field'");
}

static void test_category_map(void)
{
    expect_error("{\"boundaries\": {\"path\": \"b\", \"code_field\": \"c\"},"
                 " \"providers\": {\"path\": \"p\", \"category_field\": \"k\","
                 " \"category_map\": {\"8790CR-C-I\": \"rehab\"}},"
                 " \"recipients\": {\"path\": \"r\", \"code_field\": \"c\"}}",
                 "providers.category_map", "not one of model.categories");
    mg_project *p = NULL;
    mg_error err;
    CHECK_INT(parse("{\"boundaries\": {\"path\": \"b\", \"code_field\": \"c\"},"
                    " \"providers\": {\"path\": \"p\", \"category_field\": "
                    "\"k\", \"missing_capacity\": 5, \"category_map\": "
                    "{\"A\": \"promotion\"}}, \"recipients\": {\"path\": \"r\","
                    " \"code_field\": \"c\", \"group_fields\": "
                    "{\"guardianship\": \"lack_care\"}}}", &p, &err), MG_OK);
    if (!p)
        return;
    CHECK_INT(p->providers.n_map, 1);
    CHECK_STR(p->providers.map_to[0], "promotion");
    CHECK_NEAR(p->providers.missing_capacity, 5, 0);
    CHECK_STR(p->recipients.group_fields[2], "lack_care");
    CHECK_STR(p->recipients.group_fields[0], "family_poverty");
    mg_project_free(p);
}

/* Sections of the modules above input, as the pipeline's table names them:
 * here each only counts that it was handed a value. */
static int sections_seen;
static int seen(mg_spec *s, json_t *v, mg_project *p)
{
    (void)s;
    (void)p;
    sections_seen += v != NULL;
    return MG_OK;
}
static void clear_nothing(mg_project *p)
{
    (void)p;
}
static const mg_project_section sample_sections[] = {
    {"poverty", seen, clear_nothing},
    {"access", seen, clear_nothing},
    {"siting", seen, clear_nothing},
    {"maps", seen, clear_nothing},
    {"periods", seen, clear_nothing}};

int main(int argc, char **argv)
{
    test_defaults();
    test_errors();
    test_category_map();
    /* A project file that does not exist: the file is named. */
    mg_project *p = NULL;
    mg_error err;
    mg_error_clear(&err);
    CHECK_INT(mg_project_load("/nonexistent/project.json", NULL, 0, &p, &err),
              MG_ERR_PROJECT);
    CHECK_STR(err.file, "/nonexistent/project.json");
    /* The bundled sample parses, its other modules' sections handed to the
     * table (input itself knows none of them). */
    if (argc > 1) {
        CHECK_INT(mg_project_load(argv[1], sample_sections, 5, &p, &err),
                  MG_OK);
        /* poverty, access, siting, periods; no "maps": the shipped ones */
        CHECK_INT(sections_seen, 4);
        if (p) {
            CHECK_INT(p->n_levels, 2);
            CHECK(p->providers.n_map > 10);
            /* Counties dissolved from the UATs, named by their "county". */
            CHECK(p->levels[1].path == NULL);
            CHECK_STR(p->levels[0].parent_name_field, "county");
        }
        mg_project_free(p);
    }
    CHECK_DONE();
}
