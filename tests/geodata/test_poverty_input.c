/* Bad input to the poverty stage: project-file mistakes (each an
 * MG_ERR_PROJECT naming the JSON key), a missing column (MG_ERR_INPUT naming
 * the file and the key), weights that do not sum to 1 (renormalised with a
 * join-report row, or rejected), k outside (0, 1], and a grading the data
 * cannot support. */
#include "poverty_util.h"

#define TABLE                                                             \
    "\"table\": {\"path\": \"indicators.csv\", \"code_field\": \"code\"}, "
#define IND(col, dim)                                                     \
    "{\"column\": \"" col "\", \"dimension\": \"" dim "\","               \
    " \"direction\": \"higher_is_worse\"}"
#define AF(k)                                                             \
    "\"alkire_foster\": {\"path\": \"households.csv\", \"code_field\": "  \
    "\"region\", \"k\": " k ", \"indicators\": [{\"column\": \"y1\", "    \
    "\"cutoff\": 13}]}"

/* The stage fails with code; err names field (when not NULL) and its
 * message holds text. */
static void expect_failure(const char *poverty, int code, const char *field,
                           const char *text)
{
    mg_project *p;
    mg_dataset *d;
    mg_error err;
    CHECK_INT(run_poverty(poverty, &p, &d, &err), code);
    if (field)
        CHECK_STR(err.field, field);
    if (!strstr(err.message, text)) {
        fprintf(stderr, "message \"%s\" lacks \"%s\"\n", err.message, text);
        check_failures++;
    }
    done(p, d);
}

static void test_project_errors(void)
{
    expect_failure("{" TABLE "\"missing\": \"exclude\", \"indicators\": [{"
                   "\"column\": \"income\", \"dimension\": \"economy\"}]}",
                   MG_ERR_PROJECT, "poverty.indicators[0].direction",
                   "must be one of \"higher_is_worse\", \"higher_is_better\"");
    expect_failure("{" TABLE "\"indicators\": [" IND("income", "economy")
                   "]}", MG_ERR_PROJECT, "poverty.missing",
                   "'missing' must be one of \"renormalise\", \"exclude\"");
    expect_failure("{" TABLE "\"missing\": \"exclude\", \"indicators\": [{"
                   "\"column\": \"income\", \"field\": \"area_km2\", "
                   "\"dimension\": \"e\", \"direction\": \"higher_is_worse\"}"
                   "]}", MG_ERR_PROJECT, "poverty.indicators[0]",
                   "exactly one of 'column'");
    expect_failure("{" TABLE "\"missing\": \"exclude\", \"indicators\": [{"
                   "\"column\": \"income\", \"dimension\": \"Economy\", "
                   "\"direction\": \"higher_is_worse\"}]}", MG_ERR_PROJECT,
                   "poverty.indicators[0].dimension", "lower-case");
    expect_failure("{" TABLE "\"missing\": \"exclude\", \"colour\": 1, "
                   "\"indicators\": [" IND("income", "e") "]}",
                   MG_ERR_PROJECT, "poverty.colour", "unknown key 'colour'");
    expect_failure("{\"level\": \"county\", " AF("0.5") "}", MG_ERR_PROJECT,
                   "poverty.level", "'county' is not the name of a boundary");
    expect_failure("{\"missing\": \"exclude\", \"indicators\": ["
                   IND("income", "e") "]}", MG_ERR_PROJECT,
                   "poverty.indicators[0]", "there is no \"table\"");
    expect_failure("{" TABLE "\"missing\": \"exclude\", \"grades\": {"
                   "\"method\": \"fixed\", \"classes\": 3, \"breaks\": [10]},"
                   " \"indicators\": [" IND("income", "e") "]}",
                   MG_ERR_PROJECT, "poverty.grades.breaks", "classes - 1");
    expect_failure("{" TABLE "\"missing\": \"exclude\", \"grades\": {"
                   "\"method\": \"kmeans\"}, \"indicators\": ["
                   IND("income", "e") "]}", MG_ERR_PROJECT,
                   "poverty.grades.method", "'kmeans' is not a method");
    expect_failure("{" TABLE "\"missing\": \"exclude\", \"indicators\": ["
                   "{\"column\": \"income\", \"dimension\": \"e\", "
                   "\"direction\": \"higher_is_worse\", \"normalisation\": "
                   "\"goalposts\"}]}", MG_ERR_PROJECT,
                   "poverty.indicators[0].goalposts", "[low, high]");
    expect_failure("{}", MG_ERR_PROJECT, "poverty", "give \"indicators\"");
}

static void test_k(void)
{
    expect_failure("{" AF("0") "}", MG_ERR_PROJECT,
                   "poverty.alkire_foster.k", "k = 0 is outside (0, 1]");
    expect_failure("{" AF("1.5") "}", MG_ERR_PROJECT,
                   "poverty.alkire_foster.k", "k = 1.5 is outside (0, 1]");
    expect_failure("{" AF("-0.2") "}", MG_ERR_PROJECT,
                   "poverty.alkire_foster.k", "outside (0, 1]");
    expect_failure("{\"alkire_foster\": {\"path\": \"households.csv\", "
                   "\"code_field\": \"region\", \"indicators\": [{\"column\":"
                   " \"y1\", \"cutoff\": 13}]}}", MG_ERR_PROJECT,
                   "poverty.alkire_foster.k", "required key 'k'");
}

static void test_missing_columns(void)
{
    expect_failure("{" TABLE "\"missing\": \"exclude\", \"indicators\": ["
                   IND("income", "e") ", " IND("incme", "e") "]}",
                   MG_ERR_INPUT, "poverty.indicators[1].column",
                   "no field 'incme' in layer 'indicators'");
    expect_failure("{\"alkire_foster\": {\"path\": \"households.csv\", "
                   "\"code_field\": \"region\", \"k\": 0.5, \"indicators\": "
                   "[{\"column\": \"y5\", \"cutoff\": 1}]}}", MG_ERR_INPUT,
                   "poverty.alkire_foster.indicators[0].column",
                   "no field 'y5'");
    expect_failure("{\"missing\": \"exclude\", \"indicators\": [{\"field\": "
                   "\"gap_total_x\", \"dimension\": \"e\", \"direction\": "
                   "\"higher_is_worse\"}]}", MG_ERR_PROJECT,
                   "poverty.indicators[0].field", "no field 'gap_total_x'");
    mg_project *p;
    mg_dataset *d;
    mg_error err;
    CHECK_INT(run_poverty("{\"table\": {\"path\": \"nowhere.csv\", "
                          "\"code_field\": \"code\"}, "
                          "\"missing\": \"exclude\", \"indicators\": ["
                          IND("income", "e") "]}", &p, &d, &err),
              MG_ERR_INPUT);
    CHECK(strstr(err.file, "nowhere.csv") != NULL);
    done(p, d);
}

/* Economy weights 0.6 + 0.6 = 1.2: renormalised to 0.5 each with a join
 * report row (the default), or the project is rejected. */
static void test_weight_sum(void)
{
    const char *body =
        "\"missing\": \"exclude\", \"indicators\": ["
        "{\"column\": \"income\", \"dimension\": \"economy\", "
        "\"direction\": \"higher_is_better\", \"weight\": 0.6}, "
        "{\"column\": \"unemployment\", \"dimension\": \"economy\", "
        "\"direction\": \"higher_is_worse\", \"weight\": 0.6}]}";
    char json[1024];
    snprintf(json, sizeof json, "{" TABLE "%s", body);
    mg_project *p;
    mg_dataset *d;
    mg_error err;
    CHECK_INT(run_poverty(json, &p, &d, &err), MG_OK);
    if (d) {
        CHECK_NEAR(p->poverty->indicators[0].weight, 0.5, 1e-15);
        CHECK(has_report(d, "pov.json", -1, "poverty.indicators",
                         "the weights of dimension 'economy' do not sum "
                         "to 1"));
        /* min-max of unemployment 0..20: A (income 100, unemp 20) is 1 on
         * both: index 100. */
        CHECK_FIG(d, 0, "poverty_index", "A", 100);
    }
    done(p, d);
    snprintf(json, sizeof json, "{" TABLE "\"weight_sum\": \"reject\", %s",
             body);
    expect_failure(json, MG_ERR_PROJECT, "poverty.indicators",
                   "sum to 1.2, not 1");
    expect_failure("{" TABLE "\"missing\": \"exclude\", \"weight_sum\": "
                   "\"reject\", \"dimensions\": {\"a\": 0.5, \"b\": 0.4}, "
                   "\"indicators\": [" IND("income", "a") ", "
                   IND("pop", "b") "]}", MG_ERR_PROJECT, "poverty.dimensions",
                   "the weights of the dimensions sum to 0.9");
}

/* Jenks with 5 classes on 4 distinct index values cannot be done: an input
 * error naming poverty.grades. */
static void test_grading(void)
{
    expect_failure("{" TABLE "\"missing\": \"exclude\", \"grades\": {"
                   "\"method\": \"jenks\"}, \"indicators\": ["
                   IND("income", "e") "]}", MG_ERR_INPUT, "poverty.grades",
                   "cannot grade poverty_index into 5 jenks classes");
}

int main(int argc, char **argv)
{
    if (init_fixtures(argc, argv))
        return 1;
    test_project_errors();
    test_k();
    test_missing_columns();
    test_weight_sum();
    test_grading();
    CHECK_DONE();
}
