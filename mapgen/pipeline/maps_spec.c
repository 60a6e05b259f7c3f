/* The project file's "maps" section: which maps a run draws, read with the
 * project (geodata/core.h's reader) and checked key by key. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static int name_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* 1 when a tile table of this name would clash with a table mapgen or the
 * GeoPackage itself keeps in the same file: the vector layers regions,
 * regions_<level>, providers and sites, and the gpkg_, rtree_ and sqlite_
 * tables. */
static int name_reserved(const char *s)
{
    static const char *const exact[] = {"regions", "providers", "sites"};
    static const char *const prefix[] = {"regions_", "gpkg_", "rtree_",
                                         "sqlite_"};
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
        if (!strcmp(s, exact[i]))
            return 1;
    for (size_t i = 0; i < sizeof prefix / sizeof *prefix; i++)
        if (!strncmp(s, prefix[i], strlen(prefix[i])))
            return 1;
    return 0;
}

static int check_name(mg_spec *s, const mg_maps_spec *spec, json_t *name,
                      const char *path)
{
    if (!json_is_string(name) || !name_ok(json_string_value(name)))
        return mg_spec_fail(s, path,
                            "a map needs a 'name' of 1-64 "
                            "characters a-z, 0-9, _ and -");
    const char *n = json_string_value(name);
    if (name_reserved(n))
        return mg_spec_fail(s, path,
                            "'%s' is taken: the GeoPackage keeps "
                            "its layers regions, regions_<level>, providers "
                            "and sites and its own gpkg_, rtree_ and sqlite_ "
                            "tables beside the maps' tile tables; choose "
                            "another map name",
                            n);
    for (size_t k = 0; k < spec->n; k++)
        if (!strcmp(spec->v[k].name, n))
            return mg_spec_fail(s, path, "two maps are named '%s'", n);
    return MG_OK;
}

static int get_zoom(mg_spec *s, json_t *o, const char *base, const char *key,
                    int *out)
{
    double z = *out; /* absent: stays */
    int rc = mg_spec_get_num(s, o, base, key, 0, MG_SPEC_INTEGER, 0,
                             MG_TILES_MAX_ZOOM, &z);
    *out = (int)z;
    return rc;
}

/* One entry of "levels": {"level": name, "minzoom": z, "maxzoom": z}. */
static int parse_band(mg_spec *s, json_t *o, const char *base,
                      mg_map_entry *x)
{
    static const char *const keys[] = {"level", "minzoom", "maxzoom", NULL};
    char path[160];
    if (!json_is_object(o))
        return mg_spec_fail(s, base,
                            "an entry of 'levels' must be an object "
                            "{\"level\": ..., \"minzoom\": ..., "
                            "\"maxzoom\": ...}");
    mg_map_band_spec *b = &x->bands[x->n_bands++];
    b->minzoom = 0;
    b->maxzoom = MG_TILES_MAX_ZOOM;
    int rc = mg_spec_check_keys(s, o, base, keys);
    if (!rc)
        rc = mg_spec_get_str(s, o, base, "level", 1, &b->level);
    if (!rc)
        rc = get_zoom(s, o, base, "minzoom", &b->minzoom);
    if (!rc)
        rc = get_zoom(s, o, base, "maxzoom", &b->maxzoom);
    mg_spec_key_path(path, sizeof path, base, "maxzoom");
    if (!rc && b->minzoom > b->maxzoom)
        return mg_spec_fail(s, path, "'maxzoom' is below 'minzoom'");
    for (size_t k = 0; !rc && k + 1 < x->n_bands; k++) {
        const mg_map_band_spec *a = &x->bands[k];
        if (!strcmp(a->level, b->level))
            return mg_spec_fail(s, base, "level '%s' is listed twice",
                                b->level);
        if (a->minzoom <= b->maxzoom && b->minzoom <= a->maxzoom)
            return mg_spec_fail(s, base,
                                "the zooms of levels '%s' (%d-%d) and '%s' "
                                "(%d-%d) overlap: one level per zoom",
                                a->level, a->minzoom, a->maxzoom, b->level,
                                b->minzoom, b->maxzoom);
    }
    return rc;
}

/* "levels": which boundary level the map draws at which zooms. */
static int parse_bands(mg_spec *s, json_t *o, const char *base,
                       mg_map_entry *x)
{
    char path[96], item[128];
    int rc = MG_OK;
    json_t *a = mg_spec_get_array(s, o, base, "levels", 0, &rc);
    mg_spec_key_path(path, sizeof path, base, "levels");
    if (rc || !a)
        return rc;
    if (json_array_size(a) == 0)
        return mg_spec_fail(s, path,
                            "'levels' must list at least one level");
    if (!(x->bands = calloc(json_array_size(a), sizeof *x->bands)))
        return mg_spec_nomem(s);
    for (size_t k = 0; !rc && k < json_array_size(a); k++) {
        mg_spec_item_path(item, sizeof item, path, k);
        rc = parse_band(s, json_array_get(a, k), item, x);
    }
    return rc;
}

static int parse_entry(mg_spec *s, json_t *o, size_t i, mg_maps_spec *spec)
{
    static const char *const keys[] = {
        "name",  "style",   "level",   "title", "legend_title",
        "field", "minzoom", "maxzoom", "levels", NULL};
    char base[32], path[96];
    mg_spec_item_path(base, sizeof base, "maps", i);
    if (!json_is_object(o))
        return mg_spec_fail(s, base,
                            "a map must be an object "
                            "{\"name\": ..., \"style\": ...}");
    int rc = mg_spec_check_keys(s, o, base, keys);
    mg_spec_key_path(path, sizeof path, base, "name");
    if (!rc)
        rc = check_name(s, spec, json_object_get(o, "name"), path);
    json_t *style = json_object_get(o, "style");
    mg_spec_key_path(path, sizeof path, base, "style");
    if (!rc && (!json_is_string(style) || !json_string_length(style)))
        rc = mg_spec_fail(s, path,
                          "a map needs a 'style': a shipped style "
                          "(base, services, needs, poverty) or a style "
                          "file");
    if (rc)
        return rc;
    mg_map_entry *x = &spec->v[spec->n++];
    x->minzoom = x->maxzoom = -1;
    if (!(x->json_path = strdup(base)))
        return mg_spec_nomem(s);
    rc = mg_spec_get_str(s, o, base, "name", 1, &x->name);
    if (!rc)
        rc = mg_spec_get_str(s, o, base, "style", 1, &x->style);
    if (!rc)
        rc = mg_spec_get_str(s, o, base, "level", 0, &x->level);
    if (!rc)
        rc = mg_spec_get_str(s, o, base, "title", 0, &x->title);
    if (!rc)
        rc = mg_spec_get_str(s, o, base, "legend_title", 0, &x->legend_title);
    if (!rc)
        rc = mg_spec_get_str(s, o, base, "field", 0, &x->field);
    if (!rc)
        rc = get_zoom(s, o, base, "minzoom", &x->minzoom);
    if (!rc)
        rc = get_zoom(s, o, base, "maxzoom", &x->maxzoom);
    mg_spec_key_path(path, sizeof path, base, "maxzoom");
    if (!rc && x->minzoom >= 0 && x->maxzoom >= 0 && x->minzoom > x->maxzoom)
        rc = mg_spec_fail(s, path, "'maxzoom' is below 'minzoom'");
    if (!rc)
        rc = parse_bands(s, o, base, x);
    return rc;
}

static void spec_free(mg_maps_spec *spec)
{
    for (size_t i = 0; spec && i < spec->n; i++) {
        mg_map_entry *x = &spec->v[i];
        free(x->name);
        free(x->style);
        free(x->level);
        free(x->title);
        free(x->legend_title);
        free(x->field);
        free(x->json_path);
        for (size_t k = 0; k < x->n_bands; k++)
            free(x->bands[k].level);
        free(x->bands);
    }
    if (spec)
        free(spec->v);
    free(spec);
}

int mg_maps_section_parse(mg_spec *s, json_t *v, mg_project *p)
{
    p->maps = NULL;
    if (!v)
        return MG_OK;
    if (!json_is_array(v))
        return mg_spec_fail(s, "maps", "'maps' must be an array of maps");
    size_t n = json_array_size(v);
    mg_maps_spec *spec = calloc(1, sizeof *spec);
    if (!spec || !(spec->v = calloc(n ? n : 1, sizeof *spec->v))) {
        spec_free(spec);
        return mg_spec_nomem(s);
    }
    p->maps = spec;
    for (size_t i = 0; i < n; i++) {
        int rc = parse_entry(s, json_array_get(v, i), i, spec);
        if (rc)
            return rc;
    }
    return MG_OK;
}

void mg_maps_section_clear(mg_project *p)
{
    spec_free(p->maps);
    p->maps = NULL;
}
