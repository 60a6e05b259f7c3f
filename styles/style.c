/* Style files (docs/styles.md): JSON read with jansson and checked key by
 * key; every error names the file and the JSON path of the key. */
#include "internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A style file is read like the project file (geodata/core.h). */
typedef mg_spec sctx;

static int get_int(sctx *c, json_t *o, const char *jpath, const char *key,
                   int lo, int hi, int *out)
{
    double v = *out;
    int rc = mg_spec_get_num(c, o, jpath, key, 0, MG_SPEC_INTEGER, lo, hi, &v);
    *out = (int)v;
    return rc;
}

static int parse_colour_at(sctx *c, json_t *v, const char *path, mg_rgba *out)
{
    if (!json_is_string(v) ||
        mg_styles_parse_colour(json_string_value(v), out, NULL) != MG_OK)
        return mg_spec_fail(c, path,
                            "a colour is written \"#rrggbb\" or "
                            "\"#rrggbbaa\" (got %s)",
                            json_is_string(v) ? json_string_value(v)
                                              : "a non-string");
    return MG_OK;
}

static int get_colour(sctx *c, json_t *o, const char *jpath, const char *key,
                      mg_rgba *out)
{
    char path[256];
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return MG_OK;
    mg_spec_key_path(path, sizeof path, jpath, key);
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
    mg_spec_key_path(path, sizeof path, jpath, "outline");
    if (!json_is_object(v))
        return mg_spec_fail(c, path,
                            "'outline' must be an object "
                            "{\"color\": \"#rrggbb\", \"width\": 0.5}");
    l->outline = (mg_rgba){0, 0, 0, 255};
    l->outline_width = 1.0;
    int rc = mg_spec_check_keys(c, v, path, keys);
    if (!rc) rc = get_colour(c, v, path, "color", &l->outline);
    if (!rc)
        rc = mg_spec_get_num(c, v, path, "width", 0, 0, 0.0, 100.0,
                             &l->outline_width);
    return rc;
}

static int parse_classification(sctx *c, json_t *o, const char *jpath,
                                mg_style_layer *l)
{
    static const char *const keys[] = {"method", "classes", "breaks",
                                       "zero_class", NULL};
    char path[256], sub[300];
    json_t *v = json_object_get(o, "classification");
    mg_spec_key_path(path, sizeof path, jpath, "classification");
    l->method = MG_CLASS_JENKS;
    l->classes = 5;
    if (!v || json_is_null(v))
        return MG_OK;
    if (!json_is_object(v))
        return mg_spec_fail(c, path, "'classification' must be an object");
    int rc = mg_spec_check_keys(c, v, path, keys);
    if (!rc)
        rc = mg_spec_get_str(c, v, path, "zero_class", 0, &l->zero_label);
    mg_spec_key_path(sub, sizeof sub, path, "zero_class");
    if (!rc && l->zero_label && json_object_get(v, "method") &&
        json_is_string(json_object_get(v, "method")) &&
        !strcmp(json_string_value(json_object_get(v, "method")), "fixed"))
        return mg_spec_fail(c, sub, "'zero_class' is for the data-driven "
                            "methods; with \"fixed\" give a break at 0");
    json_t *m = json_object_get(v, "method");
    mg_spec_key_path(sub, sizeof sub, path, "method");
    if (!rc && m && (!json_is_string(m) ||
                     mg_styles_parse_method(json_string_value(m), &l->method,
                                            NULL)))
        return mg_spec_fail(c, sub,
                            "unknown method '%s'; expected fixed, "
                            "equal_interval, quantile or jenks",
                            json_is_string(m) ? json_string_value(m) : "?");
    int given = 0;
    json_t *k = json_object_get(v, "classes");
    if (!rc && k) {
        mg_spec_key_path(sub, sizeof sub, path, "classes");
        if (!json_is_integer(k) || json_integer_value(k) < 1 ||
            json_integer_value(k) > MG_CLASSES_MAX)
            return mg_spec_fail(c, sub,
                                "'classes' must be a whole number from 1 to "
                                "%d",
                                MG_CLASSES_MAX);
        l->classes = (int)json_integer_value(k);
        given = 1;
    }
    json_t *b = json_object_get(v, "breaks");
    mg_spec_key_path(sub, sizeof sub, path, "breaks");
    if (!rc && l->method != MG_CLASS_FIXED && b)
        return mg_spec_fail(c, sub, "'breaks' belong to the method \"fixed\"");
    if (rc || l->method != MG_CLASS_FIXED)
        return rc;
    if (!json_is_array(b) || json_array_size(b) < 1 ||
        json_array_size(b) > MG_CLASSES_MAX - 1)
        return mg_spec_fail(c, sub,
                            "the method \"fixed\" needs 'breaks': 1 to %d "
                            "increasing numbers",
                            MG_CLASSES_MAX - 1);
    size_t nb = json_array_size(b);
    for (size_t i = 0; i < nb; i++) {
        json_t *x = json_array_get(b, i);
        if (!json_is_number(x) || !isfinite(json_number_value(x)) ||
            (i > 0 && !(json_number_value(x) > l->breaks[i - 1])))
            return mg_spec_fail(c, sub,
                                "break %zu must be a number above the one "
                                "before it",
                                i + 1);
        l->breaks[i] = json_number_value(x);
    }
    if (given && l->classes != (int)nb + 1)
        return mg_spec_fail(c, sub,
                            "%zu breaks make %zu classes, but 'classes' is %d",
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
        return mg_spec_fail(c, path, "%s", e.message);
    return MG_OK;
}

/* Polygon colours: "palette" or "colors" (k of them), "labels". */
static int parse_class_colours(sctx *c, json_t *o, const char *jpath,
                               mg_style_layer *l)
{
    char path[256];
    int rc = mg_spec_get_str(c, o, jpath, "palette", 0, &l->palette);
    json_t *cols = json_object_get(o, "colors");
    mg_spec_key_path(path, sizeof path, jpath, "colors");
    if (!rc && l->palette && cols)
        return mg_spec_fail(c, path, "give 'palette' or 'colors', not both");
    if (!rc && !l->palette && !cols)
        return mg_spec_fail(
            c, jpath[0] ? jpath : "layers",
            "a layer with a 'field' needs a 'palette' or 'colors'");
    if (!rc && l->palette) {
        mg_spec_key_path(path, sizeof path, jpath, "palette");
        rc = check_palette(c, path, l->palette, l->classes);
    }
    if (!rc && cols) {
        if (!json_is_array(cols) || (int)json_array_size(cols) != l->classes)
            return mg_spec_fail(c, path,
                                "'colors' must list one colour per class "
                                "(%d)",
                                l->classes);
        for (int i = 0; i < l->classes && !rc; i++) {
            char p2[300];
            snprintf(p2, sizeof p2, "%s[%d]", path, i);
            rc = parse_colour_at(c, json_array_get(cols, (size_t)i), p2,
                                 &l->colours[i]);
        }
        l->n_colours = l->classes;
    }
    json_t *labels = json_object_get(o, "labels");
    mg_spec_key_path(path, sizeof path, jpath, "labels");
    if (!rc && labels) {
        if (!json_is_array(labels) ||
            (int)json_array_size(labels) != l->classes)
            return mg_spec_fail(c, path,
                                "'labels' must list one label per class "
                                "(%d)",
                                l->classes);
        for (int i = 0; i < l->classes; i++) {
            json_t *s = json_array_get(labels, (size_t)i);
            if (!json_is_string(s))
                return mg_spec_fail(c, path, "label %d must be a string",
                                    i + 1);
            if (!(l->labels[i] = strdup(json_string_value(s))))
                return mg_spec_nomem(c);
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
    int rc = mg_spec_get_str(c, o, jpath, "palette", 0, &l->palette);
    if (!rc && l->palette) {
        mg_spec_key_path(path, sizeof path, jpath, "palette");
        mg_palette p;
        mg_error e;
        if (mg_styles_find_palette(l->palette, 3, &p, &e) != MG_OK)
            return mg_spec_fail(c, path, "%s", e.message);
    }
    json_t *cols = json_object_get(o, "colors");
    mg_spec_key_path(path, sizeof path, jpath, "colors");
    if (rc || !cols)
        return rc;
    if (!json_is_object(cols))
        return mg_spec_fail(c, path,
                            "for points, 'colors' maps each category to a "
                            "colour: {\"consultation\": \"#1b9e77\", ...}");
    size_t n = json_object_size(cols);
    l->categories = calloc(n + 1, sizeof *l->categories);
    l->category_colours = calloc(n + 1, sizeof *l->category_colours);
    if (!l->categories || !l->category_colours)
        return mg_spec_nomem(c);
    const char *key;
    json_t *v;
    json_object_foreach(cols, key, v) {
        char p2[400];
        snprintf(p2, sizeof p2, "%s.%s", path, key);
        rc = parse_colour_at(c, v, p2, &l->category_colours[l->n_categories]);
        if (rc)
            return rc;
        if (!(l->categories[l->n_categories] = strdup(key)))
            return mg_spec_nomem(c);
        l->n_categories++;
    }
    return MG_OK;
}

static int parse_source(sctx *c, json_t *o, const char *jpath,
                        mg_style_layer *l)
{
    char path[256];
    int rc = mg_spec_get_str(c, o, jpath, "layer", 0, &l->source);
    if (rc)
        return rc;
    if (!l->source &&
        !(l->source = strdup(l->kind == MG_STYLE_POINTS ? "providers"
                                                        : "regions")))
        return mg_spec_nomem(c);
    mg_spec_key_path(path, sizeof path, jpath, "layer");
    if (l->kind == MG_STYLE_POINTS && strcmp(l->source, "providers") != 0 &&
        strcmp(l->source, "sites") != 0)
        return mg_spec_fail(c, path,
                            "a points layer draws \"providers\" or "
                            "\"sites\" (got '%s')",
                            l->source);
    if (l->kind == MG_STYLE_POLYGONS && strcmp(l->source, "regions") != 0 &&
        strcmp(l->source, "parent_regions") != 0 &&
        strncmp(l->source, "regions_", 8) != 0)
        return mg_spec_fail(
            c, path,
            "a polygons layer draws \"regions\", "
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
        return mg_spec_nomem(c);
    if (!json_is_object(o))
        return mg_spec_fail(c, jpath, "a layer must be an object");
    int rc = mg_spec_check_keys(c, o, jpath, keys);
    json_t *t = json_object_get(o, "type");
    mg_spec_key_path(path, sizeof path, jpath, "type");
    if (!rc && !t)
        return mg_spec_fail(c, path,
                            "required key 'type' is missing (\"polygons\" "
                            "or \"points\")");
    if (!rc && json_is_string(t) && !strcmp(json_string_value(t), "points"))
        l->kind = MG_STYLE_POINTS;
    else if (!rc && !(json_is_string(t) &&
                      !strcmp(json_string_value(t), "polygons")))
        return mg_spec_fail(c, path,
                            "'type' must be \"polygons\" or \"points\"");
    l->no_data = (mg_rgba){0xcc, 0xcc, 0xcc, 255};
    l->other = (mg_rgba){0x96, 0x96, 0x96, 255};
    l->fill = l->kind == MG_STYLE_POINTS ? (mg_rgba){0x31, 0x82, 0xbd, 255}
                                         : (mg_rgba){0, 0, 0, 0};
    l->radius = 3.0;
    l->maxzoom = STYLES_MAX_ZOOM;
    l->in_legend = 1;
    if (!rc) rc = parse_source(c, o, jpath, l);
    if (!rc)
        rc = mg_spec_get_str(c, o, jpath, "field", 0, &l->field);
    if (!rc)
        rc = mg_spec_get_str(c, o, jpath, "legend_title", 0, &l->legend_title);
    if (!rc)
        rc = mg_spec_get_bool(c, o, jpath, "legend", &l->in_legend);
    if (!rc)
        rc = mg_spec_get_bool(c, o, jpath, "reverse", &l->reverse);
    if (!rc) rc = get_colour(c, o, jpath, "fill", &l->fill);
    if (!rc) rc = get_colour(c, o, jpath, "no_data", &l->no_data);
    if (!rc) rc = get_colour(c, o, jpath, "other", &l->other);
    if (!rc) rc = parse_outline(c, o, jpath, l);
    if (!rc)
        rc = mg_spec_get_num(c, o, jpath, "radius", 0, 0, 0.1, 100.0,
                             &l->radius);
    if (!rc) rc = get_int(c, o, jpath, "minzoom", 0, STYLES_MAX_ZOOM,
                          &l->minzoom);
    if (!rc) rc = get_int(c, o, jpath, "maxzoom", 0, STYLES_MAX_ZOOM,
                          &l->maxzoom);
    mg_spec_key_path(path, sizeof path, jpath, "maxzoom");
    if (!rc && l->minzoom > l->maxzoom)
        return mg_spec_fail(c, path, "'maxzoom' (%d) is below 'minzoom' (%d)",
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
            mg_spec_key_path(path, sizeof path, jpath, field_only[i]);
            return mg_spec_fail(c, path, "'%s' needs a 'field' to colour by",
                                field_only[i]);
        }
    return MG_OK;
}

static int parse_root(sctx *c, json_t *root, mg_style *s)
{
    static const char *const keys[] = {"title", "description", "legend_title",
        "opacity", "layers", NULL};
    if (!json_is_object(root))
        return mg_spec_fail(c, "", "a style file must hold a JSON object");
    int rc = mg_spec_check_keys(c, root, "", keys);
    if (!rc)
        rc = mg_spec_get_str(c, root, "", "title", 0, &s->title);
    if (!rc)
        rc = mg_spec_get_str(c, root, "", "description", 0, &s->description);
    if (!rc)
        rc = mg_spec_get_str(c, root, "", "legend_title", 0, &s->legend_title);
    s->opacity = 1.0;
    if (!rc)
        rc = mg_spec_get_num(c, root, "", "opacity", 0, 0, 0.0, 1.0,
                             &s->opacity);
    if (rc)
        return rc;
    json_t *layers = json_object_get(root, "layers");
    if (!layers)
        return mg_spec_fail(c, "layers", "required key 'layers' is missing");
    if (!json_is_array(layers) || json_array_size(layers) == 0)
        return mg_spec_fail(c, "layers", "'layers' must be a non-empty array");
    s->layers = calloc(json_array_size(layers), sizeof *s->layers);
    if (!s->layers)
        return mg_spec_nomem(c);
    for (size_t i = 0; i < json_array_size(layers) && !rc; i++) {
        char path[64];
        snprintf(path, sizeof path, "layers[%zu]", i);
        s->n_layers = i + 1;
        rc = parse_layer(c, json_array_get(layers, i), path, &s->layers[i]);
    }
    return rc;
}

static int style_from_json(json_t *root, const char *path, mg_style **out,
                           mg_error *err)
{
    sctx c = {path, err};
    mg_style *s = calloc(1, sizeof *s);
    int rc = s ? MG_OK : mg_spec_nomem(&c);
    if (!rc && !(s->path = strdup(path)))
        rc = mg_spec_nomem(&c);
    if (!rc)
        rc = parse_root(&c, root, s);
    if (rc) {
        mg_style_free(s);
        return rc;
    }
    *out = s;
    return MG_OK;
}

int mg_style_parse(const char *json, const char *path, mg_style **out,
                   mg_error *err)
{
    json_t *root;
    *out = NULL;
    path = path ? path : "(style)";
    int rc = mg_json_parse(json, path, MG_ERR_PROJECT, &root, err);
    if (!rc)
        rc = style_from_json(root, path, out, err);
    json_decref(root);
    return rc;
}

int mg_style_load(const char *path, mg_style **out, mg_error *err)
{
    json_t *root;
    *out = NULL;
    int rc = mg_json_load(path, MG_ERR_PROJECT, &root, err);
    if (!rc)
        rc = style_from_json(root, path, out, err);
    json_decref(root);
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
    free(l->zero_label);
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
