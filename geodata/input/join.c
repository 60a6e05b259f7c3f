/* Joining: codes matched across tables, providers placed in regions. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Regions of a level sorted by normalised code, for lookups. */
typedef struct key_entry {
    const char *key;
    size_t index;
} key_entry;

typedef struct key_index {
    key_entry *e;
    size_t n;
} key_index;

static int by_key_then_index(const void *a, const void *b)
{
    const key_entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int key_index_build(key_index *ki, const mg_level *l)
{
    ki->n = l->n;
    ki->e = malloc((l->n ? l->n : 1) * sizeof *ki->e);
    if (!ki->e)
        return MG_ERR_NOMEM;
    for (size_t i = 0; i < l->n; i++)
        ki->e[i] = (key_entry){l->regions[i].key, i};
    qsort(ki->e, ki->n, sizeof *ki->e, by_key_then_index);
    return MG_OK;
}

/* The first region with this normalised key, or -1. */
static long key_index_find(const key_index *ki, const char *key)
{
    size_t lo = 0, hi = ki->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ki->e[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ki->n && strcmp(ki->e[lo].key, key) == 0
               ? (long)ki->e[lo].index
               : -1;
}

/* Unites the polygons of b into a (both WKB in WGS 84). */
static int unite_into(mg_geom *g, mg_region *a, const mg_region *b)
{
    if (!b->wkb)
        return MG_OK;
    if (!a->wkb) {
        a->wkb = malloc(b->wkb_size);
        if (!a->wkb)
            return MG_ERR_NOMEM;
        memcpy(a->wkb, b->wkb, b->wkb_size);
        a->wkb_size = b->wkb_size;
        a->area_km2 = b->area_km2;
        return MG_OK;
    }
    GEOSGeometry *ga = mg_geom_from_wkb(g, a->wkb, a->wkb_size);
    GEOSGeometry *gb = mg_geom_from_wkb(g, b->wkb, b->wkb_size);
    GEOSGeometry *u = ga && gb ? GEOSUnion_r(g->h, ga, gb) : NULL;
    size_t n = 0;
    unsigned char *wkb = u ? mg_geom_to_wkb(g, u, &n) : NULL;
    if (ga)
        GEOSGeom_destroy_r(g->h, ga);
    if (gb)
        GEOSGeom_destroy_r(g->h, gb);
    if (u)
        GEOSGeom_destroy_r(g->h, u);
    if (!wkb)
        return MG_ERR_DEPENDENCY;
    free(a->wkb);
    a->wkb = wkb;
    a->wkb_size = n;
    /* The pieces may overlap (an exact duplicate does): measure the union. */
    OGRCoordinateTransformationH t = mg_equal_area_transform();
    if (!t)
        return MG_ERR_DEPENDENCY;
    mg_wkb_area_km2(wkb, n, t, &a->area_km2);
    OCTDestroyCoordinateTransformation(t);
    return MG_OK;
}

/* Two features with one code are one region in pieces (an island, an
 * exclave): their polygons are united and the later feature is reported. */
static int merge_duplicates(mg_dataset *d, size_t li, mg_geom *g)
{
    mg_level *l = &d->levels[li];
    key_index ki;
    if (key_index_build(&ki, l))
        return MG_ERR_NOMEM;
    char *drop = calloc(l->n ? l->n : 1, 1);
    int rc = drop ? MG_OK : MG_ERR_NOMEM;
    for (size_t i = 1; !rc && i < ki.n; i++) {
        size_t first = i - 1;
        while (first > 0 && strcmp(ki.e[first - 1].key, ki.e[i].key) == 0)
            first--;
        if (strcmp(ki.e[first].key, ki.e[i].key) != 0)
            continue;
        mg_region *a = &l->regions[ki.e[first].index];
        mg_region *b = &l->regions[ki.e[i].index];
        char action[160];
        snprintf(action, sizeof action,
                 "merged into the region of feature %ld (polygons united)",
                 a->fid);
        rc = mg_report_add(&d->report, d->level_paths[li], b->fid,
                           d->project->levels[li].code_field, b->code,
                           "duplicate region code", action);
        if (!rc)
            rc = unite_into(g, a, b);
        drop[ki.e[i].index] = 1;
    }
    size_t kept = 0;
    for (size_t i = 0; !rc && i < l->n; i++) {
        if (drop[i])
            region_clear(&l->regions[i]);
        else
            l->regions[kept++] = l->regions[i];
    }
    if (!rc)
        l->n = kept;
    free(drop);
    free(ki.e);
    return rc;
}

/* Builds a level that has no file from the parent codes of its children:
 * one region per distinct normalised code, in code order. */
static int build_dissolved_level(mg_dataset *d, size_t li)
{
    const mg_level *child = &d->levels[li - 1];
    mg_level *l = &d->levels[li];
    const mg_model_spec *m = &d->project->model;
    key_entry *e = calloc(child->n ? child->n : 1, sizeof *e);
    char **keys = calloc(child->n ? child->n : 1, sizeof *keys);
    l->regions = calloc(child->n ? child->n : 1, sizeof *l->regions);
    int rc = e && keys && l->regions ? MG_OK : MG_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; !rc && i < child->n; i++) {
        char key[256];
        if (mg_code_normalise(child->regions[i].parent_code, key, sizeof key) <
            0)
            continue;
        if (!(keys[n] = strdup(key)))
            rc = MG_ERR_NOMEM;
        else
            e[n] = (key_entry){keys[n], i}, n++;
    }
    if (!rc)
        qsort(e, n, sizeof *e, by_key_then_index);
    for (size_t i = 0; !rc && i < n; i++) {
        if (i > 0 && strcmp(e[i - 1].key, e[i].key) == 0)
            continue;
        const mg_region *c = &child->regions[e[i].index];
        mg_region *r = &l->regions[l->n++];
        rc = mg_region_alloc_figures(r, m->n_groups, m->n_categories);
        r->fid = -1;
        r->code = strdup(c->parent_code);
        r->key = strdup(e[i].key);
        /* The first child's parent_name_field names it (children in
         * file order), else the code does. */
        r->name = strdup(c->parent_name ? c->parent_name : c->parent_code);
        if (!rc && (!r->code || !r->key || !r->name))
            rc = MG_ERR_NOMEM;
    }
    for (size_t i = 0; keys && i < n; i++)
        free(keys[i]);
    free(keys);
    free(e);
    return rc;
}

static int link_parents(mg_dataset *d, size_t li)
{
    mg_level *l = &d->levels[li], *up = &d->levels[li + 1];
    const char *field = d->project->levels[li].parent_code_field;
    key_index ki;
    if (key_index_build(&ki, up))
        return MG_ERR_NOMEM;
    char *used = calloc(up->n ? up->n : 1, 1);
    int rc = used ? MG_OK : MG_ERR_NOMEM;
    for (size_t i = 0; !rc && i < l->n; i++) {
        mg_region *r = &l->regions[i];
        char key[256];
        if (mg_code_normalise(r->parent_code, key, sizeof key) < 0)
            continue; /* reported when read */
        long p = key_index_find(&ki, key);
        r->parent = (int)p;
        if (p >= 0)
            used[p] = 1;
        else
            rc = mg_report_addf(&d->report, d->level_paths[li], r->fid, field,
                                "parent code not found in the parent level",
                                "region not rolled up", "%s", r->parent_code);
    }
    for (size_t j = 0; !rc && j < up->n; j++)
        if (!used[j])
            rc = mg_report_add(
                &d->report, d->level_paths[li + 1], up->regions[j].fid,
                d->project->levels[li + 1].code_field, up->regions[j].code,
                "no region of the level below has this code",
                "region kept with zero figures");
    free(used);
    free(ki.e);
    return rc;
}

static int match_recipients(mg_dataset *d, const key_index *ki)
{
    mg_level *l = &d->levels[0];
    const mg_project *p = d->project;
    const char *field = p->recipients.code_field;
    long *row_of = malloc((l->n ? l->n : 1) * sizeof *row_of);
    int rc = row_of ? MG_OK : MG_ERR_NOMEM;
    for (size_t i = 0; i < l->n && row_of; i++)
        row_of[i] = -1;
    for (size_t k = 0; !rc && k < d->n_recipients; k++) {
        mg_recipient_row *row = &d->recipients[k];
        if (!row->key)
            continue; /* blank code, reported when read */
        long i = key_index_find(ki, row->key);
        if (i < 0) {
            rc = mg_report_add(
                &d->report, d->recipients_path, row->fid, field, row->code,
                "no region with this code in the boundaries", "row ignored");
            continue;
        }
        mg_region *r = &l->regions[i];
        if (row_of[i] >= 0) {
            char action[128];
            snprintf(action, sizeof action,
                     "row ignored; the first row (%ld) is kept", row_of[i]);
            rc = mg_report_add(
                &d->report, d->recipients_path, row->fid, field, row->code,
                "duplicate code in the recipient table", action);
            continue;
        }
        row_of[i] = row->fid;
        r->has_recipients = 1;
        memcpy(r->counts, row->counts, p->model.n_groups * sizeof *r->counts);
        r->population = row->population;
    }
    for (size_t i = 0; !rc && i < l->n; i++)
        if (row_of[i] < 0)
            rc =
                mg_report_add(&d->report, d->level_paths[0], l->regions[i].fid,
                              p->levels[0].code_field, l->regions[i].code,
                              "region has no row in the recipient table",
                              "need counted as 0");
    free(row_of);
    return rc;
}

static const char *region_label(const mg_level *l, long i, char *buf, size_t n)
{
    snprintf(buf, n, "%s (%s)", l->regions[i].name, l->regions[i].code);
    return buf;
}

/* The record names the parent region (a county, say) the provider is in;
 * a different one than where its point lies is a geocoding error. */
static int check_parent_name(mg_dataset *d, const mg_provider *v)
{
    const mg_level *l = &d->levels[0];
    if (!v->parent_name || v->region < 0)
        return MG_OK;
    const mg_region *r = &l->regions[v->region];
    const mg_region *up = r->parent >= 0 && d->n_levels > 1
                              ? &d->levels[1].regions[r->parent]
                              : r;
    char a[256], b[256], c[256];
    if (mg_name_normalise(v->parent_name, a, sizeof a) < 0 ||
        (mg_name_normalise(up->name, b, sizeof b) >= 0 && strcmp(a, b) == 0))
        return MG_OK;
    if (mg_code_normalise(v->parent_name, c, sizeof c) >= 0 &&
        strcmp(c, up->key) == 0)
        return MG_OK;
    char value[640];
    snprintf(value, sizeof value, "record: %s; point in: %s (%s)",
             v->parent_name, up->name, up->code);
    return mg_report_add(&d->report, d->providers_path, v->fid,
                         d->project->providers.parent_name_field, value,
                         "the point lies in another parent region than the "
                         "record names",
                         "counted where the point lies");
}

static int place_by_code(mg_dataset *d, const key_index *ki, mg_provider *v,
                         long by_loc, int *placed)
{
    const mg_level *l = &d->levels[0];
    const char *field = d->project->providers.region_code_field;
    char key[256], where[320], value[640];
    long i = mg_code_normalise(v->region_code_raw, key, sizeof key) < 0
                 ? -1
                 : key_index_find(ki, key);
    *placed = 0;
    if (i < 0)
        return mg_report_add(
            &d->report, d->providers_path, v->fid, field, v->region_code_raw,
            v->region_code_raw ? "region code not found in the boundaries"
                               : "blank region code",
            by_loc >= 0 ? "placed by its location"
                        : "not placed in any region");
    *placed = 1;
    v->region = (int)i;
    v->placement = "code";
    if (by_loc < 0 || by_loc == i)
        return MG_OK;
    snprintf(value, sizeof value, "code %s; point in: %s", v->region_code_raw,
             region_label(l, by_loc, where, sizeof where));
    return mg_report_add(&d->report, d->providers_path, v->fid, field, value,
                         "the point lies outside the region of its code",
                         "counted in the region of its code");
}

static int place_provider(mg_dataset *d, const key_index *ki, mg_locator *loc,
                          mg_provider *v)
{
    long by_loc = isnan(v->lon) ? -2 : mg_locator_find(loc, v->lon, v->lat);
    int rc = MG_OK, placed = 0;
    if (d->project->providers.region_code_field)
        rc = place_by_code(d, ki, v, by_loc, &placed);
    if (rc || placed)
        return rc;
    if (by_loc == -1)
        return mg_report_addf(&d->report, d->providers_path, v->fid,
                              d->project->providers.lon_field
                                  ? d->project->providers.lon_field
                                  : "geometry",
                              "point lies outside every region",
                              "kept without a region; not counted in supply",
                              "%.6f %.6f", v->lon, v->lat);
    if (by_loc >= 0) {
        v->region = (int)by_loc;
        v->placement = "location";
    }
    return MG_OK;
}

static int place_providers(mg_dataset *d, const key_index *ki,
                           mg_progress_fn progress, void *user, mg_error *err)
{
    mg_locator *loc = NULL;
    if (d->n_providers == 0) /* no register: no index of the regions */
        return MG_OK;
    int rc = mg_locator_new(&d->levels[0], &loc);
    if (rc)
        mg_error_set(err, rc, d->level_paths[0], -1, NULL,
                     "cannot index the regions: %s", mg_strerror(rc));
    for (size_t k = 0; !rc && k < d->n_providers; k++) {
        rc = place_provider(d, ki, loc, &d->providers[k]);
        if (!rc)
            rc = check_parent_name(d, &d->providers[k]);
        if (!rc && (k & 1023) == 1023 && progress &&
            !progress((double)k / (double)d->n_providers, "placing providers",
                      user))
            rc = MG_ERR_INTERRUPTED;
        if (!rc && mg_interrupted)
            rc = MG_ERR_INTERRUPTED;
        if (rc)
            mg_error_set(err, rc, d->providers_path, -1, NULL, "%s",
                         mg_strerror(rc));
    }
    mg_locator_free(loc);
    return rc;
}

int mg_dataset_join(mg_dataset *d, mg_progress_fn progress, void *user,
                    mg_error *err)
{
    mg_geom g;
    if (mg_geom_init(&g) != 0)
        return mg_error_set(err, MG_ERR_DEPENDENCY, NULL, -1, NULL,
                            "cannot initialise GEOS");
    int rc = MG_OK;
    for (size_t li = 0; !rc && li < d->n_levels; li++)
        rc = d->level_paths[li] ? merge_duplicates(d, li, &g)
                                : build_dissolved_level(d, li);
    for (size_t li = 0; !rc && li + 1 < d->n_levels; li++)
        rc = link_parents(d, li);
    key_index ki = {0};
    if (!rc)
        rc = key_index_build(&ki, &d->levels[0]);
    if (!rc && d->project->recipients.path)
        rc = match_recipients(d, &ki);
    if (rc && !err->message[0])
        mg_error_set(err, rc, NULL, -1, NULL, "%s: %s", mg_strerror(rc),
                     g.message);
    if (!rc)
        rc = place_providers(d, &ki, progress, user, err);
    free(ki.e);
    mg_geom_clear(&g);
    return rc;
}
