/* Regions that do not match by code across two periods: appeared,
 * disappeared, and, from their polygons, split or merged. */
#include "change_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Share of the smaller polygon that two must overlap by to be the same
 * ground (a split's part, a merge's source) rather than neighbours whose
 * borders were redrawn. */
#define CHANGE_OVERLAP_SHARE 0.2

typedef struct unmatched {
    const mg_level *l;
    size_t *idx; /* regions with no match in the other period */
    size_t n;
    GEOSGeometry **geom;
} unmatched;

static int collect(const mg_level *l, const mg_level *other, unmatched *u)
{
    mg_code_index ci = {0};
    const char **codes = malloc((other->n ? other->n : 1) * sizeof *codes);
    u->l = l;
    u->idx = malloc((l->n ? l->n : 1) * sizeof *u->idx);
    int rc = codes && u->idx ? MG_OK : MG_ERR_NOMEM;
    for (size_t i = 0; !rc && i < other->n; i++)
        codes[i] = other->regions[i].code;
    if (!rc)
        rc = mg_code_index_build(&ci, (const char *const *)codes, other->n);
    for (size_t i = 0; !rc && i < l->n; i++)
        if (mg_code_index_find(&ci, l->regions[i].code) < 0)
            u->idx[u->n++] = i;
    mg_code_index_free(&ci);
    free(codes);
    return rc;
}

static int load_geoms(mg_geom *g, unmatched *u)
{
    u->geom = calloc(u->n ? u->n : 1, sizeof *u->geom);
    if (!u->geom)
        return MG_ERR_NOMEM;
    for (size_t i = 0; i < u->n; i++) {
        const mg_region *r = &u->l->regions[u->idx[i]];
        if (r->wkb)
            u->geom[i] = mg_geom_from_wkb(g, r->wkb, r->wkb_size);
    }
    return MG_OK;
}

static void free_unmatched(mg_geom *g, unmatched *u)
{
    for (size_t i = 0; u->geom && i < u->n; i++)
        if (u->geom[i])
            GEOSGeom_destroy_r(g->h, u->geom[i]);
    free(u->geom);
    free(u->idx);
}

/* 1 when x and y share enough ground. */
static int overlaps(mg_geom *g, const GEOSGeometry *x, const GEOSGeometry *y)
{
    double ax = 0, ay = 0, ai = 0;
    if (!x || !y || GEOSIntersects_r(g->h, x, y) != 1)
        return 0;
    GEOSGeometry *i = GEOSIntersection_r(g->h, x, y);
    if (!i)
        return 0;
    GEOSArea_r(g->h, i, &ai);
    GEOSArea_r(g->h, x, &ax);
    GEOSArea_r(g->h, y, &ay);
    GEOSGeom_destroy_r(g->h, i);
    double small = fmin(ax, ay);
    return small > 0 && ai >= CHANGE_OVERLAP_SHARE * small;
}

/* The codes of the regions of o that region i of u overlaps, "a, b". */
static size_t partners(mg_geom *g, const unmatched *u, size_t i,
                       const unmatched *o, char *list, size_t n, size_t *one)
{
    size_t k = 0, len = 0;
    list[0] = '\0';
    for (size_t j = 0; j < o->n; j++)
        if (overlaps(g, u->geom[i], o->geom[j])) {
            *one = j;
            len += (size_t)snprintf(list + len, len < n ? n - len : 0, "%s%s",
                                    k ? ", " : "",
                                    o->l->regions[o->idx[j]].code);
            len = len < n ? len : n - 1;
            k++;
        }
    return k;
}

/* One row per unmatched region of u: disappeared (old) or appeared. */
static int report_side(mg_geom *g, const unmatched *u, const unmatched *o,
                       int is_old, const char *la, const char *lb,
                       mg_report *rep)
{
    int rc = MG_OK;
    for (size_t i = 0; !rc && i < u->n; i++) {
        char list[512], problem[800];
        const mg_region *r = &u->l->regions[u->idx[i]];
        size_t one = 0;
        size_t k = partners(g, u, i, o, list, sizeof list, &one);
        /* One partner that has several on this side: a part of a split
         * or of a merge, seen from the part. */
        char back[512];
        size_t kb = k == 1 ? partners(g, o, one, u, back, sizeof back, &one)
                           : 0;
        if (k >= 2 && is_old)
            snprintf(problem, sizeof problem, "region split into %s in %s",
                     list, lb);
        else if (k >= 2)
            snprintf(problem, sizeof problem, "region merged from %s of %s",
                     list, la);
        else if (kb >= 2)
            snprintf(problem, sizeof problem, "region %s %s in %s",
                     is_old ? "merged into" : "split from", list,
                     is_old ? lb : la);
        else if (k == 1)
            snprintf(problem, sizeof problem,
                     "region's code changed: it is %s in %s", list,
                     is_old ? lb : la);
        else
            snprintf(problem, sizeof problem, "region %s in %s",
                     is_old ? "disappeared" : "appeared", is_old ? lb : la);
        char where[160];
        snprintf(where, sizeof where, "%s (level %s, %s)", r->code,
                 u->l->level, is_old ? la : lb);
        rc = mg_report_add(rep, NULL, r->fid, "periods", where, problem,
                           "left out of the change figures");
    }
    return rc;
}

int change_report_unmatched(const mg_dataset *a, const mg_dataset *b,
                            size_t la, size_t lb, const char *label_a,
                            const char *label_b, mg_report *report)
{
    unmatched ua = {0}, ub = {0};
    mg_geom g = {0};
    int rc = collect(&a->levels[la], &b->levels[lb], &ua);
    if (!rc)
        rc = collect(&b->levels[lb], &a->levels[la], &ub);
    if (!rc && (ua.n || ub.n) && mg_geom_init(&g) != 0)
        rc = MG_ERR_NOMEM;
    if (!rc && (ua.n || ub.n))
        rc = load_geoms(&g, &ua);
    if (!rc && (ua.n || ub.n))
        rc = load_geoms(&g, &ub);
    if (!rc)
        rc = report_side(&g, &ua, &ub, 1, label_a, label_b, report);
    if (!rc)
        rc = report_side(&g, &ub, &ua, 0, label_a, label_b, report);
    free_unmatched(&g, &ua);
    free_unmatched(&g, &ub);
    mg_geom_clear(&g);
    return rc;
}
