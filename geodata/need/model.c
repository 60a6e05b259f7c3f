/* The demand–service model and the roll-up to parent levels. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double mg_per10k(double value, double population)
{
    if (isnan(value) || isnan(population) || population <= 0)
        return NAN;
    return value * 10000.0 / population;
}

static double or_zero(double x)
{
    return isnan(x) ? 0.0 : x;
}

/* Totals and coverage; for the finest level (from_need) also the gap of
 * each category, while a parent keeps the sum of its children's gaps.  The
 * total gap is the sum of the category gaps, since a surplus of one kind of
 * service does not meet a need for another. */
static void finish_figures(mg_region *r, size_t nc, int from_need)
{
    r->need[nc] = r->supply[nc] = r->gap[nc] = 0;
    r->n_providers[nc] = 0;
    for (size_t c = 0; c < nc; c++) {
        if (from_need)
            r->gap[c] =
                r->need[c] > r->supply[c] ? r->need[c] - r->supply[c] : 0;
        r->need[nc] += r->need[c];
        r->supply[nc] += r->supply[c];
        r->gap[nc] += r->gap[c];
        r->n_providers[nc] += r->n_providers[c];
    }
    for (size_t c = 0; c <= nc; c++)
        r->coverage[c] = r->need[c] > 0 ? r->supply[c] / r->need[c] : NAN;
}

/* Counts or capacities too large for their sum (1e308 + 1e308) make an
 * infinite figure, which only the style's classification would notice:
 * name the input instead, before anything is drawn. */
static int check_finite(const mg_dataset *d, mg_error *err)
{
    const mg_level *l = &d->levels[0];
    size_t nc = d->project->model.n_categories;
    for (size_t i = 0; i < l->n; i++) {
        const mg_region *r = &l->regions[i];
        int need = !isfinite(r->need[nc]) || !isfinite(r->gap[nc]);
        if (!need && isfinite(r->supply[nc]))
            continue;
        return mg_error_set(
            err, MG_ERR_INPUT,
            need ? d->recipients_path : d->providers_path, -1,
            need ? "recipients.group_fields" : "providers.capacity_field",
            "region %s: the sum of its %s overflows (values too large to "
            "add up); check the %s of code %s",
            r->code, need ? "counts times the model's weights" : "capacities",
            need ? "row" : "providers", r->code);
    }
    return MG_OK;
}

int mg_model_compute(mg_dataset *d, mg_error *err)
{
    const mg_model_spec *m = &d->project->model;
    size_t nc = m->n_categories;
    mg_level *l = &d->levels[0];
    for (size_t i = 0; i < l->n; i++) {
        mg_region *r = &l->regions[i];
        for (size_t c = 0; c <= nc; c++) {
            r->need[c] = r->supply[c] = r->gap[c] = 0;
            r->n_providers[c] = 0;
        }
        double sum = 0;
        for (size_t g = 0; g < m->n_groups; g++) {
            double n = or_zero(r->counts[g]);
            sum += n;
            for (size_t c = 0; c < nc; c++)
                r->need[c] += n * m->weights[g * nc + c];
        }
        /* Without a population column, the target population is the sum of
         * the groups. */
        if (!d->project->recipients.population_field)
            r->population = r->has_recipients ? sum : NAN;
    }
    for (size_t k = 0; k < d->n_providers; k++) {
        const mg_provider *v = &d->providers[k];
        if (v->region < 0 || v->category < 0)
            continue;
        mg_region *r = &l->regions[v->region];
        r->supply[v->category] += v->capacity;
        r->n_providers[v->category]++;
    }
    for (size_t i = 0; i < l->n; i++)
        finish_figures(&l->regions[i], nc, 1);
    return check_finite(d, err);
}

/* Adds child's inputs and figures into parent; gaps add up as they are. */
static void add_into(mg_region *parent, const mg_region *child,
                     const mg_model_spec *m)
{
    size_t nc = m->n_categories;
    for (size_t g = 0; g < m->n_groups; g++)
        if (!isnan(child->counts[g]))
            parent->counts[g] = or_zero(parent->counts[g]) + child->counts[g];
    if (!isnan(child->population))
        parent->population = or_zero(parent->population) + child->population;
    parent->has_recipients |= child->has_recipients;
    for (size_t c = 0; c < nc; c++) {
        parent->need[c] += child->need[c];
        parent->supply[c] += child->supply[c];
        parent->gap[c] += child->gap[c];
        parent->n_providers[c] += child->n_providers[c];
    }
}

/* The polygon of a level without a file: the union of its children. */
static int dissolve(mg_geom *g, mg_level *up, const mg_level *l,
                    OGRCoordinateTransformationH to_equal_area)
{
    for (size_t j = 0; j < up->n; j++) {
        mg_region *p = &up->regions[j];
        size_t n = 0;
        for (size_t i = 0; i < l->n; i++)
            n += l->regions[i].parent == (int)j && l->regions[i].wkb;
        GEOSGeometry **parts = calloc(n ? n : 1, sizeof *parts);
        if (!parts)
            return MG_ERR_NOMEM;
        size_t k = 0;
        for (size_t i = 0; i < l->n && k < n; i++) {
            const mg_region *c = &l->regions[i];
            if (c->parent != (int)j || !c->wkb)
                continue;
            parts[k++] = mg_geom_from_wkb(g, c->wkb, c->wkb_size);
        }
        GEOSGeometry *coll = GEOSGeom_createCollection_r(
            g->h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)k);
        free(parts);
        GEOSGeometry *u = coll ? GEOSUnaryUnion_r(g->h, coll) : NULL;
        if (coll)
            GEOSGeom_destroy_r(g->h, coll);
        if (u && !GEOSisEmpty_r(g->h, u))
            p->wkb = mg_geom_to_wkb(g, u, &p->wkb_size);
        /* Children may overlap: the parent's area is its union's. */
        if (p->wkb)
            mg_wkb_area_km2(p->wkb, p->wkb_size, to_equal_area, &p->area_km2);
        if (u)
            GEOSGeom_destroy_r(g->h, u);
        if (!u)
            return MG_ERR_DEPENDENCY;
    }
    return MG_OK;
}

int mg_dataset_rollup(mg_dataset *d, mg_error *err)
{
    const mg_model_spec *m = &d->project->model;
    int rc = MG_OK;
    mg_geom g = {0};
    for (size_t li = 0; !rc && li + 1 < d->n_levels; li++) {
        mg_level *l = &d->levels[li], *up = &d->levels[li + 1];
        for (size_t j = 0; j < up->n; j++) {
            mg_region *p = &up->regions[j];
            for (size_t c = 0; c <= m->n_categories; c++) {
                p->need[c] = p->supply[c] = p->gap[c] = 0;
                p->n_providers[c] = 0;
            }
        }
        for (size_t i = 0; i < l->n; i++)
            if (l->regions[i].parent >= 0)
                add_into(&up->regions[l->regions[i].parent], &l->regions[i],
                         m);
        for (size_t j = 0; j < up->n; j++)
            finish_figures(&up->regions[j], m->n_categories, 0);
        if (d->level_paths[li + 1])
            continue;
        if (!g.h && mg_geom_init(&g) != 0)
            rc = MG_ERR_DEPENDENCY;
        OGRCoordinateTransformationH t = rc ? NULL : mg_equal_area_transform();
        if (!rc && !t)
            rc = MG_ERR_DEPENDENCY;
        if (!rc)
            rc = dissolve(&g, up, l, t);
        if (t)
            OCTDestroyCoordinateTransformation(t);
    }
    if (rc)
        mg_error_set(err, rc, NULL, -1, NULL,
                     "cannot dissolve the regions "
                     "of a parent level: %s",
                     g.h ? g.message : "GEOS");
    mg_geom_clear(&g);
    return rc;
}
