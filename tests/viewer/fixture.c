/* Builds the out/ folder the viewer test serves: maps.json, solid-colour
 * tiles of a base and three maps (encoded by mg_tiles_encode_png), their
 * TileJSON, a legend PNG, fixture.json (what check.mjs expects to see) and
 * the viewer itself through mg_viewer_install().
 *
 * Usage: viewer_fixture OUT_DIR      (OUT_DIR must not exist yet)
 *
 * The three maps cover the cases the page must handle:
 *   needs     256-px tiles everywhere in the bounds, an HTML legend and
 *             a PNG one (offered as a link)
 *   poverty   256-px tiles with one tile absent at every zoom >= HOLE_Z
 *             (the tile holding HOLE_LON/HOLE_LAT): a 404 the page must
 *             take quietly, showing the base through; a legend in two
 *             groups with boxes, a translucent dot and a line
 *   services  512-px "@2x" tiles ({y}@2x.png) inside smaller data bounds
 *             (its TileJSON's), a PNG legend and no HTML legend */
#include "mapgen/pipeline.h"
#include "tiles/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HOLE_LON 21.0
#define HOLE_LAT 44.0
enum { HOLE_Z = 4, MAX_Z = 8 };

typedef struct fx_layer {
    const char *name;
    mg_rgba colour;
    int tile_size;              /* 256, or 512 for @2x tiles */
    double bounds[4];           /* west, south, east, north */
    int hole;                   /* leave out the tile at HOLE_LON/LAT */
} fx_layer;

/* Bounds: Romania's, as in the sample. */
static const fx_layer base = {"base", {0xe4, 0xe4, 0xe4, 255}, 256,
                              {20.26, 43.62, 29.69, 48.26}, 0};
static const fx_layer layers[] = {
    {"needs", {0xe3, 0x1a, 0x1c, 255}, 256, {20.26, 43.62, 29.69, 48.26}, 0},
    {"poverty", {0x2c, 0x7f, 0xb8, 255}, 256, {20.26, 43.62, 29.69, 48.26},
     1},
    {"services", {0x31, 0xa3, 0x54, 255}, 512, {22.0, 44.5, 28.0, 47.5}, 0},
};
enum { N_LAYERS = sizeof layers / sizeof layers[0] };

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "viewer_fixture: %s: %s: %s\n", path, what,
            strerror(errno));
    return 1;
}

/* mkdir -p */
static int make_dirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return fail("cannot create the directory", buf);
        *p = c;
        if (!c)
            return 0;
    }
}

static int write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return fail("cannot create", path);
    int bad = fwrite(data, 1, size, f) != size;
    bad |= fclose(f) != 0;
    return bad ? fail("cannot write", path) : 0;
}

/* A PNG of size x size pixels of one colour; free() it. */
static unsigned char *solid_png(mg_rgba colour, int size, size_t *n)
{
    mg_canvas *c = mg_canvas_new(size, size);
    unsigned char *png = NULL;
    mg_error err;
    if (c) {
        mg_tiles_clear_canvas(c, colour);
        if (mg_tiles_encode_png(c, 6, &png, n, &err) != MG_OK)
            mg_error_print(&err, stderr);
    }
    mg_canvas_free(c);
    return png;
}

static int is_hole(const fx_layer *l, int z, uint32_t x, uint32_t y)
{
    uint32_t hx, hy;
    return l->hole && z >= HOLE_Z &&
           mg_tiles_locate_tile(HOLE_LON, HOLE_LAT, z, &hx, &hy) == MG_OK &&
           hx == x && hy == y;
}

/* Writes out/tiles/<name>/{z}/{x}/{y}[@2x].png for every tile that meets
 * the layer's bounds, zooms 0..MAX_Z, and its tilejson.json. */
static int write_tiles(const char *out, const fx_layer *l)
{
    size_t n = 0;
    unsigned char *png = solid_png(l->colour, l->tile_size, &n);
    if (!png)
        return 1;
    const char *suffix = l->tile_size == 512 ? "@2x" : "";
    char path[4096];
    int rc = 0;
    for (int z = 0; !rc && z <= MAX_Z; z++) {
        uint32_t x0, y0, x1, y1;
        mg_tiles_locate_tile(l->bounds[0], l->bounds[3], z, &x0, &y0);
        mg_tiles_locate_tile(l->bounds[2], l->bounds[1], z, &x1, &y1);
        for (uint32_t x = x0; !rc && x <= x1; x++) {
            snprintf(path, sizeof path, "%s/tiles/%s/%d/%u", out, l->name, z,
                     (unsigned)x);
            rc = make_dirs(path);
            for (uint32_t y = y0; !rc && y <= y1; y++) {
                if (is_hole(l, z, x, y))
                    continue;
                snprintf(path, sizeof path, "%s/tiles/%s/%d/%u/%u%s.png", out,
                         l->name, z, (unsigned)x, (unsigned)y, suffix);
                rc = write_file(path, png, n);
            }
        }
    }
    free(png);
    if (rc)
        return rc;
    char json[1024];
    int len = snprintf(json, sizeof json,
                       "{\"tilejson\": \"3.0.0\", \"name\": \"%s\", "
                       "\"tiles\": [\"{z}/{x}/{y}%s.png\"], \"minzoom\": 0, "
                       "\"maxzoom\": %d, \"bounds\": [%g, %g, %g, %g]}\n",
                       l->name, suffix, MAX_Z, l->bounds[0], l->bounds[1],
                       l->bounds[2], l->bounds[3]);
    snprintf(path, sizeof path, "%s/tiles/%s/tilejson.json", out, l->name);
    return write_file(path, json, (size_t)len);
}

/* A 120 x 24 legend image, legends/<name>.png: one band of each of three
 * greens. */
static int write_legend_png(const char *out, const char *name)
{
    static const mg_rgba band[3] = {{0xe5, 0xf5, 0xe0, 255},
                                    {0xa1, 0xd9, 0x9b, 255},
                                    {0x31, 0xa3, 0x54, 255}};
    mg_canvas *c = mg_canvas_new(120, 24);
    if (!c)
        return 1;
    for (int y = 0; y < c->height; y++)
        for (int x = 0; x < c->width; x++)
            memcpy(c->rgba + (size_t)y * c->stride + 4 * (size_t)x,
                   &band[x / 40], 4);
    unsigned char *png = NULL;
    size_t n = 0;
    mg_error err;
    int rc = mg_tiles_encode_png(c, 6, &png, &n, &err);
    mg_canvas_free(c);
    if (rc) {
        mg_error_print(&err, stderr);
        return 1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/legends", out);
    rc = make_dirs(path);
    snprintf(path, sizeof path, "%s/legends/%s.png", out, name);
    if (!rc)
        rc = write_file(path, png, n);
    free(png);
    return rc;
}

static const char maps_json[] =
    "{\n"
    "  \"title\": \"Test country — social services (viewer fixture)\",\n"
    "  \"attribution\": \"Boundaries: fixture <b>outlines</b> & co; "
    "Services: fixture register\",\n"
    "  \"bounds\": [20.26, 43.62, 29.69, 48.26],\n"
    "  \"center\": [24.97, 45.94, 6],\n"
    "  \"base\": {\"name\": \"base\", \"title\": \"Region outlines\", "
    "\"tiles\": \"tiles/base/{z}/{x}/{y}.png\", \"minzoom\": 0, "
    "\"maxzoom\": 8},\n"
    "  \"maps\": [\n"
    "    {\"name\": \"needs\", \"title\": \"Needs: unmet need per 10,000 "
    "children\", \"tiles\": \"tiles/needs/{z}/{x}/{y}.png\", \"tilejson\": "
    "\"tiles/needs/tilejson.json\", \"legend_image\": \"legends/needs.png\", "
    "\"legend_title\": \"Unmet need per "
    "10,000\", \"legend\": [{\"label\": \"0 – 120\", \"color\": "
    "\"#ffffb2\"}, {\"label\": \"120 – 480\", \"color\": \"#fd8d3c\"}, "
    "{\"label\": \"480 – 1,900\", \"color\": \"#e31a1c\"}, {\"label\": "
    "\"no data\", \"color\": \"#cccccc\"}], \"minzoom\": 0, \"maxzoom\": 8, "
    "\"tile_size\": 256, \"opacity\": 0.85},\n"
    "    {\"name\": \"poverty\", \"title\": \"Poverty: overall index "
    "(grade)\", \"tiles\": \"tiles/poverty/{z}/{x}/{y}.png\", \"tilejson\": "
    "\"tiles/poverty/tilejson.json\", \"legend_title\": \"Poverty grade\", "
    "\"legend\": [{\"label\": \"1 (least poor)\", \"color\": \"#edf8b1\", "
    "\"shape\": \"box\", \"group\": \"Grade\"}, {\"label\": \"5 (poorest)\", "
    "\"color\": \"#2c7fb8\", \"shape\": \"box\", \"group\": \"Grade\"}, "
    "{\"label\": \"Provider\", \"color\": \"#31a354cc\", \"shape\": \"dot\", "
    "\"group\": \"Services\"}, {\"label\": \"County border\", \"color\": "
    "\"#555555\", \"shape\": \"line\", \"group\": \"Services\"}], "
    "\"minzoom\": 0, "
    "\"maxzoom\": 8, \"tile_size\": 256, \"opacity\": 0.85},\n"
    "    {\"name\": \"services\", \"title\": \"Existing services\", "
    "\"tiles\": \"tiles/services/{z}/{x}/{y}.png\", \"tilejson\": "
    "\"tiles/services/tilejson.json\", \"legend_image\": "
    "\"legends/services.png\", \"legend_title\": \"Services per 10,000\", "
    "\"minzoom\": 0, \"maxzoom\": 8, \"tile_size\": 512, \"opacity\": 1}\n"
    "  ]\n"
    "}\n";

static void rgb_json(char *out, size_t n, mg_rgba c)
{
    snprintf(out, n, "[%d, %d, %d]", c.r, c.g, c.b);
}

/* What check.mjs needs beyond maps.json: the colour of each layer's tiles
 * and where the hole is. */
static int write_expectations(const char *out)
{
    char buf[2048], colour[32];
    size_t len = 0;
    rgb_json(colour, sizeof colour, base.colour);
    len += (size_t)snprintf(buf + len, sizeof buf - len,
                            "{\"base\": %s, \"colours\": {", colour);
    for (int i = 0; i < N_LAYERS; i++) {
        rgb_json(colour, sizeof colour, layers[i].colour);
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\"%s\": %s",
                                i ? ", " : "", layers[i].name, colour);
    }
    len += (size_t)snprintf(buf + len, sizeof buf - len,
                            "}, \"hole\": {\"map\": \"poverty\", \"lon\": %g, "
                            "\"lat\": %g, \"minzoom\": %d}}\n",
                            HOLE_LON, HOLE_LAT, HOLE_Z);
    char path[4096];
    snprintf(path, sizeof path, "%s/fixture.json", out);
    return write_file(path, buf, len);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: viewer_fixture OUT_DIR\n", stderr);
        return 2;
    }
    const char *out = argv[1];
    char path[4096];
    snprintf(path, sizeof path, "%s/maps.json", out);
    int rc = make_dirs(out);
    if (!rc) rc = write_file(path, maps_json, sizeof maps_json - 1);
    if (!rc) rc = write_tiles(out, &base);
    for (int i = 0; !rc && i < N_LAYERS; i++)
        rc = write_tiles(out, &layers[i]);
    if (!rc) rc = write_legend_png(out, "needs");
    if (!rc) rc = write_legend_png(out, "services");
    if (!rc) rc = write_expectations(out);
    if (rc)
        return 1;
    mg_error err;
    if (mg_viewer_install(out, 0, &err) != MG_OK) {
        mg_error_print(&err, stderr);
        return 1;
    }
    printf("viewer_fixture: %s ready\n", out);
    return 0;
}
