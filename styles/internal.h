/* Helpers shared by the files of styles/; not part of the public API. */
#ifndef MG_STYLES_INTERNAL_H
#define MG_STYLES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "styles/styles.h"

/* The largest zoom a style may name (tiles' MG_TILES_MAX_ZOOM; styles does
 * not include tiles). */
enum { STYLES_MAX_ZOOM = 30 };

/* Fills err (when not NULL) through geodata's mg_error_setv() and returns
 * code; styles' errors name a field but no file or row. */
int styles_fail(mg_error *err, int code, const char *field, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));

/* The finite values of an input, sorted and with ties merged. */
typedef struct styles_sorted {
    double *v;       /* m distinct values, increasing */
    size_t *cum;     /* cum[j]: how many values are <= v[j]; cum[m-1] == n */
    size_t m;        /* distinct values */
    size_t n;        /* finite values */
    size_t n_nan;    /* NaN values skipped */
} styles_sorted;

/* Sorts and merges values[0..n-1] into *s.  Returns MG_OK, MG_ERR_INPUT for
 * an infinite value or MG_ERR_NOMEM.  Free with styles_sorted_clear(), also
 * after a failure. */
int styles_sorted_make(const double *values, size_t n, styles_sorted *s,
                       mg_error *err);
void styles_sorted_clear(styles_sorted *s);

/* Fisher-Jenks: writes the k+1 breaks of s into b.  Requires 2 <= k <= s->m.
 * Returns MG_OK or MG_ERR_NOMEM. */
int styles_jenks(const styles_sorted *s, int k, double *b, mg_error *err);

/* The methods of classify_more.c: the inner breaks b[1..k-1] of data that
 * passed classify.c's checks (b[0] and b[k] hold the extremes; box plot,
 * percentiles and std_mean may widen them).  MG_OK or an MG_ERR_* code. */
double styles_percentile(const styles_sorted *s, double p);
int styles_breaks_quantile_interp(const styles_sorted *s, int k, double *b,
                                  mg_error *err);
int styles_breaks_percentiles(const styles_sorted *s, int k, double *b,
                              mg_error *err);
int styles_breaks_box_plot(const styles_sorted *s, int k, double *b,
                           mg_error *err);
int styles_breaks_std_mean(const styles_sorted *s, int k, double *b,
                           mg_error *err);
int styles_breaks_max_breaks(const styles_sorted *s, int k, double *b,
                             mg_error *err);
int styles_breaks_head_tail(const styles_sorted *s, int k, double *b,
                            mg_error *err);
int styles_breaks_jenks_caspall(const styles_sorted *s, int k, double *b,
                                mg_error *err);

/* One ColorBrewer palette at one colour count, colours as 0xRRGGBB. */
typedef struct styles_palette_row {
    const char *name;
    mg_palette_kind kind;
    int n;
    uint32_t rgb[MG_PALETTE_MAX];
} styles_palette_row;

/* The table, grouped by palette and ordered by n within a palette. */
extern const styles_palette_row styles_palette_rows[];
extern const size_t styles_palette_row_count;

#endif
