/* Style files (docs/styles.md): JSON read with jansson and checked key by
 * key; every error names the file and the JSON path of the key. */
#include "internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sctx {
    const char *file;
    mg_error *err;
} sctx;

static int fail(sctx *c, const char *jpath, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(sctx *c, const char *jpath, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mg_error_setv(c->err, MG_ERR_PROJECT, c->file, -1, jpath, fmt, ap);
    va_end(ap);
    return MG_ERR_PROJECT;
}

static int nomem(sctx *c)
{
    return mg_error_set(c->err, MG_ERR_NOMEM, c->file, -1, NULL,
                        "out of memory");
}

static void join_path(char *out, size_t n, const char *base, const char *key)
{
    snprintf(out, n, "%s%s%s", base, *base ? "." : "", key);
}

/* Keys starting with "_" are comments. */
static int check_keys(sctx *c, json_t *obj, const char *jpath,
                      const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        int ok = key[0] == '_';
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (ok)
            continue;
        char list[512] = "", path[256];
        for (size_t i = 0; allowed[i]; i++) {
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, allowed[i], sizeof list - strlen(list) - 1);
        }
        join_path(path, sizeof path, jpath, key);
        return fail(c, path, "unknown key '%s'; expected one of: %s", key,
                    list);
    }
    return MG_OK;
}

static int get_str(sctx *c, json_t *o, const char *jpath, const char *key,
                   char **out)
{
    char path[256];
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return MG_OK;
    join_path(path, sizeof path, jpath, key);
    if (!json_is_string(v) || json_string_length(v) == 0)
        return fail(c, path, "'%s' must be a non-empty string", key);
    return (*out = strdup(json_string_value(v))) ? MG_OK : nomem(c);
}

/* A number in [lo, hi]; absent leaves *out as it is. */
static int get_num(sctx *c, json_t *o, const char *jpath, const char *key,
                   double lo, double hi, double *out)
{
    char path[256];
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return MG_OK;
    join_path(path, sizeof path, jpath, key);
    if (!json_is_number(v))
        return fail(c, path, "'%s' must be a number", key);
    double d = json_number_value(v);
    if (!(d >= lo && d <= hi))
        return fail(c, path, "'%s' must be between %g and %g (got %g)", key,
                    lo, hi, d);
    *out = d;
    return MG_OK;
}

static int get_int(sctx *c, json_t *o, const char *jpath, const char *key,
                   int lo, int hi, int *out)
{
    char path[256];
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return MG_OK;
    join_path(path, sizeof path, jpath, key);
    if (!json_is_integer(v) || json_integer_value(v) < lo ||
        json_integer_value(v) > hi)
        return fail(c, path, "'%s' must be a whole number from %d to %d", key,
                    lo, hi);
    *out = (int)json_integer_value(v);
    return MG_OK;
}

static int get_bool(sctx *c, json_t *o, const char *jpath, const char *key,
                    int *out)
{
    char path[256];
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return MG_OK;
    join_path(path, sizeof path, jpath, key);
    if (!json_is_boolean(v))
        return fail(c, path, "'%s' must be true or false", key);
    *out = json_is_true(v);
    return MG_OK;
}

static int parse_colour_at(sctx *c, json_t *v, const char *path, mg_rgba *out)
{
    if (!json_is_string(v) ||
        mg_styles_parse_colour(json_string_value(v), out, NULL) != MG_OK)
        return fail(c, path, "a colour is written \"#rrggbb\" or "
                    "\"#rrggbbaa\" (got %s)",
                    json_is_string(v) ? json_string_value(v) : "a non-string");
    return MG_OK;
}

static int get_colour(sctx *c, json_t *o, const char *jpath, const char *key,
                      mg_rgba *out)
{
    char path[256];
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return MG_OK;
    join_path(path, sizeof path, jpath, key);
    return parse_colour_at(c, v, path, out);
}

/* "outline": {"color": ..., "width": ...} */
static int parse_outline(sctx *c, json_t *o, const char *jpath,
                         mg_style_layer *l)
{
    static const char *const keys[] = {"color", "width", NULL};
    char path[256];
    json_t *v = json_object_get(o, "outline");
    if (!v || json_is_null(v))
        return MG_OK;
    join_path(path, sizeof path, jpath, "outline");
    if (!json_is_object(v))
        return fail(c, path, "'outline' must be an object "
                    "{\"color\": \"#rrggbb\", \"width\": 0.5}");
    l->outline = (mg_rgba){0, 0, 0, 255};
    l->outline_width = 1.0;
    int rc = check_keys(c, v, path, keys);
    if (!rc) rc = get_colour(c, v, path, "color", &l->outline);
    if (!rc) rc = get_num(c, v, path, "width", 0.0, 100.0, &l->outline_width);
    return rc;
}

static int parse_classification(sctx *c, json_t *o, const char *jpath,
                                mg_style_layer *l)
{
    static const char *const keys[] = {"method", "classes", "breaks", NULL};
    char path[256], sub[300];
    json_t *v = json_object_get(o, "classification");
    join_path(path, sizeof path, jpath, "classification");
    l->method = MG_CLASS_JENKS;
    l->classes = 5;
    if (!v || json_is_null(v))
        return MG_OK;
    if (!json_is_object(v))
        return fail(c, path, "'classification' must be an object");
    int rc = check_keys(c, v, path, keys);
    json_t *m = json_object_get(v, "method");
    join_path(sub, sizeof sub, path, "method");
    if (!rc && m && (!json_is_string(m) ||
                     mg_styles_parse_method(json_string_value(m), &l->method,
                                            NULL)))
        return fail(c, sub, "unknown method '%s'; expected fixed, "
                    "equal_interval, quantile or jenks",
                    json_is_string(m) ? json_string_value(m) : "?");
    int given = 0;
    json_t *k = json_object_get(v, "classes");
    if (!rc && k) {
        join_path(sub, sizeof sub, path, "classes");
        if (!json_is_integer(k) || json_integer_value(k) < 1 ||
            json_integer_value(k) > MG_CLASSES_MAX)
            return fail(c, sub, "'classes' must be a whole number from 1 to "
                        "%d", MG_CLASSES_MAX);
        l->classes = (int)json_integer_value(k);
        given = 1;
    }
    json_t *b = json_object_get(v, "breaks");
    join_path(sub, sizeof sub, path, "breaks");
    if (!rc && l->method != MG_CLASS_FIXED && b)
        return fail(c, sub, "'breaks' belong to the method \"fixed\"");
    if (rc || l->method != MG_CLASS_FIXED)
        return rc;
    if (!json_is_array(b) || json_array_size(b) < 1 ||
        json_array_size(b) > MG_CLASSES_MAX - 1)
        return fail(c, sub, "the method \"fixed\" needs 'breaks': 1 to %d "
                    "increasing numbers", MG_CLASSES_MAX - 1);
    size_t nb = json_array_size(b);
    for (size_t i = 0; i < nb; i++) {
        json_t *x = json_array_get(b, i);
        if (!json_is_number(x) || !isfinite(json_number_value(x)) ||
            (i > 0 && !(json_number_value(x) > l->breaks[i - 1])))
            return fail(c, sub, "break %zu must be a number above the one "
                        "before it", i + 1);
        l->breaks[i] = json_number_value(x);
    }
    if (given && l->classes != (int)nb + 1)
        return fail(c, sub, "%zu breaks make %zu classes, but 'classes' is %d",
                    nb, nb + 1, l->classes);
    l->classes = (int)nb + 1;
    return MG_OK;
}

/* Checks that palette comes in the colours a layer of k classes takes
 * (fewer than 3 classes take colours from its 3-colour form). */
static int check_palette(sctx *c, const char *path, const char *name, int k)
{
    mg_palette p;
    mg_error e;
    if (mg_styles_find_palette(name, k < 3 ? 3 : k, &p, &e) != MG_OK)
        return fail(c, path, "%s", e.message);
    return MG_OK;
}

/* Polygon colours: "palette" or "colors" (k of them), "labels". */
static int parse_class_colours(sctx *c, json_t *o, const char *jpath,
                               mg_style_layer *l)
{
    char path[256];
    int rc = get_str(c, o, jpath, "palette", &l->palette);
    json_t *cols = json_object_get(o, "colors");
    join_path(path, sizeof path, jpath, "colors");
    if (!rc && l->palette && cols)
        return fail(c, path, "give 'palette' or 'colors', not both");
    if (!rc && !l->palette && !cols)
        return fail(c, jpath[0] ? jpath : "layers",
                    "a layer with a 'field' needs a 'palette' or 'colors'");
    if (!rc && l->palette) {
        join_path(path, sizeof path, jpath, "palette");
        rc = check_palette(c, path, l->palette, l->classes);
    }
    if (!rc && cols) {
        if (!json_is_array(cols) || (int)json_array_size(cols) != l->classes)
            return fail(c, path, "'colors' must list one colour per class "
                        "(%d)", l->classes);
        for (int i = 0; i < l->classes && !rc; i++) {
            char p2[300];
            snprintf(p2, sizeof p2, "%s[%d]", path, i);
            rc = parse_colour_at(c, json_array_get(cols, (size_t)i), p2,
                                 &l->colours[i]);
        }
        l->n_colours = l->classes;
    }
    json_t *labels = json_object_get(o, "labels");
    join_path(path, sizeof path, jpath, "labels");
    if (!rc && labels) {
        if (!json_is_array(labels) ||
            (int)json_array_size(labels) != l->classes)
            return fail(c, path, "'labels' must list one label per class "
                        "(%d)", l->classes);
        for (int i = 0; i < l->classes; i++) {
            json_t *s = json_array_get(labels, (size_t)i);
            if (!json_is_string(s))
                return fail(c, path, "label %d must be a string", i + 1);
            if (!(l->labels[i] = strdup(json_string_value(s))))
                return nomem(c);
            l->n_labels = i + 1;
        }
    }
    return rc;
}

/* Point colours: "colors": {"category": "#rrggbb", ...} or "palette". */
static int parse_category_colours(sctx *c, json_t *o, const char *jpath,
                                  mg_style_layer *l)
{
    char path[256];
    int rc = get_str(c, o, jpath, "palette", &l->palette);
    if (!rc && l->palette) {
        join_path(path, sizeof path, jpath, "palette");
        mg_palette p;
        mg_error e;
        if (mg_styles_find_palette(l->palette, 3, &p, &e) != MG_OK)
            return fail(c, path, "%s", e.message);
    }
    json_t *cols = json_object_get(o, "colors");
    join_path(path, sizeof path, jpath, "colors");
    if (rc || !cols)
        return rc;
    if (!json_is_object(cols))
        return fail(c, path, "for points, 'colors' maps each category to a "
                    "colour: {\"consultation\": \"#1b9e77\", ...}");
    size_t n = json_object_size(cols);
    l->categories = calloc(n + 1, sizeof *l->categories);
    l->category_colours = calloc(n + 1, sizeof *l->category_colours);
    if (!l->categories || !l->category_colours)
        return nomem(c);
    const char *key;
    json_t *v;
    json_object_foreach(cols, key, v) {
        char p2[400];
        snprintf(p2, sizeof p2, "%s.%s", path, key);
        rc = parse_colour_at(c, v, p2, &l->category_colours[l->n_categories]);
        if (rc)
            return rc;
        if (!(l->categories[l->n_categories] = strdup(key)))
            return nomem(c);
        l->n_categories++;
    }
    return MG_OK;
}

static int parse_source(sctx *c, json_t *o, const char *jpath,
                        mg_style_layer *l)
{
    char path[256];
    int rc = get_str(c, o, jpath, "layer", &l->source);
    if (rc)
        return rc;
    if (!l->source &&
        !(l->source = strdup(l->kind == MG_STYLE_POINTS ? "providers"
                                                        : "regions")))
        return nomem(c);
    join_path(path, sizeof path, jpath, "layer");
    if (l->kind == MG_STYLE_POINTS && strcmp(l->source, "providers") != 0 &&
        strcmp(l->source, "sites") != 0)
        return fail(c, path, "a points layer draws \"providers\" or "
                    "\"sites\" (got '%s')", l->source);
    if (l->kind == MG_STYLE_POLYGONS && strcmp(l->source, "regions") != 0 &&
        strcmp(l->source, "parent_regions") != 0 &&
        strncmp(l->source, "regions_", 8) != 0)
        return fail(c, path, "a polygons layer draws \"regions\", "
                    "\"parent_regions\" or \"regions_<level>\" (got '%s')",
                    l->source);
    return MG_OK;
}

static int parse_layer(sctx *c, json_t *o, const char *jpath,
                       mg_style_layer *l)
{
    static const char *const keys[] = {"type", "layer", "field",
        "classification", "palette", "reverse", "colors", "labels", "fill",
        "no_data", "outline", "radius", "other", "minzoom", "maxzoom",
        "legend_title", "legend", NULL};
    char path[256];
    if (!(l->json_path = strdup(jpath)))
        return nomem(c);
    if (!json_is_object(o))
        return fail(c, jpath, "a layer must be an object");
    int rc = check_keys(c, o, jpath, keys);
    json_t *t = json_object_get(o, "type");
    join_path(path, sizeof path, jpath, "type");
    if (!rc && !t)
        return fail(c, path, "required key 'type' is missing (\"polygons\" "
                    "or \"points\")");
    if (!rc && json_is_string(t) && !strcmp(json_string_value(t), "points"))
        l->kind = MG_STYLE_POINTS;
    else if (!rc && !(json_is_string(t) &&
                      !strcmp(json_string_value(t), "polygons")))
        return fail(c, path, "'type' must be \"polygons\" or \"points\"");
    l->no_data = (mg_rgba){0xcc, 0xcc, 0xcc, 255};
    l->other = (mg_rgba){0x96, 0x96, 0x96, 255};
    l->fill = l->kind == MG_STYLE_POINTS ? (mg_rgba){0x31, 0x82, 0xbd, 255}
                                         : (mg_rgba){0, 0, 0, 0};
    l->radius = 3.0;
    l->maxzoom = STYLES_MAX_ZOOM;
    l->in_legend = 1;
    if (!rc) rc = parse_source(c, o, jpath, l);
    if (!rc) rc = get_str(c, o, jpath, "field", &l->field);
    if (!rc) rc = get_str(c, o, jpath, "legend_title", &l->legend_title);
    if (!rc) rc = get_bool(c, o, jpath, "legend", &l->in_legend);
    if (!rc) rc = get_bool(c, o, jpath, "reverse", &l->reverse);
    if (!rc) rc = get_colour(c, o, jpath, "fill", &l->fill);
    if (!rc) rc = get_colour(c, o, jpath, "no_data", &l->no_data);
    if (!rc) rc = get_colour(c, o, jpath, "other", &l->other);
    if (!rc) rc = parse_outline(c, o, jpath, l);
    if (!rc) rc = get_num(c, o, jpath, "radius", 0.1, 100.0, &l->radius);
    if (!rc) rc = get_int(c, o, jpath, "minzoom", 0, STYLES_MAX_ZOOM,
                          &l->minzoom);
    if (!rc) rc = get_int(c, o, jpath, "maxzoom", 0, STYLES_MAX_ZOOM,
                          &l->maxzoom);
    join_path(path, sizeof path, jpath, "maxzoom");
    if (!rc && l->minzoom > l->maxzoom)
        return fail(c, path, "'maxzoom' (%d) is below 'minzoom' (%d)",
                    l->maxzoom, l->minzoom);
    if (rc)
        return rc;
    if (l->kind == MG_STYLE_POINTS)
        return parse_category_colours(c, o, jpath, l);
    if (l->field) {
        rc = parse_classification(c, o, jpath, l);
        if (!rc) rc = parse_class_colours(c, o, jpath, l);
        return rc;
    }
    static const char *const field_only[] = {"classification", "palette",
        "colors", "labels", "reverse", NULL};
    for (size_t i = 0; field_only[i]; i++)
        if (json_object_get(o, field_only[i])) {
            join_path(path, sizeof path, jpath, field_only[i]);
            return fail(c, path, "'%s' needs a 'field' to colour by",
                        field_only[i]);
        }
    return MG_OK;
}

static int parse_root(sctx *c, json_t *root, mg_style *s)
{
    static const char *const keys[] = {"title", "description", "legend_title",
        "opacity", "layers", NULL};
    if (!json_is_object(root))
        return fail(c, "", "a style file must hold a JSON object");
    int rc = check_keys(c, root, "", keys);
    if (!rc) rc = get_str(c, root, "", "title", &s->title);
    if (!rc) rc = get_str(c, root, "", "description", &s->description);
    if (!rc) rc = get_str(c, root, "", "legend_title", &s->legend_title);
    s->opacity = 1.0;
    if (!rc) rc = get_num(c, root, "", "opacity", 0.0, 1.0, &s->opacity);
    if (rc)
        return rc;
    json_t *layers = json_object_get(root, "layers");
    if (!layers)
        return fail(c, "layers", "required key 'layers' is missing");
    if (!json_is_array(layers) || json_array_size(layers) == 0)
        return fail(c, "layers", "'layers' must be a non-empty array");
    s->layers = calloc(json_array_size(layers), sizeof *s->layers);
    if (!s->layers)
        return nomem(c);
    for (size_t i = 0; i < json_array_size(layers) && !rc; i++) {
        char path[64];
        snprintf(path, sizeof path, "layers[%zu]", i);
        s->n_layers = i + 1;
        rc = parse_layer(c, json_array_get(layers, i), path, &s->layers[i]);
    }
    return rc;
}

int mg_style_parse(const char *json, const char *path, mg_style **out,
                   mg_error *err)
{
    sctx c = {path ? path : "(style)", err};
    json_error_t jerr;
    *out = NULL;
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return mg_error_set(err, MG_ERR_PROJECT, c.file, -1, NULL,
                            "line %d, column %d: %s", jerr.line, jerr.column,
                            jerr.text);
    mg_style *s = calloc(1, sizeof *s);
    int rc = s ? MG_OK : nomem(&c);
    if (!rc && !(s->path = strdup(c.file)))
        rc = nomem(&c);
    if (!rc)
        rc = parse_root(&c, root, s);
    json_decref(root);
    if (rc) {
        mg_style_free(s);
        return rc;
    }
    *out = s;
    return MG_OK;
}

int mg_style_load(const char *path, mg_style **out, mg_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return mg_error_set(err, MG_ERR_PROJECT, path, -1, NULL,
                            "cannot open the style file");
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len + 4097 > cap) {
            cap = cap ? 2 * cap : 8192;
            char *t = realloc(text, cap);
            if (!t) {
                free(text);
                fclose(f);
                return mg_error_set(err, MG_ERR_NOMEM, path, -1, NULL,
                                    "out of memory");
            }
            text = t;
        }
        got = fread(text + len, 1, 4096, f);
        len += got;
    } while (got == 4096);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(text);
        return mg_error_set(err, MG_ERR_PROJECT, path, -1, NULL,
                            "cannot read the style file");
    }
    text[len] = '\0';
    int rc = mg_style_parse(text, path, out, err);
    free(text);
    return rc;
}

static void layer_clear(mg_style_layer *l)
{
    free(l->source);
    free(l->field);
    free(l->palette);
    for (int i = 0; i < l->n_labels; i++)
        free(l->labels[i]);
    for (size_t i = 0; i < l->n_categories; i++)
        free(l->categories[i]);
    free(l->categories);
    free(l->category_colours);
    free(l->legend_title);
    free(l->json_path);
}

void mg_style_free(mg_style *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_layers; i++)
        layer_clear(&s->layers[i]);
    free(s->layers);
    free(s->path);
    free(s->title);
    free(s->description);
    free(s->legend_title);
    free(s);
}
