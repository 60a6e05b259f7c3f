/* The data set: reading every input, and freeing it all. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int report_progress(mg_progress_fn progress, void *user, double done,
                           const char *what, mg_error *err)
{
    if (progress && !progress(done, what, user))
        return mg_error_set(err, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                            "cancelled");
    return MG_OK;
}

/* Resolves the input paths once, for reading and for messages. */
static int resolve_paths(mg_dataset *d)
{
    const mg_project *p = d->project;
    d->level_paths = calloc(d->n_levels, sizeof *d->level_paths);
    if (!d->level_paths)
        return MG_ERR_NOMEM;
    for (size_t i = 0; i < p->n_levels; i++)
        if (p->levels[i].path &&
            !(d->level_paths[i] = mg_project_resolve(p, p->levels[i].path)))
            return MG_ERR_NOMEM;
    d->providers_path = mg_project_resolve(p, p->providers.path);
    d->recipients_path = mg_project_resolve(p, p->recipients.path);
    if ((p->providers.path && !d->providers_path) ||
        (p->recipients.path && !d->recipients_path))
        return MG_ERR_NOMEM;
    return MG_OK;
}

int mg_dataset_read(const mg_project *p, mg_dataset **out,
                    mg_progress_fn progress, void *user, mg_error *err)
{
    *out = NULL;
    mg_dataset *d = calloc(1, sizeof *d);
    if (!d)
        return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                            "out of memory");
    d->project = p;
    /* A parent code on the coarsest level given means one more level,
     * built from the codes alone. */
    d->n_levels =
        p->n_levels + (p->levels[p->n_levels - 1].parent_code_field ? 1 : 0);
    d->levels = calloc(d->n_levels, sizeof *d->levels);
    int rc = d->levels ? resolve_paths(d) : MG_ERR_NOMEM;
    if (rc) {
        mg_dataset_free(d);
        return mg_error_set(err, rc, NULL, -1, NULL, "out of memory");
    }
    if (d->n_levels > p->n_levels &&
        !(d->levels[d->n_levels - 1].level = strdup("parent")))
        rc = mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
    if (!rc)
        rc = report_progress(progress, user, 0.0, "boundaries", err);
    if (!rc)
        rc = read_levels(d, err);
    if (!rc)
        rc = report_progress(progress, user, 0.6, "providers", err);
    if (!rc && p->providers.path)
        rc = read_providers(d, err);
    if (!rc)
        rc = report_progress(progress, user, 0.8, "recipients", err);
    if (!rc && p->recipients.path)
        rc = read_recipients(d, err);
    if (!rc)
        rc = report_progress(progress, user, 1.0, "inputs read", err);
    if (rc) {
        mg_dataset_free(d);
        return rc;
    }
    *out = d;
    return MG_OK;
}

static void provider_clear(mg_provider *v)
{
    free(v->name);
    free(v->category_raw);
    free(v->capacity_raw);
    free(v->region_code_raw);
    free(v->parent_name);
}

void mg_dataset_free(mg_dataset *d)
{
    if (!d)
        return;
    for (size_t i = 0; d->levels && i < d->n_levels; i++) {
        mg_level *l = &d->levels[i];
        for (size_t j = 0; j < l->n; j++)
            region_clear(&l->regions[j]);
        free(l->regions);
        free(l->level);
        level_clear_columns(l);
        if (d->level_paths)
            free(d->level_paths[i]);
    }
    free(d->levels);
    free(d->level_paths);
    for (size_t i = 0; i < d->n_providers; i++)
        provider_clear(&d->providers[i]);
    free(d->providers);
    for (size_t i = 0; i < d->n_recipients; i++) {
        free(d->recipients[i].code);
        free(d->recipients[i].key);
        free(d->recipients[i].counts);
    }
    free(d->recipients);
    free(d->providers_path);
    free(d->recipients_path);
    mg_report_clear(&d->report);
    free(d);
}
