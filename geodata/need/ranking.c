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

static void put_num(FILE *f, double v)
{
    if (!isnan(v))
        fprintf(f, "%.10g", v);
}

static int write_ranked(FILE *f, const mg_level *l, size_t c,
                        const char *category, rank_item *items)
{
    for (size_t i = 0; i < l->n; i++)
        items[i] = (rank_item){&l->regions[i], c};
    qsort(items, l->n, sizeof *items, by_gap);
    size_t rank = 1;
    for (size_t i = 0; i < l->n; i++) {
        const mg_region *r = items[i].r;
        /* Competition ranking: equal gaps share a rank ("1224"). */
        if (i > 0 && r->gap[c] != items[i - 1].r->gap[c])
            rank = i + 1;
        mg_csv_put(f, l->level);
        fputc(',', f);
        mg_csv_put(f, category);
        fprintf(f, ",%zu,", rank);
        mg_csv_put(f, r->code);
        fputc(',', f);
        mg_csv_put(f, r->name);
        fputc(',', f);
        put_num(f, r->population);
        fputc(',', f);
        put_num(f, r->need[c]);
        fputc(',', f);
        put_num(f, r->supply[c]);
        fputc(',', f);
        put_num(f, r->gap[c]);
        fputc(',', f);
        put_num(f, r->coverage[c]);
        fputc(',', f);
        put_num(f, mg_per10k(r->gap[c], r->population));
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

int mg_write_ranking(const mg_dataset *d, const char *path, mg_error *err)
{
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
    if (f)
        fputs("level,category,rank,code,name,population,need,supply,gap,"
              "coverage,gap_per10k\n",
              f);
    for (size_t li = 0; !bad && li < d->n_levels; li++)
        for (size_t k = 0; !bad && k <= m->n_categories; k++) {
            /* The total comes first, then each category. */
            size_t c = k == 0 ? m->n_categories : k - 1;
            bad = write_ranked(f, &d->levels[li], c,
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
