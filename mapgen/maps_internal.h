/* What mapgen/maps.c (map list, styles applied) and mapgen/maps_out.c
 * (tiles, legends, maps.json, progress) share; not a public API. */
#ifndef MG_MAPGEN_MAPS_INTERNAL_H
#define MG_MAPGEN_MAPS_INTERNAL_H

#include "mapgen/maps.h"
#include "styles/styles.h"
#include "tiles/tiles.h"

/* The size, in pixels, the median region reaches at the default largest
 * zoom, and the largest default (docs/rendering.md). */
#define MAPS_MEDIAN_PX 64.0
enum { MAPS_DEFAULT_MAXZOOM_CAP = 12 };

typedef struct map_item {
    /* from the project's "maps" section or the defaults */
    char *name;
    char *style_path;
    char *level;             /* NULL: the finest level */
    char *title, *legend_title;
    char *field;             /* overrides the thematic layer's field */
    char *json_path;         /* "maps[1]", or NULL for shipped maps */
    int minzoom, maxzoom;    /* -1: default */
    int is_default;          /* shipped: left out when its field is absent */
    int is_base;
    int poverty_grades;      /* a poverty map: classes follow the spec */
    mg_style *style;

    /* prepared */
    int skip;
    size_t level_index;
    mg_render_layer *layers;
    size_t n_layers;
    mg_rgba **fills;         /* one array per layer with colours */
    size_t n_fills;
    mg_legend legend;
    char *legend_json;
    int z0, z1;
    mg_tile_bounds bounds;   /* lon/lat */
} map_item;

struct mg_maps {
    const mg_project *p;
    mg_map_options opt;
    map_item *items;
    size_t n;
    const mg_dataset *d;
    mg_shapes **level_shapes; /* per level, built when first needed */
    mg_shapes *providers;
    const mg_sites *sites;   /* the run's recommended sites, or NULL */
    mg_shapes *site_shapes;  /* built when first needed */
    const char *attribution; /* the project's metadata "attribution" */
};

#endif
