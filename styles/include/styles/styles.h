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

#include "geodata/core.h"

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
    MG_CLASS_JENKS,          /* Fisher-Jenks natural breaks, exact optimum */
    MG_CLASS_QUANTILE_INTERP, /* type-7 (interpolated) quantiles, NumPy's */
    MG_CLASS_PERCENTILES,    /* 6 classes at the 1, 10, 50, 90, 99th pct */
    MG_CLASS_BOX_PLOT,       /* 6 classes: fences at 1.5 IQR, quartiles */
    MG_CLASS_STD_MEAN,       /* breaks at the mean + multiples of the sd */
    MG_CLASS_MAX_BREAKS,     /* midpoints of the k - 1 widest gaps */
    MG_CLASS_HEAD_TAIL,      /* Jiang's head/tail breaks: nested means */
    MG_CLASS_JENKS_CASPALL,  /* Jenks-Caspall: nearest class median moves */
    MG_CLASS_SYMMETRIC       /* equal widths on [-m, m], m = max |value|:
                                breaks symmetric about zero (change maps) */
} mg_class_method;

/* What to compute. */
typedef struct mg_class_spec {
    mg_class_method method;
    int k;               /* number of classes, 1..MG_CLASSES_MAX */
    const double *fixed; /* MG_CLASS_FIXED: the k-1 inner breaks, finite
                          * and strictly increasing; ignored otherwise */
} mg_class_spec;

/* Computed breaks, with the class sizes for legends. */
typedef struct mg_breaks {
    mg_class_method method;
    int k;                         /* number of classes */
    double b[MG_CLASSES_MAX + 1];  /* b[0..k], see the top of this file */
    size_t counts[MG_CLASSES_MAX]; /* values in each class */
    size_t n_values;               /* values classified (NaN excluded) */
    size_t n_missing;              /* NaN values skipped */
    char labels[MG_CLASSES_MAX][64]; /* the legend's labels when made by
                                        mg_style_colour_values(), else "" */
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
 *   The methods of PySAL's mapclassify (docs/classification.md has their
 *   formulas): MG_CLASS_QUANTILE_INTERP, MG_CLASS_PERCENTILES and
 *   MG_CLASS_BOX_PLOT (k must be 6), MG_CLASS_STD_MEAN, MG_CLASS_MAX_BREAKS,
 *   MG_CLASS_HEAD_TAIL (an error when the head runs out before k classes)
 *   and MG_CLASS_JENKS_CASPALL.  Breaks of box plot and std_mean may fall
 *   outside the data; b[0] and b[k] are then widened and end classes empty.
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

/* Parses a method name: "fixed", "equal_interval", "quantile", "jenks", the
 * mapclassify names of mg_class_method ("head_tail", ...)
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
    MG_PALETTE_SEQUENTIAL, /* light to dark, for ordered values */
    MG_PALETTE_DIVERGING,  /* two hues from a neutral middle */
    MG_PALETTE_QUALITATIVE /* distinct hues, for categories */
} mg_palette_kind;

typedef struct mg_palette {
    const char *name; /* canonical spelling ("YlOrRd"); static */
    mg_palette_kind kind;
    int n;                           /* colours used */
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
    const char *name; /* static */
    mg_palette_kind kind;
    int min_n, max_n;
} mg_palette_info;

/* The number of palettes, for listing them with mg_styles_get_palette_info(). */
size_t mg_styles_count_palettes(void);

/* Fills *out for palette i, 0 <= i < mg_styles_count_palettes().  Returns
 * MG_OK, or MG_ERR_USAGE when i is out of range or out is NULL. */
int mg_styles_get_palette_info(size_t i, mg_palette_info *out);

/* ---- legends -------------------------------------------------------------
 *
 * What a map's legend shows: a title and groups of items (a swatch, dot or
 * line in a colour, and a label).  Built from a style and the data by
 * mg_style_colour_values() / mg_style_colour_categories(); drawn as a PNG
 * by tiles' mg_tiles_draw_legend(); written as JSON by
 * mg_legend_to_json(). */

typedef enum mg_legend_shape {
    MG_LEGEND_BOX, /* a filled square: a class of a choropleth */
    MG_LEGEND_DOT, /* a filled circle: a category of points */
    MG_LEGEND_LINE /* a line: an outline layer */
} mg_legend_shape;

typedef struct mg_legend_item {
    char *label; /* UTF-8 */
    mg_rgba colour;
    mg_rgba outline; /* drawn around the swatch; alpha 0: a thin
                                grey edge */
    mg_legend_shape shape;
} mg_legend_item;

typedef struct mg_legend_group {
    char *title; /* NULL: none */
    mg_legend_item *items;
    size_t n;
} mg_legend_group;

typedef struct mg_legend {
    char *title; /* NULL: none */
    mg_legend_group *groups;
    size_t n_groups;
} mg_legend;

/* Adds an empty group (title copied, may be NULL).  Returns MG_OK or
 * MG_ERR_NOMEM. */
int mg_legend_add_group(mg_legend *l, const char *title);

/* Adds an item to the last group (one is made when there is none).
 * Returns MG_OK or MG_ERR_NOMEM. */
int mg_legend_add_item(mg_legend *l, const char *label, mg_rgba colour,
                       mg_rgba outline, mg_legend_shape shape);

/* Sets the title (copied).  Returns MG_OK or MG_ERR_NOMEM. */
int mg_legend_set_title(mg_legend *l, const char *title);

/* The legend as a JSON array, one object per item:
 *   {"label": "0 – 120", "color": "#ffffb2", "shape": "box"}
 * with "group" (the group's title) when the legend has more than one group
 * or its group has a title.  Returns a string to free(), or NULL when out
 * of memory. */
char *mg_legend_to_json(const mg_legend *l);

/* Frees what l holds and zeroes it; l itself is the caller's. */
void mg_legend_clear(mg_legend *l);

/* Writes the labels of the k classes of b, "b[i] – b[i+1]" with an en
 * dash, each number with as many decimals as it takes to tell the breaks
 * apart (none when they are whole), into labels[0..k-1] (n bytes each). */
void mg_styles_format_classes(const mg_breaks *b, char labels[][64]);

/* ---- style files ---------------------------------------------------------
 *
 * A style file (JSON, docs/styles.md) says how a map is drawn: a list of
 * layers, each drawn over the ones before it at its zooms.  A polygon
 * layer colours regions by a field (classified, with a palette or
 * explicit colours, a colour for no data) or in one colour, with an
 * outline; a point layer draws providers or recommended sites as dots
 * coloured by category.
 *
 * Errors name the file and the JSON path of the offending key
 * ("layers[0].classification.classes") and are MG_ERR_PROJECT (exit 3);
 * a file that cannot be read or is not JSON too (line and column given). */

typedef enum mg_style_kind {
    MG_STYLE_POLYGONS,
    MG_STYLE_POINTS
} mg_style_kind;

typedef struct mg_style_layer {
    mg_style_kind kind;
    char *source;           /* "regions" (the map's level), "regions_<level>",
                                "parent_regions" (the level above the
                                map's), "providers" or "sites" (the
                                recommended sites of the project's
                                "siting") */
    char *field;            /* polygons: the field classified; points: the
                                field whose value is the category; NULL:
                                one colour for every feature */
    mg_class_method method; /* polygons with a field */
    int classes;            /* k */
    double breaks[MG_CLASSES_MAX]; /* MG_CLASS_FIXED: the k - 1 inner breaks */
    char *zero_label; /* "zero_class": 0 is a class of its own, first, with
                         this label; the other k - 1 classes split the
                         values above 0.  NULL: 0 is classified as any
                         value */
    char *palette;                 /* ColorBrewer name, or NULL */
    int reverse;                   /* palette from dark to light */
    mg_rgba colours[MG_CLASSES_MAX]; /* explicit colours (n_colours = k) */
    int n_colours;
    char *labels[MG_CLASSES_MAX]; /* explicit legend labels, or n_labels 0 */
    int n_labels;
    mg_rgba fill;    /* no field: the fill (polygons) or dot colour */
    mg_rgba no_data; /* a value that is NULL/NaN */
    mg_rgba outline;
    double outline_width; /* CSS pixels; 0: no outline */
    char **categories;    /* points: category -> colour ("colors") */
    mg_rgba *category_colours;
    size_t n_categories;
    mg_rgba other;        /* points: a category not listed */
    double radius;        /* points: CSS pixels */
    int minzoom, maxzoom; /* drawn at these zooms (0..30) */
    char *legend_title;   /* the legend group's title, or NULL */
    int in_legend;        /* 0: left out of the legend */
    char *json_path;      /* "layers[2]", for messages */
} mg_style_layer;

typedef struct mg_style {
    char *path;  /* the file, for messages */
    char *title; /* the map's title, or NULL */
    char *description;
    char *legend_title; /* the legend's title, or NULL */
    double opacity;     /* how opaque a viewer draws the map, 0..1 */
    mg_style_layer *layers;
    size_t n_layers;
} mg_style;

/* Reads and checks a style file: every key known, types right, palettes
 * and colours valid, classes 1..32, fixed breaks increasing, zooms in
 * range.  Returns MG_OK and *out (free with mg_style_free()) or
 * MG_ERR_PROJECT / MG_ERR_NOMEM with err naming the file and key. */
int mg_style_load(const char *path, mg_style **out, mg_error *err);

/* The same from a JSON text; path is used in messages. */
int mg_style_parse(const char *json, const char *path, mg_style **out,
                   mg_error *err);

void mg_style_free(mg_style *s);

/* Colours n values by layer l (a polygon layer with a field): classifies
 * them (a data-driven method with fewer distinct values than classes
 * uses as many classes as there are values, and says so in *note when note
 * is not NULL), gives each the colour of its class or no_data, and adds a
 * group to legend (when not NULL and l->in_legend): one item per class and
 * "No data" when a value is NaN.  breaks (may be NULL) receives the
 * breaks.  Returns MG_OK, MG_ERR_INPUT when no value can be classified
 * (err names the style file and the field), MG_ERR_PROJECT (palette
 * size), MG_ERR_NOMEM. */
int mg_style_colour_values(const mg_style *s, const mg_style_layer *l,
                           const double *values, size_t n, mg_rgba *fill,
                           mg_breaks *breaks, mg_legend *legend, char *note,
                           size_t note_size, mg_error *err);

/* Colours n values by layer l with breaks computed before (by
 * mg_style_colour_values() for another set of regions, such as the
 * children of these): the colour of each value's class, no_data for NaN,
 * so the same value has the same colour in both sets.  Adds nothing to a
 * legend.  Returns MG_OK or MG_ERR_PROJECT (palette size). */
int mg_style_colour_with_breaks(const mg_style *s, const mg_style_layer *l,
                                const mg_breaks *breaks, const double *values,
                                size_t n, mg_rgba *fill, mg_error *err);

/* Colours n features of point layer l by their category values[i] (NULL:
 * none): the layer's "colors", else the palette over known[0..n_known-1]
 * in order, else "other".  Adds a legend group with the categories that
 * occur (in the order listed) and "Other" when used.  Returns MG_OK,
 * MG_ERR_PROJECT (palette) or MG_ERR_NOMEM. */
int mg_style_colour_categories(const mg_style *s, const mg_style_layer *l,
                               const char *const *values, size_t n,
                               const char *const *known, size_t n_known,
                               mg_rgba *fill, mg_legend *legend,
                               mg_error *err);

/* The colours of the k classes of polygon layer l (its "colors", else its
 * palette spread over k, reversed when asked), as mg_style_colour_values()
 * paints them.  Returns MG_OK or MG_ERR_PROJECT (palette size). */
int mg_style_class_colours(const mg_style *s, const mg_style_layer *l, int k,
                           mg_rgba *out, mg_error *err);

/* ---- QGIS styles (qgis.c) ------------------------------------------------
 * A layer's style as QGIS reads it from a GeoPackage's layer_styles table:
 * QML (QGIS 3 project XML, "categorizedSymbol" renderer) and SLD 1.1
 * (one rule per category, ElseFilter for the rest), both from the same
 * categories, so that QGIS and any SLD reader draw what the tiles show. */

typedef struct mg_qgis_category {
    const char *value; /* the field's value as text; NULL: every other value
                          (no data, categories not listed) */
    const char *label;
    mg_rgba colour;
} mg_qgis_category;

typedef struct mg_qgis_alias {
    const char *field, *alias;
} mg_qgis_alias;

typedef struct mg_qgis_style {
    const char *layer; /* the GeoPackage layer, for the SLD */
    const char *name;  /* the style's name */
    const char *field; /* categorised by; NULL: one symbol (categories[0]) */
    int points;        /* 1: circles of radius px, else polygons */
    double radius;     /* points: CSS px */
    mg_rgba outline;
    double outline_width; /* CSS px; 0: none */
    const mg_qgis_category *categories;
    size_t n;
    const mg_qgis_alias *aliases; /* written into the QML */
    size_t n_aliases;
} mg_qgis_style;

/* The QML and SLD texts, to free(); NULL when out of memory. */
char *mg_qgis_qml(const mg_qgis_style *s);
char *mg_qgis_sld(const mg_qgis_style *s);

#ifdef __cplusplus
}
#endif
#endif
