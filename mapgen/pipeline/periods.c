/* Several periods in one run: a project and a data set per period, the
 * poverty index on one scale, the change figures and their outputs
 * (docs/change.md). */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The base JSON with the period's overrides: objects merged key by key
 * (so "recipients": {"path": ...} changes the path only), arrays and
 * other values replaced. */
static json_t *merged_root(json_t *root, json_t *overrides)
{
    json_t *m = json_deep_copy(root);
    const char *key;
    json_t *v;
    if (!m || json_object_del(m, "periods"))
        goto fail;
    json_object_foreach(overrides, key, v)
    {
        json_t *base = json_object_get(m, key);
        json_t *copy = json_deep_copy(v);
        if (!copy)
            goto fail;
        int bad = json_is_object(base) && json_is_object(copy)
                      ? json_object_update_recursive(base, copy)
                      : json_object_set(m, key, copy);
        json_decref(copy);
        if (bad)
            goto fail;
    }
    return m;
fail:
    json_decref(m);
    return NULL;
}

int mg_pipeline_period_projects(json_t *root, mg_project *p, mg_error *err)
{
    mg_periods_spec *ps = p->periods;
    int rc = MG_OK;
    for (size_t i = 0; !rc && i < ps->n; i++) {
        mg_period *t = &ps->items[i];
        json_t *m = merged_root(root, t->overrides);
        if (!m)
            return mg_error_set(err, MG_ERR_NOMEM, p->path, -1, "periods",
                                "out of memory");
        rc = mg_project_from_json(m, p->path, p->base_dir,
                                  mg_pipeline_sections,
                                  mg_pipeline_n_sections, &t->project, err);
        json_decref(m);
        if (rc && rc != MG_ERR_NOMEM) {
            char why[sizeof err->message];
            memcpy(why, err->message, sizeof why);
            snprintf(err->message, sizeof err->message,
                     "in period '%s' (periods.list[%zu]): %.900s", t->label, i,
                     why);
        }
    }
    return rc;
}

/* Rows added to a report after n are dropped (the first poverty pass). */
static void report_truncate(mg_report *r, size_t n)
{
    for (size_t i = n; i < r->n; i++) {
        mg_report_row *x = &r->rows[i];
        free(x->file);
        free(x->field);
        free(x->value);
        free(x->problem);
        free(x->action);
    }
    r->n = n < r->n ? n : r->n;
}

/* The poverty stage of every period: with pooled min-max, a first pass
 * finds each indicator's range over all periods, then the pass that
 * counts normalises on it; grades on one set of breaks. */
static int periods_poverty(const mg_periods_spec *ps, mg_dataset **d,
                           mg_error *err)
{
    int rc = MG_OK;
    if (ps->pooled) {
        for (size_t i = 0; !rc && i < ps->n; i++) {
            size_t n0 = d[i]->report.n;
            rc = mg_poverty_compute(d[i], err);
            /* Rows of the first pass would come twice. */
            report_truncate(&d[i]->report, n0);
        }
        if (!rc)
            rc = mg_change_pool(d, ps->n, err);
    }
    for (size_t i = 0; !rc && i < ps->n; i++)
        rc = mg_poverty_compute(d[i], err);
    return rc ? rc : mg_pipeline_grade_poverty(d, ps->n, err);
}

/* One period's inputs to its rolled-up figures. */
static int period_data(const mg_project *p, mg_dataset **d, mg_progress *pg,
                       mg_error *err)
{
    int rc = mg_dataset_read(p, d, mg_progress_stage, pg, err);
    if (!rc)
        rc = mg_dataset_join(*d, mg_progress_stage, pg, err);
    if (!rc)
        rc = mg_model_compute(*d, err);
    if (!rc)
        rc = mg_dataset_rollup(*d, err);
    return rc;
}

static int same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The problem is in the report already (an input both periods share). */
static int reported(const mg_report *r, size_t n, const mg_report_row *x)
{
    for (size_t i = 0; i < n; i++) {
        const mg_report_row *y = &r->rows[i];
        if (y->row == x->row && same_text(y->problem, x->problem) &&
            same_text(y->file, x->file) && same_text(y->field, x->field) &&
            same_text(y->value, x->value))
            return 1;
    }
    return 0;
}

/* The earlier periods' input problems join the run's report, each marked
 * with its period; a problem of an input the periods share is listed
 * once. */
static int merge_reports(const mg_periods_spec *ps, mg_dataset **d,
                         mg_error *err)
{
    mg_report *main = &d[ps->n - 1]->report;
    size_t n0 = main->n;
    for (size_t i = 0; i + 1 < ps->n; i++)
        for (size_t k = 0; k < d[i]->report.n; k++) {
            const mg_report_row *x = &d[i]->report.rows[k];
            if (reported(main, n0, x))
                continue;
            char action[1024];
            snprintf(action, sizeof action, "period %s: %s",
                     ps->items[i].label, x->action ? x->action : "");
            if (mg_report_add(main, x->file, x->row, x->field, x->value,
                              x->problem, action))
                return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, "periods",
                                    "out of memory");
        }
    return MG_OK;
}

int mg_pipeline_run_periods(const mg_project *p, mg_periods_run *out,
                            mg_sites **sites, mg_progress *pg, mg_error *err)
{
    const mg_periods_spec *ps = p->periods;
    memset(out, 0, sizeof *out);
    out->d = calloc(ps->n, sizeof *out->d);
    if (!out->d)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, "periods",
                            "out of memory");
    out->n = ps->n;
    int rc = MG_OK;
    for (size_t i = 0; !rc && i < ps->n; i++) {
        mg_progress_say(pg, "period %s", ps->items[i].label);
        rc = period_data(ps->items[i].project, &out->d[i], pg, err);
    }
    if (!rc)
        rc = mg_pipeline_access(out->d[ps->n - 1], 1, 1, sites, pg, err);
    if (!rc && p->poverty) {
        mg_progress_say(pg, "poverty index, every period");
        rc = periods_poverty(ps, out->d, err);
    }
    if (!rc) {
        mg_progress_say(pg, "change between periods");
        rc = mg_change_compute(ps, out->d, &out->change, err);
    }
    if (!rc)
        rc = merge_reports(ps, out->d, err);
    return rc;
}

void mg_periods_run_clear(mg_periods_run *r)
{
    mg_change_clear(&r->change);
    for (size_t i = 0; r->d && i < r->n; i++)
        mg_dataset_free(r->d[i]);
    free(r->d);
    memset(r, 0, sizeof *r);
}

/* Every period's levels as layers period_<label>_regions[_<level>], and
 * the change table. */
static int period_layers(GDALDatasetH ds, void *user)
{
    const mg_periods_run *r = user;
    const mg_periods_spec *ps = r->change.ps;
    for (size_t i = 0; i < r->n; i++)
        for (size_t li = 0; li < r->d[i]->n_levels; li++) {
            char label[64], name[200], desc[256];
            const char *level = r->d[i]->levels[li].level;
            mg_field_name(label, sizeof label, "", ps->items[i].label);
            if (li == 0)
                snprintf(name, sizeof name, "period_%s_regions", label);
            else
                snprintf(name, sizeof name, "period_%s_regions_%s", label,
                         level);
            snprintf(desc, sizeof desc, "Regions of level '%s' in period "
                     "'%s' (year %.10g)", level, ps->items[i].label,
                     ps->items[i].year);
            if (mg_gpkg_write_level(ds, r->d[i], li, name, desc))
                return -1;
        }
    return mg_change_write_layer(ds, &r->change);
}

int mg_pipeline_write_periods(mg_outset *set, const mg_periods_run *r,
                              const char *gpkg_tmp, const char *dir,
                              int force, const mg_csv_format *fmt, char **csv,
                              mg_error *err)
{
    int rc = mg_gpkg_edit(gpkg_tmp, period_layers, (void *)r,
                          "cannot write the periods' layers", err);
    if (rc)
        return rc;
    *csv = path_join(dir, "reports/change.csv", NULL);
    struct stat st;
    if (!*csv)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    if (!force && stat(*csv, &st) == 0)
        return mg_error_set(err, MG_ERR_OUTPUT, *csv, -1, NULL,
                            "already exists; pass --force to replace it");
    const char *tmp = mg_outset_add(set, *csv, err);
    if (!tmp)
        return err->code;
    return mg_change_write_csv(&r->change, tmp, fmt, err);
}
