/*
 * change — several periods of the same figures in one project, and the
 * change between them (docs/change.md).
 *
 *   mg_periods_section_parse()  "periods" of the project file ->
 *                               mg_periods_spec (project->periods)
 *   (mapgen)                    one mg_project and one data set per
 *                               period: the base project with the period's
 *                               overrides merged in
 *   mg_change_pool()            min-max of the composite index pooled over
 *                               every period (so scores are comparable)
 *   mg_change_harmonised()      whether two periods' definitions of a
 *                               family of figures are the same, and if not,
 *                               the difference in words
 *   mg_change_compute()         regions matched by code across periods; the
 *                               changes for each pair of consecutive
 *                               periods and first -> last; regions that
 *                               appear, disappear, split or merge go to the
 *                               join report and are left out
 *   mg_change_write_csv()       reports/change.csv
 *
 * For a pair of periods (x1 in year t1, x2 in year t2, dt = t2 - t1):
 *   abs     = x2 - x1
 *   rel     = (x2 - x1) / x1 * 100          (NULL when x1 is 0)
 *   abs_pa  = abs / dt
 *   rel_pa  = ((x2 / x1)^(1 / dt) - 1) * 100 (OPHI's annualised relative
 *             change; NULL when x1 <= 0 or x2 < 0)
 * Ranks and grades get abs (rank movement) only.
 *
 * Threads: as the rest of geodata.
 */
#ifndef MG_GEODATA_CHANGE_H
#define MG_GEODATA_CHANGE_H

#include <stddef.h>

#include "geodata/poverty.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One period: its label, when it is, and the keys of the project that
 * differ in it. */
typedef struct mg_period {
    char *label;         /* "2011"; [A-Za-z0-9_.-], names layers */
    double year;         /* "year", or "date" as a decimal year */
    json_t *overrides;   /* recipients, providers, boundaries, poverty
                            (a new reference; merged over the base) */
    mg_project *project; /* the period's own project (filled by mapgen,
                            freed with the spec) */
} mg_period;

/* The "periods" section (docs/project-file.md). */
typedef struct mg_periods_spec {
    mg_period *items; /* in time order, at least 2 */
    size_t n;
    int pooled;       /* "normalisation": "pooled" (1, the default) or
                         "as_given" (0) */
    char **maps;      /* "change_maps": figures with a change map */
    size_t n_maps;
    char *palette;    /* "palette": a diverging palette, "RdBu" */
} mg_periods_spec;

void mg_periods_spec_free(mg_periods_spec *s);

/* The section's parse() and clear() for mg_project_load(). */
int mg_periods_section_parse(mg_spec *s, json_t *v, mg_project *p);
void mg_periods_section_clear(mg_project *p);

/* Families of figures whose definitions are checked for harmonisation. */
typedef enum mg_change_family {
    MG_CHANGE_MODEL,     /* need, supply, gap, coverage */
    MG_CHANGE_COMPOSITE, /* poverty_index, grade, rank, dim_* */
    MG_CHANGE_AF,        /* af_h, af_a, af_m0, af_<j>_censored_h */
    MG_CHANGE_N_FAMILIES
} mg_change_family;

/* 1 when the definitions of family f are the same in projects a and b
 * (labels la, lb for the message); else 0 with why naming the first
 * difference ("poverty.alkire_foster.indicators[0] (water): cutoff 1 in
 * 2011, 2 in 2015"). */
int mg_change_harmonised(const mg_project *a, const mg_project *b,
                         const char *la, const char *lb, mg_change_family f,
                         char *why, size_t n);

/* Pooled min-max: for each "minmax" indicator of the composite index, the
 * lowest and highest raw value (ind_<i>_value) over every period's regions
 * of the poverty level; the period's indicator then becomes "goalposts"
 * at those bounds, which min-max over the pool is.  Called between a first
 * mg_poverty_compute() of every period and the one that counts.  Returns
 * MG_OK or MG_ERR_NOMEM. */
int mg_change_pool(mg_dataset *const *d, size_t n, mg_error *err);

/* One change figure of one region for one pair of periods. */
typedef struct mg_change_row {
    size_t from, to;    /* period indices */
    const char *level;  /* names in the data sets (not owned) */
    const char *code;   /* as in the later period */
    const char *name;
    const char *figure; /* owned by mg_change */
    size_t figure_index; /* in mg_change.figures */
    double x1, x2, abs, rel, abs_pa, rel_pa; /* NAN: NULL */
    int better;         /* +1 improved, -1 deteriorated, 0 unchanged/NULL */
    int has_se;         /* an AF figure from weighted records: the SEs */
    double se1, se2, se_abs; /* se_abs = sqrt(se1^2 + se2^2): the two
                                periods' samples are independent */
} mg_change_row;

typedef struct mg_change {
    mg_change_row *rows;
    size_t n, cap;
    char **figures; /* owned names the rows point at */
    size_t n_figures;
    const mg_periods_spec *ps; /* the periods (not owned) */
    mg_dataset *const *d;      /* their data sets (not owned) */
} mg_change;

/* The change of x1 -> x2 over dt years into r (abs, rel, abs_pa,
 * rel_pa); rank_like: abs only.  higher_is_better sets r->better. */
void mg_change_figure(double x1, double x2, double dt, int rank_like,
                      int higher_is_better, mg_change_row *r);

/* Matches regions by code, level by level, across the n data sets (time
 * order) and computes every change figure (need, supply, gap, coverage
 * per category and total; the composite score, grade and rank; the AF
 * figures) for each pair of consecutive periods and, with 3 periods or
 * more, first -> last.  A family not harmonised between two periods is
 * refused for that pair: a join-report row says why.  Regions without a
 * match, and splits and merges, are reported in the last data set's
 * report and left out.  The first -> last changes of the spec's
 * change_maps figures become columns chg_<figure>_abs, _rel, _abs_pa,
 * _rel_pa of the last data set's levels.  Returns MG_OK or MG_ERR_NOMEM. */
int mg_change_compute(const mg_periods_spec *ps, mg_dataset *const *d,
                      mg_change *out, mg_error *err);

void mg_change_clear(mg_change *c);

/* reports/change.csv: for each pair, level and figure, the regions from
 * most improved to most deteriorated.  Columns:
 *   from,to,years,level,code,name,figure,from_value,to_value,abs_change,
 *   rel_change_pct,abs_change_pa,rel_change_pa_pct,direction,order,
 *   from_se,to_se,abs_change_se
 * (the SEs of the AF figures, "no SE" for those without sampling weights;
 * empty for the other figures), figures to 10 significant digits, in fmt
 * (&mg_csv_plain: RFC 4180; `mapgen run --csv`).
 * Returns MG_OK or MG_ERR_OUTPUT. */
int mg_change_write_csv(const mg_change *c, const char *path,
                        const mg_csv_format *fmt, mg_error *err);

/* The same rows as a table "change" (no geometry) of the GeoPackage open
 * in ds (docs/change.md).  Inside the GDAL boundary; returns 0, or -1
 * with GDAL's error set. */
int mg_change_write_layer(GDALDatasetH ds, const mg_change *c);

#ifdef __cplusplus
}
#endif
#endif
