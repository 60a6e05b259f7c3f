/*
 * styles — turn indicator values into map classes and classes into colours.
 *
 * The pipeline through this header:
 *
 *   mg_styles_compute_breaks()   values + method + k       -> mg_breaks
 *   mg_styles_find_class()       one value + mg_breaks     -> class 0..k-1
 *   mg_styles_find_palette()     ColorBrewer name + k      -> k colours
 *   mg_styles_parse_colour()     "#rrggbb" / "#rrggbbaa"   -> mg_rgba
 *
 * Break representation (docs/classification.md): k classes are described by
 * k+1 numbers b[0..k].  b[0] is the smallest value and b[k] the largest;
 * b[1..k-1] are the inner breaks.  Class 0 is the closed interval
 * [b[0], b[1]]; class i > 0 is (b[i], b[i+1]], so a value equal to a break
 * belongs to the lower class.
 *
 * NaN means "no data": it is skipped when breaks are computed and has class
 * -1.  Infinite values are rejected.
 *
 * Errors: every fallible function returns MG_OK or an MG_ERR_* code from
 * geodata/geodata.h and, when err is not NULL, fills it (field names the
 * offending setting: "classes", "breaks", "values", "method", "palette",
 * "colour").  A request that is wrong in itself (k out of range, unsorted
 * fixed breaks, unknown palette or method, malformed colour) is
 * MG_ERR_PROJECT, since it comes from the project or style file; data that
 * cannot be split as asked (no values, fewer values or distinct values than
 * classes, all values equal) is MG_ERR_INPUT; a NULL pointer where one is
 * required is MG_ERR_USAGE.
 *
 * Threads: no function here keeps state; all may be called from any thread.
 * Results are plain structs owned by the caller; nothing needs freeing.
 */
#ifndef MG_STYLES_H
#define MG_STYLES_H

#include <stddef.h>

#include "geodata/geodata.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- classification ----------------------------------------------------- */

/* The most classes any method makes. */
enum { MG_CLASSES_MAX = 32 };

typedef enum mg_class_method {
    MG_CLASS_FIXED,          /* inner breaks given by the caller */
    MG_CLASS_EQUAL_INTERVAL, /* k classes of equal width from min to max */
    MG_CLASS_QUANTILE,       /* k classes of (nearly) equal count */
    MG_CLASS_JENKS           /* Fisher-Jenks natural breaks, exact optimum */
} mg_class_method;

/* What to compute. */
typedef struct mg_class_spec {
    mg_class_method method;
    int k;                   /* number of classes, 1..MG_CLASSES_MAX */
    const double *fixed;     /* MG_CLASS_FIXED: the k-1 inner breaks, finite
                              * and strictly increasing; ignored otherwise */
} mg_class_spec;

/* Computed breaks, with the class sizes for legends. */
typedef struct mg_breaks {
    mg_class_method method;
    int k;                            /* number of classes */
    double b[MG_CLASSES_MAX + 1];     /* b[0..k], see the top of this file */
    size_t counts[MG_CLASSES_MAX];    /* values in each class */
    size_t n_values;                  /* values classified (NaN excluded) */
    size_t n_missing;                 /* NaN values skipped */
} mg_breaks;

/* Computes the breaks of values[0..n-1] for spec.
 *
 *   MG_CLASS_FIXED           b[1..k-1] are spec->fixed; b[0] is the smaller
 *                            of the minimum and fixed[0], b[k] the larger of
 *                            the maximum and fixed[k-2], so b never
 *                            decreases.  Needs at least one value.
 *   MG_CLASS_EQUAL_INTERVAL  b[i] = min + (max - min) * i / k.  Classes may
 *                            be empty; that is the method.
 *   MG_CLASS_QUANTILE        b[i] is the smallest value x with
 *                            F(x) >= i / k (F the empirical distribution):
 *                            breaks are data values and class sizes differ by
 *                            at most one when there are no ties.  A break that
 *                            ties with the one before it moves to the next
 *                            distinct value (or down, when too few distinct
 *                            values are left for the classes above), so all
 *                            k classes are non-empty.
 *   MG_CLASS_JENKS           the partition into k classes that minimises the
 *                            within-class sum of squared deviations, found
 *                            exactly by dynamic programming at every n; equal
 *                            values always share a class.
 *
 * Data-driven methods need at least k values and not all equal (k = 1 is
 * always fine); quantile and Jenks need at least k distinct values.
 * Returns MG_OK and fills *out, or MG_ERR_PROJECT, MG_ERR_INPUT, MG_ERR_USAGE
 * or MG_ERR_NOMEM with err filled (out is then unspecified).  values may be
 * NULL when n is 0. */
int mg_styles_compute_breaks(const mg_class_spec *spec, const double *values,
                             size_t n, mg_breaks *out, mg_error *err);

/* The class of v under breaks: 0..k-1, with values below b[1] in class 0
 * and values above b[k-1] in class k-1 (so a value outside [b[0], b[k]],
 * from another data set classified with the same breaks, still gets the end
 * class).  Returns -1 for NaN or when breaks is NULL or has k < 1. */
int mg_styles_find_class(const mg_breaks *breaks, double v);

/* Parses a method name: "fixed", "equal_interval", "quantile", "jenks"
 * (also "natural_breaks" and "fisher_jenks"), case-insensitive.  Returns
 * MG_OK or MG_ERR_PROJECT. */
int mg_styles_parse_method(const char *name, mg_class_method *out,
                           mg_error *err);

/* The canonical name of a method ("jenks", ...), or "unknown".  The string
 * is static. */
const char *mg_styles_get_method_name(mg_class_method method);

/* ---- colours and palettes ----------------------------------------------- */

typedef struct mg_rgba {
    unsigned char r, g, b, a; /* a = 255 is opaque */
} mg_rgba;

/* Parses "#rrggbb" (opaque) or "#rrggbbaa"; hex digits in either case, no
 * white space.  Returns MG_OK, or MG_ERR_PROJECT (*out untouched). */
int mg_styles_parse_colour(const char *text, mg_rgba *out, mg_error *err);

/* Writes c as "#rrggbb" when opaque, else "#rrggbbaa", lower case, into out
 * (at least 10 bytes). */
void mg_styles_format_colour(mg_rgba c, char out[10]);

/* The largest palette, in colours (ColorBrewer's Paired and Set3). */
enum { MG_PALETTE_MAX = 12 };

typedef enum mg_palette_kind {
    MG_PALETTE_SEQUENTIAL,   /* light to dark, for ordered values */
    MG_PALETTE_DIVERGING,    /* two hues from a neutral middle */
    MG_PALETTE_QUALITATIVE   /* distinct hues, for categories */
} mg_palette_kind;

typedef struct mg_palette {
    const char *name;        /* canonical spelling ("YlOrRd"); static */
    mg_palette_kind kind;
    int n;                   /* colours used */
    mg_rgba colours[MG_PALETTE_MAX]; /* colours[0] for the lowest class */
} mg_palette;

/* Looks up ColorBrewer palette name (case-insensitive) with n colours and
 * copies it into *out.  Sequential palettes have 3..9 colours, diverging
 * 3..11, qualitative 3..8, 9 or 12 (docs/classification.md lists them).
 * Returns MG_OK, or MG_ERR_PROJECT for an unknown name or a count the
 * palette does not come in (the message gives the counts it does). */
int mg_styles_find_palette(const char *name, int n, mg_palette *out,
                           mg_error *err);

/* A palette as it is listed: name, kind and the colour counts it comes in. */
typedef struct mg_palette_info {
    const char *name;        /* static */
    mg_palette_kind kind;
    int min_n, max_n;
} mg_palette_info;

/* The number of palettes, for listing them with mg_styles_get_palette_info(). */
size_t mg_styles_count_palettes(void);

/* Fills *out for palette i, 0 <= i < mg_styles_count_palettes().  Returns
 * MG_OK, or MG_ERR_USAGE when i is out of range or out is NULL. */
int mg_styles_get_palette_info(size_t i, mg_palette_info *out);

#ifdef __cplusplus
}
#endif
#endif
