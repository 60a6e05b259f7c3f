/* Styles applied to data: colours per feature and the legend that
 * explains them. */
#include "internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- legend data -------------------------------------------------------- */

int mg_legend_add_group(mg_legend *l, const char *title)
{
    mg_legend_group *g = realloc(l->groups,
                                 (l->n_groups + 1) * sizeof *l->groups);
    if (!g)
        return MG_ERR_NOMEM;
    l->groups = g;
    mg_legend_group *ng = &g[l->n_groups];
    memset(ng, 0, sizeof *ng);
    if (title && !(ng->title = strdup(title)))
        return MG_ERR_NOMEM;
    l->n_groups++;
    return MG_OK;
}

int mg_legend_add_item(mg_legend *l, const char *label, mg_rgba colour,
                       mg_rgba outline, mg_legend_shape shape)
{
    if (l->n_groups == 0 && mg_legend_add_group(l, NULL))
        return MG_ERR_NOMEM;
    mg_legend_group *g = &l->groups[l->n_groups - 1];
    mg_legend_item *it = realloc(g->items, (g->n + 1) * sizeof *g->items);
    if (!it)
        return MG_ERR_NOMEM;
    g->items = it;
    it[g->n] = (mg_legend_item){strdup(label ? label : ""), colour, outline,
                                shape};
    if (!it[g->n].label)
        return MG_ERR_NOMEM;
    g->n++;
    return MG_OK;
}

int mg_legend_set_title(mg_legend *l, const char *title)
{
    free(l->title);
    l->title = title ? strdup(title) : NULL;
    return !title || l->title ? MG_OK : MG_ERR_NOMEM;
}

void mg_legend_clear(mg_legend *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n_groups; i++) {
        for (size_t k = 0; k < l->groups[i].n; k++)
            free(l->groups[i].items[k].label);
        free(l->groups[i].items);
        free(l->groups[i].title);
    }
    free(l->groups);
    free(l->title);
    memset(l, 0, sizeof *l);
}

char *mg_legend_to_json(const mg_legend *l)
{
    static const char *const shapes[] = {"box", "dot", "line"};
    json_t *a = json_array();
    int ok = a != NULL;
    int with_group = l->n_groups > 1 ||
                     (l->n_groups == 1 && l->groups[0].title);
    for (size_t i = 0; ok && i < l->n_groups; i++) {
        const mg_legend_group *g = &l->groups[i];
        for (size_t k = 0; ok && k < g->n; k++) {
            char hex[10];
            mg_styles_format_colour(g->items[k].colour, hex);
            json_t *o = json_pack("{s:s, s:s, s:s}", "label", g->items[k].label,
                                  "color", hex, "shape",
                                  shapes[g->items[k].shape]);
            if (o && with_group && g->title)
                json_object_set_new(o, "group", json_string(g->title));
            ok = o && json_array_append_new(a, o) == 0;
        }
    }
    char *s = ok ? json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(a);
    return s;
}

/* ---- labels ------------------------------------------------------------- */

/* v with `decimals` decimals, trailing zeros (and a bare point) dropped,
 * "-0" written "0". */
static void format_number(double v, int decimals, char *out, size_t n)
{
    snprintf(out, n, "%.*f", decimals, v);
    if (strchr(out, '.')) {
        size_t len = strlen(out);
        while (len > 0 && out[len - 1] == '0')
            out[--len] = '\0';
        if (len > 0 && out[len - 1] == '.')
            out[--len] = '\0';
    }
    if (strcmp(out, "-0") == 0)
        memmove(out, out + 1, strlen(out));
}

static int printed_distinct(const mg_breaks *b, int d)
{
    char prev[40], cur[40];
    format_number(b->b[0], d, prev, sizeof prev);
    for (int i = 1; i <= b->k; i++) {
        format_number(b->b[i], d, cur, sizeof cur);
        if (b->b[i] != b->b[i - 1] && strcmp(cur, prev) == 0)
            return 0;
        memcpy(prev, cur, sizeof prev);
    }
    return 1;
}

/* The decimals v needs to be written exactly (at most 6). */
static int exact_decimals(double v)
{
    double scale = 1.0;
    for (int d = 0; d < 6; d++, scale *= 10.0)
        if (fabs(round(v * scale) / scale - v) <= 1e-9 * fmax(1.0, fabs(v)))
            return d;
    return 6;
}

void mg_styles_format_classes(const mg_breaks *b, char labels[][64])
{
    /* As many decimals as the breaks need, but no more than the range
     * makes meaningful (3 significant digits of it), and enough to tell
     * the breaks apart. */
    int exact = 0;
    for (int i = 0; i <= b->k; i++)
        if (fabs(b->b[i]) < 1e15 && exact_decimals(b->b[i]) > exact)
            exact = exact_decimals(b->b[i]);
    double range = b->b[b->k] - b->b[0];
    int meaningful = range > 0.0 ? 2 - (int)floor(log10(range)) : 2;
    int d = exact < meaningful ? exact : meaningful;
    d = d < 0 ? 0 : d > 6 ? 6 : d;
    while (d < 6 && !printed_distinct(b, d))
        d++;
    for (int i = 0; i < b->k; i++) {
        char lo[28], hi[28];
        format_number(b->b[i], d, lo, sizeof lo);
        format_number(b->b[i + 1], d, hi, sizeof hi);
        if (strcmp(lo, hi) == 0)
            snprintf(labels[i], 64, "%s", lo);
        else
            snprintf(labels[i], 64, "%s \xe2\x80\x93 %s", lo, hi);
    }
}

/* ---- colouring ---------------------------------------------------------- */

/* Colours for k classes: the explicit ones or the palette's, spread evenly
 * when there are fewer classes than the style asked for (or than the
 * palette's smallest size), reversed when asked. */
int mg_style_class_colours(const mg_style *s, const mg_style_layer *l, int k,
                           mg_rgba *out, mg_error *err)
{
    mg_rgba src[MG_CLASSES_MAX];
    int m;
    if (l->n_colours > 0) {
        memcpy(src, l->colours, sizeof src);
        m = l->n_colours;
    } else {
        mg_palette p;
        mg_error e;
        if (mg_styles_find_palette(l->palette, k < 3 ? 3 : k, &p, &e)) {
            char path[300];
            snprintf(path, sizeof path, "%s.palette", l->json_path);
            return mg_error_set(err, MG_ERR_PROJECT, s->path, -1, path, "%s",
                                e.message);
        }
        memcpy(src, p.colours, (size_t)p.n * sizeof *src);
        m = p.n;
    }
    for (int i = 0; i < k; i++) {
        int j = k == 1 ? (m - 1) / 2
                       : (int)floor((double)i * (m - 1) / (k - 1) + 0.5);
        out[l->reverse ? k - 1 - i : i] = src[j];
    }
    return MG_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The number of distinct non-NaN values, or SIZE_MAX when out of memory. */
static size_t count_distinct(const double *v, size_t n)
{
    double *t = malloc((n + 1) * sizeof *t);
    if (!t)
        return SIZE_MAX;
    size_t m = 0, d = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            t[m++] = v[i];
    qsort(t, m, sizeof *t, cmp_double);
    for (size_t i = 0; i < m; i++)
        d += i == 0 || t[i] != t[i - 1];
    free(t);
    return d;
}

/* "zero_class": 1 when the values are all >= 0 with some 0 and some above:
 * then 0 gets a class of its own and the rest are classified alone. */
static int zero_class_applies(const mg_style_layer *l, const double *v,
                              size_t n)
{
    if (!l->zero_label || l->method == MG_CLASS_FIXED || l->classes < 2)
        return 0;
    int zero = 0, above = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i]))
            continue;
        if (v[i] < 0)
            return 0;
        zero |= v[i] == 0;
        above |= v[i] > 0;
    }
    return zero && above;
}

/* The breaks with 0 as class 0 ([0, 0]) and the values above 0 in up to
 * k - 1 classes after it; labels filled (the first class of the values
 * above 0 is labelled from their smallest, not from 0). */
static int zero_class_breaks(const mg_style_layer *l, int k, const double *v,
                             size_t n, mg_breaks *out, mg_error *err)
{
    double *pos = malloc((n + 1) * sizeof *pos);
    if (!pos)
        return MG_ERR_NOMEM;
    size_t zeros = 0;
    for (size_t i = 0; i < n; i++) {
        zeros += v[i] == 0;
        pos[i] = v[i] == 0 ? NAN : v[i];
    }
    size_t distinct = count_distinct(pos, n);
    int kp = distinct == SIZE_MAX ? 0
             : (size_t)(k - 1) > distinct ? (int)distinct : k - 1;
    mg_class_spec spec = {l->method, kp, NULL};
    mg_breaks p;
    int rc = kp ? mg_styles_compute_breaks(&spec, pos, n, &p, err)
                : MG_ERR_NOMEM;
    free(pos);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    out->method = l->method;
    out->k = kp + 1;
    out->b[0] = out->b[1] = 0;
    out->counts[0] = zeros;
    for (int i = 1; i <= kp; i++) {
        out->b[i + 1] = p.b[i];
        out->counts[i] = p.counts[i - 1];
    }
    out->n_values = p.n_values + zeros;
    out->n_missing = p.n_missing - zeros;
    snprintf(out->labels[0], sizeof out->labels[0], "%s", l->zero_label);
    char labels[MG_CLASSES_MAX][64];
    mg_styles_format_classes(&p, labels);
    for (int i = 0; i < kp; i++)
        memcpy(out->labels[i + 1], labels[i], sizeof labels[i]);
    return MG_OK;
}

int mg_style_colour_values(const mg_style *s, const mg_style_layer *l,
                           const double *values, size_t n, mg_rgba *fill,
                           mg_breaks *breaks, mg_legend *legend,
                           char *note, size_t note_size, mg_error *err)
{
    char path[300];
    snprintf(path, sizeof path, "%s.field", l->json_path);
    if (note && note_size)
        note[0] = '\0';
    size_t distinct = count_distinct(values, n);
    if (distinct == SIZE_MAX)
        return mg_error_set(err, MG_ERR_NOMEM, s->path, -1, NULL,
                            "out of memory");
    if (distinct == 0)
        return mg_error_set(err, MG_ERR_INPUT, s->path, -1, path,
                            "'%s' has no value in any region: nothing to "
                            "classify", l->field);
    int k = l->classes;
    /* Fixed and symmetric breaks do not come from the values: few values
     * keep every class (and a change map keeps zero in its centre). */
    if (l->method != MG_CLASS_FIXED && l->method != MG_CLASS_SYMMETRIC &&
        (size_t)k > distinct) {
        k = (int)distinct;
        if (note && note_size)
            snprintf(note, note_size, "'%s' has only %zu distinct value%s: "
                     "%d class%s instead of %d", l->field, distinct,
                     distinct == 1 ? "" : "s", k, k == 1 ? "" : "es",
                     l->classes);
    }
    mg_class_spec spec = {l->method, k, l->breaks};
    mg_breaks b;
    mg_error e;
    int rc;
    if (zero_class_applies(l, values, n)) {
        mg_error_clear(&e);
        rc = zero_class_breaks(l, l->classes, values, n, &b, &e);
        if (rc == MG_ERR_NOMEM)
            return mg_error_set(err, rc, s->path, -1, NULL, "out of memory");
        k = b.k;
    } else {
        rc = mg_styles_compute_breaks(&spec, values, n, &b, &e);
        if (!rc)
            mg_styles_format_classes(&b, b.labels);
    }
    if (rc)
        return mg_error_set(err, rc, s->path, -1, path, "%s", e.message);
    for (int i = 0; i < k && l->n_labels == k; i++)
        snprintf(b.labels[i], sizeof b.labels[i], "%s", l->labels[i]);
    mg_rgba col[MG_CLASSES_MAX];
    rc = mg_style_class_colours(s, l, k, col, err);
    if (rc)
        return rc;
    int any_missing = 0;
    for (size_t i = 0; i < n; i++) {
        int c = mg_styles_find_class(&b, values[i]);
        fill[i] = c < 0 ? l->no_data : col[c];
        any_missing |= c < 0;
    }
    if (breaks)
        *breaks = b;
    if (!legend || !l->in_legend)
        return MG_OK;
    mg_rgba edge = l->outline_width > 0.0 ? l->outline : (mg_rgba){0, 0, 0, 0};
    rc = mg_legend_add_group(legend, l->legend_title);
    for (int i = 0; i < k && !rc; i++)
        rc = mg_legend_add_item(legend, b.labels[i], col[i], edge,
                                MG_LEGEND_BOX);
    if (!rc && any_missing && l->no_data.a > 0)
        rc = mg_legend_add_item(legend, "No data", l->no_data, edge,
                                MG_LEGEND_BOX);
    if (rc)
        return mg_error_set(err, rc, s->path, -1, NULL, "out of memory");
    return MG_OK;
}

/* The palette's colour count nearest to want. */
static int palette_size(const char *name, size_t want)
{
    mg_palette_info info;
    for (size_t i = 0; mg_styles_get_palette_info(i, &info) == MG_OK; i++) {
        if (strcasecmp(info.name, name) != 0)
            continue;
        if (want < (size_t)info.min_n)
            return info.min_n;
        return want > (size_t)info.max_n ? info.max_n : (int)want;
    }
    return 3;
}

int mg_style_colour_categories(const mg_style *s, const mg_style_layer *l,
                               const char *const *values, size_t n,
                               const char *const *known, size_t n_known,
                               mg_rgba *fill, mg_legend *legend,
                               mg_error *err)
{
    int by_map = l->n_categories > 0, by_palette = !by_map && l->palette;
    size_t n_list = by_map ? l->n_categories : by_palette ? n_known : 0;
    const char *const *list = by_map ? (const char *const *)l->categories
                                     : known;
    mg_rgba pal[MG_PALETTE_MAX];
    int n_pal = 0;
    if (by_palette) {
        mg_palette p;
        mg_error e;
        if (mg_styles_find_palette(l->palette,
                                   palette_size(l->palette, n_known), &p,
                                   &e)) {
            char path[300];
            snprintf(path, sizeof path, "%s.palette", l->json_path);
            return mg_error_set(err, MG_ERR_PROJECT, s->path, -1, path, "%s",
                                e.message);
        }
        n_pal = p.n;
        memcpy(pal, p.colours, sizeof pal);
    }
    size_t *used = calloc(n_list + 1, sizeof *used);
    if (!used)
        return mg_error_set(err, MG_ERR_NOMEM, s->path, -1, NULL,
                            "out of memory");
    size_t other = 0;
    for (size_t i = 0; i < n; i++) {
        if (!l->field) {
            fill[i] = l->fill;
            used[n_list]++;
            continue;
        }
        size_t j = 0;
        while (j < n_list && !(values[i] && !strcmp(values[i], list[j])))
            j++;
        if (j == n_list) {
            fill[i] = l->other;
            other++;
            continue;
        }
        fill[i] = by_map ? l->category_colours[j] : pal[j % (size_t)n_pal];
        used[j]++;
    }
    int rc = MG_OK;
    if (legend && l->in_legend) {
        mg_rgba edge = l->outline_width > 0.0 ? l->outline
                                              : (mg_rgba){0, 0, 0, 0};
        rc = mg_legend_add_group(legend, l->legend_title);
        if (!l->field && !rc && used[n_list])
            rc = mg_legend_add_item(legend, l->legend_title ? l->legend_title
                                                            : "Providers",
                                    l->fill, edge, MG_LEGEND_DOT);
        for (size_t j = 0; j < n_list && !rc; j++)
            if (used[j])
                rc = mg_legend_add_item(legend, list[j],
                                        by_map ? l->category_colours[j]
                                               : pal[j % (size_t)n_pal],
                                        edge, MG_LEGEND_DOT);
        if (!rc && other)
            rc = mg_legend_add_item(legend, "Other", l->other, edge,
                                    MG_LEGEND_DOT);
    }
    free(used);
    if (rc)
        return mg_error_set(err, rc, s->path, -1, NULL, "out of memory");
    return MG_OK;
}

int mg_style_colour_with_breaks(const mg_style *s, const mg_style_layer *l,
                                const mg_breaks *breaks, const double *values,
                                size_t n, mg_rgba *fill, mg_error *err)
{
    mg_rgba col[MG_CLASSES_MAX];
    int rc = mg_style_class_colours(s, l, breaks->k, col, err);
    for (size_t i = 0; !rc && i < n; i++) {
        int c = mg_styles_find_class(breaks, values[i]);
        fill[i] = c < 0 ? l->no_data : col[c];
    }
    return rc;
}
