/* The poverty stage: figures from geodata, grades from styles. */
#include "internal.h"
#include "styles/styles.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The values of score_field of every data set's poverty level, one
 * after another; *total their number. */
static double *pool_values(mg_dataset *const *d, size_t n,
                           const char *score_field, size_t *total)
{
    *total = 0;
    for (size_t i = 0; i < n; i++)
        *total += d[i]->levels[mg_poverty_find_level(d[i])].n;
    double *v = malloc((*total ? *total : 1) * sizeof *v);
    size_t at = 0;
    for (size_t i = 0; v && i < n; i++) {
        mg_level *l = &d[i]->levels[mg_poverty_find_level(d[i])];
        /* A period without the field (its dimensions differ) adds no
         * scores: harmonisation refuses its changes anyway. */
        if (mg_level_get_values(l, &d[i]->project->model, score_field,
                                v + at))
            for (size_t r = 0; r < l->n; r++)
                v[at + r] = NAN;
        at += l->n;
    }
    return v;
}

/* Classifies the values of score_field into grade_field (class + 1), on
 * breaks from the scores of all n data sets (periods share one scale). */
static int grade_field(mg_dataset *const *d, size_t n,
                       const char *score_field, const char *grade_field_name,
                       mg_error *err)
{
    const mg_poverty_spec *s = d[n - 1]->project->poverty;
    size_t total = 0, scored = 0;
    double *v = pool_values(d, n, score_field, &total);
    int rc = v ? MG_OK : MG_ERR_NOMEM;
    for (size_t r = 0; !rc && r < total; r++)
        scored += !isnan(v[r]);
    mg_class_spec cs = {MG_CLASS_FIXED, s->grade_classes, s->grade_breaks};
    mg_breaks b;
    if (!rc)
        rc = mg_styles_parse_method(s->grade_method, &cs.method, err);
    /* No region scored: every grade stays NULL (each region is already in
     * the join report), rather than failing on an empty classification. */
    if (!rc && scored > 0) {
        rc = mg_styles_compute_breaks(&cs, v, total, &b, err);
        if (rc && rc != MG_ERR_NOMEM) {
            char why[sizeof err->message];
            snprintf(why, sizeof why, "%s", err->message);
            mg_error_set(err, rc, d[n - 1]->project->path, -1,
                         "poverty.grades",
                         "cannot grade %s into %d %s classes: %s", score_field,
                         s->grade_classes, s->grade_method, why);
        }
    }
    size_t at = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        mg_level *l = &d[i]->levels[mg_poverty_find_level(d[i])];
        double *grade = NULL;
        rc = mg_level_add_column(l, grade_field_name, 1, &grade);
        for (size_t r = 0; !rc && r < l->n; r++) {
            int c = scored > 0 ? mg_styles_find_class(&b, v[at + r]) : -1;
            grade[r] = c < 0 ? NAN : (double)(c + 1);
        }
        at += l->n;
    }
    if (rc == MG_ERR_NOMEM)
        mg_error_set(err, rc, NULL, -1, "poverty", "out of memory");
    free(v);
    return rc;
}

int mg_pipeline_grade_poverty(mg_dataset *const *d, size_t n, mg_error *err)
{
    const mg_poverty_spec *s = d[n - 1]->project->poverty;
    int rc = MG_OK;
    for (size_t i = 0; i < n; i++)
        if (!d[i]->project->poverty ||
            !d[i]->project->poverty->n_indicators ||
            mg_poverty_find_level(d[i]) < 0)
            return MG_OK;
    rc = grade_field(d, n, MG_POVERTY_FIELD_INDEX, MG_POVERTY_FIELD_GRADE,
                     err);
    for (size_t k = 0; !rc && k < s->n_dimensions; k++) {
        char score[MG_POVERTY_FIELD_MAX], grade[MG_POVERTY_FIELD_MAX];
        snprintf(score, sizeof score, "dim_%s_score", s->dimensions[k].name);
        snprintf(grade, sizeof grade, "dim_%s_grade", s->dimensions[k].name);
        rc = grade_field(d, n, score, grade, err);
    }
    return rc;
}

int mg_pipeline_compute_poverty(mg_dataset *d, mg_error *err)
{
    if (!d->project->poverty)
        return MG_OK;
    int rc = mg_poverty_compute(d, err);
    return rc ? rc : mg_pipeline_grade_poverty(&d, 1, err);
}

int mg_pipeline_write_poverty(mg_outset *set, const mg_dataset *d,
                              const char *dir, int force,
                              const mg_csv_format *fmt,
                              mg_poverty_outputs *out, mg_error *err)
{
    const mg_poverty_spec *s = d->project->poverty;
    memset(out, 0, sizeof *out);
    if (!s)
        return MG_OK;
    int want[2] = {s->n_indicators > 0, s->af != NULL};
    static const char *const names[2] = {"reports/poverty-ranking.csv",
                                         "reports/poverty-af.csv"};
    int rc = MG_OK;
    for (int i = 0; !rc && i < 2; i++) {
        if (!want[i])
            continue;
        char *final = path_join(dir, names[i], NULL);
        struct stat st;
        if (!final)
            return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                                "out of memory");
        out->final[out->n++] = final;
        if (!force && stat(final, &st) == 0)
            return mg_error_set(err, MG_ERR_OUTPUT, final, -1, NULL,
                                "already exists; pass --force to replace it");
        const char *tmp = mg_outset_add(set, final, err);
        if (!tmp)
            return err->code;
        rc = i == 0 ? mg_poverty_write_ranking(d, tmp, fmt, err)
                    : mg_poverty_write_af(d, tmp, fmt, err);
    }
    return rc;
}

void mg_pipeline_clear_poverty_outputs(mg_poverty_outputs *out)
{
    for (size_t i = 0; out && i < out->n; i++)
        free(out->final[i]);
    if (out)
        out->n = 0;
}
