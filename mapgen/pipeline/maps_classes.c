/* Each map's classification as data a user can cite or reuse: the breaks
 * at full precision (maps.json, TileJSON, MBTiles) and the class of every
 * region as a column class_<map> of the GeoPackage (docs/outputs.md). */
#include "internal.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void maps_class_column(const map_item *x, char *buf, size_t size)
{
    snprintf(buf, size, "class_%s", x->name);
    for (char *c = buf; *c; c++)
        if (*c == '-')
            *c = '_'; /* a column name a reader types without quotes */
}

/* The GeoPackage layer of level li: regions, regions_<level> above it. */
static void level_layer(const mg_dataset *d, size_t li, char *buf,
                        size_t size)
{
    if (li == 0)
        snprintf(buf, size, "regions");
    else
        snprintf(buf, size, "regions_%s", d->levels[li].level);
}

/* {"field", "level", "layer", "column", "method", "classes", "breaks":
 * MARK, "counts", "no_data", "labels"}, dumped with the breaks spliced in
 * exactly. */
static char *classes_text(const mg_dataset *d, const map_item *x,
                          const mg_style_layer *sl, size_t li,
                          const mg_breaks *b)
{
    char layer[160], column[96];
    level_layer(d, li, layer, sizeof layer);
    maps_class_column(x, column, sizeof column);
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:i, s:s}", "field", sl->field, "level",
        d->levels[li].level, "layer", layer, "column", column, "method",
        mg_styles_get_method_name(b->method), "classes", b->k, "breaks",
        MG_JSON_RAW_MARK);
    json_t *counts = json_array(), *names = json_array();
    for (int i = 0; i < b->k && counts && names; i++) {
        json_array_append_new(counts, json_integer((json_int_t)b->counts[i]));
        json_array_append_new(names, json_string(b->labels[i]));
    }
    if (o) {
        json_object_set_new(o, "counts", counts);
        json_object_set_new(o, "no_data", json_integer((json_int_t)b->n_missing));
        json_object_set_new(o, "labels", names);
    } else {
        json_decref(counts);
        json_decref(names);
    }
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    char *raw = text ? mg_json_exact_array(b->b, (size_t)b->k + 1) : NULL;
    char *out = raw ? mg_json_splice(text, raw) : NULL;
    free(raw);
    free(text);
    return out;
}

int maps_record_classes(const mg_dataset *d, map_item *x,
                        const mg_style_layer *sl, size_t li, const double *v,
                        const mg_breaks *b)
{
    const mg_level *l = &d->levels[li];
    mg_error e;
    /* The colours the tiles got: mg_style_colour_values() succeeded with
     * the same layer and k, so this cannot fail on the palette. */
    if (mg_style_class_colours(x->style, sl, b->k, x->class_colours, &e))
        return MG_ERR_NOMEM;
    memcpy(x->class_labels, b->labels, sizeof x->class_labels);
    x->n_classes = b->k;
    x->class_no_data = sl->no_data;
    x->class_outline = sl->outline;
    x->class_outline_width = sl->outline_width;
    x->class_values = malloc((l->n ? l->n : 1) * sizeof *x->class_values);
    x->classes_json = classes_text(d, x, sl, li, b);
    if (!x->class_values || !x->classes_json)
        return MG_ERR_NOMEM;
    /* 1 is the first class of the legend (the lowest values), as the
     * poverty grades count; no data stays NULL. */
    for (size_t i = 0; i < l->n; i++) {
        int c = mg_styles_find_class(b, v[i]);
        x->class_values[i] = c < 0 ? NAN : c + 1;
    }
    x->class_level = li;
    x->has_classes = 1;
    return MG_OK;
}

int mg_maps_add_class_columns(const mg_maps *m, mg_dataset *d, mg_error *err)
{
    for (size_t i = 0; m && i < m->n; i++) {
        const map_item *x = &m->items[i];
        if (x->skip || !x->has_classes)
            continue;
        mg_level *l = &d->levels[x->class_level];
        char column[96];
        double *v;
        maps_class_column(x, column, sizeof column);
        if (mg_level_add_column(l, column, 1, &v))
            return mg_error_set(err, MG_ERR_NOMEM, NULL, -1, NULL,
                                "out of memory");
        memcpy(v, x->class_values, l->n * sizeof *v);
    }
    return MG_OK;
}
