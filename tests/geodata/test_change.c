/* geodata/change: the change measures worked by hand, and harmonisation
 * (the same definitions in both periods, or no change figure). */
#include "check.h"
#include "geodata/change.h"
#include "mapgen/pipeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void test_figure(void)
{
    mg_change_row r;
    /* 100 -> 121 over 2 years: +21, +21 %, 10.5 a year, and the compound
     * rate (121/100)^(1/2) - 1 = 1.1 - 1 = 10 % a year (OPHI, annualised
     * relative change). */
    mg_change_figure(100, 121, 2, 0, 0, &r);
    CHECK_NEAR(r.abs, 21, 1e-12);
    CHECK_NEAR(r.rel, 21, 1e-12);
    CHECK_NEAR(r.abs_pa, 10.5, 1e-12);
    CHECK_NEAR(r.rel_pa, 10, 1e-9);
    CHECK_INT(r.better, -1); /* more need is worse */
    /* A headcount ratio 0.5 -> 0.32 over 2 years: -0.18, -36 %, -0.09 a
     * year, sqrt(0.64) - 1 = -20 % a year. */
    mg_change_figure(0.5, 0.32, 2, 0, 0, &r);
    CHECK_NEAR(r.abs, -0.18, 1e-12);
    CHECK_NEAR(r.rel, -36, 1e-9);
    CHECK_NEAR(r.abs_pa, -0.09, 1e-12);
    CHECK_NEAR(r.rel_pa, -20, 1e-9);
    CHECK_INT(r.better, 1);
    /* From 0: no relative change, nor annualised. */
    mg_change_figure(0, 5, 4, 0, 0, &r);
    CHECK_NEAR(r.abs, 5, 1e-12);
    CHECK_NEAR(r.abs_pa, 1.25, 1e-12);
    CHECK(isnan(r.rel) && isnan(r.rel_pa));
    /* To 0: -100 %, also a year. */
    mg_change_figure(8, 0, 3, 0, 1, &r);
    CHECK_NEAR(r.rel, -100, 1e-12);
    CHECK_NEAR(r.rel_pa, -100, 1e-12);
    CHECK_INT(r.better, -1); /* less coverage is worse */
    /* A negative start: relative, but no compound rate. */
    mg_change_figure(-2, 1, 1, 0, 0, &r);
    CHECK_NEAR(r.rel, -150, 1e-12);
    CHECK(isnan(r.rel_pa));
    /* A rank 3 -> 2 (1 = poorest): movement -1, towards the poorest, and
     * nothing relative. */
    mg_change_figure(3, 2, 4, 1, 1, &r);
    CHECK_NEAR(r.abs, -1, 0);
    CHECK(isnan(r.rel) && isnan(r.abs_pa) && isnan(r.rel_pa));
    CHECK_INT(r.better, -1);
    /* Tied ranks that stay tied: no movement. */
    mg_change_figure(2, 2, 4, 1, 1, &r);
    CHECK_INT(r.better, 0);
    CHECK_NEAR(r.abs, 0, 0);
    /* NULL on either side: nothing. */
    mg_change_figure(NAN, 2, 4, 0, 0, &r);
    CHECK(isnan(r.abs) && isnan(r.rel));
    CHECK_INT(r.better, 0);
}

static mg_project *project(const char *poverty)
{
    char json[4096];
    snprintf(json, sizeof json,
             "{\"name\": \"t\", \"boundaries\": [{\"level\": \"cell\", "
             "\"path\": \"x.geojson\", \"code_field\": \"code\"}], "
             "\"recipients\": {\"path\": \"r.csv\", \"code_field\": \"code\", "
             "\"group_fields\": {\"family_poverty\": \"a\", \"self_dilemma\": "
             "\"b\", \"guardianship\": \"c\"}}, \"poverty\": %s}",
             poverty);
    mg_project *p = NULL;
    mg_error err;
    if (mg_project_parse(json, "t.json", ".", mg_pipeline_sections,
                         mg_pipeline_n_sections, &p, &err)) {
        fprintf(stderr, "parse: %s %s\n", err.field, err.message);
        return NULL;
    }
    return p;
}

#define IND(n, g)                                                            \
    "{\"name\": \"" n "\", \"column\": \"" n "\", \"dimension\": \"d\", \"direction\": \"higher_is_worse\", " \
    "\"normalisation\": \"goalposts\", \"goalposts\": " g "}"
#define AF(k, cut)                                                           \
    "\"alkire_foster\": {\"path\": \"h.csv\", \"code_field\": \"r\", \"k\": " \
    k ", \"indicators\": [{\"column\": \"y1\", \"cutoff\": " cut "}, "       \
    "{\"column\": \"y2\", \"cutoff\": 1}]}"

static void test_harmonised(void)
{
    mg_project *a = project("{\"level\": \"cell\", \"missing\": \"exclude\", \"table\": {\"path\": "
                            "\"i.csv\", \"code_field\": \"c\"}, "
                            "\"indicators\": [" IND("x", "[0, 10]") "], " AF(
                                "0.5", "13") "}");
    mg_project *same = project(
        "{\"level\": \"cell\", \"missing\": \"exclude\", \"table\": {\"path\": \"other.csv\", "
        "\"code_field\": \"c\"}, \"indicators\": [" IND("x", "[0, 10]") "], " AF(
            "0.5", "13") "}");
    mg_project *goal = project(
        "{\"level\": \"cell\", \"missing\": \"exclude\", \"table\": {\"path\": \"i.csv\", "
        "\"code_field\": \"c\"}, \"indicators\": [" IND("x", "[0, 20]") "], " AF(
            "0.5", "14") "}");
    mg_project *mm = project(
        "{\"level\": \"cell\", \"missing\": \"exclude\", \"table\": {\"path\": \"i.csv\", "
        "\"code_field\": \"c\"}, \"indicators\": [{\"name\": \"x\", "
        "\"column\": \"x\", \"dimension\": \"d\", \"direction\": \"higher_is_worse\"}]}");
    CHECK(a && same && goal && mm);
    if (!a || !same || !goal || !mm)
        goto done;
    char why[512];
    /* Another table (source), the same definitions: harmonised. */
    CHECK(mg_change_harmonised(a, same, "2011", "2015", MG_CHANGE_COMPOSITE,
                               why, sizeof why));
    CHECK(mg_change_harmonised(a, same, "2011", "2015", MG_CHANGE_AF, why,
                               sizeof why));
    CHECK(mg_change_harmonised(a, goal, "2011", "2015", MG_CHANGE_MODEL, why,
                               sizeof why));
    /* Other goalposts: refused, and said which. */
    CHECK(!mg_change_harmonised(a, goal, "2011", "2015", MG_CHANGE_COMPOSITE,
                                why, sizeof why));
    CHECK(strstr(why, "poverty.indicators[0] (x): goalposts not the same in 2011 "
                     "and 2015") !=
          NULL);
    /* Another cutoff of y1. */
    CHECK(!mg_change_harmonised(a, goal, "2011", "2015", MG_CHANGE_AF, why,
                                sizeof why));
    CHECK(strstr(why, "cutoff (13 in 2011, 14 in 2015)") != NULL);
    /* Min-max of one period's own regions cannot be compared, even with
     * itself. */
    CHECK(!mg_change_harmonised(mm, mm, "2011", "2015", MG_CHANGE_COMPOSITE,
                                why, sizeof why));
    CHECK(strstr(why, "normalised by minmax over that period's own") != NULL);
    /* An AF part in one period only. */
    CHECK(!mg_change_harmonised(a, mm, "2011", "2015", MG_CHANGE_AF, why,
                                sizeof why));
done:
    mg_project_free(a);
    mg_project_free(same);
    mg_project_free(goal);
    mg_project_free(mm);
}

int main(void)
{
    test_figure();
    test_harmonised();
    return check_failures != 0;
}
