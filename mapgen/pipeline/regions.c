/*
 * The viewer's per-region files (docs/viewer.md, "Per-region data"):
 * regions/index.json (levels, categories, downloads) and
 * regions/<level>.json, one entry per region with its code, name, parent,
 * a label point, a simplified outline in lon/lat and its figures.  The
 * page reads them lazily to identify, highlight, search and label regions;
 * any static server can serve them.  Deterministic: regions in the data's
 * order, coordinates rounded to 1e-4 degree (about 10 m).
 */
#include "internal.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nomem(mg_error *err)
{
    return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL, "out of memory");
}

/* 1e-4 degree: finer than a pixel at the zooms the page shows outlines. */
static double round4(double v)
{
    return round(v * 1e4) / 1e4;
}

/* A number, or null for NAN (unknown); whole numbers without ".0". */
static json_t *num(double v)
{
    if (!isfinite(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 1e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

/* ---- JSON text written directly ------------------------------------------ */

/* 7 significant digits: 1e-4 degree in coordinates, and more than the
 * page shows of any figure (the GeoPackage keeps them all). */
#define REGIONS_JSON_FLAGS \
    (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(7))

/* The outlines and the figures are most of the files' bytes: written here
 * as text, byte for byte as json_dumps() would write the same values with
 * REGIONS_JSON_FLAGS, without a jansson value and a printf() per number
 * (tests/cli/tiles.sh, case regions, re-serialises the files to check). */
typedef struct jtext {
    char *s;
    size_t n, cap;
    int failed; /* out of memory */
} jtext;

static void put(jtext *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (t->n + n + 1 > cap)
            cap *= 2;
        char *p = t->failed ? NULL : realloc(t->s, cap);
        if (!p) {
            t->failed = 1;
            return;
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = '\0';
}

static void put_str(jtext *t, const char *s)
{
    put(t, s, strlen(s));
}

/* The digits of v (v < 10^20), at the end of buf; returns where they start. */
static char *digits(char *end, unsigned long long v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

static void put_int(jtext *t, long long v)
{
    char buf[32], *end = buf + sizeof buf;
    unsigned long long a = v < 0 ? 0ULL - (unsigned long long)v
                                 : (unsigned long long)v;
    char *p = digits(end, a);
    if (v < 0)
        *--p = '-';
    put(t, p, (size_t)(end - p));
}

/* A real as jansson writes it with JSON_REAL_PRECISION(7): "%.7g", then
 * ".0" when that has neither '.' nor 'e', and an exponent without '+' or
 * leading zeros.  A v that is the double nearest to k / 10^4 for an
 * integer |k| < 10^7 (every rounded coordinate, most figures) needs no
 * printf: "%.7g" of it is exactly the 7 or fewer digits of k / 10^4 in
 * fixed notation (its decimal exponent lies in -4..2, and v is far closer
 * to k / 10^4 than half a unit of the 7th digit), trailing zeros dropped. */
static void put_real(jtext *t, double v)
{
    double k = round(v * 1e4);
    if (fabs(k) < 1e7 && k / 1e4 == v) {
        char buf[32], *end = buf + sizeof buf;
        unsigned long long a = (unsigned long long)fabs(k);
        unsigned long long ip = a / 10000, fp = a % 10000;
        char *p = end;
        if (fp) {
            int w = 4;
            while (fp % 10 == 0) {
                fp /= 10;
                w--;
            }
            for (int i = 0; i < w; i++, fp /= 10)
                *--p = (char)('0' + fp % 10);
        } else {
            *--p = '0';
        }
        *--p = '.';
        p = digits(p, ip);
        if (signbit(v))
            *--p = '-';
        put(t, p, (size_t)(end - p));
        return;
    }
    char buf[100];
    int n = snprintf(buf, sizeof buf - 3, "%.7g", v);
    if (n < 0 || (size_t)n >= sizeof buf - 3) {
        t->failed = 1;
        return;
    }
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(buf, 'e');
    if (e) {
        char *start = e + 1, *from = e + 2;
        if (*start == '-')
            start++;
        while (*from == '0')
            from++;
        if (from != start) {
            memmove(start, from, (size_t)(n - (from - buf)) + 1);
            n -= (int)(from - start);
        }
    }
    put(t, buf, (size_t)n);
}

/* num(v) as text. */
static void put_num(jtext *t, double v)
{
    if (!isfinite(v))
        put(t, "null", 4);
    else if (v == floor(v) && fabs(v) < 1e15)
        put_int(t, (long long)v);
    else
        put_real(t, v);
}

/* ---- figures ------------------------------------------------------------ */

/* The names of a level's figures, in the order of each region's "values":
 * population and area, need/supply/gap/coverage/providers per category and
 * total, the rate of the gap, then the columns later stages added. */
static json_t *figure_names(const mg_level *l, const mg_model_spec *m)
{
    static const char *const per_cat[] = {"need_", "supply_", "gap_",
                                          "coverage_", "providers_",
                                          "gap_per10k_"};
    json_t *names = json_pack("[s,s]", "population", "area_km2");
    char field[160];
    for (size_t k = 0; names && k < sizeof per_cat / sizeof *per_cat; k++)
        for (size_t c = 0; c <= m->n_categories; c++) {
            mg_field_name(field, sizeof field, per_cat[k],
                          c < m->n_categories ? m->categories[c] : "total");
            json_array_append_new(names, json_string(field));
        }
    for (size_t i = 0; names && i < l->n_columns; i++)
        json_array_append_new(names, json_string(l->columns[i].name));
    return names;
}

/* Adds the thematic field of each map of level li that names lacks (a
 * rate such as supply_per10k_total), so the panel can show it first. */
static void add_map_fields(json_t *names, const mg_maps *maps, size_t li)
{
    for (size_t i = 0; names && maps && i < maps->n; i++) {
        const map_item *x = &maps->items[i];
        if (x->skip || x->is_base || x->level_index != li)
            continue;
        for (size_t k = 0; k < x->style->n_layers; k++) {
            const mg_style_layer *sl = &x->style->layers[k];
            if (sl->kind != MG_STYLE_POLYGONS || !sl->field)
                continue;
            size_t j = 0, n = json_array_size(names);
            while (j < n && strcmp(json_string_value(json_array_get(names, j)),
                                   sl->field) != 0)
                j++;
            if (j == n)
                json_array_append_new(names, json_string(sl->field));
            break;
        }
    }
}

/* values[f * l->n + i]: figure f of region i, through mg_level_get_values()
 * so the figures are those of the GeoPackage. */
static double *figure_values(const mg_level *l, const mg_model_spec *m,
                             json_t *names)
{
    size_t nf = json_array_size(names);
    double *v = malloc((nf * l->n + 1) * sizeof *v);
    for (size_t f = 0; v && f < nf; f++) {
        const char *name = json_string_value(json_array_get(names, f));
        if (mg_level_get_values(l, m, name, v + f * l->n) != MG_OK)
            for (size_t i = 0; i < l->n; i++)
                v[f * l->n + i] = NAN;
    }
    return v;
}

/* ---- outlines ----------------------------------------------------------- */

/* A region's outline, simplified: its rings' points one ring after the
 * other, ring k ending before point end[k], each ring the shell of a new
 * polygon or a hole of the last one (shell[k]). */
typedef struct rings {
    double *xy;
    size_t n, cap; /* points */
    size_t *end;
    unsigned char *shell;
    size_t n_rings, cap_rings;
    size_t cap_shell;
    /* scratch: one ring's points, which of them stay, and
     * mg_render_simplify_line()'s stack */
    double *in;
    size_t cap_in;
    unsigned char *keep;
    size_t cap_keep;
    size_t *stack;
    size_t cap_stack;
    int failed; /* out of memory */
} rings;

static void rings_free(rings *R)
{
    free(R->xy);
    free(R->end);
    free(R->shell);
    free(R->in);
    free(R->keep);
    free(R->stack);
}

static int grow_to(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* 1 when the first three kept points of q lie on one line (a ring of
 * three corners with no area). */
static int flat_triangle(const double *q, const unsigned char *keep,
                         size_t n)
{
    const double *c[3];
    int k = 0;
    for (size_t i = 0; i < n && k < 3; i++)
        if (keep[i])
            c[k++] = q + 2 * i;
    return (c[1][0] - c[0][0]) * (c[2][1] - c[0][1]) ==
           (c[1][1] - c[0][1]) * (c[2][0] - c[0][0]);
}

/* One GEOS ring, simplified to within tol by the maps' Douglas-Peucker
 * (which never takes a ring below a triangle) and appended closed; 0 when
 * it is left out: a ring without three corners that span an area (and,
 * when it is a shell, its polygon with it). */
static int add_ring(rings *R, GEOSContextHandle_t h, const GEOSGeometry *ring,
                    double tol, int shell)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int u = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &u) || u == 0)
        return 0;
    size_t n = u; /* + 1: room to close a ring given open */
    if (grow_to((void **)&R->in, &R->cap_in, 2 * (n + 1), sizeof *R->in) ||
        grow_to((void **)&R->keep, &R->cap_keep, n + 1, 1) ||
        grow_to((void **)&R->xy, &R->cap, R->n + n + 1, 2 * sizeof *R->xy) ||
        grow_to((void **)&R->end, &R->cap_rings, R->n_rings + 1,
                sizeof *R->end) ||
        grow_to((void **)&R->shell, &R->cap_shell, R->n_rings + 1, 1)) {
        R->failed = 1;
        return 0;
    }
    double *q = R->in;
    if (!GEOSCoordSeq_copyToBuffer_r(h, cs, q, 0, 0))
        return 0;
    if (q[0] != q[2 * n - 2] || q[1] != q[2 * n - 1]) {
        q[2 * n] = q[0];
        q[2 * n + 1] = q[1];
        n++;
    }
    if (n < 4) /* at most two corners */
        return 0;
    if (mg_render_simplify_line(q, n, tol * tol, R->keep, &R->stack,
                                &R->cap_stack)) {
        R->failed = 1;
        return 0;
    }
    size_t kept = 0;
    for (size_t i = 0; i + 1 < n; i++)
        kept += R->keep[i];
    if (kept < 3 || (kept == 3 && flat_triangle(q, R->keep, n)))
        return 0;
    double *out = R->xy + 2 * R->n;
    for (size_t i = 0; i < n; i++) /* the last, closing point is kept */
        if (R->keep[i]) {
            *out++ = q[2 * i];
            *out++ = q[2 * i + 1];
        }
    R->n = (size_t)(out - R->xy) / 2;
    R->shell[R->n_rings] = (unsigned char)shell;
    R->end[R->n_rings++] = R->n;
    return 1;
}

/* The polygons of a (multi)polygon, each ring simplified (Douglas-Peucker
 * to within tol, ring by ring): the outline the page draws and searches.
 * Rings are simplified each on its own, as GEOS's topology-preserving
 * simplifier did before them at four times the cost; at a 50th of the
 * median region's size the two differ by less than tol. */
static void read_rings(rings *R, GEOSContextHandle_t h, const GEOSGeometry *g,
                       double tol)
{
    R->n = R->n_rings = 0;
    int np = GEOSGetNumGeometries_r(h, g);
    for (int p = 0; p < np && !R->failed; p++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, g, p);
        if (GEOSGeomTypeId_r(h, poly) != GEOS_POLYGON)
            continue;
        const GEOSGeometry *shell = GEOSGetExteriorRing_r(h, poly);
        if (!shell || !add_ring(R, h, shell, tol, 1))
            continue;
        int nh = GEOSGetNumInteriorRings_r(h, poly);
        for (int k = 0; k < nh && !R->failed; k++) {
            const GEOSGeometry *hole = GEOSGetInteriorRingN_r(h, poly, k);
            if (hole)
                add_ring(R, h, hole, tol, 0);
        }
    }
}

/* 1 when ring k keeps three distinct corners in 1e-4 degree: a ring of a
 * few metres that rounding folds into a line or a point is left out of
 * the file (with its holes, if it is a shell); the label was searched on
 * it unrounded. */
static int ring_visible(const rings *R, size_t k)
{
    double seen[4];
    int n = 0;
    for (size_t i = k ? R->end[k - 1] : 0; i < R->end[k] && n < 3; i++) {
        double x = round4(R->xy[2 * i]), y = round4(R->xy[2 * i + 1]);
        int known = 0;
        for (int j = 0; j < n && !known; j++)
            known = seen[2 * j] == x && seen[2 * j + 1] == y;
        if (!known && n < 2) {
            seen[2 * n] = x;
            seen[2 * n + 1] = y;
        }
        n += !known;
    }
    return n >= 3;
}

/* The outline as [[outer, hole, ...], ...] of flat [x0, y0, x1, y1, ...]
 * rings, in 1e-4 degree; nothing when no ring is left. */
static void put_outline(jtext *t, const rings *R)
{
    int open = 0, skip = 0; /* a polygon written; the current one left out */
    for (size_t k = 0, at = 0; k < R->n_rings; at = R->end[k++]) {
        if (R->shell[k])
            skip = !ring_visible(R, k);
        if (skip || (!R->shell[k] && !ring_visible(R, k)))
            continue;
        if (R->shell[k])
            put(t, open ? "]],[[" : "[[[", open ? 5 : 3);
        else
            put(t, "],[", 3);
        open = 1;
        for (size_t i = at; i < R->end[k]; i++) {
            if (i > at)
                put(t, ",", 1);
            put_real(t, round4(R->xy[2 * i]));
            put(t, ",", 1);
            put_real(t, round4(R->xy[2 * i + 1]));
        }
    }
    if (open)
        put(t, "]]]", 3);
}

/* 1 when a region's box is finite and within lon/lat range (with a degree
 * to spare): the readers check this (geodata/input/coords.c), but the
 * label search loops in proportion to the extent, so a box they did not
 * stop is not trusted here. */
static int lonlat_box_ok(double x0, double y0, double x1, double y1)
{
    return isfinite(x0) && isfinite(y0) && isfinite(x1) && isfinite(y1) &&
           x0 >= -181.0 && x1 <= 181.0 && y0 >= -91.0 && y1 <= 91.0;
}

/* The geometry keys of one region's entry: bbox and label into o, and
 * the outline, its last key, as text into outline (left empty when the
 * region has none).  R is the caller's scratch. */
/* A region's box and label circle (has[0], has[1] when found), each
 * rounded as written, and its outline into *outline. */
static void add_geometry(mg_geom *gm, rings *R, const mg_region *r,
                         double tol, double box[4], double label[3],
                         int has[2], jtext *outline)
{
    has[0] = has[1] = 0;
    GEOSContextHandle_t h = gm->h;
    GEOSGeometry *g =
        r->wkb ? mg_geom_from_wkb(gm, r->wkb, r->wkb_size) : NULL;
    double x0, y0, x1, y1, lx, ly, lr;
    if (g && !GEOSisEmpty_r(h, g) && GEOSGeom_getXMin_r(h, g, &x0) &&
        GEOSGeom_getYMin_r(h, g, &y0) && GEOSGeom_getXMax_r(h, g, &x1) &&
        GEOSGeom_getYMax_r(h, g, &y1) && lonlat_box_ok(x0, y0, x1, y1)) {
        read_rings(R, h, g, tol);
        /* The label search refines cells down to tol: a tol far below the
         * region's size (one huge region in a level of small ones) is
         * floored at a millionth of it, so the search stays bounded. */
        double span = fmax(x1 - x0, y1 - y0);
        if (!(tol >= span * 1e-6))
            tol = span * 1e-6;
        box[0] = round4(x0);
        box[1] = round4(y0);
        box[2] = round4(x1);
        box[3] = round4(y1);
        has[0] = 1;
        /* The label point: the centre of the largest circle inside the
         * region (a point well inside even a crescent-shaped one), and
         * that circle's radius in degrees, which tells the page from which
         * zoom a name fits.  On the outline the page draws (a tenth of
         * the vertices, a tenth of the cost, and the circle lies inside
         * what is seen), searched to half its tolerance: on the sample's
         * UATs and the US counties as close to the largest circle as
         * GEOS's MaximumInscribedCircle at the whole tolerance, in a
         * quarter of its time (tests/geodata/test_label.c). */
        if (R->n_rings > 0 && !R->failed &&
            mg_label_circle_rings(R->xy, R->end, R->n_rings, tol / 2, &lx,
                                  &ly, &lr) == 0) {
            label[0] = round4(lx);
            label[1] = round4(ly);
            label[2] = round4(lr);
            has[1] = 1;
        }
        if (R->n_rings > 0 && !R->failed)
            put_outline(outline, R);
        if (R->failed)
            outline->failed = 1;
    }
    if (g)
        GEOSGeom_destroy_r(h, g);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The simplification tolerance of a level: a 50th of the median region's
 * size (the square root of its area in degrees), so small communes keep
 * their shape and the file stays small. */
static double level_tolerance(const mg_level *l)
{
    double *s = malloc((l->n + 1) * sizeof *s);
    if (!s)
        return NAN; /* out of memory */
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (isfinite(l->regions[i].area_km2) && l->regions[i].area_km2 > 0)
            s[n++] = sqrt(l->regions[i].area_km2) / 111.0; /* km -> deg */
    double tol = 1e-3;
    if (n > 0) {
        qsort(s, n, sizeof *s, cmp_double);
        tol = s[n / 2] / 50.0;
    }
    free(s);
    return tol;
}

/* ---- the colours of the maps ------------------------------------------------ */

/* For each map drawn on level li: the fill of each region as an index into
 * a palette of "#rrggbb" colours, {"<map>": {"palette": [...], "index":
 * [...]}}, so the page can highlight the regions of a legend class (its
 * entry has the same colour).  The fill is that of the map's first
 * coloured layer of this level's shapes. */
static json_t *map_colours(const mg_maps *m, size_t li)
{
    json_t *out = json_object();
    const mg_level *l = &m->d->levels[li];
    for (size_t i = 0; out && i < m->n; i++) {
        const map_item *x = &m->items[i];
        const mg_rgba *fill = NULL;
        for (size_t k = 0; !x->skip && !x->is_base && !fill &&
                           k < x->n_layers;
             k++)
            if (x->layers[k].fill && m->level_shapes &&
                x->layers[k].shapes == m->level_shapes[li])
                fill = x->layers[k].fill;
        if (!fill)
            continue;
        json_t *palette = json_array(), *index = json_array();
        for (size_t r = 0; palette && index && r < l->n; r++) {
            char hex[8];
            snprintf(hex, sizeof hex, "#%02x%02x%02x", fill[r].r, fill[r].g,
                     fill[r].b);
            size_t at = 0, np = json_array_size(palette);
            while (at < np && strcmp(json_string_value(
                                         json_array_get(palette, at)),
                                     hex) != 0)
                at++;
            if (at == np)
                json_array_append_new(palette, json_string(hex));
            json_array_append_new(index, json_integer((json_int_t)at));
        }
        json_object_set_new(out, x->name,
                            json_pack("{s:o, s:o}", "palette", palette,
                                      "index", index));
    }
    return out;
}

/* ---- the files ---------------------------------------------------------- */

/* 1 when json_dumps() writes s as it is between its quotes: valid UTF-8
 * (as json_string() demands: no overlong form, surrogate or code point
 * past U+10FFFF) with nothing it escapes (a quote, a backslash, a control
 * character).  Anything else takes jansson's way. */
static int plain(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            if (c < 0x20 || c == '"' || c == '\\')
                return 0;
            p++;
            continue;
        }
        int n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : -1;
        if (n < 0 || c > 0xf4)
            return 0;
        unsigned cp = c & (0x3fu >> n);
        for (int k = 1; k <= n; k++) {
            if ((p[k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (p[k] & 0x3fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            return 0;
        p += n + 1;
    }
    return 1;
}

static void put_key_str(jtext *t, const char *key, const char *v)
{
    put_str(t, key);
    put(t, "\"", 1);
    put_str(t, v);
    put(t, "\"", 1);
}

static void put_reals(jtext *t, const char *key, const double *v, int n)
{
    put_str(t, key);
    for (int k = 0; k < n; k++) {
        put(t, k ? "," : "[", 1);
        put_real(t, v[k]);
    }
    put(t, "]", 1);
}

/* region_text()'s entry written directly, byte for byte as json_dumps()
 * writes the object that function builds otherwise (the keys in that
 * order); the outline is in t already and moves behind the head. */
static char *region_direct(const char *code, const char *name,
                           const char *parent_code, const char *parent_name,
                           long long parent, const int has[2],
                           const double box[4], const double label[3],
                           jtext *t)
{
    jtext h = {0};
    put_key_str(&h, "{\"code\":", code);
    put_key_str(&h, ",\"name\":", name);
    if (parent_code)
        put_key_str(&h, ",\"parent_code\":", parent_code);
    if (parent_name)
        put_key_str(&h, ",\"parent_name\":", parent_name);
    if (parent >= 0) {
        put_str(&h, ",\"parent\":");
        put_int(&h, parent);
    }
    if (has[0])
        put_reals(&h, ",\"bbox\":", box, 4);
    if (has[1])
        put_reals(&h, ",\"label\":", label, 3);
    if (t->n) {
        put_str(&h, ",\"outline\":");
        put(&h, t->s, t->n);
    }
    put(&h, "}", 1);
    if (h.failed) {
        free(h.s);
        return NULL;
    }
    return h.s;
}

/* One region's entry of regions/<level>.json, as compact JSON (caller
 * frees); NULL when out of memory.  t is the caller's buffer, reused. */
static char *region_text(mg_geom *gm, rings *R, const mg_dataset *d,
                         size_t li, size_t i, double tol, jtext *t)
{
    const mg_level *l = &d->levels[li];
    const mg_region *r = &l->regions[i];
    const mg_region *pr = r->parent >= 0 && li + 1 < d->n_levels
                              ? &d->levels[li + 1].regions[r->parent]
                              : NULL;
    const char *code = r->code ? r->code : "", *name = r->name ? r->name : "";
    const char *parent_code =
        r->parent_code ? r->parent_code : pr ? pr->code : NULL;
    const char *parent_name = pr ? pr->name : NULL;
    t->n = 0;
    double box[4], label[3];
    int has[2];
    add_geometry(gm, R, r, tol, box, label, has, t);
    size_t no = t->n;
    int direct = plain(code) && plain(name) &&
                 (!parent_code || plain(parent_code)) &&
                 (!parent_name || plain(parent_name));
    for (int k = 0; k < 4; k++)
        direct = direct && (!has[0] || isfinite(box[k]));
    for (int k = 0; k < 3; k++)
        direct = direct && (!has[1] || isfinite(label[k]));
    if (direct && !t->failed)
        return region_direct(code, name, parent_code, parent_name,
                             pr ? (long long)r->parent : -1, has, box, label,
                             t);
    json_t *o = json_pack("{s:s, s:s}", "code", code, "name", name);
    if (!o)
        return NULL;
    /* As the GeoPackage's parent_code: as the source writes it. */
    if (parent_code)
        json_object_set_new(o, "parent_code", json_string(parent_code));
    if (parent_name)
        json_object_set_new(o, "parent_name", json_string(parent_name));
    /* The parent's place in regions/<parent level>.json: codes as written
     * may differ ("01" here, 1 there), the index does not. */
    if (pr)
        json_object_set_new(o, "parent", json_integer(r->parent));
    if (has[0])
        json_object_set_new(o, "bbox", json_pack("[f,f,f,f]", box[0], box[1],
                                                 box[2], box[3]));
    if (has[1])
        json_object_set_new(o, "label",
                            json_pack("[f,f,f]", label[0], label[1],
                                      label[2]));
    char *head = json_dumps(o, REGIONS_JSON_FLAGS);
    json_decref(o);
    size_t nh = head ? strlen(head) : 0;
    char *out = nh > 0 && !t->failed ? malloc(nh + no + 16) : NULL;
    if (out) {
        /* {head keys} + ,"outline":[...] + } */
        memcpy(out, head, nh - 1);
        size_t n = nh - 1;
        if (no) {
            memcpy(out + n, ",\"outline\":", 11);
            memcpy(out + n + 11, t->s, no);
            n += 11 + no;
        }
        out[n++] = '}';
        out[n] = '\0';
    }
    free(head);
    return out;
}

/* regions/<level>-figures.json: {"level", "fields", "values": [[one
 * per field] per region]}, read when a region is first identified.
 * names is the array of figure_names() and add_map_fields().  Returns the
 * text (caller frees) or NULL when out of memory. */
static char *figures_text(const mg_dataset *d, size_t li, json_t *names)
{
    const mg_level *l = &d->levels[li];
    double *values = figure_values(l, &d->project->model, names);
    size_t nf = json_array_size(names);
    json_t *doc = values ? json_pack("{s:s, s:O}", "level", l->level,
                                     "fields", names)
                         : NULL;
    char *head = doc ? json_dumps(doc, REGIONS_JSON_FLAGS) : NULL;
    json_decref(doc);
    jtext t = {0};
    size_t nh = head ? strlen(head) : 0;
    if (nh > 0 && nh < ((size_t)1 << 40)) {
        put(&t, head, nh - 1);
        put_str(&t, ",\"values\":[");
        for (size_t i = 0; i < l->n; i++) {
            put(&t, i ? ",[" : "[", i ? 2 : 1);
            for (size_t f = 0; f < nf; f++) {
                if (f)
                    put(&t, ",", 1);
                put_num(&t, values[f * l->n + i]);
            }
            put(&t, "]", 1);
        }
        put(&t, "]}", 2);
    }
    free(head);
    free(values);
    if (!head || t.failed) {
        free(t.s);
        return NULL;
    }
    return t.s;
}

/* The head of regions/<level>.json: the document without its last key,
 * "regions", and without the closing brace (compact JSON, so the regions'
 * texts, joined by commas, complete it byte for byte as json_dumps() of
 * the whole document would). */
static char *level_head(const mg_dataset *d, const mg_maps *maps, size_t li,
                        double tol)
{
    json_t *doc = json_pack("{s:s, s:s?, s:f}", "level", d->levels[li].level,
                            "parent_level",
                            li + 1 < d->n_levels ? d->levels[li + 1].level
                                                 : NULL,
                            "tolerance", tol);
    int ok = doc != NULL;
    if (ok && maps)
        ok = json_object_set_new(doc, "colors", map_colours(maps, li)) == 0;
    char *text = ok ? json_dumps(doc, REGIONS_JSON_FLAGS) : NULL;
    json_decref(doc);
    size_t n = text ? strlen(text) : 0;
    if (n > 0 && text[n - 1] == '}')
        text[n - 1] = '\0';
    return text;
}

/* ---- the work, on the run's threads -------------------------------------- */

/* Regions per unit of work: small enough that the threads end together,
 * large enough that taking one costs nothing. */
enum { REGIONS_CHUNK = 16 };

typedef struct level_text {
    double tol;
    char *head;     /* level_head() */
    char **region;  /* l->n: each region's entry, compact JSON */
    json_t *names;  /* the figures' names, until figures is made */
    char *figures;  /* regions/<level>-figures.json */
} level_text;

struct mg_regions_job {
    const mg_dataset *d;
    const mg_maps *maps;
    level_text *lv;
    size_t n_chunks;    /* units 0..n_chunks-1: REGIONS_CHUNK regions */
    size_t n_units;     /* then one per level: its figures */
    size_t *unit_level; /* the level of each chunk, and its first region */
    size_t *unit_first;
    atomic_size_t next; /* the next unit to take */
    atomic_int stop;    /* an error, or the job freed: take no more */
    pthread_t *threads;
    int n_threads; /* started; 0: the work is done in mg_regions_finish() */
    int later;     /* threads to start in mg_regions_finish() (not beside) */
    int joined;
    pthread_mutex_t lock; /* rc, err, maps_set */
    pthread_cond_t maps_ready;
    int maps_set; /* mg_regions_set_maps() done: heads and names there */
    int rc;
    mg_error err;
};

/* Keeps the job's first error, and stops the other threads. */
static void job_fail(mg_regions_job *j, const mg_error *e)
{
    pthread_mutex_lock(&j->lock);
    if (!j->rc) {
        j->rc = e->code ? e->code : MG_ERR_NOMEM;
        j->err = *e;
    }
    atomic_store(&j->stop, 1);
    pthread_cond_broadcast(&j->maps_ready);
    pthread_mutex_unlock(&j->lock);
}

/* Waits for mg_regions_set_maps(): 1 once it is done, 0 when the job
 * stopped first. */
static int wait_maps(mg_regions_job *j)
{
    pthread_mutex_lock(&j->lock);
    while (!j->maps_set && !atomic_load(&j->stop))
        pthread_cond_wait(&j->maps_ready, &j->lock);
    int ok = j->maps_set && !atomic_load(&j->stop);
    pthread_mutex_unlock(&j->lock);
    return ok;
}

/* Unit u: REGIONS_CHUNK regions' entries, or (once the maps are set) a
 * level's figures. */
static int do_unit(mg_regions_job *j, mg_geom *gm, rings *R, jtext *buf,
                   size_t u, mg_error *e)
{
    const mg_dataset *d = j->d;
    if (u >= j->n_chunks) {
        size_t li = u - j->n_chunks;
        if (!wait_maps(j))
            return MG_OK; /* stopped: the error is the job's already */
        j->lv[li].figures = figures_text(d, li, j->lv[li].names);
        json_decref(j->lv[li].names);
        j->lv[li].names = NULL;
        return j->lv[li].figures ? MG_OK : nomem(e);
    }
    size_t li = j->unit_level[u], i0 = j->unit_first[u];
    level_text *t = &j->lv[li];
    size_t n = d->levels[li].n;
    for (size_t i = i0; i < n && i < i0 + REGIONS_CHUNK; i++) {
        if (mg_interrupted)
            return mg_error_set(e, MG_ERR_INTERRUPTED, NULL, -1, NULL,
                                "interrupted");
        t->region[i] = region_text(gm, R, d, li, i, t->tol, buf);
        if (!t->region[i])
            return nomem(e);
    }
    return MG_OK;
}

/* A thread of the job (or the caller of mg_regions_finish()): takes units
 * until none is left, each with its own GEOS context. */
static void *job_main(void *arg)
{
    mg_regions_job *j = arg;
    mg_error e;
    mg_error_clear(&e);
    mg_geom gm;
    jtext buf = {0};
    rings R = {0};
    if (mg_geom_init(&gm) != 0) {
        nomem(&e);
        job_fail(j, &e);
        return NULL;
    }
    while (!atomic_load(&j->stop)) {
        size_t u = atomic_fetch_add(&j->next, 1);
        if (u >= j->n_units)
            break;
        if (do_unit(j, &gm, &R, &buf, u, &e)) {
            job_fail(j, &e);
            break;
        }
    }
    mg_geom_clear(&gm);
    rings_free(&R);
    free(buf.s);
    return NULL;
}

/* The levels' tolerances and the units. */
static int job_prepare(mg_regions_job *j, mg_error *err)
{
    const mg_dataset *d = j->d;
    j->lv = calloc(d->n_levels + 1, sizeof *j->lv);
    size_t chunks = 0;
    for (size_t li = 0; li < d->n_levels; li++)
        chunks += (d->levels[li].n + REGIONS_CHUNK - 1) / REGIONS_CHUNK;
    j->unit_level = malloc((chunks + 1) * sizeof *j->unit_level);
    j->unit_first = malloc((chunks + 1) * sizeof *j->unit_first);
    if (!j->lv || !j->unit_level || !j->unit_first)
        return nomem(err);
    size_t c = 0;
    for (size_t li = 0; li < d->n_levels; li++) {
        const mg_level *l = &d->levels[li];
        level_text *t = &j->lv[li];
        t->tol = level_tolerance(l);
        t->region = calloc(l->n + 1, sizeof *t->region);
        if (!t->region || isnan(t->tol))
            return nomem(err);
        for (size_t i = 0; i < l->n; i += REGIONS_CHUNK) {
            j->unit_level[c] = li;
            j->unit_first[c++] = i;
        }
    }
    j->n_chunks = c;
    j->n_units = c + d->n_levels;
    return MG_OK;
}

/* Starts up to n threads on j's work; none started: the caller does it. */
static void start_threads(mg_regions_job *j, int n)
{
    j->threads = calloc((size_t)n, sizeof *j->threads);
    for (int k = 0; j->threads && k < n; k++) {
        if (pthread_create(&j->threads[j->n_threads], NULL, job_main, j))
            break; /* those started do the work; none: the caller does */
        j->n_threads++;
    }
}

int mg_regions_start(mg_regions_job **out, const mg_dataset *d, int threads,
                     int beside, mg_error *err)
{
    mg_regions_job *j = calloc(1, sizeof *j);
    *out = j;
    if (!j)
        return nomem(err);
    j->d = d;
    atomic_init(&j->next, 0);
    atomic_init(&j->stop, 0);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->maps_ready, NULL);
    mg_error_clear(&j->err);
    int rc = job_prepare(j, err);
    if (rc || threads < 2)
        return rc;
    if (beside)
        start_threads(j, threads);
    else
        j->later = threads;
    return MG_OK;
}

int mg_regions_set_maps(mg_regions_job *j, const mg_maps *maps,
                        mg_error *err)
{
    const mg_dataset *d = j->d;
    j->maps = maps;
    for (size_t li = 0; li < d->n_levels; li++) {
        level_text *t = &j->lv[li];
        t->head = level_head(d, maps, li, t->tol);
        t->names = figure_names(&d->levels[li], &d->project->model);
        add_map_fields(t->names, maps, li);
        if (!t->head || !t->names)
            return nomem(err);
    }
    pthread_mutex_lock(&j->lock);
    j->maps_set = 1;
    pthread_cond_broadcast(&j->maps_ready);
    pthread_mutex_unlock(&j->lock);
    return MG_OK;
}

/* Waits for the job's threads (once). */
static void job_join(mg_regions_job *j)
{
    for (int k = 0; !j->joined && k < j->n_threads; k++)
        pthread_join(j->threads[k], NULL);
    j->joined = 1;
}

void mg_regions_job_free(mg_regions_job *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->lock);
    atomic_store(&j->stop, 1);
    pthread_cond_broadcast(&j->maps_ready);
    pthread_mutex_unlock(&j->lock);
    job_join(j);
    for (size_t li = 0; j->lv && li < j->d->n_levels; li++) {
        level_text *t = &j->lv[li];
        for (size_t i = 0; t->region && i < j->d->levels[li].n; i++)
            free(t->region[i]);
        free(t->region);
        free(t->head);
        free(t->figures);
        json_decref(t->names);
    }
    free(j->lv);
    free(j->unit_level);
    free(j->unit_first);
    free(j->threads);
    pthread_mutex_destroy(&j->lock);
    pthread_cond_destroy(&j->maps_ready);
    free(j);
}

/* ---- the files ---------------------------------------------------------- */

/* Stages dir/name in set (refusing an existing one without force) and
 * opens its temporary file for writing into *f. */
static int stage_open(mg_outset *set, const char *dir, const char *name,
                      int force, FILE **f, const char **tmp, mg_error *err)
{
    char *final = path_join(dir, name, NULL);
    int rc = final ? MG_OK : nomem(err);
    *f = NULL;
    if (!rc && !force && path_exists(final))
        rc = mg_error_set(err, MG_ERR_OUTPUT, final, -1, NULL,
                          "already exists; pass --force to replace it");
    if (!rc && !(*tmp = mg_outset_add(set, final, err)))
        rc = err->code;
    if (!rc && !(*f = fopen(*tmp, "wb")))
        rc = mg_error_errno(err, MG_ERR_OUTPUT, *tmp, "cannot write");
    free(final);
    return rc;
}

/* Ends the file of stage_open() with a newline and closes it; ok 0: a
 * write failed. */
static int stage_close(FILE *f, int ok, const char *tmp, mg_error *err)
{
    ok = ok && fputc('\n', f) != EOF;
    if (fclose(f) != 0)
        ok = 0;
    return ok ? MG_OK : mg_error_errno(err, MG_ERR_OUTPUT, tmp, "cannot write");
}

/* Stages dir/name and writes text there, with a final newline. */
static int stage_text(mg_outset *set, const char *dir, const char *name,
                      const char *text, int force, mg_error *err)
{
    FILE *f = NULL;
    const char *tmp = NULL;
    int rc = text ? stage_open(set, dir, name, force, &f, &tmp, err)
                  : nomem(err);
    if (!rc)
        rc = stage_close(f, fputs(text, f) >= 0, tmp, err);
    return rc;
}

/* Stages regions/<level>.json: the head, then the regions' entries. */
static int stage_level(mg_outset *set, const char *dir, const char *name,
                       const level_text *t, size_t n, int force,
                       mg_error *err)
{
    FILE *f = NULL;
    const char *tmp = NULL;
    int rc = stage_open(set, dir, name, force, &f, &tmp, err);
    if (rc)
        return rc;
    int ok = fputs(t->head, f) >= 0 && fputs(",\"regions\":[", f) >= 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = (i == 0 || fputc(',', f) != EOF) && fputs(t->region[i], f) >= 0;
    ok = ok && fputs("]}", f) >= 0;
    return stage_close(f, ok, tmp, err);
}

/* The recommended sites, for the county report page. */
static json_t *sites_json(const mg_sites *sites)
{
    json_t *a = json_array();
    for (size_t i = 0; a && sites && i < sites->n; i++) {
        const mg_site *t = &sites->v[i];
        json_t *o = json_pack(
            "{s:s, s:s, s:i, s:s?, s:s?, s:s?, s:s?, s:f, s:f, s:o, s:I}",
            "method", t->method, "category", t->category, "rank", t->rank,
            "candidate", t->candidate, "name", t->name, "region_code",
            t->region_code, "region_name", t->region_name, "lon",
            round4(t->lon), "lat", round4(t->lat), "need_covered",
            num(t->need_covered), "regions_served",
            (json_int_t)t->regions_served);
        json_array_append_new(a, o);
    }
    return a;
}

/* regions/index.json: what the page loads first. */
static json_t *index_json(const mg_dataset *d, const mg_sites *sites,
                          const char *const *downloads, size_t n_downloads)
{
    const mg_model_spec *m = &d->project->model;
    json_t *cats = json_array();
    for (size_t c = 0; cats && c < m->n_categories; c++) {
        char field[160];
        mg_field_name(field, sizeof field, "", m->categories[c]);
        json_array_append_new(cats, json_pack("{s:s, s:s}", "name", field,
                                              "title", m->categories[c]));
    }
    json_t *levels = json_array();
    for (size_t li = 0; levels && li < d->n_levels; li++) {
        char file[160], figures[160];
        snprintf(file, sizeof file, "regions/%s.json", d->levels[li].level);
        snprintf(figures, sizeof figures, "regions/%s-figures.json",
                 d->levels[li].level);
        json_array_append_new(
            levels, json_pack("{s:s, s:s?, s:s, s:s, s:I}", "level",
                              d->levels[li].level, "parent_level",
                              li + 1 < d->n_levels ? d->levels[li + 1].level
                                                   : NULL,
                              "file", file, "figures", figures, "regions",
                              (json_int_t)d->levels[li].n));
    }
    json_t *dl = json_array();
    for (size_t k = 0; dl && k < n_downloads; k++)
        json_array_append_new(dl, json_string(downloads[k]));
    return json_pack("{s:s, s:o, s:o, s:o, s:o}", "format",
                     "mapgen-regions 1", "categories", cats, "levels", levels,
                     "downloads", dl, "sites", sites_json(sites));
}


int mg_regions_finish(mg_regions_job *j, mg_outset *set, const char *dir,
                      const char *const *downloads, size_t n_downloads,
                      int force, mg_error *err)
{
    if (!j->maps_set)
        return mg_error_set(err, MG_ERR_USAGE, NULL, -1, NULL,
                            "regions: mg_regions_set_maps() not called");
    if (j->later && j->n_threads == 0)
        start_threads(j, j->later);
    if (j->n_threads == 0)
        job_main(j); /* no thread of its own: here, now */
    job_join(j);
    if (j->rc) {
        *err = j->err;
        return j->rc;
    }
    const mg_dataset *d = j->d;
    json_t *index = index_json(d, j->maps ? j->maps->sites : NULL,
                               downloads, n_downloads);
    char *text = index ? json_dumps(index, REGIONS_JSON_FLAGS) : NULL;
    json_decref(index);
    int rc = stage_text(set, dir, "regions/index.json", text, force, err);
    free(text);
    for (size_t li = 0; !rc && li < d->n_levels; li++) {
        char name[160];
        snprintf(name, sizeof name, "regions/%s.json", d->levels[li].level);
        rc = stage_level(set, dir, name, &j->lv[li], d->levels[li].n, force,
                         err);
        snprintf(name, sizeof name, "regions/%s-figures.json",
                 d->levels[li].level);
        if (!rc)
            rc = stage_text(set, dir, name, j->lv[li].figures, force, err);
    }
    return rc;
}
