/* reports/change.csv: the regions from most improved to most
 * deteriorated, for each pair of periods, level and figure. */
#include "change_internal.h"

#include <cpl_string.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The change's order key: improvement first.  abs signed by direction,
 * so the most improved region is the largest. */
static double gain(const mg_change_row *r)
{
    if (isnan(r->abs))
        return NAN;
    return change_higher_is_better(r->figure) ? r->abs : -r->abs;
}

static int by_group_then_gain(const void *pa, const void *pb)
{
    const mg_change_row *a = *(const mg_change_row *const *)pa,
                        *b = *(const mg_change_row *const *)pb;
    if (a->from != b->from || a->to != b->to)
        return a->to != b->to ? (a->to < b->to ? -1 : 1)
                              : (a->from > b->from ? -1 : 1);
    int c = strcmp(a->level, b->level);
    if (!c)
        c = a->figure_index != b->figure_index
                ? (a->figure_index < b->figure_index ? -1 : 1)
                : 0;
    if (c)
        return c;
    double x = gain(a), y = gain(b);
    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (!isnan(x) && x != y)
        return x > y ? -1 : 1;
    return strcmp(a->code, b->code);
}

/* The figures at full precision: a change is read to its last digit. */
static void put_num(FILE *f, const mg_csv_format *fmt, double v)
{
    mg_csv_num(f, fmt, v, MG_CSV_FULL);
}

static void put_row(FILE *f, const mg_csv_format *fmt, const mg_change *c,
                    const mg_change_row *r, size_t order)
{
    const mg_period *a = &c->ps->items[r->from], *b = &c->ps->items[r->to];
    mg_csv_text(f, fmt, a->label, 1);
    mg_csv_text(f, fmt, b->label, 0);
    put_num(f, fmt, b->year - a->year);
    mg_csv_text(f, fmt, r->level, 0);
    mg_csv_text(f, fmt, r->code, 0);
    mg_csv_text(f, fmt, r->name, 0);
    mg_csv_text(f, fmt, r->figure, 0);
    const double nums[] = {r->x1,  r->x2,     r->abs,
                           r->rel, r->abs_pa, r->rel_pa};
    for (size_t k = 0; k < 6; k++)
        put_num(f, fmt, nums[k]);
    mg_csv_text(f, fmt,
                r->better > 0   ? "improved"
                : r->better < 0 ? "deteriorated"
                : isnan(r->abs) ? ""
                                : "unchanged",
                0);
    mg_csv_num(f, fmt, (double)order, 0);
    const double se[3] = {r->se1, r->se2, r->se_abs};
    int af = change_family_of(r->figure) == MG_CHANGE_AF;
    for (size_t k = 0; k < 3; k++)
        if (r->has_se)
            put_num(f, fmt, se[k]);
        else
            mg_csv_text(f, fmt, af ? "no SE" : NULL, 0);
    fputc('\n', f);
}

int mg_change_write_csv(const mg_change *c, const char *path,
                        const mg_csv_format *fmt, mg_error *err)
{
    const mg_change_row **o = malloc((c->n ? c->n : 1) * sizeof *o);
    if (!o)
        return mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL,
                            "out of memory");
    for (size_t i = 0; i < c->n; i++)
        o[i] = &c->rows[i];
    qsort(o, c->n, sizeof *o, by_group_then_gain);
    errno = 0;
    FILE *f = fopen(path, "w");
    if (f) {
        mg_csv_begin(f, fmt);
        mg_csv_header(f, fmt,
                      "from,to,years,level,code,name,figure,from_value,"
                      "to_value,abs_change,rel_change_pct,abs_change_pa,"
                      "rel_change_pa_pct,direction,order,from_se,to_se,"
                      "abs_change_se");
        size_t order = 0;
        for (size_t i = 0; i < c->n; i++) {
            order = i && o[i]->figure_index == o[i - 1]->figure_index &&
                            o[i]->from == o[i - 1]->from &&
                            o[i]->to == o[i - 1]->to &&
                            !strcmp(o[i]->level, o[i - 1]->level)
                        ? order + 1
                        : 1;
            put_row(f, fmt, c, o[i], order);
        }
    }
    int bad = !f || ferror(f);
    if (f && fclose(f) != 0)
        bad = 1;
    free(o);
    if (bad)
        return mg_error_set(err, MG_ERR_OUTPUT, path, -1, NULL,
                            "cannot write: %s",
                            errno ? strerror(errno) : "write error");
    return MG_OK;
}

/* ---- the "change" table of the GeoPackage ------------------------------- */

static int add_field(OGRLayerH l, const char *name, OGRFieldType type)
{
    OGRFieldDefnH f = OGR_Fld_Create(name, type);
    OGRErr e = OGR_L_CreateField(l, f, 1);
    OGR_Fld_Destroy(f);
    return e == OGRERR_NONE ? 0 : -1;
}

static const char *const text_fields[] = {"from_period", "to_period"};
static const char *const key_fields[] = {"level", "code", "name", "figure"};
static const char *const num_fields[] = {
    "from_value",    "to_value",         "abs_change", "rel_change_pct",
    "abs_change_pa", "rel_change_pa_pct"};

static int change_fields(OGRLayerH l)
{
    int bad = 0;
    for (size_t i = 0; i < 2; i++)
        bad |= add_field(l, text_fields[i], OFTString);
    bad |= add_field(l, "years", OFTReal);
    for (size_t i = 0; i < 4; i++)
        bad |= add_field(l, key_fields[i], OFTString);
    for (size_t i = 0; i < 6; i++)
        bad |= add_field(l, num_fields[i], OFTReal);
    bad |= add_field(l, "direction", OFTString);
    bad |= add_field(l, "from_se", OFTReal);
    bad |= add_field(l, "to_se", OFTReal);
    bad |= add_field(l, "abs_change_se", OFTReal);
    return bad;
}

static int change_feature(OGRLayerH l, const mg_change *c,
                          const mg_change_row *r)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    const mg_period *a = &c->ps->items[r->from], *b = &c->ps->items[r->to];
    const char *text[] = {a->label, b->label};
    const char *keys[] = {r->level, r->code, r->name, r->figure};
    const double nums[] = {r->x1,  r->x2,     r->abs,
                           r->rel, r->abs_pa, r->rel_pa};
    int i = 0;
    for (size_t k = 0; k < 2; k++)
        OGR_F_SetFieldString(f, i++, text[k]);
    OGR_F_SetFieldDouble(f, i++, b->year - a->year);
    for (size_t k = 0; k < 4; k++, i++)
        if (keys[k])
            OGR_F_SetFieldString(f, i, keys[k]);
    for (size_t k = 0; k < 6; k++, i++)
        if (isnan(nums[k]))
            OGR_F_SetFieldNull(f, i);
        else
            OGR_F_SetFieldDouble(f, i, nums[k]);
    if (r->better || !isnan(r->abs))
        OGR_F_SetFieldString(f, i, r->better > 0   ? "improved"
                                   : r->better < 0 ? "deteriorated"
                                                   : "unchanged");
    const double se[3] = {r->se1, r->se2, r->se_abs};
    for (size_t k = 0; k < 3; k++)
        if (r->has_se && !isnan(se[k]))
            OGR_F_SetFieldDouble(f, i + 1 + (int)k, se[k]);
    OGRErr e = OGR_L_CreateFeature(l, f);
    OGR_F_Destroy(f);
    return e == OGRERR_NONE ? 0 : -1;
}

int mg_change_write_layer(GDALDatasetH ds, const mg_change *c)
{
    char **opts = CSLSetNameValue(NULL, "FID", "fid");
    opts = CSLSetNameValue(opts, "DESCRIPTION",
                           "Change of every figure between periods "
                           "(docs/change.md): one row per pair of periods, "
                           "level, region and figure");
    OGRLayerH l = GDALDatasetCreateLayer(ds, "change", NULL, wkbNone, opts);
    CSLDestroy(opts);
    int bad = !l || change_fields(l);
    for (size_t i = 0; !bad && i < c->n; i++)
        bad = change_feature(l, c, &c->rows[i]);
    return bad ? -1 : 0;
}
