/* The ranking CSV: regions ordered by unmet need. */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* qsort has no user pointer in C11; sort an array of pairs instead. */
typedef struct rank_item {
    const mg_region *r;
    size_t c;
} rank_item;

/* Larger gap first, then larger need, then code, so the order is total. */
static int by_gap(const void *a, const void *b)
{
    const rank_item *x = a, *y = b;
    double gx = x->r->gap[x->c], gy = y->r->gap[y->c];
    if (gx != gy)
        return gx < gy ? 1 : -1;
    double nx = x->r->need[x->c], ny = y->r->need[y->c];
    if (nx != ny)
        return nx < ny ? 1 : -1;
    return strcmp(x->r->code, y->r->code);
}

/* The region's parent in the next level up, NULL at the top. */
static const mg_region *parent_of(const mg_dataset *d, size_t li,
                                  const mg_region *r)
{
    if (li + 1 >= d->n_levels || r->parent < 0 ||
        (size_t)r->parent >= d->levels[li + 1].n)
        return NULL;
    return &d->levels[li + 1].regions[r->parent];
}

/* One row.  Counts (people, places) are whole numbers and rates have two
 * decimals: the GeoPackage keeps the full precision. */
static void write_row(FILE *f, const mg_csv_format *fmt, const mg_dataset *d,
                      size_t li, const mg_region *r, size_t c,
                      const char *category, size_t rank)
{
    const mg_region *up = parent_of(d, li, r);
    mg_csv_text(f, fmt, d->levels[li].level, 1);
    mg_csv_text(f, fmt, category, 0);
    mg_csv_num(f, fmt, (double)rank, 0);
    mg_csv_text(f, fmt, r->code, 0);
    mg_csv_text(f, fmt, r->name, 0);
    mg_csv_text(f, fmt, up ? up->code : r->parent_code, 0);
    mg_csv_text(f, fmt, up ? up->name : NULL, 0);
    mg_csv_num(f, fmt, r->population, 0);
    mg_csv_num(f, fmt, r->need[c], 0);
    mg_csv_num(f, fmt, r->supply[c], 0);
    mg_csv_num(f, fmt, r->gap[c], 0);
    mg_csv_num(f, fmt, r->coverage[c], 2);
    mg_csv_num(f, fmt, mg_per10k(r->gap[c], r->population), 2);
    fputc('\n', f);
}

static int write_ranked(FILE *f, const mg_csv_format *fmt,
                        const mg_dataset *d, size_t li, size_t c,
                        const char *category, rank_item *items)
{
    const mg_level *l = &d->levels[li];
    for (size_t i = 0; i < l->n; i++)
        items[i] = (rank_item){&l->regions[i], c};
    qsort(items, l->n, sizeof *items, by_gap);
    size_t rank = 1;
    for (size_t i = 0; i < l->n; i++) {
        const mg_region *r = items[i].r;
        /* Competition ranking: equal gaps share a rank ("1224"). */
        if (i > 0 && r->gap[c] != items[i - 1].r->gap[c])
            rank = i + 1;
        write_row(f, fmt, d, li, r, c, category, rank);
    }
    return ferror(f) ? -1 : 0;
}

int mg_write_ranking(const mg_dataset *d, const char *path,
                     const mg_csv_format *fmt, mg_error *err)
{
    if (!fmt)
        fmt = &mg_csv_plain;
    const mg_model_spec *m = &d->project->model;
    size_t most = 1;
    for (size_t li = 0; li < d->n_levels; li++)
        if (d->levels[li].n > most)
            most = d->levels[li].n;
    rank_item *items = malloc(most * sizeof *items);
    if (!items)
        return mg_error_nomem(err, path);
    errno = 0;
    FILE *f = fopen(path, "w");
    int bad = !f;
    if (f) {
        mg_csv_begin(f, fmt);
        mg_csv_header(f, fmt,
                      "level,category,rank,code,name,parent_code,"
                      "parent_name,population,need,supply,gap,coverage,"
                      "gap_per10k");
    }
    for (size_t li = 0; !bad && li < d->n_levels; li++)
        for (size_t k = 0; !bad && k <= m->n_categories; k++) {
            /* The total comes first, then each category. */
            size_t c = k == 0 ? m->n_categories : k - 1;
            bad = write_ranked(f, fmt, d, li, c,
                               k == 0 ? "total" : m->categories[c], items);
        }
    if (f && fclose(f) != 0)
        bad = 1;
    free(items);
    if (bad)
        return mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                            "cannot write the ranking: %s",
                            errno ? strerror(errno) : "write error");
    return MG_OK;
}
